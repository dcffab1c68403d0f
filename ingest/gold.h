/*
 * Gold data for scoring recognition (`xref eval`): CoNLL-style token files
 * (mention level) and JSON Lines files of documents with their entity sets
 * (document level).
 */
#ifndef XREF_INGEST_GOLD_H
#define XREF_INGEST_GOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/entity.h"

/* The coarse classes that are scored, plus "other" for every gold type that
 * is not (MISC, ...) and "none" for what is never scored (target). */
enum xref_gold_class {
	XREF_GOLD_PER,
	XREF_GOLD_ORG,
	XREF_GOLD_LOC,
	XREF_GOLD_N_SCORED, /* the number of scored classes */
	XREF_GOLD_OTHER = XREF_GOLD_N_SCORED,
	XREF_GOLD_NONE,
};

/* "PER", "ORG", "LOC", "other", "none" (static). */
const char *xref_gold_class_name(enum xref_gold_class c);

/* The class of one of our types: person -> PER; company, government,
 * organization, media -> ORG; country, location -> LOC; target -> none. */
enum xref_gold_class xref_gold_class_of_type(enum xref_type t);

/* The class of a CoNLL type name, ASCII case-insensitive: PER or PERSON ->
 * PER; ORG, ORGANIZATION or ORGANISATION -> ORG; LOC, LOCATION or GPE ->
 * LOC; anything else (MISC...) -> other. */
enum xref_gold_class xref_gold_class_of_name(const char *name);

/* ---- CoNLL ---------------------------------------------------------------- */

struct xref_conll_token {
	size_t off; /* the token's text at conll->text + off, NUL-terminated */
	size_t len;
};

struct xref_conll_sentence {
	size_t tok_begin, tok_end; /* tokens [tok_begin, tok_end) */
};

struct xref_conll_doc {
	size_t sent_begin, sent_end; /* sentences [sent_begin, sent_end) */
	size_t span_begin, span_end; /* gold spans [span_begin, span_end) */
	bool docstart;               /* introduced by a -DOCSTART- line */
};

/* A gold mention: tokens [begin, end) (file-wide indexes, never crossing a
 * sentence) of type types[type]. */
struct xref_conll_span {
	size_t begin, end;
	size_t type;
};

struct xref_conll {
	char *text; /* every token's text, each NUL-terminated */
	struct xref_conll_token *tokens;
	size_t n_tokens;
	struct xref_conll_sentence *sents; /* none is empty */
	size_t n_sents;
	struct xref_conll_doc *docs;
	size_t n_docs;
	struct xref_conll_span *spans; /* in token order, never overlapping */
	size_t n_spans;
	char **types; /* type names as written ("PER", "MISC"), first-seen order */
	enum xref_gold_class *type_class; /* the class of each type */
	size_t n_types;
};

/*
 * Parses CoNLL-style gold data in data[0..len) into *out, which the caller
 * releases with xref_conll_release() (even on failure).
 *
 * One token per line: columns separated by spaces or tabs, the first is the
 * token, the last its tag: O, or PREFIX-TYPE with PREFIX one of B, I (IOB1
 * and IOB2; also E, S, L, U of IOBES and BILOU). A B- (S-, U-) tag always
 * starts a mention; an I- (E-, L-) tag continues the open mention of the
 * same type and otherwise starts one, so IOB1 and IOB2 read alike; E-, L-,
 * S- and U- close the mention. A blank line ends a sentence. A line whose
 * first column is -DOCSTART- ends the document; a file without one is a
 * single document. CR before LF and a leading byte-order mark are ignored.
 * A token must be valid UTF-8 without control characters.
 *
 * On a malformed line returns XREF_EDATA with the last error
 * "'SOURCE' line N: REASON"; XREF_EDATA "'SOURCE': no tokens" when there
 * is nothing to score. XREF_ENOMEM. O(len).
 */
int xref_conll_parse(struct xref_conll *out, const char *data, size_t len,
		     const char *source);

/* Reads and parses the file at path; XREF_EIO "cannot open 'PATH': REASON"
 * when it cannot be read. */
int xref_conll_read(struct xref_conll *out, const char *path);

/* Frees everything and zeroes *c. Safe on a zeroed struct. */
void xref_conll_release(struct xref_conll *c);

/* ---- JSON Lines ------------------------------------------------------------ */

struct xref_gold_entity {
	char *name;     /* owned */
	enum xref_type type;
	char **aliases; /* owned strings; other names of the entity */
	size_t n_aliases;
};

struct xref_gold_doc {
	char *id;       /* owned */
	char *text;     /* owned, clean UTF-8 (xref_utf8_clean); NULL in predictions */
	size_t text_len;
	size_t line;    /* 1-based line in the gold file (0 in predictions) */
	struct xref_gold_entity *ents;
	size_t n_ents;
};

struct xref_gold_docs {
	struct xref_gold_doc *v;
	size_t n, cap;
};

/*
 * Parses JSON Lines gold data: one document per line,
 * {"id": STRING or NUMBER, "text": STRING,
 *  "entities": [{"name": STRING, "type": TYPE, "aliases": [STRING...]}]}
 * where TYPE is one of our type names and "aliases" may be left out. Other
 * keys are ignored; blank lines are skipped. Strings are cleaned like
 * document text (xref_utf8_clean). Ids must be unique.
 *
 * Appends to *out, which the caller releases with xref_gold_docs_release()
 * (even on failure). On a malformed line returns XREF_EDATA with the last
 * error "'SOURCE' line N: REASON" (invalid JSON with its column, a missing
 * or mistyped field, an unknown type, a duplicate id); XREF_EDATA
 * "'SOURCE': no documents" for a file without any. XREF_ENOMEM. O(len).
 */
int xref_gold_jsonl_parse(struct xref_gold_docs *out, const char *data,
			  size_t len, const char *source);

/* Reads and parses the file at path; XREF_EIO "cannot open 'PATH': REASON"
 * when it cannot be read. */
int xref_gold_jsonl_read(struct xref_gold_docs *out, const char *path);

/* Frees the entity's strings and zeroes it. */
void xref_gold_entity_release(struct xref_gold_entity *e);

/* Frees every document and the array; leaves *d empty. */
void xref_gold_docs_release(struct xref_gold_docs *d);

/* True when path ends in .jsonl or .ndjson (ASCII case-insensitive): the
 * file is JSON Lines gold; otherwise it is CoNLL. */
bool xref_gold_is_jsonl(const char *path);

#endif
