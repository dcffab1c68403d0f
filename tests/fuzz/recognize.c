/*
 * Fuzz target for segmentation and recognition on arbitrary bytes: the
 * input is cleaned (xref_utf8_clean, as every document is), segmented and
 * recognised with the built-in knowledge. Checks the invariants that the
 * case file and every output rely on: tokens, sentences and paragraphs in
 * order and inside the text, mentions sorted, inside the text and their
 * sentence, with clean names and keys and a known type.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/recognize.h"
#include "ingest/utf8.h"
#include "tests/fuzz/fuzz.h"

static struct xref_recognizer *rec;

static void check_segmentation(const struct xref_segmentation *s, size_t len)
{
	size_t prev_end = 0, next_tok = 0;

	for (size_t i = 0; i < s->n_tokens; i++) {
		const struct xref_token *t = &s->tokens[i];

		fuzz_check(t->start < t->end && t->end <= len,
			   "token outside the text");
		fuzz_check(t->start >= prev_end, "tokens overlap");
		prev_end = t->end;
	}
	for (size_t i = 0; i < s->n_sentences; i++) {
		const struct xref_sentence *se = &s->sentences[i];

		fuzz_check(se->start <= se->end && se->end <= len,
			   "sentence outside the text");
		fuzz_check(se->tok_begin == next_tok &&
			   se->tok_begin <= se->tok_end &&
			   se->tok_end <= s->n_tokens,
			   "sentence tokens not contiguous");
		next_tok = se->tok_end;
		fuzz_check(se->paragraph < s->n_paragraphs,
			   "sentence in no paragraph");
		if (se->tok_begin < se->tok_end)
			fuzz_check(s->tokens[se->tok_begin].start >= se->start &&
				   s->tokens[se->tok_end - 1].end <= se->end,
				   "token outside its sentence");
	}
	fuzz_check(next_tok == s->n_tokens, "tokens outside every sentence");
	for (size_t i = 0; i < s->n_paragraphs; i++) {
		const struct xref_paragraph *p = &s->paragraphs[i];

		fuzz_check(p->start <= p->end && p->end <= len &&
			   p->sent_begin <= p->sent_end &&
			   p->sent_end <= s->n_sentences,
			   "paragraph out of range");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xref_segmentation seg;
	struct xref_mentions m;
	char *text = NULL;
	size_t len = 0;

	if (!rec)
		fuzz_check(xref_recognizer_new(&rec) == 0, "recognizer_new");
	memset(&seg, 0, sizeof(seg));
	memset(&m, 0, sizeof(m));
	fuzz_check(xref_utf8_clean(&text, &len, NULL, (const char *)data,
				   size) == 0, "clean");
	fuzz_check(xref_segment(&seg, text, len) == 0, "segment");
	check_segmentation(&seg, len);
	fuzz_check(xref_recognize(&m, rec, text, len, &seg) == 0, "recognize");
	for (size_t i = 0; i < m.n; i++) {
		const struct xref_mention *x = &m.v[i];
		char *key = NULL;

		fuzz_check(x->start < x->end && x->end <= len,
			   "mention outside the text");
		fuzz_check(i == 0 || m.v[i - 1].start <= x->start,
			   "mentions not in text order");
		fuzz_check(x->sentence < seg.n_sentences,
			   "mention in no sentence");
		fuzz_check((unsigned)x->type < XREF_TYPE_COUNT, "bad type");
		fuzz_check(x->name && *x->name && x->key && *x->key &&
			   x->rule, "mention without name, key or rule");
		fuzz_check_str(x->name, true, "name not clean");
		fuzz_check_str(x->key, true, "key not clean");
		fuzz_check(xref_entity_key(&key, rec, x->name,
					   strlen(x->name)) == 0, "entity_key");
		free(key);
	}
	xref_mentions_release(&m);
	xref_segmentation_release(&seg);
	free(text);
	return 0;
}
