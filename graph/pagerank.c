/*
 * PageRank of an undirected weighted graph, computed here rather than by
 * igraph so that the same graph gives the same bits on every machine.
 *
 * igraph's PRPACK solver runs OpenMP loops whose sums are split across
 * threads, so its last digits changed with the number of cores and, on a
 * loaded machine, from run to run: the files of one case were not
 * byte-identical. This is the plain power iteration: a walker at node u
 * moves to neighbour v with probability w(u,v) / strength(u) (damping
 * 0.85 in the callers), a node without strength spreads its rank over
 * every node, and the rest (1 - damping) is spread evenly. Every sum runs
 * over the edges in their fixed order on one thread. It stops when the L1
 * change of an iteration falls below 1e-13 (about 190 iterations at 0.85
 * from the uniform start), far below the 1e-6 agreement the tests ask of
 * networkx; each iteration is O(nodes + edges). Gauss-Seidel or
 * extrapolation would need fewer iterations but make the order of updates
 * part of the result's definition; the power iteration is already well
 * under a second on a million edges.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_internal.h"
#include "ingest/status.h"

#define PAGERANK_TOL 1e-13
#define PAGERANK_MAX_ITER 10000

int xref_graph_pagerank(double *rank, const struct xref_graph *g,
                        double damping)
{
	size_t n = g->n_nodes, m = g->n_edges;
	double *strength = NULL, *next = NULL, *share = NULL;
	int rc = 0;

	if (n == 0)
		return 0;
	if (!(damping >= 0 && damping <= 1))
		return xref_error_set(XREF_EINVAL, "PageRank damping out of range");
	strength = calloc(n, sizeof(*strength));
	next = calloc(n, sizeof(*next));
	share = calloc(n, sizeof(*share));
	if (!strength || !next || !share) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		const struct xref_edge *e = &g->edges[i];

		if (!(e->strength >= 0) || isinf(e->strength)) {
			rc = xref_error_set(XREF_EINVAL,
			                    "PageRank needs finite weights >= 0");
			goto out;
		}
		strength[e->source] += e->strength;
		strength[e->target] += e->strength;
	}
	for (size_t v = 0; v < n; v++)
		rank[v] = 1.0 / (double)n;
	for (int iter = 0; iter < PAGERANK_MAX_ITER; iter++) {
		double dangling = 0, total = 0, change = 0, base;

		for (size_t v = 0; v < n; v++) {
			if (strength[v] > 0) {
				share[v] = rank[v] / strength[v];
			} else {
				share[v] = 0;
				dangling += rank[v];
			}
			next[v] = 0;
		}
		for (size_t i = 0; i < m; i++) {
			const struct xref_edge *e = &g->edges[i];

			next[e->target] += share[e->source] * e->strength;
			next[e->source] += share[e->target] * e->strength;
		}
		base = (1.0 - damping) / (double)n +
		       damping * dangling / (double)n;
		for (size_t v = 0; v < n; v++) {
			next[v] = base + damping * next[v];
			total += next[v];
		}
		for (size_t v = 0; v < n; v++) {
			next[v] /= total;
			change += fabs(next[v] - rank[v]);
			rank[v] = next[v];
		}
		if (change < PAGERANK_TOL)
			break;
	}
out:
	free(strength);
	free(next);
	free(share);
	return rc;
}
