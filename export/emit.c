/*
 * Escaped text appended straight into an output buffer: the JSON strings,
 * CSV cells, XML text and integers of every file export/ writes itself
 * (DOT, the JSON formats, CSV and Neo4j, GraphML, GEXF, the HTML page's
 * text) and of the result tables (table.c).
 *
 * Copying each string twice on the heap (a sanitised copy, then cJSON's
 * or the table's own) and writing it a byte at a time made the big outputs
 * (node-link JSON with every evidence sentence, the evidence CSV) slow.
 * Here each string is classified first (strlen(), then eight bytes at a
 * time, a table lookup per byte only where a word holds something):
 * printable ASCII, which sanitising and cleaning leave as it is, is quoted
 * straight from the source (one memcpy when the format escapes nothing in
 * it); anything else is sanitised or cleaned into a scratch buffer that
 * lives as long as the writer (by the appending forms of
 * xref_utf8_sanitize() and xref_utf8_clean(), so the rules stay in
 * ingest/utf8.c), then escaped into room reserved up front (a table lookup
 * per byte for JSON, runs copied between double quotes for CSV). The JSON
 * rules are those of cJSON's string printer followed by the HTML-safe
 * rewrite of jsonw.h; tests/unit/test_emit.c compares them with cJSON, the
 * CSV cells with a result table's and the XML with a plain escaper, on
 * hostile and pseudo-random strings.
 * Rejected: one fused sanitise-and-escape pass (two interleaved rule sets
 * to review, for a case that is rare in news text).
 */
#include "export/emit.h"

#include <stdint.h>
#include <string.h>

#include "export/style.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

/* Room for n more bytes, where each input byte may become `per` bytes
 * plus `extra`. */
static int reserve(struct xref_buf *b, size_t n, size_t per, size_t extra)
{
	if (n > (SIZE_MAX - extra) / per)
		return xref_error_set(XREF_ENOMEM, "text too large");
	return xref_buf_grow(b, n * per + extra);
}

/*
 * What a byte of a raw string asks for: J, JSON escaping; C, CSV quoting;
 * X, anything but printable ASCII (sanitising or cleaning may change it);
 * Q, the double quote (doubled in CSV); E, the NUL (never inside a string
 * scanned). Printable ASCII is left as it is by both
 * xref_utf8_sanitize() and xref_utf8_clean(), so a string without X needs
 * no copy before it is quoted.
 */
enum { J = 1, C = 2, X = 4, E = 8, Q = 16 };

static const unsigned char byte_class[256] = {
	/* 0x00 */ E, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0x10 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0x20 */ 0, 0, J | C | Q, 0, 0, 0, 0, 0, 0, 0, 0, 0, C, 0, 0, 0,
	/* 0x30 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, J, 0, 0, 0,
	/* 0x40 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, J, 0, 0, 0,
	/* 0x60 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x70 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, X,
	/* 0x80 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0x90 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xA0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xB0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xC0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xD0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xE0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	/* 0xF0 */ X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
};

/* Word-at-a-time tests on 8 bytes: whether some byte is zero, or below
 * 0x20 (exact as yes/no answers). */
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

static uint64_t has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGH;
}

static uint64_t has_byte(uint64_t v, unsigned char c)
{
	return has_zero(v ^ (ONES * c));
}

/* True when none of the 8 bytes has a class (printable ASCII other than
 * '"', '\\', '<' and ','). */
static bool word_is_plain(uint64_t v)
{
	return !(((v - ONES * 0x20) & ~v & HIGH) | (v & HIGH) |
		 has_byte(v, 0x7F) | has_byte(v, '"') | has_byte(v, '\\') |
		 has_byte(v, '<') | has_byte(v, ','));
}

/* The classes of the bytes of the C string s, or-ed; its length in *len.
 * strlen() first (fast in libc), then 8 bytes at a time, looking at the
 * bytes one by one only in words that hold something. */
static unsigned scan(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, j;
	unsigned acc = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v;

		memcpy(&v, s + i, 8);
		if (word_is_plain(v))
			continue;
		for (j = i; j < i + 8; j++)
			acc |= byte_class[u[j]];
	}
	for (; i < n; i++)
		acc |= byte_class[u[i]];
	*len = n;
	return acc;
}

/* Appends "s" (len bytes, nothing to escape). */
static int put_quoted(struct xref_buf *b, const char *s, size_t len)
{
	int err;

	if ((err = xref_buf_grow(b, len + 2)))
		return err;
	b->ptr[b->len] = '"';
	memcpy(b->ptr + b->len + 1, s, len);
	b->ptr[b->len + 1 + len] = '"';
	b->len += len + 2;
	b->ptr[b->len] = '\0';
	return 0;
}

/*
 * What a byte becomes in a JSON string: 0 as it is; otherwise the letter
 * after the backslash ('u': \u00xx), '<' for \u003c and 'E' for 0xE2, the
 * lead byte of U+2028 and U+2029 (looked at with the bytes after it).
 */
static const unsigned char json_esc[256] = {
	/* 0x00 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	/* 0x08 */ 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	/* 0x10 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	/* 0x18 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	/* 0x20 */ 0, 0, '"', 0, 0, 0, 0, 0,
	/* 0x28 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x30 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x38 */ 0, 0, 0, 0, '<', 0, 0, 0,
	/* 0x40 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x48 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x58 */ 0, 0, 0, 0, '\\', 0, 0, 0,
	/* 0x60 to 0xDF: nothing */
	[0xE2] = 'E',
};

int xref_emit_json_str(struct xref_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *o;
	int err;

	/* at most 6 bytes per byte ("\u00xx"), and the quotes */
	if ((err = reserve(b, len, 6, 2)))
		return err;
	o = b->ptr + b->len;
	*o++ = '"';
	while (i < len) {
		size_t j = i;
		unsigned char e;

		while (j < len && !json_esc[u[j]])
			j++;
		memcpy(o, s + i, j - i);
		o += j - i;
		if (j == len)
			break;
		e = json_esc[u[j]];
		i = j + 1;
		if (e == 'E') {
			if (j + 2 < len && u[j + 1] == 0x80 &&
			    (u[j + 2] == 0xA8 || u[j + 2] == 0xA9)) {
				memcpy(o, u[j + 2] == 0xA8 ? "\\u2028"
							   : "\\u2029", 6);
				o += 6;
				i = j + 3;
			} else {
				*o++ = (char)u[j];
			}
		} else if (e == '<') {
			memcpy(o, "\\u003c", 6);
			o += 6;
		} else if (e == 'u') {
			memcpy(o, "\\u00", 4);
			o[4] = hex[u[j] >> 4];
			o[5] = hex[u[j] & 0xF];
			o += 6;
		} else {
			o[0] = '\\';
			o[1] = (char)e;
			o += 2;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

/* s (NULL: null) as a JSON string: straight from the source when it is
 * printable ASCII, otherwise after xref_utf8_clean() when `lines` (line
 * breaks and tabs kept, to be escaped) or xref_utf8_sanitize(). */
static int json_value(struct xref_buf *b, struct xref_buf *scratch,
		      const char *s, bool lines)
{
	unsigned cls;
	size_t len;
	int err;

	if (!s)
		return xref_buf_put(b, "null", 4);
	cls = scan(s, &len);
	if (!(cls & (J | X)))
		return put_quoted(b, s, len);
	if (!(cls & X))
		return xref_emit_json_str(b, s, len);
	xref_buf_clear(scratch);
	err = lines ? xref_utf8_clean_append(scratch, s, len)
		    : xref_utf8_sanitize_append(scratch, s, len);
	if (err)
		return err;
	return xref_emit_json_str(b, scratch->ptr, scratch->len);
}

int xref_emit_json_text(struct xref_buf *b, struct xref_buf *scratch,
			const char *s)
{
	return json_value(b, scratch, s, false);
}

int xref_emit_json_lines(struct xref_buf *b, struct xref_buf *scratch,
			 const char *s)
{
	return json_value(b, scratch, s, true);
}

/* u in decimal, after `sign` when it is not NUL. */
static int put_decimal(struct xref_buf *b, unsigned long long u, char sign)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (sign)
		*--p = sign;
	return xref_buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

int xref_emit_long(struct xref_buf *b, long long v)
{
	/* through unsigned: -LLONG_MIN does not fit */
	if (v < 0)
		return put_decimal(b, 0ULL - (unsigned long long)v, '-');
	return put_decimal(b, (unsigned long long)v, '\0');
}

int xref_emit_ulong(struct xref_buf *b, unsigned long long v)
{
	return put_decimal(b, v, '\0');
}

/* Whether a spreadsheet could read a cell starting with s[0..len) as a
 * formula: it starts with = + - or @. */
static bool starts_formula(const char *s, size_t len)
{
	return len && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
		       s[0] == '@');
}

/* s[0..len) as a CSV cell: as it is unless `quote`; otherwise in double
 * quotes, after an apostrophe when `apostrophe`, with every '"' doubled. */
static int put_cell(struct xref_buf *b, const char *s, size_t len,
		    bool quote, bool apostrophe)
{
	const char *q;
	char *o;
	int err;

	if (!quote)
		return xref_buf_put(b, s, len);
	/* every byte may double; the quotes and the apostrophe */
	if ((err = reserve(b, len, 2, 3)))
		return err;
	o = b->ptr + b->len;
	*o++ = '"';
	if (apostrophe)
		*o++ = '\'';
	while ((q = memchr(s, '"', len)) != NULL) {
		size_t run = (size_t)(q - s) + 1;

		memcpy(o, s, run);
		o += run;
		*o++ = '"';
		s += run;
		len -= run;
	}
	memcpy(o, s, len);
	o += len;
	*o++ = '"';
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

int xref_emit_csv_cell(struct xref_buf *b, const char *s, size_t len)
{
	return xref_emit_csv_field(b, s, len, true);
}

int xref_emit_csv_field(struct xref_buf *b, const char *s, size_t len,
			bool guard)
{
	bool apostrophe = guard && starts_formula(s, len);
	bool quote = apostrophe;
	size_t i;

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	return put_cell(b, s, len, quote, apostrophe);
}

int xref_emit_csv_text(struct xref_buf *b, struct xref_buf *scratch,
		       const char *s)
{
	bool apostrophe;
	unsigned cls;
	size_t len;
	int err;

	if (!s)
		return 0;
	cls = scan(s, &len);
	if (cls & X) {
		xref_buf_clear(scratch);
		if ((err = xref_utf8_sanitize_append(scratch, s, len)))
			return err;
		return xref_emit_csv_cell(b, scratch->ptr, scratch->len);
	}
	/* printable ASCII: the class says whether it needs quotes */
	apostrophe = starts_formula(s, len);
	return put_cell(b, s, len, apostrophe || (cls & C), apostrophe);
}

int xref_emit_drain(struct xref_buf *b, FILE *out, size_t above)
{
	if (!out || !b->len || b->len <= above)
		return 0;
	if (fwrite(b->ptr, 1, b->len, out) != b->len)
		return xref_error_set(XREF_EIO, "write error");
	xref_buf_clear(b);
	return 0;
}

int xref_emit_xml(struct xref_buf *b, struct xref_buf *scratch,
		  const char *s)
{
	const char *p, *end;
	size_t len;
	char *o;
	int err;

	if (!s)
		return 0;
	if (scan(s, &len) & X) {
		xref_buf_clear(scratch);
		if ((err = xref_utf8_sanitize_append(scratch, s, len)))
			return err;
		s = scratch->ptr;
		len = scratch->len;
	}
	/* at most 6 bytes per byte ("&quot;") */
	if ((err = reserve(b, len, 6, 0)))
		return err;
	o = b->ptr + b->len;
	for (p = s, end = s + len; p < end; p++) {
		switch (*p) {
		case '&':
			memcpy(o, "&amp;", 5);
			o += 5;
			break;
		case '<':
			memcpy(o, "&lt;", 4);
			o += 4;
			break;
		case '>':
			memcpy(o, "&gt;", 4);
			o += 4;
			break;
		case '"':
			memcpy(o, "&quot;", 6);
			o += 6;
			break;
		case '\'':
			memcpy(o, "&#39;", 5);
			o += 5;
			break;
		default:
			*o++ = *p;
		}
	}
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

void xref_textw_init(struct xref_textw *w, FILE *out)
{
	xref_buf_init(&w->b);
	xref_buf_init(&w->scratch);
	w->out = out;
	w->err = 0;
}

void xref_textw_put(struct xref_textw *w, const char *s, size_t len)
{
	if (!w->err)
		w->err = xref_buf_put(&w->b, s, len);
}

void xref_textw_puts(struct xref_textw *w, const char *s)
{
	xref_textw_put(w, s, strlen(s));
}

void xref_textw_long(struct xref_textw *w, long long v)
{
	if (!w->err)
		w->err = xref_emit_long(&w->b, v);
}

void xref_textw_ulong(struct xref_textw *w, unsigned long long v)
{
	if (!w->err)
		w->err = xref_emit_ulong(&w->b, v);
}

void xref_textw_xml(struct xref_textw *w, const char *s)
{
	if (!w->err)
		w->err = xref_emit_xml(&w->b, &w->scratch, s);
}

void xref_textw_drain(struct xref_textw *w)
{
	if (!w->err)
		w->err = xref_emit_drain(&w->b, w->out, XREF_EMIT_FLUSH);
}

int xref_textw_finish(struct xref_textw *w)
{
	int err = w->err;

	if (!err)
		err = xref_emit_drain(&w->b, w->out, 0);
	if (!err)
		err = xref_export_check_write(w->out);
	xref_buf_release(&w->b);
	xref_buf_release(&w->scratch);
	return err;
}
