/*
 * The ingest pipeline: inputs -> documents -> segmentation -> mentions ->
 * case file, committed in batches.
 */
#ifndef XREF_GRAPH_PIPELINE_H
#define XREF_GRAPH_PIPELINE_H

#include <stddef.h>

#include "graph/case.h"
#include "ingest/reader.h"
#include "ingest/recognize.h"

#define XREF_PIPELINE_BATCH_DEFAULT 500
#define XREF_PIPELINE_THREADS_MAX 16

/* What one run did. Counters only grow; they are up to date whenever a
 * callback sees them. */
struct xref_pipeline_stats {
	size_t read;      /* documents handed on by the readers */
	size_t added;     /* new document ids */
	size_t replaced;  /* known ids whose content changed */
	size_t unchanged; /* known ids with the same content: skipped */
	size_t warnings;  /* reader problems: a file or line skipped, or bytes
			   * replaced (invalid UTF-8, NUL) */
	size_t batches;   /* transactions committed */
};

/* Called after each document is stored or skipped. Must not call back into
 * the pipeline or the case. */
typedef void (*xref_pipeline_progress_fn)(
	const struct xref_pipeline_stats *stats, void *ctx);

struct xref_pipeline_opts {
	size_t batch_size;   /* documents per transaction; 0: XREF_PIPELINE_BATCH_DEFAULT */
	size_t max_file_size;/* passed to the readers; 0: no limit */
	size_t threads;      /* recognition threads; 0: one per online CPU (at
			      * most XREF_PIPELINE_THREADS_MAX); 1: none, all
			      * work on the calling thread. The case file is
			      * identical whatever the number. */
	xref_pipeline_progress_fn on_progress; /* may be NULL */
	xref_warn_fn on_warn;                  /* may be NULL: warnings are only counted */
	void *ctx;                             /* handed to both callbacks */
};

/*
 * Reads every path in paths[0..n_paths) in order (a file, a directory, or
 * "-" for standard input; see xref_ingest_read()) and stores each document
 * in case `c`: a document whose id and content the case already holds is
 * skipped before any recognition; the others are segmented, recognised with
 * `r` and added (or replace the older version).
 *
 * Every opts->batch_size documents form one transaction (xref_case_begin /
 * xref_case_commit), so a crash loses at most the batch in progress. `c`
 * must not have a batch open. `opts` may be NULL (defaults, no callbacks).
 *
 * *stats (may be NULL) is filled in even on failure and then tells how far
 * the run got.
 *
 * Errors: a path that cannot be opened stops the run with XREF_EIO ("cannot
 * open 'PATH': REASON") after committing the documents already stored, so
 * nothing read before it is lost; XREF_ENOMEM or a case error rolls the
 * open batch back and returns that status. Per-file problems (an unreadable
 * file inside a directory, a malformed JSONL line) are warnings, not errors.
 * The last error message is set on failure. Never prints.
 *
 * Threads: with opts->threads != 1, segmentation and recognition run on
 * worker threads while the calling thread reads, checks and stores; the
 * documents are stored strictly in read order, so the case file and the
 * statistics are the same as with one thread. The callbacks are called on
 * the calling thread, except that for a bulk case (XREF_CASE_BULK, not
 * yet finished) reading moves to a thread of its own: then warnings come
 * from that thread, and the callbacks are serialised (never two at once).
 * At most 64 documents (and, beyond the first, 64 MiB of text) wait
 * between reading and storing.
 *
 * Time: linear in the input size (segmentation and recognition are O(text));
 * one case transaction per batch.
 */
int xref_pipeline_ingest(struct xref_pipeline_stats *stats,
			 struct xref_case *c, const struct xref_recognizer *r,
			 const char *const *paths, size_t n_paths,
			 const struct xref_pipeline_opts *opts);

#endif
