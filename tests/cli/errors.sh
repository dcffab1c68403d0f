#!/bin/sh
# Runtime and data errors: exit 1 with a message naming the file; warnings
# do not fail a build unless --strict; nothing is printed to stdout on
# failure.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

cat >article.txt <<'EOF'
Title: A short story
Date: 2021-07-21

Amnesty International said on Monday that NSO Group sold Pegasus to the government of Mexico.
EOF

# A missing input is named, with the system's reason.
run "$XREF" build -o out nope.txt
expect_exit 1
expect_stdout_empty
expect_stderr "xref: cannot open 'nope.txt': No such file or directory"
check "a failed build leaves no case file" test ! -e out/xref.db

run "$XREF" build -o out article.txt nope.txt
expect_exit 1
expect_stderr "xref: cannot open 'nope.txt': No such file or directory"

run "$XREF" ingest --case case.db nope.txt
expect_exit 1
expect_stderr "xref: cannot open 'nope.txt': No such file or directory"

# A missing case file is not created by a query.
run "$XREF" centrality --case missing.db
expect_exit 1
expect_stdout_empty
expect_stderr "xref: cannot open 'missing.db': No such file or directory"
check "centrality does not create the case" test ! -e missing.db

run "$XREF" export --case missing.db --format json
expect_exit 1
expect_stderr "xref: cannot open 'missing.db': No such file or directory"

# $XREF_CASE, then ./xref.db.
XREF_CASE=$SCRATCH/env.db
export XREF_CASE
run "$XREF" centrality
expect_exit 1
expect_stderr "xref: cannot open '$SCRATCH/env.db': No such file or directory"
unset XREF_CASE
run "$XREF" centrality
expect_exit 1
expect_stderr "xref: cannot open './xref.db': No such file or directory"

# A file that is not a case file.
printf 'not a database\n' >bogus.db
run "$XREF" centrality --case bogus.db
expect_exit 1
expect_stdout_empty
expect_stderr_contains "xref: "

# No documents at all.
mkdir empty
run "$XREF" build -o out empty
expect_exit 1
expect_stdout_empty
expect_stderr "xref: no documents found in 'empty'"

# A malformed watchlist is a data error naming file and line, checked
# before anything is written.
printf 'NSO Group\tcompany\n\tnobody\n' >bad-watchlist.tsv
run "$XREF" build -o wl -w bad-watchlist.tsv article.txt
expect_exit 1
expect_stdout_empty
expect_stderr_contains "xref: 'bad-watchlist.tsv' line 2"
check "no output after a bad watchlist" test ! -e wl/xref.db

run "$XREF" build -o wl -w no-such-watchlist.tsv article.txt
expect_exit 1
expect_stderr_contains "no-such-watchlist.tsv"

# A malformed JSONL line is a warning naming file and line; the build goes
# on and succeeds, unless --strict.
mkdir mixed
cp article.txt mixed/a.txt
printf '%s\n' '{"id": "j1", "title": "One", "text": "Forbidden Stories worked with Amnesty International."}' \
	'{"id": "j2", "text": ' \
	'{"id": "j3", "title": "Three", "text": "Citizen Lab examined the phones."}' >mixed/b.jsonl
run "$XREF" build -o mixed-out mixed
expect_exit 0
expect_stderr_contains "xref: warning: 'mixed/b.jsonl' line 2: "
expect_stdout_contains "3 documents"
check "warnings still write the graph" test -s mixed-out/graph.json

run "$XREF" build --strict -o strict-out mixed
expect_exit 1
expect_stderr_contains "xref: warning: 'mixed/b.jsonl' line 2: "
expect_stderr_contains "--strict"
check "--strict still finishes the build" test -s strict-out/graph.svg

# No progress line when stderr is not a terminal: a clean build is silent
# on stderr.
run "$XREF" build -o clean article.txt
expect_exit 0
expect_stderr_empty
expect_stdout_contains "1 documents"

run "$XREF" build --quiet -o quiet article.txt
expect_exit 0
expect_stdout_empty
expect_stderr_empty
check "--quiet still writes the files" test -s quiet/graph.dot

# Standard input.
run_stdin article.txt "$XREF" build -o stdin-out -
expect_exit 0
expect_stdout_contains "1 documents"

# "--" ends the options: a file may start with a dash.
cp article.txt ./-dash.txt
run "$XREF" build -o dash -- -dash.txt
expect_exit 0
expect_stdout_contains "1 documents"
run "$XREF" build -o dash -dash.txt
expect_exit 2

# "-o -" is standard output.
run "$XREF" export --case dash/xref.db --format dot -o -
expect_exit 0
test_cmp dash/graph.dot "$OUT"

# -o names a directory; a file in the way is an error.
printf 'x\n' >afile
run "$XREF" build -o afile article.txt
expect_exit 1
expect_stderr_contains "xref: cannot create directory 'afile'"

# Export to a file that cannot be written leaves nothing behind.
run "$XREF" export --case clean/xref.db --format dot -o no-such-dir/graph.dot
expect_exit 1
expect_stderr_contains "no-such-dir/graph.dot"
check "no temporary file is left" test ! -e no-such-dir

# A different window on an existing case is refused.
run "$XREF" ingest --case w.db article.txt
expect_exit 0
run "$XREF" ingest --case w.db --window paragraph article.txt
expect_exit 1
expect_stderr_contains "--window paragraph applies only to a new case"

finish
