/*
 * Segmentation of clean UTF-8 text into paragraphs, sentences and tokens.
 *
 * What: paragraphs are runs of lines between blank lines (or single lines
 * when the text has no separating blank line); sentences end at a run of
 * '.', '!', '?' or U+2026 plus closing quotes and brackets, followed by
 * whitespace and an uppercase letter, a caseless letter, a digit or an
 * opening quote or bracket; tokens are words, numbers, possessive "'s" and
 * single punctuation characters, each with byte offsets and flags.
 *
 * How: a first pass over the lines (memchr, stopping at the first
 * separating blank line) picks the paragraph mode; a second, single
 * left-to-right scan per paragraph emits tokens and decides sentence ends as
 * it goes. A sentence end is only known once the next token starts, so the
 * scanner carries a "pending terminator" bit rather than looking ahead.
 * Periods that belong to a token (abbreviations, initials, dotted forms like
 * "U.S.", numbers, URLs) never become terminator tokens, which is what keeps
 * them from ending a sentence. ASCII is classified with a 128-entry table,
 * and the runs of ASCII letters and digits inside words eight bytes at a
 * time (a byte loop ended at a varying length, and that exit was
 * mispredicted about once a word). A word that is one such run, ended by
 * a space or by punctuation that cannot belong to it (most words), is
 * classified sixteen bytes at once with SSE2 where the compiler has it, and
 * takes its flags straight from the bit masks. Other code points are decoded
 * here (a small inlined decoder rather than a call to xref_utf8_decode()
 * per character) and classified by utf8proc_category().
 * The three output arrays grow geometrically: nothing is allocated per token.
 * The dotted-abbreviation look-ahead remembers where it last failed, so a
 * long "a.b.c.d..." chain is scanned a bounded number of times and the whole
 * segmenter stays O(len).
 *
 * Why: a hand-written scanner is O(len) with a small constant and needs no
 * regex engine; a separate sentence pass over a token list would touch the
 * text twice. Abbreviations are a fixed table rather than a trained model
 * (Punkt) so that output is deterministic and self-contained, at the price of
 * under-splitting when "Inc." or "U.S." really does end a sentence.
 */
#include "ingest/segment.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ingest/bytes_internal.h"
#include "ingest/status.h"

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

enum cls {
	C_SPACE,   /* whitespace: never inside a token */
	C_FORMAT,  /* Cf: inside a word before a word character, else skipped */
	C_UPPER,   /* Lu, Lt */
	C_LOWER,   /* Ll */
	C_OLETTER, /* Lo: letters of caseless scripts */
	C_DIGIT,   /* Nd, Nl, No */
	C_MARK,    /* Mn, Mc, Me, Lm: extend a word but are not letters */
	C_PUNCT,   /* punctuation, symbols, anything else */
};

#define S_ C_SPACE
#define P_ C_PUNCT
#define U_ C_UPPER
#define L_ C_LOWER
#define D_ C_DIGIT
static const unsigned char ascii_cls[128] = {
	/* C0 controls: cleaned input has only \t and \n, the rest are spaces */
	S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
	S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
	/* space ! " # $ % & ' ( ) * + , - . / */
	S_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_, P_,
	/* 0-9 : ; < = > ? */
	D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, P_, P_, P_, P_, P_, P_,
	/* @ A-O */
	P_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
	/* P-Z [ \ ] ^ _ */
	U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, P_, P_, P_, P_, P_,
	/* ` a-o */
	P_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	/* p-z { | } ~ DEL */
	L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, P_, P_, P_, P_, S_,
};
#undef S_
#undef P_
#undef U_
#undef L_
#undef D_

/*
 * The same for the word scanner's fast path, as bits that can be added and
 * OR-ed without branching: 1 letter, 2 lowercase, 4 digit; 0 for anything
 * that is not an ASCII letter or digit (including every byte >= 0x80).
 */
#define WB_LETTER 1u
#define WB_LOWER 2u
#define WB_DIGIT 4u
static const unsigned char ascii_wbits[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
	/* 0x80-0xFF: 0 */
};

/*
 * Abbreviations that keep their period (matched exactly, or in capitals for
 * the capitalised ones: "CORP." as well as "Corp."). None of them ends a
 * sentence. Lowercase dotted forms ("e.g.", "a.m.") are found by shape.
 * "LLC" takes no period and is deliberately absent, so "Foo LLC." ends.
 */
struct word {
	const char *s;
	size_t len;
};

#define WORD_(s) { s, sizeof(s) - 1 }
static const struct word abbrevs[] = {
	/* titles */
	WORD_("Mr"), WORD_("Mrs"), WORD_("Ms"), WORD_("Mx"), WORD_("Dr"),
	WORD_("Prof"), WORD_("Sr"), WORD_("Jr"), WORD_("St"), WORD_("Gen"),
	WORD_("Lt"), WORD_("Col"), WORD_("Maj"), WORD_("Capt"), WORD_("Cmdr"),
	WORD_("Sgt"), WORD_("Cpl"), WORD_("Pvt"), WORD_("Brig"), WORD_("Adm"),
	WORD_("Gov"), WORD_("Sen"), WORD_("Rep"), WORD_("Rev"), WORD_("Hon"),
	WORD_("Pres"), WORD_("Supt"), WORD_("Det"), WORD_("Insp"), WORD_("Mt"),
	WORD_("Ft"), WORD_("Messrs"), WORD_("Mme"), WORD_("Mlle"), WORD_("Esq"),
	/* companies */
	WORD_("Inc"), WORD_("Ltd"), WORD_("Corp"), WORD_("Co"), WORD_("Bros"),
	WORD_("Plc"),
	/* references and addresses */
	WORD_("No"), WORD_("Nos"), WORD_("Vol"), WORD_("Fig"), WORD_("Art"),
	WORD_("Sec"), WORD_("Dept"), WORD_("Univ"), WORD_("Assn"), WORD_("Ave"),
	WORD_("Blvd"), WORD_("Rd"),
	/* months */
	WORD_("Jan"), WORD_("Feb"), WORD_("Mar"), WORD_("Apr"), WORD_("Jun"),
	WORD_("Jul"), WORD_("Aug"), WORD_("Sep"), WORD_("Sept"), WORD_("Oct"),
	WORD_("Nov"), WORD_("Dec"),
	/* Latin and misc */
	WORD_("etc"), WORD_("vs"), WORD_("al"), WORD_("cf"), WORD_("viz"),
	WORD_("approx"),
};
#define ABBREV_MAX 6

/*
 * A filter on abbrevs[]: for each length, the first letters its entries
 * have (bit c - 'A' for a capital, 32 + c - 'a' for a small letter), so
 * that most words before a period are refused without a search. Keep it in
 * step with abbrevs[] (the unit test checks every entry is still found).
 */
static const uint64_t abbrev_first[ABBREV_MAX + 1] = {
	0x0000000000000000ULL,
	0x0000000000000000ULL,
	0x0020000500063a2cULL,
	0x002000100026fbfdULL,
	0x000000000014910fULL,
	0x0000000000000000ULL,
	0x0000000100001000ULL,
};

/* Words whose "'s" is "is"/"has"/"us", not a possessive: kept whole. */
static const struct word contractions[] = {
	WORD_("it"), WORD_("he"), WORD_("she"), WORD_("that"), WORD_("what"),
	WORD_("there"), WORD_("here"), WORD_("who"), WORD_("where"),
	WORD_("how"), WORD_("let"),
};
#undef WORD_

static bool is_word_cls(enum cls cl)
{
	return cl >= C_UPPER && cl <= C_MARK;
}

static bool is_letter_cls(enum cls cl)
{
	return cl == C_UPPER || cl == C_LOWER || cl == C_OLETTER;
}

static bool is_ascii_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_terminator(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* Closing quotes and brackets that may follow a terminator. */
static bool is_closer(int32_t cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case ']': case '}':
	case 0x2019: case 0x201D: case 0x00BB: case 0x203A:
		return true;
	default:
		return false;
	}
}

/* Opening quotes and brackets that may start a sentence. */
static bool is_opener(int32_t cp)
{
	switch (cp) {
	case '"': case '\'': case '(': case '[': case '{':
	case 0x2018: case 0x201C: case 0x201E: case 0x00AB: case 0x2039:
	case 0x00BF: case 0x00A1:
		return true;
	default:
		return false;
	}
}

static bool is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019;
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Decodes the code point at s[0..n), n > 0. The input is clean UTF-8, but a
 * malformed or truncated sequence still yields U+FFFD over one byte, so the
 * scanner always advances and never reads past n.
 */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0];
	int32_t v = 0xFFFD;
	size_t used = 1;

	if (c < 0x80) {
		v = c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		if (n >= 2 && is_cont(s[1])) {
			v = (int32_t)(c & 0x1F) << 6 | (s[1] & 0x3F);
			used = 2;
		}
	} else if (c >= 0xE0 && c <= 0xEF) {
		if (n >= 3 && is_cont(s[1]) && is_cont(s[2])) {
			int32_t w = (int32_t)(c & 0x0F) << 12 |
				    (int32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
			if (w >= 0x800 && (w < 0xD800 || w > 0xDFFF)) {
				v = w;
				used = 3;
			}
		}
	} else if (c >= 0xF0 && c <= 0xF4) {
		if (n >= 4 && is_cont(s[1]) && is_cont(s[2]) && is_cont(s[3])) {
			int32_t w = (int32_t)(c & 0x07) << 18 |
				    (int32_t)(s[1] & 0x3F) << 12 |
				    (int32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
			if (w >= 0x10000 && w <= 0x10FFFF) {
				v = w;
				used = 4;
			}
		}
	}
	*cp = v;
	return used;
}

static enum cls classify(int32_t cp)
{
	enum cls cl = C_PUNCT;

	if (cp < 0x80) {
		cl = (enum cls)ascii_cls[cp];
		goto out;
	}
	if (cp == 0x200B) { /* zero width space separates words */
		cl = C_SPACE;
		goto out;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		cl = C_UPPER;
		break;
	case UTF8PROC_CATEGORY_LL:
		cl = C_LOWER;
		break;
	case UTF8PROC_CATEGORY_LO:
		cl = C_OLETTER;
		break;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		cl = C_MARK;
		break;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		cl = C_DIGIT;
		break;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		cl = C_SPACE;
		break;
	case UTF8PROC_CATEGORY_CF:
		cl = C_FORMAT;
		break;
	default:
		cl = C_PUNCT;
		break;
	}
out:
	return cl;
}

/* The code point at t[pos] (pos < end): its value, class and byte length. */
static inline size_t next_cp(const unsigned char *t, size_t pos, size_t end,
			     int32_t *cp, enum cls *cl)
{
	size_t n = 1;

	if (t[pos] < 0x80) {
		*cp = t[pos];
		*cl = (enum cls)ascii_cls[t[pos]];
	} else {
		n = decode(t + pos, end - pos, cp);
		*cl = classify(*cp);
	}
	return n;
}

/* The class at t[pos], or C_SPACE at or past end. */
static enum cls cls_at(const unsigned char *t, size_t pos, size_t end)
{
	int32_t cp;
	enum cls cl = C_SPACE;

	if (pos < end)
		next_cp(t, pos, end, &cp, &cl);
	return cl;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static unsigned char ascii_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* True when s[0..n) is one of the lowercase words[], ignoring ASCII case. */
static bool in_list_nocase(const unsigned char *s, size_t n,
			   const struct word *words, size_t nwords)
{
	bool found = false;

	for (size_t i = 0; !found && i < nwords; i++) {
		size_t k = 0;

		if (words[i].len != n)
			continue;
		while (k < n &&
		       ascii_lower(s[k]) == (unsigned char)words[i].s[k])
			k++;
		found = k == n;
	}
	return found;
}

static bool is_contraction(const unsigned char *s, size_t n)
{
	return in_list_nocase(s, n, contractions, COUNT(contractions));
}

/* True when s[0..n) is a listed abbreviation, exactly or (for the
 * capitalised ones) in capitals: "Inc" and "INC", never "InC". */
static bool is_listed_abbrev(const unsigned char *s, size_t n)
{
	bool found = false;
	unsigned bit;

	if (n > ABBREV_MAX)
		return false;
	if (s[0] >= 'A' && s[0] <= 'Z')
		bit = s[0] - 'A';
	else if (s[0] >= 'a' && s[0] <= 'z')
		bit = 32u + (s[0] - 'a');
	else
		return false;
	if (!((abbrev_first[n] >> bit) & 1))
		return false;
	for (size_t i = 0; !found && i < COUNT(abbrevs); i++) {
		const char *a = abbrevs[i].s;
		size_t k = 1;

		/* both forms share the first letter: filter on it first */
		if (abbrevs[i].len != n || (unsigned char)a[0] != s[0])
			continue;
		if (memcmp(s, a, n) == 0) {
			found = true;
		} else if (a[0] >= 'A' && a[0] <= 'Z') {
			while (k < n &&
			       s[k] == ascii_upper((unsigned char)a[k]))
				k++;
			found = k == n;
		}
	}
	return found;
}

/* Letter counts of a word being scanned. */
struct wstat {
	size_t nlet;
	bool first_up; /* the first letter is uppercase */
	bool lower;    /* some letter is lowercase or caseless */
	bool digit;    /* holds a digit */
	bool apos;     /* holds an inner apostrophe */
};

static void wstat_add(struct wstat *w, enum cls cl)
{
	if (cl == C_DIGIT) {
		w->digit = true;
	} else if (is_letter_cls(cl)) {
		if (w->nlet == 0)
			w->first_up = cl == C_UPPER;
		w->nlet++;
		if (cl != C_UPPER)
			w->lower = true;
	}
}

struct seg {
	const unsigned char *t;
	size_t len; /* of t */
	struct xref_segmentation *out;
	size_t tok_cap, sent_cap, par_cap;
	size_t dot_fail; /* no dotted abbreviation starts before this offset */
};

/* Grows *p to hold at least `want` (and at least 1.5 times *cap, so that
 * a huge text does not reserve twice what it needs) elements of `elem`
 * bytes. Returns the new array, or NULL (leaving *p intact) when the size
 * overflows or memory runs out. */
static void *grow(void *p, size_t *cap, size_t elem, size_t want)
{
	size_t n = *cap;
	void *np = NULL;

	if (n > (SIZE_MAX - 16) / 3 * 2)
		goto out;
	n += n / 2 + 16;
	if (n < want)
		n = want;
	if (n > SIZE_MAX / elem)
		goto out;
	np = realloc(p, n * elem);
	if (np)
		*cap = n;
out:
	return np;
}

/* Makes room for at least one more token. */
static int grow_tokens(struct seg *s)
{
	struct xref_segmentation *o = s->out;
	void *p = grow(o->tokens, &s->tok_cap, sizeof(*o->tokens), 0);
	int rc = 0;

	if (!p)
		rc = XREF_ENOMEM;
	else
		o->tokens = p;
	return rc;
}

/* Records tokens [tb, te) as a sentence of paragraph `par`; nothing when
 * the range is empty. Its span runs from the first token to the last, which
 * is the trimmed span since every non-space character is in some token. */
static int push_sentence(struct seg *s, size_t tb, size_t te, size_t par)
{
	struct xref_segmentation *o = s->out;
	int rc = 0;

	if (tb == te)
		goto out;
	if (o->n_sentences == s->sent_cap) {
		void *p = grow(o->sentences, &s->sent_cap,
			       sizeof(*o->sentences), 0);

		if (!p) {
			rc = XREF_ENOMEM;
			goto out;
		}
		o->sentences = p;
	}
	o->sentences[o->n_sentences++] = (struct xref_sentence){
		o->tokens[tb].start, o->tokens[te - 1].end, tb, te, par,
	};
out:
	return rc;
}

static int push_paragraph(struct seg *s, size_t tb, size_t sb)
{
	struct xref_segmentation *o = s->out;
	int rc = 0;

	if (tb == o->n_tokens)
		goto out;
	if (o->n_paragraphs == s->par_cap) {
		void *p = grow(o->paragraphs, &s->par_cap,
			       sizeof(*o->paragraphs), 0);

		if (!p) {
			rc = XREF_ENOMEM;
			goto out;
		}
		o->paragraphs = p;
	}
	o->paragraphs[o->n_paragraphs++] = (struct xref_paragraph){
		o->tokens[tb].start, o->tokens[o->n_tokens - 1].end,
		sb, o->n_sentences,
	};
out:
	return rc;
}

/*
 * Tries to read a dotted abbreviation ("U.S.", "U.A.E.", "e.g.", "Ph.D.")
 * whose first segment (1-2 letters, already counted in *w) ends at the '.'
 * at t[q]. Every segment is 1-2 letters followed by a period, there are at
 * least two, and no word character follows the last period. Returns the end
 * offset and adds the letters to *w, or 0 and records where the chain broke
 * (any later start inside the chain breaks at the same place).
 */
static size_t match_dotted(struct seg *s, size_t q, size_t pe, struct wstat *w)
{
	const unsigned char *t = s->t;
	struct wstat tmp = *w;
	size_t nseg = 1, p = q, res = 0;
	int32_t cp;
	enum cls cl;

	for (;;) {
		size_t letters = 0;

		p++; /* past the '.' */
		while (p < pe) {
			size_t n = next_cp(t, p, pe, &cp, &cl);

			if (is_letter_cls(cl)) {
				if (++letters > 2)
					break;
				wstat_add(&tmp, cl);
			} else if (cl != C_MARK || letters == 0) {
				break;
			}
			p += n;
		}
		if (letters == 0) {
			if (nseg >= 2 && !is_word_cls(cls_at(t, p, pe)))
				res = p;
			break;
		}
		if (letters > 2 || p >= pe || t[p] != '.')
			break;
		nseg++;
	}
	if (res)
		*w = tmp;
	else
		s->dot_fail = p;
	return res;
}

/*
 * The run of ASCII letters and digits at t[*q], eight bytes at a time while
 * eight bytes remain before pe (a word's bytes as one 64-bit number: each
 * byte's top bit says whether it is a letter, a digit, lowercase). Advances
 * *q over the bytes it counts, adds their letters to *nl and their WB_ bits
 * to *orb and, when `first` and before any other letter, sets *first_up from
 * the first letter. Returns true when the run ended here, false when the
 * rest (under eight bytes) is left to the caller. Without the compiler's bit
 * builtins, or on a big-endian machine, it leaves everything to the caller.
 */
static inline bool ascii_run8(const unsigned char *t, size_t *q, size_t pe,
			      size_t *nl, unsigned *orb, bool first,
			      bool *first_up)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	size_t p = *q;
	bool ended = false;

	while (!ended && p + 8 <= pe) {
		uint64_t x, low, folded, letter, digit, lower, stop;

		memcpy(&x, t + p, 8);
		/* bytes >= 0x80 stop the run. This is xref_bytes_alnum()
		 * written out: through the function, GCC 12 reloaded this
		 * loop's constants on every turn (1% more instructions in
		 * segmentation). */
		low = x & ~XREF_BYTES_HIGH;
		folded = low | 0x20 * XREF_BYTES_ONES;
		letter = (folded + 0x1f * XREF_BYTES_ONES) &
			 ~(folded + 0x05 * XREF_BYTES_ONES);
		digit = (low + 0x50 * XREF_BYTES_ONES) &
			~(low + 0x46 * XREF_BYTES_ONES);
		letter &= XREF_BYTES_HIGH & ~x;
		digit &= XREF_BYTES_HIGH & ~x;
		lower = letter & (x << 2); /* 0x20 set: lowercase */
		stop = ~(letter | digit) & XREF_BYTES_HIGH;
		if (stop) {
			/* only the bytes before the first stop count */
			uint64_t keep = (stop & (0 - stop)) - 1;

			letter &= keep;
			digit &= keep;
			lower &= keep;
			p += (size_t)__builtin_ctzll(stop) / 8;
			ended = true;
		} else {
			p += 8;
		}
		if (letter && first && *nl == 0)
			*first_up = !((lower >> __builtin_ctzll(letter)) & 1);
		*nl += (size_t)(((letter >> 7) * XREF_BYTES_ONES) >> 56);
		*orb |= (letter ? WB_LETTER : 0) | (lower ? WB_LOWER : 0) |
			(digit ? WB_DIGIT : 0);
	}
	*q = p;
	return ended;
#else
	(void)t;
	(void)q;
	(void)pe;
	(void)nl;
	(void)orb;
	(void)first;
	(void)first_up;
	return false;
#endif
}

/*
 * The whole word at t[start] when it is a plain run of fewer than sixteen
 * ASCII letters and digits that ends where scan_word() would end it
 * without asking more: at whitespace, the paragraph's end, or ASCII
 * punctuation other than an apostrophe, a comma or period after a digit,
 * or a period that may belong to the word (only a listed abbreviation's
 * period is taken here). Most words are such a run. Its sixteen bytes are
 * classified at once with SSE2 (present on every x86-64), and the flags
 * come from three bit masks, letters never counted: the flags only ask
 * whether there are none, one, or more. Stores the end in *end and the
 * flags in *flags and returns true; returns false, leaving the word to the
 * full scan, for anything else (and within sixteen bytes of the text's
 * end, or without SSE2).
 */
static inline bool ascii_word(const struct seg *s, size_t start, size_t pe,
			      size_t *end, uint32_t *flags)
{
#if defined(__SSE2__)
	const unsigned char *t = s->t;
	__m128i v, letter, digit;
	unsigned lm, dm, bit5, stop, two;
	size_t n, q;
	bool abbrev = false, first_up;

	if (start + 16 > s->len)
		return false;
	v = _mm_loadu_si128((const __m128i *)(const void *)(t + start));
	xref_bytes16_alnum(v, &letter, &digit);
	lm = (unsigned)_mm_movemask_epi8(letter);
	dm = (unsigned)_mm_movemask_epi8(digit);
	/* bit 5 (0x20, lowercase) of every byte, moved to its top bit */
	bit5 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
	stop = ~(lm | dm) & 0xffffu;
	if (pe - start < 16)
		stop |= 1u << (pe - start);
	if (!stop)
		return false;
	n = (size_t)__builtin_ctz(stop);
	if (n == 0)
		return false;
	lm &= (1u << n) - 1;
	dm &= (1u << n) - 1;
	q = start + n;
	if (q < pe) {
		unsigned char c = t[q];

		/* "50,000" and "3.5" go on after the separator */
		if (c >= 0x80 || c == '\'' ||
		    ((c == ',' || c == '.') && is_ascii_digit(t[q - 1])))
			return false;
		/* a run without digits has as many letters as bytes: one
		 * or two before a period may be an initial or a dotted
		 * form ("J.", "U.S."), for the full scan */
		if (c == '.' && !dm) {
			if (n <= 2)
				return false;
			if (is_listed_abbrev(t + start, n)) {
				q++;
				abbrev = true;
			}
		}
	}
	first_up = lm && !((bit5 >> __builtin_ctz(lm | 0x10000u)) & 1);
	two = lm & (lm - 1);
	*end = q;
	*flags = XREF_TOK_WORD * (lm != 0) | XREF_TOK_UPPER * first_up |
		 XREF_TOK_ALLCAPS * (two != 0 && !(lm & bit5)) |
		 XREF_TOK_DIGIT * (dm != 0) | XREF_TOK_ABBREV * abbrev;
	return true;
#else
	(void)s;
	(void)start;
	(void)pe;
	(void)end;
	(void)flags;
	return false;
#endif
}

/*
 * Scans the word starting at t[start] (a word character) and returns its
 * end; *flags gets WORD/UPPER/ALLCAPS/DIGIT/ABBREV (or PUNCT for a run of
 * marks alone).
 */
static size_t scan_word(struct seg *s, size_t start, size_t pe, uint32_t *flags)
{
	const unsigned char *t = s->t;
	struct wstat w = { 0 };
	size_t q = start;
	bool abbrev = false;
	uint32_t f = 0;
	int32_t cp, c2;
	enum cls cl, k2;

	if (ascii_word(s, start, pe, &q, flags))
		return q;
	for (;;) {
		size_t n, q0, nl = 0, nl8;
		unsigned orb = 0;
		bool ended;

		/* the common case: a run of ASCII letters and digits, counted
		 * in registers (the struct would live in memory), eight bytes
		 * at a time while eight remain, then byte by byte */
		ended = ascii_run8(t, &q, pe, &nl, &orb, w.nlet == 0,
				   &w.first_up);
		q0 = q;
		nl8 = nl;
		while (!ended && q < pe) {
			unsigned m = ascii_wbits[t[q]];

			if (!m)
				break;
			nl += m & WB_LETTER;
			orb |= m;
			q++;
		}
		if (nl > nl8 && nl8 == 0 && w.nlet == 0) {
			while (!(ascii_wbits[t[q0]] & WB_LETTER))
				q0++;
			w.first_up = !(ascii_wbits[t[q0]] & WB_LOWER);
		}
		w.nlet += nl;
		w.lower |= (orb & WB_LOWER) != 0;
		w.digit |= (orb & WB_DIGIT) != 0;
		/* most words end at a space or a line break */
		if (q >= pe || t[q] == ' ' || t[q] == '\n')
			break;
		n = next_cp(t, q, pe, &cp, &cl);
		if (is_word_cls(cl)) {
			wstat_add(&w, cl);
			q += n;
			continue;
		}
		if (cl == C_FORMAT) {
			/* ZWJ, ZWNJ, soft hyphen... join only inside a word */
			if (!is_word_cls(cls_at(t, q + n, pe)))
				break;
			q += n;
			continue;
		}
		if (is_apostrophe(cp)) {
			size_t a = q + n;

			if (a >= pe)
				break;
			next_cp(t, a, pe, &c2, &k2);
			if (!is_word_cls(k2))
				break;
			/* "Israel's" splits, "it's" and "O'Brien" do not */
			if ((c2 == 's' || c2 == 'S') &&
			    !is_word_cls(cls_at(t, a + 1, pe)) &&
			    !is_contraction(t + start, q - start))
				break;
			w.apos = true;
			q = a;
			continue;
		}
		if ((cp == '.' || cp == ',') && is_ascii_digit(t[q - 1]) &&
		    q + 1 < pe && is_ascii_digit(t[q + 1])) {
			q++; /* 50,000 and 3.5 */
			continue;
		}
		if (cp == '.' && !w.apos && !w.digit && w.nlet >= 1 &&
		    w.nlet <= 2 && q >= s->dot_fail) {
			size_t e = match_dotted(s, q, pe, &w);

			if (e) {
				q = e;
				abbrev = true;
			}
		}
		break;
	}
	if (!abbrev && q < pe && t[q] == '.') {
		/* an initial ("J.", "Ó.") or a listed abbreviation */
		if ((w.nlet == 1 && !w.digit && !w.apos && w.first_up) ||
		    (w.nlet == q - start &&
		     is_listed_abbrev(t + start, q - start))) {
			q++;
			abbrev = true;
		}
	}
	/* branch-free: these depend on the data and mispredict */
	f = (w.nlet != 0) * XREF_TOK_WORD | w.first_up * XREF_TOK_UPPER |
	    (w.nlet >= 2 && !w.lower) * XREF_TOK_ALLCAPS |
	    w.digit * XREF_TOK_DIGIT |
	    (w.nlet == 0 && !w.digit) * XREF_TOK_PUNCT |
	    abbrev * XREF_TOK_ABBREV;
	*flags = f;
	return q;
}

/*
 * Scans the punctuation token starting at t[start] (code point cp, n bytes)
 * and returns its end. prev_flags are those of the token ending right at
 * start, or 0 when whitespace (or nothing) precedes. Apostrophes get special
 * care: "'s" after a word is a possessive token; a bare apostrophe after a
 * word ending in s is a possessive unless it closes a single quotation,
 * which *squote tracks (opened by a quote before a letter, not after a word).
 */
static size_t scan_punct(const struct seg *s, size_t start, size_t n,
			 int32_t cp, size_t pe, uint32_t prev_flags,
			 bool *squote, uint32_t *flags)
{
	const unsigned char *t = s->t;
	size_t end = start + n;
	uint32_t f = XREF_TOK_PUNCT;
	bool after_word;
	int32_t c2 = 0;
	enum cls k2 = C_SPACE;

	if (!is_apostrophe(cp) && cp != 0x2018)
		goto out;
	after_word = prev_flags & (XREF_TOK_WORD | XREF_TOK_DIGIT);
	if (end < pe)
		next_cp(t, end, pe, &c2, &k2);
	if (is_apostrophe(cp) && after_word && (c2 == 's' || c2 == 'S') &&
	    !is_word_cls(cls_at(t, end + 1, pe))) {
		f = XREF_TOK_WORD | XREF_TOK_POSSESSIVE;
		if (c2 == 'S')
			f |= XREF_TOK_UPPER;
		end++;
	} else if (!after_word && is_letter_cls(k2)) {
		*squote = true;
	} else if (!is_word_cls(k2)) {
		if (*squote && cp != 0x2018) {
			*squote = false;
		} else if (is_apostrophe(cp) && after_word &&
			   (t[start - 1] == 's' || t[start - 1] == 'S')) {
			f |= XREF_TOK_POSSESSIVE;
		}
	}
out:
	*flags = f;
	return end;
}

static bool starts_sentence(int32_t cp, enum cls cl)
{
	return cl == C_UPPER || cl == C_OLETTER || cl == C_DIGIT ||
	       is_opener(cp);
}

/* Tokenizes the paragraph t[ps..pe) and records its sentences and itself. */
static int scan_paragraph(struct seg *s, size_t ps, size_t pe)
{
	struct xref_segmentation *o = s->out;
	const unsigned char *t = s->t;
	const size_t par = o->n_paragraphs;
	const size_t tok0 = o->n_tokens, sent0 = o->n_sentences;
	size_t sent_tok = o->n_tokens;
	size_t pos = ps;
	/* the token array in locals: stores through it could alias *o and *s */
	struct xref_token *tok = o->tokens;
	size_t ntok = o->n_tokens, cap = s->tok_cap;
	size_t last_end = SIZE_MAX; /* end of the previous token here */
	uint32_t last_flags = 0;
	bool pend = false;      /* a terminator run waits for the next token */
	bool at_start = true;   /* the next token opens a sentence */
	bool want_word = false; /* the sentence opened with punctuation */
	bool squote = false;    /* a single quotation is open */
	int rc = 0;

	while (pos < pe) {
		int32_t cp;
		enum cls cl;
		size_t n, end;
		uint32_t flags;
		bool attached, keep = false;

		if (t[pos] == ' ') {
			pos++;
			continue;
		}
		/* Most tokens: a plain word inside a sentence (no sentence
		 * end pending, none just begun), which ascii_word() reads
		 * whole; of the rest below, only whether it is attached
		 * applies to it. */
		if (!pend && !at_start && !want_word && ntok < cap &&
		    ascii_wbits[t[pos]] && ascii_word(s, pos, pe, &end, &flags)) {
			flags |= last_end == pos ? XREF_TOK_ATTACHED : 0;
			tok[ntok++] = (struct xref_token){ pos, end, flags };
			last_end = end;
			last_flags = flags;
			pos = end;
			if (pos < pe && t[pos] == ' ')
				pos++;
			continue;
		}
		n = next_cp(t, pos, pe, &cp, &cl);
		if (cl == C_SPACE || cl == C_FORMAT) {
			pos += n;
			continue;
		}
		attached = last_end == pos;
		if (pend) {
			if (attached && (is_terminator(cp) || is_closer(cp))) {
				keep = true;
			} else if (!attached && starts_sentence(cp, cl)) {
				o->n_tokens = ntok;
				rc = push_sentence(s, sent_tok, ntok, par);
				if (rc)
					goto out;
				sent_tok = ntok;
				at_start = true;
			}
		}
		if (is_word_cls(cl))
			end = scan_word(s, pos, pe, &flags);
		else
			end = scan_punct(s, pos, n, cp, pe,
					 attached ? last_flags : 0, &squote,
					 &flags);
		if (attached)
			flags |= XREF_TOK_ATTACHED;
		if (at_start) {
			flags |= XREF_TOK_FIRST;
			want_word = flags & XREF_TOK_PUNCT;
			at_start = false;
		} else if (want_word && !(flags & XREF_TOK_PUNCT)) {
			flags |= XREF_TOK_FIRST;
			want_word = false;
		}
		if (ntok == cap) {
			o->n_tokens = ntok;
			rc = grow_tokens(s);
			if (rc)
				goto out;
			tok = o->tokens;
			cap = s->tok_cap;
		}
		tok[ntok++] = (struct xref_token){ pos, end, flags };
		last_end = end;
		last_flags = flags;
		/* a lone terminator character, or a closer right after one */
		pend = keep || (is_terminator(cp) && end - pos == n);
		pos = end;
	}
	o->n_tokens = ntok;
	rc = push_sentence(s, sent_tok, ntok, par);
	if (rc)
		goto out;
	rc = push_paragraph(s, tok0, sent0);
out:
	return rc;
}

/* True when t[b..e) holds only whitespace (and invisible format chars). */
static bool line_is_blank(const unsigned char *t, size_t b, size_t e)
{
	bool blank = true;

	while (blank && b < e) {
		int32_t cp;
		enum cls cl;

		b += next_cp(t, b, e, &cp, &cl);
		blank = cl == C_SPACE || cl == C_FORMAT;
	}
	return blank;
}

/* True when a blank line separates two non-blank lines somewhere. */
static bool has_blank_separator(const unsigned char *t, size_t len)
{
	bool seen_text = false, gap = false, found = false;
	size_t pos = 0;

	while (!found && pos < len) {
		const unsigned char *nl = memchr(t + pos, '\n', len - pos);
		size_t le = nl ? (size_t)(nl - t) : len;

		if (line_is_blank(t, pos, le)) {
			gap = seen_text;
		} else {
			found = gap;
			seen_text = true;
		}
		pos = le + 1;
	}
	return found;
}

int xref_segment(struct xref_segmentation *out, const char *text, size_t len)
{
	struct seg s = { 0 };
	size_t pos = 0, pstart = 0, plast = 0;
	bool by_blank, open = false;
	void *p;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		goto out;
	s.t = (const unsigned char *)text;
	s.len = len;
	s.out = out;

	/* news text runs about 5.5 bytes a token and 130 a sentence: reserving
	 * that much makes reallocation rare (untouched pages cost nothing) */
	p = grow(NULL, &s.tok_cap, sizeof(*out->tokens), len / 5 + 16);
	if (!p)
		goto nomem;
	out->tokens = p;
	p = grow(NULL, &s.sent_cap, sizeof(*out->sentences), len / 128 + 4);
	if (!p)
		goto nomem;
	out->sentences = p;
	p = grow(NULL, &s.par_cap, sizeof(*out->paragraphs), len / 512 + 4);
	if (!p)
		goto nomem;
	out->paragraphs = p;

	by_blank = has_blank_separator(s.t, len);
	while (pos < len) {
		const unsigned char *nl = memchr(s.t + pos, '\n', len - pos);
		size_t le = nl ? (size_t)(nl - s.t) : len;
		bool blank = line_is_blank(s.t, pos, le);

		if (open && (blank || !by_blank)) {
			rc = scan_paragraph(&s, pstart, plast);
			if (rc)
				goto nomem;
			open = false;
		}
		if (!blank) {
			if (!open)
				pstart = pos;
			open = true;
			plast = le;
		}
		pos = le + 1;
	}
	if (open) {
		rc = scan_paragraph(&s, pstart, plast);
		if (rc)
			goto nomem;
	}
	goto out;
nomem:
	rc = xref_error_set(XREF_ENOMEM, "out of memory segmenting %zu bytes",
			    len);
out:
	return rc;
}

void xref_segmentation_release(struct xref_segmentation *seg)
{
	free(seg->tokens);
	free(seg->sentences);
	free(seg->paragraphs);
	memset(seg, 0, sizeof(*seg));
}
