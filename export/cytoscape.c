/*
 * Cytoscape JSON output: the elements format of cytoscape.js (what
 * cy.json() returns and accepts), with the keys networkx's
 * cytoscape_graph() needs ("data" at the top, "value" and "name" on every
 * node).
 *
 * Written through jsonw.h like the node-link JSON (a small cJSON frame,
 * nodes and edges by the direct writer), so the strings, numbers and the
 * '<' escaping are exactly those of the node-link JSON. Nodes carry
 * a preset position from the shared sfdp layout (cytoscape.js draws it with
 * layout "preset"); Graphviz's y grows upwards and the screen's downwards,
 * so y is negated. Edges get explicit ids ("e<a>-<b>"), which cannot clash
 * with the 16-digit node ids: cytoscape.js would otherwise make up random
 * ones and the output would change from load to load. Evidence is left to
 * the node-link JSON: Cytoscape users style and analyse the network, and
 * the evidence would multiply the size. Rejected: the older "array of
 * elements with group" form, which networkx does not read.
 */
#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>

#include "export/jsonw.h"
#include "export/style.h"
#include "ingest/status.h"

/* Writes {data, position} for node v at (x, y). */
static void emit_node(struct xref_jw *w, const struct xref_node *v, double x,
		      double y, enum xref_color color)
{
	xref_jw_open_object(w);
	xref_jw_key(w, "data");
	xref_jw_open_object(w);
	xref_jw_key(w, "id");
	xref_jw_string(w, v->uid);
	xref_jw_key(w, "value");
	xref_jw_string(w, v->uid);
	xref_jw_key(w, "name");
	xref_jw_text(w, v->name ? v->name : "");
	xref_jw_key(w, "type");
	xref_jw_string(w, xref_type_name(v->type));
	xref_jw_key(w, "color");
	xref_jw_string(w, xref_style_fill(v, color));
	xref_jw_aliases(w, "aliases", v);
	xref_jw_key(w, "mentions");
	xref_jw_long(w, v->mentions);
	xref_jw_key(w, "documents");
	xref_jw_long(w, v->documents);
	xref_jw_community(w, v);
	xref_jw_metrics(w, v);
	xref_jw_close_object(w);
	xref_jw_key(w, "position");
	xref_jw_open_object(w);
	xref_jw_key(w, "x");
	xref_jw_num(w, x);
	/* -0 would print as "-0": keep zero positive */
	xref_jw_key(w, "y");
	xref_jw_num(w, y == 0.0 ? 0.0 : -y);
	xref_jw_close_object(w);
	xref_jw_close_object(w);
}

static void emit_edge(struct xref_jw *w, const struct xref_edge *e,
		      const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;

	xref_jw_open_object(w);
	xref_jw_key(w, "data");
	xref_jw_open_object(w);
	xref_jw_key(w, "id");
	xref_jw_edge_id(w, a, b);
	xref_jw_key(w, "source");
	xref_jw_string(w, a);
	xref_jw_key(w, "target");
	xref_jw_string(w, b);
	xref_jw_key(w, "weight");
	xref_jw_long(w, e->weight);
	xref_jw_key(w, "documents");
	xref_jw_long(w, e->documents);
	xref_jw_key(w, "first_seen");
	xref_jw_text(w, e->first_seen);
	xref_jw_key(w, "last_seen");
	xref_jw_text(w, e->last_seen);
	xref_jw_close_object(w);
	xref_jw_close_object(w);
}

struct emit_ctx {
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const double *xy;
	enum xref_color color;
};

static bool emit(struct xref_jw *w, size_t array, size_t i, void *ctx)
{
	const struct emit_ctx *f = ctx;

	if (array == 0)
		emit_node(w, &f->nodes[i], f->xy[2 * i], f->xy[2 * i + 1],
			  f->color);
	else
		emit_edge(w, &f->edges[i], f->nodes);
	return !w->err;
}

/* The document around the arrays is one small tree; nodes and edges are
 * written one at a time (xref_json_stream_direct()). */
static int write_doc(const struct xref_graph *g, const double *xy,
		     const char *title, enum xref_color color, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct emit_ctx f;
	cJSON *root, *data, *elements;
	size_t n, ne, counts[2];
	int err = 0;

	f.nodes = xref_graph_nodes(g, &n);
	f.edges = xref_graph_edges(g, &ne);
	f.xy = xy;
	f.color = color;
	/* root owns everything added below; only root is ever deleted */
	root = cJSON_CreateObject();
	if (!root || !(data = cJSON_AddObjectToObject(root, "data")) ||
	    !xref_json_add_text(data, "name", title) ||
	    !cJSON_AddStringToObject(data, "generator", "xref") ||
	    !cJSON_AddFalseToObject(root, "directed") ||
	    !cJSON_AddFalseToObject(root, "multigraph") ||
	    !(elements = cJSON_AddObjectToObject(root, "elements")) ||
	    !cJSON_AddArrayToObject(elements, "nodes") ||
	    !cJSON_AddArrayToObject(elements, "edges")) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	counts[0] = n;
	counts[1] = ne;
	err = xref_json_stream_direct(&b, out, root, counts, 2, emit, &f);
out:
	cJSON_Delete(root);
	xref_buf_release(&b);
	return err;
}

int xref_export_cytoscape_ex(const struct xref_graph *g,
			     const struct xref_export_opts *opts,
			     const struct xref_export_ex *ex, FILE *out)
{
	const double *xy = ex ? ex->xy : NULL;
	double *own = NULL;
	int err = 0;

	if ((err = xref_export_check_edges(g)))
		goto out;
	if (!xy) {
		if ((err = xref_export_layout(&own, g, opts)))
			goto out;
		xy = own;
	}
	err = write_doc(g, xy, opts ? opts->title : NULL,
			ex ? ex->color : XREF_COLOR_TYPE, out);
out:
	free(own);
	return err;
}

int xref_export_cytoscape(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_cytoscape_ex(g, opts, NULL, out);
}
