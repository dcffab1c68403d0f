/*
 * The Graphviz side of export/: plugins, message capture, escaping, and the
 * translation of an xref_graph into a cgraph graph shared by the DOT and
 * SVG writers.
 *
 * The graph is built only through the cgraph API (agopen, agnode, agedge,
 * agxset), never by printing DOT text and parsing it back: printing would
 * make us responsible for DOT quoting, and Graphviz's DOT parser has a CVE
 * history, so untrusted names must never reach it. Attribute values are
 * still interpreted by Graphviz, though: text attributes are escStrings
 * ("\N" is the node name, "\n" a line break) and '&' can start an entity, so
 * every user string goes through xref_gv_escape() (after
 * xref_utf8_sanitize(), because Graphviz copies control characters into
 * SVG and re-reads invalid UTF-8 as Latin-1). Non-text attributes holding
 * user strings (first_seen, last_seen) get the same escaping, because a
 * value ending in one backslash cannot be written as DOT at all.
 *
 * The escaping rules were measured on the installed Graphviz (2.42.2,
 * reporting itself as 2.43.0) and are pinned by tests/unit/test_export.c:
 * label "a\\b" renders "a\b" while tooltip needs "a\\\\b"; label "\\N"
 * renders "\N"; "&amp;" is passed through to SVG as an entity.
 */
#include "export/gv.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvplugin.h>

#include "export/style.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

extern gvplugin_library_t gvplugin_core_LTX_library;
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_neato_layout_LTX_library;

/* The same shape as libtool's lt_preloaded_symbols; gvconfig looks each
 * library up by the "_LTX_library" suffix of its name. */
static const lt_symlist_t builtins[] = {
	{ "gvplugin_core_LTX_library", &gvplugin_core_LTX_library },
	{ "gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library },
	{ "gvplugin_neato_layout_LTX_library",
	  &gvplugin_neato_layout_LTX_library },
	{ NULL, NULL },
};

GVC_t *xref_gv_context(void)
{
	GVC_t *gvc = gvContextPlugins(builtins, 0);

	if (!gvc)
		xref_error_set(XREF_ENOMEM, "cannot create a graphviz context");
	return gvc;
}

/* Graphviz hands its messages over in pieces ("Error", ": ", text). */
static char gv_msg[512];
static size_t gv_msg_len;

static int gv_collect(char *piece)
{
	size_t n = strlen(piece);

	if (n > sizeof(gv_msg) - 1 - gv_msg_len)
		n = sizeof(gv_msg) - 1 - gv_msg_len;
	memcpy(gv_msg + gv_msg_len, piece, n);
	gv_msg_len += n;
	gv_msg[gv_msg_len] = '\0';
	return 0;
}

void xref_gv_capture_begin(struct xref_gv_capture *c)
{
	gv_msg_len = 0;
	gv_msg[0] = '\0';
	c->prev = agseterrf(gv_collect);
}

void xref_gv_capture_end(struct xref_gv_capture *c)
{
	agseterrf(c->prev);
}

int xref_gv_fail(const char *what)
{
	char msg[sizeof(gv_msg)];
	size_t i, n = 0;

	/* One line: newlines between Graphviz's messages become "; ". */
	for (i = 0; i < gv_msg_len && n + 3 < sizeof(msg); i++) {
		if (gv_msg[i] == '\n') {
			if (i + 1 < gv_msg_len) {
				msg[n++] = ';';
				msg[n++] = ' ';
			}
		} else {
			msg[n++] = gv_msg[i];
		}
	}
	msg[n] = '\0';
	if (n)
		return xref_error_set(XREF_ERROR, "graphviz: %s failed: %s",
				      what, msg);
	return xref_error_set(XREF_ERROR, "graphviz: %s failed", what);
}

/* True when s (at a '&') starts what Graphviz's SVG writer passes through
 * as an entity reference: '&', then '#' and digits, '#x' and hex digits,
 * or letters, then ';' (including the empty "&;", which is not valid XML). */
static bool starts_entity(const char *s)
{
	s++;
	if (*s == '#') {
		s++;
		if (*s == 'x' || *s == 'X') {
			s++;
			while ((*s >= '0' && *s <= '9') ||
			       (*s >= 'a' && *s <= 'f') ||
			       (*s >= 'A' && *s <= 'F'))
				s++;
		} else {
			while (*s >= '0' && *s <= '9')
				s++;
		}
	} else {
		while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			s++;
	}
	return *s == ';';
}

char *xref_gv_escape(const char *s, enum xref_gv_text kind)
{
	size_t nbs = kind == XREF_GV_TOOLTIP ? 4 : 2;
	char *clean = NULL, *out = NULL, *o;
	const char *p;
	size_t len = 0;

	clean = xref_utf8_sanitize(s ? s : "");
	if (!clean) {
		xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	/* At most 5 bytes out per byte in ("&" -> "&amp;"). */
	len = strlen(clean);
	if (len > (SIZE_MAX - 1) / 5) {
		xref_error_set(XREF_ENOMEM, "string too long");
		goto out;
	}
	out = malloc(len * 5 + 1);
	if (!out) {
		xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	o = out;
	for (p = clean; *p; p++) {
		if (*p == '\\') {
			memset(o, '\\', nbs);
			o += nbs;
		} else if (*p == '&' && starts_entity(p)) {
			memcpy(o, "&amp;", 5);
			o += 5;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
out:
	free(clean);
	return out;
}

Agraph_t *xref_gv_open(const char *name)
{
	/* agopen() copies the name into the graph's string pool. */
	return agopen((char *)name, Agstrictundirected, NULL);
}

Agsym_t *xref_gv_declare(Agraph_t *g, int kind, const char *name,
			 const char *def)
{
	return agattr(g, kind, (char *)name, (char *)def);
}

int xref_gv_xset(void *obj, Agsym_t *sym, const char *value)
{
	if (!sym || agxset(obj, sym, (char *)value) != 0)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	return 0;
}

int xref_gv_set(void *obj, const char *name, const char *value)
{
	if (agsafeset(obj, (char *)name, (char *)value, (char *)"") != 0)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	return 0;
}

/* Escapes s as a label and sets it on obj. */
static int set_text(void *obj, Agsym_t *sym, const char *s)
{
	char *esc = xref_gv_escape(s, XREF_GV_LABEL);
	int err;

	if (!esc)
		return XREF_ENOMEM;
	err = xref_gv_xset(obj, sym, esc);
	free(esc);
	return err;
}

static int set_long(void *obj, Agsym_t *sym, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return xref_gv_xset(obj, sym, buf);
}

static int set_num(void *obj, Agsym_t *sym, double v)
{
	char buf[XREF_NUM_BUFSZ];

	/* NaN and infinities are left unset (the declared default ""). */
	if (!xref_style_num(buf, v))
		return 0;
	return xref_gv_xset(obj, sym, buf);
}

/* The node attributes, declared once so that each value is one agxset(). */
struct node_syms {
	Agsym_t *label, *type, *mentions, *documents, *shape, *fillcolor,
		*style;
	Agsym_t *metric[XREF_METRIC_COUNT]; /* NULL when nobody has it */
};

struct edge_syms {
	Agsym_t *weight, *documents, *penwidth, *first_seen, *last_seen;
};

static int declare(Agraph_t *g, const struct xref_node *nodes, size_t n,
		   struct node_syms *ns, struct edge_syms *es)
{
	int m;
	size_t i;

	/* label's default is Graphviz's own "\N", declared here so that
	 * the output does not depend on whether a GVC context (which sets
	 * it globally) was created earlier in the process. */
	ns->label = xref_gv_declare(g, AGNODE, "label", "\\N");
	ns->type = xref_gv_declare(g, AGNODE, "type", "");
	ns->mentions = xref_gv_declare(g, AGNODE, "mentions", "");
	ns->documents = xref_gv_declare(g, AGNODE, "documents", "");
	ns->shape = xref_gv_declare(g, AGNODE, "shape", "ellipse");
	ns->fillcolor = xref_gv_declare(g, AGNODE, "fillcolor", "");
	ns->style = xref_gv_declare(g, AGNODE, "style", "filled");
	if (!ns->label || !ns->type || !ns->mentions || !ns->documents ||
	    !ns->shape || !ns->fillcolor || !ns->style)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		ns->metric[m] = NULL;
		for (i = 0; i < n && !nodes[i].has_metric[m]; i++)
			;
		if (i == n)
			continue;
		ns->metric[m] = xref_gv_declare(g, AGNODE,
						xref_metric_name(m), "");
		if (!ns->metric[m])
			return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	es->weight = xref_gv_declare(g, AGEDGE, "weight", "1");
	es->documents = xref_gv_declare(g, AGEDGE, "documents", "");
	es->penwidth = xref_gv_declare(g, AGEDGE, "penwidth", "1");
	es->first_seen = xref_gv_declare(g, AGEDGE, "first_seen", "");
	es->last_seen = xref_gv_declare(g, AGEDGE, "last_seen", "");
	if (!es->weight || !es->documents || !es->penwidth ||
	    !es->first_seen || !es->last_seen)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	return 0;
}

static int add_node(Agnode_t **out, Agraph_t *g, const struct xref_node *v,
		    const struct node_syms *ns)
{
	const struct xref_type_style *st = xref_style_type(v->type);
	Agnode_t *n;
	int err = 0, m;

	/* agnode(..., 1) would silently return an existing node. */
	if (agnode(g, (char *)v->uid, 0))
		return xref_error_set(XREF_EDATA, "duplicate node id '%s'",
				      v->uid);
	n = agnode(g, (char *)v->uid, 1);
	if (!n)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	if ((err = set_text(n, ns->label, v->name)) ||
	    (err = xref_gv_xset(n, ns->type, xref_type_name(v->type))) ||
	    (err = set_long(n, ns->mentions, v->mentions)) ||
	    (err = set_long(n, ns->documents, v->documents)) ||
	    (err = xref_gv_xset(n, ns->shape, st->shape)) ||
	    (err = xref_gv_xset(n, ns->fillcolor, st->fill)))
		return err;
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (!ns->metric[m] || !v->has_metric[m])
			continue;
		if ((err = set_num(n, ns->metric[m], v->metric[m])))
			return err;
	}
	*out = n;
	return 0;
}

static int add_edge(Agedge_t **out, Agraph_t *g, const struct xref_edge *e,
		    Agnode_t *a, Agnode_t *b, const struct edge_syms *es)
{
	char buf[XREF_NUM_BUFSZ];
	Agedge_t *ed;
	int err = 0;

	ed = agedge(g, a, b, NULL, 1);
	if (!ed)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	xref_style_num(buf, xref_style_penwidth(e->weight));
	if ((err = set_long(ed, es->weight, e->weight)) ||
	    (err = set_long(ed, es->documents, e->documents)) ||
	    (err = xref_gv_xset(ed, es->penwidth, buf)))
		return err;
	if (e->first_seen && (err = set_text(ed, es->first_seen, e->first_seen)))
		return err;
	if (e->last_seen && (err = set_text(ed, es->last_seen, e->last_seen)))
		return err;
	*out = ed;
	return 0;
}

int xref_gv_build(struct xref_gv_graph *out, const struct xref_graph *g,
		  const char *title)
{
	struct xref_gv_graph gg = { NULL, NULL, NULL, 0, 0 };
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	struct node_syms ns = { 0 };
	struct edge_syms es = { 0 };
	size_t n, ne, i;
	int err = 0;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	gg.g = xref_gv_open("xref");
	gg.nodes = calloc(n ? n : 1, sizeof(*gg.nodes));
	gg.edges = calloc(ne ? ne : 1, sizeof(*gg.edges));
	if (!gg.g || !gg.nodes || !gg.edges) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	gg.n_nodes = n;
	gg.n_edges = ne;
	/* Graphviz splits long strings with backslash-newline at 128
	 * columns; whole lines are kinder to other DOT readers. */
	if ((err = xref_gv_set(gg.g, "linelength", "0")))
		goto out;
	if (title) {
		err = set_text(gg.g, agattr(gg.g, AGRAPH, (char *)"label",
					    (char *)""), title);
		if (err)
			goto out;
	}
	if ((err = declare(gg.g, nodes, n, &ns, &es)))
		goto out;
	for (i = 0; i < n; i++) {
		if ((err = add_node(&gg.nodes[i], gg.g, &nodes[i], &ns)))
			goto out;
	}
	for (i = 0; i < ne; i++) {
		if (edges[i].source >= n || edges[i].target >= n) {
			err = xref_error_set(XREF_EINVAL,
					     "edge %zu names no node", i);
			goto out;
		}
		err = add_edge(&gg.edges[i], gg.g, &edges[i],
			       gg.nodes[edges[i].source],
			       gg.nodes[edges[i].target], &es);
		if (err)
			goto out;
	}
	*out = gg;
	gg.g = NULL;
	gg.nodes = NULL;
	gg.edges = NULL;
out:
	xref_gv_graph_release(&gg);
	return err;
}

void xref_gv_graph_release(struct xref_gv_graph *gg)
{
	if (gg->g)
		agclose(gg->g);
	free(gg->nodes);
	free(gg->edges);
	gg->g = NULL;
	gg->nodes = NULL;
	gg->edges = NULL;
	gg->n_nodes = 0;
	gg->n_edges = 0;
}
