/*
 * Internals shared by the files of graph/ only: the layout of struct
 * xref_graph, the case file's database handle, and small helpers. Never
 * include this outside graph/: it names SQLite, which stays in this module.
 */
#ifndef XREF_GRAPH_GRAPH_INTERNAL_H
#define XREF_GRAPH_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "graph/case.h"
#include "graph/graph.h"

/* Strings held once however often they are used: a hash set whose
 * strings live in large chunks freed together (graph.c). */
struct xref_strpool {
	char **slots;     /* open addressing; NULL: empty */
	uint64_t *hashes; /* [cap]: the hash of each slot's string */
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

/*
 * The part of adding a document that needs no case, computed ahead by the
 * pipeline's workers so that the storing thread (the one that limits a
 * build) does less: the input checks, the content hash, the distinct
 * entity keys in key order, and the windows' occurrences of those keys.
 * Only the case's window is read from the case (it never changes once
 * open).
 */
struct xref_case_occ {
	size_t window; /* sentence or paragraph index; 0 for the document */
	size_t key;    /* rank of the entity's key (see keys) */
	size_t first;  /* the first sentence holding it in the window */
};

/* A surface form of an entity in one document, with its mentions there. */
struct xref_case_form {
	size_t off, len; /* its key in xref_case_prep.form_keys: as the
			  * form map's keys, the entity id (8 bytes) left 0 */
	size_t key;      /* rank of the entity's key */
	long n;          /* mentions */
};

struct xref_case_prep {
	char hash[33];
	size_t n_mentions;
	size_t *rank; /* [n_mentions]: the rank of each mention's key */
	size_t *keys; /* [n_keys]: by rank, the first mention with the key */
	size_t n_keys;
	struct xref_case_occ *occ; /* each key once per window, ordered by
				    * window then key rank */
	size_t n_occ;
	/* Distinct (entity, name, type, surface, rule) in the order of
	 * their first mention, for the counts of entity_forms. */
	struct xref_case_form *forms;
	size_t n_forms;
	char *form_keys;
	/* [n_mentions]: the byte lengths of each mention's name, type name
	 * and rule, so the writer binds them without measuring. */
	struct xref_case_lens {
		size_t name, type, rule;
	} *lens;
};

/* Fills *p (which need not be initialised) for adding doc to a case with
 * window `window`. hash is doc's content hash from
 * xref_case_document_check(), or NULL to compute it here. On failure
 * (XREF_EINVAL for mentions or a segmentation that do not fit the text,
 * XREF_ENOMEM) *p holds nothing. Release with xref_case_prep_release().
 * O(m log m) for m mentions. Reentrant. */
int xref_case_prepare(struct xref_case_prep *p, enum xref_window window,
		      const struct xref_doc *doc,
		      const struct xref_segmentation *seg,
		      const struct xref_mentions *m, const char *hash);

/* xref_case_document_unchanged(), giving also doc's content hash (32 hex
 * digits and a NUL) in hash, for xref_case_prepare() to reuse. */
int xref_case_document_check(struct xref_case *c, const struct xref_doc *doc,
			     bool *unchanged, char hash[33]);

void xref_case_prep_release(struct xref_case_prep *p);

/* xref_case_add_document() with its case-free part already done: p must
 * come from xref_case_prepare() of the same doc, seg and m, with the
 * case's window. */
int xref_case_add_prepared(struct xref_case *c, const struct xref_doc *doc,
			   const struct xref_segmentation *seg,
			   const struct xref_mentions *m,
			   const struct xref_case_prep *p,
			   enum xref_add_result *result);

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
