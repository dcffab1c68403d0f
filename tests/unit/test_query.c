/*
 * Unit tests for the investigation queries (graph/query.c): date ranges,
 * entity lookup, entity lists, evidence, paths and ego networks, on case
 * files built from hand-written documents. Paths are also checked against
 * a brute-force enumeration of every simple path in random graphs.
 *
 * Documents are written in a small markup: "[surface|key|type]" is a
 * mention (name = surface, rule "exact"), "[surface|key|type|name|rule]"
 * names both; sentences end at ". ", paragraphs at a blank line.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph/case.h"
#include "graph/graph.h"
#include "graph/graph_internal.h"
#include "graph/query.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

static char dir[64];

static const char *path_in_dir(const char *name)
{
	static char buf[4][128];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* ---- documents from markup ---- */

struct input {
	struct xref_doc doc;
	struct xref_segmentation seg;
	struct xref_mentions m;
};

static const char *static_rule(const char *s, size_t n)
{
	static const char *const rules[] = {"exact", "short-form", "demonym",
	                                    "watchlist", "acronym"};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strlen(rules[i]) == n && strncmp(rules[i], s, n) == 0)
			return rules[i];
	return "exact";
}

static void segment(struct input *in)
{
	const char *t = in->doc.text;
	size_t len = in->doc.text_len, p = 0;

	in->seg.sentences = calloc(256, sizeof(*in->seg.sentences));
	in->seg.paragraphs = calloc(64, sizeof(*in->seg.paragraphs));
	while (p < len) {
		const char *pe = strstr(t + p, "\n\n");
		size_t pend = pe ? (size_t)(pe - t) : len, s = p;
		struct xref_paragraph *para =
		    &in->seg.paragraphs[in->seg.n_paragraphs];

		para->start = p;
		para->end = pend;
		para->sent_begin = in->seg.n_sentences;
		while (s < pend) {
			struct xref_sentence *sent =
			    &in->seg.sentences[in->seg.n_sentences++];
			size_t e = s;

			while (e < pend && !(t[e] == '.' && (e + 1 == pend ||
			                                     t[e + 1] == ' ')))
				e++;
			if (e < pend)
				e++;
			sent->start = s;
			sent->end = e;
			sent->paragraph = in->seg.n_paragraphs;
			s = e;
			while (s < pend && t[s] == ' ')
				s++;
		}
		para->sent_end = in->seg.n_sentences;
		in->seg.n_paragraphs++;
		p = pend;
		while (p < len && t[p] == '\n')
			p++;
	}
}

static void input_markup(struct input *in, const char *id, const char *date,
                         const char *markup)
{
	size_t cap = strlen(markup) + 1, n = 0;
	char *text = malloc(cap);

	memset(in, 0, sizeof(*in));
	in->m.cap = 64;
	in->m.v = calloc(in->m.cap, sizeof(*in->m.v));
	for (const char *p = markup; *p;) {
		const char *f[5], *end;
		size_t fl[5], k = 0;
		struct xref_mention *mm;

		if (*p != '[') {
			text[n++] = *p++;
			continue;
		}
		end = strchr(p, ']');
		f[0] = p + 1;
		for (const char *q = p + 1; q <= end && k < 5; q++) {
			if (*q == '|' || q == end) {
				fl[k] = (size_t)(q - f[k]);
				k++;
				if (k < 5)
					f[k] = q + 1;
			}
		}
		mm = &in->m.v[in->m.n++];
		mm->start = n;
		memcpy(text + n, f[0], fl[0]);
		n += fl[0];
		mm->end = n;
		mm->key = xref_mentions_store(&in->m, f[1], fl[1]);
		{
			char tn[32];

			snprintf(tn, sizeof(tn), "%.*s", (int)fl[2], f[2]);
			if (xref_type_parse(&mm->type, tn) < 0)
				mm->type = XREF_TYPE_PERSON;
		}
		mm->name = k > 3 ? xref_mentions_store(&in->m, f[3], fl[3])
			 : xref_mentions_store(&in->m, f[0], fl[0]);
		mm->rule = k > 4 ? static_rule(f[4], fl[4]) : "exact";
		p = end + 1;
	}
	text[n] = '\0';
	in->doc.id = strdup(id);
	in->doc.title = strdup(id);
	in->doc.url = NULL;
	in->doc.date = date ? strdup(date) : NULL;
	in->doc.source = strdup("test");
	in->doc.text = text;
	in->doc.text_len = n;
	segment(in);
	for (size_t i = 0; i < in->m.n; i++)
		for (size_t s = 0; s < in->seg.n_sentences; s++)
			if (in->seg.sentences[s].start <= in->m.v[i].start &&
			    in->m.v[i].start < in->seg.sentences[s].end)
				in->m.v[i].sentence = s;
}

static void input_release(struct input *in)
{
	free(in->doc.id);
	free(in->doc.title);
	free(in->doc.date);
	free(in->doc.source);
	free(in->doc.text);
	free(in->seg.sentences);
	free(in->seg.paragraphs);
	xref_mentions_release(&in->m);
}

struct spec {
	const char *id, *date, *markup;
};

/* Creates case `name` from docs[0..n) in one batch; NULL on failure. */
static struct xref_case *make_case(const char *name, const struct spec *docs,
                                   size_t n)
{
	const char *path = path_in_dir(name);
	struct xref_case *c = NULL;
	int ok = 1;

	unlink(path);
	if (xref_case_open(&c, path, XREF_CASE_CREATE, XREF_WINDOW_SENTENCE))
		return NULL;
	ok = xref_case_begin(c) == 0;
	for (size_t i = 0; ok && i < n; i++) {
		struct input in;

		input_markup(&in, docs[i].id, docs[i].date, docs[i].markup);
		ok = xref_case_add_document(c, &in.doc, &in.seg, &in.m, NULL) ==
		     0;
		input_release(&in);
	}
	ok = ok && xref_case_commit(c) == 0;
	if (!ok) {
		printf("# make_case: %s\n", xref_error_last());
		xref_case_free(c);
		return NULL;
	}
	return c;
}

/* The id of the entity with this key (0 when absent). */
static long long id_of(struct xref_case *c, const char *key)
{
	struct xref_entity e;
	struct xref_entities cands;
	char uid[17];
	long long id = 0;

	xref_entity_uid(uid, key);
	if (xref_query_lookup(&e, &cands, c, uid) == 0)
		id = e.id;
	xref_entity_release(&e);
	xref_entities_release(&cands);
	return id;
}

/* ---- dates ---- */

static void test_dates(void)
{
	struct xref_date_range r;

	CHECK(xref_date_range_init(&r, NULL, NULL) == 0);
	CHECK(!xref_date_range_is_set(&r));
	CHECK(!xref_date_range_is_set(NULL));
	CHECK(xref_date_range_has(&r, NULL));
	CHECK(xref_date_range_has(NULL, "2021"));

	CHECK(xref_date_range_init(&r, "2021-07", NULL) == 0);
	CHECK_STR(r.lo, "2021-07-00");
	CHECK_STR(r.hi, "");
	CHECK(xref_date_range_is_set(&r));
	CHECK(xref_date_range_has(&r, "2021-07-01"));
	CHECK(xref_date_range_has(&r, "2021-07"));
	CHECK(xref_date_range_has(&r, "2021")); /* the year meets July */
	CHECK(xref_date_range_has(&r, "2022-01-01"));
	CHECK(!xref_date_range_has(&r, "2021-06-30"));
	CHECK(!xref_date_range_has(&r, "2021-06"));
	CHECK(!xref_date_range_has(&r, "2020"));
	CHECK(!xref_date_range_has(&r, NULL)); /* undated: outside */

	CHECK(xref_date_range_init(&r, NULL, "2021") == 0);
	CHECK_STR(r.hi, "2021-99-99");
	CHECK(xref_date_range_has(&r, "2021-12-31"));
	CHECK(!xref_date_range_has(&r, "2022"));

	CHECK(xref_date_range_init(&r, "2021-07-15", "2021-07-15") == 0);
	CHECK(xref_date_range_has(&r, "2021-07-15"));
	CHECK(xref_date_range_has(&r, "2021-07"));
	CHECK(!xref_date_range_has(&r, "2021-07-16"));

	CHECK(xref_date_range_init(&r, "2021-08", "2021-07") == XREF_EINVAL);
	CHECK(strstr(xref_error_last(), "empty date range") != NULL);
	CHECK(!xref_date_range_is_set(&r));
	CHECK(xref_date_range_init(&r, "2021-13", NULL) == XREF_EINVAL);
	CHECK(xref_date_range_init(&r, "21-07-01", NULL) == XREF_EINVAL);
	CHECK(xref_date_range_init(&r, "2021-07-32", NULL) == XREF_EINVAL);
	CHECK(xref_date_range_init(&r, NULL, "2021/07/01") == XREF_EINVAL);
	CHECK(xref_date_range_init(&r, "", NULL) == XREF_EINVAL);
}

/* ---- the story case ---- */

static const struct spec story[] = {
    {"a", "2021-07-18",
     "[NSO Group|nso|company] sold Pegasus to [Mexico|mexico|country]. "
     "[Mexico|mexico|country] targeted [journalists|journalists|target]. "
     "[NSO|nso|company|NSO Group|short-form] denied it and "
     "[NSO|nso|company|NSO Group|short-form] said [Mexico|mexico|country] "
     "lied."},
    {"b", "2020-01",
     "[Mexican|mexico|country|Mexico|demonym] officials met "
     "[NSO Group|nso|company]. [Citizen Lab|citizen lab|"
     "organization] examined the phones."},
    {"c", NULL,
     "[NSO Group|nso|company] and [Mexico|mexico|country] again. "
     "[The Guardian|guardian|media] reported on "
     "[Citizen Lab|citizen lab|organization]."},
    {"d", "2022",
     "[Seán Ó Cearbhaill|sean o cearbhaill|person] met "
     "[journalists|journalists|target]. "
     "[Pegasus|pegasus tool|organization] hit "
     "[journalists|journalists|target]."},
    {"e", "2023-05-02",
     "[Pegasus|pegasus project|organization] named "
     "[Mexico|mexico|country]. "
     "[Pegasus Project|pegasus project|organization] "
     "named [Mexico|mexico|country] again."},
};

#define N_STORY (sizeof(story) / sizeof(story[0]))

static void test_lookup(struct xref_case *c)
{
	struct xref_entity e;
	struct xref_entities cands;
	char uid[17], upper[17];

	CHECK(xref_query_lookup(&e, &cands, c, "NSO Group") == 0);
	CHECK_STR(e.name, "NSO Group");
	CHECK(e.type == XREF_TYPE_COMPANY);
	CHECK(e.mentions == 5);
	CHECK(e.documents == 3);
	CHECK(cands.n == 0);
	xref_entity_release(&e);
	xref_entities_release(&cands);

	/* folded: case, diacritics, a leading "the", punctuation */
	CHECK(xref_query_lookup(&e, &cands, c, "nso  group") == 0);
	CHECK_STR(e.name, "NSO Group");
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "sean o. cearbhaill") == 0);
	CHECK_STR(e.name, "Seán Ó Cearbhaill");
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "SEÁN Ó CEARBHAILL") == 0);
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "Guardian") == 0);
	CHECK_STR(e.name, "The Guardian");
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "the guardian") == 0);
	CHECK_STR(e.name, "The Guardian");
	xref_entity_release(&e);
	/* an alias (a surface form) */
	CHECK(xref_query_lookup(&e, &cands, c, "Mexican") == 0);
	CHECK_STR(e.name, "Mexico");
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "nso") == 0); /* the key */
	CHECK_STR(e.name, "NSO Group");
	xref_entity_release(&e);
	/* the uid, any case */
	xref_entity_uid(uid, "mexico");
	for (int i = 0; i < 17; i++)
		upper[i] =
		    (char)(uid[i] >= 'a' && uid[i] <= 'f' ? uid[i] - 'a' + 'A'
		                                          : uid[i]);
	CHECK(xref_query_lookup(&e, &cands, c, upper) == 0);
	CHECK_STR(e.uid, uid);
	CHECK_STR(e.name, "Mexico");
	xref_entity_release(&e);

	/* a name before an alias: "Pegasus" is the name of one entity and
	 * an alias of another (named "Pegasus Project" by the vote) */
	xref_entity_uid(uid, "pegasus tool");
	CHECK(xref_query_lookup(&e, &cands, c, "Pegasus") == 0);
	CHECK_STR(e.uid, uid);
	xref_entity_release(&e);
	CHECK(xref_query_lookup(&e, &cands, c, "pegasus project") == 0);
	CHECK_STR(e.name, "Pegasus Project");
	xref_entity_release(&e);
	xref_entities_release(&cands);

	/* not found: the closest, nearest first */
	CHECK(xref_query_lookup(&e, &cands, c, "NSO Grop") == XREF_ENOTFOUND);
	CHECK(strstr(xref_error_last(), "'NSO Grop'") != NULL);
	CHECK(cands.n >= 1);
	CHECK(cands.n >= 1 && strcmp(cands.v[0].name, "NSO Group") == 0);
	CHECK(e.name == NULL);
	xref_entities_release(&cands);
	CHECK(xref_query_lookup(&e, &cands, c, "citizen") == XREF_ENOTFOUND);
	CHECK(cands.n == 1 && strcmp(cands.v[0].name, "Citizen Lab") == 0);
	xref_entities_release(&cands);
	CHECK(xref_query_lookup(&e, &cands, c, "Lab") == XREF_ENOTFOUND);
	CHECK(cands.n == 1 && strcmp(cands.v[0].name, "Citizen Lab") == 0);
	xref_entities_release(&cands);
	CHECK(xref_query_lookup(&e, &cands, c, "Mexcio") == XREF_ENOTFOUND);
	CHECK(cands.n >= 1 && strcmp(cands.v[0].name, "Mexico") == 0);
	xref_entities_release(&cands);
	CHECK(xref_query_lookup(&e, &cands, c, "zzzzzzzz") == XREF_ENOTFOUND);
	CHECK(cands.n == 0 && cands.v == NULL);
	xref_entities_release(&cands);
	CHECK(xref_query_lookup(&e, &cands, c, "!!!") == XREF_ENOTFOUND);
	xref_entities_release(&cands);
	/* at most five of the seven whose forms contain an "a" */
	CHECK(xref_query_lookup(&e, &cands, c, "a") == XREF_ENOTFOUND);
	CHECK(cands.n == XREF_QUERY_CANDIDATES);
	CHECK(cands.total == 7);
	xref_entities_release(&cands);
}

static void test_ambiguous(void)
{
	static const struct spec docs[] = {
	    {"x", "2021",
	     "[Apollo|apollo one|company] met "
	     "[Apollo|apollo two|person] and "
	     "[Apollo|apollo two|person]. [Zed|zed|person] met "
	     "[Apollo|apollo one|company]."},
	};
	struct xref_case *c = make_case("ambiguous.db", docs, 1);
	struct xref_entity e;
	struct xref_entities cands;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(xref_query_lookup(&e, &cands, c, "apollo") == XREF_EAMBIGUOUS);
	CHECK(strstr(xref_error_last(), "names 2 entities") != NULL);
	CHECK(cands.n == 2 && cands.total == 2);
	/* both have 2 mentions: then by name, then by uid */
	CHECK(cands.n == 2 && strcmp(cands.v[0].uid, cands.v[1].uid) < 0);
	CHECK(e.name == NULL);
	xref_entities_release(&cands);
	/* the key decides */
	CHECK(xref_query_lookup(&e, &cands, c, "Apollo Two") == 0);
	CHECK(e.type == XREF_TYPE_PERSON);
	xref_entity_release(&e);
	xref_entities_release(&cands);
	xref_case_free(c);
}

static void test_entities(struct xref_case *c)
{
	struct xref_entity_filter f;
	struct xref_entities l;
	const struct xref_entity *mx = NULL;

	memset(&f, 0, sizeof(f));
	f.with_aliases = true;
	CHECK(xref_query_entities(&l, c, &f) == 0);
	CHECK(l.n == 8);
	CHECK(l.n > 0 && strcmp(l.v[0].name, "Mexico") == 0);
	for (size_t i = 1; i < l.n; i++)
		CHECK(l.v[i - 1].mentions >= l.v[i].mentions);
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.v[i].name, "Mexico") == 0)
			mx = &l.v[i];
	CHECK(mx && mx->mentions == 7 && mx->documents == 4);
	CHECK(mx && mx->first_seen && strcmp(mx->first_seen, "2020-01") == 0);
	CHECK(mx && mx->last_seen && strcmp(mx->last_seen, "2023-05-02") == 0);
	/* the name is not an alias of itself */
	CHECK(mx && mx->n_aliases == 1);
	CHECK(mx && mx->n_aliases == 1 &&
	      strcmp(mx->aliases[0].alias, "Mexican") == 0 &&
	      strcmp(mx->aliases[0].rule, "demonym") == 0 &&
	      mx->aliases[0].mentions == 1);
	xref_entities_release(&l);

	f.type_mask = 1u << XREF_TYPE_ORGANIZATION;
	f.top = 2;
	CHECK(xref_query_entities(&l, c, &f) == 0);
	CHECK(l.n == 2);
	for (size_t i = 0; i < l.n; i++)
		CHECK(l.v[i].type == XREF_TYPE_ORGANIZATION);
	xref_entities_release(&l);

	/* a date range counts its documents only; the undated "c" and "b"
	 * (2020-01) are out */
	memset(&f, 0, sizeof(f));
	f.with_aliases = true;
	CHECK(xref_date_range_init(&f.dates, "2021", NULL) == 0);
	CHECK(xref_query_entities(&l, c, &f) == 0);
	mx = NULL;
	for (size_t i = 0; i < l.n; i++) {
		CHECK(strcmp(l.v[i].name, "The Guardian") != 0);
		if (strcmp(l.v[i].name, "Mexico") == 0)
			mx = &l.v[i];
	}
	CHECK(mx && mx->mentions == 5 && mx->documents == 2);
	CHECK(mx && strcmp(mx->first_seen, "2021-07-18") == 0);
	CHECK(mx && mx->n_aliases == 0); /* "Mexican" was in 2020 */
	xref_entities_release(&l);
}

/* True when every mark of the hit covers one of the surfaces. */
static bool marks_are(const struct xref_hit *h, const char *s0, const char *s1)
{
	for (size_t i = 0; i < h->n_marks; i++) {
		const struct xref_mark *m = &h->marks[i];
		const char *t = h->ev.text + m->start;
		size_t n = m->end - m->start;
		bool hit = (strlen(s0) == n && strncmp(t, s0, n) == 0) ||
		           (s1 && strlen(s1) == n && strncmp(t, s1, n) == 0);

		if (!hit || (i && h->marks[i - 1].end > m->start))
			return false;
	}
	return h->n_marks > 0;
}

static void test_evidence(struct xref_case *c)
{
	long long nso = id_of(c, "nso"), mx = id_of(c, "mexico");
	struct xref_date_range r;
	struct xref_hits h;

	CHECK(nso > 0 && mx > 0);
	CHECK(xref_query_evidence(&h, c, nso, mx, NULL, 0) == 0);
	/* a: 2 sentences, b: 1, c (undated): 1 */
	CHECK(h.n == 4);
	if (h.n == 4) {
		CHECK_STR(h.v[0].ev.doc_id, "a");
		CHECK_STR(h.v[1].ev.doc_id, "a");
		CHECK(h.v[0].ev.start < h.v[1].ev.start);
		CHECK_STR(h.v[2].ev.doc_id, "b");
		CHECK_STR(h.v[3].ev.doc_id, "c");
		CHECK(h.v[3].ev.date == NULL);
		CHECK_STR(h.v[0].ev.text, "NSO Group sold Pegasus to Mexico.");
		CHECK(h.v[0].n_marks == 2 && h.v[0].marks[0].which == 0 &&
		      h.v[0].marks[1].which == 1);
		CHECK(marks_are(&h.v[0], "NSO Group", "Mexico"));
		/* both mentions of NSO in one sentence are marked */
		CHECK(h.v[1].n_marks == 3);
		CHECK(marks_are(&h.v[1], "NSO", "Mexico"));
		CHECK(marks_are(&h.v[2], "NSO Group", "Mexican"));
		CHECK(h.v[2].marks[0].which == 1);
		CHECK_STR(h.v[0].ev.title, "a");
	}
	xref_hits_release(&h);
	/* the order of the pair does not matter, only which is which */
	CHECK(xref_query_evidence(&h, c, mx, nso, NULL, 2) == 0);
	CHECK(h.n == 2 && h.v[0].marks[0].which == 1);
	xref_hits_release(&h);

	CHECK(xref_date_range_init(&r, NULL, "2020") == 0);
	CHECK(xref_query_evidence(&h, c, nso, mx, &r, 0) == 0);
	CHECK(h.n == 1 && strcmp(h.v[0].ev.doc_id, "b") == 0);
	xref_hits_release(&h);

	/* one entity: one hit per sentence naming it */
	CHECK(xref_query_evidence(&h, c, nso, 0, NULL, 0) == 0);
	CHECK(h.n == 4);
	if (h.n == 4) {
		CHECK_STR(h.v[0].ev.doc_id, "a");
		CHECK_STR(h.v[1].ev.text,
		          "NSO denied it and NSO said Mexico lied.");
		CHECK(h.v[1].n_marks == 2);
		CHECK(marks_are(&h.v[1], "NSO", NULL));
		CHECK_STR(h.v[3].ev.doc_id, "c");
	}
	xref_hits_release(&h);
	CHECK(xref_query_evidence(&h, c, nso, 0, NULL, 1) == 0);
	CHECK(h.n == 1);
	xref_hits_release(&h);

	CHECK(xref_query_evidence(&h, c, nso, nso, NULL, 0) == XREF_EINVAL);
	CHECK(xref_query_evidence(&h, c, 0, nso, NULL, 0) == XREF_EINVAL);
	/* no tie: no hit */
	CHECK(xref_query_evidence(&h, c, nso, id_of(c, "sean o cearbhaill"),
	                          NULL, 0) == 0);
	CHECK(h.n == 0);
	xref_hits_release(&h);
}

static void test_paths_story(struct xref_case *c)
{
	long long nso = id_of(c, "nso"), sean = id_of(c, "sean o cearbhaill");
	long long cl = id_of(c, "citizen lab");
	struct xref_date_range r;
	struct xref_paths p;

	/* NSO - Mexico (a, b, c) - journalists (a) - Seán (d): the only way */
	CHECK(xref_query_paths(&p, c, nso, sean, 3, NULL) == 0);
	CHECK(p.n == 1);
	if (p.n == 1 && p.v[0].n_nodes == 4) {
		CHECK_STR(p.v[0].nodes[0].name, "NSO Group");
		CHECK_STR(p.v[0].nodes[1].name, "Mexico");
		CHECK_STR(p.v[0].nodes[2].name, "journalists");
		CHECK_STR(p.v[0].nodes[3].name, "Seán Ó Cearbhaill");
		CHECK(p.v[0].weight == 6);
		CHECK(p.v[0].hops[0].weight == 4);
		CHECK(p.v[0].hops[0].documents == 3);
		CHECK_STR(p.v[0].hops[0].first_seen, "2020-01");
		/* the newest sentence of the tie */
		CHECK_STR(p.v[0].hops[0].evidence.ev.doc_id, "a");
		CHECK_STR(p.v[0].hops[0].evidence.ev.text,
		          "NSO Group sold Pegasus to Mexico.");
		CHECK(
		    marks_are(&p.v[0].hops[0].evidence, "NSO Group", "Mexico"));
		CHECK(p.v[0].hops[0].evidence.marks[0].which == 0);
		CHECK(marks_are(&p.v[0].hops[2].evidence, "journalists",
		                "Seán Ó Cearbhaill"));
		CHECK(p.v[0].hops[2].evidence.marks[0].which == 1);
	} else {
		CHECK(!"a path of three hops");
	}
	xref_paths_release(&p);

	/* Citizen Lab is only tied to the Guardian: not connected */
	CHECK(xref_query_paths(&p, c, cl, sean, 1, NULL) == 0);
	CHECK(p.n == 0 && p.v == NULL);
	xref_paths_release(&p);

	/* within 2022 only document d counts: no path from NSO */
	CHECK(xref_date_range_init(&r, "2022", "2022") == 0);
	CHECK(xref_query_paths(&p, c, nso, sean, 1, &r) == 0);
	CHECK(p.n == 0);
	xref_paths_release(&p);

	CHECK(xref_query_paths(&p, c, nso, nso, 1, NULL) == XREF_EINVAL);
	CHECK(xref_query_paths(&p, c, nso, sean, 0, NULL) == XREF_EINVAL);
	CHECK(xref_query_paths(&p, c, nso, 999999, 1, NULL) == XREF_EINVAL);
}

static void test_neighbors_story(struct xref_case *c)
{
	long long sean = id_of(c, "sean o cearbhaill");
	struct xref_neighbors nb;
	struct xref_date_range r;

	CHECK(xref_query_neighbors(&nb, c, sean, 1, NULL) == 0);
	CHECK(nb.n == 1);
	if (nb.n == 1) {
		CHECK_STR(nb.v[0].entity.name, "journalists");
		CHECK(nb.v[0].depth == 1 && nb.v[0].via == SIZE_MAX);
		CHECK(nb.v[0].weight == 1 && nb.v[0].documents == 1);
		CHECK_STR(nb.v[0].first_seen, "2022");
	}
	xref_neighbors_release(&nb);

	CHECK(xref_query_neighbors(&nb, c, sean, 2, NULL) == 0);
	/* journalists, then its other neighbours: Mexico and Pegasus, both
	 * weight 1 and one document, so by name */
	CHECK(nb.n == 3);
	if (nb.n == 3) {
		CHECK_STR(nb.v[1].entity.name, "Mexico");
		CHECK_STR(nb.v[2].entity.name, "Pegasus");
	}
	for (size_t i = 1; i < nb.n; i++) {
		CHECK(nb.v[i].depth == 2);
		CHECK(nb.v[i].via == 0);
	}
	xref_neighbors_release(&nb);

	CHECK(xref_date_range_init(&r, "2021", "2021") == 0);
	CHECK(xref_query_neighbors(&nb, c, sean, 3, &r) == 0);
	CHECK(nb.n == 0);
	xref_neighbors_release(&nb);
	CHECK(xref_query_neighbors(&nb, c, sean, 0, NULL) == XREF_EINVAL);
}

/* ---- paths against brute force ---- */

#define RN 8

struct rgraph {
	int w[RN][RN]; /* weight, 0: no tie */
	char uid[RN][17];
};

static unsigned long lcg(unsigned long *s)
{
	*s = (*s * 1103515245UL + 12345UL) % 2147483648UL;
	return *s >> 8;
}

struct bpath {
	int nodes[RN];
	int len; /* nodes */
	long sum;
};

static struct bpath *all_paths;
static size_t n_all, cap_all;
static const struct rgraph *cur;

static void dfs(int *stack, int depth, bool *on, int t, long sum)
{
	int v = stack[depth - 1];

	if (v == t) {
		if (n_all == cap_all) {
			cap_all = cap_all ? 2 * cap_all : 64;
			all_paths =
			    realloc(all_paths, cap_all * sizeof(*all_paths));
		}
		memcpy(all_paths[n_all].nodes, stack,
		       (size_t)depth * sizeof(int));
		all_paths[n_all].len = depth;
		all_paths[n_all].sum = sum;
		n_all++;
		return;
	}
	for (int u = 0; u < RN; u++) {
		if (!cur->w[v][u] || on[u])
			continue;
		on[u] = true;
		stack[depth] = u;
		dfs(stack, depth + 1, on, t, sum + cur->w[v][u]);
		on[u] = false;
	}
}

static int cmp_bpath(const void *pa, const void *pb)
{
	const struct bpath *a = pa, *b = pb;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->sum != b->sum)
		return a->sum > b->sum ? -1 : 1;
	for (int i = 0; i < a->len; i++) {
		int r = strcmp(cur->uid[a->nodes[i]], cur->uid[b->nodes[i]]);

		if (r)
			return r;
	}
	return 0;
}

static void test_paths_random(void)
{
	unsigned long seed = 7;
	int failures = 0, trials = 0, compared = 0;

	for (int g = 0; g < 6; g++) {
		struct rgraph rg;
		struct spec docs[RN * RN];
		char ids[RN * RN][16], texts[RN * RN][512];
		size_t nd = 0;
		struct xref_case *c;
		long long ids_e[RN];
		char name[32];

		memset(&rg, 0, sizeof(rg));
		for (int i = 0; i < RN; i++) {
			char key[8];

			snprintf(key, sizeof(key), "e%d", i);
			xref_entity_uid(rg.uid[i], key);
		}
		for (int i = 0; i < RN; i++) {
			for (int j = i + 1; j < RN; j++) {
				size_t o = 0;

				if (lcg(&seed) % 100 >= 35)
					continue;
				rg.w[i][j] = rg.w[j][i] =
				    1 + (int)(lcg(&seed) % 3);
				snprintf(ids[nd], sizeof(ids[0]), "d%d-%d", i,
				         j);
				for (int k = 0; k < rg.w[i][j]; k++)
					o += (size_t)snprintf(
					    texts[nd] + o, sizeof(texts[0]) - o,
					    "[E%d|e%d|person] met "
					    "[E%d|e%d|person]. ",
					    i, i, j, j);
				docs[nd].id = ids[nd];
				docs[nd].date = "2021";
				docs[nd].markup = texts[nd];
				nd++;
			}
		}
		/* every entity exists even without ties */
		{
			static char lone[512];
			size_t o = 0;

			for (int i = 0; i < RN; i++)
				o += (size_t)snprintf(
				    lone + o, sizeof(lone) - o,
				    "[E%d|e%d|person]. ", i, i);
			docs[nd].id = "lone";
			docs[nd].date = NULL;
			docs[nd].markup = lone;
			nd++;
		}
		snprintf(name, sizeof(name), "random%d.db", g);
		c = make_case(name, docs, nd);
		CHECK(c != NULL);
		if (!c)
			continue;
		for (int i = 0; i < RN; i++) {
			char key[8];

			snprintf(key, sizeof(key), "e%d", i);
			ids_e[i] = id_of(c, key);
		}
		cur = &rg;
		for (int s = 0; s < RN; s++) {
			for (int t = 0; t < RN; t++) {
				int stack[RN];
				bool on[RN] = {false};
				struct xref_paths p;
				size_t want;

				if (s == t)
					continue;
				n_all = 0;
				stack[0] = s;
				on[s] = true;
				dfs(stack, 1, on, t, 0);
				if (n_all > 1)
					qsort(all_paths, n_all,
					      sizeof(*all_paths), cmp_bpath);
				want = n_all < 5 ? n_all : 5;
				trials++;
				if (xref_query_paths(&p, c, ids_e[s], ids_e[t],
				                     5, NULL) != 0 ||
				    p.n != want) {
					failures++;
					printf(
					    "# graph %d, %d -> %d: %zu paths, "
					    "want %zu\n",
					    g, s, t, p.n, want);
					xref_paths_release(&p);
					continue;
				}
				for (size_t k = 0; k < p.n; k++) {
					const struct bpath *b = &all_paths[k];
					bool same =
					    p.v[k].n_nodes == (size_t)b->len &&
					    p.v[k].weight == b->sum;

					for (int i = 0; same && i < b->len; i++)
						same =
						    strcmp(
						        p.v[k].nodes[i].uid,
						        rg.uid[b->nodes[i]]) ==
						    0;
					compared++;
					if (!same) {
						failures++;
						printf("# graph %d, %d -> %d: "
						       "path %zu differs\n",
						       g, s, t, k);
					}
				}
				xref_paths_release(&p);
			}
		}
		xref_case_free(c);
	}
	printf("# %d path queries, %d paths compared\n", trials, compared);
	CHECK(compared > 500);
	CHECK(failures == 0);
	free(all_paths);
	all_paths = NULL;
	n_all = cap_all = 0;
}

/* ---- neighbours against breadth-first search ---- */

static void test_neighbors_via(void)
{
	/* a - b (3), a - c (1), b - d (1), c - d (2), d - e (1):
	 * d is reached through c (2) rather than b (1) */
	static const struct spec docs[] = {
	    {"ab", "2021",
	     "[A|a|person] met [B|b|person]. [A|a|person] met "
	     "[B|b|person]. [A|a|person] met [B|b|person]."},
	    {"ac", "2021", "[A|a|person] met [C|c|person]."},
	    {"bd", "2021", "[B|b|person] met [D|d|person]."},
	    {"cd", "2022",
	     "[C|c|person] met [D|d|person]. [C|c|person] met "
	     "[D|d|person]."},
	    {"de", "2023", "[D|d|person] met [E|e|company]."},
	};
	struct xref_case *c = make_case("via.db", docs, 5);
	struct xref_neighbors nb;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(xref_query_neighbors(&nb, c, id_of(c, "a"), 3, NULL) == 0);
	CHECK(nb.n == 4);
	if (nb.n == 4) {
		CHECK_STR(nb.v[0].entity.name, "B");
		CHECK(nb.v[0].weight == 3 && nb.v[0].depth == 1);
		CHECK_STR(nb.v[1].entity.name, "C");
		CHECK_STR(nb.v[2].entity.name, "D");
		CHECK(nb.v[2].depth == 2 && nb.v[2].weight == 2);
		CHECK(nb.v[2].via == 1);
		CHECK_STR(nb.v[2].first_seen, "2022");
		CHECK_STR(nb.v[3].entity.name, "E");
		CHECK(nb.v[3].depth == 3 && nb.v[3].via == 2);
		CHECK(nb.v[3].entity.type == XREF_TYPE_COMPANY);
	}
	xref_neighbors_release(&nb);
	/* in 2021 only, D is reached through B */
	{
		struct xref_date_range r;

		CHECK(xref_date_range_init(&r, NULL, "2021") == 0);
		CHECK(xref_query_neighbors(&nb, c, id_of(c, "a"), 5, &r) == 0);
		CHECK(nb.n == 3);
		if (nb.n == 3) {
			CHECK_STR(nb.v[2].entity.name, "D");
			CHECK(nb.v[2].via == 0 && nb.v[2].weight == 1);
		}
		xref_neighbors_release(&nb);
	}
	xref_case_free(c);
}

/* ---- loading evidence: one query per tie or one pass ---- */

static bool same_opt(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* g and h hold the same ties with the same evidence, in the same order;
 * counts the evidence of g into *n. */
static bool same_evidence(const struct xref_graph *g,
                          const struct xref_graph *h, size_t *n)
{
	const struct xref_edge *eg, *eh;
	size_t ng, nh;

	eg = xref_graph_edges(g, &ng);
	eh = xref_graph_edges(h, &nh);
	*n = 0;
	if (ng != nh)
		return false;
	for (size_t i = 0; i < ng; i++) {
		if (eg[i].n_evidence != eh[i].n_evidence)
			return false;
		*n += eg[i].n_evidence;
		for (size_t k = 0; k < eg[i].n_evidence; k++) {
			const struct xref_evidence *a = &eg[i].evidence[k];
			const struct xref_evidence *b = &eh[i].evidence[k];

			if (strcmp(a->doc_id, b->doc_id) != 0 ||
			    a->start != b->start || a->end != b->end ||
			    !same_opt(a->text, b->text) ||
			    !same_opt(a->date, b->date))
				return false;
		}
	}
	return true;
}

/* The first evidence of the tie between keys a and b is from doc. */
static bool first_doc_is(const struct xref_graph *g, const char *a,
                         const char *b, const char *doc)
{
	const struct xref_node *nodes;
	const struct xref_edge *e;
	size_t nn, ne;

	nodes = xref_graph_nodes(g, &nn);
	e = xref_graph_edges(g, &ne);
	for (size_t i = 0; i < ne; i++) {
		const char *s = nodes[e[i].source].key;
		const char *t = nodes[e[i].target].key;

		if (((strcmp(s, a) == 0 && strcmp(t, b) == 0) ||
		     (strcmp(s, b) == 0 && strcmp(t, a) == 0)) &&
		    e[i].n_evidence > 0)
			return strcmp(e[i].evidence[0].doc_id, doc) == 0;
	}
	return false;
}

/* Both ways of reading evidence rows choose the same rows, for every
 * limit per tie and with a date range; the limit keeps the newest. */
static void test_evidence_modes(struct xref_case *c)
{
	static const size_t limits[] = {0, 1, 2};
	static const char *const since[] = {NULL, "2021"};
	/* rows kept: ten windows hold two entities, seven from 2021 on */
	static const size_t expect[2][3] = {{10, 6, 8}, {7, 5, 7}};

	for (size_t d = 0; d < 2; d++) {
		for (size_t k = 0; k < 3; k++) {
			struct xref_graph_filter f;
			struct xref_graph *g = NULL, *h = NULL;
			size_t n = 0;
			bool same;

			memset(&f, 0, sizeof(f));
			f.with_evidence = true;
			f.max_evidence = limits[k];
			f.since = since[d];
			xref_graph_set_evidence_scan(0);
			CHECK(xref_graph_load(&g, c, &f) == 0);
			xref_graph_set_evidence_scan(1);
			CHECK(xref_graph_load(&h, c, &f) == 0);
			xref_graph_set_evidence_scan(-1);
			same = g && h && same_evidence(g, h, &n);
			CHECK(same);
			CHECK(n > 0);
			CHECK(n == expect[d][k]);
			if (n != expect[d][k])
				printf("# since %s, limit %zu: %zu rows\n",
				       since[d] ? since[d] : "-", limits[k], n);
			/* nso - mexico (in a twice, b, c): the newest */
			if (g && limits[k] == 1)
				CHECK(first_doc_is(g, "nso", "mexico", "a"));
			xref_graph_free(g);
			xref_graph_free(h);
		}
	}
}

static void cleanup(void)
{
	static const char *const names[] = {"story.db", "ambiguous.db",
	                                    "via.db"};
	char name[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path_in_dir(names[i]));
	for (int g = 0; g < 6; g++) {
		snprintf(name, sizeof(name), "random%d.db", g);
		unlink(path_in_dir(name));
	}
	rmdir(dir);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct xref_case *c;

	snprintf(dir, sizeof(dir), "%s/xref-query-XXXXXX",
	         tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_dates();
	c = make_case("story.db", story, N_STORY);
	CHECK(c != NULL);
	if (c) {
		test_lookup(c);
		test_entities(c);
		test_evidence(c);
		test_paths_story(c);
		test_neighbors_story(c);
		test_evidence_modes(c);
		xref_case_free(c);
	}
	test_ambiguous();
	test_paths_random();
	test_neighbors_via();
	cleanup();
	return tap_done();
}
