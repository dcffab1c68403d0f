/*
 * xref centrality: ranks the entities of a case by one or more metrics.
 *
 * Metrics are computed on the whole graph; --type only chooses which rows
 * are shown, so "the most central people" means central in the whole
 * network, not in a people-only subgraph (which would drop every path
 * through a company or a ministry). Rows are sorted by the first metric,
 * highest first, ties by mentions then uid (xref_graph_rank), so the order
 * is total and output is deterministic. Only the requested metrics are
 * computed: betweenness is O(V E) and would dominate a PageRank query.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --metric M[,M...]   degree, strength, betweenness, pagerank, or all\n"
	"                          (default: pagerank); rows are sorted by the first\n"
	"      --type T[,T...]     only entities of these types: person, company,\n"
	"                          government, organization, media, country,\n"
	"                          location, target\n"
	"      --top N             at most N rows (default: all)\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"Metrics: degree counts distinct neighbours; strength sums tie weights;\n"
	"betweenness counts shortest paths through a node, measured in hops (tie\n"
	"weights are ignored); pagerank (damping 0.85) follows ties in proportion\n"
	"to their weight. A tie's weight is the number of windows (sentences by\n"
	"default) in which both entities occur. Metrics are computed on the whole\n"
	"graph; --type only filters the rows. 'all' lists pagerank, degree,\n"
	"strength, betweenness.\n"
	"\n"
	"Columns: rank, id, name, type, then each metric; JSON is an array of\n"
	"objects {\"id\", \"name\", \"type\", <metric>: value...} in rank order.\n"
	"In CSV, a text cell starting with = + - or @ gets a leading apostrophe so\n"
	"that spreadsheets do not run it as a formula.\n";

enum {
	OPT_CASE = 256,
	OPT_METRIC,
	OPT_TYPE,
	OPT_TOP,
	OPT_FORMAT,
};

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parses --metric into metrics[], in the order given, without repeats. */
static int parse_metrics(enum xref_metric *metrics, size_t *n,
			 const struct cli_cmd *cmd, const char *s)
{
	static const enum xref_metric all[] = {
		XREF_METRIC_PAGERANK,
		XREF_METRIC_DEGREE,
		XREF_METRIC_STRENGTH,
		XREF_METRIC_BETWEENNESS,
	};
	const char *p = s;
	bool seen[XREF_METRIC_COUNT] = { false };

	*n = 0;
	if (!strcmp(s, "all")) {
		memcpy(metrics, all, sizeof(all));
		*n = sizeof(all) / sizeof(all[0]);
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		enum xref_metric m;
		char name[32];

		if (len == 0 || len >= sizeof(name)) {
			cli_usage_error(cmd,
				"invalid --metric '%s' (metrics: degree, strength, betweenness, pagerank, all)",
				s);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (xref_metric_parse(&m, name)) {
			cli_usage_error(cmd,
				"unknown metric '%s' (metrics: degree, strength, betweenness, pagerank, all)",
				name);
			return -1;
		}
		if (!seen[m]) {
			seen[m] = true;
			metrics[(*n)++] = m;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

static bool metric_is_count(enum xref_metric m)
{
	return m == XREF_METRIC_DEGREE || m == XREF_METRIC_STRENGTH;
}

static int build_table(struct xref_table **out, const struct xref_graph *g,
		       const enum xref_metric *metrics, size_t n_metrics,
		       unsigned type_mask, long top, bool with_rank)
{
	const struct xref_node *nodes;
	struct xref_table *t = NULL;
	size_t *order = NULL;
	size_t n, i, k, col, rows = 0;
	int err;

	*out = NULL;
	nodes = xref_graph_nodes(g, &n);
	err = xref_table_new(&t);
	if (!err && with_rank)
		err = xref_table_add_column(t, "rank", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "id", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "name", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "type", XREF_COL_STRING);
	for (k = 0; !err && k < n_metrics; k++)
		err = xref_table_add_column(t, xref_metric_name(metrics[k]),
					    metric_is_count(metrics[k])
						    ? XREF_COL_INTEGER
						    : XREF_COL_NUMBER);
	if (!err)
		err = xref_graph_rank(&order, g, metrics[0]);
	for (i = 0; !err && i < n; i++) {
		const struct xref_node *nd = &nodes[order[i]];

		if (top && rows >= (size_t)top)
			break;
		if (type_mask && !(type_mask & (1u << nd->type)))
			continue;
		rows++;
		col = 0;
		err = xref_table_add_row(t);
		if (!err && with_rank)
			err = xref_table_set_integer(t, col++, (long long)rows);
		if (!err)
			err = xref_table_set_string(t, col++, nd->uid);
		if (!err)
			err = xref_table_set_string(t, col++, nd->name);
		if (!err)
			err = xref_table_set_string(t, col++,
						    xref_type_name(nd->type));
		for (k = 0; !err && k < n_metrics; k++) {
			double v = nd->metric[metrics[k]];

			if (metric_is_count(metrics[k]))
				err = xref_table_set_integer(t, col++,
							     llround(v));
			else
				err = xref_table_set_number(t, col++, v);
		}
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

int cmd_centrality(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *case_opt = NULL;
	enum xref_metric metrics[XREF_METRIC_COUNT] = { XREF_METRIC_PAGERANK };
	size_t n_metrics = 1;
	unsigned type_mask = 0;
	long top = 0;
	enum xref_table_format format = XREF_TABLE_TABLE;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_table *t = NULL;
	int opt, err, ret = CLI_FAIL;

	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) !=
	       -1) {
		switch (opt) {
		case OPT_CASE:
			case_opt = optarg;
			break;
		case OPT_METRIC:
			if (parse_metrics(metrics, &n_metrics, cmd, optarg)) {
				ret = CLI_USAGE;
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
		case OPT_FORMAT:
			if (xref_table_format_parse(&format, optarg)) {
				ret = cli_usage_error(cmd,
					"unknown format '%s' (formats: table, tsv, csv, json)",
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

	if (cli_case_open_existing(&c, cli_case_path(case_opt)))
		goto out;
	if (cli_graph_load(&g, c, NULL, metrics, n_metrics))
		goto out;
	if (build_table(&t, g, metrics, n_metrics, type_mask, top,
			format != XREF_TABLE_JSON))
		goto out;
	err = xref_table_write(t, format, stdout);
	if (err == XREF_EIO)
		cli_stdout_failed();
	if (err && err != XREF_EIO) {
		cli_error_last(err);
		goto out;
	}
	/* a write error on stdout is reported by main */
	ret = err ? CLI_FAIL : CLI_OK;
out:
	xref_table_free(t);
	xref_graph_free(g);
	xref_case_free(c);
	return ret;
}
