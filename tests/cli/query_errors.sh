#!/bin/sh
# The query commands' errors: bad arguments are usage errors (exit 2, a
# usage line, nothing on stdout); an unknown or ambiguous entity, a missing,
# empty or foreign case file, and a case from a newer xref are data errors
# (exit 1) with a clear message; help goes to stdout.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

need sqlite3

cat >a.txt <<'EOF'
Title: Spyware sale
Date: 2021-07-18

Amnesty International said on Monday that NSO Group sold Pegasus to Mexico. Mexico targeted journalists, Amnesty International said.
EOF
cat >b.txt <<'EOF'
Title: Lawsuit
Date: 2019-10-30

WhatsApp sued NSO Group in California. Citizen Lab helped WhatsApp.
EOF
run "$XREF" ingest -q --case case.db a.txt b.txt
expect_exit 0
XREF_CASE=$SCRATCH/case.db
export XREF_CASE

# args COMMAND: valid entity arguments for it
args() {
	case $1 in
	entities) ;;
	neighbors) echo Mexico ;;
	*) echo "NSO Mexico" ;;
	esac
}

for c in entities evidence path neighbors; do
	# shellcheck disable=SC2046 # the arguments are single words
	set -- $(args "$c")
	run "$XREF" "$c" --help
	expect_exit 0
	expect_stderr_empty
	expect_stdout_contains "usage: xref $c"
	expect_stdout_contains "--since DATE"
	expect_stdout_contains "--format F"
	save "help-$c"
	run "$XREF" help "$c"
	expect_exit 0
	test_cmp "$SCRATCH/help-$c" "$OUT"

	run "$XREF" "$c" --bogus
	expect_exit 2
	expect_stdout_empty
	expect_stderr_contains "xref: unknown option '--bogus'"
	expect_stderr_contains "usage: xref $c"

	run "$XREF" "$c" --format xml "$@"
	expect_exit 2
	expect_stderr_contains "xref: unknown format 'xml' (formats: table, tsv, csv, json)"
	expect_stderr_contains "usage: xref $c"

	run "$XREF" "$c" --since 2021-13 "$@"
	expect_exit 2
	expect_stderr_contains "xref: invalid --since '2021-13' (dates: YYYY, YYYY-MM or YYYY-MM-DD)"

	run "$XREF" "$c" --until "July 2021" "$@"
	expect_exit 2
	expect_stderr_contains "xref: invalid --until 'July 2021'"

	run "$XREF" "$c" --since 2022 --until 2021-12 "$@"
	expect_exit 2
	expect_stdout_empty
	expect_stderr_contains "xref: --since '2022' is after --until '2021-12'"

	run "$XREF" "$c" "$@" --format
	expect_exit 2
	expect_stderr_contains "xref: option '--format' needs a value"
done

# Entity arguments: how many, and not empty.
run "$XREF" evidence
expect_exit 2
expect_stdout_empty
expect_stderr "xref: no entity given
usage: xref evidence [--case FILE] [--since DATE] [--until DATE] [--limit N] [--format table|tsv|csv|json] A [B]"
run "$XREF" evidence "NSO Group" Mexico journalists
expect_exit 2
expect_stderr_contains "xref: unexpected argument 'journalists'"
run "$XREF" evidence ""
expect_exit 2
expect_stderr_contains "xref: empty entity name"
run "$XREF" path "NSO Group"
expect_exit 2
expect_stderr_contains "xref: two entities needed"
run "$XREF" path "NSO Group" "" 
expect_exit 2
expect_stderr_contains "xref: empty entity name"
run "$XREF" neighbors
expect_exit 2
expect_stderr_contains "xref: no entity given"
run "$XREF" neighbors Mexico journalists
expect_exit 2
expect_stderr_contains "xref: unexpected argument 'journalists'"
run "$XREF" entities Mexico
expect_exit 2
expect_stderr_contains "xref: unexpected argument 'Mexico'"

# Option values.
run "$XREF" path --k 0 "NSO Group" Mexico
expect_exit 2
expect_stderr_contains "xref: --k needs a whole number from 1 to 1000, not '0'"
run "$XREF" path --k two "NSO Group" Mexico
expect_exit 2
expect_stderr_contains "not 'two'"
run "$XREF" neighbors --depth 0 Mexico
expect_exit 2
expect_stderr_contains "xref: --depth needs a whole number from 1 to 100, not '0'"
run "$XREF" neighbors --type spies Mexico
expect_exit 2
expect_stderr_contains "xref: unknown type 'spies'"
run "$XREF" evidence --limit -1 Mexico
expect_exit 2
expect_stderr_contains "xref: --limit needs a whole number >= 0, not '-1'"
run "$XREF" entities --top x
expect_exit 2
expect_stderr_contains "xref: --top needs a whole number >= 0, not 'x'"

# Unknown entities: exit 1 and the closest candidates.
run "$XREF" evidence "NSO Grop" Mexico
expect_exit 1
expect_stdout_empty
NSO=$(sqlite3 case.db "SELECT uid FROM entities WHERE name = 'NSO Group'")
expect_stderr "xref: no entity named 'NSO Grop' in '$SCRATCH/case.db'; closest:
  $NSO  NSO Group (company)"
run "$XREF" path Mexico Atlantis
expect_exit 1
expect_stderr "xref: no entity named 'Atlantis' in '$SCRATCH/case.db'"
run "$XREF" neighbors "amnesty"
expect_exit 1
expect_stderr_contains "xref: no entity named 'amnesty' in '$SCRATCH/case.db'; closest:"
expect_stderr_contains "  Amnesty International (organization)"
# case, accents, a leading "the", ids
run "$XREF" evidence "the nsö group" "MEXICO" --limit 1 --format tsv
expect_exit 0
expect_stdout_contains "[[NSO Group]]"
run "$XREF" neighbors "$(echo "$NSO" | tr a-f A-F)" --format tsv
expect_exit 0
expect_stdout_contains "Mexico"

# The same entity twice.
run "$XREF" path "NSO Group" nso
expect_exit 1
expect_stderr "xref: 'NSO Group' and 'nso' name the same entity, 'NSO Group'"
run "$XREF" evidence Mexico mexico
expect_exit 1
expect_stderr_contains "name the same entity"

# Ambiguous: two entities named alike (renamed here by hand).
cp case.db twins.db
sqlite3 twins.db "UPDATE entities SET name = 'Mexico' WHERE name = 'California'"
TWIN_A=$(sqlite3 twins.db "SELECT uid FROM entities WHERE name = 'Mexico' ORDER BY mentions DESC, uid LIMIT 1")
TWIN_B=$(sqlite3 twins.db "SELECT uid FROM entities WHERE name = 'Mexico' ORDER BY mentions DESC, uid LIMIT 1 OFFSET 1")
run "$XREF" evidence --case twins.db Mexico
expect_exit 1
expect_stdout_empty
expect_stderr "xref: 'Mexico' names 2 entities; give one by its id:
  $TWIN_A  Mexico (country)
  $TWIN_B  Mexico (location)"
run "$XREF" evidence --case twins.db "$TWIN_B" --format tsv
expect_exit 0
expect_stdout_contains "[[California]]"

# Case files that are missing, empty, foreign or newer.
run "$XREF" entities --case missing.db
expect_exit 1
expect_stderr "xref: cannot open 'missing.db': No such file or directory"
check "a query does not create the case" test ! -e missing.db
: >empty.db
run "$XREF" path --case empty.db a b
expect_exit 1
expect_stderr "xref: case file 'empty.db' is empty"
sqlite3 foreign.db "CREATE TABLE t (x)"
run "$XREF" neighbors --case foreign.db a
expect_exit 1
expect_stderr "xref: 'foreign.db' is not an xref case file"
cp case.db newer.db
sqlite3 newer.db "PRAGMA user_version = 2"
for c in entities "evidence Mexico" "path Mexico NSO" "neighbors Mexico"; do
	# shellcheck disable=SC2086 # the command and its arguments
	run "$XREF" $c --case newer.db
	expect_exit 1
	expect_stdout_empty
	expect_stderr "xref: case file 'newer.db' was written by a newer xref (schema 2); this one reads schema 1"
done
run "$XREF" ingest --case newer.db a.txt
expect_exit 1
expect_stderr "xref: case file 'newer.db' was written by a newer xref (schema 2); this one reads schema 1"
check "the newer case is left alone" test "$(sqlite3 newer.db 'PRAGMA user_version')" = 2

finish
