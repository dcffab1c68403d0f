#!/bin/sh
# Every format through `xref build` and `xref export`: build writes them
# all; export writes the same bytes in another process; the directory
# formats need -o DIR; the maps keep the top nodes. export_filters.sh
# checks the filters and the colours.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

SAMPLES=$XREF_SOURCE_DIR/samples
[ -d "$SAMPLES" ] || skip "no samples/ directory"
need "$PYTHON"
WATCHLIST=
[ -f "$SAMPLES/watchlist.tsv" ] && WATCHLIST="-w $SAMPLES/watchlist.tsv"

FILES="graph.json graph.dot graph.graphml graph.gexf graph.cytoscape.json
graph.graphology.json csv/nodes.csv csv/edges.csv csv/evidence.csv
graph.svg graph.html"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" build $WATCHLIST -o out "$SAMPLES"
expect_exit 0
expect_stderr_empty
for f in xref.db $FILES; do
	check "out/$f written" test -s "out/$f"
	expect_stdout_contains "wrote out/$f"
done
check "no temporary files left" test -z "$(find out -name '*.tmp.*')"

# export writes what build wrote, for every format (and so, in another
# process, the same bytes: the outputs are deterministic).
for fmt in dot svg json cytoscape graphology graphml gexf html; do
	case $fmt in
	cytoscape | graphology) f=graph.$fmt.json ;;
	*) f=graph.$fmt ;;
	esac
	run "$XREF" export --case out/xref.db --format "$fmt" -o "e.$fmt"
	expect_exit 0
	expect_stderr_empty
	expect_stdout_empty
	test_cmp "out/$f" "e.$fmt"
done
run "$XREF" export --case out/xref.db --format graphml
expect_exit 0
test_cmp out/graph.graphml "$OUT"
run "$XREF" export --case out/xref.db --format csv -o made/by/export
expect_exit 0
expect_stdout_empty
for f in nodes.csv edges.csv evidence.csv; do
	test_cmp "out/csv/$f" "made/by/export/$f"
done
run "$XREF" export --case out/xref.db --format neo4j -o neo4j
expect_exit 0
for f in nodes.csv relationships.csv README.md; do
	check "neo4j/$f written" test -s "neo4j/$f"
done
check "export leaves no temporary files" test -z "$(find . -name '*.tmp.*')"

# The directory formats need a directory.
run "$XREF" export --case out/xref.db --format csv
expect_exit 2
expect_stderr_contains "--format csv writes several files: give a directory with -o DIR"
run "$XREF" export --case out/xref.db --format neo4j -o -
expect_exit 2
printf 'x\n' >afile
run "$XREF" export --case out/xref.db --format csv -o afile
expect_exit 1
expect_stderr_contains "cannot create directory 'afile'"
run "$XREF" export --case out/xref.db --format sigma
expect_exit 2
expect_stderr_contains "unknown format 'sigma' (formats: dot, svg, json, cytoscape, graphology, graphml, gexf, csv, neo4j, html)"
run "$XREF" export --help
expect_exit 0
for fmt in cytoscape graphology graphml gexf csv neo4j html; do
	expect_stdout_contains "  $fmt "
done

# The drawn formats keep 150 nodes by default, the others everything.
cat >count.py <<'EOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'id="x-data">(.*?)</script>', html, re.S)
full = json.load(open(sys.argv[2], encoding="utf-8"))
print(len(json.loads(m.group(1))["nodes"]), min(150, len(full["nodes"])))
EOF
run "$PYTHON" count.py out/graph.html out/graph.json
expect_exit 0
check "html holds the top 150 nodes" sh -c "awk '{exit \$1 != \$2}' '$OUT'"

finish
