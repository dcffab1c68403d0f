/*
 * Output formats: DOT and SVG through Graphviz (cgraph and gvc, in process;
 * DOT written directly with agwrite()'s bytes for the usual graphs),
 * node-link, Cytoscape and graphology JSON laid out as cJSON prints them
 * (a cJSON frame, nodes and edges written directly), GraphML and GEXF
 * written as XML by hand, CSV and Neo4j import files (the node files
 * through the result tables of table.h; the edge, relationship and
 * evidence files straight from the rows, with the tables' bytes), and a
 * self-contained HTML map. Graphviz and cJSON never appear outside
 * export/.
 *
 * Node ids are the uids (16 lowercase hex digits) in every format; an edge
 * that needs an id has "e<source uid>-<target uid>".
 */
#ifndef XREF_EXPORT_EXPORT_H
#define XREF_EXPORT_EXPORT_H

#include <stdio.h>

#include "graph/graph.h"

struct xref_export_opts {
	enum xref_metric size_by; /* node size and label priority; must be computed */
	size_t labels;            /* label this many most central nodes (0: all) */
	const char *title;        /* graph title, may be NULL */
};

/* How drawn nodes are coloured. */
enum xref_color {
	XREF_COLOR_TYPE,      /* by entity type (the default) */
	XREF_COLOR_COMMUNITY, /* by community (struct xref_node.community) */
};

/* Choices beyond xref_export_opts, for the writers with an _ex form. A
 * zeroed struct (or NULL) means: colour by type, compute the layout. Kept
 * apart from xref_export_opts so that existing initialisers of it stay
 * complete. */
struct xref_export_ex {
	const double *xy;    /* node positions from xref_export_layout() of
			      * this very graph (same nodes, same order), or
			      * NULL: laid out when the format needs positions */
	enum xref_color color;
};

/* Parses "type" or "community". 0 or XREF_EINVAL. */
int xref_color_parse(enum xref_color *out, const char *name);

/*
 * Common to every writer below: opts may be NULL (no title; SVG sizes by
 * degree, which must then be computed, and labels every node). Every user
 * string (names, aliases, titles, dates, evidence) is made valid UTF-8
 * without control characters first (xref_utf8_sanitize(); evidence text
 * keeps its line breaks in JSON). Metrics are written with "%.6g" ('.' as
 * decimal point in any locale), NaN and infinities as absent (DOT) or null
 * (JSON). Output is deterministic: nodes in uid order, edges in (source,
 * target) order, byte-identical from run to run. A node's community
 * (struct xref_node.community) is written as an integer attribute named
 * "community" by every format but SVG, only where it is known (>= 0), and
 * declared only when some node has one. out is flushed, not
 * closed; a write error (fflush or ferror after writing) returns XREF_EIO
 * with "write error". Graphviz is not thread-safe: call the DOT, SVG and
 * HTML writers, xref_export_layout() and the writers that lay out (GEXF,
 * Cytoscape, graphology without ex->xy) from one thread at a time.
 */

/* Writes g as DOT, the text agwrite() prints for g built through the
 * cgraph API: node ids are uids, labels are names escaped as escStrings,
 * attributes carry type, mentions, metrics and weights. For the graphs
 * graph.c makes (uids increasing, edges increasing with source < target)
 * those bytes are written directly, in O(V + E); any other graph goes
 * through cgraph. No DOT text is ever parsed. Returns 0, XREF_EIO on a
 * write error, XREF_ENOMEM, or XREF_ERROR from Graphviz.
 *
 * `strict graph xref`: graph label (the title, when given) and linelength=0
 * (no backslash-newline splitting of long strings); nodes: label, type,
 * mentions, documents, one attribute per computed metric named by
 * xref_metric_name(), shape, fillcolor, style=filled; edges: weight and
 * documents (integers), penwidth, first_seen and last_seen when known.
 * Text values are escStrings: every backslash is doubled (a name "\N" is
 * written "\\N") and an '&' that would read as an entity is "&amp;", so
 * `dot` renders each name exactly as written. */
int xref_export_dot(const struct xref_graph *g,
		    const struct xref_export_opts *opts, FILE *out);

/* Lays g out with sfdp (overlap removal) and renders SVG in process: node
 * size by opts->size_by, colour and shape by type, edge width by weight,
 * edges under nodes, a legend, labels on the opts->labels most central
 * nodes; every node and edge has an id and classes. The caller filters to a
 * readable size first (xref_graph_keep_top). Same returns as above, and
 * XREF_EINVAL when opts->size_by is not computed on every node.
 *
 * For scripts: node <g id="n<uid>" class="node type-<type>">, edge
 * <g id="e<source uid>-<target uid>" class="edge">, legend <g id="legend"
 * class="node legend">; every node's name is its tooltip (xlink:title).
 * No URL is ever written: links and evidence are in the JSON, joined on
 * the uids. Graphviz writes '-' in attribute values as "&#45;" (the DOM
 * value is '-'). */
int xref_export_svg(const struct xref_graph *g,
		    const struct xref_export_opts *opts, FILE *out);

/* The same with ex->color: by community, nodes are filled with one of
 * eight colours for communities 0 to 7 (the largest), a light grey for the
 * others and white where the community is unknown (-1); shapes stay by
 * type, and the legend lists both. */
int xref_export_svg_ex(const struct xref_graph *g,
		       const struct xref_export_opts *opts,
		       const struct xref_export_ex *ex, FILE *out);

/* Writes node-link JSON: {"directed": false, "multigraph": false,
 * "graph": {"name": title or null, "generator": "xref"},
 * "nodes": [{id, label, type, aliases, mentions, documents, <metric>...}],
 * "links": [{source, target, weight, documents, first_seen, last_seen,
 * evidence: [{doc_id, title, url, date, start, end, text}]}]}.
 * Strict UTF-8; '<' escaped as \u003c so it is safe inside HTML, and
 * U+2028/U+2029 as \u2028/\u2029. Ids are the uids, as strings; integers
 * are exact; metrics "%.6g" (only those computed); absent strings are null;
 * evidence is [] when not loaded. Formatted with tabs (cJSON_Print()).
 * networkx 2.8 reads it with node_link_graph(d); networkx >= 3.6 needs
 * node_link_graph(d, edges="links"). Returns 0, XREF_EIO or XREF_ENOMEM. */
int xref_export_json(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out);

/* --- positions ---------------------------------------------------------- */

/* Lays g out with sfdp as the SVG map does (node sizes by opts->size_by,
 * overlap removal up to 2000 nodes, fixed seed; above 2000 nodes, sfdp's
 * fast quadtree, and nodes without a tie set in rows under the drawing
 * instead of laid out; above 30000
 * edges, sfdp follows only the 8 strongest ties of each node; above 20000
 * nodes, a spiral in node order instead, in O(V)) and stores the centre of
 * node i in (*xy)[2i] (x) and (*xy)[2i+1] (y), in points, y growing
 * upwards. Deterministic. *xy is owned by the caller (free()); it is
 * allocated even for an empty graph. opts may be NULL (sizes by degree; a
 * metric not computed on a node counts as 0). Returns 0, XREF_ENOMEM,
 * XREF_EINVAL or XREF_ERROR from Graphviz. Same thread rule as above.
 * About O(V log V + min(E, 8 V)) per iteration, plus O(E log E) to pick
 * the strongest ties; 10k nodes take seconds. */
int xref_export_layout(double **xy, const struct xref_graph *g,
		       const struct xref_export_opts *opts);

/* The writers that carry positions and colours (graphology, GEXF,
 * Cytoscape) come in two forms: the plain one computes the layout itself
 * and colours by type; the _ex form takes the layout (so that one layout
 * can serve several files) and the colour choice from ex. */

/* --- JSON for other tools ------------------------------------------------- */

/* Cytoscape JSON, as cytoscape.js (cy.json(), or its `elements`) and
 * networkx's cytoscape_graph() read it: {"data": {"name", "generator"},
 * "directed": false, "multigraph": false, "elements": {"nodes": [{"data":
 * {id, value, name, type, color, aliases, mentions, documents,
 * <metric>...}, "position": {x, y}}], "edges": [{"data": {id, source,
 * target, weight, documents, first_seen, last_seen}}]}}. `id` and `value`
 * are the uid (networkx keys nodes by `value`); `name` is the display name.
 * Positions are the layout's with y negated (screen coordinates, y down).
 * No evidence (it is in the node-link JSON). Same escaping and number rules
 * as xref_export_json(). Returns 0, XREF_ENOMEM, XREF_EIO, or a layout
 * error. */
int xref_export_cytoscape(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out);
int xref_export_cytoscape_ex(const struct xref_graph *g,
			     const struct xref_export_opts *opts,
			     const struct xref_export_ex *ex, FILE *out);

/* graphology's serialisation (Graph.from(data), graph.import(data)), ready
 * for Sigma.js: {"attributes": {"name", "generator"}, "options": {"type":
 * "undirected", "multi": false, "allowSelfLoops": false}, "nodes": [{"key":
 * uid, "attributes": {label, x, y, size, color, entity_type, aliases,
 * mentions, documents, <metric>...}}], "edges": [{"key": edge id,
 * "source", "target", "attributes": {weight, size, documents, first_seen,
 * last_seen}}]}. x and y are the layout's (y up); size is a radius in
 * pixels (3 to 15, area by opts->size_by); color is the type's. The entity
 * type is `entity_type`, not `type`: Sigma reads a node's `type` as the
 * name of the program that draws it and fails on "company". Edge size is
 * the map's pen width. Returns as xref_export_cytoscape(). */
int xref_export_graphology(const struct xref_graph *g,
			   const struct xref_export_opts *opts, FILE *out);
int xref_export_graphology_ex(const struct xref_graph *g,
			      const struct xref_export_opts *opts,
			      const struct xref_export_ex *ex, FILE *out);

/* --- XML ------------------------------------------------------------------ */

/* GraphML with typed keys (networkx read_graphml, Gephi, yEd, igraph):
 * <graphml xmlns="http://graphml.graphdrawing.org/xmlns">, keys
 * g_name (graph); n_label, n_type, n_aliases (string), n_mentions,
 * n_documents (int), n_<metric> (double, only metrics computed on some
 * node) for nodes; e_weight, e_documents (int), e_first_seen, e_last_seen
 * (string) for edges; attr.name is the part after the prefix. <graph
 * id="xref" edgedefault="undirected">; node ids are uids, edges have ids.
 * Aliases are joined with "|". Absent values (NaN, unknown dates) have no
 * <data>. Text is sanitised, then &, <, >, " and ' are escaped. Returns 0,
 * XREF_ENOMEM or XREF_EIO. */
int xref_export_graphml(const struct xref_graph *g,
			const struct xref_export_opts *opts, FILE *out);

/* GEXF 1.3 (Gephi, graphology-gexf), valid against the GEXF 1.3 RELAX NG
 * schema (no xsi:schemaLocation: the 1.3 XSD rejects viz elements):
 * namespaces http://gexf.net/1.3 and http://gexf.net/1.3/viz; node
 * attributes type, aliases ("|"-joined; string), mentions, documents
 * (integer), one per computed metric (double); edge attributes documents
 * (integer), first_seen, last_seen (string); edge weight as the weight
 * attribute; viz:color (the type's), viz:size (as graphology's size) and
 * viz:position (layout, z 0) on nodes, viz:thickness on edges. No
 * lastmodifieddate (the output must not depend on the day). Returns as
 * xref_export_cytoscape(). */
int xref_export_gexf(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out);
int xref_export_gexf_ex(const struct xref_graph *g,
			const struct xref_export_opts *opts,
			const struct xref_export_ex *ex, FILE *out);

/* --- CSV and Neo4j ------------------------------------------------------- */

/* The files of `xref export --format csv -o DIR`, each one CSV file written
 * with the result tables' CSV rules (table.h: RFC 4180 quoting, LF line
 * ends, a leading ' on text starting with = + - @, numbers "%.9g", empty
 * cells for absent values):
 * - nodes.csv: id, name, type, aliases ("|"-joined), mentions, documents,
 *   one column per metric computed on some node;
 * - edges.csv: source, target (uids), source_name, target_name, weight,
 *   documents, first_seen, last_seen;
 * - evidence.csv: source, target, doc_id, title, url, date, start, end,
 *   text (one row per evidence sentence loaded, line breaks as spaces).
 * Rows in node and edge order. Return 0, XREF_ENOMEM or XREF_EIO. */
int xref_export_csv_nodes(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out);
int xref_export_csv_edges(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out);
int xref_export_csv_evidence(const struct xref_graph *g,
			     const struct xref_export_opts *opts, FILE *out);

/* The files of `xref export --format neo4j -o DIR`, for `neo4j-admin
 * database import full` (same CSV rules):
 * - nodes.csv: id:ID, name, :LABEL ("Entity;<Type>", e.g.
 *   "Entity;Company"), type, aliases, mentions:int, documents:int,
 *   <metric>:double...;
 * - relationships.csv: :START_ID, :END_ID, :TYPE (CO_OCCURS), weight:int,
 *   documents:int, first_seen, last_seen;
 * - README.md: what the files hold and the exact import command.
 * Return 0, XREF_ENOMEM or XREF_EIO. */
int xref_export_neo4j_nodes(const struct xref_graph *g,
			    const struct xref_export_opts *opts, FILE *out);
int xref_export_neo4j_relationships(const struct xref_graph *g,
				    const struct xref_export_opts *opts,
				    FILE *out);
int xref_export_neo4j_readme(const struct xref_graph *g,
			     const struct xref_export_opts *opts, FILE *out);

/* --- the HTML map ---------------------------------------------------------- */

/* One self-contained HTML file: the SVG map of g (xref_export_svg() with
 * opts, inline), the node-link JSON of g (xref_export_json(), in a
 * <script type="application/json">, '<' escaped) and the map's own script
 * and style, embedded at build time from export/web/. A
 * Content-Security-Policy forbids every fetch (default-src 'none') and
 * allows only that script and that style, by their SHA-256 hashes, so no
 * text from a document can run as script even if it reached the markup.
 * The script builds every piece of text with textContent, never as HTML.
 * Works from file:// without a network. The caller filters g to a
 * readable size first, as for SVG. Returns as xref_export_svg(), and
 * XREF_ENOMEM. */
int xref_export_html(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out);
/* The same, coloured as ex->color says (the SVG of xref_export_svg_ex());
 * the page's legend follows. */
int xref_export_html_ex(const struct xref_graph *g,
			const struct xref_export_opts *opts,
			const struct xref_export_ex *ex, FILE *out);

#endif
