/*
 * GraphML output (networkx, Gephi, yEd, igraph, Cytoscape desktop).
 *
 * Written by hand: GraphML is a small, fixed vocabulary, and every value
 * that comes from a document is sanitised, then escaped (xref_emit_xml(),
 * the escaping of every XML text we write). The text goes through one
 * buffer written every megabyte (struct xref_textw) rather than an
 * fprintf() per field, which cost more than the rest of the writer on
 * large graphs. Key ids carry a prefix (g_, n_, e_) because nodes and
 * edges both have "documents" and key ids share one namespace; attr.name
 * is the plain name, which is what readers show. Every name is
 * an NMTOKEN (letters, digits, '_'), as Gephi requires. Types follow the
 * values: counts are int, metrics double (even degree: it is stored as a
 * double, and "%.6g" of a large count is not a valid int), text string.
 * A metric is declared only when some node has it, and an absent value
 * (NaN, an undated edge) gets no <data> element, so readers see "missing"
 * rather than a made-up 0. Rejected: libxml2's writer (a dependency for
 * quoting we can do in twenty lines) and the xsi:schemaLocation header
 * (it names a URL that a validating reader might fetch).
 */
#include "export/export.h"

#include <stdbool.h>
#include <stdlib.h>

#include "export/emit.h"
#include "export/style.h"
#include "ingest/status.h"

static void put_key(struct xref_textw *w, const char *prefix,
		    const char *for_, const char *name, const char *type)
{
	XREF_TEXTW_LIT(w, "  <key id=\"");
	xref_textw_puts(w, prefix);
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" for=\"");
	xref_textw_puts(w, for_);
	XREF_TEXTW_LIT(w, "\" attr.name=\"");
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\" attr.type=\"");
	xref_textw_puts(w, type);
	XREF_TEXTW_LIT(w, "\"/>\n");
}

/* <data key="key">...</data> around s, nothing when s is NULL. */
static void put_text_data(struct xref_textw *w, const char *key,
			  const char *s)
{
	if (!s)
		return;
	XREF_TEXTW_LIT(w, "      <data key=\"");
	xref_textw_puts(w, key);
	XREF_TEXTW_LIT(w, "\">");
	xref_textw_xml(w, s);
	XREF_TEXTW_LIT(w, "</data>\n");
}

static void put_long_data(struct xref_textw *w, const char *key, long v)
{
	XREF_TEXTW_LIT(w, "      <data key=\"");
	xref_textw_puts(w, key);
	XREF_TEXTW_LIT(w, "\">");
	xref_textw_long(w, v);
	XREF_TEXTW_LIT(w, "</data>\n");
}

static void put_num_data(struct xref_textw *w, const char *prefix,
			 const char *name, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (!xref_style_num(buf, v))
		return;
	XREF_TEXTW_LIT(w, "      <data key=\"");
	xref_textw_puts(w, prefix);
	xref_textw_puts(w, name);
	XREF_TEXTW_LIT(w, "\">");
	xref_textw_puts(w, buf);
	XREF_TEXTW_LIT(w, "</data>\n");
}

static void put_node(struct xref_textw *w, const struct xref_node *v)
{
	size_t i;
	int m;

	XREF_TEXTW_LIT(w, "    <node id=\"");
	xref_textw_puts(w, v->uid);
	XREF_TEXTW_LIT(w, "\">\n");
	put_text_data(w, "n_label", v->name ? v->name : "");
	put_text_data(w, "n_type", xref_type_name(v->type));
	XREF_TEXTW_LIT(w, "      <data key=\"n_aliases\">");
	for (i = 0; i < v->n_aliases; i++) {
		if (i)
			XREF_TEXTW_LIT(w, "|");
		xref_textw_xml(w, v->aliases[i]);
	}
	XREF_TEXTW_LIT(w, "</data>\n");
	put_long_data(w, "n_mentions", v->mentions);
	put_long_data(w, "n_documents", v->documents);
	if (v->community >= 0)
		put_long_data(w, "n_community", v->community);
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m])
			put_num_data(w, "n_", xref_metric_name(m),
				     v->metric[m]);
	}
	XREF_TEXTW_LIT(w, "    </node>\n");
}

static void put_edge(struct xref_textw *w, const struct xref_edge *e,
		     const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;

	XREF_TEXTW_LIT(w, "    <edge id=\"e");
	xref_textw_puts(w, a);
	XREF_TEXTW_LIT(w, "-");
	xref_textw_puts(w, b);
	XREF_TEXTW_LIT(w, "\" source=\"");
	xref_textw_puts(w, a);
	XREF_TEXTW_LIT(w, "\" target=\"");
	xref_textw_puts(w, b);
	XREF_TEXTW_LIT(w, "\">\n");
	put_long_data(w, "e_weight", e->weight);
	put_long_data(w, "e_documents", e->documents);
	put_text_data(w, "e_first_seen", e->first_seen);
	put_text_data(w, "e_last_seen", e->last_seen);
	XREF_TEXTW_LIT(w, "    </edge>\n");
}

int xref_export_graphml(const struct xref_graph *g,
			const struct xref_export_opts *opts, FILE *out)
{
	bool has[XREF_METRIC_COUNT] = { false };
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const char *title = opts ? opts->title : NULL;
	struct xref_textw w;
	size_t n, ne, i;
	int err = 0, m;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if ((err = xref_export_check_edges(g)))
		goto out;
	for (i = 0; i < n; i++)
		for (m = 0; m < XREF_METRIC_COUNT; m++)
			has[m] = has[m] || nodes[i].has_metric[m];

	xref_textw_init(&w, out);
	XREF_TEXTW_LIT(&w,
		       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<graphml xmlns=\"http://graphml.graphdrawing.org/"
		       "xmlns\">\n");
	put_key(&w, "g_", "graph", "name", "string");
	put_key(&w, "n_", "node", "label", "string");
	put_key(&w, "n_", "node", "type", "string");
	put_key(&w, "n_", "node", "aliases", "string");
	put_key(&w, "n_", "node", "mentions", "int");
	put_key(&w, "n_", "node", "documents", "int");
	if (xref_style_has_community(nodes, n))
		put_key(&w, "n_", "node", "community", "int");
	for (m = 0; m < XREF_METRIC_COUNT; m++)
		if (has[m])
			put_key(&w, "n_", "node", xref_metric_name(m),
				"double");
	put_key(&w, "e_", "edge", "weight", "int");
	put_key(&w, "e_", "edge", "documents", "int");
	put_key(&w, "e_", "edge", "first_seen", "string");
	put_key(&w, "e_", "edge", "last_seen", "string");
	XREF_TEXTW_LIT(&w,
		       "  <graph id=\"xref\" edgedefault=\"undirected\">\n");
	if (title) {
		XREF_TEXTW_LIT(&w, "    <data key=\"g_name\">");
		xref_textw_xml(&w, title);
		XREF_TEXTW_LIT(&w, "</data>\n");
	}
	for (i = 0; i < n; i++) {
		put_node(&w, &nodes[i]);
		xref_textw_drain(&w);
	}
	for (i = 0; i < ne; i++) {
		put_edge(&w, &edges[i], nodes);
		xref_textw_drain(&w);
	}
	XREF_TEXTW_LIT(&w, "  </graph>\n</graphml>\n");
	err = xref_textw_finish(&w);
out:
	return err;
}
