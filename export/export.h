/*
 * Output formats: DOT and SVG through Graphviz (cgraph and gvc, in process),
 * node-link JSON through cJSON. Graphviz and cJSON never appear outside
 * export/.
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

/*
 * Common to every writer below: opts may be NULL (no title; SVG sizes by
 * degree, which must then be computed, and labels every node). Every user
 * string (names, aliases, titles, dates, evidence) is made valid UTF-8
 * without control characters first (xref_utf8_sanitize(); evidence text
 * keeps its line breaks in JSON). Metrics are written with "%.6g" ('.' as
 * decimal point in any locale), NaN and infinities as absent (DOT) or null
 * (JSON). Output is deterministic: nodes in uid order, edges in (source,
 * target) order, byte-identical from run to run. out is flushed, not
 * closed; a write error (fflush or ferror after writing) returns XREF_EIO
 * with "write error". Graphviz is not thread-safe: call the DOT and SVG
 * writers from one thread at a time.
 */

/* Writes g as DOT, built through the cgraph API (never printed by hand):
 * node ids are uids, labels are names escaped as escStrings, attributes
 * carry type, mentions, metrics and weights. Returns 0, XREF_EIO on a write
 * error, or XREF_ERROR from Graphviz.
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

#endif
