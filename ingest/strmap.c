/*
 * Open-addressing hash map for the knowledge tables. Keys are copied into a
 * single growing arena and referenced by offset, so a map of a hundred
 * thousand names is two allocations, and lookups hash once and compare
 * bytes. FNV-1a is enough: keys are short and not adversarial (they come
 * from our tables and the user's watchlists; lookups of document text
 * cannot change the table).
 */
#include "ingest/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/status.h"

struct xref_strmap_slot {
	uint64_t hash;
	size_t key_off; /* offset in the arena; SIZE_MAX when empty */
	size_t key_len;
	int64_t value;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void xref_strmap_init(struct xref_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void xref_strmap_release(struct xref_strmap *m)
{
	free(m->slots);
	free(m->arena);
	xref_strmap_init(m);
}

static struct xref_strmap_slot *find_slot(struct xref_strmap_slot *slots,
					  size_t n_slots, const char *arena,
					  uint64_t h, const char *key,
					  size_t len)
{
	size_t mask = n_slots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct xref_strmap_slot *s = &slots[i];

		if (s->key_off == SIZE_MAX)
			return s;
		if (s->hash == h && s->key_len == len &&
		    memcmp(arena + s->key_off, key, len) == 0)
			return s;
	}
}

static int rehash(struct xref_strmap *m, size_t n_slots)
{
	struct xref_strmap_slot *slots;

	if (n_slots > SIZE_MAX / sizeof(*slots))
		return xref_error_set(XREF_ENOMEM, "map too large");
	slots = malloc(n_slots * sizeof(*slots));
	if (!slots)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_slots; i++)
		slots[i].key_off = SIZE_MAX;
	for (size_t i = 0; i < m->n_slots; i++) {
		struct xref_strmap_slot *old = &m->slots[i];

		if (old->key_off == SIZE_MAX)
			continue;
		*find_slot(slots, n_slots, m->arena, old->hash,
			   m->arena + old->key_off, old->key_len) = *old;
	}
	free(m->slots);
	m->slots = slots;
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

int xref_strmap_put(struct xref_strmap *m, const char *key, size_t len,
		    int64_t value)
{
	uint64_t h = hash_bytes(key, len);
	struct xref_strmap_slot *s;
	size_t off = 0;
	int err;

	if ((m->n_items + 1) * 4 >= m->n_slots * 3) {
		err = rehash(m, m->n_slots ? m->n_slots * 2 : 64);
		if (err)
			return err;
	}
	s = find_slot(m->slots, m->n_slots, m->arena, h, key, len);
	if (s->key_off != SIZE_MAX) {
		s->value = value;
		return 0;
	}
	err = arena_add(m, key, len, &off);
	if (err)
		return err;
	s->hash = h;
	s->key_off = off;
	s->key_len = len;
	s->value = value;
	m->n_items++;
	return 0;
}

bool xref_strmap_get(const struct xref_strmap *m, const char *key, size_t len,
		     int64_t *value)
{
	const struct xref_strmap_slot *s;

	if (!m->n_slots)
		return false;
	s = find_slot(m->slots, m->n_slots, m->arena, hash_bytes(key, len), key,
		      len);
	if (s->key_off == SIZE_MAX)
		return false;
	if (value)
		*value = s->value;
	return true;
}
