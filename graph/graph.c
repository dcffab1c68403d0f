/*
 * The in-memory entity graph: plain arrays of nodes and edges, built by
 * hand or loaded from a case file, then put in canonical order by
 * xref_graph_finish().
 *
 * Canonical order is what makes every export byte-identical for identical
 * input: nodes sorted by uid (the hash of the key, bytewise; key breaks the
 * improbable tie), edges normalised to source < target and sorted by
 * (source, target), duplicates merged, aliases sorted and unique, evidence
 * newest first. Finishing is a sort plus one linear pass, O((V + E) log(V +
 * E)), instead of keeping a hash of edges while building: the loader gets
 * its rows already ordered, and hand-built graphs are small.
 *
 * The graph is plain data so that export/ can walk it without igraph; the
 * igraph analyses live in analysis.c and build an igraph_t on demand (a
 * persistent igraph_t would have to be kept in step with every edit).
 *
 * Loading applies the filters that SQL does best (types, counts, a date
 * range, a minimum weight) while reading, and the rest (stop list, tie
 * strength, backbone, ego network; graph/filter.c and graph/weights.c) on
 * the finished graph. Without a date range ties come from the edges table;
 * with one they are recounted from the evidence of the documents in range,
 * with the same date test as graph/query.c. Evidence is read last, for the
 * ties that survived, so a backbone or an ego network does not pay for the
 * evidence of ties it drops. Evidence strings (document ids, titles, urls,
 * dates, sentences) live in one string pool per graph, each distinct string
 * once: on large cases the same sentence proves many ties and the same
 * document many sentences, and per-evidence copies were most of the
 * memory.
 */
#define _POSIX_C_SOURCE 200809L

#include "graph/graph.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_internal.h"
#include "graph/query.h"
#include "ingest/status.h"
#include "ingest/strmap.h"

int xref_graph_reserve(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n <= *cap)
		return 0;
	c = *cap ? *cap : 16;
	while (c < n)
		c = c > SIZE_MAX / 2 ? n : c * 2;
	if (size && c > SIZE_MAX / size)
		return xref_error_set(XREF_ENOMEM, "graph too large");
	q = realloc(*p, c * size);
	if (!q)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	*p = q;
	*cap = c;
	return 0;
}

/*
 * Arrays without a capacity field (aliases, evidence) always hold
 * pow2_cap(n) slots for n items: the next power of two, at least 4. Append
 * reallocates only when that number grows, so appends stay amortised O(1).
 */
static size_t pow2_cap(size_t n)
{
	size_t c = 4;

	if (n == 0)
		return 0;
	while (c < n && c <= SIZE_MAX / 2)
		c *= 2;
	return c < n ? n : c;
}

static int pow2_grow(void **p, size_t n, size_t size)
{
	size_t want = pow2_cap(n + 1);
	void *q;

	if (n == SIZE_MAX || want == pow2_cap(n))
		return n == SIZE_MAX
		           ? xref_error_set(XREF_ENOMEM, "graph too large")
		           : 0;
	if (want > SIZE_MAX / size)
		return xref_error_set(XREF_ENOMEM, "graph too large");
	q = realloc(*p, want * size);
	if (!q)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	*p = q;
	return 0;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

/* ---- the string pool of evidence ---- */

#define POOL_CHUNK (1u << 20)

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, size;
	char data[];
};

/* Frees every string of the pool at once. */
static void pool_release(struct xref_strpool *p)
{
	struct pool_chunk *c = p->chunks, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	free(p->slots);
	free(p->hashes);
	memset(p, 0, sizeof(*p));
}

/* Doubles the table (open addressing, linear probing; a power of two).
 * Each slot keeps its string's hash: growing needs no rehashing, and a
 * probe compares strings only when the hashes agree. */
static int pool_grow(struct xref_strpool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 1024;
	uint64_t *hashes;
	char **slots;

	if (cap > SIZE_MAX / sizeof(*hashes))
		return xref_error_set(XREF_ENOMEM, "graph too large");
	slots = calloc(cap, sizeof(*slots));
	hashes = malloc(cap * sizeof(*hashes));
	if (!slots || !hashes) {
		free(slots);
		free(hashes);
		return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->cap; i++) {
		size_t j;

		if (!p->slots[i])
			continue;
		j = (size_t)p->hashes[i] & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = p->slots[i];
		hashes[j] = p->hashes[i];
	}
	free(p->slots);
	free(p->hashes);
	p->slots = slots;
	p->hashes = hashes;
	p->cap = cap;
	return 0;
}

/* Copies len bytes of s (stopping early at a NUL) into the pool, once per
 * distinct string, and returns the pooled copy in *out. */
static int pool_intern(struct xref_strpool *p, const char *s, size_t len,
		       char **out)
{
	struct pool_chunk *c;
	uint64_t h;
	size_t j;
	char *d;
	int rc;

	len = strnlen(s, len);
	if ((p->n + 1) * 4 > p->cap * 3 && (rc = pool_grow(p)) < 0)
		return rc;
	h = xref_strmap_hash(s, len);
	for (j = (size_t)h & (p->cap - 1); p->slots[j];
	     j = (j + 1) & (p->cap - 1)) {
		if (p->hashes[j] == h && strncmp(p->slots[j], s, len) == 0 &&
		    p->slots[j][len] == '\0') {
			*out = p->slots[j];
			return 0;
		}
	}
	c = p->chunks;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > POOL_CHUNK ? len + 1 : POOL_CHUNK;

		if (size > SIZE_MAX - sizeof(*c))
			return xref_error_set(XREF_ENOMEM, "graph too large");
		c = malloc(sizeof(*c) + size);
		if (!c)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		c->used = 0;
		c->size = size;
		/* a full chunk goes behind the current one, which keeps its
		 * free space for the strings that follow */
		if (p->chunks && size == len + 1) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	d = c->data + c->used;
	memcpy(d, s, len);
	d[len] = '\0';
	c->used += len + 1;
	p->slots[j] = d;
	p->hashes[j] = h;
	p->n++;
	*out = d;
	return 0;
}

/* pool_intern() of a string that may be NULL (then *out is NULL). */
static int pool_dup(struct xref_strpool *p, const char *s, char **out)
{
	*out = NULL;
	return s ? pool_intern(p, s, strlen(s), out) : 0;
}

void xref_graph_edge_release(struct xref_edge *e)
{
	/* The evidence strings belong to the graph's pool. */
	free(e->evidence);
	free(e->first_seen);
	free(e->last_seen);
	e->evidence = NULL;
	e->n_evidence = 0;
	e->first_seen = e->last_seen = NULL;
}

void xref_graph_node_release(struct xref_node *n)
{
	for (size_t i = 0; i < n->n_aliases; i++)
		free(n->aliases[i]);
	free(n->aliases);
	free(n->key);
	free(n->name);
	n->aliases = NULL;
	n->n_aliases = 0;
	n->key = n->name = NULL;
}

int xref_graph_new(struct xref_graph **out)
{
	struct xref_graph *g;

	*out = NULL;
	xref_graph_setup();
	g = calloc(1, sizeof(*g));
	if (!g)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	g->finished = true; /* the empty graph is in canonical order */
	*out = g;
	return 0;
}

void xref_graph_free(struct xref_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_nodes; i++)
		xref_graph_node_release(&g->nodes[i]);
	for (size_t i = 0; i < g->n_edges; i++)
		xref_graph_edge_release(&g->edges[i]);
	free(g->nodes);
	free(g->edges);
	pool_release(&g->pool);
	free(g);
}

const struct xref_node *xref_graph_nodes(const struct xref_graph *g, size_t *n)
{
	*n = g->n_nodes;
	return g->nodes;
}

const struct xref_edge *xref_graph_edges(const struct xref_graph *g, size_t *n)
{
	*n = g->n_edges;
	return g->edges;
}

int xref_graph_add_node(struct xref_graph *g, const char *key, const char *name,
                        enum xref_type type, long mentions, long documents)
{
	struct xref_node *n;
	bool failed = false;
	int rc;

	if (!key || !name || (unsigned)type >= XREF_TYPE_COUNT)
		return xref_error_set(XREF_EINVAL, "invalid node");
	rc = xref_graph_reserve((void **)&g->nodes, &g->cap_nodes,
	                        g->n_nodes + 1, sizeof(*g->nodes));
	if (rc < 0)
		return rc;
	n = &g->nodes[g->n_nodes];
	memset(n, 0, sizeof(*n));
	xref_entity_uid(n->uid, key);
	n->key = dup_or_null(key, &failed);
	n->name = dup_or_null(name, &failed);
	n->type = type;
	n->mentions = mentions;
	n->documents = documents;
	n->windows = -1;
	n->community = -1;
	if (failed) {
		xref_graph_node_release(n);
		return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	g->n_nodes++;
	g->finished = false;
	return 0;
}

int xref_graph_add_alias(struct xref_graph *g, size_t node, const char *alias)
{
	struct xref_node *n;
	char *d;
	int rc;

	if (node >= g->n_nodes || !alias)
		return xref_error_set(XREF_EINVAL, "invalid alias");
	n = &g->nodes[node];
	rc = pow2_grow((void **)&n->aliases, n->n_aliases, sizeof(*n->aliases));
	if (rc < 0)
		return rc;
	d = strdup(alias);
	if (!d)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	n->aliases[n->n_aliases++] = d;
	g->finished = false;
	return 0;
}

int xref_graph_add_edge(struct xref_graph *g, size_t a, size_t b, long weight,
                        long documents, const char *first_seen,
                        const char *last_seen)
{
	struct xref_edge *e;
	bool failed = false;
	int rc;

	if (a >= g->n_nodes || b >= g->n_nodes || weight < 0 || documents < 0)
		return xref_error_set(XREF_EINVAL, "invalid edge");
	rc = xref_graph_reserve((void **)&g->edges, &g->cap_edges,
	                        g->n_edges + 1, sizeof(*g->edges));
	if (rc < 0)
		return rc;
	e = &g->edges[g->n_edges];
	memset(e, 0, sizeof(*e));
	e->source = a;
	e->target = b;
	e->weight = weight;
	e->strength = (double)weight;
	e->documents = documents;
	e->first_seen = dup_or_null(first_seen, &failed);
	e->last_seen = dup_or_null(last_seen, &failed);
	if (failed) {
		xref_graph_edge_release(e);
		return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	g->n_edges++;
	g->finished = false;
	return 0;
}

/* Appends ev to e, its strings pooled in g, leaving the finished flag
 * alone; NULL text is stored as "". With `no_text` (the loader, which
 * fills the text in later) ev's other strings must be g's pooled ones
 * already, and are taken as they are. */
static int push_evidence(struct xref_graph *g, struct xref_edge *e,
                         const struct xref_evidence *ev, bool no_text)
{
	struct xref_evidence copy = {0};
	int rc;

	if (!ev || !ev->doc_id || ev->end < ev->start)
		return xref_error_set(XREF_EINVAL, "invalid evidence");
	rc = pow2_grow((void **)&e->evidence, e->n_evidence,
	               sizeof(*e->evidence));
	if (rc < 0)
		return rc;
	if (no_text) {
		/* The loader's: its document fields are the graph's pooled
		 * strings already (read_docs()), and the text comes later. */
		copy = *ev;
		copy.text = NULL;
		e->evidence[e->n_evidence++] = copy;
		return 0;
	}
	if ((rc = pool_dup(&g->pool, ev->doc_id, &copy.doc_id)) < 0 ||
	    (rc = pool_dup(&g->pool, ev->title, &copy.title)) < 0 ||
	    (rc = pool_dup(&g->pool, ev->url, &copy.url)) < 0 ||
	    (rc = pool_dup(&g->pool, ev->date, &copy.date)) < 0)
		return rc;
	if ((rc = pool_dup(&g->pool, ev->text ? ev->text : "", &copy.text)) <
	    0)
		return rc;
	copy.start = ev->start;
	copy.end = ev->end;
	e->evidence[e->n_evidence++] = copy;
	return 0;
}

int xref_graph_add_evidence(struct xref_graph *g, size_t edge,
                            const struct xref_evidence *ev)
{
	int rc;

	if (edge >= g->n_edges)
		return xref_error_set(XREF_EINVAL, "invalid evidence");
	rc = push_evidence(g, &g->edges[edge], ev, false);
	if (rc == 0)
		g->finished = false;
	return rc;
}

/* ---- canonical order ---- */

struct node_ref {
	const char *uid, *key;
	size_t old;
};

static int cmp_node_ref(const void *pa, const void *pb)
{
	const struct node_ref *a = pa, *b = pb;
	int c = strcmp(a->uid, b->uid);

	return c ? c : strcmp(a->key, b->key);
}

static int cmp_edge(const void *pa, const void *pb)
{
	const struct xref_edge *a = pa, *b = pb;

	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if (a->target != b->target)
		return a->target < b->target ? -1 : 1;
	return 0;
}

static int cmp_opt_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Newest first, undated last, then doc_id and span; the remaining fields
 * only make the order total so that qsort cannot reorder equal keys. */
static int cmp_evidence(const void *pa, const void *pb)
{
	const struct xref_evidence *a = pa, *b = pb;
	int c;

	if (!a->date != !b->date)
		return a->date ? -1 : 1;
	if (a->date && (c = strcmp(b->date, a->date)) != 0)
		return c;
	if ((c = strcmp(a->doc_id, b->doc_id)) != 0)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if ((c = cmp_opt_str(a->text, b->text)) != 0)
		return c;
	if ((c = cmp_opt_str(a->title, b->title)) != 0)
		return c;
	return cmp_opt_str(a->url, b->url);
}

static int cmp_str_ptr(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static long add_sat(long a, long b)
{
	if (b > 0 && a > LONG_MAX - b)
		return LONG_MAX;
	return a + b;
}

/* Sorts the nodes by uid and rewrites edge ends through the permutation.
 * Everything is allocated before anything moves, so a failure leaves the
 * graph as it was. */
static int sort_nodes(struct xref_graph *g)
{
	struct node_ref *refs = NULL;
	struct xref_node *sorted = NULL;
	size_t *map = NULL;
	size_t n = g->n_nodes, w;
	int rc = 0;

	if (n == 0)
		goto out;
	if (n > SIZE_MAX / sizeof(*refs) ||
	    g->cap_nodes > SIZE_MAX / sizeof(*sorted)) {
		rc = xref_error_set(XREF_ENOMEM, "graph too large");
		goto out;
	}
	refs = malloc(n * sizeof(*refs));
	map = malloc(n * sizeof(*map));
	sorted = malloc(g->cap_nodes * sizeof(*sorted));
	if (!refs || !map || !sorted) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		refs[i].uid = g->nodes[i].uid;
		refs[i].key = g->nodes[i].key;
		refs[i].old = i;
	}
	qsort(refs, n, sizeof(*refs), cmp_node_ref);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(refs[i - 1].key, refs[i].key) == 0) {
			rc = xref_error_set(XREF_EINVAL,
			                    "duplicate node key '%s'",
			                    refs[i].key);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		sorted[i] = g->nodes[refs[i].old];
		map[refs[i].old] = i;
	}
	free(g->nodes);
	g->nodes = sorted;
	sorted = NULL;

	/* Remap and normalise; self-loops go. */
	w = 0;
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge e = g->edges[i];
		size_t s = map[e.source], t = map[e.target];

		if (s == t) {
			xref_graph_edge_release(&e);
			continue;
		}
		e.source = s < t ? s : t;
		e.target = s < t ? t : s;
		g->edges[w++] = e;
	}
	g->n_edges = w;
out:
	free(refs);
	free(map);
	free(sorted);
	return rc;
}

/* Folds edge b into edge a (same ends); b is left empty. */
static int merge_edge(struct xref_edge *a, struct xref_edge *b)
{
	size_t total;

	if (b->n_evidence) {
		if (a->n_evidence > SIZE_MAX - b->n_evidence)
			return xref_error_set(XREF_ENOMEM, "graph too large");
		total = a->n_evidence + b->n_evidence;
		if (pow2_cap(total) > SIZE_MAX / sizeof(*a->evidence))
			return xref_error_set(XREF_ENOMEM, "graph too large");
		if (pow2_cap(total) != pow2_cap(a->n_evidence)) {
			void *q =
			    realloc(a->evidence,
			            pow2_cap(total) * sizeof(*a->evidence));

			if (!q)
				return xref_error_set(XREF_ENOMEM,
				                      "out of memory");
			a->evidence = q;
		}
		memcpy(a->evidence + a->n_evidence, b->evidence,
		       b->n_evidence * sizeof(*b->evidence));
		a->n_evidence = total;
		free(b->evidence);
		b->evidence = NULL;
		b->n_evidence = 0;
	}
	a->weight = add_sat(a->weight, b->weight);
	a->strength += b->strength;
	a->documents = add_sat(a->documents, b->documents);
	if (b->first_seen &&
	    (!a->first_seen || strcmp(b->first_seen, a->first_seen) < 0)) {
		free(a->first_seen);
		a->first_seen = b->first_seen;
		b->first_seen = NULL;
	}
	if (b->last_seen &&
	    (!a->last_seen || strcmp(b->last_seen, a->last_seen) > 0)) {
		free(a->last_seen);
		a->last_seen = b->last_seen;
		b->last_seen = NULL;
	}
	xref_graph_edge_release(b);
	return 0;
}

/* Sorts edges and merges runs of equal ends. On failure the edges stay
 * sorted and valid, just not all merged. */
static int merge_edges(struct xref_graph *g)
{
	size_t w = 0, i = 0;
	int rc = 0;

	if (g->n_edges == 0)
		return 0;
	qsort(g->edges, g->n_edges, sizeof(*g->edges), cmp_edge);
	while (i < g->n_edges) {
		size_t j = i + 1;

		if (w != i)
			g->edges[w] = g->edges[i];
		while (j < g->n_edges &&
		       cmp_edge(&g->edges[w], &g->edges[j]) == 0) {
			if (rc == 0)
				rc = merge_edge(&g->edges[w], &g->edges[j]);
			if (rc < 0)
				break;
			j++;
		}
		if (rc < 0) {
			/* Keep the unmerged rest in place, compacted. */
			for (; j < g->n_edges; j++)
				g->edges[++w] = g->edges[j];
			w++;
			break;
		}
		w++;
		i = j;
	}
	g->n_edges = w;
	return rc;
}

static void canonical_aliases(struct xref_node *n)
{
	size_t w = 0;

	if (n->n_aliases > 1)
		qsort(n->aliases, n->n_aliases, sizeof(*n->aliases),
		      cmp_str_ptr);
	for (size_t i = 0; i < n->n_aliases; i++) {
		char *a = n->aliases[i];

		if (strcmp(a, n->name) == 0 ||
		    (w > 0 && strcmp(a, n->aliases[w - 1]) == 0)) {
			free(a);
			continue;
		}
		n->aliases[w++] = a;
	}
	n->n_aliases = w;
}

int xref_graph_finish(struct xref_graph *g)
{
	int rc;

	rc = sort_nodes(g);
	if (rc < 0)
		goto out;
	rc = merge_edges(g);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge *e = &g->edges[i];

		if (e->n_evidence > 1)
			qsort(e->evidence, e->n_evidence, sizeof(*e->evidence),
			      cmp_evidence);
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		canonical_aliases(&g->nodes[i]);
		/* The structure may have changed: metrics are stale. */
		for (int m = 0; m < XREF_METRIC_COUNT; m++) {
			g->nodes[i].metric[m] = 0;
			g->nodes[i].has_metric[m] = false;
		}
	}
	g->finished = true;
out:
	return rc;
}

/* ---- loading from a case file ---- */

static int cmp_id(const void *pa, const void *pb)
{
	sqlite3_int64 a = *(const sqlite3_int64 *)pa;
	sqlite3_int64 b = *(const sqlite3_int64 *)pb;

	return (a > b) - (a < b);
}

static int db_error(sqlite3 *db, const char *what)
{
	return xref_error_set(XREF_ERROR, "cannot %s: %s", what,
	                      sqlite3_errmsg(db));
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* clang-format off */
static const char SQL_NODES[] =
	"SELECT id, key, name, type, mentions, documents FROM entities "
	"ORDER BY id";
static const char SQL_ALIASES[] =
	"SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias";
static const char SQL_EDGES[] =
	"SELECT source, target, weight, documents, first_seen, last_seen "
	"FROM edges WHERE weight >= ?1 ORDER BY source, target";
static const char SQL_ENTITY_ID[] = "SELECT id FROM entities WHERE key = ?1";

/*
 * A document `d` dated within the range bound to ?10 (first day, NULL when
 * open) and ?11 (last day, NULL when open): the same test as
 * xref_date_range_has(), a partial date padded to its first or last day.
 * An undated document fails as soon as a bound is set (NULL compares to
 * nothing).
 */
#define DATE_OK(d)                                                            \
	"(?10 IS NULL OR substr(" d ".date || '-99-99', 1, 10) >= ?10) AND " \
	"(?11 IS NULL OR substr(" d ".date || '-00-00', 1, 10) <= ?11)"

/* Entities with their counts within a date range; those never mentioned
 * there are left out. */
static const char SQL_NODES_DATED[] =
	"SELECT n.id, n.key, n.name, n.type, m.c, m.nd FROM entities n JOIN "
	"(SELECT x.entity_id AS id, count(*) AS c, "
	"        count(DISTINCT x.document_id) AS nd "
	" FROM mentions x JOIN documents d ON d.id = x.document_id "
	" WHERE " DATE_OK("d") " GROUP BY x.entity_id) m ON m.id = n.id "
	"ORDER BY n.id";
/* Ties recomputed from the evidence within a date range. */
static const char SQL_EDGES_DATED[] =
	"SELECT e.source, e.target, count(*), count(DISTINCT e.document_id), "
	"min(d.date), max(d.date) FROM evidence e "
	"JOIN documents d ON d.id = e.document_id WHERE " DATE_OK("d") " "
	"GROUP BY e.source, e.target HAVING count(*) >= ?1 "
	"ORDER BY e.source, e.target";
/* Co-occurrence windows (a document and the start of the window's span)
 * holding each entity, and in all. Only windows with evidence exist here:
 * those where at least two entities occur. */
static const char SQL_WINDOWS[] =
	"SELECT entity, count(*) FROM ("
	" SELECT e.source AS entity, e.document_id AS doc, e.start AS start"
	" FROM evidence e JOIN documents d ON d.id = e.document_id"
	" WHERE " DATE_OK("d") " "
	" UNION SELECT e.target, e.document_id, e.start"
	" FROM evidence e JOIN documents d ON d.id = e.document_id"
	" WHERE " DATE_OK("d") ") "
	"GROUP BY entity ORDER BY entity";
static const char SQL_TOTAL_WINDOWS[] =
	"SELECT count(*) FROM (SELECT DISTINCT e.document_id, e.start"
	" FROM evidence e JOIN documents d ON d.id = e.document_id"
	" WHERE " DATE_OK("d") ")";
/* The documents, without their text (the last column, so its overflow
 * pages are not read). */
static const char SQL_DOCS[] =
	"SELECT id, doc_id, title, url, date FROM documents ORDER BY id";
/* One edge's evidence rows, through the (source, target) index; ranked in
 * C from the documents' dates and ids. */
static const char SQL_EDGE_EVIDENCE[] =
	"SELECT document_id, start, end FROM evidence "
	"WHERE source = ?1 AND target = ?2";
/* Every evidence row, in storage order. */
static const char SQL_ALL_EVIDENCE[] =
	"SELECT source, target, document_id, start, end FROM evidence";
/* The number of evidence rows, about (ids are not reused after a
 * deletion, so this can only overstate). */
static const char SQL_EVIDENCE_ROWS[] = "SELECT max(id) FROM evidence";
static const char SQL_DOC_TEXT[] = "SELECT text FROM documents WHERE id = ?1";

/* clang-format on */

/* Binds a date range to ?10 and ?11 (NULL when open; r NULL: all). The
 * range must outlive the statement's use. */
static void bind_dates(sqlite3_stmt *st, const struct xref_date_range *r)
{
	if (r && r->lo[0])
		sqlite3_bind_text(st, 10, r->lo, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 10);
	if (r && r->hi[0])
		sqlite3_bind_text(st, 11, r->hi, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 11);
}

/*
 * Loading evidence reads three things in turn, each once:
 *  1. the documents' ids, titles, urls and dates (not their text), pooled,
 *     and ranked once: newest first, undated last, then doc_id;
 *  2. the evidence rows (document, span) of the edges loaded, ranked by
 *     (document rank, start, end) in C and cut to the limit per edge; the
 *     evidence is stored without text and a "pending" record remembers
 *     where its text goes;
 *  3. the pending records sorted by document: each document's text is read
 *     once and every span kept in it is cut out and pooled, so a sentence
 *     that proves several ties is held once.
 * Step 2 reads the rows one of two ways, with the same result: for a few
 * edges, one query per edge through the (source, target) index; for many
 * (more than one per EV_SCAN_RATIO rows of the evidence table), one pass
 * over the whole table in storage order, each row finding its edge in a
 * hash of entity pairs and each edge keeping at most twice its limit of
 * best rows between compactions. A query per edge costs a seek plus a
 * random read of the table per row (on a 600,000-tie case, 72 s of 80),
 * the pass a sequential read (about 3 s), but the pass costs the whole
 * table even when an ego network wants ten ties.
 * Rejected: cutting each span in SQL (substr of the text per row), which
 * re-read a whole document for every sentence, and one query ranking all
 * evidence with a window function, which sorts every row of the case.
 */
#define EV_SCAN_RATIO 256

struct ev_doc {
	sqlite3_int64 id;
	char *doc_id, *title, *url, *date; /* pooled */
	bool in_range;
	size_t rank; /* position in the evidence order */
};

struct ev_row {
	size_t rank; /* of its document */
	size_t start, end;
};

struct ev_pending {
	size_t doc, start, end;
	size_t edge, slot;
};

static int cmp_doc_id(const void *pa, const void *pb)
{
	const struct ev_doc *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

/* The order of documents in evidence: newest first, undated last, then
 * doc_id (as cmp_evidence()); doc_id is unique, so the order is total. */
static int cmp_doc_rank(const void *pa, const void *pb)
{
	const struct ev_doc *da = *(const struct ev_doc *const *)pa;
	const struct ev_doc *db = *(const struct ev_doc *const *)pb;
	int c;

	if (!da->date != !db->date)
		return da->date ? -1 : 1;
	if (da->date && (c = strcmp(db->date, da->date)) != 0)
		return c;
	if ((c = strcmp(da->doc_id, db->doc_id)) != 0)
		return c;
	return (da->id > db->id) - (da->id < db->id);
}

/* The order of evidence within an edge: by document rank, then span. */
static int cmp_row(const void *pa, const void *pb)
{
	const struct ev_row *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

static int cmp_pending(const void *pa, const void *pb)
{
	const struct ev_pending *a = pa, *b = pb;

	if (a->doc != b->doc)
		return a->doc < b->doc ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

/* Sets docs[i].rank and fills by_rank (rank -> index into docs). */
static int rank_docs(struct ev_doc *docs, size_t n, size_t **by_rank)
{
	struct ev_doc **order = NULL;
	size_t *idx = NULL;
	int rc = 0;

	*by_rank = NULL;
	if (!n)
		return 0;
	order = calloc(n, sizeof(*order));
	idx = calloc(n, sizeof(*idx));
	if (!order || !idx) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = &docs[i];
	qsort(order, n, sizeof(*order), cmp_doc_rank);
	for (size_t r = 0; r < n; r++) {
		order[r]->rank = r;
		idx[r] = (size_t)(order[r] - docs);
	}
	*by_rank = idx;
	idx = NULL;
out:
	free(order);
	free(idx);
	return rc;
}

/* Step 1: every document's metadata, ascending by id. */
static int read_docs(struct xref_graph *g, sqlite3 *db,
                     const struct xref_date_range *dates,
                     struct ev_doc **out, size_t *n_out)
{
	struct ev_doc *docs = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	if (sqlite3_prepare_v2(db, SQL_DOCS, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read documents");
		goto out;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct ev_doc *d;

		if (!col_text(st, 1))
			continue;
		rc = xref_graph_reserve((void **)&docs, &cap, n + 1,
		                        sizeof(*docs));
		if (rc < 0)
			goto out;
		d = &docs[n];
		d->id = sqlite3_column_int64(st, 0);
		if ((rc = pool_dup(&g->pool, col_text(st, 1), &d->doc_id)) < 0 ||
		    (rc = pool_dup(&g->pool, col_text(st, 2), &d->title)) < 0 ||
		    (rc = pool_dup(&g->pool, col_text(st, 3), &d->url)) < 0 ||
		    (rc = pool_dup(&g->pool, col_text(st, 4), &d->date)) < 0)
			goto out;
		d->in_range = xref_date_range_has(dates, d->date);
		d->rank = 0;
		n++;
	}
	if (s != SQLITE_DONE) {
		rc = db_error(db, "read documents");
		goto out;
	}
out:
	sqlite3_finalize(st);
	if (rc < 0) {
		free(docs);
		docs = NULL;
		n = 0;
	}
	*out = docs;
	*n_out = n;
	return rc;
}

/* The document of id `id`, or SIZE_MAX. */
static size_t doc_of(const struct ev_doc *docs, size_t n, sqlite3_int64 id)
{
	struct ev_doc key;
	const struct ev_doc *hit;

	if (!n)
		return SIZE_MAX;
	key.id = id;
	hit = bsearch(&key, docs, n, sizeof(*docs), cmp_doc_id);
	return hit ? (size_t)(hit - docs) : SIZE_MAX;
}

/* The rows of one edge gathered by the pass over the table. */
struct ev_list {
	struct ev_row *rows;
	size_t n, cap;
};

/* An entity pair and its edge; edge SIZE_MAX marks an empty slot. */
struct ev_pair {
	sqlite3_int64 a, b;
	size_t edge;
};

struct ev_load {
	struct xref_graph *g;
	sqlite3 *db;
	sqlite3_stmt *rows;
	const struct ev_doc *docs;
	size_t n_docs;
	const size_t *by_rank; /* rank -> index into docs */
	size_t limit; /* per edge; SIZE_MAX: all */
	struct ev_row *buf;
	size_t cap_buf;
	struct ev_pending *pending;
	size_t n_pending, cap_pending;
	size_t last_doc; /* the pass's last document found, a hint */
};

/* The rank of the row's document when the row counts (its document is
 * known and in range, its span sane), else false. */
static bool row_of(struct ev_load *l, sqlite3_int64 doc, sqlite3_int64 start,
                   sqlite3_int64 end, struct ev_row *row)
{
	size_t d = l->last_doc;

	if (d >= l->n_docs || l->docs[d].id != doc) {
		d = doc_of(l->docs, l->n_docs, doc);
		if (d == SIZE_MAX)
			return false;
		l->last_doc = d;
	}
	if (!l->docs[d].in_range || start < 0 || end < start)
		return false;
	row->rank = l->docs[d].rank;
	row->start = (size_t)start;
	row->end = (size_t)end;
	return true;
}

/* Keeps the best `limit` of edge i's n rows (reordered) as its evidence,
 * without text, each with a pending record for its text. */
static int keep_rows(struct ev_load *l, size_t i, struct ev_row *rows,
                     size_t n)
{
	struct xref_edge *e = &l->g->edges[i];
	size_t keep;
	int rc = 0;

	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_row);
	keep = n < l->limit ? n : l->limit;
	for (size_t k = 0; k < keep; k++) {
		size_t di = l->by_rank[rows[k].rank];
		const struct ev_doc *d = &l->docs[di];
		struct xref_evidence ev = {
		    .doc_id = d->doc_id, .title = d->title, .url = d->url,
		    .date = d->date, .start = rows[k].start,
		    .end = rows[k].end, .text = NULL};
		struct ev_pending *p;

		rc = xref_graph_reserve((void **)&l->pending, &l->cap_pending,
		                        l->n_pending + 1, sizeof(*l->pending));
		if (rc < 0)
			goto out;
		rc = push_evidence(l->g, e, &ev, true);
		if (rc < 0)
			goto out;
		p = &l->pending[l->n_pending++];
		p->doc = di;
		p->start = rows[k].start;
		p->end = rows[k].end;
		p->edge = i;
		p->slot = e->n_evidence - 1;
	}
out:
	return rc;
}

/* Step 2 for edge i, between entities a and b (0: not in the case), with
 * one query. */
static int rank_edge(struct ev_load *l, size_t i, sqlite3_int64 a,
                     sqlite3_int64 b)
{
	size_t n = 0;
	int rc = 0, s;

	if (!a || !b)
		return 0;
	if (a > b) {
		sqlite3_int64 t = a;

		a = b;
		b = t;
	}
	sqlite3_bind_int64(l->rows, 1, a);
	sqlite3_bind_int64(l->rows, 2, b);
	while ((s = sqlite3_step(l->rows)) == SQLITE_ROW) {
		struct ev_row row;

		if (!row_of(l, sqlite3_column_int64(l->rows, 0),
		            sqlite3_column_int64(l->rows, 1),
		            sqlite3_column_int64(l->rows, 2), &row))
			continue;
		rc = xref_graph_reserve((void **)&l->buf, &l->cap_buf, n + 1,
		                        sizeof(*l->buf));
		if (rc < 0)
			goto out;
		l->buf[n++] = row;
	}
	if (s != SQLITE_DONE) {
		rc = db_error(l->db, "read evidence");
		goto out;
	}
	rc = keep_rows(l, i, l->buf, n);
out:
	sqlite3_reset(l->rows);
	return rc;
}

static uint64_t pair_hash(sqlite3_int64 a, sqlite3_int64 b)
{
	uint64_t h = (uint64_t)a * 0x9e3779b97f4a7c15u;

	h ^= (uint64_t)b + 0x7f4a7c159e3779b9u + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9u;
	return h ^ (h >> 29);
}

/* The edge between entities a < b, or SIZE_MAX. */
static size_t pair_find(const struct ev_pair *map, size_t mask,
                        sqlite3_int64 a, sqlite3_int64 b)
{
	for (size_t k = pair_hash(a, b) & mask;; k = (k + 1) & mask) {
		if (map[k].edge == SIZE_MAX)
			return SIZE_MAX;
		if (map[k].a == a && map[k].b == b)
			return map[k].edge;
	}
}

/* Appends a row to an edge's list; past twice the limit, keeps the best
 * `limit` (the rest can never be kept). */
static int list_add(struct ev_load *l, struct ev_list *li,
                    const struct ev_row *row)
{
	int rc;

	if (l->limit <= SIZE_MAX / 2 && li->n >= 2 * l->limit) {
		qsort(li->rows, li->n, sizeof(*li->rows), cmp_row);
		li->n = l->limit;
	}
	rc = xref_graph_reserve((void **)&li->rows, &li->cap, li->n + 1,
	                        sizeof(*li->rows));
	if (rc < 0)
		return rc;
	li->rows[li->n++] = *row;
	return 0;
}

/* Step 2 for every edge, with one pass over the table (ids: the entity id
 * of each node, 0 when not in the case). */
static int scan_edges(struct ev_load *l, const sqlite3_int64 *ids)
{
	struct xref_graph *g = l->g;
	struct ev_pair *map = NULL;
	struct ev_list *lists = NULL;
	sqlite3_stmt *st = NULL;
	size_t cap = 16, mask;
	int rc = 0, s;

	while (cap < 2 * g->n_edges && cap <= SIZE_MAX / 4)
		cap *= 2;
	mask = cap - 1;
	map = calloc(cap, sizeof(*map));
	lists = calloc(g->n_edges, sizeof(*lists));
	if (!map || !lists) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < cap; k++)
		map[k].edge = SIZE_MAX;
	for (size_t i = 0; i < g->n_edges; i++) {
		sqlite3_int64 a = ids[g->edges[i].source];
		sqlite3_int64 b = ids[g->edges[i].target];
		size_t k;

		if (!a || !b)
			continue;
		if (a > b) {
			sqlite3_int64 t = a;

			a = b;
			b = t;
		}
		for (k = pair_hash(a, b) & mask; map[k].edge != SIZE_MAX;
		     k = (k + 1) & mask)
			;
		map[k].a = a;
		map[k].b = b;
		map[k].edge = i;
	}
	if (sqlite3_prepare_v2(l->db, SQL_ALL_EVIDENCE, -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_error(l->db, "read evidence");
		goto out;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = pair_find(map, mask, sqlite3_column_int64(st, 0),
		                     sqlite3_column_int64(st, 1));
		struct ev_row row;

		if (i == SIZE_MAX ||
		    !row_of(l, sqlite3_column_int64(st, 2),
		            sqlite3_column_int64(st, 3),
		            sqlite3_column_int64(st, 4), &row))
			continue;
		rc = list_add(l, &lists[i], &row);
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE) {
		rc = db_error(l->db, "read evidence");
		goto out;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		rc = keep_rows(l, i, lists[i].rows, lists[i].n);
		if (rc < 0)
			goto out;
		free(lists[i].rows);
		lists[i].rows = NULL;
	}
out:
	sqlite3_finalize(st);
	if (lists)
		for (size_t i = 0; i < g->n_edges; i++)
			free(lists[i].rows);
	free(lists);
	free(map);
	return rc;
}

/* Orders the pending texts by document, then span: a counting sort on the
 * document (millions of records, documents known), then a sort of each
 * document's few. */
static int sort_pending(struct ev_load *l)
{
	struct ev_pending *sorted = NULL;
	size_t *first = NULL;
	size_t n = l->n_pending;
	int rc = 0;

	if (n < 2)
		return 0;
	sorted = malloc(n * sizeof(*sorted)); /* n records exist already */
	first = calloc(l->n_docs + 1, sizeof(*first));
	if (!sorted || !first) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		first[l->pending[i].doc + 1]++;
	for (size_t d = 0; d < l->n_docs; d++)
		first[d + 1] += first[d];
	for (size_t i = 0; i < n; i++)
		sorted[first[l->pending[i].doc]++] = l->pending[i];
	/* first[d] is now the end of document d's records */
	for (size_t d = 0, a = 0; d < l->n_docs; d++) {
		if (first[d] - a > 1)
			qsort(sorted + a, first[d] - a, sizeof(*sorted),
			      cmp_pending);
		a = first[d];
	}
	free(l->pending);
	l->pending = sorted;
	l->cap_pending = n;
	sorted = NULL;
out:
	free(sorted);
	free(first);
	return rc;
}

/* Step 3: every pending text, one read per document. A span beyond the
 * end of its text is cut short; text after a NUL byte is dropped. */
static int cut_texts(struct ev_load *l)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s;
	size_t i = 0;

	rc = sort_pending(l);
	if (rc < 0)
		goto out;
	if (sqlite3_prepare_v2(l->db, SQL_DOC_TEXT, -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_error(l->db, "read documents");
		goto out;
	}
	while (i < l->n_pending) {
		size_t d = l->pending[i].doc, j = i, len = 0;
		const char *text = "";

		sqlite3_bind_int64(st, 1, l->docs[d].id);
		s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			/* bytes, not text: no conversion, NULs kept */
			text = sqlite3_column_blob(st, 0);
			len = (size_t)sqlite3_column_bytes(st, 0);
			if (!text)
				text = "";
		} else if (s != SQLITE_DONE) {
			rc = db_error(l->db, "read documents");
			goto out;
		}
		for (; j < l->n_pending && l->pending[j].doc == d; j++) {
			const struct ev_pending *p = &l->pending[j];
			size_t a = p->start < len ? p->start : len;
			size_t b = p->end < len ? p->end : len;
			struct xref_evidence *ev =
			    &l->g->edges[p->edge].evidence[p->slot];

			rc = pool_intern(&l->g->pool, text + a, b - a,
			                 &ev->text);
			if (rc < 0)
				goto out;
		}
		sqlite3_reset(st);
		i = j;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

size_t xref_graph_evidence_cap(size_t max_evidence, size_t budget,
                               size_t n_edges)
{
	size_t share;

	if (!budget || !n_edges)
		return max_evidence;
	share = budget / n_edges ? budget / n_edges : 1;
	return max_evidence && max_evidence < share ? max_evidence : share;
}

static int evidence_scan = -1;

void xref_graph_set_evidence_scan(int mode)
{
	evidence_scan = mode;
}

/* Whether step 2 reads the whole table rather than each edge's rows. */
static int use_scan(struct xref_case *c, size_t n_edges, bool *scan)
{
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL;
	sqlite3_int64 rows = 0;
	int rc = 0;

	/* Without the pair index, each edge's lookup would be a scan. */
	*scan = evidence_scan > 0 || !xref_case_indexed(c);
	if (evidence_scan >= 0 || *scan)
		return 0;
	if (sqlite3_prepare_v2(db, SQL_EVIDENCE_ROWS, -1, &st, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, "read evidence");
		goto out;
	}
	rows = sqlite3_column_int64(st, 0);
	*scan = rows > 0 && n_edges >= (size_t)(rows / EV_SCAN_RATIO);
out:
	sqlite3_finalize(st);
	return rc;
}

/* xref_graph_load_evidence() from the documents in `dates` (NULL: all). */
static int load_evidence(struct xref_graph *g, struct xref_case *c,
                         size_t max_evidence,
                         const struct xref_date_range *dates)
{
	struct ev_load l;
	sqlite3_stmt *find = NULL;
	struct ev_doc *docs = NULL;
	sqlite3_int64 *ids = NULL;
	size_t *by_rank = NULL;
	bool scan = false;
	int rc = 0, s;

	memset(&l, 0, sizeof(l));
	l.g = g;
	l.db = xref_case_sqlite(c);
	l.limit = max_evidence ? max_evidence : SIZE_MAX;
	if (g->n_edges == 0)
		goto out;
	ids = calloc(g->n_nodes, sizeof(*ids)); /* calloc checks n * size */
	if (!ids) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(l.db, SQL_ENTITY_ID, -1, &find, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(l.db, SQL_EDGE_EVIDENCE, -1, &l.rows, NULL) !=
	        SQLITE_OK) {
		rc = db_error(l.db, "read evidence");
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		ids[i] = 0;
		sqlite3_bind_text(find, 1, g->nodes[i].key, -1, SQLITE_STATIC);
		s = sqlite3_step(find);
		if (s == SQLITE_ROW)
			ids[i] = sqlite3_column_int64(find, 0);
		sqlite3_reset(find);
		if (s != SQLITE_ROW && s != SQLITE_DONE) {
			rc = db_error(l.db, "read entities");
			goto out;
		}
	}
	rc = read_docs(g, l.db, dates, &docs, &l.n_docs);
	if (rc < 0)
		goto out;
	l.docs = docs;
	rc = rank_docs(docs, l.n_docs, &by_rank);
	if (rc < 0)
		goto out;
	l.by_rank = by_rank;
	l.last_doc = SIZE_MAX;
	for (size_t i = 0; i < g->n_edges; i++) {
		free(g->edges[i].evidence);
		g->edges[i].evidence = NULL;
		g->edges[i].n_evidence = 0;
	}
	rc = use_scan(c, g->n_edges, &scan);
	if (rc < 0)
		goto out;
	if (scan) {
		rc = scan_edges(&l, ids);
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; !scan && i < g->n_edges; i++) {
		const struct xref_edge *e = &g->edges[i];

		/* An end not in this case (id 0) leaves the edge without
		 * evidence. */
		rc = rank_edge(&l, i, ids[e->source], ids[e->target]);
		if (rc < 0)
			goto out;
	}
	rc = cut_texts(&l);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge *e = &g->edges[i];

		if (e->n_evidence > 1)
			qsort(e->evidence, e->n_evidence, sizeof(*e->evidence),
			      cmp_evidence);
	}
out:
	if (rc < 0) {
		/* no evidence half filled in: texts may be missing */
		for (size_t i = 0; i < g->n_edges; i++) {
			free(g->edges[i].evidence);
			g->edges[i].evidence = NULL;
			g->edges[i].n_evidence = 0;
		}
	}
	sqlite3_finalize(find);
	sqlite3_finalize(l.rows);
	free(l.buf);
	free(l.pending);
	free(docs);
	free(by_rank);
	free(ids);
	return rc;
}

int xref_graph_load_evidence(struct xref_graph *g, struct xref_case *c,
                             size_t max_evidence)
{
	return load_evidence(g, c, max_evidence, NULL);
}

int xref_graph_load_evidence_filtered(struct xref_graph *g,
                                      struct xref_case *c,
                                      const struct xref_graph_filter *f)
{
	struct xref_date_range dates;
	int rc;

	rc = xref_date_range_init(&dates, f->since, f->until);
	if (rc < 0)
		return rc;
	return load_evidence(g, c,
	                     xref_graph_evidence_cap(f->max_evidence,
	                                             f->evidence_budget,
	                                             g->n_edges),
	                     &dates);
}

/* The node of entity `id` while nodes are still in load order (ids[i] is
 * the entity id of node i, ascending); SIZE_MAX when not loaded. */
static size_t node_of(const sqlite3_int64 *ids, size_t n, sqlite3_int64 id)
{
	const sqlite3_int64 *hit;

	if (!n)
		return SIZE_MAX;
	hit = bsearch(&id, ids, n, sizeof(*ids), cmp_id);
	return hit ? (size_t)(hit - ids) : SIZE_MAX;
}

/* Reads the entities kept by f into g; ids[i] gets node i's entity id. */
static int load_nodes(struct xref_graph *g, sqlite3_int64 **ids,
                      size_t *cap_ids, sqlite3 *db,
                      const struct xref_graph_filter *f,
                      const struct xref_date_range *dates)
{
	bool dated = xref_date_range_is_set(dates);
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	if (sqlite3_prepare_v2(db, dated ? SQL_NODES_DATED : SQL_NODES, -1,
	                       &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read entities");
		goto out;
	}
	if (dated)
		bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		enum xref_type t;
		const char *tn = col_text(st, 3);
		long mentions = (long)sqlite3_column_int64(st, 4);
		long documents = (long)sqlite3_column_int64(st, 5);

		if (!tn || xref_type_parse(&t, tn) < 0 || !col_text(st, 1) ||
		    !col_text(st, 2)) {
			rc = xref_error_set(
			    XREF_EDATA, "case file: bad entity row %lld",
			    (long long)sqlite3_column_int64(st, 0));
			goto out;
		}
		if (f->type_mask && !(f->type_mask & (1u << t)))
			continue;
		if (mentions < f->min_mentions || documents < f->min_documents)
			continue;
		rc = xref_graph_reserve((void **)ids, cap_ids, g->n_nodes + 1,
		                        sizeof(**ids));
		if (rc < 0)
			goto out;
		(*ids)[g->n_nodes] = sqlite3_column_int64(st, 0);
		rc = xref_graph_add_node(g, col_text(st, 1), col_text(st, 2), t,
		                         mentions, documents);
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read entities");
out:
	sqlite3_finalize(st);
	return rc;
}

static int load_aliases(struct xref_graph *g, const sqlite3_int64 *ids,
                        sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	if (sqlite3_prepare_v2(db, SQL_ALIASES, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read aliases");
		goto out;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = node_of(ids, g->n_nodes, sqlite3_column_int64(st, 0));

		if (i == SIZE_MAX || !col_text(st, 1))
			continue;
		rc = xref_graph_add_alias(g, i, col_text(st, 1));
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read aliases");
out:
	sqlite3_finalize(st);
	return rc;
}

static int load_edges(struct xref_graph *g, const sqlite3_int64 *ids,
                      sqlite3 *db, const struct xref_graph_filter *f,
                      const struct xref_date_range *dates)
{
	bool dated = xref_date_range_is_set(dates);
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	if (sqlite3_prepare_v2(db, dated ? SQL_EDGES_DATED : SQL_EDGES, -1,
	                       &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read edges");
		goto out;
	}
	sqlite3_bind_int64(st, 1, f->min_weight);
	if (dated)
		bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t a = node_of(ids, g->n_nodes, sqlite3_column_int64(st, 0));
		size_t b = node_of(ids, g->n_nodes, sqlite3_column_int64(st, 1));

		if (a == SIZE_MAX || b == SIZE_MAX)
			continue;
		rc = xref_graph_add_edge(g, a, b,
		                         (long)sqlite3_column_int64(st, 2),
		                         (long)sqlite3_column_int64(st, 3),
		                         col_text(st, 4), col_text(st, 5));
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read edges");
out:
	sqlite3_finalize(st);
	return rc;
}

/* Fills each node's window count and *total, over the documents in the
 * range. Entities without evidence hold no window (0). */
static int load_windows(struct xref_graph *g, const sqlite3_int64 *ids,
                        sqlite3 *db, const struct xref_date_range *dates,
                        long *total)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	*total = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i].windows = 0;
	if (sqlite3_prepare_v2(db, SQL_WINDOWS, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "count windows");
		goto out;
	}
	bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = node_of(ids, g->n_nodes, sqlite3_column_int64(st, 0));

		if (i != SIZE_MAX)
			g->nodes[i].windows = (long)sqlite3_column_int64(st, 1);
	}
	if (s != SQLITE_DONE) {
		rc = db_error(db, "count windows");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, SQL_TOTAL_WINDOWS, -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_error(db, "count windows");
		goto out;
	}
	bind_dates(st, dates);
	s = sqlite3_step(st);
	if (s != SQLITE_ROW) {
		rc = db_error(db, "count windows");
		goto out;
	}
	*total = (long)sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	return rc;
}

/* Steps 3 and 4 of xref_graph_load(), on the finished graph. */
static int apply_filter(struct xref_graph *g, const struct xref_graph_filter *f,
                        long total_windows)
{
	size_t ego;
	int rc = 0;

	if (f->n_stop) {
		rc = xref_graph_drop_named(g, f->stop, f->n_stop, NULL);
		if (rc < 0)
			goto out;
	}
	if (f->weight != XREF_WEIGHT_COUNT) {
		rc = xref_graph_set_weight(g, f->weight, total_windows);
		if (rc < 0)
			goto out;
	}
	if (f->min_strength > 0) {
		rc = xref_graph_min_strength(g, f->min_strength);
		if (rc < 0)
			goto out;
	}
	if (f->backbone > 0) {
		rc = xref_graph_backbone(g, f->backbone);
		if (rc < 0)
			goto out;
	}
	if (f->ego) {
		rc = xref_graph_find_node(&ego, g, f->ego);
		if (rc < 0)
			goto out;
		rc = xref_graph_keep_ego(g, ego, f->depth);
	}
out:
	return rc;
}

int xref_graph_load(struct xref_graph **out, struct xref_case *c,
                    const struct xref_graph_filter *f)
{
	static const struct xref_graph_filter all;
	struct xref_graph *g = NULL;
	struct xref_date_range dates;
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_int64 *ids = NULL; /* entity id of each node, ascending */
	size_t cap_ids = 0;
	long total_windows = -1;
	int rc;

	*out = NULL;
	if (!f)
		f = &all;
	if ((unsigned)f->weight >= XREF_WEIGHT_KINDS || f->min_weight < 0 ||
	    !(f->min_strength >= 0) || !(f->backbone >= 0 && f->backbone < 1) ||
	    f->depth < 0 || (f->n_stop && !f->stop)) {
		rc = xref_error_set(XREF_EINVAL, "invalid graph filter");
		goto out;
	}
	rc = xref_date_range_init(&dates, f->since, f->until);
	if (rc < 0)
		goto out;
	rc = xref_graph_new(&g);
	if (rc < 0)
		goto out;
	rc = load_nodes(g, &ids, &cap_ids, db, f, &dates);
	if (rc < 0)
		goto out;
	rc = load_aliases(g, ids, db);
	if (rc < 0)
		goto out;
	rc = load_edges(g, ids, db, f, &dates);
	if (rc < 0)
		goto out;
	if (f->weight != XREF_WEIGHT_COUNT) {
		rc = load_windows(g, ids, db, &dates, &total_windows);
		if (rc < 0)
			goto out;
	}
	rc = xref_graph_finish(g);
	if (rc < 0)
		goto out;
	rc = apply_filter(g, f, total_windows);
	if (rc < 0)
		goto out;
	/* Evidence last: only for the ties that survived the filters. */
	if (f->with_evidence) {
		rc = xref_graph_load_evidence_filtered(g, c, f);
		if (rc < 0)
			goto out;
	}
	rc = xref_case_load_communities(c, g);
	if (rc < 0)
		goto out;
	*out = g;
	g = NULL;
out:
	free(ids);
	xref_graph_free(g);
	return rc;
}
