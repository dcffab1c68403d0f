/*
 * DOT output, with the bytes of the cgraph graph of gv.c written by
 * agwrite().
 *
 * The reference is the cgraph path: xref_gv_build() then agwrite(), which
 * takes care of DOT quoting (it escapes '"' and quotes whatever is not a
 * plain identifier or number); gv.c has already escaped every user string
 * as an escString, so backslashes come in pairs and no value can end in a
 * lone backslash, which agwrite() would turn into an unterminated string.
 * On a large graph that path spent most of its time inserting edges into
 * cgraph's dictionaries and freeing them again, so for the graphs xref
 * makes (nodes in strictly increasing uid order, edges in strictly
 * increasing (source, target) order with source < target, the invariants
 * of graph.h) the same text is written here directly, following what
 * agwrite() does with such a graph under linelength=0:
 * - the header "strict graph xref {" and the attribute defaults that are
 *   not empty, per kind (graph, node, edge), sorted by name, one per line
 *   when there are several ("\tnode [label=\"\\N\",\n\t\tshape=ellipse,...");
 * - nodes in order; a node is written just before the first edge that
 *   reaches it from a smaller node, or in its own turn when it has none;
 *   after each node's turn come its edges, in creation order;
 * - on each node and edge, the attributes whose value differs from the
 *   declared default, sorted by name ("\t[a=1,\n\t\tb=2];");
 * - every name and value canonicalised as agwrite() does: quoted unless it
 *   is an identifier (letters, digits, '_', non-ASCII, not starting with a
 *   digit) or a number ('-'? digits with one '.'), and not a DOT keyword
 *   in any case; '"' escaped with a backslash.
 * Text goes through gv.c's sanitising and escString escaping
 * (xref_gv_escape_append(), which xref_gv_escape() wraps), then the
 * canonical quoting, straight into one output buffer written every
 * megabyte. Any other graph (which graph.c never
 * makes) still goes through cgraph, and tests/unit/test_dot.c compares
 * both paths on hostile names, titles and attributes. No DOT text is ever
 * parsed. Rejected: igraph's DOT writer (invalid output for numbers >= 1e6
 * or < 1e-4 in 0.10.2); a direct writer with its own formatting rules (the
 * bytes of the existing files, which users diff, would change).
 */
#include "export/export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/emit.h"
#include "export/gv.h"
#include "export/style.h"
#include "ingest/buf.h"
#include "ingest/status.h"

/* --- agwrite()'s canonical strings --------------------------------------- */

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_id_byte(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* ASCII case-insensitive equality of s[0..len) and the keyword kw. */
static bool is_keyword(const char *s, size_t len, const char *kw)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!kw[i] || c != (unsigned char)kw[i])
			return false;
	}
	return kw[len] == '\0';
}

/* True when agwrite() would quote s[0..len). */
static bool needs_quotes(const char *s, size_t len)
{
	static const char *const keywords[] = { "node", "edge", "strict",
						"graph", "digraph",
						"subgraph" };
	const unsigned char *u = (const unsigned char *)s;
	bool maybe_num, quote = false;
	size_t i, dots = 0;

	if (!len)
		return true;
	maybe_num = is_digit(u[0]) || u[0] == '.' || u[0] == '-';
	for (i = 0; i < len; i++) {
		unsigned char c = u[i];

		if (c == '"') {
			quote = true;
		} else if (maybe_num) {
			if (c == '-') {
				if (i) {
					maybe_num = false;
					quote = true;
				}
			} else if (c == '.') {
				if (dots++) {
					maybe_num = false;
					quote = true;
				}
			} else if (!is_digit(c)) {
				maybe_num = false;
				quote = true;
			}
		} else if (!is_id_byte(c)) {
			quote = true;
		}
	}
	if (quote || (len == 1 && (u[0] == '.' || u[0] == '-')))
		return true;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (is_keyword(s, len, keywords[i]))
			return true;
	return false;
}

/* Appends s[0..len) as agwrite() writes a name or value. */
static int put_canon(struct xref_buf *b, const char *s, size_t len)
{
	size_t i;
	char *o;
	int err;

	if (!needs_quotes(s, len))
		return xref_buf_put(b, s, len);
	if (len > (SIZE_MAX - 3) / 2)
		return xref_error_set(XREF_ENOMEM, "text too large");
	if ((err = xref_buf_grow(b, 2 * len + 2)))
		return err;
	o = b->ptr + b->len;
	*o++ = '"';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			*o++ = '\\';
		*o++ = s[i];
	}
	*o++ = '"';
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

static int put_canon_str(struct xref_buf *b, const char *s)
{
	return put_canon(b, s, strlen(s));
}

/* --- values ---------------------------------------------------------------- */

/* The attributes of one kind: names and defaults as declared in gv.c,
 * sorted by name as cgraph's dictionaries keep them. A value is a span of
 * the writer's value buffer, or unset. */
#define MAX_ATTRS (8 + XREF_METRIC_COUNT)

struct attr {
	const char *name, *def;
	int slot; /* index into the value spans */
};

struct span {
	size_t at, len;
	bool set;
};

struct writer {
	struct xref_buf out, vals, scratch;
	struct attr node[MAX_ATTRS], edge[MAX_ATTRS];
	size_t n_node, n_edge;
	struct span span[MAX_ATTRS];
	struct xref_pen_cache pen;
};

enum {
	N_LABEL,
	N_TYPE,
	N_MENTIONS,
	N_DOCUMENTS,
	N_SHAPE,
	N_FILLCOLOR,
	N_STYLE,
	N_COMMUNITY,
	N_METRIC, /* + m */
};

enum { E_WEIGHT, E_DOCUMENTS, E_PENWIDTH, E_FIRST_SEEN, E_LAST_SEEN };

static int cmp_attr(const void *pa, const void *pb)
{
	const struct attr *a = pa, *b = pb;

	return strcmp(a->name, b->name);
}

static void add_attr(struct attr *list, size_t *n, const char *name,
		     const char *def, int slot)
{
	list[*n].name = name;
	list[*n].def = def;
	list[*n].slot = slot;
	(*n)++;
}

static void declare(struct writer *w, const struct xref_node *nodes,
		    size_t n)
{
	size_t i;
	int m;

	w->n_node = w->n_edge = 0;
	add_attr(w->node, &w->n_node, "label", "\\N", N_LABEL);
	add_attr(w->node, &w->n_node, "type", "", N_TYPE);
	add_attr(w->node, &w->n_node, "mentions", "", N_MENTIONS);
	add_attr(w->node, &w->n_node, "documents", "", N_DOCUMENTS);
	add_attr(w->node, &w->n_node, "shape", "ellipse", N_SHAPE);
	add_attr(w->node, &w->n_node, "fillcolor", "", N_FILLCOLOR);
	add_attr(w->node, &w->n_node, "style", "filled", N_STYLE);
	if (xref_style_has_community(nodes, n))
		add_attr(w->node, &w->n_node, "community", "", N_COMMUNITY);
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		for (i = 0; i < n && !nodes[i].has_metric[m]; i++)
			;
		if (i < n)
			add_attr(w->node, &w->n_node, xref_metric_name(m), "",
				 N_METRIC + m);
	}
	add_attr(w->edge, &w->n_edge, "weight", "1", E_WEIGHT);
	add_attr(w->edge, &w->n_edge, "documents", "", E_DOCUMENTS);
	add_attr(w->edge, &w->n_edge, "penwidth", "1", E_PENWIDTH);
	add_attr(w->edge, &w->n_edge, "first_seen", "", E_FIRST_SEEN);
	add_attr(w->edge, &w->n_edge, "last_seen", "", E_LAST_SEEN);
	qsort(w->node, w->n_node, sizeof(w->node[0]), cmp_attr);
	qsort(w->edge, w->n_edge, sizeof(w->edge[0]), cmp_attr);
}

static void unset_all(struct writer *w)
{
	for (size_t i = 0; i < MAX_ATTRS; i++)
		w->span[i].set = false;
	xref_buf_clear(&w->vals);
}

/* Marks what was appended to w->vals since `at` as the value of slot. */
static void set_span(struct writer *w, int slot, size_t at)
{
	w->span[slot].at = at;
	w->span[slot].len = w->vals.len - at;
	w->span[slot].set = true;
}

static int set_str(struct writer *w, int slot, const char *s)
{
	size_t at = w->vals.len;
	int err = xref_buf_puts(&w->vals, s);

	if (!err)
		set_span(w, slot, at);
	return err;
}

static int set_long(struct writer *w, int slot, long v)
{
	size_t at = w->vals.len;
	int err = xref_emit_long(&w->vals, v);

	if (!err)
		set_span(w, slot, at);
	return err;
}

static int set_num(struct writer *w, int slot, double v)
{
	char buf[XREF_NUM_BUFSZ];

	/* NaN and infinities stay unset (the declared default "") */
	if (!xref_style_num(buf, v))
		return 0;
	return set_str(w, slot, buf);
}

static int set_text(struct writer *w, int slot, const char *s)
{
	size_t at = w->vals.len;
	int err = xref_gv_escape_append(&w->vals, &w->scratch, s,
					XREF_GV_LABEL);

	if (!err)
		set_span(w, slot, at);
	return err;
}

/* "\t[a=1,\n\t\tb=2]" for the set values that differ from their
 * defaults, then ";\n". */
static int put_attrs(struct writer *w, const struct attr *list, size_t n)
{
	struct xref_buf *b = &w->out;
	size_t i, cnt = 0;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		const struct span *sp = &w->span[list[i].slot];
		const char *v = w->vals.ptr + sp->at;

		if (!sp->set || (strlen(list[i].def) == sp->len &&
				 !memcmp(v, list[i].def, sp->len)))
			continue;
		err = cnt ? xref_buf_put(b, ",\n\t\t", 4)
			  : xref_buf_put(b, "\t[", 2);
		cnt++;
		if (!err)
			err = put_canon_str(b, list[i].name);
		if (!err)
			err = xref_buf_putc(b, '=');
		if (!err)
			err = put_canon(b, v, sp->len);
	}
	if (!err && cnt)
		err = xref_buf_putc(b, ']');
	if (!err)
		err = xref_buf_put(b, ";\n", 2);
	return err;
}

static int put_node(struct writer *w, const struct xref_node *v)
{
	const struct xref_type_style *st = xref_style_type(v->type);
	int err, m;

	unset_all(w);
	if ((err = set_text(w, N_LABEL, v->name)) ||
	    (err = set_str(w, N_TYPE, xref_type_name(v->type))) ||
	    (err = set_long(w, N_MENTIONS, v->mentions)) ||
	    (err = set_long(w, N_DOCUMENTS, v->documents)) ||
	    (err = set_str(w, N_SHAPE, st->shape)) ||
	    (err = set_str(w, N_FILLCOLOR, st->fill)))
		return err;
	if (v->community >= 0 &&
	    (err = set_long(w, N_COMMUNITY, v->community)))
		return err;
	for (m = 0; m < XREF_METRIC_COUNT; m++)
		if (v->has_metric[m] &&
		    (err = set_num(w, N_METRIC + m, v->metric[m])))
			return err;
	/* a slot without a declared attribute is never looked at */
	if ((err = xref_buf_putc(&w->out, '\t')) ||
	    (err = put_canon_str(&w->out, v->uid)))
		return err;
	return put_attrs(w, w->node, w->n_node);
}

static int put_edge(struct writer *w, const struct xref_edge *e,
		    const struct xref_node *nodes)
{
	char buf[XREF_NUM_BUFSZ];
	int err;

	unset_all(w);
	if ((err = set_long(w, E_WEIGHT, e->weight)) ||
	    (err = set_long(w, E_DOCUMENTS, e->documents)) ||
	    (err = set_str(w, E_PENWIDTH,
			   xref_style_penwidth_text(&w->pen, e->weight, buf))))
		return err;
	if (e->first_seen &&
	    (err = set_text(w, E_FIRST_SEEN, e->first_seen)))
		return err;
	if (e->last_seen && (err = set_text(w, E_LAST_SEEN, e->last_seen)))
		return err;
	if ((err = xref_buf_putc(&w->out, '\t')) ||
	    (err = put_canon_str(&w->out, nodes[e->source].uid)) ||
	    (err = xref_buf_put(&w->out, " -- ", 4)) ||
	    (err = put_canon_str(&w->out, nodes[e->target].uid)))
		return err;
	return put_attrs(w, w->edge, w->n_edge);
}

/* The defaults line of one kind: "\tname [a=1];\n" or, for several,
 * "\tname [a=1,\n\t\tb=2\n\t];\n". names/defs in name order. */
static int put_defaults(struct xref_buf *b, const char *kind,
			const char *const *names, const char *const *defs,
			size_t n)
{
	size_t i, cnt = 0;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		if (!defs[i][0])
			continue;
		if (cnt++ == 0) {
			if (!(err = xref_buf_putc(b, '\t')) &&
			    !(err = xref_buf_puts(b, kind)))
				err = xref_buf_put(b, " [", 2);
		} else {
			err = xref_buf_put(b, ",\n\t\t", 4);
		}
		if (!err)
			err = put_canon_str(b, names[i]);
		if (!err)
			err = xref_buf_putc(b, '=');
		if (!err)
			err = put_canon_str(b, defs[i]);
	}
	if (!err && cnt > 1)
		err = xref_buf_put(b, "\n\t", 2);
	if (!err && cnt)
		err = xref_buf_put(b, "];\n", 3);
	return err;
}

static int put_header(struct writer *w, const char *title)
{
	const char *names[MAX_ATTRS], *defs[MAX_ATTRS];
	const char *gnames[2] = { "label", "linelength" };
	const char *gdefs[2] = { "", "0" };
	size_t i;
	int err;

	if (title) {
		/* the root graph's value is its kind's default */
		xref_buf_clear(&w->vals);
		if ((err = xref_gv_escape_append(&w->vals, &w->scratch, title,
						 XREF_GV_LABEL)))
			return err;
		gdefs[0] = w->vals.ptr;
	}
	if ((err = xref_buf_puts(&w->out, "strict graph xref {\n")) ||
	    (err = put_defaults(&w->out, "graph", gnames, gdefs, 2)))
		return err;
	for (i = 0; i < w->n_node; i++) {
		names[i] = w->node[i].name;
		defs[i] = w->node[i].def;
	}
	if ((err = put_defaults(&w->out, "node", names, defs, w->n_node)))
		return err;
	for (i = 0; i < w->n_edge; i++) {
		names[i] = w->edge[i].name;
		defs[i] = w->edge[i].def;
	}
	return put_defaults(&w->out, "edge", names, defs, w->n_edge);
}

/* True when g has the shape the direct writer follows agwrite() on. */
static bool plain_graph(const struct xref_node *nodes, size_t n,
			const struct xref_edge *edges, size_t ne)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (i && strcmp(nodes[i - 1].uid, nodes[i].uid) >= 0)
			return false;
	for (i = 0; i < ne; i++) {
		if (edges[i].source >= edges[i].target || edges[i].target >= n)
			return false;
		if (i && (edges[i - 1].source > edges[i].source ||
			  (edges[i - 1].source == edges[i].source &&
			   edges[i - 1].target >= edges[i].target)))
			return false;
	}
	return true;
}

static int write_direct(const struct xref_graph *g, const char *title,
			FILE *out)
{
	struct writer *w = NULL;
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	size_t *first_in = NULL; /* smallest source reaching each node */
	size_t n, ne, i, k;
	int err = 0;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	/* zeroed: empty buffers, an empty pen width cache */
	w = calloc(1, sizeof(*w));
	/* calloc() checks n * size for overflow */
	first_in = calloc(n ? n : 1, sizeof(*first_in));
	if (!w || !first_in) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		first_in[i] = i;
	for (k = 0; k < ne; k++)
		if (edges[k].source < first_in[edges[k].target])
			first_in[edges[k].target] = edges[k].source;
	declare(w, nodes, n);
	if ((err = put_header(w, title)))
		goto out;
	for (i = 0, k = 0; i < n; i++) {
		if (first_in[i] == i && (err = put_node(w, &nodes[i])))
			goto out;
		for (; k < ne && edges[k].source == i; k++) {
			size_t h = edges[k].target;

			if (first_in[h] == i && (err = put_node(w, &nodes[h])))
				goto out;
			if ((err = put_edge(w, &edges[k], nodes)))
				goto out;
		}
		if ((err = xref_emit_drain(&w->out, out, XREF_EMIT_FLUSH)))
			goto out;
	}
	if ((err = xref_buf_put(&w->out, "}\n", 2)) ||
	    (err = xref_emit_drain(&w->out, out, 0)))
		goto out;
	err = xref_export_check_write(out);
out:
	free(first_in);
	if (w) {
		xref_buf_release(&w->out);
		xref_buf_release(&w->vals);
		xref_buf_release(&w->scratch);
	}
	free(w);
	return err;
}

/* --- through cgraph ---------------------------------------------------- */

int xref_gv_write_dot(const struct xref_graph *g, const char *title,
		      FILE *out)
{
	struct xref_gv_graph gg = { NULL, NULL, NULL, 0, 0 };
	struct xref_gv_capture cap;
	int err = 0;

	xref_gv_capture_begin(&cap);
	err = xref_gv_build(&gg, g, title);
	if (err)
		goto out;
	if (agwrite(gg.g, out) != 0 && !ferror(out)) {
		err = xref_gv_fail("writing dot");
		goto out;
	}
	err = xref_export_check_write(out);
out:
	xref_gv_graph_release(&gg);
	xref_gv_capture_end(&cap);
	return err;
}

int xref_export_dot(const struct xref_graph *g,
		    const struct xref_export_opts *opts, FILE *out)
{
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const char *title = opts ? opts->title : NULL;
	size_t n, ne;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if (!plain_graph(nodes, n, edges, ne))
		return xref_gv_write_dot(g, title, out);
	return write_direct(g, title, out);
}
