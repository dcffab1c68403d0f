#!/bin/sh
# The command line itself: help, version, unknown commands and options,
# bad option values. Help goes to stdout with exit 0; usage errors to
# stderr with exit 2 and a usage line.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

run "$XREF" --help
expect_exit 0
expect_stdout_contains "usage: xref"
for c in build ingest centrality export; do
	expect_stdout_contains "  $c "
done
expect_stderr_empty
save main-help

run "$XREF" -h
expect_exit 0
test_cmp "$SCRATCH/main-help" "$OUT"

run "$XREF" help
expect_exit 0
test_cmp "$SCRATCH/main-help" "$OUT"

run "$XREF" --version
expect_exit 0
expect_stdout "xref 0.1.0"
expect_stderr_empty

run "$XREF"
expect_exit 2
expect_stdout_empty
expect_stderr_contains "usage: xref"

run "$XREF" foo
expect_exit 2
expect_stdout_empty
expect_stderr "xref: 'foo' is not an xref command; see 'xref --help'"

run "$XREF" help foo
expect_exit 2
expect_stderr "xref: 'foo' is not an xref command; see 'xref --help'"

run "$XREF" --bogus
expect_exit 2
expect_stdout_empty
expect_stderr_contains "xref: unknown option '--bogus'"

for c in build ingest centrality export; do
	run "$XREF" "$c" --help
	expect_exit 0
	expect_stderr_empty
	expect_stdout_contains "usage: xref $c"
	expect_stdout_contains "--help"
	save "help-$c"

	run "$XREF" "$c" -h
	expect_exit 0
	test_cmp "$SCRATCH/help-$c" "$OUT"

	run "$XREF" help "$c"
	expect_exit 0
	expect_stderr_empty
	test_cmp "$SCRATCH/help-$c" "$OUT"

	run "$XREF" "$c" --no-such-option
	expect_exit 2
	expect_stdout_empty
	expect_stderr_contains "xref: unknown option '--no-such-option'"
	expect_stderr_contains "usage: xref $c"

	run "$XREF" "$c" -Z
	expect_exit 2
	expect_stderr_contains "xref: unknown option '-Z'"
	expect_stderr_contains "usage: xref $c"
done

# Help texts say what the spec requires them to say.
run cat "$SCRATCH/help-centrality"
expect_stdout_contains "betweenness"
expect_stdout_contains "hops"
expect_stdout_contains "weight"
expect_stdout_contains "apostrophe"
run cat "$SCRATCH/help-export"
expect_stdout_contains 'edges="links"'
run cat "$SCRATCH/help-build"
expect_stdout_contains "20 evidence"

# Options that need a value.
run "$XREF" build --top
expect_exit 2
expect_stderr_contains "xref: option '--top' needs a value"
expect_stderr_contains "usage: xref build"

run "$XREF" build samples -o
expect_exit 2
expect_stderr_contains "xref: option '-o' needs a value"

run "$XREF" centrality --format
expect_exit 2
expect_stderr_contains "needs a value"

# Bad values are usage errors, reported before anything is opened.
run "$XREF" centrality --case nope.db --format bogus
expect_exit 2
expect_stdout_empty
expect_stderr_contains "xref: unknown format 'bogus'"
expect_stderr_contains "usage: xref centrality"

run "$XREF" export --case nope.db --format bogus
expect_exit 2
expect_stderr_contains "xref: unknown format 'bogus'"
expect_stderr_contains "usage: xref export"

run "$XREF" export --case nope.db --format table
expect_exit 2

run "$XREF" export --case nope.db
expect_exit 2
expect_stderr_contains "--format is required"

run "$XREF" centrality --case nope.db --metric katz
expect_exit 2
expect_stderr_contains "xref: unknown metric 'katz'"

run "$XREF" centrality --case nope.db --metric pagerank,
expect_exit 2

run "$XREF" centrality --case nope.db --type person,robot
expect_exit 2
expect_stderr_contains "xref: unknown type 'robot'"

run "$XREF" export --case nope.db --format dot --type robot
expect_exit 2

for v in -1 abc 10x '' 99999999999999999999999; do
	run "$XREF" centrality --case nope.db --top "$v"
	expect_exit 2
	expect_stderr_contains "--top"
done

run "$XREF" export --case nope.db --format json --min-weight -3
expect_exit 2

run "$XREF" build --window chapter in.txt
expect_exit 2
expect_stderr_contains "xref: unknown window 'chapter'"

run "$XREF" ingest --case x.db --window chapter in.txt
expect_exit 2

run "$XREF" build
expect_exit 2
expect_stderr_contains "xref: no input given"

run "$XREF" ingest
expect_exit 2

run "$XREF" centrality --case nope.db extra
expect_exit 2
expect_stderr_contains "unexpected argument 'extra'"

# Nothing was created by any of the failed commands.
check "usage errors create no files" test ! -e out -a ! -e nope.db -a ! -e x.db

# A write error on stdout is exit 1 with a message.
if [ -w /dev/full ]; then
	last_cmd="xref --help > /dev/full"
	"$XREF" --help >/dev/full 2>"$ERR"
	status=$?
	expect_exit 1
	expect_stderr_contains "xref: write error: "
	last_cmd="xref build --help > /dev/full"
	"$XREF" build --help >/dev/full 2>"$ERR"
	status=$?
	expect_exit 1
fi

finish
