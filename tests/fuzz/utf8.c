/*
 * Fuzz target for ingest/utf8.h: xref_utf8_is_valid, _decode, _clean,
 * _fold and _sanitize on arbitrary bytes. Clean output must be clean and a
 * fixed point of cleaning; valid input without controls must come out of
 * cleaning unchanged; fold and sanitize must give valid, trimmed (fold) or
 * control-free (sanitize) strings; decode must walk any input.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/utf8.h"
#include "tests/fuzz/fuzz.h"

/* True when s has no byte that cleaning would change (controls, CR). */
static bool plain(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7F)
			return false;
	return true;
}

static bool has_c1(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return true;
	return false;
}

static bool starts_with_bom(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *clean = NULL, *again = NULL, *fold = NULL, *str, *san;
	size_t len = 0, len2 = 0, fixed = 0;
	bool valid = xref_utf8_is_valid(s, size);

	for (size_t i = 0; i < size;) {
		int32_t cp = -1;
		size_t n = xref_utf8_decode(s + i, size - i, &cp);

		fuzz_check(n >= 1 && n <= 4 && n <= size - i, "decode length");
		fuzz_check(cp >= 0 && cp <= 0x10FFFF, "decode code point");
		fuzz_check(!valid || cp != 0xFFFD ||
			   (n == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0),
			   "valid input decoded as U+FFFD");
		i += n;
	}

	fuzz_check(xref_utf8_clean(&clean, &len, &fixed, s, size) == 0, "clean");
	fuzz_check(strlen(clean) == len, "clean length");
	fuzz_check_text(clean, len, false, "clean output not clean");
	fuzz_check(memchr(clean, '\r', len) == NULL, "CR after clean");
	if (valid && plain(data, size) && !has_c1(s, size) &&
	    !starts_with_bom(s, size))
		fuzz_check(len == size && memcmp(clean, s, size) == 0,
			   "clean changed clean input");
	if (!starts_with_bom(clean, len)) {
		fuzz_check(xref_utf8_clean(&again, &len2, &fixed, clean, len) == 0,
			   "clean again");
		fuzz_check(len2 == len && memcmp(again, clean, len) == 0 &&
			   fixed == 0, "clean is not idempotent");
	}

	fuzz_check(xref_utf8_fold(&fold, s, size) == 0, "fold");
	fuzz_check_str(fold, true, "fold output not clean");
	if (*fold)
		fuzz_check(fold[0] != ' ' && fold[strlen(fold) - 1] != ' ',
			   "fold output not trimmed");

	str = fuzz_strndup(data, size);
	san = xref_utf8_sanitize(str);
	fuzz_check(san != NULL, "sanitize");
	fuzz_check_str(san, true, "sanitize output not clean");
	free(san);
	free(str);
	free(fold);
	free(again);
	free(clean);
	return 0;
}
