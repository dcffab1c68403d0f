/*
 * A growable byte buffer, always NUL-terminated once anything is in it.
 */
#ifndef XREF_INGEST_BUF_H
#define XREF_INGEST_BUF_H

#include <stddef.h>

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
int xref_buf_put(struct xref_buf *b, const char *data, size_t len);
int xref_buf_puts(struct xref_buf *b, const char *s);
int xref_buf_putc(struct xref_buf *b, char c);
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
