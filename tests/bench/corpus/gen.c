/*
 * xref-bench-corpus: writes a deterministic corpus of news-like articles for
 * the benchmarks.
 *
 *   xref-bench-corpus [-s SEED] [-k KNOWLEDGE_DIR] -m MB -o DIR
 *
 * DIR receives about MB mebibytes of articles in every input format: plain
 * text with Title/Date/URL headers (txt/), Markdown (md/), HTML pages with
 * scripts, styles and navigation (html/), and JSON Lines files of 1,000
 * articles each (jsonl/); single-article files go 1,000 to a subdirectory.
 *
 * How: one splitmix64 stream drives everything, so a seed gives the same
 * bytes on every machine, and a smaller corpus is a prefix of a larger one.
 * The entity vocabulary is drawn first from the seed alone (never from the
 * size): persons (given names from the knowledge tables, invented surnames,
 * often with an office title), companies, media and organisations
 * (invented stems with the suffixes recognition knows), state bodies
 * ("French Interior Ministry"), countries and cities of the knowledge
 * tables, and target nouns. Articles follow "stories": a fixed set of casts
 * of 6 to 16 entities with a home country and city, chosen with a skew, so
 * the set of entities and of links saturates while the corpus grows (the
 * same graph at 100 MB and at 1 GB, as a newsroom's archive of a few
 * hundred running stories). Prose is pseudo-English from a built-in word
 * list, with one mention every few words and short forms after the first
 * ("President Ilse Varnok" then "Varnok").
 *
 * Rejected: a Python generator (too slow for a gigabyte in the time a
 * benchmark allows) and sampling real articles (none may be shipped).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_SURNAMES 3000
#define N_STEMS 1600
#define N_PERSONS 4000
#define N_COMPANIES 1200
#define N_MEDIA 80
#define N_ORGS 220
#define N_GOVS 160
#define N_STORIES 600
#define CAST_MAX 16
#define PER_DIR 1000
#define PER_JSONL 1000
#define NAME_MAX_BYTES 96

/* ---- random numbers ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n < 2^32. */
static uint32_t rnd(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

/* Skewed towards 0: index floor(n * u^3), a heavy head and a long tail,
 * like the frequency of names in news. */
static uint32_t rnd_skew(uint32_t n)
{
	double u = (double)(rng_next() >> 11) / 9007199254740992.0;
	uint32_t i = (uint32_t)((double)n * u * u * u);

	return i < n ? i : n - 1;
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

/* ---- built-in vocabulary ---- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const determiners[] = {
	"the", "the", "the", "a", "a", "its", "their", "this", "that", "another",
	"every", "some", "several", "no", "each", "one", "two", "three",
};
static const char *const nouns[] = {
	"report", "government", "company", "contract", "deal", "investigation",
	"statement", "official", "agency", "program", "system", "software",
	"phone", "message", "network", "group", "month", "year", "week", "day",
	"document", "email", "court", "case", "law", "decision", "policy",
	"country", "city", "border", "market", "price", "share", "bank",
	"account", "payment", "fund", "budget", "tax", "election", "vote",
	"party", "campaign", "leader", "minister", "ministry", "police",
	"army", "attack", "threat", "risk", "security", "data", "record",
	"file", "source", "story", "newspaper", "interview", "meeting",
	"office", "building", "street", "town", "region", "village", "farm",
	"factory", "worker", "union", "strike", "protest", "crowd", "group",
	"family", "child", "woman", "man", "student", "school", "hospital",
	"doctor", "patient", "virus", "vaccine", "test", "result", "study",
	"researcher", "expert", "analyst", "lawyer", "judge", "trial",
	"prison", "sentence", "charge", "crime", "fraud", "bribe", "scheme",
	"leak", "spy", "surveillance", "license", "export", "import", "trade",
	"oil", "gas", "power", "energy", "plant", "ship", "port", "plane",
	"flight", "airport", "road", "bridge", "river", "water", "fire",
	"storm", "flood", "crisis", "war", "peace", "talks", "agreement",
	"treaty", "sanction", "ban", "order", "rule", "question", "answer",
	"letter", "request", "list", "number", "figure", "percent", "amount",
	"cost", "loss", "profit", "sale", "client", "customer", "supplier",
	"owner", "partner", "board", "director", "manager", "spokesman",
	"spokeswoman", "adviser", "aide", "friend", "rival", "critic",
	"version", "update", "feature", "device", "server", "platform",
	"website", "app", "tool", "method", "plan", "project", "effort",
};
static const char *const adjectives[] = {
	"new", "former", "senior", "local", "national", "foreign", "public",
	"private", "secret", "official", "internal", "large", "small", "major",
	"key", "recent", "early", "late", "second", "first", "last", "final",
	"political", "economic", "military", "legal", "financial", "digital",
	"human", "social", "powerful", "controversial", "independent",
	"anonymous", "unnamed", "alleged", "possible", "serious", "growing",
	"strong", "weak", "higher", "lower", "wider", "long", "short", "full",
	"detailed", "confidential", "leaked", "sensitive", "previous", "next",
};
static const char *const verbs[] = {
	"said", "reported", "confirmed", "denied", "showed", "revealed",
	"announced", "signed", "approved", "rejected", "received", "sent",
	"paid", "bought", "sold", "built", "used", "found", "asked", "told",
	"met", "called", "visited", "left", "joined", "opened", "closed",
	"blocked", "targeted", "hacked", "monitored", "tracked", "questioned",
	"arrested", "charged", "fined", "sued", "accused", "defended",
	"criticized", "welcomed", "supported", "funded", "hired", "fired",
	"warned", "promised", "expected", "planned", "launched", "ended",
	"raised", "cut", "increased", "reduced", "moved", "shared", "published",
	"obtained", "reviewed", "examined", "investigated", "documented",
};
static const char *const prepositions[] = {
	"in", "in", "on", "at", "with", "from", "to", "for", "by", "after",
	"before", "during", "about", "against", "under", "over", "between",
	"through", "without", "near", "since", "within",
};
static const char *const adverbs[] = {
	"also", "later", "recently", "reportedly", "publicly", "quietly",
	"repeatedly", "already", "still", "again", "then", "often", "never",
	"previously", "allegedly", "officially",
};
static const char *const openers[] = {
	"However,", "Meanwhile,", "In a statement,", "According to the report,",
	"Last year,", "On Tuesday,", "On Monday,", "In March,", "Since then,",
	"At the time,", "In response,", "Earlier this month,", "In 2019,",
	"For years,", "Separately,",
};
static const char *const attributions[] = {
	"said", "told reporters", "wrote in a statement", "said in an interview",
	"told the newspaper", "said on Thursday", "added",
};

static const char *const person_titles[] = {
	"President", "Prime Minister", "Minister", "Defense Minister",
	"Foreign Minister", "Interior Minister", "Gen.", "Dr.", "Mr.", "Ms.",
	"Sen.", "Judge", "Mayor", "Ambassador", "Prosecutor", "Prof.",
	"Col.", "Chairman", "Governor", "Rep.",
};
static const char *const person_roles[] = {
	"the chief executive of", "a spokesman for", "the founder of",
	"a lawyer for", "a director at", "an adviser to", "the head of",
	"a former employee of", "a board member of",
};
static const char *const company_suffixes[] = {
	"Ltd", "Inc.", "Group", "Holdings", "Technologies", "Systems",
	"GmbH", "S.A.", "LLC", "Bank", "Capital", "Energy", "Airlines",
	"Corporation", "Consulting", "Security", "Labs", "Partners",
};
static const char *const media_suffixes[] = {
	"Times", "Post", "Herald", "News", "Journal", "Tribune", "Gazette",
	"Daily", "Broadcasting",
};
static const char *const org_suffixes[] = {
	"Foundation", "Institute", "Watch", "Party", "University", "Council",
	"Association", "Alliance", "Centre", "Coalition",
};
static const char *const gov_bodies[] = {
	"Interior Ministry", "Defense Ministry", "Foreign Ministry",
	"Justice Ministry", "police", "army", "Supreme Court",
	"intelligence agency", "Finance Ministry",
};
static const char *const targets[] = {
	"journalists", "activists", "lawyers", "dissidents",
	"human rights defenders", "diplomats", "opposition politicians",
	"researchers", "critics", "a journalist", "an activist",
	"investigative reporters", "whistleblowers", "business executives",
};
static const char *const onsets[] = {
	"b", "br", "d", "dr", "k", "kr", "l", "m", "n", "p", "pr", "r", "s",
	"st", "t", "tr", "v", "z", "h", "g", "gr", "f", "j", "sh", "ch", "",
};
static const char *const vowels[] = {
	"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou", "ia",
};
static const char *const codas[] = {
	"", "", "", "n", "r", "l", "s", "k", "m", "t", "nd", "rk",
};
static const char *const endings[] = {
	"", "", "ov", "ski", "enko", "son", "ez", "ani", "berg", "ini", "ic",
	"ard", "elli", "ami", "ova", "stein", "ado", "ul",
};
/* Fallbacks when no knowledge directory is given. */
static const char *const fallback_given[] = {
	"Anna", "David", "Maria", "Omar", "Yuki", "Elena", "Samuel", "Fatima",
	"Peter", "Ines", "Carlos", "Leila", "Ivan", "Amira", "Jonas", "Priya",
};
static const char *const fallback_countries[] = {
	"France", "Germany", "Mexico", "India", "Israel", "Hungary", "Morocco",
	"Rwanda", "Spain", "Saudi Arabia", "United States", "Azerbaijan",
};
static const char *const fallback_demonyms[] = {
	"French", "German", "Mexican", "Indian", "Israeli", "Hungarian",
	"Moroccan", "Rwandan", "Spanish", "Saudi", "American", "Azerbaijani",
};
static const char *const fallback_cities[] = {
	"Paris", "Berlin", "Madrid", "Budapest", "Rabat", "Kigali", "Riyadh",
	"Baku", "Mumbai", "Tel Aviv", "Mexico City", "Washington",
};

/* ---- string lists ---- */

struct strlist {
	char **v;
	size_t n, cap;
};

static int list_add(struct strlist *l, const char *s, size_t len)
{
	char *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -1;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	p = malloc(len + 1);
	if (!p)
		return -1;
	memcpy(p, s, len);
	p[len] = '\0';
	l->v[l->n++] = p;
	return 0;
}

static int list_add_all(struct strlist *l, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list_add(l, v[i], strlen(v[i])))
			return -1;
	return 0;
}

static void list_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * Reads field `field` (0-based, TAB-separated, its first |-value) of every
 * row of a knowledge table, skipping comments; every `step`-th row only.
 * `pair` (may be NULL) receives field 0 of the same rows. Returns 0, or -1
 * when the file cannot be read (the caller then uses its fallback).
 */
static int read_column(struct strlist *out, struct strlist *pair,
		       const char *dir, const char *file, int field,
		       unsigned step)
{
	char path[4096];
	char line[4096];
	unsigned row = 0;
	FILE *f;
	int ret = -1;

	if (!dir || snprintf(path, sizeof(path), "%s/%s", dir, file) >=
				    (int)sizeof(path))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		int k;

		if (line[0] == '#')
			continue;
		if (row++ % step)
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (k = 0; k < field && p; k++) {
			p = strchr(p, '\t');
			if (p)
				p++;
		}
		if (!p || !*p)
			continue;
		end = p + strcspn(p, "\t|");
		if (end == p)
			continue;
		if (list_add(out, p, (size_t)(end - p)) ||
		    (pair && list_add(pair, line, strcspn(line, "\t"))))
			goto out;
	}
	ret = ferror(f) ? -1 : 0;
out:
	fclose(f);
	return ret;
}

/* ---- the entity vocabulary ---- */

enum kind { K_PERSON, K_COMPANY, K_MEDIA, K_ORG, K_GOV, K_COUNT };

struct entity {
	enum kind kind;
	char full[NAME_MAX_BYTES];  /* first mention */
	char short_[NAME_MAX_BYTES];/* later mentions; "" when none */
	const char *title;          /* persons: office title or NULL */
};

struct story {
	uint32_t cast[CAST_MAX];
	unsigned n_cast;
	uint32_t country, city; /* indexes into the country and city lists */
	uint32_t target;
};

struct vocab {
	struct strlist given, countries, demonyms, dem_country, cities;
	struct strlist surnames, stems;
	struct entity *ents;
	size_t n_ents;
	struct story stories[N_STORIES];
};

static void make_word(char *out, size_t cap, unsigned syllables,
		      bool with_ending)
{
	size_t n = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < syllables; i++) {
		n += (size_t)snprintf(out + n, cap - n, "%s%s%s",
				      onsets[rnd(COUNT(onsets))],
				      vowels[rnd(COUNT(vowels))],
				      i + 1 < syllables ? "" :
				      codas[rnd(COUNT(codas))]);
		if (n >= cap)
			n = cap - 1;
	}
	if (with_ending)
		n += (size_t)snprintf(out + n, cap - n, "%s",
				      endings[rnd(COUNT(endings))]);
	if (n < 3)
		snprintf(out + n, cap - n, "%s", "ar");
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

static int vocab_init(struct vocab *v, const char *kb)
{
	char w[NAME_MAX_BYTES];
	size_t i;

	memset(v, 0, sizeof(*v));
	if (read_column(&v->given, NULL, kb, "given_names.txt", 0, 13) ||
	    v->given.n < 50) {
		list_free(&v->given);
		if (list_add_all(&v->given, fallback_given,
				 COUNT(fallback_given)))
			return -1;
	}
	if (read_column(&v->countries, NULL, kb, "countries.tsv", 0, 1) ||
	    read_column(&v->demonyms, &v->dem_country, kb, "countries.tsv",
			2, 1) ||
	    v->countries.n < 20 || v->demonyms.n < 20) {
		list_free(&v->countries);
		list_free(&v->demonyms);
		list_free(&v->dem_country);
		if (list_add_all(&v->countries, fallback_countries,
				 COUNT(fallback_countries)) ||
		    list_add_all(&v->demonyms, fallback_demonyms,
				 COUNT(fallback_demonyms)) ||
		    list_add_all(&v->dem_country, fallback_countries,
				 COUNT(fallback_countries)))
			return -1;
	}
	if (read_column(&v->cities, NULL, kb, "cities.tsv", 0, 1) ||
	    v->cities.n < 20) {
		list_free(&v->cities);
		if (list_add_all(&v->cities, fallback_cities,
				 COUNT(fallback_cities)))
			return -1;
	}
	for (i = 0; i < N_SURNAMES; i++) {
		make_word(w, sizeof(w), 1 + rnd(2), true);
		if (list_add(&v->surnames, w, strlen(w)))
			return -1;
	}
	for (i = 0; i < N_STEMS; i++) {
		make_word(w, sizeof(w), 2 + rnd(2), false);
		if (list_add(&v->stems, w, strlen(w)))
			return -1;
	}

	v->n_ents = N_PERSONS + N_COMPANIES + N_MEDIA + N_ORGS + N_GOVS;
	v->ents = calloc(v->n_ents, sizeof(*v->ents));
	if (!v->ents)
		return -1;
	/* Interleave the kinds so that a skewed pick meets every kind. */
	for (i = 0; i < v->n_ents; i++) {
		struct entity *e = &v->ents[i];
		uint32_t r = rnd((uint32_t)v->n_ents);
		const char *stem = v->stems.v[rnd((uint32_t)v->stems.n)];

		if (r < N_PERSONS) {
			const char *sur =
				v->surnames.v[rnd((uint32_t)v->surnames.n)];

			e->kind = K_PERSON;
			snprintf(e->full, sizeof(e->full), "%s %s",
				 v->given.v[rnd((uint32_t)v->given.n)], sur);
			snprintf(e->short_, sizeof(e->short_), "%s", sur);
			if (chance(60))
				e->title = person_titles[rnd(
					COUNT(person_titles))];
		} else if (r < N_PERSONS + N_COMPANIES) {
			e->kind = K_COMPANY;
			snprintf(e->full, sizeof(e->full), "%s %s", stem,
				 company_suffixes[rnd(COUNT(company_suffixes))]);
			snprintf(e->short_, sizeof(e->short_), "%s", stem);
		} else if (r < N_PERSONS + N_COMPANIES + N_MEDIA) {
			e->kind = K_MEDIA;
			snprintf(e->full, sizeof(e->full), "%s%s %s",
				 chance(40) ? "The " : "", stem,
				 media_suffixes[rnd(COUNT(media_suffixes))]);
		} else if (r < N_PERSONS + N_COMPANIES + N_MEDIA + N_ORGS) {
			e->kind = K_ORG;
			if (chance(20))
				snprintf(e->full, sizeof(e->full),
					 "University of %s",
					 v->cities.v[rnd((uint32_t)v->cities.n)]);
			else
				snprintf(e->full, sizeof(e->full), "%s %s",
					 stem,
					 org_suffixes[rnd(COUNT(org_suffixes))]);
		} else {
			uint32_t d = rnd_skew((uint32_t)v->demonyms.n);

			e->kind = K_GOV;
			snprintf(e->full, sizeof(e->full), "%s %s",
				 v->demonyms.v[d],
				 gov_bodies[rnd(COUNT(gov_bodies))]);
		}
	}
	for (i = 0; i < N_STORIES; i++) {
		struct story *s = &v->stories[i];

		s->n_cast = 6 + rnd(CAST_MAX - 6 + 1);
		for (unsigned k = 0; k < s->n_cast; k++)
			s->cast[k] = rnd_skew((uint32_t)v->n_ents);
		s->country = rnd_skew((uint32_t)v->countries.n);
		s->city = rnd((uint32_t)v->cities.n);
		s->target = rnd(COUNT(targets));
	}
	return 0;
}

static void vocab_release(struct vocab *v)
{
	list_free(&v->given);
	list_free(&v->countries);
	list_free(&v->demonyms);
	list_free(&v->dem_country);
	list_free(&v->cities);
	list_free(&v->surnames);
	list_free(&v->stems);
	free(v->ents);
}

/* ---- article text ---- */

/* A growable text buffer; generation aborts on allocation failure. */
struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 8192;
		char *p;

		while (cap < t->len + n + 1)
			cap *= 2;
		p = realloc(t->p, cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* Appends s with its first letter in upper case. */
static void puts_cap(struct text *t, const char *s)
{
	size_t at = t->len;

	puts_(t, s);
	if (!t->oom && t->p[at] >= 'a' && t->p[at] <= 'z')
		t->p[at] = (char)(t->p[at] - 'a' + 'A');
}

struct article {
	const struct story *story;
	bool seen[CAST_MAX]; /* cast member already named in full */
	char title[256];
	int year, month, day;
	unsigned number;
};

/* Names entity `k` of the article's cast: in full the first time (with the
 * person's title), else by a short form. */
static void put_entity(struct text *t, struct article *a, unsigned k,
		       const struct vocab *v)
{
	const struct entity *e = &v->ents[a->story->cast[k]];

	if (!a->seen[k]) {
		a->seen[k] = true;
		if (e->kind == K_PERSON && e->title) {
			puts_(t, e->title);
			puts_(t, " ");
		}
		puts_(t, e->full);
		if (e->kind == K_PERSON && !e->title && chance(50)) {
			const struct entity *o =
				&v->ents[a->story->cast[rnd(a->story->n_cast)]];

			if (o != e && o->kind != K_PERSON) {
				puts_(t, ", ");
				puts_(t, person_roles[rnd(COUNT(person_roles))]);
				puts_(t, " ");
				puts_(t, o->full);
				puts_(t, ",");
			}
		}
		return;
	}
	if (e->kind == K_PERSON && chance(25) && e->title &&
	    (!strcmp(e->title, "Mr.") || !strcmp(e->title, "Ms.") ||
	     !strcmp(e->title, "Dr."))) {
		puts_(t, e->title);
		puts_(t, " ");
		puts_(t, e->short_);
		return;
	}
	puts_(t, e->short_[0] && chance(70) ? e->short_ : e->full);
}

/* A cast member: the first three lead the story. */
static unsigned pick_cast(const struct article *a)
{
	return chance(40) ? rnd(3) : rnd(a->story->n_cast);
}

/* A noun phrase: an entity of the story, a place, a target noun, or
 * filler. */
static void put_np(struct text *t, struct article *a, const struct vocab *v,
		   bool first)
{
	uint32_t r = rnd(100);

	if (r < 16) {
		put_entity(t, a, pick_cast(a), v);
	} else if (r < 20) {
		puts_(t, v->countries.v[chance(60) ? a->story->country :
					rnd_skew((uint32_t)v->countries.n)]);
	} else if (r < 23) {
		puts_(t, v->cities.v[chance(70) ? a->story->city :
				     rnd((uint32_t)v->cities.n)]);
	} else if (r < 25) {
		puts_(t, targets[chance(70) ? a->story->target :
				 rnd(COUNT(targets))]);
	} else {
		const char *det = determiners[rnd(COUNT(determiners))];
		const char *adj = chance(35) ?
			adjectives[rnd(COUNT(adjectives))] : NULL;
		const char *noun = nouns[rnd(COUNT(nouns))];
		const char *next = adj ? adj : noun;

		if (!strcmp(det, "a") && strchr("aeiou", next[0]))
			det = "an";
		if (first)
			puts_cap(t, det);
		else
			puts_(t, det);
		puts_(t, " ");
		if (adj) {
			puts_(t, adj);
			puts_(t, " ");
		}
		puts_(t, noun);
	}
}

static void put_sentence(struct text *t, struct article *a,
			 const struct vocab *v)
{
	unsigned clauses = 1 + (chance(35) ? 1 : 0);
	bool first = true;

	if (chance(15)) {
		puts_(t, openers[rnd(COUNT(openers))]);
		puts_(t, " ");
		first = false;
	}
	for (unsigned c = 0; c < clauses; c++) {
		if (c) {
			puts_(t, chance(50) ? ", and " : ", while ");
			first = false;
		}
		put_np(t, a, v, first);
		first = false;
		puts_(t, " ");
		if (chance(20)) {
			puts_(t, adverbs[rnd(COUNT(adverbs))]);
			puts_(t, " ");
		}
		puts_(t, verbs[rnd(COUNT(verbs))]);
		puts_(t, " ");
		put_np(t, a, v, false);
		for (unsigned k = rnd(3); k > 0; k--) {
			puts_(t, " ");
			puts_(t, prepositions[rnd(COUNT(prepositions))]);
			puts_(t, " ");
			put_np(t, a, v, false);
		}
	}
	if (chance(12)) {
		puts_(t, ", ");
		put_entity(t, a, pick_cast(a), v);
		puts_(t, " ");
		puts_(t, attributions[rnd(COUNT(attributions))]);
	}
	puts_(t, ".");
}

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* Body paragraphs separated by "\n\n"; `prefix` and `suffix` wrap each
 * paragraph (HTML <p>...</p>, nothing for text). */
static void put_body(struct text *t, struct article *a, const struct vocab *v,
		     const char *prefix, const char *suffix)
{
	unsigned paragraphs = 8 + rnd(16);

	for (unsigned p = 0; p < paragraphs; p++) {
		unsigned sentences = 1 + rnd(4);

		puts_(t, prefix);
		for (unsigned s = 0; s < sentences; s++) {
			if (s)
				puts_(t, " ");
			put_sentence(t, a, v);
		}
		puts_(t, suffix);
		puts_(t, "\n\n");
	}
}

static void article_init(struct article *a, const struct vocab *v,
			 unsigned number)
{
	const struct story *s = &v->stories[rnd_skew(N_STORIES)];
	const struct entity *e = &v->ents[s->cast[0]];

	memset(a, 0, sizeof(*a));
	a->story = s;
	a->number = number;
	a->year = 2015 + (int)rnd(10);
	a->month = 1 + (int)rnd(12);
	a->day = 1 + (int)rnd(28);
	snprintf(a->title, sizeof(a->title), "%s %s %s %s %s",
		 e->short_[0] ? e->short_ : e->full,
		 verbs[rnd(COUNT(verbs))], nouns[rnd(COUNT(nouns))],
		 prepositions[rnd(COUNT(prepositions))],
		 v->countries.v[s->country]);
	a->title[0] = (char)(a->title[0] >= 'a' && a->title[0] <= 'z' ?
				     a->title[0] - 'a' + 'A' : a->title[0]);
}

static void put_date_iso(struct text *t, const struct article *a)
{
	char d[16];

	snprintf(d, sizeof(d), "%04d-%02d-%02d", a->year, a->month, a->day);
	puts_(t, d);
}

static void put_url(struct text *t, const struct article *a)
{
	char u[96];

	snprintf(u, sizeof(u), "https://news.example.org/%04d/%02d/story-%u",
		 a->year, a->month, a->number);
	puts_(t, u);
}

static void gen_txt(struct text *t, struct article *a, const struct vocab *v)
{
	char d[48];

	puts_(t, "Title: ");
	puts_(t, a->title);
	puts_(t, "\nDate: ");
	if (chance(50)) {
		put_date_iso(t, a);
	} else {
		snprintf(d, sizeof(d), "%s %d, %d", month_names[a->month - 1],
			 a->day, a->year);
		puts_(t, d);
	}
	puts_(t, "\nURL: ");
	put_url(t, a);
	puts_(t, "\n\n");
	put_body(t, a, v, "", "");
}

static void gen_md(struct text *t, struct article *a, const struct vocab *v)
{
	puts_(t, "# ");
	puts_(t, a->title);
	puts_(t, "\n\n*");
	put_date_iso(t, a);
	puts_(t, "* | [Read online](");
	put_url(t, a);
	puts_(t, ")\n\n");
	put_body(t, a, v, "", "");
	puts_(t, "## Background\n\n- **");
	puts_(t, v->countries.v[a->story->country]);
	puts_(t, "**: see the [earlier coverage](https://news.example.org/)"
		 " of the case.\n- A `document` was obtained by the newspaper."
		 "\n\n");
	put_body(t, a, v, "> ", "");
}

static void gen_html(struct text *t, struct article *a, const struct vocab *v)
{
	puts_(t, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<title>");
	puts_(t, a->title);
	puts_(t, " | The Example Chronicle</title>\n"
		 "<meta name=\"date\" content=\"");
	put_date_iso(t, a);
	puts_(t, "\">\n<link rel=\"canonical\" href=\"");
	put_url(t, a);
	puts_(t, "\">\n<style>body { font: 16px/1.5 serif; } "
		 ".nav a::after { content: \" | \"; }</style>\n"
		 "<script>window.dataLayer = [{\"page\": \"<p>article</p>\"}];"
		 " if (1 < 2 && 3 > 2) { console.log('ready'); }</script>\n"
		 "</head>\n<body>\n<nav class=\"nav\"><a href=\"/\">Home</a>"
		 " <a href=\"/world\">World</a> <a href=\"/business\">"
		 "Business</a></nav>\n<article>\n<h1>");
	puts_(t, a->title);
	puts_(t, "</h1>\n<p class=\"byline\">By the staff &amp; "
		 "correspondents &mdash; <time datetime=\"");
	put_date_iso(t, a);
	puts_(t, "\">updated</time></p>\n");
	put_body(t, a, v, "<p>", "</p>");
	puts_(t, "</article>\n<footer>&copy; The Example Chronicle. "
		 "<a href=\"/privacy\">Privacy</a></footer>\n</body>\n</html>\n");
}

/* JSON string contents (the generator's text is ASCII or UTF-8 names:
 * only quotes, backslashes and line breaks need escaping). */
static void put_json_str(struct text *t, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;

		switch (s[i]) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			break;
		}
		if (!esc)
			continue;
		put(t, s + run, i - run);
		puts_(t, esc);
		run = i + 1;
	}
	put(t, s + run, n - run);
}

static void gen_jsonl(struct text *t, struct text *scratch,
		      struct article *a, const struct vocab *v)
{
	char id[32];

	scratch->len = 0;
	put_body(scratch, a, v, "", "");
	snprintf(id, sizeof(id), "gen-%08u", a->number);
	puts_(t, "{\"id\": \"");
	puts_(t, id);
	puts_(t, "\", \"title\": \"");
	put_json_str(t, a->title, strlen(a->title));
	puts_(t, "\", \"url\": \"");
	put_url(t, a);
	puts_(t, "\", \"date\": \"");
	put_date_iso(t, a);
	puts_(t, "\", \"text\": \"");
	put_json_str(t, scratch->p ? scratch->p : "", scratch->len);
	puts_(t, "\"}\n");
}

/* ---- files ---- */

static int mkdir_p(const char *path)
{
	char p[4096];
	size_t n = strlen(path);

	if (n >= sizeof(p))
		return -1;
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return -1;
		if (i < n)
			p[i] = '/';
	}
	return 0;
}

static int write_file(const char *path, const struct text *t)
{
	FILE *f = fopen(path, "wb");
	int ret = 0;

	if (!f)
		return -1;
	if (fwrite(t->p, 1, t->len, f) != t->len)
		ret = -1;
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

enum fmt { F_TXT, F_MD, F_HTML, F_JSONL };

/* Format of article i: 30% txt, 20% md, 25% html, 25% jsonl. */
static enum fmt article_format(unsigned i)
{
	unsigned r = i % 20;

	if (r < 6)
		return F_TXT;
	if (r < 10)
		return F_MD;
	if (r < 15)
		return F_HTML;
	return F_JSONL;
}

static void usage(void)
{
	fputs("usage: xref-bench-corpus [-s SEED] [-k KNOWLEDGE_DIR] -m MB "
	      "-o DIR\n", stderr);
}

int main(int argc, char **argv)
{
	static const char *const ext[] = { "txt", "md", "html" };
	unsigned long long seed = 1, mb = 0;
	const char *dir = NULL, *kb = NULL;
	struct vocab v;
	struct text t = { 0 }, scratch = { 0 };
	unsigned counts[4] = { 0, 0, 0, 0 };
	unsigned long long target, total = 0;
	FILE *jf = NULL;
	unsigned jsonl_in_file = 0, n_jsonl_files = 0;
	char path[4096];
	int opt, ret = 1;
	bool have_vocab = false;

	while ((opt = getopt(argc, argv, "s:k:m:o:")) != -1) {
		char *end = NULL;

		switch (opt) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end) {
				usage();
				return 2;
			}
			break;
		case 'm':
			errno = 0;
			mb = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || !mb ||
			    mb > 1024ULL * 1024) {
				usage();
				return 2;
			}
			break;
		case 'k':
			kb = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!dir || !mb || optind != argc) {
		usage();
		return 2;
	}
	target = mb * 1024ULL * 1024ULL;
	rng_state = seed * 0xD1B54A32D192ED03ULL + 0x2545F4914F6CDD1DULL;
	if (vocab_init(&v, kb)) {
		fputs("xref-bench-corpus: out of memory\n", stderr);
		vocab_release(&v);
		return 1;
	}
	have_vocab = true;

	for (unsigned i = 0; total < target; i++) {
		struct article a;
		enum fmt f = article_format(i);

		article_init(&a, &v, i);
		t.len = 0;
		if (f == F_JSONL) {
			if (!jf || jsonl_in_file == PER_JSONL) {
				if (jf && fclose(jf) != 0) {
					jf = NULL;
					goto write_error;
				}
				snprintf(path, sizeof(path), "%s/jsonl", dir);
				if (mkdir_p(path))
					goto write_error;
				snprintf(path, sizeof(path),
					 "%s/jsonl/articles-%05u.jsonl", dir,
					 n_jsonl_files++);
				jf = fopen(path, "wb");
				if (!jf)
					goto write_error;
				jsonl_in_file = 0;
			}
			gen_jsonl(&t, &scratch, &a, &v);
			if (t.oom || scratch.oom)
				goto oom;
			if (fwrite(t.p, 1, t.len, jf) != t.len)
				goto write_error;
			jsonl_in_file++;
		} else {
			unsigned n = counts[f];

			if (f == F_TXT)
				gen_txt(&t, &a, &v);
			else if (f == F_MD)
				gen_md(&t, &a, &v);
			else
				gen_html(&t, &a, &v);
			if (t.oom)
				goto oom;
			snprintf(path, sizeof(path), "%s/%s/%04u", dir, ext[f],
				 n / PER_DIR);
			if (n % PER_DIR == 0 && mkdir_p(path))
				goto write_error;
			snprintf(path, sizeof(path), "%s/%s/%04u/a%06u.%s", dir,
				 ext[f], n / PER_DIR, n, ext[f]);
			if (write_file(path, &t))
				goto write_error;
		}
		counts[f]++;
		total += t.len;
	}
	if (jf) {
		int e = fclose(jf);

		jf = NULL;
		if (e != 0)
			goto write_error;
	}
	printf("%u articles (%u txt, %u md, %u html, %u jsonl in %u files), "
	       "%llu bytes\n",
	       counts[0] + counts[1] + counts[2] + counts[3], counts[0],
	       counts[1], counts[2], counts[3], n_jsonl_files, total);
	ret = 0;
	goto out;
oom:
	fputs("xref-bench-corpus: out of memory\n", stderr);
	goto out;
write_error:
	fprintf(stderr, "xref-bench-corpus: cannot write '%s': %s\n", path,
		strerror(errno));
out:
	if (jf)
		fclose(jf);
	free(t.p);
	free(scratch.p);
	if (have_vocab)
		vocab_release(&v);
	return ret;
}
