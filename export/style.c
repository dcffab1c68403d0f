/*
 * The shared palette and number format of export/.
 *
 * Colours are the eight of Okabe and Ito ("Color Universal Design"), which
 * stay distinguishable under the common colour-vision deficiencies; black
 * is replaced by a mid grey so that black label text stays readable over
 * every fill, and each type also has its own shape, so colour is never the
 * only cue. Numbers are printed with "%.6g": six significant digits are
 * more than a reader needs and few enough that tiny floating-point
 * differences between igraph builds do not change the bytes; the decimal
 * point is forced to '.' because an application may have called
 * setlocale(). Rejected: a per-format palette (the SVG, the DOT and the HTML
 * views would disagree about what orange means).
 */
#include "export/style.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/status.h"

/* Shapes with a single periphery only: Graphviz 2.43 draws the second ring
 * of "doublecircle" at a position whose last digit depends on memory
 * addresses, so the SVG bytes changed from run to run. */
static const struct xref_type_style styles[XREF_TYPE_COUNT] = {
	[XREF_TYPE_PERSON] = { "#E69F00", "ellipse" },        /* orange */
	[XREF_TYPE_COMPANY] = { "#56B4E9", "box" },           /* sky blue */
	[XREF_TYPE_GOVERNMENT] = { "#0072B2", "hexagon" },    /* blue */
	[XREF_TYPE_ORGANIZATION] = { "#009E73", "octagon" },  /* bluish green */
	[XREF_TYPE_MEDIA] = { "#CC79A7", "note" },            /* reddish purple */
	[XREF_TYPE_COUNTRY] = { "#F0E442", "circle" },        /* yellow */
	[XREF_TYPE_LOCATION] = { "#999999", "triangle" },     /* grey */
	[XREF_TYPE_TARGET] = { "#D55E00", "diamond" },        /* vermillion */
};

static const struct xref_type_style unknown_style = { "#DDDDDD", "ellipse" };

const struct xref_type_style *xref_style_type(enum xref_type t)
{
	if ((unsigned)t >= XREF_TYPE_COUNT)
		return &unknown_style;
	return &styles[t];
}

double xref_style_penwidth(long weight)
{
	double w;

	if (weight <= 1)
		return 0.6;
	w = 0.6 + 0.9 * log((double)weight);
	return w > 6.0 ? 6.0 : w;
}

bool xref_style_num(char buf[XREF_NUM_BUFSZ], double v)
{
	const char *dp = localeconv()->decimal_point;
	size_t dlen = dp ? strlen(dp) : 0;
	char *p;

	buf[0] = '\0';
	if (!isfinite(v))
		return false;
	snprintf(buf, XREF_NUM_BUFSZ, "%.6g", v);
	/* "%.6g" uses the locale's decimal point (never grouping): put '.'
	 * back, whatever its length in bytes. */
	if (dlen == 0 || (dlen == 1 && dp[0] == '.'))
		return true;
	p = strstr(buf, dp);
	if (p) {
		*p = '.';
		memmove(p + 1, p + dlen, strlen(p + dlen) + 1);
	}
	return true;
}

int xref_export_check_write(FILE *out)
{
	/* fflush() surfaces errors that buffering would otherwise hide until
	 * the caller's fclose(); ferror() also catches earlier failed writes
	 * whose return values a library (Graphviz) did not check. */
	if (fflush(out) != 0 || ferror(out))
		return xref_error_set(XREF_EIO, "write error");
	return 0;
}
