/*
 * JSON Lines reader: one article per line (id, title, url, date, text).
 *
 * Lines go through our strict JSON pull parser (ingest/json.h): cJSON lives
 * in export/ only, and it would build a tree for every line when we need
 * five string fields. Values of the fields we want are decoded into
 * reusable buffers; every other value is validated and skipped (depth
 * limit 64, without recursion, so no input can exhaust the C stack).
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

#include "ingest/json.h"

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

static int field_of(const struct xref_buf *key)
{
	for (int i = 0; i < F_COUNT; i++)
		if (key->len == strlen(field_names[i]) &&
		    memcmp(key->ptr, field_names[i], key->len) == 0)
			return i;
	return -1;
}

/* The value of a field we keep; last one wins for duplicate keys. */
static int jp_field(struct xref_jp *p, struct jsonl *st, int f)
{
	xref_buf_clear(&st->val[f]);
	switch (xref_jp_peek(p)) {
	case XREF_JP_STRING:
		st->type[f] = J_STRING;
		return xref_jp_string(p, &st->val[f]);
	case XREF_JP_NUMBER:
		st->type[f] = J_NUMBER;
		return xref_jp_number(p, &st->val[f]);
	case XREF_JP_NULL:
		st->type[f] = J_NULL;
		return xref_jp_skip(p, 1);
	default:
		st->type[f] = J_OTHER;
		return xref_jp_skip(p, 1);
	}
}

/* Parser results: 0 ok, XREF_JP_SYNTAX (p->err set), negative status. */
static int jp_line(struct xref_jp *p, struct jsonl *st)
{
	bool more = true;
	int r, f;

	r = xref_jp_object_begin(p);
	for (size_t i = 0; !r; i++) {
		r = xref_jp_object_next(p, i, &st->key, &more);
		if (r || !more)
			break;
		f = field_of(&st->key);
		r = f >= 0 ? jp_field(p, st, f) : xref_jp_skip(p, 1);
	}
	if (r)
		return r;
	xref_jp_ws(p);
	if (p->pos < p->len)
		return xref_jp_fail(p, "unexpected data after the object");
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
	struct xref_jp p;
	struct xref_raw_doc raw = { 0 };
	bool empty = false;
	int r, text = -1;

	if (xref_reader_is_blank(line, n))
		return 0;
	st->any = true;
	for (int i = 0; i < F_COUNT; i++)
		st->type[i] = J_ABSENT;
	xref_jp_init(&p, line, n);
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
