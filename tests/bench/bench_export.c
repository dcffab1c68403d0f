/*
 * Benchmark of what `xref build` does after ingesting: on an existing case
 * file, loads the graph with its evidence, computes the four metrics, lays
 * the whole graph out, writes every whole-graph format, keeps the top
 * nodes and writes the two maps, printing the CPU seconds of each step and
 * the process's peak memory after it.
 *
 *	bench_export CASE OUTDIR [LAST]
 *
 * With LAST (a step name as printed: "load evidence", "metrics",
 * "layout"), stops after that step, for profiling one part.
 * The steps and their settings are those of cli/cmd_build.c (xref_graph_compute_standard(), the
 * evidence budget); files go to OUTDIR (created beforehand),
 * written plainly rather than atomically. Profiling this instead of the
 * whole build leaves ingest out of the figures and out of the waiting.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "export/export.h"
#include "graph/case.h"
#include "graph/graph.h"
#include "ingest/status.h"

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

static double t0, total0;
static const char *last_step;

/* Prints the step's figures; true when the run stops after it. */
static bool step(const char *what)
{
	double t = cpu();

	printf("%-24s %8.2f s cpu %9.0f MB peak\n", what, t - t0, peak_mb());
	fflush(stdout);
	t0 = t;
	return last_step && strcmp(last_step, what) == 0;
}

typedef int (*writer)(const struct xref_graph *g,
		      const struct xref_export_opts *opts,
		      const struct xref_export_ex *ex, FILE *out);

static int w_json(const struct xref_graph *g,
		  const struct xref_export_opts *o,
		  const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_json(g, o, out);
}

static int w_dot(const struct xref_graph *g, const struct xref_export_opts *o,
		 const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_dot(g, o, out);
}

static int w_graphml(const struct xref_graph *g,
		     const struct xref_export_opts *o,
		     const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_graphml(g, o, out);
}

static int w_nodes(const struct xref_graph *g,
		   const struct xref_export_opts *o,
		   const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_csv_nodes(g, o, out);
}

static int w_edges(const struct xref_graph *g,
		   const struct xref_export_opts *o,
		   const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_csv_edges(g, o, out);
}

static int w_evidence(const struct xref_graph *g,
		      const struct xref_export_opts *o,
		      const struct xref_export_ex *ex, FILE *out)
{
	(void)ex;
	return xref_export_csv_evidence(g, o, out);
}

static const struct {
	const char *name;
	writer w;
	int drawn;
} files[] = {
	{ "graph.json", w_json, 0 },
	{ "graph.dot", w_dot, 0 },
	{ "graph.graphml", w_graphml, 0 },
	{ "graph.gexf", xref_export_gexf_ex, 0 },
	{ "graph.cytoscape.json", xref_export_cytoscape_ex, 0 },
	{ "graph.graphology.json", xref_export_graphology_ex, 0 },
	{ "nodes.csv", w_nodes, 0 },
	{ "edges.csv", w_edges, 0 },
	{ "evidence.csv", w_evidence, 0 },
	{ "graph.svg", xref_export_svg_ex, 1 },
	{ "graph.html", xref_export_html_ex, 1 },
};

static int write_files(const char *dir, int drawn, const struct xref_graph *g,
		       const struct xref_export_opts *o,
		       const struct xref_export_ex *ex)
{
	char path[4096];
	FILE *f;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i].drawn != drawn)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "cannot open '%s'\n", path);
			return XREF_EIO;
		}
		err = files[i].w(g, o, ex, f);
		if (fclose(f) != 0 && !err)
			err = XREF_EIO;
		step(files[i].name);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_graph_filter f;
	struct xref_export_opts xo;
	struct xref_export_ex ex;
	const struct xref_edge *edges;
	const struct xref_node *nodes;
	double *xy = NULL;
	size_t n, ne;
	int err, ret = 1;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench_export CASE OUTDIR [LAST]\n");
		return 2;
	}
	last_step = argc == 4 ? argv[3] : NULL;
	xref_graph_setup();
	t0 = total0 = cpu();
	err = xref_case_open(&c, argv[1], XREF_CASE_READONLY,
			     XREF_WINDOW_SENTENCE);
	if (err)
		goto out;
	memset(&f, 0, sizeof(f));
	err = xref_graph_load(&g, c, &f);
	if (err)
		goto out;
	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	(void)nodes;
	(void)edges;
	printf("%zu nodes, %zu edges\n", n, ne);
	if (step("load graph")) {
		ret = 0;
		goto out;
	}
	err = xref_graph_load_evidence(
		g, c,
		xref_graph_evidence_cap(XREF_BUILD_MAX_EVIDENCE,
					XREF_BUILD_EVIDENCE_BUDGET, ne));
	if (err)
		goto out;
	if (step("load evidence")) {
		ret = 0;
		goto out;
	}
	err = xref_graph_compute_standard(g, NULL);
	if (err)
		goto out;
	if (step("metrics")) {
		ret = 0;
		goto out;
	}
	memset(&xo, 0, sizeof(xo));
	memset(&ex, 0, sizeof(ex));
	xo.size_by = XREF_METRIC_PAGERANK;
	err = xref_export_layout(&xy, g, &xo);
	if (err)
		goto out;
	ex.xy = xy;
	if (step("layout")) {
		ret = 0;
		goto out;
	}
	err = write_files(argv[2], 0, g, &xo, &ex);
	if (err)
		goto out;
	err = xref_graph_keep_top(g, XREF_METRIC_PAGERANK, 150);
	if (err)
		goto out;
	xo.labels = 40;
	ex.xy = NULL;
	err = write_files(argv[2], 1, g, &xo, &ex);
	if (err)
		goto out;
	printf("%-24s %8.2f s cpu %9.0f MB peak\n", "total", cpu() - total0,
	       peak_mb());
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench_export: %s\n", xref_error_last());
	free(xy);
	xref_graph_free(g);
	xref_case_free(c);
	return ret;
}
