/*
 * Fuzz target for one format reader, chosen at build time by FUZZ_EXT
 * ("txt", "md", "html", "jsonl"): xref_ingest_read_buffer() over the
 * input. Every document handed on must be clean (valid UTF-8, no control
 * characters but tab and newline in the text, single-line metadata, a
 * well-formed date) and the reader must return 0: the readers report bad
 * input as warnings, never as errors.
 */
#include <string.h>

#include "ingest/reader.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_EXT
#error "FUZZ_EXT must name the format"
#endif

static bool is_date(const char *d)
{
	size_t n = strlen(d);

	for (size_t i = 0; i < n; i++)
		if (!(i == 4 || i == 7 ? d[i] == '-' : d[i] >= '0' && d[i] <= '9'))
			return false;
	return n == 4 || n == 7 || n == 10;
}

static bool trimmed(const char *s, size_t n)
{
	return n > 0 && s[0] != ' ' && s[0] != '\n' && s[0] != '\t' &&
	       s[n - 1] != ' ' && s[n - 1] != '\n' && s[n - 1] != '\t';
}

static int on_doc(struct xref_doc *doc, void *ctx)
{
	size_t *n = ctx;

	fuzz_check(doc->id && *doc->id, "document without id");
	fuzz_check(doc->source != NULL, "document without source");
	fuzz_check(doc->text && strlen(doc->text) == doc->text_len,
		   "text length differs from its NUL");
	fuzz_check(trimmed(doc->text, doc->text_len), "text not trimmed");
	fuzz_check_text(doc->text, doc->text_len, false, "text not clean");
	fuzz_check_str(doc->id, true, "id not clean");
	fuzz_check_str(doc->title, true, "title not clean");
	fuzz_check_str(doc->url, true, "url not clean");
	fuzz_check(!doc->date || is_date(doc->date), "malformed date");
	fuzz_check(doc->line >= 1, "line 0");
	(*n)++;
	return 0;
}

static void on_warn(const char *path, size_t line, const char *msg,
		    void *ctx)
{
	(void)line;
	(void)ctx;
	fuzz_check(path && msg && *msg, "empty warning");
	fuzz_check_str(msg, true, "warning not clean");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xref_reader_opts opts;
	size_t n = 0;
	int err;

	memset(&opts, 0, sizeof(opts));
	opts.on_doc = on_doc;
	opts.on_warn = on_warn;
	opts.ctx = &n;
	err = xref_ingest_read_buffer((const char *)data, size, FUZZ_EXT,
				      "fuzz." FUZZ_EXT, &opts);
	fuzz_check(err == 0, "reader failed");
	return 0;
}
