/*
 * The case file: one SQLite database (schema v1 below) holding documents
 * with their text, entities, aliases, mentions, evidence and edges.
 *
 * Writes happen in batches (one transaction each). Adding a document writes
 * only primary data: the document row, entities that are new (by key),
 * mentions, and one evidence row per co-occurrence window and entity pair,
 * computed here in C from the segmentation, which is cheaper than a
 * self-join in SQL and keeps the window rules in one place. The entities a
 * batch touches are recorded in a temporary table, and the commit recomputes
 * the derived data (entity name, type, counts and dates by majority vote;
 * aliases; edges) for those entities only, in a few set-based statements.
 * Keeping counters up to date on every insert was rejected: a replaced
 * document would have to subtract exactly what it once added, and a vote
 * cannot be maintained incrementally at all.
 *
 * The file is self-contained: the default rollback journal (never WAL, which
 * needs side files), synchronous=FULL, foreign keys on. A batch a killed
 * writer left behind is rolled back by the next open, read-only ones
 * included (recover()). Statements used per document are prepared once per
 * case. Input is checked before anything is written; a database error
 * halfway through a document fails the whole batch (a savepoint per
 * document was measured to double the cost of adding one).
 */
#define _POSIX_C_SOURCE 200809L

#include "graph/case.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/graph_internal.h"
#include "ingest/status.h"

#define XREF_APPLICATION_ID 0x78726566 /* 'xref' */

/*
 * Schema v1. The README documents it for readers of the file. Columns
 * `start` and `end` are byte offsets into documents.text; substr() counts
 * characters on TEXT, hence the casts to BLOB in the views.
 */
/* clang-format off */
static const char SCHEMA_SQL[] =
	/* Key-value facts about the file: schema_version, window, generator. */
	"CREATE TABLE meta (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	");\n"
	/* One row per ingested document; hash detects changed content. */
	"CREATE TABLE documents (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  doc_id TEXT NOT NULL UNIQUE,\n"
	"  title TEXT,\n"
	"  url TEXT,\n"
	"  date TEXT,            -- YYYY-MM-DD, YYYY-MM or YYYY\n"
	"  source TEXT,          -- the path it was read from\n"
	"  hash TEXT NOT NULL,   -- hex hash of title, url, date and text\n"
	"  text TEXT NOT NULL    -- last, so scans of the other columns skip it\n"
	");\n"
	/* Entities, identified across documents by their normalised key.
	 * name, type, counts and dates are derived from mentions. */
	"CREATE TABLE entities (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  uid TEXT NOT NULL UNIQUE,      -- 16 hex digits, FNV-1a of key\n"
	"  key TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL,            -- majority of mention names\n"
	"  type TEXT NOT NULL,            -- majority of mention types\n"
	"  mentions INTEGER NOT NULL DEFAULT 0,\n"
	"  documents INTEGER NOT NULL DEFAULT 0,\n"
	"  first_seen TEXT,               -- min document date, NULL if undated\n"
	"  last_seen TEXT\n"
	");\n"
	/* Surface forms seen for each entity (derived from mentions). */
	"CREATE TABLE aliases (\n"
	"  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
	"  alias TEXT NOT NULL,           -- the surface text\n"
	"  rule TEXT NOT NULL,            -- resolution rule of its most frequent use\n"
	"  mentions INTEGER NOT NULL,\n"
	"  PRIMARY KEY (entity_id, alias)\n"
	");\n"
	/* Derived: mentions per entity and (name, type, surface, rule). The
	 * commit updates it from the batch alone and derives the entity's
	 * name, type and count and its aliases from it, so a commit costs
	 * O(batch), not O(mentions of the entities it touched). */
	"CREATE TABLE entity_forms (\n"
	"  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  type TEXT NOT NULL,\n"
	"  surface TEXT NOT NULL,\n"
	"  rule TEXT NOT NULL,\n"
	"  mentions INTEGER NOT NULL,\n"
	"  PRIMARY KEY (entity_id, name, type, surface, rule)\n"
	") WITHOUT ROWID;\n"
	/* Every resolved mention with its byte span. */
	"CREATE TABLE mentions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
	"  entity_id INTEGER NOT NULL REFERENCES entities(id),\n"
	"  start INTEGER NOT NULL,        -- bytes [start, end) of documents.text\n"
	"  end INTEGER NOT NULL,\n"
	"  sentence INTEGER NOT NULL,     -- sentence index in the document\n"
	"  surface TEXT NOT NULL,\n"
	"  name TEXT NOT NULL,            -- name resolved in this document\n"
	"  type TEXT NOT NULL,            -- type resolved in this document\n"
	"  rule TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX mentions_entity ON mentions(entity_id);\n"
	"CREATE INDEX mentions_document ON mentions(document_id);\n"
	/* One row per window (meta.window) and entity pair occurring in it. */
	"CREATE TABLE evidence (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  source INTEGER NOT NULL REFERENCES entities(id),\n"
	"  target INTEGER NOT NULL REFERENCES entities(id),\n"
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
	"  start INTEGER NOT NULL,        -- byte span of the window's text\n"
	"  end INTEGER NOT NULL,\n"
	"  CHECK (source < target)\n"
	");\n"
	"CREATE INDEX evidence_pair ON evidence(source, target, document_id);\n"
	/* Deleting an entity checks its foreign keys in both columns. */
	"CREATE INDEX evidence_target ON evidence(target);\n"
	"CREATE INDEX evidence_document ON evidence(document_id);\n"
	/* Co-occurrence edges, aggregated from evidence. */
	"CREATE TABLE edges (\n"
	"  source INTEGER NOT NULL,       -- entities.id, source < target\n"
	"  target INTEGER NOT NULL,\n"
	"  weight INTEGER NOT NULL,       -- evidence rows (windows)\n"
	"  documents INTEGER NOT NULL,    -- distinct documents\n"
	"  first_seen TEXT,               -- min document date, NULL if undated\n"
	"  last_seen TEXT,\n"
	"  PRIMARY KEY (source, target)\n"
	");\n"
	"CREATE INDEX edges_target ON edges(target);\n";

/*
 * Views for plain SQLite tools (the sqlite3 shell, Datasette): names
 * instead of ids, and the text behind each span. Created with the schema,
 * and again (when missing) whenever a case is opened for writing, so a
 * case made before a view existed gains it at its next ingest; views
 * change no data, so the schema version stays.
 */
static const char VIEWS_SQL[] =
	/* Edges with the names and types of both ends. */
	"CREATE VIEW IF NOT EXISTS edge_names AS\n"
	"  SELECT s.name AS source_name, s.type AS source_type,\n"
	"         t.name AS target_name, t.type AS target_type,\n"
	"         e.weight, e.documents, e.first_seen, e.last_seen\n"
	"  FROM edges e\n"
	"  JOIN entities s ON s.id = e.source\n"
	"  JOIN entities t ON t.id = e.target;\n"
	/* Every evidence window with its document and text. */
	"CREATE VIEW IF NOT EXISTS evidence_text AS\n"
	"  SELECT s.name AS source_name, t.name AS target_name,\n"
	"         d.doc_id, d.title, d.date, d.url, e.start, e.end,\n"
	"         CAST(substr(CAST(d.text AS BLOB), e.start + 1,\n"
	"                     e.end - e.start) AS TEXT) AS text\n"
	"  FROM evidence e\n"
	"  JOIN entities s ON s.id = e.source\n"
	"  JOIN entities t ON t.id = e.target\n"
	"  JOIN documents d ON d.id = e.document_id;\n"
	/* Each entity's other names, with the rule that resolved them. */
	"CREATE VIEW IF NOT EXISTS entity_aliases AS\n"
	"  SELECT e.uid, e.name, e.type, a.alias, a.rule, a.mentions\n"
	"  FROM aliases a JOIN entities e ON e.id = a.entity_id;\n"
	/* Every mention with its document, its entity and how it was
	 * resolved. */
	"CREATE VIEW IF NOT EXISTS mention_text AS\n"
	"  SELECT d.doc_id, d.title, d.date, m.start, m.end, m.sentence,\n"
	"         m.surface, e.uid, e.name AS entity_name,\n"
	"         e.type AS entity_type, m.name AS resolved_name,\n"
	"         m.type AS resolved_type, m.rule\n"
	"  FROM mentions m\n"
	"  JOIN documents d ON d.id = m.document_id\n"
	"  JOIN entities e ON e.id = m.entity_id;\n";

/*
 * Per-connection scratch tables of a batch (never saved): the pre-batch
 * mentions and evidence of replaced documents, and the commit's deltas.
 */
static const char TEMP_SQL[] =
	"CREATE TEMP TABLE IF NOT EXISTS removed_m (entity_id INTEGER,\n"
	"  document_id INTEGER, name TEXT, type TEXT, surface TEXT, rule TEXT);\n"
	"CREATE TEMP TABLE IF NOT EXISTS removed_e (source INTEGER,\n"
	"  target INTEGER, document_id INTEGER);\n"
	"CREATE TEMP TABLE IF NOT EXISTS dforms (entity_id INTEGER, name TEXT,\n"
	"  type TEXT, surface TEXT, rule TEXT, n INTEGER);\n"
	/* (entity, document) pairs the batch gained (plus: written as each
	 * document is added) and lost (minus: pairs from before the batch). */
	"CREATE TEMP TABLE IF NOT EXISTS ddocs (entity_id INTEGER,\n"
	"  document_id INTEGER, date TEXT, plus INTEGER, minus INTEGER,\n"
	"  PRIMARY KEY (entity_id, document_id)) WITHOUT ROWID;\n"
	"CREATE INDEX IF NOT EXISTS temp.ddocs_document ON ddocs(document_id);\n"
	"CREATE TEMP TABLE IF NOT EXISTS stats (id INTEGER PRIMARY KEY,\n"
	"  name TEXT, type TEXT, mentions INTEGER, ddocs INTEGER,\n"
	"  amin TEXT, amax TEXT, recount INTEGER);\n"
	"CREATE TEMP TABLE IF NOT EXISTS dedges (source INTEGER,\n"
	"  target INTEGER, n INTEGER, docs INTEGER, amin TEXT, amax TEXT,\n"
	"  recount INTEGER, PRIMARY KEY (source, target)) WITHOUT ROWID;\n";

static const char CLEAR_TEMP_SQL[] =
	"DELETE FROM temp.removed_m; DELETE FROM temp.removed_e;\n"
	"DELETE FROM temp.dforms; DELETE FROM temp.ddocs;\n"
	"DELETE FROM temp.stats; DELETE FROM temp.dedges;\n";

/*
 * The commit, incremental. The batch's own rows are those with an id at
 * least the first id it inserted (?1 for mentions, ?2 for evidence: ids
 * only grow past every live row, so the range holds exactly them); what
 * replaced documents took away is in temp.removed_m and temp.removed_e.
 * From these alone the commit updates entity_forms and edges by deltas, and
 * rederives each touched entity from its few entity_forms rows. Dates
 * cannot be un-minimised, so an entity or edge that lost rows has its
 * dates (and counts) recounted from its mentions or evidence: that path is
 * O(its rows), taken only on re-ingest of changed documents. Recomputing
 * every touched entity from its mentions was the first version and made
 * each commit O(mentions of the entities named in the batch): an entity
 * named in every batch was recounted in every batch.
 *
 * Votes: the most frequent name (ties: longer, then bytewise smaller) and
 * type (ties: enum order); an alias's rule is that of its most frequent
 * use (ties: bytewise smaller). Entities left without mentions go, with
 * their aliases and forms (ON DELETE CASCADE).
 */
static const char *const COMMIT_SQL[] = {
	/* Mention deltas per entity and form. */
	"INSERT INTO temp.dforms\n"
	"  SELECT entity_id, name, type, surface, rule, sum(n) FROM (\n"
	"    SELECT entity_id, name, type, surface, rule, 1 AS n\n"
	"    FROM mentions WHERE id >= ?1\n"
	"    UNION ALL\n"
	"    SELECT entity_id, name, type, surface, rule, -1 FROM temp.removed_m)\n"
	"  GROUP BY entity_id, name, type, surface, rule",
	"INSERT INTO entity_forms (entity_id, name, type, surface, rule,\n"
	"                          mentions)\n"
	"  SELECT entity_id, name, type, surface, rule, n FROM temp.dforms\n"
	"  WHERE true\n"
	"  ON CONFLICT (entity_id, name, type, surface, rule)\n"
	"  DO UPDATE SET mentions = mentions + excluded.mentions",
	"DELETE FROM entity_forms WHERE mentions <= 0\n"
	"  AND entity_id IN (SELECT entity_id FROM temp.dforms)",
	/* One row per touched entity. */
	"INSERT INTO temp.stats (id, ddocs, amin, amax, recount)\n"
	"  SELECT entity_id, sum(plus - minus),\n"
	"         min(CASE WHEN plus THEN date END),\n"
	"         max(CASE WHEN plus THEN date END), max(minus)\n"
	"  FROM temp.ddocs GROUP BY entity_id",
	"UPDATE temp.stats SET\n"
	"  mentions = (SELECT sum(f.mentions) FROM entity_forms f\n"
	"              WHERE f.entity_id = stats.id),\n"
	"  name = (SELECT f.name FROM entity_forms f WHERE f.entity_id = stats.id\n"
	"          GROUP BY f.name\n"
	"          ORDER BY sum(f.mentions) DESC, length(f.name) DESC, f.name\n"
	"          LIMIT 1),\n"
	"  type = (SELECT f.type FROM entity_forms f WHERE f.entity_id = stats.id\n"
	"          GROUP BY f.type\n"
	"          ORDER BY sum(f.mentions) DESC, CASE f.type\n"
	"            WHEN 'person' THEN 0 WHEN 'company' THEN 1\n"
	"            WHEN 'government' THEN 2 WHEN 'organization' THEN 3\n"
	"            WHEN 'media' THEN 4 WHEN 'country' THEN 5\n"
	"            WHEN 'location' THEN 6 WHEN 'target' THEN 7\n"
	"            ELSE 8 END, f.type\n"
	"          LIMIT 1)",
	"UPDATE entities SET name = s.name, type = s.type,\n"
	"  mentions = s.mentions, documents = documents + s.ddocs,\n"
	"  first_seen = coalesce(min(first_seen, s.amin), first_seen, s.amin),\n"
	"  last_seen = coalesce(max(last_seen, s.amax), last_seen, s.amax)\n"
	"  FROM temp.stats s\n"
	"  WHERE s.id = entities.id AND s.mentions > 0 AND NOT s.recount",
	"UPDATE entities SET name = s.name, type = s.type,\n"
	"  mentions = s.mentions,\n"
	"  (documents, first_seen, last_seen) = (\n"
	"    SELECT count(DISTINCT m.document_id), min(d.date), max(d.date)\n"
	"    FROM mentions m JOIN documents d ON d.id = m.document_id\n"
	"    WHERE m.entity_id = entities.id)\n"
	"  FROM temp.stats s\n"
	"  WHERE s.id = entities.id AND s.mentions > 0 AND s.recount",
	"DELETE FROM aliases WHERE entity_id IN (SELECT id FROM temp.stats)",
	"INSERT INTO aliases (entity_id, alias, rule, mentions)\n"
	"  SELECT entity_id, surface, rule, total FROM (\n"
	"    SELECT entity_id, surface, rule,\n"
	"      sum(sum(mentions)) OVER (PARTITION BY entity_id, surface)\n"
	"        AS total,\n"
	"      row_number() OVER (PARTITION BY entity_id, surface\n"
	"                         ORDER BY sum(mentions) DESC, rule) AS rn\n"
	"    FROM entity_forms\n"
	"    WHERE entity_id IN (SELECT id FROM temp.stats WHERE mentions > 0)\n"
	"    GROUP BY entity_id, surface, rule)\n"
	"  WHERE rn = 1",
	/* Evidence deltas per pair: a pair gains or loses whole documents. */
	"INSERT INTO temp.dedges\n"
	"  SELECT source, target, sum(n),\n"
	"         sum(CASE WHEN n > 0 THEN 1 ELSE -1 END),\n"
	"         min(date), max(date), max(n < 0) FROM (\n"
	"    SELECT x.source, x.target, x.n, d.date FROM (\n"
	"      SELECT source, target, document_id, count(*) AS n FROM evidence\n"
	"      WHERE id >= ?2 GROUP BY source, target, document_id) x\n"
	"    JOIN documents d ON d.id = x.document_id\n"
	"    UNION ALL\n"
	"    SELECT source, target, -count(*), NULL FROM temp.removed_e\n"
	"    GROUP BY source, target, document_id)\n"
	"  GROUP BY source, target",
	"INSERT INTO edges (source, target, weight, documents, first_seen,\n"
	"                   last_seen)\n"
	"  SELECT source, target, n, docs, amin, amax FROM temp.dedges\n"
	"  WHERE true\n"
	"  ON CONFLICT (source, target) DO UPDATE SET\n"
	"    weight = weight + excluded.weight,\n"
	"    documents = documents + excluded.documents,\n"
	"    first_seen = coalesce(min(first_seen, excluded.first_seen),\n"
	"                          first_seen, excluded.first_seen),\n"
	"    last_seen = coalesce(max(last_seen, excluded.last_seen),\n"
	"                         last_seen, excluded.last_seen)",
	"DELETE FROM edges WHERE weight <= 0\n"
	"  AND (source, target) IN (SELECT source, target FROM temp.dedges)",
	"UPDATE edges SET (first_seen, last_seen) = (\n"
	"    SELECT min(d.date), max(d.date)\n"
	"    FROM evidence e JOIN documents d ON d.id = e.document_id\n"
	"    WHERE e.source = edges.source AND e.target = edges.target)\n"
	"  WHERE (source, target) IN\n"
	"    (SELECT source, target FROM temp.dedges WHERE recount)",
	"DELETE FROM entities WHERE id IN\n"
	"  (SELECT id FROM temp.stats WHERE ifnull(mentions, 0) <= 0)",
};

enum stmt_id {
	ST_DOC_FIND,
	ST_DOC_INSERT,
	ST_DOC_UPDATE,
	ST_REMOVE_MENTIONS,
	ST_REMOVE_EVIDENCE,
	ST_DDOCS_FORGET,
	ST_DDOCS_MINUS,
	ST_DDOCS_PLUS,
	ST_DEL_EVIDENCE,
	ST_DEL_MENTIONS,
	ST_ENT_FIND,
	ST_ENT_INSERT,
	ST_MENTION_INSERT,
	ST_EVIDENCE_INSERT,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_DOC_FIND] = "SELECT id, hash FROM documents WHERE doc_id = ?1",
	[ST_DOC_INSERT] = "INSERT INTO documents (doc_id, title, url, date, "
			  "source, hash, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_DOC_UPDATE] = "UPDATE documents SET title = ?2, url = ?3, "
			  "date = ?4, source = ?5, hash = ?6, text = ?7 "
			  "WHERE id = ?1",
	[ST_REMOVE_MENTIONS] = "INSERT INTO temp.removed_m SELECT entity_id, "
	                       "document_id, name, type, surface, rule "
	                       "FROM mentions WHERE document_id = ?1 AND id < ?2",
	[ST_REMOVE_EVIDENCE] = "INSERT INTO temp.removed_e SELECT source, "
	                       "target, document_id FROM evidence "
	                       "WHERE document_id = ?1 AND id < ?2",
	/* A document replaced twice in one batch: its first version's pairs
	 * are gone again. */
	[ST_DDOCS_FORGET] = "UPDATE temp.ddocs SET plus = 0 "
	                    "WHERE document_id = ?1",
	[ST_DDOCS_MINUS] = "INSERT INTO temp.ddocs (entity_id, document_id, "
	                   "plus, minus) SELECT DISTINCT entity_id, "
	                   "document_id, 0, 1 FROM mentions "
	                   "WHERE document_id = ?1 AND id < ?2 AND true "
	                   "ON CONFLICT (entity_id, document_id) "
	                   "DO UPDATE SET minus = 1",
	[ST_DDOCS_PLUS] = "INSERT INTO temp.ddocs (entity_id, document_id, "
	                  "date, plus, minus) VALUES (?1, ?2, ?3, 1, 0) "
	                  "ON CONFLICT (entity_id, document_id) "
	                  "DO UPDATE SET plus = 1, date = excluded.date",
	[ST_DEL_EVIDENCE] = "DELETE FROM evidence WHERE document_id = ?1",
	[ST_DEL_MENTIONS] = "DELETE FROM mentions WHERE document_id = ?1",
	[ST_ENT_FIND] = "SELECT id FROM entities WHERE key = ?1",
	[ST_ENT_INSERT] = "INSERT INTO entities (uid, key, name, type) "
			  "VALUES (?1, ?2, ?3, ?4)",
	[ST_MENTION_INSERT] = "INSERT INTO mentions (document_id, entity_id, "
			      "start, end, sentence, surface, name, type, rule) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_EVIDENCE_INSERT] = "INSERT INTO evidence (source, target, "
			       "document_id, start, end) "
			       "VALUES (?1, ?2, ?3, ?4, ?5)",
};

/* clang-format on */

struct xref_case {
	sqlite3 *db;
	char *path;
	enum xref_window window;
	bool readonly;
	bool in_batch;
	bool batch_failed; /* a document failed halfway: commit refused */
	/* Ids of the first mention and evidence rows the batch inserted (0:
	 * none yet): the batch's rows are those from there on. */
	sqlite3_int64 first_mention, first_evidence;
	sqlite3_stmt *st[ST_COUNT]; /* NULL when read-only */
};

static const char *const window_names[] = {"sentence", "paragraph", "document"};

const char *xref_window_name(enum xref_window w)
{
	if ((unsigned)w > XREF_WINDOW_DOCUMENT)
		return "unknown";
	return window_names[w];
}

int xref_window_parse(enum xref_window *out, const char *name)
{
	for (int i = 0; i <= XREF_WINDOW_DOCUMENT; i++) {
		if (strcmp(name, window_names[i]) == 0) {
			*out = (enum xref_window)i;
			return 0;
		}
	}
	return xref_error_set(XREF_EINVAL, "unknown window '%s'", name);
}

sqlite3 *xref_case_sqlite(struct xref_case *c)
{
	return c->db;
}

enum xref_window xref_case_window(const struct xref_case *c)
{
	return c->window;
}

static int db_fail(struct xref_case *c, const char *what)
{
	return xref_error_set(XREF_ERROR, "case file '%s': cannot %s: %s",
	                      c->path, what, sqlite3_errmsg(c->db));
}

/* Runs one or more statements without results. */
static int exec(struct xref_case *c, const char *sql, const char *what)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(c, what);
	return 0;
}

/* Steps a prepared statement that returns no row, then resets it. */
static int step_done(struct xref_case *c, sqlite3_stmt *st, const char *what)
{
	int s = sqlite3_step(st);
	int rc = 0;

	if (s != SQLITE_DONE)
		rc = db_fail(c, what);
	sqlite3_reset(st);
	return rc;
}

/* ---- content hash ---- */

/*
 * Two independent 64-bit hashes (FNV-1a and a rotate-multiply hash) over
 * each field with a presence byte and its length, so NULL, "" and moved
 * bytes between fields all hash differently. It only detects changes;
 * nothing trusts it against an adversary.
 */
struct hash2 {
	uint64_t a, b;
};

static void hash_bytes(struct hash2 *h, const unsigned char *p, size_t n)
{
	uint64_t a = h->a, b = h->b;

	for (size_t i = 0; i < n; i++) {
		a = (a ^ p[i]) * 1099511628211ULL;
		b = (((b << 5) | (b >> 59)) ^ p[i]) * 0x517cc1b727220a95ULL;
	}
	h->a = a;
	h->b = b;
}

static void hash_field(struct hash2 *h, const char *s, size_t n)
{
	unsigned char head[9];
	uint64_t len = s ? (uint64_t)n : 0;

	head[0] = s ? 1 : 0;
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)(len >> (8 * i));
	hash_bytes(h, head, sizeof(head));
	if (s)
		hash_bytes(h, (const unsigned char *)s, n);
}

static void doc_hash(char out[33], const struct xref_doc *doc)
{
	static const char hex[] = "0123456789abcdef";
	struct hash2 h = {14695981039346656037ULL, 0x9e3779b97f4a7c15ULL};
	uint64_t v[2];

	hash_field(&h, doc->title, doc->title ? strlen(doc->title) : 0);
	hash_field(&h, doc->url, doc->url ? strlen(doc->url) : 0);
	hash_field(&h, doc->date, doc->date ? strlen(doc->date) : 0);
	hash_field(&h, doc->text ? doc->text : "",
	           doc->text ? doc->text_len : 0);
	h.b ^= h.b >> 33;
	h.b *= 0xff51afd7ed558ccdULL;
	h.b ^= h.b >> 33;
	v[0] = h.a;
	v[1] = h.b;
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 16; i++)
			out[16 * k + i] = hex[(v[k] >> (60 - 4 * i)) & 0xf];
	out[32] = '\0';
}

/* ---- open, create, close ---- */

/* Reads one integer PRAGMA. */
static int pragma_int(struct xref_case *c, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = -1;
		goto out;
	}
	*out = sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	return rc;
}

/* Creates the schema in an empty file: 0, 1 when another process created
 * it meanwhile, or an error. */
static int create_schema(struct xref_case *c)
{
	char pragmas[160];
	sqlite3_stmt *st = NULL;

	long long objects = 0;
	int rc;

	rc = exec(c, "BEGIN IMMEDIATE", "start a transaction");
	if (rc < 0)
		goto out;
	/* Another process may have created it while we waited for the lock:
	 * then it is checked like any existing file. */
	if (pragma_int(c, "SELECT count(*) FROM sqlite_schema", &objects) < 0) {
		rc = db_fail(c, "read the schema");
		goto out;
	}
	if (objects > 0) {
		rc = exec(c, "ROLLBACK", "read the schema");
		if (rc == 0)
			rc = 1;
		goto out;
	}
	rc = exec(c, SCHEMA_SQL, "create the schema");
	if (rc == 0)
		rc = exec(c, VIEWS_SQL, "create the views");
	if (rc < 0)
		goto out;
	if (sqlite3_prepare_v2(c->db,
	                       "INSERT INTO meta (key, value) VALUES "
	                       "('schema_version', ?1), ('window', ?2), "
	                       "('generator', 'xref')",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(c, "write meta");
		goto out;
	}
	sqlite3_bind_int(st, 1, XREF_CASE_SCHEMA_VERSION);
	sqlite3_bind_text(st, 2, xref_window_name(c->window), -1,
	                  SQLITE_STATIC);
	rc = step_done(c, st, "write meta");
	if (rc < 0)
		goto out;
	snprintf(pragmas, sizeof(pragmas),
	         "PRAGMA application_id = %d; PRAGMA user_version = %d;",
	         XREF_APPLICATION_ID, XREF_CASE_SCHEMA_VERSION);
	rc = exec(c, pragmas, "write the file header");
	if (rc < 0)
		goto out;
	rc = exec(c, "COMMIT", "commit the schema");
out:
	sqlite3_finalize(st);
	if (rc < 0 && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int read_window(struct xref_case *c)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc = 0;

	if (sqlite3_prepare_v2(c->db,
	                       "SELECT value FROM meta WHERE key = 'window'",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = xref_error_set(XREF_EDATA,
		                    "case file '%s' has no window in meta",
		                    c->path);
		goto out;
	}
	v = (const char *)sqlite3_column_text(st, 0);
	if (!v || xref_window_parse(&c->window, v) < 0)
		rc = xref_error_set(XREF_EDATA,
		                    "case file '%s' has an unknown window '%s'",
		                    c->path, v ? v : "");
out:
	sqlite3_finalize(st);
	return rc;
}

/* Checks the file header and creates the schema in an empty file. */
static int check_or_create(struct xref_case *c, int flags)
{
	long long app = 0, version = 0, objects = 0;
	int rc = 0;

	if (pragma_int(c, "PRAGMA application_id", &app) < 0 ||
	    pragma_int(c, "PRAGMA user_version", &version) < 0 ||
	    pragma_int(c, "SELECT count(*) FROM sqlite_schema", &objects) < 0) {
		if ((sqlite3_extended_errcode(c->db) & 0xff) == SQLITE_NOTADB)
			rc = xref_error_set(XREF_EDATA,
			                    "'%s' is not an xref case file",
			                    c->path);
		else
			rc = xref_error_set(XREF_EIO,
			                    "cannot read case file '%s': %s",
			                    c->path, sqlite3_errmsg(c->db));
		goto out;
	}
	if (app == 0 && version == 0 && objects == 0) {
		/* An empty database: what a run killed before its first
		 * commit leaves behind. */
		if (!(flags & XREF_CASE_CREATE)) {
			rc = xref_error_set(XREF_EDATA,
			                    "case file '%s' is empty", c->path);
			goto out;
		}
		rc = create_schema(c);
		if (rc != 1)
			goto out;
		rc = 0;
		if (pragma_int(c, "PRAGMA application_id", &app) < 0 ||
		    pragma_int(c, "PRAGMA user_version", &version) < 0) {
			rc = db_fail(c, "read the file header");
			goto out;
		}
	}
	if (app != XREF_APPLICATION_ID) {
		rc = xref_error_set(XREF_EDATA, "'%s' is not an xref case file",
		                    c->path);
		goto out;
	}
	if (version > XREF_CASE_SCHEMA_VERSION) {
		rc =
		    xref_error_set(XREF_EVERSION,
		                   "case file '%s' was written by a newer xref "
		                   "(schema %lld); this one reads schema %d",
		                   c->path, version, XREF_CASE_SCHEMA_VERSION);
		goto out;
	}
	if (version < 1) {
		rc = xref_error_set(XREF_EDATA,
		                    "case file '%s' has no schema version",
		                    c->path);
		goto out;
	}
	rc = read_window(c);
out:
	return rc;
}

/*
 * A writer killed in the middle of a batch leaves a journal behind. The
 * next connection that reads the file must first put the pages of the
 * unfinished batch back from it, which a read-only connection cannot do
 * (SQLITE_READONLY_ROLLBACK). In that case the file is opened for writing
 * just long enough to read it, which rolls the batch back, and reopened
 * read-only. Nothing of the committed batches is touched.
 */
static int recover(struct xref_case *c, int oflags)
{
	static const char probe[] = "SELECT count(*) FROM sqlite_schema";
	sqlite3 *rw = NULL;
	int rc = 0, s;

	if (sqlite3_exec(c->db, probe, NULL, NULL, NULL) == SQLITE_OK ||
	    sqlite3_extended_errcode(c->db) != SQLITE_READONLY_ROLLBACK)
		return 0; /* healthy, or an error the checks will report */
	sqlite3_close(c->db);
	c->db = NULL;
	s = sqlite3_open_v2(c->path, &rw,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (s == SQLITE_OK) {
		sqlite3_busy_timeout(rw, 5000);
		s = sqlite3_exec(rw, probe, NULL, NULL, NULL);
	}
	if (s != SQLITE_OK) {
		rc = xref_error_set(
		    XREF_EIO,
		    "case file '%s' was interrupted while being "
		    "written and cannot be repaired without "
		    "write access: %s",
		    c->path, rw ? sqlite3_errmsg(rw) : "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(c->path, &c->db, oflags, NULL) != SQLITE_OK) {
		rc = xref_error_set(c->db ? XREF_EIO : XREF_ENOMEM,
		                    "cannot open case file '%s': %s", c->path,
		                    c->db ? sqlite3_errmsg(c->db)
		                          : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
out:
	sqlite3_close(rw);
	return rc;
}

int xref_case_open(struct xref_case **out, const char *path, int flags,
                   enum xref_window window)
{
	struct xref_case *c = NULL;
	struct stat sb;
	int oflags, rc = 0;

	*out = NULL;
	if (!path ||
	    ((flags & XREF_CASE_CREATE) && (flags & XREF_CASE_READONLY)) ||
	    (unsigned)window > XREF_WINDOW_DOCUMENT) {
		rc = xref_error_set(XREF_EINVAL, "invalid case file arguments");
		goto out;
	}
	if (!(flags & XREF_CASE_CREATE) && stat(path, &sb) != 0) {
		rc = xref_error_set(errno == ENOENT ? XREF_ENOTFOUND : XREF_EIO,
		                    "cannot open case file '%s': %s", path,
		                    strerror(errno));
		goto out;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	c->window = window;
	c->readonly = (flags & XREF_CASE_READONLY) != 0;
	/* One connection per case, used by one thread at a time: SQLite's own
	 * locking would only cost time (6% of an ingest, measured). */
	oflags = SQLITE_OPEN_NOMUTEX |
	         (c->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	if (flags & XREF_CASE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &c->db, oflags, NULL) != SQLITE_OK) {
		rc = xref_error_set(c->db ? XREF_EIO : XREF_ENOMEM,
		                    "cannot open case file '%s': %s", path,
		                    c->db ? sqlite3_errmsg(c->db)
		                          : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	if (c->readonly) {
		rc = recover(c, oflags);
		if (rc < 0)
			goto out;
	}
	rc = exec(c, "PRAGMA foreign_keys = ON", "enable foreign keys");
	if (rc < 0)
		goto out;
	rc = check_or_create(c, flags);
	if (rc < 0)
		goto out;
	if (!c->readonly) {
		/* A file someone switched to WAL is switched back, so that
		 * the case stays one self-contained file. */
		rc = exec(
		    c,
		    "PRAGMA journal_mode = DELETE;"
		    "PRAGMA synchronous = FULL;"
		    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
		    "configure the database");
		if (rc < 0)
			goto out;
		rc = exec(c, VIEWS_SQL, "create the views");
		if (rc < 0)
			goto out;
		rc = exec(c, TEMP_SQL, "create the batch table");
		if (rc < 0)
			goto out;
		for (int i = 0; i < ST_COUNT; i++) {
			if (sqlite3_prepare_v3(c->db, stmt_sql[i], -1,
			                       SQLITE_PREPARE_PERSISTENT,
			                       &c->st[i], NULL) != SQLITE_OK) {
				rc = db_fail(c, "prepare a statement");
				goto out;
			}
		}
	}
	*out = c;
	c = NULL;
out:
	xref_case_free(c);
	return rc;
}

void xref_case_free(struct xref_case *c)
{
	if (!c)
		return;
	if (c->in_batch)
		xref_case_rollback(c);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

/* ---- batches ---- */

int xref_case_begin(struct xref_case *c)
{
	int rc;

	if (c->readonly)
		return xref_error_set(
		    XREF_EINVAL, "case file '%s' is open read-only", c->path);
	if (c->in_batch)
		return xref_error_set(XREF_EINVAL,
		                      "case file '%s': a batch is already open",
		                      c->path);
	/* IMMEDIATE takes the write lock now, so a second writer waits
	 * (busy timeout) instead of failing halfway through the batch. */
	rc = exec(c, "BEGIN IMMEDIATE", "start a batch");
	if (rc < 0)
		return rc;
	rc = exec(c, CLEAR_TEMP_SQL, "start a batch");
	if (rc < 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	c->in_batch = true;
	c->batch_failed = false;
	c->first_mention = c->first_evidence = 0;
	return 0;
}

/* The first id the batch gave a row, or past every id when none yet. */
static sqlite3_int64 batch_first(sqlite3_int64 first)
{
	return first ? first : INT64_MAX;
}

/* Brings the derived tables up to date with the batch (see COMMIT_SQL). */
static int derive(struct xref_case *c)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	for (size_t i = 0; i < sizeof(COMMIT_SQL) / sizeof(COMMIT_SQL[0]);
	     i++) {
		if (sqlite3_prepare_v2(c->db, COMMIT_SQL[i], -1, &st, NULL) !=
		    SQLITE_OK) {
			rc = db_fail(c, "update entities and edges");
			goto out;
		}
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_int64(st, 1,
			                   batch_first(c->first_mention));
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_int64(st, 2,
			                   batch_first(c->first_evidence));
		rc = step_done(c, st, "update entities and edges");
		if (rc < 0)
			goto out;
		sqlite3_finalize(st);
		st = NULL;
	}
	rc = exec(c, CLEAR_TEMP_SQL, "update entities and edges");
out:
	sqlite3_finalize(st);
	return rc;
}

int xref_case_commit(struct xref_case *c)
{
	int rc;

	if (!c->in_batch)
		return xref_error_set(
		    XREF_EINVAL, "case file '%s': no batch is open", c->path);
	if (c->batch_failed) {
		rc = xref_error_set(XREF_ERROR,
		                    "case file '%s': a document failed to be "
		                    "stored; the batch was rolled back",
		                    c->path);
		goto out;
	}
	rc = derive(c);
	if (rc < 0)
		goto out;
	rc = exec(c, "COMMIT", "commit");
out:
	if (rc < 0)
		xref_case_rollback(c);
	c->in_batch = false;
	return rc;
}

void xref_case_rollback(struct xref_case *c)
{
	if (!c || !c->in_batch)
		return;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_batch = false;
}

/* ---- documents ---- */

/* Finds a document by doc_id: *id is 0 when absent. */
static int find_document(struct xref_case *c, const char *doc_id,
                         sqlite3_int64 *id, char hash[33])
{
	sqlite3_stmt *st = c->st[ST_DOC_FIND];
	int s, rc = 0;

	*id = 0;
	hash[0] = '\0';
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);

		*id = sqlite3_column_int64(st, 0);
		if (h && strlen(h) == 32)
			memcpy(hash, h, 33);
	} else if (s != SQLITE_DONE) {
		rc = db_fail(c, "look up a document");
	}
	sqlite3_reset(st);
	return rc;
}

static int find_document_ro(struct xref_case *c, const char *doc_id,
                            char hash[33], bool *found)
{
	sqlite3_stmt *st = NULL;
	int s, rc = 0;

	*found = false;
	hash[0] = '\0';
	if (sqlite3_prepare_v2(c->db, stmt_sql[ST_DOC_FIND], -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(c, "look up a document");
		goto out;
	}
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);

		*found = true;
		if (h && strlen(h) == 32)
			memcpy(hash, h, 33);
	} else if (s != SQLITE_DONE) {
		rc = db_fail(c, "look up a document");
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int xref_case_document_unchanged(struct xref_case *c,
                                 const struct xref_doc *doc, bool *unchanged)
{
	char want[33], have[33];
	sqlite3_int64 id;
	bool found;
	int rc;

	*unchanged = false;
	if (!doc || !doc->id)
		return xref_error_set(XREF_EINVAL, "document without an id");
	doc_hash(want, doc);
	if (c->st[ST_DOC_FIND]) {
		rc = find_document(c, doc->id, &id, have);
		found = id != 0;
	} else {
		rc = find_document_ro(c, doc->id, have, &found);
	}
	if (rc < 0)
		return rc;
	*unchanged = found && strcmp(want, have) == 0;
	return 0;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Writes the document row (insert or update in place, keeping its id). */
static int write_document(struct xref_case *c, const struct xref_doc *doc,
                          const char *hash, sqlite3_int64 *id)
{
	sqlite3_stmt *st = c->st[*id ? ST_DOC_UPDATE : ST_DOC_INSERT];
	int rc;

	if (*id)
		sqlite3_bind_int64(st, 1, *id);
	else
		sqlite3_bind_text(st, 1, doc->id, -1, SQLITE_STATIC);
	bind_opt_text(st, 2, doc->title);
	bind_opt_text(st, 3, doc->url);
	bind_opt_text(st, 4, doc->date);
	bind_opt_text(st, 5, doc->source);
	sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	if (doc->text)
		sqlite3_bind_text64(st, 7, doc->text, doc->text_len,
		                    SQLITE_STATIC, SQLITE_UTF8);
	else
		sqlite3_bind_text(st, 7, "", 0, SQLITE_STATIC);
	rc = step_done(c, st, "write a document");
	if (rc == 0 && !*id)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

/* Forgets a document's mentions and evidence, keeping the rows that were
 * there before the batch for the commit's deltas. */
static int clear_document(struct xref_case *c, sqlite3_int64 id)
{
	static const enum stmt_id steps[] = {
	    ST_REMOVE_MENTIONS, ST_REMOVE_EVIDENCE, ST_DDOCS_FORGET,
	    ST_DDOCS_MINUS,     ST_DEL_EVIDENCE,    ST_DEL_MENTIONS};
	int rc = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *st = c->st[steps[i]];

		sqlite3_bind_int64(st, 1, id);
		if (steps[i] == ST_REMOVE_MENTIONS ||
		    steps[i] == ST_DDOCS_MINUS)
			sqlite3_bind_int64(st, 2,
			                   batch_first(c->first_mention));
		else if (steps[i] == ST_REMOVE_EVIDENCE)
			sqlite3_bind_int64(st, 2,
			                   batch_first(c->first_evidence));
		rc = step_done(c, st, "replace a document");
		if (rc < 0)
			break;
	}
	return rc;
}

struct key_ref {
	const char *key;
	size_t i;
};

static int cmp_key_ref(const void *pa, const void *pb)
{
	const struct key_ref *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

/* Finds or creates the entity of each mention; ent[i] gets its id. Each
 * distinct key is looked up once per document. */
static int resolve_entities(struct xref_case *c, const struct xref_doc *doc,
                            sqlite3_int64 doc_row,
                            const struct xref_mentions *m, sqlite3_int64 *ent)
{
	struct key_ref *refs = NULL;
	sqlite3_int64 id = 0;
	int rc = 0;

	if (m->n == 0)
		goto out;
	refs = malloc(m->n * sizeof(*refs)); /* caller checked m->n */
	if (!refs) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m->n; i++) {
		refs[i].key = m->v[i].key;
		refs[i].i = i;
	}
	qsort(refs, m->n, sizeof(*refs), cmp_key_ref);
	for (size_t k = 0; k < m->n; k++) {
		const struct xref_mention *mm = &m->v[refs[k].i];
		sqlite3_stmt *st;
		char uid[17];
		int s;

		if (k > 0 && strcmp(refs[k - 1].key, refs[k].key) == 0) {
			ent[refs[k].i] = id;
			continue;
		}
		st = c->st[ST_ENT_FIND];
		sqlite3_bind_text(st, 1, mm->key, -1, SQLITE_STATIC);
		s = sqlite3_step(st);
		id = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (s != SQLITE_ROW && s != SQLITE_DONE) {
			rc = db_fail(c, "look up an entity");
			goto out;
		}
		if (!id) {
			/* Name and type are provisional: the commit
			 * recomputes them by vote over the mentions. */
			st = c->st[ST_ENT_INSERT];
			xref_entity_uid(uid, mm->key);
			sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, mm->key, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, mm->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, xref_type_name(mm->type), -1,
			                  SQLITE_STATIC);
			rc = step_done(c, st, "add an entity");
			if (rc < 0)
				goto out;
			id = sqlite3_last_insert_rowid(c->db);
		}
		/* The document counts once for this entity (see ddocs). */
		st = c->st[ST_DDOCS_PLUS];
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, doc_row);
		if (doc->date)
			sqlite3_bind_text(st, 3, doc->date, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 3);
		rc = step_done(c, st, "add an entity");
		if (rc < 0)
			goto out;
		ent[refs[k].i] = id;
	}
out:
	free(refs);
	return rc;
}

static int insert_mentions(struct xref_case *c, const struct xref_doc *doc,
                           const struct xref_mentions *m,
                           const sqlite3_int64 *ent, sqlite3_int64 doc_row)
{
	sqlite3_stmt *st = c->st[ST_MENTION_INSERT];
	int rc = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct xref_mention *mm = &m->v[i];

		sqlite3_bind_int64(st, 1, doc_row);
		sqlite3_bind_int64(st, 2, ent[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)mm->start);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)mm->end);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)mm->sentence);
		sqlite3_bind_text64(st, 6, doc->text + mm->start,
		                    mm->end - mm->start, SQLITE_STATIC,
		                    SQLITE_UTF8);
		sqlite3_bind_text(st, 7, mm->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, xref_type_name(mm->type), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 9, mm->rule ? mm->rule : "unknown", -1,
		                  SQLITE_STATIC);
		rc = step_done(c, st, "add a mention");
		if (rc < 0)
			break;
		if (!c->first_mention)
			c->first_mention = sqlite3_last_insert_rowid(c->db);
	}
	return rc;
}

/* One entity in one window; `first` is the first sentence holding it. */
struct occurrence {
	size_t window;
	sqlite3_int64 entity;
	size_t first;
};

static int cmp_occurrence(const void *pa, const void *pb)
{
	const struct occurrence *a = pa, *b = pb;

	if (a->window != b->window)
		return a->window < b->window ? -1 : 1;
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/* One evidence row per window and pair of distinct entities in it. */
static int insert_evidence(struct xref_case *c,
                           const struct xref_segmentation *seg,
                           const struct xref_mentions *m,
                           const sqlite3_int64 *ent, sqlite3_int64 doc_row)
{
	sqlite3_stmt *st = c->st[ST_EVIDENCE_INSERT];
	struct occurrence *occ = NULL;
	size_t n = 0, i = 0;
	int rc = 0;

	if (m->n < 2)
		goto out;
	occ = malloc(m->n * sizeof(*occ)); /* caller checked m->n */
	if (!occ) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < m->n; k++) {
		size_t s = m->v[k].sentence;

		occ[k].entity = ent[k];
		occ[k].first = s;
		switch (c->window) {
		case XREF_WINDOW_SENTENCE:
			occ[k].window = s;
			break;
		case XREF_WINDOW_PARAGRAPH:
			occ[k].window = seg->sentences[s].paragraph;
			break;
		default:
			occ[k].window = 0;
			break;
		}
	}
	qsort(occ, m->n, sizeof(*occ), cmp_occurrence);
	/* Keep the first occurrence of each entity in each window. */
	for (size_t k = 0; k < m->n; k++) {
		if (n > 0 && occ[n - 1].window == occ[k].window &&
		    occ[n - 1].entity == occ[k].entity)
			continue;
		occ[n++] = occ[k];
	}
	while (i < n) {
		size_t j = i;

		while (j < n && occ[j].window == occ[i].window)
			j++;
		for (size_t a = i; a < j; a++) {
			for (size_t b = a + 1; b < j; b++) {
				size_t start, end, lo, hi;

				if (c->window == XREF_WINDOW_SENTENCE) {
					start =
					    seg->sentences[occ[a].window].start;
					end = seg->sentences[occ[a].window].end;
				} else if (c->window == XREF_WINDOW_PARAGRAPH) {
					start = seg->paragraphs[occ[a].window]
					            .start;
					end =
					    seg->paragraphs[occ[a].window].end;
				} else {
					/* From the first sentence of one to
					 * the first sentence of the other. */
					lo = occ[a].first < occ[b].first
					         ? occ[a].first
					         : occ[b].first;
					hi = occ[a].first < occ[b].first
					         ? occ[b].first
					         : occ[a].first;
					start = seg->sentences[lo].start;
					end = seg->sentences[hi].end;
				}
				sqlite3_bind_int64(st, 1, occ[a].entity);
				sqlite3_bind_int64(st, 2, occ[b].entity);
				sqlite3_bind_int64(st, 3, doc_row);
				sqlite3_bind_int64(st, 4, (sqlite3_int64)start);
				sqlite3_bind_int64(st, 5, (sqlite3_int64)end);
				rc = step_done(c, st, "add evidence");
				if (rc < 0)
					goto out;
				if (!c->first_evidence)
					c->first_evidence =
					    sqlite3_last_insert_rowid(c->db);
			}
		}
		i = j;
	}
out:
	free(occ);
	return rc;
}

/* Rejects mentions and segmentations that do not fit the text, before
 * anything is written. */
static int check_input(const struct xref_case *c, const struct xref_doc *doc,
                       const struct xref_segmentation *seg,
                       const struct xref_mentions *m)
{
	size_t len = doc->text ? doc->text_len : 0;

	if (m->n > SIZE_MAX / sizeof(struct occurrence) ||
	    m->n > SIZE_MAX / sizeof(sqlite3_int64) ||
	    m->n > SIZE_MAX / sizeof(struct key_ref))
		return xref_error_set(XREF_ENOMEM, "too many mentions");
	for (size_t i = 0; seg && i < seg->n_sentences; i++) {
		const struct xref_sentence *s = &seg->sentences[i];

		if (s->start > s->end || s->end > len ||
		    (c->window == XREF_WINDOW_PARAGRAPH &&
		     s->paragraph >= seg->n_paragraphs))
			return xref_error_set(
			    XREF_EINVAL,
			    "document '%s': sentence %zu out of range", doc->id,
			    i);
	}
	for (size_t i = 0; seg && i < seg->n_paragraphs; i++) {
		if (seg->paragraphs[i].start > seg->paragraphs[i].end ||
		    seg->paragraphs[i].end > len)
			return xref_error_set(
			    XREF_EINVAL,
			    "document '%s': paragraph %zu out of range",
			    doc->id, i);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct xref_mention *mm = &m->v[i];

		if (!mm->key || !mm->name ||
		    (unsigned)mm->type >= XREF_TYPE_COUNT ||
		    mm->start > mm->end || mm->end > len || !seg ||
		    mm->sentence >= seg->n_sentences)
			return xref_error_set(
			    XREF_EINVAL,
			    "document '%s': mention %zu out of range", doc->id,
			    i);
	}
	return 0;
}

int xref_case_add_document(struct xref_case *c, const struct xref_doc *doc,
                           const struct xref_segmentation *seg,
                           const struct xref_mentions *m,
                           enum xref_add_result *result)
{
	static const struct xref_mentions none = {NULL, 0, 0};
	sqlite3_int64 *ent = NULL;
	sqlite3_int64 doc_row = 0;
	char hash[33], old[33];
	bool writing = false;
	enum xref_add_result res = XREF_DOC_ADDED;
	int rc;

	if (!m)
		m = &none;
	if (!doc || !doc->id) {
		rc = xref_error_set(XREF_EINVAL, "document without an id");
		goto out;
	}
	if (!c->in_batch) {
		rc = xref_error_set(
		    XREF_EINVAL, "case file '%s': no batch is open", c->path);
		goto out;
	}
	rc = check_input(c, doc, seg, m);
	if (rc < 0)
		goto out;
	doc_hash(hash, doc);
	rc = find_document(c, doc->id, &doc_row, old);
	if (rc < 0)
		goto out;
	if (doc_row && strcmp(hash, old) == 0) {
		res = XREF_DOC_UNCHANGED;
		goto out;
	}
	if (m->n) {
		ent = malloc(m->n * sizeof(*ent));
		if (!ent) {
			rc = xref_error_set(XREF_ENOMEM, "out of memory");
			goto out;
		}
	}
	/* From here on a failure leaves part of the document written: the
	 * batch is marked failed and can only be rolled back. Input errors
	 * were caught above, so only database errors (I/O, a full disk) get
	 * here; a savepoint per document would protect the batch from those
	 * too, but doubled the cost of adding a document. */
	writing = true;
	if (doc_row) {
		res = XREF_DOC_REPLACED;
		rc = clear_document(c, doc_row);
		if (rc < 0)
			goto out;
	}
	rc = write_document(c, doc, hash, &doc_row);
	if (rc < 0)
		goto out;
	rc = resolve_entities(c, doc, doc_row, m, ent);
	if (rc < 0)
		goto out;
	rc = insert_mentions(c, doc, m, ent, doc_row);
	if (rc < 0)
		goto out;
	rc = insert_evidence(c, seg, m, ent, doc_row);
out:
	if (rc < 0 && writing)
		c->batch_failed = true;
	if (rc == 0 && result)
		*result = res;
	free(ent);
	return rc;
}

int xref_case_counts(struct xref_case *c, struct xref_case_counts *out)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM documents),"
	                          " (SELECT count(*) FROM entities),"
	                          " (SELECT count(*) FROM aliases),"
	                          " (SELECT count(*) FROM mentions),"
	                          " (SELECT count(*) FROM edges),"
	                          " (SELECT count(*) FROM evidence)";
	sqlite3_stmt *st = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(c, "count rows");
		goto out;
	}
	out->documents = (long)sqlite3_column_int64(st, 0);
	out->entities = (long)sqlite3_column_int64(st, 1);
	out->aliases = (long)sqlite3_column_int64(st, 2);
	out->mentions = (long)sqlite3_column_int64(st, 3);
	out->edges = (long)sqlite3_column_int64(st, 4);
	out->evidence = (long)sqlite3_column_int64(st, 5);
out:
	sqlite3_finalize(st);
	return rc;
}
