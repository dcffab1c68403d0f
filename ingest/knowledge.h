/*
 * Built-in knowledge (internal to ingest/): the tables under
 * ingest/knowledge/, compiled into the binary, loaded into hash maps keyed
 * by folded text (xref_utf8_fold), plus the user's watchlists in the same
 * gazetteer.
 */
#ifndef XREF_INGEST_KNOWLEDGE_H
#define XREF_INGEST_KNOWLEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/buf.h"
#include "ingest/entity.h"
#include "ingest/strmap.h"

/* Classes of a single folded word (bits, in `words`). */
enum kb_word {
	KB_STOP = 1 << 0,       /* function word */
	KB_COMMON = 1 << 1,     /* frequent English word */
	KB_CALENDAR = 1 << 2,   /* weekday or month */
	KB_GIVEN = 1 << 3,      /* given name */
	KB_HONORIFIC = 1 << 4,  /* Mr, Dr, Sir... */
	KB_OFFICE = 1 << 5,     /* President, Minister... (last word of an office title) */
	KB_PARTICLE = 1 << 6,   /* of, de, van, al, bin... inside names */
	KB_SPEECH = 1 << 7,     /* said, told... after a person */
	KB_EVENT = 1 << 8,      /* Week, Summit... ending a non-entity phrase */
	KB_TITLE_PART = 1 << 9, /* word that can start a multi-word office title */
	KB_SURNAME = 1 << 10,   /* family name */
	KB_NONAME = 1 << 11,    /* capitalised but never a name alone ("Sunni", "FYI") */
	/* Where a word stands in the keys of the other maps, so that a
	 * word that stands nowhere costs no lookup there: */
	KB_TITLE_FIRST = 1 << 12, /* first word of a key of `titles` */
	KB_SUFFIX_LAST = 1 << 13, /* last word of a key of `suffixes` */
	KB_HEAD_FIRST = 1 << 14,  /* first word of a key of `heads` */
};

/* Where a gazetteer entry came from; also its precedence (higher wins). */
enum kb_source {
	KB_SRC_TARGET,
	KB_SRC_PLACE,     /* cities and regions */
	KB_SRC_ORG,       /* well-known organisations */
	KB_SRC_COUNTRY,
	KB_SRC_WATCHLIST,
};

enum kb_entry_flag {
	KB_LOWER_OK = 1 << 0, /* matches lowercase text (target nouns) */
	KB_DEMONYM = 1 << 1,  /* a demonym of `country` */
};

struct kb_entry {
	char *name;          /* canonical display name (owned by the kb) */
	char *folded;        /* xref_utf8_fold() of name (owned by the kb) */
	size_t folded_len;
	enum xref_type type;
	const char *rule;    /* static: "exact", "country-alias", "demonym", "watchlist", ... */
	int32_t country;     /* entry index of the country (countries, demonyms, places), or -1 */
	uint8_t source;      /* enum kb_source */
	uint8_t flags;       /* enum kb_entry_flag */
};

/* Size of each filter of xref_kb (lower_start, gaz_full, gaz_prefix) in
 * bits (a power of two), and the shift that takes a bit's index from a
 * key's hash (bits the maps' slots do not use). */
#define KB_FILTER_BITS (1u << 16)
#define KB_FILTER_SHIFT 40

struct xref_kb {
	struct xref_strmap words;    /* folded word -> enum kb_word bits, and
				      * the longest phrase in gaz that it
				      * starts (see xref_kb_word_info) */
	struct xref_strmap gaz;      /* folded phrase -> entry index */
	struct xref_strmap titles;   /* folded title phrase -> 1 honorific, 2 office */
	struct xref_strmap suffixes; /* folded last word(s) -> enum xref_type */
	struct xref_strmap heads;    /* folded first word -> enum xref_type */
	struct xref_strmap descriptors; /* folded noun before a name -> enum xref_type */
	struct kb_entry *entries;
	size_t n_entries, cap_entries;
	size_t max_words;            /* longest gazetteer phrase, in words */
	/* A filter on the first words of the gazetteer names that may match
	 * lowercase text (KB_LOWER_OK entries, countries and places that are
	 * not demonyms): bit (hash >> KB_FILTER_SHIFT) of a word's hash is set
	 * when such a name may start with it. Small enough to stay in the
	 * core's cache, so most lowercase words need no table lookup. */
	uint64_t lower_start[KB_FILTER_BITS / 64];
	/* The same, narrowed to the words that can start a lowercase match
	 * when a token is that one word: the first words of KB_LOWER_OK
	 * names, and of country and place names that recognition lets match
	 * lowercase text (see lowercase_place() in recognize.c: not a
	 * function word; a name of one word only if it has four letters or
	 * more and is no common word, given name, surname or non-name). Two
	 * bits a word in one 64-bit word (xref_kb_may_start_lower_word()),
	 * since most tokens ask and few words are set. Built once the word
	 * classes are known: the names loaded before them wait in
	 * `lower_pending`. */
	uint64_t lower_word[KB_FILTER_BITS / 64];
	struct xref_buf lower_pending;
	bool words_final; /* the word classes are loaded */
	/* Filters of the same kind on the gazetteer keys (gaz_full) and on
	 * their word prefixes, every part of a key that ends before a space
	 * (gaz_prefix): a phrase whose bit is clear in both is neither a
	 * name nor the start of one, so a longest-match search stops. */
	uint64_t gaz_full[KB_FILTER_BITS / 64];
	uint64_t gaz_prefix[KB_FILTER_BITS / 64];
};

/* The bit of hash h in a filter of xref_kb. */
static inline uint64_t xref_kb_filter_bit(uint64_t h)
{
	return (h >> KB_FILTER_SHIFT) & (KB_FILTER_BITS - 1);
}

/* Is the bit of hash h set in one of xref_kb's filters? */
static inline bool xref_kb_gaz_bit(const uint64_t *set, uint64_t h)
{
	uint64_t bit = xref_kb_filter_bit(h);

	return (set[bit / 64] >> (bit % 64)) & 1;
}

/* May a lowercase-matching gazetteer name start with the folded word of
 * hash h (xref_strmap_hash())? False means certainly not; true, maybe. */
static inline bool xref_kb_may_start_lower(const struct xref_kb *kb,
					   uint64_t h)
{
	return xref_kb_gaz_bit(kb->lower_start, h);
}

/* The second bit of hash h in lower_word (the first is
 * xref_kb_filter_bit()): another bit of the same 64-bit word, so that a
 * test reads one word (most tokens ask, and the filter does not stay in
 * the core's first cache). */
static inline uint64_t xref_kb_filter_bit2(uint64_t h)
{
	return (xref_kb_filter_bit(h) & ~(uint64_t)63) | ((h >> 20) & 63);
}

/* May a lowercase-matching gazetteer name start at a token whose fold is
 * the single word of hash h? Stricter than xref_kb_may_start_lower() (see
 * lower_word); false means certainly not. */
static inline bool xref_kb_may_start_lower_word(const struct xref_kb *kb,
						uint64_t h)
{
	uint64_t b1 = xref_kb_filter_bit(h), w = kb->lower_word[b1 / 64];

	return ((w >> (b1 % 64)) & (w >> (xref_kb_filter_bit2(h) % 64)) & 1) !=
	       0;
}

/* One embedded table (the index is generated at build time). */
struct xref_kb_table {
	const char *name; /* file name, e.g. "countries.tsv" */
	const char *data;
	const size_t *len;
};

/* Every table compiled in, ended by a row with a NULL name. */
extern const struct xref_kb_table xref_kb_tables[];

/* Loads the built-in tables into kb (zeroed by the caller). 0 or ENOMEM. */
int xref_kb_load(struct xref_kb *kb);
void xref_kb_release(struct xref_kb *kb);

/* Adds a gazetteer name for entry `idx` (the folded form is the key). A name
 * already present is replaced only by an entry of higher or equal source
 * precedence. */
int xref_kb_add_name(struct xref_kb *kb, const char *name, size_t len,
		     int32_t idx);

/* Appends an entry (name copied); its index goes to *idx. */
int xref_kb_add_entry(struct xref_kb *kb, int32_t *idx, const char *name,
		      size_t len, enum xref_type type, const char *rule,
		      int32_t country, enum kb_source source, unsigned flags);

/* Class bits of a folded word (0 when unknown). */
unsigned xref_kb_word(const struct xref_kb *kb, const char *folded, size_t len);

/* Both facts about a folded word, from one lookup: its class bits into
 * *bits, and into *phrase the number of words of the longest gazetteer
 * phrase that starts with it (0 when none). h is the word's hash
 * (xref_strmap_hash()). */
void xref_kb_word_info(const struct xref_kb *kb, uint64_t h,
		       const char *folded, size_t len, unsigned *bits,
		       unsigned *phrase);

/* Starts loading what xref_kb_word_info() will read for the word of hash h
 * (a hint, see xref_strmap_prefetch()). */
static inline void xref_kb_word_prefetch(const struct xref_kb *kb, uint64_t h)
{
	xref_strmap_prefetch(&kb->words, h);
}

/* Number of words in a folded phrase. */
size_t xref_kb_count_words(const char *folded, size_t len);

#endif
