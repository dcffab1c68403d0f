/*
 * The entity graph, loaded from a case file, and its analyses (igraph).
 *
 * igraph stays inside graph/: this header hands out plain data only. Nodes
 * are sorted by uid and edges by (source, target) node index, so every
 * output built from a graph is deterministic.
 */
#ifndef XREF_GRAPH_GRAPH_H
#define XREF_GRAPH_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "graph/case.h"
#include "ingest/entity.h"

enum xref_metric {
	XREF_METRIC_DEGREE,      /* number of distinct neighbours */
	XREF_METRIC_STRENGTH,    /* sum of tie weights (co-occurrence counts) */
	XREF_METRIC_BETWEENNESS, /* unweighted (hop count), undirected, unnormalised */
	XREF_METRIC_PAGERANK,    /* damping 0.85, weighted by tie weight */
	XREF_METRIC_COUNT
};

const char *xref_metric_name(enum xref_metric m);               /* static */
int xref_metric_parse(enum xref_metric *out, const char *name); /* 0 or XREF_EINVAL */

struct xref_evidence {
	char *doc_id, *title, *url, *date; /* title, url, date may be NULL */
	size_t start, end;                 /* byte span in the document text */
	char *text;                        /* the window's text (a sentence by default) */
};

struct xref_node {
	char uid[17];        /* xref_entity_uid() of key: the id in every export */
	char *key;           /* normalised key */
	char *name;          /* display name */
	enum xref_type type;
	char **aliases;      /* surface forms other than name, sorted */
	size_t n_aliases;
	long mentions, documents;
	double metric[XREF_METRIC_COUNT];
	bool has_metric[XREF_METRIC_COUNT];
};

struct xref_edge {
	size_t source, target; /* node indexes, source < target */
	long weight;           /* windows in which both occur */
	long documents;        /* documents in which both occur in one window */
	char *first_seen, *last_seen; /* dates, or NULL when no document is dated */
	struct xref_evidence *evidence; /* newest first; NULL unless loaded */
	size_t n_evidence;
};

struct xref_graph_filter {
	unsigned type_mask;     /* bit (1u << type) per type kept; 0 keeps all */
	long min_weight;        /* edges lighter than this are dropped (0: none) */
	bool with_evidence;     /* load evidence into each edge */
	size_t max_evidence;    /* evidence per edge when loaded (0: all) */
};

struct xref_graph;

/* Loads the graph of case `c` through filter `f` (NULL: everything). Nodes
 * without any edge are kept. *out is owned by the caller (xref_graph_free()).
 * Returns 0, XREF_ENOMEM, or XREF_ERROR on a database error. */
int xref_graph_load(struct xref_graph **out, struct xref_case *c,
		    const struct xref_graph_filter *f);

/* Replaces the evidence of every edge of g with the case's, newest first
 * (undated last, then doc_id and span), at most max_evidence per edge (0:
 * all). Nodes are matched to the case by key; an edge with an end the case
 * does not know is left without evidence. Meant for loading without
 * evidence, filtering (xref_graph_keep_top) and then loading the evidence
 * of the edges that remain. One indexed query per edge: O(E log N) plus
 * the rows read. Returns 0, XREF_ENOMEM, or XREF_ERROR on a database
 * error (some edges may then have their new evidence, the rest none). */
int xref_graph_load_evidence(struct xref_graph *g, struct xref_case *c,
			     size_t max_evidence);

void xref_graph_free(struct xref_graph *g);

/* The nodes and edges. Borrowed: valid until the graph changes or is freed. */
const struct xref_node *xref_graph_nodes(const struct xref_graph *g, size_t *n);
const struct xref_edge *xref_graph_edges(const struct xref_graph *g, size_t *n);

/* Computes metric m for every node with igraph and stores it in
 * node.metric[m]. Degree and strength O(V+E); PageRank O(E) per iteration;
 * betweenness O(V E) (Brandes). Returns 0, XREF_EINVAL when the graph is
 * not finished, or XREF_ERROR with igraph's message. */
int xref_graph_compute(struct xref_graph *g, enum xref_metric m);

/* Keeps the n nodes ranked highest by metric m (computing it when needed;
 * ties broken by mentions, then by uid) and the edges among them. n == 0 or
 * n >= node count keeps everything. Nodes stay sorted by uid; metrics
 * already computed keep their values from the whole graph (call
 * xref_graph_compute() again for values within the subgraph).
 * O(V log V + E). */
int xref_graph_keep_top(struct xref_graph *g, enum xref_metric m, size_t n);

/* Node indexes sorted by metric m, highest first (ties: mentions, then uid).
 * *order is owned by the caller (free()). The metric must be computed. */
int xref_graph_rank(size_t **order, const struct xref_graph *g,
		    enum xref_metric m);

/* Building a graph by hand (tests, generated graphs, filters). Strings are
 * copied. Indexes are in insertion order until xref_graph_finish(), which
 * sorts nodes by uid and edges by (source, target), merges duplicate edges
 * (summing weights) and must be called before any analysis or export. */
/* Details: add_* return 0, XREF_EINVAL (bad index, NULL string, negative
 * weight, unknown type) or XREF_ENOMEM; evidence needs doc_id (a NULL text
 * is stored as ""). finish() also drops self-loops, normalises edges to
 * source < target, merges duplicates (weights and documents summed, first
 * seen the earliest, last seen the latest, evidence concatenated), sorts
 * aliases (bytewise), removes duplicate aliases and the one equal to the
 * name, sorts evidence newest first (undated last, then doc_id, start),
 * and forgets computed metrics. Two nodes with the same key are
 * XREF_EINVAL. finish() may be called again after more additions.
 * O((V + E) log(V + E)). */
int xref_graph_new(struct xref_graph **out);
int xref_graph_add_node(struct xref_graph *g, const char *key,
			const char *name, enum xref_type type, long mentions,
			long documents);
int xref_graph_add_alias(struct xref_graph *g, size_t node, const char *alias);
int xref_graph_add_edge(struct xref_graph *g, size_t a, size_t b, long weight,
			long documents, const char *first_seen,
			const char *last_seen);
int xref_graph_add_evidence(struct xref_graph *g, size_t edge,
			    const struct xref_evidence *ev);
int xref_graph_finish(struct xref_graph *g);

/* Installs igraph's non-aborting error and warning handlers. Called by
 * xref_graph_load() and safe to call again; the CLI calls it at start-up. */
void xref_graph_setup(void);

#endif
