/*
 * The filter options shared by the graph commands: parsing, the stop list
 * file, and loading the filtered graph.
 *
 * The options live in one table (CLI_FILTER_OPTIONS) and one parser so
 * that --type or --since mean the same thing in every command and a new
 * filter reaches every command at once; the graph side (graph/filter.c,
 * graph/weights.c, the loader) does the work. Each command keeps its own
 * getopt loop and asks cli_filter_parse() first, which was preferred to a
 * callback-driven option framework: the commands stay ordinary getopt
 * code.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/filter.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/query.h"

const char cli_filter_help[] =
	"filters:\n"
	"      --type T[,T...]     only entities of these types: person, company,\n"
	"                          government, organization, media, country,\n"
	"                          location, target\n"
	"      --min-mentions N    only entities mentioned at least N times\n"
	"      --min-documents N   only entities found in at least N documents\n"
	"      --stop-entities FILE\n"
	"                          drop the entities FILE names: one name, alias or\n"
	"                          id per line, '#' starts a comment line\n"
	"      --since DATE        only documents dated DATE or later\n"
	"      --until DATE        only documents dated DATE or earlier; DATE is\n"
	"                          YYYY, YYYY-MM or YYYY-MM-DD, a partial date\n"
	"                          meaning its whole year or month. With either\n"
	"                          bound, undated documents are left out, and\n"
	"                          counts and ties come from the documents kept\n"
	"      --ego NAME          keep only the entities near NAME (a name, alias\n"
	"                          or id)\n"
	"      --depth N           ... within N hops (default 1)\n"
	"      --weight W          tie strength: count (windows shared, the\n"
	"                          default), npmi (normalised pointwise mutual\n"
	"                          information; ties at or below 0 are dropped) or\n"
	"                          jaccard (shared windows / windows of either)\n"
	"      --min-weight W      drop ties weaker than W in that measure\n"
	"      --backbone ALPHA    keep only the ties significant at level ALPHA\n"
	"                          for one of their ends (disparity filter; e.g.\n"
	"                          0.05); entities stay\n"
	"Filters apply in this order: type, mentions, documents, stop list; ties\n"
	"between the entities kept; weight, --min-weight, backbone; ego.\n";

int cli_parse_double(double *out, const char *s, double min, double max)
{
	char *end = NULL;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void cli_filter_init(struct xref_cli_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->depth = -1;
	f->weight = XREF_WEIGHT_COUNT;
}

int cli_filter_parse(struct xref_cli_filter *f, const struct cli_cmd *cmd,
		     int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_FILTER_TYPE:
		return cli_parse_types(&f->type_mask, cmd, arg) ? -1 : 1;
	case CLI_OPT_FILTER_MIN_MENTIONS:
		if (cli_parse_long(&f->min_mentions, arg, 0, LONG_MAX)) {
			cli_usage_error(cmd,
				"--min-mentions needs a whole number >= 0, not '%s'",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_FILTER_MIN_DOCUMENTS:
		if (cli_parse_long(&f->min_documents, arg, 0, LONG_MAX)) {
			cli_usage_error(cmd,
				"--min-documents needs a whole number >= 0, not '%s'",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_FILTER_STOP:
		if (!*arg) {
			cli_usage_error(cmd, "--stop-entities needs a file name");
			return -1;
		}
		f->stop_file = arg;
		return 1;
	case CLI_OPT_FILTER_SINCE:
		f->since = arg;
		return 1;
	case CLI_OPT_FILTER_UNTIL:
		f->until = arg;
		return 1;
	case CLI_OPT_FILTER_EGO:
		if (!*arg) {
			cli_usage_error(cmd, "--ego needs an entity name");
			return -1;
		}
		f->ego = arg;
		return 1;
	case CLI_OPT_FILTER_DEPTH:
		if (cli_parse_long(&f->depth, arg, 0, INT_MAX)) {
			cli_usage_error(cmd,
				"--depth needs a whole number >= 0, not '%s'",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_FILTER_WEIGHT:
		if (xref_weight_parse(&f->weight, arg)) {
			cli_usage_error(cmd,
				"unknown weight '%s' (weights: count, npmi, jaccard)",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_FILTER_MIN_WEIGHT:
		if (cli_parse_double(&f->min_weight, arg, 0, HUGE_VAL)) {
			cli_usage_error(cmd,
				"--min-weight needs a number >= 0, not '%s'",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_FILTER_BACKBONE:
		if (cli_parse_double(&f->backbone, arg, 0, 1) ||
		    !(f->backbone > 0 && f->backbone < 1)) {
			cli_usage_error(cmd,
				"--backbone needs a significance level between 0 and 1, not '%s'",
				arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int cli_filter_check(const struct xref_cli_filter *f,
		     const struct cli_cmd *cmd)
{
	struct xref_date_range r;

	if (f->depth >= 0 && !f->ego) {
		cli_usage_error(cmd, "--depth needs --ego");
		return -1;
	}
	if (xref_date_range_init(&r, f->since, f->until)) {
		cli_usage_error(cmd, "%s (dates: YYYY, YYYY-MM or YYYY-MM-DD)",
				xref_error_last());
		return -1;
	}
	return 0;
}

void cli_filter_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int cli_filter_read_stop(char ***names, size_t *n, const char *path)
{
	FILE *fp = NULL;
	char *line = NULL, **v = NULL;
	size_t cap_line = 0, count = 0, cap = 0;
	ssize_t len;
	int ret = -1;

	*names = NULL;
	*n = 0;
	fp = fopen(path, "r");
	if (!fp) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	while ((len = getline(&line, &cap_line, fp)) != -1) {
		char *s = line, *e = line + len;

		while (e > s && (e[-1] == '\n' || e[-1] == '\r' ||
				 e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (count == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv;

			if (nc > SIZE_MAX / sizeof(*v)) {
				cli_error("out of memory");
				goto out;
			}
			nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				cli_error("out of memory");
				goto out;
			}
			v = nv;
			cap = nc;
		}
		v[count] = strdup(s);
		if (!v[count]) {
			cli_error("out of memory");
			goto out;
		}
		count++;
	}
	if (ferror(fp)) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	*names = v;
	*n = count;
	v = NULL;
	ret = 0;
out:
	cli_filter_names_free(v, count);
	free(line);
	if (fp)
		fclose(fp);
	return ret;
}

int cli_filter_load(struct xref_graph **out, struct xref_case *c,
		    const struct xref_cli_filter *f,
		    const struct xref_graph_filter *base)
{
	struct xref_graph_filter gf;
	char **stop = NULL;
	size_t n_stop = 0;
	int err, ret = -1;

	*out = NULL;
	if (base)
		gf = *base;
	else
		memset(&gf, 0, sizeof(gf));
	if (f->type_mask)
		gf.type_mask = f->type_mask;
	if (f->min_mentions > gf.min_mentions)
		gf.min_mentions = f->min_mentions;
	if (f->min_documents > gf.min_documents)
		gf.min_documents = f->min_documents;
	if (f->since)
		gf.since = f->since;
	if (f->until)
		gf.until = f->until;
	if (f->ego) {
		gf.ego = f->ego;
		gf.depth = f->depth < 0 ? 1 : f->depth;
	}
	gf.weight = f->weight;
	if (f->min_weight > 0) {
		gf.min_strength = f->min_weight;
		/* counts are whole: let the database skip the light ties */
		if (f->weight == XREF_WEIGHT_COUNT) {
			double w = ceil(f->min_weight);
			long lw = w >= (double)LONG_MAX ? LONG_MAX : (long)w;

			if (lw > gf.min_weight)
				gf.min_weight = lw;
		}
	}
	if (f->backbone > 0)
		gf.backbone = f->backbone;
	if (f->stop_file) {
		if (cli_filter_read_stop(&stop, &n_stop, f->stop_file))
			goto out;
		gf.stop = (const char *const *)stop;
		gf.n_stop = n_stop;
	}
	err = xref_graph_load(out, c, &gf);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	ret = 0;
out:
	cli_filter_names_free(stop, n_stop);
	return ret;
}
