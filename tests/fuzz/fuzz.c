/*
 * Helpers shared by the fuzz targets (see fuzz.h). The checks decode UTF-8
 * themselves rather than trusting xref_utf8_is_valid(), the function under
 * test in one of the targets.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_check(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	/* C1 controls U+0080..U+009F */
	if (cp >= 0x80 && cp <= 0x9F)
		return 0;
	return len;
}

void fuzz_check_text(const char *s, size_t len, bool single_line,
		     const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;

		if (c < 0x20 || c == 0x7F) {
			fuzz_check(!single_line && (c == '\t' || c == '\n'),
				   what);
			i++;
			continue;
		}
		n = seq_len(p + i, len - i);
		fuzz_check(n > 0, what);
		i += n;
	}
}

void fuzz_check_str(const char *s, bool single_line, const char *what)
{
	if (s)
		fuzz_check_text(s, strlen(s), single_line, what);
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	fuzz_check(s != NULL, "out of memory");
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_fields(char **out, size_t max, const uint8_t *data, size_t size)
{
	size_t k = 0, start = 0;

	for (size_t i = 0; i <= size && k < max; i++) {
		if (i < size && data[i] != 0)
			continue;
		out[k++] = fuzz_strndup(data + start, i - start);
		start = i + 1;
	}
	while (k < max)
		out[k++] = fuzz_strndup(NULL, 0);
}

void fuzz_fields_free(char **f, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		free(f[i]);
		f[i] = NULL;
	}
}
