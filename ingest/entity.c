/*
 * Entity types, mention lists and stable entity ids. The id is a 64-bit
 * FNV-1a hash of the normalised key written in hex: short, stable across
 * runs and machines, and a valid identifier in every export format (a
 * counter would change with ingest order; the key itself is not a valid
 * XML NMTOKEN).
 */
#include "ingest/entity.h"

#include <stdint.h>
#include <stdlib.h>
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

void xref_mentions_release(struct xref_mentions *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].key);
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
