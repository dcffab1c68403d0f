/*
 * Internal to export/: the cJSON helpers shared by every JSON format
 * (node-link, Cytoscape, graphology) and the one printer that makes cJSON's
 * output safe to embed in HTML.
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

/* Called by xref_json_stream() to add item i of array `array` (in the
 * order the arrays appear in the document) to arr. False when out of
 * memory. */
typedef bool (*xref_json_fill)(cJSON *arr, size_t array, size_t i,
			       void *ctx);

#define XREF_JSON_MAX_ARRAYS 4

/*
 * Prints root exactly as xref_json_print() would once its n_arrays empty
 * arrays (in document order) held counts[k] items each, without ever
 * holding them all: each item is made by fill() in a scratch array,
 * printed (re-indented to its depth) and freed, so memory follows the
 * largest item, not the document. Output is appended to b and, when out
 * is not NULL, written to out whenever b passes 1 MB and at the end
 * (then xref_export_check_write()). root must hold no other empty array
 * outside strings. 0, XREF_ENOMEM, XREF_EIO or XREF_EINVAL.
 */
int xref_json_stream(struct xref_buf *b, FILE *out, const cJSON *root,
		     const size_t *counts, size_t n_arrays,
		     xref_json_fill fill, void *ctx);

/* Appends the node-link JSON of g (as xref_export_json() writes it, with
 * graph name `title`, which may be NULL) to out. 0, XREF_ENOMEM or
 * XREF_EINVAL (an edge naming no node). */
int xref_json_render(struct xref_buf *out, const struct xref_graph *g,
		     const char *title);

#endif
