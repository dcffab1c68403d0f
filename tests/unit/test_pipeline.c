/*
 * Unit tests for the ingest pipeline (graph/pipeline.c): the same inputs
 * ingested with 1, 2 and 5 recognition threads must give the same
 * statistics, the same callbacks on the calling thread, and byte-identical
 * case files; a path that cannot be opened keeps what was read before it;
 * a second ingest finds every document unchanged.
 *
 * The inputs are generated into a scratch directory: 300 small articles
 * (more than the hand-off ring holds, with a batch size that does not
 * divide the count) and a JSON Lines file repeating ids, unchanged and
 * changed, inside one run.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph/case.h"
#include "graph/pipeline.h"
#include "ingest/recognize.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

#define N_ARTICLES 300

static char dir[64];

static const char *const people[] = {
	"President Ana Varga", "Boris Telnov", "Dr. Miriam Okafor",
	"Gen. Luis Ortega", "Chen Wei", "Sen. Paula Brandt",
};
static const char *const orgs[] = {
	"Veltrano Holdings", "Krasik Ltd", "the Interior Ministry",
	"Amnesty International", "Northwind Technologies",
};
static const char *const places[] = {
	"Paris", "Mexico", "Budapest", "India", "Rabat", "Hungary",
};

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -1;
	if (fputs(text, f) == EOF)
		ret = -1;
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

static int make_inputs(const char *in)
{
	char path[256], text[1024];

	if (mkdir(in, 0700) != 0)
		return -1;
	for (int i = 0; i < N_ARTICLES; i++) {
		snprintf(path, sizeof(path), "%s/a%03d.txt", in, i);
		snprintf(text, sizeof(text),
			 "Title: Report %d\nDate: 2021-07-%02d\n\n"
			 "%s met %s in %s on Monday. Journalists said %s paid "
			 "%s.\n\n%s denied it, and %s declined to comment.\n",
			 i, 1 + i % 28, people[i % 6], people[(i / 6) % 6],
			 places[i % 6], orgs[i % 5], orgs[(i / 5) % 5],
			 people[(i + 1) % 6], orgs[(i + 2) % 5]);
		if (write_text(path, text))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/z.jsonl", in);
	return write_text(path,
			  "{\"id\": \"dup\", \"text\": \"Ana Varga met Chen Wei.\"}\n"
			  "{\"id\": \"dup\", \"text\": \"Ana Varga met Chen Wei.\"}\n"
			  "{\"id\": \"other\", \"text\": \"Krasik Ltd sued Paris.\"}\n"
			  "not json\n"
			  "{\"id\": \"dup\", \"text\": \"Boris Telnov met Chen Wei.\"}\n");
}

struct seen {
	pthread_t caller;
	size_t progress;
	size_t warnings;
	bool other_thread;
};

static void on_progress(const struct xref_pipeline_stats *st, void *ctx)
{
	struct seen *s = ctx;

	(void)st;
	s->progress++;
	if (!pthread_equal(pthread_self(), s->caller))
		s->other_thread = true;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	struct seen *s = ctx;

	(void)path;
	(void)line;
	(void)msg;
	s->warnings++;
	if (!pthread_equal(pthread_self(), s->caller))
		s->other_thread = true;
}

/* Ingests `paths` into a new case `db` with `threads` threads. */
static int ingest(const char *db, const char *const *paths, size_t n,
		  size_t threads, const struct xref_recognizer *r,
		  struct xref_pipeline_stats *st, struct seen *seen)
{
	struct xref_pipeline_opts opts;
	struct xref_case *c = NULL;
	int err;

	memset(seen, 0, sizeof(*seen));
	seen->caller = pthread_self();
	memset(&opts, 0, sizeof(opts));
	opts.batch_size = 25;
	opts.threads = threads;
	opts.on_progress = on_progress;
	opts.on_warn = on_warn;
	opts.ctx = seen;
	err = xref_case_open(&c, db, XREF_CASE_CREATE, XREF_WINDOW_SENTENCE);
	if (!err)
		err = xref_pipeline_ingest(st, c, r, paths, n, &opts);
	xref_case_free(c);
	return err;
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;

	while (same) {
		int ca = getc(fa), cb = getc(fb);

		if (ca != cb)
			same = false;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static bool same_stats(const struct xref_pipeline_stats *a,
		       const struct xref_pipeline_stats *b)
{
	return a->read == b->read && a->added == b->added &&
	       a->replaced == b->replaced && a->unchanged == b->unchanged &&
	       a->warnings == b->warnings && a->batches == b->batches;
}

int main(void)
{
	static const size_t threads[] = { 1, 2, 5 };
	struct xref_recognizer *r = NULL;
	struct xref_pipeline_stats st[3], again[3];
	struct seen seen;
	char in[128], db[3][128], missing[128];
	const char *paths[2];

	snprintf(dir, sizeof(dir), "%s", "/tmp/xref-test-pipeline.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(in, sizeof(in), "%s/in", dir);
	CHECK(make_inputs(in) == 0);
	CHECK(xref_recognizer_new(&r) == 0);
	paths[0] = in;

	for (size_t i = 0; i < 3; i++) {
		snprintf(db[i], sizeof(db[i]), "%s/case%zu.db", dir, threads[i]);
		CHECK(ingest(db[i], paths, 1, threads[i], r, &st[i], &seen) == 0);
		CHECK(!seen.other_thread);
		CHECK(seen.progress == st[i].added + st[i].replaced +
					       st[i].unchanged);
		CHECK(seen.warnings == 1 && st[i].warnings == 1);
	}
	/* 300 articles + 4 JSON lines: "dup" added, then unchanged, then
	 * replaced; 304 stored in batches of 25. */
	CHECK(st[0].read == N_ARTICLES + 4);
	CHECK(st[0].added == N_ARTICLES + 2);
	CHECK(st[0].unchanged == 1);
	CHECK(st[0].replaced == 1);
	CHECK(st[0].batches == (N_ARTICLES + 4 + 24) / 25);
	CHECK(same_stats(&st[0], &st[1]));
	CHECK(same_stats(&st[0], &st[2]));
	CHECK(same_file(db[0], db[1]));
	CHECK(same_file(db[0], db[2]));

	/* A second run over each case: the articles are unchanged; "dup"
	 * goes back to its first text (replaced), stays (unchanged), and
	 * changes again (replaced): the last version must win whatever the
	 * number of threads, although the checks for "unchanged" run before
	 * the earlier versions are stored. */
	for (size_t i = 0; i < 3; i++) {
		struct xref_pipeline_opts opts;
		struct xref_case *c = NULL;

		memset(&opts, 0, sizeof(opts));
		opts.threads = threads[i];
		CHECK(xref_case_open(&c, db[i], XREF_CASE_CREATE,
				     XREF_WINDOW_SENTENCE) == 0);
		CHECK(xref_pipeline_ingest(&again[i], c, r, paths, 1, &opts) == 0);
		CHECK(again[i].added == 0 && again[i].replaced == 2 &&
		      again[i].unchanged == N_ARTICLES + 2);
		xref_case_free(c);
	}
	CHECK(same_stats(&again[0], &again[1]));
	CHECK(same_stats(&again[0], &again[2]));
	CHECK(same_file(db[0], db[1]));
	CHECK(same_file(db[0], db[2]));

	/* A path that cannot be opened stops the run after keeping what
	 * came before it. */
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	paths[1] = missing;
	for (size_t i = 0; i < 3; i++) {
		struct xref_case *c = NULL;
		struct xref_case_counts counts;
		char db2[160];
		int err;

		snprintf(db2, sizeof(db2), "%s/stop%zu.db", dir, threads[i]);
		err = ingest(db2, paths, 2, threads[i], r, &st[i], &seen);
		CHECK(err == XREF_EIO);
		CHECK(strstr(xref_error_last(), "missing") != NULL);
		CHECK(st[i].added == N_ARTICLES + 2);
		CHECK(xref_case_open(&c, db2, XREF_CASE_READONLY,
				     XREF_WINDOW_SENTENCE) == 0);
		CHECK(xref_case_counts(c, &counts) == 0);
		CHECK(counts.documents == N_ARTICLES + 2);
		xref_case_free(c);
	}

	xref_recognizer_free(r);
	{
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return tap_done();
}
