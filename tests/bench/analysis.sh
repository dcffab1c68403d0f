#!/bin/sh
# Benchmark of the graph analyses (make bench): PageRank, coreness, Leiden
# and sampled betweenness on a generated graph of 1M ties, each in its own
# process, printing wall and CPU seconds and peak memory. A benchmark, not
# a test: it never fails on speed.
#
#   sh tests/bench/analysis.sh BUILD_DIR
#
# BUILD_DIR is a configured (release) build; the bench program, CMake
# target bench_analysis (tests/bench/CMakeLists.txt), is built there on
# demand. Environment:
# XREF_BENCH_NODES (default 200000), XREF_BENCH_EDGES (1000000),
# XREF_BENCH_SAMPLE (sources for betweenness, 50).
set -eu
build=${1:?usage: analysis.sh BUILD_DIR}
nodes=${XREF_BENCH_NODES:-200000}
edges=${XREF_BENCH_EDGES:-1000000}
sample=${XREF_BENCH_SAMPLE:-50}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xref-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bin=$build/tests/bench/bench_analysis
if ! cmake --build "$build" --target bench_analysis >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	echo "analysis: cannot build bench_analysis in '$build'" >&2
	exit 1
fi

echo "graph: $nodes nodes, about $edges ties (communities of 200);" \
	"$(nproc 2>/dev/null || echo '?') cores; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "each line: the analysis alone; peak memory includes the graph"
for what in build pagerank coreness leiden betweenness-sample; do
	"$bin" --nodes "$nodes" --edges "$edges" --sample "$sample" "$what"
done
