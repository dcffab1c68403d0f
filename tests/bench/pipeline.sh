#!/bin/sh
# Benchmark of the whole pipeline on a generated corpus.
#
#   sh tests/bench/pipeline.sh BUILD_DIR      (make bench runs it)
#
# For each size in XREF_BENCH_MB (mebibytes, default 200; several sizes
# separated by spaces, e.g. "100 1024"), generates a corpus with
# xref-bench-corpus (seed XREF_BENCH_SEED, default 1) and prints:
#   - recognition alone on one thread (xref-bench-recognize): MB/s of
#     document text and tokens/s;
#   - `wc -w` over the same files (LC_ALL=C), the baseline;
#   - `xref build` end to end: wall time, CPU time, peak RSS, and its
#     ratio to the wc -w time, then when each stage ended (--timings);
#   - the graph it built (documents, entities, links).
# With several sizes, a last line compares peak RSS growth with graph
# growth. The page cache is warmed first, so every figure is warm-cache.
# The corpus and outputs go to XREF_BENCH_DIR (kept) or a scratch
# directory (removed). Figures depend on the machine and its load: the
# load average is printed with them. A benchmark never fails on speed.
set -u

build=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in
/*) ;;
*) build=$(pwd)/$build ;;
esac
sizes=${XREF_BENCH_MB:-200}
seed=${XREF_BENCH_SEED:-1}
xref=$build/xref
gen=$build/tests/bench/corpus/xref-bench-corpus
rec=$build/tests/bench/corpus/xref-bench-recognize

for exe in "$xref" "$gen" "$rec"; do
	if [ ! -x "$exe" ]; then
		echo "pipeline: '$exe' is missing; build '$build' first" >&2
		exit 1
	fi
done
if [ ! -x /usr/bin/time ]; then
	echo "pipeline: /usr/bin/time is missing (Debian package 'time')" >&2
	exit 1
fi

if [ -n "${XREF_BENCH_DIR:-}" ]; then
	work=$XREF_BENCH_DIR
	mkdir -p "$work" || exit 1
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/xref-bench.XXXXXX") || exit 1
	trap 'rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM HUP
fi

now() {
	date +%s.%N
}

# secs START END: elapsed seconds with 2 decimals.
secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
prev_rss=
prev_graph=
for mb in $sizes; do
	corpus=$work/corpus-$mb
	out=$work/out-$mb
	rm -rf "$corpus" "$out"

	t0=$(now)
	"$gen" -s "$seed" -k "$root/ingest/knowledge" -m "$mb" -o "$corpus" \
		>"$work/gen-$mb.txt" || exit 1
	t1=$(now)
	echo "corpus: $mb MB, seed $seed: $(cat "$work/gen-$mb.txt") in $(secs "$t0" "$t1") s"

	# warm the page cache so that every timing reads from memory
	find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

	t0=$(now)
	words=$(find "$corpus" -type f -print0 |
		LC_ALL=C wc -w --files0-from=- | tail -n 1 | awk '{ print $1 }')
	t1=$(now)
	wc_s=$(secs "$t0" "$t1")
	echo "wc -w: $words words in $wc_s s"

	"$rec" "$corpus" || exit 1

	t0=$(now)
	/usr/bin/time -v -o "$work/time-$mb.txt" "$xref" build --timings \
		"$corpus" -o "$out" >"$work/build-$mb.txt" 2>"$work/build-$mb.err"
	rc=$?
	t1=$(now)
	build_s=$(secs "$t0" "$t1")
	if [ "$rc" -ne 0 ]; then
		echo "xref build: failed (exit $rc)"
		head -n 20 "$work/build-$mb.err"
		exit 1
	fi
	rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time-$mb.txt")
	user=$(sed -n 's/.*User time (seconds): *//p' "$work/time-$mb.txt")
	sys=$(sed -n 's/.*System time (seconds): *//p' "$work/time-$mb.txt")
	graph=$(head -n 1 "$work/build-$mb.txt")
	awk -v b="$build_s" -v w="$wc_s" -v r="$rss_kb" -v u="$user" -v s="$sys" \
		-v mb="$mb" 'BEGIN {
		printf "xref build: %.2f s wall (%.1f MB/s), %.2f s CPU, peak RSS %.0f MB; %.1fx the wc -w time\n",
			b, mb / b, u + s, r / 1024, (w > 0 ? b / w : 0)
	}'
	echo "graph: $graph"
	# where the time went: the stage lines of --timings
	sed -n 's/^xref: /  stage: /p' "$work/build-$mb.err" | grep -v ' warning: '
	ents=$(echo "$graph" | awk '{ print $3 }')
	links=$(echo "$graph" | awk '{ print $5 }')
	if [ -n "$prev_rss" ]; then
		awk -v r0="$prev_rss" -v r1="$rss_kb" -v g0="$prev_graph" \
			-v g1="$((ents + links))" 'BEGIN {
			printf "growth: peak RSS x%.2f, graph (entities + links) x%.2f\n",
				r1 / r0, g1 / g0
		}'
	fi
	prev_rss=$rss_kb
	prev_graph=$((ents + links))
	rm -rf "$out"
	[ -n "${XREF_BENCH_DIR:-}" ] || rm -rf "$corpus"
done
