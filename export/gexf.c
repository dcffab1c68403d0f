/*
 * GEXF 1.3 output (Gephi, graphology-gexf), with attributes and the viz
 * module's colour, size and position.
 *
 * Written by hand like GraphML (graphml.c): a fixed vocabulary, every
 * document string sanitised and escaped (xref_emit_xml()), everything
 * through one buffer (struct xref_textw). The file validates against the
 * GEXF 1.3 RELAX NG schema; the 1.3 XSD cannot be used because it rejects
 * viz elements, so no xsi:schemaLocation is written. Attribute ids are the
 * attribute names (valid ids, and readable in files). Numbers use the one
 * "%.6g" formatter, which writes valid xs:float and xs:double lexical
 * forms; an absent metric gets no attvalue. Positions come from the
 * shared sfdp layout, sizes and colours from style.c, so Gephi opens the
 * graph looking like the SVG map. No lastmodifieddate: output must not
 * depend on the day it was written. Rejected: GEXF 1.2draft, which
 * networkx 2.8 reads but which Gephi and graphology treat as the older
 * format (1.3 is what Gephi writes today).
 */
#include "export/export.h"

#include <stdbool.h>
#include <stdlib.h>

#include "export/emit.h"
#include "export/style.h"
#include "ingest/status.h"

static void put_attr_decl(struct xref_textw *w, const char *name,
			  const char *type)
{
	XREF_TEXTW_LIT(w, "      <attribute id=\"");
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" title=\"");
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" type=\"");
	xref_textw_puts(w, type);
	XREF_TEXTW_LIT(w, "\"/>\n");
}

/* <attvalue for="name" value="..."/> with the value as it is. */
static void put_value(struct xref_textw *w, const char *name, const char *v)
{
	XREF_TEXTW_LIT(w, "          <attvalue for=\"");
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" value=\"");
	xref_textw_puts(w, v);
	XREF_TEXTW_LIT(w, "\"/>\n");
}

static void put_long_value(struct xref_textw *w, const char *name, long v)
{
	XREF_TEXTW_LIT(w, "          <attvalue for=\"");
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" value=\"");
	xref_textw_long(w, v);
	XREF_TEXTW_LIT(w, "\"/>\n");
}

static void put_num_value(struct xref_textw *w, const char *name, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (xref_style_num(buf, v))
		put_value(w, name, buf);
}

static void put_node(struct xref_textw *w, const struct xref_node *v,
		     const double *xy, double size, enum xref_color color)
{
	char x[XREF_NUM_BUFSZ], y[XREF_NUM_BUFSZ], sz[XREF_NUM_BUFSZ];
	unsigned char rgb[3] = { 0xDD, 0xDD, 0xDD };
	size_t i;
	int m;

	XREF_TEXTW_LIT(w, "      <node id=\"");
	xref_textw_puts(w, v->uid);
	XREF_TEXTW_LIT(w, "\" label=\"");
	xref_textw_xml(w, v->name ? v->name : "");
	XREF_TEXTW_LIT(w, "\">\n        <attvalues>\n");
	put_value(w, "type", xref_type_name(v->type));
	XREF_TEXTW_LIT(w, "          <attvalue for=\"aliases\" value=\"");
	for (i = 0; i < v->n_aliases; i++) {
		if (i)
			XREF_TEXTW_LIT(w, "|");
		xref_textw_xml(w, v->aliases[i]);
	}
	XREF_TEXTW_LIT(w, "\"/>\n");
	put_long_value(w, "mentions", v->mentions);
	put_long_value(w, "documents", v->documents);
	if (v->community >= 0)
		put_long_value(w, "community", v->community);
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m])
			put_num_value(w, xref_metric_name(m), v->metric[m]);
	}
	XREF_TEXTW_LIT(w, "        </attvalues>\n");
	xref_style_rgb(xref_style_fill(v, color), rgb);
	XREF_TEXTW_LIT(w, "        <viz:color r=\"");
	xref_textw_ulong(w, rgb[0]);
	XREF_TEXTW_LIT(w, "\" g=\"");
	xref_textw_ulong(w, rgb[1]);
	XREF_TEXTW_LIT(w, "\" b=\"");
	xref_textw_ulong(w, rgb[2]);
	XREF_TEXTW_LIT(w, "\"/>\n");
	/* a layout never yields NaN; 0 keeps the file valid if it did */
	if (!xref_style_num(x, xy[0]))
		snprintf(x, sizeof(x), "0");
	if (!xref_style_num(y, xy[1]))
		snprintf(y, sizeof(y), "0");
	xref_style_num(sz, size);
	XREF_TEXTW_LIT(w, "        <viz:size value=\"");
	xref_textw_puts(w, sz);
	XREF_TEXTW_LIT(w, "\"/>\n        <viz:position x=\"");
	xref_textw_puts(w, x);
	XREF_TEXTW_LIT(w, "\" y=\"");
	xref_textw_puts(w, y);
	XREF_TEXTW_LIT(w, "\" z=\"0\"/>\n      </node>\n");
}

static void put_edge(struct xref_textw *w, const struct xref_edge *e,
		     const struct xref_node *nodes, struct xref_pen_cache *pen)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	char pw[XREF_NUM_BUFSZ];

	XREF_TEXTW_LIT(w, "      <edge id=\"e");
	xref_textw_puts(w, a);
	XREF_TEXTW_LIT(w, "-");
	xref_textw_puts(w, b);
	XREF_TEXTW_LIT(w, "\" source=\"");
	xref_textw_puts(w, a);
	XREF_TEXTW_LIT(w, "\" target=\"");
	xref_textw_puts(w, b);
	XREF_TEXTW_LIT(w, "\" weight=\"");
	xref_textw_long(w, e->weight);
	XREF_TEXTW_LIT(w, "\">\n        <attvalues>\n");
	put_long_value(w, "documents", e->documents);
	if (e->first_seen) {
		XREF_TEXTW_LIT(w, "          <attvalue for=\"first_seen\" "
				  "value=\"");
		xref_textw_xml(w, e->first_seen);
		XREF_TEXTW_LIT(w, "\"/>\n");
	}
	if (e->last_seen) {
		XREF_TEXTW_LIT(w, "          <attvalue for=\"last_seen\" "
				  "value=\"");
		xref_textw_xml(w, e->last_seen);
		XREF_TEXTW_LIT(w, "\"/>\n");
	}
	XREF_TEXTW_LIT(w, "        </attvalues>\n");
	XREF_TEXTW_LIT(w, "        <viz:thickness value=\"");
	xref_textw_puts(w, xref_style_penwidth_text(pen, e->weight, pw));
	XREF_TEXTW_LIT(w, "\"/>\n      </edge>\n");
}

int xref_export_gexf_ex(const struct xref_graph *g,
			const struct xref_export_opts *opts,
			const struct xref_export_ex *ex, FILE *out)
{
	enum xref_color color = ex ? ex->color : XREF_COLOR_TYPE;
	const double *xy = ex ? ex->xy : NULL;
	enum xref_metric sm = opts ? opts->size_by : XREF_METRIC_DEGREE;
	const char *title = opts ? opts->title : NULL;
	bool has[XREF_METRIC_COUNT] = { false };
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	double *own = NULL, vmax;
	struct xref_pen_cache *pen = NULL;
	struct xref_textw w;
	size_t n, ne, i;
	int err = 0, m;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if ((err = xref_export_check_edges(g)))
		goto out;
	if (!xy) {
		if ((err = xref_export_layout(&own, g, opts)))
			goto out;
		xy = own;
	}
	pen = calloc(1, sizeof(*pen));
	if (!pen) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	vmax = xref_style_metric_max(nodes, n, sm);
	for (i = 0; i < n; i++)
		for (m = 0; m < XREF_METRIC_COUNT; m++)
			has[m] = has[m] || nodes[i].has_metric[m];

	xref_textw_init(&w, out);
	XREF_TEXTW_LIT(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<gexf xmlns=\"http://gexf.net/1.3\" "
			   "xmlns:viz=\"http://gexf.net/1.3/viz\" "
			   "version=\"1.3\">\n"
			   "  <meta>\n    <creator>xref</creator>\n");
	if (title) {
		XREF_TEXTW_LIT(&w, "    <description>");
		xref_textw_xml(&w, title);
		XREF_TEXTW_LIT(&w, "</description>\n");
	}
	XREF_TEXTW_LIT(&w, "  </meta>\n"
			   "  <graph defaultedgetype=\"undirected\" "
			   "mode=\"static\">\n"
			   "    <attributes class=\"node\" mode=\"static\">\n");
	put_attr_decl(&w, "type", "string");
	put_attr_decl(&w, "aliases", "string");
	put_attr_decl(&w, "mentions", "integer");
	put_attr_decl(&w, "documents", "integer");
	if (xref_style_has_community(nodes, n))
		put_attr_decl(&w, "community", "integer");
	for (m = 0; m < XREF_METRIC_COUNT; m++)
		if (has[m])
			put_attr_decl(&w, xref_metric_name(m), "double");
	XREF_TEXTW_LIT(&w, "    </attributes>\n"
			   "    <attributes class=\"edge\" mode=\"static\">\n");
	put_attr_decl(&w, "documents", "integer");
	put_attr_decl(&w, "first_seen", "string");
	put_attr_decl(&w, "last_seen", "string");
	XREF_TEXTW_LIT(&w, "    </attributes>\n    <nodes count=\"");
	xref_textw_ulong(&w, n);
	XREF_TEXTW_LIT(&w, "\">\n");
	for (i = 0; i < n; i++) {
		put_node(&w, &nodes[i], &xy[2 * i],
			 xref_style_radius(&nodes[i], sm, vmax), color);
		xref_textw_drain(&w);
	}
	XREF_TEXTW_LIT(&w, "    </nodes>\n    <edges count=\"");
	xref_textw_ulong(&w, ne);
	XREF_TEXTW_LIT(&w, "\">\n");
	for (i = 0; i < ne; i++) {
		put_edge(&w, &edges[i], nodes, pen);
		xref_textw_drain(&w);
	}
	XREF_TEXTW_LIT(&w, "    </edges>\n  </graph>\n</gexf>\n");
	err = xref_textw_finish(&w);
out:
	free(pen);
	free(own);
	return err;
}

int xref_export_gexf(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_gexf_ex(g, opts, NULL, out);
}
