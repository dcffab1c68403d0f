#!/bin/sh
# Golden outputs for the sample case: the entities xref finds in samples/,
# their ranking by degree, the evidence behind one tie and one path. Any
# change in recognition, resolution or the queries shows here as a diff to
# review. Regenerate after a reviewed change with
#
#   XREF_GOLDEN_UPDATE=1 ctest --preset dev -R golden/
#
# Only integers and text are compared, so the outputs are the same in every
# build type.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

GOLDEN=$XREF_SOURCE_DIR/tests/golden/samples

# Built from the source tree with relative paths, so that document ids are
# "samples/..." wherever the tree is.
run sh -c 'cd "$1" && "$2" build -q -o "$3/out" -w samples/watchlist.tsv samples' \
	sh "$XREF_SOURCE_DIR" "$XREF" "$SCRATCH"
expect_exit 0

golden() {
	name=$1
	shift
	run "$@"
	expect_exit 0
	if [ "${XREF_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$OUT" "$GOLDEN/$name"
		ok "updated $name"
	else
		test_cmp "$GOLDEN/$name" "$OUT"
	fi
}

# Entities: name, type, mentions, documents (no floats).
golden entities.tsv sh -c '"$0" entities --case out/xref.db --format tsv |
	cut -f 1-6' "$XREF"
golden degree.tsv "$XREF" centrality --case out/xref.db --metric degree,strength \
	--top 40 --format tsv
golden evidence-nso-mexico.tsv "$XREF" evidence --case out/xref.db \
	--format tsv "NSO Group" Mexico
golden path-nso-journalists.tsv "$XREF" path --case out/xref.db --format tsv \
	"NSO Group" journalists
finish
