/*
 * Cytoscape JSON output: the elements format of cytoscape.js (what
 * cy.json() returns and accepts), with the keys networkx's
 * cytoscape_graph() needs ("data" at the top, "value" and "name" on every
 * node).
 *
 * Built with cJSON through the helpers of jsonw.h, so the strings, numbers
 * and the '<' escaping are exactly those of the node-link JSON. Nodes carry
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

/* Adds {data, position} for node v at (x, y) to arr. */
static bool add_node(cJSON *arr, const struct xref_node *v, double x,
		     double y, enum xref_color color)
{
	cJSON *el, *data, *pos;

	el = cJSON_CreateObject();
	if (!el)
		return false;
	if (!cJSON_AddItemToArray(arr, el)) {
		cJSON_Delete(el);
		return false;
	}
	data = cJSON_AddObjectToObject(el, "data");
	if (!data || !cJSON_AddStringToObject(data, "id", v->uid) ||
	    !cJSON_AddStringToObject(data, "value", v->uid) ||
	    !xref_json_add_text(data, "name", v->name ? v->name : "") ||
	    !cJSON_AddStringToObject(data, "type", xref_type_name(v->type)) ||
	    !cJSON_AddStringToObject(data, "color",
				     xref_style_fill(v, color)) ||
	    !xref_json_add_aliases(data, "aliases", v) ||
	    !xref_json_add_long(data, "mentions", v->mentions) ||
	    !xref_json_add_long(data, "documents", v->documents) ||
	    !xref_json_add_community(data, v) ||
	    !xref_json_add_metrics(data, v))
		return false;
	pos = cJSON_AddObjectToObject(el, "position");
	/* -0 would print as "-0": keep zero positive */
	return pos && xref_json_add_num(pos, "x", x) &&
	       xref_json_add_num(pos, "y", y == 0.0 ? 0.0 : -y);
}

static bool add_edge(cJSON *arr, const struct xref_edge *e,
		     const struct xref_node *nodes)
{
	const char *a = nodes[e->source].uid, *b = nodes[e->target].uid;
	char id[40];
	cJSON *el, *data;

	el = cJSON_CreateObject();
	if (!el)
		return false;
	if (!cJSON_AddItemToArray(arr, el)) {
		cJSON_Delete(el);
		return false;
	}
	snprintf(id, sizeof(id), "e%s-%s", a, b);
	data = cJSON_AddObjectToObject(el, "data");
	return data && cJSON_AddStringToObject(data, "id", id) &&
	       cJSON_AddStringToObject(data, "source", a) &&
	       cJSON_AddStringToObject(data, "target", b) &&
	       xref_json_add_long(data, "weight", e->weight) &&
	       xref_json_add_long(data, "documents", e->documents) &&
	       xref_json_add_text(data, "first_seen", e->first_seen) &&
	       xref_json_add_text(data, "last_seen", e->last_seen);
}

struct fill_ctx {
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	const double *xy;
	enum xref_color color;
};

static bool fill(cJSON *arr, size_t array, size_t i, void *ctx)
{
	const struct fill_ctx *f = ctx;

	if (array == 0)
		return add_node(arr, &f->nodes[i], f->xy[2 * i],
				f->xy[2 * i + 1], f->color);
	return add_edge(arr, &f->edges[i], f->nodes);
}

/* The document around the arrays is one small tree; nodes and edges are
 * printed one at a time (xref_json_stream()). */
static int write_doc(const struct xref_graph *g, const double *xy,
		     const char *title, enum xref_color color, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct fill_ctx f;
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
	err = xref_json_stream(&b, out, root, counts, 2, fill, &f);
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
