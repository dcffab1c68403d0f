#!/bin/sh
# The seed article (a news story about NSO Group and Pegasus): the graph a
# reporter expects from it. This is the acceptance test of recognition.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SEED=$XREF_SOURCE_DIR/../shared/seed/nso-pegasus-article.txt
[ -f "$SEED" ] || skip "no seed article at '$SEED'"
[ -x "$PYTHON" ] || need "$PYTHON"

run "$XREF" build -o seed "$SEED"
expect_exit 0
expect_stdout_contains "1 documents"
check "graph.json written" test -s seed/graph.json

run "$XREF" centrality --case seed/xref.db --metric degree --format json
expect_exit 0
save nodes.json

cat >check_seed.py <<'EOF'
import json, sys, unicodedata

def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().replace("\u2019", "'").split())

graph = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", errors="strict"))
rows = json.loads(open(sys.argv[2], "rb").read().decode("utf-8", errors="strict"))
nodes = {n["id"]: n for n in graph["nodes"]}
adj = {i: set() for i in nodes}
for l in graph["links"]:
    adj[l["source"]].add(l["target"])
    adj[l["target"]].add(l["source"])

problems = []
def problem(msg):
    problems.append(msg)

def names(n):
    return {fold(n.get("label") or n.get("name") or "")} | \
        {fold(a) for a in n.get("aliases") or []}

def find(name, type_=None):
    want = fold(name)
    hits = [i for i, n in nodes.items() if want in names(n)
            and (type_ is None or n["type"] == type_)]
    return hits

def one(name, type_=None):
    hits = find(name, type_)
    if len(hits) != 1:
        found = [(nodes[i]["label"], nodes[i]["type"]) for i in find(name)]
        problem("expected one node %r%s, found %d: %r" %
                (name, " typed " + type_ if type_ else "", len(hits), found))
        return None
    return hits[0]

def linked(a, b, what):
    if a is not None and b is not None and b not in adj[a]:
        problem("no link %s" % what)

# One NSO Group node: "NSO" is the same entity.
nso_like = [i for i, n in nodes.items()
            if any(x == "nso" or x.startswith("nso ") for x in names(n))]
if len(nso_like) != 1:
    problem("expected one NSO node, found %r" % [nodes[i]["label"] for i in nso_like])
nso = one("NSO Group", "company")

for country in ["Azerbaijan", "Bahrain", "Mexico", "Morocco", "Rwanda",
                "Saudi Arabia", "Hungary", "India", "United Arab Emirates"]:
    c = one(country, "country")
    linked(nso, c, "NSO Group - " + country)

ministry = [i for i, n in nodes.items() if n["type"] == "government"
            and any(("defense" in x or "defence" in x) and "minist" in x
                    for x in names(n))]
if len(ministry) != 1:
    problem("expected one government node for the defense ministry, found %r"
            % [(n["label"], n["type"]) for n in nodes.values()
               if any("defen" in x for x in names(n))])
else:
    linked(nso, ministry[0], "NSO Group - defense ministry")

one("Benny Gantz", "person")
fs = one("Forbidden Stories")
amnesty = one("Amnesty International")
linked(fs, amnesty, "Forbidden Stories - Amnesty International")

for target in ["journalists", "activists"]:
    hits = [i for i, n in nodes.items() if n["type"] == "target"
            and any(x.rstrip("s") == target.rstrip("s") for x in names(n))]
    if len(hits) != 1:
        problem("expected one target node for %s, found %r" % (target,
                [(nodes[i]["label"]) for i in hits]))

# The query command sees the same nodes, and no calendar or function word.
assert len(rows) == len(nodes), (len(rows), len(nodes))
for r in rows:
    if fold(r["name"]) in {"tuesday", "wednesday", "sunday", "july", "on", "the",
                           "monday", "thursday", "friday", "saturday", "in", "we"}:
        problem("%r is a node (%s)" % (r["name"], r["type"]))

for p in problems:
    print("seed: " + p)
sys.exit(1 if problems else 0)
EOF
run "$PYTHON" check_seed.py seed/graph.json nodes.json
expect_exit 0
expect_stdout_empty

finish
