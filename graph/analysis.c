/*
 * Node metrics of the entity graph with igraph: degree, strength,
 * betweenness (exact, cut off, or from sampled sources), closeness,
 * harmonic, PageRank, eigenvector and coreness; ranking by a metric, and
 * keeping the top N nodes.
 *
 * Each computation builds a throwaway undirected igraph_t from the edge
 * array (O(V + E)), runs one igraph routine and copies the result into the
 * nodes. Keeping an igraph_t inside struct xref_graph was rejected: every
 * edit (finish, filters, keep_top) would have to keep it in step, and the
 * build cost is small next to any analysis but degree.
 *
 * Edge weights are read two ways: PageRank (ours), eigenvector, strength and
 * Leiden as strengths (heavier is closer), the path routines as lengths
 * (heavier is farther). So every build carries the tie strengths and, for
 * weighted path metrics, a second vector of lengths 1 / strength; passing
 * counts as lengths would make the strongest ties the longest paths.
 *
 * Sampled betweenness draws its sources with our own seeded generator
 * (splitmix64 and a partial Fisher-Yates shuffle), not igraph's, so that a
 * seed names the same sample whatever igraph's generator does.
 *
 * igraph's default error handler aborts the process; xref_graph_setup()
 * installs one that records the message as our last error and frees
 * igraph's temporaries, so every igraph failure becomes a status code.
 */
#include "graph/graph.h"

#include <igraph.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/analysis_internal.h"
#include "graph/graph_internal.h"
#include "ingest/status.h"

#if IGRAPH_VERSION_MAJOR != 0 || IGRAPH_VERSION_MINOR != 10
#error "xref needs igraph 0.10 (1.0 changed the signatures used here)"
#endif

static const char *const metric_names[XREF_METRIC_COUNT] = {
    "degree",    "strength", "betweenness", "pagerank",
    "closeness", "harmonic", "eigenvector", "coreness",
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

int xref_ig_fail(igraph_error_t err)
{
	int code = err == IGRAPH_ENOMEM ? XREF_ENOMEM : XREF_ERROR;

	if (xref_error_last()[0] == '\0')
		return xref_error_set(code, "igraph: %s", igraph_strerror(err));
	return code;
}

void xref_ig_destroy(struct xref_ig *ig)
{
	if (ig->has_length)
		igraph_vector_destroy(&ig->length);
	if (ig->has_strength)
		igraph_vector_destroy(&ig->strength);
	if (ig->has_graph)
		igraph_destroy(&ig->graph);
	ig->has_graph = ig->has_strength = ig->has_length = false;
}

int xref_ig_init(struct xref_ig *ig, const struct xref_graph *g, bool lengths)
{
	igraph_vector_int_t ends;
	bool have_ends = false;
	igraph_error_t err = IGRAPH_SUCCESS;
	int rc = 0;

	memset(ig, 0, sizeof(*ig));
	if (!g->finished) {
		rc = xref_error_set(XREF_EINVAL,
		                    "graph not finished before analysis");
		goto out;
	}
	if (g->n_nodes > (size_t)IGRAPH_INTEGER_MAX / 2 ||
	    g->n_edges > (size_t)IGRAPH_INTEGER_MAX / 2) {
		rc = xref_error_set(XREF_ENOMEM, "graph too large for igraph");
		goto out;
	}
	for (size_t i = 0; lengths && i < g->n_edges; i++) {
		if (!(g->edges[i].strength > 0)) {
			rc = xref_error_set(
			    XREF_EINVAL,
			    "the tie '%s' - '%s' has strength %g: no length",
			    g->nodes[g->edges[i].source].name,
			    g->nodes[g->edges[i].target].name,
			    g->edges[i].strength);
			goto out;
		}
	}
	xref_graph_setup();
	xref_error_clear();

	err = igraph_vector_int_init(&ends, (igraph_integer_t)(2 * g->n_edges));
	if (err)
		goto out;
	have_ends = true;
	err = igraph_vector_init(&ig->strength, (igraph_integer_t)g->n_edges);
	if (err)
		goto out;
	ig->has_strength = true;
	if (lengths) {
		err = igraph_vector_init(&ig->length,
		                         (igraph_integer_t)g->n_edges);
		if (err)
			goto out;
		ig->has_length = true;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		VECTOR(ends)[2 * i] = (igraph_integer_t)g->edges[i].source;
		VECTOR(ends)[2 * i + 1] = (igraph_integer_t)g->edges[i].target;
		VECTOR(ig->strength)[i] = g->edges[i].strength;
		if (lengths)
			VECTOR(ig->length)[i] = 1.0 / g->edges[i].strength;
	}
	err = igraph_create(&ig->graph, &ends, (igraph_integer_t)g->n_nodes,
	                    IGRAPH_UNDIRECTED);
	if (err)
		goto out;
	ig->has_graph = true;
out:
	if (err)
		rc = xref_ig_fail(err);
	if (have_ends)
		igraph_vector_int_destroy(&ends);
	if (rc < 0)
		xref_ig_destroy(ig);
	return rc;
}

static bool metric_ready(const struct xref_graph *g, enum xref_metric m)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (!g->nodes[i].has_metric[m])
			return false;
	return true;
}

/* splitmix64: a small, well-mixed generator for the source sample. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A uniform integer in [0, n), without modulo bias. */
static size_t uniform_below(uint64_t *state, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;

	do
		r = splitmix64(state);
	while (r >= limit);
	return (size_t)(r % n);
}

/*
 * Draws the sources of sampled betweenness: in each connected component,
 * k of its nodes at random (all of them when it has k or fewer), by
 * `seed`. scale[v] gets (component size / sources drawn in it) for the
 * component of v. Sources in other components add nothing to v's
 * betweenness, so sampling each component on its own keeps the estimate
 * unbiased while a node's error depends only on its own component; one
 * sample over the whole graph would spend most sources on small pieces.
 * Costs at most k searches' worth per component: O(k (V + E)) in all.
 */
static int sample_sources(igraph_vector_int_t *src, igraph_vector_t *scale,
                          const igraph_t *graph, size_t n, size_t k,
                          unsigned long seed)
{
	igraph_vector_int_t memb, csize;
	bool have_memb = false, have_csize = false;
	size_t *order = NULL, *start = NULL, *fill = NULL;
	uint64_t state = (uint64_t)seed;
	igraph_integer_t nc = 0;
	igraph_error_t err;
	int rc = 0;

	err = igraph_vector_int_init(&memb, 0);
	if (err)
		goto out;
	have_memb = true;
	err = igraph_vector_int_init(&csize, 0);
	if (err)
		goto out;
	have_csize = true;
	err =
	    igraph_connected_components(graph, &memb, &csize, &nc, IGRAPH_WEAK);
	if (err)
		goto out;
	/* the nodes of each component, ascending, one after another */
	order = xref_graph_alloc(n, sizeof(*order));
	start = xref_graph_alloc((size_t)nc + 1, sizeof(*start));
	fill = xref_graph_alloc((size_t)nc + 1, sizeof(*fill));
	if (!order || !start || !fill) {
		rc = XREF_ENOMEM;
		goto out;
	}
	start[0] = 0;
	for (igraph_integer_t c = 0; c < nc; c++)
		start[c + 1] = start[c] + (size_t)VECTOR(csize)[c];
	memcpy(fill, start, ((size_t)nc + 1) * sizeof(*fill));
	for (size_t v = 0; v < n; v++)
		order[fill[VECTOR(memb)[v]]++] = v;
	err = igraph_vector_int_resize(src, 0);
	if (!err)
		err = igraph_vector_resize(scale, (igraph_integer_t)n);
	for (igraph_integer_t c = 0; !err && c < nc; c++) {
		size_t *m = order + start[c];
		size_t size = start[c + 1] - start[c];
		size_t take = size < k ? size : k;

		/* partial Fisher-Yates: the first `take` are the sample */
		for (size_t i = 0; i < take && take < size; i++) {
			size_t j = i + uniform_below(&state, size - i);
			size_t t = m[i];

			m[i] = m[j];
			m[j] = t;
		}
		for (size_t i = 0; !err && i < take; i++)
			err = igraph_vector_int_push_back(
			    src, (igraph_integer_t)m[i]);
		for (size_t i = 0; i < size; i++)
			VECTOR(*scale)[m[i]] = (double)size / (double)take;
	}
	if (!err)
		igraph_vector_int_sort(src);
out:
	if (err)
		rc = xref_ig_fail(err);
	if (have_memb)
		igraph_vector_int_destroy(&memb);
	if (have_csize)
		igraph_vector_int_destroy(&csize);
	free(order);
	free(start);
	free(fill);
	return rc;
}

/* Betweenness: exact, cut off, or sampled; res gets raw pair counts. */
static igraph_error_t betweenness(const struct xref_ig *ig,
                                  igraph_vector_t *res,
                                  const struct xref_metric_opts *o,
                                  const igraph_vector_t *w, size_t n, int *rc)
{
	igraph_vector_int_t src;
	igraph_vector_t scale;
	igraph_error_t err;

	*rc = 0;
	if (o->sample > 0 && o->sample < n) {
		err = igraph_vector_int_init(&src, 0);
		if (err)
			return err;
		err = igraph_vector_init(&scale, 0);
		if (err) {
			igraph_vector_int_destroy(&src);
			return err;
		}
		*rc = sample_sources(&src, &scale, &ig->graph, n, o->sample,
		                     o->seed);
		if (*rc == 0)
			err = igraph_betweenness_subset(
			    &ig->graph, res, igraph_vss_all(),
			    IGRAPH_UNDIRECTED, igraph_vss_vector(&src),
			    igraph_vss_all(), w);
		/* Each source stands for size / sample of its component. */
		if (*rc == 0 && !err)
			err = igraph_vector_mul(res, &scale);
		igraph_vector_destroy(&scale);
		igraph_vector_int_destroy(&src);
		return err;
	}
	if (o->cutoff > 0)
		return igraph_betweenness_cutoff(
		    &ig->graph, res, igraph_vss_all(), IGRAPH_UNDIRECTED, w,
		    o->cutoff);
	return igraph_betweenness(&ig->graph, res, igraph_vss_all(),
	                          IGRAPH_UNDIRECTED, w);
}

/* Rescales eigenvector centrality: unit length, or largest 1; signs (an
 * eigenvector is defined up to one) made non-negative. */
static void eigen_scale(igraph_vector_t *res, bool max_one)
{
	double norm = 0, max = 0;
	igraph_integer_t n = igraph_vector_size(res);

	for (igraph_integer_t i = 0; i < n; i++) {
		double v = fabs(VECTOR(*res)[i]);

		VECTOR(*res)[i] = v;
		norm += v * v;
		if (v > max)
			max = v;
	}
	norm = max_one ? max : sqrt(norm);
	if (norm > 0)
		for (igraph_integer_t i = 0; i < n; i++)
			VECTOR(*res)[i] /= norm;
}

int xref_graph_compute(struct xref_graph *g, enum xref_metric m)
{
	return xref_graph_compute_opts(g, m, NULL);
}

int xref_graph_compute_opts(struct xref_graph *g, enum xref_metric m,
                            const struct xref_metric_opts *opts)
{
	static const struct xref_metric_opts defaults;
	const struct xref_metric_opts *o = opts ? opts : &defaults;
	struct xref_ig ig;
	igraph_vector_int_t ires;
	igraph_vector_t res;
	const igraph_vector_t *len;
	bool have_ires = false, have_res = false, path;
	igraph_error_t err = IGRAPH_SUCCESS;
	igraph_real_t value;
	size_t n = g->n_nodes;
	double scale = 1, max = 0;
	int rc = 0;

	memset(&ig, 0, sizeof(ig));
	if ((unsigned)m >= XREF_METRIC_COUNT) {
		rc = xref_error_set(XREF_EINVAL, "unknown metric");
		goto out;
	}
	if (!(o->cutoff >= 0) || (o->sample > (size_t)IGRAPH_INTEGER_MAX)) {
		rc = xref_error_set(XREF_EINVAL, "invalid metric options");
		goto out;
	}
	path = m == XREF_METRIC_BETWEENNESS || m == XREF_METRIC_CLOSENESS ||
	       m == XREF_METRIC_HARMONIC;
	rc = xref_ig_init(&ig, g, path && o->weighted);
	if (rc < 0)
		goto out;
	if (n == 0)
		goto out;
	len = path && o->weighted ? &ig.length : NULL;
	err = igraph_vector_init(&res, 0);
	if (err)
		goto out;
	have_res = true;
	err = igraph_vector_int_init(&ires, 0);
	if (err)
		goto out;
	have_ires = true;

	switch (m) {
	case XREF_METRIC_DEGREE:
		err = igraph_degree(&ig.graph, &ires, igraph_vss_all(),
		                    IGRAPH_ALL, IGRAPH_NO_LOOPS);
		break;
	case XREF_METRIC_STRENGTH:
		err =
		    igraph_strength(&ig.graph, &res, igraph_vss_all(),
		                    IGRAPH_ALL, IGRAPH_NO_LOOPS, &ig.strength);
		break;
	case XREF_METRIC_BETWEENNESS:
		err = betweenness(&ig, &res, o, len, n, &rc);
		break;
	case XREF_METRIC_CLOSENESS:
		if (o->cutoff > 0)
			err = igraph_closeness_cutoff(
			    &ig.graph, &res, NULL, NULL, igraph_vss_all(),
			    IGRAPH_ALL, len, o->normalized, o->cutoff);
		else
			err = igraph_closeness(&ig.graph, &res, NULL, NULL,
			                       igraph_vss_all(), IGRAPH_ALL,
			                       len, o->normalized);
		break;
	case XREF_METRIC_HARMONIC:
		if (o->cutoff > 0)
			err = igraph_harmonic_centrality_cutoff(
			    &ig.graph, &res, igraph_vss_all(), IGRAPH_ALL, len,
			    o->normalized, o->cutoff);
		else
			err = igraph_harmonic_centrality(
			    &ig.graph, &res, igraph_vss_all(), IGRAPH_ALL, len,
			    o->normalized);
		break;
	case XREF_METRIC_PAGERANK:
		/* Not igraph's: see graph/pagerank.c. */
		err = igraph_vector_resize(&res, (igraph_integer_t)n);
		if (!err)
			rc = xref_graph_pagerank(VECTOR(res), g, 0.85);
		break;
	case XREF_METRIC_EIGENVECTOR:
		err = igraph_eigenvector_centrality(&ig.graph, &res, &value,
		                                    IGRAPH_UNDIRECTED, true,
		                                    &ig.strength, NULL);
		if (!err)
			eigen_scale(&res, o->normalized);
		break;
	case XREF_METRIC_CORENESS:
		err = igraph_coreness(&ig.graph, &ires, IGRAPH_ALL);
		break;
	default:
		break;
	}
	if (err || rc < 0)
		goto out;
	if (m == XREF_METRIC_DEGREE || m == XREF_METRIC_CORENESS) {
		err = igraph_vector_resize(&res, igraph_vector_int_size(&ires));
		if (err)
			goto out;
		for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ires);
		     i++)
			VECTOR(res)[i] = (double)VECTOR(ires)[i];
	}
	if ((size_t)igraph_vector_size(&res) != n) {
		rc = xref_error_set(
		    XREF_ERROR, "igraph: %s returned %lld values for %zu nodes",
		    metric_names[m], (long long)igraph_vector_size(&res), n);
		goto out;
	}
	if (o->normalized) {
		switch (m) {
		case XREF_METRIC_DEGREE:
		case XREF_METRIC_STRENGTH:
			scale = n > 1 ? 1.0 / (double)(n - 1) : 0;
			break;
		case XREF_METRIC_BETWEENNESS:
			scale = n > 2
			            ? 2.0 / ((double)(n - 1) * (double)(n - 2))
			            : 0;
			break;
		case XREF_METRIC_CORENESS:
			for (size_t i = 0; i < n; i++)
				if (VECTOR(res)[i] > max)
					max = VECTOR(res)[i];
			scale = max > 0 ? 1.0 / max : 1;
			break;
		default: /* igraph normalised it, or it needs nothing */
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		double v = VECTOR(res)[i] * scale;

		/* igraph gives NaN closeness to a node that reaches nobody */
		if (m == XREF_METRIC_CLOSENESS && isnan(v))
			v = 0;
		g->nodes[i].metric[m] = v;
		g->nodes[i].has_metric[m] = true;
	}
out:
	if (err)
		rc = xref_ig_fail(err);
	if (have_ires)
		igraph_vector_int_destroy(&ires);
	if (have_res)
		igraph_vector_destroy(&res);
	xref_ig_destroy(&ig);
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

int xref_graph_compute_standard(struct xref_graph *g, size_t *sample)
{
	static const enum xref_metric plain[] = {
	    XREF_METRIC_DEGREE,
	    XREF_METRIC_STRENGTH,
	    XREF_METRIC_PAGERANK,
	};
	struct xref_metric_opts o;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	if (g->n_nodes > XREF_BETWEENNESS_EXACT_MAX) {
		o.sample = XREF_BETWEENNESS_SAMPLE;
		o.seed = XREF_BETWEENNESS_SEED;
	}
	if (sample)
		*sample = o.sample;
	for (size_t i = 0; rc == 0 && i < sizeof(plain) / sizeof(plain[0]); i++)
		rc = xref_graph_compute(g, plain[i]);
	if (rc == 0)
		rc = xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o);
	return rc;
}
