/*
 * Fuzz target for the CoNLL gold parser (xref_conll_parse): either a
 * clean XREF_EDATA that names the file, or a structure whose indexes all
 * hold: sentences non-empty and in order, documents over sentences, spans
 * inside one sentence with a known type, token texts NUL-terminated.
 */
#include <string.h>

#include "ingest/gold.h"
#include "ingest/status.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xref_conll c;
	int err;

	memset(&c, 0, sizeof(c));
	err = xref_conll_parse(&c, (const char *)data, size, "fuzz.conll");
	fuzz_check(err == 0 || err == XREF_EDATA, "unexpected status");
	if (err) {
		fuzz_check(strncmp(xref_error_last(), "'fuzz.conll'", 12) == 0,
			   "message does not name the file");
		fuzz_check_str(xref_error_last(), true, "message not clean");
		xref_conll_release(&c);
		return 0;
	}
	for (size_t i = 0; i < c.n_tokens; i++) {
		fuzz_check(strlen(c.text + c.tokens[i].off) == c.tokens[i].len,
			   "token length");
		fuzz_check_str(c.text + c.tokens[i].off, true,
			       "token not clean");
	}
	for (size_t i = 0; i < c.n_sents; i++)
		fuzz_check(c.sents[i].tok_begin < c.sents[i].tok_end &&
			   c.sents[i].tok_end <= c.n_tokens &&
			   (i == 0 || c.sents[i - 1].tok_end <= c.sents[i].tok_begin),
			   "sentence range");
	for (size_t i = 0; i < c.n_docs; i++)
		fuzz_check(c.docs[i].sent_begin <= c.docs[i].sent_end &&
			   c.docs[i].sent_end <= c.n_sents &&
			   c.docs[i].span_begin <= c.docs[i].span_end &&
			   c.docs[i].span_end <= c.n_spans, "document range");
	for (size_t i = 0; i < c.n_spans; i++) {
		fuzz_check(c.spans[i].begin < c.spans[i].end &&
			   c.spans[i].end <= c.n_tokens &&
			   c.spans[i].type < c.n_types, "span range");
		fuzz_check(i == 0 || c.spans[i - 1].end <= c.spans[i].begin,
			   "spans overlap");
	}
	for (size_t i = 0; i < c.n_types; i++)
		fuzz_check_str(c.types[i], true, "type not clean");
	xref_conll_release(&c);
	return 0;
}
