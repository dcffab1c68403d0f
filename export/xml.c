/*
 * XML and HTML text escaping.
 *
 * Strings are sanitised before they are escaped, so a control character
 * (which XML 1.0 forbids even as a character reference) or an invalid byte
 * can never make a document ill-formed. All five special characters are
 * escaped in text and in attributes alike: one rule for both contexts is
 * harder to get wrong than two, and "]]>" cannot occur in the output
 * because '>' never appears raw. The apostrophe is written &#39; rather
 * than &apos;, which HTML 4 did not know.
 */
#include "export/xml.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/status.h"
#include "ingest/utf8.h"

/* The replacement for ch, or NULL when it is written as it is. */
static const char *entity(char ch)
{
	switch (ch) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

int xref_xml_append(struct xref_buf *b, const char *s)
{
	const char *p, *run, *rep;
	char *clean;
	int err = 0;

	if (!s)
		return 0;
	clean = xref_utf8_sanitize(s);
	if (!clean)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	for (run = p = clean; !err && *p; p++) {
		rep = entity(*p);
		if (!rep)
			continue;
		err = xref_buf_put(b, run, (size_t)(p - run));
		if (!err)
			err = xref_buf_puts(b, rep);
		run = p + 1;
	}
	if (!err)
		err = xref_buf_puts(b, run);
	free(clean);
	return err;
}
