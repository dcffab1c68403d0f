/*
 * Fuzz target for the JSON Lines gold parser (xref_gold_jsonl_parse):
 * either a clean XREF_EDATA that names the file, or documents with clean
 * ids, texts and entity names of known types.
 */
#include <string.h>

#include "ingest/gold.h"
#include "ingest/status.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xref_gold_docs d;
	int err;

	memset(&d, 0, sizeof(d));
	err = xref_gold_jsonl_parse(&d, (const char *)data, size,
				    "fuzz.jsonl");
	fuzz_check(err == 0 || err == XREF_EDATA, "unexpected status");
	if (err) {
		fuzz_check(strncmp(xref_error_last(), "'fuzz.jsonl'", 12) == 0,
			   "message does not name the file");
		fuzz_check_str(xref_error_last(), true, "message not clean");
	}
	for (size_t i = 0; i < d.n && !err; i++) {
		const struct xref_gold_doc *g = &d.v[i];

		fuzz_check(g->id != NULL, "document without id");
		fuzz_check_str(g->id, false, "id not clean");
		if (g->text)
			fuzz_check_text(g->text, g->text_len, false,
					"text not clean");
		for (size_t k = 0; k < g->n_ents; k++) {
			fuzz_check(g->ents[k].name != NULL, "entity name");
			fuzz_check_str(g->ents[k].name, false,
				       "entity name not clean");
			fuzz_check((unsigned)g->ents[k].type < XREF_TYPE_COUNT,
				   "entity type");
		}
	}
	xref_gold_docs_release(&d);
	return 0;
}
