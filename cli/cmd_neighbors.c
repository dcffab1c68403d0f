/*
 * xref neighbors: who is around an entity. Lists every entity within
 * --depth hops, nearest first, then by the weight of the tie that reaches
 * it: the tie to the entity itself at depth 1, further out the strongest
 * tie to a neighbour one hop nearer (named in the `via` column), so that
 * every row says how it is connected.
 *
 * --type and --top only choose the rows: the search goes through entities
 * of every type, since a person two hops from a company is usually reached
 * through a ministry or an outlet. Drawing the same network is `xref
 * export --ego A --depth N`.
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
	"      --depth N           entities up to N hops away (default 1)\n"
	"      --type T[,T...]     only list entities of these types: person,\n"
	"                          company, government, organization, media,\n"
	"                          country, location, target\n"
	"      --top N             at most N rows (default: all)\n"
	"      --since DATE        only ties seen in documents dated DATE or later\n"
	"      --until DATE        only ties seen in documents dated DATE or earlier\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"A is an entity name, alias or id, matched ignoring case, accents and a\n"
	"leading 'the'. Rows: nearest first, then by the weight of the tie that\n"
	"reaches the entity (strongest first), then documents, then name. At\n"
	"depth 1 that tie links the entity to A; further out it is the\n"
	"entity's strongest tie to one hop nearer, the 'via' entity. --type and\n"
	"--top only filter the rows; paths go through entities of every type.\n"
	"With dates, only ties seen in documents of that period count (see\n"
	"'xref evidence --help').\n"
	"\n"
	"Columns: depth, id, name, type, via, weight, documents, first_seen,\n"
	"last_seen (of the tie); TSV, CSV and JSON add via_id. JSON: an array of\n"
	"objects with those keys, via and via_id being A's at depth 1.\n";

enum {
	OPT_DEPTH = CLI_QUERY_OPT_END,
	OPT_TYPE,
	OPT_TOP,
};

static const struct option long_options[] = {
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "top", required_argument, NULL, OPT_TOP },
	CLI_QUERY_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int build_table(struct xref_table **out, const struct xref_neighbors *nb,
		       const struct xref_entity *ego, unsigned type_mask,
		       long top, bool with_via_id)
{
	struct xref_table *t = NULL;
	size_t rows = 0, col;
	int err;

	*out = NULL;
	err = xref_table_new(&t);
	if (!err)
		err = xref_table_add_column(t, "depth", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "id", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "name", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "type", XREF_COL_STRING);
	if (!err && with_via_id)
		err = xref_table_add_column(t, "via_id", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "via", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "weight", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "documents", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "first_seen", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "last_seen", XREF_COL_STRING);
	for (size_t i = 0; !err && i < nb->n; i++) {
		const struct xref_neighbor *x = &nb->v[i];
		const struct xref_entity *via =
			x->via == SIZE_MAX ? ego : &nb->v[x->via].entity;

		if (type_mask && !(type_mask & (1u << x->entity.type)))
			continue;
		if (top && rows >= (size_t)top)
			break;
		rows++;
		col = 0;
		err = xref_table_add_row(t);
		if (!err)
			err = xref_table_set_integer(t, col++, x->depth);
		if (!err)
			err = xref_table_set_string(t, col++, x->entity.uid);
		if (!err)
			err = xref_table_set_string(t, col++, x->entity.name);
		if (!err)
			err = xref_table_set_string(
				t, col++, xref_type_name(x->entity.type));
		if (!err && with_via_id)
			err = xref_table_set_string(t, col++, via->uid);
		if (!err)
			err = xref_table_set_string(t, col++, via->name);
		if (!err)
			err = xref_table_set_integer(t, col++, x->weight);
		if (!err)
			err = xref_table_set_integer(t, col++, x->documents);
		if (!err)
			err = xref_table_set_string(t, col++, x->first_seen);
		if (!err)
			err = xref_table_set_string(t, col++, x->last_seen);
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

int cmd_neighbors(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *path;
	struct cli_query_opts q;
	unsigned type_mask = 0;
	long depth = 1, top = 0;
	struct xref_case *c = NULL;
	struct xref_entity ego = { 0 };
	struct xref_neighbors nb = { 0 };
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
		case OPT_DEPTH:
			if (cli_parse_long(&depth, optarg, 1, 100)) {
				ret = cli_usage_error(cmd,
					"--depth needs a whole number from 1 to 100, not '%s'",
					optarg);
				goto out;
			}
			break;
		case OPT_TYPE:
			if (cli_parse_types(&type_mask, cmd, optarg)) {
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
	if (argc - optind < 1) {
		ret = cli_usage_error(cmd, "no entity given");
		goto out;
	}
	if (argc - optind > 1) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind + 1]);
		goto out;
	}
	if (!*argv[optind]) {
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
	if (cli_entity_arg(&ego, c, path, argv[optind]))
		goto out;
	err = xref_query_neighbors(&nb, c, ego.id, (unsigned)depth,
				   &q.dates.range);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (build_table(&t, &nb, &ego, type_mask, top,
			q.format != XREF_TABLE_TABLE))
		goto out;
	if (q.format == XREF_TABLE_TABLE && xref_table_rows(t) == 0) {
		snprintf(msg, sizeof(msg), "'%s' has no %sneighbours%s",
			 ego.name, type_mask ? "such " : "",
			 cli_dates_note(&q.dates));
		ret = cli_print_line(msg);
		goto out;
	}
	ret = cli_table_print(t, q.format);
out:
	xref_table_free(t);
	xref_neighbors_release(&nb);
	xref_entity_release(&ego);
	xref_case_free(c);
	cli_query_release(&q);
	return ret;
}
