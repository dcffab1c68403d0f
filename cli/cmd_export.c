/*
 * xref export: writes the graph of a case in one of the formats of
 * export/, to standard output or atomically to a file; the CSV and Neo4j
 * formats are several files and go into a directory (-o DIR, created when
 * missing, each file replaced atomically).
 *
 * The shared filters (cli/filter.h) apply as the graph is loaded, so
 * metrics describe the exported graph itself; --top then keeps the N nodes
 * ranked highest by PageRank. Without --top every format holds the whole
 * graph, except the drawn ones (svg, html), which keep 150 nodes: sfdp on
 * thousands of nodes takes long and draws a hairball nobody can read. The
 * graph is loaded exactly as `xref build` loads it (evidence included
 * within the same budget, the same metrics: xref_graph_compute_standard()),
 * so an unfiltered export writes the same bytes as the build did. --color community uses the communities
 * stored in the case (`xref communities`) when every entity exported has
 * one, and finds them on the exported graph otherwise. The formats are one
 * table, so the option parser, the help and the writer read the same list.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/filter.h"

#define EXPORT_SVG_TOP 150
#define EXPORT_SVG_LABELS 40

#define FORMAT_NAMES \
	"dot, svg, json, cytoscape, graphology, graphml, gexf, csv, neo4j, html"

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --format F          " FORMAT_NAMES "\n"
	"                          (required; see below)\n"
	"  -o, --output FILE|DIR   write FILE (replaced atomically) instead of\n"
	"                          standard output; - is standard output; csv\n"
	"                          and neo4j need a directory (created if missing)\n"
	"      --top N             keep the N nodes ranked highest by PageRank\n"
	"                          (default: all; svg and html: 150; 0: all)\n"
	"      --color C           colour the nodes of svg, html, gexf, cytoscape\n"
	"                          and graphology by type (default) or community\n"
	"  -h, --help              show this help\n"
	"\n"
	"Formats (node ids are the stable entity ids in all of them):\n"
	"  dot         Graphviz DOT\n"
	"  svg         a map laid out with sfdp, labels on the 40 most central nodes\n"
	"  json        node-link JSON with 'nodes' and 'links' (at most 20 evidence\n"
	"              sentences per link) for D3 and networkx (networkx >= 3.6:\n"
	"              node_link_graph(data, edges=\"links\"))\n"
	"  cytoscape   Cytoscape JSON (cytoscape.js, networkx cytoscape_graph)\n"
	"  graphology  graphology JSON with sfdp positions, for Sigma.js\n"
	"  graphml     GraphML with typed attributes (Gephi, yEd, networkx)\n"
	"  gexf        GEXF 1.3 with colours, sizes and positions (Gephi)\n"
	"  csv         DIR/nodes.csv, DIR/edges.csv, DIR/evidence.csv\n"
	"  neo4j       DIR/nodes.csv, DIR/relationships.csv and DIR/README.md with\n"
	"              the neo4j-admin import command\n"
	"  html        one self-contained page: the map with search, pan and zoom,\n"
	"              type filters, and the evidence of every tie; works offline\n"
	"Metrics in the output are computed on the graph the filters leave.\n"
	"\n";

typedef int (*writer_ex)(const struct xref_graph *g,
			 const struct xref_export_opts *opts,
			 const struct xref_export_ex *ex, FILE *out);

/* One file of a directory format. */
struct dir_file {
	const char *name;
	cli_graph_writer writer;
};

struct format {
	const char *name;
	cli_graph_writer writer;      /* one-file formats without choices */
	writer_ex writer_ex;          /* one-file formats with colour, layout */
	const struct dir_file *files; /* directory formats: NULL-terminated */
	bool drawn;                   /* a map: 150 nodes by default, labels */
};

static const struct dir_file csv_files[] = {
	{ "nodes.csv", xref_export_csv_nodes },
	{ "edges.csv", xref_export_csv_edges },
	{ "evidence.csv", xref_export_csv_evidence },
	{ NULL, NULL },
};

static const struct dir_file neo4j_files[] = {
	{ "nodes.csv", xref_export_neo4j_nodes },
	{ "relationships.csv", xref_export_neo4j_relationships },
	{ "README.md", xref_export_neo4j_readme },
	{ NULL, NULL },
};

static const struct format formats[] = {
	{ "dot", xref_export_dot, NULL, NULL, false },
	{ "svg", NULL, xref_export_svg_ex, NULL, true },
	{ "json", xref_export_json, NULL, NULL, false },
	{ "cytoscape", NULL, xref_export_cytoscape_ex, NULL, false },
	{ "graphology", NULL, xref_export_graphology_ex, NULL, false },
	{ "graphml", xref_export_graphml, NULL, NULL, false },
	{ "gexf", NULL, xref_export_gexf_ex, NULL, false },
	{ "csv", NULL, NULL, csv_files, false },
	{ "neo4j", NULL, NULL, neo4j_files, false },
	{ "html", NULL, xref_export_html_ex, NULL, true },
};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))


static const struct format *format_find(const char *name)
{
	size_t i;

	for (i = 0; i < N_FORMATS; i++)
		if (!strcmp(name, formats[i].name))
			return &formats[i];
	return NULL;
}

/* Gives every node of g a community: the case file's when every node has
 * one, else found on g itself (Leiden, as `xref communities` does). -1 on
 * failure, with the message printed. */
static int ensure_communities(struct xref_graph *g)
{
	const struct xref_node *nodes;
	size_t n, i;
	int err = 0;

	nodes = xref_graph_nodes(g, &n);
	for (i = 0; i < n && nodes[i].community >= 0; i++)
		;
	if (i < n)
		err = xref_graph_communities(g, NULL, NULL, NULL);
	if (err)
		cli_error_last(err);
	return err ? -1 : 0;
}

/* Writes g with an _ex writer to path ("-": standard output), atomically,
 * as cli_write_graph() does for the plain writers. -1 on failure, with the
 * message printed (a write error on standard output is left to main). */
static int write_ex(const char *path, writer_ex w, const struct xref_graph *g,
		    const struct xref_export_opts *opts,
		    const struct xref_export_ex *ex)
{
	struct cli_output o;
	int err, ret = -1;

	if (cli_output_open(&o, path))
		goto out;
	err = w(g, opts, ex, o.fp);
	if (err) {
		if (!o.path && err == XREF_EIO)
			cli_stdout_failed();
		if (o.path || err != XREF_EIO || !ferror(stdout))
			cli_error("cannot write '%s': %s", cli_output_name(&o),
				  *xref_error_last() ? xref_error_last()
						     : xref_status_str(err));
		goto out;
	}
	ret = cli_output_commit(&o);
out:
	cli_output_abort(&o);
	return ret;
}

/* Writes every file of a directory format into dir. -1 on failure (the
 * message is printed; files already written stay). */
static int write_dir(const char *dir, const struct dir_file *files,
		     const struct xref_graph *g,
		     const struct xref_export_opts *opts)
{
	char *path = NULL;
	int ret = -1;

	if (cli_mkdirs(dir))
		goto out;
	for (; files->name; files++) {
		free(path);
		path = cli_path_join(dir, files->name);
		if (!path || cli_write_graph(path, files->writer, g, opts))
			goto out;
	}
	ret = 0;
out:
	free(path);
	return ret;
}

enum {
	OPT_CASE = 256,
	OPT_FORMAT,
	OPT_TOP,
	OPT_COLOR,
};

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
	CLI_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int cmd_export(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *case_opt = NULL, *output = NULL;
	const struct format *format = NULL;
	long top = -1;
	struct xref_cli_filter filter;
	struct xref_graph_filter base;
	struct xref_export_opts xopts;
	struct xref_export_ex ex;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	int opt, r, err, ret = CLI_FAIL;

	memset(&ex, 0, sizeof(ex));
	cli_filter_init(&filter);
	while ((opt = getopt_long(argc, argv, ":o:h", long_options, NULL)) !=
	       -1) {
		r = cli_filter_parse(&filter, cmd, opt, optarg);
		if (r < 0) {
			ret = CLI_USAGE;
			goto out;
		}
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_CASE:
			case_opt = optarg;
			break;
		case OPT_FORMAT:
			format = format_find(optarg);
			if (!format) {
				ret = cli_usage_error(cmd,
					"unknown format '%s' (formats: " FORMAT_NAMES ")",
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
		case OPT_COLOR:
			if (xref_color_parse(&ex.color, optarg)) {
				ret = cli_usage_error(cmd,
					"unknown --color '%s' (type, community)",
					optarg);
				goto out;
			}
			break;
		case 'h':
			ret = cli_help(cmd, options_help);
			if (ret == CLI_OK)
				fputs(cli_filter_help, stdout);
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
	if (!format) {
		ret = cli_usage_error(cmd, "--format is required (" FORMAT_NAMES ")");
		goto out;
	}
	if (output && !*output) {
		ret = cli_usage_error(cmd, "-o needs a file name");
		goto out;
	}
	if (format->files && (!output || !strcmp(output, "-"))) {
		ret = cli_usage_error(cmd, "--format %s writes several files: "
				      "give a directory with -o DIR",
				      format->name);
		goto out;
	}
	if (cli_filter_check(&filter, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}
	if (!output)
		output = "-";
	if (top < 0)
		top = format->drawn ? EXPORT_SVG_TOP : 0;

	/* as build loads it, so that both write the same bytes */
	memset(&base, 0, sizeof(base));
	base.with_evidence = true;
	base.max_evidence = XREF_BUILD_MAX_EVIDENCE;
	base.evidence_budget = XREF_BUILD_EVIDENCE_BUDGET;
	if (cli_case_open_existing(&c, cli_case_path(case_opt)))
		goto out;
	if (cli_filter_load(&g, c, &filter, &base))
		goto out;
	if ((err = xref_graph_compute_standard(g, NULL))) {
		cli_error_last(err);
		goto out;
	}
	if (ex.color == XREF_COLOR_COMMUNITY && ensure_communities(g))
		goto out;
	err = xref_graph_keep_top(g, XREF_METRIC_PAGERANK, (size_t)top);
	if (err) {
		cli_error_last(err);
		goto out;
	}

	memset(&xopts, 0, sizeof(xopts));
	xopts.size_by = XREF_METRIC_PAGERANK;
	xopts.labels = format->drawn ? EXPORT_SVG_LABELS : 0;
	if (format->files) {
		if (write_dir(output, format->files, g, &xopts))
			goto out;
	} else if (format->writer_ex) {
		if (write_ex(output, format->writer_ex, g, &xopts, &ex))
			goto out;
	} else if (cli_write_graph(output, format->writer, g, &xopts)) {
		goto out;
	}
	ret = CLI_OK;
out:
	xref_graph_free(g);
	xref_case_free(c);
	return ret;
}
