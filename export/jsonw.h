/*
 * Internal to export/: what every JSON format (node-link, Cytoscape,
 * graphology) is written with: the cJSON helpers for the small frame of a
 * document, the one printer that makes cJSON's output safe to embed in
 * HTML, and the direct writer (struct xref_jw) that writes the nodes and
 * edges with the very bytes the helpers and the printer would give.
 *
 * Each xref_json_add_* adds one member to obj and returns false when out
 * of memory; the new item then belongs to obj (cJSON_Add*ToObject transfers
 * ownership), and on failure obj is left as it was or with the member
 * partly filled, to be deleted with its root.
 */
#ifndef XREF_EXPORT_JSONW_H
#define XREF_EXPORT_JSONW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "graph/graph.h"
#include "ingest/buf.h"

/* s after xref_utf8_sanitize() (valid UTF-8, no control characters), or
 * null when s is NULL. */
bool xref_json_add_text(cJSON *obj, const char *key, const char *s);
/* Like xref_json_add_text() but keeps line breaks and tabs (evidence). */
bool xref_json_add_lines(cJSON *obj, const char *key, const char *s);
/* An exact integer ("%ld"). */
bool xref_json_add_long(cJSON *obj, const char *key, long v);
/* "%.6g" as xref_style_num() writes it; null for NaN and infinities. */
bool xref_json_add_num(cJSON *obj, const char *key, double v);
/* The node's aliases as an array of sanitised strings. */
bool xref_json_add_aliases(cJSON *obj, const char *key,
			   const struct xref_node *v);
/* "community": v->community, only when it is known (>= 0). */
bool xref_json_add_community(cJSON *obj, const struct xref_node *v);
/* One member per metric computed on v, named by xref_metric_name(). */
bool xref_json_add_metrics(cJSON *obj, const struct xref_node *v);

/* Appends root printed with cJSON_Print() (tabs) and a final newline to
 * out, with '<' written \u003c and U+2028, U+2029 written \u2028, \u2029,
 * so the text is safe inside an HTML <script> element and in any
 * JavaScript parser. 0 or XREF_ENOMEM. */
int xref_json_print(struct xref_buf *out, const cJSON *root);

/* xref_json_print() to out, then xref_export_check_write(). 0, XREF_ENOMEM
 * or XREF_EIO. */
int xref_json_write(FILE *out, const cJSON *root);

#define XREF_JSON_MAX_ARRAYS 4

/*
 * A writer of JSON text laid out exactly as cJSON_Print() lays it out
 * (tabs; members one per line as "key":<tab>value; array items on one line
 * separated by ", "), appending to b without building a tree. Strings and
 * numbers follow the rules of the xref_json_add_* helpers above, so a value
 * written here has the bytes the tree would print. Keys are written as
 * given: they must need no escaping. depth is cJSON's nesting depth at the
 * point where writing starts; err keeps the first error (then every call
 * does nothing), so a sequence of calls is checked once at the end.
 */
#define XREF_JW_MAX_DEPTH 16

struct xref_jw {
	struct xref_buf *b;
	struct xref_buf scratch;       /* owned; xref_jw_release() */
	int depth;
	int level;                     /* open objects and arrays */
	bool first[XREF_JW_MAX_DEPTH]; /* nothing written yet at a level */
	int err;
};

/* Starts a writer on b at cJSON depth `depth`. */
void xref_jw_init(struct xref_jw *w, struct xref_buf *b, int depth);
/* Frees the scratch memory. */
void xref_jw_release(struct xref_jw *w);

/* Inside an object: the member separator, indentation and "key":<tab>. */
void xref_jw_key(struct xref_jw *w, const char *key);
/* Inside an array: the ", " before every item but the first. */
void xref_jw_item(struct xref_jw *w);
void xref_jw_open_object(struct xref_jw *w);
void xref_jw_close_object(struct xref_jw *w);
void xref_jw_open_array(struct xref_jw *w);
void xref_jw_close_array(struct xref_jw *w);
/* A string as cJSON_AddStringToObject() takes it (no sanitising). */
void xref_jw_string(struct xref_jw *w, const char *s);
/* As xref_json_add_text(), xref_json_add_lines(), xref_json_add_long(),
 * xref_json_add_num() would add the value. */
void xref_jw_text(struct xref_jw *w, const char *s);
void xref_jw_lines(struct xref_jw *w, const char *s);
void xref_jw_long(struct xref_jw *w, long long v);
void xref_jw_num(struct xref_jw *w, double v);
/* The edge id "e<a>-<b>" as a string, cut to 39 bytes as the tree path's
 * snprintf() into 40 bytes cut it. */
void xref_jw_edge_id(struct xref_jw *w, const char *a, const char *b);
/* Literal JSON text (false, null). */
void xref_jw_raw(struct xref_jw *w, const char *text);
/* The members "aliases" (array of sanitised strings), "community" (when
 * known) and one per computed metric, as xref_json_add_aliases(),
 * xref_json_add_community() and xref_json_add_metrics() add them. */
void xref_jw_aliases(struct xref_jw *w, const char *key,
		     const struct xref_node *v);
void xref_jw_community(struct xref_jw *w, const struct xref_node *v);
void xref_jw_metrics(struct xref_jw *w, const struct xref_node *v);

/* Called by xref_json_stream_direct() to write item i of array `array`
 * with w (started at the item's depth). False when w->err is set. */
typedef bool (*xref_json_emit)(struct xref_jw *w, size_t array, size_t i,
			       void *ctx);

/*
 * Prints root exactly as xref_json_print() would once its n_arrays empty
 * arrays (in document order) held counts[k] items each, without ever
 * holding them all: item i of array k is written by emit() straight into
 * b at its depth, with the bytes cJSON would print for it, so memory
 * follows the largest item, not the document. Output is appended to b
 * and, when out is not NULL, written to out whenever b passes 1 MB and at
 * the end (then xref_export_check_write()). root must hold no other empty
 * array outside strings. 0, XREF_ENOMEM, XREF_EIO or XREF_EINVAL.
 */
int xref_json_stream_direct(struct xref_buf *b, FILE *out, const cJSON *root,
			    const size_t *counts, size_t n_arrays,
			    xref_json_emit emit, void *ctx);

/* Appends the node-link JSON of g (as xref_export_json() writes it, with
 * graph name `title`, which may be NULL) to out. 0, XREF_ENOMEM or
 * XREF_EINVAL (an edge naming no node). */
int xref_json_render(struct xref_buf *out, const struct xref_graph *g,
		     const char *title);

#endif
