/*
 * Documents: releasing one, and normalising the dates found in them.
 *
 * Dates come from article metadata in many spellings. A small hand-written
 * scanner accepts the ISO forms and the English "Month D, YYYY" and
 * "D Month YYYY" forms, checks that the day exists in that month (leap
 * years included) and prints the result as YYYY-MM-DD, YYYY-MM or YYYY.
 * strptime() was rejected: it depends on the locale, accepts impossible
 * days and is not in C17. Purely numeric day/month orders such as
 * "07/21/2021" are ambiguous between countries and are rejected.
 */
#define _POSIX_C_SOURCE 200809L

#include "ingest/doc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void xref_doc_release(struct xref_doc *doc)
{
	free(doc->id);
	free(doc->title);
	free(doc->url);
	free(doc->date);
	free(doc->source);
	free(doc->text);
	memset(doc, 0, sizeof(*doc));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static const char *skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Reads exactly `min`..`max` digits; returns the end or NULL. */
static const char *read_num(const char *p, int min, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && is_digit(p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < min || is_digit(p[n]))
		return NULL;
	*out = v;
	return p + n;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* What may follow a complete date: nothing, or a time or other detail
 * after a separator ("2021-07-21T10:00:00Z", "July 21, 2021 10:00"). */
static bool tail_ok(const char *p)
{
	return *p == '\0' || is_space(*p) || *p == ',' ||
	       ((*p == 'T' || *p == 't') && is_digit(p[1]));
}

static bool only_space(const char *p)
{
	return *skip_space(p) == '\0';
}

/* ISO-like: YYYY, YYYY-MM, YYYY-MM-DD (also with '/' or '.'), YYYYMMDD.
 * Returns how much is known: 0 (no match), 1 (year), 2 (month), 3 (day). */
static int parse_iso(const char *p, int *y, int *m, int *d)
{
	const char *q;
	char sep;

	q = read_num(p, 8, 8, y);
	if (q && tail_ok(q)) {
		*d = *y % 100;
		*m = (*y / 100) % 100;
		*y /= 10000;
		return 3;
	}
	q = read_num(p, 4, 4, y);
	if (!q)
		return 0;
	if (only_space(q))
		return 1;
	sep = *q;
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	q = read_num(q + 1, 1, 2, m);
	if (!q)
		return 0;
	if (only_space(q))
		return 2;
	if (*q != sep)
		return 0;
	q = read_num(q + 1, 1, 2, d);
	return q && tail_ok(q) ? 3 : 0;
}

/* Matches a month name or abbreviation at p; returns the end or NULL. */
static const char *read_month(const char *p, int *m)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december",
	};
	size_t n = 0;

	while (is_alpha(p[n]))
		n++;
	if (n < 3)
		return NULL;
	for (int i = 0; i < 12; i++) {
		if ((n == 3 || n == strlen(names[i])) &&
		    strncasecmp(p, names[i], n) == 0) {
			*m = i + 1;
			goto found;
		}
	}
	if (n == 4 && strncasecmp(p, "sept", 4) == 0) {
		*m = 9;
		goto found;
	}
	return NULL;
found:
	p += n;
	if (*p == '.')
		p++;
	return p;
}

static const char *skip_weekday(const char *p)
{
	static const char *const names[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday",
	};
	size_t n = 0;

	while (is_alpha(p[n]))
		n++;
	for (int i = 0; i < 7; i++) {
		if (n >= 3 && n <= strlen(names[i]) &&
		    strncasecmp(p, names[i], n) == 0) {
			p += n;
			if (*p == '.')
				p++;
			if (*p == ',')
				p++;
			return skip_space(p);
		}
	}
	return p;
}

static const char *skip_ordinal(const char *p)
{
	if ((strncasecmp(p, "st", 2) == 0 || strncasecmp(p, "nd", 2) == 0 ||
	     strncasecmp(p, "rd", 2) == 0 || strncasecmp(p, "th", 2) == 0) &&
	    !is_alpha(p[2]))
		return p + 2;
	return p;
}

/* Separator between the parts of a written date: spaces and/or one '-'. */
static const char *skip_sep(const char *p)
{
	const char *q = skip_space(p);

	if (*q == '-')
		q = skip_space(q + 1);
	return q == p ? NULL : q;
}

/* "July 21, 2021", "Jul. 21 2021", "21 July 2021", "21-Jul-2021",
 * "July 2021", each optionally after a weekday. Same result as
 * parse_iso(). */
static int parse_text(const char *p, int *y, int *m, int *d)
{
	const char *q;

	p = skip_weekday(p);
	if (is_digit(*p)) {
		p = read_num(p, 1, 2, d);
		if (!p)
			return 0;
		p = skip_ordinal(p);
		if (!(p = skip_sep(p)))
			return 0;
		if (strncasecmp(p, "of ", 3) == 0)
			p = skip_space(p + 3);
		if (!(p = read_month(p, m)))
			return 0;
		if (*p == ',')
			p++;
		if (!(p = skip_sep(p)))
			return 0;
		q = read_num(p, 4, 4, y);
		return q && tail_ok(q) ? 3 : 0;
	}
	if (!(p = read_month(p, m)))
		return 0;
	if (*p == ',')
		p++;
	if (!(p = skip_sep(p)))
		return 0;
	q = read_num(p, 4, 4, y);
	if (q && tail_ok(q))
		return 2;
	p = read_num(p, 1, 2, d);
	if (!p)
		return 0;
	p = skip_ordinal(p);
	if (*p == ',')
		p++;
	if (!(p = skip_sep(p)))
		return 0;
	q = read_num(p, 4, 4, y);
	return q && tail_ok(q) ? 3 : 0;
}

/* Writes v (0..9999) as `width` digits, zero-padded, at out. */
static char *put_digits(char *out, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out + width;
}

char *xref_date_parse(const char *s)
{
	char out[11], *o = out; /* "YYYY-MM-DD" */
	int y = 0, m = 0, d = 0, known;

	if (!s)
		return NULL;
	s = skip_space(s);
	known = parse_iso(s, &y, &m, &d);
	if (!known)
		known = parse_text(s, &y, &m, &d);
	if (!known || y < 1000)
		return NULL;
	if (known >= 2 && (m < 1 || m > 12))
		return NULL;
	if (known == 3 && (d < 1 || d > days_in_month(y, m)))
		return NULL;
	/* by hand: snprintf() cost more than parsing; y < 10000 since
	 * read_num() reads at most 8 digits and YYYYMMDD splits them */
	o = put_digits(o, y, 4);
	if (known >= 2) {
		*o++ = '-';
		o = put_digits(o, m, 2);
	}
	if (known == 3) {
		*o++ = '-';
		o = put_digits(o, d, 2);
	}
	*o = '\0';
	return strdup(out);
}
