/*
 * Loads the knowledge tables compiled into the binary (see
 * ingest/knowledge/README.md) into hash maps keyed by folded text. Parsing
 * at start-up (a few milliseconds) was chosen over generating C tables at
 * build time: the data files stay the single, reviewable source, and the
 * build needs no generator beyond embedding bytes.
 *
 * Tables are found by file name in a generated index, so a table that is
 * absent from the source tree is simply empty; the knowledge unit test
 * checks that every table is present.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest/knowledge.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/status.h"
#include "ingest/utf8.h"

/* Grammar rather than knowledge: small closed lists kept here. */
static const char *const particles[] = {
	"of", "de", "del", "della", "der", "den", "van", "von", "al", "el",
	"bin", "ibn", "bint", "da", "di", "du", "la", "le", "dos", "das",
	"do", "y", "ben", "abu", "ter", "op", "zu", "and", "for", "on", "the",
	"to", "against", "without", "at", "in",
};
static const char *const speech[] = {
	"said", "says", "told", "added", "stressed", "explained", "wrote",
	"argued", "noted", "denied", "insisted", "asked", "replied",
	"announced", "warned", "claimed", "confirmed", "acknowledged",
	"testified", "tweeted", "recalled", "commented", "admitted",
};
static const char *const events[] = {
	"week", "summit", "festival", "olympics", "games", "cup", "war",
	"day", "days", "championship", "awards", "award", "prize",
	"expo", "fair", "marathon", "derby", "election", "elections",
};

struct table_line {
	const char *f[4]; /* fields */
	size_t len[4];
	size_t n;
};

/* Calls fn for each non-comment line of an embedded table, split at tabs. */
static int each_line(const char *data, size_t len,
		     int (*fn)(struct xref_kb *, const struct table_line *,
			       void *),
		     struct xref_kb *kb, void *ctx)
{
	size_t i = 0;

	if (!data)
		return 0;
	while (i < len) {
		size_t end = i;
		struct table_line tl = { { 0 }, { 0 }, 0 };
		size_t f = i;
		int err;

		while (end < len && data[end] != '\n')
			end++;
		if (end > i && data[i] != '#') {
			for (size_t j = i; j <= end && tl.n < 4; j++) {
				if (j == end || data[j] == '\t') {
					tl.f[tl.n] = data + f;
					tl.len[tl.n] = j - f;
					tl.n++;
					f = j + 1;
				}
			}
			err = fn(kb, &tl, ctx);
			if (err)
				return err;
		}
		i = end + 1;
	}
	return 0;
}

size_t xref_kb_count_words(const char *folded, size_t len)
{
	size_t n = len ? 1 : 0;

	for (size_t i = 0; i < len; i++)
		if (folded[i] == ' ')
			n++;
	return n;
}

/* A word's value in kb->words: class bits in the low half, the longest
 * phrase it starts in the high half (one map, so one lookup per token). */
#define PHRASE_SHIFT 32
#define BITS_MASK 0xffffffffLL

unsigned xref_kb_word(const struct xref_kb *kb, const char *folded, size_t len)
{
	int64_t v = 0;

	if (xref_strmap_get(&kb->words, folded, len, &v))
		return (unsigned)(v & BITS_MASK);
	return 0;
}

void xref_kb_word_info(const struct xref_kb *kb, uint64_t h,
		       const char *folded, size_t len, unsigned *bits,
		       unsigned *phrase)
{
	int64_t v = 0;

	xref_strmap_get_hashed(&kb->words, h, folded, len, &v);
	*bits = (unsigned)(v & BITS_MASK);
	*phrase = (unsigned)(v >> PHRASE_SHIFT);
}

/* Adds `bits` to the word classes of the folded word w[0..len). */
static int mark_word(struct xref_kb *kb, const char *w, size_t len,
		     unsigned bits)
{
	int64_t v = 0;

	xref_strmap_get(&kb->words, w, len, &v);
	return xref_strmap_put(&kb->words, w, len, v | (int64_t)bits);
}

static int add_word_bits(struct xref_kb *kb, const char *s, size_t len,
			 unsigned bits)
{
	char *folded = NULL;
	int err = xref_utf8_fold(&folded, s, len);

	if (err)
		return err;
	if (*folded)
		err = mark_word(kb, folded, strlen(folded), bits);
	free(folded);
	return err;
}

int xref_kb_add_entry(struct xref_kb *kb, int32_t *idx, const char *name,
		      size_t len, enum xref_type type, const char *rule,
		      int32_t country, enum kb_source source, unsigned flags)
{
	struct kb_entry *e;

	if (kb->n_entries == kb->cap_entries) {
		size_t cap = kb->cap_entries ? kb->cap_entries * 2 : 1024;
		struct kb_entry *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return xref_error_set(XREF_ENOMEM, "too many entries");
		p = realloc(kb->entries, cap * sizeof(*p));
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		kb->entries = p;
		kb->cap_entries = cap;
	}
	e = &kb->entries[kb->n_entries];
	e->name = strndup(name, len);
	if (!e->name)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	/* folded once here: every document that names the entry needs it */
	if (xref_utf8_fold(&e->folded, name, len)) {
		free(e->name);
		return xref_error_set(XREF_ENOMEM, "out of memory");
	}
	e->folded_len = strlen(e->folded);
	e->type = type;
	e->rule = rule;
	e->country = country;
	e->source = (uint8_t)source;
	e->flags = (uint8_t)flags;
	*idx = (int32_t)kb->n_entries++;
	return 0;
}

/* Sets the bit of hash h in one of the filters. */
static void gaz_set(uint64_t *set, uint64_t h)
{
	uint64_t bit = xref_kb_filter_bit(h);

	set[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/* How a name may match lowercase text, by its first word (lower_word). */
enum lower_kind {
	LOWER_ANY = 1,    /* a KB_LOWER_OK name */
	LOWER_PHRASE = 2, /* a country or place name of several words */
	LOWER_SINGLE = 3, /* a country or place name of one word */
};

/* Can a name of this kind match lowercase text starting at a token that is
 * the folded word w[0..len)? The rules of lowercase_place() in
 * recognize.c, on the word's final classes. */
static bool lower_word_may_start(const struct xref_kb *kb, const char *w,
				 size_t len, enum lower_kind kind)
{
	unsigned bits;

	if (kind == LOWER_ANY)
		return true;
	bits = xref_kb_word(kb, w, len);
	if (bits & KB_STOP)
		return false;
	if (kind == LOWER_PHRASE)
		return true;
	return len >= 4 && !(bits & (KB_COMMON | KB_STOP | KB_GIVEN |
				     KB_SURNAME | KB_NONAME));
}

static void lower_word_set(struct xref_kb *kb, const char *w, size_t len,
			   enum lower_kind kind)
{
	uint64_t h, b1, b2;

	if (!lower_word_may_start(kb, w, len, kind))
		return;
	h = xref_strmap_hash(w, len);
	b1 = xref_kb_filter_bit(h);
	b2 = xref_kb_filter_bit2(h);
	kb->lower_word[b1 / 64] |= (uint64_t)1 << (b1 % 64);
	kb->lower_word[b2 / 64] |= (uint64_t)1 << (b2 % 64);
}

/* Notes that a name of this kind starts with the folded word w[0..len):
 * into lower_word now if the word classes are known, else once they are
 * (records of a kind byte, the word and a NUL in lower_pending). */
static int lower_word_note(struct xref_kb *kb, const char *w, size_t len,
			   enum lower_kind kind)
{
	char k = (char)kind;
	int err;

	if (kb->words_final) {
		lower_word_set(kb, w, len, kind);
		return 0;
	}
	err = xref_buf_put(&kb->lower_pending, &k, 1);
	if (!err)
		err = xref_buf_put(&kb->lower_pending, w, len);
	if (!err)
		err = xref_buf_put(&kb->lower_pending, "", 1);
	return err;
}

/* The names noted before the word classes were loaded. */
static void lower_word_flush(struct xref_kb *kb)
{
	const char *p = kb->lower_pending.ptr;
	size_t at = 0;

	while (at < kb->lower_pending.len) {
		size_t len = strlen(p + at + 1);

		lower_word_set(kb, p + at + 1, len, (enum lower_kind)p[at]);
		at += len + 2;
	}
	xref_buf_release(&kb->lower_pending);
	kb->words_final = true;
}

int xref_kb_add_name(struct xref_kb *kb, const char *name, size_t len,
		     int32_t idx)
{
	char *folded = NULL;
	size_t flen, words, first;
	int64_t old, v = 0;
	int err = xref_utf8_fold(&folded, name, len);

	if (err)
		return err;
	flen = strlen(folded);
	if (!flen)
		goto out;
	if (xref_strmap_get(&kb->gaz, folded, flen, &old) &&
	    kb->entries[old].source > kb->entries[idx].source)
		goto out;
	err = xref_strmap_put(&kb->gaz, folded, flen, idx);
	if (err)
		goto out;
	gaz_set(kb->gaz_full, xref_strmap_hash(folded, flen));
	for (size_t k = 0; k < flen; k++)
		if (folded[k] == ' ')
			gaz_set(kb->gaz_prefix, xref_strmap_hash(folded, k));
	words = xref_kb_count_words(folded, flen);
	if (words > kb->max_words)
		kb->max_words = words;
	for (first = 0; first < flen && folded[first] != ' '; first++)
		;
	if ((kb->entries[idx].flags & KB_LOWER_OK) ||
	    (!(kb->entries[idx].flags & KB_DEMONYM) &&
	     (kb->entries[idx].type == XREF_TYPE_COUNTRY ||
	      kb->entries[idx].type == XREF_TYPE_LOCATION))) {
		gaz_set(kb->lower_start, xref_strmap_hash(folded, first));
		err = lower_word_note(kb, folded, first,
				      (kb->entries[idx].flags & KB_LOWER_OK) ?
					      LOWER_ANY :
				      words > 1 ? LOWER_PHRASE : LOWER_SINGLE);
		if (err)
			goto out;
	}
	if (words > INT32_MAX)
		words = INT32_MAX; /* longer than any line we read */
	xref_strmap_get(&kb->words, folded, first, &v);
	if ((int64_t)words > v >> PHRASE_SHIFT)
		err = xref_strmap_put(&kb->words, folded, first,
				      (v & BITS_MASK) |
					      ((int64_t)words << PHRASE_SHIFT));
out:
	free(folded);
	return err;
}

/* Adds every '|'-separated name in field to entry idx. */
static int add_names(struct xref_kb *kb, const char *s, size_t len, int32_t idx)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		int err;

		while (j < len && s[j] != '|')
			j++;
		if (j > i) {
			err = xref_kb_add_name(kb, s + i, j - i, idx);
			if (err)
				return err;
		}
		i = j + 1;
	}
	return 0;
}

static int load_country(struct xref_kb *kb, const struct table_line *tl,
			void *ctx)
{
	struct xref_strmap *by_name = ctx;
	int32_t idx = -1, dem = -1;
	int err;

	err = xref_kb_add_entry(kb, &idx, tl->f[0], tl->len[0],
				XREF_TYPE_COUNTRY, "exact", -1,
				KB_SRC_COUNTRY, 0);
	if (err)
		return err;
	kb->entries[idx].country = idx;
	err = xref_strmap_put(by_name, tl->f[0], tl->len[0], idx);
	if (!err)
		err = xref_kb_add_name(kb, tl->f[0], tl->len[0], idx);
	if (err)
		return err;
	if (tl->n > 1 && tl->len[1]) {
		int32_t alias;

		err = xref_kb_add_entry(kb, &alias, tl->f[0], tl->len[0],
					XREF_TYPE_COUNTRY, "country-alias", idx,
					KB_SRC_COUNTRY, 0);
		if (!err)
			err = add_names(kb, tl->f[1], tl->len[1], alias);
		if (err)
			return err;
	}
	if (tl->n > 2 && tl->len[2]) {
		err = xref_kb_add_entry(kb, &dem, tl->f[0], tl->len[0],
					XREF_TYPE_COUNTRY, "demonym", idx,
					KB_SRC_COUNTRY, KB_DEMONYM);
		if (!err)
			err = add_names(kb, tl->f[2], tl->len[2], dem);
		if (err)
			return err;
	}
	return 0;
}

static int load_place(struct xref_kb *kb, const struct table_line *tl,
		      void *ctx)
{
	struct xref_strmap *by_name = ctx;
	int64_t country = -1;
	int32_t idx = -1;
	int err;

	if (tl->n > 1)
		xref_strmap_get(by_name, tl->f[1], tl->len[1], &country);
	err = xref_kb_add_entry(kb, &idx, tl->f[0], tl->len[0],
				XREF_TYPE_LOCATION, "exact", (int32_t)country,
				KB_SRC_PLACE, 0);
	if (!err)
		err = xref_kb_add_name(kb, tl->f[0], tl->len[0], idx);
	if (!err && tl->n > 2 && tl->len[2]) {
		int32_t alias;

		err = xref_kb_add_entry(kb, &alias, tl->f[0], tl->len[0],
					XREF_TYPE_LOCATION, "place-alias",
					(int32_t)country, KB_SRC_PLACE, 0);
		if (!err)
			err = add_names(kb, tl->f[2], tl->len[2], alias);
	}
	return err;
}

static int load_org(struct xref_kb *kb, const struct table_line *tl,
		    void *ctx)
{
	enum xref_type t;
	char type[32];
	int32_t idx = -1, alias = -1;
	int err;

	(void)ctx;
	if (tl->n < 2 || tl->len[1] >= sizeof(type))
		return 0;
	memcpy(type, tl->f[1], tl->len[1]);
	type[tl->len[1]] = '\0';
	if (xref_type_parse(&t, type))
		return 0;
	err = xref_kb_add_entry(kb, &idx, tl->f[0], tl->len[0], t, "exact", -1,
				KB_SRC_ORG, 0);
	if (!err)
		err = xref_kb_add_name(kb, tl->f[0], tl->len[0], idx);
	if (!err && tl->n > 2 && tl->len[2]) {
		err = xref_kb_add_entry(kb, &alias, tl->f[0], tl->len[0], t,
					"known-alias", -1, KB_SRC_ORG, 0);
		if (!err)
			err = add_names(kb, tl->f[2], tl->len[2], alias);
	}
	return err;
}

static int load_target(struct xref_kb *kb, const struct table_line *tl,
		       void *ctx)
{
	int32_t idx = -1;
	int err;

	(void)ctx;
	if (tl->n < 2)
		return 0;
	err = xref_kb_add_entry(kb, &idx, tl->f[1], tl->len[1],
				XREF_TYPE_TARGET, "target-noun", -1,
				KB_SRC_TARGET, KB_LOWER_OK);
	if (!err)
		err = xref_kb_add_name(kb, tl->f[0], tl->len[0], idx);
	return err;
}

static int load_words(struct xref_kb *kb, const struct table_line *tl,
		      void *ctx)
{
	return add_word_bits(kb, tl->f[0], tl->len[0], *(unsigned *)ctx);
}

/* ORs bits into the class of an already folded word. */

/* Puts the folded form of s into m with value v; `first` bits go to the
 * key's first word and `last` bits to its last word (0 for none). */
static int put_folded(struct xref_kb *kb, struct xref_strmap *m,
		      const char *s, size_t len, int64_t v, unsigned first,
		      unsigned last)
{
	char *folded = NULL;
	int err = xref_utf8_fold(&folded, s, len);

	if (!err && *folded) {
		size_t n = strlen(folded);
		const char *sp = strchr(folded, ' ');
		const char *lw = strrchr(folded, ' ');

		err = xref_strmap_put(m, folded, n, v);
		if (!err && first)
			err = mark_word(kb, folded,
					sp ? (size_t)(sp - folded) : n, first);
		lw = lw ? lw + 1 : folded;
		if (!err && last)
			err = mark_word(kb, lw, n - (size_t)(lw - folded), last);
	}
	free(folded);
	return err;
}

static int load_title(struct xref_kb *kb, const struct table_line *tl,
		      void *ctx)
{
	bool office = tl->n > 1 && tl->len[1] == 6 &&
		      memcmp(tl->f[1], "office", 6) == 0;
	const char *last = tl->f[0];
	int err;

	(void)ctx;
	err = put_folded(kb, &kb->titles, tl->f[0], tl->len[0], office ? 2 : 1,
			 KB_TITLE_FIRST, 0);
	if (err)
		return err;
	/* The head word carries the class: "Defense Minister" makes
	 * "minister" an office word and "defense" a possible title part;
	 * in "Minister of Defense" the head comes before "of". */
	for (size_t i = 0; i < tl->len[0]; i++) {
		if (tl->f[0][i] != ' ')
			continue;
		if (i + 4 <= tl->len[0] && memcmp(tl->f[0] + i, " of ", 4) == 0)
			break;
		last = tl->f[0] + i + 1;
	}
	{
		const char *stop = last;

		while (stop < tl->f[0] + tl->len[0] && *stop != ' ')
			stop++;
		err = add_word_bits(kb, last, (size_t)(stop - last),
				    office ? KB_OFFICE : KB_HONORIFIC);
	}
	if (!err && last != tl->f[0])
		err = add_word_bits(kb, tl->f[0],
				    (size_t)(strchr(tl->f[0], ' ') - tl->f[0]),
				    KB_TITLE_PART);
	return err;
}

/* A table of typed words: the map it fills and the word classes its
 * keys' first and last words get (see put_folded()). */
struct typed_table {
	struct xref_strmap *m;
	unsigned first, last;
};

static int load_typed(struct xref_kb *kb, const struct table_line *tl,
		      void *ctx)
{
	const struct typed_table *tt = ctx;
	enum xref_type t;
	char type[32];

	if (tl->n < 2 || tl->len[1] >= sizeof(type))
		return 0;
	memcpy(type, tl->f[1], tl->len[1]);
	type[tl->len[1]] = '\0';
	if (xref_type_parse(&t, type))
		return 0;
	return put_folded(kb, tt->m, tl->f[0], tl->len[0], t, tt->first,
			  tt->last);
}

static int add_list(struct xref_kb *kb, const char *const *list, size_t n,
		    unsigned bits)
{
	for (size_t i = 0; i < n; i++) {
		int err = add_word_bits(kb, list[i], strlen(list[i]), bits);

		if (err)
			return err;
	}
	return 0;
}

static const struct xref_kb_table *table(const char *name)
{
	static const struct xref_kb_table none = { NULL, NULL, NULL };

	for (const struct xref_kb_table *t = xref_kb_tables; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return &none;
}

#define TABLE(name) table(name)->data, (table(name)->len ? *table(name)->len : 0)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int xref_kb_load(struct xref_kb *kb)
{
	struct xref_strmap by_name;
	struct typed_table suffixes = { &kb->suffixes, 0, KB_SUFFIX_LAST },
			   heads = { &kb->heads, KB_HEAD_FIRST, 0 },
			   descriptors = { &kb->descriptors, 0, 0 };
	unsigned stop = KB_STOP, common = KB_COMMON, cal = KB_CALENDAR,
		 given = KB_GIVEN, surname = KB_SURNAME, noname = KB_NONAME;
	int err;

	xref_strmap_init(&by_name);
	err = each_line(TABLE("countries.tsv"), load_country, kb, &by_name);
	if (!err)
		err = each_line(TABLE("regions.tsv"), load_place, kb, &by_name);
	if (!err)
		err = each_line(TABLE("cities.tsv"), load_place, kb, &by_name);
	if (!err)
		err = each_line(TABLE("organizations.tsv"), load_org, kb, NULL);
	if (!err)
		err = each_line(TABLE("targets.tsv"), load_target, kb, NULL);
	if (!err)
		err = each_line(TABLE("nonames.txt"), load_words, kb, &noname);
	if (!err)
		err = each_line(TABLE("stopwords.txt"), load_words, kb, &stop);
	if (!err)
		err = each_line(TABLE("common_words.txt"), load_words, kb, &common);
	if (!err)
		err = each_line(TABLE("calendar.txt"), load_words, kb, &cal);
	if (!err)
		err = each_line(TABLE("given_names.txt"), load_words, kb, &given);
	if (!err)
		err = each_line(TABLE("surnames.txt"), load_words, kb, &surname);
	if (!err)
		err = each_line(TABLE("titles.tsv"), load_title, kb, NULL);
	if (!err)
		err = each_line(TABLE("org_suffixes.tsv"), load_typed, kb,
				&suffixes);
	if (!err)
		err = each_line(TABLE("org_heads.tsv"), load_typed, kb, &heads);
	if (!err)
		err = each_line(TABLE("descriptors.tsv"), load_typed, kb,
				&descriptors);
	if (!err)
		err = add_list(kb, particles, COUNT(particles), KB_PARTICLE);
	if (!err)
		err = add_list(kb, speech, COUNT(speech), KB_SPEECH);
	if (!err)
		err = add_list(kb, events, COUNT(events), KB_EVENT);
	if (!err)
		lower_word_flush(kb);
	xref_strmap_release(&by_name);
	return err;
}

void xref_kb_release(struct xref_kb *kb)
{
	for (size_t i = 0; i < kb->n_entries; i++) {
		free(kb->entries[i].name);
		free(kb->entries[i].folded);
	}
	free(kb->entries);
	xref_strmap_release(&kb->words);
	xref_strmap_release(&kb->gaz);
	xref_strmap_release(&kb->titles);
	xref_strmap_release(&kb->suffixes);
	xref_strmap_release(&kb->heads);
	xref_strmap_release(&kb->descriptors);
	xref_buf_release(&kb->lower_pending);
	memset(kb, 0, sizeof(*kb));
}
