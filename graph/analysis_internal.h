/*
 * Internals shared by the analysis files of graph/ (analysis.c, filter.c,
 * weights.c, community.c): small helpers over struct xref_graph. Never
 * include this outside graph/.
 */
#ifndef XREF_GRAPH_ANALYSIS_INTERNAL_H
#define XREF_GRAPH_ANALYSIS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <igraph.h>

#include "graph/graph.h"

/* Forgets every computed metric of every node (the structure changed). */
void xref_graph_forget_metrics(struct xref_graph *g);

/* Keeps the edges with keep[i] (one flag per edge), in the same order;
 * forgets computed metrics when an edge goes. *removed (may be NULL)
 * counts the edges dropped. O(E). */
void xref_graph_keep_edges(struct xref_graph *g, const bool *keep,
                           size_t *removed);

/* Each node's degree and strength (sum of tie strengths) over the edges:
 * *deg and *str are owned by the caller (free()). 0 or XREF_ENOMEM. */
int xref_graph_degrees(const struct xref_graph *g, size_t **deg, double **str);

/* malloc(n * size) with the product checked and at least one byte asked
 * for (malloc(0) may return NULL). NULL, with XREF_ENOMEM set as the last
 * error, when it fails. */
void *xref_graph_alloc(size_t n, size_t size);

/* A throwaway igraph copy of a finished graph: node i is node i, edge i
 * is edge i. */
struct xref_ig {
	igraph_t graph;
	igraph_vector_t strength; /* the tie strengths, in edge order */
	igraph_vector_t length;   /* 1 / strength, when asked for */
	bool has_graph, has_strength, has_length;
};

/* Builds ig from g (finished, else XREF_EINVAL), with the length vector
 * when `lengths` (XREF_EINVAL when a tie's strength is not > 0). Installs
 * the error handlers and clears the last error. On failure ig holds
 * nothing. O(V + E). */
int xref_ig_init(struct xref_ig *ig, const struct xref_graph *g, bool lengths);

/* Frees what ig holds; safe after a failed init. */
void xref_ig_destroy(struct xref_ig *ig);

/* An igraph call failed: keeps the handler's message (or names the code
 * when the handler was not reached) and returns XREF_ERROR, or
 * XREF_ENOMEM for IGRAPH_ENOMEM. */
int xref_ig_fail(igraph_error_t err);

#endif
