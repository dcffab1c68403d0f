/*
 * Unit tests for ingest/utf8.c: validation, decoding, cleaning, folding
 * and sanitising, plus random-byte robustness of clean and fold.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"
#include "tests/unit/tap.h"

static char *fold(const char *s)
{
	static char *last;
	char *out = NULL;

	free(last);
	last = NULL;
	if (xref_utf8_fold(&out, s, strlen(s)) != 0)
		return NULL;
	last = out;
	return out;
}

static char *clean_n(const char *s, size_t len, size_t *n_fixed)
{
	static char *last;
	char *out = NULL;
	size_t out_len = 0;

	free(last);
	last = NULL;
	if (xref_utf8_clean(&out, &out_len, n_fixed, s, len) != 0)
		return NULL;
	last = out;
	if (out_len != strlen(out))
		return NULL;
	return out;
}

static void test_valid_decode(void)
{
	int32_t cp = 0;

	CHECK(xref_utf8_is_valid("abc", 3));
	CHECK(xref_utf8_is_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14));
	CHECK(xref_utf8_is_valid("a\0b", 3));
	CHECK(!xref_utf8_is_valid("\xC0\xAF", 2));         /* overlong '/' */
	CHECK(!xref_utf8_is_valid("\xE0\x80\xAF", 3));     /* overlong */
	CHECK(!xref_utf8_is_valid("\xED\xA0\x80", 3));     /* surrogate */
	CHECK(!xref_utf8_is_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!xref_utf8_is_valid("\xE2\x82", 2));         /* truncated */
	CHECK(!xref_utf8_is_valid("\x80", 1));
	CHECK(!xref_utf8_is_valid("ok\xFF", 3));

	CHECK(xref_utf8_decode("A", 1, &cp) == 1 && cp == 'A');
	CHECK(xref_utf8_decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);
	CHECK(xref_utf8_decode("\xE2\x82\xAC", 3, &cp) == 3 && cp == 0x20AC);
	CHECK(xref_utf8_decode("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
	CHECK(xref_utf8_decode("\xFF", 1, &cp) == 1 && cp == 0xFFFD);
	CHECK(xref_utf8_decode("\xE2\x82\xAC", 2, &cp) == 1 && cp == 0xFFFD);
	CHECK(xref_utf8_decode("\xED\xBF\xBF", 3, &cp) == 1 && cp == 0xFFFD);
}

static void test_clean(void)
{
	size_t fixed = 99;

	CHECK_STR(clean_n("plain text", 10, &fixed), "plain text");
	CHECK(fixed == 0);
	CHECK_STR(clean_n("a\xFF" "b", 3, &fixed), "a\xEF\xBF\xBD" "b");
	CHECK(fixed == 1);
	CHECK_STR(clean_n("a\r\nb\rc\n", 7, &fixed), "a\nb\nc\n");
	CHECK(fixed == 0);
	CHECK_STR(clean_n("\xEF\xBB\xBFhi", 5, NULL), "hi");
	/* a BOM that is not leading is kept (it is a character) */
	CHECK_STR(clean_n("x\xEF\xBB\xBF", 4, NULL), "x\xEF\xBB\xBF");
	CHECK_STR(clean_n("a\0b", 3, &fixed), "a b");
	CHECK(fixed == 1);
	CHECK_STR(clean_n("\x01\x1B\x7F", 3, &fixed), "   ");
	CHECK(fixed == 3);
	CHECK_STR(clean_n("x\xC2\x85y", 4, &fixed), "x y"); /* C1 NEL */
	CHECK(fixed == 1);
	/* the C1 range ends at U+009F; U+00A0 (NBSP) is a character */
	CHECK_STR(clean_n("\xC2\x80\xC2\x9F\xC2\xA0", 6, &fixed), "  \xC2\xA0");
	CHECK(fixed == 2);
	CHECK_STR(clean_n("tab\there\nnl", 11, &fixed), "tab\there\nnl");
	CHECK(fixed == 0);
	CHECK_STR(clean_n("\xED\xA0\x80", 3, &fixed),
		  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	CHECK(fixed == 3);
	CHECK_STR(clean_n("caf\xC3\xA9", 5, &fixed), "caf\xC3\xA9");
	CHECK(fixed == 0);
	CHECK_STR(clean_n("", 0, &fixed), "");
	CHECK(fixed == 0);
}

static void test_fold(void)
{
	char *out = NULL;

	CHECK_STR(fold("U.S."), "us");
	CHECK_STR(fold("Al-Jazeera"), "al jazeera");
	CHECK_STR(fold("\xC3\x93 Cearbhaill"), "o cearbhaill");
	CHECK_STR(fold("NSO Group\xE2\x80\x99s"), "nso groups");
	CHECK_STR(fold("NSO Group's"), "nso groups");
	CHECK_STR(fold("  Hello,   World!  "), "hello world");
	CHECK_STR(fold("Mr. Macron"), "mr macron");
	CHECK_STR(fold("\xC3\x89lys\xC3\xA9" "e Palace"), "elysee palace");
	CHECK_STR(fold("Stra\xC3\x9F" "e"), "strasse");
	/* letters with a stroke, dotless i and ligatures */
	CHECK_STR(fold("Wa\xC5\x82\xC4\x99sa"), "walesa");
	CHECK_STR(fold("S\xC3\xB8rensen"), "sorensen");
	CHECK_STR(fold("\xC3\x98stergaard"), "ostergaard");
	CHECK_STR(fold("Y\xC4\xB1lmaz"), "yilmaz");
	CHECK_STR(fold("\xC4\x90\xE1\xBA\xB7ng"), "dang");
	CHECK_STR(fold("\xC3\x86sir"), "aesir");
	CHECK_STR(fold("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C"), "full");
	CHECK_STR(fold("Pegasus\xE2\x84\xA2"), "pegasus");
	CHECK_STR(fold("\xC4\xB0stanbul"), "istanbul");
	CHECK_STR(fold("Mac\xC2\xAD" "ron"), "macron"); /* soft hyphen */
	CHECK_STR(fold("ab\xFF\xFE" "cd"), "abcd");
	CHECK_STR(fold("Ahmed\tMansoor\n"), "ahmed mansoor");
	CHECK_STR(fold("\xED\x95\x9C\xEA\xB5\xAD"), "\xED\x95\x9C\xEA\xB5\xAD");
	CHECK_STR(fold("\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91"),
		  "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1");
	CHECK_STR(fold("Caf\xC3\xA9\xE2\x80\x94" "Bar"), "cafe bar");
	CHECK_STR(fold("AT&T"), "at t");
	CHECK_STR(fold("---"), "");
	CHECK_STR(fold(""), "");
	CHECK_STR(fold("Citizen\xC2\xA0Lab"), "citizen lab"); /* NBSP */
	CHECK_STR(fold("e\xCC\x81tat"), "etat"); /* combining acute */
	/* embedded NUL is a separator, not the end */
	CHECK(xref_utf8_fold(&out, "a\0b", 3) == 0);
	CHECK_STR(out, "a b");
	free(out);
}

static void test_sanitize(void)
{
	char *s;

	s = xref_utf8_sanitize("a\x01" "b\tc\nd\re");
	CHECK_STR(s, "ab c de");
	free(s);
	s = xref_utf8_sanitize("x\xFFy");
	CHECK_STR(s, "x\xEF\xBF\xBDy");
	free(s);
	s = xref_utf8_sanitize("a\xEF\xBF\xBE" "b\xC2\x85" "c\x7F" "d");
	CHECK_STR(s, "abcd");
	free(s);
	s = xref_utf8_sanitize("<script>\"&'");
	CHECK_STR(s, "<script>\"&'");
	free(s);
	s = xref_utf8_sanitize("\xF0\x9F\x98\x80 ok");
	CHECK_STR(s, "\xF0\x9F\x98\x80 ok");
	free(s);
}

/* Random bytes: clean gives valid UTF-8 without controls; fold gives valid
 * UTF-8 without leading, trailing or double spaces. */
static void test_random(void)
{
	unsigned int seed = 12345;
	bool clean_ok = true, fold_ok = true, sanitize_ok = true;
	char buf[64];

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)(iter % 63) + 1;
		char *c = NULL, *f = NULL, *s;
		size_t clen = 0;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
			/* favour interesting bytes */
			if ((seed >> 8) % 5 == 0)
				buf[i] = "\xC3\xA9\xE2\x80\x99\xF0\x9F\r\n\0 .'-"[(seed >> 4) % 15];
		}
		if (xref_utf8_clean(&c, &clen, NULL, buf, len) != 0 ||
		    !xref_utf8_is_valid(c, clen) || strlen(c) != clen) {
			clean_ok = false;
		} else {
			for (size_t i = 0; i < clen; i++) {
				unsigned char u = (unsigned char)c[i];

				if ((u < 0x20 && u != '\t' && u != '\n') ||
				    u == 0x7F || u == '\r')
					clean_ok = false;
			}
		}
		if (xref_utf8_fold(&f, buf, len) != 0 ||
		    !xref_utf8_is_valid(f, strlen(f)) || f[0] == ' ' ||
		    (f[0] && f[strlen(f) - 1] == ' ') || strstr(f, "  ") ||
		    strchr(f, '.') || strchr(f, '\''))
			fold_ok = false;
		buf[len] = '\0';
		s = xref_utf8_sanitize(buf);
		if (!s || !xref_utf8_is_valid(s, strlen(s)) || strchr(s, '\t') ||
		    strchr(s, '\n') || strchr(s, '\r'))
			sanitize_ok = false;
		free(s);
		free(c);
		free(f);
	}
	CHECK(clean_ok);
	CHECK(fold_ok);
	CHECK(sanitize_ok);
}

/* Appending a fold after `prefix` gives the prefix, then exactly what
 * xref_utf8_fold() gives, then a NUL. */
static bool append_matches(const char *prefix, const char *s, size_t len)
{
	struct xref_buf b = XREF_BUF_INIT;
	char *want = NULL;
	size_t plen = strlen(prefix);
	bool ok;

	ok = xref_buf_puts(&b, prefix) == 0 &&
	     xref_utf8_fold_append(&b, s, len) == 0 &&
	     xref_utf8_fold(&want, s, len) == 0 &&
	     b.len == plen + strlen(want) && memcmp(b.ptr, prefix, plen) == 0 &&
	     strcmp(b.ptr + plen, want) == 0;
	free(want);
	xref_buf_release(&b);
	return ok;
}

static void test_fold_append(void)
{
	struct xref_buf b = XREF_BUF_INIT;
	char big[600];
	size_t n = 0;
	bool ok = true;

	/* a leading separator writes no space, even after other bytes */
	CHECK(xref_buf_puts(&b, "x") == 0);
	CHECK(xref_utf8_fold_append(&b, " -Foo Bar", 9) == 0);
	CHECK_STR(b.ptr, "xfoo bar");
	CHECK(b.len == 8);
	CHECK(xref_utf8_fold_append(&b, "", 0) == 0);
	CHECK(b.len == 8 && b.ptr[8] == '\0');
	xref_buf_release(&b);
	CHECK(append_matches("abc", "Caf\xC3\xA9\xE2\x80\x94" "Bar",
			     strlen("Caf\xC3\xA9\xE2\x80\x94" "Bar")));
	/* a ligature that expands, then a pending separator, then ASCII */
	CHECK(append_matches("", "\xEF\xAC\x83\xE2\x80\x94" "a",
			     strlen("\xEF\xAC\x83\xE2\x80\x94" "a")));
	/* one code point of three bytes that folds to eighteen letters, many
	 * times over, each followed by a separator and a letter: the output
	 * outgrows any room reserved from the input's length */
	while (n + 6 < sizeof(big)) {
		memcpy(big + n, "\xEF\xB7\xBA-a", 5);
		n += 5;
	}
	CHECK(append_matches("prefix", big, n));
	/* twenty times that code point, a symbol (a separator that is not
	 * ASCII) and a letter, kept after the 300 bytes below */
	for (n = 0; n < 140; n += 7)
		memcpy(big + 301 + n, "\xEF\xB7\xBA\xE2\x84\xA2" "a", 7);
	/* after every length of what the buffer held, so that some fold ends
	 * right at the buffer's end, before the separator's space and "a" */
	memset(big, 'x', 300);
	big[300] = '\0';
	for (size_t p = 0; p < 300; p++)
		ok &= append_matches(big + 300 - p, big + 301, n);
	CHECK(ok);
}

int main(void)
{
	test_valid_decode();
	test_clean();
	test_fold();
	test_fold_append();
	test_sanitize();
	test_random();
	return tap_done();
}
