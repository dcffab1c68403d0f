/*
 * UTF-8 checking, cleaning and folding.
 *
 * Every document passes through xref_utf8_clean() before anything else sees
 * it, so invalid bytes and control characters never reach an output. Keys
 * that identify entities come from xref_utf8_fold().
 */
#ifndef XREF_INGEST_UTF8_H
#define XREF_INGEST_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xref_buf;

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). NUL bytes count as valid here. */
bool xref_utf8_is_valid(const char *s, size_t len);

/* Decodes one code point at s[0..len). Stores it in *cp and returns the
 * number of bytes used (1-4); on an invalid or truncated sequence stores
 * U+FFFD and returns 1. len must be > 0. */
size_t xref_utf8_decode(const char *s, size_t len, int32_t *cp);

/* Copies src[0..len) into a new string that is valid UTF-8 and free of
 * control characters: invalid bytes become U+FFFD; "\r\n" and lone "\r"
 * become "\n"; NUL, other C0 controls (except tab and newline), DEL and C1
 * controls become a space; a leading byte-order mark is dropped.
 * *out is NUL-terminated and owned by the caller (free()); *out_len is its
 * length; *n_fixed (may be NULL) counts the invalid sequences and control
 * characters replaced. Returns 0 or XREF_ENOMEM. */
int xref_utf8_clean(char **out, size_t *out_len, size_t *n_fixed,
		    const char *src, size_t len);

/* The same cleaning, appended to *out (NUL-terminated after it), for
 * callers that clean many strings into one buffer. Returns 0 or
 * XREF_ENOMEM (then *out holds its old contents, perhaps more room). */
int xref_utf8_clean_append(struct xref_buf *out, const char *src, size_t len);

/* The folded form of s[0..len) used for keys and for comparing names:
 * compatibility-decomposed, case-folded, combining marks removed; '.' and
 * apostrophes removed; any other run of punctuation, symbols or whitespace
 * becomes one space; trimmed. "Ó Cearbhaill" -> "o cearbhaill",
 * "U.S." -> "us", "Al-Jazeera" -> "al jazeera". *out is owned by the caller
 * (free()). Invalid UTF-8 is tolerated (treated as U+FFFD, then dropped).
 * Returns 0 or XREF_ENOMEM. */
int xref_utf8_fold(char **out, const char *s, size_t len);

/* The same fold, appended to *out (NUL-terminated after it): out->len grows
 * by the folded form's length. For callers that fold many names into one
 * buffer instead of allocating each. On XREF_ENOMEM, *out holds a partial
 * fold after its old contents. O(len). */
int xref_utf8_fold_append(struct xref_buf *out, const char *s, size_t len);

/* Returns a new string holding s with every character that is not allowed in
 * XML 1.0 or is a C0/C1 control removed, and invalid UTF-8 replaced by
 * U+FFFD; tab and newline become a space. For labels and attributes in every
 * output format. Owned by the caller (free()); NULL when out of memory. */
char *xref_utf8_sanitize(const char *s);

/* The same, of s[0..len) (NUL bytes are controls: dropped), appended to
 * *out (NUL-terminated after it) instead of allocated. Returns 0 or
 * XREF_ENOMEM (then *out holds its old contents, perhaps more room).
 * O(len). */
int xref_utf8_sanitize_append(struct xref_buf *out, const char *s,
			      size_t len);

#endif
