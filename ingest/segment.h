/*
 * Segmentation of a document's text into paragraphs, sentences and tokens,
 * each with byte offsets into that text.
 */
#ifndef XREF_INGEST_SEGMENT_H
#define XREF_INGEST_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

enum xref_token_flag {
	XREF_TOK_WORD = 1u << 0,     /* contains a letter */
	XREF_TOK_UPPER = 1u << 1,    /* first letter is uppercase */
	XREF_TOK_ALLCAPS = 1u << 2,  /* every letter uppercase, at least two letters */
	XREF_TOK_DIGIT = 1u << 3,    /* contains a digit */
	XREF_TOK_PUNCT = 1u << 4,    /* punctuation or symbol only */
	XREF_TOK_ATTACHED = 1u << 5, /* no whitespace between it and the previous token */
	XREF_TOK_FIRST = 1u << 6,    /* first token of its sentence */
	XREF_TOK_ABBREV = 1u << 7,   /* ends with a period that is part of it ("Mr.", "U.S.", "J.") */
	XREF_TOK_POSSESSIVE = 1u << 8, /* the "'s" / "’s" / "'" after a name */
};

struct xref_token {
	size_t start, end; /* bytes [start, end) of the text */
	uint32_t flags;    /* enum xref_token_flag bits */
};

struct xref_sentence {
	size_t start, end;          /* bytes [start, end), trimmed of whitespace */
	size_t tok_begin, tok_end;  /* tokens [tok_begin, tok_end) */
	size_t paragraph;           /* index of its paragraph, from 0 */
};

struct xref_paragraph {
	size_t start, end;          /* bytes [start, end), trimmed */
	size_t sent_begin, sent_end;/* sentences [sent_begin, sent_end) */
};

struct xref_segmentation {
	struct xref_token *tokens;
	size_t n_tokens;
	struct xref_sentence *sentences;
	size_t n_sentences;
	struct xref_paragraph *paragraphs;
	size_t n_paragraphs;
};

/*
 * Segments text[0..len) (valid UTF-8) into *out, which the caller releases
 * with xref_segmentation_release() even on failure.
 *
 * Paragraphs: separated by blank lines; a text with no blank line but several
 * lines has one paragraph per line. A sentence never crosses a paragraph.
 * Sentences end at '.', '!' or '?' (with any closing quotes or brackets)
 * followed by whitespace and an uppercase letter, digit, quote or the end,
 * except after abbreviations and titles ("Mr.", "Gen.", "U.S.", "Inc.",
 * "No.", single initials). Tokens: words (letters, digits, inner apostrophes
 * and periods of abbreviations), a possessive "'s" as its own token, every
 * other punctuation character as its own token; hyphens split words and the
 * parts are marked XREF_TOK_ATTACHED.
 * O(len). Returns 0 or XREF_ENOMEM.
 */
int xref_segment(struct xref_segmentation *out, const char *text, size_t len);

/* Frees the arrays and zeroes *seg. Safe on a zeroed struct. */
void xref_segmentation_release(struct xref_segmentation *seg);

#endif
