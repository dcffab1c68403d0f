/*
 * A strict JSON pull parser: the JSON Lines reader and the gold-data reader
 * walk a line's objects and arrays through it, decoding the values they
 * need into reusable buffers and validating and skipping everything else.
 *
 * Why not cJSON: it lives in export/ only, and it would build a tree for
 * every line when a reader wants a handful of fields. Why not a tree of our
 * own: a pull parser needs no allocation besides the caller's buffers, and
 * the callers know the shape they expect, so they can report a wrong type
 * in their own words. Skipping is iterative with an explicit stack (depth
 * limit XREF_JP_MAX_DEPTH), so no input can exhaust the C stack. String
 * content is scanned eight bytes at a time for the next quote, backslash
 * or control character: article texts are long strings with few escapes.
 */
#include "ingest/json.h"

#include <stdint.h>
#include <string.h>

#include "ingest/bytes_internal.h"
#include "ingest/status.h"

void xref_jp_init(struct xref_jp *p, const char *s, size_t len)
{
	p->s = s;
	p->len = len;
	p->pos = 0;
	p->err = NULL;
	p->err_col = 0;
}

/* Reports `msg` as it is, at the current position. */
static int fail_at(struct xref_jp *p, const char *msg)
{
	p->err = msg;
	p->err_col = p->pos + 1;
	return XREF_JP_SYNTAX;
}

int xref_jp_fail(struct xref_jp *p, const char *msg)
{
	return fail_at(p, p->pos >= p->len ? "unexpected end of line" : msg);
}

void xref_jp_ws(struct xref_jp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum xref_jp_kind xref_jp_peek(struct xref_jp *p)
{
	char c;

	xref_jp_ws(p);
	if (p->pos >= p->len)
		return XREF_JP_END;
	c = p->s[p->pos];
	switch (c) {
	case '{': return XREF_JP_OBJECT;
	case '[': return XREF_JP_ARRAY;
	case '"': return XREF_JP_STRING;
	case 't':
	case 'f': return XREF_JP_BOOL;
	case 'n': return XREF_JP_NULL;
	default:
		return c == '-' || is_digit(c) ? XREF_JP_NUMBER
					       : XREF_JP_INVALID;
	}
}

static int hex4(const char *s, int32_t *out)
{
	int32_t v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int put_cp(struct xref_buf *b, int32_t cp)
{
	char o[4];
	size_t n;

	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return xref_buf_put(b, o, n);
}

/* The escape at s[pos] == '\\'. */
static int string_escape(struct xref_jp *p, struct xref_buf *out)
{
	const char *s = p->s;
	unsigned char c;
	char e;

	if (p->pos + 1 >= p->len)
		return fail_at(p, "unterminated string");
	c = (unsigned char)s[p->pos + 1];
	if (c == 'u') {
		int32_t cp, lo;

		if (p->pos + 6 > p->len || hex4(s + p->pos + 2, &cp))
			return fail_at(p, "invalid \\u escape");
		p->pos += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (p->pos + 6 <= p->len && s[p->pos] == '\\' &&
			    s[p->pos + 1] == 'u' && !hex4(s + p->pos + 2, &lo) &&
			    lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				p->pos += 6;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			cp = 0xFFFD;
		}
		return out ? put_cp(out, cp) : 0;
	}
	switch (c) {
	case '"': e = '"'; break;
	case '\\': e = '\\'; break;
	case '/': e = '/'; break;
	case 'b': e = '\b'; break;
	case 'f': e = '\f'; break;
	case 'n': e = '\n'; break;
	case 'r': e = '\r'; break;
	case 't': e = '\t'; break;
	default:
		return fail_at(p, "invalid escape in string");
	}
	p->pos += 2;
	return out ? xref_buf_putc(out, e) : 0;
}

/* Does any of the 8 bytes in w end a run of string content ('"', '\\'
 * or a control character)? Exact: never yes for a word without one. */
static bool word_ends_run(uint64_t w)
{
	return xref_bytes_any_below(w, 0x20) | xref_bytes_any_eq(w, '"') |
	       xref_bytes_any_eq(w, '\\');
}

/* The end of the run of plain string content starting at s[i]: the first
 * '"', '\\' or control character, or len. Eight bytes at a time, since
 * article texts are long strings with few escapes. */
static size_t string_run(const char *s, size_t i, size_t len)
{
	while (len - i >= 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (word_ends_run(w))
			break;
		i += 8;
	}
	while (i < len && s[i] != '"' && s[i] != '\\' &&
	       (unsigned char)s[i] >= 0x20)
		i++;
	return i;
}

int xref_jp_string(struct xref_jp *p, struct xref_buf *out)
{
	const char *s = p->s;
	int err = 0;

	xref_jp_ws(p);
	if (p->pos >= p->len || s[p->pos] != '"')
		return xref_jp_fail(p, "expected a string");
	p->pos++;
	for (;;) {
		size_t start = p->pos;
		unsigned char c;

		p->pos = string_run(s, p->pos, p->len);
		if (out && p->pos > start)
			err = xref_buf_put(out, s + start, p->pos - start);
		if (err)
			return err;
		if (p->pos >= p->len)
			return fail_at(p, "unterminated string");
		c = (unsigned char)s[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return xref_jp_fail(p, "control character in string");
		err = string_escape(p, out);
		if (err)
			return err;
	}
}

int xref_jp_number(struct xref_jp *p, struct xref_buf *out)
{
	const char *s = p->s;
	size_t start;

	xref_jp_ws(p);
	start = p->pos;
	if (p->pos < p->len && s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(s[p->pos]))
		return xref_jp_fail(p, "invalid number");
	if (s[p->pos] == '0') {
		p->pos++;
	} else {
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(s[p->pos]))
			return xref_jp_fail(p, "invalid number");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(s[p->pos]))
			return xref_jp_fail(p, "invalid number");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	return out ? xref_buf_put(out, s + start, p->pos - start) : 0;
}

static int literal(struct xref_jp *p)
{
	static const char *const lits[] = { "true", "false", "null" };

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(lits[i]);

		if (p->len - p->pos >= n && memcmp(p->s + p->pos, lits[i], n) == 0) {
			p->pos += n;
			return 0;
		}
	}
	return xref_jp_fail(p, "expected a value");
}

/* A string, number or literal at p->pos. */
static int scalar(struct xref_jp *p)
{
	char c;

	if (p->pos >= p->len)
		return xref_jp_fail(p, "expected a value");
	c = p->s[p->pos];
	if (c == '"')
		return xref_jp_string(p, NULL);
	if (c == '-' || is_digit(c))
		return xref_jp_number(p, NULL);
	return literal(p);
}

/* `"key" :` with the key decoded into out (when not NULL). */
static int member_key(struct xref_jp *p, struct xref_buf *out)
{
	int r;

	xref_jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return xref_jp_fail(p, "expected a string key");
	r = xref_jp_string(p, out);
	if (r)
		return r;
	xref_jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':')
		return xref_jp_fail(p, "expected ':'");
	p->pos++;
	return 0;
}

int xref_jp_skip(struct xref_jp *p, int depth)
{
	char stack[XREF_JP_MAX_DEPTH];
	int n = 0, r;

	for (;;) {
		bool done = false;
		char c;

		xref_jp_ws(p);
		if (p->pos >= p->len)
			return xref_jp_fail(p, "expected a value");
		c = p->s[p->pos];
		if (c == '{' || c == '[') {
			if (depth + n >= XREF_JP_MAX_DEPTH)
				return xref_jp_fail(p, "nesting too deep");
			stack[n++] = c == '{' ? '}' : ']';
			p->pos++;
			xref_jp_ws(p);
			if (p->pos < p->len && p->s[p->pos] == stack[n - 1]) {
				p->pos++;
				n--;
				done = true;
			} else if (stack[n - 1] == '}') {
				r = member_key(p, NULL);
				if (r)
					return r;
			}
		} else {
			r = scalar(p);
			if (r)
				return r;
			done = true;
		}
		/* after a complete value: close containers or go on */
		while (done) {
			if (n == 0)
				return 0;
			xref_jp_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				if (stack[n - 1] == '}') {
					r = member_key(p, NULL);
					if (r)
						return r;
				}
				done = false;
			} else if (p->pos < p->len && p->s[p->pos] == stack[n - 1]) {
				p->pos++;
				n--;
			} else {
				return xref_jp_fail(p, stack[n - 1] == '}'
							 ? "expected ',' or '}'"
							 : "expected ',' or ']'");
			}
		}
	}
}

int xref_jp_object_begin(struct xref_jp *p)
{
	xref_jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '{')
		return xref_jp_fail(p, "expected an object");
	p->pos++;
	return 0;
}

int xref_jp_object_next(struct xref_jp *p, size_t index,
			  struct xref_buf *key, bool *more)
{
	*more = false;
	xref_jp_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		return 0;
	}
	if (index > 0) {
		if (p->pos >= p->len || p->s[p->pos] != ',')
			return xref_jp_fail(p, "expected ',' or '}'");
		p->pos++;
	}
	if (key)
		xref_buf_clear(key);
	*more = true;
	return member_key(p, key);
}

int xref_jp_array_begin(struct xref_jp *p)
{
	xref_jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '[')
		return xref_jp_fail(p, "expected an array");
	p->pos++;
	return 0;
}

int xref_jp_array_next(struct xref_jp *p, size_t index, bool *more)
{
	*more = false;
	xref_jp_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	if (index > 0) {
		if (p->pos >= p->len || p->s[p->pos] != ',')
			return xref_jp_fail(p, "expected ',' or ']'");
		p->pos++;
	}
	*more = true;
	return 0;
}
