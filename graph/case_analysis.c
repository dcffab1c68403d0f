/*
 * Analysis results kept in the case file: each entity's community.
 *
 * One table of our own, created on first use, so that the case schema
 * (graph/case.c) needs no new version and a case file without it stays
 * valid:
 *
 *   CREATE TABLE communities (
 *     entity_id INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
 *     community INTEGER NOT NULL  -- 0 is the largest community
 *   );
 *
 * The foreign key cascades, so an entity that ingest removes loses its row
 * instead of blocking the removal. Saving replaces the whole table in one
 * transaction: a partition is only meaningful whole, so merging a new run
 * into an old one was rejected. Nodes are matched to entities by key (the
 * identity across documents), never by row id, which a graph does not
 * carry.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "graph/graph_internal.h"
#include "ingest/entity.h"
#include "ingest/status.h"

/* clang-format off */
static const char SQL_CREATE[] =
	"CREATE TABLE IF NOT EXISTS communities (\n"
	"  entity_id INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,\n"
	"  community INTEGER NOT NULL  -- 0 is the largest community\n"
	")";
static const char SQL_INSERT[] =
	"INSERT INTO communities (entity_id, community) "
	"SELECT id, ?2 FROM entities WHERE key = ?1";
static const char SQL_EXISTS[] =
	"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'communities'";
static const char SQL_READ[] =
	"SELECT e.key, c.community FROM communities c "
	"JOIN entities e ON e.id = c.entity_id";
/* clang-format on */

static int db_error(sqlite3 *db, const char *what)
{
	return xref_error_set(XREF_ERROR, "cannot %s: %s", what,
	                      sqlite3_errmsg(db));
}

int xref_case_save_communities(struct xref_case *c, const struct xref_graph *g)
{
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL;
	bool in_tx = false;
	int rc = 0;

	if (sqlite3_db_readonly(db, "main") != 0) {
		rc = xref_error_set(XREF_EINVAL,
		                    "cannot save communities: the case file is "
		                    "open read-only");
		goto out;
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = db_error(db, "save communities");
		goto out;
	}
	in_tx = true;
	if (sqlite3_exec(db, SQL_CREATE, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "DELETE FROM communities", NULL, NULL, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(db, SQL_INSERT, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "save communities");
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct xref_node *v = &g->nodes[i];

		if (v->community < 0)
			continue;
		sqlite3_bind_text(st, 1, v->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)v->community);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = db_error(db, "save communities");
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(db, "save communities");
		goto out;
	}
	in_tx = false;
out:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

struct key_ref {
	char uid[17];
	const char *key;
};

/* Nodes are sorted by uid, then key (graph.c): search the same way. */
static int cmp_key_ref(const void *pk, const void *pn)
{
	const struct key_ref *k = pk;
	const struct xref_node *n = pn;
	int c = strcmp(k->uid, n->uid);

	return c ? c : strcmp(k->key, n->key);
}

int xref_case_load_communities(struct xref_case *c, struct xref_graph *g)
{
	sqlite3 *db = xref_case_sqlite(c);
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i].community = -1;
	if (sqlite3_prepare_v2(db, SQL_EXISTS, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read communities");
		goto out;
	}
	s = sqlite3_step(st);
	if (s == SQLITE_DONE || g->n_nodes == 0)
		goto out;
	if (s != SQLITE_ROW) {
		rc = db_error(db, "read communities");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, SQL_READ, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read communities");
		goto out;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct key_ref k;
		struct xref_node *hit;

		k.key = (const char *)sqlite3_column_text(st, 0);
		if (!k.key)
			continue;
		xref_entity_uid(k.uid, k.key);
		hit = bsearch(&k, g->nodes, g->n_nodes, sizeof(*g->nodes),
		              cmp_key_ref);
		if (hit)
			hit->community = (long)sqlite3_column_int64(st, 1);
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "read communities");
out:
	sqlite3_finalize(st);
	return rc;
}
