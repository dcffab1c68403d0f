/*
 * The direct DOT writer (export/dot.c) against the cgraph path it stands
 * for (xref_gv_write_dot(): the graph built through cgraph and written by
 * agwrite()): byte for byte, on graphs whose names and values probe every
 * quoting rule of agwrite() (DOT keywords in any case, numbers and near
 * numbers, quotes, backslashes and escStrings, entities, empty and long
 * strings, non-ASCII and invalid UTF-8, control characters), with and
 * without a title, with attributes equal to their defaults (shape
 * ellipse, weight 1), nodes without ties, with and without communities and
 * metrics, and before and after a Graphviz context exists in the process
 * (which declares a default node label of its own). Both paths escape text
 * with gv.c's xref_gv_escape_append(), so its bytes are pinned here on
 * fixed strings, for labels and tooltips.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "export/gv.h"
#include "graph/graph.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "tap.h"

static const char *const names[] = {
	"node", "NODE", "Edge", "strict", "graph", "Digraph", "subgraph",
	"nodes", "-1", "-", ".", "-.", "1.2.3", "12", "-.5", "1-2", "3a",
	"0x1F", "a\"b", "\"", "back\\slash", "trailing\\", "\\N", "\\G \\L",
	"&amp; &#38; &#x26; &x; &;", "", "_id", "x y", "caf\303\251",
	"bad\377byte", "C0\001ctl\177", "line\342\200\250sep", "tab\tnl\n",
	"<b>html</b>", "a,b;c=d", "[x]", "{y}", "--", "->",
	"Lonely", "Person default shape",
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static const char *const dates[] = {
	NULL, "", "2020-01-01", "a\\b", "\"", "node", "12", "-", "2021\001x",
};
#define N_DATES (sizeof(dates) / sizeof(dates[0]))

/* A graph of N_NAMES nodes with pseudo-random ties (none on the last
 * two before "Person default shape"); with_metrics adds degree, PageRank
 * and communities. NULL on failure. */
static struct xref_graph *build(unsigned seed, bool with_metrics)
{
	struct xref_graph *g = NULL;
	unsigned long long r = seed;
	char key[32];
	size_t i, k;
	int err;

	err = xref_graph_new(&g);
	for (i = 0; !err && i < N_NAMES; i++) {
		snprintf(key, sizeof(key), "k%u-%zu", seed, i);
		err = xref_graph_add_node(g, key, names[i],
					  (enum xref_type)(i % XREF_TYPE_COUNT),
					  (long)i, (long)(i % 3));
	}
	if (!err)
		err = xref_graph_add_alias(g, 0, "alias \"q\"");
	for (k = 0; !err && k < 3 * N_NAMES; k++) {
		size_t a, b;

		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		a = (size_t)(r >> 33) % (N_NAMES - 2);
		b = (size_t)(r >> 17) % (N_NAMES - 2);
		if (a == b || a == N_NAMES - 3 || b == N_NAMES - 3)
			continue; /* no self-loops; "Lonely" stays alone */
		err = xref_graph_add_edge(g, a, b,
					  k % 4 ? (long)(r >> 40) % 7 + 1 : 1,
					  (long)(k % 5), dates[k % N_DATES],
					  dates[(k / 3) % N_DATES]);
	}
	if (!err)
		err = xref_graph_finish(g);
	if (!err && with_metrics)
		err = xref_graph_compute(g, XREF_METRIC_DEGREE);
	if (!err && with_metrics)
		err = xref_graph_compute(g, XREF_METRIC_PAGERANK);
	if (!err && with_metrics)
		err = xref_graph_communities(g, NULL, NULL, NULL);
	if (err) {
		fprintf(stderr, "# build: %s\n", xref_error_last());
		xref_graph_free(g);
		return NULL;
	}
	return g;
}

/* The text one writer gives; NULL on failure. Owned by the caller. */
static char *dot_text(const struct xref_graph *g, const char *title,
		      bool direct, size_t *len)
{
	struct xref_export_opts o = { XREF_METRIC_DEGREE, 0, title };
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	int err;

	if (!f)
		return NULL;
	err = direct ? xref_export_dot(g, &o, f)
		     : xref_gv_write_dot(g, title, f);
	if (fclose(f) || err) {
		free(text);
		return NULL;
	}
	return text;
}

/* Compares both writers; true when they agree. */
static bool same(const struct xref_graph *g, const char *title)
{
	size_t la = 0, lb = 0;
	char *a = dot_text(g, title, true, &la);
	char *b = dot_text(g, title, false, &lb);
	bool ok = a && b && la == lb && !memcmp(a, b, la);

	if (!ok && a && b) {
		size_t i = 0;

		while (i < la && i < lb && a[i] == b[i])
			i++;
		fprintf(stderr, "# differ at byte %zu: direct \"%.60s\" "
			"cgraph \"%.60s\"\n", i, a + i, b + i);
	}
	free(a);
	free(b);
	return ok;
}

static void check_all(const char *when)
{
	static const char *const titles[] = {
		NULL, "", "Title \"q\" \\ &amp;", "strict", "12", "\\N",
	};
	size_t t;
	unsigned seed;

	for (seed = 1; seed <= 6; seed++) {
		struct xref_graph *g = build(seed, seed % 2 == 0);

		CHECK(g != NULL);
		if (!g)
			continue;
		for (t = 0; t < sizeof(titles) / sizeof(titles[0]); t++) {
			bool ok = same(g, titles[t]);

			if (!ok)
				fprintf(stderr, "# %s: seed %u, title %zu\n",
					when, seed, t);
			CHECK(ok);
		}
		xref_graph_free(g);
	}
}

/* xref_gv_escape_append() after "x" already in the buffer, and
 * xref_gv_escape(), against the expected escaped text. */
static void check_escape(const char *s, enum xref_gv_text kind,
			 const char *want)
{
	struct xref_buf b = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	char *copy = xref_gv_escape(s, kind);

	CHECK(xref_buf_putc(&b, 'x') == 0 &&
	      xref_gv_escape_append(&b, &scratch, s, kind) == 0);
	CHECK(b.ptr && b.ptr[0] == 'x' && !strcmp(b.ptr + 1, want));
	CHECK_STR(copy, want);
	free(copy);
	xref_buf_release(&b);
	xref_buf_release(&scratch);
}

static void check_escapes(void)
{
	check_escape(NULL, XREF_GV_LABEL, "");
	check_escape("", XREF_GV_TOOLTIP, "");
	check_escape("a\\b \\N", XREF_GV_LABEL, "a\\\\b \\\\N");
	check_escape("a\\b", XREF_GV_TOOLTIP, "a\\\\\\\\b");
	check_escape("AT&amp;T & Co &; &#38; &#x26; &#x; &#xZ; &x",
		     XREF_GV_LABEL,
		     "AT&amp;amp;T & Co &amp;; &amp;#38; &amp;#x26; &amp;#x; "
		     "&#xZ; &x");
	check_escape("&lt;", XREF_GV_TOOLTIP, "&amp;lt;");
	check_escape("bell\001 bad\377", XREF_GV_LABEL,
		     "bell bad\357\277\275");
}

int main(void)
{
	struct xref_graph *empty = NULL, *g;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	check_escapes();
	CHECK(xref_graph_new(&empty) == 0 && xref_graph_finish(empty) == 0);
	if (empty)
		CHECK(same(empty, NULL));
	check_all("before a graphviz context");
	/* the SVG writer creates a Graphviz context */
	g = build(7, true);
	CHECK(g != NULL);
	f = open_memstream(&text, &len);
	CHECK(f && g && xref_export_svg(g, NULL, f) == 0);
	if (f)
		fclose(f);
	free(text);
	xref_graph_free(g);
	check_all("after a graphviz context");
	if (empty)
		CHECK(same(empty, "t"));
	xref_graph_free(empty);
	return tap_done();
}
