/*
 * xref export: writes the graph of a case as DOT, SVG or node-link JSON, to
 * standard output or atomically to a file.
 *
 * --type and --min-weight filter the graph as it is loaded, so metrics
 * describe the exported graph itself; --top then keeps the N nodes ranked
 * highest by PageRank. Without --top, DOT and JSON hold the whole graph,
 * while SVG keeps 150 nodes: sfdp on thousands of nodes takes long and
 * draws a hairball nobody can read. The graph is loaded exactly as
 * `xref build` loads it (evidence included, at most 20 per link), so an
 * unfiltered export writes the same bytes as the build did.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "cli/cli.h"

#define EXPORT_SVG_TOP 150
#define EXPORT_SVG_LABELS 40
#define EXPORT_MAX_EVIDENCE 20

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --format F          dot, svg or json (required)\n"
	"  -o, --output FILE       write FILE (replaced atomically) instead of\n"
	"                          standard output; - is standard output\n"
	"      --top N             keep the N nodes ranked highest by PageRank\n"
	"                          (default: all; svg: 150; 0: all)\n"
	"      --type T[,T...]     keep only entities of these types: person,\n"
	"                          company, government, organization, media,\n"
	"                          country, location, target\n"
	"      --min-weight W      drop links seen in fewer than W windows\n"
	"  -h, --help              show this help\n"
	"\n"
	"dot: Graphviz DOT (node ids are stable entity ids); svg: a map laid out\n"
	"with sfdp, labels on the 40 most central nodes; json: node-link JSON with\n"
	"'nodes' and 'links' (at most 20 evidence sentences per link) for D3 and\n"
	"networkx (networkx >= 3.6: node_link_graph(data, edges=\"links\")).\n"
	"Metrics in the output are computed after --type and --min-weight.\n";

enum {
	OPT_CASE = 256,
	OPT_FORMAT,
	OPT_TOP,
	OPT_TYPE,
	OPT_MIN_WEIGHT,
};

enum format { FORMAT_DOT, FORMAT_SVG, FORMAT_JSON };

static const char *const format_names[] = { "dot", "svg", "json", NULL };

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "min-weight", required_argument, NULL, OPT_MIN_WEIGHT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_export(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *case_opt = NULL, *output = "-";
	int format = -1;
	long top = -1, min_weight = 0;
	unsigned type_mask = 0;
	struct xref_graph_filter filter;
	struct xref_export_opts xopts;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	cli_graph_writer writer;
	int opt, err, ret = CLI_FAIL;

	while ((opt = getopt_long(argc, argv, ":o:h", long_options, NULL)) !=
	       -1) {
		switch (opt) {
		case OPT_CASE:
			case_opt = optarg;
			break;
		case OPT_FORMAT:
			format = cli_choice(optarg, format_names);
			if (format < 0) {
				ret = cli_usage_error(cmd,
					"unknown format '%s' (formats: dot, svg, json)",
					optarg);
				goto out;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_TOP:
			if (cli_parse_long(&top, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--top needs a whole number >= 0, not '%s'",
					optarg);
				goto out;
			}
			break;
		case OPT_TYPE:
			if (cli_parse_types(&type_mask, cmd, optarg)) {
				ret = CLI_USAGE;
				goto out;
			}
			break;
		case OPT_MIN_WEIGHT:
			if (cli_parse_long(&min_weight, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--min-weight needs a whole number >= 0, not '%s'",
					optarg);
				goto out;
			}
			break;
		case 'h':
			ret = cli_help(cmd, options_help);
			goto out;
		default:
			ret = cli_bad_option(cmd, opt, argv);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind]);
		goto out;
	}
	if (format < 0) {
		ret = cli_usage_error(cmd, "--format is required (dot, svg, json)");
		goto out;
	}
	if (!*output) {
		ret = cli_usage_error(cmd, "-o needs a file name");
		goto out;
	}
	if (top < 0)
		top = format == FORMAT_SVG ? EXPORT_SVG_TOP : 0;

	memset(&filter, 0, sizeof(filter));
	filter.type_mask = type_mask;
	filter.min_weight = min_weight;
	/* as build loads it, so that both write the same bytes */
	filter.with_evidence = true;
	filter.max_evidence = EXPORT_MAX_EVIDENCE;
	if (cli_case_open_existing(&c, cli_case_path(case_opt)))
		goto out;
	if (cli_graph_load(&g, c, &filter, NULL, 0))
		goto out;
	err = xref_graph_keep_top(g, XREF_METRIC_PAGERANK, (size_t)top);
	if (err) {
		cli_error_last(err);
		goto out;
	}

	memset(&xopts, 0, sizeof(xopts));
	xopts.size_by = XREF_METRIC_PAGERANK;
	xopts.labels = format == FORMAT_SVG ? EXPORT_SVG_LABELS : 0;
	writer = format == FORMAT_DOT   ? xref_export_dot
		 : format == FORMAT_SVG ? xref_export_svg
					: xref_export_json;
	if (cli_write_graph(output, writer, g, &xopts))
		goto out;
	ret = CLI_OK;
out:
	xref_graph_free(g);
	xref_case_free(c);
	return ret;
}
