/*
 * Result tables and their four text forms.
 *
 * Cells are stored typed (string, integer, number) and only formatted when
 * written, so one table serves a person at a terminal (%.6g, aligned) and a
 * program (%.9g, exact enough to round-trip the ranking). Strings are
 * sanitised once, when they are set, which makes every format safe from
 * invalid UTF-8 and control characters without each writer thinking about
 * it.
 *
 * JSON: one object per row, one per line inside the array, so output
 * stays greppable and a huge table is never one giant tree. Rows are
 * written straight into a buffer with the escaping every JSON file of
 * ours uses (export/emit.h: cJSON's escapes, then '<', U+2028 and U+2029
 * made safe for HTML), and numbers are formatted here, because cJSON's own
 * number printing (%1.15g, then %1.17g when that does not round-trip)
 * differs between values and prints NaN as null silently.
 *
 * CSV: a string cell starting with = + - or @ is prefixed with an
 * apostrophe, so a spreadsheet shows it as text instead of evaluating it
 * (formula injection from hostile documents). Numbers are never prefixed.
 * The cell rules are emit.c's, shared with the whole-graph CSV files.
 */
#include "export/table.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/emit.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

struct cell {
	bool set;
	long long i;
	double d;
	char *s; /* owned, sanitised */
};

struct column {
	char *name; /* owned, sanitised */
	enum xref_col_kind kind;
};

struct xref_table {
	struct column *cols;
	size_t n_cols, cap_cols;
	struct cell *cells; /* row-major, n_rows * n_cols */
	size_t n_rows, cap_rows;
};

static const char *const format_names[] = {
	[XREF_TABLE_TABLE] = "table",
	[XREF_TABLE_TSV] = "tsv",
	[XREF_TABLE_CSV] = "csv",
	[XREF_TABLE_JSON] = "json",
};

const char *xref_table_format_name(enum xref_table_format f)
{
	if ((size_t)f >= sizeof(format_names) / sizeof(format_names[0]))
		return "?";
	return format_names[f];
}

int xref_table_format_parse(enum xref_table_format *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(format_names) / sizeof(format_names[0]);
	     i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum xref_table_format)i;
			return 0;
		}
	}
	return xref_error_set(XREF_EINVAL, "unknown table format '%s'",
			      name ? name : "");
}

int xref_table_new(struct xref_table **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	return 0;
}

void xref_table_free(struct xref_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i].s);
	for (i = 0; i < t->n_cols; i++)
		free(t->cols[i].name);
	free(t->cells);
	free(t->cols);
	free(t);
}

/* Grows *v (of *cap elements of `size` bytes) to hold `need`. */
static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return xref_error_set(XREF_ENOMEM, "table too large");
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return xref_error_set(XREF_ENOMEM, "table too large");
	p = realloc(*v, n * size);
	if (!p)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	*v = p;
	*cap = n;
	return 0;
}

int xref_table_add_column(struct xref_table *t, const char *name,
			  enum xref_col_kind kind)
{
	void *v = t->cols;
	char *copy;
	int err;

	if (t->n_rows)
		return xref_error_set(XREF_EINVAL,
				      "columns must come before rows");
	err = grow(&v, &t->cap_cols, t->n_cols + 1, sizeof(*t->cols));
	t->cols = v;
	if (err)
		return err;
	copy = xref_utf8_sanitize(name ? name : "");
	if (!copy)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	t->cols[t->n_cols].name = copy;
	t->cols[t->n_cols].kind = kind;
	t->n_cols++;
	return 0;
}

int xref_table_add_row(struct xref_table *t)
{
	void *v = t->cells;
	size_t need;
	int err;

	if (t->n_cols && t->n_rows + 1 > SIZE_MAX / t->n_cols)
		return xref_error_set(XREF_ENOMEM, "table too large");
	need = (t->n_rows + 1) * t->n_cols;
	if (need) {
		err = grow(&v, &t->cap_rows, need, sizeof(*t->cells));
		t->cells = v;
		if (err)
			return err;
		memset(&t->cells[t->n_rows * t->n_cols], 0,
		       t->n_cols * sizeof(*t->cells));
	}
	t->n_rows++;
	return 0;
}

size_t xref_table_rows(const struct xref_table *t)
{
	return t->n_rows;
}

static struct cell *current(struct xref_table *t, size_t col,
			    enum xref_col_kind kind)
{
	if (!t->n_rows || col >= t->n_cols || t->cols[col].kind != kind) {
		xref_error_set(XREF_EINVAL, "no such cell (column %zu)", col);
		return NULL;
	}
	return &t->cells[(t->n_rows - 1) * t->n_cols + col];
}

int xref_table_set_string(struct xref_table *t, size_t col, const char *s)
{
	struct cell *c = current(t, col, XREF_COL_STRING);
	char *copy;

	if (!c)
		return XREF_EINVAL;
	if (!s) {
		free(c->s);
		c->s = NULL;
		c->set = false;
		return 0;
	}
	copy = xref_utf8_sanitize(s);
	if (!copy)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	free(c->s);
	c->s = copy;
	c->set = true;
	return 0;
}

int xref_table_set_integer(struct xref_table *t, size_t col, long long v)
{
	struct cell *c = current(t, col, XREF_COL_INTEGER);

	if (!c)
		return XREF_EINVAL;
	c->i = v;
	c->set = true;
	return 0;
}

int xref_table_set_number(struct xref_table *t, size_t col, double v)
{
	struct cell *c = current(t, col, XREF_COL_NUMBER);

	if (!c)
		return XREF_EINVAL;
	c->d = v;
	c->set = isfinite(v);
	return 0;
}

/*
 * Formats cell c of kind `kind` into b (cleared first); `digits` is the
 * number of significant digits for numbers. Returns 0 or XREF_ENOMEM; an
 * empty cell leaves b empty.
 */
static int format_cell(struct xref_buf *b, const struct cell *c,
		       enum xref_col_kind kind, int digits)
{
	xref_buf_clear(b);
	if (!c->set)
		return xref_buf_put(b, "", 0);
	switch (kind) {
	case XREF_COL_STRING:
		return xref_buf_puts(b, c->s);
	case XREF_COL_INTEGER:
		return xref_buf_printf(b, "%lld", c->i);
	case XREF_COL_NUMBER:
		/* -0 and 0 print alike, so equal rankings print alike */
		return xref_buf_printf(b, "%.*g", digits,
				       c->d == 0 ? 0.0 : c->d);
	}
	return 0;
}

/* Display width in code points (sanitised text is valid UTF-8). */
static size_t width(const char *s, size_t len)
{
	size_t w = 0, i = 0;
	int32_t cp;

	while (i < len) {
		i += xref_utf8_decode(s + i, len - i, &cp);
		w++;
	}
	return w;
}

static const struct cell *cell_at(const struct xref_table *t, size_t row,
				  size_t col)
{
	return &t->cells[row * t->n_cols + col];
}

static int pad(FILE *out, size_t n)
{
	while (n--)
		if (putc(' ', out) == EOF)
			return XREF_EIO;
	return 0;
}

static int write_aligned(const struct xref_table *t, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT;
	size_t *w = NULL;
	size_t row, col;
	int err = 0;

	w = calloc(t->n_cols ? t->n_cols : 1, sizeof(*w));
	if (!w) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (col = 0; col < t->n_cols; col++)
		w[col] = width(t->cols[col].name, strlen(t->cols[col].name));
	for (row = 0; row < t->n_rows; row++) {
		for (col = 0; col < t->n_cols; col++) {
			size_t cw = 1; /* "-" for empty */

			err = format_cell(&b, cell_at(t, row, col),
					  t->cols[col].kind, 6);
			if (err)
				goto out;
			if (b.len)
				cw = width(b.ptr, b.len);
			if (cw > w[col])
				w[col] = cw;
		}
	}
	/* row == (size_t)-1 stands for the header line */
	for (row = (size_t)-1; row == (size_t)-1 || row < t->n_rows; row++) {
		for (col = 0; col < t->n_cols; col++) {
			bool right = t->cols[col].kind != XREF_COL_STRING;
			bool last = col + 1 == t->n_cols;
			const char *s;
			size_t len, cw;

			if (row == (size_t)-1) {
				s = t->cols[col].name;
				len = strlen(s);
			} else {
				err = format_cell(&b, cell_at(t, row, col),
						  t->cols[col].kind, 6);
				if (err)
					goto out;
				s = b.len ? b.ptr : "-";
				len = b.len ? b.len : 1;
			}
			cw = width(s, len);
			if (col && fputs("  ", out) == EOF)
				goto io;
			if (right && pad(out, w[col] - cw))
				goto io;
			if (len && fwrite(s, 1, len, out) != len)
				goto io;
			if (!right && !last && pad(out, w[col] - cw))
				goto io;
		}
		if (putc('\n', out) == EOF)
			goto io;
	}
	goto out;
io:
	err = xref_error_set(XREF_EIO, "write error");
out:
	free(w);
	xref_buf_release(&b);
	return err;
}

/* A TSV field: tabs and line breaks become spaces (sanitised text has no
 * control characters, but the format must not depend on that). */
static int put_tsv_field(struct xref_buf *line, const char *s, size_t len)
{
	size_t start = line->len;
	int err = xref_buf_put(line, s, len);

	for (size_t i = start; !err && i < line->len; i++)
		if (line->ptr[i] == '\t' || line->ptr[i] == '\n' ||
		    line->ptr[i] == '\r')
			line->ptr[i] = ' ';
	return err;
}

/* Writes a whole line (and empties it): 0 or XREF_EIO. */
static int put_line(struct xref_buf *line, FILE *out)
{
	int err = xref_buf_putc(line, '\n');

	if (!err && fwrite(line->ptr, 1, line->len, out) != line->len)
		err = xref_error_set(XREF_EIO, "write error");
	xref_buf_clear(line);
	return err;
}

static int write_separated(const struct xref_table *t, FILE *out, bool csv)
{
	struct xref_buf b = XREF_BUF_INIT, line = XREF_BUF_INIT;
	size_t row, col;
	int err = 0;

	/* row == (size_t)-1 stands for the header line */
	for (row = (size_t)-1;
	     !err && (row == (size_t)-1 || row < t->n_rows); row++) {
		for (col = 0; !err && col < t->n_cols; col++) {
			bool header = row == (size_t)-1;
			const char *s;
			size_t len;

			if (header) {
				s = t->cols[col].name;
				len = strlen(s);
			} else {
				err = format_cell(&b, cell_at(t, row, col),
						  t->cols[col].kind, 9);
				if (err)
					break;
				s = b.len ? b.ptr : "";
				len = b.len;
			}
			if (col)
				err = xref_buf_putc(&line, csv ? ',' : '\t');
			if (err)
				break;
			if (csv)
				err = xref_emit_csv_field(
					&line, s, len,
					header ||
						t->cols[col].kind ==
							XREF_COL_STRING);
			else
				err = put_tsv_field(&line, s, len);
		}
		if (!err)
			err = put_line(&line, out);
	}
	xref_buf_release(&b);
	xref_buf_release(&line);
	return err;
}

/* One row as a JSON object on one line, without the line break. */
static int put_row_object(struct xref_buf *line, struct xref_buf *b,
			  const struct xref_table *t, size_t row)
{
	int err = xref_buf_putc(line, '{');

	for (size_t col = 0; !err && col < t->n_cols; col++) {
		const struct cell *c = cell_at(t, row, col);
		const char *key = t->cols[col].name;

		if (col)
			err = xref_buf_putc(line, ',');
		if (!err)
			err = xref_emit_json_str(line, key, strlen(key));
		if (!err)
			err = xref_buf_putc(line, ':');
		if (err)
			break;
		if (!c->set)
			err = xref_buf_puts(line, "null");
		else if (t->cols[col].kind == XREF_COL_STRING)
			err = xref_emit_json_str(line, c->s, strlen(c->s));
		else if (!(err = format_cell(b, c, t->cols[col].kind, 9)))
			err = xref_buf_put(line, b->ptr, b->len);
	}
	if (!err)
		err = xref_buf_putc(line, '}');
	return err;
}

static int write_json(const struct xref_table *t, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT, line = XREF_BUF_INIT;
	size_t row;
	int err;

	err = xref_buf_puts(&line, t->n_rows ? "[" : "[]");
	if (!err)
		err = put_line(&line, out);
	for (row = 0; !err && row < t->n_rows; row++) {
		err = put_row_object(&line, &b, t, row);
		if (!err && row + 1 < t->n_rows)
			err = xref_buf_putc(&line, ',');
		if (!err)
			err = put_line(&line, out);
	}
	if (!err && t->n_rows) {
		err = xref_buf_putc(&line, ']');
		if (!err)
			err = put_line(&line, out);
	}
	xref_buf_release(&b);
	xref_buf_release(&line);
	return err;
}

int xref_table_write(const struct xref_table *t, enum xref_table_format f,
		     FILE *out)
{
	switch (f) {
	case XREF_TABLE_TABLE:
		return write_aligned(t, out);
	case XREF_TABLE_TSV:
		return write_separated(t, out, false);
	case XREF_TABLE_CSV:
		return write_separated(t, out, true);
	case XREF_TABLE_JSON:
		return write_json(t, out);
	}
	return xref_error_set(XREF_EINVAL, "unknown table format");
}
