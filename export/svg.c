/*
 * SVG output: the cgraph graph of gv.c, styled as a map, laid out with
 * sfdp and rendered by Graphviz's core SVG renderer, all in process.
 *
 * Node area follows opts->size_by (diameter ~ sqrt of the metric, between
 * a minimum that stays clickable and a maximum that does not swamp the
 * map); shape follows the type and colour the type or the community
 * (style.c); only the opts->labels
 * most central nodes carry a visible label, every node keeps its name as a
 * tooltip. fixedsize=shape draws the shape at exactly that size while
 * overlap removal (prism) still makes room for the label, so labels do not
 * pile up; with fixedsize=true long labels would overlap their neighbours.
 * Edges are light grey, width by log weight, drawn first so nodes sit on
 * top. sfdp is seeded (start=1) and needs no text-layout plugin (none is
 * linked in: Graphviz estimates text width from built-in metrics), so the
 * output is byte-identical from run to run and machine to machine.
 *
 * Scripts find things through synthetic ids and classes: node "n<uid>"
 * with class "node type-<type>", edge "e<source uid>-<target uid>" with
 * class "edge", legend "legend"; links and evidence live in the JSON. No
 * URL attribute is ever set: Graphviz writes URLs into xlink:href
 * unescaped and would pass "javascript:" through.
 *
 * The SVG is rendered into memory (gvRenderData) and written by us: when a
 * write to its output FILE* comes up short (disk full, closed pipe),
 * Graphviz 2.42 calls exit(1), and the library must never exit. The same
 * rendering is what the HTML map embeds (xref_svg_render()).
 *
 * The legend is one node with an HTML-like label built only from our own
 * fixed strings (type names, colours, community numbers), never from user
 * text. sfdp
 * cannot pin nodes or lay out clusters, so the legend is a separate
 * component placed by Graphviz's component packing, usually beside the
 * map. Rejected: a second "nop" layout pass to pin the legend under the
 * drawing (twice the layout work and a round trip of every position
 * through strings, for a cosmetic gain).
 */
#include "export/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/gv.h"
#include "export/svg.h"
#include "export/style.h"
#include "ingest/buf.h"
#include "ingest/status.h"

#define FONT "Helvetica,Arial,sans-serif"
#define MIN_SIZE XREF_STYLE_MIN_SIZE /* inches */
#define MAX_SIZE XREF_STYLE_MAX_SIZE
#define MIN_FONT 9.0   /* points */
#define MAX_FONT 16.0

/* Graph, node and edge attributes that do not depend on the data. */
static const char *const graph_attrs[][2] = {
	{ "overlap", "prism" },      /* supported by this sfdp build */
	{ "splines", "false" },      /* straight edges: fast, and enough */
	{ "outputorder", "edgesfirst" },
	{ "start", "1" },            /* fixed seed */
	{ "K", "0.6" },              /* ideal edge length (in), default 0.3 */
	{ "repulsiveforce", "1.2" },
	{ "bgcolor", "white" },
	{ "pad", "0.3" },
	{ "fontname", FONT },
	{ "fontsize", "18" },
	{ "labelloc", "t" },
};

static const char *const node_attrs[][2] = {
	{ "fontname", FONT },
	{ "color", "#333333" },
	{ "penwidth", "0.8" },
};

static const char *const edge_attrs[][2] = {
	{ "color", "#BDBDBD" },
};

static int set_defaults(Agraph_t *g)
{
	size_t i;

	for (i = 0; i < sizeof(graph_attrs) / sizeof(graph_attrs[0]); i++) {
		if (!xref_gv_declare(g, AGRAPH, graph_attrs[i][0],
				     graph_attrs[i][1]))
			goto fail;
	}
	for (i = 0; i < sizeof(node_attrs) / sizeof(node_attrs[0]); i++) {
		if (!xref_gv_declare(g, AGNODE, node_attrs[i][0],
				     node_attrs[i][1]))
			goto fail;
	}
	for (i = 0; i < sizeof(edge_attrs) / sizeof(edge_attrs[0]); i++) {
		if (!xref_gv_declare(g, AGEDGE, edge_attrs[i][0],
				     edge_attrs[i][1]))
			goto fail;
	}
	return 0;
fail:
	return xref_error_set(XREF_ENOMEM, "out of memory");
}

static int set_num(void *obj, const char *name, double v)
{
	char buf[XREF_NUM_BUFSZ];

	xref_style_num(buf, v);
	return xref_gv_set(obj, name, buf);
}

static int style_node(Agnode_t *n, const struct xref_node *v, double s,
		      bool labelled, enum xref_color color)
{
	char buf[64];
	char *tip = NULL;
	int err;

	/* gv.c set the escaped name as label; unlabelled nodes show none. */
	if (!labelled && (err = xref_gv_set(n, "label", "")))
		goto out;
	/* gv.c filled it by type */
	if (color == XREF_COLOR_COMMUNITY &&
	    (err = xref_gv_set(n, "fillcolor",
			       xref_style_community(v->community))))
		goto out;
	tip = xref_gv_escape(v->name, XREF_GV_TOOLTIP);
	if (!tip) {
		err = XREF_ENOMEM;
		goto out;
	}
	snprintf(buf, sizeof(buf), "n%s", v->uid);
	if ((err = xref_gv_set(n, "id", buf)) ||
	    (err = xref_gv_set(n, "tooltip", tip)))
		goto out;
	/* Graphviz prepends "node" itself: class="node type-person". */
	snprintf(buf, sizeof(buf), "type-%s", xref_type_name(v->type));
	if ((err = xref_gv_set(n, "class", buf)) ||
	    (err = xref_gv_set(n, "fixedsize", "shape")) ||
	    (err = set_num(n, "width", MIN_SIZE + (MAX_SIZE - MIN_SIZE) * s)) ||
	    (err = set_num(n, "height", MIN_SIZE + (MAX_SIZE - MIN_SIZE) * s)))
		goto out;
	if (labelled)
		err = set_num(n, "fontsize",
			      MIN_FONT + (MAX_FONT - MIN_FONT) * s);
out:
	free(tip);
	return err;
}

/* The legend's HTML-like label, from fixed strings only. By type: a
 * swatch in the type's colour and the type's name and shape, for the types
 * present. By community: the types' shapes without colour, then a swatch
 * per community present (the first eight by number, then "others" and
 * "unknown"). */
static int legend_label(struct xref_buf *b, const bool present[],
			const bool community[], enum xref_color color)
{
	int err = 0, t, c;

	err = xref_buf_puts(b, "<TABLE BORDER=\"1\" COLOR=\"#999999\" "
			       "CELLBORDER=\"0\" CELLSPACING=\"2\" "
			       "CELLPADDING=\"3\" BGCOLOR=\"white\">"
			       "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">"
			       "<B>type (shape)</B></TD></TR>");
	for (t = 0; !err && t < XREF_TYPE_COUNT; t++) {
		const struct xref_type_style *st = xref_style_type(t);

		if (!present[t])
			continue;
		err = xref_buf_printf(b,
				      "<TR><TD WIDTH=\"14\" HEIGHT=\"14\" "
				      "FIXEDSIZE=\"TRUE\" BGCOLOR=\"%s\"></TD>"
				      "<TD ALIGN=\"LEFT\">%s (%s)</TD></TR>",
				      color == XREF_COLOR_TYPE ? st->fill
							       : "white",
				      xref_type_name(t), st->shape);
	}
	if (!err && color == XREF_COLOR_COMMUNITY)
		err = xref_buf_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">"
				       "<B>community (colour)</B></TD></TR>");
	for (c = 0; !err && color == XREF_COLOR_COMMUNITY &&
		    c < XREF_STYLE_COMMUNITY_COLORS + 2;
	     c++) {
		long id = c <= XREF_STYLE_COMMUNITY_COLORS ? c : -1;
		char name[32];

		if (!community[c])
			continue;
		if (c < XREF_STYLE_COMMUNITY_COLORS)
			snprintf(name, sizeof(name), "%d", c);
		else
			snprintf(name, sizeof(name), "%s",
				 id < 0 ? "unknown" : "others");
		err = xref_buf_printf(b,
				      "<TR><TD WIDTH=\"14\" HEIGHT=\"14\" "
				      "FIXEDSIZE=\"TRUE\" BGCOLOR=\"%s\"></TD>"
				      "<TD ALIGN=\"LEFT\">%s</TD></TR>",
				      xref_style_community(id), name);
	}
	if (!err)
		err = xref_buf_puts(b, "</TABLE>");
	return err;
}

static int add_legend(Agraph_t *g, const struct xref_node *nodes, size_t n,
		      enum xref_color color)
{
	struct xref_buf b = XREF_BUF_INIT;
	bool present[XREF_TYPE_COUNT] = { false };
	/* communities 0..7, then "others", then "unknown" */
	bool community[XREF_STYLE_COMMUNITY_COLORS + 2] = { false };
	char *html = NULL;
	Agnode_t *leg;
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		long c = nodes[i].community;

		if ((unsigned)nodes[i].type < XREF_TYPE_COUNT)
			present[nodes[i].type] = true;
		if (c < 0)
			community[XREF_STYLE_COMMUNITY_COLORS + 1] = true;
		else if (c >= XREF_STYLE_COMMUNITY_COLORS)
			community[XREF_STYLE_COMMUNITY_COLORS] = true;
		else
			community[c] = true;
	}
	if ((err = legend_label(&b, present, community, color)))
		goto out;
	/* Not a uid (16 hex digits), so it cannot collide with a node. */
	leg = agnode(g, (char *)"legend", 1);
	html = agstrdup_html(g, b.ptr);
	if (!leg || !html) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	if ((err = xref_gv_set(leg, "label", html)) ||
	    (err = xref_gv_set(leg, "id", "legend")) ||
	    (err = xref_gv_set(leg, "class", "legend")) ||
	    (err = xref_gv_set(leg, "shape", "plain")) ||
	    (err = xref_gv_set(leg, "style", "")) ||
	    (err = xref_gv_set(leg, "fontsize", "10")))
		goto out;
out:
	if (html)
		agstrfree(g, html);
	xref_buf_release(&b);
	return err;
}

/* Marks the `k` highest-ranked nodes for a label (all when k is 0). */
static int pick_labels(bool **out, const struct xref_graph *g, size_t n,
		       enum xref_metric m, size_t k)
{
	size_t *order = NULL, i;
	bool *lab = NULL;
	int err = 0;

	lab = calloc(n ? n : 1, sizeof(*lab));
	if (!lab) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	if (k == 0 || k >= n) {
		for (i = 0; i < n; i++)
			lab[i] = true;
	} else {
		if ((err = xref_graph_rank(&order, g, m)))
			goto out;
		for (i = 0; i < k; i++)
			lab[order[i]] = true;
	}
	*out = lab;
	lab = NULL;
out:
	free(order);
	free(lab);
	return err;
}

int xref_svg_render(struct xref_buf *out, const struct xref_graph *g,
		    const struct xref_export_opts *opts, enum xref_color color)
{
	static const struct xref_export_opts defaults = {
		XREF_METRIC_DEGREE, 0, NULL
	};
	struct xref_gv_graph gg = { NULL, NULL, NULL, 0, 0 };
	struct xref_gv_capture cap;
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	enum xref_metric m;
	GVC_t *gvc = NULL;
	bool *labelled = NULL, laid_out = false;
	double vmax = 0.0;
	char id[64], *svg = NULL;
	unsigned int svg_len = 0;
	size_t n, ne, i;
	int err = 0;

	xref_gv_capture_begin(&cap);
	if (!opts)
		opts = &defaults;
	m = opts->size_by;
	if ((unsigned)m >= XREF_METRIC_COUNT) {
		err = xref_error_set(XREF_EINVAL, "invalid size metric");
		goto out;
	}
	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	for (i = 0; i < n; i++) {
		if (!nodes[i].has_metric[m]) {
			err = xref_error_set(XREF_EINVAL,
					     "metric '%s' is not computed",
					     xref_metric_name(m));
			goto out;
		}
		if (isfinite(nodes[i].metric[m]) && nodes[i].metric[m] > vmax)
			vmax = nodes[i].metric[m];
	}
	if ((err = pick_labels(&labelled, g, n, m, opts->labels)))
		goto out;
	if (!(gvc = xref_gv_context())) {
		err = XREF_ENOMEM;
		goto out;
	}
	if ((err = xref_gv_build(&gg, g, opts->title)) ||
	    (err = set_defaults(gg.g)))
		goto out;
	for (i = 0; i < n; i++) {
		err = style_node(gg.nodes[i], &nodes[i],
				 xref_style_scale(nodes[i].metric[m], vmax),
				 labelled[i], color);
		if (err)
			goto out;
	}
	for (i = 0; i < ne; i++) {
		snprintf(id, sizeof(id), "e%s-%s", nodes[edges[i].source].uid,
			 nodes[edges[i].target].uid);
		if ((err = xref_gv_set(gg.edges[i], "id", id)))
			goto out;
	}
	if ((err = add_legend(gg.g, nodes, n, color)))
		goto out;
	if (xref_gv_layout(gvc, gg.g, "sfdp") != 0) {
		err = xref_gv_fail("sfdp layout");
		goto out;
	}
	laid_out = true;
	/* Into memory, then out ourselves: on a short write to a FILE*,
	 * Graphviz calls exit(1). */
	if (gvRenderData(gvc, gg.g, "svg", &svg, &svg_len) != 0 || !svg) {
		err = xref_gv_fail("svg rendering");
		goto out;
	}
	err = xref_buf_put(out, svg, svg_len);
out:
	if (svg)
		gvFreeRenderData(svg);
	if (laid_out)
		gvFreeLayout(gvc, gg.g);
	xref_gv_graph_release(&gg);
	if (gvc)
		gvFreeContext(gvc);
	xref_gv_capture_end(&cap);
	free(labelled);
	return err;
}

int xref_export_svg_ex(const struct xref_graph *g,
		       const struct xref_export_opts *opts,
		       const struct xref_export_ex *ex, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	err = xref_svg_render(&b, g, opts, ex ? ex->color : XREF_COLOR_TYPE);
	if (!err) {
		fwrite(b.ptr, 1, b.len, out);
		err = xref_export_check_write(out);
	}
	xref_buf_release(&b);
	return err;
}

int xref_export_svg(const struct xref_graph *g,
		    const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_svg_ex(g, opts, NULL, out);
}
