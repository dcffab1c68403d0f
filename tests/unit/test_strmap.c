/*
 * Unit tests for ingest/strmap.c: put and get, xref_strmap_intern, keys of
 * every length up to past the inline size (found, and keys one byte away
 * not found), growth, the hash given to the _hashed lookups, and the
 * hash of a short key held in two words equal to the hash of its bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest/strmap.h"
#include "tests/unit/tap.h"

static void test_put_get(void)
{
	struct xref_strmap m;
	int64_t v = -1;

	xref_strmap_init(&m);
	CHECK(!xref_strmap_get(&m, "a", 1, &v));
	CHECK(xref_strmap_put(&m, "alpha", 5, 1) == 0);
	CHECK(xref_strmap_put(&m, "", 0, 7) == 0);
	CHECK(xref_strmap_get(&m, "alpha", 5, &v) && v == 1);
	CHECK(xref_strmap_get(&m, "", 0, &v) && v == 7);
	CHECK(!xref_strmap_get(&m, "alph", 4, NULL));
	CHECK(xref_strmap_put(&m, "alpha", 5, 2) == 0);
	CHECK(xref_strmap_get(&m, "alpha", 5, &v) && v == 2);
	CHECK(m.n_items == 2);
	xref_strmap_release(&m);
}

static void test_intern(void)
{
	struct xref_strmap m;
	int64_t v = -1;
	bool added = false;

	xref_strmap_init(&m);
	CHECK(xref_strmap_intern(&m, "nso group", 9, 3, &v, &added) == 0);
	CHECK(added && v == 3);
	CHECK(xref_strmap_intern(&m, "nso group", 9, 4, &v, &added) == 0);
	CHECK(!added && v == 3);
	CHECK(xref_strmap_intern(&m, "nso", 3, 5, NULL, NULL) == 0);
	CHECK(xref_strmap_get(&m, "nso", 3, &v) && v == 5);
	CHECK(xref_strmap_get(&m, "nso group", 9, &v) && v == 3);
	CHECK(m.n_items == 2);
	xref_strmap_release(&m);
}

/* Keys of every length 0..40, and for each a key differing in one byte at
 * each position: only the key itself is found. */
static void test_lengths(void)
{
	struct xref_strmap m;
	char key[41], near[41];
	bool found_all = true, near_missed = true;
	int64_t v;

	xref_strmap_init(&m);
	for (size_t len = 0; len <= 40; len++) {
		for (size_t i = 0; i < len; i++)
			key[i] = (char)('a' + (len + i) % 26);
		if (xref_strmap_put(&m, key, len, (int64_t)len) != 0)
			found_all = false;
	}
	for (size_t len = 0; len <= 40; len++) {
		for (size_t i = 0; i < len; i++)
			key[i] = (char)('a' + (len + i) % 26);
		if (!xref_strmap_get(&m, key, len, &v) || v != (int64_t)len)
			found_all = false;
		if (xref_strmap_get_hashed(&m, xref_strmap_hash(key, len), key,
					   len, &v) != true ||
		    v != (int64_t)len)
			found_all = false;
		for (size_t i = 0; i < len; i++) {
			memcpy(near, key, len);
			near[i] = (char)(near[i] ^ 0x01);
			if (xref_strmap_get(&m, near, len, NULL))
				near_missed = false;
		}
	}
	CHECK(found_all);
	CHECK(near_missed);
	CHECK(m.n_items == 41);
	xref_strmap_release(&m);
}

/* Many keys: the table grows and keeps every one. */
static void test_growth(void)
{
	struct xref_strmap m;
	char key[32];
	bool ok = true;
	int64_t v;

	xref_strmap_init(&m);
	for (int i = 0; i < 5000 && ok; i++) {
		int n = snprintf(key, sizeof(key), "word %d", i);

		ok = xref_strmap_intern(&m, key, (size_t)n, i, NULL, NULL) == 0;
	}
	for (int i = 0; i < 5000 && ok; i++) {
		int n = snprintf(key, sizeof(key), "word %d", i);

		ok = xref_strmap_get(&m, key, (size_t)n, &v) && v == i;
	}
	CHECK(ok);
	CHECK(m.n_items == 5000);
	CHECK(m.n_slots >= 10000);
	xref_strmap_release(&m);
}

/* xref_strmap_hash16() of keys of every length 0..16, with other bytes
 * after them, equals xref_strmap_hash() of the bytes. Both read the key as
 * little-endian words only on a little-endian machine (xref_strmap_hash()
 * reads native words; its sixteen-byte form is only called there), so the
 * check is skipped elsewhere. */
static void test_hash16(void)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	bool same = true;
	unsigned seed = 7;

	for (int round = 0; round < 200; round++) {
		unsigned char b[16];
		uint64_t lo, hi;

		for (size_t k = 0; k < 16; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (unsigned char)(seed >> 16);
		}
		/* as the caller holds them: the words of its register */
		memcpy(&lo, b, 8);
		memcpy(&hi, b + 8, 8);
		for (size_t len = 0; len <= 16; len++)
			if (xref_strmap_hash16(lo, hi, len) !=
			    xref_strmap_hash((const char *)b, len))
				same = false;
	}
	CHECK(same);
#else
	printf("# skip: xref_strmap_hash16() is for little-endian machines\n");
#endif
}

int main(void)
{
	test_put_get();
	test_intern();
	test_lengths();
	test_growth();
	test_hash16();
	return tap_done();
}
