#!/bin/sh
# Hostile names and sentences (markup, quotes, backslashes, spreadsheet
# formulas, control characters, U+2028) cannot break the query commands'
# output: JSON stays strict and safe to embed in HTML, CSV guards formulas,
# and every name comes out as it was written.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

need "$PYTHON"

printf '%s\t%s\t%s\n' \
	'=HYPERLINK("http://x")' company 'Hyperlink Group' \
	'<script>alert(1)</script>' organization 'Script Watch' \
	'Back\slash "Quoted" Org' company 'Quoted Org' >watchlist.tsv
printf 'Bell\007 Corp\tcompany\tBell Corp\n' >>watchlist.tsv
# U+2028 (LINE SEPARATOR) inside a sentence
printf 'Title: Hostile <b>names</b> & "more"\nDate: 2021-07-18\n\nHyperlink Group paid Script Watch to watch Quoted Org. Quoted Org met Bell Corp\342\200\250in Mexico.\n' >story.txt

run "$XREF" ingest -q -w watchlist.tsv --case case.db story.txt
expect_exit 0
XREF_CASE=$SCRATCH/case.db
export XREF_CASE

# run_q FORMAT COMMAND [A [B]]: runs a query and saves its output.
run_q() {
	fmt=$1
	shift
	run "$XREF" "$@" --format "$fmt"
	expect_exit 0
	expect_stderr_empty
	save "$(echo "$*" | tr ' ' '_').$fmt"
}
for fmt in table tsv csv json; do
	run_q "$fmt" entities
	run_q "$fmt" evidence "Hyperlink Group" "Script Watch"
	run_q "$fmt" evidence "Quoted Org"
	run_q "$fmt" path "Hyperlink Group" "Bell Corp"
	run_q "$fmt" neighbors "Quoted Org"
done

cat >check.py <<'EOF'
import csv, glob, json, sqlite3, sys

db = sqlite3.connect("case.db")
names = {r[0] for r in db.execute("SELECT name FROM entities")}
want = {'=HYPERLINK("http://x")', "<script>alert(1)</script>",
        'Back\\slash "Quoted" Org'}
assert want <= names, names
problems = []
for f in sorted(glob.glob("[a-z]*.json")):
    raw = open(f, "rb").read()
    if b"<" in raw:
        problems.append(f + ": raw '<'")
    if "\u2028".encode() in raw:
        problems.append(f + ": raw U+2028")
    rows = json.loads(raw.decode("utf-8", errors="strict"))
    if not rows:
        problems.append(f + ": empty")
    text = json.dumps(rows)
    for n in want:
        if f.startswith(("entities", "path", "neighbors")) and json.dumps(n) not in text:
            if not (f.startswith("path") and "script" in n):
                problems.append(f + ": lost " + n)
    for r in rows:
        hits = [r] if "text" in r else [l["evidence"] for l in r.get("links", [])]
        for h in hits:
            body = db.execute("SELECT text FROM documents WHERE doc_id = ?",
                              (h["doc_id"],)).fetchone()[0].encode()
            if body[h["start"]:h["end"]].decode() != h["text"]:
                problems.append(f + ": text is not the document's")
for f in sorted(glob.glob("*.csv")):
    rows = list(csv.reader(open(f, encoding="utf-8", newline="")))
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@"):
                problems.append(f + ": formula cell " + cell)
    if f.startswith("entities") and not any("'=HYPERLINK" in c for r in rows for c in r):
        problems.append(f + ": guarded name missing")
for f in sorted(glob.glob("[!w]*.tsv") + glob.glob("*.table")):
    raw = open(f, "rb").read().decode("utf-8", errors="strict")
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in raw):
        problems.append(f + ": control character")
print("\n".join(problems) or "ok")
EOF
run "$PYTHON" check.py
expect_exit 0
expect_stdout ok

# Hostile names work as arguments too.
run "$XREF" evidence '<script>alert(1)</script>' --format tsv
expect_exit 0
expect_stdout_contains "[[Script Watch]]"
run "$XREF" neighbors '=hyperlink("http://x")' --format tsv
expect_exit 0
expect_stdout_contains "<script>alert(1)</script>"

finish
