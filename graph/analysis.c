/*
 * Analyses of the entity graph with igraph: degree, strength, betweenness
 * and PageRank, ranking by a metric, and keeping the top N nodes.
 *
 * Each computation builds a throwaway undirected igraph_t from the edge
 * array (O(V + E)), runs one igraph routine and copies the result into the
 * nodes. Keeping an igraph_t inside struct xref_graph was rejected: every
 * edit (finish, keep_top) would have to keep it in step, and the build cost
 * is small next to any analysis but degree.
 *
 * igraph's default error handler aborts the process; xref_graph_setup()
 * installs one that records the message as our last error and frees
 * igraph's temporaries, so every igraph failure becomes XREF_ERROR.
 */
#include "graph/graph.h"

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_internal.h"
#include "ingest/status.h"

#if IGRAPH_VERSION_MAJOR != 0 || IGRAPH_VERSION_MINOR != 10
#error "xref needs igraph 0.10 (1.0 changed the signatures used here)"
#endif

static const char *const metric_names[XREF_METRIC_COUNT] = {
    "degree",
    "strength",
    "betweenness",
    "pagerank",
};

const char *xref_metric_name(enum xref_metric m)
{
	if ((unsigned)m >= XREF_METRIC_COUNT)
		return "unknown";
	return metric_names[m];
}

int xref_metric_parse(enum xref_metric *out, const char *name)
{
	for (int i = 0; i < XREF_METRIC_COUNT; i++) {
		if (strcmp(name, metric_names[i]) == 0) {
			*out = (enum xref_metric)i;
			return 0;
		}
	}
	return xref_error_set(XREF_EINVAL, "unknown metric '%s'", name);
}

/* Records igraph's message as the last error, in our style (lowercase
 * start, no trailing period). igraph expects a returning handler to free
 * its temporaries (IGRAPH_FINALLY stack) itself. */
static void error_handler(const char *reason, const char *file, int line,
                          igraph_error_t err)
{
	char msg[512];
	size_t len;

	(void)file;
	(void)line;
	IGRAPH_FINALLY_FREE();
	snprintf(msg, sizeof(msg), "%s", reason ? reason : "error");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '.' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] - 'A' + 'a');
	xref_error_set(XREF_ERROR, "igraph: %s (%s)", msg,
	               igraph_strerror(err));
}

static void warning_handler(const char *reason, const char *file, int line)
{
	(void)reason;
	(void)file;
	(void)line;
}

void xref_graph_setup(void)
{
	igraph_set_error_handler(error_handler);
	igraph_set_warning_handler(warning_handler);
}

/* An igraph call failed: keep the handler's message, or name the code
 * when the handler was not reached. */
static int igraph_fail(igraph_error_t err)
{
	if (xref_error_last()[0] == '\0')
		return xref_error_set(XREF_ERROR, "igraph: %s",
		                      igraph_strerror(err));
	return XREF_ERROR;
}

static bool metric_ready(const struct xref_graph *g, enum xref_metric m)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (!g->nodes[i].has_metric[m])
			return false;
	return true;
}

int xref_graph_compute(struct xref_graph *g, enum xref_metric m)
{
	igraph_t ig;
	igraph_vector_int_t ends, deg;
	igraph_vector_t weights, res;
	bool have_graph = false, have_ends = false, have_deg = false;
	bool have_weights = false, have_res = false;
	igraph_error_t err = IGRAPH_SUCCESS;
	igraph_real_t value;
	int rc = 0;

	if ((unsigned)m >= XREF_METRIC_COUNT) {
		rc = xref_error_set(XREF_EINVAL, "unknown metric");
		goto out;
	}
	if (!g->finished) {
		rc = xref_error_set(XREF_EINVAL,
		                    "graph not finished before analysis");
		goto out;
	}
	if (g->n_nodes == 0)
		goto out;
	if (g->n_nodes > (size_t)IGRAPH_INTEGER_MAX / 2 ||
	    g->n_edges > (size_t)IGRAPH_INTEGER_MAX / 2) {
		rc = xref_error_set(XREF_ENOMEM, "graph too large for igraph");
		goto out;
	}
	xref_graph_setup();
	xref_error_clear();

	err = igraph_vector_int_init(&ends, (igraph_integer_t)(2 * g->n_edges));
	if (err)
		goto out;
	have_ends = true;
	err = igraph_vector_init(&weights, (igraph_integer_t)g->n_edges);
	if (err)
		goto out;
	have_weights = true;
	for (size_t i = 0; i < g->n_edges; i++) {
		VECTOR(ends)[2 * i] = (igraph_integer_t)g->edges[i].source;
		VECTOR(ends)[2 * i + 1] = (igraph_integer_t)g->edges[i].target;
		VECTOR(weights)[i] = (igraph_real_t)g->edges[i].weight;
	}
	err = igraph_create(&ig, &ends, (igraph_integer_t)g->n_nodes,
	                    IGRAPH_UNDIRECTED);
	if (err)
		goto out;
	have_graph = true;
	err = igraph_vector_init(&res, 0);
	if (err)
		goto out;
	have_res = true;

	switch (m) {
	case XREF_METRIC_DEGREE:
		err = igraph_vector_int_init(&deg, 0);
		if (err)
			goto out;
		have_deg = true;
		err = igraph_degree(&ig, &deg, igraph_vss_all(), IGRAPH_ALL,
		                    IGRAPH_NO_LOOPS);
		if (err)
			goto out;
		for (size_t i = 0; i < g->n_nodes; i++)
			g->nodes[i].metric[m] = (double)VECTOR(deg)[i];
		break;
	case XREF_METRIC_STRENGTH:
		err = igraph_strength(&ig, &res, igraph_vss_all(), IGRAPH_ALL,
		                      IGRAPH_NO_LOOPS, &weights);
		break;
	case XREF_METRIC_BETWEENNESS:
		err = igraph_betweenness(&ig, &res, igraph_vss_all(),
		                         IGRAPH_UNDIRECTED, NULL);
		break;
	case XREF_METRIC_PAGERANK:
		err = igraph_pagerank(&ig, IGRAPH_PAGERANK_ALGO_PRPACK, &res,
		                      &value, igraph_vss_all(),
		                      IGRAPH_UNDIRECTED, 0.85, &weights, NULL);
		break;
	default:
		break;
	}
	if (err)
		goto out;
	if (m != XREF_METRIC_DEGREE) {
		if ((size_t)igraph_vector_size(&res) != g->n_nodes) {
			rc = xref_error_set(
			    XREF_ERROR,
			    "igraph: %s returned %lld values for %zu nodes",
			    metric_names[m],
			    (long long)igraph_vector_size(&res), g->n_nodes);
			goto out;
		}
		for (size_t i = 0; i < g->n_nodes; i++)
			g->nodes[i].metric[m] = VECTOR(res)[i];
	}
	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i].has_metric[m] = true;
out:
	if (err)
		rc = igraph_fail(err);
	if (have_res)
		igraph_vector_destroy(&res);
	if (have_graph)
		igraph_destroy(&ig);
	if (have_deg)
		igraph_vector_int_destroy(&deg);
	if (have_weights)
		igraph_vector_destroy(&weights);
	if (have_ends)
		igraph_vector_int_destroy(&ends);
	return rc;
}

struct rank_item {
	double value;
	long mentions;
	const char *uid;
	size_t index;
};

/* Highest value first (NaN last), then more mentions, then uid. */
static int cmp_rank(const void *pa, const void *pb)
{
	const struct rank_item *a = pa, *b = pb;
	bool na = isnan(a->value), nb = isnan(b->value);
	int c;

	if (na != nb)
		return na ? 1 : -1;
	if (!na && a->value != b->value)
		return a->value > b->value ? -1 : 1;
	if (a->mentions != b->mentions)
		return a->mentions > b->mentions ? -1 : 1;
	c = strcmp(a->uid, b->uid);
	if (c)
		return c;
	return (a->index > b->index) - (a->index < b->index);
}

int xref_graph_rank(size_t **order, const struct xref_graph *g,
                    enum xref_metric m)
{
	struct rank_item *items = NULL;
	size_t *o = NULL;
	size_t n = g->n_nodes;
	int rc = 0;

	*order = NULL;
	if ((unsigned)m >= XREF_METRIC_COUNT) {
		rc = xref_error_set(XREF_EINVAL, "unknown metric");
		goto out;
	}
	if (!metric_ready(g, m)) {
		rc = xref_error_set(XREF_EINVAL, "metric '%s' not computed",
		                    metric_names[m]);
		goto out;
	}
	if (n > SIZE_MAX / sizeof(*items)) {
		rc = xref_error_set(XREF_ENOMEM, "graph too large");
		goto out;
	}
	/* malloc(0) may return NULL: always ask for at least one slot. */
	items = malloc((n ? n : 1) * sizeof(*items));
	o = malloc((n ? n : 1) * sizeof(*o));
	if (!items || !o) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		items[i].value = g->nodes[i].metric[m];
		items[i].mentions = g->nodes[i].mentions;
		items[i].uid = g->nodes[i].uid;
		items[i].index = i;
	}
	qsort(items, n, sizeof(*items), cmp_rank);
	for (size_t i = 0; i < n; i++)
		o[i] = items[i].index;
	*order = o;
	o = NULL;
out:
	free(items);
	free(o);
	return rc;
}

int xref_graph_keep_top(struct xref_graph *g, enum xref_metric m, size_t n)
{
	size_t *order = NULL, *map = NULL;
	bool *keep = NULL;
	size_t w;
	int rc = 0;

	if ((unsigned)m >= XREF_METRIC_COUNT) {
		rc = xref_error_set(XREF_EINVAL, "unknown metric");
		goto out;
	}
	if (n == 0 || n >= g->n_nodes)
		goto out;
	if (!metric_ready(g, m)) {
		rc = xref_graph_compute(g, m);
		if (rc < 0)
			goto out;
	}
	rc = xref_graph_rank(&order, g, m);
	if (rc < 0)
		goto out;
	keep = calloc(g->n_nodes, sizeof(*keep));
	map = calloc(g->n_nodes, sizeof(*map));
	if (!keep || !map) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		keep[order[i]] = true;

	/* Compacting in place keeps the uid order, and the index map is
	 * monotonic, so the edges stay sorted by (source, target). */
	w = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		if (!keep[i]) {
			xref_graph_node_release(&g->nodes[i]);
			continue;
		}
		map[i] = w;
		g->nodes[w++] = g->nodes[i];
	}
	g->n_nodes = w;
	w = 0;
	for (size_t i = 0; i < g->n_edges; i++) {
		struct xref_edge e = g->edges[i];

		if (!keep[e.source] || !keep[e.target]) {
			xref_graph_edge_release(&e);
			continue;
		}
		e.source = map[e.source];
		e.target = map[e.target];
		g->edges[w++] = e;
	}
	g->n_edges = w;
out:
	free(order);
	free(keep);
	free(map);
	return rc;
}
