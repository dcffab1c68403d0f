/*
 * Internal to export/: text for the XML formats written by hand (GraphML,
 * GEXF) and for HTML.
 */
#ifndef XREF_EXPORT_XML_H
#define XREF_EXPORT_XML_H

#include <stdio.h>

#include "ingest/buf.h"

/* Appends s (NULL: nothing) as XML character data or as the inside of a
 * quoted attribute value: first made valid UTF-8 without control
 * characters or code points XML 1.0 forbids (xref_utf8_sanitize()), then
 * with & < > " ' written as &amp; &lt; &gt; &quot; &#39;. The result is
 * also safe as HTML text and HTML attribute values. xref_emit_xml() with
 * working memory of its own, freed before returning. Returns 0 or
 * XREF_ENOMEM. O(strlen(s)). */
int xref_xml_append(struct xref_buf *b, const char *s);

#endif
