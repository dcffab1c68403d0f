#!/bin/sh
# `xref build` writes its case file in bulk into a temporary file and
# renames it into place. The result holds the same rows, ids included, as
# `xref ingest` of the same input into a new case (also when the input
# repeats a document id, which replaces the document in the middle of the
# build); a build that fails (before or after its ingest) or is killed
# leaves the previous xref.db as it was; temporary files of dead builds
# are removed, those of live ones kept; a journal left behind by an
# interrupted ingest of the old case is not replayed onto the new one.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

need sqlite3 awk sleep mkfifo

# gen N SEED: N JSON Lines articles (ids doc-00001...) naming companies,
# countries and people drawn by an LCG.
gen() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		split("Mexico France India Hungary Rwanda Morocco Spain Poland Brazil Kenya", C, " ")
		split("Alpha Beta Gamma Delta Omega Sigma Kappa Lambda Theta Zeta", K, " ")
		split("Maria Ahmed John Elena Carlos Fatima Peter Anna Omar Laura", F, " ")
		split("Garcia Khan Smith Rossi Silva Haddad Novak Weber Costa Berg", L, " ")
		for (i = 1; i <= n; i++) {
			text = ""
			for (s = 0; s < 3; s++) {
				seed = (seed * 1103515245 + 12345) % 2147483648; a = int(seed / 65536) % 10 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; b = int(seed / 65536) % 10 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; f = int(seed / 65536) % 10 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; l = int(seed / 65536) % 10 + 1
				text = text sprintf("%s Systems Ltd sold spyware to %s. Minister %s %s of %s denied it. ", K[b], C[a], F[f], L[l], C[11 - a])
			}
			date = (i % 7 == 0) ? "" : sprintf(",\"date\":\"20%02d-%02d-%02d\"", 10 + i % 12, 1 + i % 12, 1 + i % 28)
			printf "{\"id\":\"doc-%05d\",\"title\":\"Report %d\"%s,\"text\":\"%s\"}\n", i, i, date, text
		}
	}'
}

# dump DB: every table in id (or key) order, with the text hashed.
dump() {
	sqlite3 "$1" "
		SELECT * FROM meta ORDER BY key;
		SELECT id, doc_id, title, url, date, source, hash, length(text)
		  FROM documents ORDER BY id;
		SELECT * FROM entities ORDER BY id;
		SELECT * FROM aliases ORDER BY entity_id, alias;
		SELECT * FROM entity_forms ORDER BY 1, 2, 3, 4, 5;
		SELECT * FROM mentions ORDER BY id;
		SELECT * FROM evidence ORDER BY id;
		SELECT * FROM edges ORDER BY source, target;
		SELECT type, name, tbl_name, sql FROM sqlite_schema
		  WHERE name NOT IN ($writer_indexes) ORDER BY name"
}
# The indexes only writers need: a build leaves them to the first ingest
# into its case (unless it went incremental itself).
writer_indexes="'mentions_document', 'evidence_target', 'evidence_document'"
# writer_indexes DB: how many of them DB has.
writer_indexes() {
	sqlite3 "$1" "SELECT count(*) FROM sqlite_schema
		WHERE type = 'index' AND name IN ($writer_indexes)"
}

# same_as_ingest NAME BUILD-OPTIONS -- INPUTS: build and ingest agree.
same_as_ingest() {
	name=$1
	shift
	rm -rf b i.db
	run "$XREF" build -q -o b "$@"
	expect_exit 0
	# the build's options that ingest knows too (--window)
	opts=
	[ "$1" = --window ] && opts="--window $2"
	while [ "$1" != -- ]; do shift; done
	shift
	# shellcheck disable=SC2086 # opts is empty or two words
	run "$XREF" ingest -q --case i.db $opts "$@"
	expect_exit 0
	dump b/xref.db >b.dump
	dump i.db >i.dump
	check "$name: build has rows" test "$(grep -c . b.dump)" -gt 100
	check "$name: build equals ingest row for row" cmp -s b.dump i.dump
}

# doc-00010 names an entity no other document does
gen 300 7 | sed '10s/"text":"/"text":"Quuxwerk Holdings Ltd sold spyware to Chile. /' >a.jsonl
# the same ids again: every 10th with new text (replaced; so doc-00010
# loses its entity), the rest as they were (unchanged)
gen 300 7 | awk 'NR % 10 == 0 { sub(/sold spyware to/, "bought a firm in") } { print }' >a2.jsonl
gen 40 99 | sed 's/doc-/new-/' >b.jsonl
cat a.jsonl a2.jsonl b.jsonl >dup.jsonl

same_as_ingest "plain" -- a.jsonl
check "a build leaves out the writers' indexes" \
	test "$(writer_indexes b/xref.db)" -eq 0
check "an ingest has them" test "$(writer_indexes i.db)" -eq 3
run "$XREF" ingest -q --case b/xref.db b.jsonl
expect_exit 0
check "the first ingest into a built case adds them" \
	test "$(writer_indexes b/xref.db)" -eq 3
check "integrity after it" \
	test "$(sqlite3 b/xref.db 'PRAGMA integrity_check')" = ok
run "$XREF" build -q -o b a.jsonl
expect_exit 0
check "the entity of one document is there" \
	test "$(sqlite3 b/xref.db "SELECT count(*) FROM entities WHERE name LIKE 'Quuxwerk%'")" -eq 1
same_as_ingest "repeated ids" -- dup.jsonl
check "the replaced documents are stored" \
	test "$(sqlite3 b/xref.db "SELECT count(*) FROM documents WHERE text LIKE '%bought a firm%'")" -eq 30
check "an entity whose only document was replaced is gone" \
	test "$(sqlite3 b/xref.db "SELECT count(*) FROM entities WHERE name LIKE 'Quuxwerk%'")" -eq 0
check "with its aliases" \
	test "$(sqlite3 b/xref.db "SELECT count(*) FROM aliases WHERE alias LIKE 'Quuxwerk%'")" -eq 0
check "integrity" test "$(sqlite3 b/xref.db 'PRAGMA integrity_check')" = ok
same_as_ingest "paragraph window" --window paragraph -- dup.jsonl
same_as_ingest "document window" --window document -- a.jsonl b.jsonl

# A failed build keeps the old case.
rm -rf out
run "$XREF" build -q -o out a.jsonl
expect_exit 0
dump out/xref.db >old.dump
mkdir empty
run "$XREF" build -q -o out empty
expect_exit 1
expect_stderr_contains "no documents found"
dump out/xref.db >now.dump
check "a failed build leaves xref.db as it was" cmp -s old.dump now.dump
check "a failed build leaves no temporary file" \
	test -z "$(find out -name 'xref.db.tmp.*')"
# failing after the ingest, on the files (graph.json cannot replace a
# directory), while the case is being indexed beside
rm -f out/graph.json && mkdir out/graph.json
run "$XREF" build -q -o out b.jsonl
expect_exit 1
expect_stderr_contains "graph.json"
dump out/xref.db >now.dump
check "a build failing on its files leaves xref.db as it was" \
	cmp -s old.dump now.dump
check "and no temporary file" test -z "$(find out -name 'xref.db.tmp.*')"
rmdir out/graph.json

# Temporary files: a dead build's goes, a live one's (this shell) stays.
: >out/xref.db.tmp.2147483646
: >out/xref.db.tmp.2147483646-journal
: >out/xref.db.tmp.2147483646-wal
: >out/xref.db.tmp.2147483646-shm
: >"out/xref.db.tmp.$$"
: >out/other.db.tmp.2147483646
run "$XREF" build -q -o out b.jsonl
expect_exit 0
check "a dead build's temporary file is removed" \
	test ! -e out/xref.db.tmp.2147483646
check "and its journal" test ! -e out/xref.db.tmp.2147483646-journal
check "and its WAL files" test ! -e out/xref.db.tmp.2147483646-wal \
	-a ! -e out/xref.db.tmp.2147483646-shm
check "a live process's temporary file is kept" test -e "out/xref.db.tmp.$$"
check "another file's temporary is kept" test -e out/other.db.tmp.2147483646
rm -f "out/xref.db.tmp.$$" out/other.db.tmp.2147483646

# An ingest of the old case killed mid-transaction leaves a hot journal;
# the new case must not be "rolled back" with it.
rm -rf out b
run "$XREF" build -q -o b b.jsonl
expect_exit 0
dump b/xref.db >new.dump
run "$XREF" build -q -o out a.jsonl
expect_exit 0
mkfifo sql
sqlite3 out/xref.db <sql >/dev/null 2>&1 &
writer=$!
{
	printf 'PRAGMA cache_size = 2;\nBEGIN;\n'
	printf "UPDATE documents SET text = text || 'x';\n"
	printf "UPDATE mentions SET surface = surface || 'x';\n"
	printf "SELECT 'changed';\n"
	sleep 30
} >sql &
feeder=$!
n=0
while [ ! -s out/xref.db-journal ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.5
kill -9 "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
check "the killed writer left a journal" test -s out/xref.db-journal
run "$XREF" build -q -o out b.jsonl
expect_exit 0
check "no journal is left" test ! -e out/xref.db-journal
dump out/xref.db >now.dump
check "the new case is intact" cmp -s new.dump now.dump

# A build killed at any moment leaves the old case or the new one.
BIG=3000
# the sanitizer build runs about three times slower
[ -n "${ASAN_OPTIONS:-}" ] && BIG=1000
gen "$BIG" 5 >big.jsonl
rm -rf out
run "$XREF" build -q -o out a.jsonl
expect_exit 0
run "$XREF" build -q -o ref big.jsonl
expect_exit 0
dump ref/xref.db >big.dump
for delay in 0.2 0.5 1 2; do
	"$XREF" build -q -o out big.jsonl >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	dump out/xref.db >now.dump
	if cmp -s now.dump old.dump; then
		ok "killed after ${delay}s: the old case"
	elif cmp -s now.dump big.dump; then
		ok "killed after ${delay}s: the new case"
	else
		checks=$((checks + 1))
		last_cmd="build killed after ${delay}s"
		fail "killed after ${delay}s: xref.db is neither the old nor the new case"
	fi
done
run "$XREF" build -q -o out a.jsonl
expect_exit 0
check "the next build removes what the killed ones left" \
	test -z "$(find out -name 'xref.db.tmp.*')"
dump out/xref.db >now.dump
check "and writes the case" cmp -s old.dump now.dump

finish
