/*
 * Unit tests for ingest/segment.c: sentence ends around abbreviations,
 * initials, quotes and numbers; paragraphs by blank lines or by lines; the
 * token rules (possessives, hyphens, dotted abbreviations, non-ASCII case);
 * exact byte offsets; and the partition invariants on a long generated
 * text. Token and sentence lists are compared as "|"-joined strings built
 * from the byte offsets, so every expected string also checks the offsets.
 *
 * XREF_SEGMENT_BENCH=1 adds a throughput measurement on 50 MB (printed as a
 * TAP comment, never asserted).
 */
#include "ingest/segment.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/tap.h"

#define W XREF_TOK_WORD
#define UP XREF_TOK_UPPER
#define AC XREF_TOK_ALLCAPS
#define DG XREF_TOK_DIGIT
#define PU XREF_TOK_PUNCT
#define AT XREF_TOK_ATTACHED
#define FI XREF_TOK_FIRST
#define AB XREF_TOK_ABBREV
#define PO XREF_TOK_POSSESSIVE

static struct xref_segmentation S;
static const char *T;
static int seg_rc;
static char joined[8192];

/* Segments a NUL-terminated text into the global S. */
static void seg(const char *text)
{
	xref_segmentation_release(&S);
	T = text;
	seg_rc = xref_segment(&S, text, strlen(text));
}

static void join_reset(size_t *len)
{
	*len = 0;
	joined[0] = '\0';
}

static void join_add(size_t *len, size_t start, size_t end)
{
	size_t n = end - start;

	if (*len)
		joined[(*len)++] = '|';
	if (*len + n + 1 > sizeof(joined))
		n = sizeof(joined) - *len - 1;
	memcpy(joined + *len, T + start, n);
	*len += n;
	joined[*len] = '\0';
}

/* Tokens [b, e) joined with "|". */
static const char *toks_range(size_t b, size_t e)
{
	size_t len;

	join_reset(&len);
	for (size_t i = b; i < e && i < S.n_tokens; i++)
		join_add(&len, S.tokens[i].start, S.tokens[i].end);
	return joined;
}

static const char *toks(void)
{
	return toks_range(0, S.n_tokens);
}

/* Sentence texts joined with "|". */
static const char *sents(void)
{
	size_t len;

	join_reset(&len);
	for (size_t i = 0; i < S.n_sentences; i++)
		join_add(&len, S.sentences[i].start, S.sentences[i].end);
	return joined;
}

static const char *paras(void)
{
	size_t len;

	join_reset(&len);
	for (size_t i = 0; i < S.n_paragraphs; i++)
		join_add(&len, S.paragraphs[i].start, S.paragraphs[i].end);
	return joined;
}

/* The flags of the nth (from 0) token whose text is `s`, or UINT32_MAX. */
static uint32_t flags_nth(const char *s, int nth)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < S.n_tokens; i++) {
		const struct xref_token *t = &S.tokens[i];

		if (t->end - t->start == n && memcmp(T + t->start, s, n) == 0 &&
		    nth-- == 0)
			return t->flags;
	}
	return UINT32_MAX;
}

static uint32_t flags_of(const char *s)
{
	return flags_nth(s, 0);
}

static void test_abbreviations(void)
{
	seg("Mr. Smith went to Washington. He met Gen. Jones there! "
	    "Did he? Yes.");
	CHECK(seg_rc == 0);
	CHECK_STR(sents(), "Mr. Smith went to Washington.|"
			   "He met Gen. Jones there!|Did he?|Yes.");
	CHECK_STR(toks_range(S.sentences[0].tok_begin, S.sentences[0].tok_end),
		  "Mr.|Smith|went|to|Washington|.");
	CHECK(flags_of("Mr.") == (W | UP | AB | FI));
	CHECK(flags_of("Gen.") == (W | UP | AB));
	CHECK(flags_of(".") == (PU | AT));

	/* "U.S." and "Inc." never end a sentence, even before a capital */
	seg("The U.S. Treasury fined Acme Inc. Tuesday. It paid Dr. No.");
	CHECK_STR(sents(), "The U.S. Treasury fined Acme Inc. Tuesday.|"
			   "It paid Dr. No.");
	CHECK(flags_of("U.S.") == (W | UP | AC | AB));
	CHECK(flags_of("Inc.") == (W | UP | AB));
	seg("They moved to the U.S. Then they left for Ltd. Co. Jan. 5.");
	CHECK(S.n_sentences == 1);
	CHECK(flags_of("Jan.") == (W | UP | AB));

	/* listed abbreviations are case-sensitive: "no." ends, "No." not */
	seg("I said no. Then I left. No. 5 is here. The CORP. Board met.");
	CHECK_STR(sents(), "I said no.|Then I left.|No. 5 is here.|"
			   "The CORP. Board met.");
	CHECK(flags_of("no") == W);
	CHECK(flags_of("CORP.") == (W | UP | AC | AB));

	/* "LLC" takes no period, so "LLC." ends the sentence */
	seg("It sold NSO LLC. Then it closed.");
	CHECK_STR(sents(), "It sold NSO LLC.|Then it closed.");

	/* dotted abbreviations */
	seg("The U.A.E., e.g. Dubai, hired a Ph.D. at 9 a.m. today.");
	CHECK_STR(toks(),
		  "The|U.A.E.|,|e.g.|Dubai|,|hired|a|Ph.D.|at|9|a.m.|today|.");
	CHECK(flags_of("e.g.") == (W | AB));
	CHECK(flags_of("Ph.D.") == (W | UP | AB));
	CHECK(flags_of("U.A.E.") == (W | UP | AC | AB));
	CHECK(S.n_sentences == 1);
	/* not dotted: a domain, or a chain without its final period */
	seg("t.co and U.S or e.gxx");
	CHECK_STR(toks(), "t|.|co|and|U.|S|or|e|.|gxx");
}

static void test_initials(void)
{
	seg("George W. Bush met J. K. Rowling. They talked.");
	CHECK_STR(sents(), "George W. Bush met J. K. Rowling.|They talked.");
	CHECK(flags_of("W.") == (W | UP | AB));
	CHECK(flags_of("K.") == (W | UP | AB));
	/* only uppercase single letters are initials */
	seg("Choose plan b. Then wait.");
	CHECK_STR(sents(), "Choose plan b.|Then wait.");
	CHECK(flags_of("b") == W);
	/* a non-ASCII initial */
	seg("Seán Ó. Cearbhaill spoke.");
	CHECK_STR(toks(), "Seán|Ó.|Cearbhaill|spoke|.");
	CHECK(flags_of("Ó.") == (W | UP | AB));
}

static void test_quotes_and_marks(void)
{
	seg("He said, \"We are ready.\" Then he left.");
	CHECK_STR(sents(), "He said, \"We are ready.\"|Then he left.");
	seg("“We are aware,” Gantz said. “It is done.” The end.");
	CHECK_STR(sents(),
		  "“We are aware,” Gantz said.|“It is done.”|The end.");
	/* FIRST on the opening quote and on the first word after it */
	CHECK(flags_nth("“", 0) == (PU | FI));
	CHECK(flags_of("We") == (W | UP | FI | AT));
	CHECK(flags_of("Gantz") == (W | UP));
	CHECK(flags_of("It") == (W | UP | FI | AT));
	CHECK(flags_of("The") == (W | UP | FI));
	seg("\"Why?\" he asked. (It was late.) Nobody came. "
	    "He called it 'done.' Then slept.");
	CHECK_STR(sents(), "\"Why?\" he asked.|(It was late.)|Nobody came.|"
			   "He called it 'done.'|Then slept.");
	/* colons do not start sentences */
	seg("Note: Paris is big.");
	CHECK(flags_of("Paris") == W + UP);
	CHECK(flags_of("Note") == (W | UP | FI));

	seg("Really? Yes! No way. Really?! Yes.");
	CHECK_STR(sents(), "Really?|Yes!|No way.|Really?!|Yes.");
	seg("Wait\xe2\x80\xa6 What? Hmm... Okay. So \xe2\x80\xa6 and then.");
	CHECK_STR(sents(), "Wait…|What?|Hmm...|Okay.|So … and then.");
	CHECK_STR(toks_range(S.sentences[2].tok_begin, S.sentences[2].tok_end),
		  "Hmm|.|.|.");
	CHECK(flags_of("…") == (PU | AT));
	/* a lowercase word after "?" does not start a sentence */
	seg("Is it? maybe not.");
	CHECK(S.n_sentences == 1);
	/* a bracket opens a sentence; no space after the period, no end */
	seg("He left. (Reuters) It rained.Next day it snowed.");
	CHECK_STR(sents(), "He left.|(Reuters) It rained.Next day it snowed.");
	CHECK(flags_of("Reuters") == (W | UP | AT | FI));
	CHECK(flags_of("(") == (PU | FI));
	/* a "?" after an abbreviation still ends the sentence */
	seg("Is it 5 p.m.? Yes.");
	CHECK_STR(sents(), "Is it 5 p.m.?|Yes.");
}

static void test_numbers_and_urls(void)
{
	seg("It cost 3.5 billion. About 50,000 people came. In 2021. "
	    "2022 was worse.");
	CHECK_STR(sents(), "It cost 3.5 billion.|About 50,000 people came.|"
			   "In 2021.|2022 was worse.");
	CHECK(flags_of("3.5") == DG);
	CHECK(flags_of("50,000") == DG);
	CHECK(flags_of("2022") == (DG | FI));
	seg("G7 leaders, 1990s, 10.5%, $1,000.50 and 3.");
	CHECK_STR(toks(), "G7|leaders|,|1990s|,|10.5|%|,|$|1,000.50|and|3|.");
	CHECK(flags_of("G7") == (W | UP | DG | FI));
	CHECK(flags_of("1990s") == (W | DG));

	seg("See https://forbiddenstories.org/about.html for more. "
	    "Write to info@amnesty.org. They reply.");
	CHECK_STR(sents(),
		  "See https://forbiddenstories.org/about.html for more.|"
		  "Write to info@amnesty.org.|They reply.");
	CHECK_STR(toks_range(1, 12),
		  "https|:|/|/|forbiddenstories|.|org|/|about|.|html");
	CHECK(flags_nth("org", 0) == (W | AT));
	CHECK(flags_nth(".", 0) == (PU | AT));
}

static void test_paragraphs(void)
{
	/* blank lines (even with spaces or NBSP on them) separate paragraphs;
	 * a single line break is whitespace inside one */
	seg("Title\n\nHe met Mr.\nSmith today.\n  \t\n\xc2\xa0\n"
	    "Second para. It ends.\n");
	CHECK(S.n_paragraphs == 3);
	CHECK_STR(paras(),
		  "Title|He met Mr.\nSmith today.|Second para. It ends.");
	CHECK_STR(sents(),
		  "Title|He met Mr.\nSmith today.|Second para.|It ends.");
	CHECK(S.paragraphs[2].sent_begin == 2 && S.paragraphs[2].sent_end == 4);
	CHECK(S.sentences[3].paragraph == 2 && S.sentences[1].paragraph == 1);

	/* no blank line: one paragraph per line, and a sentence never
	 * crosses a line then; blank lines at the ends do not separate */
	seg("\n \nLine one has no period\nline two\n  Line three.  \n\n");
	CHECK(S.n_paragraphs == 3);
	CHECK_STR(paras(), "Line one has no period|line two|Line three.");
	CHECK_STR(sents(), "Line one has no period|line two|Line three.");
	CHECK(S.sentences[1].paragraph == 1);
	CHECK(flags_of("line") == (W | FI));
	/* in blank-line mode the same lines form one paragraph */
	seg("Line one has no period\nline two\n\nLine three.");
	CHECK_STR(paras(), "Line one has no period\nline two|Line three.");
}

static void test_possessives(void)
{
	seg("Israel's policy and Israel\xe2\x80\x99s export.");
	CHECK_STR(toks(), "Israel|'s|policy|and|Israel|’s|export|.");
	CHECK(flags_nth("'s", 0) == (W | PO | AT));
	CHECK(flags_nth("’s", 0) == (W | PO | AT));
	CHECK(flags_nth("Israel", 1) == (W | UP));
	seg("Reporters' phones and journalists’ lawyers, NSO'S rivals.");
	CHECK_STR(toks(), "Reporters|'|phones|and|journalists|’|lawyers|,|"
			  "NSO|'S|rivals|.");
	CHECK(flags_of("'") == (PU | PO | AT));
	CHECK(flags_of("’") == (PU | PO | AT));
	CHECK(flags_of("'S") == (W | UP | PO | AT));
	/* inner apostrophes and contractions stay whole */
	seg("It's O'Brien's book; don't ask what’s in O’Neill's.");
	CHECK_STR(toks(),
		  "It's|O'Brien|'s|book|;|don't|ask|what’s|in|O’Neill|'s|.");
	CHECK(flags_of("O'Brien") == (W | UP));
	/* a closing single quote after an s is not a possessive */
	seg("The 'Forbidden Stories' report and the 'Cyber Week' event.");
	CHECK_STR(toks(), "The|'|Forbidden|Stories|'|report|and|the|'|Cyber|"
			  "Week|'|event|.");
	CHECK(flags_nth("'", 1) == (PU | AT));
	CHECK(flags_nth("'", 0) == PU);
	/* ... and once the quote is closed, possessives work again */
	seg("The 'Pegasus' spyware hit reporters' phones.");
	CHECK(flags_nth("'", 2) == (PU | PO | AT));
	/* an apostrophe after a word not ending in s is plain */
	seg("goin' home");
	CHECK(flags_of("'") == (PU | AT));
}

static void test_hyphens(void)
{
	/* "-" and U+2010, em and en dashes */
	seg("The Paris-based lab of John Scott-Railton ‐ COVID‐19 — "
	    "JAKARTA - The war—and 2010–2015.");
	CHECK_STR(toks(), "The|Paris|-|based|lab|of|John|Scott|-|Railton|‐|"
			  "COVID|‐|19|—|JAKARTA|-|The|war|—|and|2010|–|2015|.");
	CHECK(flags_nth("-", 0) == (PU | AT));
	CHECK(flags_of("based") == (W | AT));
	CHECK(flags_of("Railton") == (W | UP | AT));
	CHECK(flags_nth("-", 2) == PU);
	CHECK(flags_nth("‐", 0) == PU);
	CHECK(flags_nth("‐", 1) == (PU | AT));
	CHECK(flags_of("19") == (DG | AT));
}

static void test_case_flags(void)
{
	seg("JAKARTA NSO Group and iPhone, McDonald A I");
	CHECK(flags_of("JAKARTA") == (W | UP | AC | FI));
	CHECK(flags_of("NSO") == (W | UP | AC));
	CHECK(flags_of("Group") == (W | UP));
	CHECK(flags_of("iPhone") == W);
	CHECK(flags_of("McDonald") == (W | UP));
	CHECK(flags_of("A") == (W | UP));

	/* non-ASCII letters: precomposed and decomposed */
	seg("Ó Cearbhaill at the Élysée met ŞAHİN, Ünal, über and "
	    "E\xcc\x81ric.");
	CHECK_STR(toks(), "Ó|Cearbhaill|at|the|Élysée|met|ŞAHİN|,|Ünal|,|über|"
			  "and|E\xcc\x81ric|.");
	CHECK(flags_of("Ó") == (W | UP | FI));
	CHECK(flags_of("Élysée") == (W | UP));
	CHECK(flags_of("ŞAHİN") == (W | UP | AC));
	CHECK(flags_of("Ünal") == (W | UP));
	CHECK(flags_of("über") == W);
	CHECK(flags_of("E\xcc\x81ric") == (W | UP));
	/* a sentence may start with a non-ASCII capital; NBSP is whitespace */
	seg("Il est parti. \xc3\x89ric reste. Mr.\xc2\xa0Smith and Mr.Jones.");
	CHECK_STR(sents(),
		  "Il est parti.|Éric reste.|Mr.\xc2\xa0Smith and Mr.Jones.");
	CHECK(flags_of("Smith") == (W | UP));
	CHECK(flags_of("Jones") == (W | UP | AT));
	/* caseless letters (here Arabic) may start a sentence */
	seg("It ended. \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 again.");
	CHECK(S.n_sentences == 2);
	CHECK(flags_of("مرحبا") == (W | FI));
}

static void test_format_chars(void)
{
	/* ZWJ and soft hyphen join inside a word; ZWSP separates */
	seg("x\xe2\x80\x8dy Ab\xc2\xad" "cd and\xe2\x80\x8bthen");
	CHECK_STR(toks(), "x\xe2\x80\x8dy|Ab\xc2\xad" "cd|and|then");
	CHECK(flags_of("then") == W);
	/* a trailing soft hyphen is not part of the word */
	seg("end\xc2\xad now");
	CHECK_STR(toks(), "end|now");
}

static void test_offsets(void)
{
	seg("  Hello, w\xc3\xb6rld!  \n");
	CHECK(S.n_tokens == 4);
	CHECK(S.tokens[0].start == 2 && S.tokens[0].end == 7);
	CHECK(S.tokens[1].start == 7 && S.tokens[1].end == 8);
	CHECK(S.tokens[2].start == 9 && S.tokens[2].end == 15);
	CHECK(S.tokens[3].start == 15 && S.tokens[3].end == 16);
	CHECK(S.n_sentences == 1 && S.sentences[0].start == 2 &&
	      S.sentences[0].end == 16);
	CHECK(S.n_paragraphs == 1 && S.paragraphs[0].start == 2 &&
	      S.paragraphs[0].end == 16);
	CHECK(S.tokens[0].flags == (W | UP | FI));
	CHECK(S.tokens[1].flags == (PU | AT));
	CHECK(S.tokens[2].flags == W);

	seg("A.\n\nB’s “C”");
	CHECK(S.n_paragraphs == 2);
	CHECK(S.paragraphs[1].start == 4 && S.paragraphs[1].end == 17);
	CHECK_STR(toks(), "A.|B|’s|“|C|”");
	CHECK(S.tokens[2].start == 5 && S.tokens[2].end == 9);
	CHECK(S.tokens[3].start == 10 && S.tokens[3].end == 13);
}

static void test_empty(void)
{
	seg("");
	CHECK(seg_rc == 0 && S.n_tokens == 0 && S.n_sentences == 0 &&
	      S.n_paragraphs == 0);
	seg("  \n\t\n \xc2\xa0 \n\n\xe2\x80\x8b\n");
	CHECK(seg_rc == 0 && S.n_tokens == 0 && S.n_sentences == 0 &&
	      S.n_paragraphs == 0);
	xref_segmentation_release(&S);
	CHECK(xref_segment(&S, NULL, 0) == 0 && S.n_tokens == 0);
	/* release zeroes and is safe twice */
	seg("x");
	xref_segmentation_release(&S);
	CHECK(S.tokens == NULL && S.n_tokens == 0 && S.sentences == NULL &&
	      S.paragraphs == NULL);
	xref_segmentation_release(&S);
	CHECK(S.n_paragraphs == 0);
}

static void test_only_punct(void)
{
	seg("?!... --- () \xe2\x80\x94 *");
	CHECK(S.n_tokens == 12);
	CHECK(S.n_sentences == 1 && S.n_paragraphs == 1);
	bool all = S.n_tokens > 0;
	for (size_t i = 0; i < S.n_tokens; i++)
		all = all && (S.tokens[i].flags & PU) &&
		      !(S.tokens[i].flags & (W | DG));
	CHECK(all);
	CHECK(S.tokens[0].flags == (PU | FI));
	seg("...\n\n!!");
	CHECK(S.n_paragraphs == 2 && S.n_sentences == 2 && S.n_tokens == 5);
}

static void test_long_line(void)
{
	static const char word[] = "word ";
	size_t n = 1 << 20, wl = sizeof(word) - 1;
	char *big = malloc(n + 1);
	bool ok = true;

	if (!big) {
		CHECK(big != NULL);
		return;
	}
	for (size_t i = 0; i < n; i++)
		big[i] = word[i % wl];
	big[n] = '\0';
	seg(big);
	CHECK(seg_rc == 0);
	CHECK(S.n_paragraphs == 1 && S.n_sentences == 1);
	CHECK(S.n_tokens == (n + wl - 1) / wl);
	for (size_t i = 0; ok && i < S.n_tokens; i++)
		ok = S.tokens[i].start == i * wl &&
		     S.tokens[i].end == (i * wl + 4 < n ? i * wl + 4 : n) &&
		     S.tokens[i].flags == (i ? W : (W | FI));
	CHECK(ok);
	CHECK(S.sentences[0].tok_end == S.n_tokens);
	CHECK(S.paragraphs[0].end == S.tokens[S.n_tokens - 1].end);
	xref_segmentation_release(&S);

	/* a pathological dotted chain stays linear and correct */
	for (size_t i = 0; i < n; i++)
		big[i] = i % 2 ? '.' : 'a';
	big[n - 1] = 'x';
	seg(big);
	CHECK(seg_rc == 0 && S.n_tokens == n - 1);
	CHECK(S.n_tokens && S.tokens[S.n_tokens - 1].start == n - 2);
	xref_segmentation_release(&S);
	free(big);
}

static bool is_space_at(const char *t, size_t i)
{
	unsigned char c = (unsigned char)t[i];

	return c == ' ' || c == '\n' || c == '\t' ||
	       (c == 0xC2 && (unsigned char)t[i + 1] == 0xA0) ||
	       (c == 0xA0 && i > 0 && (unsigned char)t[i - 1] == 0xC2);
}

static bool is_cont_at(size_t i)
{
	return ((unsigned char)T[i] & 0xC0) == 0x80;
}

/*
 * Checks every structural promise of the header on the current S: tokens
 * ordered, non-empty, on code point boundaries, never holding whitespace,
 * covering every non-space byte, ATTACHED exactly when no space precedes;
 * sentences and paragraphs partitioning their children, with spans trimmed
 * and matching their tokens. Returns NULL, or what is broken.
 */
static const char *invariants(size_t len)
{
	const char *why = NULL;
	size_t covered = 0, ti = 0, si = 0;

	if (S.n_tokens && (S.n_sentences == 0 || S.n_paragraphs == 0)) {
		why = "tokens without sentences";
		goto out;
	}
	for (size_t i = 0; i < S.n_tokens; i++) {
		const struct xref_token *t = &S.tokens[i];
		bool att = i && S.tokens[i - 1].end == t->start;

		if (t->start >= t->end || t->end > len ||
		    (i && S.tokens[i - 1].end > t->start)) {
			why = "tokens empty, out of range or overlapping";
			goto out;
		}
		if (is_cont_at(t->start) ||
		    (t->end < len && is_cont_at(t->end))) {
			why = "token splits a code point";
			goto out;
		}
		for (size_t b = t->start; b < t->end && !why; b++)
			if (is_space_at(T, b))
				why = "token holds whitespace";
		for (size_t b = covered; b < t->start && !why; b++)
			if (!is_space_at(T, b))
				why = "non-space byte outside tokens";
		if (!why && att != !!(t->flags & AT))
			why = "ATTACHED wrong";
		if (why)
			goto out;
		covered = t->end;
	}
	for (size_t b = covered; b < len && !why; b++)
		if (!is_space_at(T, b))
			why = "non-space byte after the last token";
	for (size_t i = 0; i < S.n_sentences && !why; i++) {
		const struct xref_sentence *x = &S.sentences[i];
		const struct xref_paragraph *p = &S.paragraphs[x->paragraph];

		if (x->tok_begin != ti || x->tok_end <= x->tok_begin)
			why = "sentences do not partition tokens";
		else if (x->start != S.tokens[x->tok_begin].start ||
			 x->end != S.tokens[x->tok_end - 1].end)
			why = "sentence span differs from its tokens";
		else if (!(S.tokens[x->tok_begin].flags & FI))
			why = "sentence start without FIRST";
		else if (x->paragraph >= S.n_paragraphs ||
			 p->sent_begin > i || p->sent_end <= i)
			why = "sentence paragraph index wrong";
		ti = x->tok_end;
	}
	if (!why && ti != S.n_tokens)
		why = "tokens left outside sentences";
	for (size_t i = 0; i < S.n_paragraphs && !why; i++) {
		const struct xref_paragraph *p = &S.paragraphs[i];

		if (p->sent_begin != si || p->sent_end <= p->sent_begin) {
			why = "paragraphs do not partition sentences";
			goto out;
		}
		if (p->start != S.sentences[p->sent_begin].start ||
		    p->end != S.sentences[p->sent_end - 1].end)
			why = "paragraph span differs from its sentences";
		for (size_t b = p->start; b + 1 < p->end && !why; b++)
			if (T[b] == '\n' && T[b + 1] == '\n')
				why = "paragraph spans a blank line";
		si = p->sent_end;
	}
	if (!why && si != S.n_sentences)
		why = "sentences left outside paragraphs";
out:
	return why;
}

static uint32_t rng_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static const char *const vocab[] = {
	"the", "The", "NSO", "Group", "Mr.", "Gen.", "U.S.", "Inc.", "J.",
	"Israel's", "Reporters'", "O'Brien", "don't", "Paris-based",
	"Scott-Railton", "3.5", "50,000", "2021", "e.g.", "Ph.D.",
	"https://example.org/a.html", "info@amnesty.org", "Ó", "Cearbhaill",
	"Élysée", "ŞAHİN", "İstanbul", "“We", "are”", "‘Cyber", "Week’",
	"journalists’", "—", "–", "…", "(Reuters)", "[1]", "\"quoted\"",
	"'single'", "spyware", "ministry", "said", "a", "an", "E\xcc\x81ric",
	"مرحبا", "日本", "x\xe2\x80\x8dy", "km²", "%", "$", "#tag", "@user",
	"'s", "'", "’", "-", ".", ",", "?", "!", "a.b.c", "U.S", "A..",
};

static char *gen_text(size_t target, size_t *out_len, bool blank_lines)
{
	char *buf = malloc(target + 64);
	size_t len = 0;

	if (!buf)
		return NULL;
	while (len < target) {
		const char *w = vocab[rnd(sizeof(vocab) / sizeof(*vocab))];
		size_t wl = strlen(w);

		memcpy(buf + len, w, wl);
		len += wl;
		switch (rnd(40)) {
		case 0: case 1: case 2: case 3:
			buf[len++] = '.';
			buf[len++] = ' ';
			break;
		case 4:
			buf[len++] = '?';
			buf[len++] = '"';
			buf[len++] = ' ';
			break;
		case 5:
			buf[len++] = '\n';
			break;
		case 6:
			if (blank_lines) {
				memcpy(buf + len, "\n \n", 3);
				len += 3;
			} else {
				buf[len++] = '\n';
			}
			break;
		case 7:
			memcpy(buf + len, "\xc2\xa0", 2);
			len += 2;
			break;
		case 8:
			break; /* glued to the next word */
		case 9:
			buf[len++] = '\t';
			break;
		default:
			buf[len++] = ' ';
			break;
		}
	}
	buf[len] = '\0';
	*out_len = len;
	return buf;
}

static void test_partition(void)
{
	for (int mode = 0; mode < 2; mode++) {
		size_t len = 0;
		char *text = gen_text(300000, &len, mode == 0);
		const char *why;

		if (!text) {
			CHECK(text != NULL);
			return;
		}
		seg(text);
		CHECK(seg_rc == 0);
		why = invariants(len);
		if (why)
			printf("# invariant broken: %s\n", why);
		CHECK(why == NULL);
		CHECK(S.n_sentences > 100 && S.n_paragraphs > 10);
		/* two paragraph modes: by blank line, and one per line */
		if (mode == 1)
			CHECK(S.n_paragraphs > 1000);
		xref_segmentation_release(&S);
		free(text);
	}
	/* the invariants checker itself rejects a broken segmentation */
	seg("One two. Three four.");
	CHECK(invariants(strlen(T)) == NULL);
	S.sentences[1].tok_begin++;
	CHECK(invariants(strlen(T)) != NULL);
	seg("One two. Three four.");
	S.tokens[2].flags &= ~(uint32_t)AT;
	CHECK(invariants(strlen(T)) != NULL);
	seg("One two. Three four.");
	S.tokens[3].start--;
	CHECK(invariants(strlen(T)) != NULL);
}

static double now(void)
{
	struct timespec ts;

	timespec_get(&ts, TIME_UTC);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Throughput on 50 MB of news-like ASCII text, best of three: once as a
 * single string (which includes first-touching a ~230 MB token array, so
 * page faults weigh in) and once cut into ~2.8 KB articles, the way
 * documents really arrive (malloc then reuses the same memory). Both wall
 * time and process CPU time are shown: on a shared machine the CPU figure
 * is the stable one.
 */
static void bench(void)
{
	static const char para[] =
		"JAKARTA - The Ministry of Defense is studying an "
		"investigation into the NSO Group. Defense Minister Benny "
		"Gantz said Tuesday that this step was taken after it was "
		"revealed Israeli companies had been selling spyware to "
		"foreign governments.\n"
		"\"We are aware of recent publications regarding the use of "
		"systems developed by certain Israeli cyber companies,\" "
		"Gantz said Tuesday during a 'Cyber Week' event at Tel Aviv "
		"University, citing The Jerusalem Post Wednesday, July 21. In "
		"the center is a leaked list of 50,000 telephone numbers "
		"belonging to journalists, led by the Paris-based nonprofit "
		"Forbidden Stories. Mr. Gantz stressed that Israel's policy "
		"is intended for lawful use by the U.S. and others.\n\n";
	size_t target = 50u << 20, pl = sizeof(para) - 1, len = 0;
	size_t doc = 4 * pl;
	char *big = malloc(target + pl);
	double wall[2] = { 0, 0 }, cpu[2] = { 0, 0 }, mb;

	if (!big)
		return;
	while (len < target) {
		memcpy(big + len, para, pl);
		len += pl;
	}
	mb = (double)len / (1024.0 * 1024.0);
	for (int run = 0; run < 3; run++) {
		for (int mode = 0; mode < 2; mode++) {
			double w0 = now(), w;
			clock_t c0 = clock();
			double c;
			size_t ntok = 0;

			size_t step = mode ? doc : len;

			for (size_t off = 0; off < len; off += step) {
				size_t n = len - off < step ? len - off : step;

				seg_rc |= xref_segment(&S, big + off, n);
				ntok += S.n_tokens;
				xref_segmentation_release(&S);
			}
			w = mb / (now() - w0);
			c = mb / ((double)(clock() - c0) / CLOCKS_PER_SEC);
			if (w > wall[mode])
				wall[mode] = w;
			if (c > cpu[mode])
				cpu[mode] = c;
			printf("# bench run %d mode %d: %zu bytes, %zu tokens, "
			       "rc %d\n", run, mode, len, ntok, seg_rc);
		}
	}
	printf("# segment, one 50 MB string: %.1f MB/s wall, "
	       "%.1f MB/s of CPU\n", wall[0], cpu[0]);
	printf("# segment, %zu-byte articles: %.1f MB/s wall, "
	       "%.1f MB/s of CPU\n", doc, wall[1], cpu[1]);
	free(big);
}

/* Every listed abbreviation keeps its period and ends no sentence, as
 * written and (capitalised ones) in capitals; a word of the same length and
 * first letter that is not listed does not keep it. */
static void test_every_abbreviation(void)
{
	static const char *const list[] = {
		"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "Jr", "St", "Gen", "Lt",
		"Col", "Maj", "Capt", "Cmdr", "Sgt", "Cpl", "Pvt", "Brig", "Adm",
		"Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Det", "Insp",
		"Mt", "Ft", "Messrs", "Mme", "Mlle", "Esq", "Inc", "Ltd", "Corp",
		"Co", "Bros", "Plc", "No", "Nos", "Vol", "Fig", "Art", "Sec", "Dept",
		"Univ", "Assn", "Ave", "Blvd", "Rd", "Jan", "Feb", "Mar", "Apr",
		"Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "etc", "vs",
		"al", "cf", "viz", "approx",
	};
	char text[64];

	for (size_t i = 0; i < sizeof(list) / sizeof(*list); i++) {
		size_t n = strlen(list[i]);
		bool ok;

		for (int caps = 0; caps < 2; caps++) {
			if (caps && !(list[i][0] >= 'A' && list[i][0] <= 'Z'))
				continue;
			for (size_t k = 0; k < n; k++)
				text[k] = caps && list[i][k] >= 'a' &&
						  list[i][k] <= 'z' ?
					  (char)(list[i][k] - 'a' + 'A') :
					  list[i][k];
			memcpy(text + n, ". Next", 7);
			seg(text);
			ok = seg_rc == 0 && S.n_tokens == 2 &&
			     S.tokens[0].end == n + 1 &&
			     (S.tokens[0].flags & AB) && S.n_sentences == 1;
			CHECK(ok);
			if (!ok)
				printf("# abbreviation %s%s\n", list[i],
				       caps ? " in capitals" : "");
		}
	}
	seg("Zq. Next");
	/* an unlisted word before a period ends the sentence */
	CHECK(seg_rc == 0 && S.n_tokens == 3 && S.n_sentences == 2);
}

int main(void)
{
	const char *b = getenv("XREF_SEGMENT_BENCH");

	test_abbreviations();
	test_every_abbreviation();
	test_initials();
	test_quotes_and_marks();
	test_numbers_and_urls();
	test_paragraphs();
	test_possessives();
	test_hyphens();
	test_case_flags();
	test_format_chars();
	test_offsets();
	test_empty();
	test_only_punct();
	test_long_line();
	test_partition();
	xref_segmentation_release(&S);
	if (b && strcmp(b, "1") == 0)
		bench();
	return tap_done();
}
