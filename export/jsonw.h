/*
 * Internal to export/: what every JSON format (node-link, Cytoscape,
 * graphology) is written with: a cJSON helper for the text members of the
 * small frame of a document, the one printer that makes cJSON's output
 * safe to embed in HTML, and the direct writer (struct xref_jw) that writes
 * the nodes and edges with the very bytes a cJSON tree of them would print.
 */
#ifndef XREF_EXPORT_JSONW_H
#define XREF_EXPORT_JSONW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "graph/graph.h"
#include "ingest/buf.h"

/* Adds the member `key` to obj: s after xref_utf8_sanitize() (valid UTF-8,
 * no control characters), or null when s is NULL. False when out of
 * memory; the new item then belongs to obj (cJSON_Add*ToObject transfers
 * ownership), and on failure obj is left as it was, to be deleted with its
 * root. */
bool xref_json_add_text(cJSON *obj, const char *key, const char *s);

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
 * separated by ", "), appending to b without building a tree. A value
 * written here has the bytes cJSON would print for it, given what every
 * JSON format of ours puts in its trees: text sanitised (or cleaned),
 * integers exact, other numbers as xref_style_num() writes them, null for
 * NaN, infinities and absent text. Keys are written as given: they must
 * need no escaping. depth is cJSON's nesting depth at the point where
 * writing starts; err keeps the first error (then every call does
 * nothing), so a sequence of calls is checked once at the end.
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
/* Starts w again at depth `depth`, for a new value on the same buffer:
 * nothing open, no error; the scratch memory is kept for reuse. */
void xref_jw_reset(struct xref_jw *w, int depth);
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
/* s after xref_utf8_sanitize(), or null when s is NULL (the value of
 * xref_json_add_text()). */
void xref_jw_text(struct xref_jw *w, const char *s);
/* The same after xref_utf8_clean(), which keeps line breaks and tabs
 * (escaped): multi-line text such as evidence. */
void xref_jw_lines(struct xref_jw *w, const char *s);
/* An exact integer ("%lld"). */
void xref_jw_long(struct xref_jw *w, long long v);
/* "%.6g" as xref_style_num() writes it; null for NaN and infinities. */
void xref_jw_num(struct xref_jw *w, double v);
/* The edge id "e<a>-<b>" as a string, at most 39 bytes (a longer one is
 * cut; two uids make 34). */
void xref_jw_edge_id(struct xref_jw *w, const char *a, const char *b);
/* Literal JSON text (false, null). */
void xref_jw_raw(struct xref_jw *w, const char *text);
/* The members `key` (the node's aliases as an array of sanitised strings,
 * a NULL alias as ""), "community" (only when it is known, >= 0) and one
 * per metric computed on v, named by xref_metric_name(), as numbers. */
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
 * follows the largest item, not the document. Every item gets the same
 * writer, reset (xref_jw_reset()), so its scratch memory is allocated
 * once per call. Output is appended to b
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
