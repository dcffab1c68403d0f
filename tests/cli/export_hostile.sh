#!/bin/sh
# Hostile names (markup that would run script, quotes, backslashes and
# Graphviz escapes, CDATA ends, comment dashes, DOT and SQL syntax,
# spreadsheet formulas, template slots, a control character, a
# right-to-left override) and a hostile document (markup in its title and
# text, a javascript: URL) cannot break any export: Graphviz, xmllint,
# networkx and Python's csv still load every format with the case file's
# names (make_hostile_inputs in consumers.inc). export_hostile_js.sh does
# the same with the JavaScript consumers and the browser.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"
. "$XREF_SOURCE_DIR/tests/cli/consumers.inc"

need dot gc xmllint "$PYTHON"
"$PYTHON" -c 'import networkx' 2>/dev/null || skip "python3 has no networkx"

make_hostile_inputs

run "$XREF" build -w watchlist.tsv -o out story.txt second.txt
expect_exit 0
expect_stderr_empty
run "$XREF" export --case out/xref.db --format neo4j -o neo4j
expect_exit 0

# Graphviz reads the DOT and renders every name as written.
run gc -n -e out/graph.dot
expect_exit 0
save gc.out
run dot -Tcanon out/graph.dot
expect_exit 0
expect_stdout_contains 'label="<script>window.__pwned=1</script>"'
expect_stdout_contains 'label="Back\\slash \"Quoted\" '"'"'Single'"'"' -- Org"'
expect_stdout_contains 'label="\\N \\G \\L \\n \\\\ Escapes"'
expect_stdout_contains 'label="node [shape=box]; a -- b; } digraph {"'

# XML: well-formed, and the GEXF valid.
for f in out/graph.svg out/graph.graphml out/graph.gexf; do
	run xmllint --noout "$f"
	expect_exit 0
	expect_stderr_empty
done
SCHEMA=$XREF_SOURCE_DIR/../shared/data/schemas/gexf-1.3/gexf.rng
if [ -f "$SCHEMA" ]; then
	run xmllint --noout --relaxng "$SCHEMA" out/graph.gexf
	expect_exit 0
fi

# No live markup from the documents in any text output.
for f in out/graph.svg out/graph.html out/graph.json out/graph.graphml \
	out/graph.gexf out/graph.cytoscape.json out/graph.graphology.json; do
	check "no live <script> or <img> from the data in $f" \
		sh -c "! grep -Eq '<(script>window|img src)' '$f'"
done
check "one data block in the page" test "$(grep -c 'id="x-data"' out/graph.html)" -eq 1

# The consumers read the names as the case file has them.
write_truth_py
write_check_py
run "$PYTHON" truth.py out
expect_exit 0
run "$PYTHON" check.py out neo4j gc.out
expect_exit 0
expect_stderr_empty
cat "$OUT"
cat >names.py <<'EOF'
import json, sys
names = {v[0] for v in json.load(open("out/truth.json"))["nodes"].values()}
want = ["<img src=x onerror=window.__pwned=1>", "<script>window.__pwned=1</script>",
        "Back\\slash \"Quoted\" 'Single' -- Org", "\\N \\G \\L \\n \\\\ Escapes",
        "]]> <![CDATA[ Media <!-- --> -->", '=HYPERLINK("http://x")',
        "AT&amp;T &#45; &lt;b&gt; {{data}} {{svg}} Co",
        "node [shape=box]; a -- b; } digraph {", "'; DROP TABLE entities; --",
        "\u202eOverride Group"]
missing = [w for w in want if w not in names]
bell = [n for n in names if n.startswith("Bell")]
if missing:
    print("missing: %r" % missing)
if len(bell) != 1 or "\x07" in bell[0]:
    print("the control character survived or Bell Corp is lost: %r" % bell)
sys.exit(1 if missing or len(bell) != 1 or "\x07" in bell[0] else 0)
EOF
run "$PYTHON" names.py
expect_exit 0
expect_stdout_empty

finish
