/*
 * CSV files for spreadsheets and for Neo4j's bulk importer.
 *
 * Every file is a result table (table.h) written in its CSV form, so the
 * quoting (RFC 4180), the formula guard (a leading apostrophe before text
 * starting with = + - @, since these files are opened in spreadsheets and
 * names come from documents), the sanitising of text and the number format
 * are the ones `xref centrality --format csv` already uses. The Neo4j files
 * differ only in their headers, which carry neo4j-admin's column types
 * (id:ID, :LABEL, :START_ID, :END_ID, :TYPE, weight:int...), and in the
 * README that gives the import command. neo4j-admin's defaults (',' between
 * fields, '"' quoting with doubled quotes, ';' between array elements)
 * read these files as they are; aliases are one "|"-joined string, not a
 * string[] column, because an alias may itself contain ';'. The
 * files with a row per tie or per evidence sentence (millions of rows) are
 * the exception: their rows go straight into one output buffer through
 * emit.h, which writes a string cell with the very bytes of a table's CSV
 * cell, sanitising and quoting without a heap copy per cell; the buffer
 * is written out every megabyte, so memory stays flat. Rejected there:
 * the table (in parts of a few thousand rows for the evidence), which
 * spent most of the time copying cells and held every tie in memory.
 */
#include "export/export.h"

#include <stdbool.h>
#include <stdlib.h>

#include "export/emit.h"
#include "export/style.h"
#include "export/table.h"
#include "ingest/buf.h"
#include "ingest/status.h"

/* Which metric columns exist: those computed on some node. */
static void metrics_present(bool has[XREF_METRIC_COUNT],
			    const struct xref_node *nodes, size_t n)
{
	size_t i;
	int m;

	for (m = 0; m < XREF_METRIC_COUNT; m++)
		has[m] = false;
	for (i = 0; i < n; i++)
		for (m = 0; m < XREF_METRIC_COUNT; m++)
			has[m] = has[m] || nodes[i].has_metric[m];
}

static int join_aliases(struct xref_buf *b, const struct xref_node *v)
{
	size_t i;
	int err = 0;

	xref_buf_clear(b);
	err = xref_buf_puts(b, "");
	for (i = 0; !err && i < v->n_aliases; i++) {
		if (i)
			err = xref_buf_putc(b, '|');
		if (!err)
			err = xref_buf_puts(b, v->aliases[i] ? v->aliases[i]
							     : "");
	}
	return err;
}

/* Writes t as CSV and checks the stream. */
static int write_table(struct xref_table *t, FILE *out)
{
	int err = xref_table_write(t, XREF_TABLE_CSV, out);

	if (!err)
		err = xref_export_check_write(out);
	return err;
}

/* The node file of both flavours: neo4j adds the types to the header and a
 * :LABEL column. */
static int nodes_table(const struct xref_graph *g, bool neo4j, FILE *out)
{
	static const char *const labels[XREF_TYPE_COUNT] = {
		"Entity;Person", "Entity;Company", "Entity;Government",
		"Entity;Organization", "Entity;Media", "Entity;Country",
		"Entity;Location", "Entity;Target",
	};
	struct xref_buf b = XREF_BUF_INIT, name = XREF_BUF_INIT;
	bool has[XREF_METRIC_COUNT], has_community;
	const struct xref_node *nodes;
	struct xref_table *t = NULL;
	size_t n, i, col;
	int err, m;

	nodes = xref_graph_nodes(g, &n);
	metrics_present(has, nodes, n);
	has_community = xref_style_has_community(nodes, n);
	if ((err = xref_table_new(&t)) ||
	    (err = xref_table_add_column(t, neo4j ? "id:ID" : "id",
					 XREF_COL_STRING)) ||
	    (err = xref_table_add_column(t, "name", XREF_COL_STRING)))
		goto out;
	if (neo4j && (err = xref_table_add_column(t, ":LABEL",
						   XREF_COL_STRING)))
		goto out;
	if ((err = xref_table_add_column(t, "type", XREF_COL_STRING)) ||
	    (err = xref_table_add_column(t, "aliases", XREF_COL_STRING)) ||
	    (err = xref_table_add_column(t, neo4j ? "mentions:int" : "mentions",
					 XREF_COL_INTEGER)) ||
	    (err = xref_table_add_column(t,
					 neo4j ? "documents:int" : "documents",
					 XREF_COL_INTEGER)))
		goto out;
	if (has_community &&
	    (err = xref_table_add_column(t,
					 neo4j ? "community:int" : "community",
					 XREF_COL_INTEGER)))
		goto out;
	for (m = 0; m < XREF_METRIC_COUNT; m++) {
		if (!has[m])
			continue;
		xref_buf_clear(&name);
		if ((err = xref_buf_printf(&name, "%s%s", xref_metric_name(m),
					   neo4j ? ":double" : "")) ||
		    (err = xref_table_add_column(t, name.ptr,
						 XREF_COL_NUMBER)))
			goto out;
	}
	for (i = 0; i < n; i++) {
		const struct xref_node *v = &nodes[i];

		col = 0;
		if ((err = xref_table_add_row(t)) ||
		    (err = xref_table_set_string(t, col++, v->uid)) ||
		    (err = xref_table_set_string(t, col++,
						 v->name ? v->name : "")))
			goto out;
		if (neo4j &&
		    (err = xref_table_set_string(
			     t, col++,
			     (unsigned)v->type < XREF_TYPE_COUNT
				     ? labels[v->type]
				     : "Entity")))
			goto out;
		if ((err = join_aliases(&b, v)) ||
		    (err = xref_table_set_string(t, col++,
						 xref_type_name(v->type))) ||
		    (err = xref_table_set_string(t, col++, b.ptr)) ||
		    (err = xref_table_set_integer(t, col++, v->mentions)) ||
		    (err = xref_table_set_integer(t, col++, v->documents)))
			goto out;
		if (has_community) {
			/* an unknown community stays an empty cell */
			if (v->community >= 0 &&
			    (err = xref_table_set_integer(t, col, v->community)))
				goto out;
			col++;
		}
		for (m = 0; m < XREF_METRIC_COUNT; m++) {
			if (!has[m])
				continue;
			/* an absent value stays an empty cell */
			if (v->has_metric[m] &&
			    (err = xref_table_set_number(t, col, v->metric[m])))
				goto out;
			col++;
		}
	}
	err = write_table(t, out);
out:
	xref_table_free(t);
	xref_buf_release(&b);
	xref_buf_release(&name);
	return err;
}

/* The edge file of both flavours, one row per edge straight into a buffer
 * (emit.h) like the evidence file: with a tie per row it is the second
 * longest. */
static int edges_table(const struct xref_graph *g, bool neo4j, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	size_t n, ne, i;
	int err;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if ((err = xref_export_check_edges(g)) ||
	    (err = xref_buf_puts(&b, neo4j ? ":START_ID,:END_ID,:TYPE,"
					     "weight:int,documents:int,"
					     "first_seen,last_seen\n"
					   : "source,target,source_name,"
					     "target_name,weight,documents,"
					     "first_seen,last_seen\n")))
		goto out;
	for (i = 0; i < ne; i++) {
		const struct xref_edge *e = &edges[i];
		const struct xref_node *a = &nodes[e->source];
		const struct xref_node *z = &nodes[e->target];

		if ((err = xref_emit_csv_text(&b, &scratch, a->uid)) ||
		    (err = xref_buf_putc(&b, ',')) ||
		    (err = xref_emit_csv_text(&b, &scratch, z->uid)) ||
		    (err = xref_buf_putc(&b, ',')))
			goto out;
		if (neo4j)
			err = xref_buf_puts(&b, "CO_OCCURS,");
		else if (!(err = xref_emit_csv_text(&b, &scratch, a->name)) &&
			 !(err = xref_buf_putc(&b, ',')) &&
			 !(err = xref_emit_csv_text(&b, &scratch, z->name)))
			err = xref_buf_putc(&b, ',');
		if (err || (err = xref_emit_long(&b, e->weight)) ||
		    (err = xref_buf_putc(&b, ',')) ||
		    (err = xref_emit_long(&b, e->documents)) ||
		    (err = xref_buf_putc(&b, ',')) ||
		    (err = xref_emit_csv_text(&b, &scratch, e->first_seen)) ||
		    (err = xref_buf_putc(&b, ',')) ||
		    (err = xref_emit_csv_text(&b, &scratch, e->last_seen)) ||
		    (err = xref_buf_putc(&b, '\n')) ||
		    (err = xref_emit_drain(&b, out, XREF_EMIT_FLUSH)))
			goto out;
	}
	if (!(err = xref_emit_drain(&b, out, 0)))
		err = xref_export_check_write(out);
out:
	xref_buf_release(&b);
	xref_buf_release(&scratch);
	return err;
}

int xref_export_csv_nodes(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out)
{
	(void)opts;
	return nodes_table(g, false, out);
}

int xref_export_csv_edges(const struct xref_graph *g,
			  const struct xref_export_opts *opts, FILE *out)
{
	(void)opts;
	return edges_table(g, false, out);
}

int xref_export_csv_evidence(const struct xref_graph *g,
			     const struct xref_export_opts *opts, FILE *out)
{
	struct xref_buf b = XREF_BUF_INIT, scratch = XREF_BUF_INIT;
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	size_t n, ne, i, k;
	int err;

	(void)opts;
	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	if ((err = xref_export_check_edges(g)) ||
	    (err = xref_buf_puts(&b, "source,target,doc_id,title,url,date,"
				     "start,end,text\n")))
		goto out;
	for (i = 0; i < ne; i++) {
		const struct xref_edge *e = &edges[i];

		for (k = 0; k < e->n_evidence; k++) {
			const struct xref_evidence *ev = &e->evidence[k];

			if ((err = xref_emit_csv_text(&b, &scratch,
						      nodes[e->source].uid)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch,
						      nodes[e->target].uid)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch,
						      ev->doc_id)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch,
						      ev->title)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch, ev->url)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch,
						      ev->date)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_long(&b, (long long)ev->start)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_long(&b, (long long)ev->end)) ||
			    (err = xref_buf_putc(&b, ',')) ||
			    (err = xref_emit_csv_text(&b, &scratch,
						      ev->text)) ||
			    (err = xref_buf_putc(&b, '\n')))
				goto out;
		}
		if ((err = xref_emit_drain(&b, out, XREF_EMIT_FLUSH)))
			goto out;
	}
	if (!(err = xref_emit_drain(&b, out, 0)))
		err = xref_export_check_write(out);
out:
	xref_buf_release(&b);
	xref_buf_release(&scratch);
	return err;
}

int xref_export_neo4j_nodes(const struct xref_graph *g,
			    const struct xref_export_opts *opts, FILE *out)
{
	(void)opts;
	return nodes_table(g, true, out);
}

int xref_export_neo4j_relationships(const struct xref_graph *g,
				    const struct xref_export_opts *opts,
				    FILE *out)
{
	(void)opts;
	return edges_table(g, true, out);
}

int xref_export_neo4j_readme(const struct xref_graph *g,
			     const struct xref_export_opts *opts, FILE *out)
{
	size_t n, ne;

	(void)opts;
	xref_graph_nodes(g, &n);
	xref_graph_edges(g, &ne);
	fprintf(out,
		"# xref graph for Neo4j\n"
		"\n"
		"These files load the graph into an empty Neo4j database with "
		"the offline\n"
		"bulk importer:\n"
		"\n"
		"- `nodes.csv`: %zu entities, with the labels `Entity` and "
		"their type\n"
		"  (`Person`, `Company`, `Government`, `Organization`, "
		"`Media`, `Country`,\n"
		"  `Location`, `Target`); the `id` is xref's stable entity id;\n"
		"- `relationships.csv`: %zu `CO_OCCURS` relationships "
		"(undirected ties\n"
		"  stored once each), with `weight` (windows in which both "
		"occur),\n"
		"  `documents`, `first_seen` and `last_seen`.\n"
		"\n"
		"Stop Neo4j, then run from this directory (Neo4j 5):\n"
		"\n"
		"    neo4j-admin database import full "
		"--nodes=nodes.csv --relationships=relationships.csv "
		"--overwrite-destination neo4j\n"
		"\n"
		"`neo4j` is the database to create (or replace: "
		"`--overwrite-destination`\n"
		"deletes what it holds). With Neo4j 4.4 the command is\n"
		"`neo4j-admin import --nodes=nodes.csv "
		"--relationships=relationships.csv`.\n"
		"Give absolute paths when running from elsewhere.\n"
		"\n"
		"Text that starts with `=`, `+`, `-` or `@` has a leading "
		"apostrophe, so that a\n"
		"spreadsheet opening these files never runs it as a formula. "
		"Aliases are one\n"
		"string, separated by `|`. Query the ties as undirected:\n"
		"\n"
		"    MATCH (a:Entity {name: 'NSO Group'})-[r:CO_OCCURS]-(b)\n"
		"    RETURN b.name, r.weight ORDER BY r.weight DESC LIMIT 10\n"
		"\n"
		"The evidence sentences of every tie are in xref's other "
		"exports (JSON, CSV)\n"
		"and in the case file.\n",
		n, ne);
	return xref_export_check_write(out);
}
