/*
 * The ingest pipeline: readers hand documents to a callback that checks the
 * case for an unchanged copy, analyses the document (segmentation and
 * recognition) and stores it; every `batch_size` documents the open
 * transaction is committed.
 *
 * Each document travels as a `struct job` through two stages:
 *
 *   job_analyse(): pure work on the job alone (segment, recognize, and
 *                  the part of storing that needs no case:
 *                  xref_case_prepare()); the recognizer is reentrant, so
 *                  this stage runs on worker threads;
 *   job_store():   everything that touches the case
 *                  (xref_case_add_prepared()), strictly in read order on
 *                  the calling thread (SQLite connections are not shared).
 *
 * Hand-off: jobs sit in a ring in read order. The reading thread appends a
 * job (after the "unchanged" check, so a known document is never
 * analysed), workers take the oldest job not yet analysed, and the reading
 * thread stores jobs from the head of the ring as soon as they are done,
 * waiting only when the ring is full. Storing in ring order makes the
 * case file byte-identical to a single-threaded run; batches count stored
 * jobs. The "unchanged" check reads the case as stored so far, so it is
 * skipped for a document whose id a job still in the ring also has: that
 * document is analysed, and storing decides at its turn whether it is
 * new, changed or unchanged, as a single thread would. The check's
 * content hash travels with the job, so preparing does not hash again.
 *
 * A new bulk case (`xref build`) has nothing to find unchanged, so reading
 * also leaves the calling thread: a reading thread parses the files and
 * appends jobs, workers analyse them and the calling thread only stores,
 * which is the stage that limits a build (SQLite inserts); the reading
 * thread and the workers lower their priority, so that under fair
 * scheduling they do not take the storing thread's core. A document id
 * that comes twice is then analysed twice and decided when stored, as for
 * ids still in the ring. The callbacks are called under the ring's lock
 * then, so they never overlap. An ingest keeps reading on the calling
 * thread: its "unchanged" check needs the case's connection.
 *
 * With one thread (opts->threads == 1, or a single CPU) nothing is started
 * and every job is analysed and stored inline. Rejected: a thread pool
 * with an unordered result queue re-sorted by sequence number (more
 * memory, same order), and parallel SQLite writers (one connection, one
 * writer: SQLite serialises them anyway).
 */
#define _POSIX_C_SOURCE 200809L

#include "graph/pipeline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph/graph_internal.h"
#include "graph/thread.h"
#include "ingest/segment.h"
#include "ingest/status.h"

#define RING_JOBS 64
#define RING_BYTES ((size_t)64 << 20)

enum job_state {
	JOB_FREE,    /* an empty slot */
	JOB_QUEUED,  /* waits for a worker */
	JOB_RUNNING, /* a worker analyses it */
	JOB_DONE,    /* ready to store (or skipped as unchanged) */
};

struct job {
	struct xref_doc doc; /* owned (moved out of the reader's) */
	struct xref_segmentation seg;
	struct xref_mentions mentions;
	struct xref_case_prep prep; /* what storing needs, done ahead */
	enum job_state state;
	bool unchanged;      /* known to the case: nothing to analyse */
	bool hashed;         /* hash holds the content hash already */
	char hash[33];
	int err;             /* analysis failure (negative status) */
	char msg[256];       /* its message (errors are per thread) */
};

struct run {
	struct xref_case *c;
	enum xref_window window; /* the case's */
	const struct xref_recognizer *r;
	const struct xref_pipeline_opts *opts;
	const char *const *paths;
	size_t n_paths;
	struct xref_pipeline_stats *stats;
	size_t batch_size;
	size_t in_batch; /* documents handled in the open transaction */
	bool open;       /* a transaction is open */
	int err;         /* a failure inside the callback (negative status) */

	/* Worker threads; none when n_threads == 0. */
	pthread_t threads[XREF_PIPELINE_THREADS_MAX];
	size_t n_threads;
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job was queued, or stop */
	pthread_cond_t done; /* a job is done */
	bool stop;

	/* The ring: jobs [head, tail) in read order, `next` the first one
	 * still queued. Indexes grow forever; slot = index % RING_JOBS. */
	struct job ring[RING_JOBS];
	size_t head, next, tail;
	size_t pending_bytes; /* text held by jobs in the ring */

	/* A reading thread (bulk builds, see read_main()): it fills the
	 * ring, waiting on `room`; `reading` until it is done; `abort` tells
	 * it to stop early. Its failure and message, copied out. */
	bool read_thread;
	pthread_t reader;
	pthread_cond_t room;
	bool reading, abort;
	int read_err;
	char read_msg[512];
};

static void job_release(struct job *j)
{
	xref_doc_release(&j->doc);
	xref_segmentation_release(&j->seg);
	xref_mentions_release(&j->mentions);
	xref_case_prep_release(&j->prep);
	memset(j, 0, sizeof(*j));
}

/* Stage 1: touches only the job, the (reentrant) recognizer and the
 * case's window, which never changes. Includes the part of storing that
 * needs no case (xref_case_prepare()). */
static int job_analyse(struct job *j, const struct xref_recognizer *r,
		       enum xref_window window)
{
	int err;

	err = xref_segment(&j->seg, j->doc.text, j->doc.text_len);
	if (err)
		return err;
	err = xref_recognize(&j->mentions, r, j->doc.text, j->doc.text_len,
			     &j->seg);
	if (err)
		return err;
	return xref_case_prepare(&j->prep, window, &j->doc, &j->seg,
				 &j->mentions, j->hashed ? j->hash : NULL);
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

/* Stage 2: the case, in read order, on the calling thread. */
static int job_store(struct run *run, struct job *j)
{
	enum xref_add_result res = XREF_DOC_ADDED;
	int err;

	if (j->err)
		return xref_error_set(j->err, "%s", j->msg);
	err = batch_begin(run);
	if (err)
		return err;
	if (j->unchanged) {
		run->stats->unchanged++;
	} else {
		err = xref_case_add_prepared(run->c, &j->doc, &j->seg,
					     &j->mentions, &j->prep, &res);
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
	}
	if (++run->in_batch >= run->batch_size) {
		err = batch_commit(run);
		if (err)
			return err;
	}
	if (run->opts->on_progress) {
		/* the reading thread counts and warns meanwhile */
		if (run->read_thread)
			pthread_mutex_lock(&run->lock);
		run->opts->on_progress(run->stats, run->opts->ctx);
		if (run->read_thread)
			pthread_mutex_unlock(&run->lock);
	}
	return 0;
}

/*
 * The threads that feed the storing thread (workers, the reading thread)
 * run at a lower priority. The storing thread limits an ingest, and with
 * more runnable threads than cores the scheduler's fair share gave it only
 * part of a core while the others ran ahead until the ring was full: on
 * two cores a 1 GB build's ingest took 49 s for 39 s of storing and 81 s
 * of CPU in all. Lowered, the feeders take whatever the storer leaves,
 * and still both cores whenever it waits for them.
 */
static void lower_priority(void)
{
	xref_thread_lower_priority(XREF_THREAD_BACKGROUND);
}

static void *worker(void *arg)
{
	struct run *run = arg;

	lower_priority();

	pthread_mutex_lock(&run->lock);
	for (;;) {
		struct job *j;
		int err;

		while (!run->stop) {
			/* skip jobs stored already, and known documents */
			if (run->next < run->head)
				run->next = run->head;
			while (run->next != run->tail &&
			       run->ring[run->next % RING_JOBS].state !=
				       JOB_QUEUED)
				run->next++;
			if (run->next != run->tail)
				break;
			pthread_cond_wait(&run->work, &run->lock);
		}
		if (run->stop)
			break;
		j = &run->ring[run->next++ % RING_JOBS];
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&run->lock);

		err = job_analyse(j, run->r, run->window);
		if (err)
			snprintf(j->msg, sizeof(j->msg), "%s",
				 *xref_error_last() ? xref_error_last()
						    : xref_status_str(err));

		pthread_mutex_lock(&run->lock);
		j->err = err;
		j->state = JOB_DONE;
		pthread_cond_broadcast(&run->done);
	}
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

/*
 * Stores the finished jobs at the head of the ring, in order, and returns
 * at the first one not done yet, except that it waits: with `until` == 0
 * (drain) until the ring is empty and a reading thread, if any, is done;
 * else while the ring holds `until` jobs or more, or `incoming` more bytes
 * would take the text held beyond RING_BYTES (an empty ring always takes a
 * job). On a failure, tells a reading thread to stop. Called with the lock
 * free.
 */
static int store_ready(struct run *run, size_t until, size_t incoming)
{
	int err = 0;

	pthread_mutex_lock(&run->lock);
	while (run->head != run->tail || (until == 0 && run->reading)) {
		struct job *j = &run->ring[run->head % RING_JOBS];
		size_t held = run->tail - run->head;
		bool must = until == 0 || held >= until ||
			    (incoming &&
			     run->pending_bytes + incoming > RING_BYTES);

		if (run->head == run->tail || j->state != JOB_DONE) {
			if (!must)
				break;
			pthread_cond_wait(&run->done, &run->lock);
			continue;
		}
		pthread_mutex_unlock(&run->lock);
		err = job_store(run, j);
		pthread_mutex_lock(&run->lock);
		run->pending_bytes -= j->doc.text_len;
		job_release(j);
		run->head++;
		if (run->read_thread)
			pthread_cond_signal(&run->room);
		if (err) {
			run->abort = true; /* a reading thread stops */
			break;
		}
	}
	pthread_mutex_unlock(&run->lock);
	return err;
}

/* True when a job in the ring, not stored yet, has document id `id`. Only
 * the calling thread adds and releases jobs, so it reads ids unlocked. */
static bool pending_id(const struct run *run, const char *id)
{
	for (size_t i = run->head; i != run->tail; i++)
		if (!strcmp(run->ring[i % RING_JOBS].doc.id, id))
			return true;
	return false;
}

/*
 * on_doc() of the reading thread: queues the document for the workers,
 * waiting for room in the ring. No "unchanged" check: the case is new,
 * and a document id that comes twice is decided when it is stored, as
 * on_doc() does for ids still in the ring.
 */
static int on_doc_queue(struct xref_doc *doc, void *ctx)
{
	struct run *run = ctx;
	struct job *j;

	pthread_mutex_lock(&run->lock);
	run->stats->read++;
	while (!run->abort &&
	       (run->tail - run->head >= RING_JOBS ||
		(run->head != run->tail &&
		 run->pending_bytes + doc->text_len > RING_BYTES)))
		pthread_cond_wait(&run->room, &run->lock);
	if (run->abort) {
		pthread_mutex_unlock(&run->lock);
		return xref_error_set(XREF_ERROR, "reading stopped");
	}
	j = &run->ring[run->tail % RING_JOBS];
	j->doc = *doc;
	memset(doc, 0, sizeof(*doc)); /* the job owns the fields now */
	j->state = JOB_QUEUED;
	run->pending_bytes += j->doc.text_len;
	run->tail++;
	pthread_cond_signal(&run->work);
	pthread_mutex_unlock(&run->lock);
	return 0;
}

static void on_warn_locked(const char *path, size_t line, const char *msg,
			   void *ctx);

/* The reading thread: every path in order, as the calling thread would. */
static void *read_main(void *arg)
{
	struct run *run = arg;
	struct xref_reader_opts ropts;
	int err = 0;

	lower_priority();

	memset(&ropts, 0, sizeof(ropts));
	ropts.on_doc = on_doc_queue;
	ropts.on_warn = on_warn_locked;
	ropts.ctx = run;
	ropts.max_file_size = run->opts->max_file_size;
	for (size_t i = 0; !err && i < run->n_paths; i++)
		err = xref_ingest_read(run->paths[i], &ropts);
	if (err > 0)
		err = xref_error_set(XREF_ERROR, "reading stopped");
	pthread_mutex_lock(&run->lock);
	run->read_err = err;
	if (err)
		snprintf(run->read_msg, sizeof(run->read_msg), "%s",
			 xref_error_last());
	run->reading = false;
	pthread_cond_broadcast(&run->done);
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static int on_doc(struct xref_doc *doc, void *ctx)
{
	struct run *run = ctx;
	struct job *j;
	bool unchanged = false, hashed = false;
	char hash[33] = {0};
	int err;

	run->stats->read++;
	err = batch_begin(run);
	/* An earlier job with the same id may still change the case: then
	 * only storing can tell. */
	if (!err && !pending_id(run, doc->id)) {
		err = xref_case_document_check(run->c, doc, &unchanged, hash);
		hashed = !err;
	}
	if (err)
		goto out;

	if (!run->n_threads) {
		j = &run->ring[0];
		j->doc = *doc;
		memset(doc, 0, sizeof(*doc)); /* the job owns the fields now */
		j->unchanged = unchanged;
		j->hashed = hashed;
		memcpy(j->hash, hash, sizeof(hash));
		if (!unchanged)
			j->err = job_analyse(j, run->r, run->window);
		if (j->err)
			snprintf(j->msg, sizeof(j->msg), "%s", xref_error_last());
		err = job_store(run, j);
		job_release(j);
		goto out;
	}

	/* Make room: store what is done, waiting while the ring is full. */
	err = store_ready(run, RING_JOBS, doc->text_len);
	if (err)
		goto out;
	pthread_mutex_lock(&run->lock);
	j = &run->ring[run->tail % RING_JOBS];
	j->doc = *doc;
	memset(doc, 0, sizeof(*doc));
	j->unchanged = unchanged;
	j->hashed = hashed;
	memcpy(j->hash, hash, sizeof(hash));
	j->state = unchanged ? JOB_DONE : JOB_QUEUED;
	run->pending_bytes += j->doc.text_len;
	run->tail++;
	if (!unchanged)
		pthread_cond_signal(&run->work);
	pthread_mutex_unlock(&run->lock);
	/* Store what is already done without waiting. */
	err = store_ready(run, SIZE_MAX, 0);
out:
	if (err)
		run->err = err;
	return err;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	struct run *run = ctx;

	run->stats->warnings++;
	if (run->opts->on_warn)
		run->opts->on_warn(path, line, msg, run->opts->ctx);
}

/* on_warn() of the reading thread: the callbacks never overlap. */
static void on_warn_locked(const char *path, size_t line, const char *msg,
			   void *ctx)
{
	struct run *run = ctx;

	pthread_mutex_lock(&run->lock);
	on_warn(path, line, msg, ctx);
	pthread_mutex_unlock(&run->lock);
}

static size_t thread_count(const struct xref_pipeline_opts *opts)
{
	long cpus;
	size_t n = opts->threads;

	if (n == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 0 ? (size_t)cpus : 1;
	}
	if (n > XREF_PIPELINE_THREADS_MAX)
		n = XREF_PIPELINE_THREADS_MAX;
	/* one thread means no worker: the caller does everything */
	return n > 1 ? n : 0;
}

static int threads_start(struct run *run, size_t n)
{
	if (pthread_mutex_init(&run->lock, NULL) != 0)
		return xref_error_set(XREF_ERROR, "cannot create a mutex");
	if (pthread_cond_init(&run->work, NULL) != 0) {
		pthread_mutex_destroy(&run->lock);
		return xref_error_set(XREF_ERROR, "cannot create a condition");
	}
	if (pthread_cond_init(&run->done, NULL) != 0) {
		pthread_cond_destroy(&run->work);
		pthread_mutex_destroy(&run->lock);
		return xref_error_set(XREF_ERROR, "cannot create a condition");
	}
	if (pthread_cond_init(&run->room, NULL) != 0) {
		pthread_cond_destroy(&run->done);
		pthread_cond_destroy(&run->work);
		pthread_mutex_destroy(&run->lock);
		return xref_error_set(XREF_ERROR, "cannot create a condition");
	}
	for (run->n_threads = 0; run->n_threads < n; run->n_threads++)
		if (pthread_create(&run->threads[run->n_threads], NULL, worker,
				   run) != 0)
			break;
	/* Fewer workers than asked (or none: then all runs inline) is not
	 * an error: the result is the same. */
	return 0;
}

/* Stops the workers and frees every job still in the ring. */
static void threads_stop(struct run *run, bool started)
{
	size_t i;

	if (!started)
		return;
	pthread_mutex_lock(&run->lock);
	run->stop = true;
	pthread_cond_broadcast(&run->work);
	pthread_mutex_unlock(&run->lock);
	for (i = 0; i < run->n_threads; i++)
		pthread_join(run->threads[i], NULL);
	run->n_threads = 0;
	for (i = 0; i < RING_JOBS; i++)
		job_release(&run->ring[i]);
	pthread_cond_destroy(&run->room);
	pthread_cond_destroy(&run->done);
	pthread_cond_destroy(&run->work);
	pthread_mutex_destroy(&run->lock);
}

/*
 * A run whose reading thread is started: stores until it is done, joins
 * it, and commits what was stored. Its outcome is that of the reading
 * loop of xref_pipeline_ingest(): a reader's failure keeps what was read
 * before it (committed) and returns the reader's error.
 */
static int threaded(struct run *run)
{
	int err, serr;

	serr = store_ready(run, 0, 0);
	pthread_join(run->reader, NULL);
	run->read_thread = false;
	if (serr)
		return serr;
	err = batch_commit(run);
	if (err)
		return err;
	if (run->read_err)
		return xref_error_set(run->read_err, "%s", run->read_msg);
	return 0;
}

int xref_pipeline_ingest(struct xref_pipeline_stats *stats,
			 struct xref_case *c, const struct xref_recognizer *r,
			 const char *const *paths, size_t n_paths,
			 const struct xref_pipeline_opts *opts)
{
	static const struct xref_pipeline_opts defaults = { 0 };
	struct xref_pipeline_stats local;
	struct xref_reader_opts ropts;
	struct run *run = NULL;
	bool started = false;
	size_t i;
	int err = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!opts)
		opts = &defaults;
	if (!c || !r || (n_paths && !paths))
		return xref_error_set(XREF_EINVAL, "invalid pipeline arguments");

	/* The ring is a few kilobytes: on the heap, not the stack. */
	run = calloc(1, sizeof(*run));
	if (!run)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	run->c = c;
	run->window = xref_case_window(c);
	run->r = r;
	run->opts = opts;
	run->stats = stats;
	run->batch_size = opts->batch_size ? opts->batch_size
					   : XREF_PIPELINE_BATCH_DEFAULT;
	if (thread_count(opts)) {
		err = threads_start(run, thread_count(opts));
		if (err)
			goto out;
		started = true;
	}

	run->paths = paths;
	run->n_paths = n_paths;
	if (run->n_threads && xref_case_is_new_bulk(c)) {
		run->read_thread = true;
		run->reading = true;
		if (pthread_create(&run->reader, NULL, read_main, run) != 0) {
			run->read_thread = run->reading = false;
		} else {
			err = threaded(run);
			goto out;
		}
	}

	memset(&ropts, 0, sizeof(ropts));
	ropts.on_doc = on_doc;
	ropts.on_warn = on_warn;
	ropts.ctx = run;
	ropts.max_file_size = opts->max_file_size;

	for (i = 0; i < n_paths; i++) {
		err = xref_ingest_read(paths[i], &ropts);
		if (err)
			break;
	}
	if (err && !run->err) {
		/*
		 * The reader could not open a path: what was read so far is
		 * complete and consistent, so store and keep it. The
		 * reader's message is saved across the commit, whose own
		 * failure wins.
		 */
		char msg[512];
		int serr = 0;

		if (err > 0)
			err = xref_error_set(XREF_ERROR, "reading stopped");
		snprintf(msg, sizeof(msg), "%s", xref_error_last());
		if (run->n_threads)
			serr = store_ready(run, 0, 0);
		if (!serr && run->open)
			serr = batch_commit(run);
		if (serr) {
			err = serr;
			goto out;
		}
		xref_error_set(err, "%s", msg);
		goto out;
	}
	if (err)
		goto out;
	if (run->n_threads) {
		err = store_ready(run, 0, 0);
		if (err)
			goto out;
	}
	err = batch_commit(run);
out:
	threads_stop(run, started);
	if (err && run->open) {
		xref_case_rollback(c);
		run->open = false;
	}
	free(run);
	return err;
}
