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
 * xref_export_layout() runs the same sfdp as the SVG map on the same cgraph
 * graph and reads the node centres back from Graphviz's layout data
 * (ND_coord), for the formats that carry positions (graphology, GEXF,
 * Cytoscape). Rejected: rendering to "dot" output and parsing the "pos"
 * attributes back (a round trip through text for numbers we already have).
 *
 * The escaping rules were measured on the installed Graphviz (2.42.2,
 * reporting itself as 2.43.0) and are pinned by tests/unit/test_export.c:
 * label "a\\b" renders "a\b" while tooltip needs "a\\\\b"; label "\\N"
 * renders "\N"; "&amp;" is passed through to SVG as an entity.
 */
#define _XOPEN_SOURCE 700 /* srand48() */

#include "export/gv.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvplugin.h>

#include "export/export.h"
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

/* True when s (at a '&', before end) starts what Graphviz's SVG writer
 * passes through as an entity reference: '&', then '#' and digits, '#x'
 * and hex digits, or letters, then ';' (including the empty "&;", which is
 * not valid XML). */
static bool starts_entity(const char *s, const char *end)
{
	s++;
	if (s < end && *s == '#') {
		s++;
		if (s < end && (*s == 'x' || *s == 'X')) {
			s++;
			while (s < end && ((*s >= '0' && *s <= '9') ||
					   (*s >= 'a' && *s <= 'f') ||
					   (*s >= 'A' && *s <= 'F')))
				s++;
		} else {
			while (s < end && *s >= '0' && *s <= '9')
				s++;
		}
	} else {
		while (s < end && ((*s >= 'a' && *s <= 'z') ||
				   (*s >= 'A' && *s <= 'Z')))
			s++;
	}
	return s < end && *s == ';';
}

int xref_gv_escape_append(struct xref_buf *b, struct xref_buf *scratch,
			  const char *s, enum xref_gv_text kind)
{
	size_t nbs = kind == XREF_GV_TOOLTIP ? 4 : 2, i;
	char *o;
	int err;

	xref_buf_clear(scratch);
	if ((err = xref_utf8_sanitize_append(scratch, s ? s : "",
					     s ? strlen(s) : 0)))
		return err;
	/* at most 5 bytes out per byte in ("&" -> "&amp;"; a backslash
	 * -> at most 4) */
	if (scratch->len > (SIZE_MAX - 1) / 5)
		return xref_error_set(XREF_ENOMEM, "string too long");
	if ((err = xref_buf_grow(b, scratch->len * 5)))
		return err;
	o = b->ptr + b->len;
	for (i = 0; i < scratch->len; i++) {
		const char *p = scratch->ptr + i;
		const char *end = scratch->ptr + scratch->len;

		if (*p == '\\') {
			memset(o, '\\', nbs);
			o += nbs;
		} else if (*p == '&' && starts_entity(p, end)) {
			memcpy(o, "&amp;", 5);
			o += 5;
		} else {
			*o++ = *p;
		}
	}
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

char *xref_gv_escape(const char *s, enum xref_gv_text kind)
{
	struct xref_buf b = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	char *out = NULL;

	if (xref_gv_escape_append(&b, &scratch, s, kind))
		goto out;
	out = xref_buf_detach(&b);
	if (!out)
		xref_error_set(XREF_ENOMEM, "out of memory");
out:
	xref_buf_release(&b);
	xref_buf_release(&scratch);
	return out;
}

int xref_gv_layout(GVC_t *gvc, Agraph_t *g, const char *engine)
{
	/* Graphviz's neato family draws from both libc generators and seeds
	 * only some of its uses from the graph's "start": without this, a
	 * layout depends on the layouts run before it in the process. */
	srand(1);
	srand48(1);
	return gvLayout(gvc, g, engine);
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
	Agsym_t *community; /* NULL when no node has one */
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
	ns->community = NULL;
	if (xref_style_has_community(nodes, n)) {
		ns->community = xref_gv_declare(g, AGNODE, "community", "");
		if (!ns->community)
			return xref_error_set(XREF_ENOMEM, "out of memory");
	}
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
	if (ns->community && v->community >= 0 &&
	    (err = set_long(n, ns->community, v->community)))
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

/* sfdp settings of the position layout; the same as the SVG map's (svg.c),
 * so that a graph exported with positions looks like its map. Overlap
 * removal (prism) is skipped above LAYOUT_PRISM_MAX nodes, where it costs
 * more than the layout itself and the picture is a cloud anyway. Above
 * LAYOUT_SFDP_MAX nodes (sfdp takes about 8 s for 20k nodes here, and
 * grows faster than linearly) nodes are placed on a sunflower spiral in
 * node order instead: O(V), deterministic, and enough for a viewer to open
 * the file and run its own layout. */
#define LAYOUT_PRISM_MAX 2000
#define LAYOUT_SFDP_MAX 20000

/* Above LAYOUT_EDGE_MAX edges sfdp follows only the LAYOUT_STRONGEST
 * strongest ties of each node (by weight, then edge order; a tie stays
 * when it is among the strongest of either end): at most
 * LAYOUT_STRONGEST * V edges, so the layout's cost follows the nodes and
 * not the ties, and the strong ties that shape the picture all stay. The
 * graph sfdp sees is then a lean one (node sizes and kept edges only).
 * Rejected: fewer iterations on all edges (every iteration still pays for
 * every edge, and a stopped layout is a worse picture). */
#define LAYOUT_EDGE_MAX 30000
#define LAYOUT_STRONGEST 8

/* Above LAYOUT_PRISM_MAX nodes, nodes without a tie stay out of sfdp and
 * are set in rows under its drawing, in node order (set_apart()). sfdp
 * lays out each connected component alone and then packs the components
 * with polyominoes, whose cost grows much faster than their number: on a
 * 9,600-node graph with 1,700 lone nodes, packing took 70% of the layout.
 * Rejected: packmode "array" (cheap, but it gives every lone node a cell
 * as large as the biggest component's row and column).
 * Above LAYOUT_PRISM_MAX nodes sfdp also uses its "fast" quadtree for the
 * repulsive forces, which halved the rest of that layout (31 s to 15 s)
 * for a coarser picture; "maxiter" changed nothing there. */
#define LAYOUT_APART_SPACING 40.0

/* Vogel's spiral: node i at radius ~ sqrt(i), turned by the golden angle,
 * spaced like the map's nodes (points). */
static void spiral(double *xy, size_t n)
{
	const double golden = 2.39996322972865332; /* pi (3 - sqrt 5) */
	size_t i;

	for (i = 0; i < n; i++) {
		double r = 40.0 * sqrt((double)i), a = golden * (double)i;

		xy[2 * i] = r * cos(a);
		xy[2 * i + 1] = r * sin(a);
	}
}

/* The edge indexes of g ordered by node, then weight (heaviest first),
 * then index: used to pick each node's strongest ties. */
static const struct xref_edge *sort_edges;

static int cmp_incident(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	const struct xref_edge *ea = &sort_edges[a[1]], *eb = &sort_edges[b[1]];

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (ea->weight != eb->weight)
		return ea->weight > eb->weight ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

/* A cgraph graph of g's nodes and, of its edges, those among the
 * LAYOUT_STRONGEST strongest of either end; gg->edges[i] is NULL for an
 * edge left out. O(E log E). */
static int build_lean(struct xref_gv_graph *gg, const struct xref_graph *g)
{
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	size_t n, ne, i, run = 0, *inc = NULL;
	bool *keep = NULL;
	int err = 0;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	gg->g = xref_gv_open("xref");
	gg->nodes = calloc(n ? n : 1, sizeof(*gg->nodes));
	gg->edges = calloc(ne ? ne : 1, sizeof(*gg->edges));
	keep = calloc(ne ? ne : 1, sizeof(*keep));
	if (ne > SIZE_MAX / 4 / sizeof(*inc)) {
		err = xref_error_set(XREF_ENOMEM, "graph too large");
		goto out;
	}
	inc = malloc((ne ? ne : 1) * 4 * sizeof(*inc));
	if (!gg->g || !gg->nodes || !gg->edges || !keep || !inc) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	gg->n_nodes = n;
	gg->n_edges = ne;
	/* (node, edge) pairs, two per edge */
	for (i = 0; i < ne; i++) {
		if (edges[i].source >= n || edges[i].target >= n) {
			err = xref_error_set(XREF_EINVAL,
					     "edge %zu names no node", i);
			goto out;
		}
		inc[4 * i] = edges[i].source;
		inc[4 * i + 1] = i;
		inc[4 * i + 2] = edges[i].target;
		inc[4 * i + 3] = i;
	}
	sort_edges = edges;
	qsort(inc, 2 * ne, 2 * sizeof(*inc), cmp_incident);
	for (i = 0; i < 2 * ne; i++) {
		run = i > 0 && inc[2 * i] == inc[2 * i - 2] ? run + 1 : 0;
		if (run < LAYOUT_STRONGEST)
			keep[inc[2 * i + 1]] = true;
	}
	for (i = 0; i < n; i++) {
		gg->nodes[i] = agnode(gg->g, (char *)nodes[i].uid, 1);
		if (!gg->nodes[i]) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < ne; i++) {
		if (!keep[i])
			continue;
		gg->edges[i] = agedge(gg->g, gg->nodes[edges[i].source],
				      gg->nodes[edges[i].target], NULL, 1);
		if (!gg->edges[i]) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	free(keep);
	free(inc);
	return err;
}

/* Marks the nodes of g without a tie; returns how many there are. */
static size_t lone_nodes(const struct xref_graph *g, bool *lone)
{
	const struct xref_edge *edges;
	size_t n, ne, i, k = 0;

	xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	for (i = 0; i < n; i++)
		lone[i] = true;
	for (i = 0; i < ne; i++) {
		lone[edges[i].source] = false;
		lone[edges[i].target] = false;
	}
	for (i = 0; i < n; i++)
		k += lone[i];
	return k;
}

/* Places the k lone nodes in rows of about sqrt(k), in node order, from
 * the lower left corner of the other nodes' box (xy of those already
 * set; the origin when there are none) downwards. O(V). */
static void set_apart(double *xy, const bool *lone, size_t n, size_t k)
{
	const double gap = LAYOUT_APART_SPACING;
	double x0 = 0.0, y0 = 0.0;
	size_t i, j = 0, cols = 1;
	bool any = false;

	while (cols * cols < k)
		cols++;
	for (i = 0; i < n; i++) {
		if (lone[i])
			continue;
		if (!any || xy[2 * i] < x0)
			x0 = xy[2 * i];
		if (!any || xy[2 * i + 1] < y0)
			y0 = xy[2 * i + 1];
		any = true;
	}
	if (any)
		y0 -= 2 * gap;
	for (i = 0; i < n; i++) {
		if (!lone[i])
			continue;
		xy[2 * i] = x0 + gap * (double)(j % cols);
		xy[2 * i + 1] = y0 - gap * (double)(j / cols);
		j++;
	}
}

static const char *const layout_attrs[][2] = {
	{ "splines", "false" },
	{ "start", "1" },
	{ "K", "0.6" },
	{ "repulsiveforce", "1.2" },
};

static int size_nodes(struct xref_gv_graph *gg, const struct xref_node *nodes,
		      size_t n, enum xref_metric m)
{
	double vmax = xref_style_metric_max(nodes, n, m), d;
	char buf[XREF_NUM_BUFSZ];
	size_t i;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		if (!gg->nodes[i])
			continue;
		d = XREF_STYLE_MIN_SIZE;
		if (nodes[i].has_metric[m])
			d += (XREF_STYLE_MAX_SIZE - XREF_STYLE_MIN_SIZE) *
			     xref_style_scale(nodes[i].metric[m], vmax);
		xref_style_num(buf, d);
		if ((err = xref_gv_set(gg->nodes[i], "fixedsize", "true")) ||
		    (err = xref_gv_set(gg->nodes[i], "width", buf)))
			break;
		err = xref_gv_set(gg->nodes[i], "height", buf);
	}
	return err;
}

int xref_export_layout(double **out, const struct xref_graph *g,
		       const struct xref_export_opts *opts)
{
	struct xref_gv_graph gg = { NULL, NULL, NULL, 0, 0 };
	struct xref_gv_capture cap;
	enum xref_metric m = opts ? opts->size_by : XREF_METRIC_DEGREE;
	GVC_t *gvc = NULL;
	bool laid_out = false;
	double *xy = NULL;
	bool *lone = NULL;
	size_t n, ne, i, n_lone = 0;
	int err = 0;

	*out = NULL;
	xref_gv_capture_begin(&cap);
	if ((unsigned)m >= XREF_METRIC_COUNT) {
		err = xref_error_set(XREF_EINVAL, "invalid size metric");
		goto out;
	}
	xref_graph_nodes(g, &n);
	if (n > (SIZE_MAX / sizeof(*xy)) / 2) {
		err = xref_error_set(XREF_ENOMEM, "graph too large");
		goto out;
	}
	xy = calloc(n ? 2 * n : 2, sizeof(*xy));
	if (!xy) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	if (n == 0)
		goto done;
	if (n > LAYOUT_SFDP_MAX) {
		spiral(xy, n);
		goto done;
	}
	if (!(gvc = xref_gv_context())) {
		err = XREF_ENOMEM;
		goto out;
	}
	xref_graph_edges(g, &ne);
	err = ne > LAYOUT_EDGE_MAX ? build_lean(&gg, g)
				   : xref_gv_build(&gg, g, NULL);
	if (err)
		goto out;
	if (n > LAYOUT_PRISM_MAX) {
		lone = calloc(n, sizeof(*lone));
		if (!lone) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
		n_lone = lone_nodes(g, lone);
		for (i = 0; n_lone && i < n; i++) {
			if (!lone[i])
				continue;
			agdelnode(gg.g, gg.nodes[i]);
			gg.nodes[i] = NULL;
		}
		if (n_lone == n) {
			set_apart(xy, lone, n, n_lone);
			goto done;
		}
	}
	for (i = 0; i < sizeof(layout_attrs) / sizeof(layout_attrs[0]); i++) {
		if ((err = xref_gv_set(gg.g, layout_attrs[i][0],
				       layout_attrs[i][1])))
			goto out;
	}
	if ((err = xref_gv_set(gg.g, "overlap",
			       n <= LAYOUT_PRISM_MAX ? "prism" : "true")) ||
	    (n > LAYOUT_PRISM_MAX &&
	     (err = xref_gv_set(gg.g, "quadtree", "fast"))) ||
	    (err = size_nodes(&gg, xref_graph_nodes(g, &n), n, m)))
		goto out;
	if (xref_gv_layout(gvc, gg.g, "sfdp") != 0) {
		err = xref_gv_fail("sfdp layout");
		goto out;
	}
	laid_out = true;
	for (i = 0; i < n; i++) {
		if (!gg.nodes[i])
			continue;
		xy[2 * i] = ND_coord(gg.nodes[i]).x;
		xy[2 * i + 1] = ND_coord(gg.nodes[i]).y;
	}
	if (n_lone)
		set_apart(xy, lone, n, n_lone);
done:
	*out = xy;
	xy = NULL;
out:
	if (laid_out)
		gvFreeLayout(gvc, gg.g);
	xref_gv_graph_release(&gg);
	if (gvc)
		gvFreeContext(gvc);
	xref_gv_capture_end(&cap);
	free(lone);
	free(xy);
	return err;
}
