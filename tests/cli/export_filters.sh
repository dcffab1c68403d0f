#!/bin/sh
# The shared filters and the colour choice in every format of `xref
# export`: --top and --type keep the same nodes (same ids) everywhere; an
# ego network and a date range are what they say; --color community gives
# every node a community, colours by it and lists it in the legends.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need "$PYTHON"
"$PYTHON" -c 'import networkx' 2>/dev/null || skip "python3 has no networkx"
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build -q $WATCHLIST -o out "$SAMPLES"
expect_exit 0
expect_stderr_empty

# Filters apply to every format; ids are the same everywhere.
for fmt in json cytoscape graphology graphml gexf html; do
	run "$XREF" export --case out/xref.db --format "$fmt" --top 12 --type company,organization,country -o "top.$fmt"
	expect_exit 0
done
run "$XREF" export --case out/xref.db --format csv --top 12 --type company,organization,country -o topcsv
expect_exit 0
cat >ids.py <<'EOF'
import csv, json, re, sys
import xml.etree.ElementTree as ET

def nodelink(p):
    d = json.load(open(p, encoding="utf-8"))
    return {n["id"]: n["type"] for n in d["nodes"]}, len(d["links"])

sets = {}
sets["json"] = nodelink("top.json")
d = json.load(open("top.cytoscape", encoding="utf-8"))
sets["cytoscape"] = ({n["data"]["id"]: n["data"]["type"] for n in d["elements"]["nodes"]},
                     len(d["elements"]["edges"]))
d = json.load(open("top.graphology", encoding="utf-8"))
sets["graphology"] = ({n["key"]: n["attributes"]["entity_type"] for n in d["nodes"]},
                      len(d["edges"]))
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
r = ET.parse("top.graphml").getroot()
sets["graphml"] = ({n.get("id"): n.find("g:data[@key='n_type']", ns).text
                    for n in r.iter("{%s}node" % ns["g"])},
                   len(list(r.iter("{%s}edge" % ns["g"]))))
ns = {"x": "http://gexf.net/1.3"}
r = ET.parse("top.gexf").getroot()
sets["gexf"] = ({n.get("id"): n.find("x:attvalues/x:attvalue[@for='type']", ns).get("value")
                 for n in r.iter("{%s}node" % ns["x"])},
                len(list(r.iter("{%s}edge" % ns["x"]))))
with open("topcsv/nodes.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))[1:]
with open("topcsv/edges.csv", encoding="utf-8", newline="") as f:
    n_edges = len(list(csv.reader(f))) - 1
sets["csv"] = ({r[0]: r[2] for r in rows}, n_edges)
html = open("top.html", encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="x-data">(.*?)</script>', html, re.S)
d = json.loads(m.group(1))
sets["html"] = ({n["id"]: n["type"] for n in d["nodes"]}, len(d["links"]))
svg_ids = set(re.findall(r'<g id="n([0-9a-f]{16})" class="node', html))

problems = []
want, n_edges = sets["json"]
if len(want) != 12 or set(want.values()) - {"company", "organization", "country"}:
    problems.append("json: %d nodes of types %r" % (len(want), sorted(set(want.values()))))
if not all(re.fullmatch(r"[0-9a-f]{16}", i) for i in want):
    problems.append("ids are not 16 lowercase hex digits")
for fmt, (ids, ne) in sets.items():
    if ids != want or ne != n_edges:
        problems.append("%s: %d nodes, %d edges differ from json's %d, %d"
                        % (fmt, len(ids), ne, len(want), n_edges))
if svg_ids != set(want):
    problems.append("html: the map's node ids differ from its data")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
run "$PYTHON" ids.py
expect_exit 0
expect_stdout_empty

# Colour by community: every node gets one (found when the case has none),
# written as an attribute, and the maps' legends list them.
run "$XREF" export --case out/xref.db --format svg --color community -o comm.svg
expect_exit 0
check "the svg legend lists communities" grep -q 'community (colour)' comm.svg
check "by type the legend has no communities" sh -c '! grep -q "community (colour)" out/graph.svg'
for fmt in graphml graphology gexf html; do
	run "$XREF" export --case out/xref.db --format "$fmt" --color community -o "comm.$fmt"
	expect_exit 0
	expect_stderr_empty
done
check "graphml declares the community" grep -q 'attr.name="community" attr.type="int"' comm.graphml
check "the page colours by community" grep -q '"color_by":[[:space:]]*"community"' comm.html
cat >comm.py <<'EOF'
import json, sys
by_type = {n["key"]: n["attributes"] for n in
           json.load(open("out/graph.graphology.json", encoding="utf-8"))["nodes"]}
by_comm = {n["key"]: n["attributes"] for n in
           json.load(open("comm.graphology", encoding="utf-8"))["nodes"]}
problems = []
if any("community" in a for a in by_type.values()):
    problems.append("communities where none were asked for")
if set(by_comm) != set(by_type):
    problems.append("other nodes")
if not all(isinstance(a.get("community"), int) and a["community"] >= 0 for a in by_comm.values()):
    problems.append("a node without a community")
colours = {}
for k, a in by_comm.items():
    colours.setdefault(a["community"], set()).add(a["color"])
if any(len(c) != 1 for c in colours.values()):
    problems.append("a community with several colours")
if len({a["color"] for a in by_comm.values()}) < 3:
    problems.append("too few colours")
if any(by_comm[k]["x"] != by_type[k]["x"] for k in by_comm):
    problems.append("the layout changed with the colours")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
run "$PYTHON" comm.py
expect_exit 0
expect_stdout_empty
run "$XREF" export --case out/xref.db --format svg --color rainbow
expect_exit 2
expect_stderr_contains "unknown --color 'rainbow' (type, community)"

# The shared filters: an ego network, a date range.
run "$XREF" export --case out/xref.db --format graphml --ego "NSO Group" --depth 1 -o ego.graphml
expect_exit 0
run "$XREF" export --case out/xref.db --format json --ego "NSO Group" --depth 1 -o ego.json
expect_exit 0
run "$XREF" export --case out/xref.db --format json --until 2019 -o until.json
expect_exit 0
cat >filters.py <<'EOF'
import json, sys
import networkx as nx
full = json.load(open("out/graph.json", encoding="utf-8"))
ego = json.load(open("ego.json", encoding="utf-8"))
nso = [n["id"] for n in full["nodes"] if n["label"] == "NSO Group"][0]
near = {nso} | {l["source"] for l in full["links"] if l["target"] == nso} \
    | {l["target"] for l in full["links"] if l["source"] == nso}
problems = []
if {n["id"] for n in ego["nodes"]} != near:
    problems.append("ego: %d nodes, NSO Group and its neighbours are %d"
                    % (len(ego["nodes"]), len(near)))
g = nx.read_graphml("ego.graphml")
if set(g.nodes) != near:
    problems.append("ego graphml: other nodes")
until = json.load(open("until.json", encoding="utf-8"))
late = [l for l in until["links"] if (l["last_seen"] or "") > "2019-12-31"]
if late or not until["links"] or len(until["links"]) >= len(full["links"]):
    problems.append("until 2019: %d links, %d seen later" % (len(until["links"]), len(late)))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
run "$PYTHON" filters.py
expect_exit 0
expect_stdout_empty

finish
