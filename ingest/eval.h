/*
 * Scoring recognition against gold data (`xref eval`).
 *
 * CoNLL gold: mention level. Each document's tokens are joined by single
 * spaces, one sentence per line, and that text is segmented and recognised
 * like any document; predicted mentions map back to the tokens they
 * overlap. A prediction is right when its token span, and for typed scores
 * its class (PER, ORG, LOC), equal a gold mention's.
 *
 * JSON Lines gold: document level. The predicted entities of a document are
 * its distinct entity keys; a predicted entity matches a gold one when a
 * normalised name of one equals a normalised name of the other, one to one.
 */
#ifndef XREF_INGEST_EVAL_H
#define XREF_INGEST_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/entity.h"
#include "ingest/gold.h"
#include "ingest/recognize.h"

struct xref_eval_counts {
	size_t tp, fp, fn;
};

/* tp / (tp + fp), tp / (tp + fn), and their harmonic mean; 0 when the
 * denominator is 0. */
double xref_eval_precision(const struct xref_eval_counts *c);
double xref_eval_recall(const struct xref_eval_counts *c);
double xref_eval_f1(const struct xref_eval_counts *c);

struct xref_eval_scores {
	bool jsonl; /* document-level entity scores (JSON Lines gold) */
	/* PER/ORG/LOC: typed mentions (CoNLL) or coarse entities (JSON
	 * Lines), overall and per class */
	struct xref_eval_counts typed;
	struct xref_eval_counts per_class[XREF_GOLD_N_SCORED];
	/* span only (CoNLL), name only (JSON Lines; targets included) */
	struct xref_eval_counts untyped;
	/* JSON Lines only: our eight types, `location` matching a predicted
	 * `country`; per_type counts tp and fn by the gold type, fp by the
	 * predicted type */
	struct xref_eval_counts fine;
	struct xref_eval_counts per_type[XREF_TYPE_COUNT];
	/* sizes */
	size_t documents;
	size_t sentences, tokens; /* CoNLL only */
	size_t gold, predicted;   /* scored gold and predicted mentions or entities */
	size_t ignored;           /* CoNLL: predictions equal to an unscored gold span */
};

/* A predicted mention on CoNLL tokens [begin, end) (file-wide indexes). */
struct xref_eval_span {
	size_t begin, end;
	enum xref_gold_class cls; /* PER, ORG or LOC */
	/* the label to write in a predictions file: "PER", "ORG", "LOC", or the
	 * gold type when the span equals an unscored gold span (borrowed from
	 * the gold data) */
	const char *label;
};

struct xref_eval_spans {
	struct xref_eval_span *v; /* in token order, never overlapping */
	size_t n, cap;
};

void xref_eval_spans_release(struct xref_eval_spans *s);

/*
 * Recognises every document of `gold` with `r` and scores it (see the top
 * of this file). Predicted mentions of type target are dropped; one that
 * starts or ends inside a token covers the whole token; one that would
 * cross a sentence is cut at the end of its first sentence; one that
 * overlaps the previous kept prediction is dropped. A prediction whose span
 * equals a gold span of an unscored type (MISC...) is ignored: neither
 * right nor wrong.
 *
 * Fills *scores and, when preds is not NULL, appends the kept predictions
 * to it (the caller releases it with xref_eval_spans_release(), even on
 * failure). O(tokens) plus recognition. Returns 0 or XREF_ENOMEM.
 */
int xref_eval_conll(struct xref_eval_scores *scores,
		    struct xref_eval_spans *preds,
		    const struct xref_recognizer *r,
		    const struct xref_conll *gold);

/*
 * Maps the byte range [start, end) to the tokens it overlaps, given the
 * tokens' byte ranges [tok_start[i], tok_end[i]) in increasing order.
 * Sets [*first, *last] (inclusive) and returns true, or returns false when
 * no token overlaps. O(log n).
 */
bool xref_eval_map_span(size_t *first, size_t *last, const size_t *tok_start,
			const size_t *tok_end, size_t n, size_t start,
			size_t end);

/*
 * Scores one document's predictions against its gold spans (both in token
 * order, not overlapping) and adds the counts to *scores. Sets the label of
 * each prediction. `gold_class` gives the class of each gold type index.
 * O(n_gold + n_pred).
 */
void xref_eval_score_spans(struct xref_eval_scores *scores,
			   const struct xref_conll_span *gold, size_t n_gold,
			   char *const *gold_types,
			   const enum xref_gold_class *gold_class,
			   struct xref_eval_span *pred, size_t n_pred);

/*
 * Recognises the text of every document of `gold` with `r` and scores the
 * entity sets (see the top of this file). When preds is not NULL, appends
 * one document per gold document to it: the same id, text NULL, and the
 * predicted entities in the order of their first mention, each with the
 * canonical name, the type, and its other surface forms as aliases
 * (sorted, without the name itself). The caller releases preds with
 * xref_gold_docs_release(), even on failure. Returns 0 or XREF_ENOMEM.
 */
int xref_eval_jsonl(struct xref_eval_scores *scores,
		    struct xref_gold_docs *preds,
		    const struct xref_recognizer *r,
		    const struct xref_gold_docs *gold);

/*
 * Scores one document's predicted entities against its gold entities and
 * adds the counts to *scores (untyped, coarse and fine). Each scheme is its
 * own one-to-one matching, greedy in a fixed order: first pairs whose
 * normalised canonical names are equal, then pairs sharing any normalised
 * name; within a pass, gold entities in order, each taking the first
 * compatible unmatched prediction. O(n_gold * n_pred * names^2).
 * Returns 0 or XREF_ENOMEM.
 */
int xref_eval_score_entities(struct xref_eval_scores *scores,
			     const struct xref_gold_entity *gold,
			     size_t n_gold,
			     const struct xref_gold_entity *pred,
			     size_t n_pred);

/*
 * The normalised form of a name for matching: without a trailing
 * possessive ('s, ’s, or a bare apostrophe), folded (xref_utf8_fold: case,
 * diacritics, punctuation), without a leading "the ". *out is owned by the
 * caller (free()). Returns 0 or XREF_ENOMEM.
 */
int xref_eval_normalize(char **out, const char *name);

#endif
