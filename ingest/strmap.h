/*
 * A string-keyed hash map (open addressing, linear probing) from byte
 * strings to integers, with its own copies of the keys (short ones in the
 * table, longer ones in one arena). Used for every knowledge lookup, so
 * recognition never scans a list.
 */
#ifndef XREF_INGEST_STRMAP_H
#define XREF_INGEST_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Keys of up to this many bytes are kept in their slot. */
#define XREF_STRMAP_INLINE_KEY 16

/* A slot of the table (see strmap.c; here for the inline prefetch). */
struct xref_strmap_slot {
	uint32_t len; /* key length */
	int64_t value;
	union {
		char bytes[XREF_STRMAP_INLINE_KEY]; /* the key, when it fits */
		size_t off;                          /* else its offset in the arena */
	} key;
};

struct xref_strmap {
	struct xref_strmap_slot *slots;
	uint16_t *tags;  /* per slot: a hash tag, 0 when free */
	size_t n_slots;  /* a power of two, or 0 */
	size_t n_items;
	char *arena;     /* bytes of the keys too long for a slot, each NUL-terminated */
	size_t arena_len, arena_cap;
};

void xref_strmap_init(struct xref_strmap *m);
void xref_strmap_release(struct xref_strmap *m);

/* Sets key -> value, replacing an existing value. O(1) expected.
 * Returns 0 or XREF_ENOMEM (also for a key of 4 GiB or more). */
int xref_strmap_put(struct xref_strmap *m, const char *key, size_t len,
		    int64_t value);

/* Adds key -> value unless key is present. Stores the value key has
 * afterwards (its old one, or `value`) in *found and whether it was added
 * in *added (either may be NULL). One probe where a get and a put take
 * two. O(1) expected. Returns 0 or XREF_ENOMEM (nothing added). */
int xref_strmap_intern(struct xref_strmap *m, const char *key, size_t len,
		       int64_t value, int64_t *found, bool *added);

/* Looks key up; stores its value in *value (may be NULL) and returns true
 * when present. O(1) expected. */
bool xref_strmap_get(const struct xref_strmap *m, const char *key, size_t len,
		     int64_t *value);

/* The hash of a key, for the two calls below: a caller that looks a key up
 * after prefetching it hashes it once. O(len). Eight bytes at a time, mixed
 * by multiplications; inline because recognition hashes every word. */
static inline uint64_t xref_strmap_read64_(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static inline uint64_t xref_strmap_read32_(const unsigned char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return w;
}

static inline uint64_t xref_strmap_mix_(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 29);
}

/* Eight bytes at a time; a short tail is read as two overlapping words (or
 * three bytes) rather than byte by byte. */
static inline uint64_t xref_strmap_hash(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len;

	if (len >= 8) {
		size_t i = 0;

		for (; i + 8 <= len; i += 8)
			h = xref_strmap_mix_(h, xref_strmap_read64_(p + i));
		if (i < len)
			h = xref_strmap_mix_(h,
					     xref_strmap_read64_(p + len - 8));
	} else if (len >= 4) {
		h = xref_strmap_mix_(h, (xref_strmap_read32_(p) << 32) |
					        xref_strmap_read32_(p + len - 4));
	} else if (len) {
		h = xref_strmap_mix_(h, ((uint64_t)p[0] << 16) |
					        ((uint64_t)p[len / 2] << 8) |
					        p[len - 1]);
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* xref_strmap_hash() of a key of len <= 16 bytes held in two numbers: lo
 * holds its bytes 0-7 and hi its bytes 8-15, each read as a little-endian
 * word (bytes past len are ignored). Equal to xref_strmap_hash() only on
 * a little-endian machine, which reads the same words; for a caller there
 * that has the key in registers already (recognition folds a word into
 * two), saving the reload. O(1). */
static inline uint64_t xref_strmap_hash16(uint64_t lo, uint64_t hi,
					  size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len;

	if (len >= 8) {
		h = xref_strmap_mix_(h, lo);
		/* the last eight bytes, as the tail read of the other */
		if (len > 8)
			h = xref_strmap_mix_(h, len == 16 ? hi :
					     (lo >> (8 * (len - 8))) |
						     (hi << (8 * (16 - len))));
	} else if (len >= 4) {
		h = xref_strmap_mix_(h, ((lo & 0xffffffffULL) << 32) |
					        ((lo >> (8 * (len - 4))) &
						 0xffffffffULL));
	} else if (len) {
		h = xref_strmap_mix_(h, ((lo & 0xff) << 16) |
					        (((lo >> (8 * (len / 2))) & 0xff)
						 << 8) |
					        ((lo >> (8 * (len - 1))) & 0xff));
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Asks the processor to start loading the part of the table where the key
 * of hash h would be, so that a later lookup of it finds it in cache
 * (recognition issues these a few tokens ahead; inline, as a call cost
 * more than the hint). A hint only: no effect on any result. O(1). */
inline void xref_strmap_prefetch(const struct xref_strmap *m, uint64_t h)
{
#if defined(__GNUC__)
	size_t at;

	if (!m->n_slots)
		return;
	at = h & (m->n_slots - 1);
	__builtin_prefetch(&m->tags[at]);
	__builtin_prefetch(&m->slots[at]);
#else
	(void)m;
	(void)h;
#endif
}

/* xref_strmap_get() with the key's hash h (xref_strmap_hash()) given. */
bool xref_strmap_get_hashed(const struct xref_strmap *m, uint64_t h,
			    const char *key, size_t len, int64_t *value);

#endif
