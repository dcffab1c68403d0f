/*
 * Unit tests for the case file (graph/case.c) and loading a graph from it
 * (xref_graph_load). Documents, segmentations and mentions are built by
 * hand here, so these tests depend on neither the segmenter nor the
 * recognizer. The database is inspected directly with SQLite.
 */
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph/case.h"
#include "graph/graph.h"
#include "graph/graph_internal.h"
#include "ingest/status.h"
#include "tests/unit/tap.h"

static char dir[64];

static char *path_in_dir(const char *name)
{
	static char buf[8][128];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* ---- hand-built input ---- */

struct input {
	struct xref_doc doc;
	struct xref_segmentation seg;
	struct xref_mentions m;
};

/* Paragraphs are separated by "\n\n", sentences end at ". ". */
static void segment(struct input *in)
{
	const char *t = in->doc.text;
	size_t len = in->doc.text_len, p = 0;

	in->seg.sentences = calloc(64, sizeof(*in->seg.sentences));
	in->seg.paragraphs = calloc(16, sizeof(*in->seg.paragraphs));
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

static int cmp_mention(const void *pa, const void *pb)
{
	const struct xref_mention *a = pa, *b = pb;

	return (a->start > b->start) - (a->start < b->start);
}

/* Adds a mention for every occurrence of `surface`. */
static void mention(struct input *in, const char *surface, const char *key,
                    const char *name, enum xref_type type, const char *rule)
{
	const char *t = in->doc.text, *hit = t;
	size_t n = strlen(surface);

	while ((hit = strstr(hit, surface)) != NULL) {
		struct xref_mention *mm;
		size_t start = (size_t)(hit - t);

		if (in->m.n == in->m.cap) {
			in->m.cap = in->m.cap ? 2 * in->m.cap : 8;
			in->m.v =
			    realloc(in->m.v, in->m.cap * sizeof(*in->m.v));
		}
		mm = &in->m.v[in->m.n++];
		mm->start = start;
		mm->end = start + n;
		mm->sentence = 0;
		for (size_t s = 0; s < in->seg.n_sentences; s++)
			if (in->seg.sentences[s].start <= start &&
			    start < in->seg.sentences[s].end)
				mm->sentence = s;
		mm->type = type;
		mm->name = xref_mentions_store(&in->m, name, strlen(name));
		mm->key = xref_mentions_store(&in->m, key, strlen(key));
		mm->rule = rule;
		hit += n;
	}
	qsort(in->m.v, in->m.n, sizeof(*in->m.v), cmp_mention);
}

static void input_init(struct input *in, const char *id, const char *date,
                       const char *text)
{
	memset(in, 0, sizeof(*in));
	in->doc.id = strdup(id);
	in->doc.title = strdup(id);
	in->doc.url = NULL;
	in->doc.date = date ? strdup(date) : NULL;
	in->doc.source = strdup("test");
	in->doc.text = strdup(text);
	in->doc.text_len = strlen(text);
	segment(in);
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
	memset(in, 0, sizeof(*in));
}

static const char TEXT_A[] =
    "NSO Group sold Pegasus to Mexico. Mexico targeted journalists.\n\n"
    "Amnesty found NSO Group spyware.";

static void doc_a(struct input *in, const char *id)
{
	input_init(in, id, "2021-07-18", TEXT_A);
	mention(in, "NSO Group", "nso", "NSO Group", XREF_TYPE_COMPANY,
	        "exact");
	mention(in, "Mexico", "mexico", "Mexico", XREF_TYPE_COUNTRY, "exact");
	mention(in, "journalists", "journalists", "journalists",
	        XREF_TYPE_TARGET, "target-noun");
	mention(in, "Amnesty", "amnesty", "Amnesty", XREF_TYPE_ORGANIZATION,
	        "exact");
}

static void doc_b(struct input *in)
{
	input_init(in, "b", "2020-01-01",
	           "Mexico bought from NSO. Citizen Lab examined it.");
	mention(in, "Mexico", "mexico", "Mexico", XREF_TYPE_COUNTRY, "exact");
	mention(in, "NSO", "nso", "NSO", XREF_TYPE_COMPANY, "short-form");
	mention(in, "Citizen Lab", "citizen lab", "Citizen Lab",
	        XREF_TYPE_ORGANIZATION, "exact");
}

static void doc_c(struct input *in, bool changed)
{
	if (!changed) {
		input_init(in, "c", NULL, "NSO Group and Mexico again.");
		mention(in, "NSO Group", "nso", "NSO Group", XREF_TYPE_COMPANY,
		        "exact");
	} else {
		input_init(in, "c", NULL, "Citizen Lab met Mexico.");
		mention(in, "Citizen Lab", "citizen lab", "Citizen Lab",
		        XREF_TYPE_ORGANIZATION, "exact");
	}
	mention(in, "Mexico", "mexico", "Mexico", XREF_TYPE_COUNTRY, "exact");
}

/* ---- direct queries ---- */

static long long q_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -999;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		printf("# query failed: %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Returns a static copy of the first column of the first row ("(null)"
 * for NULL, "(none)" without a row). */
static const char *q_str(const char *path, const char *sql)
{
	static char buf[4][256];
	static int next;
	char *out = buf[next++ % 4];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	snprintf(out, sizeof(buf[0]), "(none)");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *s = sqlite3_column_text(st, 0);

			snprintf(out, sizeof(buf[0]), "%s",
			         s ? (const char *)s : "(null)");
		}
	} else {
		printf("# query failed: %s: %s\n", sql, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static int q_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = -1;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
	sqlite3_close(db);
	return rc;
}

#define EDGE_SQL(col, a, b)                                                    \
	"SELECT e." col " FROM edges e JOIN entities s ON s.id = e.source "    \
	"JOIN entities t ON t.id = e.target WHERE (s.key = '" a                \
	"' AND t.key = '" b "') OR (s.key = '" b "' AND t.key = '" a "')"

static int add(struct xref_case *c, struct input *in, enum xref_add_result *res)
{
	return xref_case_add_document(c, &in->doc, &in->seg, &in->m, res);
}

/* ---- tests ---- */

/* Every mention and evidence row of documents a and b, by id. */
#define ROWS_AB_SQL                                                            \
	"SELECT group_concat(k, ' ') FROM (SELECT 'm' || m.id AS k FROM "      \
	"mentions m JOIN documents d ON d.id = m.document_id WHERE "           \
	"d.doc_id IN ('a', 'b') UNION ALL SELECT 'e' || e.id || ':' || "       \
	"e.source || '-' || e.target FROM evidence e JOIN documents d ON "     \
	"d.id = e.document_id WHERE d.doc_id IN ('a', 'b') ORDER BY 1)"

static void test_sentence_window(void)
{
	const char *path = path_in_dir("sentence.db");
	struct xref_case *c = NULL;
	struct xref_case_counts n;
	struct input a, b, cc;
	enum xref_add_result res = XREF_DOC_UNCHANGED;
	bool unchanged = true;
	char uid[17];
	char sql[256], rows_ab[256];

	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (!c)
		return;
	CHECK(xref_case_window(c) == XREF_WINDOW_SENTENCE);
	doc_a(&a, "a");
	doc_b(&b);
	doc_c(&cc, false);
	CHECK(add(c, &a, &res) == XREF_EINVAL); /* no batch open */
	CHECK(xref_case_document_unchanged(c, &a.doc, &unchanged) == 0);
	CHECK(!unchanged);
	CHECK(xref_case_begin(c) == 0);
	CHECK(xref_case_begin(c) == XREF_EINVAL);
	CHECK(add(c, &a, &res) == 0 && res == XREF_DOC_ADDED);
	CHECK(add(c, &b, &res) == 0 && res == XREF_DOC_ADDED);
	CHECK(add(c, &cc, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_commit(c) == XREF_EINVAL);

	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.documents == 3);
	CHECK(n.entities == 5);
	CHECK(n.mentions == 11);
	CHECK(n.evidence == 5);
	CHECK(n.edges == 3);
	CHECK(n.aliases == 6);

	/* Evidence per sentence: a has three pairs, b and c one each. */
	CHECK(q_int(path, "SELECT count(*) FROM evidence e JOIN documents d "
	                  "ON d.id = e.document_id WHERE d.doc_id = 'a'") == 3);
	CHECK_STR(
	    q_str(path,
	          "SELECT text FROM evidence_text WHERE doc_id = 'a' "
	          "AND (source_name = 'Amnesty' OR target_name = 'Amnesty')"),
	    "Amnesty found NSO Group spyware.");
	CHECK(q_int(path,
	            "SELECT count(*) FROM evidence WHERE source >= target") ==
	      0);

	CHECK(q_int(path, EDGE_SQL("weight", "nso", "mexico")) == 3);
	CHECK(q_int(path, EDGE_SQL("documents", "nso", "mexico")) == 3);
	CHECK_STR(q_str(path, EDGE_SQL("first_seen", "nso", "mexico")),
	          "2020-01-01");
	CHECK_STR(q_str(path, EDGE_SQL("last_seen", "nso", "mexico")),
	          "2021-07-18");
	CHECK(q_int(path, EDGE_SQL("weight", "mexico", "journalists")) == 1);
	CHECK_STR(q_str(path, EDGE_SQL("weight", "mexico", "citizen lab")),
	          "(none)");

	/* Entity columns derived at commit. */
	CHECK_STR(q_str(path, "SELECT name FROM entities WHERE key = 'nso'"),
	          "NSO Group");
	CHECK_STR(q_str(path, "SELECT type FROM entities WHERE key = 'nso'"),
	          "company");
	CHECK(q_int(path, "SELECT mentions FROM entities WHERE key = 'nso'") ==
	      4);
	CHECK(q_int(path, "SELECT documents FROM entities WHERE key = 'nso'") ==
	      3);
	CHECK_STR(
	    q_str(path, "SELECT first_seen FROM entities WHERE key = 'nso'"),
	    "2020-01-01");
	CHECK_STR(
	    q_str(path, "SELECT last_seen FROM entities WHERE key = 'nso'"),
	    "2021-07-18");
	xref_entity_uid(uid, "nso");
	CHECK_STR(q_str(path, "SELECT uid FROM entities WHERE key = 'nso'"),
	          uid);
	CHECK(q_int(path, "SELECT a.mentions FROM aliases a JOIN entities e "
	                  "ON e.id = a.entity_id WHERE e.key = 'nso' "
	                  "AND alias = 'NSO Group'") == 3);
	CHECK_STR(q_str(path, "SELECT rule FROM aliases a JOIN entities e "
	                      "ON e.id = a.entity_id WHERE alias = 'NSO'"),
	          "short-form");
	CHECK_STR(
	    q_str(path,
	          "SELECT surface FROM mentions WHERE rule = 'target-noun'"),
	    "journalists");

	/* Views. */
	CHECK(q_int(path, "SELECT count(*) FROM edge_names") == 3);
	CHECK_STR(
	    q_str(path, "SELECT source_type || '/' || target_type FROM "
	                "edge_names WHERE weight = 3"),
	    q_int(path, "SELECT source FROM edges WHERE weight = 3") ==
	            q_int(path, "SELECT id FROM entities WHERE key = 'nso'")
	        ? "company/country"
	        : "country/company");
	CHECK(q_int(path, "SELECT count(*) FROM evidence_text") == 5);
	CHECK_STR(
	    q_str(path, "SELECT text FROM evidence_text WHERE doc_id = 'b'"),
	    "Mexico bought from NSO.");

	/* Unchanged documents write nothing. */
	CHECK(xref_case_document_unchanged(c, &a.doc, &unchanged) == 0);
	CHECK(unchanged);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, &res) == 0 && res == XREF_DOC_UNCHANGED);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.documents == 3 && n.mentions == 11 && n.evidence == 5 &&
	      n.edges == 3 && n.entities == 5);

	/* A changed document replaces only its own rows. */
	snprintf(rows_ab, sizeof(rows_ab), "%s", q_str(path, ROWS_AB_SQL));
	input_release(&cc);
	doc_c(&cc, true);
	CHECK(xref_case_document_unchanged(c, &cc.doc, &unchanged) == 0);
	CHECK(!unchanged);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &cc, &res) == 0 && res == XREF_DOC_REPLACED);
	CHECK(xref_case_commit(c) == 0);
	CHECK(strlen(rows_ab) > 10);
	CHECK_STR(q_str(path, ROWS_AB_SQL), rows_ab);
	CHECK(q_int(path, "SELECT id FROM documents WHERE doc_id = 'c'") == 3);
	CHECK(q_int(path, EDGE_SQL("weight", "nso", "mexico")) == 2);
	CHECK(q_int(path, EDGE_SQL("documents", "nso", "mexico")) == 2);
	CHECK(q_int(path, EDGE_SQL("weight", "mexico", "citizen lab")) == 1);
	CHECK_STR(q_str(path, EDGE_SQL("first_seen", "mexico", "citizen lab")),
	          "(null)");
	CHECK(q_int(path, "SELECT mentions FROM entities WHERE key = 'nso'") ==
	      3);
	CHECK(
	    q_int(path,
	          "SELECT documents FROM entities WHERE key = 'citizen lab'") ==
	    2);
	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.documents == 3 && n.mentions == 11 && n.evidence == 5 &&
	      n.edges == 4 && n.entities == 5);

	/* The last mention of "journalists" goes: the entity, its alias
	 * and its edge go with it. */
	input_release(&a);
	input_init(&a, "a", "2021-07-19", "NSO Group sold Pegasus to Mexico.");
	mention(&a, "NSO Group", "nso", "NSO Group", XREF_TYPE_COMPANY,
	        "exact");
	mention(&a, "Mexico", "mexico", "Mexico", XREF_TYPE_COUNTRY, "exact");
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, &res) == 0 && res == XREF_DOC_REPLACED);
	CHECK(xref_case_commit(c) == 0);
	CHECK(q_int(path, "SELECT count(*) FROM entities WHERE key IN "
	                  "('journalists', 'amnesty')") == 0);
	CHECK(q_int(path, "SELECT count(*) FROM aliases WHERE alias IN "
	                  "('journalists', 'Amnesty')") == 0);
	CHECK(q_int(path, "SELECT count(*) FROM edges WHERE source NOT IN "
	                  "(SELECT id FROM entities) OR target NOT IN "
	                  "(SELECT id FROM entities)") == 0);
	CHECK_STR(q_str(path, EDGE_SQL("last_seen", "nso", "mexico")),
	          "2021-07-19");
	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.entities == 3 && n.edges == 2 && n.evidence == 3);

	/* Rollback and a failing document keep the rest intact. */
	CHECK(xref_case_begin(c) == 0);
	input_release(&b);
	doc_b(&b);
	free(b.doc.id);
	b.doc.id = strdup("b2");
	CHECK(add(c, &b, &res) == 0 && res == XREF_DOC_ADDED);
	xref_case_rollback(c);
	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.documents == 3 && n.mentions == 7);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &b, &res) == 0);
	free(cc.doc.id);
	cc.doc.id = strdup("bad");
	cc.m.v[0].end = cc.doc.text_len + 1;
	CHECK(add(c, &cc, &res) == XREF_EINVAL);
	cc.m.v[0].end = cc.m.v[0].start;
	cc.m.v[0].sentence = 7;
	CHECK(add(c, &cc, &res) == XREF_EINVAL);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_counts(c, &n) == 0);
	CHECK(n.documents == 4 && n.mentions == 10);
	CHECK(q_int(path,
	            "SELECT count(*) FROM documents WHERE doc_id = 'bad'") ==
	      0);

	snprintf(sql, sizeof(sql), "PRAGMA integrity_check");
	CHECK_STR(q_str(path, sql), "ok");
	CHECK_STR(q_str(path, "PRAGMA foreign_key_check"), "(none)");
	CHECK_STR(q_str(path, "PRAGMA journal_mode"), "delete");
	CHECK(q_int(path, "PRAGMA application_id") == 0x78726566);
	CHECK(q_int(path, "PRAGMA user_version") == 1);
	CHECK_STR(q_str(path, "SELECT value FROM meta WHERE key = 'window'"),
	          "sentence");
	CHECK_STR(q_str(path, "SELECT value FROM meta WHERE key = 'generator'"),
	          "xref");
	xref_case_free(c);
	input_release(&a);
	input_release(&b);
	input_release(&cc);
}

static void test_votes(void)
{
	const char *path = path_in_dir("votes.db");
	struct xref_case *c = NULL;
	struct input d1, d2, d3;

	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (!c)
		return;
	input_init(&d1, "v1", "2021-01-01", "Amnesty spoke.");
	mention(&d1, "Amnesty", "amnesty", "Amnesty", XREF_TYPE_MEDIA, "exact");
	input_init(&d2, "v2", "2021-01-02", "Amnesty International spoke.");
	mention(&d2, "Amnesty International", "amnesty",
	        "Amnesty International", XREF_TYPE_ORGANIZATION, "exact");
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &d1, NULL) == 0);
	CHECK(add(c, &d2, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	/* One vote each: the longer name, the earlier type in enum order. */
	CHECK_STR(q_str(path, "SELECT name FROM entities"),
	          "Amnesty International");
	CHECK_STR(q_str(path, "SELECT type FROM entities"), "organization");

	input_init(&d3, "v3", NULL, "Amnesty said. Amnesty added.");
	mention(&d3, "Amnesty", "amnesty", "Amnesty", XREF_TYPE_MEDIA, "exact");
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &d3, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK_STR(q_str(path, "SELECT name FROM entities"), "Amnesty");
	CHECK_STR(q_str(path, "SELECT type FROM entities"), "media");
	CHECK(q_int(path, "SELECT mentions FROM entities") == 4);
	CHECK(q_int(path, "SELECT documents FROM entities") == 3);
	CHECK_STR(q_str(path, "SELECT last_seen FROM entities"), "2021-01-02");
	CHECK(q_int(path, "SELECT count(*) FROM edges") == 0);
	xref_case_free(c);
	input_release(&d1);
	input_release(&d2);
	input_release(&d3);
}

static void test_windows(void)
{
	const char *ppath = path_in_dir("paragraph.db");
	const char *dpath = path_in_dir("document.db");
	struct xref_case *c = NULL;
	struct input a;
	size_t s1_start, s2_end;

	doc_a(&a, "a");
	CHECK(xref_case_open(&c, ppath, XREF_CASE_CREATE,
	                     XREF_WINDOW_PARAGRAPH) == 0);
	if (c) {
		CHECK(xref_case_begin(c) == 0);
		CHECK(add(c, &a, NULL) == 0);
		CHECK(xref_case_commit(c) == 0);
	}
	xref_case_free(c);
	c = NULL;
	CHECK(q_int(ppath, "SELECT count(*) FROM evidence") == 4);
	CHECK_STR(
	    q_str(ppath, "SELECT text FROM evidence_text WHERE "
	                 "source_name = 'Mexico' OR target_name = 'Mexico'"),
	    "NSO Group sold Pegasus to Mexico. Mexico targeted journalists.");
	/* Reopening keeps the file's own window, whatever is asked. */
	CHECK(xref_case_open(&c, ppath, 0, XREF_WINDOW_DOCUMENT) == 0);
	CHECK(c && xref_case_window(c) == XREF_WINDOW_PARAGRAPH);
	xref_case_free(c);
	c = NULL;

	CHECK(xref_case_open(&c, dpath, XREF_CASE_CREATE,
	                     XREF_WINDOW_DOCUMENT) == 0);
	if (c) {
		CHECK(xref_case_begin(c) == 0);
		CHECK(add(c, &a, NULL) == 0);
		CHECK(xref_case_commit(c) == 0);
	}
	xref_case_free(c);
	CHECK(q_int(dpath, "SELECT count(*) FROM evidence") == 6);
	CHECK(q_int(dpath, "SELECT count(*) FROM edges WHERE weight = 1") == 6);
	/* journalists (sentence 1) - Amnesty (sentence 2): from the start of
	 * one's first sentence to the end of the other's. */
	s1_start = a.seg.sentences[1].start;
	s2_end = a.seg.sentences[2].end;
	CHECK(q_int(dpath, "SELECT e.start FROM evidence e JOIN entities s ON "
	                   "s.id = e.source JOIN entities t ON t.id = e.target "
	                   "WHERE s.key IN ('journalists', 'amnesty') AND "
	                   "t.key IN ('journalists', 'amnesty')") ==
	      (long long)s1_start);
	CHECK(q_int(dpath, "SELECT e.end FROM evidence e JOIN entities s ON "
	                   "s.id = e.source JOIN entities t ON t.id = e.target "
	                   "WHERE s.key IN ('journalists', 'amnesty') AND "
	                   "t.key IN ('journalists', 'amnesty')") ==
	      (long long)s2_end);
	CHECK_STR(q_str(dpath, "SELECT text FROM evidence_text WHERE "
	                       "source_name IN ('NSO Group', 'Mexico') AND "
	                       "target_name IN ('NSO Group', 'Mexico')"),
	          "NSO Group sold Pegasus to Mexico.");
	input_release(&a);
}

static void test_open_errors(void)
{
	const char *missing = path_in_dir("missing.db");
	const char *newer = path_in_dir("newer.db");
	const char *other = path_in_dir("other.db");
	const char *text = path_in_dir("text.db");
	struct xref_case *c = NULL;
	char want[256];
	FILE *f;

	CHECK(xref_case_open(&c, missing, 0, XREF_WINDOW_SENTENCE) ==
	      XREF_ENOTFOUND);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
	         "cannot open case file '%s': No such file or directory",
	         missing);
	CHECK_STR(xref_error_last(), want);
	CHECK(access(missing, F_OK) != 0);

	CHECK(xref_case_open(&c, newer, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	xref_case_free(c);
	c = NULL;
	CHECK(q_exec(newer, "PRAGMA user_version = 2") == 0);
	CHECK(xref_case_open(&c, newer, 0, XREF_WINDOW_SENTENCE) ==
	      XREF_EVERSION);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
	         "case file '%s' was written by a newer xref (schema 2); "
	         "this one reads schema 1",
	         newer);
	CHECK_STR(xref_error_last(), want);

	CHECK(q_exec(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1)") ==
	      0);
	CHECK(xref_case_open(&c, other, 0, XREF_WINDOW_SENTENCE) == XREF_EDATA);
	snprintf(want, sizeof(want), "'%s' is not an xref case file", other);
	CHECK_STR(xref_error_last(), want);
	CHECK(xref_case_open(&c, other, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == XREF_EDATA);
	CHECK(q_int(other, "SELECT count(*) FROM sqlite_schema") == 1);

	f = fopen(text, "w");
	if (f) {
		fputs("this is not a database, just some text that is long "
		      "enough to be mistaken for a header by nobody\n",
		      f);
		fclose(f);
	}
	CHECK(xref_case_open(&c, text, 0, XREF_WINDOW_SENTENCE) == XREF_EDATA);
	CHECK(strstr(xref_error_last(), "is not an xref case file") != NULL);
	CHECK(c == NULL);

	CHECK(xref_case_open(&c, newer, XREF_CASE_CREATE | XREF_CASE_READONLY,
	                     XREF_WINDOW_SENTENCE) == XREF_EINVAL);
}

static void test_load(void)
{
	const char *path = path_in_dir("load.db");
	struct xref_case *c = NULL;
	struct xref_graph *g = NULL;
	struct xref_graph_filter f = {0};
	struct input a, b, cc, a2;
	const struct xref_node *v;
	const struct xref_edge *e;
	size_t n, ne;

	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (!c)
		return;
	doc_a(&a, "a");
	doc_a(&a2, "a2");
	free(a2.doc.date);
	a2.doc.date = strdup("2022-02-02");
	doc_b(&b);
	doc_c(&cc, false);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0);
	CHECK(add(c, &b, NULL) == 0);
	CHECK(add(c, &cc, NULL) == 0);
	CHECK(add(c, &a2, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);

	CHECK(xref_graph_load(&g, c, NULL) == 0);
	v = xref_graph_nodes(g, &n);
	e = xref_graph_edges(g, &ne);
	CHECK(n == 5);
	CHECK(ne == 3);
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(v[i - 1].uid, v[i].uid) < 0);
	for (size_t i = 0; i < ne; i++) {
		CHECK(e[i].n_evidence == 0 && e[i].evidence == NULL);
		CHECK(e[i].source < e[i].target && e[i].target < n);
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].key, "nso") != 0)
			continue;
		CHECK_STR(v[i].name, "NSO Group");
		CHECK(v[i].type == XREF_TYPE_COMPANY);
		CHECK(v[i].mentions == 6 && v[i].documents == 4);
		/* "NSO Group" equals the name: only "NSO" remains. */
		CHECK(v[i].n_aliases == 1);
		if (v[i].n_aliases == 1)
			CHECK_STR(v[i].aliases[0], "NSO");
	}
	xref_graph_free(g);
	g = NULL;

	f.with_evidence = true;
	CHECK(xref_graph_load(&g, c, &f) == 0);
	e = xref_graph_edges(g, &ne);
	for (size_t i = 0; i < ne; i++) {
		CHECK(e[i].n_evidence == (size_t)e[i].weight);
		if (e[i].weight != 4)
			continue;
		/* nso - mexico: a2 (2022), a (2021), b (2020), c (undated). */
		CHECK_STR(e[i].first_seen, "2020-01-01");
		CHECK_STR(e[i].last_seen, "2022-02-02");
		if (e[i].n_evidence == 4) {
			CHECK_STR(e[i].evidence[0].doc_id, "a2");
			CHECK_STR(e[i].evidence[1].doc_id, "a");
			CHECK_STR(e[i].evidence[2].doc_id, "b");
			CHECK_STR(e[i].evidence[3].doc_id, "c");
			CHECK(e[i].evidence[3].date == NULL);
			CHECK_STR(e[i].evidence[0].title, "a2");
			CHECK(e[i].evidence[0].url == NULL);
			CHECK_STR(e[i].evidence[0].text,
			          "NSO Group sold Pegasus to Mexico.");
			CHECK(e[i].evidence[0].start == 0);
			CHECK(e[i].evidence[0].end == 33);
			CHECK_STR(e[i].evidence[2].text,
			          "Mexico bought from NSO.");
		}
	}
	CHECK(xref_graph_compute(g, XREF_METRIC_PAGERANK) == 0);
	xref_graph_free(g);
	g = NULL;

	f.max_evidence = 1;
	f.min_weight = 2;
	CHECK(xref_graph_load(&g, c, &f) == 0);
	v = xref_graph_nodes(g, &n);
	e = xref_graph_edges(g, &ne);
	CHECK(n == 5); /* nodes without edges stay */
	CHECK(ne == 3);
	for (size_t i = 0; i < ne; i++) {
		CHECK(e[i].weight >= 2);
		CHECK(e[i].n_evidence == 1);
		CHECK(e[i].n_evidence == 1 &&
		      strcmp(e[i].evidence[0].doc_id, "a2") == 0);
	}
	xref_graph_free(g);
	g = NULL;

	f.min_weight = 3;
	f.type_mask =
	    (1u << XREF_TYPE_COMPANY) | (1u << XREF_TYPE_ORGANIZATION);
	CHECK(xref_graph_load(&g, c, &f) == 0);
	v = xref_graph_nodes(g, &n);
	e = xref_graph_edges(g, &ne);
	CHECK(n == 3); /* nso, amnesty, citizen lab */
	for (size_t i = 0; i < n; i++)
		CHECK(v[i].type == XREF_TYPE_COMPANY ||
		      v[i].type == XREF_TYPE_ORGANIZATION);
	CHECK(ne == 0); /* nso - amnesty has weight 2 */
	xref_graph_free(g);
	g = NULL;

	/* Filter first, then load the evidence of what is left. */
	CHECK(xref_graph_load(&g, c, NULL) == 0);
	CHECK(g && xref_graph_keep_top(g, XREF_METRIC_DEGREE, 2) == 0);
	CHECK(xref_graph_load_evidence(g, c, 3) == 0);
	v = xref_graph_nodes(g, &n);
	e = xref_graph_edges(g, &ne);
	CHECK(n == 2 && ne == 1);
	if (ne == 1) {
		CHECK(e[0].weight == 4);
		CHECK(e[0].n_evidence == 3);
		if (e[0].n_evidence == 3) {
			CHECK_STR(e[0].evidence[0].doc_id, "a2");
			CHECK_STR(e[0].evidence[2].doc_id, "b");
		}
	}
	CHECK(xref_graph_load_evidence(g, c, 0) == 0);
	CHECK(ne == 1 && e[0].n_evidence == 4);
	/* Nodes the case does not know get no evidence. */
	CHECK(xref_graph_add_node(g, "zz", "ZZ", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_edge(g, 0, 2, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_load_evidence(g, c, 0) == 0);
	e = xref_graph_edges(g, &ne);
	CHECK(ne == 2);
	for (size_t i = 0; i < ne; i++)
		CHECK(e[i].n_evidence == (e[i].weight == 4 ? 4u : 0u));
	xref_graph_free(g);
	xref_case_free(c);

	/* A read-only case serves queries and refuses batches. */
	CHECK(xref_case_open(&c, path, XREF_CASE_READONLY,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (c) {
		bool unchanged = false;

		CHECK(xref_case_begin(c) == XREF_EINVAL);
		CHECK(xref_case_document_unchanged(c, &b.doc, &unchanged) == 0);
		CHECK(unchanged);
		g = NULL;
		CHECK(xref_graph_load(&g, c, NULL) == 0);
		CHECK(g && xref_graph_nodes(g, &n) && n == 5);
		xref_graph_free(g);
	}
	xref_case_free(c);
	input_release(&a);
	input_release(&a2);
	input_release(&b);
	input_release(&cc);
}

/* ---- derived tables against a recount from scratch ---- */

#define TYPE_ORDER                                                             \
	"CASE type WHEN 'person' THEN 0 WHEN 'company' THEN 1 "                \
	"WHEN 'government' THEN 2 WHEN 'organization' THEN 3 "                 \
	"WHEN 'media' THEN 4 WHEN 'country' THEN 5 WHEN 'location' THEN 6 "    \
	"ELSE 7 END"

/* Pairs of queries that must return the same rows. */
static const char *const derived_checks[][2] = {
    {"SELECT id, mentions, documents, first_seen, last_seen FROM entities",
     "SELECT m.entity_id, count(*), count(DISTINCT m.document_id), "
     "min(d.date), max(d.date) FROM mentions m JOIN documents d "
     "ON d.id = m.document_id GROUP BY m.entity_id"},
    {"SELECT id, name FROM entities",
     "SELECT entity_id, name FROM (SELECT entity_id, name, row_number() "
     "OVER (PARTITION BY entity_id ORDER BY count(*) DESC, length(name) "
     "DESC, name) AS rn FROM mentions GROUP BY entity_id, name) "
     "WHERE rn = 1"},
    {"SELECT id, type FROM entities",
     "SELECT entity_id, type FROM (SELECT entity_id, type, row_number() "
     "OVER (PARTITION BY entity_id ORDER BY count(*) DESC, " TYPE_ORDER
     ") AS rn FROM mentions GROUP BY entity_id, type) WHERE rn = 1"},
    {"SELECT entity_id, alias, rule, mentions FROM aliases",
     "SELECT entity_id, surface, rule, total FROM (SELECT entity_id, "
     "surface, rule, sum(count(*)) OVER (PARTITION BY entity_id, surface) "
     "AS total, row_number() OVER (PARTITION BY entity_id, surface ORDER "
     "BY count(*) DESC, rule) AS rn FROM mentions GROUP BY entity_id, "
     "surface, rule) WHERE rn = 1"},
    {"SELECT entity_id, name, type, surface, rule, mentions "
     "FROM entity_forms",
     "SELECT entity_id, name, type, surface, rule, count(*) FROM mentions "
     "GROUP BY entity_id, name, type, surface, rule"},
    {"SELECT source, target, weight, documents, first_seen, last_seen "
     "FROM edges",
     "SELECT e.source, e.target, count(*), count(DISTINCT e.document_id), "
     "min(d.date), max(d.date) FROM evidence e JOIN documents d "
     "ON d.id = e.document_id GROUP BY e.source, e.target"},
};

/* Rows on either side of each pair that the other lacks. */
static long long mismatches(const char *path)
{
	long long total = 0;
	char sql[1024];

	for (size_t i = 0;
	     i < sizeof(derived_checks) / sizeof(derived_checks[0]); i++) {
		for (int side = 0; side < 2; side++) {
			long long n;

			snprintf(sql, sizeof(sql),
			         "SELECT count(*) FROM (%s EXCEPT %s)",
			         derived_checks[i][side],
			         derived_checks[i][1 - side]);
			n = q_int(path, sql);
			if (n != 0)
				printf("# check %zu/%d: %lld rows differ\n", i,
				       side, n);
			total += n < 0 ? 1 : n;
		}
	}
	return total;
}

static unsigned rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* A random document over eight entities with varying names, types,
 * surfaces and rules, in one or two paragraphs. */
static void random_doc(struct input *in, const char *id)
{
	static const char *const dates[] = {NULL, "2020-01-01", "2020-02-03",
	                                    "2021-05-06", "2019-12-31"};
	static const char *const rules[] = {"exact", "short-form", "acronym"};
	char text[1024];
	size_t len = 0, n_sent = 1 + rnd(5);
	const char *date = dates[rnd(5)];

	memset(in, 0, sizeof(*in));
	in->doc.id = strdup(id);
	in->doc.title = rnd(2) ? strdup(id) : NULL;
	in->doc.date = date ? strdup(date) : NULL;
	in->doc.source = strdup("random");
	in->seg.sentences = calloc(n_sent, sizeof(*in->seg.sentences));
	in->seg.paragraphs = calloc(2, sizeof(*in->seg.paragraphs));
	in->m.cap = 3 * n_sent;
	in->m.v = calloc(in->m.cap, sizeof(*in->m.v));
	for (size_t si = 0; si < n_sent; si++) {
		struct xref_sentence *sent = &in->seg.sentences[si];
		size_t k = 1 + rnd(3);

		sent->start = len;
		sent->paragraph = si * 2 >= n_sent && n_sent > 1;
		for (size_t j = 0; j < k; j++) {
			struct xref_mention *mm = &in->m.v[in->m.n++];
			unsigned e = rnd(8), form = rnd(3);
			char key[8], name[16];

			snprintf(key, sizeof(key), "e%u", e);
			snprintf(name, sizeof(name), form ? "Entity %u" : "E%u",
			         e);
			mm->start = len;
			len +=
			    (size_t)snprintf(text + len, sizeof(text) - len,
			                     form == 2 ? "ENT%u" : "Ent %u", e);
			mm->end = len;
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			                        j + 1 < k ? " and " : " met.");
			mm->sentence = si;
			mm->type = (enum xref_type)(e % 3 + (rnd(4) == 0));
			mm->key = xref_mentions_store(&in->m, key, strlen(key));
			mm->name = xref_mentions_store(&in->m, name,
			                               strlen(name));
			mm->rule = rules[rnd(3)];
		}
		sent->end = len;
		if (si + 1 < n_sent)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			                        " ");
	}
	in->doc.text = strdup(text);
	in->doc.text_len = len;
	in->seg.n_sentences = n_sent;
	in->seg.n_paragraphs = n_sent > 1 ? 2 : 1;
	for (size_t pi = 0; pi < in->seg.n_paragraphs; pi++) {
		struct xref_paragraph *para = &in->seg.paragraphs[pi];

		para->sent_begin = n_sent;
		para->sent_end = 0;
		for (size_t si = 0; si < n_sent; si++) {
			if (in->seg.sentences[si].paragraph != pi)
				continue;
			if (si < para->sent_begin)
				para->sent_begin = si;
			para->sent_end = si + 1;
		}
		para->start = in->seg.sentences[para->sent_begin].start;
		para->end = in->seg.sentences[para->sent_end - 1].end;
	}
}

/* Batches of random additions, replacements (some twice in one batch),
 * unchanged re-adds and a rollback: after every commit the incremental
 * derived tables must equal a recount. */
static void test_incremental(enum xref_window w, const char *name)
{
	const char *path = path_in_dir(name);
	struct xref_case *c = NULL;
	struct input keep[10];
	bool have[10] = {false};
	long long bad = 0;

	rnd_state = 42u + (unsigned)w;
	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE, w) == 0);
	if (!c)
		return;
	for (int batch = 0; batch < 12; batch++) {
		CHECK(xref_case_begin(c) == 0);
		for (int k = 0; k < 6; k++) {
			unsigned d = rnd(10);
			char id[8];
			enum xref_add_result res;

			snprintf(id, sizeof(id), "r%u", d);
			if (have[d] && rnd(3) == 0) {
				CHECK(add(c, &keep[d], &res) == 0);
				CHECK(res == XREF_DOC_UNCHANGED);
				continue;
			}
			if (have[d])
				input_release(&keep[d]);
			random_doc(&keep[d], id);
			have[d] = true;
			CHECK(add(c, &keep[d], &res) == 0);
		}
		if (batch == 5) {
			xref_case_rollback(c);
			/* Forget what the rollback undid. */
			for (int d = 0; d < 10; d++) {
				if (have[d])
					input_release(&keep[d]);
				have[d] = false;
			}
		} else {
			CHECK(xref_case_commit(c) == 0);
		}
		bad += mismatches(path);
	}
	CHECK(bad == 0);
	CHECK(q_int(path, "SELECT count(*) FROM entities") > 3);
	CHECK(q_int(path, "SELECT count(*) FROM edges") > 3);
	CHECK_STR(q_str(path, "PRAGMA integrity_check"), "ok");
	CHECK_STR(q_str(path, "PRAGMA foreign_key_check"), "(none)");
	xref_case_free(c);
	for (int d = 0; d < 10; d++)
		if (have[d])
			input_release(&keep[d]);
}

static void test_names(void)
{
	enum xref_window w;

	for (int i = 0; i <= XREF_WINDOW_DOCUMENT; i++) {
		CHECK(xref_window_parse(
		          &w, xref_window_name((enum xref_window)i)) == 0);
		CHECK(w == (enum xref_window)i);
	}
	CHECK_STR(xref_window_name(XREF_WINDOW_PARAGRAPH), "paragraph");
	CHECK(xref_window_parse(&w, "page") == XREF_EINVAL);
}

/* ---- recovery, views, empty files ---- */

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = NULL;
	char buf[8192];
	size_t n;
	int rc = -1;

	if (!in)
		return -1;
	out = fopen(to, "wb");
	if (!out)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			goto out;
	rc = ferror(in) ? -1 : 0;
out:
	if (out && fclose(out) != 0)
		rc = -1;
	fclose(in);
	return rc;
}

/*
 * A writer killed in the middle of a batch leaves a journal whose pages
 * must be put back before the file can be read: a crash is simulated by
 * copying the file and its journal while a big transaction is open (its
 * pages already spilled into the file). A read-only open must recover the
 * committed state, not fail.
 */
static void test_hot_journal(void)
{
	const char *path = path_in_dir("hot.db");
	const char *copy = path_in_dir("hot-copy.db");
	char journal[160], copy_journal[160];
	struct xref_case *c = NULL;
	struct xref_case_counts n;
	struct input a;
	sqlite3 *db = NULL, *raw = NULL;
	int rc;

	snprintf(journal, sizeof(journal), "%s-journal", path);
	snprintf(copy_journal, sizeof(copy_journal), "%s-journal", copy);
	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (!c)
		return;
	doc_a(&a, "a");
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	input_release(&a);
	xref_case_free(c);
	c = NULL;

	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db,
	                   "PRAGMA cache_size = 10; BEGIN;"
	                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	                   "SELECT i + 1 FROM n WHERE i < 4000) "
	                   "INSERT INTO meta SELECT 'k' || i, "
	                   "printf('%.1000c', 'x') FROM n;"
	                   "UPDATE documents SET title = 'lost';",
	                   NULL, NULL, NULL) == SQLITE_OK);
	CHECK(copy_file(path, copy) == 0);
	CHECK(copy_file(journal, copy_journal) == 0);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);

	/* the copy is a crashed file: plain read-only SQLite refuses it */
	CHECK(sqlite3_open_v2(copy, &raw, SQLITE_OPEN_READONLY, NULL) ==
	      SQLITE_OK);
	sqlite3_extended_result_codes(raw, 1);
	rc = sqlite3_exec(raw, "SELECT count(*) FROM meta", NULL, NULL, NULL);
	CHECK(rc == SQLITE_READONLY_ROLLBACK);
	sqlite3_close(raw);

	CHECK(xref_case_open(&c, copy, XREF_CASE_READONLY,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (c) {
		CHECK(xref_case_counts(c, &n) == 0);
		CHECK(n.documents == 1 && n.mentions == 6);
		xref_case_free(c);
		c = NULL;
	}
	CHECK(access(copy_journal, F_OK) != 0);
	CHECK_STR(q_str(copy, "PRAGMA integrity_check"), "ok");
	CHECK(q_int(copy, "SELECT count(*) FROM meta") == 3);
	CHECK_STR(q_str(copy, "SELECT title FROM documents"), "a");
}

static void test_views(void)
{
	const char *path = path_in_dir("views.db");
	struct xref_case *c = NULL;
	struct input a, b;

	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	if (!c)
		return;
	doc_a(&a, "a");
	doc_b(&b);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0);
	CHECK(add(c, &b, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	xref_case_free(c);
	c = NULL;
	CHECK(q_int(path, "SELECT count(*) FROM entity_aliases") ==
	      q_int(path, "SELECT count(*) FROM aliases"));
	CHECK_STR(q_str(path, "SELECT group_concat(alias || ':' || rule, ' ') "
	                      "FROM (SELECT alias, rule FROM entity_aliases "
	                      "WHERE name = 'NSO Group' ORDER BY alias)"),
	          "NSO:short-form NSO Group:exact");
	CHECK(q_int(path, "SELECT count(*) FROM mention_text") == 9);
	CHECK_STR(q_str(path, "SELECT doc_id || ' ' || surface || ' ' || "
	                      "entity_name || ' ' || rule || ' ' || date "
	                      "FROM mention_text WHERE surface = 'NSO'"),
	          "b NSO NSO Group short-form 2020-01-01");
	CHECK_STR(q_str(path, "SELECT entity_type FROM mention_text "
	                      "WHERE surface = 'journalists'"),
	          "target");

	/* a case from before a view existed gains it when opened for
	 * writing, and only then */
	CHECK(q_exec(path, "DROP VIEW mention_text") == 0);
	CHECK(xref_case_open(&c, path, XREF_CASE_READONLY,
	                     XREF_WINDOW_SENTENCE) == 0);
	xref_case_free(c);
	c = NULL;
	CHECK(q_int(path, "SELECT count(*) FROM sqlite_schema "
	                  "WHERE name = 'mention_text'") == 0);
	CHECK(xref_case_open(&c, path, 0, XREF_WINDOW_SENTENCE) == 0);
	xref_case_free(c);
	CHECK(q_int(path, "SELECT count(*) FROM mention_text") == 9);
	input_release(&a);
	input_release(&b);
}

static void test_empty_file(void)
{
	const char *path = path_in_dir("empty.db");
	struct xref_case *c = NULL;
	char want[256];
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
	CHECK(xref_case_open(&c, path, XREF_CASE_READONLY,
	                     XREF_WINDOW_SENTENCE) == XREF_EDATA);
	snprintf(want, sizeof(want), "case file '%s' is empty", path);
	CHECK_STR(xref_error_last(), want);
	CHECK(c == NULL);
	/* an ingest killed before its first commit: the next one starts */
	CHECK(xref_case_open(&c, path, XREF_CASE_CREATE,
	                     XREF_WINDOW_SENTENCE) == 0);
	xref_case_free(c);
	CHECK(q_int(path, "PRAGMA user_version") == 1);
}

static void cleanup(void)
{
	static const char *const names[] = {
	    "sentence.db", "votes.db",    "paragraph.db", "document.db",
	    "newer.db",    "other.db",    "text.db",      "load.db",
	    "hot.db",      "hot-copy.db", "views.db",     "empty.db",
	    "bulk.db",     "bulk-ref.db", "shared.db",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char journal[160];

		unlink(path_in_dir(names[i]));
		snprintf(journal, sizeof(journal), "%s-journal",
		         path_in_dir(names[i]));
		unlink(journal);
	}
	rmdir(dir);
}

/* A bulk build: nothing at the path until published, the same rows as an
 * ordinary case, the temporary file gone either way, and a case that is
 * not a bulk build cannot be published. */
static void test_bulk(void)
{
	const char *path = path_in_dir("bulk.db");
	const char *ref = path_in_dir("bulk-ref.db");
	const char *sum =
	    "SELECT group_concat(x, ';') FROM (SELECT id || name || type || "
	    "mentions || documents || ifnull(first_seen, '-') AS x FROM "
	    "entities UNION ALL SELECT source || '-' || target || ':' || "
	    "weight || documents FROM edges UNION ALL SELECT entity_id || "
	    "alias || rule || mentions FROM aliases ORDER BY 1)";
	char tmp[160], want[256];
	struct xref_case *c = NULL;
	struct input a, b, cc;
	struct stat sb;

	doc_a(&a, "a");
	doc_b(&b);
	doc_c(&cc, false);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	CHECK(xref_case_open(&c, ref, XREF_CASE_CREATE, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0 && add(c, &b, NULL) == 0 &&
	      add(c, &cc, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_publish(c) == XREF_EINVAL);
	xref_case_free(c);
	snprintf(want, sizeof(want), "%s", q_str(ref, sum));

	/* abandoned: the temporary file goes, the path stays absent */
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(stat(tmp, &sb) == 0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	xref_case_free(c);
	CHECK(stat(tmp, &sb) != 0);
	CHECK(stat(path, &sb) != 0);

	/* published over an older file, in two batches */
	CHECK(q_exec(path, "CREATE TABLE old (x)") == 0);
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0 && add(c, &b, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &cc, NULL) == 0);
	CHECK(xref_case_publish(c) == XREF_EINVAL); /* a batch is open */
	CHECK(xref_case_commit(c) == 0);
	CHECK(q_int(path, "SELECT count(*) FROM old") == 0); /* untouched */
	CHECK(xref_case_publish(c) == 0);
	CHECK(stat(tmp, &sb) != 0);
	CHECK_STR(q_str(path, sum), want);
	CHECK(q_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	                  "name = 'old'") == 0);
	/* the query indexes only; the writers' ones come with a batch */
	CHECK(q_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	                  "type = 'index' AND name IN ('mentions_entity', "
	                  "'evidence_pair')") == 2);
	CHECK(q_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	                  "type = 'index' AND name IN ('mentions_document', "
	                  "'evidence_target', 'evidence_document')") == 0);
	/* the published case is an ordinary one */
	CHECK(xref_case_begin(c) == 0);
	input_release(&cc);
	doc_c(&cc, true);
	CHECK(add(c, &cc, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	xref_case_free(c);
	CHECK(q_int(path, "SELECT count(*) FROM documents") == 3);
	CHECK(q_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	                  "type = 'index' AND name IN ('mentions_document', "
	                  "'evidence_target', 'evidence_document')") == 3);

	/* finished, the case is read before it is published, and takes no
	 * more batches */
	remove(path);
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0 && add(c, &b, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_finish(c) == 0);
	CHECK(xref_case_finish(c) == 0);
	CHECK(xref_case_begin(c) == XREF_EINVAL);
	{
		struct xref_case_counts n;

		struct xref_graph_filter f;
		struct xref_graph *g = NULL;
		const struct xref_edge *e;
		size_t n_edges = 0;

		CHECK(xref_case_counts(c, &n) == 0 && n.documents == 2 &&
		      n.edges > 0);
		/* evidence is read by a scan: there is no pair index yet */
		memset(&f, 0, sizeof(f));
		f.with_evidence = true;
		CHECK(xref_graph_load(&g, c, &f) == 0);
		e = g ? xref_graph_edges(g, &n_edges) : NULL;
		CHECK(n_edges == (size_t)n.edges && e && e[0].n_evidence > 0);
		xref_graph_free(g);
	}
	CHECK(stat(path, &sb) != 0); /* not yet there */
	CHECK(xref_case_publish(c) == 0);
	xref_case_free(c);
	CHECK(q_int(path, "SELECT count(*) FROM documents") == 2);

	/* a rolled-back batch cannot be published */
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0);
	xref_case_rollback(c);
	CHECK(xref_case_publish(c) == XREF_ERROR);
	xref_case_free(c);
	CHECK(stat(tmp, &sb) != 0);
	CHECK(q_int(path, "SELECT count(*) FROM documents") == 2);
	input_release(&a);
	input_release(&b);
	input_release(&cc);
}

/* Publishing in steps: a reader opened on the finished build keeps
 * reading its snapshot while the indexes are made, sealing waits for no
 * reader but needs them gone, and the published file is one file in
 * rollback journal mode. */
static void test_bulk_reader(void)
{
	const char *path = path_in_dir("shared.db");
	struct xref_case *c = NULL, *r = NULL, *r2 = NULL;
	sqlite3_stmt *st = NULL;
	char tmp[160], side[200];
	struct input a, b;
	struct stat sb;
	long long rows = 0;
	bool stepped;

	doc_a(&a, "a");
	doc_b(&b);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_open_reader(&r, c) == XREF_EINVAL); /* not finished */
	CHECK(r == NULL);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0 && add(c, &b, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_finish(c) == 0);
	CHECK(xref_case_open_reader(&r, c) == 0 && r);
	CHECK(xref_case_open_reader(&r2, c) == 0 && r2);
	CHECK(!xref_case_indexed(r) && !xref_case_indexed(c));
	snprintf(side, sizeof(side), "%s-wal", tmp);
	CHECK(stat(side, &sb) == 0); /* WAL mode while shared */

	/* a reader in the middle of a scan while the indexes are made */
	CHECK(r && sqlite3_prepare_v2(xref_case_sqlite(r),
	                              "SELECT id FROM evidence ORDER BY id",
	                              -1, &st, NULL) == SQLITE_OK);
	stepped = st && sqlite3_step(st) == SQLITE_ROW;
	CHECK(stepped);
	rows = stepped;
	CHECK(xref_case_index(c) == 0);
	CHECK(xref_case_indexed(c));
	CHECK(xref_case_index(c) == 0); /* once */
	while (st && sqlite3_step(st) == SQLITE_ROW)
		rows++;
	sqlite3_finalize(st);
	CHECK(rows > 1 && rows == q_int(tmp, "SELECT count(*) FROM evidence"));
	/* the reader's snapshot has no indexes; a new reader's has */
	CHECK(r && !xref_case_indexed(r));
	CHECK(q_int(tmp, "SELECT count(*) FROM sqlite_schema WHERE type = "
	                 "'index' AND name IN ('mentions_entity', "
	                 "'evidence_pair')") == 2);

	/* sealing with a reader open fails, and the build with it */
	xref_case_free(r);
	r = NULL;
	CHECK(xref_case_seal(c) == XREF_ERROR);
	CHECK(xref_case_publish(c) == XREF_ERROR);
	xref_case_free(r2);
	r2 = NULL;
	xref_case_free(c);
	c = NULL;
	CHECK(stat(tmp, &sb) != 0 && stat(side, &sb) != 0);
	CHECK(stat(path, &sb) != 0);

	/* again, the readers gone before sealing */
	CHECK(xref_case_open(&c, path, XREF_CASE_BULK, XREF_WINDOW_SENTENCE) ==
	      0);
	CHECK(xref_case_begin(c) == 0);
	CHECK(add(c, &a, NULL) == 0 && add(c, &b, NULL) == 0);
	CHECK(xref_case_commit(c) == 0);
	CHECK(xref_case_finish(c) == 0);
	CHECK(xref_case_open_reader(&r, c) == 0);
	CHECK(xref_case_index(c) == 0);
	xref_case_free(r);
	r = NULL;
	CHECK(xref_case_seal(c) == 0);
	CHECK(xref_case_seal(c) == 0); /* once */
	CHECK(xref_case_open_reader(&r, c) == XREF_EINVAL); /* sealed */
	CHECK(stat(side, &sb) != 0);
	snprintf(side, sizeof(side), "%s-shm", tmp);
	CHECK(stat(side, &sb) != 0);
	CHECK(stat(path, &sb) != 0); /* not yet there */
	CHECK(xref_case_publish(c) == 0);
	CHECK(stat(tmp, &sb) != 0);
	CHECK_STR(q_str(path, "PRAGMA journal_mode"), "delete");
	CHECK(q_int(path, "SELECT count(*) FROM documents") == 2);
	CHECK_STR(q_str(path, "PRAGMA integrity_check"), "ok");
	/* and it takes batches as any case */
	CHECK(xref_case_begin(c) == 0);
	CHECK(xref_case_commit(c) == 0);
	xref_case_free(c);
	input_release(&a);
	input_release(&b);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/xref-case-XXXXXX",
	         tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_names();
	test_sentence_window();
	test_votes();
	test_windows();
	test_open_errors();
	test_load();
	test_incremental(XREF_WINDOW_SENTENCE, "inc-sentence.db");
	test_incremental(XREF_WINDOW_PARAGRAPH, "inc-paragraph.db");
	test_incremental(XREF_WINDOW_DOCUMENT, "inc-document.db");
	test_hot_journal();
	test_views();
	test_empty_file();
	test_bulk();
	test_bulk_reader();
	cleanup();
	return tap_done();
}
