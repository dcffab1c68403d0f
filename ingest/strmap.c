/*
 * Open-addressing hash map for the knowledge tables. Every lookup of
 * recognition lands here (a few per token), and the time goes into cache
 * misses, so the layout is chosen for them: probing reads only an array of
 * 16-bit hash tags (two bytes a slot, so the probe array of the largest
 * table stays in the core's cache), and only a matching tag leads to the
 * slot itself, which holds the key length, the value, and the key when it
 * fits in 16 bytes (most words and short names do); longer keys live in a
 * single growing arena, referenced by offset. The table stays at most half
 * full, so a probe sequence is short. Large tables sit on huge pages where
 * the system has them, so that a lookup's random slot does not also miss
 * the address translation cache.
 *
 * The hash reads eight bytes at a time and mixes with multiplications
 * (byte-at-a-time FNV-1a was a measurable share of recognition); the
 * length is part of it, so overlapping reads of a short tail are safe. Keys are
 * not adversarial (they come from our tables, the user's watchlists and
 * one document's names), and the map is never iterated, so the hash has no
 * effect on any output.
 */
#define _DEFAULT_SOURCE /* madvise() and MADV_HUGEPAGE, where there are */
#include "ingest/strmap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ingest/status.h"

#define INLINE_KEY XREF_STRMAP_INLINE_KEY
#define EMPTY UINT32_MAX

/* Tags are the top bits of the hash with the lowest bit set: 0 marks a free
 * slot. */
#define TAG(h) ((uint16_t)(((h) >> 48) | 1))

/* The hash (see xref_strmap_hash() in the header, inline so that the
 * token loop of recognition does not call out for it). */
static uint64_t hash_bytes(const char *s, size_t len)
{
	return xref_strmap_hash(s, len);
}

void xref_strmap_init(struct xref_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void xref_strmap_release(struct xref_strmap *m)
{
	free(m->slots);
	free(m->tags);
	free(m->arena);
	xref_strmap_init(m);
}

static const char *slot_key(const struct xref_strmap_slot *s,
			    const char *arena)
{
	return s->len <= INLINE_KEY ? s->key.bytes : arena + s->key.off;
}

/* Short keys are compared as two overlapping words (a byte loop's exit
 * at the key's length was mispredicted about once a lookup). */
static bool key_eq(const char *a, const char *b, size_t len)
{
	const unsigned char *x = (const unsigned char *)a,
			    *y = (const unsigned char *)b;

	if (len > INLINE_KEY)
		return memcmp(a, b, len) == 0;
	if (len >= 8)
		return xref_strmap_read64_(x) == xref_strmap_read64_(y) &&
		       xref_strmap_read64_(x + len - 8) ==
			       xref_strmap_read64_(y + len - 8);
	if (len >= 4)
		return xref_strmap_read32_(x) == xref_strmap_read32_(y) &&
		       xref_strmap_read32_(x + len - 4) ==
			       xref_strmap_read32_(y + len - 4);
	return len == 0 || (x[0] == y[0] && x[len / 2] == y[len / 2] &&
			    x[len - 1] == y[len - 1]);
}

/* The slot of key (hash h), or the free slot where it would go. */
static size_t find_slot(const uint16_t *tags,
			const struct xref_strmap_slot *slots, size_t n_slots,
			const char *arena, uint64_t h, const char *key,
			size_t len)
{
	size_t mask = n_slots - 1;
	uint16_t tag = TAG(h);

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!tags[i])
			return i;
		if (tags[i] == tag && slots[i].len == len &&
		    key_eq(slot_key(&slots[i], arena), key, len))
			return i;
	}
}

/* Arrays from this size on are laid out on huge pages where the system
 * has them (see table_alloc()). */
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_FROM ((size_t)256 << 10)

/*
 * Memory for an array of `bytes` (zeroed when `zero`), freed with free().
 * A large one (the word table's slots take 2 MiB) is aligned to and rounded
 * up to huge pages, and the system asked to back it with them: a lookup
 * lands on a random slot, and with small pages most lookups also missed
 * the address translation cache (costly under a hypervisor). The advice is
 * only a hint: where it is refused or unknown, nothing else changes.
 */
static void *table_alloc(size_t bytes, bool zero)
{
	void *p = NULL;

#if defined(MADV_HUGEPAGE)
	if (bytes >= HUGE_FROM && bytes <= SIZE_MAX - HUGE_PAGE) {
		size_t n = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);

		p = aligned_alloc(HUGE_PAGE, n);
		if (p) {
			(void)madvise(p, n, MADV_HUGEPAGE);
			if (zero)
				memset(p, 0, bytes);
			return p;
		}
	}
#endif
	p = zero ? calloc(bytes, 1) : malloc(bytes);
	return p;
}

static int rehash(struct xref_strmap *m, size_t n_slots)
{
	struct xref_strmap_slot *slots;
	uint16_t *tags;

	if (n_slots > SIZE_MAX / sizeof(*slots))
		return xref_error_set(XREF_ENOMEM, "map too large");
	slots = table_alloc(n_slots * sizeof(*slots), false);
	tags = table_alloc(n_slots * sizeof(*tags), true);
	if (!slots || !tags) {
		free(slots);
		free(tags);
		return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < m->n_slots; i++) {
		const struct xref_strmap_slot *old = &m->slots[i];
		const char *key;
		uint64_t h;
		size_t at;

		if (!m->tags[i])
			continue;
		key = slot_key(old, m->arena);
		h = hash_bytes(key, old->len);
		at = find_slot(tags, slots, n_slots, m->arena, h, key, old->len);
		slots[at] = *old;
		tags[at] = m->tags[i];
	}
	free(m->slots);
	free(m->tags);
	m->slots = slots;
	m->tags = tags;
	m->n_slots = n_slots;
	return 0;
}

static int arena_add(struct xref_strmap *m, const char *key, size_t len,
		     size_t *off)
{
	if (len > SIZE_MAX / 2 - m->arena_len)
		return xref_error_set(XREF_ENOMEM, "map too large");
	if (m->arena_len + len + 1 > m->arena_cap) {
		size_t cap = m->arena_cap ? m->arena_cap : 4096;
		char *p;

		while (cap < m->arena_len + len + 1)
			cap *= 2;
		p = realloc(m->arena, cap);
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		m->arena = p;
		m->arena_cap = cap;
	}
	memcpy(m->arena + m->arena_len, key, len);
	m->arena[m->arena_len + len] = '\0';
	*off = m->arena_len;
	m->arena_len += len + 1;
	return 0;
}

/* Takes the free slot `at` for key (hash h) -> value, copying the key into
 * the slot or the arena. 0, or XREF_ENOMEM with the slot left free.
 * Inline: called (GCC 12 chose to), it cost put and intern 14% more
 * instructions. */
static inline int fill_slot(struct xref_strmap *m, size_t at, uint64_t h,
			    const char *key, size_t len, int64_t value)
{
	struct xref_strmap_slot *s = &m->slots[at];
	size_t off = 0;
	int err;

	if (len > INLINE_KEY) {
		err = arena_add(m, key, len, &off);
		if (err)
			return err;
		s->key.off = off;
	} else if (len) {
		memcpy(s->key.bytes, key, len);
	}
	m->tags[at] = TAG(h);
	s->len = (uint32_t)len;
	s->value = value;
	m->n_items++;
	return 0;
}

int xref_strmap_put(struct xref_strmap *m, const char *key, size_t len,
		    int64_t value)
{
	uint64_t h = hash_bytes(key, len);
	size_t at;
	int err;

	if (len >= EMPTY)
		return xref_error_set(XREF_ENOMEM, "key too long");
	if ((m->n_items + 1) * 2 > m->n_slots) {
		err = rehash(m, m->n_slots ? m->n_slots * 2 : 64);
		if (err)
			return err;
	}
	at = find_slot(m->tags, m->slots, m->n_slots, m->arena, h, key, len);
	if (m->tags[at]) {
		m->slots[at].value = value;
		return 0;
	}
	return fill_slot(m, at, h, key, len, value);
}

int xref_strmap_intern(struct xref_strmap *m, const char *key, size_t len,
		       int64_t value, int64_t *found, bool *added)
{
	uint64_t h = hash_bytes(key, len);
	size_t at = 0;
	int err;

	if (added)
		*added = false;
	if (len >= EMPTY)
		return xref_error_set(XREF_ENOMEM, "key too long");
	if (m->n_slots) {
		at = find_slot(m->tags, m->slots, m->n_slots, m->arena, h, key,
			       len);
		if (m->tags[at]) {
			if (found)
				*found = m->slots[at].value;
			return 0;
		}
	}
	if ((m->n_items + 1) * 2 > m->n_slots) {
		err = rehash(m, m->n_slots ? m->n_slots * 2 : 64);
		if (err)
			return err;
		at = find_slot(m->tags, m->slots, m->n_slots, m->arena, h, key,
			       len);
	}
	err = fill_slot(m, at, h, key, len, value);
	if (err)
		return err;
	if (found)
		*found = value;
	if (added)
		*added = true;
	return 0;
}

bool xref_strmap_get_hashed(const struct xref_strmap *m, uint64_t h,
			    const char *key, size_t len, int64_t *value)
{
	size_t at;

	if (!m->n_slots || len >= EMPTY)
		return false;
	at = find_slot(m->tags, m->slots, m->n_slots, m->arena, h, key, len);
	if (!m->tags[at])
		return false;
	if (value)
		*value = m->slots[at].value;
	return true;
}

bool xref_strmap_get(const struct xref_strmap *m, const char *key, size_t len,
		     int64_t *value)
{
	return xref_strmap_get_hashed(m, hash_bytes(key, len), key, len, value);
}

/* The external definition of the inline function of strmap.h. */
extern inline void xref_strmap_prefetch(const struct xref_strmap *m,
					uint64_t h);
