/*
 * xref-bench-recognize: the speed of recognition alone, on one thread.
 *
 *   xref-bench-recognize [-w WATCHLIST] [-d DUMP] INPUT...
 *
 * Reads every INPUT with the normal readers and, for each document, times
 * segmentation plus recognition (xref_segment + xref_recognize) with a
 * monotonic clock around those two calls only: reading, cleaning and
 * freeing are left out, so the figure is the recognizer's own throughput
 * over document text. Prints one line of figures; the MB are mebibytes of
 * cleaned document text (what recognition reads), not of files. Both the
 * wall-clock and the thread's CPU time are measured: on a loaded machine
 * the CPU figure is the one that tells the code's speed.
 *
 * With -d, every mention is also written to DUMP (outside the timed calls),
 * one tab-separated line: document id, start, end, sentence, type, name,
 * key, rule. Comparing dumps before and after a change to the recognizer
 * shows that its results did not move.
 *
 * Timing each document separately (two clock reads, some 50 ns) was chosen
 * over loading the whole corpus into memory first, which would need the
 * corpus size in memory for a benchmark that must run at a gigabyte.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/reader.h"
#include "ingest/recognize.h"
#include "ingest/segment.h"
#include "ingest/status.h"

struct totals {
	const struct xref_recognizer *r;
	FILE *dump; /* NULL unless -d */
	size_t docs, bytes, tokens, sentences, mentions, warnings;
	double seconds, cpu;
};

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int on_doc(struct xref_doc *doc, void *ctx)
{
	struct totals *t = ctx;
	struct xref_segmentation seg;
	struct xref_mentions m;
	double t0, t1, c0, c1;
	int err;

	memset(&seg, 0, sizeof(seg));
	memset(&m, 0, sizeof(m));
	c0 = now(CLOCK_THREAD_CPUTIME_ID);
	t0 = now(CLOCK_MONOTONIC);
	err = xref_segment(&seg, doc->text, doc->text_len);
	if (!err)
		err = xref_recognize(&m, t->r, doc->text, doc->text_len, &seg);
	t1 = now(CLOCK_MONOTONIC);
	c1 = now(CLOCK_THREAD_CPUTIME_ID);
	if (!err) {
		t->seconds += t1 - t0;
		t->cpu += c1 - c0;
		t->docs++;
		t->bytes += doc->text_len;
		t->tokens += seg.n_tokens;
		t->sentences += seg.n_sentences;
		t->mentions += m.n;
		for (size_t i = 0; t->dump && i < m.n; i++)
			fprintf(t->dump, "%s\t%zu\t%zu\t%zu\t%s\t%s\t%s\t%s\n",
				doc->id, m.v[i].start, m.v[i].end,
				m.v[i].sentence, xref_type_name(m.v[i].type),
				m.v[i].name, m.v[i].key, m.v[i].rule);
	}
	xref_mentions_release(&m);
	xref_segmentation_release(&seg);
	return err;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	struct totals *t = ctx;

	(void)path;
	(void)line;
	(void)msg;
	t->warnings++;
}

int main(int argc, char **argv)
{
	struct xref_recognizer *r = NULL;
	struct xref_reader_opts opts;
	struct totals t;
	FILE *dump = NULL;
	double mb;
	int opt, err, ret = 1;

	err = xref_recognizer_new(&r);
	if (err) {
		fprintf(stderr, "xref-bench-recognize: %s\n", xref_error_last());
		goto out;
	}
	while ((opt = getopt(argc, argv, "w:d:")) != -1) {
		if (opt == 'd') {
			if (dump)
				fclose(dump);
			dump = fopen(optarg, "w");
			if (!dump) {
				fprintf(stderr, "xref-bench-recognize: cannot "
					"open '%s'\n", optarg);
				goto out;
			}
			continue;
		}
		if (opt != 'w') {
			fputs("usage: xref-bench-recognize [-w WATCHLIST] "
			      "[-d DUMP] INPUT...\n", stderr);
			ret = 2;
			goto out;
		}
		err = xref_recognizer_add_watchlist(r, optarg);
		if (err) {
			fprintf(stderr, "xref-bench-recognize: %s\n",
				xref_error_last());
			goto out;
		}
	}
	if (optind >= argc) {
		fputs("usage: xref-bench-recognize [-w WATCHLIST] [-d DUMP] "
		      "INPUT...\n", stderr);
		ret = 2;
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.dump = dump;
	memset(&opts, 0, sizeof(opts));
	opts.on_doc = on_doc;
	opts.on_warn = on_warn;
	opts.ctx = &t;
	for (int i = optind; i < argc; i++) {
		err = xref_ingest_read(argv[i], &opts);
		if (err) {
			fprintf(stderr, "xref-bench-recognize: %s\n",
				*xref_error_last() ? xref_error_last() :
				xref_status_str(err));
			goto out;
		}
	}
	if (t.seconds <= 0 || t.cpu <= 0) {
		fputs("xref-bench-recognize: no documents\n", stderr);
		goto out;
	}
	mb = (double)t.bytes / (1024.0 * 1024.0);
	printf("recognition (1 thread): %zu documents, %.1f MB of text, "
	       "%zu tokens, %zu sentences, %zu mentions\n",
	       t.docs, mb, t.tokens, t.sentences, t.mentions);
	printf("recognition: %.2f s wall: %.1f MB/s, %.0f tokens/s; "
	       "%.2f s CPU: %.1f MB/s, %.0f tokens/s\n",
	       t.seconds, mb / t.seconds, (double)t.tokens / t.seconds,
	       t.cpu, mb / t.cpu, (double)t.tokens / t.cpu);
	if (t.warnings)
		printf("recognition: %zu reader warnings\n", t.warnings);
	ret = 0;
out:
	if (dump && fclose(dump) != 0 && ret == 0) {
		fputs("xref-bench-recognize: cannot write the dump\n", stderr);
		ret = 1;
	}
	xref_recognizer_free(r);
	return ret;
}
