#!/bin/sh
# The exports for JavaScript load in the libraries they are for, pinned in
# package-lock.json (installed by tests/npm-install.sh): graphology imports
# the graphology JSON (as Sigma.js would get it), graphology-gexf parses the
# GEXF, and cytoscape.js (headless) loads the Cytoscape JSON; each holds the
# case file's nodes and edges with their attributes and positions.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"
. "$XREF_SOURCE_DIR/tests/cli/consumers.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need node "$PYTHON"
NODE_PATH=$XREF_SOURCE_DIR/node_modules
for m in graphology graphology-gexf cytoscape; do
	[ -d "$NODE_PATH/$m" ] || skip "node_modules/$m is missing (run sh tests/npm-install.sh)"
done
export NODE_PATH
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build -q $WATCHLIST -o out "$SAMPLES"
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

finish
