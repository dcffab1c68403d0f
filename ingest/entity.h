/*
 * Entity types and the mentions that recognition produces.
 */
#ifndef XREF_INGEST_ENTITY_H
#define XREF_INGEST_ENTITY_H

#include <stddef.h>

enum xref_type {
	XREF_TYPE_PERSON,
	XREF_TYPE_COMPANY,
	XREF_TYPE_GOVERNMENT,
	XREF_TYPE_ORGANIZATION,
	XREF_TYPE_MEDIA,
	XREF_TYPE_COUNTRY,
	XREF_TYPE_LOCATION,
	XREF_TYPE_TARGET,
	XREF_TYPE_COUNT
};

/* "person", "company", ... (static strings). */
const char *xref_type_name(enum xref_type t);
/* Parses a type name (case-insensitive). 0, or XREF_EINVAL. */
int xref_type_parse(enum xref_type *out, const char *name);

/* One recognised, resolved mention in a document. */
struct xref_mention {
	size_t start, end;   /* bytes [start, end) of the surface form in the text */
	size_t sentence;     /* index of its sentence in the segmentation */
	enum xref_type type; /* the type of the entity it resolved to */
	const char *name;    /* canonical display name of the entity */
	const char *key;     /* normalised entity key: the identity across documents */
	const char *rule;    /* static: how the surface form was resolved to the
			      * entity ("exact", "watchlist", "country-alias",
			      * "demonym", "short-form", "acronym", ...) */
};

/* A block of the strings of a mention list (see xref_mentions_store()). */
struct xref_mention_strings;

/* A mention list owns its mentions' names and keys: they live in its
 * blocks of strings (one allocation per few kilobytes rather than two per
 * mention), stay valid until xref_mentions_release(), and may be shared
 * by several mentions of the list; read them, never free them (they are
 * const for that). A list built by hand puts them there with
 * xref_mentions_store(). A zeroed list is empty. */
struct xref_mentions {
	struct xref_mention *v; /* ordered by start */
	size_t n, cap;
	struct xref_mention_strings *strings; /* newest block first */
};

/* Copies s[0..n) and a NUL into the strings of m. Returns the copy (owned
 * by m, freed by xref_mentions_release()), or NULL when out of memory (the
 * last error is then set). */
char *xref_mentions_store(struct xref_mentions *m, const char *s, size_t n);

/* Frees the array and the strings; leaves *m empty. */
void xref_mentions_release(struct xref_mentions *m);

/* Writes the stable node id of an entity key into out: 16 lowercase hex
 * digits of the 64-bit FNV-1a hash of the key, NUL-terminated. The same key
 * gives the same id in every format and every run; it is a valid XML NMTOKEN
 * and identifier everywhere (GraphML, GEXF, DOT, Neo4j, Cytoscape). */
void xref_entity_uid(char out[17], const char *key);

#endif
