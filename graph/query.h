/*
 * Investigation queries over a case file: finding an entity by name, alias
 * or id; listing entities; the sentences behind a tie or behind an entity's
 * mentions; the shortest paths between two entities, each hop with its
 * evidence; and the ego network around one entity.
 *
 * Every query can be limited to the documents dated within a range (struct
 * xref_date_range): counts, weights, dates and evidence are then those of
 * these documents alone. The library never prints; results are plain data
 * owned by the caller.
 */
#ifndef XREF_GRAPH_QUERY_H
#define XREF_GRAPH_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "graph/case.h"
#include "graph/graph.h"
#include "ingest/entity.h"

/* --- dates ---------------------------------------------------------------- */

/*
 * A range of dates, open at either end. A date known only to the month or
 * the year counts as the whole month or year, both for the bounds
 * (`since 2021-07` starts on 2021-07-01, `until 2021` ends on 2021-12-31)
 * and for documents: a document dated "2021" is in every range that meets
 * 2021. Undated documents are outside every range that has a bound.
 */
struct xref_date_range {
	/* "YYYY-MM-DD", with 00 (lo) or 99 (hi) for an unknown month or
	 * day; "" when open */
	char lo[11];
	char hi[11];
};

/* Sets *r from `since` and `until`, each NULL (open) or a date written
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" (what xref_date_parse() returns).
 * Returns 0, or XREF_EINVAL (message set) when a date is malformed or the
 * range is empty (since after until). */
int xref_date_range_init(struct xref_date_range *r, const char *since,
			 const char *until);

/* True when r has a bound (NULL: false). */
bool xref_date_range_is_set(const struct xref_date_range *r);

/* True when a document dated `date` (NULL: undated) is in r (NULL: all). */
bool xref_date_range_has(const struct xref_date_range *r, const char *date);

/* --- entities ------------------------------------------------------------- */

struct xref_alias {
	char *alias;   /* a surface form, other than the entity's name */
	char *rule;    /* the resolution rule of its most frequent use */
	long mentions; /* mentions written this way */
};

struct xref_entity {
	long long id;  /* entities.id: local to one case file */
	char uid[17];  /* the stable id used in every output */
	char *name;
	enum xref_type type;
	long mentions, documents;
	char *first_seen, *last_seen; /* NULL when no document is dated */
	/* Most used first (then bytewise); NULL unless asked for. */
	struct xref_alias *aliases;
	size_t n_aliases;
};

struct xref_entities {
	struct xref_entity *v;
	size_t n;
	size_t total; /* lookups: how many entities matched (n shows at most
		       * XREF_QUERY_CANDIDATES of them) */
};

/* Frees the strings and aliases of e and zeroes it. Safe on a zeroed one. */
void xref_entity_release(struct xref_entity *e);

/* Frees every entity and the array; leaves *l empty. Safe on a zeroed one. */
void xref_entities_release(struct xref_entities *l);

#define XREF_QUERY_CANDIDATES 5

/*
 * Finds the one entity that `arg` names, for commands that take an entity
 * argument. Names are compared folded (xref_utf8_fold(): case, diacritics,
 * punctuation) and without a leading "the". In order, the first rule that
 * matches anything decides:
 *   1. the uid (16 hex digits, any case);
 *   2. the entity's name or key;
 *   3. one of its aliases (surface forms seen in the documents).
 * One entity: 0 and *out (without aliases; release with
 * xref_entity_release()). Several: XREF_EAMBIGUOUS, with the most
 * mentioned of them in *candidates (at most XREF_QUERY_CANDIDATES;
 * candidates->total tells how many matched). None: XREF_ENOTFOUND, with
 * the closest entities in *candidates (names or aliases that start with or
 * contain the argument, or are within a small edit distance of it; nearest
 * first, then most mentioned; possibly none). Both lists must be released
 * by the caller, whatever the result. XREF_ENOMEM or XREF_ERROR (database)
 * otherwise.
 *
 * O(E + A) string folds for E entities and A aliases: every lookup scans
 * the names, since folding is not available inside SQLite.
 */
int xref_query_lookup(struct xref_entity *out, struct xref_entities *candidates,
		      struct xref_case *c, const char *arg);

/* Reads one entity by its id (without aliases). XREF_ENOTFOUND when the
 * case has no such entity. */
int xref_query_entity(struct xref_entity *out, struct xref_case *c,
		      long long id);

struct xref_entity_filter {
	unsigned type_mask; /* bit (1u << type) per type kept; 0: all */
	size_t top;         /* at most this many entities (0: all) */
	struct xref_date_range dates; /* zeroed: every document */
	bool with_aliases;  /* fill in each entity's aliases */
};

/*
 * Lists the entities of the case, the most mentioned first (then most
 * documents, then name bytewise, then uid). With a date range, mentions,
 * documents, first and last seen and aliases count only the documents in
 * the range, and entities never mentioned there are left out; names and
 * types stay those of the whole case. `f` may be NULL (everything). *out
 * is owned by the caller (xref_entities_release()), also on failure.
 * Returns 0, XREF_ENOMEM or XREF_ERROR. O(E log E) (O(M) mentions read
 * with a date range), plus one indexed query per entity for its aliases.
 */
int xref_query_entities(struct xref_entities *out, struct xref_case *c,
			const struct xref_entity_filter *f);

/* --- evidence ------------------------------------------------------------- */

/* A mention inside a hit's text. */
struct xref_mark {
	size_t start, end; /* bytes [start, end) of the hit's text */
	int which;         /* 0: the first entity asked for, 1: the second */
};

/* One window (a sentence, by default) of one document. */
struct xref_hit {
	/* The document, the window's span in its text, the window's text. */
	struct xref_evidence ev;
	/* The entities' mentions in ev.text, in order, never overlapping. */
	struct xref_mark *marks;
	size_t n_marks;
};

struct xref_hits {
	struct xref_hit *v;
	size_t n;
};

/* Frees every hit and the array; leaves *h empty. Safe on a zeroed one. */
void xref_hits_release(struct xref_hits *h);

/*
 * The evidence of the tie between entities a and b (ids): every window in
 * which both occur, with both entities' mentions marked. With b == 0, the
 * sentences that mention a, one hit per sentence, its mentions marked.
 * Newest document first (undated last), then doc_id, then position in the
 * document; documents outside `dates` (NULL: all) are skipped; at most
 * `limit` hits (0: all). *out is owned by the caller (xref_hits_release()),
 * also on failure. Returns 0, XREF_EINVAL (a == b, or a == 0), XREF_ENOMEM
 * or XREF_ERROR. Time: O(H log H) for H evidence rows of the pair, plus
 * the mentions of each document read; with b == 0, each document
 * mentioning a is segmented again (O(its text)) to find the sentences.
 */
int xref_query_evidence(struct xref_hits *out, struct xref_case *c,
			long long a, long long b,
			const struct xref_date_range *dates, size_t limit);

/* --- paths ---------------------------------------------------------------- */

struct xref_hop {
	long weight, documents;       /* the tie, within the dates */
	char *first_seen, *last_seen; /* NULL when undated */
	/* Its newest window: the first hit xref_query_evidence() gives. */
	struct xref_hit evidence;
};

struct xref_path {
	/* n_nodes entities from a to b (without aliases) */
	struct xref_entity *nodes;
	size_t n_nodes;
	/* n_nodes - 1 hops: hops[i] ties nodes[i] and nodes[i + 1] */
	struct xref_hop *hops;
	long weight; /* sum of the hops' weights */
};

struct xref_paths {
	struct xref_path *v;
	size_t n;
};

/* Frees every path and the array; leaves *p empty. Safe on a zeroed one. */
void xref_paths_release(struct xref_paths *p);

/*
 * The k best loopless paths between entities a and b over the ties found in
 * the documents within `dates` (NULL: all). Paths are ranked by number of
 * hops (fewest first), then by their weight (the sum of their ties'
 * weights, greatest first), then by the uids along them (bytewise), so
 * among equally short paths the best-documented comes first. The first
 * path is a shortest one; the next ones may be longer (Yen's algorithm).
 * Each hop carries its newest evidence window. Not connected: 0 with no
 * path. *out is owned by the caller (xref_paths_release()), also on
 * failure. Returns 0, XREF_EINVAL (a == b, k == 0, or an id not in the
 * case), XREF_ENOMEM or XREF_ERROR.
 *
 * Time: loading the graph O(V log V + E log E) (plus the evidence rows with
 * a date range); then O(k L (V + E)) for paths of L hops: each best path is
 * a breadth-first search followed by a pass that keeps the heaviest among
 * the shortest (exact, integer weights).
 */
int xref_query_paths(struct xref_paths *out, struct xref_case *c, long long a,
		     long long b, size_t k,
		     const struct xref_date_range *dates);

/* --- neighbours ----------------------------------------------------------- */

struct xref_neighbor {
	struct xref_entity entity; /* without aliases */
	unsigned depth;            /* hops from the ego, from 1 */
	/* Index in the list of the neighbour one hop nearer with the
	 * strongest tie to this one; SIZE_MAX: the ego itself (depth 1). */
	size_t via;
	long weight, documents;       /* that tie, within the dates */
	char *first_seen, *last_seen; /* NULL when undated */
};

struct xref_neighbors {
	struct xref_neighbor *v;
	size_t n;
};

/* Frees every neighbour and the array; leaves *nb empty. Safe on a zeroed
 * one. */
void xref_neighbors_release(struct xref_neighbors *nb);

/*
 * The ego network of entity `ego`: every entity within `depth` hops
 * (depth >= 1) over the ties found in the documents within `dates` (NULL:
 * all), nearest first, then by the weight of the tie that reaches it
 * (strongest first), then documents, then name bytewise, then uid. The tie
 * that reaches a node is the one to the ego at depth 1; further out, its
 * strongest tie to a node one hop nearer (ties: more documents, then the
 * smaller uid). *out is owned by the caller (xref_neighbors_release()),
 * also on failure. Returns 0, XREF_EINVAL (depth 0 or an id not in the
 * case), XREF_ENOMEM or XREF_ERROR. Time: loading the graph (see
 * xref_query_paths()), then O(V + E) for the search plus one indexed query
 * per entity listed.
 */
int xref_query_neighbors(struct xref_neighbors *out, struct xref_case *c,
			 long long ego, unsigned depth,
			 const struct xref_date_range *dates);

#endif
