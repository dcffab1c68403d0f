/*
 * The ingest pipeline: readers hand documents to a callback that checks the
 * case for an unchanged copy, analyses the document (segmentation and
 * recognition) and stores it; every `batch_size` documents the open
 * transaction is committed.
 *
 * Each document travels as a `struct job` through two stages:
 *
 *   job_analyse(): pure work on the job alone (segment, recognize); the
 *                  recognizer is reentrant, so this stage can run on worker
 *                  threads;
 *   job_store():   everything that touches the case, strictly in read
 *                  order on one thread (SQLite connections are not shared).
 *
 * For now both stages run inline on the reading thread. Moving recognition
 * to workers means putting jobs on a bounded queue after the "unchanged"
 * check, analysing them on N threads and storing them in sequence-number
 * order; the batch bookkeeping below already counts stored jobs, not read
 * ones, so it would not change. The single-threaded version was kept first
 * because it is trivially deterministic and the case file is the
 * bottleneck only on tiny documents.
 */
#include "graph/pipeline.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ingest/segment.h"
#include "ingest/status.h"

struct job {
	struct xref_doc *doc; /* borrowed from the reader */
	struct xref_segmentation seg;
	struct xref_mentions mentions;
};

struct run {
	struct xref_case *c;
	const struct xref_recognizer *r;
	const struct xref_pipeline_opts *opts;
	struct xref_pipeline_stats *stats;
	size_t batch_size;
	size_t in_batch; /* documents handled in the open transaction */
	bool open;       /* a transaction is open */
	int err;         /* a failure inside the callback (negative status) */
};

static void job_release(struct job *j)
{
	xref_segmentation_release(&j->seg);
	xref_mentions_release(&j->mentions);
}

/* Stage 1: touches only the job and the (reentrant) recognizer. */
static int job_analyse(struct job *j, const struct xref_recognizer *r)
{
	int err;

	err = xref_segment(&j->seg, j->doc->text, j->doc->text_len);
	if (err)
		return err;
	return xref_recognize(&j->mentions, r, j->doc->text, j->doc->text_len,
			      &j->seg);
}

/* Stage 2: the case, in read order. */
static int job_store(struct run *run, struct job *j)
{
	enum xref_add_result res = XREF_DOC_ADDED;
	int err;

	err = xref_case_add_document(run->c, j->doc, &j->seg, &j->mentions,
				     &res);
	if (err)
		return err;
	switch (res) {
	case XREF_DOC_ADDED:
		run->stats->added++;
		break;
	case XREF_DOC_REPLACED:
		run->stats->replaced++;
		break;
	case XREF_DOC_UNCHANGED:
		run->stats->unchanged++;
		break;
	}
	return 0;
}

static int batch_begin(struct run *run)
{
	int err;

	if (run->open)
		return 0;
	err = xref_case_begin(run->c);
	if (err)
		return err;
	run->open = true;
	run->in_batch = 0;
	return 0;
}

static int batch_commit(struct run *run)
{
	int err;

	if (!run->open)
		return 0;
	err = xref_case_commit(run->c);
	run->open = false;
	if (err) {
		/* A failed commit may leave the transaction open. */
		xref_case_rollback(run->c);
		return err;
	}
	run->stats->batches++;
	return 0;
}

static int on_doc(struct xref_doc *doc, void *ctx)
{
	struct run *run = ctx;
	struct job j;
	bool unchanged = false;
	int err;

	memset(&j, 0, sizeof(j));
	j.doc = doc;
	run->stats->read++;

	err = batch_begin(run);
	if (err)
		goto out;
	err = xref_case_document_unchanged(run->c, doc, &unchanged);
	if (err)
		goto out;
	if (unchanged) {
		run->stats->unchanged++;
	} else {
		err = job_analyse(&j, run->r);
		if (err)
			goto out;
		err = job_store(run, &j);
		if (err)
			goto out;
	}
	if (++run->in_batch >= run->batch_size)
		err = batch_commit(run);
out:
	job_release(&j);
	if (err) {
		run->err = err;
		return err;
	}
	if (run->opts->on_progress)
		run->opts->on_progress(run->stats, run->opts->ctx);
	return 0;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	struct run *run = ctx;

	run->stats->warnings++;
	if (run->opts->on_warn)
		run->opts->on_warn(path, line, msg, run->opts->ctx);
}

int xref_pipeline_ingest(struct xref_pipeline_stats *stats,
			 struct xref_case *c, const struct xref_recognizer *r,
			 const char *const *paths, size_t n_paths,
			 const struct xref_pipeline_opts *opts)
{
	static const struct xref_pipeline_opts defaults = { 0 };
	struct xref_pipeline_stats local;
	struct xref_reader_opts ropts;
	struct run run;
	size_t i;
	int err = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!opts)
		opts = &defaults;
	if (!c || !r || (n_paths && !paths))
		return xref_error_set(XREF_EINVAL, "invalid pipeline arguments");

	memset(&run, 0, sizeof(run));
	run.c = c;
	run.r = r;
	run.opts = opts;
	run.stats = stats;
	run.batch_size = opts->batch_size ? opts->batch_size
					  : XREF_PIPELINE_BATCH_DEFAULT;

	memset(&ropts, 0, sizeof(ropts));
	ropts.on_doc = on_doc;
	ropts.on_warn = on_warn;
	ropts.ctx = &run;
	ropts.max_file_size = opts->max_file_size;

	for (i = 0; i < n_paths; i++) {
		err = xref_ingest_read(paths[i], &ropts);
		if (err)
			break;
	}
	if (err && !run.err) {
		/*
		 * The reader could not open a path: what is stored so far is
		 * complete and consistent, so keep it. The reader's message is
		 * saved across the commit, whose own failure wins.
		 */
		char msg[512];

		if (err > 0)
			err = xref_error_set(XREF_ERROR, "reading stopped");
		snprintf(msg, sizeof(msg), "%s", xref_error_last());
		if (run.open) {
			int cerr = batch_commit(&run);

			if (cerr) {
				err = cerr;
				goto out;
			}
		}
		xref_error_set(err, "%s", msg);
		goto out;
	}
	if (err)
		goto out;
	err = batch_commit(&run);
out:
	if (err && run.open) {
		xref_case_rollback(c);
		run.open = false;
	}
	return err;
}
