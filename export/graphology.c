/*
 * graphology's serialisation format, which Sigma.js draws directly:
 * {attributes, options, nodes: [{key, attributes}], edges: [{key, source,
 * target, attributes}]}.
 *
 * Sigma needs numeric x and y on every node, so nodes carry the shared
 * sfdp layout (export/gv.c), plus the attributes Sigma reads for drawing:
 * label, size (a radius in pixels, area by the size metric) and color (the
 * type's or the community's, as on the SVG map). Sigma reserves a node's `type` for the name
 * of its drawing program ("circle" by default) and throws on an unknown
 * one, so the entity type goes in `entity_type`; edges get `size` (the
 * map's pen width) and no `type` for the same reason. Everything else
 * matches the node-link JSON, through the same writer (jsonw.h), so
 * the escaping rules are shared. Edges have explicit keys so that a
 * re-import keeps them stable. Rejected: leaving `options` out (graphology
 * would then import into a "mixed" graph and keep our undirected edges as
 * directed ones).
 */
#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>

#include "export/jsonw.h"
#include "export/style.h"
#include "ingest/status.h"

static void emit_node(struct xref_jw *w, const struct xref_node *v,
		      double x, double y, enum xref_metric m, double vmax,
		      enum xref_color color)
{
	xref_jw_open_object(w);
	xref_jw_key(w, "key");
	xref_jw_string(w, v->uid);
	xref_jw_key(w, "attributes");
	xref_jw_open_object(w);
	xref_jw_key(w, "label");
	xref_jw_text(w, v->name ? v->name : "");
	xref_jw_key(w, "x");
	xref_jw_num(w, x);
	xref_jw_key(w, "y");
	xref_jw_num(w, y);
	xref_jw_key(w, "size");
	xref_jw_num(w, xref_style_radius(v, m, vmax));
	xref_jw_key(w, "color");
	xref_jw_string(w, xref_style_fill(v, color));
	xref_jw_key(w, "entity_type");
	xref_jw_string(w, xref_type_name(v->type));
	xref_jw_aliases(w, "aliases", v);
	xref_jw_key(w, "mentions");
	xref_jw_long(w, v->mentions);
	xref_jw_key(w, "documents");
	xref_jw_long(w, v->documents);
	xref_jw_community(w, v);
	xref_jw_metrics(w, v);
	xref_jw_close_object(w);
	xref_jw_close_object(w);
}

static void emit_edge(struct xref_jw *w, const struct xref_edge *e,
		      const struct xref_node *nodes, struct xref_pen_cache *pen)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	char buf[XREF_NUM_BUFSZ];

	xref_jw_open_object(w);
	xref_jw_key(w, "key");
	xref_jw_edge_id(w, a, b);
	xref_jw_key(w, "source");
	xref_jw_string(w, a);
	xref_jw_key(w, "target");
	xref_jw_string(w, b);
	xref_jw_key(w, "attributes");
	xref_jw_open_object(w);
	xref_jw_key(w, "weight");
	xref_jw_long(w, e->weight);
	xref_jw_key(w, "size");
	/* always finite, so never null */
	xref_jw_raw(w, xref_style_penwidth_text(pen, e->weight, buf));
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
	enum xref_metric m;
	double vmax;
	enum xref_color color;
	struct xref_pen_cache *pen;
};

static bool emit(struct xref_jw *w, size_t array, size_t i, void *ctx)
{
	const struct emit_ctx *f = ctx;

	if (array == 0)
		emit_node(w, &f->nodes[i], f->xy[2 * i], f->xy[2 * i + 1],
			  f->m, f->vmax, f->color);
	else
		emit_edge(w, &f->edges[i], f->nodes, f->pen);
	return !w->err;
}

/* The document around the arrays is one small tree; nodes and edges are
 * written one at a time (xref_json_stream_direct()). */
static int write_doc(const struct xref_graph *g, const double *xy,
		     const struct xref_export_opts *opts, enum xref_color color,
		     FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct emit_ctx f;
	cJSON *root, *obj;
	size_t n, ne, counts[2];
	int err = 0;

	f.m = opts ? opts->size_by : XREF_METRIC_DEGREE;
	f.nodes = xref_graph_nodes(g, &n);
	f.edges = xref_graph_edges(g, &ne);
	f.xy = xy;
	f.color = color;
	f.pen = calloc(1, sizeof(*f.pen));
	f.vmax = xref_style_metric_max(f.nodes, n, f.m);
	/* root owns everything added below; only root is ever deleted */
	root = cJSON_CreateObject();
	if (!f.pen || !root || !(obj = cJSON_AddObjectToObject(root, "attributes")) ||
	    !xref_json_add_text(obj, "name", opts ? opts->title : NULL) ||
	    !cJSON_AddStringToObject(obj, "generator", "xref") ||
	    !(obj = cJSON_AddObjectToObject(root, "options")) ||
	    !cJSON_AddStringToObject(obj, "type", "undirected") ||
	    !cJSON_AddFalseToObject(obj, "multi") ||
	    !cJSON_AddFalseToObject(obj, "allowSelfLoops") ||
	    !cJSON_AddArrayToObject(root, "nodes") ||
	    !cJSON_AddArrayToObject(root, "edges")) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	counts[0] = n;
	counts[1] = ne;
	err = xref_json_stream_direct(&b, out, root, counts, 2, emit, &f);
out:
	cJSON_Delete(root);
	xref_buf_release(&b);
	free(f.pen);
	return err;
}

int xref_export_graphology_ex(const struct xref_graph *g,
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
	err = write_doc(g, xy, opts, ex ? ex->color : XREF_COLOR_TYPE, out);
out:
	free(own);
	return err;
}

int xref_export_graphology(const struct xref_graph *g,
			   const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_graphology_ex(g, opts, NULL, out);
}
