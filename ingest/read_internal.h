/*
 * Internal interface shared by the format readers (read_text.c,
 * read_html.c, read_jsonl.c) and the file/directory layer (reader.c).
 * Not part of the public API.
 */
#ifndef XREF_INGEST_READ_INTERNAL_H
#define XREF_INGEST_READ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/buf.h"
#include "ingest/bytes_internal.h"
#include "ingest/reader.h"
#include "ingest/status.h"

/* Where documents come from: `source` is the path as given ("-" for
 * standard input), used for messages, doc->source and derived ids. */
struct xref_rsrc {
	const char *source;
	const struct xref_reader_opts *opts;
};

/* A document before cleaning. Every field is a borrowed byte range that
 * may hold anything (invalid UTF-8, controls); NULL means absent. */
struct xref_raw_doc {
	const char *id;
	size_t id_len;
	const char *title;
	size_t title_len;
	const char *url;
	size_t url_len;
	const char *date; /* free text, normalised by xref_date_parse() */
	size_t date_len;
	const char *text;
	size_t text_len;
	size_t line;      /* 1-based line where the document starts */
	bool line_id;     /* without an id: "SOURCE:LINE" instead of "SOURCE" */
};

/* Reports a per-file or per-line problem through opts->on_warn (if any). */
void xref_reader_warn(const struct xref_rsrc *src, size_t line,
		      const char *fmt, ...) XREF_PRINTF(3, 4);

/* Cleans every field of `raw` (xref_utf8_clean; title and url trimmed and
 * whitespace-collapsed; dangerous url schemes dropped; date normalised;
 * text trimmed) and hands the document to opts->on_doc. When the cleaned
 * text is empty nothing is emitted and *empty is set. Returns 0, the
 * callback's non-zero value, or XREF_ENOMEM. */
int xref_reader_emit(const struct xref_rsrc *src, const struct xref_raw_doc *raw,
		     bool *empty);

/* For the loops that copy text: true when the eight bytes at p (loaded
 * into w), coming after a byte that is not whitespace, are left as they
 * are by whitespace collapsing: no byte below 0x20, no two spaces in a
 * row, and no space at the end (it might start a run). Bytes in `stop` (a
 * mask of xref_bytes_eq() results for the caller's markup bytes) make it
 * false too. */
static inline bool xref_bytes_plain(const char *p, uint64_t w, uint64_t stop)
{
	uint64_t sp = xref_bytes_eq(w, ' ');

	return !(stop | xref_bytes_below(w, 0x20) | (sp & (sp << 8))) &&
	       p[7] != ' ';
}

/* True when s[0..len) holds only ASCII whitespace. */
bool xref_reader_is_blank(const char *s, size_t len);

/* Decodes the HTML character reference at s[0] == '&' (numeric, or one of
 * the common named references). Writes its UTF-8 form (0 to 4 bytes) to
 * out, its length to *out_len, and returns the number of input bytes it
 * used, or 0 when s does not start a reference. */
size_t xref_html_charref(const char *s, size_t len, char out[4],
			 size_t *out_len);

/* Format readers over a whole in-memory file (BOM already removed, not
 * empty, not binary). Same results as xref_ingest_read_buffer(). */
int xref_read_txt(const char *data, size_t len, const struct xref_rsrc *src);
int xref_read_md(const char *data, size_t len, const struct xref_rsrc *src);
int xref_read_html(const char *data, size_t len, const struct xref_rsrc *src);

/* JSON Lines over a buffer, and streamed from `f` after `pre[0..pre_len)`
 * (bytes already read from f, e.g. while sniffing standard input), with
 * the first line numbered `first_line`. Same results as
 * xref_ingest_read_buffer(); a read error is reported through on_warn. */
int xref_read_jsonl_buffer(const char *data, size_t len,
			   const struct xref_rsrc *src);
int xref_read_jsonl_stream(FILE *f, const char *pre, size_t pre_len,
			   size_t first_line, const struct xref_rsrc *src);

#endif
