/*
 * export/: DOT, SVG and JSON of a small graph whose names are hostile
 * (quotes, backslashes, escString sequences, markup, CDATA and comment
 * terminators, control characters, invalid UTF-8, bidi overrides, entity
 * look-alikes), checked by their real consumers when installed: `dot`
 * re-parses and renders the DOT, `xmllint` parses the SVG, Python's json
 * and networkx load the JSON. A missing tool prints "# skip: ..." and its
 * checks are not counted.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export/export.h"
#include "graph/graph.h"
#include "ingest/status.h"
#include "tap.h"

#define DOT_BIN "/usr/bin/dot"
#define XMLLINT_BIN "/usr/bin/xmllint"
#define PYTHON_BIN "/usr/bin/python3"

static char dir[] = "/tmp/xref-test-export-XXXXXX";

/* Hostile names, in insertion order (edge_defs refers to these indexes). */
static const struct {
	const char *key, *name;
	enum xref_type type;
} node_defs[] = {
	{ "nso group", "NSO Group", XREF_TYPE_COMPANY },
	{ "quote x", "Quote \"x\"", XREF_TYPE_PERSON },
	{ "back slash", "back\\slash", XREF_TYPE_PERSON },
	{ "escn", "\\N", XREF_TYPE_ORGANIZATION },
	{ "script", "<script>alert(1)</script>", XREF_TYPE_MEDIA },
	{ "cdata", "]]>", XREF_TYPE_GOVERNMENT },
	{ "dashes", "--", XREF_TYPE_COUNTRY },
	{ "ctl", "C0\001control", XREF_TYPE_LOCATION },
	{ "bad utf8", "bad\377byte", XREF_TYPE_TARGET },
	{ "rlo", "rlo\342\200\256evil", XREF_TYPE_PERSON },
	{ "at t", "AT&amp;T & Co &;", XREF_TYPE_COMPANY },
	{ "trailing", "trailing\\", XREF_TYPE_PERSON },
	{ "lsep", "line\342\200\250sep", XREF_TYPE_PERSON },
	{ "lonely", "Lonely Node", XREF_TYPE_PERSON }, /* no edge */
};
#define N_NODES (sizeof(node_defs) / sizeof(node_defs[0]))

static const size_t edge_defs[][3] = {
	/* a, b, weight */
	{ 0, 1, 5 }, { 0, 2, 1 }, { 0, 3, 12 }, { 0, 4, 2 }, { 1, 5, 3 },
	{ 2, 6, 1 }, { 3, 7, 4 }, { 4, 8, 1 }, { 5, 9, 2 }, { 6, 10, 1 },
	{ 7, 11, 7 }, { 8, 12, 1 }, { 9, 10, 3 }, { 2, 4, 2 },
};
#define N_EDGES (sizeof(edge_defs) / sizeof(edge_defs[0]))

static struct xref_graph *build_graph(void)
{
	struct xref_graph *g = NULL;
	struct xref_evidence ev = {
		(char *)"doc-1", (char *)"Title <b>&amp;</b> \"q\"",
		(char *)"https://example.org/?a=1&b=<2>", (char *)"2021-07-18",
		10, 60,
		(char *)"Line one </script><script>alert(1)</script>\n"
			"line two \001 \377 \342\200\250 end"
	};
	struct xref_evidence ev2 = { (char *)"doc-2", NULL, NULL, NULL,
				     0, 4, (char *)"text" };
	size_t i;
	int err = 0;

	err = xref_graph_new(&g);
	for (i = 0; !err && i < N_NODES; i++)
		err = xref_graph_add_node(g, node_defs[i].key,
					  node_defs[i].name, node_defs[i].type,
					  (long)(i + 1), 1);
	if (!err)
		err = xref_graph_add_alias(g, 0, "NSO <alias> & \"co\"");
	if (!err)
		err = xref_graph_add_alias(g, 0, "N.S.O.");
	for (i = 0; !err && i < N_EDGES; i++)
		err = xref_graph_add_edge(g, edge_defs[i][0], edge_defs[i][1],
					  (long)edge_defs[i][2], 1,
					  i == 0 ? "2016-08-26" : NULL,
					  i == 0 ? "2021-07-28\\" : NULL);
	if (!err)
		err = xref_graph_add_evidence(g, 0, &ev);
	if (!err)
		err = xref_graph_add_evidence(g, 0, &ev2);
	if (!err)
		err = xref_graph_finish(g);
	if (!err)
		err = xref_graph_compute(g, XREF_METRIC_DEGREE);
	if (!err)
		err = xref_graph_compute(g, XREF_METRIC_PAGERANK);
	if (err) {
		fprintf(stderr, "# build: %s\n", xref_error_last());
		xref_graph_free(g);
		return NULL;
	}
	return g;
}

/* Returns the file's bytes, NUL-terminated (free()), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

typedef int (*export_fn)(const struct xref_graph *,
			 const struct xref_export_opts *, FILE *);

/* Exports into dir/name; returns the export's status. */
static int export_to(export_fn fn, const struct xref_graph *g,
		     const struct xref_export_opts *o, const char *name,
		     char *path, size_t pathsz)
{
	FILE *f;
	int err;

	snprintf(path, pathsz, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return XREF_EIO;
	err = fn(g, o, f);
	if (err)
		fprintf(stderr, "# %s: %s\n", name, xref_error_last());
	if (fclose(f) != 0 && !err)
		err = XREF_EIO;
	return err;
}

static bool have(const char *tool)
{
	if (access(tool, X_OK) == 0)
		return true;
	printf("# skip: %s not installed\n", tool);
	return false;
}

/* Runs a shell command (our paths only, no user text); true on exit 0. */
static bool run(const char *cmd)
{
	int st;

	fflush(stdout); /* keep the TAP lines in order with the child's */
	st = system(cmd);

	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "# failed: %s\n", cmd);
		return false;
	}
	return true;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static bool has_byte_below_space(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' &&
		    *s != '\r')
			return true;
	}
	return false;
}

static void test_dot(const struct xref_graph *g,
		     const struct xref_export_opts *o)
{
	char path[256], cmd[1024];
	char *dot = NULL, *svg = NULL;
	int err;

	err = export_to(xref_export_dot, g, o, "graph.dot", path, sizeof(path));
	CHECK(err == 0);
	dot = slurp(path, NULL);
	CHECK(dot != NULL);
	if (!dot)
		goto out;
	CHECK(strncmp(dot, "strict graph xref {", 19) == 0);
	CHECK(strstr(dot, "label=\"Case \\\\N: \\\"A\\\" & B\"") != NULL);
	/* escStrings: a backslash is doubled, "\N" stays literal. */
	CHECK(strstr(dot, "label=\"back\\\\slash\"") != NULL);
	CHECK(strstr(dot, "label=\"\\\\N\"") != NULL);
	CHECK(strstr(dot, "label=\"trailing\\\\\"") != NULL);
	CHECK(strstr(dot, "label=\"Quote \\\"x\\\"\"") != NULL);
	CHECK(strstr(dot, "label=\"AT&amp;amp;T & Co &amp;;\"") != NULL);
	CHECK(strstr(dot, "last_seen=\"2021-07-28\\\\\"") != NULL);
	CHECK(strstr(dot, "type=company") != NULL);
	CHECK(strstr(dot, "pagerank=") != NULL);
	CHECK(strstr(dot, "degree=") != NULL);
	CHECK(strstr(dot, "weight=12") != NULL);
	CHECK(strstr(dot, "fillcolor=\"#56B4E9\"") != NULL);
	CHECK(!has_byte_below_space(dot));
	CHECK(strchr(dot, '\377') == NULL);
	CHECK(count(dot, " -- ") == N_EDGES);
	if (!have(DOT_BIN))
		goto out;
	snprintf(cmd, sizeof(cmd),
		 DOT_BIN " -Tcanon %s/graph.dot > %s/canon.dot", dir, dir);
	CHECK(run(cmd));
	/* Rendered by Graphviz itself, the escaped labels read as written. */
	snprintf(cmd, sizeof(cmd),
		 DOT_BIN " -Kneato -Tsvg %s/graph.dot > %s/dot-render.svg",
		 dir, dir);
	CHECK(run(cmd));
	snprintf(path, sizeof(path), "%s/dot-render.svg", dir);
	svg = slurp(path, NULL);
	CHECK(svg != NULL);
	if (!svg)
		goto out;
	CHECK(strstr(svg, ">back\\slash</text>") != NULL);
	CHECK(strstr(svg, ">\\N</text>") != NULL);
	CHECK(strstr(svg, ">trailing\\</text>") != NULL);
	CHECK(strstr(svg, ">AT&amp;amp;T &amp; Co &amp;;</text>") != NULL);
out:
	free(svg);
	free(dot);
}

static void test_svg(const struct xref_graph *g,
		     const struct xref_export_opts *o, bool all_labels)
{
	const struct xref_node *nodes;
	const struct xref_edge *edges;
	char path[256], cmd[1024], want[128];
	char *svg = NULL;
	size_t n, ne, i;
	int err;

	nodes = xref_graph_nodes(g, &n);
	edges = xref_graph_edges(g, &ne);
	err = export_to(xref_export_svg, g, o,
			all_labels ? "all.svg" : "top.svg", path,
			sizeof(path));
	CHECK(err == 0);
	svg = slurp(path, NULL);
	CHECK(svg != NULL);
	if (!svg)
		goto out;
	CHECK(strstr(svg, "<svg") != NULL);
	/* No markup, entity or control character from a name survives. */
	CHECK(strstr(svg, "<script") == NULL);
	CHECK(strstr(svg, "]]>") == NULL);
	CHECK(strstr(svg, "&;") == NULL);
	CHECK(strstr(svg, "xlink:href") == NULL);
	CHECK(!has_byte_below_space(svg));
	CHECK(strchr(svg, '\377') == NULL);
	/* Tooltips carry every name exactly (quadrupled backslashes). */
	CHECK(strstr(svg, "xlink:title=\"back\\slash\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"\\N\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"trailing\\\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"&lt;script&gt;alert(1)&lt;/script&gt;\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"Quote &quot;x&quot;\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"AT&amp;amp;T &amp; Co &amp;;\"") != NULL);
	CHECK(strstr(svg, "xlink:title=\"badbyte\"") == NULL);
	/* ids and classes, never built from names. Graphviz writes '-' in
	 * attributes as "&#45;" (the DOM value is '-', checked below). */
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want),
			 "<g id=\"n%s\" class=\"node type&#45;%s\">",
			 nodes[i].uid, xref_type_name(nodes[i].type));
		CHECK(strstr(svg, want) != NULL);
		snprintf(want, sizeof(want), "<title>%s</title>", nodes[i].uid);
		CHECK(strstr(svg, want) != NULL);
	}
	for (i = 0; i < ne; i++) {
		snprintf(want, sizeof(want),
			 "<g id=\"e%s&#45;%s\" class=\"edge\">",
			 nodes[edges[i].source].uid,
			 nodes[edges[i].target].uid);
		CHECK(strstr(svg, want) != NULL);
	}
	CHECK(count(svg, "<title>") == 1 + n + ne + 1); /* graph, legend */
	CHECK(strstr(svg, "<g id=\"legend\" class=\"node legend\">") != NULL);
	CHECK(strstr(svg, ">company (box)</text>") != NULL);
	CHECK(strstr(svg, "font-family=\"Helvetica,Arial,sans-serif\"") != NULL);
	if (all_labels) {
		CHECK(strstr(svg, ">back\\slash</text>") != NULL);
		CHECK(strstr(svg, ">\\N</text>") != NULL);
		CHECK(strstr(svg, ">trailing\\</text>") != NULL);
		CHECK(strstr(svg, ">Quote &quot;x&quot;</text>") != NULL);
		CHECK(strstr(svg, ">&lt;script&gt;alert(1)&lt;/script&gt;</text>") != NULL);
		CHECK(strstr(svg, ">]]&gt;</text>") != NULL);
		CHECK(strstr(svg, ">AT&amp;amp;T &amp; Co &amp;;</text>") != NULL);
		CHECK(strstr(svg, ">C0control</text>") != NULL);
		CHECK(strstr(svg, ">bad\357\277\275byte</text>") != NULL);
		CHECK(strstr(svg, ">rlo\342\200\256evil</text>") != NULL);
		CHECK(strstr(svg, ">Case \\N: &quot;A&quot; &amp; B</text>") != NULL);
	} else {
		/* Three labels (plus the title and the legend's text). */
		CHECK(strstr(svg, ">Lonely Node</text>") == NULL);
		CHECK(strstr(svg, "xlink:title=\"Lonely Node\"") != NULL);
		CHECK(strstr(svg, ">NSO Group</text>") != NULL);
	}
	if (!have(XMLLINT_BIN))
		goto out;
	snprintf(cmd, sizeof(cmd), XMLLINT_BIN " --noout %s", path);
	CHECK(run(cmd));
	/* As a browser's DOM sees them: two companies, the first edge's id. */
	snprintf(cmd, sizeof(cmd),
		 "test \"$(" XMLLINT_BIN " --xpath \"count(//*[@class="
		 "'node type-company'])\" %s)\" = 2", path);
	CHECK(run(cmd));
	snprintf(cmd, sizeof(cmd),
		 "test \"$(" XMLLINT_BIN " --xpath \"count(//*[@id="
		 "'e%s-%s'][@class='edge'])\" %s)\" = 1",
		 nodes[edges[0].source].uid, nodes[edges[0].target].uid, path);
	CHECK(run(cmd));
out:
	free(svg);
}

static const char py_check[] =
	"import json, sys\n"
	"raw = open(sys.argv[1], 'rb').read()\n"
	"d = json.loads(raw.decode('utf-8', 'strict'))\n"
	"assert b'<' not in raw and b'\\xe2\\x80\\xa8' not in raw\n"
	"assert d['directed'] is False and d['multigraph'] is False\n"
	"assert d['graph'] == {'name': 'Case \\\\N: \"A\" & B', "
	"'generator': 'xref'}, d['graph']\n"
	"labels = {n['label'] for n in d['nodes']}\n"
	"for want in ['Quote \"x\"', 'back\\\\slash', '\\\\N', "
	"'<script>alert(1)</script>', ']]>', '--', 'C0control', "
	"'bad\\ufffdbyte', 'rlo\\u202eevil', 'AT&amp;T & Co &;', "
	"'trailing\\\\', 'line\\u2028sep']:\n"
	"    assert want in labels, want\n"
	"nso = [n for n in d['nodes'] if n['label'] == 'NSO Group'][0]\n"
	"assert nso['aliases'] == ['N.S.O.', 'NSO <alias> & \"co\"'], nso\n"
	"assert nso['type'] == 'company' and nso['degree'] == 4, nso\n"
	"assert isinstance(nso['pagerank'], float) and isinstance(nso['mentions'], int)\n"
	"ev = [l for l in d['links'] if l['evidence']][0]\n"
	"assert ev['first_seen'] == '2016-08-26' and ev['weight'] == 5, ev\n"
	"e0 = [e for e in ev['evidence'] if e['doc_id'] == 'doc-1'][0]\n"
	"assert e0['url'] == 'https://example.org/?a=1&b=<2>', e0\n"
	"assert '</script><script>' in e0['text'] and '\\n' in e0['text'], e0\n"
	"assert '\\x01' not in e0['text'] and '\\ufffd' in e0['text'], e0\n"
	"e1 = [e for e in ev['evidence'] if e['doc_id'] == 'doc-2'][0]\n"
	"assert e1['title'] is None and e1['start'] == 0 and e1['end'] == 4\n"
	"assert all(l['first_seen'] is None for l in d['links'] if l is not ev)\n"
	"try:\n"
	"    import networkx as nx\n"
	"except ImportError:\n"
	"    print('# skip: networkx not installed'); sys.exit(0)\n"
	"try:\n"
	"    G = nx.node_link_graph(d, edges='links')\n"
	"except TypeError:\n"
	"    G = nx.node_link_graph(d)\n"
	"assert G.number_of_nodes() == int(sys.argv[2]), G\n"
	"assert G.number_of_edges() == int(sys.argv[3]), G\n";

static void test_json(const struct xref_graph *g,
		      const struct xref_export_opts *o)
{
	char path[256], cmd[1024], script[256];
	char *json = NULL;
	FILE *f;
	int err;

	err = export_to(xref_export_json, g, o, "graph.json", path,
			sizeof(path));
	CHECK(err == 0);
	json = slurp(path, NULL);
	CHECK(json != NULL);
	if (!json)
		goto out;
	CHECK(strchr(json, '<') == NULL);
	CHECK(strstr(json, "\\u003cscript>alert(1)\\u003c/script>") != NULL);
	CHECK(strstr(json, "\\u2028") != NULL);
	CHECK(!has_byte_below_space(json));
	CHECK(strchr(json, '\377') == NULL);
	CHECK(strstr(json, "\"generator\":\t\"xref\"") != NULL);
	if (!have(PYTHON_BIN))
		goto out;
	snprintf(script, sizeof(script), "%s/check.py", dir);
	f = fopen(script, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	fputs(py_check, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), PYTHON_BIN " %s %s %zu %zu", script, path,
		 (size_t)N_NODES, (size_t)N_EDGES);
	CHECK(run(cmd));
out:
	free(json);
}

/* Two runs of each format, with other formats in between, are identical. */
static void test_determinism(const struct xref_graph *g,
			     const struct xref_export_opts *o)
{
	static const struct {
		export_fn fn;
		const char *a, *b;
	} fmts[] = {
		{ xref_export_dot, "det1.dot", "det2.dot" },
		{ xref_export_svg, "det1.svg", "det2.svg" },
		{ xref_export_json, "det1.json", "det2.json" },
	};
	char pa[256], pb[256];
	char *a, *b;
	size_t i, la = 0, lb = 0;

	for (i = 0; i < 3; i++)
		CHECK(export_to(fmts[i].fn, g, o, fmts[i].a, pa,
				sizeof(pa)) == 0);
	for (i = 3; i-- > 0;)
		CHECK(export_to(fmts[i].fn, g, o, fmts[i].b, pb,
				sizeof(pb)) == 0);
	for (i = 0; i < 3; i++) {
		snprintf(pa, sizeof(pa), "%s/%s", dir, fmts[i].a);
		snprintf(pb, sizeof(pb), "%s/%s", dir, fmts[i].b);
		a = slurp(pa, &la);
		b = slurp(pb, &lb);
		CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
		free(a);
		free(b);
	}
}

static void test_errors(const struct xref_graph *g,
			const struct xref_export_opts *o)
{
	struct xref_export_opts bad = *o;
	export_fn fns[] = { xref_export_dot, xref_export_svg,
			    xref_export_json };
	char path[256];
	size_t i;
	FILE *f;

	/* SVG needs the size metric computed. */
	bad.size_by = XREF_METRIC_BETWEENNESS;
	CHECK(export_to(xref_export_svg, g, &bad, "bad.svg", path,
			sizeof(path)) == XREF_EINVAL);
	CHECK(strstr(xref_error_last(), "betweenness") != NULL);
	if (access("/dev/full", W_OK) != 0) {
		printf("# skip: /dev/full not available\n");
		return;
	}
	for (i = 0; i < 3; i++) {
		f = fopen("/dev/full", "w");
		CHECK(f != NULL);
		if (!f)
			continue;
		CHECK(fns[i](g, o, f) == XREF_EIO);
		CHECK_STR(xref_error_last(), "write error");
		fclose(f);
	}
}

static void test_empty(void)
{
	struct xref_graph *g = NULL;
	struct xref_export_opts o = { XREF_METRIC_DEGREE, 0, NULL };
	char path[256], cmd[1024];

	CHECK(xref_graph_new(&g) == 0);
	CHECK(xref_graph_finish(g) == 0);
	CHECK(xref_graph_compute(g, XREF_METRIC_DEGREE) == 0);
	CHECK(export_to(xref_export_dot, g, &o, "empty.dot", path,
			sizeof(path)) == 0);
	CHECK(export_to(xref_export_json, g, &o, "empty.json", path,
			sizeof(path)) == 0);
	if (have(PYTHON_BIN)) {
		snprintf(cmd, sizeof(cmd),
			 PYTHON_BIN " -c 'import json,sys; d=json.load(open("
			 "sys.argv[1])); assert d[\"nodes\"] == [] and "
			 "d[\"links\"] == [] and d[\"graph\"][\"name\"] is None' %s",
			 path);
		CHECK(run(cmd));
	}
	CHECK(export_to(xref_export_svg, g, &o, "empty.svg", path,
			sizeof(path)) == 0);
	if (have(XMLLINT_BIN)) {
		snprintf(cmd, sizeof(cmd), XMLLINT_BIN " --noout %s", path);
		CHECK(run(cmd));
	}
	/* opts may be NULL. */
	CHECK(export_to(xref_export_dot, g, NULL, "null.dot", path,
			sizeof(path)) == 0);
	CHECK(export_to(xref_export_json, g, NULL, "null.json", path,
			sizeof(path)) == 0);
	CHECK(export_to(xref_export_svg, g, NULL, "null.svg", path,
			sizeof(path)) == 0);
	xref_graph_free(g);
}

int main(void)
{
	struct xref_export_opts all = { XREF_METRIC_PAGERANK, 0,
					"Case \\N: \"A\" & B" };
	struct xref_export_opts top = { XREF_METRIC_PAGERANK, 3, NULL };
	struct xref_graph *g;
	char cmd[256];

	xref_graph_setup();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	g = build_graph();
	CHECK(g != NULL);
	if (g) {
		test_dot(g, &all);
		test_svg(g, &all, true);
		test_svg(g, &top, false);
		test_json(g, &all);
		test_determinism(g, &all);
		test_errors(g, &all);
	}
	test_empty();
	xref_graph_free(g);
	if (!getenv("XREF_KEEP_TMP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "# cannot remove %s\n", dir);
	} else {
		printf("# kept %s\n", dir);
	}
	return tap_done();
}
