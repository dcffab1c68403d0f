/*
 * The entity and tie filters every graph command shares: types, minimum
 * mentions and documents, a stop list, a date range, the ego network, and
 * tie strength (--weight, --min-weight, --backbone).
 *
 * A command adds CLI_FILTER_OPTIONS to its getopt_long table, hands every
 * option getopt returns to cli_filter_parse() first, appends
 * CLI_FILTER_HELP to its --help, and loads its graph with
 * cli_filter_load():
 *
 *	static const struct option long_options[] = {
 *		{ "case", required_argument, NULL, OPT_CASE },
 *		CLI_FILTER_OPTIONS,
 *		{ NULL, 0, NULL, 0 },
 *	};
 *	...
 *	struct xref_cli_filter f;
 *	cli_filter_init(&f);
 *	while ((opt = getopt_long(...)) != -1) {
 *		int r = cli_filter_parse(&f, cmd, opt, optarg);
 *		if (r < 0) { ret = CLI_USAGE; goto out; }
 *		if (r > 0) continue;
 *		switch (opt) { ... }
 *	}
 *	if (cli_filter_check(&f, cmd)) { ret = CLI_USAGE; goto out; }
 *	...
 *	if (cli_filter_load(&g, c, &f, NULL)) goto out;
 *
 * Option values of the command's own options must stay below
 * CLI_FILTER_OPT_FIRST.
 */
#ifndef XREF_CLI_FILTER_H
#define XREF_CLI_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "graph/graph.h"

enum {
	CLI_FILTER_OPT_FIRST = 0x4000,
	CLI_OPT_FILTER_TYPE = CLI_FILTER_OPT_FIRST,
	CLI_OPT_FILTER_MIN_MENTIONS,
	CLI_OPT_FILTER_MIN_DOCUMENTS,
	CLI_OPT_FILTER_STOP,
	CLI_OPT_FILTER_SINCE,
	CLI_OPT_FILTER_UNTIL,
	CLI_OPT_FILTER_EGO,
	CLI_OPT_FILTER_DEPTH,
	CLI_OPT_FILTER_WEIGHT,
	CLI_OPT_FILTER_MIN_WEIGHT,
	CLI_OPT_FILTER_BACKBONE,
	CLI_FILTER_OPT_END
};

/* The struct option entries, to paste into a getopt_long table. */
#define CLI_FILTER_OPTIONS                                                    \
	{ "type", required_argument, NULL, CLI_OPT_FILTER_TYPE },             \
	{ "min-mentions", required_argument, NULL,                            \
	  CLI_OPT_FILTER_MIN_MENTIONS },                                      \
	{ "min-documents", required_argument, NULL,                           \
	  CLI_OPT_FILTER_MIN_DOCUMENTS },                                     \
	{ "stop-entities", required_argument, NULL, CLI_OPT_FILTER_STOP },    \
	{ "since", required_argument, NULL, CLI_OPT_FILTER_SINCE },           \
	{ "until", required_argument, NULL, CLI_OPT_FILTER_UNTIL },           \
	{ "ego", required_argument, NULL, CLI_OPT_FILTER_EGO },               \
	{ "depth", required_argument, NULL, CLI_OPT_FILTER_DEPTH },           \
	{ "weight", required_argument, NULL, CLI_OPT_FILTER_WEIGHT },         \
	{ "min-weight", required_argument, NULL, CLI_OPT_FILTER_MIN_WEIGHT }, \
	{ "backbone", required_argument, NULL, CLI_OPT_FILTER_BACKBONE }

/* The usage fragment of the filter options, for a command's usage line. */
#define CLI_FILTER_USAGE                                                      \
	"[--type T[,T...]] [--min-mentions N] [--min-documents N] "           \
	"[--stop-entities FILE] [--since DATE] [--until DATE] "               \
	"[--ego NAME [--depth N]] [--weight count|npmi|jaccard] "             \
	"[--min-weight W] [--backbone ALPHA]"

/* The --help text of the filter options (static). */
extern const char cli_filter_help[];

struct xref_cli_filter {
	unsigned type_mask;         /* --type; 0: all */
	long min_mentions;          /* --min-mentions */
	long min_documents;         /* --min-documents */
	const char *stop_file;      /* --stop-entities (borrowed from argv) */
	const char *since, *until;  /* --since, --until (borrowed) */
	const char *ego;            /* --ego (borrowed) */
	long depth;                 /* --depth; -1 when not given */
	enum xref_weight weight;    /* --weight */
	double min_weight;          /* --min-weight; 0: none */
	double backbone;            /* --backbone; 0: none */
};

/* Parses a whole string as a finite decimal number in [min, max] ('.' as
 * the decimal point). 0 or -1. */
int cli_parse_double(double *out, const char *s, double min, double max);

/* Everything off: no filter, count weights. */
void cli_filter_init(struct xref_cli_filter *f);

/* Handles option `opt` (getopt_long's return value) with argument `arg`
 * when it is a filter option: returns 1 when handled, 0 when `opt` is not
 * a filter option, -1 after printing a usage error (the caller exits with
 * CLI_USAGE). */
int cli_filter_parse(struct xref_cli_filter *f, const struct cli_cmd *cmd,
		     int opt, const char *arg);

/* Checks the options together (--depth needs --ego, the date range is not
 * empty). Prints a usage error and returns -1 when they do not fit. */
int cli_filter_check(const struct xref_cli_filter *f, const struct cli_cmd *cmd);

/* Reads the stop list file: one name, alias or id per line; blank lines
 * and lines starting with '#' are skipped, surrounding blanks trimmed.
 * *names (each string and the array) is owned by the caller
 * (cli_filter_names_free()). Prints "cannot read 'PATH': ..." and returns
 * -1 on failure. */
int cli_filter_read_stop(char ***names, size_t *n, const char *path);
void cli_filter_names_free(char **names, size_t n);

/* Loads the graph of case `c` through f on top of `base` (may be NULL:
 * the type mask, min_weight and evidence settings of base are kept unless
 * f sets them). Prints the error (with the ego's candidates when it is
 * ambiguous) and returns -1 on failure. */
int cli_filter_load(struct xref_graph **out, struct xref_case *c,
		    const struct xref_cli_filter *f,
		    const struct xref_graph_filter *base);

#endif
