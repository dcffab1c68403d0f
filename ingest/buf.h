/*
 * A growable byte buffer, always NUL-terminated once anything is in it.
 */
#ifndef XREF_INGEST_BUF_H
#define XREF_INGEST_BUF_H

#include <stddef.h>
#include <string.h>

#include "ingest/status.h"

struct xref_buf {
	char *ptr;  /* NULL until the first write; then NUL-terminated */
	size_t len; /* bytes in use, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
};

#define XREF_BUF_INIT { NULL, 0, 0 }

void xref_buf_init(struct xref_buf *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void xref_buf_release(struct xref_buf *b);
/* Makes room for `extra` more bytes plus a NUL. XREF_ENOMEM on failure. */
int xref_buf_grow(struct xref_buf *b, size_t extra);

/* Appends data[0..len) (or the byte c). 0 or XREF_ENOMEM. Inline, with
 * the growing out of line: recognition appends words and spaces one at a
 * time, and the calls were a visible share of it. */
inline int xref_buf_put(struct xref_buf *b, const char *data, size_t len)
{
	if (b->cap - b->len <= len) {
		int err = xref_buf_grow(b, len);

		if (err)
			return err;
	}
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

inline int xref_buf_putc(struct xref_buf *b, char c)
{
	if (b->cap - b->len <= 1) {
		int err = xref_buf_grow(b, 1);

		if (err)
			return err;
	}
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
	return 0;
}

int xref_buf_puts(struct xref_buf *b, const char *s);
int xref_buf_printf(struct xref_buf *b, const char *fmt, ...) XREF_PRINTF(2, 3);
/* Empties the buffer but keeps its memory. */
void xref_buf_clear(struct xref_buf *b);
/* The contents as a C string ("" when empty). Borrowed from the buffer. */
const char *xref_buf_cstr(const struct xref_buf *b);
/* Hands the contents to the caller, who frees them with free(); the buffer
 * is left empty. Returns an allocated "" for an empty buffer, NULL only when
 * out of memory. */
char *xref_buf_detach(struct xref_buf *b);

#endif
