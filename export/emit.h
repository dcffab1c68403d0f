/*
 * Internal to export/: appending escaped text and numbers straight into
 * one growing output buffer, without a heap copy per string. Every writer
 * of a file export/ writes itself (DOT, the JSON formats through jsonw.h,
 * CSV and Neo4j, GraphML and GEXF through struct xref_textw, the HTML
 * page's text through xml.h) and the result tables of table.h write their
 * text with these. Where a slower path gives the same text (cJSON's
 * printer, a result table's cell), the function names it and gives exactly
 * its bytes.
 *
 * All functions append to b and return 0 or XREF_ENOMEM; b keeps its
 * NUL terminator. Lengths are in bytes; s may hold any bytes (NUL bytes
 * included, when a length is given).
 */
#ifndef XREF_EXPORT_EMIT_H
#define XREF_EXPORT_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ingest/buf.h"

/* s[0..len) as a quoted JSON string, as cJSON prints it (\" \\ \b \f \n
 * \r \t, other bytes below 0x20 as \u00xx, everything else as it is) and
 * then made safe for HTML as xref_json_print() does: '<' as \u003c, U+2028
 * and U+2029 as \u2028 and \u2029. s is not sanitised here. O(len). */
int xref_emit_json_str(struct xref_buf *b, const char *s, size_t len);

/* xref_json_add_text()'s value: null when s is NULL, otherwise s after
 * xref_utf8_sanitize() as a JSON string (xref_emit_json_str()). scratch is
 * working memory kept between calls (released by the caller). */
int xref_emit_json_text(struct xref_buf *b, struct xref_buf *scratch,
			const char *s);

/* Like xref_emit_json_text() with xref_utf8_clean() instead of
 * xref_utf8_sanitize(): line breaks and tabs are kept (and escaped), for
 * multi-line text such as evidence. */
int xref_emit_json_lines(struct xref_buf *b, struct xref_buf *scratch,
			 const char *s);

/* v in decimal, as "%lld" prints it. */
int xref_emit_long(struct xref_buf *b, long long v);
/* v in decimal, as "%llu" (and "%zu") print it. */
int xref_emit_ulong(struct xref_buf *b, unsigned long long v);

/* One CSV cell holding the (already sanitised) text s[0..len): quoted
 * when it holds ',', '"', CR or LF, quotes doubled, and with `guard` a
 * leading apostrophe inside quotes when it starts with = + - or @ (the
 * result tables guard string cells, not numbers: table.h). */
int xref_emit_csv_field(struct xref_buf *b, const char *s, size_t len,
			bool guard);

/* xref_emit_csv_field() with the guard: a string cell. */
int xref_emit_csv_cell(struct xref_buf *b, const char *s, size_t len);

/* A string cell of a result table from the raw string s: NULL is an empty
 * cell; otherwise s after xref_utf8_sanitize() through
 * xref_emit_csv_cell(). scratch as for xref_emit_json_text(). */
int xref_emit_csv_text(struct xref_buf *b, struct xref_buf *scratch,
		       const char *s);

/* Writes what b holds to out and empties b, when b holds more than
 * `above` bytes (0: whenever it holds anything). 0, or XREF_EIO with
 * "write error". */
int xref_emit_drain(struct xref_buf *b, FILE *out, size_t above);

/* The size above which the streaming writers drain their buffer. */
#define XREF_EMIT_FLUSH ((size_t)1 << 20)

/* s with the five XML specials written &amp; &lt; &gt; &quot; &#39;, after
 * xref_utf8_sanitize(); nothing for NULL. The escaping of every XML and
 * HTML text we write (xml.h: xref_xml_append() calls this). */
int xref_emit_xml(struct xref_buf *b, struct xref_buf *scratch,
		  const char *s);

/*
 * A text file written through one buffer, for the writers that used to
 * call fprintf() per field: every call appends, the first error sticks
 * (later calls do nothing), and the buffer goes to the file whenever it
 * passes XREF_EMIT_FLUSH (xref_textw_drain()) and at the end.
 */
struct xref_textw {
	struct xref_buf b, scratch;
	FILE *out;
	int err;
};

void xref_textw_init(struct xref_textw *w, FILE *out);
void xref_textw_put(struct xref_textw *w, const char *s, size_t len);
void xref_textw_puts(struct xref_textw *w, const char *s);
void xref_textw_long(struct xref_textw *w, long long v);
void xref_textw_ulong(struct xref_textw *w, unsigned long long v);
/* xref_emit_xml() */
void xref_textw_xml(struct xref_textw *w, const char *s);
/* Writes the buffer out when it passes XREF_EMIT_FLUSH. */
void xref_textw_drain(struct xref_textw *w);
/* Writes the rest, checks the stream (xref_export_check_write()) unless
 * an error came first, and frees the buffers. Returns the first error: 0,
 * XREF_ENOMEM or XREF_EIO. */
int xref_textw_finish(struct xref_textw *w);

/* A string literal, without strlen(). */
#define XREF_TEXTW_LIT(w, lit) xref_textw_put((w), (lit), sizeof(lit) - 1)

#endif
