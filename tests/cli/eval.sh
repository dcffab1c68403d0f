#!/bin/sh
# xref eval: exact scores on the tiny CoNLL and JSON Lines fixtures (made
# deterministic by a watchlist of invented names), the predictions files,
# re-scoring the CoNLL predictions independently, errors and usage, the
# news gold file, and the development NER sets when they are present.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

GOLD=$XREF_SOURCE_DIR/tests/gold
WL=$GOLD/tiny-watchlist.tsv
NER=$XREF_SOURCE_DIR/../shared/data/ner

# json_get FILE KEY.KEY...: prints a value of a JSON report (fails on
# invalid JSON).
# at_least X Y: true when the number X >= Y.
at_least() {
	awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 >= y + 0) }'
}

json_get() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)
EOF
}

# counts FILE SCOPE: "tp fp fn" of one scope (e.g. typed, per_type.PER).
counts() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for k in sys.argv[2].split("."):
    v = v[k]
print(v["tp"], v["fp"], v["fn"])
EOF
}

expect_counts() {
	checks=$((checks + 1))
	got=$(counts "$1" "$2")
	if [ "$got" = "$3" ]; then
		printf 'ok - %s = %s\n' "$2" "$3"
	else
		fail "$2: expected '$3', got '$got'"
	fi
}

# conlleval_counts PRED TYPE: "tp fp fn" for TYPE re-scored from a
# `token gold predicted` file with conlleval's chunk rules, independently
# of xref.
conlleval_counts() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import sys

def chunks(tags):
    out, start, typ = [], None, None
    for i, t in enumerate(tags + ["O"]):
        p, ty = ("O", "") if t == "O" else t.split("-", 1)
        if start is not None and (p in ("O", "B") or ty != typ):
            out.append((start, i, typ))
            start = None
        if p != "O" and start is None:
            start, typ = i, ty
    return out

gold, pred, g, p, n = set(), set(), [], [], 0
def flush():
    global g, p, n
    gold.update((a + n, b + n, t) for a, b, t in chunks(g))
    pred.update((a + n, b + n, t) for a, b, t in chunks(p))
    n += len(g)
    g, p = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.split()
    if not f or f[0] == "-DOCSTART-":
        flush()
        continue
    assert len(f) == 3, line
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in f[1:]), line
    g.append(f[1])
    p.append(f[2])
flush()
t = sys.argv[2]
gt = {c for c in gold if c[2] == t}
pt = {c for c in pred if c[2] == t}
print(len(gt & pt), len(pt - gt), len(gt - pt))
EOF
}

# --- the tiny CoNLL fixture ---------------------------------------------

run "$XREF" eval --gold "$GOLD/tiny.conll" -w "$WL"
expect_exit 0
expect_stderr_empty
cat >expected <<'EOF'
2 documents, 3 sentences, 30 tokens, 8 gold mentions, 8 predicted, 1 ignored
scope    type             tp     fp     fn precision recall     f1
typed    PER               0      0      2         -    0.0    0.0
typed    ORG               2      2      0      50.0  100.0   66.7
typed    LOC               3      1      1      75.0   75.0   75.0
typed    all               5      3      3      62.5   62.5   62.5
untyped  all               7      1      1      87.5   87.5   87.5
EOF
test_cmp expected "$OUT"

run "$XREF" eval --gold "$GOLD/tiny.conll" --watchlist "$WL" --format json \
	--predictions tiny.pred
expect_exit 0
expect_stderr_empty
save tiny.json
check "CoNLL report: gold_format" test "$(json_get tiny.json gold_format)" = conll
check "CoNLL report: typed precision" test "$(json_get tiny.json typed.precision)" = 0.625
check "CoNLL report: untyped f1" test "$(json_get tiny.json untyped.f1)" = 0.875
check "CoNLL report: ignored" test "$(json_get tiny.json ignored)" = 1
expect_counts tiny.json typed "5 3 3"
expect_counts tiny.json untyped "7 1 1"
expect_counts tiny.json per_type.PER "0 0 2"
expect_counts tiny.json per_type.ORG "2 2 0"
expect_counts tiny.json per_type.LOC "3 1 1"
# the predictions: IOB2, -DOCSTART- kept, a prediction equal to a MISC span
# written as MISC, the hyphenated token taken whole, the target left out
cat >expected <<'EOF'
-DOCSTART- O O

Zorvex B-ORG B-ORG
Dynamics I-ORG I-ORG
sold O O
Quillmark B-MISC B-MISC
Suite I-MISC I-MISC
to O O
journalists O O
in O O
France B-LOC B-LOC
. O O

a O O
Zorvex-owned B-ORG B-ORG
firm O O
hired O O
Corvin B-PER B-ORG
Hale I-PER I-ORG
near O O
tampa B-LOC O
bay I-LOC O
. O O

-DOCSTART- O O

in O O
Brindlemoor O B-LOC
, O O
Corvin B-PER B-ORG
Hale I-PER I-ORG
toured O O
France B-LOC B-LOC
and O O
Germany B-LOC B-LOC
. O O

EOF
test_cmp expected tiny.pred
for t in PER ORG LOC; do
	checks=$((checks + 1))
	if [ "$(conlleval_counts tiny.pred $t)" = "$(counts tiny.json per_type.$t)" ]; then
		printf 'ok - conlleval agrees on %s\n' "$t"
	else
		fail "conlleval disagrees on $t: $(conlleval_counts tiny.pred $t)"
	fi
done

# deterministic
run "$XREF" eval --gold "$GOLD/tiny.conll" -w "$WL" --format json
test_cmp tiny.json "$OUT"

# --- the tiny JSON Lines fixture ----------------------------------------------

run "$XREF" eval --gold "$GOLD/tiny.jsonl" -w "$WL" --format json \
	--predictions tiny-pred.jsonl
expect_exit 0
expect_stderr_empty
save tinyj.json
check "JSONL report: gold_format" test "$(json_get tinyj.json gold_format)" = jsonl
expect_counts tinyj.json typed "5 2 2"
expect_counts tinyj.json coarse "5 2 2"
expect_counts tinyj.json fine "6 2 2"
expect_counts tinyj.json untyped "7 1 1"
expect_counts tinyj.json per_type.PER "0 0 1"
expect_counts tinyj.json per_type.ORG "2 2 0"
expect_counts tinyj.json per_type.LOC "3 0 1"
# gold location Brindlemoor matches the predicted country
expect_counts tinyj.json fine_per_type.location "1 0 1"
expect_counts tinyj.json fine_per_type.target "1 0 0"
check "JSONL report: coarse f1" test "$(json_get tinyj.json coarse.f1)" = 0.714286
checks=$((checks + 1))
if "$PYTHON" - tiny-pred.jsonl <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [d["id"] for d in docs] == ["a", "b"]
b = {e["name"]: e for e in docs[1]["entities"]}
assert b["Zorvex Dynamics"]["type"] == "company"
assert b["Zorvex Dynamics"]["aliases"] == ["Zorvex"]
assert set(b) == {"Quillmark Suite", "Zorvex Dynamics", "Germany"}, b
a = [e["name"] for e in docs[0]["entities"]]
assert a[:2] == ["Zorvex Dynamics", "Corvin Hale"], a
EOF
then
	printf 'ok - JSONL predictions\n'
else
	fail "JSONL predictions"
fi

run "$XREF" eval --gold "$GOLD/tiny.jsonl" -w "$WL"
expect_exit 0
cat >expected <<'EOF'
2 documents, 8 gold entities, 8 predicted
scope    type             tp     fp     fn precision recall     f1
coarse   PER               0      0      1         -    0.0    0.0
coarse   ORG               2      2      0      50.0  100.0   66.7
coarse   LOC               3      0      1     100.0   75.0   85.7
coarse   all               5      2      2      71.4   71.4   71.4
fine     person            0      0      1         -    0.0    0.0
fine     company           2      2      0      50.0  100.0   66.7
fine     government        0      0      0         -      -      -
fine     organization      0      0      0         -      -      -
fine     media             0      0      0         -      -      -
fine     country           2      0      0     100.0  100.0  100.0
fine     location          1      0      1     100.0   50.0   66.7
fine     target            1      0      0     100.0  100.0  100.0
fine     all               6      2      2      75.0   75.0   75.0
untyped  all               7      1      1      87.5   87.5   87.5
EOF
test_cmp expected "$OUT"

# --- errors and usage ------------------------------------------------------------

run "$XREF" eval
expect_exit 2
expect_stdout_empty
expect_stderr_contains "xref: --gold FILE is required"
expect_stderr_contains "usage: xref eval --gold FILE"

run "$XREF" eval --gold "$GOLD/tiny.conll" --format csv
expect_exit 2
expect_stderr_contains "xref: unknown format 'csv' (formats: table, json)"

run "$XREF" eval --gold "$GOLD/tiny.conll" extra
expect_exit 2
expect_stderr_contains "xref: unexpected argument 'extra'"

run "$XREF" eval --gold "$GOLD/tiny.conll" --bogus
expect_exit 2
expect_stdout_empty

run "$XREF" eval --gold "$GOLD/tiny.conll" --predictions -
expect_exit 2
expect_stdout_empty

run "$XREF" eval --gold nope.conll
expect_exit 1
expect_stdout_empty
expect_stderr "xref: cannot open 'nope.conll': No such file or directory"

printf 'Ann B-PER\nlonely\n' >bad.conll
run "$XREF" eval --gold bad.conll
expect_exit 1
expect_stdout_empty
expect_stderr "xref: 'bad.conll' line 2: expected a token and a tag"

printf 'Ann B-PER\nLee Q-PER\n' >bad2.conll
run "$XREF" eval --gold bad2.conll
expect_exit 1
expect_stderr "xref: 'bad2.conll' line 2: invalid tag 'Q-PER' (expected O, B-TYPE or I-TYPE)"

printf '{"id": "a", "text": "t", "entities": []}\n{"id": "b", "text": "t", "entities": [{"name": "X", "type": "people"}]}\n' >bad.jsonl
run "$XREF" eval --gold bad.jsonl
expect_exit 1
expect_stdout_empty
expect_stderr "xref: 'bad.jsonl' line 2: entity 1: unknown type 'people'"

printf '{"id": "a", "text": "t", "entities": [}\n' >bad2.ndjson
run "$XREF" eval --gold bad2.ndjson
expect_exit 1
expect_stderr "xref: 'bad2.ndjson' line 1: invalid JSON at column 39: expected a value"

run "$XREF" eval --gold "$GOLD/tiny.conll" -w nope.tsv
expect_exit 1
expect_stderr_contains "nope.tsv"

# a predictions file that cannot be written: no report, no partial file
run "$XREF" eval --gold "$GOLD/tiny.conll" --predictions missing/dir/p.conll
expect_exit 1
expect_stdout_empty
expect_stderr_contains "xref: cannot write 'missing/dir/p.conll'"

run "$XREF" eval --help
expect_exit 0
expect_stdout_contains "usage: xref eval --gold FILE"
save help.txt
run "$XREF" help eval
test_cmp help.txt "$OUT"

# --- our news gold data -----------------------------------------------------------

run "$XREF" eval --gold "$GOLD/news.jsonl" --format json --predictions news-pred.jsonl
expect_exit 0
expect_stderr_empty
save news.json
check "news: 43 documents" test "$(json_get news.json documents)" = 43
check "news: predictions are JSON Lines, one per document" \
	"$PYTHON" -c 'import json, sys; d = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]; assert len(d) == 43 and all("id" in x and "entities" in x for x in d)' news-pred.jsonl
printf '# news.jsonl coarse F1: %s (typed P %s, R %s)\n' \
	"$(json_get news.json coarse.f1)" "$(json_get news.json coarse.precision)" \
	"$(json_get news.json coarse.recall)"
# The quality bar of our own gold set: coarse document-level F1 >= 0.85.
check "news: coarse F1 >= 0.85" at_least "$(json_get news.json coarse.f1)" 0.85

# --- the development NER sets, when present ----------------------------------------

for set in wikigold uner-ewt-dev; do
	f=$NER/$set.conll
	if [ ! -r "$f" ]; then
		printf '# %s not present, skipped\n' "$f"
		continue
	fi
	run "$XREF" eval --gold "$f" --format json --predictions "$set.pred"
	expect_exit 0
	expect_stderr_empty
	save "$set.json"
	for t in PER ORG LOC; do
		checks=$((checks + 1))
		if [ "$(conlleval_counts "$set.pred" $t)" = "$(counts "$set.json" per_type.$t)" ]; then
			printf 'ok - %s: conlleval agrees on %s\n' "$set" "$t"
		else
			fail "$set: conlleval disagrees on $t: $(conlleval_counts "$set.pred" $t) vs $(counts "$set.json" per_type.$t)"
		fi
	done
	printf '# %s typed F1: %s (P %s, R %s)\n' "$set" \
		"$(json_get "$set.json" typed.f1)" \
		"$(json_get "$set.json" typed.precision)" \
		"$(json_get "$set.json" typed.recall)"
	# The quality bar on the development sets: typed PER/ORG/LOC F1 >=
	# 0.60 with precision >= 0.65.
	check "$set: typed F1 >= 0.60" at_least "$(json_get "$set.json" typed.f1)" 0.60
	check "$set: typed precision >= 0.65" \
		at_least "$(json_get "$set.json" typed.precision)" 0.65
done

finish
