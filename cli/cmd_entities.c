/*
 * xref entities: what the case knows, most mentioned first, with the
 * other names each entity was found under. The aliases are what makes a
 * merge checkable: the table lists them, the JSON adds for each the rule
 * that resolved it ("short-form", "demonym", "country-alias"...) and how
 * often it was used.
 *
 * With --since/--until the counts, dates and aliases are those of the
 * documents in the period, so "who appeared since Monday" is one command.
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
	"      --type T[,T...]     only entities of these types: person, company,\n"
	"                          government, organization, media, country,\n"
	"                          location, target\n"
	"      --top N             at most N rows (default: all)\n"
	"      --since DATE        count only documents dated DATE or later\n"
	"      --until DATE        count only documents dated DATE or earlier\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"Most mentioned first, then most documents, then name. With dates, only\n"
	"mentions in documents of that period count, and entities not mentioned\n"
	"there are left out (see 'xref evidence --help' for how dates compare).\n"
	"\n"
	"Columns: id, name, type, mentions, documents, first_seen, last_seen,\n"
	"aliases (the other surface forms, most used first, separated by '; ').\n"
	"JSON: an array of objects {\"id\", \"name\", \"type\", \"mentions\",\n"
	"\"documents\", \"first_seen\", \"last_seen\", \"aliases\": [{\"alias\",\n"
	"\"rule\", \"mentions\"}]}, rule being how that form was resolved to the\n"
	"entity (e.g. watchlist, short-form, demonym, country-alias).\n";

enum {
	OPT_TYPE = CLI_QUERY_OPT_END,
	OPT_TOP,
};

static const struct option long_options[] = {
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "top", required_argument, NULL, OPT_TOP },
	CLI_QUERY_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "alias; alias; ..." (owned by the caller), NULL when out of memory. */
static char *join_aliases(const struct xref_entity *e)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err = 0;

	for (size_t i = 0; !err && i < e->n_aliases; i++) {
		if (i)
			err = xref_buf_puts(&b, "; ");
		if (!err)
			err = xref_buf_puts(&b, e->aliases[i].alias);
	}
	if (err) {
		xref_buf_release(&b);
		return NULL;
	}
	return xref_buf_detach(&b);
}

static int build_table(struct xref_table **out, const struct xref_entities *l)
{
	static const struct {
		const char *name;
		enum xref_col_kind kind;
	} cols[] = {
		{ "id", XREF_COL_STRING },
		{ "name", XREF_COL_STRING },
		{ "type", XREF_COL_STRING },
		{ "mentions", XREF_COL_INTEGER },
		{ "documents", XREF_COL_INTEGER },
		{ "first_seen", XREF_COL_STRING },
		{ "last_seen", XREF_COL_STRING },
		{ "aliases", XREF_COL_STRING },
	};
	struct xref_table *t = NULL;
	char *aliases = NULL;
	int err;

	*out = NULL;
	err = xref_table_new(&t);
	for (size_t i = 0; !err && i < sizeof(cols) / sizeof(cols[0]); i++)
		err = xref_table_add_column(t, cols[i].name, cols[i].kind);
	for (size_t i = 0; !err && i < l->n; i++) {
		const struct xref_entity *e = &l->v[i];

		aliases = join_aliases(e);
		if (!aliases) {
			err = XREF_ENOMEM;
			break;
		}
		err = xref_table_add_row(t);
		if (!err)
			err = xref_table_set_string(t, 0, e->uid);
		if (!err)
			err = xref_table_set_string(t, 1, e->name);
		if (!err)
			err = xref_table_set_string(t, 2,
						    xref_type_name(e->type));
		if (!err)
			err = xref_table_set_integer(t, 3, e->mentions);
		if (!err)
			err = xref_table_set_integer(t, 4, e->documents);
		if (!err)
			err = xref_table_set_string(t, 5, e->first_seen);
		if (!err)
			err = xref_table_set_string(t, 6, e->last_seen);
		if (!err && *aliases)
			err = xref_table_set_string(t, 7, aliases);
		free(aliases);
		aliases = NULL;
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

static int entity_json(struct xref_buf *b, const struct xref_entity *e)
{
	int err;

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
		err = cli_json_key(b, "mentions");
	if (!err)
		err = cli_json_int(b, e->mentions);
	if (!err)
		err = cli_json_key(b, "documents");
	if (!err)
		err = cli_json_int(b, e->documents);
	if (!err)
		err = cli_json_key(b, "first_seen");
	if (!err)
		err = cli_json_string(b, e->first_seen);
	if (!err)
		err = cli_json_key(b, "last_seen");
	if (!err)
		err = cli_json_string(b, e->last_seen);
	if (!err)
		err = cli_json_key(b, "aliases");
	if (!err)
		err = cli_json_open(b, '[');
	for (size_t i = 0; !err && i < e->n_aliases; i++) {
		const struct xref_alias *a = &e->aliases[i];

		err = cli_json_open(b, '{');
		if (!err)
			err = cli_json_key(b, "alias");
		if (!err)
			err = cli_json_string(b, a->alias);
		if (!err)
			err = cli_json_key(b, "rule");
		if (!err)
			err = cli_json_string(b, a->rule);
		if (!err)
			err = cli_json_key(b, "mentions");
		if (!err)
			err = cli_json_int(b, a->mentions);
		if (!err)
			err = cli_json_close(b, '}');
	}
	if (!err)
		err = cli_json_close(b, ']');
	return err ? err : cli_json_close(b, '}');
}

static int print_json(const struct xref_entities *l)
{
	struct xref_buf b = XREF_BUF_INIT;
	size_t rows = 0;
	int ret = CLI_FAIL;

	for (size_t i = 0; i < l->n; i++) {
		if (entity_json(&b, &l->v[i])) {
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

int cmd_entities(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_query_opts q;
	struct xref_entity_filter f;
	long top = 0;
	struct xref_case *c = NULL;
	struct xref_entities l = { 0 };
	struct xref_table *t = NULL;
	char msg[256];
	int opt, qr, err, ret = CLI_FAIL;

	memset(&f, 0, sizeof(f));
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
		case OPT_TYPE:
			if (cli_parse_types(&f.type_mask, cmd, optarg)) {
				ret = CLI_USAGE;
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
		case 'h':
			ret = cli_help(cmd, options_help);
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
	if (cli_dates_finish(&q.dates, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}

	if (cli_case_open_existing(&c, cli_case_path(q.case_opt)))
		goto out;
	f.top = (size_t)top;
	f.dates = q.dates.range;
	f.with_aliases = true;
	err = xref_query_entities(&l, c, &f);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (q.format == XREF_TABLE_JSON) {
		ret = print_json(&l);
		goto out;
	}
	if (q.format == XREF_TABLE_TABLE && l.n == 0) {
		snprintf(msg, sizeof(msg), "no entities%s",
			 cli_dates_note(&q.dates));
		ret = cli_print_line(msg);
		goto out;
	}
	if (build_table(&t, &l))
		goto out;
	ret = cli_table_print(t, q.format);
out:
	xref_table_free(t);
	xref_entities_release(&l);
	xref_case_free(c);
	cli_query_release(&q);
	return ret;
}
