/*
 * JSON Lines reader: one article per line (id, title, url, date, text).
 *
 * A small strict JSON parser of our own: cJSON lives in export/ only, and
 * it would build a tree for every line when we need five string fields.
 * Values of the fields we want are decoded into reusable buffers; every
 * other value is validated and skipped by an iterative scanner with an
 * explicit stack (depth limit 64), so no input can exhaust the C stack.
 *
 * Files are streamed through a line reader whose buffer grows with the
 * longest line (no fixed limit) and is reused; a malformed line is
 * reported with its line and column and reading goes on. Invalid UTF-8
 * inside strings is not a JSON error here: the text is cleaned like every
 * other document (xref_utf8_clean), so one bad byte cannot lose an
 * article.
 */
#include "ingest/read_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64
#define LINE_CHUNK 65536

enum jtype { J_ABSENT, J_STRING, J_NUMBER, J_NULL, J_OTHER };
enum jfield { F_ID, F_TITLE, F_URL, F_DATE, F_TEXT, F_BODY, F_CONTENT,
	      F_COUNT };

static const char *const field_names[F_COUNT] = {
	"id", "title", "url", "date", "text", "body", "content",
};

struct jsonl {
	struct xref_buf key;
	struct xref_buf val[F_COUNT];
	enum jtype type[F_COUNT];
	bool any; /* a non-blank line was seen */
};

struct jp {
	const char *s;
	size_t len, pos;
	const char *err; /* syntax error message, or NULL */
	size_t err_col;  /* 1-based byte column of the error */
};

/* Parser results: 0 ok, 1 syntax error (p->err set), negative status.
 * jp_fail_at() reports `msg` as is; jp_fail() says "unexpected end of
 * line" instead when the line ran out, which is then the real cause. */
static int jp_fail_at(struct jp *p, const char *msg)
{
	p->err = msg;
	p->err_col = p->pos + 1;
	return 1;
}

static int jp_fail(struct jp *p, const char *msg)
{
	return jp_fail_at(p, p->pos >= p->len ? "unexpected end of line" : msg);
}

static void jp_ws(struct jp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
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

/* A string at p->pos (which is '"'); decoded into out when out != NULL. */
static int jp_string(struct jp *p, struct xref_buf *out)
{
	const char *s = p->s;
	int err = 0;

	p->pos++;
	for (;;) {
		size_t start = p->pos;
		unsigned char c;

		while (p->pos < p->len && s[p->pos] != '"' && s[p->pos] != '\\' &&
		       (unsigned char)s[p->pos] >= 0x20)
			p->pos++;
		if (out && p->pos > start)
			err = xref_buf_put(out, s + start, p->pos - start);
		if (err)
			return err;
		if (p->pos >= p->len)
			return jp_fail_at(p, "unterminated string");
		c = (unsigned char)s[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return jp_fail(p, "control character in string");
		/* an escape */
		if (p->pos + 1 >= p->len)
			return jp_fail_at(p, "unterminated string");
		c = (unsigned char)s[p->pos + 1];
		if (c == 'u') {
			int32_t cp, lo;

			if (p->pos + 6 > p->len || hex4(s + p->pos + 2, &cp))
				return jp_fail_at(p, "invalid \\u escape");
			p->pos += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (p->pos + 6 <= p->len && s[p->pos] == '\\' &&
				    s[p->pos + 1] == 'u' &&
				    !hex4(s + p->pos + 2, &lo) && lo >= 0xDC00 &&
				    lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) +
					     (lo - 0xDC00);
					p->pos += 6;
				} else {
					cp = 0xFFFD;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			if (out)
				err = put_cp(out, cp);
		} else {
			char e;

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
				return jp_fail_at(p, "invalid escape in string");
			}
			p->pos += 2;
			if (out)
				err = xref_buf_putc(out, e);
		}
		if (err)
			return err;
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int jp_number(struct jp *p)
{
	const char *s = p->s;

	if (p->pos < p->len && s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(s[p->pos]))
		return jp_fail(p, "invalid number");
	if (s[p->pos] == '0') {
		p->pos++;
	} else {
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(s[p->pos]))
			return jp_fail(p, "invalid number");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(s[p->pos]))
			return jp_fail(p, "invalid number");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	return 0;
}

static int jp_literal(struct jp *p)
{
	static const char *const lits[] = { "true", "false", "null" };

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(lits[i]);

		if (p->len - p->pos >= n && memcmp(p->s + p->pos, lits[i], n) == 0) {
			p->pos += n;
			return 0;
		}
	}
	return jp_fail(p, "expected a value");
}

/* A string, number or literal at p->pos. */
static int jp_scalar(struct jp *p)
{
	char c;

	if (p->pos >= p->len)
		return jp_fail(p, "expected a value");
	c = p->s[p->pos];
	if (c == '"')
		return jp_string(p, NULL);
	if (c == '-' || is_digit(c))
		return jp_number(p);
	return jp_literal(p);
}

/* `"key" :` with the key decoded into out (when not NULL). */
static int jp_key(struct jp *p, struct xref_buf *out)
{
	int r;

	jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return jp_fail(p, "expected a string key");
	r = jp_string(p, out);
	if (r)
		return r;
	jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':')
		return jp_fail(p, "expected ':'");
	p->pos++;
	return 0;
}

/* Validates and skips any value; `depth` containers are already open. */
static int jp_skip_value(struct jp *p, int depth)
{
	char stack[JSON_MAX_DEPTH];
	int n = 0, r;

	for (;;) {
		bool done = false;
		char c;

		jp_ws(p);
		if (p->pos >= p->len)
			return jp_fail(p, "expected a value");
		c = p->s[p->pos];
		if (c == '{' || c == '[') {
			if (depth + n >= JSON_MAX_DEPTH)
				return jp_fail(p, "nesting too deep");
			stack[n++] = c == '{' ? '}' : ']';
			p->pos++;
			jp_ws(p);
			if (p->pos < p->len && p->s[p->pos] == stack[n - 1]) {
				p->pos++;
				n--;
				done = true;
			} else if (stack[n - 1] == '}') {
				r = jp_key(p, NULL);
				if (r)
					return r;
			}
		} else {
			r = jp_scalar(p);
			if (r)
				return r;
			done = true;
		}
		/* after a complete value: close containers or go on */
		while (done) {
			if (n == 0)
				return 0;
			jp_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				if (stack[n - 1] == '}') {
					r = jp_key(p, NULL);
					if (r)
						return r;
				}
				done = false;
			} else if (p->pos < p->len && p->s[p->pos] == stack[n - 1]) {
				p->pos++;
				n--;
			} else {
				return jp_fail(p, stack[n - 1] == '}'
							  ? "expected ',' or '}'"
							  : "expected ',' or ']'");
			}
		}
	}
}

static int field_of(const struct xref_buf *key)
{
	for (int i = 0; i < F_COUNT; i++)
		if (key->len == strlen(field_names[i]) &&
		    memcmp(key->ptr, field_names[i], key->len) == 0)
			return i;
	return -1;
}

/* The value of a field we keep; last one wins for duplicate keys. */
static int jp_field(struct jp *p, struct jsonl *st, int f)
{
	size_t start = p->pos;
	char c;
	int r;

	if (p->pos >= p->len)
		return jp_fail(p, "expected a value");
	c = p->s[p->pos];
	xref_buf_clear(&st->val[f]);
	if (c == '"') {
		st->type[f] = J_STRING;
		return jp_string(p, &st->val[f]);
	}
	if (c == '-' || is_digit(c)) {
		r = jp_number(p);
		if (r)
			return r;
		st->type[f] = J_NUMBER;
		return xref_buf_put(&st->val[f], p->s + start, p->pos - start);
	}
	if (c == 'n' && p->len - p->pos >= 4 && memcmp(p->s + p->pos, "null", 4) == 0) {
		p->pos += 4;
		st->type[f] = J_NULL;
		return 0;
	}
	st->type[f] = J_OTHER;
	return jp_skip_value(p, 1);
}

static int jp_line(struct jp *p, struct jsonl *st)
{
	int r, f;

	jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '{')
		return jp_fail(p, "expected an object");
	p->pos++;
	jp_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
	} else {
		for (;;) {
			xref_buf_clear(&st->key);
			r = jp_key(p, &st->key);
			if (r)
				return r;
			jp_ws(p);
			f = field_of(&st->key);
			r = f >= 0 ? jp_field(p, st, f) : jp_skip_value(p, 1);
			if (r)
				return r;
			jp_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == '}') {
				p->pos++;
				break;
			}
			return jp_fail(p, "expected ',' or '}'");
		}
	}
	jp_ws(p);
	if (p->pos < p->len)
		return jp_fail(p, "unexpected data after the object");
	return 0;
}

static void field_raw(const struct jsonl *st, int f, const char **s, size_t *n)
{
	*s = NULL;
	*n = 0;
	if (st->type[f] == J_STRING ||
	    (f == F_ID && st->type[f] == J_NUMBER)) {
		*s = xref_buf_cstr(&st->val[f]);
		*n = st->val[f].len;
	}
}

static int do_line(struct jsonl *st, const char *line, size_t n,
		   size_t lineno, const struct xref_rsrc *src)
{
	struct jp p = { line, n, 0, NULL, 0 };
	struct xref_raw_doc raw = { 0 };
	bool empty = false;
	int r, text = -1;

	if (xref_reader_is_blank(line, n))
		return 0;
	st->any = true;
	for (int i = 0; i < F_COUNT; i++)
		st->type[i] = J_ABSENT;
	r = jp_line(&p, st);
	if (r < 0)
		return r;
	if (r > 0) {
		xref_reader_warn(src, lineno, "invalid JSON at column %zu: %s",
				 p.err_col, p.err);
		return 0;
	}
	if (st->type[F_TEXT] == J_STRING)
		text = F_TEXT;
	else if (st->type[F_BODY] == J_STRING)
		text = F_BODY;
	else if (st->type[F_CONTENT] == J_STRING)
		text = F_CONTENT;
	if (text < 0) {
		xref_reader_warn(src, lineno,
				 st->type[F_TEXT] == J_ABSENT ||
						 st->type[F_TEXT] == J_NULL
					 ? "missing \"text\""
					 : "\"text\" is not a string");
		return 0;
	}
	field_raw(st, F_ID, &raw.id, &raw.id_len);
	field_raw(st, F_TITLE, &raw.title, &raw.title_len);
	field_raw(st, F_URL, &raw.url, &raw.url_len);
	field_raw(st, F_DATE, &raw.date, &raw.date_len);
	field_raw(st, text, &raw.text, &raw.text_len);
	raw.line = lineno;
	raw.line_id = true;
	r = xref_reader_emit(src, &raw, &empty);
	if (!r && empty)
		xref_reader_warn(src, lineno, "empty \"%s\"", field_names[text]);
	return r;
}

static void jsonl_release(struct jsonl *st)
{
	xref_buf_release(&st->key);
	for (int i = 0; i < F_COUNT; i++)
		xref_buf_release(&st->val[i]);
}

static void skip_bom(const char **line, size_t *n)
{
	if (*n >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) {
		*line += 3;
		*n -= 3;
	}
}

int xref_read_jsonl_buffer(const char *data, size_t len,
			   const struct xref_rsrc *src)
{
	struct jsonl st = { 0 };
	size_t pos = 0, lineno = 0;
	int err = 0;

	while (pos < len && !err) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		const char *line = data + pos;
		size_t n = end - pos;

		if (++lineno == 1)
			skip_bom(&line, &n);
		err = do_line(&st, line, n, lineno, src);
		pos = end + 1;
	}
	if (!err && !st.any)
		xref_reader_warn(src, 0, "empty file, skipped");
	jsonl_release(&st);
	return err;
}

/* ---- streaming ---- */

struct lreader {
	FILE *f;
	char *buf;
	size_t cap, len, pos, scan;
	bool eof;
};

enum { LR_EOF = 0, LR_LINE = 1, LR_SKIPPED = 2 };

/* Reads more input after the current partial line. 0, XREF_ENOMEM (the
 * line does not fit in memory) or XREF_EIO (errno set). */
static int lr_fill(struct lreader *lr)
{
	size_t want, got;

	if (lr->pos > 0) {
		memmove(lr->buf, lr->buf + lr->pos, lr->len - lr->pos);
		lr->len -= lr->pos;
		lr->scan -= lr->pos;
		lr->pos = 0;
	}
	if (lr->len == lr->cap) {
		size_t cap = lr->cap ? lr->cap * 2 : LINE_CHUNK;
		char *p;

		if (lr->cap > SIZE_MAX / 2)
			return XREF_ENOMEM;
		p = realloc(lr->buf, cap);
		if (!p)
			return XREF_ENOMEM;
		lr->buf = p;
		lr->cap = cap;
	}
	want = lr->cap - lr->len;
	got = fread(lr->buf + lr->len, 1, want, lr->f);
	lr->len += got;
	if (got < want) {
		if (ferror(lr->f))
			return XREF_EIO;
		lr->eof = true;
	}
	return 0;
}

/* Discards input up to and including the next newline. */
static int lr_skip_line(struct lreader *lr)
{
	lr->len = lr->pos = lr->scan = 0;
	while (!lr->eof) {
		char *nl;
		int r = lr_fill(lr);

		if (r)
			return r == XREF_ENOMEM ? XREF_EIO : r;
		nl = memchr(lr->buf, '\n', lr->len);
		if (nl) {
			lr->pos = lr->scan = (size_t)(nl - lr->buf) + 1;
			return 0;
		}
		lr->len = 0;
	}
	return 0;
}

/* The next line without its '\n': LR_LINE, LR_EOF, LR_SKIPPED (too long
 * for memory, discarded) or XREF_EIO. */
static int lr_next(struct lreader *lr, const char **line, size_t *n)
{
	for (;;) {
		char *nl = lr->scan < lr->len
				   ? memchr(lr->buf + lr->scan, '\n', lr->len - lr->scan)
				   : NULL;
		int r;

		if (nl) {
			*line = lr->buf + lr->pos;
			*n = (size_t)(nl - *line);
			lr->pos = lr->scan = (size_t)(nl - lr->buf) + 1;
			return LR_LINE;
		}
		lr->scan = lr->len;
		if (lr->eof) {
			if (lr->pos >= lr->len)
				return LR_EOF;
			*line = lr->buf + lr->pos;
			*n = lr->len - lr->pos;
			lr->pos = lr->scan = lr->len;
			return LR_LINE;
		}
		r = lr_fill(lr);
		if (r == XREF_ENOMEM) {
			r = lr_skip_line(lr);
			return r ? r : LR_SKIPPED;
		}
		if (r)
			return r;
	}
}

int xref_read_jsonl_stream(FILE *f, const char *pre, size_t pre_len,
			   size_t first_line, const struct xref_rsrc *src)
{
	struct lreader lr = { f, NULL, 0, 0, 0, 0, false };
	struct jsonl st = { 0 };
	size_t lineno = first_line;
	int err = 0;

	if (pre_len) {
		lr.cap = pre_len > LINE_CHUNK ? pre_len : LINE_CHUNK;
		lr.buf = malloc(lr.cap);
		if (!lr.buf) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(lr.buf, pre, pre_len);
		lr.len = pre_len;
	}
	for (;; lineno++) {
		const char *line = NULL;
		size_t n = 0;
		int r = lr_next(&lr, &line, &n);

		if (r == LR_EOF)
			break;
		if (r == LR_SKIPPED) {
			st.any = true;
			xref_reader_warn(src, lineno, "line too long, skipped");
			continue;
		}
		if (r < 0) {
			xref_reader_warn(src, lineno, "cannot read: %s",
					 strerror(errno));
			st.any = true;
			break;
		}
		if (lineno == first_line && pre_len == 0)
			skip_bom(&line, &n);
		err = do_line(&st, line, n, lineno, src);
		if (err)
			break;
	}
	if (!err && !st.any)
		xref_reader_warn(src, 0, "empty file, skipped");
out:
	free(lr.buf);
	jsonl_release(&st);
	return err;
}
