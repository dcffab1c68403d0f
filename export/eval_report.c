/*
 * Outputs of `xref eval`.
 *
 * The table is printed with fixed column widths rather than through
 * export/table.c: its cells are a handful of counts and percentages with
 * one decimal, and the generic table would print numbers with %.6g. The
 * JSON report is built with cJSON, with numbers inserted as raw text that
 * we format ("%.6g", integers exact), like every other JSON we write.
 *
 * The CoNLL predictions file is written straight from the gold tokens and
 * the two span lists, walking both in token order; it never needs escaping
 * because gold tokens contain no whitespace and tags are ours or the gold
 * file's. JSON Lines predictions go through cJSON one document per line,
 * strings sanitised first.
 */
#include "export/eval_report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/status.h"
#include "ingest/utf8.h"

static int write_status(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return xref_error_set(XREF_EIO, "write error");
	return 0;
}

/* ---- table ---------------------------------------------------------------- */

/* A percentage with one decimal, or "-" when its denominator is 0. */
static void pct(char buf[16], size_t den, double v)
{
	if (den)
		snprintf(buf, 16, "%.1f", 100.0 * v);
	else
		snprintf(buf, 16, "-");
}

static void table_row(FILE *out, const char *scope, const char *type,
		      const struct xref_eval_counts *c)
{
	char p[16], r[16], f[16];

	pct(p, c->tp + c->fp, xref_eval_precision(c));
	pct(r, c->tp + c->fn, xref_eval_recall(c));
	pct(f, c->tp + c->fp + c->fn, xref_eval_f1(c));
	fprintf(out, "%-8s %-12s %6zu %6zu %6zu %9s %6s %6s\n", scope, type,
		c->tp, c->fp, c->fn, p, r, f);
}

int xref_eval_write_table(FILE *out, const struct xref_eval_scores *s)
{
	const char *typed = s->jsonl ? "coarse" : "typed";

	if (s->jsonl)
		fprintf(out, "%zu documents, %zu gold entities, %zu predicted\n",
			s->documents, s->gold, s->predicted);
	else
		fprintf(out,
			"%zu documents, %zu sentences, %zu tokens, %zu gold mentions, %zu predicted, %zu ignored\n",
			s->documents, s->sentences, s->tokens, s->gold,
			s->predicted, s->ignored);
	fprintf(out, "%-8s %-12s %6s %6s %6s %9s %6s %6s\n", "scope", "type",
		"tp", "fp", "fn", "precision", "recall", "f1");
	for (int c = 0; c < XREF_GOLD_N_SCORED; c++)
		table_row(out, typed,
			  xref_gold_class_name((enum xref_gold_class)c),
			  &s->per_class[c]);
	table_row(out, typed, "all", &s->typed);
	if (s->jsonl) {
		for (int t = 0; t < XREF_TYPE_COUNT; t++)
			table_row(out, "fine", xref_type_name((enum xref_type)t),
				  &s->per_type[t]);
		table_row(out, "fine", "all", &s->fine);
	}
	table_row(out, "untyped", "all", &s->untyped);
	return write_status(out);
}

/* ---- JSON report ----------------------------------------------------------- */

static bool add_raw(cJSON *obj, const char *key, const char *fmt, ...)
	XREF_PRINTF(3, 4);

static bool add_raw(cJSON *obj, const char *key, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

static bool add_counts(cJSON *parent, const char *key,
		       const struct xref_eval_counts *c)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);

	return o && add_raw(o, "precision", "%.6g", xref_eval_precision(c)) &&
	       add_raw(o, "recall", "%.6g", xref_eval_recall(c)) &&
	       add_raw(o, "f1", "%.6g", xref_eval_f1(c)) &&
	       add_raw(o, "tp", "%zu", c->tp) && add_raw(o, "fp", "%zu", c->fp) &&
	       add_raw(o, "fn", "%zu", c->fn);
}

static bool build_report(cJSON *root, const struct xref_eval_scores *s)
{
	cJSON *per;
	bool ok;

	ok = cJSON_AddStringToObject(root, "gold_format",
				     s->jsonl ? "jsonl" : "conll") != NULL &&
	     add_raw(root, "documents", "%zu", s->documents);
	if (ok && !s->jsonl)
		ok = add_raw(root, "sentences", "%zu", s->sentences) &&
		     add_raw(root, "tokens", "%zu", s->tokens);
	ok = ok && add_raw(root, "gold", "%zu", s->gold) &&
	     add_raw(root, "predicted", "%zu", s->predicted);
	if (ok && !s->jsonl)
		ok = add_raw(root, "ignored", "%zu", s->ignored);
	ok = ok && add_counts(root, "typed", &s->typed) &&
	     add_counts(root, "untyped", &s->untyped);
	per = ok ? cJSON_AddObjectToObject(root, "per_type") : NULL;
	ok = per != NULL;
	for (int c = 0; ok && c < XREF_GOLD_N_SCORED; c++)
		ok = add_counts(per, xref_gold_class_name((enum xref_gold_class)c),
				&s->per_class[c]);
	if (!ok || !s->jsonl)
		return ok;
	ok = add_counts(root, "coarse", &s->typed) &&
	     add_counts(root, "fine", &s->fine);
	per = ok ? cJSON_AddObjectToObject(root, "fine_per_type") : NULL;
	ok = per != NULL;
	for (int t = 0; ok && t < XREF_TYPE_COUNT; t++)
		ok = add_counts(per, xref_type_name((enum xref_type)t),
				&s->per_type[t]);
	return ok;
}

int xref_eval_write_json(FILE *out, const struct xref_eval_scores *s)
{
	cJSON *root = cJSON_CreateObject();
	char *text = NULL;
	int err = 0;

	if (!root || !build_report(root, s) || !(text = cJSON_Print(root))) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	fputs(text, out);
	fputc('\n', out);
	err = write_status(out);
out:
	cJSON_free(text);
	cJSON_Delete(root);
	return err;
}

/* ---- predictions --------------------------------------------------------------- */

/* Writes the IOB2 tag of token t for a span [begin, end) labelled
 * `label`, or "O" when label is NULL or t is outside. */
static void put_tag(FILE *out, size_t t, size_t begin, size_t end,
		    const char *label)
{
	if (label && begin <= t && t < end) {
		fputs(t == begin ? "B-" : "I-", out);
		fputs(label, out);
	} else {
		fputc('O', out);
	}
}

int xref_eval_write_conll_predictions(FILE *out, const struct xref_conll *gold,
				      const struct xref_eval_spans *preds)
{
	size_t g = 0, p = 0;

	for (size_t d = 0; d < gold->n_docs; d++) {
		const struct xref_conll_doc *doc = &gold->docs[d];

		if (doc->docstart)
			fputs("-DOCSTART- O O\n\n", out);
		for (size_t s = doc->sent_begin; s < doc->sent_end; s++) {
			const struct xref_conll_sentence *sn = &gold->sents[s];

			for (size_t t = sn->tok_begin; t < sn->tok_end; t++) {
				const struct xref_conll_span *gs;
				const struct xref_eval_span *ps;

				while (g < gold->n_spans && gold->spans[g].end <= t)
					g++;
				while (p < preds->n && preds->v[p].end <= t)
					p++;
				gs = g < gold->n_spans ? &gold->spans[g] : NULL;
				ps = p < preds->n ? &preds->v[p] : NULL;
				fputs(gold->text + gold->tokens[t].off, out);
				fputc(' ', out);
				put_tag(out, t, gs ? gs->begin : 0,
					gs ? gs->end : 0,
					gs ? gold->types[gs->type] : NULL);
				fputc(' ', out);
				put_tag(out, t, ps ? ps->begin : 0,
					ps ? ps->end : 0, ps ? ps->label : NULL);
				fputc('\n', out);
			}
			fputc('\n', out);
		}
		if (ferror(out))
			break;
	}
	return write_status(out);
}

static bool add_string(cJSON *obj, const char *key, const char *s)
{
	char *clean = xref_utf8_sanitize(s);
	bool ok;

	if (!clean)
		return false;
	ok = cJSON_AddStringToObject(obj, key, clean) != NULL;
	free(clean);
	return ok;
}

static bool add_entity(cJSON *arr, const struct xref_gold_entity *e)
{
	cJSON *o = cJSON_CreateObject(), *aliases;
	bool ok;

	if (!o)
		return false;
	if (!cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return false;
	}
	ok = add_string(o, "name", e->name) &&
	     cJSON_AddStringToObject(o, "type", xref_type_name(e->type));
	aliases = ok ? cJSON_AddArrayToObject(o, "aliases") : NULL;
	ok = aliases != NULL;
	for (size_t i = 0; ok && i < e->n_aliases; i++) {
		char *clean = xref_utf8_sanitize(e->aliases[i]);
		cJSON *item = clean ? cJSON_CreateString(clean) : NULL;

		free(clean);
		ok = item && cJSON_AddItemToArray(aliases, item);
		if (!ok)
			cJSON_Delete(item);
	}
	return ok;
}

int xref_eval_write_jsonl_predictions(FILE *out,
				      const struct xref_gold_docs *preds)
{
	int err = 0;

	for (size_t d = 0; !err && d < preds->n; d++) {
		const struct xref_gold_doc *doc = &preds->v[d];
		cJSON *root = cJSON_CreateObject(), *ents;
		char *text = NULL;
		bool ok = root && add_string(root, "id", doc->id);

		ents = ok ? cJSON_AddArrayToObject(root, "entities") : NULL;
		ok = ents != NULL;
		for (size_t i = 0; ok && i < doc->n_ents; i++)
			ok = add_entity(ents, &doc->ents[i]);
		if (ok)
			text = cJSON_PrintUnformatted(root);
		if (!text) {
			err = xref_error_set(XREF_ENOMEM, "out of memory");
		} else {
			fputs(text, out);
			fputc('\n', out);
			if (ferror(out))
				err = xref_error_set(XREF_EIO, "write error");
		}
		cJSON_free(text);
		cJSON_Delete(root);
	}
	return err ? err : write_status(out);
}
