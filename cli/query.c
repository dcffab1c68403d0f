/*
 * Helpers shared by the query commands: entity arguments with their "did
 * you mean" list, --since/--until, sentences with the names marked, and
 * rows written as a table or as JSON.
 *
 * Names are marked [[like this]]: plain ASCII that survives copying into a
 * mail, a chat or a spreadsheet, and that news text practically never
 * contains (guillemets, the other candidate, are ordinary quotation marks
 * in French and German articles).
 *
 * The table, TSV and CSV forms go through export/table; the JSON of these
 * commands nests lists (the mentions in a sentence, the hops of a path, an
 * entity's aliases with their rules), which that flat writer cannot hold,
 * so it is streamed here row by row, with the same layout (one object per
 * line) and the same escaping rules as every other JSON output.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/utf8.h"

/* ---- options ---- */

int cli_dates_set(char **slot, const struct cli_cmd *cmd, const char *option,
		  const char *value)
{
	struct xref_date_range r;
	char *d;

	if (xref_date_range_init(&r, value, NULL)) {
		cli_usage_error(cmd,
				"invalid %s '%s' (dates: YYYY, YYYY-MM or YYYY-MM-DD)",
				option, value);
		return -1;
	}
	d = strdup(value);
	if (!d) {
		cli_error("out of memory");
		return -1;
	}
	free(*slot);
	*slot = d;
	return 0;
}

int cli_dates_finish(struct cli_dates *d, const struct cli_cmd *cmd)
{
	if (xref_date_range_init(&d->range, d->since, d->until)) {
		if (d->since && d->until)
			cli_usage_error(cmd, "--since '%s' is after --until '%s'",
					d->since, d->until);
		else
			cli_usage_error(cmd, "invalid date '%s'",
					d->since ? d->since : d->until);
		return -1;
	}
	return 0;
}

const char *cli_dates_note(const struct cli_dates *d)
{
	static char buf[80];

	if (d->since && d->until)
		snprintf(buf, sizeof(buf), " (documents dated from %s to %s)",
			 d->since, d->until);
	else if (d->since)
		snprintf(buf, sizeof(buf), " (documents dated from %s)",
			 d->since);
	else if (d->until)
		snprintf(buf, sizeof(buf), " (documents dated up to %s)",
			 d->until);
	else
		buf[0] = '\0';
	return buf;
}

void cli_dates_release(struct cli_dates *d)
{
	free(d->since);
	free(d->until);
	memset(d, 0, sizeof(*d));
}

int cli_format_parse(enum xref_table_format *out, const struct cli_cmd *cmd,
		     const char *value)
{
	if (xref_table_format_parse(out, value)) {
		cli_usage_error(cmd,
				"unknown format '%s' (formats: table, tsv, csv, json)",
				value);
		return -1;
	}
	return 0;
}

void cli_query_init(struct cli_query_opts *q)
{
	memset(q, 0, sizeof(*q));
	q->format = XREF_TABLE_TABLE;
}

int cli_query_parse(struct cli_query_opts *q, const struct cli_cmd *cmd,
		    int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_CASE:
		q->case_opt = arg;
		return 1;
	case CLI_OPT_SINCE:
		return cli_dates_set(&q->dates.since, cmd, "--since", arg) ? -1
									 : 1;
	case CLI_OPT_UNTIL:
		return cli_dates_set(&q->dates.until, cmd, "--until", arg) ? -1
									 : 1;
	case CLI_OPT_FORMAT:
		return cli_format_parse(&q->format, cmd, arg) ? -1 : 1;
	default:
		return 0;
	}
}

void cli_query_release(struct cli_query_opts *q)
{
	cli_dates_release(&q->dates);
}

/* ---- entities ---- */

int cli_entity_arg(struct xref_entity *out, struct xref_case *c,
		   const char *case_path, const char *arg)
{
	struct xref_entities cands = { 0 };
	int err, ret = -1;
	size_t i;

	err = xref_query_lookup(out, &cands, c, arg);
	if (!err) {
		ret = 0;
		goto out;
	}
	if (err == XREF_ENOTFOUND) {
		if (cands.n)
			cli_error("no entity named '%s' in '%s'; closest:", arg,
				  case_path);
		else
			cli_error("no entity named '%s' in '%s'", arg,
				  case_path);
	} else if (err == XREF_EAMBIGUOUS) {
		cli_error("'%s' names %zu entities; give one by its id:", arg,
			  cands.total);
	} else {
		cli_error_last(err);
		goto out;
	}
	for (i = 0; i < cands.n; i++) {
		char *name = xref_utf8_sanitize(cands.v[i].name);

		fprintf(stderr, "  %s  %s (%s)\n", cands.v[i].uid,
			name ? name : "?", xref_type_name(cands.v[i].type));
		free(name);
	}
	if (err == XREF_EAMBIGUOUS && cands.total > cands.n)
		fprintf(stderr, "  and %zu more\n", cands.total - cands.n);
out:
	xref_entities_release(&cands);
	return ret;
}

/* ---- output ---- */

char *cli_marked_text(const struct xref_hit *hit)
{
	struct xref_buf b = XREF_BUF_INIT;
	const char *t = hit->ev.text ? hit->ev.text : "";
	size_t len = strlen(t), at = 0, i;
	int err = 0;

	for (i = 0; !err && i < hit->n_marks; i++) {
		const struct xref_mark *m = &hit->marks[i];

		if (m->start < at || m->end > len || m->start >= m->end)
			continue;
		err = xref_buf_put(&b, t + at, m->start - at);
		if (!err)
			err = xref_buf_puts(&b, "[[");
		if (!err)
			err = xref_buf_put(&b, t + m->start, m->end - m->start);
		if (!err)
			err = xref_buf_puts(&b, "]]");
		at = m->end;
	}
	if (!err)
		err = xref_buf_put(&b, t + at, len - at);
	if (err) {
		xref_buf_release(&b);
		return NULL;
	}
	return xref_buf_detach(&b);
}

int cli_table_print(const struct xref_table *t, enum xref_table_format f)
{
	int err = xref_table_write(t, f, stdout);

	if (err == XREF_EIO) {
		/* main reports a write error on stdout once, at exit */
		cli_stdout_failed();
		return CLI_FAIL;
	}
	if (err) {
		cli_error_last(err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_print_line(const char *message)
{
	if (puts(message) == EOF) {
		cli_stdout_failed();
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* ---- JSON ---- */

/* A comma unless the value opens its container or follows a key. */
static int json_sep(struct xref_buf *b)
{
	char last;

	if (!b->len)
		return 0;
	last = b->ptr[b->len - 1];
	if (last == '{' || last == '[' || last == ':')
		return 0;
	return xref_buf_putc(b, ',');
}

int cli_json_open(struct xref_buf *b, char bracket)
{
	int err = json_sep(b);

	return err ? err : xref_buf_putc(b, bracket);
}

int cli_json_close(struct xref_buf *b, char bracket)
{
	return xref_buf_putc(b, bracket);
}

static int json_escaped(struct xref_buf *b, const char *s)
{
	size_t len = strlen(s), i = 0;
	int err = xref_buf_putc(b, '"');

	while (!err && i < len) {
		unsigned char ch = (unsigned char)s[i];
		int32_t cp;
		size_t n;

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' &&
		    ch != '<') {
			err = xref_buf_putc(b, (char)ch);
			i++;
			continue;
		}
		n = xref_utf8_decode(s + i, len - i, &cp);
		switch (cp) {
		case '"':
			err = xref_buf_puts(b, "\\\"");
			break;
		case '\\':
			err = xref_buf_puts(b, "\\\\");
			break;
		case '\n':
			err = xref_buf_puts(b, "\\n");
			break;
		case '\t':
			err = xref_buf_puts(b, "\\t");
			break;
		case '\r':
			err = xref_buf_puts(b, "\\r");
			break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			    cp == '<' || cp == 0x2028 || cp == 0x2029)
				err = xref_buf_printf(b, "\\u%04x",
						      (unsigned)cp);
			else if (cp == 0xFFFD && n == 1)
				/* an invalid byte: the replacement character */
				err = xref_buf_puts(b, "\xef\xbf\xbd");
			else
				err = xref_buf_put(b, s + i, n);
			break;
		}
		i += n;
	}
	return err ? err : xref_buf_putc(b, '"');
}

int cli_json_key(struct xref_buf *b, const char *key)
{
	int err = json_sep(b);

	if (!err)
		err = json_escaped(b, key);
	return err ? err : xref_buf_putc(b, ':');
}

int cli_json_string(struct xref_buf *b, const char *s)
{
	int err = json_sep(b);

	if (err)
		return err;
	return s ? json_escaped(b, s) : xref_buf_puts(b, "null");
}

int cli_json_int(struct xref_buf *b, long long v)
{
	int err = json_sep(b);

	return err ? err : xref_buf_printf(b, "%lld", v);
}

int cli_json_hit(struct xref_buf *b, const struct xref_hit *hit,
		 const char *const uids[2])
{
	const struct xref_evidence *ev = &hit->ev;
	size_t i;
	int err;

	err = cli_json_open(b, '{');
	if (!err)
		err = cli_json_key(b, "doc_id");
	if (!err)
		err = cli_json_string(b, ev->doc_id);
	if (!err)
		err = cli_json_key(b, "title");
	if (!err)
		err = cli_json_string(b, ev->title);
	if (!err)
		err = cli_json_key(b, "date");
	if (!err)
		err = cli_json_string(b, ev->date);
	if (!err)
		err = cli_json_key(b, "url");
	if (!err)
		err = cli_json_string(b, ev->url);
	if (!err)
		err = cli_json_key(b, "start");
	if (!err)
		err = cli_json_int(b, (long long)ev->start);
	if (!err)
		err = cli_json_key(b, "end");
	if (!err)
		err = cli_json_int(b, (long long)ev->end);
	if (!err)
		err = cli_json_key(b, "text");
	if (!err)
		err = cli_json_string(b, ev->text ? ev->text : "");
	if (!err)
		err = cli_json_key(b, "mentions");
	if (!err)
		err = cli_json_open(b, '[');
	for (i = 0; !err && i < hit->n_marks; i++) {
		const struct xref_mark *m = &hit->marks[i];

		err = cli_json_open(b, '{');
		if (!err)
			err = cli_json_key(b, "id");
		if (!err)
			err = cli_json_string(b, uids[m->which ? 1 : 0]);
		if (!err)
			err = cli_json_key(b, "start");
		if (!err)
			err = cli_json_int(b, (long long)m->start);
		if (!err)
			err = cli_json_key(b, "end");
		if (!err)
			err = cli_json_int(b, (long long)m->end);
		if (!err)
			err = cli_json_close(b, '}');
	}
	if (!err)
		err = cli_json_close(b, ']');
	return err ? err : cli_json_close(b, '}');
}

int cli_json_row(struct xref_buf *b, size_t *rows)
{
	const char *lead = *rows ? ",\n" : "[\n";

	if (fputs(lead, stdout) == EOF ||
	    fwrite(xref_buf_cstr(b), 1, b->len, stdout) != b->len) {
		cli_stdout_failed();
		return -1;
	}
	xref_buf_clear(b);
	(*rows)++;
	return 0;
}

int cli_json_end(size_t rows)
{
	if (fputs(rows ? "\n]\n" : "[]\n", stdout) == EOF) {
		cli_stdout_failed();
		return -1;
	}
	return 0;
}
