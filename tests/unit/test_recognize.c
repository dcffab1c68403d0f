/*
 * Recognition rules, one case each that fails without its rule, and the
 * seed-style story end to end (segment + recognize). Set
 * XREF_TEST_VERBOSE=1 to print every mention.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/buf.h"
#include "ingest/recognize.h"
#include "ingest/status.h"
#include "ingest/segment.h"
#include "tests/unit/tap.h"

static struct xref_recognizer *rec;

struct result {
	struct xref_segmentation seg;
	struct xref_mentions m;
	const char *text;
};

static void run(struct result *res, const char *text)
{
	memset(res, 0, sizeof(*res));
	res->text = text;
	CHECK(xref_segment(&res->seg, text, strlen(text)) == 0);
	CHECK(xref_recognize(&res->m, rec, text, strlen(text), &res->seg) == 0);
	if (getenv("XREF_TEST_VERBOSE")) {
		for (size_t i = 0; i < res->m.n; i++) {
			const struct xref_mention *m = &res->m.v[i];

			printf("#   [%.*s] -> %s (%s) key=%s rule=%s\n",
			       (int)(m->end - m->start), text + m->start,
			       m->name, xref_type_name(m->type), m->key, m->rule);
		}
	}
}

static void done(struct result *res)
{
	xref_mentions_release(&res->m);
	xref_segmentation_release(&res->seg);
}

/* The mention whose surface is exactly `surface`, or NULL. */
static const struct xref_mention *find(const struct result *res,
				       const char *surface)
{
	size_t n = strlen(surface);

	for (size_t i = 0; i < res->m.n; i++) {
		const struct xref_mention *m = &res->m.v[i];

		if (m->end - m->start == n &&
		    memcmp(res->text + m->start, surface, n) == 0)
			return m;
	}
	return NULL;
}

/* Is any mention's entity named `name`? */
static const struct xref_mention *find_entity(const struct result *res,
					      const char *name)
{
	for (size_t i = 0; i < res->m.n; i++)
		if (strcmp(res->m.v[i].name, name) == 0)
			return &res->m.v[i];
	return NULL;
}

static bool has_type(const struct result *res, const char *surface,
		     enum xref_type t)
{
	const struct xref_mention *m = find(res, surface);

	return m && m->type == t;
}

static bool same_entity(const struct result *res, const char *a,
			const char *b)
{
	const struct xref_mention *ma = find(res, a), *mb = find(res, b);

	return ma && mb && strcmp(ma->key, mb->key) == 0;
}

static void test_seed_story(void)
{
	struct result r;

	run(&r,
	    "Artificial Spyware Used To Kill Illegally, NSO Faces Israel Defense Ministry Investigation\n"
	    "JAKARTA - The Ministry of Defense is studying an investigation into the NSO Group. "
	    "Defense Minister Benny Gantz said Tuesday that this step was taken.\n"
	    "On Sunday it was revealed that the spyware sold by NSO had been found on the phones "
	    "of people targeted by the governments of Azerbaijan, Bahrain, Saudi Arabia, "
	    "United Arab Emirates and more.\n"
	    "The investigation was led by the Paris-based nonprofit journalism Forbidden Stories, "
	    "sponsored by Amnesty International. Its list belonged to journalists, senior "
	    "politicians and business people.\n"
	    "Touching on cyber in Israel, Gantz said Israel's policy is lawful.\n");
	CHECK(has_type(&r, "NSO Group", XREF_TYPE_COMPANY));
	CHECK(same_entity(&r, "NSO", "NSO Group"));
	CHECK(has_type(&r, "Benny Gantz", XREF_TYPE_PERSON));
	CHECK(same_entity(&r, "Gantz", "Benny Gantz"));
	CHECK(has_type(&r, "Israel Defense Ministry", XREF_TYPE_GOVERNMENT));
	CHECK(same_entity(&r, "Israel Defense Ministry", "Ministry of Defense"));
	CHECK(has_type(&r, "Azerbaijan", XREF_TYPE_COUNTRY));
	CHECK(has_type(&r, "United Arab Emirates", XREF_TYPE_COUNTRY));
	CHECK(has_type(&r, "Saudi Arabia", XREF_TYPE_COUNTRY));
	CHECK(find(&r, "Forbidden Stories") != NULL);
	CHECK(find(&r, "Amnesty International") != NULL);
	CHECK(has_type(&r, "journalists", XREF_TYPE_TARGET));
	CHECK(has_type(&r, "politicians", XREF_TYPE_TARGET));
	CHECK(has_type(&r, "business people", XREF_TYPE_TARGET));
	CHECK(has_type(&r, "Paris", XREF_TYPE_LOCATION));
	CHECK(has_type(&r, "JAKARTA", XREF_TYPE_LOCATION));
	CHECK(find(&r, "Tuesday") == NULL);
	CHECK(find(&r, "Sunday") == NULL);
	CHECK(find(&r, "On") == NULL);
	CHECK(find(&r, "The") == NULL);
	CHECK(find(&r, "Touching") == NULL);
	CHECK(find(&r, "Artificial Spyware") == NULL);
	CHECK(find(&r, "Defense Minister") == NULL);
	CHECK(find_entity(&r, "Tuesday") == NULL);
	done(&r);
}

static void test_country_aliases(void)
{
	struct result r;

	run(&r, "Officials in the U.S. and the United States and the US "
		"and the USA met. The UAE replied.\n");
	CHECK(same_entity(&r, "U.S.", "United States"));
	CHECK(same_entity(&r, "US", "United States"));
	CHECK(same_entity(&r, "USA", "United States"));
	CHECK(has_type(&r, "UAE", XREF_TYPE_COUNTRY));
	done(&r);
}

static void test_acronym_and_initialism(void)
{
	struct result r;

	run(&r, "The Defense Export Controls Agency (DECA) approved it. "
		"Later, DECA said so. The Committee to Protect Journalists "
		"spoke, and the CPJ added more.\n");
	CHECK(same_entity(&r, "DECA", "Defense Export Controls Agency"));
	CHECK(same_entity(&r, "CPJ", "Committee to Protect Journalists"));
	done(&r);
}

static void test_titles_and_persons(void)
{
	struct result r;

	run(&r, "President Emmanuel Macron changed phones. Mr. Macron said "
		"little. Prime Minister Narendra Modi was silent.\n");
	CHECK(has_type(&r, "Emmanuel Macron", XREF_TYPE_PERSON));
	CHECK(same_entity(&r, "Macron", "Emmanuel Macron"));
	CHECK(has_type(&r, "Narendra Modi", XREF_TYPE_PERSON));
	CHECK(find(&r, "President Emmanuel Macron") == NULL);
	CHECK(find(&r, "Prime Minister") == NULL);
	done(&r);
}

static void test_org_cues(void)
{
	struct result r;

	run(&r, "She spoke at Tel Aviv University, citing The Jerusalem Post "
		"Wednesday. Apple Inc. sued.\n");
	CHECK(has_type(&r, "Tel Aviv University", XREF_TYPE_ORGANIZATION));
	CHECK(has_type(&r, "Jerusalem Post", XREF_TYPE_MEDIA));
	CHECK(find(&r, "Wednesday") == NULL);
	done(&r);
}

static void test_watchlist(void)
{
	struct result r;
	const char *wl = "# comment\nPegasus Project\torganization\tthe Project\n";

	CHECK(xref_recognizer_add_watchlist_buffer(rec, wl, strlen(wl), "w.tsv") == 0);
	run(&r, "Reporters of the Pegasus Project met.\n");
	CHECK(has_type(&r, "Pegasus Project", XREF_TYPE_ORGANIZATION));
	CHECK(strcmp(find(&r, "Pegasus Project")->rule, "watchlist") == 0);
	done(&r);
	CHECK(xref_recognizer_add_watchlist_buffer(rec, "A\tbogus\n", 8, "bad.tsv") ==
	      XREF_EDATA);
	CHECK(strstr(xref_error_last(), "'bad.tsv' line 1") != NULL);
	CHECK(xref_recognizer_add_watchlist_buffer(rec, "no tab here\n", 12, "bad.tsv") ==
	      XREF_EDATA);
	{
		/* A last line without a newline, in a buffer of exactly its
		 * size, is read without touching the byte after it. */
		static const char line[] = "Zorvath Lane\tperson";
		char *exact = malloc(sizeof(line) - 1);

		CHECK(exact != NULL);
		if (exact) {
			memcpy(exact, line, sizeof(line) - 1);
			CHECK(xref_recognizer_add_watchlist_buffer(
				      rec, exact, sizeof(line) - 1, "w.tsv") == 0);
			free(exact);
		}
	}
	/* Control characters of a bad type never reach the message. */
	{
		static const char bad[] = "A\tbo\x1b[2Jgus\n";

		CHECK(xref_recognizer_add_watchlist_buffer(
			      rec, bad, sizeof(bad) - 1, "bad.tsv") == XREF_EDATA);
	}
	CHECK(strchr(xref_error_last(), '\x1b') == NULL);
	/* Control characters in a name become one space; the name is kept
	 * and no mention carries them. */
	{
		static const char ctl[] =
			"Quorvel\x07 \x05" "Dynamics\tcompany\tQD\x1b|\x01\n";
		const struct xref_mention *m;

		CHECK(xref_recognizer_add_watchlist_buffer(
			      rec, ctl, sizeof(ctl) - 1, "w.tsv") == 0);
		run(&r, "Quorvel Dynamics and QD signed.\n");
		m = find(&r, "Quorvel Dynamics");
		CHECK(m && strcmp(m->name, "Quorvel Dynamics") == 0);
		m = find(&r, "QD");
		CHECK(m && strcmp(m->name, "Quorvel Dynamics") == 0);
		done(&r);
		CHECK(xref_recognizer_add_watchlist_buffer(
			      rec, "\x05\x06\tperson\n", 9, "bad.tsv") ==
		      XREF_EDATA);
	}
}

/* Each rule with a case that fails without it. */
static void test_rules(void)
{
	struct result r;

	/* Headlines by shape: a title line's ordinary capitalised words are
	 * not names, but a sentence full of names is no headline. */
	run(&r, "Spyware Maker Faces New Questions Over Exports\n"
		"The Defense Export Controls Agency approved it.\n");
	CHECK(find(&r, "Spyware Maker") == NULL);
	CHECK(find(&r, "Defense Export Controls Agency") != NULL);
	done(&r);

	/* Descriptor nouns type unknown names. */
	run(&r, "The investigation was led by the nonprofit Zorblat Vinnex, "
		"while singer Quarmo Velt watched.\n");
	CHECK(has_type(&r, "Zorblat Vinnex", XREF_TYPE_ORGANIZATION));
	CHECK(has_type(&r, "Quarmo Velt", XREF_TYPE_PERSON));
	done(&r);

	/* Place cues: "in X", and "X, <known place>". */
	run(&r, "He grew up in Quellbrook and later moved to Varnsby, Ohio.\n");
	CHECK(has_type(&r, "Quellbrook", XREF_TYPE_LOCATION));
	CHECK(has_type(&r, "Varnsby", XREF_TYPE_LOCATION));
	done(&r);

	/* A place that starts a longer name names something else. */
	run(&r, "Fans of Perth Glory cheered in Atlantic City.\n");
	CHECK(find(&r, "Perth") == NULL);
	CHECK(find(&r, "Perth Glory") != NULL);
	CHECK(has_type(&r, "Atlantic City", XREF_TYPE_LOCATION));
	done(&r);

	/* Lowercase place names in web text, but not ordinary words. */
	run(&r, "we flew from mexico to san francisco last week.\n");
	CHECK(has_type(&r, "mexico", XREF_TYPE_COUNTRY));
	CHECK(has_type(&r, "san francisco", XREF_TYPE_LOCATION));
	done(&r);

	/* A lone given name is a person; so is a name ending in a family
	 * name. */
	run(&r, "Thanks for the help with the report.\n\nRegards, Chris\n");
	CHECK(has_type(&r, "Chris", XREF_TYPE_PERSON));
	done(&r);

	/* A surname shared by two full names stays a person, unmerged. */
	run(&r, "Duane Bobick fought often. His brother Rodney Bobick boxed "
		"too. In 1973, Bobick lost.\n");
	CHECK(has_type(&r, "Bobick", XREF_TYPE_PERSON));
	CHECK(!same_entity(&r, "Bobick", "Duane Bobick"));
	done(&r);

	/* An unknown word before a speech verb is a person. */
	run(&r, "The company denied it. Later, Zanderberg said the claims "
		"were false.\n");
	CHECK(has_type(&r, "Zanderberg", XREF_TYPE_PERSON));
	done(&r);

	/* Noise: file names, addresses, shouting, lone letters, one-off
	 * phrases of ordinary words, undefined one-off acronyms,
	 * unsupported sentence-initial words. */
	run(&r, "Please read Budget_final.doc and write to Ops@example.org "
		"today. It is VERY URGENT for X to act. Our Special Offer ends "
		"soon. Send the RFP soon. Kindest regards.\n");
	CHECK(find(&r, "Budget") == NULL);
	CHECK(find(&r, "Ops") == NULL);
	CHECK(find(&r, "VERY URGENT") == NULL);
	CHECK(find(&r, "X") == NULL);
	CHECK(find(&r, "Special Offer") == NULL);
	CHECK(find(&r, "RFP") == NULL);
	CHECK(find(&r, "Kindest") == NULL);
	done(&r);

	/* State bodies: by a country before them, by a possessive country,
	 * and by the country the document is about. */
	run(&r, "Israel's Ministry of Defense said so. Israel denied it. "
		"The Foreign Ministry agreed.\n");
	CHECK(find(&r, "Israel's Ministry of Defense") != NULL &&
	      strcmp(find(&r, "Israel's Ministry of Defense")->name,
		     "Ministry of Defense (Israel)") == 0);
	CHECK(find_entity(&r, "Ministry of Foreign Affairs (Israel)") != NULL);
	done(&r);

	/* A corporate suffix abbreviation ends a name. */
	run(&r, "The deal went to Quorvex Ltd. It was signed in May.\n");
	CHECK(find(&r, "Quorvex Ltd.") != NULL);
	CHECK(find(&r, "Ltd. It") == NULL);
	done(&r);

	/* Demonyms are adjectives, not mentions, but build state bodies;
	 * "the government of X" is a government; event words end
	 * non-actors; particles such as "to" join words only inside
	 * organisation names. */
	run(&r, "Israeli firms attended Cyber Week. Trains ran from Poolesville "
		"to Sandy Hook. The Mexican government and the government of "
		"Rwanda denied it, as did Hungary's government.\n");
	CHECK(find(&r, "Israeli") == NULL);
	CHECK(has_type(&r, "Mexican government", XREF_TYPE_GOVERNMENT));
	CHECK(find_entity(&r, "Government of Mexico") != NULL);
	CHECK(has_type(&r, "government of Rwanda", XREF_TYPE_GOVERNMENT));
	CHECK(has_type(&r, "Hungary's government", XREF_TYPE_GOVERNMENT));
	CHECK(find(&r, "Cyber Week") == NULL);
	CHECK(find(&r, "Poolesville to Sandy Hook") == NULL);
	done(&r);
}

/* A toy tagger: every word "zeta" is a person. */
static int toy_tagger(struct xref_tagged_span *out, size_t cap, size_t *n,
		      const char *text, const struct xref_token *tokens,
		      size_t n_tokens, void *ctx)
{
	*n = 0;
	(void)ctx;
	for (size_t i = 0; i < n_tokens && *n < cap; i++) {
		if (tokens[i].end - tokens[i].start == 4 &&
		    memcmp(text + tokens[i].start, "zeta", 4) == 0) {
			out[*n].tok_begin = i;
			out[*n].tok_end = i + 1;
			out[*n].type = XREF_TYPE_PERSON;
			(*n)++;
		}
	}
	return 0;
}

/* The tagger seam: its spans are added where the rules found nothing. */
static void test_tagger(void)
{
	struct result r;

	xref_recognizer_set_tagger(rec, toy_tagger, NULL);
	run(&r, "Yesterday zeta met officials in Mexico.\n");
	CHECK(has_type(&r, "zeta", XREF_TYPE_PERSON));
	CHECK(strcmp(find(&r, "zeta")->rule, "tagger") == 0);
	CHECK(has_type(&r, "Mexico", XREF_TYPE_COUNTRY));
	done(&r);
	xref_recognizer_set_tagger(rec, NULL, NULL);
	run(&r, "Yesterday zeta met officials in Mexico.\n");
	CHECK(find(&r, "zeta") == NULL);
	done(&r);
}

static void test_keys(void)
{
	char *a = NULL, *b = NULL, *c = NULL;

	CHECK(xref_entity_key(&a, rec, "NSO Group Technologies Ltd", 26) == 0);
	CHECK(xref_entity_key(&b, rec, "the NSO Group", 13) == 0);
	CHECK(xref_entity_key(&c, rec, "NSO Group's", 11) == 0);
	CHECK_STR(a, "nso");
	CHECK_STR(b, "nso");
	CHECK_STR(c, "nso");
	free(a);
	free(b);
	free(c);
}

/* A distinct capitalised made-up word for every n (base-16 digits as
 * syllables), so that no two generated names are the same. */
static void made_up_word(struct xref_buf *b, unsigned long n, unsigned salt)
{
	static const char *const syl[16] = {
		"ka", "lo", "mir", "bes", "tran", "oru", "van", "zum",
		"brel", "qua", "dor", "vex", "pal", "gri", "fel", "ach",
	};
	size_t start = b->len;

	xref_buf_puts(b, syl[salt % 16]);
	do {
		xref_buf_puts(b, syl[n % 16]);
		n /= 16;
	} while (n);
	b->ptr[start] = (char)(b->ptr[start] - 'a' + 'A');
}

/*
 * One paragraph of some 2 MB naming a hundred thousand distinct people and
 * places, with short forms: the document pass must stay linear in the
 * number of candidates (it once compared every candidate with every other
 * and took minutes here). The bound is loose enough for a sanitizer build
 * on a loaded machine; the linear pass takes well under a second.
 */
static void test_large_paragraph(void)
{
	struct xref_buf text = XREF_BUF_INIT;
	struct result r;
	const struct xref_mention *m;
	clock_t t0;
	double cpu;
	unsigned long n = 0;

	while (text.len < 2 * 1024 * 1024) {
		if (text.len)
			xref_buf_putc(&text, ' ');
		made_up_word(&text, n, 1);
		xref_buf_putc(&text, ' ');
		made_up_word(&text, n, 2);
		xref_buf_puts(&text, " met ");
		made_up_word(&text, n, 3);
		xref_buf_putc(&text, ' ');
		made_up_word(&text, n, 4);
		xref_buf_puts(&text, " in ");
		made_up_word(&text, n, 5);
		xref_buf_puts(&text, ". Later ");
		made_up_word(&text, n, 2);
		xref_buf_puts(&text, " told ");
		made_up_word(&text, n, 6);
		xref_buf_puts(&text, " about it.");
		n++;
	}
	CHECK(text.ptr && !strchr(text.ptr, '\n'));
	t0 = clock();
	run(&r, xref_buf_cstr(&text));
	cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("# %lu sentence pairs, %zu mentions, %.2f s CPU\n", n,
	       r.m.n, cpu);
	CHECK(cpu < 20.0);
	CHECK(r.seg.n_paragraphs == 1);
	CHECK(r.m.n >= 4 * n);
	/* "Later Mirka told ..." is the short form of "Loka Mirka". */
	m = find(&r, "Mirka");
	CHECK(m && strcmp(m->name, "Loka Mirka") == 0);
	done(&r);
	xref_buf_release(&text);
}

int main(void)
{
	if (xref_recognizer_new(&rec)) {
		printf("not ok - recognizer: %s\n", xref_error_last());
		return 1;
	}
	test_seed_story();
	test_country_aliases();
	test_acronym_and_initialism();
	test_titles_and_persons();
	test_org_cues();
	test_watchlist();
	test_keys();
	test_rules();
	test_tagger();
	test_large_paragraph();
	xref_recognizer_free(rec);
	return tap_done();
}
