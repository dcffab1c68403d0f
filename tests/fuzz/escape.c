/*
 * Fuzz target for the escaping entry points of export/: xref_gv_escape()
 * (Graphviz escStrings, both kinds) and the table writer in its four
 * formats, on strings from the input (split at NUL bytes).
 *
 * Checks: escaped text is clean UTF-8; every run of backslashes is a
 * multiple of 2 (labels) or 4 (tooltips), so Graphviz never expands one;
 * an '&' that could read as an entity reference is "&amp;"; TSV has one
 * line per row and one tab between cells; the JSON table parses (cJSON)
 * and gives back each string as sanitised, with no raw '<'.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export/gv.h"
#include "export/table.h"
#include "ingest/utf8.h"
#include "tests/fuzz/fuzz.h"

#define N_FIELDS 4

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* What Graphviz's SVG writer copies through as an entity reference (and
 * would then be invalid XML unless it is one): '&' followed by letters,
 * '#' and digits, or "#x" and hex digits, then ';'. */
static bool graphviz_entity(const char *s)
{
	s++;
	if (*s == '#' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2; is_hex(*s); s++)
			;
	} else if (*s == '#') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	} else {
		while (is_alpha(*s))
			s++;
	}
	return *s == ';';
}

static void check_escaped(const char *e, enum xref_gv_text kind)
{
	size_t unit = kind == XREF_GV_TOOLTIP ? 4 : 2;

	fuzz_check_str(e, true, "escaped text not clean");
	for (size_t i = 0; e[i];) {
		size_t run = 0;

		while (e[i + run] == '\\')
			run++;
		if (run) {
			fuzz_check(run % unit == 0, "lone backslash escaped");
			i += run;
			continue;
		}
		if (e[i] == '&' && strncmp(e + i, "&amp;", 5) != 0)
			fuzz_check(!graphviz_entity(e + i),
				   "'&' left as an entity");
		i++;
	}
}

static char *write_table(const struct xref_table *t,
			 enum xref_table_format f, size_t *len)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	fuzz_check(mem != NULL, "open_memstream");
	fuzz_check(xref_table_write(t, f, mem) == 0, "table write");
	fuzz_check(fclose(mem) == 0, "fclose");
	return buf;
}

static void check_tsv(const char *s, size_t len, size_t rows, size_t cols)
{
	size_t lines = 0, tabs = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\t')
			tabs++;
		if (s[i] != '\n')
			continue;
		fuzz_check(tabs == cols - 1, "TSV line with extra tabs");
		tabs = 0;
		lines++;
	}
	fuzz_check(lines == rows + 1, "TSV with extra lines");
}

static void check_json(const char *s, size_t len, char **fields)
{
	cJSON *root = cJSON_ParseWithLength(s, len);
	const cJSON *row;
	size_t r = 0;

	fuzz_check(root && cJSON_IsArray(root), "JSON table does not parse");
	fuzz_check(memchr(s, '<', len) == NULL, "raw '<' in JSON");
	cJSON_ArrayForEach(row, root) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, "text");
		char *want = xref_utf8_sanitize(fields[r]);

		fuzz_check(want != NULL, "sanitize");
		fuzz_check(cJSON_IsString(v) && !strcmp(v->valuestring, want),
			   "JSON cell differs from its string");
		free(want);
		r++;
	}
	fuzz_check(r == N_FIELDS, "JSON rows");
	cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum xref_table_format formats[] = {
		XREF_TABLE_TABLE, XREF_TABLE_TSV, XREF_TABLE_CSV,
		XREF_TABLE_JSON,
	};
	char *fields[N_FIELDS];
	struct xref_table *t = NULL;
	size_t i;

	fuzz_fields(fields, N_FIELDS, data, size);
	for (i = 0; i < N_FIELDS; i++) {
		char *l = xref_gv_escape(fields[i], XREF_GV_LABEL);
		char *tt = xref_gv_escape(fields[i], XREF_GV_TOOLTIP);

		fuzz_check(l && tt, "escape");
		check_escaped(l, XREF_GV_LABEL);
		check_escaped(tt, XREF_GV_TOOLTIP);
		free(l);
		free(tt);
	}

	fuzz_check(xref_table_new(&t) == 0 &&
		   xref_table_add_column(t, "text", XREF_COL_STRING) == 0 &&
		   xref_table_add_column(t, "n", XREF_COL_INTEGER) == 0,
		   "table");
	for (i = 0; i < N_FIELDS; i++)
		fuzz_check(xref_table_add_row(t) == 0 &&
			   xref_table_set_string(t, 0, fields[i]) == 0 &&
			   xref_table_set_integer(t, 1, (long long)i) == 0,
			   "table row");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		size_t len = 0;
		char *out = write_table(t, formats[i], &len);

		fuzz_check_text(out, len, false, "table output not clean");
		if (formats[i] == XREF_TABLE_TSV)
			check_tsv(out, len, N_FIELDS, 2);
		if (formats[i] == XREF_TABLE_JSON)
			check_json(out, len, fields);
		free(out);
	}
	xref_table_free(t);
	fuzz_fields_free(fields, N_FIELDS);
	return 0;
}
