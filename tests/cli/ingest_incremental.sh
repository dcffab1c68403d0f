#!/bin/sh
# Incremental ingest on a copy of the samples: ingesting them twice
# changes nothing (not even a byte of the case file); editing one document
# and ingesting again replaces only that document's rows, and leaves the
# case exactly as a fresh ingest of the edited samples would; undoing the
# edit brings back the original case.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

[ -d "$XREF_SOURCE_DIR/samples" ] || skip "no samples/ directory"
need sqlite3
cp -R "$XREF_SOURCE_DIR/samples" samples
WATCHLIST=
[ -f samples/watchlist.tsv ] && WATCHLIST="-w samples/watchlist.tsv"
EDITED=samples/2017-06-20-mexico-journalists-pegasus.txt
[ -f "$EDITED" ] || skip "the sample to edit is missing"

# derived CASE: entities, aliases and edges by stable ids
derived() {
	sqlite3 "$1" "
	SELECT 'E', uid, name, type, mentions, documents, first_seen, last_seen
	  FROM entities ORDER BY uid;
	SELECT 'A', e.uid, a.alias, a.rule, a.mentions
	  FROM aliases a JOIN entities e ON e.id = a.entity_id ORDER BY 2, 3;
	SELECT 'G', min(s.uid, t.uid), max(s.uid, t.uid), g.weight,
	       g.documents, g.first_seen, g.last_seen
	  FROM edges g JOIN entities s ON s.id = g.source
	  JOIN entities t ON t.id = g.target ORDER BY 2, 3;"
}

# rows CASE [DOC_ID]: the mention and evidence rows, with their row ids,
# of every document but DOC_ID
rows() {
	sqlite3 "$1" "
	SELECT 'D', id, doc_id, hash FROM documents
	  WHERE doc_id != '${2:-}' ORDER BY id;
	SELECT 'M', m.id, d.doc_id, m.start, m.end, m.sentence, m.surface,
	       e.uid, m.rule
	  FROM mentions m JOIN documents d ON d.id = m.document_id
	  JOIN entities e ON e.id = m.entity_id
	  WHERE d.doc_id != '${2:-}' ORDER BY m.id;
	SELECT 'V', v.id, d.doc_id, v.start, v.end, s.uid, t.uid
	  FROM evidence v JOIN documents d ON d.id = v.document_id
	  JOIN entities s ON s.id = v.source JOIN entities t ON t.id = v.target
	  WHERE d.doc_id != '${2:-}' ORDER BY v.id;"
}

# Derived rows that disagree with a recount: 0 in a consistent case.
BAD_SQL="SELECT
 (SELECT count(*) FROM entities e WHERE
    e.mentions != (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id)
    OR e.documents != (SELECT count(DISTINCT m.document_id) FROM mentions m
                       WHERE m.entity_id = e.id)
    OR e.mentions = 0)
+(SELECT count(*) FROM aliases a WHERE a.mentions != (SELECT count(*)
    FROM mentions m WHERE m.entity_id = a.entity_id AND m.surface = a.alias))
+(SELECT count(*) FROM edges g WHERE
    g.weight != (SELECT count(*) FROM evidence v
                 WHERE v.source = g.source AND v.target = g.target)
    OR coalesce(g.first_seen, '') != coalesce((SELECT min(d.date)
       FROM evidence v JOIN documents d ON d.id = v.document_id
       WHERE v.source = g.source AND v.target = g.target), ''))
+(SELECT count(*) FROM (SELECT DISTINCT source, target FROM evidence) v
    WHERE NOT EXISTS (SELECT 1 FROM edges g
                      WHERE g.source = v.source AND g.target = v.target))"

# shellcheck disable=SC2086 # WATCHLIST is either empty or two words
run "$XREF" ingest $WATCHLIST --case case.db samples
expect_exit 0
N=$(sqlite3 case.db 'SELECT count(*) FROM documents')
check "every sample file is a document" \
	test "$N" -ge "$(find samples -type f ! -name '*.tsv' | wc -l)"
expect_stdout_contains "added $N, replaced 0, unchanged 0 documents; case has $N documents"
derived case.db >derived.1
rows case.db >rows.1
cp case.db case.1
check "consistent after the first ingest" test "$(sqlite3 case.db "$BAD_SQL")" = 0

# Twice: nothing changes, not a byte.
# shellcheck disable=SC2086
run "$XREF" ingest $WATCHLIST --case case.db samples
expect_exit 0
expect_stdout_contains "added 0, replaced 0, unchanged $N documents; case has $N documents"
check "an unchanged ingest leaves the case file byte-identical" cmp -s case.1 case.db
rows case.db >rows.2
test_cmp rows.1 rows.2

# Edit one document: new sentences, one name gone.
sed 's/anti-corruption campaigners/campaigners/' "$EDITED" >edited.tmp
printf '\nCitizen Lab said Amnesty International and NSO Group met in Mexico. The Guardian reported it.\n' >>edited.tmp
mv edited.tmp "$EDITED"
# shellcheck disable=SC2086
run "$XREF" ingest $WATCHLIST --case case.db samples
expect_exit 0
expect_stdout_contains "added 0, replaced 1, unchanged $((N - 1)) documents; case has $N documents"
rows case.db "$EDITED" >rows.3
rows case.1 "$EDITED" >rows.1x
test_cmp rows.1x rows.3
check "the edited document's rows changed" \
	test "$(rows case.1 | grep -c "|$EDITED|")" -ne "$(rows case.db | grep -c "|$EDITED|")" -o \
	"$(rows case.1 | grep "|$EDITED|" | cksum)" != "$(rows case.db | grep "|$EDITED|" | cksum)"
check "the edited document kept its row id" test \
	"$(sqlite3 case.1 "SELECT id FROM documents WHERE doc_id = '$EDITED'")" = \
	"$(sqlite3 case.db "SELECT id FROM documents WHERE doc_id = '$EDITED'")"
check "its new sentence is evidence" test "$(sqlite3 case.db "SELECT count(*)
	FROM evidence_text WHERE doc_id = '$EDITED' AND text LIKE 'Citizen Lab said%'")" -gt 0
check "consistent after the replacement" test "$(sqlite3 case.db "$BAD_SQL")" = 0

# ... exactly what a fresh ingest of the edited samples gives.
# shellcheck disable=SC2086
run "$XREF" ingest -q $WATCHLIST --case fresh.db samples
expect_exit 0
derived case.db >derived.3
derived fresh.db >derived.fresh
test_cmp derived.fresh derived.3
check "the edit changed derived rows" test -n "$(cmp derived.1 derived.3 2>&1)"

# Undo the edit: the original case again (derived rows by stable ids).
cp "$XREF_SOURCE_DIR/$EDITED" "$EDITED"
# shellcheck disable=SC2086
run "$XREF" ingest $WATCHLIST --case case.db samples
expect_exit 0
expect_stdout_contains "added 0, replaced 1, unchanged $((N - 1)) documents"
derived case.db >derived.4
test_cmp derived.1 derived.4
check "consistent after the undo" test "$(sqlite3 case.db "$BAD_SQL")" = 0
run sqlite3 case.db 'PRAGMA integrity_check'
expect_stdout ok

# A changed date alone replaces the document and moves its ties' dates.
sed 's/^Date: 2017-06-20$/Date: 2012-01-05/' "$EDITED" >edited.tmp
mv edited.tmp "$EDITED"
# shellcheck disable=SC2086
run "$XREF" ingest $WATCHLIST --case case.db samples
expect_exit 0
expect_stdout_contains "replaced 1,"
check "first seen follows the new date" test "$(sqlite3 case.db "SELECT first_seen
	FROM entities WHERE name = 'Mexico'")" = 2012-01-05
check "consistent after a new date" test "$(sqlite3 case.db "$BAD_SQL")" = 0

# --batch
run "$XREF" ingest --batch 0 --case case.db samples
expect_exit 2
expect_stderr_contains "xref: --batch needs a whole number from 1 to 1000000, not '0'"
expect_stderr_contains "usage: xref ingest"
rm -f small.db
# shellcheck disable=SC2086
run "$XREF" ingest -q --batch 3 $WATCHLIST --case small.db samples
expect_exit 0
derived small.db >derived.small
derived case.db >derived.5
test_cmp derived.5 derived.small

finish
