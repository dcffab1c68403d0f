#!/bin/sh
# Hostile inputs in one batch: invalid UTF-8, NUL bytes (early: a binary
# file; late: replaced), a 100 MB single line, an empty file, a binary
# file, a symlink loop (a file linking to itself, and a directory link back
# up the tree), a truncated and a malformed JSON Lines line, HTML nested
# 20,000 deep, a 20,000-word capitalised "name" and an unreadable file.
#
# Each problem is a warning naming the file (and the line, for JSON
# Lines); every valid document of the batch is ingested; `xref build`
# exits 0, and 1 with --strict after writing every output.
#
# The single line is 100 MB, or 10 MB when the binary runs under
# AddressSanitizer (the asan test preset sets ASAN_OPTIONS), so that the
# test stays well under a minute; XREF_HOSTILE_MB overrides the size. The
# unreadable file is left out when running as root, whom chmod 000 does
# not stop.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

if [ -n "${XREF_HOSTILE_MB:-}" ]; then
	big_mb=$XREF_HOSTILE_MB
elif [ -n "${ASAN_OPTIONS:-}" ]; then
	big_mb=10
else
	big_mb=100
fi

mkdir -p in/sub bigdir

# --- plainly valid documents (10 with the JSON Lines and hostile ones) ---
cat >in/good1.txt <<'EOF'
Title: Ministry signs surveillance deal
Date: 2021-07-21

President Ana Varga met Boris Telnov in Paris on Monday. Journalists said
the Interior Ministry paid Veltrano Holdings for the software.
EOF
cat >in/good2.md <<'EOF'
# Lawyers targeted

Gen. Luis Ortega said **Veltrano Holdings** sold the tool to Mexico.
EOF
cat >in/sub/good3.html <<'EOF'
<html><head><title>Activists hacked</title></head>
<body><p>Amnesty International found the spyware on phones in Budapest.</p></body></html>
EOF
printf '%s\n' \
	'{"id": "j1", "title": "First", "text": "Boris Telnov met Ana Varga in Rabat."}' \
	'{"id": "bad", "text": }' \
	'{"id": "j3", "text": "Dr. Miriam Okafor questioned Krasik Ltd in Madrid."}' >in/docs.jsonl
printf '{"id": "trunc", "text": "the line stops in the middle of a str' >>in/docs.jsonl

# --- hostile documents that are still read ---
printf 'Caf\351 owner Ana Varga \377\376 met Boris Telnov in Paris.\n' >in/utf8.txt
# a NUL beyond the first 8 KiB: text with a stray NUL, not a binary file
awk 'BEGIN { for (i = 0; i < 300; i++) print "The report about Krasik Ltd was published." }' >in/nul_late.txt
printf 'tail \000 after a NUL byte.\n' >>in/nul_late.txt
{
	printf '<html><body>'
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "<div>" }'
	printf '<p>Deep inside, Ana Varga met Boris Telnov in Paris.</p>'
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "</div>" }'
	printf '</body></html>\n'
} >in/nested.html
{
	printf 'Witnesses named '
	awk 'BEGIN {
		srand(7)
		for (i = 0; i < 20000; i++) {
			w = ""
			for (k = 0; k < 3; k++)
				w = w substr("bcdfghklmnprstvz", int(rand() * 16) + 1, 1) \
				      substr("aeiou", int(rand() * 5) + 1, 1)
			printf "%s%s ", toupper(substr(w, 1, 1)), substr(w, 2)
		}
	}'
	printf 'in the report.\n\nAna Varga met Boris Telnov in Paris.\n'
} >in/name.txt
# sparse names (one sentence in 200), so that the cost is the length
unit=$(awk 'BEGIN {
	for (i = 0; i < 200; i++)
		printf "the report said that officials met on monday in the city and left. "
	printf "President Ana Varga met Boris Telnov in Paris."
}')
yes "$unit" | tr '\n' ' ' | head -c $((big_mb * 1024 * 1024)) >bigdir/big.txt

# --- skipped, with a warning ---
printf 'ab\000cd text after NUL\n' >in/nul.txt
: >in/empty.txt
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' >in/binary.txt
head -c 4096 /dev/urandom >>in/binary.txt
ln -s loop.txt in/loop.txt
ln -s .. in/sub/up
root=0
[ "$(id -u)" -eq 0 ] && root=1
if [ "$root" -eq 0 ]; then
	printf 'Ana Varga, unread.\n' >in/unreadable.txt
	chmod 000 in/unreadable.txt
fi

check "big file is ${big_mb} MB on one line" \
	test "$(wc -c <bigdir/big.txt)" -eq $((big_mb * 1024 * 1024)) -a \
	"$(wc -l <bigdir/big.txt)" -eq 0

expect_warnings() {
	expect_stderr_contains "xref: warning: 'in/docs.jsonl' line 2: invalid JSON at column"
	expect_stderr_contains "xref: warning: 'in/docs.jsonl' line 4: invalid JSON at column"
	expect_stderr_contains "xref: warning: 'in/utf8.txt': invalid UTF-8, replaced by U+FFFD"
	expect_stderr_contains "xref: warning: 'in/nul_late.txt': NUL bytes, replaced by spaces"
	expect_stderr_contains "xref: warning: 'in/nul.txt': binary file, skipped"
	expect_stderr_contains "xref: warning: 'in/binary.txt': binary file, skipped"
	expect_stderr_contains "xref: warning: 'in/empty.txt': empty file, skipped"
	expect_stderr_contains "xref: warning: 'in/loop.txt': cannot open: Too many levels of symbolic links"
	if [ "$root" -eq 0 ]; then
		expect_stderr_contains "xref: warning: 'in/unreadable.txt': cannot open: Permission denied"
	fi
}
n_warnings=$((8 + 1 - root))

# --- the whole batch: exit 0, every valid document in ---
run "$XREF" build in bigdir -o out
expect_exit 0
expect_warnings
check "one line per warning ($n_warnings)" \
	test "$(grep -c '^xref: warning: ' "$ERR")" -eq "$n_warnings"
expect_stderr_lacks "error"
expect_stdout_contains "10 documents,"
check "graph.json is strict UTF-8 JSON" \
	"$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' out/graph.json
for f in out/graph.dot out/graph.svg out/xref.db; do
	check "$f written" test -s "$f"
done
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 out/xref.db 'SELECT doc_id FROM documents ORDER BY doc_id' >ids.txt
	cat >ids.expected <<'EOF'
bigdir/big.txt
in/good1.txt
in/good2.md
in/name.txt
in/nested.html
in/nul_late.txt
in/sub/good3.html
in/utf8.txt
j1
j3
EOF
	# lines 2 and 4 of in/docs.jsonl are the only documents missing
	test_cmp ids.expected ids.txt
	check "big document stored whole" test \
		"$(sqlite3 out/xref.db "SELECT length(CAST(text AS BLOB)) FROM documents WHERE doc_id = 'bigdir/big.txt'")" \
		-ge $((big_mb * 1024 * 1024 - 2))
	check "deep HTML text kept" test \
		"$(sqlite3 out/xref.db "SELECT count(*) FROM documents WHERE doc_id = 'in/nested.html' AND text LIKE '%Deep inside, Ana Varga%'")" -eq 1
	check "invalid bytes replaced" test \
		"$(sqlite3 out/xref.db "SELECT count(*) FROM documents WHERE doc_id = 'in/utf8.txt' AND text LIKE 'Caf' || char(65533) || ' owner%'")" -eq 1
fi

# --- --strict: the same warnings, outputs written, then exit 1 ---
run "$XREF" build in -o strict --strict
expect_exit 1
expect_warnings
expect_stderr_contains "xref: $n_warnings warnings; failing because of --strict"
expect_stdout_contains "9 documents,"
check "--strict still writes graph.json" test -s strict/graph.json

# --- a batch with nothing readable fails ---
mkdir only_bad
cp in/empty.txt in/binary.txt in/nul.txt only_bad/
run "$XREF" build only_bad -o none
expect_exit 1
expect_stderr_contains "xref: warning: 'only_bad/binary.txt': binary file, skipped"
expect_stderr_contains "xref: no documents found in 'only_bad'"

[ "$root" -eq 0 ] && chmod 600 in/unreadable.txt
finish
