/*
 * Filters over a loaded graph: keeping nodes or edges, the ego network,
 * finding a node by name, and dropping the nodes a stop list names.
 *
 * Everything works on the plain arrays: dropping compacts them in place
 * with a monotonic index map, so nodes stay in uid order and edges in
 * (source, target) order without sorting again. The ego network is a
 * breadth-first search over a compressed adjacency built for the call.
 *
 * Names are matched folded (xref_utf8_fold(): case, diacritics,
 * punctuation) and without a leading "the", by the same rules, in the
 * same order, as the case lookup of graph/query.h, so that an entity
 * argument means the same thing whether a command works on the case or on
 * a loaded graph. A stop list folds every name of the graph once and
 * compares strings after that, instead of folding the whole graph again
 * for each entry.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/analysis_internal.h"
#include "graph/graph.h"
#include "graph/graph_internal.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

#define CANDIDATES_SHOWN 5

void *xref_graph_alloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		xref_error_set(XREF_ENOMEM, "graph too large");
		return NULL;
	}
	p = malloc(n * size > 0 ? n * size : 1);
	if (!p)
		xref_error_set(XREF_ENOMEM, "out of memory");
	return p;
}

void xref_graph_forget_metrics(struct xref_graph *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		for (int m = 0; m < XREF_METRIC_COUNT; m++) {
			g->nodes[i].metric[m] = 0;
			g->nodes[i].has_metric[m] = false;
		}
	}
}

void xref_graph_keep_edges(struct xref_graph *g, const bool *keep,
                           size_t *removed)
{
	size_t w = 0;

	for (size_t i = 0; i < g->n_edges; i++) {
		if (!keep[i]) {
			xref_graph_edge_release(&g->edges[i]);
			continue;
		}
		g->edges[w++] = g->edges[i];
	}
	if (removed)
		*removed = g->n_edges - w;
	if (w != g->n_edges)
		xref_graph_forget_metrics(g);
	g->n_edges = w;
}

int xref_graph_degrees(const struct xref_graph *g, size_t **deg, double **str)
{
	size_t *d = NULL;
	double *s = NULL;
	int rc = 0;

	*deg = NULL;
	*str = NULL;
	d = xref_graph_alloc(g->n_nodes, sizeof(*d));
	s = xref_graph_alloc(g->n_nodes, sizeof(*s));
	if (!d || !s) {
		rc = XREF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		d[i] = 0;
		s[i] = 0;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		const struct xref_edge *e = &g->edges[i];

		d[e->source]++;
		d[e->target]++;
		s[e->source] += e->strength;
		s[e->target] += e->strength;
	}
	*deg = d;
	*str = s;
	d = NULL;
	s = NULL;
out:
	free(d);
	free(s);
	return rc;
}

int xref_graph_set_windows(struct xref_graph *g, size_t node, long windows)
{
	if (node >= g->n_nodes || windows < 0)
		return xref_error_set(XREF_EINVAL, "invalid window count");
	g->nodes[node].windows = windows;
	return 0;
}

int xref_graph_min_strength(struct xref_graph *g, double min)
{
	bool *keep;

	if (!(min >= 0))
		return xref_error_set(XREF_EINVAL, "invalid minimum strength");
	keep = xref_graph_alloc(g->n_edges, sizeof(*keep));
	if (!keep)
		return XREF_ENOMEM;
	for (size_t i = 0; i < g->n_edges; i++)
		keep[i] = g->edges[i].strength >= min;
	xref_graph_keep_edges(g, keep, NULL);
	free(keep);
	return 0;
}

int xref_graph_keep_nodes(struct xref_graph *g, const bool *keep)
{
	size_t *map;
	size_t w = 0, we = 0;

	map = xref_graph_alloc(g->n_nodes, sizeof(*map));
	if (!map)
		return XREF_ENOMEM;
	/* The map is monotonic: uid order and edge order survive. */
	for (size_t i = 0; i < g->n_nodes; i++) {
		if (!keep[i]) {
			xref_graph_node_release(&g->nodes[i]);
			map[i] = SIZE_MAX;
			continue;
		}
		map[i] = w;
		g->nodes[w++] = g->nodes[i];
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge e = g->edges[i];

		if (map[e.source] == SIZE_MAX || map[e.target] == SIZE_MAX) {
			xref_graph_edge_release(&e);
			continue;
		}
		e.source = map[e.source];
		e.target = map[e.target];
		g->edges[we++] = e;
	}
	if (w != g->n_nodes || we != g->n_edges) {
		g->n_nodes = w;
		g->n_edges = we;
		xref_graph_forget_metrics(g);
	}
	free(map);
	return 0;
}

int xref_graph_keep_ego(struct xref_graph *g, size_t ego, long depth)
{
	size_t n = g->n_nodes;
	size_t *off = NULL, *nbr = NULL, *queue = NULL, *fill = NULL;
	long *dist = NULL;
	bool *keep = NULL;
	size_t head = 0, tail = 0;
	int rc = 0;

	if (ego >= n || depth < 0) {
		rc = xref_error_set(XREF_EINVAL, "invalid ego network");
		goto out;
	}
	if (g->n_edges > SIZE_MAX / 2) {
		rc = xref_error_set(XREF_ENOMEM, "graph too large");
		goto out;
	}
	off = xref_graph_alloc(n + 1, sizeof(*off));
	fill = xref_graph_alloc(n, sizeof(*fill));
	nbr = xref_graph_alloc(2 * g->n_edges, sizeof(*nbr));
	queue = xref_graph_alloc(n, sizeof(*queue));
	dist = xref_graph_alloc(n, sizeof(*dist));
	keep = xref_graph_alloc(n, sizeof(*keep));
	if (!off || !fill || !nbr || !queue || !dist || !keep) {
		rc = XREF_ENOMEM;
		goto out;
	}
	/* Compressed adjacency: counts, prefix sums, then the neighbours. */
	memset(off, 0, (n + 1) * sizeof(*off));
	for (size_t i = 0; i < g->n_edges; i++) {
		off[g->edges[i].source + 1]++;
		off[g->edges[i].target + 1]++;
	}
	for (size_t i = 0; i < n; i++) {
		off[i + 1] += off[i];
		fill[i] = off[i];
		dist[i] = -1;
		keep[i] = false;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		nbr[fill[g->edges[i].source]++] = g->edges[i].target;
		nbr[fill[g->edges[i].target]++] = g->edges[i].source;
	}
	dist[ego] = 0;
	queue[tail++] = ego;
	while (head < tail) {
		size_t v = queue[head++];

		keep[v] = true;
		if (dist[v] >= depth)
			continue;
		for (size_t k = off[v]; k < off[v + 1]; k++) {
			size_t u = nbr[k];

			if (dist[u] >= 0)
				continue;
			dist[u] = dist[v] + 1;
			queue[tail++] = u;
		}
	}
	rc = xref_graph_keep_nodes(g, keep);
out:
	free(off);
	free(fill);
	free(nbr);
	free(queue);
	free(dist);
	free(keep);
	return rc;
}

/* ---- finding nodes by name ---- */

/* Every name of the graph, folded once. */
struct name_index {
	char **name;      /* per node: folded name without a leading "the" */
	char **key;       /* per node: folded key, likewise */
	char **alias;     /* every alias, folded */
	size_t *alias_of; /* the node of each alias */
	size_t n_nodes, n_alias;
};

/* The folded s without a leading "the " (when more follows). Owned by the
 * caller; NULL when out of memory. */
static char *fold_name(const char *s)
{
	char *f = NULL;

	if (xref_utf8_fold(&f, s, strlen(s)) < 0)
		return NULL;
	if (strncmp(f, "the ", 4) == 0 && f[4])
		memmove(f, f + 4, strlen(f + 4) + 1);
	return f;
}

static void name_index_release(struct name_index *ix)
{
	for (size_t i = 0; ix->name && i < ix->n_nodes; i++)
		free(ix->name[i]);
	for (size_t i = 0; ix->key && i < ix->n_nodes; i++)
		free(ix->key[i]);
	for (size_t i = 0; ix->alias && i < ix->n_alias; i++)
		free(ix->alias[i]);
	free(ix->name);
	free(ix->key);
	free(ix->alias);
	free(ix->alias_of);
	memset(ix, 0, sizeof(*ix));
}

static int name_index_init(struct name_index *ix, const struct xref_graph *g)
{
	size_t n_alias = 0, k = 0;
	int rc = 0;

	memset(ix, 0, sizeof(*ix));
	for (size_t i = 0; i < g->n_nodes; i++) {
		if (g->nodes[i].n_aliases > SIZE_MAX - n_alias) {
			rc = xref_error_set(XREF_ENOMEM, "graph too large");
			goto out;
		}
		n_alias += g->nodes[i].n_aliases;
	}
	ix->name = xref_graph_alloc(g->n_nodes, sizeof(*ix->name));
	ix->key = xref_graph_alloc(g->n_nodes, sizeof(*ix->key));
	ix->alias = xref_graph_alloc(n_alias, sizeof(*ix->alias));
	ix->alias_of = xref_graph_alloc(n_alias, sizeof(*ix->alias_of));
	if (!ix->name || !ix->key || !ix->alias || !ix->alias_of) {
		rc = XREF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct xref_node *v = &g->nodes[i];

		ix->name[i] = fold_name(v->name);
		ix->key[i] = fold_name(v->key);
		ix->n_nodes = i + 1;
		if (!ix->name[i] || !ix->key[i]) {
			rc = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t a = 0; a < v->n_aliases; a++) {
			ix->alias[k] = fold_name(v->aliases[a]);
			ix->alias_of[k] = i;
			ix->n_alias = ++k;
			if (!ix->alias[k - 1]) {
				rc = xref_error_set(XREF_ENOMEM,
				                    "out of memory");
				goto out;
			}
		}
	}
out:
	if (rc < 0)
		name_index_release(ix);
	return rc;
}

static bool is_uid(const char *q)
{
	size_t i;

	for (i = 0; q[i]; i++)
		if (!isxdigit((unsigned char)q[i]))
			return false;
	return i == 16;
}

/*
 * Marks in hit[] (one flag per node, cleared by the caller) the nodes that
 * `query` names at the first rule that matches anything; returns how many.
 * `folded` is the query folded by fold_name().
 */
static size_t match(bool *hit, const struct xref_graph *g,
                    const struct name_index *ix, const char *query,
                    const char *folded)
{
	size_t n = 0;

	if (is_uid(query)) {
		char uid[17];

		for (size_t i = 0; i < 16; i++)
			uid[i] = (char)tolower((unsigned char)query[i]);
		uid[16] = '\0';
		for (size_t i = 0; i < g->n_nodes; i++) {
			if (strcmp(g->nodes[i].uid, uid) == 0) {
				hit[i] = true;
				n++;
			}
		}
		if (n)
			return n;
	}
	if (!*folded)
		return 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		if (strcmp(ix->name[i], folded) == 0 ||
		    strcmp(ix->key[i], folded) == 0) {
			hit[i] = true;
			n++;
		}
	}
	if (n)
		return n;
	for (size_t k = 0; k < ix->n_alias; k++) {
		if (strcmp(ix->alias[k], folded) == 0 &&
		    !hit[ix->alias_of[k]]) {
			hit[ix->alias_of[k]] = true;
			n++;
		}
	}
	return n;
}

struct candidate {
	long mentions;
	const char *uid;
	size_t index;
};

/* Most mentioned first, then uid. */
static int cmp_candidate(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;

	if (a->mentions != b->mentions)
		return a->mentions > b->mentions ? -1 : 1;
	return strcmp(a->uid, b->uid);
}

/* Sets the XREF_EAMBIGUOUS message for the n nodes flagged in hit[]. */
static int ambiguous(const struct xref_graph *g, const bool *hit, size_t n,
                     const char *query)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct candidate *list = NULL;
	size_t k = 0;
	int rc;

	list = xref_graph_alloc(n, sizeof(*list));
	if (!list) {
		rc = XREF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes && k < n; i++) {
		if (!hit[i])
			continue;
		list[k].mentions = g->nodes[i].mentions;
		list[k].uid = g->nodes[i].uid;
		list[k++].index = i;
	}
	qsort(list, k, sizeof(*list), cmp_candidate);
	for (size_t i = 0; i < k && i < CANDIDATES_SHOWN; i++) {
		const struct xref_node *v = &g->nodes[list[i].index];

		if (xref_buf_printf(&b, "%s'%s' (%s, %s)", i ? ", " : "",
		                    v->name, xref_type_name(v->type),
		                    v->uid) < 0) {
			rc = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (k > CANDIDATES_SHOWN &&
	    xref_buf_printf(&b, " and %zu more", k - CANDIDATES_SHOWN) < 0) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	rc = xref_error_set(XREF_EAMBIGUOUS, "'%s' is ambiguous: %s", query,
	                    xref_buf_cstr(&b));
out:
	xref_buf_release(&b);
	free(list);
	return rc;
}

int xref_graph_find_node(size_t *index, const struct xref_graph *g,
                         const char *query)
{
	struct name_index ix;
	bool *hit = NULL;
	char *folded = NULL;
	size_t n;
	int rc;

	*index = SIZE_MAX;
	rc = name_index_init(&ix, g);
	if (rc < 0)
		return rc;
	folded = fold_name(query);
	hit = calloc(g->n_nodes ? g->n_nodes : 1, sizeof(*hit));
	if (!folded || !hit) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	n = match(hit, g, &ix, query, folded);
	if (n == 0) {
		rc = xref_error_set(XREF_ENOTFOUND, "no entity named '%s'",
		                    query);
		goto out;
	}
	if (n > 1) {
		rc = ambiguous(g, hit, n, query);
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++)
		if (hit[i])
			*index = i;
out:
	free(hit);
	free(folded);
	name_index_release(&ix);
	return rc;
}

int xref_graph_drop_named(struct xref_graph *g, const char *const *names,
                          size_t n, size_t *dropped)
{
	struct name_index ix;
	bool *hit = NULL, *drop = NULL;
	size_t count = 0;
	int rc;

	if (dropped)
		*dropped = 0;
	if (n == 0 || g->n_nodes == 0)
		return 0;
	rc = name_index_init(&ix, g);
	if (rc < 0)
		return rc;
	hit = xref_graph_alloc(g->n_nodes, sizeof(*hit));
	drop = calloc(g->n_nodes, sizeof(*drop));
	if (!hit || !drop) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		char *folded = fold_name(names[k]);

		if (!folded) {
			rc = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
		memset(hit, 0, g->n_nodes * sizeof(*hit));
		if (match(hit, g, &ix, names[k], folded)) {
			for (size_t i = 0; i < g->n_nodes; i++)
				drop[i] = drop[i] || hit[i];
		}
		free(folded);
	}
	/* keep = !drop, in place */
	for (size_t i = 0; i < g->n_nodes; i++) {
		count += drop[i];
		drop[i] = !drop[i];
	}
	if (count)
		rc = xref_graph_keep_nodes(g, drop);
	if (rc == 0 && dropped)
		*dropped = count;
out:
	free(hit);
	free(drop);
	name_index_release(&ix);
	return rc;
}
