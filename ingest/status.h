/*
 * Status codes and the last-error message shared by every module.
 *
 * Actions return 0 on success or a negative enum xref_status; the detail goes
 * to a thread-local last-error message that the CLI prints. The library never
 * prints.
 */
#ifndef XREF_INGEST_STATUS_H
#define XREF_INGEST_STATUS_H

enum xref_status {
	XREF_OK = 0,
	XREF_ERROR = -1,     /* runtime failure (library error, internal) */
	XREF_ENOMEM = -2,    /* allocation failed or size overflow */
	XREF_EIO = -3,       /* reading or writing a file failed */
	XREF_EDATA = -4,     /* malformed input data */
	XREF_ENOTFOUND = -5, /* a named thing does not exist */
	XREF_EAMBIGUOUS = -6,/* a name matches several things */
	XREF_EINVAL = -7,    /* the caller passed an invalid argument */
	XREF_EVERSION = -8,  /* a case file from a newer version */
};

#if defined(__GNUC__)
#define XREF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define XREF_PRINTF(f, a)
#endif

/* Sets the last error message (printf-style) and returns `code`, so that
 * `return xref_error_set(XREF_EIO, "cannot open '%s'", p);` reads naturally.
 * Messages are lowercase, without a trailing period, subjects in quotes. */
int xref_error_set(int code, const char *fmt, ...) XREF_PRINTF(2, 3);

/* The last error message of this thread, or "" when none. Borrowed: valid
 * until the next xref_error_set() or xref_error_clear() on this thread. */
const char *xref_error_last(void);

/* Forgets the last error of this thread. */
void xref_error_clear(void);

/* A short generic text for a status code (static, never freed). */
const char *xref_status_str(int code);

#endif
