/*
 * One document as the readers hand it on.
 */
#ifndef XREF_INGEST_DOC_H
#define XREF_INGEST_DOC_H

#include <stddef.h>

struct xref_doc {
	char *id;      /* given id (JSONL) or derived from the path; never NULL */
	char *title;   /* may be NULL */
	char *url;     /* may be NULL */
	char *date;    /* "YYYY-MM-DD" (or "YYYY-MM", "YYYY") or NULL */
	char *source;  /* the path it came from, or "-" for standard input */
	size_t line;   /* 1-based line in `source` where it starts */
	char *text;    /* body text: clean UTF-8 (see xref_utf8_clean), NUL-terminated */
	size_t text_len;
};

/* Frees every field and zeroes the struct. Safe on a zeroed struct. */
void xref_doc_release(struct xref_doc *doc);

/* Parses a date written as ISO 8601 (2021-07-21, 2021-07-21T10:00:00Z,
 * 2021/07/21), "July 21, 2021", "21 July 2021", "Jul 21 2021", "2021-07" or
 * "2021" and returns it as "YYYY-MM-DD" ("YYYY-MM", "YYYY" when less is
 * known) in a new string owned by the caller (free()), or NULL when the text
 * is not a date (or memory runs out). */
char *xref_date_parse(const char *s);

#endif
