/*
 * Internals shared by the files of graph/ only: the layout of struct
 * xref_graph, the case file's database handle, and small helpers. Never
 * include this outside graph/: it names SQLite, which stays in this module.
 */
#ifndef XREF_GRAPH_GRAPH_INTERNAL_H
#define XREF_GRAPH_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "graph/case.h"
#include "graph/graph.h"

/* Strings held once however often they are used: a hash set whose
 * strings live in large chunks freed together (graph.c). */
struct xref_strpool {
	char **slots;   /* open addressing; NULL: empty */
	size_t cap, n;
	struct pool_chunk *chunks;
};

struct xref_graph {
	struct xref_node *nodes;
	size_t n_nodes, cap_nodes;
	struct xref_edge *edges;
	size_t n_edges, cap_edges;
	bool finished; /* xref_graph_finish() ran and nothing was added since */
	struct xref_strpool pool; /* every string of every evidence */
};

/* Whether the case has its query indexes: false for a bulk build not yet
 * published, whose reads must scan rather than look up. */
bool xref_case_indexed(const struct xref_case *c);

/* Whether the case is a bulk build that has not yet left its bulk phase
 * (no document replaced, not finished). */
bool xref_case_is_new_bulk(const struct xref_case *c);

/* The open database of a case. Borrowed: valid until xref_case_free(). */
sqlite3 *xref_case_sqlite(struct xref_case *c);

/* Makes room in the array *p of `size`-byte items (holding *cap) for `n`
 * items, doubling. Returns 0, or XREF_ENOMEM (with *p untouched) when the
 * size overflows or allocation fails. */
int xref_graph_reserve(void **p, size_t *cap, size_t n, size_t size);

/* Frees the strings and evidence of one edge (not the edge itself). */
void xref_graph_edge_release(struct xref_edge *e);

/* Frees the strings and aliases of one node (not the node itself). */
void xref_graph_node_release(struct xref_node *n);

/* PageRank of g, undirected, edges weighted by their strength, into
 * rank[0..n_nodes) (summing to 1), with the given damping (0.85 for the
 * usual definition); the same bits on every machine (graph/pagerank.c).
 * O(iterations * (nodes + edges)). Returns 0, XREF_EINVAL (a negative or
 * infinite strength, a damping outside [0, 1]) or XREF_ENOMEM. */
int xref_graph_pagerank(double *rank, const struct xref_graph *g,
                        double damping);

/* How loading evidence reads the rows (graph.c): 1 one pass over the
 * table, 0 one query per edge, -1 (the default) chosen by the number of
 * edges against the table's size. Both give the same evidence; tests set
 * it to compare them. Not thread-safe: set it before loading. */
void xref_graph_set_evidence_scan(int mode);

#endif
