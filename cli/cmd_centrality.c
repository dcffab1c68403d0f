/*
 * xref centrality: ranks the entities of a case by one or more metrics.
 *
 * Metrics are computed on the whole graph the filters leave; --type only
 * chooses which rows are shown, so "the most central people" means central
 * in the whole network, not in a people-only subgraph (which would drop
 * every path through a company or a ministry). Rows are sorted by the
 * first metric, highest first, ties by mentions then uid
 * (xref_graph_rank), so the order is total and output is deterministic.
 * Only the requested metrics are computed: betweenness is O(V E) and would
 * dominate a PageRank query.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/filter.h"

#define METRIC_LIST                                                        \
	"degree, strength, betweenness, closeness, harmonic, pagerank, "   \
	"eigenvector, coreness, all"

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --metric M[,M...]   degree, strength, betweenness, closeness,\n"
	"                          harmonic, pagerank, eigenvector, coreness, or\n"
	"                          all (default: pagerank); rows are sorted by the\n"
	"                          first\n"
	"      --type T[,T...]     list only entities of these types (metrics are\n"
	"                          still computed on the whole graph)\n"
	"      --top N             at most N rows (default: all)\n"
	"      --normalized        scale the metrics (see below)\n"
	"      --weighted          betweenness, closeness and harmonic measure a\n"
	"                          path by the lengths of its ties, 1 / strength,\n"
	"                          instead of counting hops\n"
	"      --cutoff L          betweenness, closeness and harmonic only count\n"
	"                          paths of length at most L (hops, or lengths\n"
	"                          with --weighted): faster, and an approximation\n"
	"      --sample N          betweenness from N random sources in each\n"
	"                          connected part of the graph (all of a smaller\n"
	"                          part), scaled up: unbiased, with a relative\n"
	"                          standard error of about c / sqrt(N), c between\n"
	"                          1 and 2.5 for the most central entities (N =\n"
	"                          400: 5 to 12%), more for peripheral ones\n"
"      --seed S            the sample's seed (default 1): the same seed\n"
	"                          gives the same values\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"Metrics, and the tie strength each reads (--weight chooses the\n"
	"strength: by default the number of windows, sentences unless the case\n"
	"says otherwise, in which both entities occur):\n"
	"  degree       distinct neighbours; ignores strength\n"
	"  strength     sum of the strengths of the entity's ties\n"
	"  betweenness  shortest paths between other entities passing through\n"
	"               it, each pair counted once; hops, or lengths with\n"
	"               --weighted\n"
	"  closeness    1 / (sum of distances to the entities it reaches), 0\n"
	"               for an isolated one; hops, or lengths with --weighted\n"
	"  harmonic     sum of 1 / distance to every other entity; hops, or\n"
	"               lengths with --weighted\n"
	"  pagerank     PageRank, damping 0.85, following ties in proportion\n"
	"               to their strength; sums to 1\n"
	"  eigenvector  leading eigenvector of the strength matrix, unit length\n"
	"  coreness     the largest k such that the entity is in a k-core (a\n"
	"               part where everyone has at least k neighbours); ignores\n"
	"               strength\n"
	"With --normalized: degree and strength / (entities - 1); betweenness\n"
	"* 2 / ((entities - 1)(entities - 2)); closeness * (reached - 1), the\n"
	"inverse mean distance; harmonic / (entities - 1); eigenvector and\n"
	"coreness / their largest value; pagerank unchanged.\n"
	"'all' lists pagerank, degree, strength, betweenness, closeness,\n"
	"harmonic, eigenvector, coreness.\n"
	"\n"
	"Columns: rank, id, name, type, then each metric; JSON is an array of\n"
	"objects {\"id\", \"name\", \"type\", <metric>: value...} in rank order.\n"
	"In CSV, a text cell starting with = + - or @ gets a leading apostrophe so\n"
	"that spreadsheets do not run it as a formula.\n"
	"\n";

enum {
	OPT_CASE = 256,
	OPT_METRIC,
	OPT_TOP,
	OPT_FORMAT,
	OPT_NORMALIZED,
	OPT_WEIGHTED,
	OPT_CUTOFF,
	OPT_SAMPLE,
	OPT_SEED,
};

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "normalized", no_argument, NULL, OPT_NORMALIZED },
	{ "weighted", no_argument, NULL, OPT_WEIGHTED },
	{ "cutoff", required_argument, NULL, OPT_CUTOFF },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "help", no_argument, NULL, 'h' },
	CLI_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* Parses --metric into metrics[], in the order given, without repeats. */
static int parse_metrics(enum xref_metric *metrics, size_t *n,
			 const struct cli_cmd *cmd, const char *s)
{
	static const enum xref_metric all[] = {
		XREF_METRIC_PAGERANK,	 XREF_METRIC_DEGREE,
		XREF_METRIC_STRENGTH,	 XREF_METRIC_BETWEENNESS,
		XREF_METRIC_CLOSENESS,	 XREF_METRIC_HARMONIC,
		XREF_METRIC_EIGENVECTOR, XREF_METRIC_CORENESS,
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
				"invalid --metric '%s' (metrics: " METRIC_LIST ")",
				s);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (xref_metric_parse(&m, name)) {
			cli_usage_error(cmd,
				"unknown metric '%s' (metrics: " METRIC_LIST ")",
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

/* Whole numbers print as integers: degree and coreness always, strength
 * when it counts windows; normalised values never. */
static bool metric_is_count(enum xref_metric m, bool normalized,
			    enum xref_weight w)
{
	if (normalized)
		return false;
	return m == XREF_METRIC_DEGREE || m == XREF_METRIC_CORENESS ||
	       (m == XREF_METRIC_STRENGTH && w == XREF_WEIGHT_COUNT);
}

struct table_spec {
	const enum xref_metric *metrics;
	size_t n_metrics;
	unsigned type_mask;
	long top;
	bool with_rank, normalized;
	enum xref_weight weight;
};

static int build_table(struct xref_table **out, const struct xref_graph *g,
		       const struct table_spec *sp)
{
	const struct xref_node *nodes;
	struct xref_table *t = NULL;
	size_t *order = NULL;
	size_t n, i, k, col, rows = 0;
	int err;

	*out = NULL;
	nodes = xref_graph_nodes(g, &n);
	err = xref_table_new(&t);
	if (!err && sp->with_rank)
		err = xref_table_add_column(t, "rank", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "id", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "name", XREF_COL_STRING);
	if (!err)
		err = xref_table_add_column(t, "type", XREF_COL_STRING);
	for (k = 0; !err && k < sp->n_metrics; k++)
		err = xref_table_add_column(
			t, xref_metric_name(sp->metrics[k]),
			metric_is_count(sp->metrics[k], sp->normalized,
					sp->weight)
				? XREF_COL_INTEGER
				: XREF_COL_NUMBER);
	if (!err)
		err = xref_graph_rank(&order, g, sp->metrics[0]);
	for (i = 0; !err && i < n; i++) {
		const struct xref_node *nd = &nodes[order[i]];

		if (sp->top && rows >= (size_t)sp->top)
			break;
		if (sp->type_mask && !(sp->type_mask & (1u << nd->type)))
			continue;
		rows++;
		col = 0;
		err = xref_table_add_row(t);
		if (!err && sp->with_rank)
			err = xref_table_set_integer(t, col++, (long long)rows);
		if (!err)
			err = xref_table_set_string(t, col++, nd->uid);
		if (!err)
			err = xref_table_set_string(t, col++, nd->name);
		if (!err)
			err = xref_table_set_string(t, col++,
						    xref_type_name(nd->type));
		for (k = 0; !err && k < sp->n_metrics; k++) {
			enum xref_metric m = sp->metrics[k];
			double v = nd->metric[m];

			if (metric_is_count(m, sp->normalized, sp->weight))
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
	struct table_spec spec;
	struct xref_metric_opts mopts;
	struct xref_cli_filter filter;
	long top = 0, sample = 0, seed = 1;
	bool have_cutoff = false;
	enum xref_table_format format = XREF_TABLE_TABLE;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_table *t = NULL;
	size_t n_metrics = 1, k;
	int opt, r, err, ret = CLI_FAIL;

	memset(&mopts, 0, sizeof(mopts));
	memset(&spec, 0, sizeof(spec));
	cli_filter_init(&filter);
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) !=
	       -1) {
		r = cli_filter_parse(&filter, cmd, opt, optarg);
		if (r < 0) {
			ret = CLI_USAGE;
			goto out;
		}
		if (r > 0)
			continue;
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
		case OPT_NORMALIZED:
			mopts.normalized = true;
			break;
		case OPT_WEIGHTED:
			mopts.weighted = true;
			break;
		case OPT_CUTOFF:
			if (cli_parse_double(&mopts.cutoff, optarg, 0,
					     HUGE_VAL) ||
			    !(mopts.cutoff > 0)) {
				ret = cli_usage_error(cmd,
					"--cutoff needs a length > 0, not '%s'",
					optarg);
				goto out;
			}
			have_cutoff = true;
			break;
		case OPT_SAMPLE:
			if (cli_parse_long(&sample, optarg, 1, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--sample needs a whole number >= 1, not '%s'",
					optarg);
				goto out;
			}
			break;
		case OPT_SEED:
			if (cli_parse_long(&seed, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--seed needs a whole number >= 0, not '%s'",
					optarg);
				goto out;
			}
			break;
		case 'h':
			ret = cli_help(cmd, options_help);
			if (ret == CLI_OK)
				fputs(cli_filter_help, stdout);
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
	if (have_cutoff && sample) {
		ret = cli_usage_error(cmd,
				      "--cutoff and --sample cannot be combined");
		goto out;
	}
	if (cli_filter_check(&filter, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}
	mopts.sample = (size_t)sample;
	mopts.seed = (unsigned long)seed;
	spec.metrics = metrics;
	spec.n_metrics = n_metrics;
	spec.type_mask = filter.type_mask;
	spec.top = top;
	spec.with_rank = format != XREF_TABLE_JSON;
	spec.normalized = mopts.normalized;
	spec.weight = filter.weight;
	/* --type lists rows; it does not cut the graph (see top) */
	filter.type_mask = 0;

	if (cli_case_open_existing(&c, cli_case_path(case_opt)))
		goto out;
	if (cli_filter_load(&g, c, &filter, NULL))
		goto out;
	for (k = 0; k < n_metrics; k++) {
		err = xref_graph_compute_opts(g, metrics[k], &mopts);
		if (err) {
			cli_error_last(err);
			goto out;
		}
	}
	if (build_table(&t, g, &spec))
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
