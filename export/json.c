/*
 * Node-link JSON output, the format of D3 and of networkx's
 * node_link_data(): {"directed", "multigraph", "graph", "nodes", "links"}.
 *
 * The tree is built with cJSON and printed with cJSON_Print() (formatted
 * with tabs: diffs of golden files stay readable; the size cost is about
 * one byte per line level). cJSON is trusted with structure and string
 * quoting only:
 * - it does not validate UTF-8, so every string passes through
 *   xref_utf8_sanitize() (evidence text through xref_utf8_clean(), which
 *   keeps line breaks and tabs, since a paragraph window may hold several
 *   lines; cJSON escapes them);
 * - it prints doubles with "%1.15g"/"%1.17g", which is long and may differ
 *   in the last digits between igraph builds, so numbers are added as raw
 *   text: integers exact with "%ld", metrics with the "%.6g" of style.c
 *   used by every format, NaN and infinities as null;
 * - it leaves '<' and U+2028/U+2029 as they are, so the printed text is
 *   post-processed on the way out: '<' becomes \u003c (it can only occur
 *   inside strings, so this is safe, and the file can be embedded in an
 *   HTML <script>), U+2028 and U+2029 become \u2028 and \u2029 (legal JSON
 *   but line terminators in older JavaScript).
 * Ids are uids, as strings. NULL values (title, url, date, first_seen,
 * last_seen) become null; evidence not loaded becomes [].
 * Rejected: writing JSON by hand (a second string escaper to review) and
 * streaming (the graphs we draw fit in memory; the tree costs about 500
 * bytes per edge without evidence).
 */
#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/jsonw.h"
#include "export/style.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

/* Each add_* helper returns false when out of memory; on success the new
 * item belongs to obj (cJSON_Add*ToObject transfers ownership). */

bool xref_json_add_text(cJSON *obj, const char *key, const char *s)
{
	char *clean;
	bool ok;

	if (!s)
		return cJSON_AddNullToObject(obj, key) != NULL;
	clean = xref_utf8_sanitize(s);
	if (!clean)
		return false;
	ok = cJSON_AddStringToObject(obj, key, clean) != NULL;
	free(clean);
	return ok;
}

/* Multi-line text: valid UTF-8 with line breaks kept. */
bool xref_json_add_lines(cJSON *obj, const char *key, const char *s)
{
	char *clean = NULL;
	size_t len;
	bool ok;

	if (!s)
		return cJSON_AddNullToObject(obj, key) != NULL;
	if (xref_utf8_clean(&clean, &len, NULL, s, strlen(s)) != 0)
		return false;
	ok = cJSON_AddStringToObject(obj, key, clean) != NULL;
	free(clean);
	return ok;
}

bool xref_json_add_long(cJSON *obj, const char *key, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

static bool add_size(cJSON *obj, const char *key, size_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", v);
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

bool xref_json_add_num(cJSON *obj, const char *key, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (!xref_style_num(buf, v))
		return cJSON_AddNullToObject(obj, key) != NULL;
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

bool xref_json_add_aliases(cJSON *obj, const char *key,
			   const struct xref_node *v)
{
	cJSON *aliases, *item;
	char *clean;
	size_t i;

	aliases = cJSON_AddArrayToObject(obj, key);
	if (!aliases)
		return false;
	for (i = 0; i < v->n_aliases; i++) {
		clean = xref_utf8_sanitize(v->aliases[i] ? v->aliases[i] : "");
		if (!clean)
			return false;
		item = cJSON_CreateString(clean);
		free(clean);
		if (!item)
			return false;
		if (!cJSON_AddItemToArray(aliases, item)) {
			cJSON_Delete(item);
			return false;
		}
	}
	return true;
}

bool xref_json_add_community(cJSON *obj, const struct xref_node *v)
{
	return v->community < 0 ||
	       xref_json_add_long(obj, "community", v->community);
}

bool xref_json_add_metrics(cJSON *obj, const struct xref_node *v)
{
	int m;

	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m] &&
		    !xref_json_add_num(obj, xref_metric_name(m), v->metric[m]))
			return false;
	}
	return true;
}

static bool add_node(cJSON *arr, const struct xref_node *v)
{
	cJSON *obj;

	obj = cJSON_CreateObject();
	if (!obj)
		return false;
	/* arr owns obj from here on, even if filling it fails below. */
	if (!cJSON_AddItemToArray(arr, obj)) {
		cJSON_Delete(obj);
		return false;
	}
	if (!cJSON_AddStringToObject(obj, "id", v->uid) ||
	    !xref_json_add_text(obj, "label", v->name ? v->name : "") ||
	    !cJSON_AddStringToObject(obj, "type", xref_type_name(v->type)))
		return false;
	if (!xref_json_add_aliases(obj, "aliases", v))
		return false;
	return xref_json_add_long(obj, "mentions", v->mentions) &&
	       xref_json_add_long(obj, "documents", v->documents) &&
	       xref_json_add_community(obj, v) &&
	       xref_json_add_metrics(obj, v);
}

static bool add_evidence(cJSON *arr, const struct xref_evidence *ev)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return false;
	if (!cJSON_AddItemToArray(arr, obj)) {
		cJSON_Delete(obj);
		return false;
	}
	return xref_json_add_text(obj, "doc_id", ev->doc_id ? ev->doc_id : "") &&
	       xref_json_add_text(obj, "title", ev->title) &&
	       xref_json_add_text(obj, "url", ev->url) &&
	       xref_json_add_text(obj, "date", ev->date) &&
	       add_size(obj, "start", ev->start) &&
	       add_size(obj, "end", ev->end) &&
	       xref_json_add_lines(obj, "text", ev->text ? ev->text : "");
}

static bool add_link(cJSON *arr, const struct xref_edge *e,
		     const struct xref_node *nodes)
{
	cJSON *obj, *evidence;
	size_t i;

	obj = cJSON_CreateObject();
	if (!obj)
		return false;
	if (!cJSON_AddItemToArray(arr, obj)) {
		cJSON_Delete(obj);
		return false;
	}
	if (!cJSON_AddStringToObject(obj, "source", nodes[e->source].uid) ||
	    !cJSON_AddStringToObject(obj, "target", nodes[e->target].uid) ||
	    !xref_json_add_long(obj, "weight", e->weight) ||
	    !xref_json_add_long(obj, "documents", e->documents) ||
	    !xref_json_add_text(obj, "first_seen", e->first_seen) ||
	    !xref_json_add_text(obj, "last_seen", e->last_seen))
		return false;
	evidence = cJSON_AddArrayToObject(obj, "evidence");
	if (!evidence)
		return false;
	for (i = 0; i < e->n_evidence; i++) {
		if (!add_evidence(evidence, &e->evidence[i]))
			return false;
	}
	return true;
}

/* Appends text with '<', U+2028 and U+2029 escaped and `tabs` tabs after
 * every line break (text printed alone, placed `tabs` levels deeper). */
static int append_escaped(struct xref_buf *out, const char *text, int tabs)
{
	const char *run, *p;
	int err = 0;

	for (run = p = text; !err && *p; p++) {
		const char *rep = NULL;
		size_t skip = 1;

		if (*p == '<') {
			rep = "\\u003c";
		} else if ((unsigned char)p[0] == 0xE2 &&
			   (unsigned char)p[1] == 0x80 &&
			   ((unsigned char)p[2] == 0xA8 ||
			    (unsigned char)p[2] == 0xA9)) {
			rep = (unsigned char)p[2] == 0xA8 ? "\\u2028"
							  : "\\u2029";
			skip = 3;
		} else if (*p == '\n' && tabs > 0) {
			err = xref_buf_put(out, run, (size_t)(p - run) + 1);
			for (int t = 0; !err && t < tabs; t++)
				err = xref_buf_putc(out, '\t');
			run = p + 1;
			continue;
		}
		if (!rep)
			continue;
		err = xref_buf_put(out, run, (size_t)(p - run));
		if (!err)
			err = xref_buf_puts(out, rep);
		p += skip - 1;
		run = p + 1;
	}
	if (!err)
		err = xref_buf_put(out, run, (size_t)(p - run));
	return err;
}

int xref_json_print(struct xref_buf *out, const cJSON *root)
{
	char *text;
	int err;

	/* text is ours (cJSON_free()). */
	text = cJSON_Print(root);
	if (!text)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	err = append_escaped(out, text, 0);
	if (!err)
		err = xref_buf_putc(out, '\n');
	cJSON_free(text);
	return err;
}

/* Writes what b holds to out (when out is set) and empties b. */
static int drain(struct xref_buf *b, FILE *out)
{
	if (!out || !b->len)
		return 0;
	if (fwrite(b->ptr, 1, b->len, out) != b->len)
		return xref_error_set(XREF_EIO, "write error");
	xref_buf_clear(b);
	return 0;
}

#define STREAM_FLUSH (1u << 20)

/* Where the empty arrays "[]" are in text, outside strings: their offsets
 * in at[0..n). 0, or XREF_EINVAL when there are not exactly n. */
static int find_arrays(const char *text, size_t *at, size_t n)
{
	size_t k = 0;
	bool in_str = false;

	for (const char *p = text; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
		} else if (*p == '"') {
			in_str = true;
		} else if (p[0] == '[' && p[1] == ']') {
			if (k == n)
				return xref_error_set(XREF_EINVAL,
						      "unexpected JSON array");
			at[k++] = (size_t)(p - text);
		}
	}
	return k == n ? 0 : xref_error_set(XREF_EINVAL, "missing JSON array");
}

/* The tabs that open the line holding offset `at` of text. */
static int line_tabs(const char *text, size_t at)
{
	size_t i = at;
	int tabs = 0;

	while (i > 0 && text[i - 1] != '\n')
		i--;
	while (text[i + (size_t)tabs] == '\t')
		tabs++;
	return tabs;
}

int xref_json_stream(struct xref_buf *b, FILE *out, const cJSON *root,
		     const size_t *counts, size_t n_arrays,
		     xref_json_fill fill, void *ctx)
{
	char *text = NULL, *item_text = NULL;
	size_t at[XREF_JSON_MAX_ARRAYS], from = 0;
	cJSON *tmp = NULL, *item;
	int err = 0;

	if (n_arrays > XREF_JSON_MAX_ARRAYS)
		return xref_error_set(XREF_EINVAL, "too many JSON arrays");
	text = cJSON_Print(root);
	tmp = cJSON_CreateArray();
	if (!text || !tmp) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	if ((err = find_arrays(text, at, n_arrays)))
		goto out;
	for (size_t k = 0; !err && k < n_arrays; k++) {
		/* cJSON indents an array's items two levels deeper than
		 * the line of its key; alone, an item starts at level 0 */
		int tabs = line_tabs(text, at[k]) + 1;
		char save = text[at[k] + 1];

		text[at[k] + 1] = '\0'; /* up to and including '[' */
		err = append_escaped(b, text + from, 0);
		text[at[k] + 1] = save;
		from = at[k] + 1;
		for (size_t i = 0; !err && i < counts[k]; i++) {
			if (!fill(tmp, k, i, ctx)) {
				err = xref_error_set(XREF_ENOMEM,
						     "out of memory");
				break;
			}
			item = cJSON_DetachItemFromArray(tmp, 0);
			item_text = item ? cJSON_Print(item) : NULL;
			cJSON_Delete(item);
			if (!item_text) {
				err = xref_error_set(XREF_ENOMEM,
						     "out of memory");
				break;
			}
			if (i)
				err = xref_buf_puts(b, ", ");
			if (!err)
				err = append_escaped(b, item_text, tabs);
			cJSON_free(item_text);
			item_text = NULL;
			if (!err && b->len > STREAM_FLUSH)
				err = drain(b, out);
		}
	}
	if (!err)
		err = append_escaped(b, text + from, 0);
	if (!err)
		err = xref_buf_putc(b, '\n');
	if (!err)
		err = drain(b, out);
	if (!err && out)
		err = xref_export_check_write(out);
out:
	cJSON_free(text);
	cJSON_Delete(tmp);
	return err;
}

int xref_json_write(FILE *out, const cJSON *root)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	err = xref_json_print(&b, root);
	if (!err) {
		fwrite(b.ptr, 1, b.len, out);
		err = xref_export_check_write(out);
	}
	xref_buf_release(&b);
	return err;
}

struct fill_ctx {
	const struct xref_node *nodes;
	const struct xref_edge *edges;
};

static bool fill(cJSON *arr, size_t array, size_t i, void *ctx)
{
	const struct fill_ctx *f = ctx;

	return array == 0 ? add_node(arr, &f->nodes[i])
			  : add_link(arr, &f->edges[i], f->nodes);
}

/* Writes the node-link JSON of g to b, drained into out as it grows when
 * out is not NULL: the document around the arrays is one small cJSON
 * tree, each node and link another, printed one at a time. */
static int render(struct xref_buf *b, FILE *out, const struct xref_graph *g,
		  const char *title)
{
	struct fill_ctx f;
	cJSON *root, *graph;
	size_t n, ne, i, counts[2];
	int err = 0;

	f.nodes = xref_graph_nodes(g, &n);
	f.edges = xref_graph_edges(g, &ne);
	for (i = 0; i < ne; i++) {
		if (f.edges[i].source >= n || f.edges[i].target >= n)
			return xref_error_set(XREF_EINVAL,
					      "edge %zu names no node", i);
	}
	/* root owns everything added below; only root is ever deleted. */
	root = cJSON_CreateObject();
	if (!root || !cJSON_AddFalseToObject(root, "directed") ||
	    !cJSON_AddFalseToObject(root, "multigraph") ||
	    !(graph = cJSON_AddObjectToObject(root, "graph")) ||
	    !xref_json_add_text(graph, "name", title) ||
	    !cJSON_AddStringToObject(graph, "generator", "xref") ||
	    !cJSON_AddArrayToObject(root, "nodes") ||
	    !cJSON_AddArrayToObject(root, "links")) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	counts[0] = n;
	counts[1] = ne;
	err = xref_json_stream(b, out, root, counts, 2, fill, &f);
out:
	cJSON_Delete(root);
	return err;
}

int xref_json_render(struct xref_buf *out, const struct xref_graph *g,
		     const char *title)
{
	return render(out, NULL, g, title);
}

int xref_export_json(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	err = render(&b, out, g, opts ? opts->title : NULL);
	xref_buf_release(&b);
	return err;
}
