/*
 * HTML reader: body text, <title>, a published date and a canonical URL.
 *
 * A single forward scan with no element stack and no recursion: text runs
 * go to the output with whitespace collapsed, block-level tags become
 * paragraph breaks, and the contents of script, style and similar elements
 * are skipped by searching for their end tag. Elements whose content is
 * markup we do not want (svg, template, math) are skipped by counting
 * nested tags of the same name. Every construct is consumed in one pass,
 * so 20,000 nested tags or an unterminated comment cost O(n) time and
 * O(1) extra memory. A real HTML5 tree builder was rejected: it is a large
 * dependency, and we need neither the tree nor its error recovery.
 *
 * Each tag name is looked up once, in one sorted table of the names we
 * treat specially, and text is found and copied in one pass, eight bytes
 * at a time where they hold only words and single spaces: comparing every
 * tag with several lists of names, and scanning each run of text twice,
 * once cost more than the rest of the parse.
 */
#include "ingest/read_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/doc.h"

#define MAX_ATTRS 16
#define NAME_MAX_LEN 15

/* ---- character references ---- */

/* Names of U+00A0..U+00FF, in order. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
	"Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
	"Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
	"egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const struct {
	const char *name;
	int32_t cp;
} named_refs[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bdquo", 0x201E },
	{ "hellip", 0x2026 }, { "bull", 0x2022 }, { "middot", 0xB7 },
	{ "trade", 0x2122 }, { "euro", 0x20AC }, { "dagger", 0x2020 },
	{ "Dagger", 0x2021 }, { "permil", 0x2030 }, { "lsaquo", 0x2039 },
	{ "rsaquo", 0x203A }, { "prime", 0x2032 }, { "Prime", 0x2033 },
	{ "minus", 0x2212 }, { "thinsp", 0x2009 }, { "ensp", 0x2002 },
	{ "emsp", 0x2003 }, { "zwnj", 0x200C }, { "zwj", 0x200D },
	{ "lrm", 0x200E }, { "rlm", 0x200F }, { "OElig", 0x152 },
	{ "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
	{ "Yuml", 0x178 }, { "fnof", 0x192 }, { "circ", 0x2C6 },
	{ "tilde", 0x2DC }, { "Zcaron", 0x17D }, { "zcaron", 0x17E },
	{ "larr", 0x2190 }, { "rarr", 0x2192 }, { "uarr", 0x2191 },
	{ "darr", 0x2193 }, { "harr", 0x2194 }, { "laquo", 0xAB },
	{ "raquo", 0xBB }, { "nbsp", ' ' }, { "shy", -1 },
	{ "NewLine", '\n' }, { "Tab", '\t' }, { "colon", ':' },
	{ "lpar", '(' }, { "rpar", ')' }, { "comma", ',' },
	{ "period", '.' }, { "sol", '/' }, { "num", '#' },
	{ "excl", '!' }, { "quest", '?' }, { "equals", '=' },
};

/* Numeric references 0x80-0x9F mean windows-1252, as in every browser. */
static const uint16_t cp1252[32] = {
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
};

static size_t put_utf8(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0)
		return 0;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

static bool name_eq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* Looks up a named reference; -2 when unknown, -1 for "expands to
 * nothing". */
static int32_t lookup_named(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(named_refs) / sizeof(named_refs[0]); i++)
		if (name_eq(s, n, named_refs[i].name))
			return named_refs[i].cp;
	for (int i = 0; i < 96; i++)
		if (name_eq(s, n, latin1_names[i]))
			return 0xA0 + i;
	return -2;
}

size_t xref_html_charref(const char *s, size_t len, char out[4],
			 size_t *out_len)
{
	size_t i = 1;
	int32_t cp;

	*out_len = 0;
	if (len < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		bool hex = i + 1 < len && (s[2] == 'x' || s[2] == 'X');
		size_t start;
		int32_t v = 0;

		i = hex ? 3 : 2;
		start = i;
		while (i < len && (hex ? is_hex(s[i]) : (s[i] >= '0' && s[i] <= '9'))) {
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) +
				    (hex ? hex_val(s[i]) : s[i] - '0');
			i++;
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			cp = 0xFFFD;
		else if (v >= 0x80 && v <= 0x9F)
			cp = cp1252[v - 0x80];
		else
			cp = v;
		*out_len = put_utf8(cp, out);
		return i;
	}
	while (i < len && i <= 32 && is_alnum(s[i]))
		i++;
	if (i == 1)
		return 0;
	cp = lookup_named(s + 1, i - 1);
	if (cp == -2)
		return 0;
	if (i < len && s[i] == ';') {
		i++;
	} else {
		/* legacy references without ';' only for the commonest names,
		 * and not before '=' (a URL query such as "?a=1&copy=2") */
		static const char *const legacy[] = { "amp", "lt", "gt", "quot",
						      "nbsp", "copy", "reg" };
		bool ok = false;

		for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
			if (name_eq(s + 1, i - 1, legacy[k]))
				ok = true;
		if (!ok || (i < len && s[i] == '='))
			return 0;
	}
	*out_len = put_utf8(cp, out);
	return i;
}

/* ---- tags ---- */

/* What a tag name means to us: flags, and which names are handled on
 * their own. */
enum {
	T_BLOCK = 1,   /* a paragraph break */
	T_RAW = 2,     /* content is not markup: skipped up to the end tag */
	T_SKIP = 4,    /* content is markup we do not want (svg, math...) */
	T_HEAD_OK = 8, /* may appear in <head> without ending it */
};

enum tag_kind { K_OTHER, K_TITLE, K_HEAD, K_META, K_LINK, K_TIME };

struct attr {
	const char *name;
	size_t name_len;
	const char *val; /* raw, references not decoded yet */
	size_t val_len;
};

struct tag {
	char name[NAME_MAX_LEN + 1]; /* lowercase; "" when too long */
	unsigned flags;              /* T_* of the name */
	enum tag_kind kind;
	bool end;
	bool self_close;
	struct attr a[MAX_ATTRS];
	size_t n_attrs;
};

struct html {
	const char *s;
	size_t len, pos;
	struct xref_buf text;
	struct xref_buf title, og_title, date, time_date, canon, og_url;
	struct xref_buf tmp;
	int pending;      /* 0 nothing, 1 a space, 2 a paragraph break */
	bool in_head;
	bool have_title;
	int skip_depth;   /* inside svg/template/math: nesting count */
	char skip_tag[NAME_MAX_LEN + 1];
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Sorted bytewise (strcmp), for the binary search in tag_lookup(). */
static const struct {
	const char *name;
	unsigned char flags;
	unsigned char kind;
} tags[] = {
	{ "address", T_BLOCK, K_OTHER },
	{ "article", T_BLOCK, K_OTHER },
	{ "aside", T_BLOCK, K_OTHER },
	{ "base", T_HEAD_OK, K_OTHER },
	{ "blockquote", T_BLOCK, K_OTHER },
	{ "body", T_BLOCK, K_OTHER },
	{ "br", T_BLOCK, K_OTHER },
	{ "caption", T_BLOCK, K_OTHER },
	{ "center", T_BLOCK, K_OTHER },
	{ "dd", T_BLOCK, K_OTHER },
	{ "details", T_BLOCK, K_OTHER },
	{ "dialog", T_BLOCK, K_OTHER },
	{ "dir", T_BLOCK, K_OTHER },
	{ "div", T_BLOCK, K_OTHER },
	{ "dl", T_BLOCK, K_OTHER },
	{ "dt", T_BLOCK, K_OTHER },
	{ "fieldset", T_BLOCK, K_OTHER },
	{ "figcaption", T_BLOCK, K_OTHER },
	{ "figure", T_BLOCK, K_OTHER },
	{ "footer", T_BLOCK, K_OTHER },
	{ "form", T_BLOCK, K_OTHER },
	{ "h1", T_BLOCK, K_OTHER },
	{ "h2", T_BLOCK, K_OTHER },
	{ "h3", T_BLOCK, K_OTHER },
	{ "h4", T_BLOCK, K_OTHER },
	{ "h5", T_BLOCK, K_OTHER },
	{ "h6", T_BLOCK, K_OTHER },
	{ "head", 0, K_HEAD },
	{ "header", T_BLOCK, K_OTHER },
	{ "hgroup", T_BLOCK, K_OTHER },
	{ "hr", T_BLOCK, K_OTHER },
	{ "html", T_BLOCK, K_OTHER },
	{ "iframe", T_RAW, K_OTHER },
	{ "legend", T_BLOCK, K_OTHER },
	{ "li", T_BLOCK, K_OTHER },
	{ "link", T_HEAD_OK, K_LINK },
	{ "main", T_BLOCK, K_OTHER },
	{ "math", T_SKIP, K_OTHER },
	{ "menu", T_BLOCK, K_OTHER },
	{ "meta", T_HEAD_OK, K_META },
	{ "nav", T_BLOCK, K_OTHER },
	{ "noembed", T_RAW, K_OTHER },
	{ "noframes", T_RAW, K_OTHER },
	{ "noscript", T_RAW | T_HEAD_OK, K_OTHER },
	{ "object", T_RAW, K_OTHER },
	{ "ol", T_BLOCK, K_OTHER },
	{ "option", T_BLOCK, K_OTHER },
	{ "p", T_BLOCK, K_OTHER },
	{ "pre", T_BLOCK, K_OTHER },
	{ "script", T_RAW | T_HEAD_OK, K_OTHER },
	{ "section", T_BLOCK, K_OTHER },
	{ "style", T_RAW | T_HEAD_OK, K_OTHER },
	{ "summary", T_BLOCK, K_OTHER },
	{ "svg", T_SKIP, K_OTHER },
	{ "table", T_BLOCK, K_OTHER },
	{ "tbody", T_BLOCK, K_OTHER },
	{ "td", T_BLOCK, K_OTHER },
	{ "template", T_SKIP | T_HEAD_OK, K_OTHER },
	{ "textarea", T_RAW, K_OTHER },
	{ "tfoot", T_BLOCK, K_OTHER },
	{ "th", T_BLOCK, K_OTHER },
	{ "thead", T_BLOCK, K_OTHER },
	{ "time", 0, K_TIME },
	{ "title", T_HEAD_OK, K_TITLE },
	{ "tr", T_BLOCK, K_OTHER },
	{ "ul", T_BLOCK, K_OTHER },
	{ "xmp", T_RAW, K_OTHER },
};

/* Looks the lowercase name up once per tag: a binary search of one
 * table, where a string comparison with each name of several lists cost
 * more than the rest of the parse. */
static void tag_lookup(const char *name, unsigned *flags, enum tag_kind *kind)
{
	size_t lo = 0, hi = sizeof(tags) / sizeof(tags[0]);

	*flags = 0;
	*kind = K_OTHER;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		/* the first byte settles most steps without a call */
		int c = (unsigned char)name[0] - (unsigned char)tags[mid].name[0];

		if (c == 0)
			c = strcmp(name, tags[mid].name);

		if (c == 0) {
			*flags = tags[mid].flags;
			*kind = (enum tag_kind)tags[mid].kind;
			return;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
}

/* Parses the tag at h->pos ('<' followed by a letter, or "</" and a
 * letter) and moves past its '>' (or to the end of input). */
static void parse_tag(struct html *h, struct tag *t)
{
	const char *s = h->s;
	size_t len = h->len, i = h->pos + 1, n = 0;

	t->end = false;
	t->self_close = false;
	t->n_attrs = 0;
	if (s[i] == '/') {
		t->end = true;
		i++;
	}
	while (i < len && !is_space(s[i]) && s[i] != '/' && s[i] != '>') {
		if (n < NAME_MAX_LEN)
			t->name[n] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		n++;
		i++;
	}
	t->name[n <= NAME_MAX_LEN ? n : 0] = '\0';
	tag_lookup(t->name, &t->flags, &t->kind);
	for (;;) {
		struct attr a;

		while (i < len && (is_space(s[i]) || s[i] == '/')) {
			if (s[i] == '/' && i + 1 < len && s[i + 1] == '>')
				t->self_close = true;
			i++;
		}
		if (i >= len)
			break;
		if (s[i] == '>') {
			i++;
			break;
		}
		a.name = s + i;
		i++; /* the first character may even be '=' */
		while (i < len && !is_space(s[i]) && s[i] != '/' && s[i] != '>' &&
		       s[i] != '=')
			i++;
		a.name_len = (size_t)(s + i - a.name);
		a.val = NULL;
		a.val_len = 0;
		while (i < len && is_space(s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && is_space(s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				const char *q = memchr(s + i + 1, s[i], len - i - 1);

				a.val = s + i + 1;
				a.val_len = q ? (size_t)(q - a.val) : len - i - 1;
				i = q ? (size_t)(q - s) + 1 : len;
			} else {
				a.val = s + i;
				while (i < len && !is_space(s[i]) && s[i] != '>')
					i++;
				a.val_len = (size_t)(s + i - a.val);
			}
		}
		if (t->n_attrs < MAX_ATTRS)
			t->a[t->n_attrs++] = a;
	}
	h->pos = i;
}

static const struct attr *get_attr(const struct tag *t, const char *name)
{
	for (size_t i = 0; i < t->n_attrs; i++)
		if (t->a[i].name_len == strlen(name) &&
		    strncasecmp(t->a[i].name, name, t->a[i].name_len) == 0)
			return &t->a[i];
	return NULL;
}

/* Appends s[0..n) to b with character references decoded. */
static int put_decoded(struct xref_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	int err = 0;

	while (i < n && !err) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t run = amp ? (size_t)(amp - s) - i : n - i;
		char tmp[4];
		size_t used, tn;

		err = xref_buf_put(b, s + i, run);
		i += run;
		if (err || i >= n)
			break;
		used = xref_html_charref(s + i, n - i, tmp, &tn);
		if (used) {
			err = xref_buf_put(b, tmp, tn);
			i += used;
		} else {
			err = xref_buf_putc(b, '&');
			i++;
		}
	}
	return err;
}

/* Decodes an attribute value into h->tmp; returns it or NULL. */
static const char *attr_value(struct html *h, const struct attr *a, int *err)
{
	*err = 0;
	if (!a || !a->val)
		return NULL;
	xref_buf_clear(&h->tmp);
	*err = put_decoded(&h->tmp, a->val, a->val_len);
	return *err ? NULL : xref_buf_cstr(&h->tmp);
}

static bool parses_as_date(const char *v)
{
	char *d = xref_date_parse(v);

	free(d);
	return d != NULL;
}

/* Keeps the first value of a field. */
static int keep_first(struct xref_buf *b, const char *v)
{
	if (b->len || !v || !*v)
		return 0;
	return xref_buf_puts(b, v);
}

static bool is_date_key(const char *k, size_t n)
{
	static const char *const keys[] = {
		"date", "article:published_time", "pubdate", "publishdate",
		"publish-date", "publish_date", "dc.date", "dc.date.issued",
		"dcterms.date", "dcterms.issued", "dcterms.created",
		"og:published_time", "datepublished", "sailthru.date",
		"parsely-pub-date", "article.published", "original-publish-date",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i]) == n && strncasecmp(k, keys[i], n) == 0)
			return true;
	return false;
}

static int handle_meta(struct html *h, const struct tag *t)
{
	static const char *const key_attrs[] = { "name", "property", "itemprop" };
	const struct attr *content = get_attr(t, "content");
	const char *v;
	int err = 0;

	if (!content)
		return 0;
	for (size_t k = 0; k < 3 && !err; k++) {
		const struct attr *key = get_attr(t, key_attrs[k]);

		if (!key || !key->val)
			continue;
		if (is_date_key(key->val, key->val_len)) {
			v = attr_value(h, content, &err);
			if (v && !h->date.len && parses_as_date(v))
				err = xref_buf_puts(&h->date, v);
		} else if (key->val_len == 8 &&
			   strncasecmp(key->val, "og:title", 8) == 0) {
			v = attr_value(h, content, &err);
			if (!err)
				err = keep_first(&h->og_title, v);
		} else if (key->val_len == 6 &&
			   strncasecmp(key->val, "og:url", 6) == 0) {
			v = attr_value(h, content, &err);
			if (!err)
				err = keep_first(&h->og_url, v);
		}
	}
	return err;
}

static bool has_token(const char *s, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0;

	while (i < n) {
		size_t j;

		while (i < n && is_space(s[i]))
			i++;
		j = i;
		while (j < n && !is_space(s[j]))
			j++;
		if (j - i == tl && strncasecmp(s + i, tok, tl) == 0)
			return true;
		i = j;
	}
	return false;
}

static int handle_link(struct html *h, const struct tag *t)
{
	const struct attr *rel = get_attr(t, "rel");
	const char *v;
	int err = 0;

	if (!rel || !rel->val || h->canon.len ||
	    !has_token(rel->val, rel->val_len, "canonical"))
		return 0;
	v = attr_value(h, get_attr(t, "href"), &err);
	if (!err)
		err = keep_first(&h->canon, v);
	return err;
}

static int handle_time(struct html *h, const struct tag *t)
{
	const char *v;
	int err = 0;

	if (h->time_date.len)
		return 0;
	v = attr_value(h, get_attr(t, "datetime"), &err);
	if (v && parses_as_date(v))
		err = xref_buf_puts(&h->time_date, v);
	return err;
}

/* Finds "</name" (any case) followed by a delimiter from `from`; returns
 * its offset or h->len. */
static size_t find_end_tag(const struct html *h, size_t from, const char *name)
{
	size_t n = strlen(name);
	const char *s = h->s;

	while (from < h->len) {
		const char *lt = memchr(s + from, '<', h->len - from);
		size_t i;

		if (!lt)
			break;
		i = (size_t)(lt - s);
		if (i + 2 + n <= h->len && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, n) == 0 &&
		    (i + 2 + n == h->len || is_space(s[i + 2 + n]) ||
		     s[i + 2 + n] == '/' || s[i + 2 + n] == '>'))
			return i;
		from = i + 1;
	}
	return h->len;
}

/* Skips past the end tag starting at `at` (or to the end). */
static void skip_end_tag(struct html *h, size_t at)
{
	const char *gt;

	if (at >= h->len) {
		h->pos = h->len;
		return;
	}
	gt = memchr(h->s + at, '>', h->len - at);
	h->pos = gt ? (size_t)(gt - h->s) + 1 : h->len;
}

/* Byte classes for text: whitespace collapses; '<' and '&' end a run of
 * text in the input (written as text when they come decoded). */
enum { C_TEXT, C_SPACE, C_STOP };

static const unsigned char text_class[256] = {
	[' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
	['\f'] = C_SPACE, ['<'] = C_STOP, ['&'] = C_STOP,
};

/* Most text a call may write: the room it makes in h->text is bounded,
 * so that a large document of markup keeps a buffer its text's size. */
#define TEXT_CHUNK 65536

/* Appends p[0..n) (with `run`, only up to the first '<' or '&') with
 * whitespace collapsed and pending breaks applied; nothing inside <head>
 * or a skipped element. Returns the number of bytes of p it used (all of
 * them without `run`), or 0 with *err set. */
static size_t put_text_run(struct html *h, const char *p, size_t n, bool run,
			   int *err)
{
	int pending = h->pending;
	size_t i = 0;
	char *start, *o;

	*err = 0;
	if (run && n > TEXT_CHUNK)
		n = TEXT_CHUNK;
	if (h->in_head || h->skip_depth) {
		while (run && i < n && text_class[(unsigned char)p[i]] != C_STOP)
			i++;
		return run ? i : n;
	}
	/* a break and one byte per input byte at most */
	*err = xref_buf_grow(&h->text, n + 2);
	if (*err)
		return 0;
	start = h->text.ptr;
	o = start + h->text.len;
	while (i < n) {
		unsigned char k = text_class[(unsigned char)p[i]];

		if (k == C_SPACE) {
			if (!pending)
				pending = 1;
			i++;
			continue;
		}
		if (k == C_STOP && run)
			break;
		if (o > start && pending == 2) {
			*o++ = '\n';
			*o++ = '\n';
		} else if (o > start && pending == 1) {
			*o++ = ' ';
		}
		pending = 0;
		*o++ = p[i++];
		/* after a byte that is not whitespace: words and single
		 * spaces go through eight bytes at a time */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (!xref_bytes_plain(p + i, w,
					      xref_bytes_eq(w, '<') |
						      xref_bytes_eq(w, '&')))
				break;
			memcpy(o, p + i, 8);
			o += 8;
			i += 8;
		}
		while (i < n && text_class[(unsigned char)p[i]] == C_TEXT)
			*o++ = p[i++];
	}
	h->pending = pending;
	h->text.len = (size_t)(o - start);
	*o = '\0';
	return i;
}

static int put_text(struct html *h, const char *p, size_t n)
{
	int err;

	put_text_run(h, p, n, false, &err);
	return err;
}

static int start_tag(struct html *h, const struct tag *t)
{
	const char *name = t->name;
	int err = 0;

	if (h->skip_depth) {
		if (!t->self_close && strcmp(name, h->skip_tag) == 0)
			h->skip_depth++;
		if (t->flags & T_RAW)
			skip_end_tag(h, find_end_tag(h, h->pos, name));
		return 0;
	}
	if (t->flags & T_RAW) {
		skip_end_tag(h, find_end_tag(h, h->pos, name));
		return 0;
	}
	if (t->kind == K_TITLE) {
		size_t end = find_end_tag(h, h->pos, "title");

		if (!h->have_title)
			err = put_decoded(&h->title, h->s + h->pos, end - h->pos);
		h->have_title = true;
		skip_end_tag(h, end);
		return err;
	}
	if (t->flags & T_SKIP) {
		if (!t->self_close) {
			h->skip_depth = 1;
			memcpy(h->skip_tag, name, strlen(name) + 1);
		}
		return 0;
	}
	if (t->kind == K_HEAD) {
		h->in_head = true;
		return 0;
	}
	if (t->kind == K_META)
		return handle_meta(h, t);
	if (t->kind == K_LINK)
		return handle_link(h, t);
	if (h->in_head && !(t->flags & T_HEAD_OK))
		h->in_head = false; /* content: the body has begun */
	if (t->kind == K_TIME)
		return handle_time(h, t);
	if (t->flags & T_BLOCK)
		h->pending = 2;
	return 0;
}

static void end_tag(struct html *h, const struct tag *t)
{
	if (h->skip_depth) {
		if (strcmp(t->name, h->skip_tag) == 0)
			h->skip_depth--;
		return;
	}
	if (t->kind == K_HEAD)
		h->in_head = false;
	else if (t->flags & T_BLOCK)
		h->pending = 2;
}

/* Skips from h->pos to just past `end` (or to the end of input). */
static void skip_past(struct html *h, size_t from, const char *end)
{
	size_t n = strlen(end), i = from;

	while (i < h->len) {
		const char *p = memchr(h->s + i, end[0], h->len - i);

		if (!p)
			break;
		i = (size_t)(p - h->s);
		if (i + n <= h->len && memcmp(h->s + i, end, n) == 0) {
			h->pos = i + n;
			return;
		}
		i++;
	}
	h->pos = h->len;
}

static int scan(struct html *h)
{
	const char *s = h->s;
	struct tag t;
	int err = 0;

	while (h->pos < h->len && !err) {
		size_t i = h->pos;
		char c = s[i];
		char next = i + 1 < h->len ? s[i + 1] : '\0';

		if (c == '<') {
			if (next == '!' && i + 3 < h->len && s[i + 2] == '-' &&
			    s[i + 3] == '-') {
				skip_past(h, i + 2, "-->");
			} else if (next == '!' && h->len - i >= 9 &&
				   memcmp(s + i, "<![CDATA[", 9) == 0) {
				skip_past(h, i + 9, "]]>");
			} else if (next == '!' || next == '?') {
				skip_past(h, i + 2, ">");
			} else if (is_alpha(next) ||
				   (next == '/' && i + 2 < h->len && is_alpha(s[i + 2]))) {
				parse_tag(h, &t);
				if (t.end)
					end_tag(h, &t);
				else
					err = start_tag(h, &t);
			} else if (next == '/') {
				skip_past(h, i + 2, ">"); /* "</>" or "</ ..." */
			} else {
				err = put_text(h, "<", 1);
				h->pos++;
			}
		} else if (c == '&') {
			char tmp[4];
			size_t n, used = xref_html_charref(s + i, h->len - i, tmp, &n);

			if (used) {
				/* a decoded space still collapses; a decoded
				 * '<' is text */
				err = put_text(h, tmp, n);
				h->pos += used;
			} else {
				err = put_text(h, "&", 1);
				h->pos++;
			}
		} else {
			h->pos += put_text_run(h, s + i, h->len - i, true, &err);
		}
	}
	return err;
}

int xref_read_html(const char *data, size_t len, const struct xref_rsrc *src)
{
	struct html h = { .s = data, .len = len };
	struct xref_raw_doc raw = { 0 };
	const struct xref_buf *title, *url, *date;
	bool empty = false;
	int err;

	err = scan(&h);
	if (err)
		goto out;
	title = h.title.len && !xref_reader_is_blank(h.title.ptr, h.title.len)
			? &h.title : &h.og_title;
	url = h.canon.len ? &h.canon : &h.og_url;
	date = h.date.len ? &h.date : &h.time_date;
	raw.title = title->len ? title->ptr : NULL;
	raw.title_len = title->len;
	raw.url = url->len ? url->ptr : NULL;
	raw.url_len = url->len;
	raw.date = date->len ? date->ptr : NULL;
	raw.date_len = date->len;
	raw.text = xref_buf_cstr(&h.text);
	raw.text_len = h.text.len;
	raw.line = 1;
	err = xref_reader_emit(src, &raw, &empty);
	if (!err && empty)
		xref_reader_warn(src, 0, "no text, skipped");
out:
	xref_buf_release(&h.text);
	xref_buf_release(&h.title);
	xref_buf_release(&h.og_title);
	xref_buf_release(&h.date);
	xref_buf_release(&h.time_date);
	xref_buf_release(&h.canon);
	xref_buf_release(&h.og_url);
	xref_buf_release(&h.tmp);
	return err;
}
