/*
 * Benchmark of the graph analyses on a generated graph: builds a graph of
 * N nodes and E ties in memory with the builder API, runs one analysis and
 * prints its wall and CPU seconds and the process's peak memory.
 *
 *	bench_analysis [--nodes N] [--edges E] [--sample S] [--seed X] WHAT
 *
 * WHAT is pagerank, coreness, leiden, betweenness-sample, degree,
 * eigenvector, or build (the graph alone, for the baseline). Run one
 * analysis per process so that each peak memory figure is its own.
 *
 * The graph looks like a large co-occurrence network: communities of 200
 * nodes, 80% of ties inside one, endpoints drawn with a skew so that some
 * nodes become hubs, weights 1 to 8. Generated in memory rather than
 * ingested from text, so the figures measure the analyses, not ingest.
 * Deterministic for a given seed.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "graph/graph.h"
#include "ingest/status.h"

#define COMMUNITY 200

static uint64_t rng_state;

static uint64_t next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* A node drawn with a skew towards the first of [lo, lo + n). */
static size_t skewed(size_t lo, size_t n)
{
	double u = uniform();

	return lo + (size_t)((double)n * u * u);
}

static int add_ties(struct xref_graph *g, size_t nodes, size_t count)
{
	size_t groups = nodes / COMMUNITY ? nodes / COMMUNITY : 1;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < count; i++) {
		size_t a = (size_t)(next() % nodes), b;

		if (uniform() < 0.8) {
			size_t c = a % groups;
			size_t members = (nodes - c + groups - 1) / groups;

			b = c + groups * skewed(0, members);
		} else {
			b = skewed(0, nodes);
		}
		if (a == b)
			continue;
		rc = xref_graph_add_edge(g, a, b, 1 + (long)(next() % 8), 1,
		                         NULL, NULL);
	}
	return rc;
}

static int generate(struct xref_graph **out, size_t nodes, size_t edges)
{
	struct xref_graph *g = NULL;
	char key[32];
	size_t have = 0;
	int rc;

	rc = xref_graph_new(&g);
	for (size_t i = 0; rc == 0 && i < nodes; i++) {
		snprintf(key, sizeof(key), "n%zu", i);
		rc = xref_graph_add_node(
		    g, key, key, (enum xref_type)(i % XREF_TYPE_COUNT), 1, 1);
	}
	/* Duplicates merge in finish(): top up until there are enough. */
	while (rc == 0 && have < edges) {
		rc = add_ties(g, nodes, (edges - have) + (edges - have) / 50);
		if (rc == 0)
			rc = xref_graph_finish(g);
		xref_graph_edges(g, &have);
	}
	*out = g;
	return rc;
}

int main(int argc, char **argv)
{
	size_t nodes = 200000, edges = 1000000, sample = 50, n, m;
	unsigned long seed = 1;
	const char *what = NULL;
	struct xref_graph *g = NULL;
	struct xref_metric_opts o = {0};
	double t0, c0, q = 0;
	size_t nc = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--nodes"))
			nodes = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--edges"))
			edges = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--sample"))
			sample = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--seed"))
			seed = strtoul(argv[++i], NULL, 10);
		else
			what = argv[i];
	}
	if (!what || nodes < 2) {
		fprintf(stderr, "usage: bench_analysis [--nodes N] [--edges E] "
		                "[--sample S] [--seed X] WHAT\n");
		return 2;
	}
	xref_graph_setup();
	rng_state = seed;
	t0 = now();
	c0 = cpu();
	rc = generate(&g, nodes, edges);
	if (rc) {
		fprintf(stderr, "bench: %s\n", xref_error_last());
		xref_graph_free(g);
		return 1;
	}
	xref_graph_nodes(g, &n);
	xref_graph_edges(g, &m);
	if (!strcmp(what, "build")) {
		printf(
		    "%-20s %9.2f s wall %9.2f s cpu %8.0f MB peak  (%zu nodes, "
		    "%zu ties)\n",
		    what, now() - t0, cpu() - c0, peak_mb(), n, m);
		xref_graph_free(g);
		return 0;
	}
	t0 = now();
	c0 = cpu();
	if (!strcmp(what, "pagerank"))
		rc = xref_graph_compute(g, XREF_METRIC_PAGERANK);
	else if (!strcmp(what, "coreness"))
		rc = xref_graph_compute(g, XREF_METRIC_CORENESS);
	else if (!strcmp(what, "degree"))
		rc = xref_graph_compute(g, XREF_METRIC_DEGREE);
	else if (!strcmp(what, "eigenvector"))
		rc = xref_graph_compute(g, XREF_METRIC_EIGENVECTOR);
	else if (!strcmp(what, "leiden"))
		rc = xref_graph_communities(g, NULL, &q, &nc);
	else if (!strcmp(what, "betweenness-sample")) {
		o.sample = sample;
		o.seed = seed;
		rc = xref_graph_compute_opts(g, XREF_METRIC_BETWEENNESS, &o);
	} else {
		fprintf(stderr, "bench: unknown analysis '%s'\n", what);
		rc = -1;
	}
	if (rc) {
		if (*xref_error_last())
			fprintf(stderr, "bench: %s\n", xref_error_last());
		xref_graph_free(g);
		return 1;
	}
	printf("%-20s %9.2f s wall %9.2f s cpu %8.0f MB peak", what, now() - t0,
	       cpu() - c0, peak_mb());
	if (!strcmp(what, "leiden"))
		printf("  (%zu communities, modularity %.4f)", nc, q);
	if (!strcmp(what, "betweenness-sample"))
		printf("  (%zu sources)", sample);
	printf("\n");
	xref_graph_free(g);
	return 0;
}
