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

#include "ingest/entity.h"

struct xref_type_style {
	const char *fill;  /* "#RRGGBB", Okabe-Ito, colour-blind safe */
	const char *shape; /* a Graphviz polygon shape name */
};

/* The style of type t (static; an out-of-range type gets a neutral grey
 * ellipse). */
const struct xref_type_style *xref_style_type(enum xref_type t);

/* Pen width for an edge of `weight` co-occurrences: 0.6 + 0.9 ln(weight),
 * capped at 6, so that heavy ties stand out without hiding the light ones. */
double xref_style_penwidth(long weight);

/* Writes v as "%.6g" with '.' as decimal separator whatever the locale into
 * buf (at least 32 bytes). Returns false, leaving "", for NaN and
 * infinities, which no format can carry as a number. */
#define XREF_NUM_BUFSZ 32
bool xref_style_num(char buf[XREF_NUM_BUFSZ], double v);

/* Flushes out and checks its error flag: 0, or XREF_EIO with "write
 * error". Every format calls it once, after writing everything. */
int xref_export_check_write(FILE *out);

#endif
