#!/bin/sh
# A case file survives anything: `xref ingest` is killed with SIGKILL at
# pseudo-random moments (a fixed seed; the delays are fractions of the
# measured ingest time, so they land alike on fast and slow machines)
# while it adds a generated corpus in small batches, then while it
# replaces part of it. After every kill the case opens for queries,
# passes integrity_check, holds only whole batches of whole documents, in
# order, and its derived tables (entity counts, aliases, edges) agree with
# its mentions and evidence. After the kills of each phase a rerun
# finishes the job, and the case must then equal an uninterrupted ingest
# row for row. Rounds repeat until at least MIN_KILLS kills.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

need sqlite3 awk sleep

BATCH=60
N1=1200 # documents of the first corpus: 20 batches
MIN_KILLS=20
if [ -n "${ASAN_OPTIONS:-}" ]; then
	# the sanitizer build runs about three times slower: 14 batches
	N1=420 BATCH=30
fi
N2=$((N1 + N1 / 20)) # the second corpus: every 20th changed, 5% new
KILLS1=12 # kills per round while adding v1
KILLS2=8 # kills per round while replacing with v2

# gen N VARIANT: N JSON Lines articles naming companies, countries, people
# and targeted groups drawn by an LCG; variant 2 rewrites every 20th one.
gen() {
	awk -v n="$1" -v variant="$2" 'BEGIN {
		split("Mexico France India Hungary Rwanda Morocco Spain Poland Brazil Kenya Chile Peru Ghana Nepal Japan", C, " ")
		split("Alpha Beta Gamma Delta Omega Sigma Kappa Lambda Theta Zeta", K, " ")
		split("journalists activists lawyers dissidents politicians", T, " ")
		split("Maria Ahmed John Elena Carlos Fatima Peter Anna Omar Laura", F, " ")
		split("Garcia Khan Smith Rossi Silva Haddad Novak Weber Costa Berg", L, " ")
		seed = 12345
		for (i = 1; i <= n; i++) {
			text = ""
			for (s = 0; s < 4; s++) {
				seed = (seed * 1103515245 + 12345) % 2147483648; a = int(seed / 65536) % 15 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; b = int(seed / 65536) % 10 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; c = int(seed / 65536) % 5 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; f = int(seed / 65536) % 10 + 1
				seed = (seed * 1103515245 + 12345) % 2147483648; l = int(seed / 65536) % 10 + 1
				if (variant == 2 && i % 20 == 0 && s == 1)
					text = text sprintf("Minister %s %s of %s met %s Systems Ltd. ", F[l], L[f], C[16 - a], K[11 - b])
				else
					text = text sprintf("%s Systems Ltd sold spyware to %s, where %s were watched. Minister %s %s denied it. ", K[b], C[a], T[c], F[f], L[l])
			}
			printf "{\"id\":\"doc-%05d\",\"title\":\"Report %d\",\"date\":\"20%02d-%02d-%02d\",\"text\":\"%s\"}\n", i, i, 10 + i % 15, 1 + i % 12, 1 + i % 28, text
		}
	}'
}

gen "$N1" 1 >v1.jsonl
gen "$N2" 2 >v2.jsonl
check "corpus v1 has $N1 lines" test "$(wc -l <v1.jsonl)" -eq "$N1"
check "corpus v2 changes documents" test -n "$(cmp v1.jsonl v2.jsonl 2>&1)"

# Milliseconds since the epoch, or 0 where date has no %N.
now_ms() {
	t=$(date +%s%N 2>/dev/null)
	case $t in
	*N* | '') echo 0 ;;
	*) echo $((t / 1000000)) ;;
	esac
}

# dump CASE: the whole content that matters, by stable ids only.
dump() {
	sqlite3 "$1" "
	SELECT 'E', uid, name, type, mentions, documents, first_seen, last_seen
	  FROM entities ORDER BY uid;
	SELECT 'A', e.uid, a.alias, a.rule, a.mentions
	  FROM aliases a JOIN entities e ON e.id = a.entity_id ORDER BY 2, 3;
	SELECT 'G', min(s.uid, t.uid), max(s.uid, t.uid), g.weight,
	       g.documents, g.first_seen, g.last_seen
	  FROM edges g JOIN entities s ON s.id = g.source
	  JOIN entities t ON t.id = g.target ORDER BY 2, 3;
	SELECT 'D', doc_id, hash, date FROM documents ORDER BY doc_id;
	SELECT 'M', d.doc_id, m.start, m.end, e.uid, m.surface, m.rule
	  FROM mentions m JOIN documents d ON d.id = m.document_id
	  JOIN entities e ON e.id = m.entity_id ORDER BY 2, 3;
	SELECT 'V', d.doc_id, v.start, v.end, min(s.uid, t.uid),
	       max(s.uid, t.uid)
	  FROM evidence v JOIN documents d ON d.id = v.document_id
	  JOIN entities s ON s.id = v.source JOIN entities t ON t.id = v.target
	  ORDER BY 2, 3, 5, 6;"
}

# counts CASE: documents entities aliases mentions edges evidence
counts() {
	sqlite3 -separator ' ' "$1" "SELECT
	  (SELECT count(*) FROM documents), (SELECT count(*) FROM entities),
	  (SELECT count(*) FROM aliases), (SELECT count(*) FROM mentions),
	  (SELECT count(*) FROM edges), (SELECT count(*) FROM evidence)"
}

# Derived rows that disagree with a recount from mentions and evidence,
# documents without mentions (every generated one names someone), and
# entities without mentions: 0 in a consistent case.
BAD_SQL="SELECT
 (SELECT count(*) FROM entities e WHERE
    e.mentions != (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id)
    OR e.documents != (SELECT count(DISTINCT m.document_id) FROM mentions m
                       WHERE m.entity_id = e.id)
    OR coalesce(e.first_seen, '') != coalesce((SELECT min(d.date)
       FROM mentions m JOIN documents d ON d.id = m.document_id
       WHERE m.entity_id = e.id), '')
    OR coalesce(e.last_seen, '') != coalesce((SELECT max(d.date)
       FROM mentions m JOIN documents d ON d.id = m.document_id
       WHERE m.entity_id = e.id), '')
    OR e.mentions = 0)
+(SELECT count(*) FROM aliases a WHERE a.mentions != (SELECT count(*)
    FROM mentions m WHERE m.entity_id = a.entity_id AND m.surface = a.alias))
+(SELECT count(*) FROM edges g WHERE
    g.weight != (SELECT count(*) FROM evidence v
                 WHERE v.source = g.source AND v.target = g.target)
    OR g.documents != (SELECT count(DISTINCT v.document_id) FROM evidence v
                       WHERE v.source = g.source AND v.target = g.target)
    OR coalesce(g.last_seen, '') != coalesce((SELECT max(d.date)
       FROM evidence v JOIN documents d ON d.id = v.document_id
       WHERE v.source = g.source AND v.target = g.target), ''))
+(SELECT count(*) FROM (SELECT DISTINCT source, target FROM evidence) v
    WHERE NOT EXISTS (SELECT 1 FROM edges g
                      WHERE g.source = v.source AND g.target = v.target))
+(SELECT count(*) FROM documents d
    WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id))"

# The uninterrupted reference: v1, then v2 over it. Each step is timed so
# that the kills fall at the same points of the work on any machine.
printf '{"id": "tiny", "text": "Mexico met Peru."}\n' >tiny.jsonl
t0=$(now_ms)
run "$XREF" ingest -q --case tiny.db tiny.jsonl
expect_exit 0
t1=$(now_ms)
run "$XREF" ingest -q --batch "$BATCH" --case ref.db v1.jsonl
expect_exit 0
t2=$(now_ms)
dump ref.db >ref1.dump
ref1=$(counts ref.db)
run "$XREF" ingest -q --batch "$BATCH" --case ref.db v2.jsonl
expect_exit 0
t3=$(now_ms)
dump ref.db >ref2.dump
ref2=$(counts ref.db)
# a run with nothing to do: start-up and skipping every document
run "$XREF" ingest -q --batch "$BATCH" --case ref.db v2.jsonl
expect_exit 0
t4=$(now_ms)
LOAD_MS=$((t1 - t0))         # start-up alone
SKIP_MS=$((t4 - t3 - LOAD_MS)) # skipping every (unchanged) document
REF1_MS=$((t2 - t1 - LOAD_MS)) # the work of each phase
REF2_MS=$((t3 - t2 - LOAD_MS))
[ "$LOAD_MS" -gt 0 ] || LOAD_MS=200
[ "$SKIP_MS" -gt 0 ] || SKIP_MS=0
[ "$REF1_MS" -gt 0 ] || REF1_MS=3000
[ "$REF2_MS" -gt 0 ] || REF2_MS=3000
check "reference v1 holds $N1 documents" test "${ref1%% *}" -eq "$N1"
check "reference v2 holds $N2 documents" test "${ref2%% *}" -eq "$N2"
check "reference is consistent" test "$(sqlite3 ref.db "$BAD_SQL")" -eq 0
printf '# start-up %s ms, skipping all %s ms; ingest %s ms, then %s ms\n' \
	"$LOAD_MS" "$SKIP_MS" "$REF1_MS" "$REF2_MS"
printf '# counts %s, then %s\n' "$ref1" "$ref2"

# Pseudo-random fractions in [0, 1) from a fixed seed.
awk 'BEGIN { s = 20240917; for (i = 0; i < 400; i++) {
	s = (s * 1103515245 + 12345) % 2147483648; printf "%.4f\n", s / 2147483648 } }' >fractions
# next_delay MS: when to kill a run of a phase doing MS milliseconds of
# work, in seconds, while $progress of its $total documents are done: one
# kill in six during the start-up (loading, recovering the last kill's
# batch), the others once the done documents are skipped, up to 15% of
# the work further.
next_delay() {
	draw=$((draw + 1))
	u=$(sed -n "${draw}p" fractions)
	awk -v ms="$1" -v load="$LOAD_MS" -v skip="$SKIP_MS" -v u="$u" \
		-v done="$progress" -v total="$total" 'BEGIN {
		if (u < 1 / 6)
			d = load * u * 6
		else
			d = load + skip * done / total + ms * 0.15 * (u - 1 / 6) * 6 / 5
		printf "%.3f", d / 1000 }'
}

# after_kill PHASE: the checks after each kill.
after_kill() {
	# killed before the process even created the file (a slow start)
	if [ ! -e k.db ]; then
		ok "kill $kills: killed before the case file was created"
		return
	fi
	# a query opens it (read-only, even with a journal left behind)
	run "$XREF" entities --case k.db --top 1 --format tsv
	if [ "$status" -ne 0 ]; then
		# only acceptable before the schema was ever committed
		if [ "$(sqlite3 k.db 'SELECT count(*) FROM sqlite_schema')" = 0 ] &&
			grep -q "is empty" "$ERR"; then
			ok "kill $kills: killed before the case existed"
			return
		fi
		checks=$((checks + 1))
		fail "kill $kills: the case does not open for queries"
		return
	fi
	# one sqlite3 run: integrity, documents, inconsistencies, last id,
	# documents in their second version (the only ones with " met ")
	sqlite3 -separator ' ' k.db "PRAGMA integrity_check;
		SELECT count(*), ($BAD_SQL), coalesce(max(doc_id), '-'),
		  (SELECT count(*) FROM documents WHERE text LIKE '% met %')
		FROM documents" >state 2>&1
	integrity=$(sed -n 1p state)
	# shellcheck disable=SC2046 # the second line is four words
	set -- "$1" $(sed -n 2p state)
	docs=${2:-x} bad=${3:-x} last=${4:-x} second=${5:-0}
	if [ "$1" = 1 ]; then
		progress=$docs
	else
		progress=$((second * 20))
	fi
	checks=$((checks + 1))
	if [ "$integrity" != ok ]; then
		fail "kill $kills: integrity_check says $integrity"
	elif case $docs$bad in '' | *[!0-9]*) true ;; *) false ;; esac; then
		fail "kill $kills: cannot read the case: $(cat state)"
	elif [ "$bad" != 0 ]; then
		fail "kill $kills: $bad derived rows disagree with mentions and evidence"
	elif [ "$1" = 1 ] && [ $((docs % BATCH)) -ne 0 ] && [ "$docs" -ne "$N1" ]; then
		fail "kill $kills: $docs documents is not a whole number of batches"
	elif [ "$1" = 1 ] && [ "$docs" -gt 0 ] &&
		[ "$last" != "$(printf 'doc-%05d' "$docs")" ]; then
		fail "kill $kills: the $docs documents are not the first ones ($last)"
	elif [ "$1" = 2 ] && [ $(((docs - N1) % BATCH)) -ne 0 ] &&
		[ "$docs" -ne "$N2" ]; then
		fail "kill $kills: $docs documents is not a whole number of batches"
	else
		printf 'ok - kill %s (phase %s): case opens, integrity ok, %s documents (%s rewritten), consistent\n' \
			"$kills" "$1" "$docs" "$second"
	fi
}

# run_phase PHASE MAX: kills `xref ingest` of corpus vPHASE at most MAX
# times (fewer when a run completes first), lets the next run complete,
# then compares the case with the reference.
run_phase() {
	n_killed=0
	progress=0
	if [ "$1" = 1 ]; then
		total=$N1
	else
		total=$N2
	fi
	while [ "$n_killed" -lt "$2" ]; do
		if [ "$1" = 1 ]; then
			delay=$(next_delay "$REF1_MS")
		else
			delay=$(next_delay "$REF2_MS")
		fi
		"$XREF" ingest -q --batch "$BATCH" --case k.db "v$1.jsonl" \
			>ingest.out 2>ingest.err &
		pid=$!
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		[ "$rc" -eq 0 ] && break # it completed before the kill
		if [ "$rc" -ne 137 ]; then
			checks=$((checks + 1))
			last_cmd="xref ingest v$1.jsonl (round $round)"
			status=$rc
			cp ingest.err "$ERR"
			: >"$OUT"
			fail "ingest failed by itself with exit $rc"
			return
		fi
		kills=$((kills + 1))
		n_killed=$((n_killed + 1))
		after_kill "$1"
	done
	# a rerun finishes the job: exactly the uninterrupted result
	run "$XREF" ingest -q --batch "$BATCH" --case k.db "v$1.jsonl"
	expect_exit 0
	dump k.db >k.dump
	test_cmp "ref$1.dump" k.dump
}

kills=0
draw=0
round=0
last_phase=2
while [ "$kills" -lt "$MIN_KILLS" ] && [ "$round" -lt 6 ]; do
	round=$((round + 1))
	rm -f k.db k.db-journal
	# after the first round, only the kills still missing
	cap=$KILLS1
	[ "$round" -gt 1 ] && [ $((MIN_KILLS - kills)) -lt "$cap" ] &&
		cap=$((MIN_KILLS - kills))
	run_phase 1 "$cap"
	last_phase=1
	[ "$round" -gt 1 ] && [ "$kills" -ge "$MIN_KILLS" ] && break
	run_phase 2 "$KILLS2"
	last_phase=2
done
check "at least $MIN_KILLS kills ($kills)" test "$kills" -ge "$MIN_KILLS"

# A last rerun changes nothing.
if [ "$last_phase" = 1 ]; then
	n=$N1 ref=$ref1
else
	n=$N2 ref=$ref2
fi
cp k.db before.db
run "$XREF" ingest --batch "$BATCH" --case k.db "v$last_phase.jsonl"
expect_exit 0
expect_stdout "added 0, replaced 0, unchanged $n documents; case has $(echo "$ref" | awk '{print $1 " documents, " $2 " entities, " $5 " links"}')"
check "an unchanged rerun leaves the file byte-identical" cmp -s before.db k.db

finish
