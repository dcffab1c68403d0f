#!/bin/sh
# Every centrality metric on a generated graph of 5,000 entities agrees
# with networkx within 1e-6 relative, and Leiden's modularity is at least
# networkx Louvain's minus 0.01, on the whole graph and on its large
# component. The corpus comes from tests/bench/gen_graph.py (deterministic):
# each sentence names two entities of its watchlist, so the graph xref
# builds is checked to be exactly the generated one first. The
# normalisation differences with networkx are listed in analysis_check.py.
# Weighted betweenness is in analysis_5k_weighted.sh (networkx needs half a
# minute for each), weighted closeness and harmonic in analysis_samples.sh.
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
expect_stderr_empty
run "$XREF" export --case g.db --format json -o graph.json
expect_exit 0
run "$PYTHON" "$CHECK" ties graph.json corpus/ties.tsv 5000
expect_exit 0
cat "$OUT"

run "$XREF" centrality --case g.db --metric all --format json
expect_exit 0
save all.json
run "$PYTHON" "$CHECK" metrics graph.json all.json
expect_exit 0
cat "$OUT"

run "$XREF" communities --case g.db --format json
expect_exit 0
save communities.json
run "$PYTHON" "$CHECK" communities graph.json communities.json
expect_exit 0
cat "$OUT"

# The large component alone: planted communities of about 100 entities,
# where the partition is not settled by the components.
ego=$(sed -n 2p corpus/watchlist.tsv | cut -f1)
run "$XREF" communities --case g.db --ego "$ego" --depth 100000 --no-save \
	--format json
expect_exit 0
save component.json
run "$PYTHON" "$CHECK" communities graph.json component.json --component
expect_exit 0
cat "$OUT"

finish
