/*
 * Growable buffer. Capacity doubles, so appending n bytes costs O(n)
 * amortised; every size computation is checked for overflow. Appending
 * is inline (buf.h) while there is room, growing is here.
 */
#include "ingest/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xref_buf_init(struct xref_buf *b)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void xref_buf_release(struct xref_buf *b)
{
	free(b->ptr);
	xref_buf_init(b);
}

int xref_buf_grow(struct xref_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return xref_error_set(XREF_ENOMEM, "buffer too large");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	b->ptr = p;
	b->cap = cap;
	return 0;
}

/* The external definitions of the inline functions of buf.h. */
extern inline int xref_buf_put(struct xref_buf *b, const char *data,
			       size_t len);
extern inline int xref_buf_putc(struct xref_buf *b, char c);

int xref_buf_puts(struct xref_buf *b, const char *s)
{
	return xref_buf_put(b, s, strlen(s));
}

int xref_buf_printf(struct xref_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return xref_error_set(XREF_ERROR, "formatting failed");
	err = xref_buf_grow(b, (size_t)n);
	if (err)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void xref_buf_clear(struct xref_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *xref_buf_cstr(const struct xref_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *xref_buf_detach(struct xref_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	xref_buf_init(b);
	return p;
}
