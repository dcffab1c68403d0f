/*
 * Gold data readers for `xref eval`: CoNLL-style token files and JSON Lines
 * entity sets.
 *
 * CoNLL: one forward pass over the file in memory. Token texts go into one
 * arena (each NUL-terminated, so they can be printed back); sentences,
 * documents and mentions are index ranges into the token array, so a 40k
 * token file is a handful of allocations. Tags are decoded by one rule that
 * reads IOB1, IOB2, IOBES and BILOU alike (B- always starts a mention; I-
 * starts one unless it continues the open mention of the same type) rather
 * than by detecting the scheme per file: detection would have to guess on
 * files that never use B-, and the single rule gives the same mentions for
 * every well-formed file of either scheme.
 *
 * JSON Lines: each line is walked with the pull parser of ingest/json.h,
 * which lets a wrong field type be reported in words ("entity 2: unknown
 * type 'people'") rather than as a JSON error. Gold data is ours and small,
 * so errors are fatal: a silently skipped line would change the scores.
 */
#define _POSIX_C_SOURCE 200809L

#include "ingest/gold.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/buf.h"
#include "ingest/json.h"
#include "ingest/status.h"
#include "ingest/strmap.h"
#include "ingest/utf8.h"

static const char *const class_names[] = {
	[XREF_GOLD_PER] = "PER",
	[XREF_GOLD_ORG] = "ORG",
	[XREF_GOLD_LOC] = "LOC",
	[XREF_GOLD_OTHER] = "other",
	[XREF_GOLD_NONE] = "none",
};

const char *xref_gold_class_name(enum xref_gold_class c)
{
	if ((size_t)c >= sizeof(class_names) / sizeof(class_names[0]))
		return "?";
	return class_names[c];
}

enum xref_gold_class xref_gold_class_of_type(enum xref_type t)
{
	switch (t) {
	case XREF_TYPE_PERSON:
		return XREF_GOLD_PER;
	case XREF_TYPE_COMPANY:
	case XREF_TYPE_GOVERNMENT:
	case XREF_TYPE_ORGANIZATION:
	case XREF_TYPE_MEDIA:
		return XREF_GOLD_ORG;
	case XREF_TYPE_COUNTRY:
	case XREF_TYPE_LOCATION:
		return XREF_GOLD_LOC;
	default:
		return XREF_GOLD_NONE;
	}
}

enum xref_gold_class xref_gold_class_of_name(const char *name)
{
	static const struct {
		const char *name;
		enum xref_gold_class c;
	} names[] = {
		{ "PER", XREF_GOLD_PER },
		{ "PERSON", XREF_GOLD_PER },
		{ "ORG", XREF_GOLD_ORG },
		{ "ORGANIZATION", XREF_GOLD_ORG },
		{ "ORGANISATION", XREF_GOLD_ORG },
		{ "LOC", XREF_GOLD_LOC },
		{ "LOCATION", XREF_GOLD_LOC },
		{ "GPE", XREF_GOLD_LOC },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i].name))
			return names[i].c;
	return XREF_GOLD_OTHER;
}

bool xref_gold_is_jsonl(const char *path)
{
	static const char *const exts[] = { ".jsonl", ".ndjson" };
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);

		if (n > k && !strcasecmp(path + n - k, exts[i]))
			return true;
	}
	return false;
}

/* Makes room for one more element in *v (n used of *cap). */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c < *cap || c > SIZE_MAX / size)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	p = realloc(*v, c * size);
	if (!p)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	*v = p;
	*cap = c;
	return 0;
}

/* Reads a whole file into b. */
static int slurp(struct xref_buf *b, const char *path)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int err = 0;

	if (!f)
		return xref_error_set(XREF_EIO, "cannot open '%s': %s", path,
				      strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		err = xref_buf_put(b, chunk, n);
		if (err)
			goto out;
	}
	if (ferror(f))
		err = xref_error_set(XREF_EIO, "cannot read '%s': %s", path,
				     strerror(errno));
out:
	fclose(f);
	return err;
}

/* Strips a leading UTF-8 byte-order mark. */
static void skip_bom(const char **s, size_t *len)
{
	if (*len >= 3 && memcmp(*s, "\xEF\xBB\xBF", 3) == 0) {
		*s += 3;
		*len -= 3;
	}
}

/* True when s[0..len) is valid UTF-8 without C0, DEL or C1 controls. */
static bool is_clean(const char *s, size_t len)
{
	if (!xref_utf8_is_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F)
			return false;
		if (c == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return false;
	}
	return true;
}

/* ---- CoNLL ---------------------------------------------------------------- */

struct conll_state {
	struct xref_conll *c;
	struct xref_buf text;
	size_t cap_tokens, cap_sents, cap_docs, cap_spans, cap_types;
	size_t sent_start;  /* first token of the sentence being read */
	bool open;          /* a mention is open */
	size_t open_begin, open_end, open_type;
	const char *source;
	size_t line;
};

static int conll_error(const struct conll_state *st, const char *reason)
{
	return xref_error_set(XREF_EDATA, "'%s' line %zu: %s", st->source,
			      st->line, reason);
}

static int close_mention(struct conll_state *st)
{
	struct xref_conll *c = st->c;
	int err;

	if (!st->open)
		return 0;
	st->open = false;
	err = grow((void **)&c->spans, &st->cap_spans, c->n_spans,
		   sizeof(*c->spans));
	if (err)
		return err;
	c->spans[c->n_spans].begin = st->open_begin;
	c->spans[c->n_spans].end = st->open_end;
	c->spans[c->n_spans].type = st->open_type;
	c->n_spans++;
	return 0;
}

static int end_sentence(struct conll_state *st)
{
	struct xref_conll *c = st->c;
	int err = close_mention(st);

	if (err || c->n_tokens == st->sent_start)
		return err;
	err = grow((void **)&c->sents, &st->cap_sents, c->n_sents,
		   sizeof(*c->sents));
	if (err)
		return err;
	c->sents[c->n_sents].tok_begin = st->sent_start;
	c->sents[c->n_sents].tok_end = c->n_tokens;
	c->n_sents++;
	st->sent_start = c->n_tokens;
	return 0;
}

/* Ends the current document (dropping it when it is the implicit first one
 * and empty) and, when `next`, opens a new one after a -DOCSTART-. */
static int end_document(struct conll_state *st, bool next)
{
	struct xref_conll *c = st->c;
	struct xref_conll_doc *d;
	int err = end_sentence(st);

	if (err)
		return err;
	if (c->n_docs > 0) {
		d = &c->docs[c->n_docs - 1];
		d->sent_end = c->n_sents;
		d->span_end = c->n_spans;
		if (!d->docstart && d->sent_begin == d->sent_end)
			c->n_docs--;
	}
	if (!next)
		return 0;
	err = grow((void **)&c->docs, &st->cap_docs, c->n_docs,
		   sizeof(*c->docs));
	if (err)
		return err;
	d = &c->docs[c->n_docs++];
	d->sent_begin = d->sent_end = c->n_sents;
	d->span_begin = d->span_end = c->n_spans;
	d->docstart = st->line > 0;
	return 0;
}

/* The index of type name s[0..len), added when new. */
static int type_index(size_t *out, struct conll_state *st, const char *s,
		      size_t len)
{
	struct xref_conll *c = st->c;
	char *name;
	int err;

	for (size_t i = 0; i < c->n_types; i++) {
		if (strlen(c->types[i]) == len && !memcmp(c->types[i], s, len)) {
			*out = i;
			return 0;
		}
	}
	err = grow((void **)&c->types, &st->cap_types, c->n_types,
		   sizeof(*c->types));
	if (!err) {
		/* type_class follows types; same capacity */
		enum xref_gold_class *tc =
			realloc(c->type_class, st->cap_types * sizeof(*tc));

		if (!tc)
			return xref_error_set(XREF_ENOMEM, "out of memory");
		c->type_class = tc;
	}
	if (err)
		return err;
	name = malloc(len + 1);
	if (!name)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	memcpy(name, s, len);
	name[len] = '\0';
	c->types[c->n_types] = name;
	c->type_class[c->n_types] = xref_gold_class_of_name(name);
	*out = c->n_types++;
	return 0;
}

/* Applies the tag tag[0..len) to token t (already added). */
static int apply_tag(struct conll_state *st, size_t t, const char *tag,
		     size_t len)
{
	size_t type = 0;
	char prefix;
	bool starts, ends;
	int err;

	if (len == 1 && tag[0] == 'O')
		return close_mention(st);
	if (len < 3 || tag[1] != '-' || !strchr("BIESLU", tag[0])) {
		char msg[96];

		if (is_clean(tag, len) && len <= 40)
			snprintf(msg, sizeof(msg),
				 "invalid tag '%.*s' (expected O, B-TYPE or I-TYPE)",
				 (int)len, tag);
		else
			snprintf(msg, sizeof(msg),
				 "invalid tag (expected O, B-TYPE or I-TYPE)");
		return conll_error(st, msg);
	}
	/* The type is printed by `xref eval`: it must be clean text. */
	if (!is_clean(tag + 2, len - 2))
		return conll_error(st, xref_utf8_is_valid(tag + 2, len - 2)
					       ? "control character in the tag"
					       : "the tag is not valid UTF-8");
	prefix = tag[0];
	err = type_index(&type, st, tag + 2, len - 2);
	if (err)
		return err;
	starts = prefix == 'B' || prefix == 'S' || prefix == 'U';
	ends = prefix == 'E' || prefix == 'L' || prefix == 'S' || prefix == 'U';
	if (starts || !st->open || st->open_type != type) {
		err = close_mention(st);
		if (err)
			return err;
		st->open = true;
		st->open_begin = t;
		st->open_type = type;
	}
	st->open_end = t + 1;
	return ends ? close_mention(st) : 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int conll_line(struct conll_state *st, const char *s, size_t n)
{
	struct xref_conll *c = st->c;
	size_t a = 0, tok_end, tag_begin;
	int err;

	while (a < n && is_blank(s[a]))
		a++;
	if (a == n)
		return end_sentence(st);
	tok_end = a;
	while (tok_end < n && !is_blank(s[tok_end]))
		tok_end++;
	if (tok_end - a == 10 && !memcmp(s + a, "-DOCSTART-", 10))
		return end_document(st, true);
	while (n > tok_end && is_blank(s[n - 1]))
		n--;
	if (n == tok_end)
		return conll_error(st, "expected a token and a tag");
	tag_begin = n;
	while (!is_blank(s[tag_begin - 1]))
		tag_begin--;
	if (!is_clean(s + a, tok_end - a))
		return conll_error(st, xref_utf8_is_valid(s + a, tok_end - a)
					       ? "control character in the token"
					       : "the token is not valid UTF-8");
	err = grow((void **)&c->tokens, &st->cap_tokens, c->n_tokens,
		   sizeof(*c->tokens));
	if (!err) {
		c->tokens[c->n_tokens].off = st->text.len;
		c->tokens[c->n_tokens].len = tok_end - a;
		err = xref_buf_put(&st->text, s + a, tok_end - a);
	}
	if (!err)
		err = xref_buf_putc(&st->text, '\0');
	if (err)
		return err;
	c->n_tokens++;
	return apply_tag(st, c->n_tokens - 1, s + tag_begin, n - tag_begin);
}

int xref_conll_parse(struct xref_conll *out, const char *data, size_t len,
		     const char *source)
{
	struct conll_state st = { 0 };
	size_t pos = 0;
	int err;

	memset(out, 0, sizeof(*out));
	st.c = out;
	st.source = source;
	skip_bom(&data, &len);
	/* the implicit first document, dropped if a -DOCSTART- comes first */
	err = end_document(&st, true);
	while (!err && pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - pos;

		st.line++;
		if (n > 0 && data[pos + n - 1] == '\r')
			n--;
		err = conll_line(&st, data + pos, n);
		pos = end + 1;
	}
	st.line++;
	if (!err)
		err = end_document(&st, false);
	if (!err && out->n_tokens == 0)
		err = xref_error_set(XREF_EDATA, "'%s': no tokens", source);
	if (!err) {
		out->text = xref_buf_detach(&st.text);
		if (!out->text)
			err = xref_error_set(XREF_ENOMEM, "out of memory");
	}
	xref_buf_release(&st.text);
	return err;
}

int xref_conll_read(struct xref_conll *out, const char *path)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	memset(out, 0, sizeof(*out));
	err = slurp(&b, path);
	if (!err)
		err = xref_conll_parse(out, xref_buf_cstr(&b), b.len, path);
	xref_buf_release(&b);
	return err;
}

void xref_conll_release(struct xref_conll *c)
{
	for (size_t i = 0; i < c->n_types; i++)
		free(c->types[i]);
	free(c->types);
	free(c->type_class);
	free(c->text);
	free(c->tokens);
	free(c->sents);
	free(c->docs);
	free(c->spans);
	memset(c, 0, sizeof(*c));
}

/* ---- JSON Lines ------------------------------------------------------------ */

void xref_gold_entity_release(struct xref_gold_entity *e)
{
	free(e->name);
	for (size_t i = 0; i < e->n_aliases; i++)
		free(e->aliases[i]);
	free(e->aliases);
	memset(e, 0, sizeof(*e));
}

static void doc_release(struct xref_gold_doc *d)
{
	free(d->id);
	free(d->text);
	for (size_t i = 0; i < d->n_ents; i++)
		xref_gold_entity_release(&d->ents[i]);
	free(d->ents);
	memset(d, 0, sizeof(*d));
}

void xref_gold_docs_release(struct xref_gold_docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		doc_release(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

struct jl_state {
	const char *source;
	size_t line;
	struct xref_buf key, val;
	struct xref_strmap ids;
};

static int jl_error(const struct jl_state *st, const char *fmt, ...)
	XREF_PRINTF(2, 3);

static int jl_error(const struct jl_state *st, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xref_error_set(XREF_EDATA, "'%s' line %zu: %s", st->source,
			      st->line, msg);
}

static int json_error(const struct jl_state *st, const struct xref_jp *p)
{
	return jl_error(st, "invalid JSON at column %zu: %s", p->err_col,
			p->err);
}

/* A cleaned copy of b's contents. */
static int clean_copy(char **out, size_t *out_len, const struct xref_buf *b)
{
	size_t n;

	return xref_utf8_clean(out, out_len ? out_len : &n, NULL,
			       xref_buf_cstr(b), b->len);
}

/* True when s holds something besides whitespace. */
static bool has_content(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			return true;
	return false;
}

static bool key_is(const struct xref_buf *key, const char *name)
{
	return key->len == strlen(name) && !memcmp(key->ptr, name, key->len);
}

/* The value at p is not of the kind wanted: a JSON error when it is not a
 * valid value at all (the real problem), else XREF_EDATA with `msg`.
 * `depth` containers are open around the value. */
static int wrong_value(struct jl_state *st, struct xref_jp *p, int depth,
		       const char *msg)
{
	int r = xref_jp_skip(p, depth);

	if (r > 0)
		return json_error(st, p);
	return r < 0 ? r : jl_error(st, "%s", msg);
}

/* "aliases": an array of non-empty strings. */
static int jl_aliases(struct jl_state *st, struct xref_jp *p,
		      struct xref_gold_entity *e, size_t idx)
{
	size_t cap = 0;
	bool more = true;
	int r;

	char msg[96];

	snprintf(msg, sizeof(msg), "entity %zu: \"aliases\" is not an array",
		 idx);
	if (xref_jp_peek(p) != XREF_JP_ARRAY)
		return wrong_value(st, p, 3, msg);
	r = xref_jp_array_begin(p);
	for (size_t i = 0; !r; i++) {
		char *a;

		r = xref_jp_array_next(p, i, &more);
		if (r || !more)
			break;
		if (xref_jp_peek(p) != XREF_JP_STRING) {
			snprintf(msg, sizeof(msg),
				 "entity %zu: alias %zu is not a string", idx,
				 i + 1);
			return wrong_value(st, p, 4, msg);
		}
		xref_buf_clear(&st->val);
		r = xref_jp_string(p, &st->val);
		if (r)
			break;
		r = grow((void **)&e->aliases, &cap, e->n_aliases,
			 sizeof(*e->aliases));
		if (!r)
			r = clean_copy(&a, NULL, &st->val);
		if (r)
			return r;
		e->aliases[e->n_aliases++] = a;
		if (!has_content(a))
			return jl_error(st, "entity %zu: empty alias", idx);
	}
	return r > 0 ? json_error(st, p) : r;
}

/* One element of "entities". */
static int jl_entity(struct jl_state *st, struct xref_jp *p,
		     struct xref_gold_entity *e, size_t idx)
{
	bool more = true, has_type = false;
	char msg[96];
	int r;

	snprintf(msg, sizeof(msg), "entity %zu is not an object", idx);
	if (xref_jp_peek(p) != XREF_JP_OBJECT)
		return wrong_value(st, p, 2, msg);
	r = xref_jp_object_begin(p);
	for (size_t i = 0; !r; i++) {
		r = xref_jp_object_next(p, i, &st->key, &more);
		if (r || !more)
			break;
		if (key_is(&st->key, "name")) {
			if (xref_jp_peek(p) != XREF_JP_STRING) {
				snprintf(msg, sizeof(msg),
					 "entity %zu: \"name\" is not a string",
					 idx);
				return wrong_value(st, p, 3, msg);
			}
			xref_buf_clear(&st->val);
			r = xref_jp_string(p, &st->val);
			if (r)
				break;
			free(e->name);
			e->name = NULL;
			r = clean_copy(&e->name, NULL, &st->val);
			if (r)
				return r;
		} else if (key_is(&st->key, "type")) {
			enum xref_type t;

			if (xref_jp_peek(p) != XREF_JP_STRING) {
				snprintf(msg, sizeof(msg),
					 "entity %zu: \"type\" is not a string",
					 idx);
				return wrong_value(st, p, 3, msg);
			}
			xref_buf_clear(&st->val);
			r = xref_jp_string(p, &st->val);
			if (r)
				break;
			if (!is_clean(st->val.ptr ? st->val.ptr : "",
				      st->val.len) ||
			    st->val.len > 40)
				return jl_error(st, "entity %zu: unknown type",
						idx);
			if (xref_type_parse(&t, xref_buf_cstr(&st->val)))
				return jl_error(st,
						"entity %zu: unknown type '%s'",
						idx, xref_buf_cstr(&st->val));
			e->type = t;
			has_type = true;
		} else if (key_is(&st->key, "aliases")) {
			for (size_t k = 0; k < e->n_aliases; k++)
				free(e->aliases[k]);
			free(e->aliases);
			e->aliases = NULL;
			e->n_aliases = 0;
			r = jl_aliases(st, p, e, idx);
			if (r)
				return r;
		} else {
			r = xref_jp_skip(p, 3);
		}
	}
	if (r)
		return r > 0 ? json_error(st, p) : r;
	if (!e->name)
		return jl_error(st, "entity %zu: missing \"name\"", idx);
	if (!has_content(e->name))
		return jl_error(st, "entity %zu: empty \"name\"", idx);
	if (!has_type)
		return jl_error(st, "entity %zu: missing \"type\"", idx);
	return 0;
}

static int jl_entities(struct jl_state *st, struct xref_jp *p,
		       struct xref_gold_doc *d)
{
	size_t cap = 0;
	bool more = true;
	int r;

	if (xref_jp_peek(p) != XREF_JP_ARRAY)
		return wrong_value(st, p, 1, "\"entities\" is not an array");
	r = xref_jp_array_begin(p);
	for (size_t i = 0; !r; i++) {
		r = xref_jp_array_next(p, i, &more);
		if (r || !more)
			break;
		r = grow((void **)&d->ents, &cap, d->n_ents, sizeof(*d->ents));
		if (r)
			return r;
		memset(&d->ents[d->n_ents], 0, sizeof(*d->ents));
		d->n_ents++;
		r = jl_entity(st, p, &d->ents[d->n_ents - 1], i + 1);
		if (r)
			return r;
	}
	return r > 0 ? json_error(st, p) : r;
}

static int jl_line(struct jl_state *st, const char *s, size_t n,
		   struct xref_gold_doc *d)
{
	struct xref_jp p;
	bool more = true, has_ents = false;
	int r;

	xref_jp_init(&p, s, n);
	r = xref_jp_object_begin(&p);
	for (size_t i = 0; !r; i++) {
		enum xref_jp_kind k;

		r = xref_jp_object_next(&p, i, &st->key, &more);
		if (r || !more)
			break;
		k = xref_jp_peek(&p);
		if (key_is(&st->key, "id")) {
			if (k != XREF_JP_STRING && k != XREF_JP_NUMBER)
				return wrong_value(st, &p, 1,
					"\"id\" is not a string or a number");
			xref_buf_clear(&st->val);
			r = k == XREF_JP_STRING
				    ? xref_jp_string(&p, &st->val)
				    : xref_jp_number(&p, &st->val);
			if (r)
				break;
			free(d->id);
			d->id = NULL;
			r = clean_copy(&d->id, NULL, &st->val);
		} else if (key_is(&st->key, "text")) {
			if (k != XREF_JP_STRING)
				return wrong_value(st, &p, 1,
						   "\"text\" is not a string");
			xref_buf_clear(&st->val);
			r = xref_jp_string(&p, &st->val);
			if (r)
				break;
			free(d->text);
			d->text = NULL;
			r = clean_copy(&d->text, &d->text_len, &st->val);
		} else if (key_is(&st->key, "entities")) {
			if (has_ents)
				return jl_error(st, "duplicate \"entities\"");
			has_ents = true;
			r = jl_entities(st, &p, d);
			if (r)
				return r;
		} else {
			r = xref_jp_skip(&p, 1);
		}
	}
	if (!r) {
		xref_jp_ws(&p);
		if (p.pos < p.len)
			r = xref_jp_fail(&p, "unexpected data after the object");
	}
	if (r)
		return r > 0 ? json_error(st, &p) : r;
	if (!d->id)
		return jl_error(st, "missing \"id\"");
	if (!has_content(d->id))
		return jl_error(st, "empty \"id\"");
	if (!d->text)
		return jl_error(st, "missing \"text\"");
	if (!has_ents)
		return jl_error(st, "missing \"entities\"");
	if (xref_strmap_get(&st->ids, d->id, strlen(d->id), NULL)) {
		/* quoted only when it prints safely, whole */
		if (is_clean(d->id, strlen(d->id)) && strlen(d->id) <= 200)
			return jl_error(st, "duplicate id '%s'", d->id);
		return jl_error(st, "duplicate id");
	}
	return xref_strmap_put(&st->ids, d->id, strlen(d->id), 0);
}

static bool line_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

int xref_gold_jsonl_parse(struct xref_gold_docs *out, const char *data,
			  size_t len, const char *source)
{
	struct jl_state st = { 0 };
	size_t pos = 0, first = out->n;
	int err = 0;

	st.source = source;
	xref_strmap_init(&st.ids);
	skip_bom(&data, &len);
	while (!err && pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		struct xref_gold_doc *d;

		st.line++;
		if (!line_is_blank(data + pos, end - pos)) {
			err = grow((void **)&out->v, &out->cap, out->n,
				   sizeof(*out->v));
			if (err)
				break;
			d = &out->v[out->n++];
			memset(d, 0, sizeof(*d));
			d->line = st.line;
			err = jl_line(&st, data + pos, end - pos, d);
		}
		pos = end + 1;
	}
	if (!err && out->n == first)
		err = xref_error_set(XREF_EDATA, "'%s': no documents", source);
	xref_strmap_release(&st.ids);
	xref_buf_release(&st.key);
	xref_buf_release(&st.val);
	return err;
}

int xref_gold_jsonl_read(struct xref_gold_docs *out, const char *path)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	err = slurp(&b, path);
	if (!err)
		err = xref_gold_jsonl_parse(out, xref_buf_cstr(&b), b.len,
					    path);
	xref_buf_release(&b);
	return err;
}
