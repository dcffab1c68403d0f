#!/bin/sh
# The shared filters (--type, --min-mentions, --min-documents,
# --stop-entities, --since/--until, --ego/--depth) and tie strengths
# (--weight npmi|jaccard, --min-weight, --backbone) on the sample case,
# each checked against the same rule recomputed in Python from the case
# file or graph.json; approximate betweenness (--sample, --cutoff); and the
# usage errors of these options.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"
# networkx's Louvain iterates over sets: fix the hash seed so that it
# gives the same partition on every run.
PYTHONHASHSEED=0
export PYTHONHASHSEED

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need sqlite3
"$PYTHON" -c 'import networkx, scipy' 2>/dev/null ||
	skip "python3 has no networkx or scipy"
CHECK=$XREF_SOURCE_DIR/tests/cli/analysis_check.py
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build -q $WATCHLIST -o out "$SAMPLES"
expect_exit 0
CASE=out/xref.db
run "$XREF" export --case $CASE --format json -o graph.json
expect_exit 0

# rows FILE: the ids of a centrality JSON output, sorted.
rows() {
	"$PYTHON" -c 'import json,sys
print("\n".join(sorted(r["id"] for r in json.load(open(sys.argv[1])))))' "$1"
}

# --- entity filters ------------------------------------------------------

run "$XREF" centrality --case $CASE --metric degree --min-mentions 3 \
	--min-documents 2 --format json
expect_exit 0
save mm.json
sqlite3 $CASE 'SELECT uid FROM entities WHERE mentions >= 3 AND documents >= 2
	ORDER BY uid' >want
rows mm.json >got
test_cmp want got

# --type cuts the graph in communities (metrics see only those types) but
# only the rows in centrality.
run "$XREF" centrality --case $CASE --metric degree --type person --format json
expect_exit 0
save typed_rows.json
run "$XREF" communities --case $CASE --type person --no-save --format json
expect_exit 0
check "communities --type keeps only persons" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if all(m["type"] == "person" for c in d["communities"]
                  for m in c["members"]) else 1)' "$OUT"
check "centrality --type: degree counts every neighbour" "$PYTHON" -c '
import json, sys
import networkx as nx
d = json.load(open(sys.argv[1]))
g = nx.Graph()
g.add_nodes_from(n["id"] for n in d["nodes"])
g.add_edges_from((l["source"], l["target"]) for l in d["links"])
rows = json.load(open(sys.argv[2]))
assert rows and all(r["type"] == "person" for r in rows)
sys.exit(0 if all(r["degree"] == g.degree(r["id"]) for r in rows) else 1)' \
	graph.json typed_rows.json

# A stop list drops the entities it names, by name, alias or id; comments
# and unknown names are ignored.
nso=$(sqlite3 $CASE "SELECT uid FROM entities WHERE name = 'NSO Group'")
amnesty=$(sqlite3 $CASE "SELECT uid FROM entities WHERE name = 'Amnesty International'")
citizen=$(sqlite3 $CASE "SELECT uid FROM entities WHERE name = 'Citizen Lab'")
check "the sample case has the entities this test names" \
	test -n "$nso" -a -n "$amnesty" -a -n "$citizen"
printf '# outlets and the vendor\n\n  nso group  \n%s\nNo Such Entity\n%s\n' \
	"$amnesty" "$(echo "$citizen" | tr a-f A-F)" >stop.txt
run "$XREF" centrality --case $CASE --metric degree --stop-entities stop.txt \
	--format json
expect_exit 0
save stopped.json
rows stopped.json >got
sqlite3 $CASE "SELECT uid FROM entities WHERE uid NOT IN
	('$nso', '$amnesty', '$citizen') ORDER BY uid" >want
test_cmp want got

run "$XREF" centrality --case $CASE --stop-entities missing.txt
expect_exit 1
expect_stderr "xref: cannot read 'missing.txt': No such file or directory"

# --since/--until: counts and ties from the documents dated in the range
# alone (a partial date is its whole year or month); undated documents are
# left out.
run "$XREF" centrality --case $CASE --metric degree,strength --since 2021 \
	--until 2021-07 --format json
expect_exit 0
save dated.json
check "--since/--until: the ties of July 2021" "$PYTHON" -c '
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = lambda d: d is not None and d[:7] >= "2021-01"[:len(d[:7])] and d[:7] <= "2021-07"
deg, st, ents = {}, {}, set()
uid = dict(db.execute("SELECT id, uid FROM entities"))
for (e, d) in db.execute("SELECT m.entity_id, d.date FROM mentions m JOIN documents d ON d.id = m.document_id"):
    if ok(d):
        ents.add(uid[e])
pairs = {}
for (a, b, d) in db.execute("SELECT e.source, e.target, d.date FROM evidence e JOIN documents d ON d.id = e.document_id"):
    if ok(d):
        pairs[(a, b)] = pairs.get((a, b), 0) + 1
for (a, b), w in pairs.items():
    for v in (uid[a], uid[b]):
        deg[v] = deg.get(v, 0) + 1
        st[v] = st.get(v, 0) + w
rows = json.load(open(sys.argv[2]))
got = {r["id"]: (r["degree"], r["strength"]) for r in rows}
want = {v: (deg.get(v, 0), st.get(v, 0)) for v in ents}
assert len(want) > 10 and len(want) < len(uid), len(want)
sys.exit(0 if got == want else 1)' $CASE dated.json
undated=$(sqlite3 $CASE 'SELECT count(*) FROM documents WHERE date IS NULL')
run "$XREF" centrality --case $CASE --metric degree --since 1900 --format json
expect_exit 0
save since1900.json
run "$XREF" centrality --case $CASE --metric degree --format json
expect_exit 0
if [ "$undated" -gt 0 ]; then
	check "a bound leaves undated documents out" \
		sh -c '! cmp -s "$1" "$2"' sh since1900.json "$OUT"
fi

# --ego: the entity and its neighbours within --depth hops.
run "$XREF" centrality --case $CASE --metric degree --ego "nso group" \
	--format json
expect_exit 0
save ego1.json
run "$XREF" centrality --case $CASE --metric degree --ego "$nso" --depth 2 \
	--format json
expect_exit 0
save ego2.json
check "--ego --depth: the neighbourhoods networkx finds" "$PYTHON" -c '
import json, sys
import networkx as nx
d = json.load(open(sys.argv[1]))
g = nx.Graph()
g.add_nodes_from(n["id"] for n in d["nodes"])
g.add_edges_from((l["source"], l["target"]) for l in d["links"])
ego = sys.argv[2]
for depth, path in ((1, sys.argv[3]), (2, sys.argv[4])):
    want = set(nx.single_source_shortest_path_length(g, ego, cutoff=depth))
    rows = json.load(open(path))
    if set(r["id"] for r in rows) != want:
        sys.exit(1)
    sub = g.subgraph(want)
    if any(r["degree"] != sub.degree(r["id"]) for r in rows):
        sys.exit(1)
' graph.json "$nso" ego1.json ego2.json
run "$XREF" centrality --case $CASE --ego "No Such Entity"
expect_exit 1
expect_stderr "xref: no entity named 'No Such Entity'"
run "$XREF" centrality --case $CASE --ego "NSO Group" --depth 0 --format json
expect_exit 0
check "--depth 0: the ego alone" test "$(rows "$OUT" | wc -l)" -eq 1

# --- tie strength ----------------------------------------------------------

for mode in npmi jaccard; do
	run "$XREF" centrality --case $CASE --metric strength,degree \
		--weight $mode --format json
	expect_exit 0
	save $mode.json
	run "$PYTHON" "$CHECK" weights graph.json $CASE $mode $mode.json
	expect_exit 0
	cat "$OUT"
done
# the measure changes the ranking
run "$XREF" centrality --case $CASE --metric pagerank --weight npmi --top 5
expect_exit 0
save npmi_top
run "$XREF" centrality --case $CASE --metric pagerank --top 5
expect_exit 0
check "npmi reranks" sh -c '! cmp -s "$1" "$2"' sh npmi_top "$OUT"

run "$XREF" centrality --case $CASE --metric degree --backbone 0.05 --format json
expect_exit 0
save backbone.json
run "$PYTHON" "$CHECK" backbone graph.json 0.05 backbone.json
expect_exit 0
cat "$OUT"

run "$XREF" centrality --case $CASE --metric degree --min-weight 2 --format json
expect_exit 0
save minw.json
check "--min-weight 2: ties seen in 2 windows or more" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
deg = {n["id"]: 0 for n in d["nodes"]}
for l in d["links"]:
    if l["weight"] >= 2:
        deg[l["source"]] += 1
        deg[l["target"]] += 1
rows = {r["id"]: r["degree"] for r in json.load(open(sys.argv[2]))}
sys.exit(0 if rows == deg else 1)' graph.json minw.json

# --- approximate betweenness ----------------------------------------------

n=$(sqlite3 $CASE 'SELECT count(*) FROM entities')
run "$XREF" centrality --case $CASE --metric betweenness --format json
expect_exit 0
save exact.json
run "$XREF" centrality --case $CASE --metric betweenness --sample "$n" --format json
expect_exit 0
check "--sample N >= entities is exact" "$PYTHON" -c '
import json, sys
a = {r["id"]: r["betweenness"] for r in json.load(open(sys.argv[1]))}
b = {r["id"]: r["betweenness"] for r in json.load(open(sys.argv[2]))}
sys.exit(0 if all(abs(a[k] - b[k]) <= 1e-6 * abs(a[k]) + 1e-9 for k in a) else 1)' \
	exact.json "$OUT"
run "$XREF" centrality --case $CASE --metric betweenness --sample 60 --seed 3 --format json
expect_exit 0
save sample1.json
run "$XREF" centrality --case $CASE --metric betweenness --sample 60 --seed 3 --format json
expect_exit 0
test_cmp sample1.json "$OUT"
check "--sample 60: the top entities within 50%" "$PYTHON" -c '
import json, sys
a = {r["id"]: r["betweenness"] for r in json.load(open(sys.argv[1]))}
b = {r["id"]: r["betweenness"] for r in json.load(open(sys.argv[2]))}
top = sorted(a, key=a.get, reverse=True)[:5]
sys.exit(0 if all(abs(b[k] - a[k]) <= 0.5 * a[k] for k in top) else 1)' \
	exact.json sample1.json
run "$XREF" centrality --case $CASE --metric betweenness --cutoff 1 --format json
expect_exit 0
check "--cutoff 1: no path has an inner entity" "$PYTHON" -c '
import json, sys
sys.exit(0 if all(r["betweenness"] == 0 for r in json.load(open(sys.argv[1]))) else 1)' "$OUT"

# --- usage -----------------------------------------------------------------

run "$XREF" centrality --help
expect_exit 0
expect_stdout_contains "c / sqrt(N)"
expect_stdout_contains "lengths"
expect_stdout_contains "--backbone"
expect_stdout_contains "undated"
run "$XREF" help communities
expect_exit 0
expect_stdout_contains "Leiden"
expect_stdout_contains "--resolution"

for args in "--weight pmi" "--backbone 1.5" "--backbone 0" "--depth 2" \
	"--since 2021-13" "--since 2022 --until 2021" "--min-weight -1" \
	"--min-mentions x" "--cutoff 0" "--sample 0" "--cutoff 2 --sample 5" \
	"--type robot" "--metric katz"; do
	# shellcheck disable=SC2086 # split on purpose
	run "$XREF" centrality --case nope.db $args
	expect_exit 2
	expect_stderr_contains "usage: xref centrality"
done
run "$XREF" communities --case nope.db --resolution 0
expect_exit 2
expect_stderr_contains "usage: xref communities"
run "$XREF" communities --case nope.db
expect_exit 1
expect_stderr_contains "nope.db"
check "no case file was created" test ! -e nope.db

finish
