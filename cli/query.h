/*
 * Helpers shared by the query commands (entities, evidence, path,
 * neighbors): entity arguments, date options, marked sentences, and the
 * output of rows as a table or as JSON.
 */
#ifndef XREF_CLI_QUERY_H
#define XREF_CLI_QUERY_H

#include <stdio.h>

#include "cli/cli.h"
#include "graph/query.h"
#include "ingest/buf.h"

/* --- options ---------------------------------------------------------- */

/* The --since and --until values of a query command. */
struct cli_dates {
	char *since, *until;          /* YYYY[-MM[-DD]]; owned; NULL when absent */
	struct xref_date_range range; /* from both, after cli_dates_finish() */
};

/* Checks one date value for `option` ("--since" or "--until") and keeps a
 * copy in *slot (replacing an earlier one). Anything but YYYY, YYYY-MM or
 * YYYY-MM-DD is a usage error (printed; returns -1), as for the graph
 * commands' filter options. */
int cli_dates_set(char **slot, const struct cli_cmd *cmd, const char *option,
		  const char *value);

/* Sets d->range from since and until; an empty range is a usage error
 * (printed, returns -1). */
int cli_dates_finish(struct cli_dates *d, const struct cli_cmd *cmd);

/* " (documents dated from X to Y)", " (documents dated from X)", ... or ""
 * without dates. Static buffer, valid until the next call. */
const char *cli_dates_note(const struct cli_dates *d);

void cli_dates_release(struct cli_dates *d);

/* Parses --format; a bad value is a usage error (printed, returns -1). */
int cli_format_parse(enum xref_table_format *out, const struct cli_cmd *cmd,
		     const char *value);

/* The options every query command takes: --case, --since, --until and
 * --format. A command puts CLI_QUERY_OPTIONS in its getopt table and
 * numbers its own long options from CLI_QUERY_OPT_END. */
enum {
	CLI_OPT_CASE = 256,
	CLI_OPT_SINCE,
	CLI_OPT_UNTIL,
	CLI_OPT_FORMAT,
	CLI_QUERY_OPT_END,
};

#define CLI_QUERY_OPTIONS                                            \
	{ "case", required_argument, NULL, CLI_OPT_CASE },           \
	{ "since", required_argument, NULL, CLI_OPT_SINCE },         \
	{ "until", required_argument, NULL, CLI_OPT_UNTIL },         \
	{ "format", required_argument, NULL, CLI_OPT_FORMAT }

struct cli_query_opts {
	const char *case_opt; /* --case (argv's), NULL when absent */
	struct cli_dates dates;
	enum xref_table_format format; /* default XREF_TABLE_TABLE */
};

/* Sets the defaults: no case option, no dates, the table format. */
void cli_query_init(struct cli_query_opts *q);

/* Takes getopt's (opt, arg) when it is one of the shared options: returns
 * 1 when it was (stored), 0 when it is the command's own, -1 after
 * printing a usage error (exit CLI_USAGE). */
int cli_query_parse(struct cli_query_opts *q, const struct cli_cmd *cmd,
		    int opt, const char *arg);

/* Releases what cli_query_parse() kept (the dates). */
void cli_query_release(struct cli_query_opts *q);

/* --- entities ------------------------------------------------------------ */

/*
 * Resolves an entity argument (name, alias or uid; see
 * xref_query_lookup()). When nothing or several things match, prints
 *   xref: no entity named 'X' in 'CASE'; closest:
 *     <uid>  <name> (<type>)
 * or
 *   xref: 'X' names N entities; give one by its id:
 *     <uid>  <name> (<type>)
 * and returns -1 (exit 1). *out is released by the caller.
 */
int cli_entity_arg(struct xref_entity *out, struct xref_case *c,
		   const char *case_path, const char *arg);

/* --- output -------------------------------------------------------------- */

/* The window's text with every mark written [[like this]]. Owned by the
 * caller (free()); NULL when out of memory. */
char *cli_marked_text(const struct xref_hit *hit);

/* Writes t to standard output in format f. Returns CLI_OK or CLI_FAIL
 * (printed, except write errors on stdout, which main reports). */
int cli_table_print(const struct xref_table *t, enum xref_table_format f);

/* For the table format without rows: prints `message` and a newline
 * instead of a lone header line. Returns CLI_OK or CLI_FAIL. */
int cli_print_line(const char *message);

/*
 * JSON values appended to a buffer: separators are added as needed, so an
 * object is written as open, key, value, key, value..., close. Strings are
 * escaped for strict JSON that is also safe inside HTML: '<' as \u003c,
 * control characters, DEL, C1 controls, U+2028 and U+2029 as \uXXXX;
 * invalid UTF-8 becomes U+FFFD. Each returns 0 or XREF_ENOMEM.
 */
int cli_json_open(struct xref_buf *b, char bracket);  /* '{' or '[' */
int cli_json_close(struct xref_buf *b, char bracket); /* '}' or ']' */
int cli_json_key(struct xref_buf *b, const char *key);
int cli_json_string(struct xref_buf *b, const char *s); /* NULL: null */
int cli_json_int(struct xref_buf *b, long long v);

/* An evidence window as a JSON object: {"doc_id", "title", "date", "url",
 * "start", "end", "text", "mentions": [{"id", "start", "end"}]}, where a
 * mention's id is uids[mark.which] and its offsets are bytes of text. */
int cli_json_hit(struct xref_buf *b, const struct xref_hit *hit,
		 const char *const uids[2]);

/* Streams a JSON array of rows to standard output: "[" and one row per
 * line, then "]". cli_json_row() writes the object in b (and clears b);
 * cli_json_end() closes the array. Both return 0, or -1 after a write
 * error (cli_stdout_failed() called; main reports it). */
int cli_json_row(struct xref_buf *b, size_t *rows);
int cli_json_end(size_t rows);

#endif
