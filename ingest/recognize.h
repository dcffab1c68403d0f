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
 * (the third column optional), '#' comments and blank lines ignored. In a
 * name or alias that holds control characters, each run of them (with the
 * spaces around it) becomes one space and the ends are trimmed; other names
 * are kept as written. On a bad line (invalid UTF-8, no type, an unknown
 * type, a name of control characters only) returns XREF_EDATA with the last
 * error "'PATH' line N: REASON" and adds nothing from the file. XREF_EIO
 * when the file cannot be read. */
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

/* The seam for a statistical tagger layer: a function that takes one
 * sentence's tokens and returns typed spans over them. */
struct xref_tagged_span {
	size_t tok_begin, tok_end; /* tokens [tok_begin, tok_end) of the sentence's */
	enum xref_type type;
};

/* Called once per sentence with its tokens (offsets into `text`). Stores
 * up to `cap` spans in `out` and their number in *n; returns 0 or a
 * negative xref_status. Spans are relative to `tokens`, must not overlap,
 * and are kept only where the rule layers found nothing: watchlists and
 * knowledge stay surest. Called from several threads at once when
 * recognition runs in parallel. */
typedef int (*xref_tagger_fn)(struct xref_tagged_span *out, size_t cap,
			      size_t *n, const char *text,
			      const struct xref_token *tokens, size_t n_tokens,
			      void *ctx);

/* Installs (or with fn NULL removes) the tagger layer. */
void xref_recognizer_set_tagger(struct xref_recognizer *r, xref_tagger_fn fn,
				void *ctx);

void xref_recognizer_free(struct xref_recognizer *r);

#endif
