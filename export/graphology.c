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
 * matches the node-link JSON, through the same cJSON helpers (jsonw.h), so
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

static bool add_node(cJSON *arr, const struct xref_node *v, double x,
		     double y, enum xref_metric m, double vmax,
		     enum xref_color color)
{
	cJSON *el, *at;

	el = cJSON_CreateObject();
	if (!el)
		return false;
	if (!cJSON_AddItemToArray(arr, el)) {
		cJSON_Delete(el);
		return false;
	}
	if (!cJSON_AddStringToObject(el, "key", v->uid))
		return false;
	at = cJSON_AddObjectToObject(el, "attributes");
	return at && xref_json_add_text(at, "label", v->name ? v->name : "") &&
	       xref_json_add_num(at, "x", x) && xref_json_add_num(at, "y", y) &&
	       xref_json_add_num(at, "size",
				 xref_style_radius(v, m, vmax)) &&
	       cJSON_AddStringToObject(at, "color",
				       xref_style_fill(v, color)) &&
	       cJSON_AddStringToObject(at, "entity_type",
				       xref_type_name(v->type)) &&
	       xref_json_add_aliases(at, "aliases", v) &&
	       xref_json_add_long(at, "mentions", v->mentions) &&
	       xref_json_add_long(at, "documents", v->documents) &&
	       xref_json_add_community(at, v) &&
	       xref_json_add_metrics(at, v);
}

static bool add_edge(cJSON *arr, const struct xref_edge *e,
		     const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	char key[40];
	cJSON *el, *at;

	el = cJSON_CreateObject();
	if (!el)
		return false;
	if (!cJSON_AddItemToArray(arr, el)) {
		cJSON_Delete(el);
		return false;
	}
	snprintf(key, sizeof(key), "e%s-%s", a, b);
	if (!cJSON_AddStringToObject(el, "key", key) ||
	    !cJSON_AddStringToObject(el, "source", a) ||
	    !cJSON_AddStringToObject(el, "target", b))
		return false;
	at = cJSON_AddObjectToObject(el, "attributes");
	return at && xref_json_add_long(at, "weight", e->weight) &&
	       xref_json_add_num(at, "size",
				 xref_style_penwidth(e->weight)) &&
	       xref_json_add_long(at, "documents", e->documents) &&
	       xref_json_add_text(at, "first_seen", e->first_seen) &&
	       xref_json_add_text(at, "last_seen", e->last_seen);
}

struct fill_ctx {
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const double *xy;
	enum xref_metric m;
	double vmax;
	enum xref_color color;
};

static bool fill(cJSON *arr, size_t array, size_t i, void *ctx)
{
	const struct fill_ctx *f = ctx;

	if (array == 0)
		return add_node(arr, &f->nodes[i], f->xy[2 * i],
				f->xy[2 * i + 1], f->m, f->vmax, f->color);
	return add_edge(arr, &f->edges[i], f->nodes);
}

/* The document around the arrays is one small tree; nodes and edges are
 * printed one at a time (xref_json_stream()). */
static int write_doc(const struct xref_graph *g, const double *xy,
		     const struct xref_export_opts *opts, enum xref_color color,
		     FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct fill_ctx f;
	cJSON *root, *obj;
	size_t n, ne, counts[2];
	int err = 0;

	f.m = opts ? opts->size_by : XREF_METRIC_DEGREE;
	f.nodes = xref_graph_nodes(g, &n);
	f.edges = xref_graph_edges(g, &ne);
	f.xy = xy;
	f.color = color;
	f.vmax = xref_style_metric_max(f.nodes, n, f.m);
	/* root owns everything added below; only root is ever deleted */
	root = cJSON_CreateObject();
	if (!root || !(obj = cJSON_AddObjectToObject(root, "attributes")) ||
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
	err = xref_json_stream(&b, out, root, counts, 2, fill, &f);
out:
	cJSON_Delete(root);
	xref_buf_release(&b);
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
