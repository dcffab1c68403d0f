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
 * document was measured to double the cost of adding one). Entity ids are
 * looked up by key in a hash map per connection before SQL; the map is
 * emptied whenever it could be stale (rollback, entities deleted, another
 * connection's commit as told by PRAGMA data_version).
 *
 * Bulk builds (XREF_CASE_BULK, for `xref build`, which always starts a new
 * case) trade crash safety for speed, since a crash only loses a file
 * nobody uses yet: the case is written into PATH.tmp.PID without a
 * journal or fsync, the mention and evidence indexes are created once at
 * the end (a sort each instead of millions of scattered B-tree inserts),
 * and the derived data is counted in C hash maps as documents are added
 * (forms per entity, documents and dates per entity and per pair) and
 * written once at the end, through the commit's own vote statements so
 * the rules live in one place. Recomputing it in SQL at the end was
 * rejected: it is an aggregation over every mention and evidence row,
 * where the maps only grow with entities and edges. Rows get the ids an
 * ingest of the same documents in one batch gives them. A document id
 * seen twice with new content needs the incremental machinery (removed
 * rows, deltas): the first one ends the bulk phase (bulk_end()) and the
 * build goes on as an ingest in the same file. Finishing writes the
 * derived data, after which the file can be read (the build loads its
 * graph from it). Publishing then goes in steps a build can overlap with
 * its other work: indexing sorts the indexes the read commands need,
 * while readers on other connections read the finished data (the file is
 * in WAL mode for that time, see share()); the indexes only writers need
 * are left to the first ingest into the case (see QUERY_INDEX_SQL).
 * Sealing takes the file back out of WAL mode, closes and syncs it; the
 * last step renames it over PATH and syncs the directory, so PATH is
 * always a whole case, old or new; the old file's hot journal, if any, is
 * rolled back first, since a journal left beside the new file would be
 * replayed onto it. Temporary files of dead builds, and their side files,
 * are recognised by their PID.
 */
#define _POSIX_C_SOURCE 200809L

#include "graph/case.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph/graph_internal.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/strmap.h"

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
 * The indexes on mentions and evidence, apart from the tables: an ingest
 * creates them with the schema, a bulk build only when its rows are all
 * in (one sort each instead of millions of scattered inserts). The query
 * indexes serve the read commands: an entity's mentions, and the mentions
 * of two entities inside one window of one document (the marks of `xref
 * evidence`, hence document and start after the entity), and a pair's
 * evidence. The ingest indexes serve only writers: deleting a replaced
 * document's rows, and the foreign key checks of deleting an entity. A
 * bulk build leaves them out (two fifths of its sorting) and the first
 * batch written into the case creates them, so a case that is only built
 * and read never pays for them.
 */
static const char QUERY_INDEX_SQL[] =
	"CREATE INDEX IF NOT EXISTS mentions_entity\n"
	"  ON mentions(entity_id, document_id, start);\n"
	"CREATE INDEX IF NOT EXISTS evidence_pair\n"
	"  ON evidence(source, target, document_id);\n";
static const char INGEST_INDEX_SQL[] =
	"CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);\n"
	"CREATE INDEX IF NOT EXISTS evidence_target ON evidence(target);\n"
	"CREATE INDEX IF NOT EXISTS evidence_document ON evidence(document_id);\n";

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
enum commit_step {
	C_DFORMS,
	C_FORMS,
	C_FORMS_GONE,
	C_STATS,
	C_VOTES,
	C_ENTITIES,
	C_ENTITIES_RECOUNT,
	C_ALIASES_GONE,
	C_ALIASES,
	C_DEDGES,
	C_EDGES,
	C_EDGES_GONE,
	C_EDGES_RECOUNT,
	C_ENTITIES_GONE,
	C_COUNT
};

static const char *const COMMIT_SQL[C_COUNT] = {
	/* Mention deltas per entity and form. */
	[C_DFORMS] =
	"INSERT INTO temp.dforms\n"
	"  SELECT entity_id, name, type, surface, rule, sum(n) FROM (\n"
	"    SELECT entity_id, name, type, surface, rule, 1 AS n\n"
	"    FROM mentions WHERE id >= ?1\n"
	"    UNION ALL\n"
	"    SELECT entity_id, name, type, surface, rule, -1 FROM temp.removed_m)\n"
	"  GROUP BY entity_id, name, type, surface, rule",
	[C_FORMS] =
	"INSERT INTO entity_forms (entity_id, name, type, surface, rule,\n"
	"                          mentions)\n"
	"  SELECT entity_id, name, type, surface, rule, n FROM temp.dforms\n"
	"  WHERE true\n"
	"  ON CONFLICT (entity_id, name, type, surface, rule)\n"
	"  DO UPDATE SET mentions = mentions + excluded.mentions",
	[C_FORMS_GONE] =
	"DELETE FROM entity_forms WHERE mentions <= 0\n"
	"  AND entity_id IN (SELECT entity_id FROM temp.dforms)",
	/* One row per touched entity. */
	[C_STATS] =
	"INSERT INTO temp.stats (id, ddocs, amin, amax, recount)\n"
	"  SELECT entity_id, sum(plus - minus),\n"
	"         min(CASE WHEN plus THEN date END),\n"
	"         max(CASE WHEN plus THEN date END), max(minus)\n"
	"  FROM temp.ddocs GROUP BY entity_id",
	[C_VOTES] =
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
	[C_ENTITIES] =
	"UPDATE entities SET name = s.name, type = s.type,\n"
	"  mentions = s.mentions, documents = documents + s.ddocs,\n"
	"  first_seen = coalesce(min(first_seen, s.amin), first_seen, s.amin),\n"
	"  last_seen = coalesce(max(last_seen, s.amax), last_seen, s.amax)\n"
	"  FROM temp.stats s\n"
	"  WHERE s.id = entities.id AND s.mentions > 0 AND NOT s.recount",
	[C_ENTITIES_RECOUNT] =
	"UPDATE entities SET name = s.name, type = s.type,\n"
	"  mentions = s.mentions,\n"
	"  (documents, first_seen, last_seen) = (\n"
	"    SELECT count(DISTINCT m.document_id), min(d.date), max(d.date)\n"
	"    FROM mentions m JOIN documents d ON d.id = m.document_id\n"
	"    WHERE m.entity_id = entities.id)\n"
	"  FROM temp.stats s\n"
	"  WHERE s.id = entities.id AND s.mentions > 0 AND s.recount",
	[C_ALIASES_GONE] =
	"DELETE FROM aliases WHERE entity_id IN (SELECT id FROM temp.stats)",
	[C_ALIASES] =
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
	[C_DEDGES] =
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
	[C_EDGES] =
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
	[C_EDGES_GONE] =
	"DELETE FROM edges WHERE weight <= 0\n"
	"  AND (source, target) IN (SELECT source, target FROM temp.dedges)",
	[C_EDGES_RECOUNT] =
	"UPDATE edges SET (first_seen, last_seen) = (\n"
	"    SELECT min(d.date), max(d.date)\n"
	"    FROM evidence e JOIN documents d ON d.id = e.document_id\n"
	"    WHERE e.source = edges.source AND e.target = edges.target)\n"
	"  WHERE (source, target) IN\n"
	"    (SELECT source, target FROM temp.dedges WHERE recount)",
	[C_ENTITIES_GONE] =
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
	ST_MENTION_INSERT_N, /* MULTI_ROWS rows at once (made by multi_sql()) */
	ST_EVIDENCE_INSERT_N,
	ST_COUNT
};

/* Rows per multi-row insert: one statement's overhead (cursor, rowid
 * lookup, halt) spread over many rows. */
#define MULTI_ROWS 32
#define MENTION_COLS 9
#define EVIDENCE_COLS 5

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

/*
 * What a bulk build accumulates in memory instead of writing derived rows
 * per batch: mentions per entity and form, documents and dates per entity,
 * and per entity pair its evidence rows, documents and dates. Entities get
 * ids 1, 2, ... in a new file, so `ents` is indexed by id. Dates are
 * interned (few distinct values) and kept as indexes into `dates`, -1 for
 * none.
 */
struct form_acc {
	size_t off; /* key bytes in bulk.form_keys (see form_key()) */
	size_t len;
	long n;
};

struct ent_acc {
	sqlite3_int64 last_doc; /* the document last counted */
	long documents;
	long amin, amax; /* date indexes, -1: undated so far */
};

struct pair_acc {
	sqlite3_int64 source, target, last_doc;
	long weight, documents;
	long amin, amax;
};

struct bulk {
	struct xref_strmap form_map; /* form key -> index in forms */
	struct form_acc *forms;
	size_t n_forms, cap_forms;
	struct xref_buf form_keys;
	struct ent_acc *ents; /* [entity id] */
	size_t cap_ents;
	struct xref_strmap pair_map; /* 16 bytes (source, target) -> index */
	struct pair_acc *pairs;
	size_t n_pairs, cap_pairs;
	struct xref_strmap date_map; /* date -> index in dates */
	char **dates;
	size_t n_dates, cap_dates;
	struct xref_buf key; /* scratch */
};

struct xref_case {
	sqlite3 *db;
	char *path; /* the file open: in a bulk build, the temporary one */
	/* A bulk build: the path it is published to (NULL otherwise), and
	 * whether the file can still be published (no batch rolled back:
	 * without a journal a rollback leaves the file undefined). */
	char *final_path;
	bool publish_failed;
	bool finished;     /* xref_case_finish() ran: no more batches */
	bool indexed;      /* the query indexes exist */
	bool shared;       /* in WAL mode for xref_case_open_reader() */
	bool sealed;       /* xref_case_seal() ran: closed and synced */
	struct bulk *bulk; /* while derived data is only in memory */
	/* An ingest's batch: its new forms and pairs, counted as in a bulk
	 * build (so the commit need not aggregate the batch's rows again),
	 * unless a document was replaced (batch_sql): then the commit
	 * aggregates in SQL, which also sees the rows replaced. */
	struct bulk *batch;
	bool batch_sql;
	enum xref_window window;
	bool readonly;
	bool in_batch;
	bool batch_failed; /* a document failed halfway: commit refused */
	/* Ids of the first mention and evidence rows the batch inserted (0:
	 * none yet): the batch's rows are those from there on. */
	sqlite3_int64 first_mention, first_evidence;
	sqlite3_stmt *st[ST_COUNT]; /* NULL when read-only */
	/* Entity key -> id, a cache of the entities table. Emptied when it
	 * may lie: after a rollback, after a commit that deleted entities,
	 * and when another connection wrote the file (data_version). */
	struct xref_strmap keys;
	long long data_version;
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

bool xref_case_is_new_bulk(const struct xref_case *c)
{
	return c->bulk != NULL;
}

bool xref_case_indexed(const struct xref_case *c)
{
	return c->indexed;
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

/* ---- the entity cache ---- */

static void keys_clear(struct xref_case *c)
{
	xref_strmap_release(&c->keys);
}

/* Forgets the cache when another connection committed since we last
 * looked: it may have added or removed entities. */
static int keys_check(struct xref_case *c)
{
	long long v = 0;

	if (pragma_int(c, "PRAGMA data_version", &v) < 0)
		return db_fail(c, "read the data version");
	if (v != c->data_version)
		keys_clear(c);
	c->data_version = v;
	return 0;
}

/* ---- bulk build: derived data in memory ---- */

static void bulk_free(struct bulk *b)
{
	if (!b)
		return;
	xref_strmap_release(&b->form_map);
	free(b->forms);
	xref_buf_release(&b->form_keys);
	free(b->ents);
	xref_strmap_release(&b->pair_map);
	free(b->pairs);
	xref_strmap_release(&b->date_map);
	for (size_t i = 0; i < b->n_dates; i++)
		free(b->dates[i]);
	free(b->dates);
	xref_buf_release(&b->key);
	free(b);
}

/* Where add_document counts forms and pairs: NULL for none. */
static struct bulk *acc_of(const struct xref_case *c)
{
	if (c->bulk)
		return c->bulk;
	return c->batch_sql ? NULL : c->batch;
}

static int enomem(void)
{
	return xref_error_set(XREF_ENOMEM, "out of memory");
}

/* The index of a document's date among the interned ones, -1 for none. */
static int bulk_date(struct bulk *b, const char *date, long *out)
{
	int64_t v;
	size_t len;
	int rc;

	*out = -1;
	if (!date)
		return 0;
	len = strlen(date);
	if (xref_strmap_get(&b->date_map, date, len, &v)) {
		*out = (long)v;
		return 0;
	}
	rc = xref_graph_reserve((void **)&b->dates, &b->cap_dates,
	                        b->n_dates + 1, sizeof(*b->dates));
	if (rc < 0)
		return rc;
	b->dates[b->n_dates] = strdup(date);
	if (!b->dates[b->n_dates])
		return enomem();
	rc = xref_strmap_put(&b->date_map, date, len, (int64_t)b->n_dates);
	if (rc < 0) {
		free(b->dates[b->n_dates]);
		return rc;
	}
	*out = (long)b->n_dates++;
	return 0;
}

/* Widens [*amin, *amax] by date d (SQL min/max of text: bytewise). */
static void bulk_span(const struct bulk *b, long *amin, long *amax, long d)
{
	if (d < 0)
		return;
	if (*amin < 0 || strcmp(b->dates[d], b->dates[*amin]) < 0)
		*amin = d;
	if (*amax < 0 || strcmp(b->dates[d], b->dates[*amax]) > 0)
		*amax = d;
}

/* Counts entity `id` once for document `doc` (dated `date`). */
static int bulk_entity_doc(struct bulk *b, sqlite3_int64 id, sqlite3_int64 doc,
                           long date)
{
	struct ent_acc *e;
	size_t old = b->cap_ents;
	int rc;

	if (id <= 0 || (uint64_t)id >= SIZE_MAX / sizeof(*b->ents))
		return xref_error_set(XREF_ERROR, "entity id out of range");
	rc = xref_graph_reserve((void **)&b->ents, &b->cap_ents, (size_t)id + 1,
	                        sizeof(*b->ents));
	if (rc < 0)
		return rc;
	for (size_t i = old; i < b->cap_ents; i++) {
		b->ents[i].last_doc = 0;
		b->ents[i].documents = 0;
		b->ents[i].amin = b->ents[i].amax = -1;
	}
	e = &b->ents[id];
	if (e->last_doc != doc) {
		e->last_doc = doc;
		e->documents++;
		bulk_span(b, &e->amin, &e->amax, date);
	}
	return 0;
}

/* Appends one field of a form key: its length, then its bytes. */
static int key_field(struct xref_buf *k, const char *s, size_t len)
{
	uint32_t n = (uint32_t)len;

	if (len > UINT32_MAX)
		return xref_error_set(XREF_EINVAL, "mention too long");
	if (xref_buf_put(k, (const char *)&n, sizeof(n)) < 0 ||
	    xref_buf_put(k, s, len) < 0)
		return enomem();
	return 0;
}

/* A form's key: the entity id, then name, type, surface and rule, each
 * with its length (the surface is bytes of the text, NULs included). */
static int form_key(struct xref_buf *k, sqlite3_int64 entity, const char *name,
                    const char *type, const char *surface, size_t surface_len,
                    const char *rule)
{
	int rc;

	if (xref_buf_put(k, (const char *)&entity, sizeof(entity)) < 0)
		return enomem();
	rc = key_field(k, name, strlen(name));
	if (rc == 0)
		rc = key_field(k, type, strlen(type));
	if (rc == 0)
		rc = key_field(k, surface, surface_len);
	if (rc == 0)
		rc = key_field(k, rule, strlen(rule));
	return rc;
}

/* Counts n mentions of a form: key as form_key() makes it, but with the
 * entity id yet to be written into its first 8 bytes. */
static int bulk_form(struct bulk *b, sqlite3_int64 entity, const char *key,
                     size_t len, long n)
{
	struct form_acc *f;
	int64_t v;
	int rc;

	xref_buf_clear(&b->key);
	if (xref_buf_put(&b->key, key, len) < 0)
		return enomem();
	memcpy(b->key.ptr, &entity, sizeof(entity));
	if (xref_strmap_get(&b->form_map, b->key.ptr, b->key.len, &v)) {
		b->forms[v].n += n;
		return 0;
	}
	rc = xref_graph_reserve((void **)&b->forms, &b->cap_forms,
	                        b->n_forms + 1, sizeof(*b->forms));
	if (rc < 0)
		return rc;
	f = &b->forms[b->n_forms];
	f->off = b->form_keys.len;
	f->len = b->key.len;
	f->n = n;
	if (xref_buf_put(&b->form_keys, b->key.ptr, b->key.len) < 0)
		return enomem();
	rc = xref_strmap_put(&b->form_map, b->key.ptr, b->key.len,
	                     (int64_t)b->n_forms);
	if (rc < 0)
		return rc;
	b->n_forms++;
	return 0;
}

/* One evidence row of pair (source, target) in document `doc`. */
static int bulk_pair(struct bulk *b, sqlite3_int64 source, sqlite3_int64 target,
                     sqlite3_int64 doc, long date)
{
	sqlite3_int64 k[2] = {source, target};
	struct pair_acc *p;
	int64_t v;
	int rc;

	if (xref_strmap_get(&b->pair_map, (const char *)k, sizeof(k), &v)) {
		p = &b->pairs[v];
	} else {
		rc = xref_graph_reserve((void **)&b->pairs, &b->cap_pairs,
		                        b->n_pairs + 1, sizeof(*b->pairs));
		if (rc < 0)
			return rc;
		rc = xref_strmap_put(&b->pair_map, (const char *)k, sizeof(k),
		                     (int64_t)b->n_pairs);
		if (rc < 0)
			return rc;
		p = &b->pairs[b->n_pairs++];
		memset(p, 0, sizeof(*p));
		p->source = source;
		p->target = target;
		p->amin = p->amax = -1;
	}
	p->weight++;
	if (p->last_doc != doc) {
		p->last_doc = doc;
		p->documents++;
		bulk_span(b, &p->amin, &p->amax, date);
	}
	return 0;
}

/* Reads field i of a form key (see form_key()). */
static const char *key_get(const char *k, size_t i, size_t *len)
{
	uint32_t n;

	k += sizeof(sqlite3_int64);
	for (;;) {
		memcpy(&n, k, sizeof(n));
		k += sizeof(n);
		if (i-- == 0)
			break;
		k += n;
	}
	*len = n;
	return k;
}

static int cmp_pair(const void *pa, const void *pb)
{
	const struct pair_acc *a = pa, *b = pb;

	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return (a->target > b->target) - (a->target < b->target);
}

static void bind_date(sqlite3_stmt *st, int i, const struct bulk *b, long d)
{
	if (d < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, b->dates[d], -1, SQLITE_STATIC);
}

static int prepare(struct xref_case *c, sqlite3_stmt **st, const char *sql,
                   const char *what)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(c, what);
	return 0;
}

/* Writes the counted forms with `sql` (parameters: entity, name, type,
 * surface, rule, count). */
static int write_forms(struct xref_case *c, const struct bulk *b,
                       const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(c, &st, sql, "write entity forms");
	for (size_t i = 0; rc == 0 && i < b->n_forms; i++) {
		const char *k = b->form_keys.ptr + b->forms[i].off;
		sqlite3_int64 id;
		size_t len;
		const char *f;

		memcpy(&id, k, sizeof(id));
		sqlite3_bind_int64(st, 1, id);
		for (int j = 0; j < 4; j++) {
			f = key_get(k, (size_t)j, &len);
			sqlite3_bind_text64(st, 2 + j, f, len, SQLITE_STATIC,
			                    SQLITE_UTF8);
		}
		sqlite3_bind_int64(st, 6, b->forms[i].n);
		rc = step_done(c, st, "write entity forms");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Writes the counted pairs with `sql` (parameters: source, target,
 * weight, documents, first and last date), in key order. */
static int write_pairs(struct xref_case *c, struct bulk *b, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (b->n_pairs)
		qsort(b->pairs, b->n_pairs, sizeof(*b->pairs), cmp_pair);
	rc = prepare(c, &st, sql, "write links");
	for (size_t i = 0; rc == 0 && i < b->n_pairs; i++) {
		const struct pair_acc *p = &b->pairs[i];

		sqlite3_bind_int64(st, 1, p->source);
		sqlite3_bind_int64(st, 2, p->target);
		sqlite3_bind_int64(st, 3, p->weight);
		sqlite3_bind_int64(st, 4, p->documents);
		bind_date(st, 5, b, p->amin);
		bind_date(st, 6, b, p->amax);
		rc = step_done(c, st, "write links");
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * An ingest batch that replaced nothing: its mention and evidence deltas
 * are exactly what it counted, so they fill temp.dforms and temp.dedges
 * (what C_DFORMS and C_DEDGES would compute from the batch's rows).
 */
static int batch_deltas(struct xref_case *c, struct bulk *b)
{
	int rc = write_forms(c, b,
	                     "INSERT INTO temp.dforms VALUES "
	                     "(?1, ?2, ?3, ?4, ?5, ?6)");

	if (rc == 0)
		rc = write_pairs(c, b,
		                 "INSERT INTO temp.dedges VALUES "
		                 "(?1, ?2, ?3, ?4, ?5, ?6, 0)");
	return rc;
}

/*
 * Writes what a bulk build kept in memory as the incremental commits
 * would have: entity_forms, then each entity's counts and dates through
 * temp.stats and the commit's own vote and alias statements (so the votes
 * live in one place), then edges in key order. Inside the open
 * transaction.
 */
static int bulk_write(struct xref_case *c)
{
	static const char stats_sql[] =
	    "INSERT INTO temp.stats (id, ddocs, amin, amax, recount) "
	    "VALUES (?1, ?2, ?3, ?4, 0)";
	static const enum commit_step steps[] = {C_VOTES, C_ENTITIES,
	                                         C_ALIASES};
	struct bulk *b = c->bulk;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = write_forms(c, b,
	                 "INSERT INTO entity_forms (entity_id, name, type, "
	                 "surface, rule, mentions) "
	                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (rc == 0)
		rc = prepare(c, &st, stats_sql, "update entities");
	for (size_t id = 1; rc == 0 && id < b->cap_ents; id++) {
		const struct ent_acc *e = &b->ents[id];

		if (!e->documents)
			continue;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
		sqlite3_bind_int64(st, 2, e->documents);
		bind_date(st, 3, b, e->amin);
		bind_date(st, 4, b, e->amax);
		rc = step_done(c, st, "update entities");
	}
	sqlite3_finalize(st);
	for (size_t i = 0; rc == 0 && i < sizeof(steps) / sizeof(steps[0]); i++)
		rc = exec(c, COMMIT_SQL[steps[i]], "update entities");
	if (rc == 0)
		rc = write_pairs(c, b,
		                 "INSERT INTO edges (source, target, weight, "
		                 "documents, first_seen, last_seen) "
		                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (rc == 0)
		rc = exec(c, CLEAR_TEMP_SQL, "update entities");
	return rc;
}

/* Creates the indexes of `sql` (each IF NOT EXISTS). */
static int create_indexes(struct xref_case *c, const char *sql)
{
	/* SQLite sorts in runs of the cache's size, merging linked lists:
	 * runs of a few megabytes stay in the CPU caches (a third less time
	 * than one run in a large cache, measured). The bulk cache comes
	 * back for the batches that may follow. */
	int rc = 0;

	if (c->final_path)
		rc = exec(c, "PRAGMA cache_size = -2048", "create the indexes");
	if (rc == 0)
		rc = exec(c, sql, "create the indexes");
	if (rc == 0 && c->final_path)
		rc = exec(c, "PRAGMA cache_size = -262144", "create the indexes");
	return rc;
}

/*
 * Ends the in-memory phase of a bulk build: writes the derived tables.
 * Inside a transaction. With `indexes` (on the first replaced document,
 * which needs the incremental machinery), also creates every index and
 * turns the foreign keys on: from then on the case works as an
 * incremental one (still in its temporary file).
 */
static int bulk_end(struct xref_case *c, bool indexes)
{
	int rc;

	if (!c->bulk)
		return 0;
	rc = bulk_write(c);
	if (rc == 0 && indexes)
		rc = create_indexes(c, QUERY_INDEX_SQL);
	if (rc == 0 && indexes)
		rc = create_indexes(c, INGEST_INDEX_SQL);
	if (rc == 0 && indexes)
		c->indexed = true;
	/* Deleting entities cascades to their forms and aliases: foreign
	 * keys on, which SQLite only allows between transactions. Nobody
	 * else sees this file, so ending the transaction early is harmless. */
	if (rc == 0 && indexes)
		rc =
		    exec(c, "COMMIT; PRAGMA foreign_keys = ON; BEGIN IMMEDIATE",
		         "turn on foreign keys");
	bulk_free(c->bulk);
	c->bulk = NULL;
	/* The rows so far are derived: the batch starts here. */
	c->first_mention = c->first_evidence = 0;
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
	if (rc == 0 && !c->bulk)
		rc = exec(c, QUERY_INDEX_SQL, "create the indexes");
	if (rc == 0 && !c->bulk)
		rc = exec(c, INGEST_INDEX_SQL, "create the indexes");
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

/* ---- bulk build: the temporary file ---- */

/* The directory part of path ("." when none); owned by the caller. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* True when `name` is `base`.tmp.PID of a process that no longer runs. */
static bool is_stale_temp(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *p;
	char *end;
	long pid;

	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0)
		return false;
	p = name + n + 5;
	if (*p < '1' || *p > '9')
		return false;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno || *end || pid <= 0 || pid > INT32_MAX ||
	    pid == (long)getpid())
		return false;
	/* EPERM: alive, someone else's; only ESRCH means gone. */
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* The side files SQLite may keep beside a database: its rollback
 * journal, and in WAL mode (see share()) the log and its index. */
static const char *const side_files[] = {"-journal", "-wal", "-shm"};

/* The length of the side file suffix `name` (n bytes) ends with, or 0. */
static size_t side_suffix(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(side_files) / sizeof(side_files[0]);
	     i++) {
		size_t k = strlen(side_files[i]);

		if (n > k && !strcmp(name + n - k, side_files[i]))
			return k;
	}
	return 0;
}

/* Removes the side files of the database at `path`; the first that
 * cannot be removed (other than a missing one) ends it, with XREF_EIO. */
static int unlink_side_files(const char *path)
{
	struct xref_buf p = XREF_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < sizeof(side_files) / sizeof(side_files[0]);
	     i++) {
		xref_buf_clear(&p);
		if (xref_buf_printf(&p, "%s%s", path, side_files[i]) < 0) {
			rc = enomem();
			break;
		}
		if (unlink(p.ptr) != 0 && errno != ENOENT) {
			rc = xref_error_set(XREF_EIO, "cannot remove '%s': %s",
			                    p.ptr, strerror(errno));
			break;
		}
	}
	xref_buf_release(&p);
	return rc;
}

/*
 * Removes the temporary files (and their side files) that bulk builds of
 * `path` killed before publishing left behind. Best effort: a file that
 * cannot be removed is only wasted space, it is never taken for the case.
 */
static void remove_stale_temps(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = dir_of(path);
	struct xref_buf p = XREF_BUF_INIT;
	struct dirent *e;
	DIR *d = NULL;

	if (!dir)
		goto out;
	d = opendir(dir);
	if (!d)
		goto out;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), side = side_suffix(e->d_name, n);
		char *name = strndup(e->d_name, n - side);

		if (!name)
			break;
		if (is_stale_temp(name, base)) {
			xref_buf_clear(&p);
			if (xref_buf_printf(&p, "%s/%s", dir, e->d_name) == 0)
				unlink(p.ptr);
		}
		free(name);
	}
out:
	if (d)
		closedir(d);
	xref_buf_release(&p);
	free(dir);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/*
 * Makes the file at `path` that the build replaces consistent, so that no
 * journal of it is left to be replayed onto the new file: a hot journal
 * (an ingest killed mid-batch) is rolled back by opening the file, then
 * the side files go. Not an SQLite file, or none: nothing to do.
 */
static int settle_old(const char *path)
{
	sqlite3 *db = NULL;
	struct stat sb;

	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	        SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL,
		             NULL, NULL);
	}
	sqlite3_close(db);
	return unlink_side_files(path);
}

/* The multi-row insert into mentions (or evidence): the single-row
 * statement's head with MULTI_ROWS groups of parameters. */
static char *multi_sql(bool mentions)
{
	const char *one =
	    stmt_sql[mentions ? ST_MENTION_INSERT : ST_EVIDENCE_INSERT];
	int cols = mentions ? MENTION_COLS : EVIDENCE_COLS;
	struct xref_buf b = XREF_BUF_INIT;
	const char *values = strstr(one, "VALUES");

	if (!values || xref_buf_put(&b, one, (size_t)(values - one) + 6) < 0)
		goto fail;
	for (int r = 0; r < MULTI_ROWS; r++) {
		if (xref_buf_puts(&b, r ? ", (" : " (") < 0)
			goto fail;
		for (int k = 0; k < cols; k++)
			if (xref_buf_puts(&b, k ? ", ?" : "?") < 0)
				goto fail;
		if (xref_buf_putc(&b, ')') < 0)
			goto fail;
	}
	return xref_buf_detach(&b);
fail:
	xref_buf_release(&b);
	return NULL;
}

/* Pragmas of a bulk build's temporary file: nobody else reads it (until
 * share()) and a crash throws it away, so no journal, no fsync, no locking
 * per batch, and a large cache (released when it is published). Sorts
 * stay on the calling thread: SQLite's helper threads made the largest
 * index a fifth faster on an idle machine but cost 40% more CPU, and a
 * build has other work for the second core. Pages of 16 KiB rather
 * than 4: most documents' text then fits in its row's page instead of a
 * chain of overflow pages, and the tables and index sorts split pages
 * less often (ingest CPU about 15% lower on 100 MB; 64 KiB gained
 * nothing more). Cases that `xref ingest` creates keep 4 KiB pages: their
 * rollback journal copies every page a batch touches. No foreign key checks
 * either (five B-tree lookups per mention and evidence row): every id
 * written comes from a row written before; bulk_end() turns them on for
 * the deletes of the incremental path. */
static const char BULK_PRAGMAS[] =
    "PRAGMA page_size = 16384; PRAGMA foreign_keys = OFF;"
    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
    "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -262144;"
    "PRAGMA temp_store = FILE; PRAGMA threads = 0;";

int xref_case_open(struct xref_case **out, const char *path, int flags,
                   enum xref_window window)
{
	struct xref_buf tmp = XREF_BUF_INIT;
	struct xref_case *c = NULL;
	bool bulk = (flags & XREF_CASE_BULK) != 0;
	struct stat sb;
	int oflags, rc = 0;

	*out = NULL;
	if (!path ||
	    ((flags & (XREF_CASE_CREATE | XREF_CASE_BULK)) &&
	     (flags & XREF_CASE_READONLY)) ||
	    (unsigned)window > XREF_WINDOW_DOCUMENT) {
		rc = xref_error_set(XREF_EINVAL, "invalid case file arguments");
		goto out;
	}
	if (!(flags & XREF_CASE_CREATE) && !bulk && stat(path, &sb) != 0) {
		rc = xref_error_set(errno == ENOENT ? XREF_ENOTFOUND : XREF_EIO,
		                    "cannot open case file '%s': %s", path,
		                    strerror(errno));
		goto out;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = enomem();
		goto out;
	}
	xref_strmap_init(&c->keys);
	c->data_version = -1;
	if (bulk) {
		c->final_path = strdup(path);
		c->bulk = calloc(1, sizeof(*c->bulk));
		if (!c->final_path || !c->bulk ||
		    xref_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) <
		        0 ||
		    !(c->path = xref_buf_detach(&tmp))) {
			rc = enomem();
			goto out;
		}
		remove_stale_temps(path);
		/* A leftover of a dead run that had our pid. */
		if (unlink(c->path) != 0 && errno != ENOENT) {
			rc = xref_error_set(XREF_EIO, "cannot remove '%s': %s",
			                    c->path, strerror(errno));
			goto out;
		}
	} else if (!(c->path = strdup(path))) {
		rc = enomem();
		goto out;
	}
	c->window = window;
	c->readonly = (flags & XREF_CASE_READONLY) != 0;
	c->indexed = !bulk;
	/* One connection per case, used by one thread at a time: SQLite's own
	 * locking would only cost time (6% of an ingest, measured). */
	oflags = SQLITE_OPEN_NOMUTEX |
	         (c->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	if (flags & (XREF_CASE_CREATE | XREF_CASE_BULK))
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(c->path, &c->db, oflags, NULL) != SQLITE_OK) {
		rc = xref_error_set(c->db ? XREF_EIO : XREF_ENOMEM,
		                    "cannot open case file '%s': %s", c->path,
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
	if (rc == 0 && bulk)
		rc = exec(c, BULK_PRAGMAS, "configure the database");
	if (rc < 0)
		goto out;
	rc = check_or_create(c, bulk ? flags | XREF_CASE_CREATE : flags);
	if (rc < 0)
		goto out;
	if (!c->readonly) {
		/* A file someone switched to WAL is switched back, so that
		 * the case stays one self-contained file. */
		if (!bulk)
			rc = exec(c,
			          "PRAGMA journal_mode = DELETE;"
			          "PRAGMA synchronous = FULL;"
			          "PRAGMA cache_size = -65536;"
			          "PRAGMA temp_store = MEMORY;",
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
			char *sql = NULL;

			if (i == ST_MENTION_INSERT_N ||
			    i == ST_EVIDENCE_INSERT_N)
				sql = multi_sql(i == ST_MENTION_INSERT_N);
			if ((i == ST_MENTION_INSERT_N ||
			     i == ST_EVIDENCE_INSERT_N) &&
			    !sql) {
				rc = enomem();
				goto out;
			}
			if (sqlite3_prepare_v3(c->db, sql ? sql : stmt_sql[i],
			                       -1, SQLITE_PREPARE_PERSISTENT,
			                       &c->st[i], NULL) != SQLITE_OK)
				rc = db_fail(c, "prepare a statement");
			free(sql);
			if (rc < 0)
				goto out;
		}
	}
	*out = c;
	c = NULL;
out:
	xref_buf_release(&tmp);
	xref_case_free(c);
	return rc;
}

static void finalize_statements(struct xref_case *c)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
}

/* Closes the database and frees c's own memory, leaving the file. */
static void case_close(struct xref_case *c)
{
	finalize_statements(c);
	sqlite3_close(c->db);
	c->db = NULL;
	bulk_free(c->bulk);
	c->bulk = NULL;
	bulk_free(c->batch);
	c->batch = NULL;
	xref_strmap_release(&c->keys);
}

void xref_case_free(struct xref_case *c)
{
	if (!c)
		return;
	if (c->in_batch && c->db)
		xref_case_rollback(c);
	case_close(c);
	/* A bulk build never published: its temporary file goes, with the
	 * side files of WAL mode if closing left them. */
	if (c->final_path && c->path) {
		unlink(c->path);
		if (c->shared)
			(void)unlink_side_files(c->path);
	}
	free(c->final_path);
	free(c->path);
	free(c);
}

/* The checks every step of publishing starts with; `what` names it. */
static int check_unpublished(struct xref_case *c, const char *what)
{
	if (!c->final_path || c->in_batch || (!c->db && !c->sealed))
		return xref_error_set(XREF_EINVAL,
		                      "case file '%s': nothing to %s", c->path,
		                      what);
	if (c->publish_failed)
		return xref_error_set(XREF_ERROR,
		                      "case file '%s': a batch failed; not "
		                      "publishing it",
		                      c->final_path);
	return 0;
}

int xref_case_finish(struct xref_case *c)
{
	int rc = check_unpublished(c, "finish");

	if (rc < 0)
		return rc;
	if (c->bulk) {
		rc = exec(c, "BEGIN IMMEDIATE", "finish the case");
		if (rc == 0)
			rc = bulk_end(c, false);
		if (rc == 0)
			rc = exec(c, "COMMIT", "finish the case");
		if (rc < 0)
			c->publish_failed = true;
	}
	c->finished = true;
	return rc;
}

/* Sets the main database's journal mode to `mode` (lowercase, as SQLite
 * answers), failing when SQLite keeps another one. */
static int set_journal_mode(struct xref_case *c, const char *mode,
                            const char *what)
{
	struct xref_buf sql = XREF_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc = 0;

	if (xref_buf_printf(&sql, "PRAGMA main.journal_mode = %s", mode) < 0) {
		rc = enomem();
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, sql.ptr, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(c, what);
		goto out;
	}
	v = (const char *)sqlite3_column_text(st, 0);
	if (!v || strcmp(v, mode) != 0)
		rc = xref_error_set(XREF_ERROR,
		                    "case file '%s': cannot %s: the journal "
		                    "mode stays %s",
		                    c->path, what, v ? v : "unknown");
out:
	sqlite3_finalize(st);
	xref_buf_release(&sql);
	return rc;
}

/*
 * Lets connections of xref_case_open_reader() read the temporary file
 * while c writes its indexes: WAL mode, where a reader keeps its snapshot
 * while the writer appends pages to the log, with normal locking (the
 * bulk build's exclusive lock would keep readers out), and no automatic
 * checkpoint: unshare() copies the log into the file once, when the
 * readers are gone. A file system without the shared memory WAL needs
 * fails here, and the build reads from c before indexing instead.
 */
static int share(struct xref_case *c)
{
	int rc;

	if (c->shared)
		return 0;
	rc = exec(c, "PRAGMA locking_mode = NORMAL", "share the case");
	if (rc == 0)
		rc = set_journal_mode(c, "wal", "share the case");
	if (rc == 0)
		c->shared = true;
	if (rc == 0)
		rc = exec(c, "PRAGMA wal_autocheckpoint = 0", "share the case");
	return rc;
}

/* Back from share(): the log goes into the file, which is one file again
 * (the published case is never in WAL mode). Every reader must be gone:
 * leaving WAL mode needs the only connection. */
static int unshare(struct xref_case *c)
{
	int rc = exec(c, "PRAGMA main.wal_checkpoint(TRUNCATE)",
	              "seal the case");

	if (rc == 0)
		rc = set_journal_mode(c, "delete", "seal the case");
	return rc;
}

int xref_case_open_reader(struct xref_case **out, struct xref_case *c)
{
	struct xref_case *r = NULL;
	int rc;

	*out = NULL;
	if (!c->final_path || !c->finished || c->sealed || c->in_batch ||
	    !c->db)
		return xref_error_set(XREF_EINVAL,
		                      "case file '%s': not a finished build",
		                      c->path);
	rc = share(c);
	if (rc == 0)
		rc = xref_case_open(&r, c->path, XREF_CASE_READONLY, c->window);
	if (rc < 0)
		return rc;
	/* Its snapshot holds the indexes c holds now, and no later ones. */
	r->indexed = c->indexed;
	*out = r;
	return 0;
}

int xref_case_index(struct xref_case *c)
{
	int rc = xref_case_finish(c);

	if (rc < 0 || c->indexed || c->sealed)
		return rc;
	rc = exec(c, "BEGIN IMMEDIATE", "index the case");
	if (rc == 0)
		rc = create_indexes(c, QUERY_INDEX_SQL);
	if (rc == 0)
		rc = exec(c, "COMMIT", "index the case");
	if (rc == 0)
		c->indexed = true;
	else
		c->publish_failed = true;
	return rc;
}

int xref_case_seal(struct xref_case *c)
{
	int rc = xref_case_index(c);

	if (rc < 0 || c->sealed)
		return rc;
	/* a statement left open would keep WAL mode locked in */
	finalize_statements(c);
	if (c->shared)
		rc = unshare(c);
	if (rc == 0) {
		case_close(c);
		/* SQLite wrote without syncing: the data reaches the disk
		 * before the name does. */
		if (fsync_path(c->path, O_RDONLY) != 0)
			rc = xref_error_set(XREF_EIO, "cannot write '%s': %s",
			                    c->path, strerror(errno));
	}
	if (rc == 0)
		c->sealed = true;
	else
		c->publish_failed = true;
	return rc;
}

int xref_case_publish(struct xref_case *c)
{
	struct xref_case *n = NULL;
	char *dir = NULL;
	int rc = xref_case_seal(c);

	if (rc < 0)
		return rc;
	rc = settle_old(c->final_path);
	if (rc < 0)
		goto out;
	if (rename(c->path, c->final_path) != 0) {
		rc = xref_error_set(XREF_EIO, "cannot write '%s': %s",
		                    c->final_path, strerror(errno));
		goto out;
	}
	dir = dir_of(c->final_path);
	if (!dir) {
		rc = enomem();
		goto out;
	}
	/* Some file systems cannot sync a directory (EINVAL): the rename
	 * then is as durable as they make it. */
	if (fsync_path(dir, O_RDONLY | O_DIRECTORY) != 0 && errno != EINVAL) {
		rc = xref_error_set(XREF_EIO, "cannot write '%s': %s",
		                    c->final_path, strerror(errno));
		goto out;
	}
	rc = xref_case_open(&n, c->final_path, 0, c->window);
	if (rc < 0)
		goto out;
	/* c becomes the published case; its old strings go. */
	free(c->path);
	free(c->final_path);
	*c = *n;
	free(n);
out:
	if (rc < 0)
		c->publish_failed = true;
	free(dir);
	return rc;
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
	if (c->finished)
		return xref_error_set(XREF_EINVAL,
		                      "case file '%s' is finished: publish it "
		                      "before adding to it",
		                      c->path);
	/* IMMEDIATE takes the write lock now, so a second writer waits
	 * (busy timeout) instead of failing halfway through the batch. */
	rc = exec(c, "BEGIN IMMEDIATE", "start a batch");
	if (rc < 0)
		return rc;
	/* A bulk build's temporary tables stay empty until bulk_end(). */
	if (!c->bulk)
		rc = keys_check(c);
	if (rc == 0 && !c->bulk)
		rc = exec(c, CLEAR_TEMP_SQL, "start a batch");
	/* A built case gains the writers' indexes with its first batch (a
	 * no-op on every later one). */
	if (rc == 0 && !c->bulk)
		rc = exec(c, INGEST_INDEX_SQL, "create the indexes");
	bulk_free(c->batch);
	c->batch = NULL;
	c->batch_sql = false;
	if (rc == 0 && !c->bulk && !(c->batch = calloc(1, sizeof(*c->batch))))
		rc = enomem();
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
	bool counted = c->batch && !c->batch_sql;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (counted)
		rc = batch_deltas(c, c->batch);
	for (size_t i = 0; rc == 0 && i < C_COUNT; i++) {
		if (counted && (i == C_DFORMS || i == C_DEDGES))
			continue;
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
		/* Gone entities may have cached ids that a new entity
		 * will get again. */
		if (i == C_ENTITIES_GONE && sqlite3_changes(c->db) > 0)
			keys_clear(c);
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
	int rc = 0;

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
	/* A bulk build derives once, at the end. */
	if (!c->bulk)
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
	/* Entities the batch created are gone again. */
	keys_clear(c);
	bulk_free(c->batch);
	c->batch = NULL;
	/* Without a journal, the file is not what it was before the batch. */
	if (c->final_path)
		c->publish_failed = true;
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
	char hash[33];

	return xref_case_document_check(c, doc, unchanged, hash);
}

int xref_case_document_check(struct xref_case *c, const struct xref_doc *doc,
                             bool *unchanged, char want[33])
{
	char have[33];
	sqlite3_int64 id;
	bool found;
	int rc;

	*unchanged = false;
	want[0] = '\0';
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

/* A mention's resolution rule, "unknown" when the recognizer gave none. */
static const char *rule_of(const struct xref_mention *mm)
{
	return mm->rule ? mm->rule : "unknown";
}

/* Finds or creates the entity of each distinct key of the document (in
 * key order, so new entities get ids in that order); ent[i] gets the id of
 * mention i. */
static int resolve_entities(struct xref_case *c, const struct xref_doc *doc,
                            sqlite3_int64 doc_row, long date,
                            const struct xref_mentions *m,
                            const struct xref_case_prep *p,
                            sqlite3_int64 *ent, sqlite3_int64 *kid)
{
	int rc = 0;

	for (size_t r = 0; r < p->n_keys; r++) {
		const struct xref_mention *mm = &m->v[p->keys[r]];
		sqlite3_int64 id = 0;
		sqlite3_stmt *st;
		int64_t cached;
		char uid[17];
		size_t len;
		int s;

		len = strlen(mm->key);
		if (xref_strmap_get(&c->keys, mm->key, len, &cached)) {
			id = cached;
		} else if (!c->bulk) {
			/* (in a new file the cache knows them all) */
			st = c->st[ST_ENT_FIND];
			sqlite3_bind_text(st, 1, mm->key, -1, SQLITE_STATIC);
			s = sqlite3_step(st);
			id = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
			sqlite3_reset(st);
			if (s != SQLITE_ROW && s != SQLITE_DONE) {
				rc = db_fail(c, "look up an entity");
				goto out;
			}
			if (id) {
				rc =
				    xref_strmap_put(&c->keys, mm->key, len, id);
				if (rc < 0)
					goto out;
			}
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
			rc = xref_strmap_put(&c->keys, mm->key, len, id);
			if (rc < 0)
				goto out;
		}
		kid[r] = id;
		if (c->bulk) {
			rc = bulk_entity_doc(c->bulk, id, doc_row, date);
			if (rc < 0)
				goto out;
			continue;
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
	}
	for (size_t i = 0; i < m->n; i++)
		ent[i] = kid[p->rank[i]];
out:
	return rc;
}

static int insert_mentions(struct xref_case *c, const struct xref_doc *doc,
                           const struct xref_mentions *m,
                           const struct xref_case_prep *pr,
                           const sqlite3_int64 *ent,
                           const sqlite3_int64 *kid, sqlite3_int64 doc_row)
{
	struct bulk *acc = acc_of(c);
	sqlite3_stmt *st = NULL;
	size_t rows = 0, done = 0;
	int rc = 0, p = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct xref_mention *mm = &m->v[i];
		const char *rule = rule_of(mm);

		if (!st) {
			/* MULTI_ROWS at a time while that many are left */
			rows = m->n - i >= MULTI_ROWS ? MULTI_ROWS : 1;
			st = c->st[rows > 1 ? ST_MENTION_INSERT_N
			                    : ST_MENTION_INSERT];
			p = 0;
		}
		sqlite3_bind_int64(st, p + 1, doc_row);
		sqlite3_bind_int64(st, p + 2, ent[i]);
		sqlite3_bind_int64(st, p + 3, (sqlite3_int64)mm->start);
		sqlite3_bind_int64(st, p + 4, (sqlite3_int64)mm->end);
		sqlite3_bind_int64(st, p + 5, (sqlite3_int64)mm->sentence);
		sqlite3_bind_text64(st, p + 6, doc->text + mm->start,
		                    mm->end - mm->start, SQLITE_STATIC,
		                    SQLITE_UTF8);
		sqlite3_bind_text64(st, p + 7, mm->name, pr->lens[i].name,
		                    SQLITE_STATIC, SQLITE_UTF8);
		sqlite3_bind_text64(st, p + 8, xref_type_name(mm->type),
		                    pr->lens[i].type, SQLITE_STATIC, SQLITE_UTF8);
		sqlite3_bind_text64(st, p + 9, rule, pr->lens[i].rule,
		                    SQLITE_STATIC, SQLITE_UTF8);
		p += MENTION_COLS;
		if (++done < rows)
			continue;
		rc = step_done(c, st, "add a mention");
		if (rc < 0)
			break;
		/* The rows of one statement get consecutive ids. */
		if (!c->first_mention)
			c->first_mention = sqlite3_last_insert_rowid(c->db) -
			                   (sqlite3_int64)rows + 1;
		st = NULL;
		done = 0;
	}
	for (size_t f = 0; rc == 0 && acc && f < pr->n_forms; f++) {
		const struct xref_case_form *fm = &pr->forms[f];

		rc = bulk_form(acc, kid[fm->key], pr->form_keys + fm->off,
		               fm->len, fm->n);
	}
	return rc;
}

/* Evidence rows waiting for a multi-row insert. */
struct ev_rows {
	sqlite3_int64 v[MULTI_ROWS][4]; /* source, target, start, end */
	size_t n;
};

/* Inserts the waiting rows (all of them, MULTI_ROWS at a time or one by
 * one); rows of one statement get consecutive ids. */
static int flush_evidence(struct xref_case *c, struct ev_rows *r,
                          sqlite3_int64 doc_row)
{
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && i < r->n) {
		size_t rows = r->n - i == MULTI_ROWS ? MULTI_ROWS : 1;
		sqlite3_stmt *st =
		    c->st[rows > 1 ? ST_EVIDENCE_INSERT_N : ST_EVIDENCE_INSERT];

		for (size_t k = 0; k < rows; k++) {
			int p = (int)k * EVIDENCE_COLS;

			sqlite3_bind_int64(st, p + 1, r->v[i + k][0]);
			sqlite3_bind_int64(st, p + 2, r->v[i + k][1]);
			sqlite3_bind_int64(st, p + 3, doc_row);
			sqlite3_bind_int64(st, p + 4, r->v[i + k][2]);
			sqlite3_bind_int64(st, p + 5, r->v[i + k][3]);
		}
		rc = step_done(c, st, "add evidence");
		if (rc == 0 && !c->first_evidence)
			c->first_evidence = sqlite3_last_insert_rowid(c->db) -
			                    (sqlite3_int64)rows + 1;
		i += rows;
	}
	r->n = 0;
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

/* One evidence row per window and pair of distinct entities in it, the
 * pairs of a window in entity id order. kid: entity ids by key rank. */
static int insert_evidence(struct xref_case *c,
                           const struct xref_segmentation *seg,
                           const struct xref_case_prep *p,
                           const sqlite3_int64 *kid, sqlite3_int64 doc_row,
                           long date)
{
	struct bulk *acc = acc_of(c);
	struct occurrence *occ = NULL;
	struct ev_rows ev;
	size_t n = p->n_occ, i = 0;
	int rc = 0;

	if (n < 2)
		goto out;
	occ = malloc(n * sizeof(*occ)); /* prepare() checked the size */
	if (!occ) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	ev.n = 0;
	/* The prepared occurrences are in window order, each entity once
	 * per window; within a window, order them by id. */
	for (size_t k = 0; k < n; k++) {
		occ[k].window = p->occ[k].window;
		occ[k].entity = kid[p->occ[k].key];
		occ[k].first = p->occ[k].first;
	}
	while (i < n) {
		size_t j = i;

		while (j < n && occ[j].window == occ[i].window)
			j++;
		if (j - i > 1)
			qsort(occ + i, j - i, sizeof(*occ), cmp_occurrence);
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
				ev.v[ev.n][0] = occ[a].entity;
				ev.v[ev.n][1] = occ[b].entity;
				ev.v[ev.n][2] = (sqlite3_int64)start;
				ev.v[ev.n][3] = (sqlite3_int64)end;
				if (++ev.n == MULTI_ROWS)
					rc = flush_evidence(c, &ev, doc_row);
				if (rc == 0 && acc)
					rc = bulk_pair(acc, occ[a].entity,
					               occ[b].entity, doc_row,
					               date);
				if (rc < 0)
					goto out;
			}
		}
		i = j;
	}
	rc = flush_evidence(c, &ev, doc_row);
out:
	free(occ);
	return rc;
}

/* The largest element of an array with one element per mention (or per
 * distinct key, or per occurrence, which are no more): check_input()
 * bounds the mention count by it, which covers every n * size of adding
 * a document. Each such element type is asserted to fit. */
#define MENTION_ELEM_MAX 64

/* Rejects mentions and segmentations that do not fit the text, before
 * anything is written. */
static int check_input(enum xref_window window, const struct xref_doc *doc,
                       const struct xref_segmentation *seg,
                       const struct xref_mentions *m)
{
	size_t len = doc->text ? doc->text_len : 0;

	if (m->n > SIZE_MAX / MENTION_ELEM_MAX)
		return xref_error_set(XREF_ENOMEM, "too many mentions");
	for (size_t i = 0; seg && i < seg->n_sentences; i++) {
		const struct xref_sentence *s = &seg->sentences[i];

		if (s->start > s->end || s->end > len ||
		    (window == XREF_WINDOW_PARAGRAPH &&
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

/* ---- preparing a document (no case needed) ---- */

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

static int cmp_case_occ(const void *pa, const void *pb)
{
	const struct xref_case_occ *a = pa, *b = pb;

	if (a->window != b->window)
		return a->window < b->window ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/* A mention's form, for grouping a document's mentions by form. */
struct form_ref {
	size_t key; /* rank of the entity's key */
	const char *name, *type, *surface, *rule;
	size_t surface_len;
	size_t i; /* the mention */
};

_Static_assert(sizeof(struct form_ref) <= MENTION_ELEM_MAX &&
                   sizeof(struct key_ref) <= MENTION_ELEM_MAX &&
                   sizeof(struct occurrence) <= MENTION_ELEM_MAX &&
                   sizeof(struct xref_case_occ) <= MENTION_ELEM_MAX &&
                   sizeof(struct xref_case_form) <= MENTION_ELEM_MAX &&
                   sizeof(struct xref_case_lens) <= MENTION_ELEM_MAX &&
                   sizeof(sqlite3_int64) <= MENTION_ELEM_MAX,
               "a per-mention element outgrew MENTION_ELEM_MAX");

static int cmp_form_ref(const void *pa, const void *pb)
{
	const struct form_ref *a = pa, *b = pb;
	size_t n;
	int c;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0 ||
	    (c = strcmp(a->type, b->type)) != 0)
		return c;
	n = a->surface_len < b->surface_len ? a->surface_len : b->surface_len;
	if ((c = memcmp(a->surface, b->surface, n)) != 0)
		return c;
	if (a->surface_len != b->surface_len)
		return a->surface_len < b->surface_len ? -1 : 1;
	if ((c = strcmp(a->rule, b->rule)) != 0)
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

static bool same_form(const struct form_ref *a, const struct form_ref *b)
{
	return a->key == b->key && a->surface_len == b->surface_len &&
	       strcmp(a->name, b->name) == 0 &&
	       strcmp(a->type, b->type) == 0 &&
	       memcmp(a->surface, b->surface, a->surface_len) == 0 &&
	       strcmp(a->rule, b->rule) == 0;
}

/* Forms ordered by their first mention (kept in their `n` until the keys
 * are made, see prepare_forms()). */
static int cmp_form_first(const void *pa, const void *pb)
{
	const struct xref_case_form *a = pa, *b = pb;

	return (a->off > b->off) - (a->off < b->off);
}

/* Fills p->forms and p->form_keys from the mentions (p->rank set). */
static int prepare_forms(struct xref_case_prep *p, const struct xref_doc *doc,
                         const struct xref_mentions *m)
{
	struct xref_buf keys = XREF_BUF_INIT;
	struct form_ref *refs = NULL;
	size_t n = m->n;
	int rc = 0;

	refs = malloc(n * sizeof(*refs)); /* check_input() checked n */
	p->forms = malloc(n * sizeof(*p->forms));
	if (!refs || !p->forms) {
		rc = enomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct xref_mention *mm = &m->v[i];

		refs[i].key = p->rank[i];
		refs[i].name = mm->name;
		refs[i].type = xref_type_name(mm->type);
		refs[i].surface = doc->text + mm->start;
		refs[i].surface_len = mm->end - mm->start;
		refs[i].rule = rule_of(mm);
		refs[i].i = i;
	}
	qsort(refs, n, sizeof(*refs), cmp_form_ref);
	/* off holds the first mention until the keys are written */
	for (size_t k = 0; k < n; k++) {
		if (p->n_forms > 0 && same_form(&refs[k - 1], &refs[k])) {
			p->forms[p->n_forms - 1].n++;
			continue;
		}
		p->forms[p->n_forms].off = refs[k].i;
		p->forms[p->n_forms].key = refs[k].key;
		p->forms[p->n_forms].n = 1;
		p->n_forms++;
	}
	qsort(p->forms, p->n_forms, sizeof(*p->forms), cmp_form_first);
	for (size_t f = 0; f < p->n_forms; f++) {
		const struct xref_mention *mm = &m->v[p->forms[f].off];
		size_t start = keys.len;

		rc = form_key(&keys, 0, mm->name, xref_type_name(mm->type),
		              doc->text + mm->start, mm->end - mm->start,
		              rule_of(mm));
		if (rc < 0)
			goto out;
		p->forms[f].off = start;
		p->forms[f].len = keys.len - start;
	}
	p->form_keys = xref_buf_detach(&keys);
	if (!p->form_keys)
		rc = enomem();
out:
	xref_buf_release(&keys);
	free(refs);
	return rc;
}

void xref_case_prep_release(struct xref_case_prep *p)
{
	free(p->rank);
	free(p->keys);
	free(p->occ);
	free(p->forms);
	free(p->form_keys);
	free(p->lens);
	memset(p, 0, sizeof(*p));
}

int xref_case_prepare(struct xref_case_prep *p, enum xref_window window,
                      const struct xref_doc *doc,
                      const struct xref_segmentation *seg,
                      const struct xref_mentions *m, const char *hash)
{
	static const struct xref_mentions none = {NULL, 0, 0, NULL};
	struct key_ref *refs = NULL;
	size_t n;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!m)
		m = &none;
	rc = check_input(window, doc, seg, m);
	if (rc < 0)
		goto out;
	if (hash)
		memcpy(p->hash, hash, sizeof(p->hash));
	else
		doc_hash(p->hash, doc);
	p->n_mentions = n = m->n;
	if (n == 0)
		goto out;
	refs = malloc(n * sizeof(*refs)); /* check_input() checked n */
	p->rank = malloc(n * sizeof(*p->rank));
	p->keys = malloc(n * sizeof(*p->keys));
	p->occ = malloc(n * sizeof(*p->occ));
	p->lens = malloc(n * sizeof(*p->lens));
	if (!refs || !p->rank || !p->keys || !p->occ || !p->lens) {
		rc = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct xref_mention *mm = &m->v[i];

		p->lens[i].name = strlen(mm->name);
		p->lens[i].type = strlen(xref_type_name(mm->type));
		p->lens[i].rule = strlen(rule_of(mm));
	}
	/* Distinct keys in key order; each is looked up once per
	 * document, through its first mention. */
	for (size_t i = 0; i < n; i++) {
		refs[i].key = m->v[i].key;
		refs[i].i = i;
	}
	qsort(refs, n, sizeof(*refs), cmp_key_ref);
	for (size_t k = 0; k < n; k++) {
		if (k == 0 || strcmp(refs[k - 1].key, refs[k].key) != 0)
			p->keys[p->n_keys++] = refs[k].i;
		p->rank[refs[k].i] = p->n_keys - 1;
	}
	rc = prepare_forms(p, doc, m);
	if (rc < 0)
		goto out;
	/* Each entity once per window, at its first sentence there. */
	for (size_t k = 0; n >= 2 && k < n; k++) {
		size_t sentence = m->v[k].sentence;
		struct xref_case_occ *o = &p->occ[k];

		o->key = p->rank[k];
		o->first = sentence;
		switch (window) {
		case XREF_WINDOW_SENTENCE:
			o->window = sentence;
			break;
		case XREF_WINDOW_PARAGRAPH:
			o->window = seg->sentences[sentence].paragraph;
			break;
		default:
			o->window = 0;
			break;
		}
	}
	if (n >= 2) {
		qsort(p->occ, n, sizeof(*p->occ), cmp_case_occ);
		for (size_t k = 0; k < n; k++) {
			if (p->n_occ > 0 &&
			    p->occ[p->n_occ - 1].window == p->occ[k].window &&
			    p->occ[p->n_occ - 1].key == p->occ[k].key)
				continue;
			p->occ[p->n_occ++] = p->occ[k];
		}
	}
out:
	free(refs);
	if (rc < 0)
		xref_case_prep_release(p);
	return rc;
}

int xref_case_add_prepared(struct xref_case *c, const struct xref_doc *doc,
                           const struct xref_segmentation *seg,
                           const struct xref_mentions *m,
                           const struct xref_case_prep *p,
                           enum xref_add_result *result)
{
	static const struct xref_mentions none = {NULL, 0, 0, NULL};
	sqlite3_int64 *ent = NULL, *kid = NULL;
	sqlite3_int64 doc_row = 0;
	long date = -1; /* bulk: the interned date */
	char old[33];
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
	if (p->n_mentions != m->n) {
		rc = xref_error_set(XREF_EINVAL,
		                    "document '%s': not the mentions prepared",
		                    doc->id);
		goto out;
	}
	rc = find_document(c, doc->id, &doc_row, old);
	if (rc < 0)
		goto out;
	if (doc_row && strcmp(p->hash, old) == 0) {
		res = XREF_DOC_UNCHANGED;
		goto out;
	}
	if (m->n) {
		ent = malloc(m->n * sizeof(*ent));
		kid = malloc(p->n_keys * sizeof(*kid)); /* prepared: n checked */
		if (!ent || !kid) {
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
		/* Replacing needs what bulk_end() builds; it is rare in a
		 * new case (the same id twice in the input). */
		rc = bulk_end(c, true);
		if (rc < 0)
			goto out;
		res = XREF_DOC_REPLACED;
		c->batch_sql = true;
		rc = clear_document(c, doc_row);
		if (rc < 0)
			goto out;
	}
	if (acc_of(c)) {
		rc = bulk_date(acc_of(c), doc->date, &date);
		if (rc < 0)
			goto out;
	}
	rc = write_document(c, doc, p->hash, &doc_row);
	if (rc < 0)
		goto out;
	rc = resolve_entities(c, doc, doc_row, date, m, p, ent, kid);
	if (rc < 0)
		goto out;
	rc = insert_mentions(c, doc, m, p, ent, kid, doc_row);
	if (rc < 0)
		goto out;
	rc = insert_evidence(c, seg, p, kid, doc_row, date);
out:
	if (rc < 0 && writing)
		c->batch_failed = true;
	if (rc == 0 && result)
		*result = res;
	free(ent);
	free(kid);
	return rc;
}

int xref_case_add_document(struct xref_case *c, const struct xref_doc *doc,
                           const struct xref_segmentation *seg,
                           const struct xref_mentions *m,
                           enum xref_add_result *result)
{
	struct xref_case_prep p;
	int rc;

	if (!doc || !doc->id)
		return xref_error_set(XREF_EINVAL, "document without an id");
	if (!c->in_batch)
		return xref_error_set(XREF_EINVAL,
		                      "case file '%s': no batch is open",
		                      c->path);
	rc = xref_case_prepare(&p, c->window, doc, seg, m, NULL);
	if (rc < 0)
		return rc;
	rc = xref_case_add_prepared(c, doc, seg, m, &p, result);
	xref_case_prep_release(&p);
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
