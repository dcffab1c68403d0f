#!/bin/sh
# The samples' HTML map in a real browser (Debian's Chromium, headless,
# driven by playwright-core): search for the vendor, open it and one of its
# ties, read an evidence sentence, click on the map, filter, zoom and pan,
# with no console error, no CSP violation and no network request. Leaves a
# screenshot in the build folder (map.png).
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need node
XREF_CHROMIUM=${XREF_CHROMIUM:-/usr/bin/chromium}
[ -x "$XREF_CHROMIUM" ] || skip "no chromium at '$XREF_CHROMIUM' (apt-get install chromium)"
export XREF_CHROMIUM
NODE_PATH=$XREF_SOURCE_DIR/node_modules
[ -d "$NODE_PATH/playwright-core" ] || skip "node_modules/playwright-core is missing (run sh tests/npm-install.sh)"
export NODE_PATH
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build -q $WATCHLIST -o out "$SAMPLES"
expect_exit 0
check "graph.html written" test -s out/graph.html

# One self-contained file: nothing to fetch, a policy that forbids fetching.
check "a content security policy forbids fetches" \
	grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" out/graph.html
check "no external script, style or image" \
	sh -c '! grep -Eqi "<(script|img|link|iframe)[^>]* (src|href)=\"(https?:)?//" out/graph.html'
check "no inline event handler" sh -c '! grep -Eqi "<[a-z]+ [^>]*\bon[a-z]+=" out/graph.html'
run "$XREF" export --case out/xref.db --format html
expect_exit 0
test_cmp out/graph.html "$OUT"

SHOT=${XREF_BUILD_DIR:-$SCRATCH}/map.png
rm -f "$SHOT"
cat >config.json <<EOF
{"html": "$SCRATCH/out/graph.html", "screenshot": "$SHOT",
 "query": "NSO Group", "alias": "q cyber technologies", "name": "NSO Group",
 "type": "company", "pwned": false}
EOF
run node "$XREF_SOURCE_DIR/tests/browser/map_test.js" config.json
cat "$OUT"
expect_exit 0
check "no check failed in the browser" sh -c "! grep -q '^not ok' '$OUT'"
check "a screenshot was saved in the build folder" test -s "$SHOT"
check "the screenshot is a PNG" sh -c "head -c 8 '$SHOT' | od -An -c | grep -q 'P   N   G'"

finish
