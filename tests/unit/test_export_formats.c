/*
 * export/: the formats for other tools (Cytoscape, graphology, GraphML,
 * GEXF, CSV, Neo4j) and the HTML map, on a small graph built by hand with
 * names no document reader would let through (invalid UTF-8, raw control
 * characters, a line separator): every output is valid UTF-8 without
 * control characters, the XML parses (xmllint, when installed), the JSON
 * parses strictly (Python, when installed), write errors are reported.
 * Also the pieces behind them: SHA-256 and the CSP hash against the
 * standard's test vectors, XML escaping, and a layout that depends neither
 * on the run nor on the layouts before it.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export/export.h"
#include "export/sha256.h"
#include "export/xml.h"
#include "graph/graph.h"
#include "ingest/buf.h"
#include "ingest/status.h"
#include "ingest/utf8.h"
#include "tap.h"

#define XMLLINT_BIN "/usr/bin/xmllint"
#define PYTHON_BIN "/usr/bin/python3"

extern const char xref_web_map_js[], xref_web_map_css[];
extern const size_t xref_web_map_js_len, xref_web_map_css_len;

static char dir[] = "/tmp/xref-test-formats-XXXXXX";

static const struct {
	const char *key, *name;
	enum xref_type type;
} node_defs[] = {
	{ "nso group", "NSO Group", XREF_TYPE_COMPANY },
	{ "img", "<img src=x onerror=alert(1)>", XREF_TYPE_PERSON },
	{ "ctl", "C0\001con\033trol\177", XREF_TYPE_LOCATION },
	{ "bad", "bad\377\300byte", XREF_TYPE_TARGET },
	{ "lsep", "line\342\200\250sep", XREF_TYPE_MEDIA },
	{ "formula", "=cmd|' /C calc'!A0", XREF_TYPE_COMPANY },
	{ "quote", "\"q\" 'a' & <b> ]]> -- \\", XREF_TYPE_ORGANIZATION },
	{ "slot", "{{script}}", XREF_TYPE_GOVERNMENT },
};
#define N_NODES (sizeof(node_defs) / sizeof(node_defs[0]))

static struct xref_graph *build_graph(void)
{
	struct xref_evidence ev = {
		(char *)"doc-1", (char *)"T\001itle <b>", (char *)"javascript:alert(1)",
		(char *)"2021-07-18", 0, 10,
		(char *)"a </script> \377 sentence\nwith a break"
	};
	struct xref_graph *g = NULL;
	size_t i;
	int err;

	err = xref_graph_new(&g);
	for (i = 0; !err && i < N_NODES; i++)
		err = xref_graph_add_node(g, node_defs[i].key, node_defs[i].name,
					  node_defs[i].type, (long)(i + 1), 1);
	if (!err)
		err = xref_graph_add_alias(g, 0, "N\001SO");
	for (i = 1; !err && i < N_NODES; i++)
		err = xref_graph_add_edge(g, 0, i, (long)i, 1, "2020-01-0\001",
					  "2021\\");
	if (!err)
		err = xref_graph_add_evidence(g, 0, &ev);
	if (!err)
		err = xref_graph_finish(g);
	for (i = 0; !err && i < XREF_METRIC_COUNT; i++)
		err = xref_graph_compute(g, (enum xref_metric)i);
	CHECK(err == 0);
	if (err) {
		xref_graph_free(g);
		return NULL;
	}
	return g;
}

typedef int (*writer)(const struct xref_graph *,
		      const struct xref_export_opts *, FILE *);

/* Writes g with w to dir/name; returns the contents (free()) or NULL. */
static char *write_file(const char *name, writer w, const struct xref_graph *g,
			const struct xref_export_opts *o, size_t *len)
{
	char path[256];
	char *buf = NULL;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w+");
	if (!f)
		return NULL;
	if (w(g, o, f) != 0)
		goto out;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
out:
	fclose(f);
	return buf;
}

static bool clean_text(const char *s, size_t len)
{
	size_t i;

	if (!xref_utf8_is_valid(s, len))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return false;
		/* C1 controls: U+0080..U+009F are C2 80..C2 9F */
		if (c == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return false;
	}
	return true;
}

static int run_tool(const char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_sha256(void)
{
	static const char *const hex = "0123456789abcdef";
	static const struct {
		const char *in, *want;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	unsigned char d[32];
	char got[65], csp[XREF_CSP_HASH_SIZE];
	size_t i, k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		xref_sha256(d, v[i].in, strlen(v[i].in));
		for (k = 0; k < 32; k++) {
			got[2 * k] = hex[d[k] >> 4];
			got[2 * k + 1] = hex[d[k] & 15];
		}
		got[64] = '\0';
		CHECK_STR(got, v[i].want);
	}
	xref_csp_hash(csp, "abc", 3);
	CHECK_STR(csp, "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

static void test_xml(void)
{
	struct xref_buf b = XREF_BUF_INIT;

	CHECK(xref_xml_append(&b, "a&b<c>d\"e'f\001g\377") == 0);
	CHECK_STR(xref_buf_cstr(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;fg\357\277\275");
	xref_buf_release(&b);
}

static void test_layout(const struct xref_graph *g)
{
	struct xref_export_opts o = { XREF_METRIC_PAGERANK, 0, NULL };
	struct xref_graph *other = NULL, *empty = NULL;
	double *a = NULL, *b = NULL, *c = NULL, *e = NULL;
	size_t n, i;
	bool finite = true, moved = false;

	xref_graph_nodes(g, &n);
	CHECK(xref_export_layout(&a, g, &o) == 0);
	/* a different graph laid out in between must not change the result */
	CHECK(xref_graph_new(&other) == 0);
	CHECK(xref_graph_add_node(other, "x", "X", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_node(other, "y", "Y", XREF_TYPE_PERSON, 1, 1) == 0);
	CHECK(xref_graph_add_edge(other, 0, 1, 1, 1, NULL, NULL) == 0);
	CHECK(xref_graph_finish(other) == 0);
	CHECK(xref_export_layout(&b, other, NULL) == 0);
	CHECK(xref_export_layout(&c, g, &o) == 0);
	if (a && c) {
		CHECK(memcmp(a, c, 2 * n * sizeof(*a)) == 0);
		for (i = 0; i < 2 * n; i++) {
			finite = finite && isfinite(a[i]);
			moved = moved || a[i] != a[0];
		}
		CHECK(finite);
		CHECK(moved);
	}
	/* above 20000 nodes: a spiral, distinct finite points */
	xref_graph_free(other);
	other = NULL;
	CHECK(xref_graph_new(&other) == 0);
	for (i = 0; other && i < 20001; i++) {
		char key[32];

		snprintf(key, sizeof(key), "k%zu", i);
		if (xref_graph_add_node(other, key, key, XREF_TYPE_PERSON, 1,
					1) != 0)
			break;
	}
	CHECK(i == 20001);
	CHECK(xref_graph_finish(other) == 0);
	free(b);
	b = NULL;
	CHECK(xref_export_layout(&b, other, NULL) == 0);
	if (b) {
		finite = true;
		for (i = 0; i < 2 * 20001; i++)
			finite = finite && isfinite(b[i]);
		CHECK(finite);
		CHECK(b[2] != b[4] || b[3] != b[5]);
	}
	CHECK(xref_graph_new(&empty) == 0);
	CHECK(xref_graph_finish(empty) == 0);
	CHECK(xref_export_layout(&e, empty, NULL) == 0);
	CHECK(e != NULL);
	free(a);
	free(b);
	free(c);
	free(e);
	xref_graph_free(other);
	xref_graph_free(empty);
}

static const struct {
	const char *name;
	writer w;
	int kind; /* 0 text, 1 XML, 2 JSON */
} formats[] = {
	{ "g.cytoscape.json", xref_export_cytoscape, 2 },
	{ "g.graphology.json", xref_export_graphology, 2 },
	{ "g.graphml", xref_export_graphml, 1 },
	{ "g.gexf", xref_export_gexf, 1 },
	{ "nodes.csv", xref_export_csv_nodes, 0 },
	{ "edges.csv", xref_export_csv_edges, 0 },
	{ "evidence.csv", xref_export_csv_evidence, 0 },
	{ "neo4j-nodes.csv", xref_export_neo4j_nodes, 0 },
	{ "relationships.csv", xref_export_neo4j_relationships, 0 },
	{ "README.md", xref_export_neo4j_readme, 0 },
	{ "g.html", xref_export_html, 0 },
};

static void test_formats(const struct xref_graph *g)
{
	struct xref_export_opts o = { XREF_METRIC_PAGERANK, 0, "T<i>tle\001" };
	bool have_xmllint = access(XMLLINT_BIN, X_OK) == 0;
	bool have_python = access(PYTHON_BIN, X_OK) == 0;
	char path[256], csp[XREF_CSP_HASH_SIZE];
	size_t i, len = 0;
	char *s;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		s = write_file(formats[i].name, formats[i].w, g, &o, &len);
		CHECK(s != NULL);
		if (!s)
			continue;
		printf("# %s: %zu bytes\n", formats[i].name, len);
		CHECK(len > 0 && clean_text(s, len));
		snprintf(path, sizeof(path), "%s/%s", dir, formats[i].name);
		if (formats[i].kind == 1 && have_xmllint) {
			const char *argv[] = { XMLLINT_BIN, "--noout", path, NULL };

			CHECK(run_tool(argv) == 0);
		}
		if (formats[i].kind == 2) {
			CHECK(strchr(s, '<') == NULL);
			CHECK(strstr(s, "\342\200\250") == NULL);
			if (have_python) {
				const char *argv[] = {
					PYTHON_BIN, "-c",
					"import json,sys;json.loads(open(sys.argv[1],'rb')"
					".read().decode('utf-8','strict'))",
					path, NULL
				};

				CHECK(run_tool(argv) == 0);
			}
		}
		if (!strcmp(formats[i].name, "nodes.csv"))
			CHECK(strstr(s, "\"'=cmd|' /C calc'!A0\"") != NULL);
		if (!strcmp(formats[i].name, "g.html")) {
			const char *data = strstr(s, "id=\"x-data\">");
			const char *end = data ? strstr(data, "</script>") : NULL;

			CHECK(strstr(s, "{{csp}}") == NULL &&
			      strstr(s, "{{svg}}") == NULL &&
			      strstr(s, "{{data}}") == NULL &&
			      strstr(s, "{{types}}") == NULL &&
			      strstr(s, "{{style}}") == NULL);
			CHECK(strstr(s, "<?xml") == NULL);
			CHECK(strstr(s, "<svg") != NULL);
			CHECK(data && end && memchr(data + 12, '<',
						    (size_t)(end - data - 12)) == NULL);
			xref_csp_hash(csp, xref_web_map_js, xref_web_map_js_len);
			CHECK(strstr(s, csp) != NULL);
			xref_csp_hash(csp, xref_web_map_css, xref_web_map_css_len);
			CHECK(strstr(s, csp) != NULL);
			CHECK(strstr(s, "<title>T&lt;i&gt;tle</title>") != NULL);
			/* the slot-like name is text, the page one script */
			CHECK(strstr(s, "{{script}}") != NULL);
		}
		free(s);
	}
}

static void test_write_errors(const struct xref_graph *g)
{
	FILE *full = fopen("/dev/full", "w");
	size_t i;

	if (!full) {
		printf("# skip: no /dev/full\n");
		return;
	}
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		int err = formats[i].w(g, NULL, full);

		CHECK(err == XREF_EIO);
		clearerr(full);
	}
	fclose(full);
}

int main(void)
{
	struct xref_graph *g;
	char cmd[300];

	xref_graph_setup();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_sha256();
	test_xml();
	g = build_graph();
	if (g) {
		test_layout(g);
		test_formats(g);
		test_write_errors(g);
	}
	xref_graph_free(g);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
