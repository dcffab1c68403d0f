/*
 * xref path: how two entities are connected, hop by hop, with the sentence
 * that sources each hop.
 *
 * Paths are ranked by hops (fewest first), then by weight (the sum of the
 * hops' tie weights: among equally short chains, the best documented),
 * then by the ids along them; --k asks for more than the best one (the
 * next ones may be longer). A chain of ties is only as credible as each
 * hop, so every hop shows its newest evidence sentence, the first row
 * `xref evidence` would list for that pair. "Not connected" is an answer,
 * not an error: exit 0 with a message (table), a header (TSV, CSV) or []
 * (JSON).
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
	"      --k N               the N best paths (default 1)\n"
	"      --since DATE        only ties seen in documents dated DATE or later\n"
	"      --until DATE        only ties seen in documents dated DATE or earlier\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"A and B are entity names, aliases or ids, matched ignoring case, accents\n"
	"and a leading 'the'. Paths have no repeated entity. The best path has the\n"
	"fewest hops; among paths as short, the greatest weight (the sum of the\n"
	"weights of its ties, a tie's weight being the number of sentences, or\n"
	"windows, naming both); remaining ties by entity ids. Further paths (--k)\n"
	"come in the same order and may be longer. Each hop shows its newest\n"
	"evidence sentence, names marked [[like this]]. With dates, only ties\n"
	"seen in documents of that period count (see 'xref evidence --help').\n"
	"\n"
	"Columns: path, hop, source, target, weight, date, doc_id, sentence; TSV\n"
	"and CSV add source_id, target_id, documents, title, url, start, end.\n"
	"JSON: an array of paths {\"path\", \"hops\", \"weight\", \"nodes\": [{\"id\",\n"
	"\"name\", \"type\"}], \"links\": [{\"source\", \"target\", \"weight\",\n"
	"\"documents\", \"first_seen\", \"last_seen\", \"evidence\"}]}, evidence as in\n"
	"'xref evidence --format json'. Not connected: a message (table), the\n"
	"header only (TSV, CSV) or [] (JSON), and exit status 0.\n";

enum {
	OPT_K = CLI_QUERY_OPT_END,
};

static const struct option long_options[] = {
	{ "k", required_argument, NULL, OPT_K },
	CLI_QUERY_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct col {
	const char *name;
	enum xref_col_kind kind;
	bool in_table; /* also in the aligned table form */
};

enum {
	C_PATH, C_HOP, C_SOURCE_ID, C_SOURCE, C_TARGET_ID, C_TARGET, C_WEIGHT,
	C_DOCUMENTS, C_DATE, C_DOC, C_TITLE, C_URL, C_START, C_END, C_SENTENCE,
	C_COUNT
};

static const struct col cols[C_COUNT] = {
	[C_PATH] = { "path", XREF_COL_INTEGER, true },
	[C_HOP] = { "hop", XREF_COL_INTEGER, true },
	[C_SOURCE_ID] = { "source_id", XREF_COL_STRING, false },
	[C_SOURCE] = { "source", XREF_COL_STRING, true },
	[C_TARGET_ID] = { "target_id", XREF_COL_STRING, false },
	[C_TARGET] = { "target", XREF_COL_STRING, true },
	[C_WEIGHT] = { "weight", XREF_COL_INTEGER, true },
	[C_DOCUMENTS] = { "documents", XREF_COL_INTEGER, false },
	[C_DATE] = { "date", XREF_COL_STRING, true },
	[C_DOC] = { "doc_id", XREF_COL_STRING, true },
	[C_TITLE] = { "title", XREF_COL_STRING, false },
	[C_URL] = { "url", XREF_COL_STRING, false },
	[C_START] = { "start", XREF_COL_INTEGER, false },
	[C_END] = { "end", XREF_COL_INTEGER, false },
	[C_SENTENCE] = { "sentence", XREF_COL_STRING, true },
};

/* The table being filled and where each column went in this form. */
struct row {
	struct xref_table *t;
	int index[C_COUNT]; /* column number, -1 when not shown */
};

/* Sets column `which` of the current row, when the form has it. */
static int set_str(struct row *r, int which, const char *s)
{
	if (r->index[which] < 0)
		return 0;
	return xref_table_set_string(r->t, (size_t)r->index[which], s);
}

static int set_int(struct row *r, int which, long long v)
{
	if (r->index[which] < 0)
		return 0;
	return xref_table_set_integer(r->t, (size_t)r->index[which], v);
}

static int build_table(struct xref_table **out, const struct xref_paths *ps,
		       bool full)
{
	struct row r;
	char *marked = NULL;
	int err, n = 0;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	err = xref_table_new(&r.t);
	for (int i = 0; !err && i < C_COUNT; i++) {
		r.index[i] = -1;
		if (!full && !cols[i].in_table)
			continue;
		r.index[i] = n++;
		err = xref_table_add_column(r.t, cols[i].name, cols[i].kind);
	}
	for (size_t p = 0; !err && p < ps->n; p++) {
		const struct xref_path *path = &ps->v[p];

		for (size_t h = 0; !err && h + 1 < path->n_nodes; h++) {
			const struct xref_hop *hop = &path->hops[h];
			const struct xref_evidence *ev = &hop->evidence.ev;

			marked = cli_marked_text(&hop->evidence);
			if (!marked) {
				err = XREF_ENOMEM;
				break;
			}
			err = xref_table_add_row(r.t);
			if (!err)
				err = set_int(&r, C_PATH, (long long)p + 1);
			if (!err)
				err = set_int(&r, C_HOP, (long long)h + 1);
			if (!err)
				err = set_str(&r, C_SOURCE_ID,
					      path->nodes[h].uid);
			if (!err)
				err = set_str(&r, C_SOURCE,
					      path->nodes[h].name);
			if (!err)
				err = set_str(&r, C_TARGET_ID,
					      path->nodes[h + 1].uid);
			if (!err)
				err = set_str(&r, C_TARGET,
					      path->nodes[h + 1].name);
			if (!err)
				err = set_int(&r, C_WEIGHT, hop->weight);
			if (!err)
				err = set_int(&r, C_DOCUMENTS, hop->documents);
			if (!err)
				err = set_str(&r, C_DATE, ev->date);
			if (!err)
				err = set_str(&r, C_DOC, ev->doc_id);
			if (!err)
				err = set_str(&r, C_TITLE, ev->title);
			if (!err)
				err = set_str(&r, C_URL, ev->url);
			if (!err && ev->doc_id)
				err = set_int(&r, C_START, (long long)ev->start);
			if (!err && ev->doc_id)
				err = set_int(&r, C_END, (long long)ev->end);
			if (!err && ev->doc_id)
				err = set_str(&r, C_SENTENCE, marked);
			free(marked);
			marked = NULL;
		}
	}
	if (err) {
		cli_error("%s", err == XREF_ENOMEM ? "out of memory"
						   : xref_error_last());
		xref_table_free(r.t);
		return -1;
	}
	*out = r.t;
	return 0;
}

static int path_json(struct xref_buf *b, const struct xref_path *path,
		     size_t number)
{
	int err;

	err = cli_json_open(b, '{');
	if (!err)
		err = cli_json_key(b, "path");
	if (!err)
		err = cli_json_int(b, (long long)number);
	if (!err)
		err = cli_json_key(b, "hops");
	if (!err)
		err = cli_json_int(b, (long long)path->n_nodes - 1);
	if (!err)
		err = cli_json_key(b, "weight");
	if (!err)
		err = cli_json_int(b, path->weight);
	if (!err)
		err = cli_json_key(b, "nodes");
	if (!err)
		err = cli_json_open(b, '[');
	for (size_t i = 0; !err && i < path->n_nodes; i++) {
		const struct xref_entity *e = &path->nodes[i];

		err = cli_json_open(b, '{');
		if (!err)
			err = cli_json_key(b, "id");
		if (!err)
			err = cli_json_string(b, e->uid);
		if (!err)
			err = cli_json_key(b, "name");
		if (!err)
			err = cli_json_string(b, e->name);
		if (!err)
			err = cli_json_key(b, "type");
		if (!err)
			err = cli_json_string(b, xref_type_name(e->type));
		if (!err)
			err = cli_json_close(b, '}');
	}
	if (!err)
		err = cli_json_close(b, ']');
	if (!err)
		err = cli_json_key(b, "links");
	if (!err)
		err = cli_json_open(b, '[');
	for (size_t i = 0; !err && i + 1 < path->n_nodes; i++) {
		const struct xref_hop *hop = &path->hops[i];
		const char *uids[2] = { path->nodes[i].uid,
					path->nodes[i + 1].uid };

		err = cli_json_open(b, '{');
		if (!err)
			err = cli_json_key(b, "source");
		if (!err)
			err = cli_json_string(b, uids[0]);
		if (!err)
			err = cli_json_key(b, "target");
		if (!err)
			err = cli_json_string(b, uids[1]);
		if (!err)
			err = cli_json_key(b, "weight");
		if (!err)
			err = cli_json_int(b, hop->weight);
		if (!err)
			err = cli_json_key(b, "documents");
		if (!err)
			err = cli_json_int(b, hop->documents);
		if (!err)
			err = cli_json_key(b, "first_seen");
		if (!err)
			err = cli_json_string(b, hop->first_seen);
		if (!err)
			err = cli_json_key(b, "last_seen");
		if (!err)
			err = cli_json_string(b, hop->last_seen);
		if (!err)
			err = cli_json_key(b, "evidence");
		if (!err && hop->evidence.ev.doc_id)
			err = cli_json_hit(b, &hop->evidence, uids);
		else if (!err)
			err = cli_json_string(b, NULL);
		if (!err)
			err = cli_json_close(b, '}');
	}
	if (!err)
		err = cli_json_close(b, ']');
	return err ? err : cli_json_close(b, '}');
}

static int print_json(const struct xref_paths *ps)
{
	struct xref_buf b = XREF_BUF_INIT;
	size_t rows = 0;
	int ret = CLI_FAIL;

	for (size_t i = 0; i < ps->n; i++) {
		if (path_json(&b, &ps->v[i], i + 1)) {
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

int cmd_path(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *path;
	struct cli_query_opts q;
	long k = 1;
	struct xref_case *c = NULL;
	struct xref_entity a = { 0 }, b = { 0 };
	struct xref_paths ps = { 0 };
	struct xref_table *t = NULL;
	char msg[512];
	int opt, qr, err, ret = CLI_FAIL;

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
		case OPT_K:
			if (cli_parse_long(&k, optarg, 1, 1000)) {
				ret = cli_usage_error(cmd,
					"--k needs a whole number from 1 to 1000, not '%s'",
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
	if (argc - optind < 2) {
		ret = cli_usage_error(cmd, "two entities needed");
		goto out;
	}
	if (argc - optind > 2) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind + 2]);
		goto out;
	}
	if (!*argv[optind] || !*argv[optind + 1]) {
		ret = cli_usage_error(cmd, "empty entity name");
		goto out;
	}
	if (cli_dates_finish(&q.dates, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}

	path = cli_case_path(q.case_opt);
	if (cli_case_open_existing(&c, path))
		goto out;
	if (cli_entity_arg(&a, c, path, argv[optind]) ||
	    cli_entity_arg(&b, c, path, argv[optind + 1]))
		goto out;
	if (a.id == b.id) {
		cli_error("'%s' and '%s' name the same entity, '%s'",
			  argv[optind], argv[optind + 1], a.name);
		goto out;
	}
	err = xref_query_paths(&ps, c, a.id, b.id, (size_t)k, &q.dates.range);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (q.format == XREF_TABLE_JSON) {
		ret = print_json(&ps);
		goto out;
	}
	if (q.format == XREF_TABLE_TABLE && ps.n == 0) {
		snprintf(msg, sizeof(msg), "'%s' and '%s' are not connected%s",
			 a.name, b.name, cli_dates_note(&q.dates));
		ret = cli_print_line(msg);
		goto out;
	}
	if (build_table(&t, &ps, q.format != XREF_TABLE_TABLE))
		goto out;
	ret = cli_table_print(t, q.format);
out:
	xref_table_free(t);
	xref_paths_release(&ps);
	xref_entity_release(&a);
	xref_entity_release(&b);
	xref_case_free(c);
	cli_query_release(&q);
	return ret;
}
