#!/bin/sh
# The hostile case of export_hostile.sh in the JavaScript consumers
# (graphology, graphology-gexf, cytoscape.js) and in the browser: every
# format still loads with the case file's names, and opening every entity
# and every tie of the HTML map runs no script from the data, shows every
# name as written, and links only http(s) URLs.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"
. "$XREF_SOURCE_DIR/tests/cli/consumers.inc"

need node "$PYTHON"
NODE_PATH=$XREF_SOURCE_DIR/node_modules
for m in graphology graphology-gexf cytoscape playwright-core; do
	[ -d "$NODE_PATH/$m" ] || skip "node_modules/$m is missing (run sh tests/npm-install.sh)"
done
export NODE_PATH
XREF_CHROMIUM=${XREF_CHROMIUM:-/usr/bin/chromium}
[ -x "$XREF_CHROMIUM" ] || skip "no chromium at '$XREF_CHROMIUM' (apt-get install chromium)"
export XREF_CHROMIUM

make_hostile_inputs
run "$XREF" build -w watchlist.tsv -o out story.txt second.txt
expect_exit 0
expect_stderr_empty

write_truth_py
write_check_js
run "$PYTHON" truth.py out
expect_exit 0
run node check.js out
expect_exit 0
expect_stderr_empty
cat "$OUT"

cat >config.json <<EOF
{"html": "$SCRATCH/out/graph.html", "screenshot": null, "query": "image trap",
 "name": "<img src=x onerror=window.__pwned=1>", "type": "organization",
 "pwned": true}
EOF
run node "$XREF_SOURCE_DIR/tests/browser/map_test.js" config.json
cat "$OUT"
expect_exit 0
check "no check failed in the browser" sh -c "! grep -q '^not ok' '$OUT'"

finish
