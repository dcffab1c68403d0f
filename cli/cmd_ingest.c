/*
 * xref ingest: adds documents to a case file (created when missing).
 * Documents already in the case with the same id and content are skipped
 * before recognition, a changed one replaces its older version, and every
 * batch of documents is committed on its own, so re-running after an
 * interruption only redoes the unfinished batch.
 *
 * The window is fixed when a case is created. Asking for a different one
 * on an existing case is an error rather than a silent no-op: links
 * counted by sentence and by paragraph cannot be mixed in one graph.
 *
 * --batch sets the documents per transaction: smaller batches lose less
 * work to a crash, larger ones commit less often. The pipeline is run here
 * rather than through cli_ingest(), which has no batch size; the progress
 * line and the warnings look the same.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db); created when missing\n"
	"  -w, --watchlist FILE    entities you know: lines of\n"
	"                          name<TAB>type<TAB>alias|alias; may be repeated\n"
	"      --window W          co-occurrence window of a new case: sentence\n"
	"                          (default), paragraph or document; an existing\n"
	"                          case keeps its own\n"
	"      --batch N           documents per transaction (default 500); an\n"
	"                          interrupted run loses at most the batch in\n"
	"                          progress\n"
	"  -q, --quiet             no progress line and no summary\n"
	"      --strict            exit 1 (after finishing) when any input had a\n"
	"                          warning\n"
	"  -h, --help              show this help\n"
	"\n"
	"INPUT is a file, a directory (read recursively, in sorted order) or -\n"
	"for standard input: .txt, .md, .html/.htm, .jsonl/.ndjson.\n"
	"A document already in the case with the same id and content is skipped;\n"
	"one with the same id and new content replaces the old version. Prints\n"
	"what changed and the size of the case.\n";

enum {
	OPT_CASE = 256,
	OPT_WINDOW,
	OPT_BATCH,
	OPT_STRICT,
};

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "watchlist", required_argument, NULL, 'w' },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "quiet", no_argument, NULL, 'q' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The progress line: on a terminal only, a few refreshes a second. */
struct progress {
	bool on;        /* stderr is a terminal and --quiet was not given */
	bool shown;     /* a progress line is on the screen */
	long long last; /* time of the last refresh, in ms */
};

static long long now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_progress(const struct xref_pipeline_stats *stats, void *ctx)
{
	struct progress *p = ctx;
	long long t;

	if (!p->on)
		return;
	t = now_ms();
	if (p->shown && t - p->last < 100)
		return;
	p->last = t;
	p->shown = true;
	fprintf(stderr, "\rxref: %zu documents...", stats->read);
	fflush(stderr);
}

static void progress_clear(struct progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	progress_clear(ctx);
	cli_warning(path, line, msg);
}

/* Runs the pipeline; prints the error and returns -1 on failure. */
static int run_ingest(struct xref_pipeline_stats *stats, struct xref_case *c,
		      const struct xref_recognizer *r, char *const *inputs,
		      size_t n_inputs, size_t batch, bool progress)
{
	struct xref_pipeline_opts opts;
	struct progress p;
	int err;

	memset(&p, 0, sizeof(p));
	p.on = progress && isatty(STDERR_FILENO);
	memset(&opts, 0, sizeof(opts));
	opts.batch_size = batch;
	opts.on_progress = on_progress;
	opts.on_warn = on_warn;
	opts.ctx = &p;
	err = xref_pipeline_ingest(stats, c, r, (const char *const *)inputs,
				   n_inputs, &opts);
	progress_clear(&p);
	if (err) {
		cli_error_last(err);
		return -1;
	}
	return 0;
}

int cmd_ingest(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *case_opt = NULL, *path;
	const char **watchlists = NULL;
	size_t n_watchlists = 0;
	enum xref_window window = XREF_WINDOW_SENTENCE;
	bool window_set = false, quiet = false, strict = false;
	long batch = XREF_PIPELINE_BATCH_DEFAULT;
	struct xref_recognizer *r = NULL;
	struct xref_case *c = NULL;
	struct xref_pipeline_stats stats;
	struct xref_case_counts counts;
	char **inputs;
	size_t n_inputs;
	int opt, err, ret = CLI_FAIL;

	watchlists = calloc((size_t)argc + 1, sizeof(*watchlists));
	if (!watchlists) {
		cli_error("out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, ":w:qh", long_options, NULL)) !=
	       -1) {
		switch (opt) {
		case OPT_CASE:
			case_opt = optarg;
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
			window_set = true;
			break;
		case OPT_BATCH:
			if (cli_parse_long(&batch, optarg, 1, 1000000)) {
				ret = cli_usage_error(cmd,
					"--batch needs a whole number from 1 to 1000000, not '%s'",
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
	path = cli_case_path(case_opt);

	if (cli_recognizer_load(&r, watchlists, n_watchlists))
		goto out;
	if (cli_check_inputs(inputs, n_inputs))
		goto out;
	err = xref_case_open(&c, path, XREF_CASE_CREATE, window);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (window_set && xref_case_window(c) != window) {
		cli_error("case '%s' links by %s; --window %s applies only to a new case",
			  path, xref_window_name(xref_case_window(c)),
			  xref_window_name(window));
		goto out;
	}
	if (run_ingest(&stats, c, r, inputs, n_inputs, (size_t)batch, !quiet))
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
	if (!quiet)
		printf("added %zu, replaced %zu, unchanged %zu documents; "
		       "case has %ld documents, %ld entities, %ld links\n",
		       stats.added, stats.replaced, stats.unchanged,
		       counts.documents, counts.entities, counts.edges);
	if (strict && stats.warnings) {
		cli_error("%zu warning%s; failing because of --strict",
			  stats.warnings, stats.warnings == 1 ? "" : "s");
		goto out;
	}
	ret = CLI_OK;
out:
	xref_case_free(c);
	xref_recognizer_free(r);
	free(watchlists);
	return ret;
}
