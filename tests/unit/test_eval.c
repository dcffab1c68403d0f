/*
 * Gold readers and scoring for `xref eval`: CoNLL tag schemes (IOB1, IOB2,
 * IOBES), documents and errors; mapping predicted byte spans to tokens;
 * mention scoring with MISC ignored; JSON Lines gold and its errors; name
 * normalisation; entity-set matching (aliases, one to one, location
 * matching country, targets out of coarse); the JSON pull parser; and one
 * run through the real recogniser with a watchlist.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/eval.h"
#include "ingest/gold.h"
#include "ingest/json.h"
#include "ingest/recognize.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

static int parse_conll(struct xref_conll *c, const char *s)
{
	return xref_conll_parse(c, s, strlen(s), "g.conll");
}

/* Is there a gold span [b, e) of type `type`? */
static bool has_span(const struct xref_conll *c, size_t b, size_t e,
		     const char *type)
{
	for (size_t i = 0; i < c->n_spans; i++)
		if (c->spans[i].begin == b && c->spans[i].end == e &&
		    !strcmp(c->types[c->spans[i].type], type))
			return true;
	return false;
}

static void test_conll_schemes(void)
{
	struct xref_conll c;

	/* IOB1: I- after O or another type starts a mention, B- splits two
	 * adjacent mentions of one type */
	CHECK(parse_conll(&c, "Ann I-PER\nLee I-PER\nBo B-PER\nAcme I-ORG\n"
			      "and O\nRome I-LOC\n. O\n") == 0);
	CHECK(c.n_tokens == 7);
	CHECK(c.n_sents == 1);
	CHECK(c.n_docs == 1);
	CHECK(c.n_spans == 4);
	CHECK(has_span(&c, 0, 2, "PER"));
	CHECK(has_span(&c, 2, 3, "PER"));
	CHECK(has_span(&c, 3, 4, "ORG"));
	CHECK(has_span(&c, 5, 6, "LOC"));
	CHECK(!c.docs[0].docstart);
	xref_conll_release(&c);

	/* the same mentions in IOB2 */
	CHECK(parse_conll(&c, "Ann B-PER\nLee I-PER\nBo B-PER\nAcme B-ORG\n"
			      "and O\nRome B-LOC\n. O\n") == 0);
	CHECK(c.n_spans == 4);
	CHECK(has_span(&c, 0, 2, "PER"));
	CHECK(has_span(&c, 2, 3, "PER"));
	CHECK(has_span(&c, 3, 4, "ORG"));
	CHECK(has_span(&c, 5, 6, "LOC"));
	xref_conll_release(&c);

	/* IOBES: E- closes, so the next I- starts anew; S- is one token */
	CHECK(parse_conll(&c, "Ann B-PER\nLee E-PER\nBo I-PER\nRome S-LOC\n"
			      "Oslo S-LOC\n") == 0);
	CHECK(c.n_spans == 4);
	CHECK(has_span(&c, 0, 2, "PER"));
	CHECK(has_span(&c, 2, 3, "PER"));
	CHECK(has_span(&c, 3, 4, "LOC"));
	CHECK(has_span(&c, 4, 5, "LOC"));
	xref_conll_release(&c);

	/* a mention never crosses a blank line; four columns, tabs, CRLF,
	 * a byte-order mark; the type table keeps MISC as "other" */
	CHECK(parse_conll(&c, "\xEF\xBB\xBFNew NNP B-NP I-LOC\r\n"
			      "York\tNNP\tI-NP\tI-LOC\r\n\r\n"
			      "City NNP I-NP I-LOC\r\nCup x y I-MISC\r\n") == 0);
	CHECK(c.n_sents == 2);
	CHECK(c.n_spans == 3);
	CHECK(has_span(&c, 0, 2, "LOC"));
	CHECK(has_span(&c, 2, 3, "LOC"));
	CHECK(has_span(&c, 3, 4, "MISC"));
	CHECK_STR(c.text + c.tokens[0].off, "New");
	CHECK_STR(c.text + c.tokens[1].off, "York");
	CHECK(c.n_types == 2);
	CHECK(c.type_class[0] == XREF_GOLD_LOC);
	CHECK(c.type_class[1] == XREF_GOLD_OTHER);
	xref_conll_release(&c);

	CHECK(xref_gold_class_of_name("per") == XREF_GOLD_PER);
	CHECK(xref_gold_class_of_name("GPE") == XREF_GOLD_LOC);
	CHECK(xref_gold_class_of_name("ORGANIZATION") == XREF_GOLD_ORG);
	CHECK(xref_gold_class_of_name("MISC") == XREF_GOLD_OTHER);
	CHECK(xref_gold_class_of_type(XREF_TYPE_MEDIA) == XREF_GOLD_ORG);
	CHECK(xref_gold_class_of_type(XREF_TYPE_GOVERNMENT) == XREF_GOLD_ORG);
	CHECK(xref_gold_class_of_type(XREF_TYPE_COUNTRY) == XREF_GOLD_LOC);
	CHECK(xref_gold_class_of_type(XREF_TYPE_TARGET) == XREF_GOLD_NONE);
}

static void test_conll_documents(void)
{
	struct xref_conll c;

	/* wikigold style: the first document has no -DOCSTART- */
	CHECK(parse_conll(&c, "A O\n\n-DOCSTART- O\n\nB O\n\nC O\n"
			      "-DOCSTART- O\n-DOCSTART- O\n\nD I-PER\n") == 0);
	CHECK(c.n_docs == 4);
	CHECK(!c.docs[0].docstart);
	CHECK(c.docs[1].docstart && c.docs[1].sent_end - c.docs[1].sent_begin == 2);
	CHECK(c.docs[2].docstart && c.docs[2].sent_begin == c.docs[2].sent_end);
	CHECK(c.docs[3].docstart && c.docs[3].span_end - c.docs[3].span_begin == 1);
	xref_conll_release(&c);

	/* a leading -DOCSTART- does not leave an empty first document */
	CHECK(parse_conll(&c, "-DOCSTART- -X- O O\n\nA O\n\n\n\nB O\n") == 0);
	CHECK(c.n_docs == 1);
	CHECK(c.docs[0].docstart);
	CHECK(c.n_sents == 2);
	xref_conll_release(&c);

	/* no -DOCSTART- at all: one document */
	CHECK(parse_conll(&c, "A O\n\nB O\n\nC O") == 0);
	CHECK(c.n_docs == 1 && c.n_sents == 3);
	xref_conll_release(&c);
}

static void test_conll_errors(void)
{
	struct xref_conll c;

	CHECK(parse_conll(&c, "A O\nlonely\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(), "'g.conll' line 2: expected a token and a tag");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "A O\n\nB X-PER\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(),
		  "'g.conll' line 3: invalid tag 'X-PER' (expected O, B-TYPE or I-TYPE)");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "B B-\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(),
		  "'g.conll' line 1: invalid tag 'B-' (expected O, B-TYPE or I-TYPE)");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "A O\nB\xff O\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(), "'g.conll' line 2: the token is not valid UTF-8");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "A\x01 O\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(), "'g.conll' line 1: control character in the token");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "New O\nB B-\xb4\xa9" "C\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(), "'g.conll' line 2: the tag is not valid UTF-8");
	xref_conll_release(&c);
	CHECK(parse_conll(&c, "\n-DOCSTART- O\n\n") == XREF_EDATA);
	CHECK_STR(xref_error_last(), "'g.conll': no tokens");
	xref_conll_release(&c);
	CHECK(xref_conll_read(&c, "/nonexistent/g.conll") == XREF_EIO);
	CHECK(strstr(xref_error_last(), "cannot open '/nonexistent/g.conll'") != NULL);
	xref_conll_release(&c);
}

static void test_map_span(void)
{
	/* "Osc-Dis band Tel" */
	static const size_t ts[] = { 0, 8, 13 }, te[] = { 7, 12, 16 };
	size_t a = 99, b = 99;

	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 0, 7) && a == 0 && b == 0);
	/* starts and ends inside tokens: whole tokens */
	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 4, 10) && a == 0 && b == 1);
	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 0, 3) && a == 0 && b == 0);
	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 9, 16) && a == 1 && b == 2);
	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 0, 16) && a == 0 && b == 2);
	/* only whitespace, or past the end, or empty: no token */
	CHECK(!xref_eval_map_span(&a, &b, ts, te, 3, 7, 8));
	CHECK(!xref_eval_map_span(&a, &b, ts, te, 3, 16, 20));
	CHECK(!xref_eval_map_span(&a, &b, ts, te, 3, 2, 2));
	/* a span that reaches one byte into the next token takes it */
	CHECK(xref_eval_map_span(&a, &b, ts, te, 3, 8, 14) && a == 1 && b == 2);
}

static void test_score_spans(void)
{
	/* gold: PER [0,2), MISC [3,4), ORG [5,6), LOC [7,9), PER [10,11) */
	static const struct xref_conll_span gold[] = {
		{ 0, 2, 0 }, { 3, 4, 1 }, { 5, 6, 2 }, { 7, 9, 3 }, { 10, 11, 0 },
	};
	char per[] = "PER", misc[] = "MISC", org[] = "ORG", loc[] = "LOC";
	char *types[] = { per, misc, org, loc };
	static const enum xref_gold_class cls[] = {
		XREF_GOLD_PER, XREF_GOLD_OTHER, XREF_GOLD_ORG, XREF_GOLD_LOC,
	};
	struct xref_eval_span pred[] = {
		{ 0, 2, XREF_GOLD_PER, NULL },  /* right */
		{ 3, 4, XREF_GOLD_ORG, NULL },  /* equals MISC: ignored */
		{ 5, 6, XREF_GOLD_LOC, NULL },  /* right span, wrong type */
		{ 7, 8, XREF_GOLD_LOC, NULL },  /* too short */
		{ 12, 13, XREF_GOLD_ORG, NULL }, /* nothing there */
	};
	struct xref_eval_scores s;

	memset(&s, 0, sizeof(s));
	xref_eval_score_spans(&s, gold, 5, types, cls, pred, 5);
	CHECK(s.ignored == 1);
	CHECK(s.gold == 4);
	CHECK(s.predicted == 4);
	CHECK(s.typed.tp == 1 && s.typed.fp == 3 && s.typed.fn == 3);
	CHECK(s.untyped.tp == 2 && s.untyped.fp == 2 && s.untyped.fn == 2);
	CHECK(s.per_class[XREF_GOLD_PER].tp == 1);
	CHECK(s.per_class[XREF_GOLD_PER].fp == 0);
	CHECK(s.per_class[XREF_GOLD_PER].fn == 1);
	CHECK(s.per_class[XREF_GOLD_ORG].tp == 0);
	CHECK(s.per_class[XREF_GOLD_ORG].fp == 1);
	CHECK(s.per_class[XREF_GOLD_ORG].fn == 1);
	CHECK(s.per_class[XREF_GOLD_LOC].fp == 2);
	CHECK(s.per_class[XREF_GOLD_LOC].fn == 1);
	CHECK_STR(pred[0].label, "PER");
	CHECK_STR(pred[1].label, "MISC");
	CHECK_STR(pred[2].label, "LOC");
	/* 2 * 1 / (2 * 1 + 3 + 3) */
	CHECK(xref_eval_f1(&s.typed) > 0.2499 && xref_eval_f1(&s.typed) < 0.2501);
	CHECK(xref_eval_precision(&s.typed) == 0.25);
	CHECK(xref_eval_recall(&s.untyped) == 0.5);
	{
		struct xref_eval_counts zero = { 0, 0, 0 };

		CHECK(xref_eval_precision(&zero) == 0.0 && xref_eval_f1(&zero) == 0.0);
	}
}

static int parse_jsonl(struct xref_gold_docs *d, const char *s)
{
	return xref_gold_jsonl_parse(d, s, strlen(s), "g.jsonl");
}

static void test_jsonl_gold(void)
{
	struct xref_gold_docs d = { 0 };

	CHECK(parse_jsonl(&d,
		"{\"id\": \"a\", \"text\": \"Caf\\u00e9 Ann\", \"extra\": [1, {\"x\": null}],"
		" \"entities\": [{\"name\": \"Ann\", \"type\": \"Person\", \"aliases\": [\"A.\", \"Annie\"]},"
		" {\"type\": \"country\", \"name\": \"France\", \"note\": true}]}\n"
		"\n"
		"{\"id\": 7, \"text\": \"\", \"entities\": []}\n") == 0);
	CHECK(d.n == 2);
	CHECK_STR(d.v[0].id, "a");
	CHECK_STR(d.v[0].text, "Caf\xc3\xa9 Ann");
	CHECK(d.v[0].line == 1);
	CHECK(d.v[0].n_ents == 2);
	CHECK_STR(d.v[0].ents[0].name, "Ann");
	CHECK(d.v[0].ents[0].type == XREF_TYPE_PERSON);
	CHECK(d.v[0].ents[0].n_aliases == 2);
	CHECK_STR(d.v[0].ents[0].aliases[1], "Annie");
	CHECK(d.v[0].ents[1].type == XREF_TYPE_COUNTRY);
	CHECK(d.v[0].ents[1].n_aliases == 0);
	CHECK_STR(d.v[1].id, "7");
	CHECK(d.v[1].line == 3);
	xref_gold_docs_release(&d);

	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "{\"id\": \"a\", \"entities\": []}", "'g.jsonl' line 1: missing \"text\"" },
		{ "{\"text\": \"t\", \"entities\": []}", "'g.jsonl' line 1: missing \"id\"" },
		{ "{\"id\": \"a\", \"text\": \"t\"}", "'g.jsonl' line 1: missing \"entities\"" },
		{ "{\"id\": \"a\", \"text\": 3, \"entities\": []}", "'g.jsonl' line 1: \"text\" is not a string" },
		{ "{\"id\": [], \"text\": \"t\", \"entities\": []}", "'g.jsonl' line 1: \"id\" is not a string or a number" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": {}}", "'g.jsonl' line 1: \"entities\" is not an array" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [\"x\"]}", "'g.jsonl' line 1: entity 1 is not an object" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"name\": \"X\", \"type\": \"person\"}, {\"name\": \"Y\", \"type\": \"people\"}]}",
		  "'g.jsonl' line 1: entity 2: unknown type 'people'" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"type\": \"person\"}]}", "'g.jsonl' line 1: entity 1: missing \"name\"" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"name\": \" \", \"type\": \"person\"}]}", "'g.jsonl' line 1: entity 1: empty \"name\"" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"name\": \"X\"}]}", "'g.jsonl' line 1: entity 1: missing \"type\"" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"name\": \"X\", \"type\": \"person\", \"aliases\": [\"Y\", 3]}]}",
		  "'g.jsonl' line 1: entity 1: alias 2 is not a string" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [{\"name\": \"X\", \"type\": \"person\", \"aliases\": \"Y\"}]}",
		  "'g.jsonl' line 1: entity 1: \"aliases\" is not an array" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": [}", "'g.jsonl' line 1: invalid JSON at column 39: expected a value" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": []} x", "'g.jsonl' line 1: invalid JSON at column 42: unexpected data after the object" },
		{ "{\"id\": \"a\" \"text\": \"t\"}", "'g.jsonl' line 1: invalid JSON at column 12: expected ',' or '}'" },
		{ "[]", "'g.jsonl' line 1: invalid JSON at column 1: expected an object" },
		{ "{\"id\": \"a\", \"text\": \"t\", \"entities\": []}\n{\"id\": \"a\", \"text\": \"u\", \"entities\": []}",
		  "'g.jsonl' line 2: duplicate id 'a'" },
		{ "\n  \n", "'g.jsonl': no documents" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse_jsonl(&d, bad[i].line) == XREF_EDATA);
		CHECK_STR(xref_error_last(), bad[i].msg);
		xref_gold_docs_release(&d);
	}
	CHECK(xref_gold_is_jsonl("a/b.JSONL"));
	CHECK(xref_gold_is_jsonl("b.ndjson"));
	CHECK(!xref_gold_is_jsonl("b.conll"));
	CHECK(!xref_gold_is_jsonl(".jsonl.txt"));
}

static void test_normalize(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "The NSO Group's", "nso group" },
		{ "NSO Group\xe2\x80\x99s", "nso group" },
		{ "the Guardian", "guardian" },
		{ "\xc3\x93 Cearbhaill", "o cearbhaill" },
		{ "U.S.", "us" },
		{ "Al-Jazeera", "al jazeera" },
		{ "Theresa May", "theresa may" },
		{ "The", "the" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *n = NULL;

		CHECK(xref_eval_normalize(&n, cases[i].in) == 0);
		CHECK_STR(n, cases[i].out);
		free(n);
	}
}

/* An entity with copies of its strings (xref_gold_entity_release()). */
static struct xref_gold_entity ent(const char *name, enum xref_type t,
				   const char *alias)
{
	struct xref_gold_entity e = { strdup(name), t, NULL, 0 };

	if (alias) {
		e.aliases = malloc(sizeof(*e.aliases));
		if (e.aliases) {
			e.aliases[0] = strdup(alias);
			e.n_aliases = 1;
		}
	}
	return e;
}

static void ents_release(struct xref_gold_entity *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xref_gold_entity_release(&e[i]);
}

static void test_score_entities(void)
{
	struct xref_gold_entity gold[] = {
		ent("NSO Group", XREF_TYPE_COMPANY, "NSO"),
		ent("Palestine", XREF_TYPE_LOCATION, NULL),
		ent("Jordan", XREF_TYPE_COUNTRY, NULL),
		ent("journalists", XREF_TYPE_TARGET, NULL),
		ent("The Guardian", XREF_TYPE_MEDIA, NULL),
		ent("Lagos", XREF_TYPE_LOCATION, NULL),
	};
	struct xref_gold_entity pred[] = {
		ent("NSO", XREF_TYPE_COMPANY, NULL),          /* split: one FP */
		ent("NSO Group", XREF_TYPE_COMPANY, NULL),    /* the match (pass 1) */
		ent("Palestine", XREF_TYPE_COUNTRY, NULL),    /* location ~ country */
		ent("Jordan", XREF_TYPE_PERSON, NULL),        /* untyped only */
		ent("Jordan", XREF_TYPE_COUNTRY, NULL),       /* typed match */
		ent("Journalists", XREF_TYPE_TARGET, NULL),   /* not in coarse */
		ent("Guardian", XREF_TYPE_COMPANY, "Guardian's"), /* coarse ORG, fine miss */
		ent("Tuesday", XREF_TYPE_PERSON, NULL),       /* noise */
	};
	struct xref_gold_entity g1, p1;
	struct xref_eval_scores s;

	memset(&s, 0, sizeof(s));
	CHECK(xref_eval_score_entities(&s, gold, 6, pred, 8) == 0);
	CHECK(s.gold == 6 && s.predicted == 8);
	/* untyped: NSO Group, Palestine, Jordan (first candidate, the
	 * person), journalists, Guardian; misses Lagos; FP: NSO, the second
	 * Jordan, Tuesday */
	CHECK(s.untyped.tp == 5 && s.untyped.fp == 3 && s.untyped.fn == 1);
	/* coarse (no targets): NSO Group ORG, Palestine LOC, Jordan LOC (the
	 * country), Guardian ORG; FP: NSO, Jordan person, Tuesday; FN Lagos */
	CHECK(s.typed.tp == 4 && s.typed.fp == 3 && s.typed.fn == 1);
	CHECK(s.per_class[XREF_GOLD_ORG].tp == 2 && s.per_class[XREF_GOLD_ORG].fp == 1);
	CHECK(s.per_class[XREF_GOLD_LOC].tp == 2 && s.per_class[XREF_GOLD_LOC].fn == 1);
	CHECK(s.per_class[XREF_GOLD_PER].tp == 0 && s.per_class[XREF_GOLD_PER].fp == 2);
	/* fine: NSO Group, Palestine (location matches country), Jordan,
	 * journalists; The Guardian media vs company misses */
	CHECK(s.fine.tp == 4 && s.fine.fn == 2 && s.fine.fp == 4);
	CHECK(s.per_type[XREF_TYPE_LOCATION].tp == 1);
	CHECK(s.per_type[XREF_TYPE_TARGET].tp == 1);
	CHECK(s.per_type[XREF_TYPE_MEDIA].fn == 1);
	CHECK(s.per_type[XREF_TYPE_COMPANY].fp == 2);
	ents_release(gold, 6);
	ents_release(pred, 8);

	/* a gold country is not matched by a predicted location */
	g1 = ent("Jordan", XREF_TYPE_COUNTRY, NULL);
	p1 = ent("Jordan", XREF_TYPE_LOCATION, NULL);
	memset(&s, 0, sizeof(s));
	CHECK(xref_eval_score_entities(&s, &g1, 1, &p1, 1) == 0);
	CHECK(s.fine.tp == 0 && s.fine.fp == 1 && s.fine.fn == 1);
	CHECK(s.typed.tp == 1);
	xref_gold_entity_release(&g1);
	xref_gold_entity_release(&p1);

	/* an alias of the prediction meets an alias of the gold entity */
	g1 = ent("Ministry of Defence", XREF_TYPE_GOVERNMENT, "Defence Ministry");
	p1 = ent("MoD", XREF_TYPE_GOVERNMENT, "the defence ministry's");
	memset(&s, 0, sizeof(s));
	CHECK(xref_eval_score_entities(&s, &g1, 1, &p1, 1) == 0);
	CHECK(s.untyped.tp == 1 && s.fine.tp == 1 && s.typed.tp == 1);
	xref_gold_entity_release(&g1);
	xref_gold_entity_release(&p1);

	/* nothing on either side */
	memset(&s, 0, sizeof(s));
	CHECK(xref_eval_score_entities(&s, NULL, 0, NULL, 0) == 0);
	CHECK(s.untyped.tp == 0 && s.untyped.fp == 0 && s.untyped.fn == 0);
}

static void test_json_pull(void)
{
	const char *s = " [1, [2, {\"a\": [3, true]}], \"x\\u00e9\", {}] ";
	struct xref_jp p;
	struct xref_buf b = XREF_BUF_INIT;
	bool more = true;
	size_t n = 0;
	int r = 0;

	xref_jp_init(&p, s, strlen(s));
	CHECK(xref_jp_peek(&p) == XREF_JP_ARRAY);
	CHECK(xref_jp_array_begin(&p) == 0);
	for (size_t i = 0; !r; i++) {
		r = xref_jp_array_next(&p, i, &more);
		if (r || !more)
			break;
		if (xref_jp_peek(&p) == XREF_JP_STRING)
			r = xref_jp_string(&p, &b);
		else
			r = xref_jp_skip(&p, 1);
		n++;
	}
	CHECK(r == 0 && n == 4);
	CHECK_STR(xref_buf_cstr(&b), "x\xc3\xa9");
	xref_jp_ws(&p);
	CHECK(p.pos == p.len);

	s = "[1 2]";
	xref_jp_init(&p, s, strlen(s));
	CHECK(xref_jp_array_begin(&p) == 0);
	CHECK(xref_jp_array_next(&p, 0, &more) == 0 && more);
	CHECK(xref_jp_skip(&p, 1) == 0);
	CHECK(xref_jp_array_next(&p, 1, &more) == XREF_JP_SYNTAX);
	CHECK_STR(p.err, "expected ',' or ']'");
	CHECK(p.err_col == 4);

	s = "{\"k\": 1";
	xref_jp_init(&p, s, strlen(s));
	CHECK(xref_jp_object_begin(&p) == 0);
	CHECK(xref_jp_object_next(&p, 0, &b, &more) == 0 && more);
	CHECK_STR(xref_buf_cstr(&b), "k");
	xref_buf_clear(&b);
	CHECK(xref_jp_number(&p, &b) == 0);
	CHECK_STR(xref_buf_cstr(&b), "1");
	CHECK(xref_jp_object_next(&p, 1, NULL, &more) == XREF_JP_SYNTAX);
	CHECK_STR(p.err, "unexpected end of line");
	xref_buf_release(&b);
}

/* The recogniser on CoNLL text: a watchlisted name inside a hyphenated
 * token covers the whole token; a target is dropped; a span equal to
 * MISC is ignored; a country is LOC. */
static void test_conll_with_recognizer(void)
{
	static const char wl[] = "Zorvex Dynamics\tcompany\tZorvex\n"
				 "Quillmark Suite\tcompany\n";
	struct xref_recognizer *r = NULL;
	struct xref_conll c;
	struct xref_eval_spans preds = { 0 };
	struct xref_eval_scores s;

	CHECK(xref_recognizer_new(&r) == 0);
	CHECK(xref_recognizer_add_watchlist_buffer(r, wl, strlen(wl), "w.tsv") == 0);
	CHECK(parse_conll(&c,
		"-DOCSTART- O\n\n"
		"Zorvex I-ORG\nDynamics I-ORG\nsold O\nQuillmark I-MISC\n"
		"Suite I-MISC\nto O\njournalists O\nin O\nFrance I-LOC\n. O\n\n"
		"a O\nZorvex-owned I-ORG\nfirm O\n. O\n") == 0);
	CHECK(xref_eval_conll(&s, &preds, r, &c) == 0);
	CHECK(s.documents == 1 && s.sentences == 2 && s.tokens == 14);
	CHECK(s.gold == 3);
	CHECK(s.ignored == 1);
	CHECK(s.typed.tp == 3 && s.typed.fp == 0 && s.typed.fn == 0);
	CHECK(preds.n == 4);
	if (preds.n == 4) {
		CHECK(preds.v[0].begin == 0 && preds.v[0].end == 2);
		CHECK_STR(preds.v[1].label, "MISC");
		CHECK(preds.v[2].begin == 8 && preds.v[2].cls == XREF_GOLD_LOC);
		CHECK(preds.v[3].begin == 11 && preds.v[3].end == 12);
	}
	xref_eval_spans_release(&preds);
	xref_conll_release(&c);

	/* JSON Lines through the recogniser: predicted aliases are the other
	 * surface forms */
	{
		struct xref_gold_docs g = { 0 }, p = { 0 };

		CHECK(parse_jsonl(&g,
			"{\"id\": \"d1\", \"text\": \"Zorvex Dynamics opened an office in France. Zorvex said so.\","
			" \"entities\": [{\"name\": \"Zorvex Dynamics\", \"type\": \"company\", \"aliases\": [\"Zorvex\"]},"
			" {\"name\": \"France\", \"type\": \"country\"}]}\n") == 0);
		CHECK(xref_eval_jsonl(&s, &p, r, &g) == 0);
		CHECK(s.jsonl && s.documents == 1);
		CHECK(s.typed.tp == 2 && s.typed.fp == 0 && s.typed.fn == 0);
		CHECK(p.n == 1 && p.v[0].n_ents == 2);
		if (p.n == 1 && p.v[0].n_ents == 2) {
			CHECK_STR(p.v[0].id, "d1");
			CHECK_STR(p.v[0].ents[0].name, "Zorvex Dynamics");
			CHECK(p.v[0].ents[0].n_aliases == 1);
			CHECK_STR(p.v[0].ents[0].aliases[0], "Zorvex");
			CHECK(p.v[0].ents[1].type == XREF_TYPE_COUNTRY);
		}
		xref_gold_docs_release(&p);
		xref_gold_docs_release(&g);
	}
	xref_recognizer_free(r);
}

/* Mutated inputs never crash a gold reader (run under the sanitizers):
 * each is accepted or refused with XREF_EDATA. A fixed seed keeps the run
 * reproducible. */
static void test_mutations(void)
{
	static const char *const seeds[] = {
		"-DOCSTART- O\n\nAnn B-PER\nLee I-PER\n\nRome I-LOC\n",
		"{\"id\": \"a\", \"text\": \"Ann \\u00e9\", \"entities\": "
		"[{\"name\": \"Ann\", \"type\": \"person\", \"aliases\": [\"A\"]}]}\n",
	};
	static const char bytes[] = "{}[]\",:\\ \n\tOBI-\xff" "\x01" "ae0";
	uint32_t x = 12345;
	bool all_ok = true;

	for (int round = 0; round < 2000; round++) {
		const char *seed = seeds[round % 2];
		size_t n = strlen(seed);
		char buf[256];
		int r;

		memcpy(buf, seed, n);
		for (int k = 0; k < 3; k++) {
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % n] = bytes[(x >> 20) % (sizeof(bytes) - 1)];
		}
		if (round % 2 == 0) {
			struct xref_conll c;

			r = xref_conll_parse(&c, buf, n, "m.conll");
			xref_conll_release(&c);
		} else {
			struct xref_gold_docs d = { 0 };

			r = xref_gold_jsonl_parse(&d, buf, n, "m.jsonl");
			xref_gold_docs_release(&d);
		}
		if (r != 0 && r != XREF_EDATA)
			all_ok = false;
	}
	CHECK(all_ok);
}

int main(void)
{
	test_conll_schemes();
	test_conll_documents();
	test_conll_errors();
	test_map_span();
	test_score_spans();
	test_jsonl_gold();
	test_normalize();
	test_score_entities();
	test_json_pull();
	test_conll_with_recognizer();
	test_mutations();
	return tap_done();
}
