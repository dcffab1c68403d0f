/*
 * Recognition and in-document resolution of entity mentions.
 *
 * One pass over each sentence finds candidates, surest layer first:
 *   1. target nouns, matched in any case ("journalists");
 *   2. datelines ("JAKARTA -") at the start of a paragraph;
 *   3. runs of capitalised tokens (with name particles such as "of", "de",
 *      "al" inside), which are then read in order as: a watchlist or
 *      knowledge name (longest match), an office title or honorific followed
 *      by a person's name, a country or demonym followed by a state body
 *      ("Israel Defense Ministry"), an organisation by its suffix or head
 *      word ("Tel Aviv University", "Ministry of Defense"), a person by a
 *      known given name, or else an unknown name kept as a guess.
 * A second pass over the document then resolves what only the whole
 * document can decide: short forms ("Gantz", "NSO") and initialisms to the
 * full names they abbreviate, acronyms defined in parentheses, the country
 * of a bare state body, and the guesses in headline-case sentences, which
 * are kept only when the rest of the document confirms them.
 *
 * Everything is token-based with hash lookups (no regular expressions), so
 * the cost is linear in the number of tokens; the document pass interns
 * the candidates' folded names and indexes the words of the longer ones,
 * so it is linear in the number of candidates too (comparing every pair
 * took minutes on a long single-paragraph document). A token's word class
 * and the longest known phrase it starts come from one lookup, requested
 * a few tokens ahead because the tables do not fit in the core's cache;
 * only capitalised words, and the lowercase words a small cache-resident
 * filter says may start a lowercase-matching name, are looked up there,
 * the rest on first use (most lowercase words never are). Filters of the
 * same kind on the gazetteer's names and their word prefixes let a
 * longest-match search skip the table and stop early. Looking every token
 * up eagerly was simpler but spent most lookups on words no rule asked
 * about. Tokens are folded and hashed once (an ASCII word sixteen bytes at
 * a time with SSE2, hashed from the register, else eight bytes at a
 * time); candidates' names live in a pool freed with the document, and a
 * table entry's name comes with its fold, so the document pass folds only
 * the names the rules built and emitting keys each folded name once.
 * The capitalisation rules were
 * chosen over a statistical tagger for now because they are explainable
 * (each mention carries the rule that produced it); a statistical tagger
 * can be added through xref_recognizer_set_tagger(), whose spans fill the
 * gaps the rules leave.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest/recognize.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Tokens are folded sixteen bytes at once with SSE2 where there is (every
 * x86-64 has it), else eight bytes at a time (see fold_token()). */
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define FOLD_SSE2 1
#else
#define FOLD_SSE2 0
#endif

#include "ingest/buf.h"
#include "ingest/bytes_internal.h"
#include "ingest/knowledge.h"
#include "ingest/status.h"
#include "ingest/utf8.h"

struct xref_recognizer {
	struct xref_kb kb;
	xref_tagger_fn tagger; /* optional statistical layer */
	void *tagger_ctx;
};

/* How many tokens ahead the word table is asked for (see xref_recognize). */
#define PREFETCH_AHEAD 8

/* Per-token scratch: its folded text (offset into the document arena). */
struct tok {
	size_t fold_off, fold_len;
	uint64_t hash;  /* xref_strmap_hash() of the fold, when not empty */
	unsigned wbits; /* enum kb_word */
	unsigned phrase; /* longest gazetteer phrase it starts, in words */
	uint32_t flags; /* enum xref_token_flag */
	bool spaced;    /* its fold holds several words ("al‐jazeera") */
	bool looked;    /* wbits and phrase are known (see tok_look) */
	bool lower_start; /* a lowercase-matching name may start here (set
			   * for lowercase words only) */
};

enum cand_strength {
	STRENGTH_GUESS = 1,   /* unknown capitalised name */
	STRENGTH_PATTERN = 2, /* title, suffix, head word, given name */
	STRENGTH_KNOWN = 3,   /* watchlist or knowledge table */
};

struct cand {
	size_t tb, te;       /* tokens [tb, te) */
	size_t sentence;
	enum xref_type type;
	const char *name;    /* canonical display name: in the document's
			      * pool, or a table entry's name (which
			      * outlives the document) */
	const char *rule;
	int strength;
	int32_t entry;       /* kb entry it was found as, or -1 */
	int32_t country;     /* kb entry of the country a state body belongs to */
	bool generic_body;   /* a state body named only by common words */
	bool headline;       /* found in a headline-case sentence */
	bool dropped;
};

/* A block of the document's pool: the names its candidates are given live
 * there until the document is done, so giving a candidate another name
 * frees nothing, and a name can be shared. One allocation per few
 * kilobytes instead of one per name. */
struct pool_block {
	struct pool_block *next;
	size_t used, cap;
	char data[];
};

#define POOL_BLOCK 4096

/* Bits of struct doc's filter on its lowercase words (a power of two): a
 * document of a few hundred distinct words leaves most of them clear. */
#define LOWER_SEEN_BITS 16384

struct doc {
	const struct xref_recognizer *r;
	const struct xref_kb *kb;
	const char *text;
	size_t len;
	const struct xref_segmentation *seg;
	struct tok *toks;
	struct xref_buf arena;
	struct cand *c;
	size_t nc, capc;
	int32_t *countries; /* kb entry per country mention, for the document's country */
	size_t n_countries, cap_countries;
	/* Each candidate's folded name (xref_utf8_fold of its name), set by
	 * the document pass and kept in step with the name from then on:
	 * pointers into `fold_names` (or another candidate's), and lengths. */
	const char **folded;
	size_t *flen;
	struct xref_buf fold_names;
	size_t *fid, n_ids; /* each candidate's interned folded name */
	int64_t *key_of; /* per interned name: the mention whose key it
			  * shares, -1 for an empty key, KEY_UNSET */
	struct pool_block *pool; /* the names' blocks, newest first */
	struct gaz_memo {    /* the last gaz_search(), see gaz_match() */
		size_t i, lim, end;
		int32_t entry;
		bool found, valid;
	} gaz_memo;
	/* A filter on the folds of the document's lowercase words, by their
	 * hashes (see type_guesses()). */
	uint64_t lower_seen[LOWER_SEEN_BITS / 64];
};

/* n bytes from the document's pool, or NULL when out of memory. */
static char *pool_alloc(struct doc *d, size_t n)
{
	struct pool_block *b = d->pool;
	char *p;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > POOL_BLOCK ? n : POOL_BLOCK;

		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = d->pool;
		b->used = 0;
		b->cap = cap;
		d->pool = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

/* A copy of s[0..n) with a NUL, in the document's pool (NULL when out of
 * memory). */
static char *pool_strndup(struct doc *d, const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? pool_alloc(d, n + 1) : NULL;

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void pool_release(struct doc *d)
{
	while (d->pool) {
		struct pool_block *next = d->pool->next;

		free(d->pool);
		d->pool = next;
	}
}

static const char *tok_fold(const struct doc *d, size_t i)
{
	return d->arena.ptr + d->toks[i].fold_off;
}

/* Token i's word class and phrase length, looked up on first use: most
 * lowercase words are never asked for them. */
static void tok_look(const struct doc *d, size_t i)
{
	struct tok *t = &d->toks[i];

	if (t->looked)
		return;
	t->looked = true;
	if (t->fold_len)
		xref_kb_word_info(d->kb, t->hash, tok_fold(d, i), t->fold_len,
				  &t->wbits, &t->phrase);
}

static unsigned tok_wbits(const struct doc *d, size_t i)
{
	tok_look(d, i);
	return d->toks[i].wbits;
}

static unsigned tok_phrase(const struct doc *d, size_t i)
{
	tok_look(d, i);
	return d->toks[i].phrase;
}

static bool fold_eq(const struct doc *d, size_t i, const char *s)
{
	size_t n = strlen(s);

	return d->toks[i].fold_len == n && memcmp(tok_fold(d, i), s, n) == 0;
}

static bool is_word(const struct doc *d, size_t i)
{
	return d->toks[i].flags & XREF_TOK_WORD;
}

static bool is_upper(const struct doc *d, size_t i)
{
	return (d->toks[i].flags & (XREF_TOK_UPPER | XREF_TOK_ALLCAPS)) &&
	       (d->toks[i].flags & XREF_TOK_WORD);
}

static bool is_punct_char(const struct doc *d, size_t i, char ch)
{
	const struct xref_token *t = &d->seg->tokens[i];

	return (t->flags & XREF_TOK_PUNCT) && t->end - t->start == 1 &&
	       d->text[t->start] == ch;
}

/* A dash token: '-', en dash or em dash. */
static bool is_dash(const struct doc *d, size_t i)
{
	const struct xref_token *t = &d->seg->tokens[i];
	size_t n = t->end - t->start;
	const char *s = d->text + t->start;

	if (!(t->flags & XREF_TOK_PUNCT))
		return false;
	return (n == 1 && *s == '-') ||
	       (n == 3 && (memcmp(s, "\xe2\x80\x93", 3) == 0 ||
			   memcmp(s, "\xe2\x80\x94", 3) == 0));
}

/* The ASCII fold by byte: letters lowercased, digits kept, 0 for the other
 * ASCII characters (dropped), FOLD_OTHER for bytes of longer sequences. */
#define FOLD_OTHER 0xff
#define R8(x) x, x, x, x, x, x, x, x
#define R16(x) R8(x), R8(x)
static const unsigned char fold_ascii[256] = {
	R16(0), R16(0), R16(0),
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0, 0, 0, 0, 0,
	0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	0, 0, 0, 0, 0,
	0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	0, 0, 0, 0, 0,
	R16(FOLD_OTHER), R16(FOLD_OTHER), R16(FOLD_OTHER), R16(FOLD_OTHER),
	R16(FOLD_OTHER), R16(FOLD_OTHER), R16(FOLD_OTHER), R16(FOLD_OTHER),
};
#undef R16
#undef R8

/* Folds the first m (1 to 8) bytes of x, a little-endian word of the text,
 * when they are all ASCII letters and digits (letters lowercased); false
 * otherwise. (fold_alnum_run8() of utf8.c instead folds as many leading
 * bytes as are letters and digits.) */
static inline bool fold_all_alnum8(uint64_t *x, size_t m)
{
	uint64_t mask = m == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * m)) - 1;
	uint64_t letter, digit;

	xref_bytes_alnum(*x, &letter, &digit);
	if (((letter | digit) & mask) != (XREF_BYTES_HIGH & mask))
		return false;
	*x |= (letter >> 2) & mask; /* 0x20: lowercase */
	return true;
}

/*
 * The fold of a token of n <= 16 ASCII letters and digits (its letters
 * lowercased), computed eight bytes at a time into out: false when some
 * byte is anything else (and out then holds nothing of use). Reads 16
 * bytes at s and writes 16 at out, so both must have them. A byte loop
 * ended at a varying length, and that exit was mispredicted about once a
 * token. Without the compiler's builtins, or on a big-endian machine, it
 * always leaves the token to that loop. Asked only without SSE2: where
 * fold_alnum16_sse2() ran first and failed, this fails too.
 */
static bool fold_alnum16(const char *s, size_t n, char *out)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t a, b;

	/* two numbers kept apart, never an array: a 16-byte copy of two
	 * 8-byte stores cannot be forwarded from them, and stalled */
	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 8);
	if (!fold_all_alnum8(&a, n > 8 ? 8 : n) ||
	    (n > 8 && !fold_all_alnum8(&b, n - 8)))
		return false;
	memcpy(out, &a, 8);
	memcpy(out + 8, &b, 8);
	return true;
#else
	(void)s;
	(void)n;
	(void)out;
	return false;
#endif
}

/*
 * The fold of a token of n <= 16 ASCII letters and digits at s into out,
 * and its hash into *h, with SSE2 (every x86-64 has it): the sixteen bytes
 * are classified and lowercased at once, written out whole, and hashed
 * from the register (xref_strmap_hash16()). False when some byte is
 * anything else (out then holds nothing of use), or without SSE2. Reads
 * 16 bytes at s and writes 16 at out, so both must have them.
 */
static bool fold_alnum16_sse2(const char *s, size_t n, char *out,
			      uint64_t *h)
{
#if FOLD_SSE2
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i letter, digit;
	unsigned want = (1u << n) - 1;

	xref_bytes16_alnum(v, &letter, &digit);
	if (((unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) & want) !=
	    want)
		return false;
	v = _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20)));
	_mm_storeu_si128((__m128i *)(void *)out, v);
	*h = xref_strmap_hash16((uint64_t)_mm_cvtsi128_si64(v),
				(uint64_t)_mm_cvtsi128_si64(
					_mm_unpackhi_epi64(v, v)),
				n);
	return true;
#else
	(void)s;
	(void)n;
	(void)out;
	(void)h;
	return false;
#endif
}

/* ASCII fast path of xref_utf8_fold for a word token: letters lowercased,
 * digits kept, everything else dropped. The full fold would turn a
 * separator inside a token ("1,000") into a space instead: the two
 * differ only there. Anything not ASCII takes the full fold. Sets the
 * token's fold and, when it is not empty, its hash. */
static int fold_token(struct doc *d, size_t i)
{
	const struct xref_token *t = &d->seg->tokens[i];
	const char *s = d->text + t->start;
	size_t n = t->end - t->start, k;
	struct tok *tk = &d->toks[i];
	uint64_t h;
	char *out;
	int err;

	/* mostly reserved for the whole document already, with room for
	 * the 16 bytes a fold writes */
	if (d->arena.cap - d->arena.len < n + 17) {
		err = xref_buf_grow(&d->arena, n + 16);
		if (err)
			return err;
	}
	out = d->arena.ptr + d->arena.len;
	if (n <= 16 && t->start + 16 <= d->len &&
	    fold_alnum16_sse2(s, n, out, &h)) {
		/* every field set here: the array is not zeroed beforehand */
		*tk = (struct tok){ .fold_off = d->arena.len, .fold_len = n,
				    .hash = h, .flags = t->flags };
		out[n] = '\0';
		d->arena.len += n + 1;
		return 0;
	}
	*tk = (struct tok){ .fold_off = d->arena.len, .flags = t->flags };
	if (n == 1 && fold_ascii[(unsigned char)*s] != FOLD_OTHER) {
		/* punctuation (folds to nothing), a letter, a digit */
		out[0] = (char)fold_ascii[(unsigned char)*s];
		out[1] = '\0';
		tk->fold_len = out[0] != 0;
		d->arena.len += tk->fold_len + 1;
	} else if (!FOLD_SSE2 && n <= 16 && t->start + 16 <= d->len &&
		   fold_alnum16(s, n, out)) {
		out[n] = '\0';
		tk->fold_len = n;
		d->arena.len += n + 1;
	} else {
		for (k = 0; k < n; k++) {
			unsigned char ch = fold_ascii[(unsigned char)s[k]];

			if (ch == FOLD_OTHER)
				break;
			*out = (char)ch;
			out += ch != 0; /* dropped characters fold to 0 */
		}
		if (k == n) {
			/* room for the NUL was reserved above */
			*out = '\0';
			d->arena.len = (size_t)(out - d->arena.ptr);
			tk->fold_len = d->arena.len - tk->fold_off;
			d->arena.len++;
		} else {
			err = xref_utf8_fold_append(&d->arena, s, n);
			if (!err)
				err = xref_buf_putc(&d->arena, '\0');
			if (err)
				return err;
			tk->fold_len = d->arena.len - 1 - tk->fold_off;
			tk->spaced = memchr(tok_fold(d, i), ' ', tk->fold_len) !=
				     NULL;
		}
	}
	if (tk->fold_len)
		tk->hash = xref_strmap_hash(tok_fold(d, i), tk->fold_len);
	return 0;
}

/* Builds the folded phrase of word tokens [b, e) into out, skipping hyphens
 * and ampersands between them. */
static int phrase_fold(const struct doc *d, size_t b, size_t e,
		       struct xref_buf *out)
{
	int err = 0;

	xref_buf_clear(out);
	for (size_t i = b; i < e && !err; i++) {
		if (!d->toks[i].fold_len)
			continue;
		if (out->len)
			err = xref_buf_putc(out, ' ');
		if (!err)
			err = xref_buf_put(out, tok_fold(d, i), d->toks[i].fold_len);
	}
	return err;
}

/* Tokens that may sit inside a gazetteer phrase without being words. */
static bool is_joiner(const struct doc *d, size_t i)
{
	return (d->toks[i].flags & XREF_TOK_ATTACHED) &&
	       (is_punct_char(d, i, '-') || is_punct_char(d, i, '&') ||
		is_punct_char(d, i, '/'));
}

/* Web text often writes places in lowercase ("flights to mexico", "san
 * francisco"). A country or place name may match lowercase text when it
 * cannot be an ordinary word: several words, or one uncommon word of four
 * letters or more. */
static bool lowercase_place(const struct doc *d, size_t b, size_t e,
			    const struct kb_entry *en)
{
	size_t words = 0;

	if (en->flags & KB_DEMONYM)
		return false;
	if (en->type != XREF_TYPE_COUNTRY && en->type != XREF_TYPE_LOCATION)
		return false;
	for (size_t k = b; k < e; k++) {
		if (!is_word(d, k))
			continue;
		if (is_upper(d, k))
			return false;
		words++;
	}
	if (tok_wbits(d, b) & KB_STOP)
		return false;
	if (words >= 2)
		return true;
	return d->toks[b].fold_len >= 4 &&
	       !(tok_wbits(d, b) & (KB_COMMON | KB_STOP | KB_GIVEN |
				     KB_SURNAME | KB_NONAME));
}

/*
 * Longest gazetteer match starting at token i and ending before lim.
 * Entries other than lowercase-matching ones need every non-particle word
 * capitalised, unless lowercase_place() accepts them; a lowercase-matching
 * one is not taken capitalised inside a sentence. Returns 1 and stores the
 * end token and entry when there is one, 0 when there is none, or
 * XREF_ENOMEM (when the phrase cannot be built: then nothing is known).
 */
static int gaz_search(const struct doc *d, size_t i, size_t lim,
		      struct xref_buf *tmp, size_t *end, int32_t *entry)
{
	const struct xref_kb *kb = d->kb;
	int64_t maxw = 0, idx;
	size_t words = 0, e = i;
	bool all_upper;
	int ret = 0;

	if (!is_word(d, i))
		return 0;
	maxw = tok_phrase(d, i);
	if (!maxw)
		return 0;
	/* only asked of a capitalised first word, so not looked up for
	 * the words after a lowercase one */
	all_upper = is_upper(d, i);
	while (e < lim && words < (size_t)maxw) {
		const char *key;
		size_t klen;
		uint64_t h;
		int err = 0;

		if (!is_word(d, e)) {
			if (e > i && is_joiner(d, e) && e + 1 < lim &&
			    is_word(d, e + 1)) {
				e++;
				continue;
			}
			break;
		}
		if (all_upper && !is_upper(d, e) &&
		    !(tok_wbits(d, e) & KB_PARTICLE))
			all_upper = false;
		/* The first word is looked up where it is; the phrase is
		 * copied only from the second word on. */
		if (words == 1) {
			xref_buf_clear(tmp);
			err = xref_buf_put(tmp, tok_fold(d, i),
					   d->toks[i].fold_len);
		}
		if (words && !err)
			err = xref_buf_putc(tmp, ' ');
		if (words && !err)
			err = xref_buf_put(tmp, tok_fold(d, e),
					   d->toks[e].fold_len);
		if (err) {
			ret = err;
			break;
		}
		key = words ? tmp->ptr : tok_fold(d, i);
		klen = words ? tmp->len : d->toks[i].fold_len;
		h = words ? xref_strmap_hash(key, klen) : d->toks[i].hash;
		words++;
		e++;
		if (xref_kb_gaz_bit(kb->gaz_full, h) &&
		    xref_strmap_get_hashed(&kb->gaz, h, key, klen, &idx)) {
			const struct kb_entry *en = &kb->entries[idx];

			if (((en->flags & KB_LOWER_OK) ||
			     (all_upper && is_upper(d, i)) ||
			     lowercase_place(d, i, e, en)) &&
			    !(en->flags & KB_LOWER_OK && is_upper(d, i) &&
			      !(d->toks[i].flags & XREF_TOK_FIRST))) {
				*end = e;
				*entry = (int32_t)idx;
				ret = 1;
			}
		}
		/* no longer name starts with this phrase */
		if (!xref_kb_gaz_bit(kb->gaz_prefix, h))
			break;
	}
	return ret;
}

/*
 * gaz_search(), remembering its last answer: the sentence scan and the
 * run it then reads often ask about the same token, with the same or a
 * nearer limit. A search with a nearer limit sees a prefix of the same
 * words and makes the same decisions on them, so the longest match found
 * before the farther limit, if it ends before the nearer one, is still the
 * longest, and no match at all stays none. Returns as gaz_search() does;
 * a failed search is not remembered (it answered nothing), and fails the
 * document.
 */
static int gaz_match(struct doc *d, size_t i, size_t lim,
		     struct xref_buf *tmp, size_t *end, int32_t *entry)
{
	struct gaz_memo *g = &d->gaz_memo;
	int found;

	if (g->valid && g->i == i && g->lim >= lim &&
	    (!g->found || g->end <= lim)) {
		if (g->found) {
			*end = g->end;
			*entry = g->entry;
		}
		return g->found;
	}
	found = gaz_search(d, i, lim, tmp, end, entry);
	if (found < 0)
		return found;
	g->found = found;
	g->valid = true;
	g->i = i;
	g->lim = lim;
	if (g->found) {
		g->end = *end;
		g->entry = *entry;
	}
	return found;
}

/* Adds a candidate named `name` (in the document's pool or a table
 * entry's; NULL means its allocation failed). */
static int add_cand(struct doc *d, size_t tb, size_t te, size_t sentence,
		    enum xref_type type, const char *name, const char *rule,
		    int strength, bool headline)
{
	struct cand *c;

	if (!name)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	if (d->nc == d->capc) {
		size_t cap = d->capc ? d->capc * 2 : 64;
		struct cand *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return xref_error_set(XREF_ENOMEM, "too many mentions");
		p = realloc(d->c, cap * sizeof(*p));
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		d->c = p;
		d->capc = cap;
	}
	c = &d->c[d->nc++];
	memset(c, 0, sizeof(*c));
	c->tb = tb;
	c->te = te;
	c->sentence = sentence;
	c->type = type;
	c->name = name;
	c->rule = rule;
	c->strength = strength;
	c->entry = -1;
	c->country = -1;
	c->headline = headline;
	return 0;
}

/* The source text of tokens [b, e), whitespace runs collapsed to one space,
 * in the document's pool (NULL when out of memory). */
static char *span_text(struct doc *d, size_t b, size_t e)
{
	const struct xref_token *t = d->seg->tokens;
	size_t from = t[b].start, to = t[e - 1].end, n = 0;
	char *out = pool_alloc(d, to - from + 1);

	if (!out)
		return NULL;
	/* Tokens hold no whitespace: each is copied whole, and only what
	 * lies between two of them (mostly one space) is looked at. */
	for (size_t k = b; k < e; k++) {
		size_t at = k > b ? t[k - 1].end : from;
		bool space = false;

		if (t[k].start - at == 1 && d->text[at] == ' ') {
			out[n++] = ' ';
		} else {
			for (; at < t[k].start; at++) {
				char ch = d->text[at];

				if (ch == ' ' || ch == '\n' || ch == '\t') {
					space = true;
					continue;
				}
				if (space)
					out[n++] = ' ';
				space = false;
				out[n++] = ch;
			}
			if (space)
				out[n++] = ' ';
		}
		memcpy(out + n, d->text + t[k].start, t[k].end - t[k].start);
		n += t[k].end - t[k].start;
	}
	out[n] = '\0';
	return out;
}

/* "JAKARTA" -> "Jakarta" (ASCII letters only; others kept as they are),
 * in place. */
static char *title_case(char *out)
{
	bool start = true;

	if (!out)
		return NULL;
	for (char *p = out; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x80 && isalpha(ch)) {
			*p = (char)(start ? toupper(ch) : tolower(ch));
			start = false;
		} else {
			start = ch < 0x80;
		}
	}
	return out;
}

static int note_country(struct doc *d, int32_t country)
{
	if (country < 0)
		return 0;
	if (d->n_countries == d->cap_countries) {
		size_t cap = d->cap_countries ? d->cap_countries * 2 : 16;
		int32_t *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return xref_error_set(XREF_ENOMEM, "too many mentions");
		p = realloc(d->countries, cap * sizeof(*p));
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		d->countries = p;
		d->cap_countries = cap;
	}
	d->countries[d->n_countries++] = country;
	return 0;
}

static int add_gaz_cand(struct doc *d, size_t tb, size_t te, size_t sentence,
			int32_t entry, bool headline)
{
	const struct kb_entry *en = &d->kb->entries[entry];
	int err;

	err = add_cand(d, tb, te, sentence, en->type, en->name,
		       en->source == KB_SRC_WATCHLIST ? "watchlist" : en->rule,
		       STRENGTH_KNOWN, headline);
	if (err)
		return err;
	d->c[d->nc - 1].entry = entry;
	d->c[d->nc - 1].country = en->country;
	/* A demonym ("Israeli firms") is an adjective, not a name: it counts
	 * towards the document's country and may build a state body ("the
	 * Mexican government"), but is not a mention by itself. */
	if (en->flags & KB_DEMONYM)
		d->c[d->nc - 1].dropped = true;
	if (en->type == XREF_TYPE_COUNTRY)
		err = note_country(d, en->country);
	return err;
}

/* May token k, or a phrase starting (ending) with it, be a key of a map
 * whose first (last) words carry `bit`? Only a word so marked can; a token
 * whose fold holds several words is always looked up. */
static bool may_key(const struct doc *d, size_t k, unsigned bit)
{
	return (tok_wbits(d, k) & bit) || d->toks[k].spaced;
}

/* Is token k alone an organisation suffix? Its type into *t. */
static bool suffix_word(const struct doc *d, size_t k, int64_t *t)
{
	return may_key(d, k, KB_SUFFIX_LAST) &&
	       xref_strmap_get(&d->kb->suffixes, tok_fold(d, k),
			       d->toks[k].fold_len, t);
}

/* Type given by the last word(s) of [b, e), or -1. */
static int suffix_type(const struct doc *d, size_t b, size_t e,
		       struct xref_buf *tmp)
{
	size_t last = e;
	int64_t t;

	/* every phrase tried ends with the last word of the span */
	while (last > b && !d->toks[last - 1].fold_len)
		last--;
	if (last == b || !may_key(d, last - 1, KB_SUFFIX_LAST))
		return -1;
	for (size_t k = (e - b > 2 ? e - 2 : b); k < e; k++) {
		if (phrase_fold(d, k, e, tmp))
			return -1;
		if (tmp->len &&
		    xref_strmap_get(&d->kb->suffixes, tmp->ptr, tmp->len, &t))
			return (int)t;
	}
	return -1;
}

static int head_type(const struct doc *d, size_t b)
{
	int64_t t;

	if (may_key(d, b, KB_HEAD_FIRST) &&
	    xref_strmap_get(&d->kb->heads, tok_fold(d, b), d->toks[b].fold_len,
			    &t))
		return (int)t;
	return -1;
}

/* True when every word of [b, e) is an organisation suffix ("Pte. Ltd."). */
static bool only_suffixes(const struct doc *d, size_t b, size_t e)
{
	int64_t t;

	for (size_t k = b; k < e; k++)
		if (is_word(d, k) && !suffix_word(d, k, &t))
			return false;
	return true;
}

/* True when every word of [b, e) is a common word, particle, or an
 * organisation head or suffix: a body such as "Ministry of Defense" that
 * needs its country to be told apart from other countries' ministries. */
static bool is_generic(const struct doc *d, size_t b, size_t e)
{
	int64_t t;

	for (size_t k = b; k < e; k++) {
		if (!is_word(d, k))
			continue;
		if (tok_wbits(d, k) & (KB_COMMON | KB_PARTICLE | KB_STOP))
			continue;
		if (head_type(d, k) >= 0 || suffix_word(d, k, &t))
			continue;
		return false;
	}
	return true;
}

/* "Defense Ministry" -> "Ministry of Defense"; other names unchanged. In
 * the document's pool. */
static char *body_name(struct doc *d, size_t b, size_t e)
{
	char *raw = span_text(d, b, e), *name;
	struct xref_buf out = XREF_BUF_INIT;
	size_t n;

	if (!raw || e - b != 2 || !fold_eq(d, b + 1, "ministry") ||
	    !is_word(d, b))
		return raw;
	n = d->seg->tokens[b].end - d->seg->tokens[b].start;
	if (xref_buf_puts(&out, "Ministry of ") ||
	    (fold_eq(d, b, "foreign") ? xref_buf_puts(&out, "Foreign Affairs")
				      : xref_buf_put(&out, raw, n))) {
		xref_buf_release(&out);
		return raw;
	}
	name = pool_strndup(d, out.ptr, out.len);
	xref_buf_release(&out);
	return name;
}

static int add_body(struct doc *d, size_t tb, size_t te, size_t sentence,
		    size_t nb, size_t ne, enum xref_type type, int32_t country,
		    const char *rule, bool headline)
{
	int err = add_cand(d, tb, te, sentence, type, body_name(d, nb, ne), rule,
			   STRENGTH_PATTERN, headline);

	if (err)
		return err;
	d->c[d->nc - 1].country = country;
	d->c[d->nc - 1].generic_body = is_generic(d, nb, ne);
	return 0;
}

/* Title words at the start of [b, e): returns the first token after the
 * longest title ("Defense Minister", "Mr.", "Secretary of State"), or b. */
static size_t skip_title(const struct doc *d, size_t b, size_t e,
			 struct xref_buf *tmp, bool *honorific)
{
	size_t best = b, first = b;

	*honorific = false;
	/* every phrase tried starts with the first word of the span */
	while (first < e && !d->toks[first].fold_len)
		first++;
	if (first == e || !may_key(d, first, KB_TITLE_FIRST))
		return b;
	for (size_t k = b + 1; k <= e && k - b <= 5; k++) {
		int64_t kind;

		if (phrase_fold(d, b, k, tmp) || !tmp->len)
			continue;
		if (xref_strmap_get(&d->kb->titles, tmp->ptr, tmp->len, &kind)) {
			best = k;
			*honorific = kind == 1;
		}
	}
	/* An abbreviated title keeps its period inside the token ("Gen."). */
	return best;
}

static bool office_word(const struct doc *d, size_t k)
{
	return tok_wbits(d, k) & (KB_OFFICE | KB_HONORIFIC);
}

/*
 * Reads one run of capitalised tokens [b, e) of sentence s. May emit
 * several candidates (a title's holder, a country before a state body).
 */
static int read_run(struct doc *d, size_t b, size_t e, size_t s, bool headline,
		    struct xref_buf *tmp);

static int read_person(struct doc *d, size_t b, size_t e, size_t s,
		       bool headline, const char *rule)
{
	if (b >= e)
		return 0;
	return add_cand(d, b, e, s, XREF_TYPE_PERSON, span_text(d, b, e), rule,
			STRENGTH_PATTERN, headline);
}

static int read_run(struct doc *d, size_t b, size_t e, size_t s, bool headline,
		    struct xref_buf *tmp)
{
	size_t end, k;
	int32_t entry;
	bool honorific;
	int t, err, found;

	/* Leading function words ("The", "In") are never part of a name. */
	while (b < e && (tok_wbits(d, b) & KB_STOP) &&
	       !(d->toks[b].flags & XREF_TOK_ALLCAPS))
		b++;
	while (e > b && (tok_wbits(d, e - 1) & KB_PARTICLE))
		e--;
	if (b >= e)
		return 0;

	/* 1. Known names: the longest match at the start of the run. */
	found = gaz_match(d, b, e, tmp, &end, &entry);
	if (found < 0)
		return found;
	if (found) {
		const struct kb_entry *en = &d->kb->entries[entry];

		if (end == e)
			return add_gaz_cand(d, b, e, s, entry, headline);
		/* A country or demonym before a state body or organisation. */
		if (en->type == XREF_TYPE_COUNTRY && end < e) {
			t = suffix_type(d, end, e, tmp);
			if (t < 0)
				t = head_type(d, end);
			if (t == XREF_TYPE_GOVERNMENT)
				return add_body(d, b, e, s, end, e, t,
						en->country, "country-body",
						headline);
			if (t >= 0 && !(en->flags & KB_DEMONYM))
				goto named;
		}
		/* A place (not a demonym) that starts a longer name names
		 * something else: "Perth Glory", "Atlantic City", "Maine
		 * Central Railroad". A title after it starts a new name. */
		if ((en->type == XREF_TYPE_LOCATION ||
		     (en->type == XREF_TYPE_COUNTRY && !(en->flags & KB_DEMONYM))) &&
		    !office_word(d, end) &&
		    !(tok_wbits(d, end) & (KB_TITLE_PART | KB_CALENDAR)) &&
		    !(d->toks[end].flags & XREF_TOK_ALLCAPS))
			goto named;
		/* Otherwise the known name stands alone and the rest is read
		 * on its own ("Israeli" + "Defense Minister Benny Gantz"). */
		if (!office_word(d, end) && !(tok_wbits(d, end) & KB_TITLE_PART) &&
		    suffix_type(d, b, e, tmp) >= 0)
			goto named;
		err = add_gaz_cand(d, b, end, s, entry, headline);
		if (err)
			return err;
		return read_run(d, end, e, s, headline, tmp);
	}

	/* 2. Titles: the holder's name follows ("Defense Minister Benny
	 * Gantz", "Mr. Gantz"); a title alone is not an entity. */
	k = skip_title(d, b, e, tmp, &honorific);
	if (k == b) {
		for (size_t j = b; j < e && j < b + 4; j++) {
			if (office_word(d, j) && j + 1 < e &&
			    !(d->toks[j].flags & XREF_TOK_ALLCAPS)) {
				bool mods = true;

				for (size_t m = b; m < j; m++)
					if (!(tok_wbits(d, m) &
					      (KB_TITLE_PART | KB_COMMON)))
						mods = false;
				if (mods)
					k = j + 1;
				break;
			}
		}
	}
	if (k > b) {
		if (k >= e)
			return 0;
		if (suffix_type(d, k, e, tmp) >= 0 || head_type(d, k) >= 0)
			return read_run(d, k, e, s, headline, tmp);
		return read_person(d, k, e, s, headline,
				   honorific ? "honorific" : "title");
	}

named:
	/* 3. Organisations by suffix or head word, also before "of"
	 * ("Northern District of California"). */
	t = suffix_type(d, b, e, tmp);
	if (t < 0 && e - b > 1)
		t = head_type(d, b);
	for (size_t of = b + 1; t < 0 && of + 1 < e; of++)
		if (fold_eq(d, of, "of"))
			t = suffix_type(d, b, of, tmp);
	if (t >= 0 && e - b == 1 && !(d->toks[b].flags & XREF_TOK_ALLCAPS))
		return 0; /* a bare "Ministry", "Group" or "Inc." is no name */
	if (t >= 0 && only_suffixes(d, b, e))
		return 0; /* "LTD." alone */
	if (t == XREF_TYPE_GOVERNMENT) {
		int32_t country = -1;

		/* "Ministry of Defense of Israel": a trailing country. */
		return add_body(d, b, e, s, b, e, t, country, "state-body",
				headline);
	}
	if (t >= 0)
		return add_cand(d, b, e, s, (enum xref_type)t, span_text(d, b, e),
				"name-cue", STRENGTH_PATTERN, headline);

	/* 4. Phrases that end in an event word are not actors. */
	if (tok_wbits(d, e - 1) & KB_EVENT)
		return 0;

	/* 5. People by a known given name, or a known family name at either
	 * end ("Li Shimin", "Rui Gomez Pereira"). */
	if (e - b >= 2 && !(d->toks[b].flags & XREF_TOK_ALLCAPS)) {
		if (tok_wbits(d, b) & KB_GIVEN)
			return add_cand(d, b, e, s, XREF_TYPE_PERSON,
					span_text(d, b, e), "given-name",
					STRENGTH_PATTERN, headline);
		if (e - b <= 4 && ((tok_wbits(d, e - 1) & KB_SURNAME) ||
				   (e - b <= 3 && (tok_wbits(d, b) & KB_SURNAME))))
			return add_cand(d, b, e, s, XREF_TYPE_PERSON,
					span_text(d, b, e), "family-name",
					STRENGTH_PATTERN, headline);
	}

	/* A given name alone ("Thanks, Chris") is probably a person; the
	 * document pass weighs it against place cues ("in Harrison"). */
	if (e - b == 1 && (tok_wbits(d, b) & KB_GIVEN) &&
	    !(d->toks[b].flags & XREF_TOK_ALLCAPS) &&
	    !(tok_wbits(d, b) & (KB_COMMON | KB_NONAME)))
		return add_cand(d, b, e, s, XREF_TYPE_PERSON, span_text(d, b, e),
				"given-name", STRENGTH_GUESS, headline);

	/* 6. Unknown names: kept as a guess, resolved by the document pass. */
	return add_cand(d, b, e, s, XREF_TYPE_ORGANIZATION, span_text(d, b, e),
			"capitalized", STRENGTH_GUESS, headline);
}

/* A headline: a paragraph of one sentence without closing punctuation in
 * which most ordinary words (those a dictionary knows) are capitalised,
 * beyond the first. Counting only ordinary words, and asking for the shape
 * of a title line, keeps a sentence full of names ("The Defense Export
 * Controls Agency approved it.") from being read as a headline. */
static bool is_headline(const struct doc *d, size_t s)
{
	const struct xref_sentence *sen = &d->seg->sentences[s];
	const struct xref_paragraph *par = &d->seg->paragraphs[sen->paragraph];
	size_t common = 0, upper = 0, last;
	char end;

	if (par->sent_end - par->sent_begin != 1 || sen->tok_end == sen->tok_begin)
		return false;
	last = sen->tok_end - 1;
	while (last > sen->tok_begin && !is_word(d, last) &&
	       !is_punct_char(d, last, '.') && !is_punct_char(d, last, '?') &&
	       !is_punct_char(d, last, '!') && !is_punct_char(d, last, ':'))
		last--;
	end = d->text[d->seg->tokens[last].end - 1];
	if (end == '.' || end == '?' || end == '!' || end == ':')
		return false;
	for (size_t i = sen->tok_begin; i < sen->tok_end; i++) {
		unsigned w = tok_wbits(d, i);

		if (!is_word(d, i) || (d->toks[i].flags & XREF_TOK_FIRST) ||
		    (w & (KB_STOP | KB_CALENDAR)) || !(w & KB_COMMON))
			continue;
		common++;
		if (is_upper(d, i))
			upper++;
	}
	return upper >= 2 && upper * 3 >= common * 2;
}

/* May token i continue a capitalised run? */
/* Particles that join words of a name only when the name starts with an
 * organisation head ("Committee to Protect Journalists", "University at
 * Buffalo"); elsewhere they join two names ("flights to Paris"). */
static bool org_particle(const struct doc *d, size_t i)
{
	static const char *const words[] = { "to", "against", "without", "for",
					     "on", "the", "at", "in" };

	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (fold_eq(d, i, words[k]))
			return true;
	return false;
}

static bool run_continues(const struct doc *d, size_t b, size_t i, size_t lim,
			  bool headline)
{
	int64_t t;

	/* "Ltd." and "Inc." end a name: "... Ltd. It said" (but not
	 * "Pte. Ltd."). */
	if (i > b && (d->toks[i - 1].flags & XREF_TOK_ABBREV) &&
	    suffix_word(d, i - 1, &t) &&
	    !(is_word(d, i) && suffix_word(d, i, &t)))
		return false;
	/* "European People's Party", "Workers' Party" */
	if ((d->toks[i].flags & XREF_TOK_POSSESSIVE) && !headline &&
	    i + 1 < lim && is_upper(d, i + 1) && suffix_word(d, i + 1, &t) &&
	    (i + 2 >= lim || !is_word(d, i + 2) ||
	     (!is_upper(d, i + 2) && !(tok_wbits(d, i + 2) & KB_PARTICLE))))
		return true;
	if (is_word(d, i)) {
		if (d->toks[i].flags & XREF_TOK_DIGIT)
			return false;
		if (is_upper(d, i)) {
			if (tok_wbits(d, i) & KB_CALENDAR)
				return false;
			if (headline &&
			    (tok_wbits(d, i) & (KB_COMMON | KB_STOP)))
				return false;
			return true;
		}
		/* A particle joins two capitalised words ("Bank of
		 * America", "bin Salman"); lowercase words end the run. */
		return !headline && i + 1 < lim && is_upper(d, i + 1) &&
		       !(tok_wbits(d, i) & KB_CALENDAR) &&
		       (tok_wbits(d, i) & KB_PARTICLE) &&
		       !fold_eq(d, i, "and") &&
		       (!org_particle(d, i) || head_type(d, b) >= 0);
	}
	return is_joiner(d, i) && i + 1 < lim && is_upper(d, i + 1);
}

/* A word glued to the punctuation of an address or path ("example.com",
 * "q=forensic", "/p132/Beginner"): never part of a name. A word token
 * never holds ':' or '/' itself (the segmenter ends words at punctuation
 * other than the periods and commas of numbers and abbreviations), so
 * only the token before it is looked at. */
static bool in_address(const struct doc *d, size_t i)
{
	if (i > 0 && (d->toks[i].flags & XREF_TOK_ATTACHED)) {
		const struct xref_token *p = &d->seg->tokens[i - 1];
		char ch = d->text[p->end - 1];

		if ((d->toks[i - 1].flags & XREF_TOK_PUNCT) &&
		    (ch == '/' || ch == ':' || ch == '=' || ch == '?' ||
		     ch == '#' || ch == '%' || ch == '~' || ch == '.'))
			return true;
	}
	return false;
}

/*
 * In headlines, known names may contain common words ("United Arab
 * Emirates", "Defense Ministry"): extends the run [i, *j) that the scan
 * found in a headline-case sentence ending at lim over them. 0 or
 * XREF_ENOMEM.
 */
static int headline_run(struct doc *d, size_t i, size_t lim,
			struct xref_buf *tmp, size_t *j)
{
	size_t end;
	int32_t entry;
	int found = gaz_match(d, i, lim, tmp, &end, &entry);

	if (found < 0)
		return found;
	if (found && end > *j)
		*j = end;
	while (*j < lim && is_upper(d, *j)) {
		if (suffix_type(d, i, *j + 1, tmp) != XREF_TYPE_GOVERNMENT) {
			/* or a state body whose name goes on */
			if (*j + 1 >= lim || !is_upper(d, *j + 1) ||
			    suffix_type(d, i, *j + 2, tmp) !=
				    XREF_TYPE_GOVERNMENT)
				break;
			found = gaz_match(d, i, *j, tmp, &end, &entry);
			if (found <= 0)
				return found;
		}
		(*j)++;
	}
	return 0;
}

static int scan_sentence(struct doc *d, size_t s, struct xref_buf *tmp)
{
	const struct xref_sentence *sen = &d->seg->sentences[s];
	const struct xref_paragraph *par = &d->seg->paragraphs[sen->paragraph];
	bool headline = is_headline(d, s);
	size_t i = sen->tok_begin, lim = sen->tok_end;
	int err = 0;

	/* Dateline: "JAKARTA -" opening a paragraph. */
	if (s == par->sent_begin && i < lim && is_word(d, i) &&
	    (d->toks[i].flags & XREF_TOK_ALLCAPS)) {
		size_t j = i;

		while (j < lim && is_word(d, j) &&
		       (d->toks[j].flags & XREF_TOK_ALLCAPS))
			j++;
		if (j < lim && j - i <= 3 && is_dash(d, j)) {
			size_t end;
			int32_t entry;
			int found = gaz_match(d, i, j, tmp, &end, &entry);

			if (found < 0)
				return found;
			if (found && end == j &&
			    d->kb->entries[entry].type != XREF_TYPE_TARGET) {
				err = add_gaz_cand(d, i, j, s, entry, false);
			} else {
				char *name = span_text(d, i, j);

				err = add_cand(d, i, j, s, XREF_TYPE_LOCATION,
					       name ? title_case(name) : NULL,
					       "dateline", STRENGTH_PATTERN,
					       false);
			}
			if (err)
				return err;
			i = j + 1;
		}
	}

	while (i < lim) {
		size_t end, j;
		int32_t entry;
		bool ordinary;
		int found;

		if (!is_word(d, i) || in_address(d, i)) {
			i++;
			continue;
		}
		/* Target nouns and other lowercase-matching entries (a
		 * lowercase word can start nothing else, and most start
		 * nothing at all). */
		if ((!is_upper(d, i) && d->toks[i].lower_start) ||
		    (is_upper(d, i) && (d->toks[i].flags & XREF_TOK_FIRST))) {
			found = gaz_match(d, i, lim, tmp, &end, &entry);
			if (found < 0)
				return found;
			if (found &&
			    ((d->kb->entries[entry].flags & KB_LOWER_OK) ||
			     lowercase_place(d, i, end, &d->kb->entries[entry]))) {
				err = add_gaz_cand(d, i, end, s, entry, headline);
				if (err)
					return err;
				i = end;
				continue;
			}
		}
		if (!is_upper(d, i) || (d->toks[i].flags & XREF_TOK_DIGIT)) {
			i++;
			continue;
		}
		if ((tok_wbits(d, i) & KB_CALENDAR) &&
		    !(d->toks[i].flags & XREF_TOK_ALLCAPS)) {
			i++;
			continue;
		}
		/* A sentence-initial ordinary word is not a name ("Touching
		 * on cyber...", "Countries that..."), unless a known name
		 * starts there ("United States") or the run it starts ends
		 * in an organisation suffix ("Apple Inc."). */
		ordinary = (d->toks[i].flags & XREF_TOK_FIRST || headline) &&
			   (tok_wbits(d, i) & (KB_COMMON | KB_STOP)) &&
			   !(d->toks[i].flags & XREF_TOK_ALLCAPS) &&
			   !(tok_wbits(d, i) &
			     (KB_OFFICE | KB_HONORIFIC | KB_TITLE_PART));
		if (ordinary) {
			found = gaz_match(d, i, lim, tmp, &end, &entry);
			if (found < 0)
				return found;
			ordinary = !found;
		}
		if (ordinary) {
			bool keep = false;

			if (!headline && !(tok_wbits(d, i) & KB_STOP)) {
				j = i + 1;
				while (j < lim && run_continues(d, i, j, lim, false))
					j++;
				keep = j - i >= 2 &&
				       (suffix_type(d, i, j, tmp) >= 0 ||
					head_type(d, i) >= 0);
			}
			if (!keep) {
				i++;
				continue;
			}
		}
		j = i + 1;
		while (j < lim && run_continues(d, i, j, lim, headline))
			j++;
		if (headline)
			err = headline_run(d, i, lim, tmp, &j);
		if (!err)
			err = read_run(d, i, j, s, headline, tmp);
		if (err)
			return err;
		i = j;
	}
	return 0;
}

/*
 * The tagger layer: spans a statistical tagger finds in sentence s are
 * added as guesses wherever no rule found anything, so the document pass
 * types, confirms or drops them like any unknown name.
 */
static int tag_sentence(struct doc *d, size_t s)
{
	const struct xref_sentence *sen = &d->seg->sentences[s];
	struct xref_tagged_span spans[64];
	size_t n = 0, first = d->nc;
	int err;

	err = d->r->tagger(spans, sizeof(spans) / sizeof(*spans), &n, d->text,
			   d->seg->tokens + sen->tok_begin,
			   sen->tok_end - sen->tok_begin, d->r->tagger_ctx);
	if (err)
		return err;
	while (first > 0 && d->c[first - 1].sentence == s)
		first--;
	for (size_t k = 0; k < n && k < sizeof(spans) / sizeof(*spans); k++) {
		size_t tb = sen->tok_begin + spans[k].tok_begin;
		size_t te = sen->tok_begin + spans[k].tok_end;
		bool taken = false;

		if (spans[k].tok_begin >= spans[k].tok_end || te > sen->tok_end ||
		    (unsigned)spans[k].type >= XREF_TYPE_COUNT)
			continue;
		for (size_t j = first; j < d->nc && !taken; j++)
			if (d->c[j].sentence == s && d->c[j].tb < te && tb < d->c[j].te)
				taken = true;
		if (taken)
			continue;
		err = add_cand(d, tb, te, s, spans[k].type, span_text(d, tb, te),
			       "tagger", STRENGTH_PATTERN, false);
		if (err)
			return err;
	}
	/* keep candidates in text order */
	for (size_t i = first + 1; i < d->nc; i++)
		for (size_t j = i; j > first && d->c[j - 1].tb > d->c[j].tb; j--) {
			struct cand t = d->c[j];

			d->c[j] = d->c[j - 1];
			d->c[j - 1] = t;
		}
	return 0;
}

enum { WORD_FIRST = 1, WORD_LAST = 2 };

/* key_of[] of a name whose key is not computed yet. */
#define KEY_UNSET INT64_MIN

/* Where the folded word w stands in a folded multi-word name: WORD_FIRST,
 * WORD_LAST, both, or 0. */
static unsigned word_pos(const char *folded, const char *w, size_t wlen)
{
	const char *last = strrchr(folded, ' ');
	unsigned pos = 0;

	if (strncmp(folded, w, wlen) == 0 && folded[wlen] == ' ')
		pos |= WORD_FIRST;
	if (last && strlen(last + 1) == wlen && strncmp(last + 1, w, wlen) == 0)
		pos |= WORD_LAST;
	return pos;
}

/* The initials of a folded name ("defense export controls agency" ->
 * "deca"), skipping particles. */
static void initials(const struct xref_kb *kb, const char *folded, char *out,
		     size_t cap)
{
	size_t n = 0;
	const char *w = folded;

	while (*w && n + 1 < cap) {
		const char *e = strchr(w, ' ');
		size_t len = e ? (size_t)(e - w) : strlen(w);

		if (!(xref_kb_word(kb, w, len) & KB_PARTICLE))
			out[n++] = *w;
		if (!e)
			break;
		w = e + 1;
	}
	out[n] = '\0';
}

/* Gives candidate c another candidate's or a table entry's name, which
 * lives as long as the document. */
static void set_name(struct cand *c, const char *name, enum xref_type type,
		     const char *rule)
{
	c->name = name;
	c->type = type;
	c->rule = rule;
}

/* The document's country into *out: the one mentioned most (first on
 * ties), or -1. Counts in a map keyed by the entry index, so a document
 * naming many countries stays linear. 0 or XREF_ENOMEM. */
static int doc_country(const struct doc *d, int32_t *out)
{
	struct xref_strmap counts;
	int64_t best_n = 0;
	int err = 0;

	*out = -1;
	xref_strmap_init(&counts);
	for (size_t i = 0; i < d->n_countries && !err; i++) {
		int64_t n = 0;
		const char *key = (const char *)&d->countries[i];

		xref_strmap_get(&counts, key, sizeof(d->countries[i]), &n);
		err = xref_strmap_put(&counts, key, sizeof(d->countries[i]), n + 1);
	}
	for (size_t i = 0; i < d->n_countries && !err; i++) {
		int64_t n = 0;

		xref_strmap_get(&counts, (const char *)&d->countries[i],
				sizeof(d->countries[i]), &n);
		if (n > best_n) {
			best_n = n;
			*out = d->countries[i];
		}
	}
	xref_strmap_release(&counts);
	return err;
}

static bool fold_in(const struct doc *d, size_t i, const char *const *list,
		    size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (fold_eq(d, i, list[k]))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m + 2 && strcmp(s + n - m, suffix) == 0;
}

/* Tokens that look like file names, addresses or handles. */
static bool odd_token(const struct doc *d, size_t i)
{
	const struct xref_token *t = &d->seg->tokens[i];

	for (size_t k = t->start; k < t->end; k++) {
		char ch = d->text[k];

		if (ch == '@' || ch == '/' || ch == '_' ||
		    (ch == '.' && k + 1 < t->end &&
		     islower((unsigned char)d->text[k + 1])))
			return true;
	}
	return false;
}

/* A name glued to a file extension or an address ("Lisa_resume.doc",
 * "API.pdf", "Griffith@ENRON"). */
static bool odd_context(const struct doc *d, const struct cand *c)
{
	size_t n = d->seg->n_tokens;

	if (c->te + 1 < n && (d->toks[c->te].flags & XREF_TOK_ATTACHED) &&
	    (d->toks[c->te + 1].flags & XREF_TOK_ATTACHED) &&
	    is_punct_char(d, c->te, '.') && is_word(d, c->te + 1) &&
	    !is_upper(d, c->te + 1))
		return true;
	if (c->te < n && (d->toks[c->te].flags & XREF_TOK_ATTACHED) &&
	    (is_punct_char(d, c->te, '_') || is_punct_char(d, c->te, '@')))
		return true;
	if (c->tb > 0 && (d->toks[c->tb].flags & XREF_TOK_ATTACHED) &&
	    (is_punct_char(d, c->tb - 1, '_') || is_punct_char(d, c->tb - 1, '@')))
		return true;
	return false;
}

/* Does candidate j support a name seen at a sentence start elsewhere: not
 * dropped, and not itself a lone word opening a sentence? */
static bool supports_name(const struct doc *d, size_t j)
{
	return !d->c[j].dropped &&
	       (!(d->toks[d->c[j].tb].flags & XREF_TOK_FIRST) ||
		d->c[j].te - d->c[j].tb > 1);
}

/* Drops guess i, keeping the count of supporting mentions per name. */
static void drop_guess(struct doc *d, const size_t *fid, size_t *support,
		       size_t i)
{
	if (supports_name(d, i))
		support[fid[i]]--;
	d->c[i].dropped = true;
}

enum { CUE_PER, CUE_ORG, CUE_LOC, CUE_N };

/* Bits of the filter in type_guesses (a power of two): a few dozen lone
 * guesses a document leave most bits clear. */
#define LOWER_FILTER_BITS 4096

/* Adds `weight` for the type a descriptor noun at token k suggests. */
static bool add_descriptor(const struct doc *d, size_t k, int score[CUE_N],
			   int weight)
{
	int64_t t;

	if (tok_wbits(d, k) & (KB_OFFICE | KB_HONORIFIC))
		t = XREF_TYPE_PERSON; /* "foreign minister Péter Szijjártó" */
	else if (!xref_strmap_get(&d->kb->descriptors, tok_fold(d, k),
				  d->toks[k].fold_len, &t))
		return false;
	if (t == XREF_TYPE_PERSON)
		score[CUE_PER] += weight;
	else if (t == XREF_TYPE_LOCATION)
		score[CUE_LOC] += weight;
	else
		score[CUE_ORG] += weight;
	return true;
}

/*
 * Evidence for the type of an unknown name from the words around it:
 * "in X", "near X" suggest a place, "X, Ohio" a place, "X said" or
 * "X, who" a person, an all-capitals word an organisation; a few place-name
 * endings ("-ville", "-shire") a place.
 */
static void cue_score(const struct doc *d, const struct cand *c, size_t idx,
		      int score[CUE_N])
{
	static const char *const loc_prev[] = {
		"in", "near", "from", "into", "across", "outside", "inside",
		"throughout", "via", "toward", "towards", "around", "between",
	};
	static const char *const per_next[] = { "who", "whom", "himself", "herself" };
	static const char *const per_weak[] = {
		"was", "is", "also", "has", "had", "became", "joined", "won",
		"played", "died", "married", "returned", "served",
	};
	static const char *const loc_end[] = {
		"ville", "burg", "bourg", "borough", "bury", "shire", "stadt",
		"grad", "abad", "pur", "pura", "ton",
	};
	const struct xref_sentence *sen = &d->seg->sentences[c->sentence];
	size_t prev = c->tb, next = c->te;

	if (prev > sen->tok_begin && is_word(d, prev - 1) &&
	    fold_in(d, prev - 1, loc_prev, sizeof(loc_prev) / sizeof(*loc_prev)))
		score[CUE_LOC] += 2;
	if (prev > sen->tok_begin && fold_eq(d, prev - 1, "of"))
		score[CUE_LOC] += 1;
	if (next < sen->tok_end && is_word(d, next)) {
		if (fold_in(d, next, per_next, sizeof(per_next) / sizeof(*per_next)) ||
		    (tok_wbits(d, next) & KB_SPEECH))
			score[CUE_PER] += 3;
		else if (fold_in(d, next, per_weak,
				 sizeof(per_weak) / sizeof(*per_weak)))
			score[CUE_PER] += 1;
	}
	if (next + 1 < sen->tok_end && is_punct_char(d, next, ',') &&
	    fold_in(d, next + 1, per_next, sizeof(per_next) / sizeof(*per_next)))
		score[CUE_PER] += 3;
	/* "Blackburn, Lancashire": a known place right after a comma. */
	if (idx + 1 < d->nc && is_punct_char(d, next, ',') &&
	    d->c[idx + 1].tb == next + 1 && d->c[idx + 1].strength == STRENGTH_KNOWN &&
	    (d->c[idx + 1].type == XREF_TYPE_LOCATION ||
	     d->c[idx + 1].type == XREF_TYPE_COUNTRY) &&
	    !(d->c[idx + 1].te < sen->tok_end &&
	      (d->toks[d->c[idx + 1].te].flags & XREF_TOK_POSSESSIVE)))
		score[CUE_LOC] += 3;
	/* "Florence Parly, France's armed forces minister" */
	if (next + 1 < sen->tok_end && is_punct_char(d, next, ',')) {
		size_t k = next + 1;

		if (k + 1 < sen->tok_end && is_upper(d, k) &&
		    (d->toks[k + 1].flags & XREF_TOK_POSSESSIVE))
			k += 2;
		for (size_t m = k; m < sen->tok_end && m < k + 4; m++) {
			if (!is_word(d, m) || is_upper(d, m))
				break;
			if (tok_wbits(d, m) & (KB_OFFICE | KB_HONORIFIC)) {
				score[CUE_PER] += 3;
				break;
			}
		}
	}
	/* "the nonprofit Forbidden Stories", "singer Shakira", and the
	 * apposition "Duane Bobick, a boxer". */
	for (size_t k = prev; k > sen->tok_begin && k + 3 > prev; k--) {
		if (!is_word(d, k - 1) || is_upper(d, k - 1) ||
		    (tok_wbits(d, k - 1) & KB_STOP))
			break;
		if (add_descriptor(d, k - 1, score, k == prev ? 4 : 3))
			break;
	}
	if (next + 2 < sen->tok_end &&
	    (is_punct_char(d, next, ',') || fold_eq(d, next, "is") ||
	     fold_eq(d, next, "was")) &&
	    (fold_eq(d, next + 1, "a") || fold_eq(d, next + 1, "an") ||
	     fold_eq(d, next + 1, "the"))) {
		/* "X, a boxer", "X is a village" */
		for (size_t k = next + 2; k < sen->tok_end && k < next + 5; k++) {
			if (!is_word(d, k) || is_upper(d, k))
				break;
			if (add_descriptor(d, k, score, 3))
				break;
		}
	}
	if (c->te - c->tb == 1 && (d->toks[c->tb].flags & XREF_TOK_ALLCAPS))
		score[CUE_ORG] += 2;
	if (c->te - c->tb == 1 && (tok_wbits(d, c->tb) & KB_GIVEN))
		score[CUE_PER] += 2;
	if (c->te - c->tb == 1) {
		const char *w = tok_fold(d, c->tb);

		for (size_t k = 0; k < sizeof(loc_end) / sizeof(*loc_end); k++)
			if (ends_with(w, loc_end[k]))
				score[CUE_LOC] += 1;
	}
}

/* May the document write the word of hash h in lowercase? False means
 * certainly not. */
static bool lower_seen(const struct doc *d, uint64_t h)
{
	uint64_t bit = h % LOWER_SEEN_BITS;

	return (d->lower_seen[bit / 64] >> (bit % 64)) & 1;
}

/*
 * Unknown names: drop single ordinary words ("Famous", or a word the
 * document also writes in lowercase), then give each remaining name the
 * type its contexts suggest, pooled over every mention of that name in the
 * document; organisation when nothing suggests otherwise.
 */
static int type_guesses(struct doc *d, const size_t *fid, size_t n_ids)
{
	struct xref_strmap lower;
	/* a filter on the words of `lower`, by their hashes: most lowercase
	 * words of the document are none of them */
	uint64_t maybe[LOWER_FILTER_BITS / 64] = { 0 };
	size_t *support = NULL, *seen = NULL;
	int (*score)[CUE_N] = NULL;
	bool any = false;
	int err = 0;

	xref_strmap_init(&lower);
	support = calloc(n_ids ? n_ids : 1, sizeof(*support));
	seen = calloc(n_ids ? n_ids : 1, sizeof(*seen));
	score = calloc(n_ids ? n_ids : 1, sizeof(*score));
	if (!support || !seen || !score) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	/* Mentions that support each name (see below), and the words of the
	 * lone-word guesses, to be looked for in lowercase. */
	for (size_t i = 0; i < d->nc && !err; i++) {
		const struct cand *c = &d->c[i];

		if (supports_name(d, i))
			support[fid[i]]++;
		/* a word the document never writes in lowercase needs no
		 * looking for (most of them) */
		if (c->strength == STRENGTH_GUESS && !c->dropped &&
		    c->te - c->tb == 1 && d->toks[c->tb].fold_len &&
		    lower_seen(d, d->toks[c->tb].hash)) {
			uint64_t bit = d->toks[c->tb].hash % LOWER_FILTER_BITS;

			err = xref_strmap_put(&lower, tok_fold(d, c->tb),
					      d->toks[c->tb].fold_len, 0);
			maybe[bit / 64] |= (uint64_t)1 << (bit % 64);
			any = true;
		}
	}
	/* Which of those words the document also writes in lowercase. */
	for (size_t i = 0; any && i < d->seg->n_tokens && !err; i++) {
		const struct tok *t = &d->toks[i];
		uint64_t bit = t->hash % LOWER_FILTER_BITS;
		/* a lowercase word (not is_upper) that may be one of them,
		 * tested without a branch per condition */
		bool may = ((t->flags & (XREF_TOK_WORD | XREF_TOK_UPPER |
					 XREF_TOK_ALLCAPS)) == XREF_TOK_WORD) &
			   (t->fold_len != 0) &
			   (bool)((maybe[bit / 64] >> (bit % 64)) & 1);

		if (may &&
		    xref_strmap_get_hashed(&lower, d->toks[i].hash,
					   tok_fold(d, i), d->toks[i].fold_len,
					   NULL))
			err = xref_strmap_put(&lower, tok_fold(d, i),
					      d->toks[i].fold_len, 1);
	}
	for (size_t i = 0; i < d->nc && !err; i++) {
		struct cand *c = &d->c[i];
		int64_t lc = 0;

		if (c->strength != STRENGTH_GUESS || c->dropped ||
		    c->te - c->tb != 1)
			continue;
		/* A lone letter ("X") is never a name, nor is a file name or an
		 * address ("notes.pdf", "a@b"). */
		if (d->toks[c->tb].fold_len <= 1 || odd_token(d, c->tb) ||
		    odd_context(d, c)) {
			drop_guess(d, fid, support, i);
			continue;
		}
		/* A sentence-initial word that nothing else in the document
		 * supports ("Kindest regards"): no other mention of the same
		 * name that is not dropped, not a lone word opening a
		 * sentence (which this one is, so it never counts itself). */
		if ((d->toks[c->tb].flags & XREF_TOK_FIRST) &&
		    !(d->toks[c->tb].flags & XREF_TOK_ALLCAPS) &&
		    !(tok_wbits(d, c->tb) & KB_GIVEN) && !support[fid[i]]) {
			drop_guess(d, fid, support, i);
			continue;
		}
		if ((tok_wbits(d, c->tb) & (KB_COMMON | KB_NONAME)) ||
		    (xref_strmap_get(&lower, tok_fold(d, c->tb),
				     d->toks[c->tb].fold_len, &lc) &&
		     lc == 1))
			drop_guess(d, fid, support, i);
	}
	if (err)
		goto out;

	/* Shouting ("AMAZING JOB", "SERVERS"): all-capitals guesses made of
	 * ordinary words, or single all-capitals words too long for an
	 * acronym. */
	for (size_t i = 0; i < d->nc; i++) {
		struct cand *c = &d->c[i];
		bool caps = true, common = false;

		if (c->strength != STRENGTH_GUESS || c->dropped)
			continue;
		for (size_t k = c->tb; k < c->te; k++) {
			if (!is_word(d, k))
				continue;
			if (!(d->toks[k].flags & XREF_TOK_ALLCAPS))
				caps = false;
			if (tok_wbits(d, k) & (KB_COMMON | KB_STOP))
				common = true;
		}
		if (caps && (common || (c->te - c->tb == 1 &&
					 d->toks[c->tb].fold_len > 5)))
			c->dropped = true;
		if (odd_context(d, c))
			c->dropped = true;
	}

	/* The cues of every mention of a name, pooled per name. Dropping a
	 * guess below only ever drops the last remaining mention of its name,
	 * so the pools stay as they are computed here. */
	for (size_t j = 0; j < d->nc; j++)
		if (d->c[j].strength == STRENGTH_GUESS && !d->c[j].dropped) {
			cue_score(d, &d->c[j], j, score[fid[j]]);
			seen[fid[j]]++;
		}
	for (size_t i = 0; i < d->nc; i++) {
		int sc[CUE_N];
		struct cand *c = &d->c[i];
		enum xref_type t = XREF_TYPE_ORGANIZATION;
		bool ordinary = true;

		if (c->strength != STRENGTH_GUESS || c->dropped)
			continue;
		memcpy(sc, score[fid[i]], sizeof(sc));
		/* A one-off title-case phrase of ordinary words ("Combo
		 * Meal", "Coming Soon") with nothing around it saying it
		 * names something is not kept. */
		for (size_t k = c->tb; k < c->te; k++)
			if (is_word(d, k) &&
			    !(tok_wbits(d, k) &
			      (KB_COMMON | KB_STOP | KB_PARTICLE | KB_NONAME)))
				ordinary = false;
		/* Likewise a lone capitalised word seen once with no cue, and
		 * an acronym used once that the document never defines
		 * ("FYI", "RFP"): the all-capitals cue alone is not enough. */
		if (c->te - c->tb == 1 && seen[fid[i]] == 1) {
			ordinary = true;
			if (d->toks[c->tb].flags & XREF_TOK_ALLCAPS)
				sc[CUE_ORG] -= 2;
		}
		if (ordinary && seen[fid[i]] == 1 &&
		    sc[CUE_PER] + sc[CUE_ORG] + sc[CUE_LOC] <= 0) {
			c->dropped = true;
			continue;
		}
		if (sc[CUE_PER] > sc[CUE_ORG] && sc[CUE_PER] >= sc[CUE_LOC])
			t = XREF_TYPE_PERSON;
		else if (sc[CUE_LOC] > sc[CUE_ORG] && sc[CUE_LOC] > sc[CUE_PER])
			t = XREF_TYPE_LOCATION;
		c->type = t;
	}
out:
	free(support);
	free(seen);
	free(score);
	xref_strmap_release(&lower);
	return err;
}

/* Makes candidate c the government of its country, spanning [tb, te). */
static int make_government(struct doc *d, struct cand *c, size_t tb, size_t te)
{
	struct xref_buf nb = XREF_BUF_INIT;
	int err = xref_buf_printf(&nb, "Government of %s",
				  d->kb->entries[c->country].name);

	if (!err)
		c->name = pool_strndup(d, nb.ptr, nb.len);
	xref_buf_release(&nb);
	if (err)
		return err;
	if (!c->name)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	c->tb = tb;
	c->te = te;
	c->type = XREF_TYPE_GOVERNMENT;
	c->rule = "state-body";
	c->strength = STRENGTH_PATTERN;
	c->dropped = false;
	return 0;
}

/*
 * "the Mexican government", "Rwanda's government", "the government of
 * Rwanda" name a state as an actor: a government entity. The plural ("the
 * governments of Azerbaijan, Bahrain...") keeps the countries.
 */
static int government_phrases(struct doc *d)
{
	size_t n = d->seg->n_tokens;

	for (size_t i = 0; i < d->nc; i++) {
		struct cand *c = &d->c[i];
		const struct xref_sentence *sen = &d->seg->sentences[c->sentence];
		size_t k = c->te;
		int err = 0;

		if (c->type != XREF_TYPE_COUNTRY || c->strength != STRENGTH_KNOWN ||
		    c->country < 0)
			continue;
		if (k < n && k < sen->tok_end &&
		    (d->toks[k].flags & XREF_TOK_POSSESSIVE) &&
		    !(d->kb->entries[c->country].flags & KB_DEMONYM))
			k++;
		if (k < sen->tok_end && fold_eq(d, k, "government"))
			err = make_government(d, c, c->tb, k + 1);
		else if (c->tb >= sen->tok_begin + 2 &&
			 fold_eq(d, c->tb - 1, "of") &&
			 fold_eq(d, c->tb - 2, "government") &&
			 !(c->dropped))
			err = make_government(d, c, c->tb - 2, c->te);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Where each word stands in the longer names of a document, for the short
 * forms: for one word (a first word, a last word or the initials of a
 * name), per type, the first candidate of that type whose name has it, and
 * one candidate of that type with another name. That is all the short-form
 * rule asks of the names a word matches (the first match, whether another
 * name matches too, and whether that name has another type), so each short
 * form costs one lookup however many names share its word.
 */
struct word_hits {
	size_t first[XREF_TYPE_COUNT];
	size_t other[XREF_TYPE_COUNT];
};

struct word_index {
	struct xref_strmap map; /* word -> index in v */
	struct word_hits *v;
	size_t n, cap;
	bool built;
};

static void word_index_release(struct word_index *wi)
{
	xref_strmap_release(&wi->map);
	free(wi->v);
	memset(wi, 0, sizeof(*wi));
}

/* Adds candidate j (type t, interned name fid[j]) under word w[0..len). */
static int word_index_add(struct word_index *wi, const char *w, size_t len,
			  size_t j, enum xref_type t, const size_t *fid)
{
	struct word_hits *h;
	int64_t at = 0;
	bool added = false;
	int err;

	/* room for a new word first, so that adding it cannot fail after
	 * the map has it */
	if (wi->n == wi->cap) {
		size_t cap = wi->cap ? wi->cap * 2 : 16;
		struct word_hits *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return xref_error_set(XREF_ENOMEM, "too many names");
		p = realloc(wi->v, cap * sizeof(*p));
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		wi->v = p;
		wi->cap = cap;
	}
	err = xref_strmap_intern(&wi->map, w, len, (int64_t)wi->n, &at,
				 &added);
	if (err)
		return err;
	if (added) {
		h = &wi->v[wi->n++];
		for (int k = 0; k < XREF_TYPE_COUNT; k++)
			h->first[k] = h->other[k] = SIZE_MAX;
	}
	h = &wi->v[at];
	if (h->first[t] == SIZE_MAX) {
		h->first[t] = j;
	} else if (j < h->first[t]) {
		/* the old first has another name: it becomes the other one;
		 * else the other one still differs from the new first */
		if (fid[h->first[t]] != fid[j])
			h->other[t] = h->first[t];
		h->first[t] = j;
	} else if (h->other[t] == SIZE_MAX && fid[j] != fid[h->first[t]]) {
		h->other[t] = j;
	}
	return 0;
}

static const struct word_hits *word_index_get(const struct word_index *wi,
					      const char *w, size_t len)
{
	int64_t at;

	if (!xref_strmap_get(&wi->map, w, len, &at))
		return NULL;
	return &wi->v[at];
}

/* May candidate j be the longer name a short form stands for? */
static bool long_form(const struct doc *d, size_t j)
{
	const struct cand *f = &d->c[j];

	return !f->dropped && !f->headline &&
	       memchr(d->folded[j], ' ', d->flen[j]) &&
	       f->type != XREF_TYPE_TARGET && f->type != XREF_TYPE_COUNTRY &&
	       f->type != XREF_TYPE_LOCATION;
}

/* Indexes long form j by its first word, by its last word when a short form
 * may be its last word (a person's surname, or an unknown name that may
 * turn out to be a person), and by its initials, in the indexes built so
 * far (each is built when first needed). */
static int index_long_form(const struct doc *d, const size_t *fid, size_t j,
			   struct word_index *wi)
{
	const struct cand *f = &d->c[j];
	const char *name = d->folded[j], *sp = strchr(name, ' ');
	int err = 0;

	if (wi[0].built)
		err = word_index_add(&wi[0], name, (size_t)(sp - name), j,
				     f->type, fid);
	if (!err && wi[1].built &&
	    (f->type == XREF_TYPE_PERSON || f->strength == STRENGTH_GUESS)) {
		const char *last = strrchr(name, ' ') + 1;

		err = word_index_add(&wi[1], last, strlen(last), j, f->type,
				     fid);
	}
	if (!err && wi[2].built) {
		char ini[32];

		initials(d->kb, name, ini, sizeof(ini));
		err = word_index_add(&wi[2], ini, strlen(ini), j, f->type, fid);
	}
	return err;
}

/*
 * Fills the indexes from scratch with every long form, in order: all three
 * but the initials' (only that one with `initials_only`). A long form with
 * the name, type and index set of an earlier one is left out, since it
 * would change nothing: filled in order, a word's first candidate of a
 * type never moves, and its other one is already set (or the first has
 * the same name). The names of a document repeat, so that is most of them.
 */
static int index_all(const struct doc *d, const size_t *fid, size_t n_ids,
		     struct word_index *wi, bool initials_only)
{
	uint16_t *seen = calloc(n_ids ? n_ids : 1, sizeof(*seen));
	int err = 0;

	_Static_assert(XREF_TYPE_COUNT <= 8, "two bits a type in 16");
	if (!seen)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	for (size_t j = 0; j < d->nc && !err; j++) {
		const struct cand *f = &d->c[j];
		/* two bits a type: whether it goes in the last words too */
		unsigned bit = 2u * (unsigned)f->type +
			       (!initials_only &&
				(f->type == XREF_TYPE_PERSON ||
				 f->strength == STRENGTH_GUESS));

		if (!long_form(d, j) || (seen[fid[j]] >> bit) & 1)
			continue;
		seen[fid[j]] |= (uint16_t)(1u << bit);
		if (initials_only) {
			char ini[32];

			initials(d->kb, d->folded[j], ini, sizeof(ini));
			err = word_index_add(&wi[2], ini, strlen(ini), j, f->type,
					     fid);
		} else {
			err = index_long_form(d, fid, j, wi);
		}
	}
	free(seen);
	return err;
}

/* The interned id of a folded name: equal names, equal ids. */
static int intern(struct xref_strmap *ids, size_t *n_ids, const char *folded,
		  size_t len, size_t *id)
{
	int64_t v = 0;
	bool added = false;
	int err = xref_strmap_intern(ids, folded, len, (int64_t)*n_ids, &v,
				     &added);

	*id = (size_t)v;
	*n_ids += added;
	return err;
}

/* "Israel's Ministry of Defense": a possessive country just before state
 * body i is its country, which the body's mention takes in (the earlier
 * candidate ending there, repeatedly, as the body grows). `head` and `next`
 * list the candidates by the token where they end, in index order, built
 * on first use. */
static int possessive_country(struct doc *d, size_t i, int32_t *country,
			      size_t **head, size_t **next)
{
	struct cand *c = &d->c[i];
	size_t from = 0;

	if (!*head) {
		size_t n = d->seg->n_tokens + 1;

		if (n > SIZE_MAX / sizeof(**head) ||
		    d->nc > SIZE_MAX / sizeof(**next))
			return xref_error_set(XREF_ENOMEM, "document too large");
		*head = malloc(n * sizeof(**head));
		*next = malloc(d->nc * sizeof(**next));
		if (!*head || !*next)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		for (size_t k = 0; k < n; k++)
			(*head)[k] = SIZE_MAX;
		for (size_t j = d->nc; j-- > 0;) {
			(*next)[j] = (*head)[d->c[j].te];
			(*head)[d->c[j].te] = j;
		}
	}
	while (c->tb > 0) {
		size_t j = (*head)[c->tb - 1];

		while (j != SIZE_MAX &&
		       (j < from || d->c[j].type != XREF_TYPE_COUNTRY ||
			d->c[j].country < 0))
			j = (*next)[j];
		if (j == SIZE_MAX || j >= i)
			break;
		*country = d->c[j].country;
		c->tb = d->c[j].tb;
		d->c[j].dropped = true;
		from = j + 1;
	}
	return 0;
}

/*
 * Document-level resolution: short forms, initialisms and acronyms to full
 * names; countries for state bodies; headline guesses confirmed or dropped.
 * Linear in the number of candidates: names are interned and words indexed,
 * so no step compares every candidate with every other.
 */
static int resolve(struct doc *d, struct xref_buf *tmp)
{
	const struct xref_kb *kb = d->kb;
	int32_t home = -1;
	/* folded, fid and n_ids stay with the document, for emit() */
	const char **folded = NULL;
	size_t *fid = NULL, *plain = NULL, n_ids = 0;
	size_t *by_end = NULL, *next_end = NULL;
	struct xref_strmap ids;
	struct word_index wi[3]; /* by first word, last word, initials */
	int err = 0;

	xref_strmap_init(&ids);
	memset(wi, 0, sizeof(wi));
	if (d->nc && d->nc > SIZE_MAX / sizeof(*folded))
		return xref_error_set(XREF_ENOMEM, "too many mentions");
	folded = d->folded = calloc(d->nc ? d->nc : 1, sizeof(*folded));
	d->flen = calloc(d->nc ? d->nc : 1, sizeof(*d->flen));
	fid = d->fid = calloc(d->nc ? d->nc : 1, sizeof(*fid));
	if (!folded || !d->flen || !fid) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}

	err = doc_country(d, &home);
	if (!err)
		err = government_phrases(d);
	if (err)
		goto out;

	/* State bodies take their country; "(Israel)" tells one country's
	 * Ministry of Defense from another's. */
	for (size_t i = 0; i < d->nc; i++) {
		struct cand *c = &d->c[i];
		int32_t country = c->country >= 0 ? c->country : home;
		int64_t idx;

		if (c->type != XREF_TYPE_GOVERNMENT || c->strength == STRENGTH_KNOWN)
			continue;
		if (c->tb >= 2 && (d->toks[c->tb - 1].flags & XREF_TOK_POSSESSIVE)) {
			err = possessive_country(d, i, &country, &by_end,
						 &next_end);
			if (err)
				goto out;
		}
		if (c->generic_body && country >= 0) {
			struct xref_buf nb = XREF_BUF_INIT;

			err = xref_buf_printf(&nb, "%s (%s)", c->name,
					      kb->entries[country].name);
			if (!err)
				c->name = pool_strndup(d, nb.ptr, nb.len);
			xref_buf_release(&nb);
			if (err)
				goto out;
			if (!c->name) {
				err = xref_error_set(XREF_ENOMEM, "out of memory");
				goto out;
			}
		}
		/* A watchlist may name the body ("Ministry of Defense
		 * (Israel)" as an alias). */
		xref_buf_clear(tmp);
		err = xref_utf8_fold_append(tmp, c->name, strlen(c->name));
		if (err)
			goto out;
		if (xref_strmap_get(&kb->gaz, tmp->ptr, tmp->len, &idx) &&
		    kb->entries[idx].source == KB_SRC_WATCHLIST) {
			set_name(c, kb->entries[idx].name,
				 kb->entries[idx].type, "watchlist");
		}
	}

	/* Every name folded: a table entry's still named as the entry has
	 * its fold already; the others go into one buffer (each with its
	 * NUL, its offset in fid meanwhile), whose pointers are taken once
	 * it stops moving. */
	for (size_t i = 0; i < d->nc && !err; i++) {
		const struct cand *c = &d->c[i];
		size_t at = d->fold_names.len;

		if (c->entry >= 0 && c->name == kb->entries[c->entry].name) {
			folded[i] = kb->entries[c->entry].folded;
			d->flen[i] = kb->entries[c->entry].folded_len;
			fid[i] = SIZE_MAX;
			continue;
		}
		err = xref_utf8_fold_append(&d->fold_names, c->name,
					    strlen(c->name));
		d->flen[i] = d->fold_names.len - at;
		fid[i] = at;
		if (!err)
			err = xref_buf_putc(&d->fold_names, '\0');
	}
	for (size_t i = 0; i < d->nc && !err; i++) {
		if (fid[i] != SIZE_MAX)
			folded[i] = d->fold_names.ptr + fid[i];
		err = intern(&ids, &n_ids, folded[i], d->flen[i], &fid[i]);
	}
	if (err)
		goto out;

	/* Acronyms defined in parentheses: "Defense Export Controls Agency
	 * (DECA)". The acronym becomes a mention of the full name. */
	for (size_t i = 0; i + 1 < d->nc; i++) {
		struct cand *full = &d->c[i], *ac = &d->c[i + 1];

		if (ac->te - ac->tb == 1 && ac->tb == full->te + 1 &&
		    is_punct_char(d, full->te, '(') &&
		    (d->toks[ac->tb].flags & XREF_TOK_ALLCAPS) &&
		    ac->strength < STRENGTH_KNOWN && full->strength >= ac->strength) {
			set_name(ac, full->name, full->type, "acronym");
			ac->strength = full->strength;
			folded[i + 1] = folded[i];
			d->flen[i + 1] = d->flen[i];
			fid[i + 1] = fid[i];
		}
	}

	/* Short forms and initialisms: a one-word mention that is a word of
	 * exactly one longer name in this document ("Gantz" -> "Benny
	 * Gantz", "NSO" -> "NSO Group"), or its initials ("DECA"). A short
	 * form resolved here counts as a longer name for the ones after it. */
	for (size_t i = 0; i < d->nc; i++) {
		struct cand *c = &d->c[i];
		const char *w = folded[i];
		size_t wlen = d->flen[i];
		size_t match = SIZE_MAX, n_hits = 0;
		const struct word_hits *hits[3];
		bool ambiguous = false, mixed = false;

		if (c->dropped || c->te - c->tb != 1 ||
		    c->strength == STRENGTH_KNOWN || c->type == XREF_TYPE_TARGET ||
		    memchr(w, ' ', wlen))
			continue;
		if (!wi[0].built) {
			wi[0].built = wi[1].built = true;
			err = index_all(d, fid, n_ids, wi, false);
			if (err)
				goto out;
		}
		/* Any longer name with this first word; a person's (or an
		 * unknown name's) with this last word; the initials. */
		hits[n_hits] = word_index_get(&wi[0], w, wlen);
		n_hits += hits[n_hits] != NULL;
		hits[n_hits] = word_index_get(&wi[1], w, wlen);
		n_hits += hits[n_hits] != NULL;
		if ((d->toks[c->tb].flags & XREF_TOK_ALLCAPS) && wlen >= 2) {
			if (!wi[2].built) {
				wi[2].built = true;
				err = index_all(d, fid, n_ids, wi, true);
				if (err)
					goto out;
			}
			hits[n_hits] = word_index_get(&wi[2], w, wlen);
			n_hits += hits[n_hits] != NULL;
		}
		for (size_t h = 0; h < n_hits; h++)
			for (int t = 0; t < XREF_TYPE_COUNT; t++)
				if (hits[h]->first[t] < match)
					match = hits[h]->first[t];
		for (size_t h = 0; match != SIZE_MAX && h < n_hits; h++) {
			for (int t = 0; t < XREF_TYPE_COUNT; t++) {
				size_t a = hits[h]->first[t], b = hits[h]->other[t];

				if ((a != SIZE_MAX && fid[a] != fid[match]) ||
				    (b != SIZE_MAX && fid[b] != fid[match])) {
					ambiguous = true;
					if ((enum xref_type)t != d->c[match].type)
						mixed = true;
				}
			}
		}
		/* "Bobick" after "Duane Bobick" and "Rodney Bobick": not
		 * merged, but surely a person. */
		if (match != SIZE_MAX && ambiguous && !mixed &&
		    d->c[match].type == XREF_TYPE_PERSON &&
		    c->strength == STRENGTH_GUESS) {
			c->type = d->c[match].type;
			c->strength = STRENGTH_PATTERN;
			c->rule = "shared-name";
			continue;
		}
		if (match != SIZE_MAX && !ambiguous) {
			const struct cand *f = &d->c[match];

			set_name(c, f->name, f->type,
				 word_pos(folded[match], w, wlen) ? "short-form"
								  : "initialism");
			c->strength = f->strength == STRENGTH_GUESS ? STRENGTH_GUESS
								     : STRENGTH_PATTERN;
			c->headline = false;
			folded[i] = folded[match];
			d->flen[i] = d->flen[match];
			fid[i] = fid[match];
			err = index_long_form(d, fid, i, wi);
			if (err)
				goto out;
			continue;
		}
		/* An unknown single word followed by a speech verb is a
		 * person ("Hulio said"). */
		if (c->strength == STRENGTH_GUESS && c->te < d->seg->n_tokens &&
		    !(d->toks[c->tb].flags & XREF_TOK_ALLCAPS) &&
		    (tok_wbits(d, c->te) & KB_SPEECH)) {
			c->type = XREF_TYPE_PERSON;
			c->rule = "speech-verb";
		}
	}

	err = type_guesses(d, fid, n_ids);
	if (err)
		goto out;

	/* Headline guesses stand only when the body confirms them: another
	 * mention of the name outside a headline (dropped or not). */
	plain = calloc(n_ids ? n_ids : 1, sizeof(*plain));
	if (!plain) {
		err = xref_error_set(XREF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < d->nc; j++)
		if (!d->c[j].headline)
			plain[fid[j]]++;
	for (size_t i = 0; i < d->nc; i++) {
		struct cand *c = &d->c[i];

		if (!c->headline || c->strength > STRENGTH_GUESS || c->dropped)
			continue;
		if (!plain[fid[i]])
			c->dropped = true;
	}
out:
	d->n_ids = n_ids;
	free(plain);
	free(by_end);
	free(next_end);
	for (int k = 0; k < 3; k++)
		word_index_release(&wi[k]);
	xref_strmap_release(&ids);
	return err;
}

/* Corporate suffixes dropped from keys ("NSO Group Technologies Ltd" and
 * "NSO Group" are one entity). */
#define SUFFIX_(s) { s, sizeof(s) - 1 }
static const struct {
	const char *s;
	size_t len;
} corp_suffixes[] = {
	SUFFIX_("inc"), SUFFIX_("incorporated"), SUFFIX_("ltd"),
	SUFFIX_("limited"), SUFFIX_("llc"), SUFFIX_("llp"), SUFFIX_("lp"),
	SUFFIX_("plc"), SUFFIX_("corp"), SUFFIX_("corporation"), SUFFIX_("co"),
	SUFFIX_("company"), SUFFIX_("gmbh"), SUFFIX_("ag"), SUFFIX_("sa"),
	SUFFIX_("sas"), SUFFIX_("spa"), SUFFIX_("srl"), SUFFIX_("nv"),
	SUFFIX_("bv"), SUFFIX_("pty"), SUFFIX_("ab"), SUFFIX_("oy"),
	SUFFIX_("kk"), SUFFIX_("group"), SUFFIX_("holdings"),
	SUFFIX_("holding"), SUFFIX_("technologies"),
};
#undef SUFFIX_

/* Does a name end in a possessive ("'s", "’s"), which its key leaves out? */
static size_t possessive_len(const char *name, size_t len)
{
	if (len >= 2 && name[len - 2] == '\'' && name[len - 1] == 's')
		return 2;
	if (len >= 4 && memcmp(name + len - 4, "\xe2\x80\x99s", 4) == 0)
		return 4;
	return 0;
}

/* The key of a folded name f[0..n), into *key and *klen: f without a
 * leading "the" and corporate suffixes (a part of f), or for a country
 * alias the folded name of its country (the table entry's). Nothing is
 * copied. */
static void key_from_fold(const struct xref_recognizer *r, const char *f,
			  size_t n, const char **key, size_t *klen)
{
	int64_t idx;
	uint64_t h;

	if (n > 4 && memcmp(f, "the ", 4) == 0) {
		f += 4;
		n -= 4;
	}
	/* Only the last word can be a suffix: it goes while it is one
	 * (and a word is left before it). */
	for (bool again = true; again;) {
		size_t sp = n, wl;

		while (sp > 0 && f[sp - 1] != ' ')
			sp--;
		/* f[sp - 1] is the last space; none, or one at the start,
		 * leaves no word before the last */
		wl = n - sp;
		again = false;
		for (size_t i = 0; sp > 1 && i < sizeof(corp_suffixes) / sizeof(*corp_suffixes); i++) {
			if (corp_suffixes[i].len == wl &&
			    memcmp(f + sp, corp_suffixes[i].s, wl) == 0) {
				n -= wl + 1;
				again = true;
				break;
			}
		}
	}
	*key = f;
	*klen = n;
	/* Country aliases share their country's key. */
	h = xref_strmap_hash(f, n);
	if (r && xref_kb_gaz_bit(r->kb.gaz_full, h) &&
	    xref_strmap_get_hashed(&r->kb.gaz, h, f, n, &idx)) {
		const struct kb_entry *en = &r->kb.entries[idx];

		if (en->type == XREF_TYPE_COUNTRY && !(en->flags & KB_DEMONYM) &&
		    en->country >= 0) {
			*key = r->kb.entries[en->country].folded;
			*klen = r->kb.entries[en->country].folded_len;
		}
	}
}

int xref_entity_key(char **out, const struct xref_recognizer *r,
		    const char *name, size_t len)
{
	char *f = NULL;
	const char *key;
	size_t klen;
	int err;

	*out = NULL;
	/* A possessive is not part of the name. */
	len -= possessive_len(name, len);
	err = xref_utf8_fold(&f, name, len);
	if (err)
		return err;
	key_from_fold(r, f, strlen(f), &key, &klen);
	*out = strndup(key, klen);
	free(f);
	if (!*out)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	return 0;
}

int xref_recognizer_new(struct xref_recognizer **out)
{
	struct xref_recognizer *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	err = xref_kb_load(&r->kb);
	if (err) {
		xref_recognizer_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void xref_recognizer_set_tagger(struct xref_recognizer *r, xref_tagger_fn fn,
				void *ctx)
{
	r->tagger = fn;
	r->tagger_ctx = ctx;
}

void xref_recognizer_free(struct xref_recognizer *r)
{
	if (!r)
		return;
	xref_kb_release(&r->kb);
	free(r);
}

/* A watchlist name as it is kept, into out: every control character (C0,
 * DEL, C1) becomes a space, spaces around them collapse to one and the
 * name is trimmed, so that no output ever carries one (reporters' lists
 * come from spreadsheets and PDFs, and refusing the line would lose the
 * name). A name without control characters is kept exactly as written.
 * s[0..len) is valid UTF-8. 0 or XREF_ENOMEM. */
static int clean_name(struct xref_buf *out, const char *s, size_t len)
{
	bool space = false, control = false;
	int err = 0;

	xref_buf_clear(out);
	for (size_t k = 0; k < len && !control; k++) {
		unsigned char ch = (unsigned char)s[k];

		control = ch < 0x20 || ch == 0x7f ||
			  (ch == 0xc2 && k + 1 < len &&
			   (unsigned char)s[k + 1] >= 0x80 &&
			   (unsigned char)s[k + 1] <= 0x9f);
	}
	if (!control)
		return xref_buf_put(out, s, len);
	for (size_t k = 0; k < len && !err; k++) {
		unsigned char ch = (unsigned char)s[k];

		if (ch == 0xc2 && k + 1 < len &&
		    (unsigned char)s[k + 1] >= 0x80 &&
		    (unsigned char)s[k + 1] <= 0x9f) {
			k++;
			space = true;
			continue;
		}
		if (ch <= 0x20 || ch == 0x7f) {
			space = true;
			continue;
		}
		if (space && out->len)
			err = xref_buf_putc(out, ' ');
		space = false;
		if (!err)
			err = xref_buf_putc(out, (char)ch);
	}
	return err;
}

int xref_recognizer_add_watchlist_buffer(struct xref_recognizer *r,
					 const char *data, size_t len,
					 const char *source)
{
	struct xref_buf name = XREF_BUF_INIT;
	int err = 0;

	/* Two passes: check every line first so that a bad line adds
	 * nothing from the file. */
	for (int pass = 0; pass < 2 && !err; pass++) {
		size_t i = 0, line = 0;

		while (i < len) {
			size_t end = i, f1, f2;
			const char *p = data + i;
			enum xref_type type;
			char tname[32];
			size_t tlen;
			int32_t idx;

			line++;
			while (end < len && data[end] != '\n')
				end++;
			/* the next line starts after the newline, if any */
			i = end < len ? end + 1 : len;
			if (end > (size_t)(p - data) && data[end - 1] == '\r')
				end--;
			if (end == (size_t)(p - data) || *p == '#')
				continue;
			if (!xref_utf8_is_valid(p, end - (size_t)(p - data))) {
				err = xref_error_set(XREF_EDATA,
						     "'%s' line %zu: invalid UTF-8",
						     source, line);
				goto out;
			}

			f1 = (size_t)(p - data);
			while (f1 < end && data[f1] != '\t')
				f1++;
			if (f1 == end || f1 == (size_t)(p - data)) {
				err = xref_error_set(
					XREF_EDATA,
					"'%s' line %zu: expected name<TAB>type[<TAB>aliases]",
					source, line);
				goto out;
			}
			f2 = f1 + 1;
			while (f2 < end && data[f2] != '\t')
				f2++;
			tlen = f2 - f1 - 1;
			if (tlen >= sizeof(tname))
				tlen = sizeof(tname) - 1;
			memcpy(tname, data + f1 + 1, tlen);
			tname[tlen] = '\0';
			/* the type is quoted in messages: no control characters
			 * (C1 ones included) reach the terminal, and the cut
			 * at sizeof(tname) cannot split a character. Types are
			 * ASCII words, so non-ASCII bytes go too. */
			for (size_t k = 0; k < tlen; k++)
				if ((unsigned char)tname[k] < 0x20 ||
				    (unsigned char)tname[k] >= 0x7f)
					tname[k] = '?';
			if (xref_type_parse(&type, tname)) {
				err = xref_error_set(
					XREF_EDATA,
					"'%s' line %zu: unknown type '%s' (person, company, government, organization, media, country, location, target)",
					source, line, tname);
				goto out;
			}
			err = clean_name(&name, p, f1 - (size_t)(p - data));
			if (err)
				goto out;
			if (!name.len) {
				err = xref_error_set(
					XREF_EDATA,
					"'%s' line %zu: the name is only control characters",
					source, line);
				goto out;
			}
			if (pass == 0)
				continue;
			err = xref_kb_add_entry(&r->kb, &idx, name.ptr, name.len,
						type, "watchlist", -1,
						KB_SRC_WATCHLIST,
						type == XREF_TYPE_TARGET ? KB_LOWER_OK
									 : 0);
			if (!err)
				err = xref_kb_add_name(&r->kb, name.ptr, name.len,
						       idx);
			if (!err && f2 < end) {
				size_t a = f2 + 1;

				while (!err && a < end) {
					size_t b = a;

					while (b < end && data[b] != '|')
						b++;
					if (b > a)
						err = clean_name(&name, data + a,
								 b - a);
					if (!err && b > a && name.len)
						err = xref_kb_add_name(&r->kb,
								       name.ptr,
								       name.len,
								       idx);
					a = b + 1;
				}
			}
			if (err)
				goto out;
		}
	}
out:
	xref_buf_release(&name);
	return err;
}

int xref_recognizer_add_watchlist(struct xref_recognizer *r, const char *path)
{
	struct xref_buf b = XREF_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int err = 0;

	if (!f)
		return xref_error_set(XREF_EIO, "cannot open '%s': %s", path,
				      strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		err = xref_buf_put(&b, chunk, n);
		if (err)
			goto out;
	}
	if (ferror(f)) {
		err = xref_error_set(XREF_EIO, "cannot read '%s'", path);
		goto out;
	}
	err = xref_recognizer_add_watchlist_buffer(r, xref_buf_cstr(&b), b.len,
						   path);
out:
	fclose(f);
	xref_buf_release(&b);
	return err;
}

/* Appends the mention of candidate i, its name and key in the strings of
 * *out. A key is computed and stored once per document, and the mentions
 * of names that give it share it: d->key_of holds, per interned folded
 * name, the mention in *out whose key its names share (-1 when their key
 * is empty); `keys` does the same for the names with a possessive
 * ("Israel's"), whose key is not that of their fold, by their text. `tmp`
 * is scratch. */
static int emit(struct xref_mentions *out, const struct xref_recognizer *r,
		const struct doc *d, size_t i, struct xref_strmap *keys,
		struct xref_buf *tmp)
{
	const struct cand *c = &d->c[i];
	struct xref_mention *m;
	size_t nlen = strlen(c->name), plen = possessive_len(c->name, nlen);
	const char *key = NULL, *name;
	/* Without a possessive, the key comes from the folded name alone,
	 * so names folded alike share it: known per interned name. */
	int64_t *shared = plen ? NULL : &d->key_of[d->fid[i]];
	int64_t at = 0;
	const char *k;
	size_t klen;
	int err;

	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		struct xref_mention *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return xref_error_set(XREF_ENOMEM, "too many mentions");
		p = realloc(out->v, cap * sizeof(*p));
		if (!p)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		out->v = p;
		out->cap = cap;
	}
	if (shared ? *shared != KEY_UNSET :
		     xref_strmap_get(keys, c->name, nlen, &at)) {
		if (shared)
			at = *shared;
		if (at < 0)
			return 0;
		key = out->v[at].key;
	} else {
		if (shared) {
			/* the name folded already: the key starts from that */
			key_from_fold(r, d->folded[i], d->flen[i], &k, &klen);
		} else {
			/* a possessive is not part of the name */
			xref_buf_clear(tmp);
			err = xref_utf8_fold_append(tmp, c->name, nlen - plen);
			if (err)
				return err;
			key_from_fold(r, tmp->ptr, tmp->len, &k, &klen);
		}
		if (klen) {
			key = xref_mentions_store(out, k, klen);
			if (!key)
				return XREF_ENOMEM;
		}
		at = klen ? (int64_t)out->n : -1;
		if (shared) {
			*shared = at;
		} else {
			err = xref_strmap_put(keys, c->name, nlen, at);
			if (err)
				return err;
		}
		if (!klen)
			return 0;
	}
	name = xref_mentions_store(out, c->name, nlen);
	if (!name)
		return XREF_ENOMEM;
	m = &out->v[out->n++];
	m->start = d->seg->tokens[c->tb].start;
	m->end = d->seg->tokens[c->te - 1].end;
	m->sentence = c->sentence;
	m->type = c->type;
	m->name = name;
	m->key = key;
	m->rule = c->rule;
	return 0;
}

int xref_recognize(struct xref_mentions *out, const struct xref_recognizer *r,
		   const char *text, size_t len,
		   const struct xref_segmentation *seg)
{
	struct doc d;
	struct xref_buf tmp = XREF_BUF_INIT;
	struct xref_strmap keys;
	uint64_t hashes[PREFETCH_AHEAD]; /* of the tokens folded, not yet looked up */
	bool eager[PREFETCH_AHEAD] = { 0 }; /* whether they are to be looked up */
	int err = 0;

	xref_strmap_init(&keys);
	memset(&d, 0, sizeof(d));
	d.r = r;
	d.kb = &r->kb;
	d.text = text;
	d.len = len;
	d.seg = seg;
	if (!seg->n_tokens)
		return 0;
	if (seg->n_tokens > SIZE_MAX / sizeof(*d.toks))
		return xref_error_set(XREF_ENOMEM, "document too large");
	d.toks = malloc(seg->n_tokens * sizeof(*d.toks));
	if (!d.toks)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	/* room for every ASCII token's fold and its NUL, and the 16 bytes
	 * a fold may write past them */
	if (len < SIZE_MAX - seg->n_tokens - 16)
		err = xref_buf_grow(&d.arena, len + seg->n_tokens + 16);
	/* Each token's fold, and for the tokens the sentence scan will ask
	 * about (capitalised words, and words a lowercase-matching name may
	 * start with) its word class from one lookup; the others are looked
	 * up only if a rule asks (tok_look). The table is larger than the
	 * core's cache and a lookup mostly waits for memory, so tokens are
	 * folded PREFETCH_AHEAD ahead of their lookup and their slots
	 * requested meanwhile. */
	for (size_t i = 0; i < seg->n_tokens + PREFETCH_AHEAD && !err; i++) {
		size_t k = i - PREFETCH_AHEAD;

		/* token k first: its hash sits where token i's goes */
		if (i >= PREFETCH_AHEAD && eager[k % PREFETCH_AHEAD]) {
			xref_kb_word_info(&r->kb, hashes[k % PREFETCH_AHEAD],
					  tok_fold(&d, k), d.toks[k].fold_len,
					  &d.toks[k].wbits, &d.toks[k].phrase);
			d.toks[k].looked = true;
		}
		if (i < seg->n_tokens) {
			uint64_t h;
			bool e;

			err = fold_token(&d, i);
			if (err)
				break;
			/* punctuation folds to nothing, which no table
			 * holds: it is never looked up */
			e = false;
			if (d.toks[i].fold_len) {
				h = d.toks[i].hash;
				/* only asked of lowercase words; a token of
				 * several words keeps the wider filter, which
				 * holds first words only */
				if (is_upper(&d, i)) {
					e = true;
				} else {
					uint64_t bit = h % LOWER_SEEN_BITS;

					/* a lowercase word, for
					 * type_guesses() */
					d.lower_seen[bit / 64] |=
						(uint64_t)!!(d.toks[i].flags &
							     XREF_TOK_WORD)
						<< (bit % 64);
					e = d.toks[i].lower_start =
						d.toks[i].spaced ?
							xref_kb_may_start_lower(&r->kb, h) :
							xref_kb_may_start_lower_word(&r->kb, h);
				}
				if (e) {
					hashes[i % PREFETCH_AHEAD] = h;
					xref_kb_word_prefetch(&r->kb, h);
					/* the word alone may be a name that
					 * the scan will look up */
					if (xref_kb_gaz_bit(r->kb.gaz_full, h))
						xref_strmap_prefetch(&r->kb.gaz, h);
				}
			} else {
				d.toks[i].looked = true;
			}
			eager[i % PREFETCH_AHEAD] = e;
		}
	}
	for (size_t s = 0; s < seg->n_sentences && !err; s++) {
		err = scan_sentence(&d, s, &tmp);
		if (!err && r->tagger)
			err = tag_sentence(&d, s);
	}
	if (!err)
		err = resolve(&d, &tmp);
	if (!err && d.n_ids > SIZE_MAX / sizeof(*d.key_of))
		err = xref_error_set(XREF_ENOMEM, "too many names");
	if (!err) {
		d.key_of = malloc((d.n_ids ? d.n_ids : 1) * sizeof(*d.key_of));
		if (!d.key_of)
			err = xref_error_set(XREF_ENOMEM, "out of memory");
		for (size_t k = 0; k < d.n_ids && !err; k++)
			d.key_of[k] = KEY_UNSET;
	}
	for (size_t i = 0; i < d.nc && !err; i++)
		if (!d.c[i].dropped)
			err = emit(out, r, &d, i, &keys, &tmp);
	xref_strmap_release(&keys);
	pool_release(&d);
	free(d.c);
	free(d.toks);
	free(d.countries);
	free(d.folded);
	free(d.flen);
	free(d.fid);
	free(d.key_of);
	xref_buf_release(&d.fold_names);
	xref_buf_release(&d.arena);
	xref_buf_release(&tmp);
	return err;
}
