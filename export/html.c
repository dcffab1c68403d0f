/*
 * The HTML map: one self-contained page holding the SVG map, the graph's
 * node-link JSON and the map's script and style (export/web/, compiled
 * into the binary by cmake/embed.cmake).
 *
 * The page is the template web/map.html with its {{name}} slots filled:
 * - csp: a Content-Security-Policy that forbids every fetch
 *   (default-src 'none') and allows exactly our one script and one style
 *   by their SHA-256 hashes, computed here from the embedded bytes, plus
 *   data: images (the empty favicon, which keeps browsers from asking the
 *   file system for one). Rejected: 'unsafe-inline', which would let an
 *   injected <script> or onerror= run if escaping ever failed; the hashes
 *   make the escaping a second line of defence instead of the only one;
 * - title: the graph title, XML-escaped (also valid HTML text);
 * - svg: xref_svg_render()'s document from "<svg" on (the XML prolog and
 *   the DOCTYPE mean nothing inline); Graphviz has escaped every text in
 *   it, and entity and character references read the same in HTML;
 * - data: the node-link JSON, whose '<' are all written \u003c, so that
 *   "</script>" and "<!--" cannot occur inside the data block;
 * - types: the legend's palette from our fixed strings: {"color_by":
 *   "type" or "community", "types": [{name, color, shape}],
 *   "communities": [colour of community 0..7], "others", "unknown"}.
 * The script builds every text node with textContent (map.js). A slot name
 * that is not known is an internal error: the template is ours, so this
 * fails loudly in the tests rather than writing a half-filled page.
 */
#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/jsonw.h"
#include "export/sha256.h"
#include "export/style.h"
#include "export/svg.h"
#include "export/xml.h"
#include "ingest/buf.h"
#include "ingest/status.h"

/* Generated from export/web/ at build time (export/CMakeLists.txt). */
extern const char xref_web_map_html[], xref_web_map_css[], xref_web_map_js[];
extern const size_t xref_web_map_html_len, xref_web_map_css_len,
	xref_web_map_js_len;

#define DEFAULT_TITLE "xref map"

/* True when s[0..len) contains `end` in any letter case: an asset holding
 * "</script" would end its own element early. */
static bool contains_ci(const char *s, size_t len, const char *end)
{
	size_t n = strlen(end), i, j;

	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++) {
			char c = s[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != end[j])
				break;
		}
		if (j == n)
			return true;
	}
	return false;
}

static int put_csp(struct xref_buf *b)
{
	char js[XREF_CSP_HASH_SIZE], css[XREF_CSP_HASH_SIZE];

	xref_csp_hash(js, xref_web_map_js, xref_web_map_js_len);
	xref_csp_hash(css, xref_web_map_css, xref_web_map_css_len);
	return xref_buf_printf(b,
			       "default-src 'none'; script-src %s; "
			       "style-src %s; img-src data:; base-uri 'none'; "
			       "form-action 'none'",
			       js, css);
}

static int put_svg(struct xref_buf *b, const struct xref_graph *g,
		   const struct xref_export_opts *opts, enum xref_color color)
{
	struct xref_buf svg = XREF_BUF_INIT;
	const char *start;
	int err;

	if ((err = xref_svg_render(&svg, g, opts, color)))
		goto out;
	start = svg.ptr ? strstr(svg.ptr, "<svg") : NULL;
	if (!start) {
		err = xref_error_set(XREF_ERROR, "graphviz wrote no svg element");
		goto out;
	}
	err = xref_buf_put(b, start, svg.len - (size_t)(start - svg.ptr));
out:
	xref_buf_release(&svg);
	return err;
}

static int put_types(struct xref_buf *b, enum xref_color color)
{
	cJSON *root, *types, *item, *comm;
	int err = 0, t, c;

	/* root owns everything added below; only root is ever deleted */
	root = cJSON_CreateObject();
	if (!root ||
	    !cJSON_AddStringToObject(root, "color_by",
				     color == XREF_COLOR_COMMUNITY ? "community"
								   : "type"))
		goto nomem;
	types = cJSON_AddArrayToObject(root, "types");
	for (t = 0; types && t < XREF_TYPE_COUNT; t++) {
		const struct xref_type_style *st = xref_style_type(t);

		item = cJSON_CreateObject();
		if (!item || !cJSON_AddItemToArray(types, item)) {
			cJSON_Delete(item);
			goto nomem;
		}
		if (!cJSON_AddStringToObject(item, "name", xref_type_name(t)) ||
		    !cJSON_AddStringToObject(item, "color", st->fill) ||
		    !cJSON_AddStringToObject(item, "shape", st->shape))
			goto nomem;
	}
	comm = types ? cJSON_AddArrayToObject(root, "communities") : NULL;
	for (c = 0; comm && c < XREF_STYLE_COMMUNITY_COLORS; c++) {
		item = cJSON_CreateString(xref_style_community(c));
		if (!item || !cJSON_AddItemToArray(comm, item)) {
			cJSON_Delete(item);
			goto nomem;
		}
	}
	if (!comm ||
	    !cJSON_AddStringToObject(root, "others",
				     xref_style_community(
					     XREF_STYLE_COMMUNITY_COLORS)) ||
	    !cJSON_AddStringToObject(root, "unknown", xref_style_community(-1)))
		goto nomem;
	err = xref_json_print(b, root);
	goto out;
nomem:
	err = xref_error_set(XREF_ENOMEM, "out of memory");
out:
	cJSON_Delete(root);
	return err;
}

/* Appends the value of slot `name` (len bytes) to b. */
static int put_slot(struct xref_buf *b, const char *name, size_t len,
		    const struct xref_graph *g,
		    const struct xref_export_opts *opts, enum xref_color color)
{
	const char *title = opts && opts->title ? opts->title : DEFAULT_TITLE;

#define IS(s) (len == sizeof(s) - 1 && !memcmp(name, s, len))
	if (IS("csp"))
		return put_csp(b);
	if (IS("title"))
		return xref_xml_append(b, title);
	if (IS("style"))
		return xref_buf_put(b, xref_web_map_css, xref_web_map_css_len);
	if (IS("script"))
		return xref_buf_put(b, xref_web_map_js, xref_web_map_js_len);
	if (IS("svg"))
		return put_svg(b, g, opts, color);
	if (IS("data"))
		return xref_json_render(b, g, opts ? opts->title : NULL);
	if (IS("types"))
		return put_types(b, color);
#undef IS
	return xref_error_set(XREF_ERROR, "unknown slot '%.*s' in the map template",
			      (int)len, name);
}

int xref_export_html_ex(const struct xref_graph *g,
			const struct xref_export_opts *opts,
			const struct xref_export_ex *ex, FILE *out)
{
	enum xref_color color = ex ? ex->color : XREF_COLOR_TYPE;
	struct xref_buf b = XREF_BUF_INIT;
	const char *p = xref_web_map_html, *end = p + xref_web_map_html_len;
	const char *open, *close;
	int err = 0;

	if (contains_ci(xref_web_map_js, xref_web_map_js_len, "</script") ||
	    contains_ci(xref_web_map_css, xref_web_map_css_len, "</style")) {
		err = xref_error_set(XREF_ERROR,
				     "a map asset would close its own element");
		goto out;
	}
	if ((err = xref_export_check_edges(g)))
		goto out;
	while (p < end) {
		open = strstr(p, "{{");
		if (!open || open >= end) {
			err = xref_buf_put(&b, p, (size_t)(end - p));
			break;
		}
		close = strstr(open + 2, "}}");
		if (!close) {
			err = xref_error_set(XREF_ERROR,
					     "unterminated slot in the map template");
			break;
		}
		if ((err = xref_buf_put(&b, p, (size_t)(open - p))) ||
		    (err = put_slot(&b, open + 2, (size_t)(close - open - 2),
				    g, opts, color)))
			break;
		p = close + 2;
	}
	if (err)
		goto out;
	fwrite(b.ptr, 1, b.len, out);
	err = xref_export_check_write(out);
out:
	xref_buf_release(&b);
	return err;
}

int xref_export_html(const struct xref_graph *g,
		     const struct xref_export_opts *opts, FILE *out)
{
	return xref_export_html_ex(g, opts, NULL, out);
}
