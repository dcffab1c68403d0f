/*
 * Entity types, mention lists and stable entity ids. The id is a 64-bit
 * FNV-1a hash of the normalised key written in hex: short, stable across
 * runs and machines, and a valid identifier in every export format (a
 * counter would change with ingest order; the key itself is not a valid
 * XML NMTOKEN). A mention list keeps its names and keys in blocks of its
 * own, so that a document's mentions cost a few allocations rather than
 * two each (which were a visible share of recognition), and mentions of
 * one entity can share its key.
 */
#include "ingest/entity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/status.h"

static const char *const type_names[XREF_TYPE_COUNT] = {
	"person", "company", "government", "organization",
	"media", "country", "location", "target",
};

const char *xref_type_name(enum xref_type t)
{
	if ((unsigned)t >= XREF_TYPE_COUNT)
		return "unknown";
	return type_names[t];
}

int xref_type_parse(enum xref_type *out, const char *name)
{
	for (int i = 0; i < XREF_TYPE_COUNT; i++) {
		if (strcasecmp(name, type_names[i]) == 0) {
			*out = (enum xref_type)i;
			return 0;
		}
	}
	return xref_error_set(XREF_EINVAL, "unknown entity type '%s'", name);
}

struct xref_mention_strings {
	struct xref_mention_strings *next; /* the older block */
	size_t used, cap;
	char data[];
};

/* Blocks grow from the first size up to the last, so that a short
 * document's list holds one small block and a long one's few large ones. */
#define STRINGS_FIRST 1024
#define STRINGS_MAX 65536

char *xref_mentions_store(struct xref_mentions *m, const char *s, size_t n)
{
	struct xref_mention_strings *b = m->strings;
	char *p;

	if (n >= SIZE_MAX / 2) {
		xref_error_set(XREF_ENOMEM, "string too long");
		return NULL;
	}
	if (!b || b->cap - b->used < n + 1) {
		size_t cap = b ? (b->cap < STRINGS_MAX ? 2 * b->cap : b->cap)
			       : STRINGS_FIRST;

		if (cap < n + 1)
			cap = n + 1;
		b = malloc(sizeof(*b) + cap);
		if (!b) {
			xref_error_set(XREF_ENOMEM, "out of memory");
			return NULL;
		}
		b->next = m->strings;
		b->used = 0;
		b->cap = cap;
		m->strings = b;
	}
	p = b->data + b->used;
	b->used += n + 1;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void xref_mentions_release(struct xref_mentions *m)
{
	while (m->strings) {
		struct xref_mention_strings *next = m->strings->next;

		free(m->strings);
		m->strings = next;
	}
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

void xref_entity_uid(char out[17], const char *key)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	for (int i = 15; i >= 0; i--) {
		out[i] = hex[h & 0xf];
		h >>= 4;
	}
	out[16] = '\0';
}
