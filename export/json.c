/*
 * Node-link JSON output, the format of D3 and of networkx's
 * node_link_data(): {"directed", "multigraph", "graph", "nodes", "links"}.
 *
 * The document is laid out as cJSON_Print() lays it out (formatted with
 * tabs: diffs of golden files stay readable; the size cost is about one
 * byte per line level). Its small frame is a cJSON tree, printed once; the
 * nodes and links, which hold every evidence sentence and grow with the
 * corpus, are written one at a time straight into the output buffer by the
 * direct writer below (struct xref_jw), which reproduces cJSON's layout
 * and string quoting byte for byte (tests/unit/test_emit.c compares the
 * two), drained to the file every megabyte. One writer serves the whole
 * stream, restarted for each item, so the working memory for strings that
 * need sanitising is allocated once, not per node or link. The rules, for
 * both paths:
 * - cJSON does not validate UTF-8, so every string passes through
 *   xref_utf8_sanitize() (evidence text through xref_utf8_clean(), which
 *   keeps line breaks and tabs, since a paragraph window may hold several
 *   lines; they are escaped);
 * - cJSON prints doubles with "%1.15g"/"%1.17g", which is long and may
 *   differ in the last digits between igraph builds, so numbers are
 *   written as text of our own: integers exact, metrics with the "%.6g" of
 *   style.c used by every format, NaN and infinities as null;
 * - '<' becomes \u003c (it can only occur inside strings, so the file can
 *   be embedded in an HTML <script>), U+2028 and U+2029 become \u2028 and
 *   \u2029 (legal JSON but line terminators in older JavaScript).
 * Ids are uids, as strings. NULL values (title, url, date, first_seen,
 * last_seen) become null; evidence not loaded becomes [].
 * Rejected: a cJSON tree per item, printed and re-indented (what this
 * replaced: a heap copy per string and a malloc per value made writing the
 * evidence the slowest step after ingest), and a whole-document tree (about
 * 500 bytes per edge before any evidence).
 */
#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/emit.h"
#include "export/jsonw.h"
#include "export/style.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

/* Adds s to obj as xref_jw_text() writes it; false when out of memory (on
 * success the new item belongs to obj: cJSON_Add*ToObject transfers
 * ownership). */
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

/* Writes item i of array k with emit(), at `tabs` levels, through w:
 * the stream's one writer, started afresh for each item. */
static int stream_item(struct xref_jw *w, int tabs, size_t k, size_t i,
		       xref_json_emit emit, void *ctx)
{
	xref_jw_reset(w, tabs);
	if (!emit(w, k, i, ctx) && !w->err)
		w->err = xref_error_set(XREF_ENOMEM, "out of memory");
	return w->err;
}

int xref_json_stream_direct(struct xref_buf *b, FILE *out, const cJSON *root,
			    const size_t *counts, size_t n_arrays,
			    xref_json_emit emit, void *ctx)
{
	char *text = NULL;
	size_t at[XREF_JSON_MAX_ARRAYS], from = 0;
	struct xref_jw w;
	int err = 0;

	/* one writer for every item: its scratch memory is allocated once */
	xref_jw_init(&w, b, 0);
	if (n_arrays > XREF_JSON_MAX_ARRAYS) {
		err = xref_error_set(XREF_EINVAL, "too many JSON arrays");
		goto out;
	}
	text = cJSON_Print(root);
	if (!text) {
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
			if (i)
				err = xref_buf_put(b, ", ", 2);
			if (!err)
				err = stream_item(&w, tabs, k, i, emit, ctx);
			if (!err)
				err = xref_emit_drain(b, out,
						      XREF_EMIT_FLUSH);
		}
	}
	if (!err)
		err = append_escaped(b, text + from, 0);
	if (!err)
		err = xref_buf_putc(b, '\n');
	if (!err)
		err = xref_emit_drain(b, out, 0);
	if (!err && out)
		err = xref_export_check_write(out);
out:
	cJSON_free(text);
	xref_jw_release(&w);
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

/* --- the direct writer (jsonw.h) ----------------------------------------- */

void xref_jw_init(struct xref_jw *w, struct xref_buf *b, int depth)
{
	w->b = b;
	xref_buf_init(&w->scratch);
	xref_jw_reset(w, depth);
}

void xref_jw_reset(struct xref_jw *w, int depth)
{
	w->depth = depth;
	w->level = 0;
	w->first[0] = true;
	w->err = 0;
}

void xref_jw_release(struct xref_jw *w)
{
	xref_buf_release(&w->scratch);
}

static void put(struct xref_jw *w, const char *s, size_t len)
{
	if (!w->err)
		w->err = xref_buf_put(w->b, s, len);
}

static void put_tabs(struct xref_jw *w, int n)
{
	static const char tabs[XREF_JW_MAX_DEPTH + 1] =
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	put(w, tabs, (size_t)(n < 0 ? 0 : n > XREF_JW_MAX_DEPTH
					  ? XREF_JW_MAX_DEPTH : n));
}

void xref_jw_key(struct xref_jw *w, const char *key)
{
	size_t klen = strlen(key), tabs, need;
	char *o;

	if (w->err)
		return;
	tabs = (size_t)(w->depth < 0 ? 0 : w->depth > XREF_JW_MAX_DEPTH
						  ? XREF_JW_MAX_DEPTH
						  : w->depth);
	/* ",\n", the tabs, the quoted key, ":\t": one reservation */
	need = 2 + tabs + klen + 4;
	if (klen > SIZE_MAX - 2 - XREF_JW_MAX_DEPTH - 4 ||
	    (w->err = xref_buf_grow(w->b, need)))
		return;
	o = w->b->ptr + w->b->len;
	if (!w->first[w->level]) {
		*o++ = ',';
		*o++ = '\n';
	}
	w->first[w->level] = false;
	memset(o, '\t', tabs);
	o += tabs;
	*o++ = '"';
	memcpy(o, key, klen);
	o += klen;
	memcpy(o, "\":\t", 3);
	o += 3;
	w->b->len = (size_t)(o - w->b->ptr);
	w->b->ptr[w->b->len] = '\0';
}

void xref_jw_item(struct xref_jw *w)
{
	if (!w->first[w->level])
		put(w, ", ", 2);
	w->first[w->level] = false;
}

/* One level deeper; false (and an error) past the fixed depth. */
static bool push(struct xref_jw *w)
{
	if (w->level + 1 >= XREF_JW_MAX_DEPTH) {
		if (!w->err)
			w->err = xref_error_set(XREF_EINVAL,
						"JSON nested too deep");
		return false;
	}
	w->level++;
	w->first[w->level] = true;
	w->depth++;
	return true;
}

void xref_jw_open_object(struct xref_jw *w)
{
	put(w, "{\n", 2);
	push(w);
}

void xref_jw_close_object(struct xref_jw *w)
{
	if (w->level == 0)
		return;
	if (!w->first[w->level])
		put(w, "\n", 1);
	put_tabs(w, w->depth - 1);
	put(w, "}", 1);
	w->level--;
	w->depth--;
}

void xref_jw_open_array(struct xref_jw *w)
{
	put(w, "[", 1);
	push(w);
}

void xref_jw_close_array(struct xref_jw *w)
{
	if (w->level == 0)
		return;
	put(w, "]", 1);
	w->level--;
	w->depth--;
}

void xref_jw_string(struct xref_jw *w, const char *s)
{
	if (!w->err)
		w->err = xref_emit_json_str(w->b, s, strlen(s));
}

void xref_jw_text(struct xref_jw *w, const char *s)
{
	if (!w->err)
		w->err = xref_emit_json_text(w->b, &w->scratch, s);
}

void xref_jw_lines(struct xref_jw *w, const char *s)
{
	if (!w->err)
		w->err = xref_emit_json_lines(w->b, &w->scratch, s);
}

void xref_jw_long(struct xref_jw *w, long long v)
{
	if (!w->err)
		w->err = xref_emit_long(w->b, v);
}

static void jw_size(struct xref_jw *w, size_t v)
{
	if (!w->err)
		w->err = xref_emit_ulong(w->b, v);
}

void xref_jw_num(struct xref_jw *w, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (!xref_style_num(buf, v))
		put(w, "null", 4);
	else
		put(w, buf, strlen(buf));
}

void xref_jw_edge_id(struct xref_jw *w, const char *a, const char *b)
{
	char id[40];
	size_t n = 0, la = strlen(a), lb = strlen(b);

	id[n++] = 'e';
	la = la < sizeof(id) - 1 - n ? la : sizeof(id) - 1 - n;
	memcpy(id + n, a, la);
	n += la;
	if (n < sizeof(id) - 1)
		id[n++] = '-';
	lb = lb < sizeof(id) - 1 - n ? lb : sizeof(id) - 1 - n;
	memcpy(id + n, b, lb);
	n += lb;
	if (!w->err)
		w->err = xref_emit_json_str(w->b, id, n);
}

void xref_jw_raw(struct xref_jw *w, const char *text)
{
	put(w, text, strlen(text));
}

void xref_jw_aliases(struct xref_jw *w, const char *key,
		     const struct xref_node *v)
{
	size_t i;

	xref_jw_key(w, key);
	xref_jw_open_array(w);
	for (i = 0; i < v->n_aliases; i++) {
		xref_jw_item(w);
		xref_jw_text(w, v->aliases[i] ? v->aliases[i] : "");
	}
	xref_jw_close_array(w);
}

void xref_jw_community(struct xref_jw *w, const struct xref_node *v)
{
	if (v->community < 0)
		return;
	xref_jw_key(w, "community");
	xref_jw_long(w, v->community);
}

void xref_jw_metrics(struct xref_jw *w, const struct xref_node *v)
{
	int m;

	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (!v->has_metric[m])
			continue;
		xref_jw_key(w, xref_metric_name(m));
		xref_jw_num(w, v->metric[m]);
	}
}

struct emit_ctx {
	const struct xref_node *nodes;
	const struct xref_edge *edges;
};

static void emit_node(struct xref_jw *w, const struct xref_node *v)
{
	xref_jw_open_object(w);
	xref_jw_key(w, "id");
	xref_jw_string(w, v->uid);
	xref_jw_key(w, "label");
	xref_jw_text(w, v->name ? v->name : "");
	xref_jw_key(w, "type");
	xref_jw_string(w, xref_type_name(v->type));
	xref_jw_aliases(w, "aliases", v);
	xref_jw_key(w, "mentions");
	xref_jw_long(w, v->mentions);
	xref_jw_key(w, "documents");
	xref_jw_long(w, v->documents);
	xref_jw_community(w, v);
	xref_jw_metrics(w, v);
	xref_jw_close_object(w);
}

static void emit_evidence(struct xref_jw *w, const struct xref_evidence *ev)
{
	xref_jw_open_object(w);
	xref_jw_key(w, "doc_id");
	xref_jw_text(w, ev->doc_id ? ev->doc_id : "");
	xref_jw_key(w, "title");
	xref_jw_text(w, ev->title);
	xref_jw_key(w, "url");
	xref_jw_text(w, ev->url);
	xref_jw_key(w, "date");
	xref_jw_text(w, ev->date);
	xref_jw_key(w, "start");
	jw_size(w, ev->start);
	xref_jw_key(w, "end");
	jw_size(w, ev->end);
	xref_jw_key(w, "text");
	xref_jw_lines(w, ev->text ? ev->text : "");
	xref_jw_close_object(w);
}

static void emit_link(struct xref_jw *w, const struct xref_edge *e,
		      const struct xref_node *nodes)
{
	size_t i;

	xref_jw_open_object(w);
	xref_jw_key(w, "source");
	xref_jw_string(w, nodes[e->source].uid);
	xref_jw_key(w, "target");
	xref_jw_string(w, nodes[e->target].uid);
	xref_jw_key(w, "weight");
	xref_jw_long(w, e->weight);
	xref_jw_key(w, "documents");
	xref_jw_long(w, e->documents);
	xref_jw_key(w, "first_seen");
	xref_jw_text(w, e->first_seen);
	xref_jw_key(w, "last_seen");
	xref_jw_text(w, e->last_seen);
	xref_jw_key(w, "evidence");
	xref_jw_open_array(w);
	for (i = 0; i < e->n_evidence && !w->err; i++) {
		xref_jw_item(w);
		emit_evidence(w, &e->evidence[i]);
	}
	xref_jw_close_array(w);
	xref_jw_close_object(w);
}

static bool emit(struct xref_jw *w, size_t array, size_t i, void *ctx)
{
	const struct emit_ctx *f = ctx;

	if (array == 0)
		emit_node(w, &f->nodes[i]);
	else
		emit_link(w, &f->edges[i], f->nodes);
	return !w->err;
}

/* Writes the node-link JSON of g to b, drained into out as it grows when
 * out is not NULL: the document around the arrays is one small cJSON
 * tree; the nodes and links are written one at a time by the direct
 * writer (xref_json_stream_direct()). */
static int render(struct xref_buf *b, FILE *out, const struct xref_graph *g,
		  const char *title)
{
	struct emit_ctx f;
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
	err = xref_json_stream_direct(b, out, root, counts, 2, emit, &f);
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
