/*
 * A small result table (named, typed columns; rows of cells) and its four
 * text forms: aligned columns for terminals, TSV, CSV and JSON. Every
 * command that prints rows builds one of these, so the formats behave the
 * same everywhere.
 */
#ifndef XREF_EXPORT_TABLE_H
#define XREF_EXPORT_TABLE_H

#include <stdbool.h>
#include <stdio.h>

enum xref_col_kind {
	XREF_COL_STRING,
	XREF_COL_INTEGER,
	XREF_COL_NUMBER,
};

enum xref_table_format {
	XREF_TABLE_TABLE, /* aligned columns, numbers right-aligned, %.6g */
	XREF_TABLE_TSV,   /* header line, tab-separated; tabs and newlines in values become spaces */
	XREF_TABLE_CSV,   /* RFC 4180 quoting, LF line ends; formula-like strings get a leading ' */
	XREF_TABLE_JSON,  /* array of objects, one per line; '<' as \u003c; numbers %.9g */
};

/* "table", "tsv", "csv", "json" (static). */
const char *xref_table_format_name(enum xref_table_format f);
/* Parses a format name (exact, lowercase). 0 or XREF_EINVAL. */
int xref_table_format_parse(enum xref_table_format *out, const char *name);

struct xref_table;

/* A new empty table. *out is owned by the caller (xref_table_free()).
 * 0 or XREF_ENOMEM. */
int xref_table_new(struct xref_table **out);

/* NULL is a no-op. */
void xref_table_free(struct xref_table *t);

/* Appends a column; `name` is copied (sanitised) and is also the JSON key.
 * Columns must all be added before the first row. 0, XREF_ENOMEM, or
 * XREF_EINVAL once rows exist. */
int xref_table_add_column(struct xref_table *t, const char *name,
			  enum xref_col_kind kind);

/* Appends a row of empty cells and makes it the current row. An empty cell
 * prints as nothing (TSV, CSV), "-" (table) or null (JSON). 0 or
 * XREF_ENOMEM. */
int xref_table_add_row(struct xref_table *t);

/* Sets a cell of the current row. The string is copied after
 * xref_utf8_sanitize() (so it is valid UTF-8 without control characters);
 * NULL leaves the cell empty. Setting a cell of a kind other than its
 * column's is XREF_EINVAL, as is a column out of range or no row yet.
 * A non-finite number prints like an empty cell. 0, XREF_ENOMEM or
 * XREF_EINVAL. */
int xref_table_set_string(struct xref_table *t, size_t col, const char *s);
int xref_table_set_integer(struct xref_table *t, size_t col, long long v);
int xref_table_set_number(struct xref_table *t, size_t col, double v);

size_t xref_table_rows(const struct xref_table *t);

/* Writes the table to `out` in format `f`. The table form has a header
 * line of column names and two spaces between columns, without trailing
 * blanks; widths count code points. TSV and CSV have a header line; JSON is
 * `[` + one object per line + `]`. Output is deterministic (no locale).
 * Returns 0, XREF_ENOMEM, or XREF_EIO when writing fails. O(rows * cols). */
int xref_table_write(const struct xref_table *t, enum xref_table_format f,
		     FILE *out);

#endif
