#!/bin/sh
# Centrality and communities on the sample case agree with networkx: every
# metric unweighted, normalised, and (betweenness, closeness, harmonic)
# weighted by lengths 1 / weight; Leiden's modularity is what networkx
# computes for its partition and at least Louvain's minus 0.01. The
# normalisation differences are listed in analysis_check.py. Communities
# are stored in the case file, and the case stays usable by ingest.
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
run "$XREF" export --case out/xref.db --format json -o graph.json
expect_exit 0

run "$XREF" centrality --case out/xref.db --metric all --format json
expect_exit 0
save all.json
run "$PYTHON" "$CHECK" metrics graph.json all.json
expect_exit 0
cat "$OUT"

run "$XREF" centrality --case out/xref.db --metric all --normalized --format json
expect_exit 0
save normalized.json
run "$PYTHON" "$CHECK" metrics graph.json normalized.json --normalized
expect_exit 0
cat "$OUT"

for norm in "" --normalized; do
	run "$XREF" centrality --case out/xref.db --weighted $norm \
		--metric betweenness,closeness,harmonic --format json
	expect_exit 0
	save weighted.json
	run "$PYTHON" "$CHECK" metrics graph.json weighted.json --weighted $norm
	expect_exit 0
	cat "$OUT"
done

# Table output: the header names every metric, rows are ranked.
run "$XREF" centrality --case out/xref.db --metric all --top 3
expect_exit 0
expect_stdout_contains "closeness"
expect_stdout_contains "eigenvector"
check "three rows and a header" test "$(wc -l <"$OUT")" -eq 4

# Communities: networkx agrees on modularity; Leiden >= Louvain - 0.01.
run "$XREF" communities --case out/xref.db --format json
expect_exit 0
save communities.json
run "$PYTHON" "$CHECK" communities graph.json communities.json
expect_exit 0
cat "$OUT"

# Stored in the case: one row per entity, numbered as printed.
entities=$(sqlite3 out/xref.db 'SELECT count(*) FROM entities')
run sqlite3 out/xref.db 'SELECT count(*) FROM communities'
expect_stdout "$entities"
first=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["communities"][0]["size"])' communities.json)
run sqlite3 out/xref.db 'SELECT count(*) FROM communities WHERE community = 0'
expect_stdout "$first"

# Deterministic, with the default seed as with an explicit one.
run "$XREF" communities --case out/xref.db --format json --seed 1
expect_exit 0
test_cmp communities.json "$OUT"
run "$XREF" communities --case out/xref.db --resolution 3 --no-save --format json
expect_exit 0
check "a higher resolution gives more communities" "$PYTHON" -c '
import json, sys
a = json.load(open(sys.argv[1]))["communities"]
b = json.load(open(sys.argv[2]))["communities"]
sys.exit(0 if len(b) > len(a) else 1)' communities.json "$OUT"
run sqlite3 out/xref.db 'SELECT count(*) FROM communities WHERE community = 0'
expect_stdout "$first"

# The table lists each community's size and best-known members.
run "$XREF" communities --case out/xref.db --top 2 --no-save
expect_exit 0
check "table: header and two rows" test "$(wc -l <"$OUT")" -eq 3
expect_stdout_contains "community  size  members"

# A filtered run stores the entities it kept, and nothing else.
run "$XREF" communities --case out/xref.db --type person --format json
expect_exit 0
run sqlite3 out/xref.db "SELECT count(*) FROM communities c JOIN entities e
	ON e.id = c.entity_id WHERE e.type != 'person'"
expect_stdout "0"

# The case still takes new documents (the table follows entity removals).
printf 'Title: Extra\nDate: 2025-06-01\n\nNSO Group met Amnesty International in Paris.\n' >extra.txt
# shellcheck disable=SC2086
run "$XREF" ingest -q $WATCHLIST --case out/xref.db extra.txt
expect_exit 0
run sqlite3 out/xref.db 'PRAGMA foreign_key_check'
expect_stdout_empty
run sqlite3 out/xref.db 'PRAGMA integrity_check'
expect_stdout "ok"

# --no-save reads a read-only case; saving to it is an error.
chmod a-w out/xref.db out
run "$XREF" communities --case out/xref.db --no-save
expect_exit 0
if [ "$(id -u)" != 0 ]; then
	run "$XREF" communities --case out/xref.db
	expect_exit 1
	expect_stderr_contains "xref: "
fi
chmod u+w out/xref.db out

finish
