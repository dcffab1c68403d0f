#!/bin/sh
# The investigation queries on the sample story: `xref evidence`, `path`,
# `neighbors` and `entities` answer from the case, every sentence they
# print is really in its document and names both entities, and every
# format is valid for its consumer.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need sqlite3 "$PYTHON"
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" ingest -q $WATCHLIST --case case.db "$SAMPLES"
expect_exit 0
XREF_CASE=$SCRATCH/case.db
export XREF_CASE

# check_hits.py CASE JSON [A_UID B_UID]: evidence JSON checked against the
# case: each text is its document's bytes [start, end), each mention span
# is a surface form of its entity in that document, both entities appear
# in every hit, newest first.
cat >check_hits.py <<'EOF'
import json, sqlite3, sys

db = sqlite3.connect(sys.argv[1])
rows = json.loads(open(sys.argv[2], "rb").read().decode("utf-8"))
want = set(sys.argv[3:])
assert rows, "no rows"
prev = None
for r in rows:
    doc = db.execute("SELECT text, title, date, url FROM documents WHERE doc_id = ?",
                     (r["doc_id"],)).fetchone()
    assert doc, r["doc_id"]
    body = doc[0].encode("utf-8")
    assert body[r["start"]:r["end"]].decode("utf-8") == r["text"], r
    assert (doc[1], doc[2], doc[3]) == (r["title"], r["date"], r["url"]), r
    text = r["text"].encode("utf-8")
    seen = set()
    for m in r["mentions"]:
        surface = text[m["start"]:m["end"]].decode("utf-8")
        n = db.execute(
            "SELECT count(*) FROM mention_text WHERE doc_id = ? AND uid = ? "
            "AND surface = ? AND start = ?",
            (r["doc_id"], m["id"], surface, r["start"] + m["start"])).fetchone()[0]
        assert n == 1, (r["doc_id"], m, surface)
        seen.add(m["id"])
    assert seen == want, (seen, want)
    key = (r["date"] is None, r["date"] or "")
    if prev is not None:
        assert prev[0] < key[0] or (prev[0] == key[0] and prev[1] >= key[1]), \
            "not newest first"
    prev = key
print(len(rows))
EOF

uid() {
	sqlite3 case.db "SELECT uid FROM entities WHERE name = '$1'"
}
NSO=$(uid "NSO Group")
MEXICO=$(uid Mexico)
JOURNALISTS=$(uid journalists)
check "the samples name NSO Group, Mexico and journalists" \
	test -n "$NSO" -a -n "$MEXICO" -a -n "$JOURNALISTS"

# --- evidence ----------------------------------------------------------------

run "$XREF" evidence "NSO Group" Mexico
expect_exit 0
expect_stderr_empty
save evidence.table
expect_stdout_contains "[[Mexico]]"
expect_stdout_contains "[[NSO Group]]"
# every sample sentence naming both, with its title and date
n_ev=$(sqlite3 case.db "SELECT count(*) FROM evidence WHERE
	(source, target) IN (SELECT min(a.id, b.id), max(a.id, b.id)
	FROM entities a, entities b
	WHERE a.uid = '$NSO' AND b.uid = '$MEXICO')")
check "evidence lists all $n_ev sentences" \
	test "$(($(wc -l <evidence.table) - 1))" -eq "$n_ev"
check "there is evidence to list" test "$n_ev" -ge 3
check "the table has titles" grep -q "Mexican journalists and campaigners targeted" evidence.table
check "the table has dates" grep -q "^2017-06-20 " evidence.table
check "every row marks at least two names" \
	test "$(grep -c '\[\[.*\]\].*\[\[.*\]\]' evidence.table)" -eq "$n_ev"

run "$XREF" evidence "nso group" "MEXICO" --format json
expect_exit 0
save evidence.json
run "$PYTHON" check_hits.py case.db evidence.json "$NSO" "$MEXICO"
expect_exit 0
expect_stdout "$n_ev"

# the same sentences in TSV and CSV, in the same order
run "$XREF" evidence "NSO Group" Mexico --format tsv
expect_exit 0
save evidence.tsv
check "tsv header" test "$(head -n 1 evidence.tsv)" = "$(printf 'date\tdoc_id\ttitle\turl\tstart\tend\tsentence')"
run "$XREF" evidence "NSO Group" Mexico --format csv
expect_exit 0
save evidence.csv
cat >same.py <<'EOF'
import csv, json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
t = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""), delimiter="\t"))
c = list(csv.DictReader(open(sys.argv[3], encoding="utf-8", newline="")))
assert len(j) == len(t) == len(c)
for a, b, d in zip(j, t, c):
    for k in ("doc_id", "start", "end"):
        assert str(a[k]) == b[k] == d[k], k
    assert b["sentence"] == d["sentence"]
    assert b["sentence"].replace("[[", "").replace("]]", "") == a["text"].replace("\n", " ")
print("same")
EOF
run "$PYTHON" same.py evidence.json evidence.tsv evidence.csv
expect_exit 0
expect_stdout same

# --limit and the date range
run "$XREF" evidence "NSO Group" Mexico --limit 2 --format tsv
expect_exit 0
check "--limit 2" test "$(wc -l <"$OUT")" -eq 3
check "--limit keeps the newest" \
	test "$(sed -n 2p "$OUT")" = "$(sed -n 2p evidence.tsv)"
run "$XREF" evidence "NSO Group" Mexico --since 2021-07-19 --until 2021-07 --format tsv
expect_exit 0
check "dates within July 19-31, 2021" \
	test -z "$(tail -n +2 "$OUT" | cut -f1 | grep -v '^2021-07-\(19\|2[0-9]\|3[01]\)$')"
check "some rows in July 2021" test "$(wc -l <"$OUT")" -ge 2
run "$XREF" evidence "NSO Group" Mexico --until 2010
expect_exit 0
expect_stdout "no sentence names both 'NSO Group' and 'Mexico' (documents dated up to 2010)"
run "$XREF" evidence "NSO Group" Mexico --until 2010 --format json
expect_exit 0
expect_stdout "[]"

# one entity, named by an alias: the sentences that mention it
ALIAS=$(sqlite3 case.db "SELECT alias FROM entity_aliases
	WHERE uid = '$MEXICO' AND alias != name ORDER BY mentions DESC, alias LIMIT 1")
[ -n "$ALIAS" ] || ALIAS=mexico
run "$XREF" evidence "$ALIAS" --format json
expect_exit 0
save mexico.json
run "$PYTHON" check_hits.py case.db mexico.json "$MEXICO"
expect_exit 0
check "one row per sentence mentioning Mexico" test "$(cat "$OUT")" -eq \
	"$(sqlite3 case.db "SELECT count(DISTINCT doc_id || ':' || sentence) FROM mention_text WHERE uid = '$MEXICO'")"

# --- path ----------------------------------------------------------------------

run "$XREF" path "NSO Group" journalists
expect_exit 0
expect_stderr_empty
save path.table
check "path table header" grep -q '^path  hop  source  *target  *weight  date  *doc_id  *sentence$' path.table
expect_stdout_contains "[[journalists]]"

# path_check.py CASE JSON: every hop's evidence is a sentence of its
# document naming both ends by surface forms of theirs; the path starts and
# ends where asked, hops chain, and paths come fewest hops first, then
# heaviest.
cat >path_check.py <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
paths = json.load(open(sys.argv[2], encoding="utf-8"))
first, last = sys.argv[3], sys.argv[4]
assert paths, "no path"
prev = None
for p in paths:
    ids = [n["id"] for n in p["nodes"]]
    assert ids[0] == first and ids[-1] == last, ids
    assert len(set(ids)) == len(ids), "a loop"
    assert p["hops"] == len(ids) - 1 == len(p["links"])
    assert p["weight"] == sum(l["weight"] for l in p["links"])
    for i, l in enumerate(p["links"]):
        assert (l["source"], l["target"]) == (ids[i], ids[i + 1])
        w = db.execute("""SELECT weight FROM edges g
            JOIN entities s ON s.id = g.source JOIN entities t ON t.id = g.target
            WHERE (s.uid, t.uid) IN ((?, ?), (?, ?))""",
            (ids[i], ids[i + 1], ids[i + 1], ids[i])).fetchone()
        assert w and w[0] == l["weight"], (l, w)
        ev = l["evidence"]
        body = db.execute("SELECT text FROM documents WHERE doc_id = ?",
                          (ev["doc_id"],)).fetchone()[0].encode("utf-8")
        assert body[ev["start"]:ev["end"]].decode("utf-8") == ev["text"]
        text = ev["text"].encode("utf-8")
        named = set()
        for m in ev["mentions"]:
            s = text[m["start"]:m["end"]].decode("utf-8")
            assert db.execute("""SELECT count(*) FROM mention_text
                WHERE doc_id = ? AND uid = ? AND surface = ?""",
                (ev["doc_id"], m["id"], s)).fetchone()[0] > 0, (m, s)
            named.add(m["id"])
        assert named == {ids[i], ids[i + 1]}, (named, ids[i:i + 2])
    key = (p["hops"], -p["weight"])
    assert prev is None or prev <= key, "paths out of order"
    prev = key
print(len(paths), " ".join(str(p["hops"]) for p in paths))
EOF
run "$XREF" path "NSO Group" journalists --format json
expect_exit 0
save path.json
run "$PYTHON" path_check.py case.db path.json "$NSO" "$JOURNALISTS"
expect_exit 0
expect_stdout_contains "1 "

# a longer way round: each hop with a real sentence
run "$XREF" path Mexico "Benny Gantz" --k 4 --format json
expect_exit 0
save path4.json
GANTZ=$(uid "Benny Gantz")
run "$PYTHON" path_check.py case.db path4.json "$MEXICO" "$GANTZ"
expect_exit 0
expect_stdout_contains "4 2"
run "$XREF" path Mexico "Benny Gantz" --k 4 --format tsv
expect_exit 0
check "tsv: one row per hop" test "$(($(wc -l <"$OUT") - 1))" -eq \
	"$("$PYTHON" -c 'import json,sys; print(sum(p["hops"] for p in json.load(open(sys.argv[1]))))' path4.json)"
check "tsv: every sentence marks both ends" \
	test -z "$(tail -n +2 "$OUT" | awk -F'\t' '{ if (gsub(/\[\[/, "[[", $15) < 2) print }')"

# not connected is an answer: an entity with no tie at all
LONE=$(sqlite3 case.db "SELECT name FROM entities e WHERE NOT EXISTS
	(SELECT 1 FROM edges g WHERE e.id IN (g.source, g.target))
	ORDER BY uid LIMIT 1")
if [ -n "$LONE" ]; then
	run "$XREF" path "NSO Group" "$(sqlite3 case.db "SELECT uid FROM entities WHERE name = '$LONE' ORDER BY uid LIMIT 1")"
	expect_exit 0
	expect_stdout "'NSO Group' and '$LONE' are not connected"
	run "$XREF" path "NSO Group" "$(sqlite3 case.db "SELECT uid FROM entities WHERE name = '$LONE' ORDER BY uid LIMIT 1")" --format json
	expect_exit 0
	expect_stdout "[]"
fi
run "$XREF" path "NSO Group" journalists --until 2010 --format csv
expect_exit 0
expect_stdout "path,hop,source_id,source,target_id,target,weight,documents,date,doc_id,title,url,start,end,sentence"

# --- neighbors -----------------------------------------------------------------

run "$XREF" neighbors "NSO Group" --format tsv
expect_exit 0
save nb1.tsv
tail -n +2 nb1.tsv | cut -f2,7 | sort >nb1.got
sqlite3 -separator "$(printf '\t')" case.db "
	SELECT t.uid, g.weight FROM edges g
	JOIN entities s ON s.id = g.source JOIN entities t ON t.id = g.target
	WHERE s.uid = '$NSO'
	UNION ALL
	SELECT s.uid, g.weight FROM edges g
	JOIN entities s ON s.id = g.source JOIN entities t ON t.id = g.target
	WHERE t.uid = '$NSO'" | sort >nb1.want
test_cmp nb1.want nb1.got
check "depth 1, via NSO Group" test -z "$(tail -n +2 nb1.tsv | awk -F'\t' '$1 != 1 || $6 != "NSO Group"')"
check "strongest first" test "$(tail -n +2 nb1.tsv | cut -f7 | sort -rn | tr '\n' ' ')" = \
	"$(tail -n +2 nb1.tsv | cut -f7 | tr '\n' ' ')"

run "$XREF" neighbors "Benny Gantz" --depth 2 --format json
expect_exit 0
save nb2.json
cat >nb_check.py <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ego = sys.argv[3]
rows = json.load(open(sys.argv[2], encoding="utf-8"))
adj = {}
for s, t, w in db.execute("""SELECT s.uid, t.uid, g.weight FROM edges g
        JOIN entities s ON s.id = g.source JOIN entities t ON t.id = g.target"""):
    adj.setdefault(s, {})[t] = w
    adj.setdefault(t, {})[s] = w
depth = {ego: 0}
frontier = [ego]
for d in (1, 2):
    nxt = []
    for v in frontier:
        for u in adj.get(v, {}):
            if u not in depth:
                depth[u] = d
                nxt.append(u)
    frontier = nxt
got = {r["id"]: r for r in rows}
assert set(got) == set(depth) - {ego}, "wrong set of neighbours"
for r in rows:
    assert r["depth"] == depth[r["id"]], r
    assert depth[r["via_id"]] == r["depth"] - 1, r
    assert adj[r["id"]][r["via_id"]] == r["weight"], r
    best = max(w for u, w in adj[r["id"]].items() if depth.get(u) == r["depth"] - 1)
    assert r["weight"] == best, r
keys = [(r["depth"], -r["weight"]) for r in rows]
assert keys == sorted(keys), "order"
print(len(rows))
EOF
run "$PYTHON" nb_check.py case.db nb2.json "$GANTZ"
expect_exit 0
expect_stdout_nonempty
run "$XREF" neighbors "Benny Gantz" --depth 2 --type country --top 3 --format tsv
expect_exit 0
check "--type and --top filter rows" test "$(tail -n +2 "$OUT" | cut -f4 | sort -u)" = country
check "at most 3 rows" test "$(wc -l <"$OUT")" -le 4

# --- entities ------------------------------------------------------------------

run "$XREF" entities --format json
expect_exit 0
save entities.json
cat >ent_check.py <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(rows) == db.execute("SELECT count(*) FROM entities").fetchone()[0]
for r in rows:
    e = db.execute("""SELECT name, type, mentions, documents, first_seen, last_seen
        FROM entities WHERE uid = ?""", (r["id"],)).fetchone()
    assert e == (r["name"], r["type"], r["mentions"], r["documents"],
                 r["first_seen"], r["last_seen"]), (e, r)
    al = db.execute("""SELECT alias, rule, mentions FROM entity_aliases
        WHERE uid = ? AND alias != name ORDER BY mentions DESC, alias""",
        (r["id"],)).fetchall()
    assert [(a["alias"], a["rule"], a["mentions"]) for a in r["aliases"]] == al, r
keys = [-r["mentions"] for r in rows]
assert keys == sorted(keys), "order"
print(sum(len(r["aliases"]) for r in rows))
EOF
run "$PYTHON" ent_check.py case.db entities.json
expect_exit 0
expect_stdout_nonempty
run "$XREF" entities --top 1 --format csv
expect_exit 0
check "entities csv: header and one row" test "$(wc -l <"$OUT")" -eq 2
expect_stdout_contains "id,name,type,mentions,documents,first_seen,last_seen,aliases"
expect_stdout_contains "$NSO,NSO Group,company"
run "$XREF" entities --type country --since 2024
expect_exit 0
expect_stdout_contains "Poland"
expect_stdout_lacks "Morocco"
run "$XREF" entities --type media --until 1990
expect_exit 0
expect_stdout "no entities (documents dated up to 1990)"

finish
