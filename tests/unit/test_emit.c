/*
 * export/emit.h and the direct JSON writer of jsonw.h against the slower
 * paths whose bytes they must reproduce: xref_utf8_sanitize() and
 * xref_utf8_clean(), a cJSON tree printed by xref_json_print(), a result
 * table's CSV cell, and a plain XML escaper (for xref_emit_xml() and
 * xref_xml_append(), which calls it). Hand-picked hostile strings
 * first (invalid and overlong UTF-8, surrogates, controls, C1,
 * U+2028/U+2029 whole and cut, quotes, formulas), then pseudo-random
 * strings from a fixed seed, with the bytes that matter often or rarely.
 */
#define _POSIX_C_SOURCE 200809L

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/emit.h"
#include "export/jsonw.h"
#include "export/style.h"
#include "export/table.h"
#include "export/xml.h"
#include "graph/graph.h"
#include "ingest/buf.h"
#include "ingest/utf8.h"
#include "tap.h"

static const char *const hostile[] = {
	"",
	"plain ascii",
	"a,b",
	"say \"hi\"",
	"=SUM(A1)",
	"+1",
	"-x",
	"@home",
	"back\\slash",
	"<script>alert(1)</script>",
	"tab\there",
	"line\nbreak",
	"cr\rlf\r\nend\r",
	"\x01\x02\x1f\x7f",
	"\xC2\x80\xC2\x9F c1",
	"\xE2\x80\xA8 ls \xE2\x80\xA9 ps",
	"\xE2\x80 cut",
	"\xE2\x80",
	"\xE2",
	"\xE2\x82\xAC euro",
	"\357\273\277bom first",
	"mid \xEF\xBB\xBF bom",
	"\xEF\xBF\xBE \xEF\xBF\xBF nonchars",
	"\xC0\xAF overlong",
	"\xED\xA0\x80 surrogate",
	"\xF4\x90\x80\x80 too high",
	"\xF0\x9F\x98\x80 emoji",
	"\xFF\xFE",
	"caf\xC3\xA9",
	"\"=quoted formula",
	"comma, \"quote\" and <angle>",
	/* long enough to be read eight bytes at a time, one special each */
	"a plain sentence of words, then a comma late",
	"a plain sentence of words then a \"quote\"",
	"a plain sentence of words then an <angle>",
	"a plain sentence of words then a back\\slash",
	"a plain sentence of words then a DEL \x7f here",
	"a plain sentence of words then a tab \t here",
	"a plain sentence of words then caf\xC3\xA9 here",
	"a plain sentence of words and nothing else at all",
};

/* Pseudo-random test strings: a fixed LCG, bytes drawn often or rarely
 * from the ones the escapers treat specially. */
static unsigned long long seed = 0x9E3779B97F4A7C15ULL;

static unsigned next(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33);
}

/* One byte in `rare` on average is drawn from the special ones. */
static void random_string(char *s, size_t cap, unsigned rare)
{
	static const unsigned char special[] = {
		'"', '\\', '<', ',', '=', '+', '-', '@', '\t', '\n', '\r',
		0x01, 0x1F, 0x7F, 0x80, 0x9F, 0xA8, 0xA9, 0xBB, 0xBF, 0xC2,
		0xC3, 0xE2, 0xEF, 0xED, 0xF0, 0xF4, 0xFF, 'a', ' ',
	};
	size_t len = next() % (cap - 1), i;

	for (i = 0; i < len; i++) {
		unsigned r = next();

		if (r % rare != 0)
			s[i] = (char)(0x20 + r / 3 % 95);
		else
			s[i] = (char)special[r / 3 % sizeof(special)];
		if (!s[i])
			s[i] = 'z';
	}
	s[len] = '\0';
}

static bool same_bytes(const struct xref_buf *b, const char *want,
		       size_t want_len)
{
	return b->len == want_len && (!want_len || !memcmp(b->ptr, want,
							   want_len));
}

/* Compares the sanitising and cleaning copies; counts the mismatches. */
static int check_utf8(const char *s)
{
	struct xref_buf b = XREF_BUF_INIT;
	char *want = xref_utf8_sanitize(s), *clean = NULL;
	size_t clean_len = 0;
	int bad = 0;

	if (!want || xref_utf8_sanitize_append(&b, s, strlen(s)) ||
	    !same_bytes(&b, want, strlen(want)))
		bad++;
	xref_buf_clear(&b);
	if (xref_utf8_clean(&clean, &clean_len, NULL, s, strlen(s)) ||
	    xref_utf8_clean_append(&b, s, strlen(s)) ||
	    !same_bytes(&b, clean, clean_len))
		bad++;
	free(want);
	free(clean);
	xref_buf_release(&b);
	return bad;
}

/*
 * The reference for the direct writer: the same members built as a cJSON
 * tree (text cleaned or sanitised, integers and "%.6g" numbers as raw
 * text, null for what has no value). Each returns false when out of
 * memory; the new item belongs to obj.
 */
static bool ref_add_lines(cJSON *obj, const char *key, const char *s)
{
	char *clean = NULL;
	size_t len;
	bool ok;

	if (!s)
		return cJSON_AddNullToObject(obj, key) != NULL;
	if (xref_utf8_clean(&clean, &len, NULL, s, strlen(s)) != 0)
		return false;
	ok = cJSON_AddStringToObject(obj, key, clean) != NULL;
	free(clean);
	return ok;
}

static bool ref_add_long(cJSON *obj, const char *key, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

static bool ref_add_num(cJSON *obj, const char *key, double v)
{
	char buf[XREF_NUM_BUFSZ];

	if (!xref_style_num(buf, v))
		return cJSON_AddNullToObject(obj, key) != NULL;
	return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

static bool ref_add_aliases(cJSON *obj, const char *key,
			    const struct xref_node *v)
{
	cJSON *aliases, *item;
	char *clean;
	size_t i;

	aliases = cJSON_AddArrayToObject(obj, key);
	if (!aliases)
		return false;
	for (i = 0; i < v->n_aliases; i++) {
		clean = xref_utf8_sanitize(v->aliases[i] ? v->aliases[i] : "");
		if (!clean)
			return false;
		item = cJSON_CreateString(clean);
		free(clean);
		if (!item)
			return false;
		if (!cJSON_AddItemToArray(aliases, item)) {
			cJSON_Delete(item);
			return false;
		}
	}
	return true;
}

static bool ref_add_community(cJSON *obj, const struct xref_node *v)
{
	return v->community < 0 || ref_add_long(obj, "community", v->community);
}

static bool ref_add_metrics(cJSON *obj, const struct xref_node *v)
{
	int m;

	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (v->has_metric[m] &&
		    !ref_add_num(obj, xref_metric_name(m), v->metric[m]))
			return false;
	}
	return true;
}

/* The text of {"k": value} as xref_json_print() prints it, value added by
 * add; NULL on failure. Owned by the caller. */
static char *printed(bool (*add)(cJSON *, const char *, const char *),
		     const char *s)
{
	struct xref_buf b = XREF_BUF_INIT;
	cJSON *root = cJSON_CreateObject();
	char *res = NULL;

	if (root && add(root, "k", s) && !xref_json_print(&b, root))
		res = xref_buf_detach(&b);
	cJSON_Delete(root);
	xref_buf_release(&b);
	return res;
}

/* The same object written by the direct writer. */
static char *written(void (*put)(struct xref_jw *, const char *),
		     const char *s)
{
	struct xref_buf b = XREF_BUF_INIT;
	struct xref_jw w;
	char *res = NULL;

	xref_jw_init(&w, &b, 0);
	xref_jw_open_object(&w);
	xref_jw_key(&w, "k");
	put(&w, s);
	xref_jw_close_object(&w);
	if (!w.err && !xref_buf_putc(&b, '\n'))
		res = xref_buf_detach(&b);
	xref_jw_release(&w);
	xref_buf_release(&b);
	return res;
}

static int check_json(const char *s)
{
	char *a = printed(xref_json_add_text, s), *b = written(xref_jw_text, s);
	char *c = printed(ref_add_lines, s);
	char *d = written(xref_jw_lines, s);
	int bad = 0;

	if (!a || !b || strcmp(a, b))
		bad++;
	if (!c || !d || strcmp(c, d))
		bad++;
	free(a);
	free(b);
	free(c);
	free(d);
	return bad;
}

/* The reference XML escaping: a sanitised copy, then the five specials
 * replaced one byte at a time. */
static int ref_xml(struct xref_buf *b, const char *s)
{
	char *clean = s ? xref_utf8_sanitize(s) : NULL;
	int err = 0;

	if (!s)
		return 0;
	if (!clean)
		return -1;
	for (const char *p = clean; !err && *p; p++) {
		switch (*p) {
		case '&':
			err = xref_buf_puts(b, "&amp;");
			break;
		case '<':
			err = xref_buf_puts(b, "&lt;");
			break;
		case '>':
			err = xref_buf_puts(b, "&gt;");
			break;
		case '"':
			err = xref_buf_puts(b, "&quot;");
			break;
		case '\'':
			err = xref_buf_puts(b, "&#39;");
			break;
		default:
			err = xref_buf_putc(b, *p);
		}
	}
	free(clean);
	return err;
}

static int check_xml(const char *s)
{
	struct xref_buf a = XREF_BUF_INIT, b = XREF_BUF_INIT;
	struct xref_buf c = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	int bad = 0;

	if (ref_xml(&a, s) || xref_emit_xml(&b, &scratch, s) ||
	    !same_bytes(&b, a.ptr ? a.ptr : "", a.len))
		bad++;
	if (xref_xml_append(&c, s) ||
	    !same_bytes(&c, a.ptr ? a.ptr : "", a.len))
		bad++;
	xref_buf_release(&a);
	xref_buf_release(&b);
	xref_buf_release(&c);
	xref_buf_release(&scratch);
	return bad;
}

/* The cell as a one-column result table writes it, without the header. */
static char *table_cell(const char *s)
{
	struct xref_table *t = NULL;
	char *text = NULL, *res = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f && !xref_table_new(&t) &&
	    !xref_table_add_column(t, "c", XREF_COL_STRING) &&
	    !xref_table_add_row(t) && !xref_table_set_string(t, 0, s) &&
	    !xref_table_write(t, XREF_TABLE_CSV, f) && !fclose(f)) {
		f = NULL;
		if (len >= 3 && !strncmp(text, "c\n", 2) &&
		    text[len - 1] == '\n') {
			text[len - 1] = '\0';
			res = strdup(text + 2);
		}
	}
	if (f)
		fclose(f);
	free(text);
	xref_table_free(t);
	return res;
}

static int check_csv(const char *s)
{
	struct xref_buf b = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	char *want = table_cell(s);
	int bad = 0;

	if (!want || xref_emit_csv_text(&b, &scratch, s) ||
	    !same_bytes(&b, want, strlen(want)))
		bad++;
	free(want);
	xref_buf_release(&b);
	xref_buf_release(&scratch);
	return bad;
}

/* A node-link item with nested arrays and objects, built as a tree and
 * printed, against the direct writer at depth 2 re-indented the same way
 * (every line break followed by two more tabs). */
static void check_layout(void)
{
	struct xref_node v;
	const char *aliases[] = { "A<b", NULL, "\xE2\x80\xA8" };
	struct xref_buf b = XREF_BUF_INIT, want = XREF_BUF_INIT;
	struct xref_buf fixed = XREF_BUF_INIT;
	cJSON *root = cJSON_CreateObject(), *arr, *ev, *empty;
	struct xref_jw w;

	memset(&v, 0, sizeof(v));
	v.aliases = (char **)aliases;
	v.n_aliases = 3;
	v.community = 7;
	v.has_metric[0] = true;
	v.metric[0] = 0.1234567;
	v.has_metric[1] = true;
	v.metric[1] = INFINITY;
	CHECK(root != NULL);
	if (!root)
		return;
	CHECK(xref_json_add_text(root, "name", "x\ty") &&
	      ref_add_aliases(root, "aliases", &v) &&
	      ref_add_community(root, &v) &&
	      ref_add_metrics(root, &v) &&
	      ref_add_long(root, "n", -42) &&
	      (arr = cJSON_AddArrayToObject(root, "list")) != NULL &&
	      (ev = cJSON_CreateObject()) != NULL &&
	      cJSON_AddItemToArray(arr, ev) &&
	      ref_add_lines(ev, "text", "one\ntwo") &&
	      xref_json_add_text(ev, "none", NULL) &&
	      (empty = cJSON_CreateObject()) != NULL &&
	      cJSON_AddItemToArray(arr, empty) &&
	      cJSON_AddArrayToObject(root, "nothing") != NULL);
	/* the expected text: printed, rewritten for HTML, re-indented */
	CHECK(!xref_json_print(&fixed, root));
	for (const char *p = fixed.ptr; p && *p; p++) {
		xref_buf_putc(&want, *p);
		if (*p == '\n' && p[1])
			xref_buf_put(&want, "\t\t", 2);
	}
	xref_jw_init(&w, &b, 2);
	xref_jw_open_object(&w);
	xref_jw_key(&w, "name");
	xref_jw_text(&w, "x\ty");
	xref_jw_aliases(&w, "aliases", &v);
	xref_jw_community(&w, &v);
	xref_jw_metrics(&w, &v);
	xref_jw_key(&w, "n");
	xref_jw_long(&w, -42);
	xref_jw_key(&w, "list");
	xref_jw_open_array(&w);
	xref_jw_item(&w);
	xref_jw_open_object(&w);
	xref_jw_key(&w, "text");
	xref_jw_lines(&w, "one\ntwo");
	xref_jw_key(&w, "none");
	xref_jw_text(&w, NULL);
	xref_jw_close_object(&w);
	xref_jw_item(&w);
	xref_jw_open_object(&w);
	xref_jw_close_object(&w);
	xref_jw_close_array(&w);
	xref_jw_key(&w, "nothing");
	xref_jw_open_array(&w);
	xref_jw_close_array(&w);
	xref_jw_close_object(&w);
	CHECK(w.err == 0);
	CHECK(strstr(b.ptr ? b.ptr : "", "\"A\\u003cb\"") != NULL);
	CHECK(strstr(b.ptr ? b.ptr : "", "\"\\u2028\"") != NULL);
	xref_buf_putc(&b, '\n');
	CHECK_STR(b.ptr, want.ptr);
	xref_jw_release(&w);
	cJSON_Delete(root);
	xref_buf_release(&fixed);
	xref_buf_release(&b);
	xref_buf_release(&want);
}

static void check_numbers(void)
{
	static const long long v[] = { 0, 1, -1, 9, 10, 1234567890123LL,
				       -9223372036854775807LL - 1,
				       9223372036854775807LL };
	struct xref_buf b = XREF_BUF_INIT;
	char want[32];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		xref_buf_clear(&b);
		snprintf(want, sizeof(want), "%lld", v[i]);
		CHECK(!xref_emit_long(&b, v[i]));
		CHECK_STR(b.ptr, want);
	}
	xref_buf_clear(&b);
	snprintf(want, sizeof(want), "%llu", 18446744073709551615ULL);
	CHECK(!xref_emit_ulong(&b, 18446744073709551615ULL));
	CHECK_STR(b.ptr, want);
	xref_buf_release(&b);
}

/* Writes a two-row table (string, integer, number columns; the second
 * row's number unset) in format f; NULL on failure. Freed by the caller. */
static char *small_table(enum xref_table_format f)
{
	struct xref_table *t = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	bool ok = out && !xref_table_new(&t) &&
		  !xref_table_add_column(t, "name", XREF_COL_STRING) &&
		  !xref_table_add_column(t, "count", XREF_COL_INTEGER) &&
		  !xref_table_add_column(t, "score", XREF_COL_NUMBER) &&
		  !xref_table_add_row(t) &&
		  !xref_table_set_string(t, 0, "=A1 <b>\xe2\x80\xa8\"x\"") &&
		  !xref_table_set_integer(t, 1, -3) &&
		  !xref_table_set_number(t, 2, 0.25) &&
		  !xref_table_add_row(t) &&
		  !xref_table_set_string(t, 0, "plain, text") &&
		  !xref_table_set_integer(t, 1, 7) &&
		  !xref_table_write(t, f, out);

	if (out && fclose(out))
		ok = false;
	xref_table_free(t);
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

/* The result tables' JSON and CSV: HTML-safe strings, raw numbers, null
 * for an unset cell; guarded string cells, unguarded numbers. */
static void check_tables(void)
{
	char *json = small_table(XREF_TABLE_JSON);
	char *csv = small_table(XREF_TABLE_CSV);
	char *empty = NULL;
	size_t len = 0;
	struct xref_table *t = NULL;
	FILE *out = open_memstream(&empty, &len);

	CHECK_STR(json, "[\n"
			"{\"name\":\"=A1 \\u003cb>\\u2028\\\"x\\\"\","
			"\"count\":-3,\"score\":0.25},\n"
			"{\"name\":\"plain, text\",\"count\":7,"
			"\"score\":null}\n"
			"]\n");
	CHECK_STR(csv, "name,count,score\n"
		       "\"'=A1 <b>\xe2\x80\xa8\"\"x\"\"\",-3,0.25\n"
		       "\"plain, text\",7,\n");
	CHECK(out && !xref_table_new(&t) &&
	      !xref_table_add_column(t, "c", XREF_COL_STRING) &&
	      !xref_table_write(t, XREF_TABLE_JSON, out) && !fclose(out));
	CHECK_STR(empty, "[]\n");
	xref_table_free(t);
	free(json);
	free(csv);
	free(empty);
}

int main(void)
{
	char s[64];
	int bad_utf8 = 0, bad_json = 0, bad_csv = 0, bad_xml = 0;
	size_t i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		int u = check_utf8(hostile[i]), j = check_json(hostile[i]);
		int c = check_csv(hostile[i]), x = check_xml(hostile[i]);

		if (u || j || c || x)
			fprintf(stderr, "# mismatch on hostile string %zu\n",
				i);
		bad_utf8 += u;
		bad_json += j;
		bad_csv += c;
		bad_xml += x;
	}
	for (i = 0; i < 20000; i++) {
		random_string(s, sizeof(s), i % 2 ? 3 : 60);
		bad_utf8 += check_utf8(s);
		bad_json += check_json(s);
		bad_csv += check_csv(s);
		bad_xml += check_xml(s);
	}
	CHECK(bad_utf8 == 0);
	CHECK(bad_json == 0);
	CHECK(bad_csv == 0);
	CHECK(bad_xml == 0);
	check_layout();
	check_numbers();
	check_tables();
	return tap_done();
}
