/*
 * The case file: a SQLite database holding documents (with their text),
 * entities, aliases, mentions, co-occurrence edges and their evidence.
 * Schema v1 is documented in README.md ("The case file").
 */
#ifndef XREF_GRAPH_CASE_H
#define XREF_GRAPH_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/doc.h"
#include "ingest/entity.h"
#include "ingest/segment.h"

#define XREF_CASE_SCHEMA_VERSION 1

struct xref_case;

enum xref_case_flags {
	XREF_CASE_CREATE = 1 << 0,   /* create the file and schema when missing */
	XREF_CASE_READONLY = 1 << 1, /* open for queries only */
	XREF_CASE_BULK = 1 << 2,     /* build a new case; see below */
};

/* Co-occurrence window: two entities are linked once per window in which
 * both occur. Stored in the case file when it is created. */
enum xref_window {
	XREF_WINDOW_SENTENCE,
	XREF_WINDOW_PARAGRAPH,
	XREF_WINDOW_DOCUMENT,
};

const char *xref_window_name(enum xref_window w);
int xref_window_parse(enum xref_window *out, const char *name); /* 0 or XREF_EINVAL */

/* Opens (or with XREF_CASE_CREATE creates) the case file at `path`. A new
 * file gets `window`; an existing one keeps its own (see xref_case_window).
 * A file of a newer schema is refused with XREF_EVERSION; a file that is not
 * a case file, or an empty one (a first ingest killed before its first
 * commit) without XREF_CASE_CREATE, with XREF_EDATA; a missing file
 * (without XREF_CASE_CREATE) with XREF_ENOTFOUND. A batch left unfinished
 * by a killed writer is rolled back first, even for XREF_CASE_READONLY
 * (which then needs write access to the file for that moment). Opening for
 * writing adds the views a case from an earlier xref lacks. *out is owned
 * by the caller (xref_case_free()). A case may move between threads but
 * serves one thread at a time. */
int xref_case_open(struct xref_case **out, const char *path, int flags,
		   enum xref_window window);

/*
 * XREF_CASE_BULK builds a new case in a temporary file beside `path`
 * (PATH.tmp.PID), fast and without crash safety: no journal, no fsync,
 * the indexes on mentions and evidence and the derived tables (entity
 * names, types, counts and dates, entity_forms, aliases, edges) made once
 * at the end instead of at every commit. The file at `path` is untouched
 * until xref_case_publish(); without it, xref_case_free() deletes the
 * temporary file. Temporary files of bulk builds of `path` whose process
 * is gone are removed at open. The published file holds the same rows as
 * an ingest of the same documents would (ids included), except for the
 * writers' indexes (see xref_case_publish()). Until finished, the case
 * answers only the batch and document calls.
 */

/* Ends the batches of a bulk build: writes the derived tables, so that c
 * can be read (xref_graph_load() and the other reads work, scanning where
 * the indexes are still missing) while xref_case_publish() is still to
 * come. No batch may be open, and none can be begun afterwards
 * (XREF_EINVAL). A no-op when done before. Errors: XREF_EINVAL (not a
 * bulk build, or a batch open), XREF_ERROR (a batch was rolled back: the
 * file cannot be published), XREF_EIO, XREF_ENOMEM. Time: O(entities +
 * edges + forms). */
int xref_case_finish(struct xref_case *c);

/* A second connection to a finished, unpublished bulk build, read-only,
 * for another thread to read from (xref_graph_load_evidence(), say)
 * while c creates its indexes: the temporary file is switched to WAL mode
 * for that, and the reader keeps the snapshot it opened on (without the
 * indexes made later). *out is owned by the caller and must be freed
 * before xref_case_seal() or xref_case_publish(), which need c to be the
 * file's only connection. Errors: XREF_EINVAL (not finished, or sealed),
 * XREF_ERROR (the file system cannot share the file: read from c
 * instead), XREF_EIO, XREF_ENOMEM. */
int xref_case_open_reader(struct xref_case **out, struct xref_case *c);

/* The first step of xref_case_publish(): finishes a bulk build unless
 * done, and creates the indexes the read commands use, the longest step
 * of publishing (a sort of the mention and of the evidence rows).
 * Readers from xref_case_open_reader() may go on reading meanwhile. A
 * no-op when done before. Errors as xref_case_publish(). */
int xref_case_index(struct xref_case *c);

/* The second step of xref_case_publish(): indexes unless done, ends the
 * WAL mode of xref_case_open_reader() (all readers must be freed by
 * then), closes the database and syncs the temporary file. Afterwards c
 * answers only xref_case_publish() and xref_case_free(), which removes
 * the file. A no-op when done before. Errors as xref_case_publish(). */
int xref_case_seal(struct xref_case *c);

/* Finishes a bulk build (xref_case_finish(), xref_case_index() and
 * xref_case_seal(), each unless done: indexed, synced), renames it over
 * the target path (first rolling back a journal an interrupted writer
 * left for the old file there, and removing its side files), syncs the
 * directory, and reopens c on the target as xref_case_open(path, 0)
 * would. The indexes only writers need (a document's rows, an entity's
 * evidence as target) are left to the first batch an ingest writes into
 * the case. A crash at any point leaves either the old file or the new
 * one at the path. No batch may be open. On failure (XREF_ERROR after a
 * rolled-back batch, XREF_EIO, XREF_ENOMEM) the old file stays and c can
 * only be freed. Time: O(entities + edges + forms) plus sorting the
 * mention and evidence rows for their indexes. c may be published on
 * another thread than the one that filled it, as long as no other thread
 * uses it meanwhile. */
int xref_case_publish(struct xref_case *c);

/* Closes the database (rolling back an open batch) and frees c; an
 * unpublished bulk build's temporary file is removed. NULL is a no-op. */
void xref_case_free(struct xref_case *c);

enum xref_window xref_case_window(const struct xref_case *c);

/* Starts a batch: everything until xref_case_commit() is one transaction, so
 * a crash keeps either all or none of the batch. */
int xref_case_begin(struct xref_case *c);

/* Recomputes the derived tables touched by the batch (entity names and
 * types, mention and document counts, edges with weight, documents, first
 * and last seen) and commits. */
int xref_case_commit(struct xref_case *c);

/* Abandons the batch. */
void xref_case_rollback(struct xref_case *c);

enum xref_add_result {
	XREF_DOC_ADDED,
	XREF_DOC_UNCHANGED, /* same id and same content hash: nothing written */
	XREF_DOC_REPLACED,  /* same id, new content: old mentions and evidence replaced */
};

/* True (in *unchanged) when a document with this id and the same content
 * (text, title, url, date) is already in the case, so recognition can be
 * skipped. */
int xref_case_document_unchanged(struct xref_case *c,
				 const struct xref_doc *doc, bool *unchanged);

/* Adds one document with its segmentation and resolved mentions inside the
 * open batch: the document row, entities (created by key when new), aliases
 * (surface form and rule), mentions, and one evidence row per window and
 * entity pair. *result (may be NULL) says what happened.
 * Mentions and the segmentation are checked against the text first
 * (XREF_EINVAL, nothing written, the batch goes on). A database error
 * after writing began fails the whole batch: xref_case_commit() then
 * refuses and rolls back. */
int xref_case_add_document(struct xref_case *c, const struct xref_doc *doc,
			   const struct xref_segmentation *seg,
			   const struct xref_mentions *m,
			   enum xref_add_result *result);

struct xref_case_counts {
	long documents, entities, aliases, mentions, edges, evidence;
};

int xref_case_counts(struct xref_case *c, struct xref_case_counts *out);

#endif
