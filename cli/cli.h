/*
 * The xref command: the command table entry, one exec function per
 * subcommand (cli/cmd_<name>.c), and helpers they share (cli/common.c).
 *
 * Only cli/ prints or chooses exit codes. Exec functions return an exit
 * code: CLI_OK, CLI_FAIL (runtime or data error) or CLI_USAGE.
 */
#ifndef XREF_CLI_CLI_H
#define XREF_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "export/export.h"
#include "export/table.h"
#include "graph/case.h"
#include "graph/graph.h"
#include "graph/pipeline.h"
#include "ingest/recognize.h"
#include "ingest/status.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
};

struct cli_cmd;

/* argv[0] is the command name; getopt_long state is reset by the caller. */
typedef int (*cli_exec_fn)(const struct cli_cmd *cmd, int argc, char **argv);

struct cli_cmd {
	const char *name;
	cli_exec_fn fn;
	const char *summary; /* one line, for `xref --help` */
	const char *usage;   /* after "usage: ", e.g. "xref build [-o DIR] INPUT..." */
};

int cmd_build(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_ingest(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_centrality(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_communities(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_export(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_eval(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_entities(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_evidence(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_path(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_neighbors(const struct cli_cmd *cmd, int argc, char **argv);

/* --- messages ----------------------------------------------------------- */

/* "xref: MESSAGE\n" on stderr. */
void cli_error(const char *fmt, ...) XREF_PRINTF(1, 2);

/* "xref: " + the library's last error (or the status text when none). */
void cli_error_last(int status);

/* "xref: warning: 'PATH' line N: MSG" (without "line N" when line is 0). */
void cli_warning(const char *path, size_t line, const char *msg);

/* Remembers errno (when set) as the reason standard output failed, right
 * where a write to it fails, for main's one "write error" message. */
void cli_stdout_failed(void);

/* The reason remembered by cli_stdout_failed(), or 0. */
int cli_stdout_errno(void);

/* "xref: MESSAGE" then "usage: USAGE" on stderr; returns CLI_USAGE. */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
	XREF_PRINTF(2, 3);

/* Prints "usage: USAGE\n\nSUMMARY\n\n" then `options` (may be NULL) on
 * stdout, for --help; returns CLI_OK. */
int cli_help(const struct cli_cmd *cmd, const char *options);

/* Reports a getopt_long failure ('?' or ':' returned; optstring must start
 * with ':') as a usage error naming the option; returns CLI_USAGE. */
int cli_bad_option(const struct cli_cmd *cmd, int c, char **argv);

/* Resets getopt for a fresh scan of a new argv (optind = 0, opterr = 0). */
void cli_getopt_reset(void);

/* --- parsing option values ------------------------------------------------ */

/* Parses a whole string as a decimal integer in [min, max]. Leading or
 * trailing junk, empty strings and overflow are errors. 0 or -1. */
int cli_parse_long(long *out, const char *s, long min, long max);

/* Parses --type T[,T...] into a mask of (1u << type) bits; an empty
 * element or an unknown name is a usage error message, returns -1. */
int cli_parse_types(unsigned *mask, const struct cli_cmd *cmd,
		    const char *s);

/* Returns the index of `value` in the NULL-terminated `choices`, or -1. */
int cli_choice(const char *value, const char *const *choices);

/* Comma-joined list of the type names, static ("person, company, ..."). */
const char *cli_type_names(void);

/* --- the case file --------------------------------------------------------- */

/* The case file path: `opt` (from --case) when set, else $XREF_CASE when
 * set and not empty, else "./xref.db". Borrowed. */
const char *cli_case_path(const char *opt);

/* Opens an existing case read-only; prints "cannot open 'PATH': REASON"
 * (or the library's message) and returns -1 on failure. */
int cli_case_open_existing(struct xref_case **out, const char *path);

/* Loads the graph of `c` through `filter` (may be NULL: everything) and
 * computes metrics[0..n_metrics) (NULL, 0: all four). Prints the error and
 * returns -1 on failure. */
int cli_graph_load(struct xref_graph **out, struct xref_case *c,
		   const struct xref_graph_filter *filter,
		   const enum xref_metric *metrics, size_t n_metrics);

/* An export/ writer: xref_export_dot, _svg or _json. */
typedef int (*cli_graph_writer)(const struct xref_graph *g,
				const struct xref_export_opts *opts,
				FILE *out);

/* Writes g with `writer` to `path` atomically ("-": standard output).
 * Prints the error and returns -1 on failure. */
int cli_write_graph(const char *path, cli_graph_writer writer,
		    const struct xref_graph *g,
		    const struct xref_export_opts *opts);

/* Loads a recognizer with built-in knowledge plus the watchlists. Prints
 * the error and returns -1 on failure. */
int cli_recognizer_load(struct xref_recognizer **out,
			const char *const *watchlists, size_t n_watchlists);

/* Checks that each input (other than "-") exists; prints "cannot open
 * 'PATH': REASON" and returns -1 for the first that does not. */
int cli_check_inputs(char *const *inputs, size_t n);

/* --- ingesting ------------------------------------------------------------- */

struct cli_ingest {
	bool progress;  /* show a progress line (set only when stderr is a tty) */
	bool shown;     /* a progress line is on the screen */
	long long last; /* time of the last refresh, in ms */
};

/* Runs the pipeline over inputs with warnings printed and progress shown
 * when `progress`. Prints the error and returns -1 on failure. */
int cli_ingest(struct xref_pipeline_stats *stats, struct xref_case *c,
	       const struct xref_recognizer *r, char *const *inputs,
	       size_t n_inputs, bool progress);

/* "no documents found in 'A', 'B'" */
void cli_error_no_documents(char *const *inputs, size_t n);

/* --- output files ------------------------------------------------------------- */

/* A file written atomically: data goes to PATH.tmp.<pid>, which is flushed,
 * fsync'ed and renamed over PATH on commit; abort removes it. Path "-" or
 * NULL writes to stdout instead (commit then only flushes). */
struct cli_output {
	FILE *fp;
	char *path; /* owned; NULL for stdout */
	char *tmp;  /* owned; NULL for stdout */
};

/* Prints the error and returns -1 on failure. */
int cli_output_open(struct cli_output *o, const char *path);
/* Flushes, syncs, closes and renames; prints "cannot write 'PATH': ..." and
 * returns -1 on failure (the temporary file is then removed). For standard
 * output it only flushes and returns -1 silently on failure: main prints the
 * one "write error" message at exit. */
int cli_output_commit(struct cli_output *o);
/* Closes and removes the temporary file; safe after commit or on a zeroed
 * struct. */
void cli_output_abort(struct cli_output *o);
/* The name for messages: the path, or "standard output". */
const char *cli_output_name(const struct cli_output *o);

/* Joins dir and name with one '/'. Owned by the caller (free()); NULL
 * when out of memory (message printed). */
char *cli_path_join(const char *dir, const char *name);

/* Creates dir and any missing parents (like mkdir -p). Prints the error
 * and returns -1 on failure. */
int cli_mkdirs(const char *dir);

#endif
