/*
 * xref build: the whole job in one command. Inputs are read into a fresh
 * case file (build is a full rebuild, ingest is the incremental command),
 * built in bulk beside DIR/xref.db and renamed over it once complete, so
 * a failed or killed build leaves the previous one (see
 * xref_case_publish()); the graph is loaded from the finished but
 * unpublished case, then one thread loads its evidence (through a second
 * connection) while the main thread computes the metrics and lays the
 * graph out (neither needs evidence), and another sorts the case's
 * indexes, the longest step after the ingest, meanwhile and while the
 * main thread writes the files (see case_work). Loading the evidence and
 * then indexing on one thread was rejected: on a large case that chain
 * was longer than everything else after the ingest, with a core idle at
 * its end. The case is renamed into place last, once every file is
 * written. The four centralities are computed once, and every format is
 * written atomically:
 * the whole graph as graph.json, graph.dot, graph.graphml, graph.gexf,
 * graph.cytoscape.json, graph.graphology.json and csv/ (nodes, edges,
 * evidence), then the top nodes by PageRank as the drawn maps graph.svg
 * and graph.html. The three formats with positions share one sfdp layout.
 * The files that need neither Graphviz nor the layout (JSON, GraphML, CSV)
 * are written on a second thread beside the ones that do, at a lower
 * priority: indexing the case is the longest step of a large build's
 * end, so it goes first and that thread takes what is left. Splitting the
 * Graphviz files across threads was rejected: Graphviz is not thread-safe.
 * What stays bounded on large cases (evidence per link within a budget,
 * betweenness sampled above 2,000 entities, the layout's ties) is decided
 * in graph/ and export/ and shared with `xref export`, which must write
 * the same bytes; --help states it for the reporter.
 * A short summary goes to stdout. The Neo4j files are left to `xref
 * export --format neo4j`: they repeat the CSV with other headers, and few
 * cases end up in Neo4j.
 *
 * The shared filters (cli/filter.h) choose the graph the files hold, as
 * for `xref export`; ingesting reads everything regardless. --color
 * community finds the communities of that graph (Leiden) and colours the
 * maps and the files with colours by them.
 *
 * Everything that can fail cheaply (options, watchlists, missing inputs) is
 * checked before the ingest starts. The summary's top ten are taken before the graph is cut
 * down for the maps, so they rank the whole (filtered) network.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/filter.h"
#include "graph/thread.h"
#include "ingest/buf.h"

#define BUILD_SVG_TOP 150      /* nodes drawn in graph.svg */
#define BUILD_SVG_LABELS 40    /* nodes labelled in graph.svg */
#define BUILD_SUMMARY_TOP 10   /* entities listed in the summary */

static const char options_help[] =
	"options:\n"
	"  -o, --output DIR        write into DIR (default: out); an existing\n"
	"                          DIR/xref.db is replaced, not added to\n"
	"  -w, --watchlist FILE    entities you know: lines of\n"
	"                          name<TAB>type<TAB>alias|alias; may be repeated\n"
	"      --window W          co-occurrence window: sentence (default),\n"
	"                          paragraph or document\n"
	"      --top N             nodes drawn in graph.svg and graph.html, ranked\n"
	"                          by PageRank (default 150; 0 draws all)\n"
	"      --color C           colour the maps and the files with colours by\n"
	"                          type (default) or community\n"
	"  -q, --quiet             no progress line and no summary\n"
	"      --strict            exit 1 (after finishing) when any input had a\n"
	"                          warning\n"
	"      --timings           print on stderr when each stage ended, in\n"
	"                          seconds of wall-clock and CPU time\n"
	"  -h, --help              show this help\n"
	"\n"
	"INPUT is a file, a directory (read recursively, in sorted order) or -\n"
	"for standard input: .txt, .md, .html/.htm, .jsonl/.ndjson.\n"
	"\n"
	"Writes into DIR: xref.db (the case file, with every evidence sentence);\n"
	"the whole graph as graph.json (node-link JSON with evidence), graph.dot,\n"
	"graph.graphml, graph.gexf, graph.cytoscape.json, graph.graphology.json\n"
	"and csv/nodes.csv, csv/edges.csv, csv/evidence.csv; the top N nodes as\n"
	"graph.svg (a map, labels on the 40 most central) and graph.html (the same\n"
	"map with search, pan and zoom and the evidence of every tie; open it in a\n"
	"browser). Then prints the counts and the 10 most central entities.\n"
	"Files that cannot be read are warnings on stderr; the build goes on.\n"
	"\n"
	"Large graphs stay bounded: graph.json, graph.html and csv/evidence.csv\n"
	"hold the newest 20 evidence sentences per link, or 3,000,000 / links\n"
	"when the graph has more than 150,000 links (5 per link at 600,000);\n"
	"`xref evidence` reads all of them from the case file. Betweenness is\n"
	"exact up to 2,000 entities and above that estimated from 500 sources\n"
	"per connected component drawn with seed 1 (about 10% error for the\n"
	"most central). The positions in graph.gexf, graph.cytoscape.json and\n"
	"graph.graphology.json come from sfdp, which above 30,000 links follows\n"
	"only each entity's 8 strongest links, and above 20,000 entities gives\n"
	"way to a spiral.\n"
	"The filters below choose the graph written (all documents are read).\n"
	"\n";

enum {
	OPT_WINDOW = 256,
	OPT_TOP,
	OPT_STRICT,
	OPT_COLOR,
	OPT_TIMINGS,
};

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "watchlist", required_argument, NULL, 'w' },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "timings", no_argument, NULL, OPT_TIMINGS },
	{ "help", no_argument, NULL, 'h' },
	CLI_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* The files build writes (xref.db first: the case file ingested into;
 * the csv directory is created before the files in it). PASS_DRAWN files
 * hold the top nodes only and are written after the graph is cut down;
 * the others hold the whole graph. A writer_ex takes the shared layout and
 * the colour choice. */
typedef int (*writer_ex)(const struct xref_graph *g,
			 const struct xref_export_opts *opts,
			 const struct xref_export_ex *ex, FILE *out);

/* When a file is written: PASS_SIDE files need neither Graphviz nor the
 * layout and are written on a second thread while the main one lays the
 * graph out and writes the PASS_MAIN files; PASS_DRAWN files (the maps)
 * come after the graph is cut down to its top nodes. */
enum pass { PASS_MAIN, PASS_SIDE, PASS_DRAWN };

struct output {
	const char *name;
	cli_graph_writer writer;
	writer_ex writer_ex;
	enum pass pass;
};

#define CSV_DIR "csv"

static const struct output outputs[] = {
	{ "xref.db", NULL, NULL, PASS_MAIN }, /* must stay first: OUT_DB */
	{ "graph.json", xref_export_json, NULL, PASS_SIDE },
	{ "graph.dot", xref_export_dot, NULL, PASS_MAIN },
	{ "graph.graphml", xref_export_graphml, NULL, PASS_SIDE },
	{ "graph.gexf", NULL, xref_export_gexf_ex, PASS_MAIN },
	{ "graph.cytoscape.json", NULL, xref_export_cytoscape_ex, PASS_MAIN },
	{ "graph.graphology.json", NULL, xref_export_graphology_ex, PASS_MAIN },
	{ CSV_DIR "/nodes.csv", xref_export_csv_nodes, NULL, PASS_SIDE },
	{ CSV_DIR "/edges.csv", xref_export_csv_edges, NULL, PASS_SIDE },
	{ CSV_DIR "/evidence.csv", xref_export_csv_evidence, NULL, PASS_SIDE },
	{ "graph.svg", NULL, xref_export_svg_ex, PASS_DRAWN },
	{ "graph.html", NULL, xref_export_html_ex, PASS_DRAWN },
};

enum { OUT_DB = 0 };

#define N_OUTPUTS (sizeof(outputs) / sizeof(outputs[0]))

/*
 * --timings: one line on stderr as each stage ends, with the wall-clock
 * seconds since the build started and the CPU seconds of every thread so
 * far, so a data team can see where a large build spends its time. Stages
 * that overlap another thread's work say so in their name.
 */
struct timings {
	bool on;
	double wall0, cpu0;
};

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static void timings_start(struct timings *t, bool on)
{
	t->on = on;
	t->wall0 = wall_now();
	t->cpu0 = cpu_now();
}

static void timing(const struct timings *t, const char *stage)
{
	if (t->on)
		fprintf(stderr, "xref: %-46s %8.2f s wall %8.2f s CPU\n",
			stage, wall_now() - t->wall0, cpu_now() - t->cpu0);
}

/* Writes path with a writer_ex, atomically; as cli_write_graph(). */
static int write_ex_path(const char *path, writer_ex w,
			 const struct xref_graph *g,
			 const struct xref_export_opts *opts,
			 const struct xref_export_ex *ex)
{
	struct cli_output o;
	int err, ret = -1;

	if (cli_output_open(&o, path))
		goto out;
	err = w(g, opts, ex, o.fp);
	if (err) {
		cli_error("cannot write '%s': %s", path,
			  *xref_error_last() ? xref_error_last()
					     : xref_status_str(err));
		goto out;
	}
	ret = cli_output_commit(&o);
out:
	cli_output_abort(&o);
	return ret;
}

/* Writes the outputs of one pass. -1 on failure, with the message
 * printed. */
static int write_outputs(char *const *paths, enum pass pass,
			 const struct xref_graph *g,
			 const struct xref_export_opts *opts,
			 const struct xref_export_ex *ex)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < N_OUTPUTS; i++) {
		if (outputs[i].pass != pass)
			continue;
		if (outputs[i].writer)
			ret = cli_write_graph(paths[i], outputs[i].writer, g,
					      opts);
		else if (outputs[i].writer_ex)
			ret = write_ex_path(paths[i], outputs[i].writer_ex, g,
					    opts, ex);
	}
	return ret;
}

/*
 * The second thread of the whole-graph files. The graph and the options
 * are only read until it is joined; it shares nothing else with the main
 * thread (errors are per thread, stdio locks its streams). Graphviz keeps
 * global state, so every file that goes through it stays on the main
 * thread.
 */
struct side {
	char *const *paths;
	const struct xref_graph *g;
	const struct xref_export_opts *opts;
	int ret;
};

static void *side_main(void *arg)
{
	struct side *s = arg;

	/* These files are not needed before the maps, and the case thread
	 * indexing meanwhile is the build's longest step: it goes first. */
	xref_thread_lower_priority(XREF_THREAD_BACKGROUND);
	s->ret = write_outputs(s->paths, PASS_SIDE, s->g, s->opts, NULL);
	return NULL;
}

/* Writes every whole-graph file, the PASS_SIDE ones on a second thread
 * when one can be started; ex->xy holds the layout. */
static int write_whole(char *const *paths, const char *csv_dir,
		       const struct xref_graph *g,
		       const struct xref_export_opts *xopts,
		       const struct xref_export_ex *ex,
		       const struct timings *tm)
{
	struct side side = { paths, g, xopts, 0 };
	pthread_t thread;
	bool started;
	int ret;

	if (cli_mkdirs(csv_dir))
		return -1;
	started = pthread_create(&thread, NULL, side_main, &side) == 0;
	ret = write_outputs(paths, PASS_MAIN, g, xopts, ex);
	timing(tm, "files with positions written (others beside)");
	if (started)
		pthread_join(thread, NULL);
	else
		side_main(&side);
	return ret || side.ret ? -1 : 0;
}

/*
 * The work on the case file once the graph is loaded from it without
 * evidence, on two threads beside the main one. The evidence thread loads
 * the evidence through a second connection (xref_case_open_reader())
 * while the main thread computes the metrics (which write other fields of
 * the graph), then frees that connection and says so. The case thread
 * meanwhile creates the case's indexes (xref_case_index()), the longest
 * step after the ingest, then waits for the reader to be gone and seals
 * the case (xref_case_seal()). Where no second connection can be had, the
 * case thread loads the evidence from the case first. The main thread
 * touches the evidence only once `loaded` is set, and the case only once
 * the case thread is joined; it publishes the case (a rename) after every
 * file is written, so a build that fails leaves the old case. Errors are
 * per thread, so messages are copied out.
 */
struct case_work {
	struct xref_case *c;
	struct xref_case *reader; /* NULL: the evidence is read from c */
	struct xref_graph *g;
	const struct xref_graph_filter *evidence;
	bool threaded; /* lock and cond are in use */
	bool own_evidence; /* no evidence thread: the case thread loads it */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool loaded;     /* the evidence step is over, the reader freed */
	int ev_err, err; /* of loading the evidence, of indexing and sealing */
	char ev_msg[512], msg[512];
};

static void copy_error(char *msg, size_t size, int err)
{
	snprintf(msg, size, "%s",
		 *xref_error_last() ? xref_error_last() : xref_status_str(err));
}

/* Loads the evidence, from the reader when there is one (which it then
 * frees), and says so. */
static void load_evidence(struct case_work *w)
{
	int err;

	err = xref_graph_load_evidence_filtered(
		w->g, w->reader ? w->reader : w->c, w->evidence);
	if (err)
		copy_error(w->ev_msg, sizeof(w->ev_msg), err);
	xref_case_free(w->reader);
	if (w->threaded)
		pthread_mutex_lock(&w->lock);
	w->reader = NULL;
	w->ev_err = err;
	w->loaded = true;
	if (w->threaded) {
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
}

static void *evidence_main(void *arg)
{
	load_evidence(arg);
	return NULL;
}

/* Waits until the evidence step is over; its error. */
static int wait_evidence(struct case_work *w)
{
	if (w->threaded) {
		pthread_mutex_lock(&w->lock);
		while (!w->loaded)
			pthread_cond_wait(&w->cond, &w->lock);
		pthread_mutex_unlock(&w->lock);
	}
	return w->ev_err;
}

/* Indexes the case and, once the evidence is loaded, seals it; loads the
 * evidence first when `with_evidence`. */
static void case_run(struct case_work *w, bool with_evidence)
{
	int err;

	if (with_evidence)
		load_evidence(w);
	err = xref_case_index(w->c);
	/* a failed evidence step fails the build: nothing to seal */
	if (!err && !wait_evidence(w))
		err = xref_case_seal(w->c);
	if (err)
		copy_error(w->msg, sizeof(w->msg), err);
	w->err = err;
}

static void *case_main(void *arg)
{
	struct case_work *w = arg;

	/* (not w->reader, which the evidence thread may have cleared) */
	case_run(w, w->own_evidence);
	return NULL;
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
	struct timings tm;
	struct xref_recognizer *r = NULL;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_table *summary = NULL;
	struct xref_pipeline_stats stats;
	struct xref_case_counts counts;
	struct xref_graph_filter base;
	struct xref_cli_filter filter;
	struct xref_export_opts xopts;
	struct xref_export_ex ex;
	struct xref_graph_filter evidence;
	struct case_work cw;
	pthread_t case_thread, ev_thread;
	bool case_started = false, ev_started = false;
	char *paths[N_OUTPUTS] = { NULL };
	char *csv_dir = NULL;
	double *xy = NULL;
	char **inputs;
	size_t n_inputs, i;
	int opt, fr, err, ret = CLI_FAIL;

	memset(&ex, 0, sizeof(ex));
	memset(&cw, 0, sizeof(cw));
	timings_start(&tm, false);
	cli_filter_init(&filter);
	watchlists = calloc((size_t)argc + 1, sizeof(*watchlists));
	if (!watchlists) {
		cli_error("out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, ":o:w:qh", long_options,
				  NULL)) != -1) {
		fr = cli_filter_parse(&filter, cmd, opt, optarg);
		if (fr < 0) {
			ret = CLI_USAGE;
			goto out;
		}
		if (fr > 0)
			continue;
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
		case OPT_TIMINGS:
			tm.on = true;
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
	if (cli_filter_check(&filter, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}

	timings_start(&tm, tm.on);
	if (cli_recognizer_load(&r, watchlists, n_watchlists))
		goto out;
	if (cli_check_inputs(inputs, n_inputs))
		goto out;
	for (i = 0; i < N_OUTPUTS; i++) {
		paths[i] = cli_path_join(dir, outputs[i].name);
		if (!paths[i])
			goto out;
	}
	csv_dir = cli_path_join(dir, CSV_DIR);
	if (!csv_dir)
		goto out;
	if (cli_mkdirs(dir))
		goto out;

	err = xref_case_open(&c, paths[OUT_DB], XREF_CASE_BULK, window);
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
	timing(&tm, "ingest done");
	err = xref_case_finish(c);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	timing(&tm, "case finished");

	/* The graph first, its evidence on another thread (see case_work). */
	memset(&base, 0, sizeof(base));
	if (cli_filter_load(&g, c, &filter, &base))
		goto out;
	timing(&tm, "graph loaded");
	memset(&evidence, 0, sizeof(evidence));
	evidence.since = filter.since;
	evidence.until = filter.until;
	evidence.max_evidence = XREF_BUILD_MAX_EVIDENCE;
	evidence.evidence_budget = XREF_BUILD_EVIDENCE_BUDGET;
	cw.c = c;
	cw.g = g;
	cw.evidence = &evidence;
	/* No second connection (a file system without WAL): the case
	 * thread reads the evidence before indexing. */
	if (xref_case_open_reader(&cw.reader, c))
		cw.reader = NULL;
	if (pthread_mutex_init(&cw.lock, NULL) == 0) {
		if (pthread_cond_init(&cw.cond, NULL) == 0)
			cw.threaded = true;
		else
			pthread_mutex_destroy(&cw.lock);
	}
	if (cw.threaded && cw.reader) {
		ev_started = pthread_create(&ev_thread, NULL, evidence_main,
					    &cw) == 0;
		if (!ev_started) {
			xref_case_free(cw.reader);
			cw.reader = NULL;
		}
	}
	cw.own_evidence = !ev_started;
	if (cw.threaded)
		case_started = pthread_create(&case_thread, NULL, case_main,
					      &cw) == 0;
	/* Without threads, everything in turn. */
	if (!case_started) {
		case_run(&cw, cw.own_evidence);
		if (cw.err) {
			cli_error("%s", cw.msg);
			goto out;
		}
	}
	if ((err = xref_graph_compute_standard(g, NULL))) {
		cli_error_last(err);
		goto out;
	}
	if (ex.color == XREF_COLOR_COMMUNITY &&
	    (err = xref_graph_communities(g, NULL, NULL, NULL))) {
		cli_error_last(err);
		goto out;
	}
	if (!quiet && summary_table(&summary, g))
		goto out;
	timing(&tm, "metrics done (evidence, indexing beside)");
	/* The layout needs no evidence: it runs while the evidence loads. */
	memset(&xopts, 0, sizeof(xopts));
	xopts.size_by = XREF_METRIC_PAGERANK;
	xopts.labels = 0;
	err = xref_export_layout(&xy, g, &xopts);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	ex.xy = xy;
	timing(&tm, "layout done (evidence, indexing beside)");
	if (wait_evidence(&cw)) {
		cli_error("%s", cw.ev_msg);
		goto out;
	}
	timing(&tm, "evidence loaded");
	if (write_whole(paths, csv_dir, g, &xopts, &ex, &tm))
		goto out;
	timing(&tm, "whole-graph files written (indexing beside)");
	err = xref_graph_keep_top(g, XREF_METRIC_PAGERANK, (size_t)top);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	xopts.labels = BUILD_SVG_LABELS;
	ex.xy = NULL; /* the layout was of the whole graph */
	if (write_outputs(paths, PASS_DRAWN, g, &xopts, &ex))
		goto out;
	timing(&tm, "maps written");

	if (case_started) {
		pthread_join(case_thread, NULL);
		case_started = false;
		if (cw.err) {
			cli_error("%s", cw.msg);
			goto out;
		}
	}
	err = xref_case_publish(c);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	timing(&tm, "case published");
	err = xref_case_counts(c, &counts);
	if (err) {
		cli_error_last(err);
		goto out;
	}
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
		for (i = 0; i < N_OUTPUTS; i++)
			printf("wrote %s\n", paths[i]);
	}
	if (strict && stats.warnings) {
		cli_error("%zu warning%s; failing because of --strict",
			  stats.warnings, stats.warnings == 1 ? "" : "s");
		goto out;
	}
	ret = CLI_OK;
out:
	if (case_started)
		pthread_join(case_thread, NULL);
	if (ev_started)
		pthread_join(ev_thread, NULL);
	if (cw.threaded) {
		pthread_cond_destroy(&cw.cond);
		pthread_mutex_destroy(&cw.lock);
	}
	xref_case_free(cw.reader);
	for (i = 0; i < N_OUTPUTS; i++)
		free(paths[i]);
	free(xy);
	free(csv_dir);
	xref_table_free(summary);
	xref_graph_free(g);
	xref_case_free(c);
	xref_recognizer_free(r);
	free(watchlists);
	return ret;
}
