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

/*
 * Node metrics. "Tie strength" is struct xref_edge.strength (the
 * co-occurrence count unless xref_graph_set_weight() chose another
 * measure); the path-based metrics count hops unless asked to read a
 * length of 1 / strength (struct xref_metric_opts.weighted). New metrics
 * go at the end: the exports write metrics in this order.
 */
enum xref_metric {
	XREF_METRIC_DEGREE,      /* number of distinct neighbours */
	XREF_METRIC_STRENGTH,    /* sum of tie strengths */
	XREF_METRIC_BETWEENNESS, /* shortest paths through the node, each unordered pair once */
	XREF_METRIC_PAGERANK,    /* damping 0.85, ties followed in proportion to strength */
	XREF_METRIC_CLOSENESS,   /* 1 / sum of distances to the nodes it reaches */
	XREF_METRIC_HARMONIC,    /* sum of 1 / distance to every other node */
	XREF_METRIC_EIGENVECTOR, /* leading eigenvector of the strength matrix */
	XREF_METRIC_CORENESS,    /* largest k of a k-core holding the node (hops) */
	XREF_METRIC_COUNT
};

const char *xref_metric_name(enum xref_metric m);               /* static */
int xref_metric_parse(enum xref_metric *out, const char *name); /* 0 or XREF_EINVAL */

/* How a tie's strength is measured from its co-occurrences (graph/weights.c
 * has the formulas). */
enum xref_weight {
	XREF_WEIGHT_COUNT,   /* windows in which both occur */
	XREF_WEIGHT_NPMI,    /* normalised pointwise mutual information, (0, 1] kept */
	XREF_WEIGHT_JACCARD, /* shared windows / windows of either */
	XREF_WEIGHT_KINDS
};

const char *xref_weight_name(enum xref_weight w);               /* static */
int xref_weight_parse(enum xref_weight *out, const char *name); /* 0 or XREF_EINVAL */

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
	long windows;        /* co-occurrence windows holding it (-1: unknown) */
	long community;      /* community number (xref_graph_communities(), or
			      * stored in the case file); -1: unknown */
	double metric[XREF_METRIC_COUNT];
	bool has_metric[XREF_METRIC_COUNT];
};

struct xref_edge {
	size_t source, target; /* node indexes, source < target */
	long weight;           /* windows in which both occur */
	double strength;       /* tie strength: weight as a number, or the
				* measure xref_graph_set_weight() chose */
	long documents;        /* documents in which both occur in one window */
	char *first_seen, *last_seen; /* dates, or NULL when no document is dated */
	struct xref_evidence *evidence; /* newest first; NULL unless loaded */
	size_t n_evidence;
};

/* What xref_graph_load() keeps. A zeroed filter keeps everything. */
struct xref_graph_filter {
	unsigned type_mask;     /* bit (1u << type) per type kept; 0 keeps all */
	long min_weight;        /* edges seen in fewer windows are dropped (0: none) */
	bool with_evidence;     /* load evidence into each edge */
	size_t max_evidence;    /* evidence per edge when loaded (0: all) */
	long min_mentions;      /* entities mentioned fewer times are dropped */
	long min_documents;     /* entities in fewer documents are dropped */
	const char *const *stop; /* names, aliases or uids of entities to drop */
	size_t n_stop;
	const char *since, *until; /* only documents dated in this range (NULL:
				    * open), "YYYY[-MM[-DD]]"; see below */
	enum xref_weight weight; /* tie strength measure */
	double min_strength;    /* ties weaker than this are dropped (0: none) */
	double backbone;        /* disparity filter significance in (0, 1); 0: none */
	const char *ego;        /* keep only this entity's neighbourhood (NULL: all) */
	long depth;             /* ... up to this many hops (0: the ego alone) */
	size_t evidence_budget; /* with_evidence: at most about this many
				 * evidence rows in all (0: no bound); see
				 * xref_graph_evidence_cap() */
};

/*
 * The evidence kept per edge when a graph of n_edges edges loads at most
 * max_evidence per edge (0: all) within a budget of rows in all (0: none):
 * max_evidence, lowered to budget / n_edges (at least 1) when that is
 * smaller. `xref build` and `xref export` load at most
 * XREF_BUILD_MAX_EVIDENCE per link within XREF_BUILD_EVIDENCE_BUDGET, so
 * a graph of up to 150,000 links keeps 20 sentences per link and one of
 * 600,000 keeps 5: memory and file sizes follow the budget, not the corpus.
 */
#define XREF_BUILD_MAX_EVIDENCE 20
#define XREF_BUILD_EVIDENCE_BUDGET 3000000
size_t xref_graph_evidence_cap(size_t max_evidence, size_t budget,
			       size_t n_edges);

struct xref_graph;

/*
 * Loads the graph of case `c` through filter `f` (NULL: everything). *out
 * is owned by the caller (xref_graph_free()). The filter applies in this
 * order:
 *   1. entities: type_mask, then min_mentions and min_documents, then the
 *      stop list (each entry matched as xref_graph_find_node() does, every
 *      entity it names dropped; entries naming nothing are ignored);
 *   2. ties between the entities kept, with at least min_weight windows;
 *   3. tie strengths by `weight` (xref_graph_set_weight(), counts over the
 *      whole case, or the date range), then min_strength, then the
 *      backbone (xref_graph_backbone());
 *   4. the ego network (xref_graph_keep_ego()).
 * With `since` or `until`, everything is counted from the documents dated
 * in the range alone (xref_date_range_has() in graph/query.h: a partial
 * date is its whole month or year; undated documents are left out):
 * mentions, documents, tie weights, first and last seen, and the evidence
 * loaded; entities not mentioned in the range are dropped. Nodes without
 * any tie are kept (except outside an ego network). Each node's community
 * comes from the case file when it holds one (xref_case_save_communities()).
 * Returns 0, XREF_EINVAL (a malformed date or filter value),
 * XREF_ENOTFOUND or XREF_EAMBIGUOUS (the ego), XREF_ENOMEM, or XREF_ERROR
 * on a database error. O(rows read + (V + E) log(V + E)).
 */
int xref_graph_load(struct xref_graph **out, struct xref_case *c,
		    const struct xref_graph_filter *f);

/* Replaces the evidence of every edge of g with the case's, newest first
 * (undated last, then doc_id and span), at most max_evidence per edge (0:
 * all). Nodes are matched to the case by key; an edge with an end the case
 * does not know is left without evidence. Meant for loading without
 * evidence, filtering (xref_graph_keep_top) and then loading the evidence
 * of the edges that remain. One indexed query per edge, ranked in
 * memory, and one read of each document's text for all the sentences cut
 * from it: O(E log N + D) plus the rows read. The strings are held once
 * per graph (a sentence proving several ties is stored once) and stay
 * valid until the graph is freed. Returns 0, XREF_ENOMEM, or XREF_ERROR on a database
 * error (some edges may then have their new evidence, the rest none). */
int xref_graph_load_evidence(struct xref_graph *g, struct xref_case *c,
			     size_t max_evidence);

/* Loads the evidence of g's edges as xref_graph_load() does when
 * f->with_evidence is set: from the documents within f->since and
 * f->until, at most xref_graph_evidence_cap(f->max_evidence,
 * f->evidence_budget, edges) per edge; the other fields of f are not
 * read. For a graph loaded from c without evidence (and not changed
 * since), so that a caller can load the evidence on one thread while
 * another computes g's metrics (xref_graph_compute_*() and
 * xref_graph_communities() write other fields and never the evidence;
 * nothing else may use g meanwhile). Errors as xref_graph_load_evidence(),
 * and XREF_EINVAL for a bad date. */
int xref_graph_load_evidence_filtered(struct xref_graph *g,
				      struct xref_case *c,
				      const struct xref_graph_filter *f);

void xref_graph_free(struct xref_graph *g);

/* The nodes and edges. Borrowed: valid until the graph changes or is freed. */
const struct xref_node *xref_graph_nodes(const struct xref_graph *g, size_t *n);
const struct xref_edge *xref_graph_edges(const struct xref_graph *g, size_t *n);

/* How a metric is computed (a zeroed struct: the defaults). */
struct xref_metric_opts {
	bool weighted;   /* betweenness, closeness, harmonic: a tie's length is
			  * 1 / strength instead of one hop */
	bool normalized; /* scale as described at xref_graph_compute_opts() */
	double cutoff;   /* > 0: betweenness, closeness and harmonic only
			  * count paths of at most this length (hops, or
			  * lengths when weighted) */
	size_t sample;   /* > 0: betweenness from this many random sources
			  * per connected component, scaled (exact when >=
			  * the component's size) */
	unsigned long seed; /* of the source sample */
};

/*
 * Computes metric m for every node with igraph and stores it in
 * node.metric[m] (opts NULL: the defaults). Values (unnormalised, and
 * with --normalized):
 *   degree       neighbours; / (V - 1)
 *   strength     sum of tie strengths; / (V - 1)
 *   betweenness  pairs, each unordered pair counted once (Brandes);
 *                * 2 / ((V - 1)(V - 2))
 *   closeness    1 / sum of distances to the nodes reached (0 when none is
 *                reached); * (reached - 1), the inverse mean distance
 *   harmonic     sum of 1 / distance; / (V - 1)
 *   pagerank     damping 0.85, sums to 1 (isolated nodes jump anywhere);
 *                unchanged
 *   eigenvector  unit Euclidean length, non-negative; largest = 1
 *   coreness     k-core number by hops; / largest coreness
 * With opts->sample, betweenness runs Brandes from `sample` sources drawn
 * without replacement in each connected component (all of a component's
 * nodes when it has no more; seeded, deterministic) to every node, and
 * scales each component's sums by (its size / sources drawn in it): an
 * unbiased estimate whose relative standard error for a node is about
 * c / sqrt(sample), c being the spread of the node's dependency over the
 * sources of its component (measured 1.3 to 2.5 for the most central
 * nodes of generated graphs; times sqrt(1 - sample / size)).
 * Degree, strength O(V + E); PageRank, eigenvector O(E) per iteration;
 * coreness O(V + E); betweenness, closeness, harmonic O(V E) (O(V E +
 * V^2 log V) weighted), O(sample (V + E)) sampled. Returns 0, XREF_EINVAL (graph
 * not finished, a weighted metric on a tie of strength <= 0, bad opts),
 * XREF_ENOMEM, or XREF_ERROR with igraph's message.
 */
int xref_graph_compute_opts(struct xref_graph *g, enum xref_metric m,
			    const struct xref_metric_opts *opts);

/* xref_graph_compute_opts() with the defaults. */
int xref_graph_compute(struct xref_graph *g, enum xref_metric m);

/*
 * What `xref build` and `xref export` compute on every graph they write, so
 * that both write the same bytes and stay bounded on large cases: degree,
 * strength, betweenness and PageRank. Betweenness is exact up to
 * XREF_BETWEENNESS_EXACT_MAX nodes; above, it is estimated from
 * XREF_BETWEENNESS_SAMPLE sources per connected component drawn with seed
 * XREF_BETWEENNESS_SEED (xref_metric_opts.sample), which keeps its cost
 * O(sample (V + E)) instead of O(V E) and its relative error for the most
 * central nodes near 10%. *sample (may be NULL) gets the sample size used,
 * 0 when exact. Returns as xref_graph_compute_opts().
 */
#define XREF_BETWEENNESS_EXACT_MAX 2000
#define XREF_BETWEENNESS_SAMPLE 500
#define XREF_BETWEENNESS_SEED 1
int xref_graph_compute_standard(struct xref_graph *g, size_t *sample);

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

/* ---- tie strength, filters and communities ---- */

/* Records how many co-occurrence windows hold node `node` (its n_a in
 * xref_graph_set_weight()), for hand-built graphs: xref_graph_load() fills
 * it from the case. 0 or XREF_EINVAL (bad index, negative count). */
int xref_graph_set_windows(struct xref_graph *g, size_t node, long windows);

/*
 * Sets every edge's strength by measure w from its weight w_ab, the window
 * counts n_a, n_b of its ends (node.windows) and the number of windows W
 * of the corpus (total_windows; read by npmi only):
 *   count    w_ab
 *   npmi     ln(p_ab / (p_a p_b)) / -ln(p_ab), p_ab = w_ab / W,
 *            p_a = n_a / W (1 when p_ab = 1); ties <= 0 (no more often
 *            together than chance) are dropped
 *   jaccard  w_ab / (n_a + n_b - w_ab)
 * npmi and jaccard need the window counts (XREF_EINVAL otherwise, or when
 * a count is smaller than a weight). Dropping ties forgets computed
 * metrics. O(V + E).
 */
int xref_graph_set_weight(struct xref_graph *g, enum xref_weight w,
			  long total_windows);

/* Drops the ties of strength below min. Forgets computed metrics when a
 * tie goes. O(V + E). 0 or XREF_ENOMEM. */
int xref_graph_min_strength(struct xref_graph *g, double min);

/*
 * The disparity filter backbone (Serrano, Boguna, Vespignani 2009): a tie
 * of strength w between a and b stays when it is significant at level
 * alpha for either end, that is when (1 - w / s)^(k - 1) < alpha for an
 * end of strength s and degree k > 1. An end of degree 1 never passes by
 * itself, so its tie stays only when the other end's test passes. Nodes
 * stay, even when left without ties. alpha in (0, 1), else XREF_EINVAL.
 * Forgets computed metrics when a tie goes. O(V + E).
 */
int xref_graph_backbone(struct xref_graph *g, double alpha);

/* Keeps the nodes with keep[i] (one flag per node) and the ties between
 * them, in the same order. Forgets computed metrics when anything goes.
 * O(V + E). 0 or XREF_ENOMEM. */
int xref_graph_keep_nodes(struct xref_graph *g, const bool *keep);

/* Keeps the nodes within `depth` hops of node `ego` (0: the ego alone) and
 * the ties between them. O(V + E). 0, XREF_EINVAL or XREF_ENOMEM. */
int xref_graph_keep_ego(struct xref_graph *g, size_t ego, long depth);

/*
 * Finds the node that `query` names. Names are compared folded
 * (xref_utf8_fold(): case, diacritics, punctuation) and without a leading
 * "the"; the first rule that matches anything decides: 1. the uid (16 hex
 * digits, any case); 2. the name or the key; 3. an alias. One node: 0 and
 * its index in *index. None: XREF_ENOTFOUND ("no entity named 'Q'").
 * Several: XREF_EAMBIGUOUS, with a message naming up to five candidates,
 * most mentioned first ("'Q' is ambiguous: 'A' (person, <uid>), ...").
 * O(V + aliases) folds.
 */
int xref_graph_find_node(size_t *index, const struct xref_graph *g,
			 const char *query);

/* Drops every node that one of names[0..n) names (matched as
 * xref_graph_find_node() does; an ambiguous entry drops every node it
 * names at the rule that decided; an entry naming nothing is ignored).
 * *dropped (may be NULL) counts the nodes dropped. O(n (V + aliases)).
 * 0 or XREF_ENOMEM. */
int xref_graph_drop_named(struct xref_graph *g, const char *const *names,
			  size_t n, size_t *dropped);

/* Community detection options (a zeroed struct: resolution 1, seed 0). */
struct xref_community_opts {
	double resolution; /* modularity resolution gamma; <= 0 means 1 */
	unsigned long seed; /* igraph's random number generator seed */
};

/*
 * Finds communities with Leiden (igraph) maximising modularity with
 * resolution gamma, edge weights the tie strengths (node weights their
 * strengths, resolution gamma / 2m), iterating while the quality still
 * improves (at most 22 iterations; graph/community.c). Sets every node's
 * community: 0 for the largest, ties by the smallest uid among members; a
 * node without ties is a community of its own. *modularity (may be NULL) gets Newman's
 * modularity of the partition at gamma (NaN when the graph has no tie);
 * *n_communities (may be NULL) their number. Deterministic for a given
 * graph and seed. O(E) per iteration. Returns 0, XREF_EINVAL (graph not
 * finished, a tie of negative strength), XREF_ENOMEM, or XREF_ERROR with
 * igraph's message.
 */
int xref_graph_communities(struct xref_graph *g,
			   const struct xref_community_opts *opts,
			   double *modularity, size_t *n_communities);

/*
 * Stores each node's community in the case file (graph/case_analysis.c):
 * table communities(entity_id, community), created when missing, replaced
 * whole in one transaction (entities not in g, or with community -1, get
 * no row). Nodes are matched to entities by key. The case must be open
 * for writing, outside a batch. O(V log E). 0, XREF_EINVAL (read-only),
 * or XREF_ERROR on a database error.
 */
int xref_case_save_communities(struct xref_case *c,
			       const struct xref_graph *g);

/* Sets each node's community from the case file's table (-1 for nodes it
 * does not list, or when it has none). Called by xref_graph_load(). O(rows
 * log V). 0, XREF_ENOMEM or XREF_ERROR. */
int xref_case_load_communities(struct xref_case *c, struct xref_graph *g);

/* Installs igraph's non-aborting error and warning handlers. Called by
 * xref_graph_load() and safe to call again; the CLI calls it at start-up. */
void xref_graph_setup(void);

#endif
