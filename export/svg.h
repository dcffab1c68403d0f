/*
 * Internal to export/: the SVG map rendered into memory, for the formats
 * that embed it (the HTML map).
 */
#ifndef XREF_EXPORT_SVG_H
#define XREF_EXPORT_SVG_H

#include "export/export.h"
#include "ingest/buf.h"

/* Appends to out exactly the bytes xref_export_svg_ex() would write for g,
 * opts and color. Same errors as xref_export_svg() except XREF_EIO; on
 * error out may hold part of the document. */
int xref_svg_render(struct xref_buf *out, const struct xref_graph *g,
		    const struct xref_export_opts *opts, enum xref_color color);

#endif
