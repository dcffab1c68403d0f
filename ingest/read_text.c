/*
 * Plain text and Markdown readers.
 *
 * Plain text: an optional header of "Key: value" lines (Title, Date, URL,
 * Source, Published) ended by a blank line, then the body as it is.
 *
 * Markdown: converted to plain text in two phases, without a Markdown
 * library (none is a dependency, and news articles use a small subset).
 * The block phase goes line by line: front matter, fenced code (dropped),
 * headings (each its own paragraph), list items and table rows (one
 * paragraph each), block quotes (markers removed) and paragraphs (lines
 * joined). The inline phase then works on each paragraph: links keep their
 * text, images go, emphasis and code markers go, HTML tags go, character
 * references are decoded. Every scan is bounded (link text and targets are
 * looked for within a fixed distance) so hostile input stays linear.
 * Whitespace is collapsed as the inline phase writes, and plain text is
 * copied eight bytes at a time where nothing in them needs a look (words
 * and single spaces), else with one table lookup per byte, because that
 * copy is most of the work: a second collapsing pass and a strchr() per
 * byte cost more than the rest of the conversion together.
 */
#include "ingest/read_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/doc.h"

#define LINK_TEXT_MAX 1000
#define LINK_DEST_MAX 2000
#define LINK_STACK 16
#define DATE_LINES 5

struct slice {
	const char *p;
	size_t n;
};

static bool is_sp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool is_alnum_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static struct slice trim(struct slice s)
{
	while (s.n > 0 && is_wsp(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_wsp(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Splits off the next line (without "\n" or "\r\n"); *pos moves past it. */
static bool next_line(const char *data, size_t len, size_t *pos,
		      struct slice *line)
{
	const char *nl;
	size_t end;

	if (*pos >= len)
		return false;
	nl = memchr(data + *pos, '\n', len - *pos);
	end = nl ? (size_t)(nl - data) : len;
	line->p = data + *pos;
	line->n = end - *pos;
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	*pos = nl ? end + 1 : len;
	return true;
}

/* "Key: value" with a short key of letters, digits, '-', '_' or spaces.
 * Stores the key and the trimmed value. */
static bool key_value(struct slice line, struct slice *key, struct slice *val)
{
	size_t i = 0;

	while (i < line.n && i <= 32 &&
	       (is_alnum_byte((unsigned char)line.p[i]) || line.p[i] == '-' ||
		line.p[i] == '_' || line.p[i] == ' ') &&
	       (unsigned char)line.p[i] < 0x80)
		i++;
	if (i == 0 || i >= line.n || line.p[i] != ':' || line.p[0] == ' ')
		return false;
	key->p = line.p;
	key->n = i;
	*key = trim(*key);
	val->p = line.p + i + 1;
	val->n = line.n - i - 1;
	*val = trim(*val);
	return true;
}

static bool key_is(struct slice key, const char *name)
{
	return key.n == strlen(name) && strncasecmp(key.p, name, key.n) == 0;
}

static bool looks_like_url(struct slice v)
{
	for (size_t i = 0; i + 2 < v.n; i++)
		if (v.p[i] == ':' && v.p[i + 1] == '/' && v.p[i + 2] == '/')
			return true;
	return v.n > 4 && strncasecmp(v.p, "www.", 4) == 0;
}

enum hdr_field { H_NONE, H_TITLE, H_DATE, H_URL, H_SOURCE };

static enum hdr_field header_field(struct slice key)
{
	if (key_is(key, "title"))
		return H_TITLE;
	if (key_is(key, "date") || key_is(key, "published"))
		return H_DATE;
	if (key_is(key, "url"))
		return H_URL;
	if (key_is(key, "source"))
		return H_SOURCE;
	return H_NONE;
}

static int emit(const struct xref_rsrc *src, struct slice title,
		struct slice url, struct slice date, const char *text,
		size_t text_len)
{
	struct xref_raw_doc raw = { 0 };
	bool empty = false;
	int err;

	raw.title = title.p;
	raw.title_len = title.n;
	raw.url = url.p;
	raw.url_len = url.n;
	raw.date = date.p;
	raw.date_len = date.n;
	raw.text = text;
	raw.text_len = text_len;
	raw.line = 1;
	err = xref_reader_emit(src, &raw, &empty);
	if (!err && empty)
		xref_reader_warn(src, 0, "no text, skipped");
	return err;
}

int xref_read_txt(const char *data, size_t len, const struct xref_rsrc *src)
{
	struct slice title = { NULL, 0 }, url = { NULL, 0 }, date = { NULL, 0 };
	struct slice source = { NULL, 0 }, line, key, val;
	size_t pos = 0, body = 0;

	if (next_line(data, len, &pos, &line) && key_value(line, &key, &val) &&
	    header_field(key) != H_NONE) {
		/* a header: "Key: value" lines up to a blank line */
		pos = 0;
		for (;;) {
			size_t start = pos;

			if (!next_line(data, len, &pos, &line)) {
				body = len;
				break;
			}
			if (xref_reader_is_blank(line.p, line.n)) {
				body = pos;
				break;
			}
			if (!key_value(line, &key, &val)) {
				body = start;
				break;
			}
			switch (header_field(key)) {
			case H_TITLE:
				if (!title.p)
					title = val;
				break;
			case H_DATE:
				if (!date.p)
					date = val;
				break;
			case H_URL:
				if (!url.p)
					url = val;
				break;
			case H_SOURCE:
				if (!source.p && looks_like_url(val))
					source = val;
				break;
			default:
				break;
			}
		}
		if (!url.p)
			url = source;
	}
	return emit(src, title, url, date, data + body, len - body);
}

/* ---- Markdown: inline phase ---- */

static bool is_md_punct(char c)
{
	return c && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

/* Finds the ']' matching the '[' at s[i], within `limit`. */
static size_t match_bracket(const char *s, size_t i, size_t limit, char open,
			    char close)
{
	int depth = 0;

	for (size_t j = i; j < limit; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == open) {
			depth++;
		} else if (s[j] == close) {
			if (--depth == 0)
				return j;
		}
	}
	return SIZE_MAX;
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* For "[...](...)" or "[...][...]" starting at s[i]: stores where the text
 * ends (the ']') and where the whole construct ends. */
static bool find_link(const char *s, size_t i, size_t limit, size_t *close,
		      size_t *end)
{
	size_t c, e;

	c = match_bracket(s, i, min_sz(limit, i + LINK_TEXT_MAX), '[', ']');
	if (c == SIZE_MAX || c + 1 >= limit)
		return false;
	if (s[c + 1] == '(')
		e = match_bracket(s, c + 1, min_sz(limit, c + 1 + LINK_DEST_MAX),
				  '(', ')');
	else if (s[c + 1] == '[')
		e = match_bracket(s, c + 1, min_sz(limit, c + 1 + LINK_TEXT_MAX),
				  '[', ']');
	else
		return false;
	if (e == SIZE_MAX)
		return false;
	*close = c;
	*end = e + 1;
	return true;
}

/* An inline HTML tag or autolink at s[i] == '<': returns its end (one past
 * '>') or 0; *keep gets the autolink text to keep, if any. */
static size_t html_tag_end(const char *s, size_t i, size_t len,
			   struct slice *keep)
{
	size_t j, lim = min_sz(len, i + LINK_DEST_MAX);
	bool space = false, colon = false;
	char c = i + 1 < len ? s[i + 1] : '\0';

	keep->p = NULL;
	keep->n = 0;
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
	      c == '!' || c == '?'))
		return 0;
	for (j = i + 1; j < lim && s[j] != '>'; j++) {
		if (is_wsp(s[j]))
			space = true;
		else if (s[j] == ':' || s[j] == '@')
			colon = true;
	}
	if (j >= lim)
		return 0;
	if (!space && colon && c != '/' && c != '!' && c != '?') {
		keep->p = s + i + 1;
		keep->n = j - i - 1;
	}
	return j + 1;
}

/* Byte classes for the inline phase: whitespace collapses; the others
 * may start a construct and end a run of plain text. */
enum { MD_PLAIN = 0, MD_SPACE = 1, MD_MARK = 2 }; /* bits, see md_marks() */

static const unsigned char md_class[256] = {
	[' '] = MD_SPACE, ['\t'] = MD_SPACE, ['\n'] = MD_SPACE,
	['\r'] = MD_SPACE, ['\f'] = MD_SPACE, ['\v'] = MD_SPACE,
	['\\'] = MD_MARK, ['`'] = MD_MARK, ['!'] = MD_MARK, ['['] = MD_MARK,
	['<'] = MD_MARK, ['&'] = MD_MARK, ['*'] = MD_MARK, ['_'] = MD_MARK,
	['~'] = MD_MARK,
};

/* Bytes that are MD_MARK or MD_SPACE, except ' ' (tested eight at a time
 * by xref_bytes_plain()). */
static bool md_marks(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return (md_class[u[0]] | md_class[u[1]] | md_class[u[2]] |
		md_class[u[3]] | md_class[u[4]] | md_class[u[5]] |
		md_class[u[6]] | md_class[u[7]]) &
	       MD_MARK;
}

/* Where the inline phase writes: whitespace is collapsed as it is
 * written (runs become one space, none at the start, none at the end),
 * so the converted text needs no second pass. */
struct md_out {
	struct xref_buf *b;
	bool space; /* whitespace seen since the last byte written */
};

/* Writes s[0..n) collapsed; with `run`, stops at the first MD_MARK byte
 * after s[0] instead. Returns the number of bytes of s it used, or 0 with
 * *err set (XREF_ENOMEM). */
static size_t md_put(struct md_out *w, const char *s, size_t n, bool run,
		     int *err)
{
	struct xref_buf *b = w->b;
	bool space = w->space;
	size_t i = 0;
	char *start, *o;

	/* output never outgrows input plus one pending space */
	*err = xref_buf_grow(b, n + 1);
	if (*err)
		return 0;
	start = b->ptr;
	o = start + b->len;
	while (i < n) {
		unsigned char k = md_class[(unsigned char)s[i]];

		if (k == MD_SPACE) {
			space = true;
			i++;
			continue;
		}
		if (k == MD_MARK && run && i > 0)
			break;
		if (space && o > start)
			*o++ = ' ';
		space = false;
		*o++ = s[i++];
		/* after a byte that is not whitespace: words and single
		 * spaces go through eight bytes at a time */
		while (n - i >= 8) {
			uint64_t word;

			memcpy(&word, s + i, 8);
			if (md_marks(s + i) || !xref_bytes_plain(s + i, word, 0))
				break;
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
		}
		while (i < n && md_class[(unsigned char)s[i]] == MD_PLAIN)
			*o++ = s[i++];
	}
	w->space = space;
	b->len = (size_t)(o - start);
	*o = '\0';
	return i;
}

static int md_putc(struct md_out *w, char c)
{
	int err;

	md_put(w, &c, 1, false, &err);
	return err;
}

static int md_write(struct md_out *w, const char *s, size_t n)
{
	int err;

	md_put(w, s, n, false, &err);
	return err;
}

static int md_inline(struct md_out *out, const char *s, size_t len)
{
	size_t stack_close[LINK_STACK], stack_end[LINK_STACK];
	size_t depth = 0, i = 0;
	int err = 0;

	while (i < len && !err) {
		size_t limit = depth ? stack_close[depth - 1] : len;
		char c = s[i];

		if (depth && i == stack_close[depth - 1]) {
			i = stack_end[--depth];
			continue;
		}
		if (c == '\\' && i + 1 < limit && is_md_punct(s[i + 1])) {
			err = md_putc(out, s[i + 1]);
			i += 2;
		} else if (c == '`') {
			size_t k = 0, j, found = SIZE_MAX;

			while (i + k < limit && s[i + k] == '`')
				k++;
			for (j = i + k; j < limit; j++) {
				size_t r = 0;

				if (s[j] != '`')
					continue;
				while (j + r < limit && s[j + r] == '`')
					r++;
				if (r == k) {
					found = j;
					break;
				}
				j += r - 1;
			}
			if (found == SIZE_MAX) {
				err = md_write(out, s + i, k);
				i += k;
			} else {
				err = md_write(out, s + i + k, found - i - k);
				i = found + k;
			}
		} else if (c == '!' && i + 1 < limit && s[i + 1] == '[') {
			size_t close, end;

			if (find_link(s, i + 1, limit, &close, &end)) {
				i = end;
			} else {
				err = md_putc(out, c);
				i++;
			}
		} else if (c == '[') {
			size_t close, end;

			if (depth < LINK_STACK &&
			    find_link(s, i, limit, &close, &end)) {
				stack_close[depth] = close;
				stack_end[depth] = end;
				depth++;
			} else {
				err = md_putc(out, c);
			}
			i++;
		} else if (c == '<') {
			struct slice keep;
			size_t end = html_tag_end(s, i, limit, &keep);

			if (end) {
				err = md_write(out, keep.p, keep.n);
				/* a tag may separate words, as a space */
				if (!err && !keep.n)
					err = md_putc(out, ' ');
				i = end;
			} else {
				err = md_putc(out, c);
				i++;
			}
		} else if (c == '&') {
			char tmp[4];
			size_t n, used = xref_html_charref(s + i, limit - i, tmp, &n);

			if (used) {
				err = md_write(out, tmp, n);
				i += used;
			} else {
				err = md_putc(out, c);
				i++;
			}
		} else if (c == '*' || c == '_' || c == '~') {
			size_t k = 0;
			unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
			unsigned char next;

			while (i + k < limit && s[i + k] == c)
				k++;
			next = i + k < limit ? (unsigned char)s[i + k] : ' ';
			if ((c == '~' && k < 2) ||
			    (is_wsp((char)prev) && is_wsp((char)next)) ||
			    (c == '_' && is_alnum_byte(prev) && is_alnum_byte(next)))
				err = md_write(out, s + i, k);
			i += k;
		} else {
			/* plain text up to the next byte that may start a
			 * construct (limit is the innermost link's end) */
			i += md_put(out, s + i, limit - i, true, &err);
		}
	}
	return err;
}

/* ---- Markdown: block phase ---- */

struct md {
	struct xref_buf para;  /* raw text of the current paragraph */
	struct xref_buf out;   /* converted text */
	struct xref_buf tmp;
	struct xref_buf title; /* first level-1 heading, converted */
	bool have_title;
};

/* Converts `raw` inline, whitespace collapsed, into md->tmp. */
static int md_convert(struct md *m, const char *raw, size_t n)
{
	struct md_out w = { &m->tmp, false };

	xref_buf_clear(&m->tmp);
	return md_inline(&w, raw, n);
}

static int md_flush(struct md *m)
{
	int err = 0;

	if (m->para.len == 0)
		return 0;
	err = md_convert(m, m->para.ptr, m->para.len);
	xref_buf_clear(&m->para);
	if (err || m->tmp.len == 0)
		return err;
	if (m->out.len)
		err = xref_buf_put(&m->out, "\n\n", 2);
	if (!err)
		err = xref_buf_put(&m->out, m->tmp.ptr, m->tmp.len);
	return err;
}

static int md_add(struct md *m, struct slice t)
{
	int err = 0;

	if (m->para.len)
		err = xref_buf_putc(&m->para, '\n');
	if (!err)
		err = xref_buf_put(&m->para, t.p, t.n);
	return err;
}

static int md_set_title(struct md *m, struct slice t)
{
	int err;

	if (m->have_title)
		return 0;
	err = md_convert(m, t.p, t.n);
	if (err)
		return err;
	m->have_title = true;
	return xref_buf_put(&m->title, xref_buf_cstr(&m->tmp), m->tmp.len);
}

/* "---", "***", "___", "- - -" and setext underlines ("===", "---"). */
static char rule_char(struct slice t)
{
	char c = 0;
	size_t count = 0;

	for (size_t i = 0; i < t.n; i++) {
		if (is_sp(t.p[i]))
			continue;
		if (!c && strchr("-*_=", t.p[i]) && t.p[i])
			c = t.p[i];
		if (t.p[i] != c)
			return 0;
		count++;
	}
	return count >= 3 ? c : 0;
}

/* Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ") at t, or 0. */
static size_t list_marker(struct slice t)
{
	size_t i = 0;

	if (t.n >= 1 && strchr("-*+", t.p[0]) && t.p[0]) {
		i = 1;
	} else {
		while (i < t.n && i < 9 && t.p[i] >= '0' && t.p[i] <= '9')
			i++;
		if (i == 0 || i >= t.n || (t.p[i] != '.' && t.p[i] != ')'))
			return 0;
		i++;
	}
	if (i < t.n && !is_sp(t.p[i]))
		return 0;
	while (i < t.n && is_sp(t.p[i]))
		i++;
	return i;
}

/* An early "Published 2021-07-20" / "*Date: July 20, 2021*" line. */
static bool date_line(struct slice t, struct slice *date)
{
	static const char *const keys[] = { "published on", "published",
					    "posted on", "posted", "date",
					    "pubdate" };
	char buf[128];
	char *d;

	while (t.n && (t.p[0] == '*' || t.p[0] == '_' || is_sp(t.p[0]))) {
		t.p++;
		t.n--;
	}
	while (t.n && (t.p[t.n - 1] == '*' || t.p[t.n - 1] == '_' ||
		       is_sp(t.p[t.n - 1])))
		t.n--;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t n = strlen(keys[k]);
		struct slice v;

		if (t.n <= n || strncasecmp(t.p, keys[k], n) != 0)
			continue;
		v.p = t.p + n;
		v.n = t.n - n;
		if (!is_sp(v.p[0]) && v.p[0] != ':')
			continue;
		if (v.p[0] == ':') {
			v.p++;
			v.n--;
		}
		v = trim(v);
		if (v.n == 0 || v.n >= sizeof(buf))
			return false;
		memcpy(buf, v.p, v.n);
		buf[v.n] = '\0';
		d = xref_date_parse(buf);
		if (!d)
			return false;
		free(d);
		*date = v;
		return true;
	}
	return false;
}

/* Strips one pair of matching quotes from a front-matter value. */
static struct slice unquote(struct slice v)
{
	if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') &&
	    v.p[v.n - 1] == v.p[0]) {
		v.p++;
		v.n -= 2;
	}
	return v;
}

/* Front matter: "---" on the first line, "key: value" lines, then "---"
 * or "...". Returns the offset of the body (0 when there is none). */
static size_t front_matter(const char *data, size_t len, struct slice *title,
			   struct slice *date, struct slice *url)
{
	struct slice line, key, val;
	size_t pos = 0;

	if (!next_line(data, len, &pos, &line))
		return 0;
	line = trim(line);
	if (line.n != 3 || memcmp(line.p, "---", 3) != 0)
		return 0;
	/* first make sure it is closed */
	{
		size_t p2 = pos;
		bool closed = false;

		while (next_line(data, len, &p2, &line)) {
			line = trim(line);
			if (line.n == 3 && (memcmp(line.p, "---", 3) == 0 ||
					    memcmp(line.p, "...", 3) == 0)) {
				closed = true;
				break;
			}
		}
		if (!closed)
			return 0;
	}
	while (next_line(data, len, &pos, &line)) {
		struct slice t = trim(line);

		if (t.n == 3 && (memcmp(t.p, "---", 3) == 0 ||
				 memcmp(t.p, "...", 3) == 0))
			break;
		if (!key_value(line, &key, &val))
			continue;
		val = unquote(val);
		if (key_is(key, "title") && !title->p)
			*title = val;
		else if ((key_is(key, "date") || key_is(key, "published") ||
			  key_is(key, "pubdate") || key_is(key, "published_at")) &&
			 !date->p)
			*date = val;
		else if ((key_is(key, "url") || key_is(key, "canonical_url") ||
			  key_is(key, "link") || key_is(key, "canonical")) &&
			 !url->p)
			*url = val;
	}
	return pos;
}

static int md_body(struct md *m, const char *data, size_t len,
		   struct slice *date)
{
	struct slice line;
	size_t pos = 0, lineno = 0, fence_len = 0;
	char fence = 0;
	int err = 0;

	while (!err && next_line(data, len, &pos, &line)) {
		struct slice t = line;
		size_t indent = 0, k;
		char rc;

		lineno++;
		while (indent < t.n && is_sp(t.p[indent]))
			indent++;
		t.p += indent;
		t.n -= indent;
		if (fence) {
			k = 0;
			while (k < t.n && t.p[k] == fence)
				k++;
			if (k >= fence_len && xref_reader_is_blank(t.p + k, t.n - k))
				fence = 0;
			continue;
		}
		/* block quote markers */
		while (t.n && t.p[0] == '>') {
			t.p++;
			t.n--;
			while (t.n && is_sp(t.p[0])) {
				t.p++;
				t.n--;
			}
		}
		t = trim(t);
		if (t.n == 0) {
			err = md_flush(m);
			continue;
		}
		if (t.n >= 3 && (t.p[0] == '`' || t.p[0] == '~') &&
		    t.p[1] == t.p[0] && t.p[2] == t.p[0] && indent < 4) {
			fence = t.p[0];
			fence_len = 0;
			while (fence_len < t.n && t.p[fence_len] == fence)
				fence_len++;
			err = md_flush(m);
			continue;
		}
		if (lineno <= DATE_LINES && !date->p && date_line(t, date)) {
			err = md_flush(m);
			continue;
		}
		if (t.p[0] == '#') {
			k = 0;
			while (k < t.n && t.p[k] == '#')
				k++;
			if (k <= 6 && (k == t.n || is_sp(t.p[k]))) {
				struct slice h = { t.p + k, t.n - k };

				/* closing hashes */
				h = trim(h);
				while (h.n && h.p[h.n - 1] == '#')
					h.n--;
				h = trim(h);
				err = md_flush(m);
				if (!err && k == 1)
					err = md_set_title(m, h);
				if (!err)
					err = md_add(m, h);
				if (!err)
					err = md_flush(m);
				continue;
			}
		}
		rc = rule_char(t);
		if (rc) {
			if (rc == '=' && m->para.len && !m->have_title)
				err = md_set_title(m, (struct slice){ m->para.ptr,
								      m->para.len });
			if (!err)
				err = md_flush(m);
			continue;
		}
		k = list_marker(t);
		if (k) {
			t.p += k;
			t.n -= k;
			/* task list boxes */
			if (t.n >= 3 && t.p[0] == '[' && t.p[2] == ']' &&
			    strchr(" xX", t.p[1]) && t.p[1]) {
				t.p += 3;
				t.n -= 3;
				t = trim(t);
			}
			err = md_flush(m);
			if (!err)
				err = md_add(m, t);
			continue;
		}
		if (t.p[0] == '[' && t.n > 3) {
			/* a link reference definition: "[id]: url" */
			size_t c = match_bracket(t.p, 0, t.n, '[', ']');

			if (c != SIZE_MAX && c + 1 < t.n && t.p[c + 1] == ':')
				continue;
		}
		if (t.p[0] == '|') {
			bool sep = true;

			for (size_t i = 0; i < t.n; i++)
				if (!strchr("|-: \t", t.p[i]))
					sep = false;
			if (sep)
				continue;
			err = md_flush(m);
			for (size_t i = 0; !err && i < t.n; i++)
				err = xref_buf_putc(&m->para,
						    t.p[i] == '|' ? ' ' : t.p[i]);
			if (!err)
				err = md_flush(m);
			continue;
		}
		err = md_add(m, t);
	}
	if (!err)
		err = md_flush(m);
	return err;
}

int xref_read_md(const char *data, size_t len, const struct xref_rsrc *src)
{
	struct md m = { XREF_BUF_INIT, XREF_BUF_INIT, XREF_BUF_INIT,
			XREF_BUF_INIT, false };
	struct slice title = { NULL, 0 }, date = { NULL, 0 }, url = { NULL, 0 };
	size_t body;
	int err;

	body = front_matter(data, len, &title, &date, &url);
	if (title.p)
		m.have_title = true;
	err = md_body(&m, data + body, len - body, &date);
	if (err)
		goto out;
	if (!title.p && m.title.len) {
		title.p = m.title.ptr;
		title.n = m.title.len;
	}
	err = emit(src, title, url, date, xref_buf_cstr(&m.out), m.out.len);
out:
	xref_buf_release(&m.para);
	xref_buf_release(&m.out);
	xref_buf_release(&m.tmp);
	xref_buf_release(&m.title);
	return err;
}
