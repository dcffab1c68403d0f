/*
 * Internal to export/: the look shared by every drawn format (colour and
 * shape per entity type, edge pen widths), the one number format used in
 * every text output, and the write check.
 */
#ifndef XREF_EXPORT_STYLE_H
#define XREF_EXPORT_STYLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "export/export.h"
#include "graph/graph.h"
#include "ingest/entity.h"

struct xref_type_style {
	const char *fill;  /* "#RRGGBB", Okabe-Ito, colour-blind safe */
	const char *shape; /* a Graphviz polygon shape name */
};

/* The style of type t (static; an out-of-range type gets a neutral grey
 * ellipse). */
const struct xref_type_style *xref_style_type(enum xref_type t);

/* The fill of community c ("#RRGGBB", static): eight light colours of
 * Paul Tol's "light" scheme (black text stays readable on each) for
 * communities 0 to 7, the largest; a light grey for the others; white for
 * an unknown community (c < 0). */
#define XREF_STYLE_COMMUNITY_COLORS 8
const char *xref_style_community(long c);

/* The fill of node v when nodes are coloured by `color` (static). */
const char *xref_style_fill(const struct xref_node *v, enum xref_color color);

/* True when some node of nodes[0..n) has a known community. */
bool xref_style_has_community(const struct xref_node *nodes, size_t n);

/* Pen width for an edge of `weight` co-occurrences: 0.6 + 0.9 ln(weight),
 * capped at 6, so that heavy ties stand out without hiding the light ones. */
double xref_style_penwidth(long weight);

/* Node size scale in [0, 1] for a metric value v when the largest value is
 * vmax: sqrt(v / vmax), so that a node's area (not its diameter) follows
 * the metric; 0 for non-positive or non-finite values. */
double xref_style_scale(double v, double vmax);

/* The largest finite value of metric m over nodes[0..n) that have it; 0
 * when none has. O(n). */
double xref_style_metric_max(const struct xref_node *nodes, size_t n,
			     enum xref_metric m);

/* A node's radius in pixels for viewers that draw discs (Sigma.js through
 * graphology, Gephi through GEXF viz:size): 3 + 12 * scale of metric m
 * (3 when v does not have m). */
double xref_style_radius(const struct xref_node *v, enum xref_metric m,
			 double vmax);

/* Node diameters of the drawn map, in inches: scale 0 gets MIN (still
 * clickable), scale 1 gets MAX (does not swamp the map). The layout of
 * every format with positions uses the same sizes, so that positions leave
 * room for the nodes. */
#define XREF_STYLE_MIN_SIZE 0.22
#define XREF_STYLE_MAX_SIZE 1.10

/* The colour of s ("#RRGGBB") as three bytes; false when s is not of that
 * form. */
bool xref_style_rgb(const char *s, unsigned char rgb[3]);

/* Writes v as "%.6g" with '.' as decimal separator whatever the locale into
 * buf (at least 32 bytes). Returns false, leaving "", for NaN and
 * infinities, which no format can carry as a number. */
#define XREF_NUM_BUFSZ 32
bool xref_style_num(char buf[XREF_NUM_BUFSZ], double v);

/* xref_style_num() of xref_style_penwidth(weight), which is always finite,
 * remembered for weights below XREF_PEN_CACHE: the writers that give every
 * edge a pen width format a handful of distinct values millions of times.
 * A cache starts zeroed and belongs to one writer (one thread). Returns
 * the cache's text, or buf (filled) for other weights. */
#define XREF_PEN_CACHE 256
struct xref_pen_cache {
	char text[XREF_PEN_CACHE][XREF_NUM_BUFSZ];
	bool known[XREF_PEN_CACHE];
};
const char *xref_style_penwidth_text(struct xref_pen_cache *c, long weight,
				     char buf[XREF_NUM_BUFSZ]);

/* Flushes out and checks its error flag: 0, or XREF_EIO with "write
 * error". Every format calls it once, after writing everything. */
int xref_export_check_write(FILE *out);

/* 0, or XREF_EINVAL when an edge of g names a node that does not exist.
 * Every writer checks this before it indexes nodes by edge ends. O(E). */
int xref_export_check_edges(const struct xref_graph *g);

#endif
