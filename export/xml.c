/*
 * XML and HTML text escaping, one string at a time.
 *
 * Strings are sanitised before they are escaped, so a control character
 * (which XML 1.0 forbids even as a character reference) or an invalid byte
 * can never make a document ill-formed. All five special characters are
 * escaped in text and in attributes alike: one rule for both contexts is
 * harder to get wrong than two, and "]]>" cannot occur in the output
 * because '>' never appears raw. The apostrophe is written &#39; rather
 * than &apos;, which HTML 4 did not know. The escaping is emit.c's
 * xref_emit_xml(), which the large XML files call with working memory kept
 * from string to string; here it lives for one call. Rejected: a second
 * escaper here (two codes to keep giving the same bytes).
 */
#include "export/xml.h"

#include "export/emit.h"

int xref_xml_append(struct xref_buf *b, const char *s)
{
	struct xref_buf scratch = XREF_BUF_INIT;
	int err;

	err = xref_emit_xml(b, &scratch, s);
	xref_buf_release(&scratch);
	return err;
}
