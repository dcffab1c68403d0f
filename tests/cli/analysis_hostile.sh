#!/bin/sh
# Hostile entity names (quotes, backslashes, markup, a line separator,
# spreadsheet formulas) come out of `xref communities` as valid JSON and
# tables, with '<' and U+2028 never written raw in JSON, and --ego finds
# them by name.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

"$PYTHON" -c 'import json' 2>/dev/null || skip "no python3"

# Canonical names come from the watchlist, found through tame aliases.
printf '%s\t%s\t%s\n' \
	'<script>alert(1)</script>' organization 'Script Watch' \
	'Back\slash "Quoted" Org' company 'Quoted Org' \
	'=HYPERLINK("http://x")' company 'Hyperlink Group' >watchlist.tsv
printf 'Line\342\200\250Separator Media\tmedia\tSeparator Media\n' >>watchlist.tsv
cat >story.txt <<'EOF2'
Title: Hostile

Hyperlink Group paid Separator Media to attack Script Watch and Quoted Org.
EOF2
run "$XREF" ingest -q --case h.db -w watchlist.tsv story.txt
expect_exit 0

run "$XREF" communities --case h.db --format json
expect_exit 0
save communities.json
check "no raw '<' in the JSON" sh -c '! grep -q "<" communities.json'
check "no raw U+2028 in the JSON" sh -c '! grep -q "$(printf "\342\200\250")" communities.json'
run "$PYTHON" -c '
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8", errors="strict"))
names = sorted(m["name"] for c in d["communities"] for m in c["members"])
print("\n".join(names))' communities.json
expect_exit 0
expect_stdout_contains '<script>alert(1)</script>'
expect_stdout_contains 'Back\slash "Quoted" Org'
expect_stdout_contains '=HYPERLINK("http://x")'

for fmt in table tsv csv; do
	run "$XREF" communities --case h.db --no-save --format "$fmt"
	expect_exit 0
	expect_stdout_contains "community"
	expect_stdout_contains 'HYPERLINK'
done

run "$XREF" centrality --case h.db --ego 'script watch' --metric degree --format json
expect_exit 0
expect_stdout_contains '\u003cscript>'

finish
