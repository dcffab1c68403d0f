/*
 * Internal to export/: the one place that talks to Graphviz's C API.
 *
 * Graphviz takes `char *` where it means `const char *`; these wrappers take
 * const strings so the rest of export/ compiles with -Wwrite-strings. They
 * also own text escaping (every user string passes through
 * xref_gv_escape()), the built-in plugin table, the capture of Graphviz's
 * messages (the library never prints) and the translation of an
 * xref_graph into a cgraph graph.
 *
 * Graphviz keeps global state (error handler, attribute prototypes), so none
 * of this is thread-safe: export from one thread at a time.
 */
#ifndef XREF_EXPORT_GV_H
#define XREF_EXPORT_GV_H

#include <stdbool.h>
#include <stddef.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "graph/graph.h"
#include "ingest/buf.h"

/* A Graphviz context whose plugins (core renderers, dot and neato-family
 * layouts) are linked in, with demand loading off, so that no plugin
 * registry file (config6a) is read. Owned by the caller: gvFreeContext().
 * NULL, with the last error set, on failure. */
GVC_t *xref_gv_context(void);

/* Graphviz reports problems through agerr(), which prints to stderr unless
 * a handler is installed. xref_gv_capture_begin() installs a handler that
 * keeps the messages (Graphviz's warnings are dropped unless an error
 * follows); xref_gv_capture_end() restores the previous handler. Calls must
 * pair and must not nest. */
struct xref_gv_capture {
	agusererrf prev;
};
void xref_gv_capture_begin(struct xref_gv_capture *c);
void xref_gv_capture_end(struct xref_gv_capture *c);

/* Sets the last error to "graphviz: <what> failed" followed by the captured
 * message, if any, and returns XREF_ERROR. */
int xref_gv_fail(const char *what);

/* How a string is escaped for a Graphviz text attribute (an escString):
 * backslashes are doubled for `label` and quadrupled for `tooltip` (which
 * Graphviz 2.42/2.43 unescapes twice), so that "\N", "\n", "\G" and a lone
 * "\" stay literal; '&' is written "&amp;" when it would otherwise start
 * something Graphviz keeps as an XML entity reference ("&amp;", "&#38;",
 * even "&;"), so that a name like "AT&amp;T" is shown as written and never
 * yields an invalid entity in SVG. The string is first passed through
 * xref_utf8_sanitize() (valid UTF-8, no control characters). */
enum xref_gv_text {
	XREF_GV_LABEL,   /* label, xlabel, graph label */
	XREF_GV_TOOLTIP, /* tooltip */
};

/* Appends the escaped s (NULL is taken as "") to b, which keeps its NUL
 * terminator; scratch is working memory (its contents are replaced; the
 * caller releases it), so that a writer escaping many strings allocates
 * once. 0 or XREF_ENOMEM. O(strlen(s)). */
int xref_gv_escape_append(struct xref_buf *b, struct xref_buf *scratch,
			  const char *s, enum xref_gv_text kind);

/* Returns the escaped copy of s (NULL is taken as ""), as
 * xref_gv_escape_append() writes it. Owned by the caller (free()); NULL,
 * with the last error set, when out of memory. */
char *xref_gv_escape(const char *s, enum xref_gv_text kind);

/* gvLayout(gvc, g, engine) after seeding libc's rand() and drand48(),
 * which Graphviz's layouts use, so that a layout never depends on what ran
 * before it in the process. Returns gvLayout()'s result. Call this, never
 * gvLayout() directly. */
int xref_gv_layout(GVC_t *gvc, Agraph_t *g, const char *engine);

/* agopen(name, strict undirected). NULL when out of memory. Free with
 * agclose(). */
Agraph_t *xref_gv_open(const char *name);

/* Declares attribute `name` of `kind` (AGRAPH, AGNODE, AGEDGE) in g with
 * default `def` and returns its symbol (owned by g), or NULL. */
Agsym_t *xref_gv_declare(Agraph_t *g, int kind, const char *name,
			 const char *def);

/* Sets the value of attribute sym on obj (a graph, node or edge); the value
 * is copied into Graphviz's string pool. 0 or XREF_ENOMEM. */
int xref_gv_xset(void *obj, Agsym_t *sym, const char *value);

/* Same, by name, declaring the attribute (default "") when needed. */
int xref_gv_set(void *obj, const char *name, const char *value);

/* A cgraph copy of an xref_graph, with the node and edge of every index. */
struct xref_gv_graph {
	Agraph_t *g;
	Agnode_t **nodes; /* nodes[i]: node i of the xref_graph */
	Agedge_t **edges; /* edges[i]: edge i of the xref_graph */
	size_t n_nodes, n_edges;
};

/* Builds the strict undirected graph "xref" of g through the cgraph API:
 * graph label = title (when not NULL); node name = uid with attributes
 * label (the escaped name), type, mentions, documents, one attribute per
 * computed metric (named by xref_metric_name(), "%.6g"), community (when
 * known; declared only when some node has one), shape, fillcolor and style
 * by type; edges with weight (integer), documents, penwidth and,
 * when known, first_seen and last_seen. On success out->g and the arrays
 * belong to out (xref_gv_graph_release()). Returns 0, XREF_ENOMEM,
 * XREF_EINVAL (an edge naming a node that does not exist) or XREF_EDATA
 * (two nodes with the same uid). */
int xref_gv_build(struct xref_gv_graph *out, const struct xref_graph *g,
		  const char *title);

/* Closes the graph and frees the arrays; leaves *gg empty. */
void xref_gv_graph_release(struct xref_gv_graph *gg);

/* Writes g as DOT through cgraph: xref_gv_build(), then agwrite(). The
 * reference for xref_export_dot(), which writes the same bytes directly
 * for the graphs graph.c makes and calls this for any other. Same returns
 * as xref_export_dot(). */
int xref_gv_write_dot(const struct xref_graph *g, const char *title,
		      FILE *out);

#endif
