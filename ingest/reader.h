/*
 * Readers: turn files, directories and standard input into documents.
 *
 * Formats are chosen by extension: .txt (optional "Title:", "Date:", "URL:"
 * header lines ended by a blank line), .md and .markdown (converted to plain
 * text), .html and .htm (body text without script and style, <title>, a meta
 * date and URL), .jsonl and .ndjson (one JSON object per line: id, title,
 * url, date, text). Anything else is read as plain text. Directories are
 * walked recursively in bytewise-sorted order; hidden entries (starting with
 * '.') are skipped; symlinks to directories are not followed.
 */
#ifndef XREF_INGEST_READER_H
#define XREF_INGEST_READER_H

#include <stddef.h>

#include "ingest/doc.h"

/* Called once per document. The callback may take ownership of any field by
 * setting it to NULL; the reader releases the rest afterwards. A non-zero
 * return stops reading and is returned by xref_ingest_read(). */
typedef int (*xref_doc_fn)(struct xref_doc *doc, void *ctx);

/* Called for a problem that skips one file or one line but lets the batch go
 * on (unreadable file, malformed JSONL line, binary file...). `line` is 0
 * when the problem concerns the whole file. `msg` is lowercase without the
 * path, e.g. "invalid JSON: expected ':'". */
typedef void (*xref_warn_fn)(const char *path, size_t line, const char *msg,
			     void *ctx);

struct xref_reader_opts {
	xref_doc_fn on_doc;   /* required */
	xref_warn_fn on_warn; /* may be NULL */
	void *ctx;
	size_t max_file_size; /* 0: no limit; larger files are skipped with a warning */
};

/* Reads `path` (a file, a directory, or "-" for standard input, which is read
 * as plain text unless it starts with '{', then as JSONL) and calls on_doc for
 * each document in order. Per-file problems go to on_warn and reading goes on.
 * Returns 0, the callback's non-zero value, or a negative xref_status when
 * `path` itself cannot be opened (XREF_EIO, with the last error set to
 * "cannot open 'PATH': REASON"). */
int xref_ingest_read(const char *path, const struct xref_reader_opts *opts);

/* Parses one in-memory buffer as format `ext` ("txt", "md", "html", "jsonl")
 * with `source` naming it for ids and messages. Same callbacks and results as
 * xref_ingest_read(). Used by xref_ingest_read() and by the fuzz targets. */
int xref_ingest_read_buffer(const char *data, size_t len, const char *ext,
			    const char *source,
			    const struct xref_reader_opts *opts);

#endif
