/*
 * Fuzz target for the graph writers on hostile strings: a two-node graph
 * whose names, alias, key, dates and evidence (title, url, text, doc id)
 * come from the input (fields split at NUL bytes) is written as node-link
 * JSON and as DOT. The JSON must parse (cJSON), be valid UTF-8 and carry
 * no raw '<'; the DOT must be valid UTF-8. SVG is left out: its layout
 * costs milliseconds per input and its strings go through the same
 * escaping as DOT (see the escape target).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export/export.h"
#include "graph/graph.h"
#include "tests/fuzz/fuzz.h"

enum { F_NAME_A, F_NAME_B, F_ALIAS, F_TITLE, F_URL, F_TEXT, F_DOC, F_DATE,
       F_META, N_FIELDS };

static char *render(const struct xref_graph *g,
		    int (*writer)(const struct xref_graph *,
				  const struct xref_export_opts *, FILE *),
		    const struct xref_export_opts *opts, size_t *len)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	fuzz_check(mem != NULL, "open_memstream");
	fuzz_check(writer(g, opts, mem) == 0, "export failed");
	fuzz_check(fclose(mem) == 0, "fclose");
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[N_FIELDS];
	struct xref_graph *g = NULL;
	struct xref_evidence ev;
	struct xref_export_opts opts;
	unsigned meta;
	char *out;
	size_t len = 0;
	cJSON *root;

	fuzz_fields(f, N_FIELDS, data, size);
	meta = f[F_META][0] ? (unsigned char)f[F_META][0] : 0;
	fuzz_check(xref_graph_new(&g) == 0, "graph_new");
	fuzz_check(xref_graph_add_node(g, "a", f[F_NAME_A],
				       (enum xref_type)(meta % XREF_TYPE_COUNT),
				       3, 2) == 0 &&
		   xref_graph_add_node(g, "b", f[F_NAME_B],
				       (enum xref_type)((meta / 8) %
							XREF_TYPE_COUNT),
				       1, 1) == 0 &&
		   xref_graph_add_alias(g, 0, f[F_ALIAS]) == 0 &&
		   xref_graph_add_edge(g, 0, 1, 1 + (long)(meta % 5), 1,
				       f[F_DATE][0] ? f[F_DATE] : NULL,
				       f[F_DATE][0] ? f[F_DATE] : NULL) == 0,
		   "graph build");
	memset(&ev, 0, sizeof(ev));
	ev.doc_id = f[F_DOC];
	ev.title = f[F_TITLE][0] ? f[F_TITLE] : NULL;
	ev.url = f[F_URL][0] ? f[F_URL] : NULL;
	ev.date = f[F_DATE][0] ? f[F_DATE] : NULL;
	ev.start = 0;
	ev.end = strlen(f[F_TEXT]);
	ev.text = f[F_TEXT];
	fuzz_check(xref_graph_add_evidence(g, 0, &ev) == 0, "evidence");
	fuzz_check(xref_graph_finish(g) == 0, "finish");
	fuzz_check(xref_graph_compute(g, XREF_METRIC_DEGREE) == 0 &&
		   xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0,
		   "metrics");

	memset(&opts, 0, sizeof(opts));
	opts.size_by = XREF_METRIC_PAGERANK;
	opts.title = f[F_TITLE];

	out = render(g, xref_export_json, &opts, &len);
	fuzz_check_text(out, len, false, "JSON not clean");
	fuzz_check(memchr(out, '<', len) == NULL, "raw '<' in JSON");
	root = cJSON_ParseWithLength(out, len);
	fuzz_check(root != NULL, "JSON does not parse");
	cJSON_Delete(root);
	free(out);

	out = render(g, xref_export_dot, &opts, &len);
	fuzz_check_text(out, len, false, "DOT not clean");
	free(out);

	xref_graph_free(g);
	fuzz_fields_free(f, N_FIELDS);
	return 0;
}
