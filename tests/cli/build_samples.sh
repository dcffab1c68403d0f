#!/bin/sh
# `xref build samples/`: every output is valid for its real consumer, two
# builds are byte-identical, the case file is sound, and the query commands
# work on it.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need dot xmllint sqlite3 "$PYTHON"
"$PYTHON" -c 'import networkx' 2>/dev/null || skip "python3 has no networkx"
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build $WATCHLIST -o out "$SAMPLES"
expect_exit 0
expect_stderr_empty
save summary
for f in xref.db graph.json graph.dot graph.svg; do
	check "out/$f written" test -s "out/$f"
	expect_stdout_contains "out/$f"
done
check "summary starts with the counts" \
	grep -Eq '^[1-9][0-9]* documents, [1-9][0-9]* entities, [0-9]+ links$' summary
check "summary ranks by pagerank" grep -Eq '^rank +name +type +pagerank +degree$' summary
check "summary lists at most 10 entities" \
	test "$(grep -Ec '^ *[0-9]+  ' summary)" -le 10
check "no temporary files left" test -z "$(find out -name '*.tmp.*')"

# Graphviz re-parses the DOT.
run dot -Tcanon out/graph.dot
expect_exit 0
expect_stdout_nonempty

# The SVG is well-formed XML.
run xmllint --noout out/graph.svg
expect_exit 0
expect_stderr_empty

# The case file is a sound SQLite database.
run sqlite3 out/xref.db 'PRAGMA integrity_check'
expect_exit 0
expect_stdout "ok"

# graph.json: strict UTF-8 JSON that networkx loads with the same counts.
cat >check_json.py <<'EOF'
import inspect, json, sys
import networkx as nx

raw = open(sys.argv[1], "rb").read()
data = json.loads(raw.decode("utf-8", errors="strict"))
nodes, links = data["nodes"], data["links"]
assert nodes, "no nodes"
assert data.get("directed") is False and data.get("multigraph") is False
ids = [n["id"] for n in nodes]
assert len(set(ids)) == len(ids), "duplicate node ids"
for l in links:
    assert l["source"] in set(ids) and l["target"] in set(ids), l
    assert l["weight"] >= 1, l
    assert l.get("evidence"), "a link without evidence"
    assert len(l["evidence"]) <= 20, "more than 20 evidence rows"
if "edges" in inspect.signature(nx.node_link_graph).parameters:
    g = nx.node_link_graph(data, edges="links")
else:
    g = nx.node_link_graph(data)
assert g.number_of_nodes() == len(nodes), (g.number_of_nodes(), len(nodes))
assert g.number_of_edges() == len(links), (g.number_of_edges(), len(links))
assert b"<" not in raw, "raw '<' in JSON"
print(len(nodes), len(links))
EOF
run "$PYTHON" check_json.py out/graph.json
expect_exit 0
expect_stderr_empty
check "summary counts match graph.json" \
	grep -q "$(awk '{print $1 " entities, " $2 " links"}' "$OUT")" summary

# Deterministic: a second build elsewhere is byte-identical, --timings
# included; that only adds one line per stage on stderr, in order, with
# times that never go back.
# shellcheck disable=SC2086
run "$XREF" build --timings $WATCHLIST -o out2 "$SAMPLES"
expect_exit 0
for f in graph.dot graph.svg graph.json; do
	test_cmp "out/$f" "out2/$f"
done
sed 's|out2/|out/|' "$OUT" >summary2
test_cmp summary summary2
sed -E 's/ +[0-9]+\.[0-9]{2} s wall +[0-9]+\.[0-9]{2} s CPU$//' "$ERR" >stages
cat >stages.expected <<'EOF'
xref: ingest done
xref: case finished
xref: graph loaded
xref: metrics done (evidence, indexing beside)
xref: layout done (evidence, indexing beside)
xref: evidence loaded
xref: files with positions written (others beside)
xref: whole-graph files written (indexing beside)
xref: maps written
xref: case published
EOF
test_cmp stages.expected stages
check "stage times never go back" awk '
	{ w = $(NF - 4); c = $(NF - 1) }
	w < pw || c < pc { bad = 1 }
	{ pw = w; pc = c }
	END { exit bad }' "$ERR"

# export gives the same bytes as build, to stdout and to a file.
for fmt in dot svg json; do
	run "$XREF" export --case out/xref.db --format "$fmt"
	expect_exit 0
	expect_stderr_empty
	test_cmp "out/graph.$fmt" "$OUT"
	run "$XREF" export --case out/xref.db --format "$fmt" -o "exported.$fmt"
	expect_exit 0
	expect_stdout_empty
	test_cmp "out/graph.$fmt" "exported.$fmt"
done
check "export leaves no temporary files" test -z "$(find . -name '*.tmp.*')"

run "$XREF" export --case out/xref.db --format json --top 5 -o top5.json
expect_exit 0
cat >count_nodes.py <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(len(d["nodes"]))
EOF
run "$PYTHON" count_nodes.py top5.json
expect_stdout "5"

run "$XREF" export --case out/xref.db --format dot --type country -o countries.dot
expect_exit 0
run dot -Tcanon countries.dot
expect_exit 0

# centrality: the spec's command prints a JSON array of 5 objects.
run "$XREF" centrality --case out/xref.db --metric pagerank --top 5 --format json
expect_exit 0
expect_stderr_empty
save top5
cat >check_centrality.py <<'EOF'
import json, sys
rows = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", errors="strict"))
assert isinstance(rows, list) and len(rows) == int(sys.argv[2]), len(rows)
for r in rows:
    assert set(r) >= {"id", "name", "type", "pagerank"}, r
    assert len(r["id"]) == 16, r
values = [r["pagerank"] for r in rows]
assert values == sorted(values, reverse=True), values
EOF
run "$PYTHON" check_centrality.py top5 5
expect_exit 0
expect_stderr_empty

# Every metric, every format.
run "$XREF" centrality --case out/xref.db --metric all --format tsv
expect_exit 0
check "tsv header" test "$(head -n 1 "$OUT")" = "$(printf 'rank\tid\tname\ttype\tpagerank\tdegree\tstrength\tbetweenness\tcloseness\tharmonic\teigenvector\tcoreness')"
run "$XREF" centrality --case out/xref.db --metric degree,betweenness --top 3 --format csv
expect_exit 0
expect_stdout_contains "rank,id,name,type,degree,betweenness"
check "csv: header and 3 rows" test "$(wc -l <"$OUT")" -eq 4
run "$XREF" centrality --case out/xref.db --top 3
expect_exit 0
check "table: header and 3 rows" test "$(wc -l <"$OUT")" -eq 4
expect_stdout_contains "pagerank"
run "$XREF" centrality --case out/xref.db --type country --metric degree --format json
expect_exit 0
save countries
cat >check_type.py <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert rows, "no rows"
assert all(r["type"] == sys.argv[2] for r in rows), rows
EOF
run "$PYTHON" check_type.py countries country
expect_exit 0

# The case file: the default path is $XREF_CASE.
XREF_CASE=$SCRATCH/out/xref.db
export XREF_CASE
run "$XREF" centrality --top 5 --format json
expect_exit 0
test_cmp top5 "$OUT"
unset XREF_CASE

# ingest: a second pass over the same inputs changes nothing.
# shellcheck disable=SC2086
run "$XREF" ingest --case inc.db $WATCHLIST "$SAMPLES"
expect_exit 0
expect_stderr_empty
check "first ingest adds everything" \
	grep -Eq '^added [1-9][0-9]*, replaced 0, unchanged 0 documents; case has [0-9]+ documents, [0-9]+ entities, [0-9]+ links$' "$OUT"
save first
# shellcheck disable=SC2086
run "$XREF" ingest --case inc.db $WATCHLIST "$SAMPLES"
expect_exit 0
check "second ingest changes nothing" \
	grep -Eq '^added 0, replaced 0, unchanged [1-9][0-9]* documents;' "$OUT"
check "case size unchanged" \
	test "$(sed 's/.*; //' first)" = "$(sed 's/.*; //' "$OUT")"
check "ingest and build agree on the counts" \
	grep -q "$(sed 's/.*case has //' first)" summary

finish
