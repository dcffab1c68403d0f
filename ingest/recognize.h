/*
 * Recognition and in-document resolution of entity mentions.
 *
 * Layers, surest first: the user's watchlists; built-in knowledge compiled
 * into the binary (countries with aliases and demonyms, cities, titles,
 * organisation suffixes and cue words, given names, target nouns);
 * capitalised-phrase rules. Within one document, short forms ("Gantz",
 * "NSO") and acronyms resolve to the full names they abbreviate. Across
 * documents, identity is the normalised key.
 */
#ifndef XREF_INGEST_RECOGNIZE_H
#define XREF_INGEST_RECOGNIZE_H

#include <stddef.h>

#include "ingest/entity.h"
#include "ingest/segment.h"

struct xref_recognizer;

/* Creates a recognizer holding the built-in knowledge. *out is owned by the
 * caller (xref_recognizer_free()). Returns 0 or XREF_ENOMEM. */
int xref_recognizer_new(struct xref_recognizer **out);

/* Adds a watchlist file: UTF-8 TSV lines `name<TAB>type<TAB>alias|alias`
 * (the third column optional), '#' comments and blank lines ignored. On a bad
 * line returns XREF_EDATA with the last error "'PATH' line N: REASON" and
 * adds nothing from the file. XREF_EIO when the file cannot be read. */
int xref_recognizer_add_watchlist(struct xref_recognizer *r, const char *path);

/* Same, from a buffer; `source` names it in messages. */
int xref_recognizer_add_watchlist_buffer(struct xref_recognizer *r,
					 const char *data, size_t len,
					 const char *source);

/* Finds and resolves the mentions in text[0..len) (clean UTF-8, segmented as
 * `seg`) and appends them to *out in text order. Reentrant: one recognizer
 * may serve several threads at once. The caller releases *out with
 * xref_mentions_release(). O(tokens) with hash lookups. Returns 0 or
 * XREF_ENOMEM. */
int xref_recognize(struct xref_mentions *out, const struct xref_recognizer *r,
		   const char *text, size_t len,
		   const struct xref_segmentation *seg);

/* The normalised key of a name, as entities are identified across documents:
 * folded (xref_utf8_fold), without a leading "the", a possessive, or a
 * corporate suffix (Ltd, Inc, S.A., GmbH...); country aliases map to their
 * country's key. *out owned by the caller (free()). 0 or XREF_ENOMEM. */
int xref_entity_key(char **out, const struct xref_recognizer *r,
		    const char *name, size_t len);

void xref_recognizer_free(struct xref_recognizer *r);

#endif
