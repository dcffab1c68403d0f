/*
 * Readers: paths, directories and standard input in, documents out.
 *
 * This file is the layer around the format readers: it walks directories
 * (scandir with a bytewise comparator, so the order never depends on the
 * locale; lstat, so a symlink to a directory is never followed and a loop
 * cannot hang us, except for entries listed as regular files with a name
 * we read, which are opened straight away: open() fails as lstat() would,
 * and a syscall per file is a good part of reading a small one), reads
 * one file at a time into memory (JSON Lines is
 * streamed instead, line by line, since such files can be far larger than
 * memory), sniffs standard input, rejects binary and empty files, and
 * turns each raw document into a clean struct xref_doc (xref_reader_emit).
 *
 * Invalid UTF-8 and NUL bytes inside a document are replaced, with a
 * warning: a file in another encoding should not go unnoticed. Most texts
 * need no cleaning at all: one check, sixteen ASCII bytes at a time, finds
 * those, which are then copied as they are, instead of a UTF-8 check, a
 * NUL search and xref_utf8_clean()'s two passes over every text.
 *
 * Every problem with one file becomes a warning and the walk goes on; only
 * a top-level path that cannot be opened is an error, so that the caller
 * can tell "nothing there" from "some files were skipped".
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* DT_REG: the type scandir() gives with a name */

#include "ingest/reader.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/read_internal.h"
#include "ingest/utf8.h"

#define SNIFF_BYTES 8192
#define READ_CHUNK 65536

enum xref_fmt { FMT_TXT, FMT_MD, FMT_HTML, FMT_JSONL };

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

bool xref_reader_is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

void xref_reader_warn(const struct xref_rsrc *src, size_t line,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!src->opts->on_warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	src->opts->on_warn(src->source, line, msg, src->opts->ctx);
}

/* Trims s[0..n) in place; returns the new length. */
static size_t trim_inplace(char *s, size_t n)
{
	size_t a = 0;

	while (n > 0 && is_ws(s[n - 1]))
		n--;
	while (a < n && is_ws(s[a]))
		a++;
	if (a > 0)
		memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return n - a;
}

/* Trims and turns every whitespace run into one space, in place. */
static size_t collapse_inplace(char *s, size_t n)
{
	size_t w = 0;
	bool space = false;

	for (size_t i = 0; i < n; i++) {
		if (is_ws(s[i])) {
			space = true;
			continue;
		}
		if (space && w > 0)
			s[w++] = ' ';
		space = false;
		s[w++] = s[i];
	}
	s[w] = '\0';
	return w;
}

/* Bits set (high bit of a byte) when a byte of the 8 in w may lie outside
 * printable ASCII (0x20..0x7E): may flag a word that is clean after all
 * (the caller then looks at each byte), never misses one that is not. */
static uint64_t unclean_bits(uint64_t w)
{
	return (w & XREF_BYTES_HIGH) | xref_bytes_any_below(w, 0x20) |
	       xref_bytes_any_eq(w, 0x7F);
}

/* True when xref_utf8_clean() would return s[0..len) unchanged: no
 * leading byte-order mark, and only printable ASCII, tab, newline and
 * well-formed multi-byte sequences of code points above the C1 controls.
 * Most documents are, and this check (sixteen ASCII bytes at a time)
 * costs a fraction of the cleaning passes it lets us skip. */
static bool is_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return false;
	while (i < len) {
		uint64_t w[2];
		size_t stop;

		while (len - i >= 16) {
			memcpy(w, u + i, 16);
			if (unclean_bits(w[0]) | unclean_bits(w[1]))
				break;
			i += 16;
		}
		if (len - i >= 8) {
			memcpy(w, u + i, 8);
			if (!unclean_bits(w[0]))
				i += 8;
		}
		/* byte by byte to the end of the next word (or past it, when
		 * a sequence crosses it) */
		stop = len - i > 8 ? i + 8 : len;
		while (i < stop) {
			unsigned char c = u[i];
			int32_t cp;
			size_t n;

			if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n') {
				i++;
				continue;
			}
			if (c < 0x80)
				return false;
			n = xref_utf8_decode(s + i, len - i, &cp);
			if ((n == 1 && cp == 0xFFFD) ||
			    (cp >= 0x80 && cp <= 0x9F))
				return false;
			i += n;
		}
	}
	return true;
}

/* What xref_utf8_clean() gives for s[0..len) when is_clean() holds. */
static int copy_clean(char **out, size_t *out_len, const char *s, size_t len)
{
	*out_len = 0;
	if (len == SIZE_MAX || !(*out = malloc(len + 1)))
		return xref_error_set(XREF_ENOMEM, "out of memory");
	memcpy(*out, s, len);
	(*out)[len] = '\0';
	*out_len = len;
	return 0;
}

/* xref_utf8_clean(), with a plain copy when there is nothing to clean. */
static int clean_copy(char **out, size_t *out_len, const char *s, size_t len)
{
	if (is_clean(s, len))
		return copy_clean(out, out_len, s, len);
	return xref_utf8_clean(out, out_len, NULL, s, len);
}

/* Cleans one optional field; *out stays NULL when absent or empty. */
static int clean_field(char **out, const char *s, size_t len, bool collapse)
{
	char *p = NULL;
	size_t n = 0;
	int err;

	*out = NULL;
	if (!s)
		return 0;
	err = clean_copy(&p, &n, s, len);
	if (err)
		return err;
	n = collapse ? collapse_inplace(p, n) : trim_inplace(p, n);
	if (n == 0)
		free(p);
	else
		*out = p;
	return 0;
}

/* javascript:, data: and vbscript: URLs would run code wherever an output
 * turns them into links. Whitespace and controls inside the scheme are
 * ignored, as browsers do. */
static bool is_dangerous_url(const char *u)
{
	static const char *const bad[] = { "javascript", "data", "vbscript" };
	char scheme[16];
	size_t n = 0;

	for (; *u && *u != ':'; u++) {
		unsigned char c = (unsigned char)*u;

		if (c <= 0x20 || c == 0x7F)
			continue;
		if (n == sizeof(scheme) - 1)
			return false;
		scheme[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (*u != ':')
		return false;
	scheme[n] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(scheme, bad[i]) == 0)
			return true;
	return false;
}

/* The path as given without leading "./" (ids should not depend on how
 * the user spelled the current directory). */
static const char *id_path(const char *source)
{
	const char *s = source;

	while (s[0] == '.' && s[1] == '/') {
		s += 2;
		while (*s == '/')
			s++;
	}
	return *s ? s : source;
}

/* True when any field of raw is not valid UTF-8; `text_clean` says that
 * the text is already known to be (is_clean). */
static bool raw_invalid(const struct xref_raw_doc *raw, bool text_clean)
{
	return (raw->text && !text_clean &&
		!xref_utf8_is_valid(raw->text, raw->text_len)) ||
	       (raw->title && !xref_utf8_is_valid(raw->title, raw->title_len)) ||
	       (raw->url && !xref_utf8_is_valid(raw->url, raw->url_len)) ||
	       (raw->date && !xref_utf8_is_valid(raw->date, raw->date_len)) ||
	       (raw->id && !xref_utf8_is_valid(raw->id, raw->id_len));
}

/* True when the text holds NUL bytes (binary data inside a text). */
static bool raw_has_nul(const struct xref_raw_doc *raw)
{
	return raw->text && memchr(raw->text, '\0', raw->text_len) != NULL;
}

int xref_reader_emit(const struct xref_rsrc *src, const struct xref_raw_doc *raw,
		     bool *empty)
{
	struct xref_doc doc = { 0 };
	struct xref_buf idb = XREF_BUF_INIT;
	char *date = NULL;
	size_t line = raw->line_id ? raw->line : 0;
	bool text_clean;
	int err;

	*empty = false;
	text_clean = !raw->text || is_clean(raw->text, raw->text_len);
	/* Cleaning below makes the document safe; the user is told, since a
	 * file in another encoding loses its accented letters. */
	if (raw_invalid(raw, text_clean))
		xref_reader_warn(src, line,
				 "invalid UTF-8, replaced by U+FFFD");
	if (!text_clean && raw_has_nul(raw))
		xref_reader_warn(src, line, "NUL bytes, replaced by spaces");
	if (text_clean)
		err = copy_clean(&doc.text, &doc.text_len,
				 raw->text ? raw->text : "", raw->text_len);
	else
		err = xref_utf8_clean(&doc.text, &doc.text_len, NULL,
				      raw->text, raw->text_len);
	if (err)
		goto out;
	doc.text_len = trim_inplace(doc.text, doc.text_len);
	if (doc.text_len == 0) {
		*empty = true;
		goto out;
	}
	err = clean_field(&doc.title, raw->title, raw->title_len, true);
	if (!err)
		err = clean_field(&doc.url, raw->url, raw->url_len, true);
	if (!err)
		err = clean_field(&date, raw->date, raw->date_len, true);
	/* ids are single-line: they go into TSV, CSV and messages */
	if (!err)
		err = clean_field(&doc.id, raw->id, raw->id_len, true);
	if (err)
		goto out;
	if (doc.url && is_dangerous_url(doc.url)) {
		free(doc.url);
		doc.url = NULL;
	}
	if (date)
		doc.date = xref_date_parse(date);
	if (!doc.id) {
		const char *p = id_path(src->source);

		err = raw->line_id ? xref_buf_printf(&idb, "%s:%zu", p, raw->line)
				   : xref_buf_puts(&idb, p);
		if (err)
			goto out;
		err = clean_field(&doc.id, idb.ptr, idb.len, true);
		if (err)
			goto out;
		if (!doc.id && !(doc.id = strdup("-"))) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
	}
	err = clean_field(&doc.source, src->source, strlen(src->source), false);
	if (err)
		goto out;
	if (!doc.source && !(doc.source = strdup("-"))) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	doc.line = raw->line ? raw->line : 1;
	err = src->opts->on_doc(&doc, src->opts->ctx);
out:
	free(date);
	xref_buf_release(&idb);
	xref_doc_release(&doc);
	return err;
}

/* Maps an extension (without the dot, any case) to a format. */
static bool ext_format(const char *ext, enum xref_fmt *fmt)
{
	static const struct {
		const char *ext;
		enum xref_fmt fmt;
	} map[] = {
		{ "txt", FMT_TXT },    { "text", FMT_TXT },
		{ "md", FMT_MD },      { "markdown", FMT_MD },
		{ "html", FMT_HTML },  { "htm", FMT_HTML },
		{ "jsonl", FMT_JSONL }, { "ndjson", FMT_JSONL },
	};

	if (!ext)
		return false;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcasecmp(ext, map[i].ext) == 0) {
			*fmt = map[i].fmt;
			return true;
		}
	}
	return false;
}

/* The extension of the last path component, or NULL. */
static const char *path_ext(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : NULL;
}

static int read_fmt(const char *data, size_t len, enum xref_fmt fmt,
		    const struct xref_rsrc *src)
{
	if (fmt == FMT_JSONL)
		return xref_read_jsonl_buffer(data, len, src);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, '\0', len < SNIFF_BYTES ? len : SNIFF_BYTES)) {
		xref_reader_warn(src, 0, "binary file, skipped");
		return 0;
	}
	if (xref_reader_is_blank(data, len)) {
		xref_reader_warn(src, 0, "empty file, skipped");
		return 0;
	}
	switch (fmt) {
	case FMT_MD:
		return xref_read_md(data, len, src);
	case FMT_HTML:
		return xref_read_html(data, len, src);
	default:
		return xref_read_txt(data, len, src);
	}
}

int xref_ingest_read_buffer(const char *data, size_t len, const char *ext,
			    const char *source,
			    const struct xref_reader_opts *opts)
{
	struct xref_rsrc src = { source ? source : "-", opts };
	enum xref_fmt fmt = FMT_TXT;

	if (!opts || !opts->on_doc || (!data && len))
		return xref_error_set(XREF_EINVAL, "invalid reader arguments");
	if (ext && *ext == '.')
		ext++;
	ext_format(ext, &fmt);
	return read_fmt(data ? data : "", len, fmt, &src);
}

/* Reads a whole non-JSONL file and parses it. */
static int read_file_whole(const char *path, enum xref_fmt fmt,
			   const struct xref_reader_opts *opts, bool top)
{
	struct xref_rsrc src = { path, opts };
	struct xref_buf b = XREF_BUF_INIT;
	size_t max = opts->max_file_size;
	uintmax_t total = 0;
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (top)
			err = xref_error_set(XREF_EIO, "cannot open '%s': %s",
					     path, strerror(errno));
		else
			xref_reader_warn(&src, 0, "cannot open: %s",
					 strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		xref_reader_warn(&src, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		if (max && (uintmax_t)st.st_size > max) {
			xref_reader_warn(&src, 0,
					 "file too large (%jd bytes), skipped",
					 (intmax_t)st.st_size);
			goto out;
		}
		if ((uintmax_t)st.st_size >= SIZE_MAX - 1) {
			xref_reader_warn(&src, 0, "file too large, skipped");
			goto out;
		}
		err = xref_buf_grow(&b, (size_t)st.st_size + 1);
		if (err)
			goto out;
	}
	for (;;) {
		ssize_t n;

		if (b.cap - b.len <= 1) {
			err = xref_buf_grow(&b, READ_CHUNK);
			if (err)
				goto out;
		}
		n = read(fd, b.ptr + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			xref_reader_warn(&src, 0, "cannot read: %s",
					 strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		total += (uintmax_t)n;
		/* a pipe or device has no size: count what is beyond the
		 * limit without keeping it */
		if (!max || total <= max)
			b.len += (size_t)n;
	}
	if (max && total > max) {
		xref_reader_warn(&src, 0, "file too large (%ju bytes), skipped",
				 total);
		goto out;
	}
	err = read_fmt(b.ptr ? b.ptr : "", b.len, fmt, &src);
out:
	if (fd >= 0)
		close(fd);
	xref_buf_release(&b);
	return err;
}

static int read_file(const char *path, enum xref_fmt fmt,
		     const struct xref_reader_opts *opts, bool top)
{
	struct xref_rsrc src = { path, opts };
	FILE *f;
	int err;

	if (fmt != FMT_JSONL)
		return read_file_whole(path, fmt, opts, top);
	f = fopen(path, "rb");
	if (!f) {
		if (top)
			return xref_error_set(XREF_EIO, "cannot open '%s': %s",
					      path, strerror(errno));
		xref_reader_warn(&src, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	err = xref_read_jsonl_stream(f, NULL, 0, 1, &src);
	fclose(f);
	return err;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk_dir(const char *dir, const struct xref_reader_opts *opts,
		    bool top);

/* One directory entry: recurse into real directories, read regular files
 * (or symlinks to them) with a known extension, ignore the rest. `d` is
 * the entry as the directory listed it. */
static int visit(const char *path, const struct dirent *d,
		 const struct xref_reader_opts *opts)
{
	struct xref_rsrc src = { path, opts };
	const char *name = d->d_name;
	enum xref_fmt fmt;
	struct stat st;

#ifdef DT_REG
	/* A regular file by its listing needs no lstat(): open() fails in
	 * the same way, with the same warning, when lstat() would have. Only
	 * names we read skip it, so that a failing lstat() still warns about
	 * the others as before. */
	if (d->d_type == DT_REG && ext_format(path_ext(name), &fmt))
		return read_file(path, fmt, opts, false);
#endif
	if (lstat(path, &st) != 0) {
		xref_reader_warn(&src, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(path, opts, false);
	if (!ext_format(path_ext(name), &fmt))
		return 0;
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) {
		xref_reader_warn(&src, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	return read_file(path, fmt, opts, false);
}

/* Recursion depth is bounded by PATH_MAX: lstat() fails on longer paths. */
static int walk_dir(const char *dir, const struct xref_reader_opts *opts,
		    bool top)
{
	struct xref_rsrc src = { dir, opts };
	struct xref_buf path = XREF_BUF_INIT;
	struct dirent **list = NULL;
	size_t dlen = strlen(dir);
	int n, err = 0;

	n = scandir(dir, &list, not_hidden, cmp_names);
	if (n < 0) {
		if (top)
			err = xref_error_set(XREF_EIO, "cannot open '%s': %s",
					     dir, strerror(errno));
		else
			xref_reader_warn(&src, 0, "cannot read directory: %s",
					 strerror(errno));
		goto out;
	}
	for (int i = 0; i < n && !err; i++) {
		xref_buf_clear(&path);
		err = xref_buf_put(&path, dir, dlen);
		if (!err && dlen > 0 && dir[dlen - 1] != '/')
			err = xref_buf_putc(&path, '/');
		if (!err)
			err = xref_buf_puts(&path, list[i]->d_name);
		if (!err)
			err = visit(path.ptr, list[i], opts);
	}
out:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	xref_buf_release(&path);
	return err;
}

/*
 * Standard input: reads until the first non-space byte to choose the
 * format. JSON Lines is then streamed, starting with the bytes already
 * read; anything else is read whole as plain text.
 */
static int read_stdin(const struct xref_reader_opts *opts)
{
	struct xref_rsrc src = { "-", opts };
	struct xref_buf b = XREF_BUF_INIT;
	size_t pos = 0, newlines = 0, max = opts->max_file_size;
	uintmax_t total = 0;
	bool first = true, eof = false;
	int err = 0;

	for (;;) {
		size_t n;

		while (pos < b.len && is_ws(b.ptr[pos])) {
			if (b.ptr[pos] == '\n')
				newlines++;
			pos++;
		}
		if (pos < b.len || eof)
			break;
		xref_buf_clear(&b); /* only whitespace so far */
		pos = 0;
		err = xref_buf_grow(&b, READ_CHUNK);
		if (err)
			goto out;
		n = fread(b.ptr, 1, READ_CHUNK, stdin);
		b.len = n;
		total += n;
		if (n < READ_CHUNK) {
			if (ferror(stdin)) {
				xref_reader_warn(&src, 0, "cannot read: %s",
						 strerror(errno));
				goto out;
			}
			eof = true;
		}
		if (first && n >= 3 && memcmp(b.ptr, "\xEF\xBB\xBF", 3) == 0)
			pos = 3;
		first = false;
	}
	if (pos < b.len && b.ptr[pos] == '{') {
		err = xref_read_jsonl_stream(stdin, b.ptr + pos, b.len - pos,
					     newlines + 1, &src);
		goto out;
	}
	while (!eof) {
		size_t n;

		err = xref_buf_grow(&b, READ_CHUNK);
		if (err)
			goto out;
		n = fread(b.ptr + b.len, 1, READ_CHUNK, stdin);
		total += n;
		if (!max || total <= max)
			b.len += n;
		if (n < READ_CHUNK) {
			if (ferror(stdin)) {
				xref_reader_warn(&src, 0, "cannot read: %s",
						 strerror(errno));
				goto out;
			}
			eof = true;
		}
	}
	if (max && total > max) {
		xref_reader_warn(&src, 0, "file too large (%ju bytes), skipped",
				 total);
		goto out;
	}
	err = read_fmt(b.ptr ? b.ptr + pos : "", b.len - pos, FMT_TXT, &src);
out:
	xref_buf_release(&b);
	return err;
}

int xref_ingest_read(const char *path, const struct xref_reader_opts *opts)
{
	enum xref_fmt fmt = FMT_TXT;
	struct stat st;

	if (!path || !opts || !opts->on_doc)
		return xref_error_set(XREF_EINVAL, "invalid reader arguments");
	if (strcmp(path, "-") == 0)
		return read_stdin(opts);
	if (stat(path, &st) != 0)
		return xref_error_set(XREF_EIO, "cannot open '%s': %s", path,
				      strerror(errno));
	if (S_ISDIR(st.st_mode))
		return walk_dir(path, opts, true);
	ext_format(path_ext(path), &fmt);
	return read_file(path, fmt, opts, true);
}
