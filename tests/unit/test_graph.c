/*
 * Unit tests for the in-memory graph (graph/graph.c, graph/analysis.c):
 * canonical order after xref_graph_finish(), merging, metrics against
 * values worked out by hand, ranking ties, keep_top, and igraph errors
 * turned into XREF_ERROR instead of an abort.
 */
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-5)

/* Index of the node with this key, or (size_t)-1. */
static size_t find(const struct xref_graph *g, const char *key)
{
	size_t n;
	const struct xref_node *v = xref_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return i;
	return (size_t)-1;
}

static double metric(const struct xref_graph *g, const char *key,
                     enum xref_metric m)
{
	size_t n, i = find(g, key);
	const struct xref_node *v = xref_graph_nodes(g, &n);

	return i < n ? v[i].metric[m] : NAN;
}

/* A star: centre "c" and leaves l1..l4, weights 1..4. */
static struct xref_graph *star(void)
{
	static const char *const keys[] = {"c", "l1", "l2", "l3", "l4"};
	struct xref_graph *g = NULL;
	int rc = xref_graph_new(&g);

	for (int i = 0; rc == 0 && i < 5; i++)
		rc = xref_graph_add_node(g, keys[i], keys[i], XREF_TYPE_PERSON,
		                         10 - i, 1);
	for (int i = 1; rc == 0 && i < 5; i++)
		rc = xref_graph_add_edge(g, 0, (size_t)i, i, 1, NULL, NULL);
	if (rc == 0)
		rc = xref_graph_finish(g);
	CHECK(rc == 0);
	return g;
}

static void test_star(void)
{
	struct xref_graph *g = star();
	size_t n;
	const struct xref_node *v;
	double sum = 0;

	for (int m = 0; m < XREF_METRIC_COUNT; m++)
		CHECK(xref_graph_compute(g, (enum xref_metric)m) == 0);
	CHECK(NEAR(metric(g, "c", XREF_METRIC_DEGREE), 4));
	CHECK(NEAR(metric(g, "l3", XREF_METRIC_DEGREE), 1));
	CHECK(NEAR(metric(g, "c", XREF_METRIC_STRENGTH), 10));
	CHECK(NEAR(metric(g, "l3", XREF_METRIC_STRENGTH), 3));
	CHECK(NEAR(metric(g, "c", XREF_METRIC_BETWEENNESS), 6));
	CHECK(NEAR(metric(g, "l1", XREF_METRIC_BETWEENNESS), 0));
	v = xref_graph_nodes(g, &n);
	CHECK(n == 5);
	for (size_t i = 0; i < n; i++) {
		sum += v[i].metric[XREF_METRIC_PAGERANK];
		CHECK(v[i].has_metric[XREF_METRIC_PAGERANK]);
	}
	CHECK(NEAR(sum, 1.0));
	xref_graph_free(g);
}

/* Unweighted star: c = 0.132 / 0.2775, each leaf 0.03 + 0.2125 c. */
static void test_pagerank_values(void)
{
	struct xref_graph *g = NULL;

	CHECK(xref_graph_new(&g) == 0);
	for (int i = 0; i < 5; i++) {
		char key[3] = {'k', (char)('0' + i), '\0'};

		CHECK(xref_graph_add_node(g, key, key, XREF_TYPE_COMPANY, 1,
		                          1) == 0);
	}
	for (size_t i = 1; i < 5; i++)
		CHECK(xref_graph_add_edge(g, 0, i, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0);
	CHECK(NEAR(metric(g, "k0", XREF_METRIC_PAGERANK), 0.132 / 0.2775));
	CHECK(NEAR(metric(g, "k2", XREF_METRIC_PAGERANK),
	           0.03 + 0.2125 * (0.132 / 0.2775)));
	xref_graph_free(g);

	/* Weighted path a -1- b -3- c: b = 0.135 / 0.2775,
	 * a = 0.05 + 0.85 b / 4, c = 0.05 + 0.85 * 3 b / 4. */
	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_add_node(g, "a", "A", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_node(g, "b", "B", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_node(g, "c", "C", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_edge(g, 0, 1, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_add_edge(g, 2, 1, 3, 1, NULL, NULL) == 0);
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_BETWEENNESS) == 0);
	CHECK(NEAR(metric(g, "b", XREF_METRIC_PAGERANK), 0.135 / 0.2775));
	CHECK(NEAR(metric(g, "a", XREF_METRIC_PAGERANK),
	           0.05 + 0.2125 * (0.135 / 0.2775)));
	CHECK(NEAR(metric(g, "c", XREF_METRIC_PAGERANK),
	           0.05 + 0.6375 * (0.135 / 0.2775)));
	/* Betweenness ignores weights: b lies on the one a-c path. */
	CHECK(NEAR(metric(g, "b", XREF_METRIC_BETWEENNESS), 1));
	CHECK(NEAR(metric(g, "a", XREF_METRIC_BETWEENNESS), 0));
	xref_graph_free(g);
}

static void test_finish(void)
{
	static const char *const keys[] = {"alpha", "beta",    "gamma",
	                                   "delta", "epsilon", "zeta"};
	struct xref_graph *g = NULL;
	const struct xref_node *v;
	const struct xref_edge *e;
	/* struct xref_evidence holds char *: writable copies of the strings. */
	char d1[] = "d1", d2[] = "d2", d9[] = "d9";
	char date_old[] = "2020-01-01", date_new[] = "2021-03-04";
	char t_old[] = "older", t_undated[] = "undated";
	char t_later[] = "newest, later span",
	     t_earlier[] = "newest, earlier span";
	struct xref_evidence ev = {0};
	size_t n, ne, a, b;

	CHECK(xref_graph_new(&g) == 0);
	for (size_t i = 0; i < 6; i++)
		CHECK(xref_graph_add_node(g, keys[i], keys[i], XREF_TYPE_PERSON,
		                          1, 1) == 0);
	CHECK(xref_graph_add_node(g, "alpha", "dup", XREF_TYPE_PERSON, 1, 1) ==
	      0);
	CHECK(xref_graph_finish(g) == XREF_EINVAL);
	xref_graph_free(g);

	CHECK(xref_graph_new(&g) == 0);
	for (size_t i = 0; i < 6; i++)
		CHECK(xref_graph_add_node(g, keys[i], keys[i], XREF_TYPE_PERSON,
		                          1, 1) == 0);
	CHECK(xref_graph_add_node(g, "x", "x", XREF_TYPE_COUNT, 1, 1) ==
	      XREF_EINVAL);
	CHECK(xref_graph_add_edge(g, 0, 6, 1, 1, NULL, NULL) == XREF_EINVAL);
	/* alpha-beta three times, once reversed, once undated. */
	CHECK(xref_graph_add_edge(g, 0, 1, 2, 1, "2020-05-01", "2020-06-01") ==
	      0);
	CHECK(xref_graph_add_edge(g, 1, 0, 3, 2, "2019-01-01", "2020-01-01") ==
	      0);
	CHECK(xref_graph_add_edge(g, 0, 1, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_add_edge(g, 2, 3, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_add_edge(g, 4, 4, 5, 1, NULL, NULL) == 0); /* loop */
	ev.doc_id = d2;
	ev.date = date_old;
	ev.text = t_old;
	ev.start = 5;
	ev.end = 10;
	CHECK(xref_graph_add_evidence(g, 0, &ev) == 0);
	ev.doc_id = d9;
	ev.date = NULL;
	ev.text = t_undated;
	CHECK(xref_graph_add_evidence(g, 1, &ev) == 0);
	ev.doc_id = d1;
	ev.date = date_new;
	ev.text = t_later;
	ev.start = 20;
	ev.end = 30;
	CHECK(xref_graph_add_evidence(g, 1, &ev) == 0);
	ev.text = t_earlier;
	ev.start = 0;
	ev.end = 4;
	CHECK(xref_graph_add_evidence(g, 2, &ev) == 0);
	ev.doc_id = NULL;
	CHECK(xref_graph_add_evidence(g, 2, &ev) == XREF_EINVAL);
	CHECK(xref_graph_add_alias(g, 0, "Alpha") == 0);
	CHECK(xref_graph_add_alias(g, 0, "alpha") == 0); /* = name: dropped */
	CHECK(xref_graph_add_alias(g, 0, "ALPHA") == 0);
	CHECK(xref_graph_add_alias(g, 0, "Alpha") == 0); /* duplicate */
	CHECK(xref_graph_add_alias(g, 9, "x") == XREF_EINVAL);
	CHECK(xref_graph_finish(g) == 0);

	v = xref_graph_nodes(g, &n);
	CHECK(n == 6);
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(v[i - 1].uid, v[i].uid) < 0);
	for (size_t i = 0; i < n; i++) {
		char uid[17];

		xref_entity_uid(uid, v[i].key);
		CHECK_STR(v[i].uid, uid);
	}
	e = xref_graph_edges(g, &ne);
	CHECK(ne == 2);
	for (size_t i = 0; i < ne; i++)
		CHECK(e[i].source < e[i].target);
	CHECK(ne < 2 || e[0].source < e[1].source ||
	      (e[0].source == e[1].source && e[0].target < e[1].target));
	a = find(g, "alpha");
	b = find(g, "beta");
	for (size_t i = 0; i < ne; i++) {
		if (!((e[i].source == a && e[i].target == b) ||
		      (e[i].source == b && e[i].target == a)))
			continue;
		CHECK(e[i].weight == 6);
		CHECK(e[i].documents == 4);
		CHECK_STR(e[i].first_seen, "2019-01-01");
		CHECK_STR(e[i].last_seen, "2020-06-01");
		CHECK(e[i].n_evidence == 4);
		if (e[i].n_evidence == 4) {
			CHECK_STR(e[i].evidence[0].text,
			          "newest, earlier span");
			CHECK_STR(e[i].evidence[1].text, "newest, later span");
			CHECK_STR(e[i].evidence[2].text, "older");
			CHECK_STR(e[i].evidence[3].text, "undated");
			CHECK(e[i].evidence[3].date == NULL);
			CHECK(e[i].evidence[0].title == NULL);
		}
	}
	CHECK(v[a].n_aliases == 2);
	if (v[a].n_aliases == 2) {
		CHECK_STR(v[a].aliases[0], "ALPHA");
		CHECK_STR(v[a].aliases[1], "Alpha");
	}
	/* Finishing again changes nothing. */
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_edges(g, &ne) && ne == 2);
	xref_graph_free(g);
	xref_graph_free(NULL);
}

static void test_rank_and_top(void)
{
	struct xref_graph *g = NULL;
	const struct xref_node *v;
	const struct xref_edge *e;
	size_t *order = NULL, n, ne;
	char u1[17], u2[17];

	/* Path p - q - r plus isolated s and t: equal mentions on s and t, so
	 * uid decides; q leads on degree; p and r tie on degree, r has more
	 * mentions. */
	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_add_node(g, "p", "P", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_node(g, "q", "Q", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_node(g, "r", "R", XREF_TYPE_PERSON, 7, 1) == 0);
	CHECK(xref_graph_add_node(g, "s", "S", XREF_TYPE_PERSON, 2, 1) == 0);
	CHECK(xref_graph_add_node(g, "t", "T", XREF_TYPE_PERSON, 2, 1) == 0);
	CHECK(xref_graph_add_edge(g, 0, 1, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_add_edge(g, 1, 2, 1, 1, "2020", "2021") == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_DEGREE) == XREF_EINVAL);
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_rank(&order, g, XREF_METRIC_DEGREE) == XREF_EINVAL);
	CHECK(order == NULL);
	CHECK(xref_graph_compute(g, XREF_METRIC_DEGREE) == 0);
	CHECK(xref_graph_rank(&order, g, XREF_METRIC_DEGREE) == 0);
	v = xref_graph_nodes(g, &n);
	if (order) {
		xref_entity_uid(u1, "s");
		xref_entity_uid(u2, "t");
		CHECK_STR(v[order[0]].key, "q");
		CHECK_STR(v[order[1]].key, "r");
		CHECK_STR(v[order[2]].key, "p");
		CHECK_STR(v[order[3]].key, strcmp(u1, u2) < 0 ? "s" : "t");
		CHECK_STR(v[order[4]].key, strcmp(u1, u2) < 0 ? "t" : "s");
	}
	free(order);

	/* keep_top computes a missing metric itself. */
	CHECK(xref_graph_keep_top(g, XREF_METRIC_BETWEENNESS, 0) == 0);
	CHECK(xref_graph_nodes(g, &n) && n == 5);
	CHECK(xref_graph_keep_top(g, XREF_METRIC_STRENGTH, 2) == 0);
	v = xref_graph_nodes(g, &n);
	e = xref_graph_edges(g, &ne);
	CHECK(n == 2);
	if (n == 2) {
		CHECK(strcmp(v[0].uid, v[1].uid) < 0);
		CHECK(find(g, "q") < 2 && find(g, "r") < 2);
		CHECK(v[find(g, "q")].has_metric[XREF_METRIC_STRENGTH]);
	}
	CHECK(ne == 1);
	if (ne == 1) {
		CHECK(e[0].source == 0 && e[0].target == 1);
		CHECK_STR(e[0].first_seen, "2020");
	}
	xref_graph_free(g);
}

static void test_empty_and_names(void)
{
	struct xref_graph *g = NULL;
	enum xref_metric m;
	size_t *order = NULL, n;

	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_finish(g) == 0);
	for (int i = 0; i < XREF_METRIC_COUNT; i++)
		CHECK(xref_graph_compute(g, (enum xref_metric)i) == 0);
	CHECK(xref_graph_rank(&order, g, XREF_METRIC_PAGERANK) == 0);
	free(order);
	CHECK(xref_graph_nodes(g, &n) == NULL && n == 0);
	xref_graph_free(g);

	for (int i = 0; i < XREF_METRIC_COUNT; i++) {
		CHECK(xref_metric_parse(
		          &m, xref_metric_name((enum xref_metric)i)) == 0);
		CHECK(m == (enum xref_metric)i);
	}
	CHECK_STR(xref_metric_name(XREF_METRIC_PAGERANK), "pagerank");
	CHECK(xref_metric_parse(&m, "katz") == XREF_EINVAL);
}

/* The handler installed by xref_graph_setup() must return (igraph's
 * default aborts) and keep igraph's message as our last error. */
static void test_igraph_errors(void)
{
	igraph_vector_int_t ends;
	igraph_t ig;
	igraph_error_t err;

	xref_graph_setup();
	xref_error_clear();
	if (igraph_vector_int_init(&ends, 2) != IGRAPH_SUCCESS) {
		CHECK(!"igraph_vector_int_init");
		return;
	}
	VECTOR(ends)[0] = -1; /* an invalid vertex id */
	VECTOR(ends)[1] = 0;
	err = igraph_create(&ig, &ends, 2, IGRAPH_UNDIRECTED);
	CHECK(err != IGRAPH_SUCCESS);
	CHECK(strncmp(xref_error_last(), "igraph: ", 8) == 0);
	if (err == IGRAPH_SUCCESS)
		igraph_destroy(&ig);
	igraph_vector_int_destroy(&ends);
}

/* The evidence budget of build and export: 20 per link up to 150,000
 * links, fewer above, never none. */
static void test_evidence_cap(void)
{
	CHECK(xref_graph_evidence_cap(20, 0, 1000000) == 20);
	CHECK(xref_graph_evidence_cap(20, 3000000, 0) == 20);
	CHECK(xref_graph_evidence_cap(20, 3000000, 150000) == 20);
	CHECK(xref_graph_evidence_cap(20, 3000000, 600000) == 5);
	CHECK(xref_graph_evidence_cap(20, 3000000, 10000000) == 1);
	CHECK(xref_graph_evidence_cap(0, 3000000, 600000) == 5);
	CHECK(xref_graph_evidence_cap(0, 0, 600000) == 0);
}

int main(void)
{
	test_star();
	test_pagerank_values();
	test_finish();
	test_rank_and_top();
	test_empty_and_names();
	test_igraph_errors();
	test_evidence_cap();
	return tap_done();
}
