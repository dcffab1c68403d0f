/*
 * Unit tests for the analyses of graph/: every metric on small graphs whose
 * values are worked out by hand, the metric options (normalised, weighted,
 * cutoff, sampled sources), tie strengths (NPMI, Jaccard), the disparity
 * backbone, the node filters (ego, find by name, stop list) and Leiden
 * communities. Graphs are built with the builder API; loading from a case
 * file is covered by the CLI tests (tests/cli/analysis_*.sh).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (1 + fabs(b));
}

#define NEAR(a, b) near((a), (b))

/* A graph of nodes named by keys[] (type person, mentions = 10 - index),
 * ties given as {a, b, weight} triples, finished. */
struct tie {
	int a, b;
	long w;
};

static struct xref_graph *build(const char *const *keys, int n,
                                const struct tie *ties, int m)
{
	struct xref_graph *g = NULL;
	int rc = xref_graph_new(&g);

	for (int i = 0; rc == 0 && i < n; i++)
		rc = xref_graph_add_node(g, keys[i], keys[i], XREF_TYPE_PERSON,
		                         10 - i, 1);
	for (int i = 0; rc == 0 && i < m; i++)
		rc =
		    xref_graph_add_edge(g, (size_t)ties[i].a, (size_t)ties[i].b,
		                        ties[i].w, 1, NULL, NULL);
	if (rc == 0)
		rc = xref_graph_finish(g);
	CHECK(rc == 0);
	return g;
}

static size_t idx(const struct xref_graph *g, const char *key)
{
	size_t n;
	const struct xref_node *v = xref_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return i;
	CHECK(!"node not found");
	return 0;
}

static double val(const struct xref_graph *g, const char *key,
                  enum xref_metric m)
{
	size_t n;
	const struct xref_node *v = xref_graph_nodes(g, &n);
	size_t i = idx(g, key);

	CHECK(v[i].has_metric[m]);
	return v[i].metric[m];
}

static bool has_node(const struct xref_graph *g, const char *key)
{
	size_t n;
	const struct xref_node *v = xref_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return true;
	return false;
}

static size_t n_edges(const struct xref_graph *g)
{
	size_t n;

	xref_graph_edges(g, &n);
	return n;
}

static const char *const path4[] = {"a", "b", "c", "d"};
static const struct tie path4_ties[] = {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}};

/* Path a - b - c - d. */
static void test_path_metrics(void)
{
	struct xref_graph *g = build(path4, 4, path4_ties, 3);
	struct xref_metric_opts o = {0};

	for (int m = 0; m < XREF_METRIC_COUNT; m++)
		CHECK(xref_graph_compute(g, (enum xref_metric)m) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_DEGREE), 2));
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 2));
	CHECK(NEAR(val(g, "a", XREF_METRIC_BETWEENNESS), 0));
	CHECK(NEAR(val(g, "a", XREF_METRIC_CLOSENESS), 1.0 / 6));
	CHECK(NEAR(val(g, "b", XREF_METRIC_CLOSENESS), 1.0 / 4));
	CHECK(NEAR(val(g, "a", XREF_METRIC_HARMONIC), 1 + 0.5 + 1.0 / 3));
	CHECK(NEAR(val(g, "b", XREF_METRIC_HARMONIC), 2.5));
	CHECK(NEAR(val(g, "a", XREF_METRIC_CORENESS), 1));
	/* eigenvector of the path P4: (1, phi, phi, 1) / norm */
	{
		double phi = (1 + sqrt(5)) / 2;
		double norm = sqrt(2 + 2 * phi * phi);

		CHECK(NEAR(val(g, "a", XREF_METRIC_EIGENVECTOR), 1 / norm));
		CHECK(NEAR(val(g, "c", XREF_METRIC_EIGENVECTOR), phi / norm));
	}

	o.normalized = true;
	for (int m = 0; m < XREF_METRIC_COUNT; m++)
		CHECK(xref_graph_compute_opts(g, (enum xref_metric)m, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_DEGREE), 2.0 / 3));
	CHECK(NEAR(val(g, "b", XREF_METRIC_STRENGTH), 2.0 / 3));
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 2.0 * 2 / (3 * 2)));
	CHECK(NEAR(val(g, "a", XREF_METRIC_CLOSENESS), 3.0 / 6));
	CHECK(NEAR(val(g, "a", XREF_METRIC_HARMONIC), (1 + 0.5 + 1.0 / 3) / 3));
	CHECK(NEAR(val(g, "b", XREF_METRIC_EIGENVECTOR), 1));
	CHECK(NEAR(val(g, "a", XREF_METRIC_CORENESS), 1));

	/* Cut off at 1 hop, no path has an inner node; at 2, b carries a-c
	 * and c carries b-d. */
	memset(&o, 0, sizeof(o));
	o.cutoff = 1;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 0));
	o.cutoff = 2;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 1));
	CHECK(NEAR(val(g, "c", XREF_METRIC_BETWEENNESS), 1));
	/* and closeness only sums what it reaches within the cutoff */
	o.cutoff = 1;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_CLOSENESS, &o) == 0);
	CHECK(NEAR(val(g, "a", XREF_METRIC_CLOSENESS), 1));
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_HARMONIC, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_HARMONIC), 2));
	xref_graph_free(g);
}

/* Triangle a -4- b -4- c with a weak a -1- c: by length (1/strength)
 * the short way from a to c is through b. */
static void test_weighted(void)
{
	static const char *const k[] = {"a", "b", "c"};
	static const struct tie t[] = {{0, 1, 4}, {1, 2, 4}, {0, 2, 1}};
	struct xref_graph *g = build(k, 3, t, 3);
	struct xref_metric_opts o = {0};

	CHECK(xref_graph_compute(g, XREF_METRIC_BETWEENNESS) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 0));
	o.weighted = true;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_BETWEENNESS), 1));
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_CLOSENESS, &o) == 0);
	CHECK(NEAR(val(g, "a", XREF_METRIC_CLOSENESS), 1 / (0.25 + 0.5)));
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_HARMONIC, &o) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_HARMONIC), 8));
	/* strength and PageRank read strengths, not lengths */
	CHECK(xref_graph_compute(g, XREF_METRIC_STRENGTH) == 0);
	CHECK(NEAR(val(g, "b", XREF_METRIC_STRENGTH), 8));
	xref_graph_free(g);

	/* A tie of strength 0 has no length. */
	{
		static const struct tie z[] = {{0, 1, 0}, {1, 2, 1}};

		g = build(k, 3, z, 2);
		CHECK(xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0);
		CHECK(xref_graph_compute_opts(g, XREF_METRIC_CLOSENESS, &o) ==
		      XREF_EINVAL);
		CHECK(strstr(xref_error_last(), "strength") != NULL);
		xref_graph_free(g);
	}
}

/* Star with 4 leaves, a K4 with a pendant, and an isolated node. */
static void test_eigen_core_isolated(void)
{
	static const char *const star[] = {"c", "l1", "l2", "l3", "l4"};
	static const struct tie st[] = {
	    {0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}};
	static const char *const k4[] = {"p", "q", "r", "s", "t", "lone"};
	static const struct tie kt[] = {{0, 1, 1}, {0, 2, 1}, {0, 3, 1},
	                                {1, 2, 1}, {1, 3, 1}, {2, 3, 1},
	                                {3, 4, 1}};
	struct xref_metric_opts o = {.normalized = true};
	struct xref_graph *g = build(star, 5, st, 4);

	CHECK(xref_graph_compute(g, XREF_METRIC_EIGENVECTOR) == 0);
	CHECK(NEAR(val(g, "c", XREF_METRIC_EIGENVECTOR), 1 / sqrt(2)));
	CHECK(NEAR(val(g, "l2", XREF_METRIC_EIGENVECTOR), 1 / sqrt(8)));
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_EIGENVECTOR, &o) == 0);
	CHECK(NEAR(val(g, "l2", XREF_METRIC_EIGENVECTOR), 0.5));
	xref_graph_free(g);

	g = build(k4, 6, kt, 7);
	CHECK(xref_graph_compute(g, XREF_METRIC_CORENESS) == 0);
	CHECK(NEAR(val(g, "p", XREF_METRIC_CORENESS), 3));
	CHECK(NEAR(val(g, "s", XREF_METRIC_CORENESS), 3));
	CHECK(NEAR(val(g, "t", XREF_METRIC_CORENESS), 1));
	CHECK(NEAR(val(g, "lone", XREF_METRIC_CORENESS), 0));
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_CORENESS, &o) == 0);
	CHECK(NEAR(val(g, "t", XREF_METRIC_CORENESS), 1.0 / 3));
	/* an isolated node reaches nobody: closeness 0, not NaN */
	CHECK(xref_graph_compute(g, XREF_METRIC_CLOSENESS) == 0);
	CHECK(val(g, "lone", XREF_METRIC_CLOSENESS) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_HARMONIC) == 0);
	CHECK(val(g, "lone", XREF_METRIC_HARMONIC) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0);
	CHECK(NEAR(val(g, "lone", XREF_METRIC_PAGERANK),
	           val(g, "lone", XREF_METRIC_PAGERANK)));
	xref_graph_free(g);
}

/* A graph of 30 nodes: a ring with chords. */
static struct xref_graph *ring(void)
{
	char keys[30][8];
	const char *kp[30];
	struct tie t[45];
	int m = 0;

	for (int i = 0; i < 30; i++) {
		snprintf(keys[i], sizeof(keys[i]), "n%02d", i);
		kp[i] = keys[i];
		t[m++] = (struct tie){i, (i + 1) % 30, 1 + i % 3};
		if (i % 2 == 0)
			t[m++] = (struct tie){i, (i + 7) % 30, 2};
	}
	return build(kp, 30, t, m);
}

static void test_sampled_betweenness(void)
{
	struct xref_graph *g = ring();
	struct xref_metric_opts o = {0};
	double exact[30], sum[30] = {0}, a[30];
	const struct xref_node *v;
	size_t n;
	int runs = 400;

	CHECK(xref_graph_compute(g, XREF_METRIC_BETWEENNESS) == 0);
	v = xref_graph_nodes(g, &n);
	CHECK(n == 30);
	for (size_t i = 0; i < n; i++)
		exact[i] = v[i].metric[XREF_METRIC_BETWEENNESS];

	/* Every node a source: exact, whatever the seed. */
	o.sample = 30;
	o.seed = 7;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(NEAR(v[i].metric[XREF_METRIC_BETWEENNESS], exact[i]));

	/* The same seed gives the same values; another seed others. */
	o.sample = 6;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	for (size_t i = 0; i < n; i++)
		a[i] = v[i].metric[XREF_METRIC_BETWEENNESS];
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(v[i].metric[XREF_METRIC_BETWEENNESS] == a[i]);
	o.seed = 8;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) == 0);
	{
		bool differ = false;

		for (size_t i = 0; i < n; i++)
			differ |= v[i].metric[XREF_METRIC_BETWEENNESS] != a[i];
		CHECK(differ);
	}

	/* Unbiased: the mean over many seeds is near the exact value. */
	for (int r = 0; r < runs; r++) {
		o.seed = (unsigned long)r;
		CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) ==
		      0);
		for (size_t i = 0; i < n; i++)
			sum[i] += v[i].metric[XREF_METRIC_BETWEENNESS];
	}
	{
		double err = 0, tot = 0;

		for (size_t i = 0; i < n; i++) {
			err += fabs(sum[i] / runs - exact[i]);
			tot += exact[i];
		}
		printf("# sampled betweenness: mean relative error %.4f\n",
		       err / tot);
		CHECK(err / tot < 0.05);
	}
	xref_graph_free(g);

	/* Sources are drawn per component: a path of 4 apart from a ring of
	 * 30 is smaller than the sample, so its values are exact. */
	{
		char keys[34][8];
		const char *kp[34];
		struct tie t[34];
		int m = 0;

		for (int i = 0; i < 34; i++) {
			snprintf(keys[i], sizeof(keys[i]), "m%02d", i);
			kp[i] = keys[i];
		}
		for (int i = 0; i < 30; i++)
			t[m++] = (struct tie){i, (i + 1) % 30, 1};
		for (int i = 30; i < 33; i++)
			t[m++] = (struct tie){i, i + 1, 1};
		g = build(kp, 34, t, m);
		o.sample = 5;
		o.seed = 1;
		CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) ==
		      0);
		CHECK(NEAR(val(g, "m31", XREF_METRIC_BETWEENNESS), 2));
		CHECK(NEAR(val(g, "m30", XREF_METRIC_BETWEENNESS), 0));
		CHECK(val(g, "m05", XREF_METRIC_BETWEENNESS) >= 0);
		xref_graph_free(g);
	}
}

/* The strength of the tie between keys x and y (-1 when absent). */
static double tie_strength(const struct xref_graph *g, const char *x,
                           const char *y)
{
	size_t n, m;
	const struct xref_node *v = xref_graph_nodes(g, &n);
	const struct xref_edge *e = xref_graph_edges(g, &m);

	for (size_t i = 0; i < m; i++) {
		const char *s = v[e[i].source].key, *t = v[e[i].target].key;

		if ((!strcmp(s, x) && !strcmp(t, y)) ||
		    (!strcmp(s, y) && !strcmp(t, x)))
			return e[i].strength;
	}
	return -1;
}

static void test_weights(void)
{
	static const char *const k[] = {"a", "b", "c", "d"};
	static const struct tie t[] = {
	    {0, 1, 3}, {1, 2, 3}, {0, 3, 1}, {2, 3, 1}};
	/* windows: a 10, b 4, c 3, d 2 out of W = 20 */
	static const long win[] = {10, 4, 3, 2};
	struct xref_graph *g = build(k, 4, t, 4);
	double npmi_ab = log(0.15 / (0.5 * 0.2)) / -log(0.15);
	double npmi_bc = log(0.15 / (0.2 * 0.15)) / -log(0.15);
	double npmi_cd = log(0.05 / (0.15 * 0.1)) / -log(0.05);
	const struct xref_edge *e;
	size_t n;

	/* Window counts are needed. */
	CHECK(xref_graph_set_weight(g, XREF_WEIGHT_NPMI, 20) == XREF_EINVAL);
	for (size_t i = 0; i < 4; i++)
		CHECK(xref_graph_set_windows(g, idx(g, k[i]), win[i]) == 0);
	CHECK(xref_graph_set_windows(g, 99, 1) == XREF_EINVAL);
	/* fewer windows in all than a and b hold together */
	CHECK(xref_graph_set_weight(g, XREF_WEIGHT_NPMI, 10) == XREF_EINVAL);

	CHECK(xref_graph_set_weight(g, XREF_WEIGHT_JACCARD, 20) == 0);
	CHECK(n_edges(g) == 4);
	CHECK(NEAR(tie_strength(g, "a", "b"), 3.0 / (10 + 4 - 3)));
	CHECK(NEAR(tie_strength(g, "c", "b"), 3.0 / (4 + 3 - 3)));
	CHECK(NEAR(tie_strength(g, "a", "d"), 1.0 / (10 + 2 - 1)));

	/* a-d: p_ad = 0.05 = p_a p_d, no association: NPMI 0, dropped. */
	CHECK(xref_graph_compute(g, XREF_METRIC_DEGREE) == 0);
	CHECK(xref_graph_set_weight(g, XREF_WEIGHT_NPMI, 20) == 0);
	CHECK(n_edges(g) == 3);
	CHECK(tie_strength(g, "a", "d") == -1);
	CHECK(NEAR(tie_strength(g, "a", "b"), npmi_ab));
	CHECK(NEAR(tie_strength(g, "b", "c"), npmi_bc));
	CHECK(NEAR(tie_strength(g, "c", "d"), npmi_cd));
	CHECK(!xref_graph_nodes(g, &n)[0].has_metric[XREF_METRIC_DEGREE]);

	/* Back to counts, then a threshold on them. */
	CHECK(xref_graph_set_weight(g, XREF_WEIGHT_COUNT, 0) == 0);
	e = xref_graph_edges(g, &n);
	for (size_t i = 0; i < n; i++)
		CHECK(e[i].strength == (double)e[i].weight);
	CHECK(xref_graph_min_strength(g, 2) == 0);
	CHECK(n_edges(g) == 2);
	xref_graph_free(g);

	/* Two entities that only ever occur together: NPMI 1. */
	{
		static const struct tie one[] = {{0, 1, 5}};

		g = build(k, 2, one, 1);
		CHECK(xref_graph_set_windows(g, 0, 5) == 0);
		CHECK(xref_graph_set_windows(g, 1, 5) == 0);
		CHECK(xref_graph_set_weight(g, XREF_WEIGHT_NPMI, 5) == 0);
		CHECK(NEAR(tie_strength(g, "a", "b"), 1));
		xref_graph_free(g);
	}
	{
		enum xref_weight w;

		CHECK(xref_weight_parse(&w, "npmi") == 0 &&
		      w == XREF_WEIGHT_NPMI);
		CHECK(xref_weight_parse(&w, "pmi") == XREF_EINVAL);
		CHECK_STR(xref_weight_name(XREF_WEIGHT_JACCARD), "jaccard");
	}
}

/* A hub with one strong tie and nine weak ones, and a triangle. */
static void test_backbone(void)
{
	static const char *const k[] = {"hub", "s",  "w1", "w2", "w3",
	                                "w4",  "w5", "w6", "w7", "w8",
	                                "w9",  "x",  "y",  "z"};
	struct tie t[13];
	struct xref_graph *g;
	int m = 0;

	t[m++] = (struct tie){0, 1, 100};
	for (int i = 2; i <= 10; i++)
		t[m++] = (struct tie){0, i, 1};
	t[m++] = (struct tie){11, 12, 1};
	t[m++] = (struct tie){12, 13, 1};
	t[m++] = (struct tie){11, 13, 1};
	g = build(k, 14, t, m);
	CHECK(xref_graph_backbone(g, 0) == XREF_EINVAL);
	CHECK(xref_graph_backbone(g, 1) == XREF_EINVAL);
	CHECK(xref_graph_compute(g, XREF_METRIC_DEGREE) == 0);
	CHECK(xref_graph_backbone(g, 0.05) == 0);
	/* (1 - 100/109)^9 < 0.05 keeps hub-s; (1 - 1/109)^9 > 0.05 and w1
	 * has one tie: the weak ones go. In the triangle, (1 - 1/2)^1 = 0.5:
	 * nothing is significant. Nodes stay; metrics are forgotten. */
	CHECK(n_edges(g) == 1);
	CHECK(has_node(g, "w5") && has_node(g, "x"));
	CHECK(!xref_graph_nodes(g, &(size_t){0})[0].has_metric[0]);
	xref_graph_free(g);

	g = build(k, 14, t, m);
	CHECK(xref_graph_backbone(g, 0.6) == 0);
	/* at 0.6 the triangle passes (0.5 < 0.6), the weak ties do not */
	CHECK(n_edges(g) == 4);
	xref_graph_free(g);
}

static void test_filters(void)
{
	static const char *const k[] = {"a", "b", "c", "d", "e"};
	static const struct tie t[] = {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}};
	struct xref_graph *g = build(k, 5, t, 3);
	size_t n;

	CHECK(xref_graph_keep_ego(g, idx(g, "b"), 1) == 0);
	xref_graph_nodes(g, &n);
	CHECK(n == 3 && has_node(g, "a") && has_node(g, "c") &&
	      !has_node(g, "d") && !has_node(g, "e"));
	CHECK(n_edges(g) == 2);
	xref_graph_free(g);

	g = build(k, 5, t, 3);
	CHECK(xref_graph_keep_ego(g, idx(g, "a"), 0) == 0);
	xref_graph_nodes(g, &n);
	CHECK(n == 1 && n_edges(g) == 0);
	CHECK(xref_graph_keep_ego(g, 5, 1) == XREF_EINVAL);
	xref_graph_free(g);

	g = build(k, 5, t, 3);
	CHECK(xref_graph_keep_ego(g, idx(g, "a"), 2) == 0);
	xref_graph_nodes(g, &n);
	CHECK(n == 3 && has_node(g, "c") && !has_node(g, "d"));
	xref_graph_free(g);
}

static void test_find(void)
{
	struct xref_graph *g = NULL;
	const struct xref_node *v;
	size_t i, n, dropped;
	char upper[17];
	const char *stop[] = {"# not a name", "ghost",
	                      "Bundesnachrichtendienst", "twin"};

	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_add_node(g, "donncha o cearbhaill",
	                          "Donncha Ó Cearbhaill", XREF_TYPE_PERSON, 5,
	                          2) == 0);
	CHECK(xref_graph_add_node(g, "nso group", "NSO Group",
	                          XREF_TYPE_COMPANY, 9, 4) == 0);
	CHECK(xref_graph_add_node(g, "guardian", "The Guardian",
	                          XREF_TYPE_MEDIA, 3, 3) == 0);
	CHECK(xref_graph_add_node(g, "bnd", "Bundesnachrichtendienst",
	                          XREF_TYPE_GOVERNMENT, 2, 1) == 0);
	CHECK(xref_graph_add_node(g, "twin a", "Twin A", XREF_TYPE_PERSON, 1,
	                          1) == 0);
	CHECK(xref_graph_add_node(g, "twin b", "Twin B", XREF_TYPE_PERSON, 4,
	                          1) == 0);
	CHECK(xref_graph_add_alias(g, 1, "NSO") == 0);
	CHECK(xref_graph_add_alias(g, 4, "Twin") == 0);
	CHECK(xref_graph_add_alias(g, 5, "twin") == 0);
	CHECK(xref_graph_add_edge(g, 0, 1, 2, 1, NULL, NULL) == 0);
	CHECK(xref_graph_add_edge(g, 4, 5, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_finish(g) == 0);
	v = xref_graph_nodes(g, &n);

	CHECK(xref_graph_find_node(&i, g, "donncha ó cearbhaill") == 0);
	CHECK_STR(v[i].key, "donncha o cearbhaill");
	CHECK(xref_graph_find_node(&i, g, "DONNCHA Ó CEARBHAILL") == 0);
	CHECK(xref_graph_find_node(&i, g, "nso") == 0);
	CHECK_STR(v[i].key, "nso group");
	CHECK(xref_graph_find_node(&i, g, "the guardian") == 0);
	CHECK(xref_graph_find_node(&i, g, "Guardian") == 0);
	CHECK_STR(v[i].name, "The Guardian");
	for (size_t k = 0; k < 17; k++)
		upper[k] = (char)(v[i].uid[k] >= 'a' && v[i].uid[k] <= 'f'
		                      ? v[i].uid[k] - 'a' + 'A'
		                      : v[i].uid[k]);
	CHECK(xref_graph_find_node(&i, g, upper) == 0);
	CHECK_STR(v[i].name, "The Guardian");
	CHECK(xref_graph_find_node(&i, g, "pegasus") == XREF_ENOTFOUND);
	CHECK_STR(xref_error_last(), "no entity named 'pegasus'");
	CHECK(xref_graph_find_node(&i, g, "") == XREF_ENOTFOUND);
	/* ambiguous: the more mentioned candidate is named first */
	CHECK(xref_graph_find_node(&i, g, "twin") == XREF_EAMBIGUOUS);
	CHECK(strstr(xref_error_last(), "'twin' is ambiguous: 'Twin B' "
	                                "(person, ") != NULL);
	CHECK(strstr(xref_error_last(), "'Twin A'") != NULL);

	CHECK(xref_graph_drop_named(g, stop, 4, &dropped) == 0);
	CHECK(dropped == 3);
	v = xref_graph_nodes(g, &n);
	CHECK(n == 3 && !has_node(g, "bnd") && !has_node(g, "twin a"));
	CHECK(n_edges(g) == 1);
	xref_graph_free(g);
}

/* Two 5-cliques joined by one tie, and an isolated node. */
static void test_communities(void)
{
	static const char *const k[] = {"a0", "a1", "a2", "a3", "a4",  "b0",
	                                "b1", "b2", "b3", "b4", "lone"};
	struct tie t[21];
	struct xref_community_opts o = {0};
	struct xref_graph *g;
	const struct xref_node *v;
	double q = 0, q2 = 0;
	size_t nc = 0, n;
	long ca, cb;
	int m = 0;

	for (int c = 0; c < 2; c++)
		for (int i = 0; i < 5; i++)
			for (int j = i + 1; j < 5; j++)
				t[m++] = (struct tie){5 * c + i, 5 * c + j, 1};
	t[m++] = (struct tie){4, 5, 1};
	g = build(k, 11, t, m);
	v = xref_graph_nodes(g, &n);
	for (size_t i = 0; i < n; i++)
		CHECK(v[i].community == -1);
	CHECK(xref_graph_communities(g, &o, &q, &nc) == 0);
	CHECK(nc == 3);
	CHECK(NEAR(q, 2 * (10.0 / 21 - 0.25)));
	ca = v[idx(g, "a0")].community;
	cb = v[idx(g, "b3")].community;
	CHECK(ca != cb && (ca == 0 || ca == 1) && (cb == 0 || cb == 1));
	for (int i = 1; i < 5; i++) {
		char ka[3] = {'a', (char)('0' + i), 0};
		char kb[3] = {'b', (char)('0' + i), 0};

		CHECK(v[idx(g, ka)].community == ca);
		CHECK(v[idx(g, kb)].community == cb);
	}
	CHECK(v[idx(g, "lone")].community == 2);
	/* equal sizes: the community holding the smallest uid is 0 */
	{
		size_t first = 0;

		while (first < n && v[first].community == 2)
			first++;
		CHECK(v[first].community == 0);
	}
	/* deterministic */
	o.seed = 99;
	CHECK(xref_graph_communities(g, &o, &q2, NULL) == 0);
	CHECK(q2 == q);
	CHECK(v[idx(g, "a0")].community == ca);
	/* a high resolution splits more */
	o.resolution = 20;
	CHECK(xref_graph_communities(g, &o, NULL, &nc) == 0);
	CHECK(nc > 3);
	xref_graph_free(g);

	/* no ties: one community each, modularity undefined */
	g = build(k, 3, t, 0);
	CHECK(xref_graph_communities(g, NULL, &q, &nc) == 0);
	CHECK(nc == 3 && isnan(q));
	xref_graph_free(g);
}

static void test_errors(void)
{
	struct xref_graph *g = NULL;
	struct xref_metric_opts o = {0};
	enum xref_metric m;

	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_add_node(g, "a", "A", XREF_TYPE_PERSON, 1, 1) == 0);
	/* not finished */
	CHECK(xref_graph_compute(g, XREF_METRIC_CLOSENESS) == XREF_EINVAL);
	CHECK(xref_graph_communities(g, NULL, NULL, NULL) == XREF_EINVAL);
	CHECK(xref_graph_finish(g) == 0);
	o.cutoff = -1;
	CHECK(xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o) ==
	      XREF_EINVAL);
	CHECK(xref_graph_compute(g, XREF_METRIC_COUNT) == XREF_EINVAL);
	xref_graph_free(g);

	for (int i = 0; i < XREF_METRIC_COUNT; i++) {
		CHECK(xref_metric_parse(
		          &m, xref_metric_name((enum xref_metric)i)) == 0);
		CHECK(m == (enum xref_metric)i);
	}
	CHECK(xref_metric_parse(&m, "closeness") == 0 &&
	      m == XREF_METRIC_CLOSENESS);
	CHECK(xref_metric_parse(&m, "katz") == XREF_EINVAL);
}

int main(void)
{
	xref_graph_setup();
	test_path_metrics();
	test_weighted();
	test_eigen_core_isolated();
	test_sampled_betweenness();
	test_weights();
	test_backbone();
	test_filters();
	test_find();
	test_communities();
	test_errors();
	return tap_done();
}
