/*
 * xref evidence: the sentences behind a tie, or behind an entity's
 * mentions, so that a reporter can check every link against its source
 * before publishing.
 *
 * One row per window (a sentence with the default window) in which both
 * entities occur; with one entity, one row per sentence that mentions it.
 * Newest document first, undated last, then by document id and position,
 * so the first row is the most recent source. The table, TSV and CSV forms
 * mark the names in the sentence [[like this]]; JSON gives the plain text
 * with the mentions' byte offsets into it, which is what a program that
 * highlights or re-checks them needs.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/query.h"

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --since DATE        only documents dated DATE or later\n"
	"      --until DATE        only documents dated DATE or earlier\n"
	"      --limit N           at most N sentences (default: all)\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"A and B are entity names, aliases or ids (as 'xref entities' lists\n"
	"them), matched ignoring case, accents and a leading 'the'. With A and B,\n"
	"lists every sentence in which both occur (the window the case was built\n"
	"with: sentence, paragraph or document); with A alone, every sentence that\n"
	"mentions A. Newest document first, undated last.\n"
	"\n"
	"Dates: YYYY-MM-DD, YYYY-MM or YYYY; a month or a year counts whole, on\n"
	"both sides (a document dated 2021 is kept by --since 2021-06). With a\n"
	"date, undated documents are left out.\n"
	"\n"
	"Columns: date, doc_id, title, url, start and end (the sentence's byte\n"
	"offsets in the document's text), sentence, with each mention of A and B\n"
	"written [[like this]]. JSON: an array of objects {\"doc_id\", \"title\",\n"
	"\"date\", \"url\", \"start\", \"end\", \"text\", \"mentions\": [{\"id\",\n"
	"\"start\", \"end\"}]}: the plain text, and each mention's entity id and\n"
	"byte offsets in the UTF-8 text.\n";

enum {
	OPT_LIMIT = CLI_QUERY_OPT_END,
};

static const struct option long_options[] = {
	{ "limit", required_argument, NULL, OPT_LIMIT },
	CLI_QUERY_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum { C_DATE, C_DOC, C_TITLE, C_URL, C_START, C_END, C_SENTENCE };

static int build_table(struct xref_table **out, const struct xref_hits *hits)
{
	static const struct {
		const char *name;
		enum xref_col_kind kind;
	} cols[] = {
		{ "date", XREF_COL_STRING },  { "doc_id", XREF_COL_STRING },
		{ "title", XREF_COL_STRING }, { "url", XREF_COL_STRING },
		{ "start", XREF_COL_INTEGER }, { "end", XREF_COL_INTEGER },
		{ "sentence", XREF_COL_STRING },
	};
	struct xref_table *t = NULL;
	char *marked = NULL;
	size_t i;
	int err;

	*out = NULL;
	err = xref_table_new(&t);
	for (i = 0; !err && i < sizeof(cols) / sizeof(cols[0]); i++)
		err = xref_table_add_column(t, cols[i].name, cols[i].kind);
	for (i = 0; !err && i < hits->n; i++) {
		const struct xref_evidence *ev = &hits->v[i].ev;

		marked = cli_marked_text(&hits->v[i]);
		if (!marked) {
			err = XREF_ENOMEM;
			break;
		}
		err = xref_table_add_row(t);
		if (!err)
			err = xref_table_set_string(t, C_DATE, ev->date);
		if (!err)
			err = xref_table_set_string(t, C_DOC, ev->doc_id);
		if (!err)
			err = xref_table_set_string(t, C_TITLE, ev->title);
		if (!err)
			err = xref_table_set_string(t, C_URL, ev->url);
		if (!err)
			err = xref_table_set_integer(t, C_START,
						     (long long)ev->start);
		if (!err)
			err = xref_table_set_integer(t, C_END,
						     (long long)ev->end);
		if (!err)
			err = xref_table_set_string(t, C_SENTENCE, marked);
		free(marked);
		marked = NULL;
	}
	if (err) {
		cli_error("%s", err == XREF_ENOMEM ? "out of memory"
						   : xref_error_last());
		xref_table_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

static int print_json(const struct xref_hits *hits, const char *const uids[2])
{
	struct xref_buf b = XREF_BUF_INIT;
	size_t rows = 0, i;
	int ret = CLI_FAIL;

	for (i = 0; i < hits->n; i++) {
		if (cli_json_hit(&b, &hits->v[i], uids)) {
			cli_error("out of memory");
			goto out;
		}
		if (cli_json_row(&b, &rows))
			goto out;
	}
	if (cli_json_end(rows))
		goto out;
	ret = CLI_OK;
out:
	xref_buf_release(&b);
	return ret;
}

int cmd_evidence(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *path;
	struct cli_query_opts q;
	long limit = 0;
	struct xref_case *c = NULL;
	struct xref_entity a = { 0 }, b = { 0 };
	struct xref_hits hits = { 0 };
	struct xref_table *t = NULL;
	const char *uids[2];
	char msg[512];
	int opt, qr, err, n_args, ret = CLI_FAIL;

	cli_query_init(&q);
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) !=
	       -1) {
		qr = cli_query_parse(&q, cmd, opt, optarg);
		if (qr < 0) {
			ret = CLI_USAGE;
			goto out;
		}
		if (qr > 0)
			continue;
		switch (opt) {
		case OPT_LIMIT:
			if (cli_parse_long(&limit, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--limit needs a whole number >= 0, not '%s'",
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
	n_args = argc - optind;
	if (n_args < 1) {
		ret = cli_usage_error(cmd, "no entity given");
		goto out;
	}
	if (n_args > 2) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind + 2]);
		goto out;
	}
	for (int i = 0; i < n_args; i++) {
		if (!*argv[optind + i]) {
			ret = cli_usage_error(cmd, "empty entity name");
			goto out;
		}
	}
	if (cli_dates_finish(&q.dates, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}

	path = cli_case_path(q.case_opt);
	if (cli_case_open_existing(&c, path))
		goto out;
	if (cli_entity_arg(&a, c, path, argv[optind]))
		goto out;
	if (n_args == 2) {
		if (cli_entity_arg(&b, c, path, argv[optind + 1]))
			goto out;
		if (a.id == b.id) {
			cli_error("'%s' and '%s' name the same entity, '%s'",
				  argv[optind], argv[optind + 1], a.name);
			goto out;
		}
	}
	err = xref_query_evidence(&hits, c, a.id, n_args == 2 ? b.id : 0,
				  &q.dates.range, (size_t)limit);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	uids[0] = a.uid;
	uids[1] = n_args == 2 ? b.uid : a.uid;
	if (q.format == XREF_TABLE_JSON) {
		ret = print_json(&hits, uids);
		goto out;
	}
	if (q.format == XREF_TABLE_TABLE && hits.n == 0) {
		if (n_args == 2)
			snprintf(msg, sizeof(msg),
				 "no sentence names both '%s' and '%s'%s",
				 a.name, b.name, cli_dates_note(&q.dates));
		else
			snprintf(msg, sizeof(msg), "no sentence names '%s'%s",
				 a.name, cli_dates_note(&q.dates));
		ret = cli_print_line(msg);
		goto out;
	}
	if (build_table(&t, &hits))
		goto out;
	ret = cli_table_print(t, q.format);
out:
	xref_table_free(t);
	xref_hits_release(&hits);
	xref_entity_release(&a);
	xref_entity_release(&b);
	xref_case_free(c);
	cli_query_release(&q);
	return ret;
}
