#!/bin/sh
# Hostile entity names (spreadsheet formulas, markup, DOT syntax, quotes,
# backslashes, control characters) cannot break any output: tables in every
# format, DOT, SVG and JSON stay valid and say what the name was.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

need dot xmllint "$PYTHON"

# Canonical names come from the watchlist, found through tame aliases.
printf '%s\t%s\t%s\n' \
	'=HYPERLINK("http://x")' company 'Hyperlink Group' \
	'@Risky Media' media 'Risky Media' \
	'<script>alert(1)</script>' organization 'Script Watch' \
	'Back\slash "Quoted" -- Org; node [shape=box]' company 'Quoted Org' \
	'+Plus Tab' person 'Plus Tab' \
	'-Minus Bank' company 'Minus Bank' >watchlist.tsv
printf 'Bell\007 Corp\tcompany\tBell Corp\n' >>watchlist.tsv
cat >story.txt <<'EOF'
Title: Hostile <b>names</b> & more

Hyperlink Group paid Risky Media to attack Script Watch, Quoted Org, Bell Corp, Minus Bank and Plus Tab in Mexico.
EOF

run "$XREF" build -o out -w watchlist.tsv story.txt
expect_exit 0
expect_stderr_empty

run dot -Tcanon out/graph.dot
expect_exit 0
expect_stdout_contains 'label="<script>alert(1)</script>"'
expect_stdout_contains 'label="Back\\slash \"Quoted\" -- Org; node [shape=box]"'
run xmllint --noout out/graph.svg
expect_exit 0
check "no live markup in the SVG" sh -c '! grep -q "<script" out/graph.svg'
check "no live markup in the JSON" sh -c '! grep -q "<" out/graph.json'

for fmt in table tsv csv json; do
	run "$XREF" centrality --case out/xref.db --metric pagerank,degree --format "$fmt"
	expect_exit 0
	expect_stderr_empty
	save "rows.$fmt"
done

cat >check_rows.py <<'EOF'
import csv, io, json, sys

def load(name):
    return open(name, "rb").read().decode("utf-8", errors="strict")

want = {'=HYPERLINK("http://x")', "@Risky Media", "<script>alert(1)</script>",
        'Back\\slash "Quoted" -- Org; node [shape=box]', "+Plus Tab",
        "-Minus Bank"}
problems = []

text = load("rows.json")
if "<" in text:
    problems.append("json: raw '<'")
rows = json.loads(text)
names = {r["name"] for r in rows}
if not want <= names:
    problems.append("json: missing %r" % sorted(want - names))
if any("\x07" in n for n in names) or "Bell Corp" not in {n.replace("  ", " ") for n in names}:
    problems.append("json: control character kept or Bell Corp lost: %r" % sorted(names))

table = list(csv.reader(io.StringIO(load("rows.csv"), newline="")))
header, body = table[0], table[1:]
if header[:4] != ["rank", "id", "name", "type"]:
    problems.append("csv: header %r" % header)
if len(body) != len(rows) or any(len(r) != len(header) for r in body):
    problems.append("csv: ragged rows")
for r in body:
    if r[2][:1] in ("=", "+", "-", "@"):
        problems.append("csv: formula cell %r" % r[2])
csv_names = {r[2][1:] if r[2].startswith("'") and r[2][1:2] in "=+-@" else r[2]
             for r in body}
if csv_names != names:
    problems.append("csv: names differ from json: %r" % sorted(csv_names ^ names))
if "'=HYPERLINK(\"http://x\")" not in {r[2] for r in body}:
    problems.append("csv: no apostrophe before '='")

lines = load("rows.tsv").split("\n")
if lines[-1] != "":
    problems.append("tsv: no final newline")
fields = [l.split("\t") for l in lines[:-1]]
if len(fields) != len(rows) + 1 or any(len(f) != len(fields[0]) for f in fields):
    problems.append("tsv: ragged rows")
if {f[2] for f in fields[1:]} != names:
    problems.append("tsv: names differ from json")

tbl = load("rows.table").split("\n")
if len(tbl) != len(rows) + 2 or any(l != l.rstrip() for l in tbl):
    problems.append("table: line count or trailing blanks")
if len({len(l) for l in tbl[:-1] if all(ord(c) < 128 for c in l)}) != 1:
    problems.append("table: columns not aligned")

graph = json.loads(load("out/graph.json"))
labels = {n["label"] for n in graph["nodes"]}
if not want <= labels:
    problems.append("graph.json: missing %r" % sorted(want - labels))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
run "$PYTHON" check_rows.py
expect_exit 0
expect_stdout_empty

# The exports to stdout are the same bytes, also filtered.
run "$XREF" export --case out/xref.db --format svg --type company,media
expect_exit 0
save filtered.svg
run xmllint --noout filtered.svg
expect_exit 0

finish
