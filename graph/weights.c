/*
 * Tie strength and the significance backbone.
 *
 * A raw co-occurrence count favours ubiquitous names: a big country or a
 * wire agency co-occurs with everyone. Two association measures correct
 * for how often each end occurs at all, both over co-occurrence windows
 * (sentences by default):
 *
 *   npmi     ln(p_ab / (p_a p_b)) / -ln(p_ab), with p_ab = w_ab / W and
 *            p_a = n_a / W: 1 when a and b only ever occur together, 0 when
 *            they meet as often as chance predicts, towards -1 when they
 *            avoid each other (Bouma 2009). A tie that exists occurs at
 *            least once, so NPMI > -1; ties at or below 0 are dropped, since
 *            no metric here can read a negative strength (PageRank and
 *            Leiden need weights >= 0, lengths need > 0) and a tie no more
 *            frequent than chance is not an association a reporter wants.
 *   jaccard  w_ab / (n_a + n_b - w_ab): shared windows over the windows of
 *            either, in (0, 1].
 *
 * W, n_a and w_ab all count windows that hold evidence, that is windows
 * where at least two entities occur (the case keeps no row for a window
 * with one entity). That makes n_a >= w_ab always hold and keeps the three
 * counts consistent under a date range.
 *
 * The backbone is the disparity filter of Serrano, Boguna and Vespignani
 * (PNAS 2009): under the null model a node's strength is spread uniformly
 * at random over its k ties, and a tie carrying a share p of it is
 * significant when (1 - p)^(k - 1) < alpha. A tie stays when it is
 * significant for either end. A global threshold (--min-weight) was not
 * enough on its own: it erases every tie of a small, quiet node while
 * keeping all ties of a hub.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/analysis_internal.h"
#include "graph/graph.h"
#include "graph/graph_internal.h"
#include "ingest/status.h"

static const char *const weight_names[XREF_WEIGHT_KINDS] = {
    "count",
    "npmi",
    "jaccard",
};

const char *xref_weight_name(enum xref_weight w)
{
	if ((unsigned)w >= XREF_WEIGHT_KINDS)
		return "unknown";
	return weight_names[w];
}

int xref_weight_parse(enum xref_weight *out, const char *name)
{
	for (int i = 0; i < XREF_WEIGHT_KINDS; i++) {
		if (strcmp(name, weight_names[i]) == 0) {
			*out = (enum xref_weight)i;
			return 0;
		}
	}
	return xref_error_set(XREF_EINVAL, "unknown weight '%s'", name);
}

static double npmi(double w, double na, double nb, double total)
{
	double pab = w / total, pa = na / total, pb = nb / total;

	if (pab >= 1)
		return 1;
	return log(pab / (pa * pb)) / -log(pab);
}

int xref_graph_set_weight(struct xref_graph *g, enum xref_weight w,
                          long total_windows)
{
	bool *keep = NULL;
	int rc = 0;

	if ((unsigned)w >= XREF_WEIGHT_KINDS) {
		rc = xref_error_set(XREF_EINVAL, "unknown weight");
		goto out;
	}
	if (w != XREF_WEIGHT_COUNT) {
		for (size_t i = 0; i < g->n_edges; i++) {
			const struct xref_edge *e = &g->edges[i];
			long na = g->nodes[e->source].windows;
			long nb = g->nodes[e->target].windows;

			if (na < e->weight || nb < e->weight ||
			    (w == XREF_WEIGHT_NPMI &&
			     total_windows < na + nb - e->weight) ||
			    e->weight <= 0) {
				rc = xref_error_set(
				    XREF_EINVAL,
				    "window counts unknown or inconsistent "
				    "for the tie '%s' - '%s'",
				    g->nodes[e->source].name,
				    g->nodes[e->target].name);
				goto out;
			}
		}
	}
	keep = xref_graph_alloc(g->n_edges, sizeof(*keep));
	if (!keep) {
		rc = XREF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge *e = &g->edges[i];
		double wab = (double)e->weight;
		double na = (double)g->nodes[e->source].windows;
		double nb = (double)g->nodes[e->target].windows;

		switch (w) {
		case XREF_WEIGHT_NPMI:
			e->strength = npmi(wab, na, nb, (double)total_windows);
			break;
		case XREF_WEIGHT_JACCARD:
			e->strength = wab / (na + nb - wab);
			break;
		default:
			e->strength = wab;
			break;
		}
		keep[i] = w != XREF_WEIGHT_NPMI || e->strength > 0;
	}
	xref_graph_keep_edges(g, keep, NULL);
out:
	free(keep);
	return rc;
}

int xref_graph_backbone(struct xref_graph *g, double alpha)
{
	size_t *deg = NULL;
	double *str = NULL;
	bool *keep = NULL;
	int rc;

	if (!(alpha > 0 && alpha < 1))
		return xref_error_set(
		    XREF_EINVAL, "backbone significance must be in (0, 1)");
	rc = xref_graph_degrees(g, &deg, &str);
	if (rc < 0)
		goto out;
	keep = xref_graph_alloc(g->n_edges, sizeof(*keep));
	if (!keep) {
		rc = XREF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		const struct xref_edge *e = &g->edges[i];
		size_t ends[2] = {e->source, e->target};

		keep[i] = false;
		for (int k = 0; k < 2; k++) {
			size_t v = ends[k];
			double p, a;

			if (deg[v] < 2 || !(str[v] > 0))
				continue;
			p = e->strength / str[v];
			/* pow(1 - p, k - 1), exact enough at p near 0 */
			a = exp((double)(deg[v] - 1) * log1p(-p));
			if (p >= 1 || a < alpha)
				keep[i] = true;
		}
	}
	xref_graph_keep_edges(g, keep, NULL);
out:
	free(deg);
	free(str);
	free(keep);
	return rc;
}
