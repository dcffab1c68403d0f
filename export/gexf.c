/*
 * GEXF 1.3 output (Gephi, graphology-gexf), with attributes and the viz
 * module's colour, size and position.
 *
 * Written by hand like GraphML (graphml.c): a fixed vocabulary, every
 * document string through xref_xml_put(). The file validates against the
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

#include "export/style.h"
#include "export/xml.h"
#include "ingest/status.h"

static void put_attr_decl(FILE *out, const char *name, const char *type)
{
	fprintf(out,
		"      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n",
		name, name, type);
}

static void put_num_value(FILE *out, const char *name, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (xref_style_num(buf, v))
		fprintf(out, "          <attvalue for=\"%s\" value=\"%s\"/>\n",
			name, buf);
}

static int put_node(FILE *out, const struct xref_node *v, const double *xy,
		    double size, enum xref_color color)
{
	char x[XREF_NUM_BUFSZ], y[XREF_NUM_BUFSZ], sz[XREF_NUM_BUFSZ];
	unsigned char rgb[3] = { 0xDD, 0xDD, 0xDD };
	size_t i;
	int err, m;

	fprintf(out, "      <node id=\"%s\" label=\"", v->uid);
	if ((err = xref_xml_put(out, v->name ? v->name : "")))
		return err;
	fputs("\">\n        <attvalues>\n", out);
	fprintf(out, "          <attvalue for=\"type\" value=\"%s\"/>\n",
		xref_type_name(v->type));
	fputs("          <attvalue for=\"aliases\" value=\"", out);
	for (i = 0; i < v->n_aliases; i++) {
		if (i)
			fputc('|', out);
		if ((err = xref_xml_put(out, v->aliases[i])))
			return err;
	}
	fputs("\"/>\n", out);
	fprintf(out, "          <attvalue for=\"mentions\" value=\"%ld\"/>\n",
		v->mentions);
	fprintf(out, "          <attvalue for=\"documents\" value=\"%ld\"/>\n",
		v->documents);
	if (v->community >= 0)
		fprintf(out,
			"          <attvalue for=\"community\" value=\"%ld\"/>\n",
			v->community);
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m])
			put_num_value(out, xref_metric_name(m), v->metric[m]);
	}
	fputs("        </attvalues>\n", out);
	xref_style_rgb(xref_style_fill(v, color), rgb);
	fprintf(out, "        <viz:color r=\"%u\" g=\"%u\" b=\"%u\"/>\n",
		rgb[0], rgb[1], rgb[2]);
	/* a layout never yields NaN; 0 keeps the file valid if it did */
	if (!xref_style_num(x, xy[0]))
		snprintf(x, sizeof(x), "0");
	if (!xref_style_num(y, xy[1]))
		snprintf(y, sizeof(y), "0");
	xref_style_num(sz, size);
	fprintf(out, "        <viz:size value=\"%s\"/>\n", sz);
	fprintf(out, "        <viz:position x=\"%s\" y=\"%s\" z=\"0\"/>\n", x,
		y);
	fputs("      </node>\n", out);
	return 0;
}

static int put_edge(FILE *out, const struct xref_edge *e,
		    const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	char w[XREF_NUM_BUFSZ];
	int err = 0;

	fprintf(out,
		"      <edge id=\"e%s-%s\" source=\"%s\" target=\"%s\" "
		"weight=\"%ld\">\n        <attvalues>\n",
		a, b, a, b, e->weight);
	fprintf(out, "          <attvalue for=\"documents\" value=\"%ld\"/>\n",
		e->documents);
	if (e->first_seen) {
		fputs("          <attvalue for=\"first_seen\" value=\"", out);
		err = xref_xml_put(out, e->first_seen);
		fputs("\"/>\n", out);
	}
	if (!err && e->last_seen) {
		fputs("          <attvalue for=\"last_seen\" value=\"", out);
		err = xref_xml_put(out, e->last_seen);
		fputs("\"/>\n", out);
	}
	if (err)
		return err;
	fputs("        </attvalues>\n", out);
	xref_style_num(w, xref_style_penwidth(e->weight));
	fprintf(out, "        <viz:thickness value=\"%s\"/>\n", w);
	fputs("      </edge>\n", out);
	return 0;
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
	vmax = xref_style_metric_max(nodes, n, sm);
	for (i = 0; i < n; i++)
		for (m = 0; m < XREF_METRIC_COUNT; m++)
			has[m] = has[m] || nodes[i].has_metric[m];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<gexf xmlns=\"http://gexf.net/1.3\" "
	      "xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n"
	      "  <meta>\n    <creator>xref</creator>\n",
	      out);
	if (title) {
		fputs("    <description>", out);
		if ((err = xref_xml_put(out, title)))
			goto out;
		fputs("</description>\n", out);
	}
	fputs("  </meta>\n"
	      "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n"
	      "    <attributes class=\"node\" mode=\"static\">\n",
	      out);
	put_attr_decl(out, "type", "string");
	put_attr_decl(out, "aliases", "string");
	put_attr_decl(out, "mentions", "integer");
	put_attr_decl(out, "documents", "integer");
	if (xref_style_has_community(nodes, n))
		put_attr_decl(out, "community", "integer");
	for (m = 0; m < XREF_METRIC_COUNT; m++)
		if (has[m])
			put_attr_decl(out, xref_metric_name(m), "double");
	fputs("    </attributes>\n"
	      "    <attributes class=\"edge\" mode=\"static\">\n",
	      out);
	put_attr_decl(out, "documents", "integer");
	put_attr_decl(out, "first_seen", "string");
	put_attr_decl(out, "last_seen", "string");
	fprintf(out, "    </attributes>\n    <nodes count=\"%zu\">\n", n);
	for (i = 0; i < n; i++) {
		err = put_node(out, &nodes[i], &xy[2 * i],
			       xref_style_radius(&nodes[i], sm, vmax), color);
		if (err)
			goto out;
	}
	fprintf(out, "    </nodes>\n    <edges count=\"%zu\">\n", ne);
	for (i = 0; i < ne; i++)
		if ((err = put_edge(out, &edges[i], nodes)))
			goto out;
	fputs("    </edges>\n  </graph>\n</gexf>\n", out);
	err = xref_export_check_write(out);
out:
	free(own);
	return err;
}

int xref_export_gexf(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_gexf_ex(g, opts, NULL, out);
}
