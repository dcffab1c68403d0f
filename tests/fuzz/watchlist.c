/*
 * Fuzz target for the watchlist parser: the input is added as a watchlist
 * with xref_recognizer_add_watchlist_buffer(); when it is accepted, the
 * same bytes (cleaned) are recognised as a document, so the names just
 * added are matched too. A fresh recognizer every 64 inputs keeps memory
 * bounded (accepted watchlists accumulate) without paying the cost of
 * loading the built-in knowledge for every input.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/recognize.h"
#include "ingest/status.h"
#include "ingest/utf8.h"
#include "tests/fuzz/fuzz.h"

static struct xref_recognizer *rec;
static unsigned uses;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xref_segmentation seg;
	struct xref_mentions m;
	char *text = NULL;
	size_t len = 0;
	int err;

	if (!rec || ++uses % 64 == 0) {
		xref_recognizer_free(rec);
		rec = NULL;
		fuzz_check(xref_recognizer_new(&rec) == 0, "recognizer_new");
	}
	err = xref_recognizer_add_watchlist_buffer(rec, (const char *)data,
						   size, "fuzz.tsv");
	fuzz_check(err == 0 || err == XREF_EDATA, "unexpected status");
	if (err) {
		const char *msg = xref_error_last();

		fuzz_check(strncmp(msg, "'fuzz.tsv'", 10) == 0,
			   "message does not name the file");
		fuzz_check_str(msg, true, "message not clean");
		return 0;
	}
	memset(&seg, 0, sizeof(seg));
	memset(&m, 0, sizeof(m));
	fuzz_check(xref_utf8_clean(&text, &len, NULL, (const char *)data,
				   size) == 0, "clean");
	fuzz_check(xref_segment(&seg, text, len) == 0, "segment");
	fuzz_check(xref_recognize(&m, rec, text, len, &seg) == 0, "recognize");
	for (size_t i = 0; i < m.n; i++) {
		fuzz_check(m.v[i].start < m.v[i].end && m.v[i].end <= len,
			   "mention out of the text");
		fuzz_check_str(m.v[i].name, true, "name not clean");
	}
	xref_mentions_release(&m);
	xref_segmentation_release(&seg);
	free(text);
	return 0;
}
