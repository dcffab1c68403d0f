/*
 * The shared palette and number format of export/.
 *
 * Colours are the eight of Okabe and Ito ("Color Universal Design"), which
 * stay distinguishable under the common colour-vision deficiencies; black
 * is replaced by a mid grey so that black label text stays readable over
 * every fill, and each type also has its own shape, so colour is never the
 * only cue. Communities, when nodes are coloured by them, take Paul Tol's
 * "light" scheme: eight colours made to carry black text, so labels stay
 * readable; shapes keep showing the type. Numbers are printed with "%.6g": six significant digits are
 * more than a reader needs and few enough that tiny floating-point
 * differences between igraph builds do not change the bytes; the decimal
 * point is forced to '.' because an application may have called
 * setlocale(). Rejected: a per-format palette (the SVG, the DOT and the HTML
 * views would disagree about what orange means).
 */
#include "export/style.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/status.h"

/* Shapes with a single periphery only: Graphviz 2.43 draws the second ring
 * of "doublecircle" at a position whose last digit depends on memory
 * addresses, so the SVG bytes changed from run to run. */
static const struct xref_type_style styles[XREF_TYPE_COUNT] = {
	[XREF_TYPE_PERSON] = { "#E69F00", "ellipse" },        /* orange */
	[XREF_TYPE_COMPANY] = { "#56B4E9", "box" },           /* sky blue */
	[XREF_TYPE_GOVERNMENT] = { "#0072B2", "hexagon" },    /* blue */
	[XREF_TYPE_ORGANIZATION] = { "#009E73", "octagon" },  /* bluish green */
	[XREF_TYPE_MEDIA] = { "#CC79A7", "note" },            /* reddish purple */
	[XREF_TYPE_COUNTRY] = { "#F0E442", "circle" },        /* yellow */
	[XREF_TYPE_LOCATION] = { "#999999", "triangle" },     /* grey */
	[XREF_TYPE_TARGET] = { "#D55E00", "diamond" },        /* vermillion */
};

static const struct xref_type_style unknown_style = { "#DDDDDD", "ellipse" };

const struct xref_type_style *xref_style_type(enum xref_type t)
{
	if ((unsigned)t >= XREF_TYPE_COUNT)
		return &unknown_style;
	return &styles[t];
}

static const char *const community_fill[XREF_STYLE_COMMUNITY_COLORS] = {
	"#77AADD", "#EE8866", "#EEDD88", "#FFAABB",
	"#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
};

const char *xref_style_community(long c)
{
	if (c < 0)
		return "#FFFFFF";
	if (c >= XREF_STYLE_COMMUNITY_COLORS)
		return "#DDDDDD";
	return community_fill[c];
}

const char *xref_style_fill(const struct xref_node *v, enum xref_color color)
{
	if (color == XREF_COLOR_COMMUNITY)
		return xref_style_community(v->community);
	return xref_style_type(v->type)->fill;
}

bool xref_style_has_community(const struct xref_node *nodes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nodes[i].community >= 0)
			return true;
	return false;
}

int xref_color_parse(enum xref_color *out, const char *name)
{
	if (name && !strcmp(name, "type")) {
		*out = XREF_COLOR_TYPE;
		return 0;
	}
	if (name && !strcmp(name, "community")) {
		*out = XREF_COLOR_COMMUNITY;
		return 0;
	}
	return xref_error_set(XREF_EINVAL, "unknown colouring '%s'",
			      name ? name : "");
}

double xref_style_penwidth(long weight)
{
	double w;

	if (weight <= 1)
		return 0.6;
	w = 0.6 + 0.9 * log((double)weight);
	return w > 6.0 ? 6.0 : w;
}

const char *xref_style_penwidth_text(struct xref_pen_cache *c, long weight,
				     char buf[XREF_NUM_BUFSZ])
{
	if (weight < 0 || weight >= XREF_PEN_CACHE) {
		xref_style_num(buf, xref_style_penwidth(weight));
		return buf;
	}
	if (!c->known[weight]) {
		xref_style_num(c->text[weight], xref_style_penwidth(weight));
		c->known[weight] = true;
	}
	return c->text[weight];
}

double xref_style_scale(double v, double vmax)
{
	double s;

	if (!(vmax > 0.0) || !isfinite(v) || v <= 0.0)
		return 0.0;
	s = sqrt(v / vmax);
	return s > 1.0 ? 1.0 : s;
}

double xref_style_metric_max(const struct xref_node *nodes, size_t n,
			     enum xref_metric m)
{
	double vmax = 0.0;
	size_t i;

	if ((unsigned)m >= XREF_METRIC_COUNT)
		return 0.0;
	for (i = 0; i < n; i++) {
		if (nodes[i].has_metric[m] && isfinite(nodes[i].metric[m]) &&
		    nodes[i].metric[m] > vmax)
			vmax = nodes[i].metric[m];
	}
	return vmax;
}

double xref_style_radius(const struct xref_node *v, enum xref_metric m,
			 double vmax)
{
	if ((unsigned)m >= XREF_METRIC_COUNT || !v->has_metric[m])
		return 3.0;
	return 3.0 + 12.0 * xref_style_scale(v->metric[m], vmax);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool xref_style_rgb(const char *s, unsigned char rgb[3])
{
	int i, hi, lo;

	if (!s || s[0] != '#' || strlen(s) != 7)
		return false;
	for (i = 0; i < 3; i++) {
		hi = hexval(s[1 + 2 * i]);
		lo = hexval(s[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return false;
		rgb[i] = (unsigned char)(hi * 16 + lo);
	}
	return true;
}

bool xref_style_num(char buf[XREF_NUM_BUFSZ], double v)
{
	const char *dp = localeconv()->decimal_point;
	size_t dlen = dp ? strlen(dp) : 0;
	char *p;

	buf[0] = '\0';
	if (!isfinite(v))
		return false;
	snprintf(buf, XREF_NUM_BUFSZ, "%.6g", v);
	/* "%.6g" uses the locale's decimal point (never grouping): put '.'
	 * back, whatever its length in bytes. */
	if (dlen == 0 || (dlen == 1 && dp[0] == '.'))
		return true;
	p = strstr(buf, dp);
	if (p) {
		*p = '.';
		memmove(p + 1, p + dlen, strlen(p + dlen) + 1);
	}
	return true;
}

int xref_export_check_write(FILE *out)
{
	/* fflush() surfaces errors that buffering would otherwise hide until
	 * the caller's fclose(); ferror() also catches earlier failed writes
	 * whose return values a library (Graphviz) did not check. */
	if (fflush(out) != 0 || ferror(out))
		return xref_error_set(XREF_EIO, "write error");
	return 0;
}

int xref_export_check_edges(const struct xref_graph *g)
{
	const struct xref_edge *edges;
	size_t n, ne, i;

	xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	for (i = 0; i < ne; i++) {
		if (edges[i].source >= n || edges[i].target >= n)
			return xref_error_set(XREF_EINVAL,
					      "edge %zu names no node", i);
	}
	return 0;
}
