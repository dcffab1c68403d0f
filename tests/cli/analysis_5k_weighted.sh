#!/bin/sh
# Weighted betweenness (a tie's length is 1 / its weight) on the generated
# graph of 5,000 entities agrees with networkx within 1e-6 relative (see
# analysis_5k.sh; tie weights are 1, 2, 4 or 8, so lengths add up exactly
# and no shortest path depends on rounding).
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"
# networkx's Louvain iterates over sets: fix the hash seed so that it
# gives the same partition on every run.
PYTHONHASHSEED=0
export PYTHONHASHSEED

"$PYTHON" -c 'import networkx, scipy' 2>/dev/null ||
	skip "python3 has no networkx or scipy"
GEN=$XREF_SOURCE_DIR/tests/bench/gen_graph.py
CHECK=$XREF_SOURCE_DIR/tests/cli/analysis_check.py

run "$PYTHON" "$GEN" --nodes 5000 --seed 1 corpus
expect_exit 0
run "$XREF" ingest -q --case g.db -w corpus/watchlist.tsv corpus/corpus.jsonl
expect_exit 0
run "$XREF" export --case g.db --format json -o graph.json
expect_exit 0

run "$XREF" centrality --case g.db --metric betweenness --weighted --format json
expect_exit 0
save weighted.json
run "$PYTHON" "$CHECK" metrics graph.json weighted.json --weighted
expect_exit 0
cat "$OUT"

# Unweighted and weighted differ: the option is not a no-op here.
run "$XREF" centrality --case g.db --metric betweenness --format json
expect_exit 0
check "--weighted changes betweenness" \
	sh -c '! cmp -s "$1" "$2"' sh "$OUT" weighted.json

finish
