/*
 * Investigation queries over the case file (graph/query.h): entity lookup,
 * entity lists, evidence, paths and ego networks.
 *
 * Lookups fold every name and alias in C (xref_utf8_fold()) rather than in
 * SQL: SQLite's own case folding knows ASCII only, and a folded column in
 * the schema would have to follow every change of the folding rules.
 *
 * Paths and ego networks run on a compact adjacency (CSR) loaded for the
 * query, with nodes in uid order so that every tie is broken the same way
 * in every run. The best path between two nodes is found exactly, with
 * integers: a breadth-first search from the target gives the distances, a
 * pass over its layers the greatest weight a shortest path can carry, and
 * a walk from the source the first path (by uid) that carries it. Yen's
 * algorithm repeats that search with nodes and ties removed to find the
 * next paths. Rejected: igraph's k shortest paths with lengths such as
 * (BIG - weight), which folds hop count and weight into one floating-point
 * number and leaves the order among equal paths to the library.
 *
 * Evidence rows come from SQL, newest first. The sentences of one entity
 * alone are found by segmenting its documents again: the case keeps the
 * sentence index of each mention, not its span, and segmentation is
 * deterministic and linear.
 */
#define _POSIX_C_SOURCE 200809L

#include "graph/query.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_internal.h"
#include "ingest/segment.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

/* ---- small helpers ---- */

static int db_error(sqlite3 *db, const char *what)
{
	return xref_error_set(XREF_ERROR, "cannot %s: %s", what,
	                      sqlite3_errmsg(db));
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st,
                   const char *what)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_error(db, what);
	}
	return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

static char *dup_len(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int enomem(void)
{
	return xref_error_set(XREF_ENOMEM, "out of memory");
}

/* Grows *p (holding *cap items of `size` bytes) to hold n items. */
static int reserve(void **p, size_t *cap, size_t n, size_t size)
{
	return xref_graph_reserve(p, cap, n, size);
}

/* ---- dates ---- */

/*
 * Documents and bounds are compared as 10-byte strings: a date padded with
 * "-00-00" gives its first possible day, with "-99-99" its last. The SQL
 * filter below does the same with substr(), so both agree on every date.
 */
static void pad_date(char out[11], const char *s, char fill)
{
	static const char tail[] = "-00-00";
	size_t n = strlen(s), i;

	for (i = 0; i < 10; i++) {
		char ch;

		if (i < n)
			ch = s[i];
		else if (i - n < sizeof(tail) - 1)
			ch = tail[i - n] == '0' ? fill : '-';
		else
			ch = '\0';
		out[i] = ch;
	}
	out[10] = '\0';
}

static bool date_is_valid(const char *s)
{
	size_t n = strlen(s);
	int m, d;

	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	if (n >= 7) {
		m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return false;
	}
	if (n == 10) {
		d = (s[8] - '0') * 10 + (s[9] - '0');
		if (d < 1 || d > 31)
			return false;
	}
	return true;
}

int xref_date_range_init(struct xref_date_range *r, const char *since,
                         const char *until)
{
	memset(r, 0, sizeof(*r));
	if (since && !date_is_valid(since))
		return xref_error_set(XREF_EINVAL, "invalid date '%s'", since);
	if (until && !date_is_valid(until))
		return xref_error_set(XREF_EINVAL, "invalid date '%s'", until);
	if (since)
		pad_date(r->lo, since, '0');
	if (until)
		pad_date(r->hi, until, '9');
	if (since && until && strcmp(r->lo, r->hi) > 0) {
		memset(r, 0, sizeof(*r));
		return xref_error_set(XREF_EINVAL,
		                      "empty date range: '%s' is after '%s'",
		                      since, until);
	}
	return 0;
}

bool xref_date_range_is_set(const struct xref_date_range *r)
{
	return r && (r->lo[0] || r->hi[0]);
}

bool xref_date_range_has(const struct xref_date_range *r, const char *date)
{
	char first[11], last[11];

	if (!xref_date_range_is_set(r))
		return true;
	if (!date)
		return false;
	pad_date(first, date, '0');
	pad_date(last, date, '9');
	return (!r->lo[0] || strcmp(last, r->lo) >= 0) &&
	       (!r->hi[0] || strcmp(first, r->hi) <= 0);
}

/* The SQL form of xref_date_range_has() for documents alias `d`, with the
 * bounds in parameters ?10 (lo) and ?11 (hi), NULL when open. */
#define DATE_OK(d)                                                             \
	"(?10 IS NULL OR substr(" d ".date || '-99-99', 1, 10) >= ?10) AND "   \
	"(?11 IS NULL OR substr(" d ".date || '-00-00', 1, 10) <= ?11)"

static void bind_dates(sqlite3_stmt *st, const struct xref_date_range *r)
{
	if (r && r->lo[0])
		sqlite3_bind_text(st, 10, r->lo, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 10);
	if (r && r->hi[0])
		sqlite3_bind_text(st, 11, r->hi, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 11);
}

/* ---- entities ---- */

void xref_entity_release(struct xref_entity *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->first_seen);
	free(e->last_seen);
	for (size_t i = 0; i < e->n_aliases; i++) {
		free(e->aliases[i].alias);
		free(e->aliases[i].rule);
	}
	free(e->aliases);
	memset(e, 0, sizeof(*e));
}

void xref_entities_release(struct xref_entities *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		xref_entity_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Columns read by read_entity(), for entities aliased `e`. */
#define ENTITY_COLS                                                            \
	"e.id, e.uid, e.name, e.type, e.mentions, e.documents, "               \
	"e.first_seen, e.last_seen"

/* Reads the 8 entity columns starting at `col`. */
static int read_entity(struct xref_entity *e, sqlite3_stmt *st, int col)
{
	const char *uid = col_text(st, col + 1);
	const char *name = col_text(st, col + 2);
	const char *type = col_text(st, col + 3);
	bool failed = false;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, col);
	if (!uid || strlen(uid) != 16 || !name || !type ||
	    xref_type_parse(&e->type, type) < 0)
		return xref_error_set(XREF_EDATA,
		                      "case file: bad entity row %lld", e->id);
	memcpy(e->uid, uid, 17);
	e->mentions = (long)sqlite3_column_int64(st, col + 4);
	e->documents = (long)sqlite3_column_int64(st, col + 5);
	e->name = dup_or_null(name, &failed);
	e->first_seen = dup_or_null(col_text(st, col + 6), &failed);
	e->last_seen = dup_or_null(col_text(st, col + 7), &failed);
	if (failed) {
		xref_entity_release(e);
		return enomem();
	}
	return 0;
}

int xref_query_entity(struct xref_entity *out, struct xref_case *c,
                      long long id)
{
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL;
	int rc, s;

	memset(out, 0, sizeof(*out));
	rc = prepare(db,
	             "SELECT " ENTITY_COLS " FROM entities e WHERE e.id = ?1",
	             &st, "read an entity");
	if (rc < 0)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		rc = read_entity(out, st, 0);
	else if (s == SQLITE_DONE)
		rc = xref_error_set(XREF_ENOTFOUND, "no entity with id %lld",
		                    id);
	else
		rc = db_error(db, "read an entity");
out:
	sqlite3_finalize(st);
	return rc;
}

static int push_entity(struct xref_entities *l, size_t *cap,
                       struct xref_entity *e)
{
	int rc = reserve((void **)&l->v, cap, l->n + 1, sizeof(*l->v));

	if (rc < 0)
		return rc;
	l->v[l->n++] = *e;
	memset(e, 0, sizeof(*e));
	return 0;
}

/* Aliases of one entity, other than its name; with a date range, counted
 * over the mentions in range (the commit's rule: an alias's rule is that
 * of its most frequent use, ties bytewise). */
static const char SQL_ALIASES[] = "SELECT alias, rule, mentions FROM aliases "
                                  "WHERE entity_id = ?1 AND alias != ?2 "
                                  "ORDER BY mentions DESC, alias";
static const char SQL_ALIASES_DATED[] =
    "SELECT surface, rule, total FROM ("
    " SELECT m.surface AS surface, m.rule AS rule,"
    "  sum(count(*)) OVER (PARTITION BY m.surface) AS total,"
    "  row_number() OVER (PARTITION BY m.surface"
    "                     ORDER BY count(*) DESC, m.rule) AS rn"
    " FROM mentions m JOIN documents d ON d.id = m.document_id"
    " WHERE m.entity_id = ?1 AND " DATE_OK(
        "d") " GROUP BY m.surface, m.rule)"
             " WHERE rn = 1 AND surface != ?2 ORDER BY total DESC, surface";

static int load_aliases(struct xref_entity *e, sqlite3 *db, sqlite3_stmt *st)
{
	size_t cap = 0;
	int rc = 0, s;

	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct xref_alias *a;
		bool failed = false;

		if (!col_text(st, 0) || !col_text(st, 1))
			continue;
		rc = reserve((void **)&e->aliases, &cap, e->n_aliases + 1,
		             sizeof(*e->aliases));
		if (rc < 0)
			goto out;
		a = &e->aliases[e->n_aliases];
		a->alias = dup_or_null(col_text(st, 0), &failed);
		a->rule = dup_or_null(col_text(st, 1), &failed);
		a->mentions = (long)sqlite3_column_int64(st, 2);
		if (failed) {
			free(a->alias);
			free(a->rule);
			rc = enomem();
			goto out;
		}
		e->n_aliases++;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read aliases");
out:
	sqlite3_reset(st);
	return rc;
}

static const char SQL_ENTITIES[] =
    "SELECT " ENTITY_COLS " FROM entities e "
    "ORDER BY e.mentions DESC, e.documents DESC, e.name, e.uid";
static const char SQL_ENTITIES_DATED[] =
    "SELECT e.id, e.uid, e.name, e.type, count(*) AS n,"
    " count(DISTINCT m.document_id) AS nd, min(d.date), max(d.date) "
    "FROM mentions m JOIN documents d ON d.id = m.document_id"
    " JOIN entities e ON e.id = m.entity_id "
    "WHERE " DATE_OK("d") " GROUP BY e.id "
                          "ORDER BY n DESC, nd DESC, e.name, e.uid";

int xref_query_entities(struct xref_entities *out, struct xref_case *c,
                        const struct xref_entity_filter *f)
{
	static const struct xref_entity_filter all = {0};
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL, *al = NULL;
	struct xref_entity e;
	bool dated;
	size_t cap = 0;
	int rc, s;

	memset(out, 0, sizeof(*out));
	memset(&e, 0, sizeof(e));
	if (!f)
		f = &all;
	dated = xref_date_range_is_set(&f->dates);
	rc = prepare(db, dated ? SQL_ENTITIES_DATED : SQL_ENTITIES, &st,
	             "read entities");
	if (rc < 0)
		goto out;
	if (f->with_aliases) {
		rc = prepare(db, dated ? SQL_ALIASES_DATED : SQL_ALIASES, &al,
		             "read aliases");
		if (rc < 0)
			goto out;
		bind_dates(al, &f->dates);
	}
	bind_dates(st, &f->dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (f->top && out->n >= f->top)
			break;
		rc = read_entity(&e, st, 0);
		if (rc < 0)
			goto out;
		if (f->type_mask && !(f->type_mask & (1u << e.type))) {
			xref_entity_release(&e);
			continue;
		}
		if (al) {
			rc = load_aliases(&e, db, al);
			if (rc < 0)
				goto out;
		}
		rc = push_entity(out, &cap, &e);
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE && s != SQLITE_ROW)
		rc = db_error(db, "read entities");
	out->total = out->n;
out:
	xref_entity_release(&e);
	sqlite3_finalize(st);
	sqlite3_finalize(al);
	return rc;
}

/* ---- lookup ---- */

/* A folded name, key or alias of one entity. */
struct lk_form {
	sqlite3_int64 id;
	char *folded;
	bool is_name; /* name or key, rather than alias */
};

struct lk_score {
	sqlite3_int64 id;
	int cls;  /* 0 prefix, 1 word prefix, 2 substring, 3 edit distance */
	int dist; /* within the class: smaller is closer */
};

/* Folds s and drops a leading "the ". *out owned by the caller; NULL when
 * s folds to nothing is not an error (an empty string is returned). */
static int fold_name(char **out, const char *s)
{
	char *f = NULL;
	int rc = xref_utf8_fold(&f, s, strlen(s));

	*out = NULL;
	if (rc < 0)
		return rc;
	if (strncmp(f, "the ", 4) == 0)
		memmove(f, f + 4, strlen(f + 4) + 1);
	*out = f;
	return 0;
}

static bool is_uid(const char *s)
{
	if (strlen(s) != 16)
		return false;
	for (size_t i = 0; i < 16; i++) {
		char ch = s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      (ch >= 'A' && ch <= 'F')))
			return false;
	}
	return true;
}

/* Optimal string alignment distance (edits and adjacent swaps) between a
 * and b, or max + 1 when it exceeds max. Strings up to 64 bytes. */
static int edit_distance(const char *a, size_t la, const char *b, size_t lb,
                         int max)
{
	int rows[3][65];
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > 64 || lb > 64)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int lo = INT_MAX;
		int *t;

		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < lo)
				lo = v;
		}
		if (lo > max)
			return max + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* How close a folded form is to the folded argument: false when not at
 * all. */
static bool closeness(const char *arg, size_t la, const char *s, int *cls,
                      int *dist)
{
	size_t ls = strlen(s);
	const char *hit;
	int max, d;

	if (la == 0 || ls == 0)
		return false;
	if (strncmp(s, arg, la) == 0) {
		*cls = 0;
		*dist = (int)(ls - la < INT_MAX ? ls - la : INT_MAX);
		return true;
	}
	hit = strstr(s, arg);
	if (hit) {
		*cls = hit[-1] == ' ' ? 1 : 2;
		if (*cls == 2) {
			/* a later occurrence may start a word */
			for (const char *p = hit; p; p = strstr(p + 1, arg)) {
				if (p[-1] == ' ') {
					*cls = 1;
					break;
				}
			}
		}
		*dist = (int)(ls - la < INT_MAX ? ls - la : INT_MAX);
		return true;
	}
	/* the form inside a longer argument ("nso group ltd" for "nso
	 * group"), when it is not a trivial fragment */
	if (ls >= 3 && ls < la && strstr(arg, s)) {
		*cls = 2;
		*dist = (int)(la - ls < INT_MAX ? la - ls : INT_MAX);
		return true;
	}
	max = la <= 4 ? 1 : la <= 8 ? 2 : 3;
	d = edit_distance(arg, la, s, ls, max);
	if (d > max)
		return false;
	*cls = 3;
	*dist = d;
	return true;
}

static int cmp_score(const void *pa, const void *pb)
{
	const struct lk_score *a = pa, *b = pb;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	return (a->dist > b->dist) - (a->dist < b->dist);
}

/* Candidate order: closest first, then most mentioned, name, uid. */
static int cmp_candidate(const struct lk_score *sa, const struct xref_entity *a,
                         const struct lk_score *sb, const struct xref_entity *b)
{
	int r;

	if (sa->cls != sb->cls)
		return sa->cls < sb->cls ? -1 : 1;
	if (sa->dist != sb->dist)
		return sa->dist < sb->dist ? -1 : 1;
	if (a->mentions != b->mentions)
		return a->mentions > b->mentions ? -1 : 1;
	r = strcmp(a->name, b->name);
	if (r)
		return r;
	return strcmp(a->uid, b->uid);
}

/* Loads the entities of scores[0..n) into *cands, keeping the best
 * XREF_QUERY_CANDIDATES by cmp_candidate(). */
static int fill_candidates(struct xref_entities *cands, struct xref_case *c,
                           const struct lk_score *scores, size_t n)
{
	struct xref_entity e, *v = NULL;
	struct lk_score *sv = NULL;
	size_t k = 0;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	cands->total = n;
	if (n == 0)
		goto out;
	v = calloc(XREF_QUERY_CANDIDATES + 1, sizeof(*v));
	sv = calloc(XREF_QUERY_CANDIDATES + 1, sizeof(*sv));
	if (!v || !sv) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		rc = xref_query_entity(&e, c, scores[i].id);
		if (rc < 0)
			goto out;
		/* insertion into the sorted top list */
		j = k;
		while (j > 0 &&
		       cmp_candidate(&scores[i], &e, &sv[j - 1], &v[j - 1]) < 0)
			j--;
		if (j >= XREF_QUERY_CANDIDATES) {
			xref_entity_release(&e);
			continue;
		}
		if (k == XREF_QUERY_CANDIDATES)
			xref_entity_release(&v[--k]);
		memmove(&v[j + 1], &v[j], (k - j) * sizeof(*v));
		memmove(&sv[j + 1], &sv[j], (k - j) * sizeof(*sv));
		v[j] = e;
		sv[j] = scores[i];
		memset(&e, 0, sizeof(e));
		k++;
	}
	cands->v = v;
	cands->n = k;
	v = NULL;
out:
	if (v) {
		for (size_t i = 0; i < k; i++)
			xref_entity_release(&v[i]);
		free(v);
	}
	free(sv);
	xref_entity_release(&e);
	return rc;
}

/* Reads and folds every name, key and alias of the case. */
static int load_forms(struct lk_form **out, size_t *n_out, sqlite3 *db)
{
	static const char *const sql[2] = {
	    "SELECT id, name, key FROM entities",
	    "SELECT entity_id, alias, NULL FROM aliases",
	};
	struct lk_form *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	char *f = NULL;
	int rc = 0, s;

	for (int q = 0; q < 2; q++) {
		rc = prepare(db, sql[q], &st, "read entity names");
		if (rc < 0)
			goto out;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			for (int col = 1; col <= 2; col++) {
				const char *text = col_text(st, col);

				if (!text)
					continue;
				rc = fold_name(&f, text);
				if (rc < 0)
					goto out;
				/* a key that folds like the name adds
				 * nothing */
				if (col == 2 && n > 0 &&
				    v[n - 1].id ==
				        sqlite3_column_int64(st, 0) &&
				    strcmp(v[n - 1].folded, f) == 0) {
					free(f);
					f = NULL;
					continue;
				}
				rc = reserve((void **)&v, &cap, n + 1,
				             sizeof(*v));
				if (rc < 0)
					goto out;
				v[n].id = sqlite3_column_int64(st, 0);
				v[n].folded = f;
				v[n].is_name = q == 0;
				f = NULL;
				n++;
			}
		}
		if (s != SQLITE_DONE) {
			rc = db_error(db, "read entity names");
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	*out = v;
	*n_out = n;
	v = NULL;
out:
	free(f);
	sqlite3_finalize(st);
	if (v) {
		for (size_t i = 0; i < n; i++)
			free(v[i].folded);
		free(v);
	}
	return rc;
}

/* Sorts scores by id and keeps one per entity (its best). */
static size_t unique_scores(struct lk_score *v, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_score);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1].id != v[i].id)
			v[k++] = v[i];
	return k;
}

int xref_query_lookup(struct xref_entity *out, struct xref_entities *candidates,
                      struct xref_case *c, const char *arg)
{
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL;
	struct lk_form *forms = NULL;
	struct lk_score *sc = NULL;
	size_t n_forms = 0, n_sc = 0;
	char *farg = NULL, uid[17];
	size_t la;
	int rc, s;

	memset(out, 0, sizeof(*out));
	memset(candidates, 0, sizeof(*candidates));
	if (!arg) {
		rc = xref_error_set(XREF_EINVAL, "no entity name");
		goto out;
	}
	if (is_uid(arg)) {
		for (size_t i = 0; i < 17; i++)
			uid[i] = (char)(arg[i] >= 'A' && arg[i] <= 'F'
			                    ? arg[i] - 'A' + 'a'
			                    : arg[i]);
		rc = prepare(db, "SELECT id FROM entities WHERE uid = ?1", &st,
		             "look up an entity");
		if (rc < 0)
			goto out;
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
		s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			rc = xref_query_entity(out, c,
			                       sqlite3_column_int64(st, 0));
			goto out;
		}
		if (s != SQLITE_DONE) {
			rc = db_error(db, "look up an entity");
			goto out;
		}
	}
	rc = fold_name(&farg, arg);
	if (rc < 0)
		goto out;
	la = strlen(farg);
	rc = load_forms(&forms, &n_forms, db);
	if (rc < 0)
		goto out;
	if (n_forms > SIZE_MAX / sizeof(*sc)) {
		rc = enomem();
		goto out;
	}
	sc = malloc((n_forms ? n_forms : 1) * sizeof(*sc));
	if (!sc) {
		rc = enomem();
		goto out;
	}
	/* exact: names and keys first, then aliases */
	for (int pass = 0; pass < 2 && n_sc == 0 && la > 0; pass++) {
		for (size_t i = 0; i < n_forms; i++) {
			if (forms[i].is_name != (pass == 0) ||
			    strcmp(forms[i].folded, farg) != 0)
				continue;
			sc[n_sc].id = forms[i].id;
			sc[n_sc].cls = 0;
			sc[n_sc].dist = 0;
			n_sc++;
		}
		n_sc = unique_scores(sc, n_sc);
	}
	if (n_sc == 1) {
		rc = xref_query_entity(out, c, sc[0].id);
		goto out;
	}
	if (n_sc > 1) {
		rc = fill_candidates(candidates, c, sc, n_sc);
		if (rc == 0)
			rc = xref_error_set(XREF_EAMBIGUOUS,
			                    "'%s' names %zu entities", arg,
			                    n_sc);
		goto out;
	}
	for (size_t i = 0; i < n_forms; i++) {
		int cls, dist;

		if (!closeness(farg, la, forms[i].folded, &cls, &dist))
			continue;
		sc[n_sc].id = forms[i].id;
		sc[n_sc].cls = cls;
		sc[n_sc].dist = dist;
		n_sc++;
	}
	n_sc = unique_scores(sc, n_sc);
	rc = fill_candidates(candidates, c, sc, n_sc);
	if (rc == 0)
		rc =
		    xref_error_set(XREF_ENOTFOUND, "no entity named '%s'", arg);
out:
	if (forms) {
		for (size_t i = 0; i < n_forms; i++)
			free(forms[i].folded);
		free(forms);
	}
	free(sc);
	free(farg);
	sqlite3_finalize(st);
	if (rc < 0)
		xref_entity_release(out);
	return rc;
}

/* ---- evidence ---- */

/* Frees the strings and marks of one hit and zeroes it. */
static void hit_release(struct xref_hit *hit)
{
	free(hit->ev.doc_id);
	free(hit->ev.title);
	free(hit->ev.url);
	free(hit->ev.date);
	free(hit->ev.text);
	free(hit->marks);
	memset(hit, 0, sizeof(*hit));
}

void xref_hits_release(struct xref_hits *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		hit_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* Starts a hit from the document columns doc_id, title, url, date at col. */
static int hit_init(struct xref_hit *hit, sqlite3_stmt *st, int col,
                    size_t start, size_t end, const char *text, size_t len)
{
	bool failed = false;

	memset(hit, 0, sizeof(*hit));
	hit->ev.doc_id = dup_or_null(col_text(st, col), &failed);
	hit->ev.title = dup_or_null(col_text(st, col + 1), &failed);
	hit->ev.url = dup_or_null(col_text(st, col + 2), &failed);
	hit->ev.date = dup_or_null(col_text(st, col + 3), &failed);
	hit->ev.start = start;
	hit->ev.end = end;
	hit->ev.text = dup_len(text ? text : "", text ? len : 0);
	if (failed || !hit->ev.text) {
		hit_release(hit);
		return enomem();
	}
	return 0;
}

/* Adds a mark unless it overlaps the previous one or leaves the text. */
static int add_mark(struct xref_hit *hit, size_t *cap, size_t start, size_t end,
                    int which)
{
	size_t len = strlen(hit->ev.text);
	int rc;

	if (start >= end || end > len)
		return 0;
	if (hit->n_marks && hit->marks[hit->n_marks - 1].end > start)
		return 0;
	rc = reserve((void **)&hit->marks, cap, hit->n_marks + 1,
	             sizeof(*hit->marks));
	if (rc < 0)
		return rc;
	hit->marks[hit->n_marks].start = start;
	hit->marks[hit->n_marks].end = end;
	hit->marks[hit->n_marks].which = which;
	hit->n_marks++;
	return 0;
}

static int push_hit(struct xref_hits *h, size_t *cap, struct xref_hit *hit)
{
	int rc = reserve((void **)&h->v, cap, h->n + 1, sizeof(*h->v));

	if (rc < 0)
		return rc;
	h->v[h->n++] = *hit;
	memset(hit, 0, sizeof(*hit));
	return 0;
}

/* The windows of a pair, newest first, at most ?3 (-1: all). */
static const char SQL_PAIR_EVIDENCE[] =
    "SELECT x.document_id, d.doc_id, d.title, d.url, d.date, x.start,"
    " x.end,"
    " CAST(substr(CAST(d.text AS BLOB), x.start + 1, x.end - x.start)"
    "      AS TEXT) "
    "FROM (SELECT e.document_id, e.start, e.end,"
    "      v.date IS NULL AS undated, v.date AS date, v.doc_id AS doc_id"
    "      FROM evidence e JOIN documents v ON v.id = e.document_id"
    "      WHERE e.source = ?1 AND e.target = ?2 AND " DATE_OK(
        "v") "      ORDER BY undated, date DESC, doc_id, e.start, e.end"
             "      LIMIT ?3) x "
             "JOIN documents d ON d.id = x.document_id "
             "ORDER BY x.undated, x.date DESC, x.doc_id, x.start, x.end";
static const char SQL_MARKS[] =
    "SELECT start, end, entity_id FROM mentions "
    "WHERE document_id = ?1 AND entity_id IN (?2, ?3) "
    "AND start >= ?4 AND end <= ?5 ORDER BY start, end, entity_id";

static int pair_evidence(struct xref_hits *out, sqlite3 *db, long long a,
                         long long b, const struct xref_date_range *dates,
                         size_t limit)
{
	sqlite3_stmt *st = NULL, *mk = NULL;
	struct xref_hit hit;
	size_t cap = 0, mcap = 0;
	int rc, s, m;

	memset(&hit, 0, sizeof(hit));
	rc = prepare(db, SQL_PAIR_EVIDENCE, &st, "read evidence");
	if (rc == 0)
		rc = prepare(db, SQL_MARKS, &mk, "read mentions");
	if (rc < 0)
		goto out;
	sqlite3_bind_int64(st, 1, a < b ? a : b);
	sqlite3_bind_int64(st, 2, a < b ? b : a);
	sqlite3_bind_int64(
	    st, 3,
	    limit && limit < (size_t)INT64_MAX ? (sqlite3_int64)limit : -1);
	bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 start = sqlite3_column_int64(st, 5);
		sqlite3_int64 end = sqlite3_column_int64(st, 6);

		if (!col_text(st, 1) || start < 0 || end < start)
			continue;
		rc = hit_init(&hit, st, 1, (size_t)start, (size_t)end,
		              col_text(st, 7),
		              (size_t)sqlite3_column_bytes(st, 7));
		if (rc < 0)
			goto out;
		mcap = 0;
		sqlite3_bind_int64(mk, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_int64(mk, 2, a);
		sqlite3_bind_int64(mk, 3, b);
		sqlite3_bind_int64(mk, 4, start);
		sqlite3_bind_int64(mk, 5, end);
		while ((m = sqlite3_step(mk)) == SQLITE_ROW) {
			sqlite3_int64 ms = sqlite3_column_int64(mk, 0);
			sqlite3_int64 me = sqlite3_column_int64(mk, 1);

			rc = add_mark(&hit, &mcap, (size_t)(ms - start),
			              (size_t)(me - start),
			              sqlite3_column_int64(mk, 2) == a ? 0 : 1);
			if (rc < 0)
				goto out;
		}
		sqlite3_reset(mk);
		if (m != SQLITE_DONE) {
			rc = db_error(db, "read mentions");
			goto out;
		}
		rc = push_hit(out, &cap, &hit);
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read evidence");
out:
	hit_release(&hit);
	sqlite3_finalize(st);
	sqlite3_finalize(mk);
	return rc;
}

/* The mentions of one entity, in the order of its hits. */
static const char SQL_ENTITY_MENTIONS[] =
    "SELECT m.document_id, m.start, m.end, m.sentence, d.doc_id,"
    " d.title, d.url, d.date "
    "FROM mentions m JOIN documents d ON d.id = m.document_id "
    "WHERE m.entity_id = ?1 AND " DATE_OK(
        "d") " "
             "ORDER BY d.date IS NULL, d.date DESC, d.doc_id, m.start, m.end";

/* A document's text and sentences, kept while its mentions are read. */
struct doc_cache {
	sqlite3_int64 id;
	char *text;
	size_t len;
	struct xref_segmentation seg;
};

static void doc_cache_release(struct doc_cache *dc)
{
	free(dc->text);
	xref_segmentation_release(&dc->seg);
	memset(dc, 0, sizeof(*dc));
}

static int doc_cache_load(struct doc_cache *dc, sqlite3 *db, sqlite3_stmt *st,
                          sqlite3_int64 id)
{
	int rc = 0, s;

	doc_cache_release(dc);
	sqlite3_bind_int64(st, 1, id);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		const char *t = col_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		dc->text = dup_len(t ? t : "", t ? n : 0);
		dc->len = t ? n : 0;
		if (!dc->text)
			rc = enomem();
		else
			rc = xref_segment(&dc->seg, dc->text, dc->len);
	} else if (s != SQLITE_DONE) {
		rc = db_error(db, "read a document");
	}
	sqlite3_reset(st);
	dc->id = id;
	return rc;
}

/* The span of the sentence holding [start, end): the one the mention was
 * stored with when it still fits, else a search, else the mention itself. */
static void sentence_span(const struct doc_cache *dc, size_t idx, size_t start,
                          size_t end, size_t *s0, size_t *s1)
{
	const struct xref_segmentation *seg = &dc->seg;
	size_t lo = 0, hi = seg->n_sentences;

	*s0 = start;
	*s1 = end;
	if (end > dc->len || start > end)
		return;
	if (idx < seg->n_sentences && seg->sentences[idx].start <= start &&
	    end <= seg->sentences[idx].end) {
		*s0 = seg->sentences[idx].start;
		*s1 = seg->sentences[idx].end;
		return;
	}
	/* the last sentence starting at or before `start` */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (seg->sentences[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && end <= seg->sentences[lo - 1].end) {
		*s0 = seg->sentences[lo - 1].start;
		*s1 = seg->sentences[lo - 1].end;
	}
}

static int entity_evidence(struct xref_hits *out, sqlite3 *db, long long a,
                           const struct xref_date_range *dates, size_t limit)
{
	sqlite3_stmt *st = NULL, *txt = NULL;
	struct doc_cache dc;
	struct xref_hit hit;
	sqlite3_int64 hit_doc = 0;
	size_t cap = 0, mcap = 0;
	int rc, s;

	memset(&dc, 0, sizeof(dc));
	memset(&hit, 0, sizeof(hit));
	rc = prepare(db, SQL_ENTITY_MENTIONS, &st, "read mentions");
	if (rc == 0)
		rc = prepare(db, "SELECT text FROM documents WHERE id = ?1",
		             &txt, "read a document");
	if (rc < 0)
		goto out;
	sqlite3_bind_int64(st, 1, a);
	bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 doc = sqlite3_column_int64(st, 0);
		sqlite3_int64 ms = sqlite3_column_int64(st, 1);
		sqlite3_int64 me = sqlite3_column_int64(st, 2);
		sqlite3_int64 si = sqlite3_column_int64(st, 3);
		size_t s0, s1;

		if (!col_text(st, 4) || ms < 0 || me < ms || si < 0)
			continue;
		if (doc != dc.id) {
			rc = doc_cache_load(&dc, db, txt, doc);
			if (rc < 0)
				goto out;
		}
		if ((size_t)me > dc.len)
			continue;
		sentence_span(&dc, (size_t)si, (size_t)ms, (size_t)me, &s0,
		              &s1);
		if (!hit.ev.doc_id || hit_doc != doc || hit.ev.start != s0 ||
		    hit.ev.end != s1) {
			if (hit.ev.doc_id) {
				rc = push_hit(out, &cap, &hit);
				if (rc < 0)
					goto out;
			}
			if (limit && out->n >= limit)
				break;
			rc = hit_init(&hit, st, 4, s0, s1, dc.text + s0,
			              s1 - s0);
			if (rc < 0)
				goto out;
			hit_doc = doc;
			mcap = 0;
		}
		rc = add_mark(&hit, &mcap, (size_t)ms - s0, (size_t)me - s0, 0);
		if (rc < 0)
			goto out;
	}
	if (s != SQLITE_DONE && s != SQLITE_ROW) {
		rc = db_error(db, "read mentions");
		goto out;
	}
	if (hit.ev.doc_id && (!limit || out->n < limit))
		rc = push_hit(out, &cap, &hit);
out:
	hit_release(&hit);
	doc_cache_release(&dc);
	sqlite3_finalize(st);
	sqlite3_finalize(txt);
	return rc;
}

int xref_query_evidence(struct xref_hits *out, struct xref_case *c, long long a,
                        long long b, const struct xref_date_range *dates,
                        size_t limit)
{
	sqlite3 *db = xref_case_sqlite(c);
	int rc;

	memset(out, 0, sizeof(*out));
	if (a <= 0 || b < 0 || a == b)
		return xref_error_set(XREF_EINVAL, "invalid evidence query");
	if (b)
		rc = pair_evidence(out, db, a, b, dates, limit);
	else
		rc = entity_evidence(out, db, a, dates, limit);
	if (rc < 0)
		xref_hits_release(out);
	return rc;
}

/* ---- the query graph ---- */

struct qedge {
	size_t a, b; /* nodes, a < b */
	long weight, documents;
	char first[11], last[11]; /* "" when undated */
};

struct qhalf {
	size_t to;
	size_t edge;
};

struct qid {
	sqlite3_int64 id;
	size_t node;
};

/* Nodes are the case's entities in uid order; the adjacency of node v is
 * adj[off[v] .. off[v + 1]), sorted by neighbour. Entity ids are row ids,
 * nearly dense: a direct table maps them to nodes when they are, a sorted
 * array (binary search) otherwise. */
struct qgraph {
	size_t n;
	sqlite3_int64 *ids; /* entity id of each node */
	struct qid *by_id;  /* sorted by id */
	size_t *direct;     /* node of each id up to max_id, or NULL */
	sqlite3_int64 max_id;
	struct qedge *edges;
	size_t n_edges, cap_edges;
	size_t *off;
	struct qhalf *adj;
};

static void qgraph_release(struct qgraph *g)
{
	free(g->ids);
	free(g->by_id);
	free(g->direct);
	free(g->edges);
	free(g->off);
	free(g->adj);
	memset(g, 0, sizeof(*g));
}

static int cmp_qid(const void *pa, const void *pb)
{
	const struct qid *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

static int cmp_qhalf(const void *pa, const void *pb)
{
	const struct qhalf *a = pa, *b = pb;

	return (a->to > b->to) - (a->to < b->to);
}

/* The node of entity id, or SIZE_MAX. */
static size_t qgraph_node(const struct qgraph *g, sqlite3_int64 id)
{
	struct qid key = {id, 0};
	const struct qid *hit;

	if (g->direct)
		return id >= 0 && id <= g->max_id ? g->direct[id] : SIZE_MAX;
	if (!g->n)
		return SIZE_MAX;
	hit = bsearch(&key, g->by_id, g->n, sizeof(*g->by_id), cmp_qid);
	return hit ? hit->node : SIZE_MAX;
}

/* The edge between u and v, or SIZE_MAX. O(log degree). */
static size_t qgraph_edge(const struct qgraph *g, size_t u, size_t v)
{
	size_t lo = g->off[u], hi = g->off[u + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->adj[mid].to == v)
			return g->adj[mid].edge;
		if (g->adj[mid].to < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static void copy_date(char out[11], const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 10)
		n = 10;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

static const char SQL_QEDGES[] =
    "SELECT source, target, weight, documents, first_seen, last_seen "
    "FROM edges";
static const char SQL_QEDGES_DATED[] =
    "SELECT e.source, e.target, count(*), count(DISTINCT e.document_id),"
    " min(d.date), max(d.date) "
    "FROM evidence e JOIN documents d ON d.id = e.document_id "
    "WHERE " DATE_OK("d") " GROUP BY e.source, e.target";

static int qgraph_load(struct qgraph *g, sqlite3 *db,
                       const struct xref_date_range *dates)
{
	sqlite3_stmt *st = NULL;
	size_t cap_ids = 0, *fill = NULL;
	int rc, s;

	memset(g, 0, sizeof(*g));
	rc = prepare(db, "SELECT id FROM entities ORDER BY uid", &st,
	             "read entities");
	if (rc < 0)
		goto out;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		rc = reserve((void **)&g->ids, &cap_ids, g->n + 1,
		             sizeof(*g->ids));
		if (rc < 0)
			goto out;
		g->ids[g->n++] = sqlite3_column_int64(st, 0);
	}
	if (s != SQLITE_DONE) {
		rc = db_error(db, "read entities");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	g->by_id = calloc(g->n ? g->n : 1, sizeof(*g->by_id));
	g->off = calloc(g->n + 1, sizeof(*g->off));
	if (!g->by_id || !g->off) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < g->n; i++) {
		g->by_id[i].id = g->ids[i];
		g->by_id[i].node = i;
	}
	if (g->n)
		qsort(g->by_id, g->n, sizeof(*g->by_id), cmp_qid);
	g->max_id = g->n ? g->by_id[g->n - 1].id : 0;
	if (g->n && g->by_id[0].id >= 0 &&
	    (uint64_t)g->max_id < 4 * (uint64_t)g->n + 1024) {
		g->direct =
		    malloc(((size_t)g->max_id + 1) * sizeof(*g->direct));
		if (!g->direct) {
			rc = enomem();
			goto out;
		}
		for (sqlite3_int64 i = 0; i <= g->max_id; i++)
			g->direct[i] = SIZE_MAX;
		for (size_t i = 0; i < g->n; i++)
			g->direct[g->by_id[i].id] = g->by_id[i].node;
	}

	rc = prepare(
	    db, xref_date_range_is_set(dates) ? SQL_QEDGES_DATED : SQL_QEDGES,
	    &st, "read links");
	if (rc < 0)
		goto out;
	bind_dates(st, dates);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		size_t a = qgraph_node(g, sqlite3_column_int64(st, 0));
		size_t b = qgraph_node(g, sqlite3_column_int64(st, 1));
		long w = (long)sqlite3_column_int64(st, 2);
		struct qedge *e;

		if (a == SIZE_MAX || b == SIZE_MAX || a == b || w <= 0)
			continue;
		rc = reserve((void **)&g->edges, &g->cap_edges, g->n_edges + 1,
		             sizeof(*g->edges));
		if (rc < 0)
			goto out;
		e = &g->edges[g->n_edges++];
		e->a = a < b ? a : b;
		e->b = a < b ? b : a;
		e->weight = w;
		e->documents = (long)sqlite3_column_int64(st, 3);
		copy_date(e->first, col_text(st, 4));
		copy_date(e->last, col_text(st, 5));
		g->off[e->a + 1]++;
		g->off[e->b + 1]++;
	}
	if (s != SQLITE_DONE) {
		rc = db_error(db, "read links");
		goto out;
	}
	for (size_t i = 0; i < g->n; i++)
		g->off[i + 1] += g->off[i];
	if (g->n_edges > SIZE_MAX / 2 / sizeof(*g->adj)) {
		rc = enomem();
		goto out;
	}
	g->adj = malloc((2 * g->n_edges + 1) * sizeof(*g->adj));
	fill = calloc(g->n ? g->n : 1, sizeof(*fill));
	if (!g->adj || !fill) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		const struct qedge *e = &g->edges[i];
		struct qhalf *h;

		h = &g->adj[g->off[e->a] + fill[e->a]++];
		h->to = e->b;
		h->edge = i;
		h = &g->adj[g->off[e->b] + fill[e->b]++];
		h->to = e->a;
		h->edge = i;
	}
	for (size_t v = 0; v < g->n; v++)
		if (g->off[v + 1] - g->off[v] > 1)
			qsort(&g->adj[g->off[v]], g->off[v + 1] - g->off[v],
			      sizeof(*g->adj), cmp_qhalf);
out:
	free(fill);
	sqlite3_finalize(st);
	if (rc < 0)
		qgraph_release(g);
	return rc;
}

/* ---- best paths ---- */

/* Scratch arrays of one graph for repeated searches; dist is -1 between
 * searches. */
struct search {
	const struct qgraph *g;
	long *dist;
	long long *best;
	size_t *queue;
	unsigned char *banned_node, *banned_edge;
};

static void search_release(struct search *sr)
{
	free(sr->dist);
	free(sr->best);
	free(sr->queue);
	free(sr->banned_node);
	free(sr->banned_edge);
	memset(sr, 0, sizeof(*sr));
}

static int search_init(struct search *sr, const struct qgraph *g)
{
	size_t n = g->n ? g->n : 1;

	memset(sr, 0, sizeof(*sr));
	sr->g = g;
	sr->dist = malloc(n * sizeof(*sr->dist));
	sr->best = malloc(n * sizeof(*sr->best));
	sr->queue = malloc(n * sizeof(*sr->queue));
	sr->banned_node = calloc(n, 1);
	sr->banned_edge = calloc(g->n_edges ? g->n_edges : 1, 1);
	if (!sr->dist || !sr->best || !sr->queue || !sr->banned_node ||
	    !sr->banned_edge) {
		search_release(sr);
		return enomem();
	}
	for (size_t i = 0; i < g->n; i++)
		sr->dist[i] = -1;
	return 0;
}

static bool half_ok(const struct search *sr, const struct qhalf *h)
{
	return !sr->banned_edge[h->edge] && !sr->banned_node[h->to];
}

/*
 * The best path from s to t avoiding banned nodes and edges: fewest hops,
 * then greatest weight, then first by node order. *path (len nodes) is
 * owned by the caller. Returns 1 when found, 0 when t is out of reach, or
 * XREF_ENOMEM. O(V + E).
 */
static int best_path(struct search *sr, size_t s, size_t t, size_t **path,
                     size_t *len, long long *weight)
{
	const struct qgraph *g = sr->g;
	size_t head = 0, tail = 0, v;
	int rc = 0;

	*path = NULL;
	*len = 0;
	*weight = 0;
	if (sr->banned_node[s] || sr->banned_node[t])
		return 0;
	/* breadth first from t, until s is reached */
	sr->dist[t] = 0;
	sr->best[t] = 0;
	sr->queue[tail++] = t;
	while (head < tail && sr->dist[s] < 0) {
		v = sr->queue[head++];
		for (size_t i = g->off[v]; i < g->off[v + 1]; i++) {
			const struct qhalf *h = &g->adj[i];

			if (!half_ok(sr, h) || sr->dist[h->to] >= 0)
				continue;
			sr->dist[h->to] = sr->dist[v] + 1;
			sr->best[h->to] = LLONG_MIN;
			sr->queue[tail++] = h->to;
		}
	}
	if (sr->dist[s] < 0)
		goto out;
	/* the heaviest shortest path from each node to t, layer by layer */
	for (size_t q = 0; q < tail; q++) {
		size_t x = sr->queue[q];

		if (sr->dist[x] >= sr->dist[s])
			break;
		for (size_t i = g->off[x]; i < g->off[x + 1]; i++) {
			const struct qhalf *h = &g->adj[i];
			long long cand;

			if (!half_ok(sr, h) ||
			    sr->dist[h->to] != sr->dist[x] + 1)
				continue;
			cand = sr->best[x] + g->edges[h->edge].weight;
			if (cand > sr->best[h->to])
				sr->best[h->to] = cand;
		}
	}
	/* the first path by node order that carries it */
	*len = (size_t)sr->dist[s] + 1;
	*path = malloc(*len * sizeof(**path));
	if (!*path) {
		rc = enomem();
		goto out;
	}
	v = s;
	(*path)[0] = s;
	for (size_t k = 1; k < *len; k++) {
		size_t next = SIZE_MAX;

		for (size_t i = g->off[v]; i < g->off[v + 1]; i++) {
			const struct qhalf *h = &g->adj[i];

			if (half_ok(sr, h) &&
			    sr->dist[h->to] == sr->dist[v] - 1 &&
			    sr->best[h->to] + g->edges[h->edge].weight ==
			        sr->best[v]) {
				next = h->to;
				break;
			}
		}
		if (next ==
		    SIZE_MAX) { /* cannot happen: best[v] came from one */
			rc = xref_error_set(XREF_ERROR, "path search failed");
			goto out;
		}
		(*path)[k] = next;
		v = next;
	}
	*weight = sr->best[s];
	rc = 1;
out:
	for (size_t q = 0; q < tail; q++)
		sr->dist[sr->queue[q]] = -1;
	if (rc != 1) {
		free(*path);
		*path = NULL;
		*len = 0;
	}
	return rc;
}

struct cpath {
	size_t *nodes;
	size_t len;
	long long weight;
};

static int cmp_cpath(const struct cpath *a, const struct cpath *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	for (size_t i = 0; i < a->len; i++)
		if (a->nodes[i] != b->nodes[i])
			return a->nodes[i] < b->nodes[i] ? -1 : 1;
	return 0;
}

static bool cpath_in(const struct cpath *p, const struct cpath *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cmp_cpath(p, &v[i]) == 0)
			return true;
	return false;
}

static void cpaths_free(struct cpath *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].nodes);
	free(v);
}

/* Yen's algorithm over best_path(): the k best loopless paths from s to t
 * in *out (n_out of them, best first). */
static int yen(struct search *sr, size_t s, size_t t, size_t k,
               struct cpath **out, size_t *n_out)
{
	const struct qgraph *g = sr->g;
	struct cpath *A = NULL, *B = NULL, cand;
	size_t nA = 0, capA = 0, nB = 0, capB = 0;
	size_t *sp = NULL, splen;
	long long spw;
	int rc;

	*out = NULL;
	*n_out = 0;
	memset(&cand, 0, sizeof(cand));
	rc = reserve((void **)&A, &capA, 1, sizeof(*A));
	if (rc < 0)
		goto out;
	rc = best_path(sr, s, t, &A[0].nodes, &A[0].len, &A[0].weight);
	if (rc <= 0)
		goto out;
	nA = 1;
	while (nA < k) {
		const struct cpath *P = &A[nA - 1];
		long long root_w = 0;

		for (size_t i = 0; i + 1 < P->len; i++) {
			size_t spur = P->nodes[i];

			/* ties leaving this root in the paths found */
			for (size_t j = 0; j < nA; j++) {
				size_t e;

				if (A[j].len <= i + 1 ||
				    memcmp(A[j].nodes, P->nodes,
				           (i + 1) * sizeof(*P->nodes)) != 0)
					continue;
				e = qgraph_edge(g, A[j].nodes[i],
				                A[j].nodes[i + 1]);
				if (e != SIZE_MAX)
					sr->banned_edge[e] = 1;
			}
			for (size_t j = 0; j < i; j++)
				sr->banned_node[P->nodes[j]] = 1;
			rc = best_path(sr, spur, t, &sp, &splen, &spw);
			for (size_t j = 0; j < nA; j++) {
				size_t e;

				if (A[j].len <= i + 1)
					continue;
				e = qgraph_edge(g, A[j].nodes[i],
				                A[j].nodes[i + 1]);
				if (e != SIZE_MAX)
					sr->banned_edge[e] = 0;
			}
			for (size_t j = 0; j < i; j++)
				sr->banned_node[P->nodes[j]] = 0;
			if (rc < 0)
				goto out;
			if (rc == 1) {
				cand.len = i + splen;
				cand.nodes =
				    malloc(cand.len * sizeof(*cand.nodes));
				if (!cand.nodes) {
					rc = enomem();
					goto out;
				}
				memcpy(cand.nodes, P->nodes,
				       i * sizeof(*cand.nodes));
				memcpy(cand.nodes + i, sp, splen * sizeof(*sp));
				cand.weight = root_w + spw;
				if (cpath_in(&cand, A, nA) ||
				    cpath_in(&cand, B, nB)) {
					free(cand.nodes);
				} else {
					rc = reserve((void **)&B, &capB, nB + 1,
					             sizeof(*B));
					if (rc < 0)
						goto out;
					B[nB++] = cand;
				}
				memset(&cand, 0, sizeof(cand));
			}
			free(sp);
			sp = NULL;
			root_w += g->edges[qgraph_edge(g, P->nodes[i],
			                               P->nodes[i + 1])]
			              .weight;
		}
		if (nB == 0)
			break;
		{
			size_t best = 0;

			for (size_t j = 1; j < nB; j++)
				if (cmp_cpath(&B[j], &B[best]) < 0)
					best = j;
			rc = reserve((void **)&A, &capA, nA + 1, sizeof(*A));
			if (rc < 0)
				goto out;
			A[nA++] = B[best];
			B[best] = B[--nB];
		}
	}
	rc = 0;
	*out = A;
	*n_out = nA;
	A = NULL;
	nA = 0;
out:
	free(sp);
	free(cand.nodes);
	cpaths_free(A, nA);
	cpaths_free(B, nB);
	/* rc 0 without paths: not connected, which is an answer */
	return rc < 0 ? rc : 0;
}

void xref_paths_release(struct xref_paths *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		struct xref_path *path = &p->v[i];

		for (size_t j = 0; j < path->n_nodes; j++)
			xref_entity_release(&path->nodes[j]);
		for (size_t j = 0; path->hops && j + 1 < path->n_nodes; j++) {
			free(path->hops[j].first_seen);
			free(path->hops[j].last_seen);
			hit_release(&path->hops[j].evidence);
		}
		free(path->nodes);
		free(path->hops);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static char *dup_date(const char *s, bool *failed)
{
	return s[0] ? dup_or_null(s, failed) : NULL;
}

/* Fills path `out` from the node sequence of cp. */
static int make_path(struct xref_path *out, const struct cpath *cp,
                     const struct qgraph *g, struct xref_case *c,
                     const struct xref_date_range *dates)
{
	struct xref_hits hits;
	int rc = 0;

	memset(&hits, 0, sizeof(hits));
	out->nodes = calloc(cp->len, sizeof(*out->nodes));
	out->hops = calloc(cp->len, sizeof(*out->hops));
	if (!out->nodes || !out->hops)
		return enomem();
	out->n_nodes = cp->len;
	out->weight = (long)cp->weight;
	for (size_t i = 0; i < cp->len; i++) {
		rc = xref_query_entity(&out->nodes[i], c, g->ids[cp->nodes[i]]);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i + 1 < cp->len; i++) {
		const struct qedge *e =
		    &g->edges[qgraph_edge(g, cp->nodes[i], cp->nodes[i + 1])];
		struct xref_hop *hop = &out->hops[i];
		bool failed = false;

		hop->weight = e->weight;
		hop->documents = e->documents;
		hop->first_seen = dup_date(e->first, &failed);
		hop->last_seen = dup_date(e->last, &failed);
		if (failed)
			return enomem();
		rc = xref_query_evidence(&hits, c, out->nodes[i].id,
		                         out->nodes[i + 1].id, dates, 1);
		if (rc < 0)
			return rc;
		if (hits.n) {
			hop->evidence = hits.v[0];
			memset(&hits.v[0], 0, sizeof(hits.v[0]));
		}
		xref_hits_release(&hits);
	}
	return 0;
}

int xref_query_paths(struct xref_paths *out, struct xref_case *c, long long a,
                     long long b, size_t k, const struct xref_date_range *dates)
{
	struct qgraph g;
	struct search sr;
	struct cpath *cp = NULL;
	size_t n_cp = 0, na, nb;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	memset(&sr, 0, sizeof(sr));
	if (a == b || k == 0)
		return xref_error_set(XREF_EINVAL, "invalid path query");
	rc = qgraph_load(&g, xref_case_sqlite(c), dates);
	if (rc < 0)
		goto out;
	na = qgraph_node(&g, a);
	nb = qgraph_node(&g, b);
	if (na == SIZE_MAX || nb == SIZE_MAX) {
		rc = xref_error_set(XREF_EINVAL, "no entity with id %lld",
		                    na == SIZE_MAX ? a : b);
		goto out;
	}
	rc = search_init(&sr, &g);
	if (rc < 0)
		goto out;
	rc = yen(&sr, na, nb, k, &cp, &n_cp);
	if (rc < 0 || n_cp == 0)
		goto out;
	out->v = calloc(n_cp, sizeof(*out->v));
	if (!out->v) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < n_cp; i++) {
		out->n++;
		rc = make_path(&out->v[i], &cp[i], &g, c, dates);
		if (rc < 0)
			goto out;
	}
out:
	cpaths_free(cp, n_cp);
	search_release(&sr);
	qgraph_release(&g);
	if (rc < 0)
		xref_paths_release(out);
	return rc;
}

/* ---- neighbours ---- */

void xref_neighbors_release(struct xref_neighbors *nb)
{
	if (!nb)
		return;
	for (size_t i = 0; i < nb->n; i++) {
		xref_entity_release(&nb->v[i].entity);
		free(nb->v[i].first_seen);
		free(nb->v[i].last_seen);
	}
	free(nb->v);
	memset(nb, 0, sizeof(*nb));
}

/* A reached node while sorting: its node and the edge that reaches it. */
struct reach {
	size_t node, edge, via_node;
	struct xref_neighbor nb;
};

static int cmp_reach(const void *pa, const void *pb)
{
	const struct reach *a = pa, *b = pb;
	int r;

	if (a->nb.depth != b->nb.depth)
		return a->nb.depth < b->nb.depth ? -1 : 1;
	if (a->nb.weight != b->nb.weight)
		return a->nb.weight > b->nb.weight ? -1 : 1;
	if (a->nb.documents != b->nb.documents)
		return a->nb.documents > b->nb.documents ? -1 : 1;
	r = strcmp(a->nb.entity.name, b->nb.entity.name);
	if (r)
		return r;
	return (a->node > b->node) - (a->node < b->node);
}

int xref_query_neighbors(struct xref_neighbors *out, struct xref_case *c,
                         long long ego, unsigned depth,
                         const struct xref_date_range *dates)
{
	struct qgraph g;
	struct search sr;
	struct reach *r = NULL;
	size_t *pos = NULL, head = 0, tail = 0, n = 0, e0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	memset(&sr, 0, sizeof(sr));
	if (depth == 0)
		return xref_error_set(XREF_EINVAL, "depth must be at least 1");
	rc = qgraph_load(&g, xref_case_sqlite(c), dates);
	if (rc < 0)
		goto out;
	e0 = qgraph_node(&g, ego);
	if (e0 == SIZE_MAX) {
		rc = xref_error_set(XREF_EINVAL, "no entity with id %lld", ego);
		goto out;
	}
	rc = search_init(&sr, &g);
	if (rc < 0)
		goto out;
	/* breadth first from the ego, up to `depth` */
	sr.dist[e0] = 0;
	sr.queue[tail++] = e0;
	while (head < tail) {
		size_t v = sr.queue[head++];

		if (sr.dist[v] >= (long)depth)
			continue;
		for (size_t i = g.off[v]; i < g.off[v + 1]; i++) {
			size_t u = g.adj[i].to;

			if (sr.dist[u] >= 0)
				continue;
			sr.dist[u] = sr.dist[v] + 1;
			sr.queue[tail++] = u;
		}
	}
	n = tail - 1;
	r = calloc(n ? n : 1, sizeof(*r));
	pos = malloc((g.n ? g.n : 1) * sizeof(*pos));
	if (!r || !pos) {
		rc = enomem();
		goto out;
	}
	for (size_t q = 1; q < tail; q++) {
		size_t u = sr.queue[q], best = SIZE_MAX, via = SIZE_MAX;
		struct reach *x = &r[q - 1];
		const struct qedge *e;
		bool failed = false;

		/* the strongest tie one hop nearer: weight, documents, then
		 * the first node (adjacency is in node order) */
		for (size_t i = g.off[u]; i < g.off[u + 1]; i++) {
			const struct qhalf *h = &g.adj[i];
			const struct qedge *he = &g.edges[h->edge];

			if (sr.dist[h->to] != sr.dist[u] - 1)
				continue;
			if (best == SIZE_MAX ||
			    he->weight > g.edges[best].weight ||
			    (he->weight == g.edges[best].weight &&
			     he->documents > g.edges[best].documents)) {
				best = h->edge;
				via = h->to;
			}
		}
		e = &g.edges[best];
		x->node = u;
		x->edge = best;
		x->via_node = via;
		x->nb.depth = (unsigned)sr.dist[u];
		x->nb.weight = e->weight;
		x->nb.documents = e->documents;
		x->nb.first_seen = dup_date(e->first, &failed);
		x->nb.last_seen = dup_date(e->last, &failed);
		if (failed) {
			rc = enomem();
			goto out;
		}
		rc = xref_query_entity(&x->nb.entity, c, g.ids[u]);
		if (rc < 0)
			goto out;
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_reach);
	for (size_t i = 0; i < n; i++)
		pos[r[i].node] = i;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		out->v[i] = r[i].nb;
		out->v[i].via =
		    r[i].via_node == e0 ? SIZE_MAX : pos[r[i].via_node];
		memset(&r[i].nb, 0, sizeof(r[i].nb));
	}
	out->n = n;
out:
	if (r) {
		for (size_t i = 0; i < n; i++) {
			xref_entity_release(&r[i].nb.entity);
			free(r[i].nb.first_seen);
			free(r[i].nb.last_seen);
		}
		free(r);
	}
	free(pos);
	search_release(&sr);
	qgraph_release(&g);
	if (rc < 0)
		xref_neighbors_release(out);
	return rc;
}
