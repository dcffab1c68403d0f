/*
 * Thread-local last-error message. One fixed buffer per thread keeps error
 * reporting allocation-free, so it still works when memory runs out; a
 * message longer than the buffer is truncated, which only shortens text.
 */
#include "ingest/status.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[1024];

int xref_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

const char *xref_error_last(void)
{
	return last_error;
}

void xref_error_clear(void)
{
	last_error[0] = '\0';
}

const char *xref_status_str(int code)
{
	switch (code) {
	case XREF_OK: return "success";
	case XREF_ENOMEM: return "out of memory";
	case XREF_EIO: return "input/output error";
	case XREF_EDATA: return "malformed data";
	case XREF_ENOTFOUND: return "not found";
	case XREF_EAMBIGUOUS: return "ambiguous name";
	case XREF_EINVAL: return "invalid argument";
	case XREF_EVERSION: return "unsupported version";
	default: return "error";
	}
}
