/*
 * GraphML output (networkx, Gephi, yEd, igraph, Cytoscape desktop).
 *
 * Written by hand with fprintf: GraphML is a small, fixed vocabulary, and
 * every value that comes from a document goes through xref_xml_put()
 * (sanitise, then escape). Key ids carry a prefix (g_, n_, e_) because
 * nodes and edges both have "documents" and key ids share one namespace;
 * attr.name is the plain name, which is what readers show. Every name is
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

#include "export/style.h"
#include "export/xml.h"
#include "ingest/status.h"

static void put_key(FILE *out, const char *prefix, const char *for_,
		    const char *name, const char *type)
{
	fprintf(out,
		"  <key id=\"%s%s\" for=\"%s\" attr.name=\"%s\" "
		"attr.type=\"%s\"/>\n",
		prefix, name, for_, name, type);
}

static int put_text_data(FILE *out, const char *key, const char *s)
{
	int err;

	if (!s)
		return 0;
	fprintf(out, "      <data key=\"%s\">", key);
	err = xref_xml_put(out, s);
	fputs("</data>\n", out);
	return err;
}

static void put_num_data(FILE *out, const char *prefix, const char *name,
			 double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (xref_style_num(buf, v))
		fprintf(out, "      <data key=\"%s%s\">%s</data>\n", prefix,
			name, buf);
}

static int put_node(FILE *out, const struct xref_node *v)
{
	size_t i;
	int err, m;

	fprintf(out, "    <node id=\"%s\">\n", v->uid);
	if ((err = put_text_data(out, "n_label", v->name ? v->name : "")) ||
	    (err = put_text_data(out, "n_type", xref_type_name(v->type))))
		return err;
	fputs("      <data key=\"n_aliases\">", out);
	for (i = 0; i < v->n_aliases; i++) {
		if (i)
			fputc('|', out);
		if ((err = xref_xml_put(out, v->aliases[i])))
			return err;
	}
	fputs("</data>\n", out);
	fprintf(out, "      <data key=\"n_mentions\">%ld</data>\n",
		v->mentions);
	fprintf(out, "      <data key=\"n_documents\">%ld</data>\n",
		v->documents);
	if (v->community >= 0)
		fprintf(out, "      <data key=\"n_community\">%ld</data>\n",
			v->community);
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m])
			put_num_data(out, "n_", xref_metric_name(m),
				     v->metric[m]);
	}
	fputs("    </node>\n", out);
	return 0;
}

static int put_edge(FILE *out, const struct xref_edge *e,
		    const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	int err;

	fprintf(out, "    <edge id=\"e%s-%s\" source=\"%s\" target=\"%s\">\n",
		a, b, a, b);
	fprintf(out, "      <data key=\"e_weight\">%ld</data>\n", e->weight);
	fprintf(out, "      <data key=\"e_documents\">%ld</data>\n",
		e->documents);
	if ((err = put_text_data(out, "e_first_seen", e->first_seen)) ||
	    (err = put_text_data(out, "e_last_seen", e->last_seen)))
		return err;
	fputs("    </edge>\n", out);
	return 0;
}

int xref_export_graphml(const struct xref_graph *g,
			const struct xref_export_opts *opts, FILE *out)
{
	bool has[XREF_METRIC_COUNT] = { false };
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const char *title = opts ? opts->title : NULL;
	size_t n, ne, i;
	int err = 0, m;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if ((err = xref_export_check_edges(g)))
		goto out;
	for (i = 0; i < n; i++)
		for (m = 0; m < XREF_METRIC_COUNT; m++)
			has[m] = has[m] || nodes[i].has_metric[m];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
	      out);
	put_key(out, "g_", "graph", "name", "string");
	put_key(out, "n_", "node", "label", "string");
	put_key(out, "n_", "node", "type", "string");
	put_key(out, "n_", "node", "aliases", "string");
	put_key(out, "n_", "node", "mentions", "int");
	put_key(out, "n_", "node", "documents", "int");
	if (xref_style_has_community(nodes, n))
		put_key(out, "n_", "node", "community", "int");
	for (m = 0; m < XREF_METRIC_COUNT; m++)
		if (has[m])
			put_key(out, "n_", "node", xref_metric_name(m),
				"double");
	put_key(out, "e_", "edge", "weight", "int");
	put_key(out, "e_", "edge", "documents", "int");
	put_key(out, "e_", "edge", "first_seen", "string");
	put_key(out, "e_", "edge", "last_seen", "string");
	fputs("  <graph id=\"xref\" edgedefault=\"undirected\">\n", out);
	if (title) {
		fputs("    <data key=\"g_name\">", out);
		if ((err = xref_xml_put(out, title)))
			goto out;
		fputs("</data>\n", out);
	}
	for (i = 0; i < n; i++)
		if ((err = put_node(out, &nodes[i])))
			goto out;
	for (i = 0; i < ne; i++)
		if ((err = put_edge(out, &edges[i], nodes)))
			goto out;
	fputs("  </graph>\n</graphml>\n", out);
	err = xref_export_check_write(out);
out:
	return err;
}
