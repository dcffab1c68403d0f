/*
 * xref communities: finds groups of entities more tied to each other than
 * to the rest (Leiden, modularity), lists them and stores each entity's
 * community in the case file for the exports to colour by.
 *
 * Communities are numbered by size, the largest 0; members are listed most
 * central first (PageRank on the same graph, ties by mentions then uid), so
 * that the table's few names per community are the ones a reader knows.
 * The JSON is nested ({"modularity", "communities": [{"id", "size",
 * "members": [...]}]}), which the flat result table cannot express, so it
 * is written here, one community per line; strings go through
 * xref_utf8_sanitize() and are escaped like every other JSON we write
 * ('<' as \u003c, U+2028 and U+2029 escaped).
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/filter.h"
#include "ingest/buf.h"
#include "ingest/utf8.h"

#define TABLE_MEMBERS 5

static const char options_help[] =
	"options:\n"
	"      --case FILE         the case file (default: $XREF_CASE, else\n"
	"                          ./xref.db)\n"
	"      --resolution R      modularity resolution (default 1): above 1,\n"
	"                          more and smaller communities; below 1, fewer\n"
	"                          and larger\n"
	"      --seed S            the random seed (default 1): the same case,\n"
	"                          options and seed give the same communities\n"
	"      --top N             list the N largest communities (default: all;\n"
	"                          every entity's community is stored anyway)\n"
	"      --no-save           do not store the communities in the case file\n"
	"      --format F          table (default), tsv, csv or json\n"
	"  -h, --help              show this help\n"
	"\n"
	"Communities are found with the Leiden algorithm maximising modularity,\n"
	"ties weighted by their strength (--weight). They are numbered by size,\n"
	"the largest 0 (ties: the community holding the smallest id first); an\n"
	"entity without ties is a community of its own. Members are listed the\n"
	"most central (PageRank) first.\n"
	"\n"
	"Each entity's community is stored in the case file (table\n"
	"'communities'), replacing the previous run's, and the exports read it.\n"
	"With filters, only the entities kept get a community.\n"
	"\n"
	"table, tsv, csv: community, size, and its five most central members;\n"
	"json: {\"modularity\": Q, \"communities\": [{\"id\", \"size\",\n"
	"\"members\": [{\"id\", \"name\", \"type\"}, ...]}, ...]}.\n"
	"\n";

enum {
	OPT_CASE = 256,
	OPT_RESOLUTION,
	OPT_SEED,
	OPT_TOP,
	OPT_NO_SAVE,
	OPT_FORMAT,
};

static const struct option long_options[] = {
	{ "case", required_argument, NULL, OPT_CASE },
	{ "resolution", required_argument, NULL, OPT_RESOLUTION },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "no-save", no_argument, NULL, OPT_NO_SAVE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	CLI_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* Members grouped by community: first[c] .. first[c + 1] in `members`,
 * each group most central first. */
struct groups {
	size_t *members;
	size_t *first;
	size_t n;
};

static void groups_release(struct groups *gr)
{
	free(gr->members);
	free(gr->first);
	memset(gr, 0, sizeof(*gr));
}

static int groups_build(struct groups *gr, const struct xref_graph *g,
			size_t n_comm)
{
	const struct xref_node *nodes;
	size_t *order = NULL, *fill = NULL, n, i;
	int err, ret = -1;

	memset(gr, 0, sizeof(*gr));
	nodes = xref_graph_nodes(g, &n);
	err = xref_graph_rank(&order, g, XREF_METRIC_PAGERANK);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	gr->members = calloc(n ? n : 1, sizeof(*gr->members));
	gr->first = calloc(n_comm + 1, sizeof(*gr->first));
	fill = calloc(n_comm + 1, sizeof(*fill));
	if (!gr->members || !gr->first || !fill) {
		cli_error("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (nodes[i].community < 0 ||
		    (size_t)nodes[i].community >= n_comm) {
			cli_error("community numbers out of range");
			goto out;
		}
		gr->first[nodes[i].community + 1]++;
	}
	for (i = 0; i < n_comm; i++)
		gr->first[i + 1] += gr->first[i];
	memcpy(fill, gr->first, (n_comm + 1) * sizeof(*fill));
	/* in rank order, so each group comes out most central first */
	for (i = 0; i < n; i++) {
		size_t v = order[i];

		gr->members[fill[nodes[v].community]++] = v;
	}
	gr->n = n_comm;
	ret = 0;
out:
	free(order);
	free(fill);
	if (ret)
		groups_release(gr);
	return ret;
}

/* Appends s as a JSON string: sanitised, escaped, '<' and U+2028/9 as
 * \u escapes so the text is safe inside HTML and JavaScript. */
static int json_string(struct xref_buf *b, const char *s)
{
	char *clean = xref_utf8_sanitize(s ? s : "");
	const unsigned char *p;
	int err = 0;

	if (!clean)
		return XREF_ENOMEM;
	err = xref_buf_putc(b, '"');
	for (p = (const unsigned char *)clean; !err && *p; p++) {
		if (*p == '"' || *p == '\\') {
			err = xref_buf_putc(b, '\\');
			if (!err)
				err = xref_buf_putc(b, (char)*p);
		} else if (*p < 0x20 || *p == '<') {
			err = xref_buf_printf(b, "\\u%04x", *p);
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
			   (p[2] == 0xa8 || p[2] == 0xa9)) {
			err = xref_buf_printf(b, "\\u%04x",
					      p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else {
			err = xref_buf_putc(b, (char)*p);
		}
	}
	if (!err)
		err = xref_buf_putc(b, '"');
	free(clean);
	return err;
}

static int write_json(const struct xref_graph *g, const struct groups *gr,
		      double modularity, size_t top)
{
	const struct xref_node *nodes;
	struct xref_buf b = XREF_BUF_INIT;
	size_t n, c, k, shown;
	int err = 0;

	nodes = xref_graph_nodes(g, &n);
	shown = top && top < gr->n ? top : gr->n;
	if (isfinite(modularity))
		err = xref_buf_printf(&b, "{\n  \"modularity\": %.9g,\n",
				      modularity);
	else
		err = xref_buf_puts(&b, "{\n  \"modularity\": null,\n");
	if (!err)
		err = xref_buf_puts(&b, "  \"communities\": [");
	for (c = 0; !err && c < shown; c++) {
		err = xref_buf_printf(&b,
				      "%s\n    {\"id\": %zu, \"size\": %zu, \"members\": [",
				      c ? "," : "", c,
				      gr->first[c + 1] - gr->first[c]);
		for (k = gr->first[c]; !err && k < gr->first[c + 1]; k++) {
			const struct xref_node *v = &nodes[gr->members[k]];

			err = xref_buf_puts(&b, k > gr->first[c] ? ", {\"id\": "
								 : "{\"id\": ");
			if (!err)
				err = json_string(&b, v->uid);
			if (!err)
				err = xref_buf_puts(&b, ", \"name\": ");
			if (!err)
				err = json_string(&b, v->name);
			if (!err)
				err = xref_buf_puts(&b, ", \"type\": ");
			if (!err)
				err = json_string(&b, xref_type_name(v->type));
			if (!err)
				err = xref_buf_putc(&b, '}');
		}
		if (!err)
			err = xref_buf_puts(&b, "]}");
	}
	if (!err)
		err = xref_buf_puts(&b, shown ? "\n  ]\n}\n" : "]\n}\n");
	if (err) {
		cli_error("out of memory");
		xref_buf_release(&b);
		return -1;
	}
	if (fwrite(xref_buf_cstr(&b), 1, b.len, stdout) != b.len)
		cli_stdout_failed(); /* main reports it */
	xref_buf_release(&b);
	return 0;
}

static int write_table(const struct xref_graph *g, const struct groups *gr,
		       enum xref_table_format format, size_t top)
{
	const struct xref_node *nodes;
	struct xref_table *t = NULL;
	struct xref_buf names = XREF_BUF_INIT;
	size_t n, c, k, size, shown;
	int err;

	nodes = xref_graph_nodes(g, &n);
	shown = top && top < gr->n ? top : gr->n;
	err = xref_table_new(&t);
	if (!err)
		err = xref_table_add_column(t, "community", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "size", XREF_COL_INTEGER);
	if (!err)
		err = xref_table_add_column(t, "members", XREF_COL_STRING);
	for (c = 0; !err && c < shown; c++) {
		size = gr->first[c + 1] - gr->first[c];
		xref_buf_clear(&names);
		for (k = 0; !err && k < size && k < TABLE_MEMBERS; k++)
			err = xref_buf_printf(
				&names, "%s%s", k ? ", " : "",
				nodes[gr->members[gr->first[c] + k]].name);
		if (!err && size > TABLE_MEMBERS)
			err = xref_buf_printf(&names, " (+%zu)",
					      size - TABLE_MEMBERS);
		if (!err)
			err = xref_table_add_row(t);
		if (!err)
			err = xref_table_set_integer(t, 0, (long long)c);
		if (!err)
			err = xref_table_set_integer(t, 1, (long long)size);
		if (!err)
			err = xref_table_set_string(t, 2,
						    xref_buf_cstr(&names));
	}
	if (!err)
		err = xref_table_write(t, format, stdout);
	xref_buf_release(&names);
	xref_table_free(t);
	if (err == XREF_EIO) {
		cli_stdout_failed(); /* main reports it */
		return 0;
	}
	if (err) {
		cli_error_last(err);
		return -1;
	}
	return 0;
}

int cmd_communities(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *case_opt = NULL, *path;
	struct xref_community_opts copts;
	struct xref_cli_filter filter;
	struct groups gr = { NULL, NULL, 0 };
	enum xref_table_format format = XREF_TABLE_TABLE;
	long top = 0, seed = 1;
	bool save = true;
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	double modularity = NAN;
	size_t n_comm = 0;
	int opt, r, err, ret = CLI_FAIL;

	memset(&copts, 0, sizeof(copts));
	copts.resolution = 1;
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
		case OPT_RESOLUTION:
			if (cli_parse_double(&copts.resolution, optarg, 0,
					     HUGE_VAL) ||
			    !(copts.resolution > 0)) {
				ret = cli_usage_error(cmd,
					"--resolution needs a number > 0, not '%s'",
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
		case OPT_TOP:
			if (cli_parse_long(&top, optarg, 0, LONG_MAX)) {
				ret = cli_usage_error(cmd,
					"--top needs a whole number >= 0, not '%s'",
					optarg);
				goto out;
			}
			break;
		case OPT_NO_SAVE:
			save = false;
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
	if (cli_filter_check(&filter, cmd)) {
		ret = CLI_USAGE;
		goto out;
	}
	copts.seed = (unsigned long)seed;

	path = cli_case_path(case_opt);
	if (save) {
		/* writable, but never created: a typo must not make a case */
		if (cli_case_open_existing(&c, path))
			goto out;
		xref_case_free(c);
		c = NULL;
		err = xref_case_open(&c, path, 0, XREF_WINDOW_SENTENCE);
		if (err) {
			cli_error_last(err);
			goto out;
		}
	} else if (cli_case_open_existing(&c, path)) {
		goto out;
	}
	if (cli_filter_load(&g, c, &filter, NULL))
		goto out;
	err = xref_graph_communities(g, &copts, &modularity, &n_comm);
	if (!err)
		err = xref_graph_compute(g, XREF_METRIC_PAGERANK);
	if (!err && save)
		err = xref_case_save_communities(c, g);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (groups_build(&gr, g, n_comm))
		goto out;
	if (format == XREF_TABLE_JSON) {
		if (write_json(g, &gr, modularity, (size_t)top))
			goto out;
	} else if (write_table(g, &gr, format, (size_t)top)) {
		goto out;
	}
	ret = CLI_OK;
out:
	groups_release(&gr);
	xref_graph_free(g);
	xref_case_free(c);
	return ret;
}
