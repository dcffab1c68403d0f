/*
 * Unit tests for the readers (ingest/reader.c and the format readers) and
 * for xref_date_parse(): each format through xref_ingest_read_buffer(),
 * then a scratch directory walk (sorting, hidden entries, symlink loop,
 * unknown extensions, unreadable, empty and oversized files), streamed
 * JSON Lines and standard input.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/doc.h"
#include "ingest/reader.h"
#include "ingest/status.h"
#include "ingest/utf8.h"
#include "tests/unit/tap.h"

#define MAX_DOCS 64
#define MAX_WARNS 64

struct got {
	struct xref_doc docs[MAX_DOCS];
	size_t n;
	char warns[MAX_WARNS][300];
	size_t nw;
	size_t stop_after; /* return 7 from the callback after this many */
	char last_id[256];
	size_t last_len;
	bool all_valid;    /* every field of every document is clean UTF-8 */
};

static bool field_ok(const char *s)
{
	if (!s)
		return true;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return false;
	}
	return xref_utf8_is_valid(s, strlen(s));
}

static int on_doc(struct xref_doc *d, void *ctx)
{
	struct got *g = ctx;

	if (!field_ok(d->id) || !field_ok(d->title) || !field_ok(d->url) ||
	    !field_ok(d->date) || !field_ok(d->text) || !d->id || !d->source ||
	    strlen(d->text) != d->text_len)
		g->all_valid = false;
	snprintf(g->last_id, sizeof(g->last_id), "%s", d->id ? d->id : "");
	g->last_len = d->text_len;
	if (g->n < MAX_DOCS) {
		g->docs[g->n] = *d; /* take every field */
		memset(d, 0, sizeof(*d));
	}
	g->n++;
	if (g->stop_after && g->n == g->stop_after)
		return 7;
	return 0;
}

static void on_warn(const char *path, size_t line, const char *msg, void *ctx)
{
	struct got *g = ctx;

	if (g->nw < MAX_WARNS)
		snprintf(g->warns[g->nw], sizeof(g->warns[0]), "%s:%zu: %s", path,
			 line, msg);
	g->nw++;
}

static void reset(struct got *g)
{
	for (size_t i = 0; i < g->n && i < MAX_DOCS; i++)
		xref_doc_release(&g->docs[i]);
	memset(g, 0, sizeof(*g));
	g->all_valid = true;
}

static struct xref_reader_opts opts_for(struct got *g)
{
	struct xref_reader_opts o = { on_doc, on_warn, g, 0 };

	return o;
}

static int read_str(struct got *g, const char *data, const char *ext,
		    const char *source)
{
	struct xref_reader_opts o = opts_for(g);

	reset(g);
	return xref_ingest_read_buffer(data, strlen(data), ext, source, &o);
}

static const char *str_or(const char *s)
{
	return s ? s : "(null)";
}

/* ---- dates ---- */

static void check_date(const char *in, const char *want)
{
	char *d = xref_date_parse(in);

	CHECK_STR(str_or(d), str_or(want));
	free(d);
}

static void test_dates(void)
{
	check_date("2021-07-21", "2021-07-21");
	check_date("2021-07-21T10:00:00Z", "2021-07-21");
	check_date("  2021-07-21 10:00 ", "2021-07-21");
	check_date("2021/07/21", "2021-07-21");
	check_date("20210721", "2021-07-21");
	check_date("July 21, 2021", "2021-07-21");
	check_date("july 21 2021", "2021-07-21");
	check_date("Jul. 21, 2021", "2021-07-21");
	check_date("Jul 21 2021", "2021-07-21");
	check_date("21 July 2021", "2021-07-21");
	check_date("21 Jul. 2021", "2021-07-21");
	check_date("21-Jul-2021", "2021-07-21");
	check_date("Sept. 3, 2020", "2020-09-03");
	check_date("Tuesday, July 20, 2021", "2021-07-20");
	check_date("July 20th, 2021", "2021-07-20");
	check_date("July 2021", "2021-07");
	check_date("2021-07", "2021-07");
	check_date("2021", "2021");
	check_date("2020-02-29", "2020-02-29");
	check_date("2000-02-29", "2000-02-29");
	check_date("2021-02-29", NULL);
	check_date("1900-02-29", NULL);
	check_date("2021-13-45", NULL);
	check_date("2021-04-31", NULL);
	check_date("2021-00-10", NULL);
	check_date("2021-07-00", NULL);
	check_date("February 30, 2021", NULL);
	check_date("07/21/2021", NULL);
	check_date("Julember 21, 2021", NULL);
	check_date("yesterday", NULL);
	check_date("", NULL);
	check_date("2021-07-21garbage", NULL);
	check_date("21", NULL);
	check_date("12345", NULL);
	check_date(NULL, NULL);
}

/* ---- plain text ---- */

static void test_txt(void)
{
	struct got g;
	int r;

	memset(&g, 0, sizeof(g));
	r = read_str(&g, "Title:  Apple  rushes\tout a fix \n"
			 "date: July 21, 2021\n"
			 "URL: https://news.example.org/a\n"
			 "\n"
			 "First paragraph.\n\nSecond one.\n\n",
		     "txt", "./samples/2021/a.txt");
	CHECK(r == 0);
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].id, "samples/2021/a.txt");
	CHECK_STR(g.docs[0].source, "./samples/2021/a.txt");
	CHECK_STR(g.docs[0].title, "Apple rushes out a fix");
	CHECK_STR(g.docs[0].date, "2021-07-21");
	CHECK_STR(g.docs[0].url, "https://news.example.org/a");
	CHECK_STR(g.docs[0].text, "First paragraph.\n\nSecond one.");
	CHECK(g.docs[0].text_len == strlen("First paragraph.\n\nSecond one."));
	CHECK(g.docs[0].line == 1);
	CHECK(g.nw == 0);

	/* no header: everything is text, nothing else is set */
	read_str(&g, "Just text: with a colon.\nTitle: not a header\n", "txt",
		 "b.txt");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].text, "Just text: with a colon.\nTitle: not a header");
	CHECK(g.docs[0].title == NULL && g.docs[0].date == NULL &&
	      g.docs[0].url == NULL);
	CHECK_STR(g.docs[0].id, "b.txt");

	/* Published: and Source: aliases; unknown keys ignored; Source that
	 * is not a URL ignored */
	read_str(&g, "Published: 2021-07-20\nAuthor: Jane\nSource: Reuters\n\nBody",
		 "txt", "c.txt");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].date, "2021-07-20");
	CHECK(g.docs[0].url == NULL);
	CHECK_STR(g.docs[0].text, "Body");
	read_str(&g, "Source: https://example.com/x\nDate: someday\n\nBody", "txt",
		 "c.txt");
	CHECK_STR(str_or(g.docs[0].url), "https://example.com/x");
	CHECK(g.docs[0].date == NULL);

	/* header ended by a non-header line instead of a blank line */
	read_str(&g, "Title: T\nThe story starts here.\n", "txt", "d.txt");
	CHECK_STR(g.docs[0].title, "T");
	CHECK_STR(g.docs[0].text, "The story starts here.");

	/* invalid UTF-8, controls, CRLF, BOM */
	read_str(&g, "\xEF\xBB\xBFTitle: Caf\xE9\r\n\r\nA\x01" "B\xFF\r\nC\r\n", "txt",
		 "e.txt");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].title, "Caf\xEF\xBF\xBD");
	CHECK_STR(g.docs[0].text, "A B\xEF\xBF\xBD\nC");
	CHECK(g.all_valid);

	/* dangerous URL schemes are dropped, others kept */
	read_str(&g, "URL:  JavaScript:alert(1)\n\nx", "txt", "f.txt");
	CHECK(g.n == 1 && g.docs[0].url == NULL);
	read_str(&g, "URL: java\tscript:alert(1)\n\nx", "txt", "f.txt");
	CHECK(g.n == 1 && g.docs[0].url == NULL);
	read_str(&g, "URL: DATA:text/html,<script>\n\nx", "txt", "f.txt");
	CHECK(g.n == 1 && g.docs[0].url == NULL);
	read_str(&g, "URL: vbscript:msgbox\n\nx", "txt", "f.txt");
	CHECK(g.n == 1 && g.docs[0].url == NULL);
	read_str(&g, "URL: /relative/path\n\nx", "txt", "f.txt");
	CHECK_STR(str_or(g.docs[0].url), "/relative/path");

	/* header only: no text */
	read_str(&g, "Title: Only a title\n\n  \n", "txt", "g.txt");
	CHECK(g.n == 0);
	CHECK(g.nw == 1);
	CHECK_STR(g.warns[0], "g.txt:0: no text, skipped");

	/* empty and binary */
	read_str(&g, "", "txt", "h.txt");
	CHECK(g.n == 0 && g.nw == 1);
	CHECK_STR(g.warns[0], "h.txt:0: empty file, skipped");
	read_str(&g, " \n\t\r\n", "md", "h.md");
	CHECK(g.n == 0 && g.nw == 1);
	CHECK_STR(g.warns[0], "h.md:0: empty file, skipped");
	{
		struct xref_reader_opts o = opts_for(&g);

		reset(&g);
		r = xref_ingest_read_buffer("PK\x03\x04\0\0junk", 10, "txt",
					    "i.txt", &o);
		CHECK(r == 0 && g.n == 0 && g.nw == 1);
		CHECK_STR(g.warns[0], "i.txt:0: binary file, skipped");
	}

	/* unknown extension is plain text; stdin source gives id "-" */
	read_str(&g, "Title: X\n\nhello", "pdfx", "-");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].id, "-");
	CHECK_STR(g.docs[0].title, "X");
	reset(&g);
}

/* ---- Markdown ---- */

static void test_md(void)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	read_str(&g,
		 "# Macron changes *phone*\n"
		 "\n"
		 "*Published 2021-07-22*\n"
		 "\n"
		 "PARIS \xE2\x80\x94 President **Emmanuel Macron** has changed\n"
		 "his phone, said [Forbidden Stories](https://example.com/x \"t\")\n"
		 "and __Amnesty__.\n"
		 "\n"
		 "![a chart](chart.png) Caption with `code` &amp; snake_case_name.\n"
		 "\n"
		 "## Morocco denies\n"
		 "- first item\n"
		 "* second item\n"
		 "1. third item\n"
		 "\n"
		 "> quoted line\n"
		 "> continues\n"
		 "\n"
		 "```c\n"
		 "int secret_code(void);\n"
		 "\n"
		 "```\n"
		 "Text with <span class=\"x\">inline html</span> and 3 * 4 = 12.\n"
		 "\n"
		 "---\n"
		 "[ref]: https://example.com/ref\n"
		 "See [the report][ref] and [[nested] link](u).\n",
		 "md", "m.md");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].title, "Macron changes phone");
	CHECK_STR(g.docs[0].date, "2021-07-22");
	CHECK_STR(g.docs[0].text,
		  "Macron changes phone\n\n"
		  "PARIS \xE2\x80\x94 President Emmanuel Macron has changed his phone, "
		  "said Forbidden Stories and Amnesty.\n\n"
		  "Caption with code & snake_case_name.\n\n"
		  "Morocco denies\n\n"
		  "first item\n\nsecond item\n\nthird item\n\n"
		  "quoted line continues\n\n"
		  "Text with inline html and 3 * 4 = 12.\n\n"
		  "See the report and [nested] link.");
	CHECK(g.nw == 0);

	/* front matter wins over the heading */
	read_str(&g,
		 "---\n"
		 "title: \"Front: matter title\"\n"
		 "date: 2021-07-20\n"
		 "url: https://example.com/fm\n"
		 "tags: [a, b]\n"
		 "---\n"
		 "# Heading\n"
		 "\n"
		 "Body ~~struck~~ text.\n",
		 "markdown", "n.markdown");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].title, "Front: matter title");
	CHECK_STR(g.docs[0].date, "2021-07-20");
	CHECK_STR(g.docs[0].url, "https://example.com/fm");
	CHECK_STR(g.docs[0].text, "Heading\n\nBody struck text.");

	/* an unclosed front matter is not front matter; a late date line is
	 * text */
	read_str(&g, "---\nnot: closed\n\none\n\ntwo\n\nthree\n\nDate: 2021-01-02\n",
		 "md", "o.md");
	CHECK(g.n == 1);
	CHECK(g.docs[0].date == NULL);
	CHECK_STR(g.docs[0].text,
		  "not: closed\n\none\n\ntwo\n\nthree\n\nDate: 2021-01-02");

	/* a table and a setext title */
	read_str(&g, "Big Title\n=========\n\n| a | b |\n|---|:-:|\n| c | d |\n",
		 "md", "p.md");
	CHECK_STR(g.docs[0].title, "Big Title");
	CHECK_STR(g.docs[0].text, "Big Title\n\na b\n\nc d");

	/* a code span never runs past the link text it starts in */
	read_str(&g, "Some [`](`) text and `code` here.\n", "md", "r.md");
	CHECK(g.n == 1);
	CHECK_STR(g.n ? g.docs[0].text : "", "Some ` text and code here.");

	/* hostile: many brackets and backticks stay linear and survive */
	{
		size_t n = 200000;
		char *s = malloc(n + 1);
		clock_t t0 = clock();

		for (size_t i = 0; i < n; i++)
			s[i] = "[(`*_<&!"[i % 8];
		s[n] = '\0';
		read_str(&g, s, "md", "q.md");
		CHECK(g.n == 1);
		CHECK(g.all_valid);
		CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
		free(s);
	}
	reset(&g);
}

/* ---- HTML ---- */

static const char html_doc[] =
	"<!DOCTYPE html>\n"
	"<HTML lang=en><HEAD>\n"
	"<meta charset=utf-8>\n"
	"<title>India rejects &lsquo;Pegasus&rsquo; claims\n | Site</title>\n"
	"<META NAME='date' CONTENT='July 20, 2021'>\n"
	"<meta property=\"og:url\" content=\"https://example.org/og\">\n"
	"<link rel=\"alternate canonical\" href=\"https://example.org/canon?a=1&amp;b=2\">\n"
	"<style>p { color: red } </p> body {}</style>\n"
	"<script>var s = \"<p>not text</p>\"; if (a < b) {}</script>\n"
	"stray head text\n"
	"</head>\n"
	"<body><nav><a href=/>Home</a> | <a href='/w'>World &amp; Politics</a></nav>\n"
	"<!-- a comment <p>hidden</p> -->\n"
	"<article><h1>India   rejects\n claims</h1>\n"
	"<p>NEW DELHI &mdash; India&#8217;s government, said Donncha &Oacute;\n"
	"Cearbhaill&#x2C; rejected <b>the</b> <i>reports</i>.<br>Next line"
	"<p>Caf&eacute; &#233;&#xE9; &#0; &#xD800; &#x110000; &#150; AT&T &amp &copy=1 &bogus;"
	"<svg><text>svg text</text><svg><title>inner</title></svg>still svg</svg>"
	"<template><p>template text</p></template>"
	"<noscript><img src=x></noscript>"
	"<![CDATA[ cdata text ]]>"
	"<p>Last <span>para</span>graph&nbsp;here."
	"<table><tr><td>cell one</td><td>cell two</td></tr></table>"
	"<p>a &lt;b&gt; c</p></article>\n"
	"<footer><p>&copy; 2021</p></footer>";

static void test_html(void)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	read_str(&g, html_doc, "html", "./x/page.html");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].id, "x/page.html");
	CHECK_STR(g.docs[0].title,
		  "India rejects \xE2\x80\x98Pegasus\xE2\x80\x99 claims | Site");
	CHECK_STR(g.docs[0].date, "2021-07-20");
	CHECK_STR(g.docs[0].url, "https://example.org/canon?a=1&b=2");
	CHECK_STR(g.docs[0].text,
		  "Home | World & Politics\n\n"
		  "India rejects claims\n\n"
		  "NEW DELHI \xE2\x80\x94 India\xE2\x80\x99s government, said Donncha "
		  "\xC3\x93 Cearbhaill, rejected the reports.\n\n"
		  "Next line\n\n"
		  "Caf\xC3\xA9 \xC3\xA9\xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD "
		  "\xE2\x80\x93 AT&T & &copy=1 &bogus;\n\n"
		  "Last paragraph here.\n\n"
		  "cell one\n\ncell two\n\n"
		  "a <b> c\n\n"
		  "\xC2\xA9 2021");
	CHECK(g.nw == 0);

	/* og:title without <title>, og:url without canonical, date from
	 * <time>, a meta date that does not parse is passed over */
	read_str(&g,
		 "<html><head><meta property=og:title content=\"OG &amp; Title\">"
		 "<meta name=pubdate content=\"soon\">"
		 "<meta property='og:url' content='https://example.org/og'></head>"
		 "<body><p>By <time datetime=\"2021-07-18T09:00:00Z\">Sunday</time>"
		 " staff</p></body></html>",
		 "htm", "y.htm");
	CHECK(g.n == 1);
	CHECK_STR(g.docs[0].title, "OG & Title");
	CHECK_STR(g.docs[0].url, "https://example.org/og");
	CHECK_STR(g.docs[0].date, "2021-07-18");
	CHECK_STR(g.docs[0].text, "By Sunday staff");

	/* javascript: in a canonical link, hidden by a character reference */
	read_str(&g, "<link rel=canonical href=\"java&#x73;cript&colon;alert(1)\"><p>x",
		 "html", "z.html");
	CHECK(g.n == 1 && g.docs[0].url == NULL);

	/* only script and style: no text */
	read_str(&g, "<script>alert(1)</script><style>p{}</style>", "html", "s.html");
	CHECK(g.n == 0 && g.nw == 1);
	CHECK_STR(g.warns[0], "s.html:0: no text, skipped");

	/* unterminated constructs stop the text, nothing more */
	read_str(&g, "<p>keep</p><!-- never closed <p>lost", "html", "u.html");
	CHECK_STR(g.n ? g.docs[0].text : "", "keep");
	read_str(&g, "<p>keep <a href=\"never closed>lost", "html", "u.html");
	CHECK_STR(g.n ? g.docs[0].text : "", "keep");
	read_str(&g, "<p>keep<script>lost", "html", "u.html");
	CHECK_STR(g.n ? g.docs[0].text : "", "keep");
	read_str(&g, "a < b <3 </ > c <", "html", "u.html");
	CHECK_STR(g.n ? g.docs[0].text : "", "a < b <3 c <");

	/* 20,000 nested divs, and garbage: linear and intact */
	{
		size_t depth = 20000;
		size_t n = depth * 11 + 64;
		char *s = malloc(n);
		size_t k = 0;
		clock_t t0 = clock();

		for (size_t i = 0; i < depth; i++) {
			memcpy(s + k, "<div>", 5);
			k += 5;
		}
		memcpy(s + k, "deep text", 9);
		k += 9;
		for (size_t i = 0; i < depth; i++) {
			memcpy(s + k, "</div>", 6);
			k += 6;
		}
		s[k] = '\0';
		read_str(&g, s, "html", "deep.html");
		CHECK(g.n == 1);
		CHECK_STR(g.n ? g.docs[0].text : "", "deep text");
		free(s);

		n = 400000;
		s = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			s[i] = "<a <!-<svg&#x<'\"</script>="[i % 25];
		s[n] = '\0';
		read_str(&g, s, "html", "garbage.html");
		CHECK(g.all_valid);
		CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
		free(s);
	}
	reset(&g);
}

/* ---- JSON Lines ---- */

static void test_jsonl(void)
{
	struct got g;
	int r;

	memset(&g, 0, sizeof(g));
	r = read_str(&g,
		     "{\"id\": \" a1\\n\\tb \", \"title\": \" T  one \", \"url\": \"https://e.org/1\","
		     " \"date\": \"2021-07-21T10:00:00Z\", \"text\": \"first\\ntext\","
		     " \"extra\": {\"x\": [1, 2.5e3, -0.1, true, false, null, {\"y\": []}]}}\n"
		     "{\"id\": 2, \"text\": \"truncated\n"
		     "\n"
		     "   \r\n"
		     "{\"text\": \"caf\\u00e9 \\ud83d\\ude00 \\ud800 x \\udc00\", \"id\": 3.5e1}\n"
		     "{\"title\": \"no id\", \"body\": \"body text\"}\n"
		     "{\"title\": \"no text\"}\n"
		     "{\"text\": 5}\n"
		     "{\"text\": \"old\", \"text\": \"new\", \"id\": \" \\n \"}\n"
		     "{\"a\" 1, \"text\": \"x\"}\n"
		     "[\"not an object\"]\n"
		     "{\"text\": \"x\"} trailing\n"
		     "{\"text\": \"bad \\q escape\"}\n"
		     "{\"text\": \"raw\ttab\"}\n"
		     "{\"content\": \"from content\", \"url\": \"javascript:alert(1)\"}",
		     "jsonl", "./t.jsonl");
	CHECK(r == 0);
	CHECK(g.n == 5);
	CHECK_STR(g.docs[0].id, "a1 b");
	CHECK_STR(g.docs[0].title, "T one");
	CHECK_STR(g.docs[0].url, "https://e.org/1");
	CHECK_STR(g.docs[0].date, "2021-07-21");
	CHECK_STR(g.docs[0].text, "first\ntext");
	CHECK(g.docs[0].line == 1);
	CHECK_STR(g.docs[1].id, "3.5e1");
	CHECK_STR(g.docs[1].text, "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD x "
				  "\xEF\xBF\xBD");
	CHECK(g.docs[1].line == 5);
	CHECK_STR(g.docs[2].id, "t.jsonl:6");
	CHECK_STR(g.docs[2].text, "body text");
	CHECK_STR(g.docs[3].text, "new");
	CHECK_STR(g.docs[3].id, "t.jsonl:9");
	CHECK_STR(g.docs[4].text, "from content");
	CHECK(g.docs[4].url == NULL);
	CHECK_STR(g.docs[4].id, "t.jsonl:15");
	CHECK(g.nw == 8);
	CHECK_STR(g.warns[0], "./t.jsonl:2: invalid JSON at column 29: unterminated string");
	CHECK_STR(g.warns[1], "./t.jsonl:7: missing \"text\"");
	CHECK_STR(g.warns[2], "./t.jsonl:8: \"text\" is not a string");
	CHECK_STR(g.warns[3], "./t.jsonl:10: invalid JSON at column 6: expected ':'");
	CHECK_STR(g.warns[4], "./t.jsonl:11: invalid JSON at column 1: expected an object");
	CHECK_STR(g.warns[5], "./t.jsonl:12: invalid JSON at column 15: unexpected data after the object");
	CHECK_STR(g.warns[6], "./t.jsonl:13: invalid JSON at column 15: invalid escape in string");
	CHECK_STR(g.warns[7], "./t.jsonl:14: invalid JSON at column 14: control character in string");
	CHECK(g.all_valid);

	/* truncated objects, bad numbers and literals, NUL, deep nesting */
	{
		static const char *const bad[] = {
			"{", "{\"text\"", "{\"text\":", "{\"text\": \"x\"",
			"{\"text\": \"x\",", "{\"text\": \"x\", }", "{\"n\": 01, \"text\": \"x\"}",
			"{\"n\": 1., \"text\": \"x\"}", "{\"n\": -, \"text\": \"x\"}",
			"{\"n\": tru, \"text\": \"x\"}", "{\"n\": [1,], \"text\": \"x\"}",
			"{\"n\": \"\\u12G4\", \"text\": \"x\"}", "{'text': 'x'}",
			"{\"n\": {\"a\" : 1 \"b\": 2}, \"text\": \"x\"}",
		};
		size_t nbad = sizeof(bad) / sizeof(bad[0]);
		bool all_warned = true;

		for (size_t i = 0; i < nbad; i++) {
			read_str(&g, bad[i], "jsonl", "b.jsonl");
			if (g.n != 0 || g.nw != 1 ||
			    !strstr(g.warns[0], "b.jsonl:1: invalid JSON at column "))
				all_warned = false;
		}
		CHECK(all_warned);
	}
	{
		static const char s[] = "{\"text\": \"a\0b\"}\n{\"text\": \"ok\"}";
		struct xref_reader_opts o = opts_for(&g);

		reset(&g);
		xref_ingest_read_buffer(s, sizeof(s) - 1, "jsonl", "nul.jsonl", &o);
		CHECK(g.n == 1 && g.nw == 1);
		CHECK_STR(g.warns[0], "nul.jsonl:1: invalid JSON at column 12: "
				      "control character in string");
	}
	{
		char deep[400];
		size_t k = 0;

		k += (size_t)snprintf(deep + k, sizeof(deep) - k, "{\"text\": \"x\", \"d\": ");
		for (int i = 0; i < 63; i++)
			deep[k++] = '[';
		for (int i = 0; i < 63; i++)
			deep[k++] = ']';
		deep[k++] = '}';
		deep[k] = '\0';
		read_str(&g, deep, "jsonl", "d.jsonl");
		CHECK(g.n == 1 && g.nw == 0);
		memmove(deep + 20, deep + 19, k - 19 + 1);
		deep[19] = '[';
		read_str(&g, deep, "jsonl", "d.jsonl");
		CHECK(g.n == 0 && g.nw == 1);
		CHECK(g.nw == 1 && strstr(g.warns[0], "nesting too deep") != NULL);
	}

	/* empty and blank JSON Lines files */
	read_str(&g, "\n  \n", "ndjson", "e.ndjson");
	CHECK(g.n == 0 && g.nw == 1);
	CHECK_STR(g.warns[0], "e.ndjson:0: empty file, skipped");

	/* the callback stops reading, and its value comes back */
	memset(&g, 0, sizeof(g));
	reset(&g);
	g.stop_after = 2;
	{
		struct xref_reader_opts o = opts_for(&g);
		const char *s = "{\"text\":\"1\"}\n{\"text\":\"2\"}\n{\"text\":\"3\"}\n";

		r = xref_ingest_read_buffer(s, strlen(s), "jsonl", "s.jsonl", &o);
		CHECK(r == 7);
		CHECK(g.n == 2);
	}
	reset(&g);
}

/* ---- files, directories, streams ---- */

static bool write_file(const char *dir, const char *name, const char *data,
		       size_t len)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

static bool write_str(const char *dir, const char *name, const char *data)
{
	return write_file(dir, name, data, strlen(data));
}

static void check_ids(struct got *g, const char *dir, const char *const *want,
		      size_t n)
{
	char buf[4096];

	CHECK(g->n == n);
	/* a leading '=' marks an id given by the document, not a path */
	for (size_t i = 0; i < n && i < g->n; i++) {
		if (want[i][0] == '=')
			snprintf(buf, sizeof(buf), "%s", want[i] + 1);
		else
			snprintf(buf, sizeof(buf), "%s/%s", dir, want[i]);
		CHECK_STR(g->docs[i].id, buf);
	}
}

static bool has_warn(const struct got *g, const char *want)
{
	for (size_t i = 0; i < g->nw && i < MAX_WARNS; i++)
		if (strcmp(g->warns[i], want) == 0)
			return true;
	return false;
}

static void test_walk(void)
{
	char tmpl[] = "/tmp/xref-reader-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char p1[4096], p2[4096], msg[5000];
	struct got g;
	struct xref_reader_opts o;
	bool as_root = geteuid() == 0;
	int r;

	memset(&g, 0, sizeof(g));
	reset(&g);
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(p1, sizeof(p1), "%s/b", dir);
	CHECK(mkdir(p1, 0755) == 0);
	snprintf(p1, sizeof(p1), "%s/.hiddendir", dir);
	CHECK(mkdir(p1, 0755) == 0);
	CHECK(write_str(dir, "a.txt", "Title: A\n\nalpha"));
	CHECK(write_str(dir, "Z.TXT", "zulu"));
	CHECK(write_str(dir, "b/c.md", "# C\n\ncharlie"));
	CHECK(write_str(dir, "b/d.htm", "<p>delta</p>"));
	CHECK(write_str(dir, "b/e.jsonl", "{\"id\":\"e1\",\"text\":\"echo\"}\n"
					   "{\"text\":\"foxtrot\"}\n"));
	CHECK(write_str(dir, ".hidden.txt", "hidden"));
	CHECK(write_str(dir, ".hiddendir/x.txt", "hidden too"));
	CHECK(write_str(dir, "watchlist.tsv", "NSO Group\tcompany\n"));
	CHECK(write_str(dir, "notes.dat", "explicit only"));
	CHECK(write_str(dir, "empty.txt", ""));
	CHECK(write_str(dir, "unreadable.txt", "secret"));
	snprintf(p1, sizeof(p1), "%s/unreadable.txt", dir);
	CHECK(chmod(p1, 0) == 0);
	snprintf(p1, sizeof(p1), "%s/b/loop", dir);
	CHECK(symlink("..", p1) == 0);
	snprintf(p1, sizeof(p1), "%s/link.txt", dir);
	CHECK(symlink("a.txt", p1) == 0);
	snprintf(p1, sizeof(p1), "%s/broken.txt", dir);
	CHECK(symlink("nowhere.txt", p1) == 0);
	snprintf(p1, sizeof(p1), "%s/self.txt", dir);
	CHECK(symlink("self.txt", p1) == 0);

	o = opts_for(&g);
	r = xref_ingest_read(dir, &o);
	CHECK(r == 0);
	{
		static const char *const ids[] = {
			"Z.TXT", "a.txt", "b/c.md", "b/d.htm", "=e1",
			"b/e.jsonl:2", "link.txt",
		};
		char want[4096];

		if (as_root) {
			/* root reads a mode-000 file: it is one more document */
			CHECK(g.n == 8);
		} else {
			check_ids(&g, dir, ids, 7);
		}
		CHECK_STR(g.n > 4 ? g.docs[4].id : "", "e1");
		CHECK_STR(g.n > 3 ? g.docs[3].text : "", "delta");
		CHECK_STR(g.n > 2 ? g.docs[2].title : "", "C");
		snprintf(want, sizeof(want), "%s/b/e.jsonl", dir);
		CHECK_STR(g.n > 5 ? g.docs[5].source : "", want);
		CHECK(g.n > 5 && g.docs[5].line == 2);
		snprintf(want, sizeof(want), "%s/empty.txt:0: empty file, skipped", dir);
		CHECK(has_warn(&g, want));
		snprintf(want, sizeof(want),
			 "%s/broken.txt:0: cannot open: No such file or directory", dir);
		CHECK(has_warn(&g, want));
		snprintf(want, sizeof(want),
			 "%s/self.txt:0: cannot open: Too many levels of symbolic links",
			 dir);
		CHECK(has_warn(&g, want));
		snprintf(want, sizeof(want),
			 "%s/unreadable.txt:0: cannot open: Permission denied", dir);
		if (!as_root)
			CHECK(has_warn(&g, want));
		CHECK(g.nw == (as_root ? 3u : 4u));
	}

	/* the same directory given with a trailing slash: same ids */
	snprintf(p1, sizeof(p1), "%s/", dir);
	reset(&g);
	o = opts_for(&g);
	xref_ingest_read(p1, &o);
	snprintf(p2, sizeof(p2), "%s/a.txt", dir);
	CHECK_STR(g.n > 1 ? g.docs[1].id : "", p2);

	/* a file named explicitly is read whatever its extension */
	snprintf(p1, sizeof(p1), "%s/notes.dat", dir);
	reset(&g);
	o = opts_for(&g);
	CHECK(xref_ingest_read(p1, &o) == 0);
	CHECK(g.n == 1);
	CHECK_STR(g.n ? g.docs[0].text : "", "explicit only");
	CHECK_STR(g.n ? g.docs[0].id : "", p1);

	/* a JSON Lines file named explicitly is streamed */
	snprintf(p1, sizeof(p1), "%s/b/e.jsonl", dir);
	reset(&g);
	o = opts_for(&g);
	CHECK(xref_ingest_read(p1, &o) == 0);
	CHECK(g.n == 2);

	/* a missing path is an error, not a warning */
	snprintf(p1, sizeof(p1), "%s/missing.txt", dir);
	reset(&g);
	o = opts_for(&g);
	xref_error_clear();
	r = xref_ingest_read(p1, &o);
	CHECK(r == XREF_EIO);
	snprintf(msg, sizeof(msg), "cannot open '%s': No such file or directory", p1);
	CHECK_STR(xref_error_last(), msg);
	CHECK(g.n == 0 && g.nw == 0);

	/* max_file_size */
	{
		char big[5000];

		memset(big, 'x', sizeof(big));
		CHECK(write_file(dir, "big.txt", big, sizeof(big)));
		snprintf(p1, sizeof(p1), "%s/big.txt", dir);
		reset(&g);
		o = opts_for(&g);
		o.max_file_size = 4096;
		CHECK(xref_ingest_read(p1, &o) == 0);
		CHECK(g.n == 0 && g.nw == 1);
		snprintf(msg, sizeof(msg), "%s:0: file too large (5000 bytes), skipped", p1);
		CHECK_STR(g.warns[0], msg);
		reset(&g);
		o = opts_for(&g);
		o.max_file_size = 5000;
		CHECK(xref_ingest_read(p1, &o) == 0);
		CHECK(g.n == 1 && g.docs[0].text_len == 5000);
	}

	/* a big JSON Lines file: many lines across read chunks, and one line
	 * far longer than a chunk */
	{
		size_t nlines = 5000, long_len = 300000;
		FILE *f;
		char *longtext = malloc(long_len + 1);

		memset(longtext, 'w', long_len);
		longtext[long_len] = '\0';
		snprintf(p1, sizeof(p1), "%s/big.jsonl", dir);
		f = fopen(p1, "wb");
		CHECK(f != NULL);
		if (f) {
			for (size_t i = 1; i <= nlines; i++) {
				if (i == 2500)
					fprintf(f, "{\"text\": \"%s\"}\n", longtext);
				else if (i == 4000)
					fprintf(f, "{broken\n");
				else
					fprintf(f, "{\"text\": \"line %zu\"}\r\n", i);
			}
			fprintf(f, "{\"text\": \"no final newline\"}");
			fclose(f);
		}
		free(longtext);
		reset(&g);
		o = opts_for(&g);
		CHECK(xref_ingest_read(p1, &o) == 0);
		CHECK(g.n == nlines);
		snprintf(msg, sizeof(msg), "%s:%zu", p1, nlines + 1);
		CHECK_STR(g.last_id, msg);
		CHECK(g.last_len == strlen("no final newline"));
		CHECK(g.nw == 1);
		snprintf(msg, sizeof(msg),
			 "%s:4000: invalid JSON at column 2: expected a string key", p1);
		CHECK_STR(g.warns[0], msg);
		CHECK(g.all_valid);
	}

	/* standard input, as text and as JSON Lines */
	{
		CHECK(write_str(dir, "stdin.txt", "\xEF\xBB\xBF  Title: In\n\nfrom stdin"));
		snprintf(p1, sizeof(p1), "%s/stdin.txt", dir);
		CHECK(freopen(p1, "rb", stdin) != NULL);
		reset(&g);
		o = opts_for(&g);
		CHECK(xref_ingest_read("-", &o) == 0);
		CHECK(g.n == 1);
		CHECK_STR(g.n ? g.docs[0].id : "", "-");
		CHECK_STR(g.n ? g.docs[0].source : "", "-");
		CHECK_STR(g.n ? g.docs[0].title : "", "In");

		CHECK(write_str(dir, "stdin.jsonl",
				"\n  \n  {\"text\": \"one\"}\n{\"text\": \"two\", \"id\": \"x\"}\n"
				"{\"text\": \"three\"}\n"));
		snprintf(p1, sizeof(p1), "%s/stdin.jsonl", dir);
		CHECK(freopen(p1, "rb", stdin) != NULL);
		reset(&g);
		o = opts_for(&g);
		CHECK(xref_ingest_read("-", &o) == 0);
		CHECK(g.n == 3);
		CHECK_STR(g.n > 0 ? g.docs[0].id : "", "-:3");
		CHECK_STR(g.n > 1 ? g.docs[1].id : "", "x");
		CHECK_STR(g.n > 2 ? g.docs[2].id : "", "-:5");

		CHECK(write_str(dir, "stdin.empty", " \n"));
		snprintf(p1, sizeof(p1), "%s/stdin.empty", dir);
		CHECK(freopen(p1, "rb", stdin) != NULL);
		reset(&g);
		o = opts_for(&g);
		CHECK(xref_ingest_read("-", &o) == 0);
		CHECK(g.n == 0 && g.nw == 1);
		CHECK_STR(g.warns[0], "-:0: empty file, skipped");
	}
	reset(&g);

	/* clean up the scratch directory */
	{
		static const char *const names[] = {
			"a.txt", "Z.TXT", "b/c.md", "b/d.htm", "b/e.jsonl", "b/loop",
			".hidden.txt", ".hiddendir/x.txt", "watchlist.tsv", "notes.dat",
			"empty.txt", "unreadable.txt", "link.txt", "broken.txt",
			"self.txt", "big.txt", "big.jsonl", "stdin.txt", "stdin.jsonl",
			"stdin.empty", "b", ".hiddendir",
		};

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(p1, sizeof(p1), "%s/%s", dir, names[i]);
			if (unlink(p1) != 0)
				rmdir(p1);
		}
		CHECK(rmdir(dir) == 0);
	}
}

/* The shipped samples read without warnings. */
static void test_samples(void)
{
	struct got g;
	struct xref_reader_opts o;
	char path[4096];

	memset(&g, 0, sizeof(g));
	reset(&g);
	o = opts_for(&g);
	snprintf(path, sizeof(path), "%s/samples", XREF_SOURCE_DIR);
	CHECK(xref_ingest_read(path, &o) == 0);
	CHECK(g.n >= 5);
	CHECK(g.nw == 0);
	CHECK(g.all_valid);
	for (size_t i = 0; i < g.n && i < MAX_DOCS; i++) {
		if (strstr(g.docs[i].id, "india-pegasus-parliament.html")) {
			CHECK_STR(g.docs[i].date, "2021-07-20");
			CHECK(strstr(g.docs[i].text, "Donncha \xC3\x93 Cearbhaill") != NULL);
			CHECK(strstr(g.docs[i].text, "toggleMenu") == NULL);
		}
		if (strstr(g.docs[i].id, "macron-changes-phone.md")) {
			CHECK_STR(g.docs[i].date, "2021-07-22");
			CHECK(strstr(g.docs[i].text, "**") == NULL);
		}
	}
	reset(&g);
}

int main(void)
{
	test_dates();
	test_txt();
	test_md();
	test_html();
	test_jsonl();
	test_walk();
	test_samples();
	return tap_done();
}
