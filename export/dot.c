/*
 * DOT output: the cgraph graph of gv.c written by agwrite().
 *
 * agwrite() takes care of DOT quoting (it escapes '"' and quotes whatever is
 * not a plain identifier or number); gv.c has already escaped every user
 * string as an escString, so backslashes come in pairs and no value can end
 * in a lone backslash, which agwrite() would turn into an unterminated
 * string. The output is canonical: nodes in uid order, edges in (source,
 * target) order, numbers through one "%.6g" formatter. Rejected: igraph's
 * DOT writer (invalid output for numbers >= 1e6 or < 1e-4 in 0.10.2) and
 * printing DOT ourselves (a second, unreviewed quoting implementation).
 */
#include "export/export.h"

#include "export/gv.h"
#include "export/style.h"
#include "ingest/status.h"

int xref_export_dot(const struct xref_graph *g,
		    const struct xref_export_opts *opts, FILE *out)
{
	struct xref_gv_graph gg = { NULL, NULL, NULL, 0, 0 };
	struct xref_gv_capture cap;
	int err = 0;

	xref_gv_capture_begin(&cap);
	err = xref_gv_build(&gg, g, opts ? opts->title : NULL);
	if (err)
		goto out;
	if (agwrite(gg.g, out) != 0 && !ferror(out)) {
		err = xref_gv_fail("writing dot");
		goto out;
	}
	err = xref_export_check_write(out);
out:
	xref_gv_graph_release(&gg);
	xref_gv_capture_end(&cap);
	return err;
}
