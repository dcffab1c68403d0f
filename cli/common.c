/*
 * Helpers shared by the subcommands: messages, option values, the case
 * file, the ingest run with its progress line, and atomic output files.
 *
 * Messages follow one shape ("xref: " + lowercase text, subjects in
 * quotes) and all go through here, so every command reads alike. Output
 * files are written to a temporary name beside the target and renamed into
 * place after fsync, so a reader never sees half a file and a failed run
 * leaves the previous file intact; the alternative (writing in place) would
 * leave a truncated graph.json after a full disk.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/buf.h"
#include "ingest/entity.h"

/* Metrics and evidence every loaded graph gets. */
static const enum xref_metric all_metrics[] = {
	XREF_METRIC_DEGREE,
	XREF_METRIC_STRENGTH,
	XREF_METRIC_BETWEENNESS,
	XREF_METRIC_PAGERANK,
};

static int stdout_errno;

void cli_stdout_failed(void)
{
	if (!stdout_errno && errno)
		stdout_errno = errno;
}

int cli_stdout_errno(void)
{
	return stdout_errno;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("xref: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error_last(int status)
{
	const char *msg = xref_error_last();

	cli_error("%s", msg && *msg ? msg : xref_status_str(status));
}

void cli_warning(const char *path, size_t line, const char *msg)
{
	if (line)
		fprintf(stderr, "xref: warning: '%s' line %zu: %s\n", path,
			line, msg);
	else
		fprintf(stderr, "xref: warning: '%s': %s\n", path, msg);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("xref: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", cmd->usage);
	return CLI_USAGE;
}

int cli_help(const struct cli_cmd *cmd, const char *options)
{
	printf("usage: %s\n\n%s\n", cmd->usage, cmd->summary);
	if (options)
		printf("\n%s", options);
	return CLI_OK;
}

void cli_getopt_reset(void)
{
	/* glibc: 0 reinitialises getopt completely, unlike 1 */
	optind = 0;
	opterr = 0;
}

int cli_bad_option(const struct cli_cmd *cmd, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	size_t len = strcspn(arg, "=");

	if (c == ':') {
		if (optopt && optopt != '?' && strncmp(arg, "--", 2) != 0)
			return cli_usage_error(cmd, "option '-%c' needs a value",
					       optopt);
		return cli_usage_error(cmd, "option '%.*s' needs a value",
				       (int)len, arg);
	}
	if (optopt)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%.*s'", (int)len, arg);
}

int cli_parse_long(long *out, const char *s, long min, long max)
{
	char *end = NULL;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *cli_type_names(void)
{
	return "person, company, government, organization, media, country, "
	       "location, target";
}

int cli_parse_types(unsigned *mask, const struct cli_cmd *cmd,
		    const char *s)
{
	const char *p = s;

	*mask = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		enum xref_type t;
		char name[32];

		if (len == 0 || len >= sizeof(name)) {
			cli_usage_error(cmd, "invalid --type '%s' (types: %s)",
					s, cli_type_names());
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (xref_type_parse(&t, name)) {
			cli_usage_error(cmd, "unknown type '%s' (types: %s)",
					name, cli_type_names());
			return -1;
		}
		*mask |= 1u << t;
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

int cli_choice(const char *value, const char *const *choices)
{
	int i;

	for (i = 0; choices[i]; i++)
		if (!strcmp(value, choices[i]))
			return i;
	return -1;
}

const char *cli_case_path(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	env = getenv("XREF_CASE");
	if (env && *env)
		return env;
	return "./xref.db";
}

int cli_case_open_existing(struct xref_case **out, const char *path)
{
	struct stat st;
	int err;

	*out = NULL;
	/* SQLite would happily create an empty file; a query never should */
	if (stat(path, &st) != 0) {
		cli_error("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		cli_error("cannot open '%s': %s", path, strerror(EISDIR));
		return -1;
	}
	err = xref_case_open(out, path, XREF_CASE_READONLY,
			     XREF_WINDOW_SENTENCE);
	if (err) {
		cli_error_last(err);
		xref_case_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_graph_load(struct xref_graph **out, struct xref_case *c,
		   const struct xref_graph_filter *filter,
		   const enum xref_metric *metrics, size_t n_metrics)
{
	size_t i;
	int err;

	*out = NULL;
	if (!metrics) {
		metrics = all_metrics;
		n_metrics = sizeof(all_metrics) / sizeof(all_metrics[0]);
	}
	err = xref_graph_load(out, c, filter);
	if (err)
		goto out;
	for (i = 0; i < n_metrics; i++) {
		err = xref_graph_compute(*out, metrics[i]);
		if (err)
			goto out;
	}
out:
	if (err) {
		cli_error_last(err);
		xref_graph_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_recognizer_load(struct xref_recognizer **out,
			const char *const *watchlists, size_t n_watchlists)
{
	size_t i;
	int err;

	*out = NULL;
	err = xref_recognizer_new(out);
	for (i = 0; !err && i < n_watchlists; i++)
		err = xref_recognizer_add_watchlist(*out, watchlists[i]);
	if (err) {
		cli_error_last(err);
		xref_recognizer_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_check_inputs(char *const *inputs, size_t n)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(inputs[i], "-"))
			continue;
		if (stat(inputs[i], &st) != 0) {
			cli_error("cannot open '%s': %s", inputs[i],
				  strerror(errno));
			return -1;
		}
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_progress(const struct xref_pipeline_stats *stats, void *ctx)
{
	struct cli_ingest *ci = ctx;
	long long t;

	if (!ci->progress)
		return;
	/* a few refreshes a second: the terminal is slower than we are */
	t = now_ms();
	if (ci->shown && t - ci->last < 100)
		return;
	ci->last = t;
	ci->shown = true;
	fprintf(stderr, "\rxref: %zu documents...", stats->read);
	fflush(stderr);
}

static void progress_clear(struct cli_ingest *ci)
{
	if (!ci->shown)
		return;
	/* carriage return, erase to end of line: stderr is a terminal */
	fputs("\r\033[K", stderr);
	fflush(stderr);
	ci->shown = false;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	struct cli_ingest *ci = ctx;

	progress_clear(ci);
	cli_warning(path, line, msg);
}

int cli_ingest(struct xref_pipeline_stats *stats, struct xref_case *c,
	       const struct xref_recognizer *r, char *const *inputs,
	       size_t n_inputs, bool progress)
{
	struct xref_pipeline_opts opts;
	struct cli_ingest ci;
	int err;

	memset(&ci, 0, sizeof(ci));
	ci.progress = progress && isatty(STDERR_FILENO);
	memset(&opts, 0, sizeof(opts));
	opts.batch_size = XREF_PIPELINE_BATCH_DEFAULT;
	opts.on_progress = on_progress;
	opts.on_warn = on_warn;
	opts.ctx = &ci;
	err = xref_pipeline_ingest(stats, c, r, (const char *const *)inputs,
				   n_inputs, &opts);
	progress_clear(&ci);
	if (err) {
		cli_error_last(err);
		return -1;
	}
	return 0;
}

void cli_error_no_documents(char *const *inputs, size_t n)
{
	size_t i;

	fputs("xref: no documents found in ", stderr);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s'%s'", i ? ", " : "", inputs[i]);
	fputc('\n', stderr);
}

char *cli_path_join(const char *dir, const char *name)
{
	struct xref_buf b = XREF_BUF_INIT;
	size_t len = strlen(dir);
	char *s;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (xref_buf_put(&b, dir, len) ||
	    (!(len == 1 && dir[0] == '/') && xref_buf_putc(&b, '/')) ||
	    xref_buf_puts(&b, name)) {
		xref_buf_release(&b);
		cli_error("out of memory");
		return NULL;
	}
	s = xref_buf_detach(&b);
	if (!s)
		cli_error("out of memory");
	return s;
}

int cli_mkdirs(const char *dir)
{
	struct stat st;
	char *p = NULL;
	size_t i, len;
	int ret = -1;

	p = strdup(dir);
	if (!p) {
		cli_error("out of memory");
		goto out;
	}
	len = strlen(p);
	/* every prefix ending before a '/', then the whole path */
	for (i = 1; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		if (i < len && p[i - 1] == '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			cli_error("cannot create directory '%s': %s", p,
				  strerror(errno));
			goto out;
		}
		if (i < len)
			p[i] = '/';
	}
	if (stat(dir, &st) != 0) {
		cli_error("cannot create directory '%s': %s", dir,
			  strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("cannot create directory '%s': %s", dir,
			  strerror(ENOTDIR));
		goto out;
	}
	ret = 0;
out:
	free(p);
	return ret;
}

int cli_write_graph(const char *path, cli_graph_writer writer,
		    const struct xref_graph *g,
		    const struct xref_export_opts *opts)
{
	struct cli_output o;
	int err;

	if (cli_output_open(&o, path))
		return -1;
	err = writer(g, opts, o.fp);
	if (err) {
		/* stdout: main reports the write error once, at exit */
		if (!o.path && err == XREF_EIO)
			cli_stdout_failed();
		if (o.path || err != XREF_EIO || !ferror(stdout))
			cli_error("cannot write '%s': %s", cli_output_name(&o),
				  *xref_error_last() ? xref_error_last()
						     : xref_status_str(err));
		cli_output_abort(&o);
		return -1;
	}
	return cli_output_commit(&o);
}

const char *cli_output_name(const struct cli_output *o)
{
	return o->path ? o->path : "standard output";
}

int cli_output_open(struct cli_output *o, const char *path)
{
	struct xref_buf b = XREF_BUF_INIT;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path ||
	    xref_buf_printf(&b, "%s.tmp.%ld", path, (long)getpid())) {
		cli_error("out of memory");
		goto fail;
	}
	o->tmp = xref_buf_detach(&b);
	if (!o->tmp) {
		cli_error("out of memory");
		goto fail;
	}
	/* O_EXCL-like: a stale temporary of a dead run with our pid is ours */
	unlink(o->tmp);
	o->fp = fopen(o->tmp, "wx");
	if (!o->fp) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	xref_buf_release(&b);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return -1;
}

int cli_output_commit(struct cli_output *o)
{
	int ret = -1;

	if (!o->fp)
		return -1;
	if (!o->path) {
		/* standard output: main reports the write error at exit */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_stdout_failed();
			goto out;
		}
		o->fp = NULL;
		return 0;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
		cli_error("cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		cli_error("cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	o->fp = NULL;
	if (rename(o->tmp, o->path) != 0) {
		cli_error("cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	cli_output_abort(o);
	return ret;
}

void cli_output_abort(struct cli_output *o)
{
	if (o->fp && o->fp != stdout)
		fclose(o->fp);
	if (o->tmp)
		unlink(o->tmp); /* after a rename: ENOENT, harmless */
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
