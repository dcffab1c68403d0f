/*
 * The outputs of `xref eval`: the score report (a table for people, JSON
 * for programs) and the predictions files (CoNLL for conlleval, JSON Lines
 * for entity sets).
 */
#ifndef XREF_EXPORT_EVAL_REPORT_H
#define XREF_EXPORT_EVAL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ingest/eval.h"
#include "ingest/gold.h"

/*
 * Writes the scores as an aligned table: a line of sizes, then one row per
 * scope and type with tp, fp, fn, and precision, recall and F1 as
 * percentages with one decimal ("-" when undefined: nothing predicted, or
 * nothing to find). CoNLL: typed PER, ORG, LOC and all, then untyped all. JSON Lines: coarse PER, ORG, LOC and all, fine per type and
 * all, untyped all. Returns 0 or XREF_EIO on a write error.
 */
int xref_eval_write_table(FILE *out, const struct xref_eval_scores *s);

/*
 * Writes the scores as one JSON object (cJSON, formatted with tabs):
 * {"gold_format": "conll"|"jsonl", "documents", ["sentences", "tokens",]
 *  "gold", "predicted", ["ignored",]
 *  "typed": C, "untyped": C, "per_type": {"PER": C, "ORG": C, "LOC": C}
 *  [, "coarse": C, "fine": C, "fine_per_type": {"person": C, ...}]}
 * where C is {"precision", "recall", "f1", "tp", "fp", "fn"}, the first
 * three fractions from 0 to 1 ("%.6g"). The bracketed parts are CoNLL only
 * and JSON Lines only respectively; in JSON Lines "typed" equals "coarse".
 * Returns 0, XREF_ENOMEM, or XREF_EIO on a write error.
 */
int xref_eval_write_json(FILE *out, const struct xref_eval_scores *s);

/*
 * Writes `token gold predicted` lines, space-separated, both tags in IOB2:
 * the document's -DOCSTART- line ("-DOCSTART- O O", then a blank line)
 * where the gold file had one, a blank line after each sentence. A
 * prediction equal to an unscored gold span carries the gold's type, so
 * conlleval's PER, ORG and LOC rows equal ours. `preds` as filled by
 * xref_eval_conll(). Returns 0 or XREF_EIO on a write error.
 */
int xref_eval_write_conll_predictions(FILE *out, const struct xref_conll *gold,
				      const struct xref_eval_spans *preds);

/*
 * Writes one JSON object per line and document:
 * {"id": ID, "entities": [{"name", "type", "aliases": [...]}, ...]}.
 * Strings are sanitised (valid UTF-8, no control characters). Returns 0,
 * XREF_ENOMEM, or XREF_EIO on a write error.
 */
int xref_eval_write_jsonl_predictions(FILE *out,
				      const struct xref_gold_docs *preds);

#endif
