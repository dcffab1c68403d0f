/*
 * xref build: the whole job in one command. Inputs are read into a fresh
 * case file DIR/xref.db (removed first: build is a full rebuild, ingest is
 * the incremental command), the graph is loaded with its evidence, the four
 * centralities are computed once, and graph.json and graph.dot (the whole
 * graph) and graph.svg (the top nodes by PageRank, a readable map) are
 * written atomically. A short summary goes to stdout.
 *
 * Everything that can fail cheaply (options, watchlists, missing inputs) is
 * checked before the old case file is removed, so a typo never costs the
 * previous build. The summary's top ten are taken before the graph is cut
 * down for the SVG, so they rank the whole network.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/buf.h"

#define BUILD_SVG_TOP 150      /* nodes drawn in graph.svg */
#define BUILD_SVG_LABELS 40    /* nodes labelled in graph.svg */
#define BUILD_MAX_EVIDENCE 20  /* evidence sentences per link in graph.json */
#define BUILD_SUMMARY_TOP 10   /* entities listed in the summary */

static const char options_help[] =
	"options:\n"
	"  -o, --output DIR        write into DIR (default: out); an existing\n"
	"                          DIR/xref.db is replaced, not added to\n"
	"  -w, --watchlist FILE    entities you know: lines of\n"
	"                          name<TAB>type<TAB>alias|alias; may be repeated\n"
	"      --window W          co-occurrence window: sentence (default),\n"
	"                          paragraph or document\n"
	"      --top N             nodes drawn in graph.svg, ranked by PageRank\n"
	"                          (default 150; 0 draws all)\n"
	"  -q, --quiet             no progress line and no summary\n"
	"      --strict            exit 1 (after finishing) when any input had a\n"
	"                          warning\n"
	"  -h, --help              show this help\n"
	"\n"
	"INPUT is a file, a directory (read recursively, in sorted order) or -\n"
	"for standard input: .txt, .md, .html/.htm, .jsonl/.ndjson.\n"
	"\n"
	"Writes DIR/xref.db (the case file), DIR/graph.json (node-link JSON of the\n"
	"whole graph, at most 20 evidence sentences per link), DIR/graph.dot (the\n"
	"whole graph) and DIR/graph.svg (the top N nodes, labels on the 40 most\n"
	"central), then prints the counts and the 10 most central entities.\n"
	"Files that cannot be read are warnings on stderr; the build goes on.\n";

enum {
	OPT_WINDOW = 256,
	OPT_TOP,
	OPT_STRICT,
};

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "watchlist", required_argument, NULL, 'w' },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Removes the old case file and its SQLite side files. */
static int remove_case(const char *db)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
	struct xref_buf b = XREF_BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		xref_buf_clear(&b);
		if (xref_buf_puts(&b, db) || xref_buf_puts(&b, suffixes[i])) {
			cli_error("out of memory");
			goto out;
		}
		if (unlink(b.ptr) != 0 && errno != ENOENT) {
			cli_error("cannot remove '%s': %s", b.ptr,
				  strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	xref_buf_release(&b);
	return ret;
}

/* The ten most central entities of the whole graph, by PageRank. */
static int summary_table(struct xref_table **out, const struct xref_graph *g)
{
	const struct xref_node *nodes;
	struct xref_table *t = NULL;
	size_t *order = NULL;
	size_t n, i;
	int err;

	*out = NULL;
	nodes = xref_graph_nodes(g, &n);
	err = xref_table_new(&t);
	if (!err)
		err = xref_table_add_column(t, "rank", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "name", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "type", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "pagerank", XREF_COL_NUMBER);
	if (!err)
		err = xref_table_add_column(t, "degree", XREF_COL_INTEGER);
	if (!err)
		err = xref_graph_rank(&order, g, XREF_METRIC_PAGERANK);
	for (i = 0; !err && i < n && i < BUILD_SUMMARY_TOP; i++) {
		const struct xref_node *nd = &nodes[order[i]];

		err = xref_table_add_row(t);
		if (!err)
			err = xref_table_set_integer(t, 0, (long long)i + 1);
		if (!err)
			err = xref_table_set_string(t, 1, nd->name);
		if (!err)
			err = xref_table_set_string(t, 2,
						    xref_type_name(nd->type));
		if (!err)
			err = xref_table_set_number(
				t, 3, nd->metric[XREF_METRIC_PAGERANK]);
		if (!err)
			err = xref_table_set_integer(
				t, 4, llround(nd->metric[XREF_METRIC_DEGREE]));
	}
	free(order);
	if (err) {
		cli_error_last(err);
		xref_table_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int cmd_build(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *dir = "out";
	const char **watchlists = NULL;
	size_t n_watchlists = 0;
	enum xref_window window = XREF_WINDOW_SENTENCE;
	long top = BUILD_SVG_TOP;
	bool quiet = false, strict = false;
	struct xref_recognizer *r = NULL;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_table *summary = NULL;
	struct xref_pipeline_stats stats;
	struct xref_case_counts counts;
	struct xref_graph_filter filter;
	struct xref_export_opts xopts;
	char *paths[4] = { NULL, NULL, NULL, NULL }; /* db json dot svg */
	static const char *const names[4] = { "xref.db", "graph.json",
					      "graph.dot", "graph.svg" };
	char **inputs;
	size_t n_inputs, i;
	int opt, err, ret = CLI_FAIL;

	watchlists = calloc((size_t)argc + 1, sizeof(*watchlists));
	if (!watchlists) {
		cli_error("out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, ":o:w:qh", long_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'o':
			dir = optarg;
			break;
		case 'w':
			watchlists[n_watchlists++] = optarg;
			break;
		case OPT_WINDOW:
			if (xref_window_parse(&window, optarg)) {
				ret = cli_usage_error(cmd,
					"unknown window '%s' (windows: sentence, paragraph, document)",
					optarg);
				goto out;
			}
			break;
		case OPT_TOP:
			if (cli_parse_long(&top, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--top needs a whole number >= 0, not '%s'",
					optarg);
				goto out;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case OPT_STRICT:
			strict = true;
			break;
		case 'h':
			ret = cli_help(cmd, options_help);
			goto out;
		default:
			ret = cli_bad_option(cmd, opt, argv);
			goto out;
		}
	}
	inputs = argv + optind;
	n_inputs = (size_t)(argc - optind);
	if (!n_inputs) {
		ret = cli_usage_error(cmd, "no input given");
		goto out;
	}
	if (!*dir || !strcmp(dir, "-")) {
		ret = cli_usage_error(cmd, "-o needs a directory name, not '%s'",
				      dir);
		goto out;
	}

	if (cli_recognizer_load(&r, watchlists, n_watchlists))
		goto out;
	if (cli_check_inputs(inputs, n_inputs))
		goto out;
	for (i = 0; i < 4; i++) {
		paths[i] = cli_path_join(dir, names[i]);
		if (!paths[i])
			goto out;
	}
	if (cli_mkdirs(dir) || remove_case(paths[0]))
		goto out;

	err = xref_case_open(&c, paths[0], XREF_CASE_CREATE, window);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (cli_ingest(&stats, c, r, inputs, n_inputs, !quiet))
		goto out;
	if (!stats.read) {
		cli_error_no_documents(inputs, n_inputs);
		goto out;
	}
	err = xref_case_counts(c, &counts);
	if (err) {
		cli_error_last(err);
		goto out;
	}

	memset(&filter, 0, sizeof(filter));
	filter.with_evidence = true;
	filter.max_evidence = BUILD_MAX_EVIDENCE;
	if (cli_graph_load(&g, c, &filter, NULL, 0))
		goto out;
	if (!quiet && summary_table(&summary, g))
		goto out;

	memset(&xopts, 0, sizeof(xopts));
	xopts.size_by = XREF_METRIC_PAGERANK;
	xopts.labels = 0;
	if (cli_write_graph(paths[1], xref_export_json, g, &xopts) ||
	    cli_write_graph(paths[2], xref_export_dot, g, &xopts))
		goto out;
	err = xref_graph_keep_top(g, XREF_METRIC_PAGERANK, (size_t)top);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	xopts.labels = BUILD_SVG_LABELS;
	if (cli_write_graph(paths[3], xref_export_svg, g, &xopts))
		goto out;

	if (!quiet) {
		printf("%ld documents, %ld entities, %ld links\n\n",
		       counts.documents, counts.entities, counts.edges);
		if (xref_table_rows(summary)) {
			if (xref_table_write(summary, XREF_TABLE_TABLE,
					     stdout)) {
				/* main reports the write error */
				cli_stdout_failed();
				goto out;
			}
			putchar('\n');
		}
		for (i = 0; i < 4; i++)
			printf("wrote %s\n", paths[i]);
	}
	if (strict && stats.warnings) {
		cli_error("%zu warning%s; failing because of --strict",
			  stats.warnings, stats.warnings == 1 ? "" : "s");
		goto out;
	}
	ret = CLI_OK;
out:
	for (i = 0; i < 4; i++)
		free(paths[i]);
	xref_table_free(summary);
	xref_graph_free(g);
	xref_case_free(c);
	xref_recognizer_free(r);
	free(watchlists);
	return ret;
}
