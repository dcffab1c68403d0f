/*
 * A small strict JSON pull parser ("jp") over one in-memory value (in practice one
 * line of a JSON Lines file): the caller walks objects and arrays member by
 * member, decodes the strings it wants and skips the rest. Nothing is
 * allocated but the caller's buffers; no tree is built.
 *
 * Every parsing function returns 0 on success, XREF_JP_SYNTAX (a positive
 * 1) on a syntax error, with p->err and p->err_col set, or a negative
 * enum xref_status (XREF_ENOMEM from a buffer). Messages speak of lines
 * ("unexpected end of line") because the input is one line of JSON Lines.
 * Each function skips the whitespace before what it reads.
 */
#ifndef XREF_INGEST_JSON_H
#define XREF_INGEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/buf.h"

#define XREF_JP_SYNTAX 1
/* Containers nested deeper than this are a syntax error. */
#define XREF_JP_MAX_DEPTH 64

struct xref_jp {
	const char *s;
	size_t len, pos;
	const char *err; /* syntax error message (static), or NULL */
	size_t err_col;  /* 1-based byte column of the error */
};

enum xref_jp_kind {
	XREF_JP_END,     /* no more input */
	XREF_JP_OBJECT,
	XREF_JP_ARRAY,
	XREF_JP_STRING,
	XREF_JP_NUMBER,
	XREF_JP_BOOL,    /* starts like true or false */
	XREF_JP_NULL,    /* starts like null */
	XREF_JP_INVALID, /* no value can start here */
};

/* Starts parsing s[0..len) (borrowed for the parser's lifetime). */
void xref_jp_init(struct xref_jp *p, const char *s, size_t len);

/* Skips whitespace. */
void xref_jp_ws(struct xref_jp *p);

/* After whitespace, the kind of the next value, judged by its first byte
 * (the value itself is checked when it is read). */
enum xref_jp_kind xref_jp_peek(struct xref_jp *p);

/* Records a syntax error `msg` (static) at the current position, or
 * "unexpected end of line" when the input has run out, which is then the
 * real cause. Returns XREF_JP_SYNTAX. */
int xref_jp_fail(struct xref_jp *p, const char *msg);

/* Reads a string and appends its decoded UTF-8 to out (NULL: only checks
 * it). A lone surrogate escape becomes U+FFFD; raw bytes are copied as they
 * are (the caller cleans invalid UTF-8 if it must). */
int xref_jp_string(struct xref_jp *p, struct xref_buf *out);

/* Reads a number and appends its text, as written, to out (may be NULL). */
int xref_jp_number(struct xref_jp *p, struct xref_buf *out);

/* Reads and discards any value; `depth` containers are already open around
 * it (for the depth limit). Iterative: no input can exhaust the C stack. */
int xref_jp_skip(struct xref_jp *p, int depth);

/* Reads the '{' that opens an object ("expected an object" otherwise). */
int xref_jp_object_begin(struct xref_jp *p);

/* Moves to the next member of the object opened by
 * xref_jp_object_begin(); `index` is the number of members already read.
 * When a member follows, sets *more, clears key and decodes the member's
 * name into it (key may be NULL), and consumes the ':' so that the value
 * comes next; at the closing '}' consumes it and clears *more. */
int xref_jp_object_next(struct xref_jp *p, size_t index,
			  struct xref_buf *key, bool *more);

/* Reads the '[' that opens an array ("expected an array" otherwise). */
int xref_jp_array_begin(struct xref_jp *p);

/* Like xref_jp_object_next() for arrays: sets *more when an element
 * follows (the element is read next), clears it after consuming ']'. */
int xref_jp_array_next(struct xref_jp *p, size_t index, bool *more);

#endif
