/*
 * Scoring recognition against gold data.
 *
 * CoNLL: the recogniser sees each document as its tokens joined by single
 * spaces, one sentence per line (so each sentence is its own paragraph and
 * no sentence can run into the next), and we keep every token's byte range
 * in that text. Predicted mentions arrive in text order, so mapping them to
 * tokens is a binary search each, and scoring is one merge of two sorted,
 * non-overlapping span lists: no per-token tags are built, and the false
 * negatives follow from the counts (each gold span can be matched at most
 * once because predictions never overlap). Tagging our own tokenisation
 * and comparing tags was rejected: the gold tokenisation is what the
 * scores must be stated in, and tags would need a second conversion back
 * to spans anyway.
 *
 * JSON Lines: entities are compared as sets of normalised names. Each
 * scoring scheme (untyped, coarse, fine) runs its own one-to-one greedy
 * matching, because a pairing chosen without types could pair a gold
 * entity with the wrong-typed of two candidates and then count a typed
 * miss that a typed matching would not. An optimal (Hungarian) matching
 * was rejected: entity lists per document are short, candidates rarely
 * compete, and a greedy rule in a documented order is easier to explain
 * when someone checks a score by hand.
 */
#define _POSIX_C_SOURCE 200809L

#include "ingest/eval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/buf.h"
#include "ingest/segment.h"
#include "ingest/status.h"
#include "ingest/strmap.h"
#include "ingest/utf8.h"

double xref_eval_precision(const struct xref_eval_counts *c)
{
	return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
}

double xref_eval_recall(const struct xref_eval_counts *c)
{
	return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
}

double xref_eval_f1(const struct xref_eval_counts *c)
{
	/* 2PR/(P+R) simplified, exact in integers */
	size_t d = 2 * c->tp + c->fp + c->fn;

	return d ? 2.0 * (double)c->tp / (double)d : 0.0;
}

/* Makes room for one more element in *v (n used of *cap). */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c < *cap || c > SIZE_MAX / size)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	p = realloc(*v, c * size);
	if (!p)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	*v = p;
	*cap = c;
	return 0;
}

static int nomem(void)
{
	return xref_error_set(XREF_ENOMEM, "out of memory");
}

/* ---- CoNLL ---------------------------------------------------------------- */

void xref_eval_spans_release(struct xref_eval_spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

bool xref_eval_map_span(size_t *first, size_t *last, const size_t *tok_start,
			const size_t *tok_end, size_t n, size_t start,
			size_t end)
{
	size_t lo = 0, hi = n;

	if (end <= start)
		return false;
	/* the first token that ends after start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tok_end[mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || tok_start[lo] >= end)
		return false;
	*first = lo;
	/* the last token that starts before end */
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tok_start[mid] < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	*last = lo - 1;
	return true;
}

void xref_eval_score_spans(struct xref_eval_scores *scores,
			   const struct xref_conll_span *gold, size_t n_gold,
			   char *const *gold_types,
			   const enum xref_gold_class *gold_class,
			   struct xref_eval_span *pred, size_t n_pred)
{
	size_t gold_n[XREF_GOLD_N_SCORED] = { 0 }, hits[XREF_GOLD_N_SCORED] = { 0 };
	size_t g = 0, untyped_tp = 0, n_scored = 0;

	for (size_t i = 0; i < n_pred; i++) {
		struct xref_eval_span *p = &pred[i];
		enum xref_gold_class gc;

		p->label = xref_gold_class_name(p->cls);
		while (g < n_gold && gold[g].begin < p->begin)
			g++;
		if (g < n_gold && gold[g].begin == p->begin &&
		    gold[g].end == p->end) {
			gc = gold_class[gold[g].type];
			if (gc >= XREF_GOLD_N_SCORED) {
				p->label = gold_types[gold[g].type];
				scores->ignored++;
				continue;
			}
			untyped_tp++;
			scores->untyped.tp++;
			if (gc == p->cls) {
				hits[gc]++;
				scores->typed.tp++;
				scores->per_class[gc].tp++;
			} else {
				scores->typed.fp++;
				scores->per_class[p->cls].fp++;
			}
		} else {
			scores->untyped.fp++;
			scores->typed.fp++;
			scores->per_class[p->cls].fp++;
		}
		scores->predicted++;
	}
	/* predictions never overlap, so no gold span is matched twice: the
	 * misses are the gold spans less the hits */
	for (size_t i = 0; i < n_gold; i++) {
		enum xref_gold_class gc = gold_class[gold[i].type];

		if (gc < XREF_GOLD_N_SCORED) {
			gold_n[gc]++;
			n_scored++;
		}
	}
	scores->gold += n_scored;
	scores->untyped.fn += n_scored - untyped_tp;
	for (int c = 0; c < XREF_GOLD_N_SCORED; c++) {
		scores->per_class[c].fn += gold_n[c] - hits[c];
		scores->typed.fn += gold_n[c] - hits[c];
	}
}

/* Builds a document's text: tokens joined by spaces, sentences by
 * newlines; token i of the document at bytes [ts[i], te[i]). */
static int conll_doc_text(struct xref_buf *text, size_t *ts, size_t *te,
			  const struct xref_conll *gold,
			  const struct xref_conll_doc *d, size_t base)
{
	int err = 0;

	xref_buf_clear(text);
	for (size_t s = d->sent_begin; !err && s < d->sent_end; s++) {
		const struct xref_conll_sentence *sn = &gold->sents[s];

		if (s > d->sent_begin)
			err = xref_buf_putc(text, '\n');
		for (size_t t = sn->tok_begin; !err && t < sn->tok_end; t++) {
			const struct xref_conll_token *tk = &gold->tokens[t];

			if (t > sn->tok_begin)
				err = xref_buf_putc(text, ' ');
			ts[t - base] = text->len;
			if (!err)
				err = xref_buf_put(text, gold->text + tk->off,
						   tk->len);
			te[t - base] = text->len;
		}
	}
	return err;
}

/* Turns a document's mentions into non-overlapping token spans appended to
 * out. */
static int conll_doc_spans(struct xref_eval_spans *out,
			   const struct xref_mentions *m,
			   const struct xref_conll *gold,
			   const struct xref_conll_doc *d, size_t base,
			   const size_t *ts, const size_t *te, size_t n_tok)
{
	size_t first_new = out->n, sent = d->sent_begin;
	int err;

	for (size_t i = 0; i < m->n; i++) {
		enum xref_gold_class cls = xref_gold_class_of_type(m->v[i].type);
		struct xref_eval_span *sp;
		size_t a, b, begin, end;

		if (cls >= XREF_GOLD_N_SCORED)
			continue;
		if (!xref_eval_map_span(&a, &b, ts, te, n_tok, m->v[i].start,
					m->v[i].end))
			continue;
		begin = base + a;
		end = base + b + 1;
		/* mentions come in text order: the sentence only moves on */
		while (sent + 1 < d->sent_end && gold->sents[sent].tok_end <= begin)
			sent++;
		if (end > gold->sents[sent].tok_end)
			end = gold->sents[sent].tok_end;
		if (out->n > first_new && begin < out->v[out->n - 1].end)
			continue;
		err = grow((void **)&out->v, &out->cap, out->n, sizeof(*out->v));
		if (err)
			return err;
		sp = &out->v[out->n++];
		sp->begin = begin;
		sp->end = end;
		sp->cls = cls;
		sp->label = xref_gold_class_name(cls);
	}
	return 0;
}

int xref_eval_conll(struct xref_eval_scores *scores,
		    struct xref_eval_spans *preds,
		    const struct xref_recognizer *r,
		    const struct xref_conll *gold)
{
	struct xref_buf text = XREF_BUF_INIT;
	struct xref_segmentation seg = { 0 };
	struct xref_mentions m = { 0 };
	struct xref_eval_spans local = { 0 };
	struct xref_eval_spans *out = preds ? preds : &local;
	size_t *ts = NULL, *te = NULL, cap = 0;
	int err = 0;

	memset(scores, 0, sizeof(*scores));
	scores->documents = gold->n_docs;
	scores->sentences = gold->n_sents;
	scores->tokens = gold->n_tokens;
	for (size_t i = 0; !err && i < gold->n_docs; i++) {
		const struct xref_conll_doc *d = &gold->docs[i];
		size_t base, n_tok, first_new = out->n;

		if (d->sent_begin == d->sent_end)
			continue;
		base = gold->sents[d->sent_begin].tok_begin;
		n_tok = gold->sents[d->sent_end - 1].tok_end - base;
		if (n_tok > cap) {
			size_t *p;

			if (n_tok > SIZE_MAX / sizeof(size_t)) {
				err = nomem();
				break;
			}
			p = realloc(ts, n_tok * sizeof(size_t));
			if (!p) {
				err = nomem();
				break;
			}
			ts = p;
			p = realloc(te, n_tok * sizeof(size_t));
			if (!p) {
				err = nomem();
				break;
			}
			te = p;
			cap = n_tok;
		}
		err = conll_doc_text(&text, ts, te, gold, d, base);
		if (!err)
			err = xref_segment(&seg, xref_buf_cstr(&text), text.len);
		if (!err)
			err = xref_recognize(&m, r, xref_buf_cstr(&text), text.len,
					     &seg);
		if (!err)
			err = conll_doc_spans(out, &m, gold, d, base, ts, te,
					      n_tok);
		if (!err)
			/* no pointer arithmetic on NULL arrays (no spans yet) */
			xref_eval_score_spans(scores,
					      d->span_end > d->span_begin
						      ? gold->spans + d->span_begin
						      : NULL,
					      d->span_end - d->span_begin,
					      gold->types, gold->type_class,
					      out->n > first_new
						      ? out->v + first_new
						      : NULL,
					      out->n - first_new);
		xref_mentions_release(&m);
		xref_segmentation_release(&seg);
	}
	free(ts);
	free(te);
	xref_buf_release(&text);
	xref_eval_spans_release(&local);
	return err;
}

/* ---- JSON Lines --------------------------------------------------------------- */

int xref_eval_normalize(char **out, const char *name)
{
	size_t len = strlen(name);
	char *f = NULL;
	int err;

	*out = NULL;
	if (len >= 2 && name[len - 2] == '\'' &&
	    (name[len - 1] == 's' || name[len - 1] == 'S'))
		len -= 2;
	else if (len >= 4 && !memcmp(name + len - 4, "\xE2\x80\x99", 3) &&
		 (name[len - 1] == 's' || name[len - 1] == 'S'))
		len -= 4;
	err = xref_utf8_fold(&f, name, len);
	if (err)
		return err;
	if (!strncmp(f, "the ", 4))
		memmove(f, f + 4, strlen(f + 4) + 1);
	*out = f;
	return 0;
}

/* The distinct, non-empty normalised names of an entity; canon is the
 * normalised canonical name (may be ""). */
struct names {
	char *canon;
	char **v;
	size_t n;
};

static void names_release(struct names *nm)
{
	free(nm->canon);
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static int names_add(struct names *nm, const char *s, size_t *cap)
{
	char *f = NULL;
	int err = xref_eval_normalize(&f, s);

	if (err)
		return err;
	if (!*f)
		goto drop;
	for (size_t i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], f))
			goto drop;
	err = grow((void **)&nm->v, cap, nm->n, sizeof(*nm->v));
	if (err)
		goto drop;
	nm->v[nm->n++] = f;
	return 0;
drop:
	free(f);
	return err;
}

static int names_of(struct names *nm, const struct xref_gold_entity *e)
{
	size_t cap = 0;
	int err;

	memset(nm, 0, sizeof(*nm));
	err = xref_eval_normalize(&nm->canon, e->name);
	if (!err)
		err = names_add(nm, e->name, &cap);
	for (size_t i = 0; !err && i < e->n_aliases; i++)
		err = names_add(nm, e->aliases[i], &cap);
	return err;
}

static bool names_meet(const struct names *a, const struct names *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (!strcmp(a->v[i], b->v[j]))
				return true;
	return false;
}

enum scheme { S_UNTYPED, S_COARSE, S_FINE, S_COUNT };

static bool in_scheme(enum scheme s, enum xref_type t)
{
	return s != S_COARSE ||
	       xref_gold_class_of_type(t) < XREF_GOLD_N_SCORED;
}

static bool compatible(enum scheme s, enum xref_type gold, enum xref_type pred)
{
	switch (s) {
	case S_COARSE:
		return xref_gold_class_of_type(gold) ==
		       xref_gold_class_of_type(pred);
	case S_FINE:
		return gold == pred || (gold == XREF_TYPE_LOCATION &&
					pred == XREF_TYPE_COUNTRY);
	default:
		return true;
	}
}

static void count(struct xref_eval_scores *sc, enum scheme s,
		  enum xref_type t, int what)
{
	struct xref_eval_counts *all, *one = NULL;

	if (s == S_UNTYPED) {
		all = &sc->untyped;
	} else if (s == S_COARSE) {
		all = &sc->typed;
		one = &sc->per_class[xref_gold_class_of_type(t)];
	} else {
		all = &sc->fine;
		one = &sc->per_type[t];
	}
	if (what == 0) {
		all->tp++;
		if (one)
			one->tp++;
	} else if (what == 1) {
		all->fp++;
		if (one)
			one->fp++;
	} else {
		all->fn++;
		if (one)
			one->fn++;
	}
}

static void match_scheme(struct xref_eval_scores *sc, enum scheme s,
			 const struct xref_gold_entity *gold,
			 const struct names *gn, size_t n_gold,
			 const struct xref_gold_entity *pred,
			 const struct names *pn, size_t n_pred,
			 bool *gm, bool *pm)
{
	memset(gm, 0, n_gold * sizeof(*gm));
	memset(pm, 0, n_pred * sizeof(*pm));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t g = 0; g < n_gold; g++) {
			if (gm[g] || !in_scheme(s, gold[g].type))
				continue;
			for (size_t p = 0; p < n_pred; p++) {
				bool hit;

				if (pm[p] || !in_scheme(s, pred[p].type) ||
				    !compatible(s, gold[g].type, pred[p].type))
					continue;
				hit = pass == 0 ? *gn[g].canon &&
							  !strcmp(gn[g].canon,
								  pn[p].canon)
						: names_meet(&gn[g], &pn[p]);
				if (hit) {
					gm[g] = pm[p] = true;
					count(sc, s, gold[g].type, 0);
					break;
				}
			}
		}
	}
	for (size_t g = 0; g < n_gold; g++)
		if (!gm[g] && in_scheme(s, gold[g].type))
			count(sc, s, gold[g].type, 2);
	for (size_t p = 0; p < n_pred; p++)
		if (!pm[p] && in_scheme(s, pred[p].type))
			count(sc, s, pred[p].type, 1);
}

int xref_eval_score_entities(struct xref_eval_scores *scores,
			     const struct xref_gold_entity *gold,
			     size_t n_gold,
			     const struct xref_gold_entity *pred,
			     size_t n_pred)
{
	struct names *gn = NULL, *pn = NULL;
	bool *gm = NULL, *pm = NULL;
	size_t ng = 0, np = 0;
	int err = 0;

	gn = calloc(n_gold ? n_gold : 1, sizeof(*gn));
	pn = calloc(n_pred ? n_pred : 1, sizeof(*pn));
	gm = calloc(n_gold ? n_gold : 1, sizeof(*gm));
	pm = calloc(n_pred ? n_pred : 1, sizeof(*pm));
	if (!gn || !pn || !gm || !pm) {
		err = nomem();
		goto out;
	}
	for (; ng < n_gold; ng++) {
		err = names_of(&gn[ng], &gold[ng]);
		if (err) {
			ng++;
			goto out;
		}
	}
	for (; np < n_pred; np++) {
		err = names_of(&pn[np], &pred[np]);
		if (err) {
			np++;
			goto out;
		}
	}
	for (int s = 0; s < S_COUNT; s++)
		match_scheme(scores, (enum scheme)s, gold, gn, n_gold, pred, pn,
			     n_pred, gm, pm);
	scores->gold += n_gold;
	scores->predicted += n_pred;
out:
	for (size_t i = 0; gn && i < ng; i++)
		names_release(&gn[i]);
	for (size_t i = 0; pn && i < np; i++)
		names_release(&pn[i]);
	free(gn);
	free(pn);
	free(gm);
	free(pm);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the surface form s[0..len) to e's aliases unless it is the name or
 * already there. */
static int add_surface(struct xref_gold_entity *e, size_t *cap, const char *s,
		       size_t len)
{
	char *a;
	int err;

	if (strlen(e->name) == len && !memcmp(e->name, s, len))
		return 0;
	for (size_t i = 0; i < e->n_aliases; i++)
		if (strlen(e->aliases[i]) == len && !memcmp(e->aliases[i], s, len))
			return 0;
	err = grow((void **)&e->aliases, cap, e->n_aliases, sizeof(*e->aliases));
	if (err)
		return err;
	a = malloc(len + 1);
	if (!a)
		return nomem();
	memcpy(a, s, len);
	a[len] = '\0';
	e->aliases[e->n_aliases++] = a;
	return 0;
}

/* The entities of one document's mentions, in order of first mention. */
static int predicted_entities(struct xref_gold_doc *pd,
			      const struct xref_mentions *m, const char *text)
{
	struct xref_strmap keys;
	size_t cap = 0, *acap = NULL;
	int err = 0;

	xref_strmap_init(&keys);
	for (size_t i = 0; !err && i < m->n; i++) {
		const struct xref_mention *mn = &m->v[i];
		struct xref_gold_entity *e;
		int64_t k;

		if (!xref_strmap_get(&keys, mn->key, strlen(mn->key), &k)) {
			size_t old = cap;

			err = grow((void **)&pd->ents, &cap, pd->n_ents,
				   sizeof(*pd->ents));
			if (!err && cap != old) {
				size_t *p = realloc(acap, cap * sizeof(*p));

				if (!p)
					err = nomem();
				else
					acap = p;
			}
			if (err)
				break;
			k = (int64_t)pd->n_ents;
			e = &pd->ents[pd->n_ents++];
			memset(e, 0, sizeof(*e));
			acap[k] = 0;
			e->type = mn->type;
			e->name = strdup(mn->name);
			if (!e->name)
				err = nomem();
			if (!err)
				err = xref_strmap_put(&keys, mn->key,
						      strlen(mn->key), k);
			if (err)
				break;
		}
		err = add_surface(&pd->ents[k], &acap[k], text + mn->start,
				  mn->end - mn->start);
	}
	for (size_t i = 0; !err && i < pd->n_ents; i++)
		if (pd->ents[i].n_aliases > 1)
			qsort(pd->ents[i].aliases, pd->ents[i].n_aliases,
			      sizeof(char *), cmp_str);
	free(acap);
	xref_strmap_release(&keys);
	return err;
}

int xref_eval_jsonl(struct xref_eval_scores *scores,
		    struct xref_gold_docs *preds,
		    const struct xref_recognizer *r,
		    const struct xref_gold_docs *gold)
{
	struct xref_segmentation seg = { 0 };
	struct xref_mentions m = { 0 };
	struct xref_gold_doc pd = { 0 };
	int err = 0;

	memset(scores, 0, sizeof(*scores));
	scores->jsonl = true;
	scores->documents = gold->n;
	for (size_t i = 0; !err && i < gold->n; i++) {
		const struct xref_gold_doc *gd = &gold->v[i];

		err = xref_segment(&seg, gd->text, gd->text_len);
		if (!err)
			err = xref_recognize(&m, r, gd->text, gd->text_len, &seg);
		if (!err)
			err = predicted_entities(&pd, &m, gd->text);
		if (!err)
			err = xref_eval_score_entities(scores, gd->ents,
						       gd->n_ents, pd.ents,
						       pd.n_ents);
		if (!err && preds) {
			pd.id = strdup(gd->id);
			if (!pd.id)
				err = nomem();
			if (!err)
				err = grow((void **)&preds->v, &preds->cap,
					   preds->n, sizeof(*preds->v));
			if (!err) {
				preds->v[preds->n++] = pd;
				memset(&pd, 0, sizeof(pd));
			}
		}
		/* what was not handed over */
		free(pd.id);
		for (size_t k = 0; k < pd.n_ents; k++)
			xref_gold_entity_release(&pd.ents[k]);
		free(pd.ents);
		memset(&pd, 0, sizeof(pd));
		xref_mentions_release(&m);
		xref_segmentation_release(&seg);
	}
	return err;
}
