#!/usr/bin/env node
'use strict';
// Checks the two hand-written tables that keep the recognizer from
// mistaking things: organizations.tsv (well-known organisations) and
// nonames.txt (capitalised words that are never a name on their own),
// against each other and against the other knowledge tables. No
// dependencies.
//
//   node tools/knowledge/check-orgs.js ingest/knowledge
//
// Exits 0 when every check passes (printing the row counts), 1 otherwise
// (each problem on stderr), 2 on usage errors.
//
// Surface forms are compared the way the loader keys them (see
// xref_utf8_fold in ingest/utf8.h): compatibility decomposition, case
// folding, combining marks dropped, dots and apostrophes dropped, any other
// run of punctuation, symbols or spaces made one space. So "U.N." and "UN",
// or "Hürriyet" and "Hurriyet", are the same key and may appear only once.

const fs = require('fs');
const path = require('path');

// Single-word names and aliases kept although the word is a frequent English
// word or a given name: the organisation is what capitalised news text
// means far more often. Every entry must still be needed (an unused one is
// reported), so this list stays the exact record of those judgements.
const ORG_WORD_OK = [
  'Alphabet', 'Amazon', 'Apple', 'Audi', 'Aviva', 'Chrysler', 'Cornell', 'Dell',
  'Didi', 'Dodgers', 'ETA', 'Forbes', 'Ford', 'Guardian', 'ICE', 'ISIS', 'Jeep',
  'Labour', 'Meta', 'Morena', 'Nike', 'Oracle', 'Pentagon', 'RAF', 'Renault', 'SAP',
  'Shell', 'Stanford', 'Telegram', 'Telegraph', 'UPS', 'WAFA', 'WHO', 'Yahoo',
  'Yale', 'Élysée',
];
// Words of nonames.txt that are also given names, kept because the name is
// rare and the other meaning common.
const NONAME_GIVEN_OK = ['Dari', 'Easter'];
const TYPES = ['company', 'government', 'organization', 'media'];

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  process.stderr.write('usage: node check-orgs.js KNOWLEDGE_DIR\n');
  process.exit(2);
}

let problems = 0;
function bad(file, line, msg) {
  problems++;
  process.stderr.write(`${file}${line ? ':' + line : ''}: ${msg}\n`);
}

function fold(s) {
  return s.normalize('NFKD').toLowerCase().replace(/ß/g, 'ss')
    .replace(/\p{M}/gu, '')
    .replace(/[.'\u2018\u2019\u02bc\u02bb]/g, '')
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, ' ')
    .trim();
}

function byteCmp(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// Reads a table, checking the format rules every table shares; returns
// [{ n, f }] for the non-comment lines.
function readTable(file, required) {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) {
    if (required) bad(file, 0, 'missing');
    return [];
  }
  const buf = fs.readFileSync(p);
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) bad(file, 0, 'not valid UTF-8');
  if (!required) {
    return text.split('\n').map((l, i) => ({ n: i + 1, f: l.split('\t') }))
      .filter((r) => r.f[0] !== '' && !r.f[0].startsWith('#'));
  }
  if (text.charCodeAt(0) === 0xfeff) bad(file, 0, 'starts with a byte order mark');
  if (text.includes('\r')) bad(file, 0, 'contains CR');
  if (!text.endsWith('\n')) bad(file, 0, 'does not end with a newline');
  if (text !== text.normalize('NFC')) bad(file, 0, 'not in Unicode NFC');
  const lines = text.split('\n');
  lines.pop();
  if (!/^# source: written for xref/.test(lines[0] || '')) {
    bad(file, 1, 'first line must be "# source: written for xref ..."');
  }
  const rows = [];
  let header = true;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line === '') { bad(file, n, 'empty line'); return; }
    if (line !== line.trim()) bad(file, n, 'leading or trailing whitespace');
    if (line.startsWith('#')) {
      if (!header) bad(file, n, 'comment after the first entry');
      return;
    }
    header = false;
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) bad(file, n, 'control character');
    rows.push({ n, f: line.split('\t') });
  });
  for (let i = 1; i < rows.length; i++) {
    const c = byteCmp(rows[i - 1].f[0], rows[i].f[0]);
    if (c > 0) bad(file, rows[i].n, `not sorted: "${rows[i - 1].f[0]}" before "${rows[i].f[0]}"`);
    if (c === 0) bad(file, rows[i].n, `duplicate "${rows[i].f[0]}"`);
  }
  return rows;
}

// What the other tables say about a folded key.
const places = new Map(); // key -> "country X" / "city X" / "region X"
const words = new Map();  // key -> set of list names
function word(s, what) {
  const k = fold(s);
  if (!words.has(k)) words.set(k, new Set());
  words.get(k).add(what);
}
for (const { f } of readTable('countries.tsv', false)) {
  for (const s of [f[0], ...(f[1] || '').split('|'), ...(f[2] || '').split('|')]) {
    if (s) places.set(fold(s), `a form of the country "${f[0]}"`);
  }
}
for (const { f } of readTable('cities.tsv', false)) {
  for (const s of [f[0], ...(f[2] || '').split('|')]) if (s) places.set(fold(s), `the city "${f[0]}"`);
}
for (const { f } of readTable('regions.tsv', false)) places.set(fold(f[0]), `the region "${f[0]}"`);
for (const { f } of readTable('common_words.txt', false)) word(f[0], 'common_words.txt');
for (const { f } of readTable('given_names.txt', false)) word(f[0], 'given_names.txt');
for (const { f } of readTable('stopwords.txt', false)) word(f[0], 'stopwords.txt');
for (const { f } of readTable('calendar.txt', false)) word(f[0], 'calendar.txt');
for (const { f } of readTable('titles.tsv', false)) if (!f[0].includes(' ')) word(f[0], 'titles.tsv');
for (const { f } of readTable('descriptors.tsv', false)) word(f[0], 'descriptors.tsv');

// organizations.tsv
const F = 'organizations.tsv';
const orgRows = readTable(F, true);
const owner = new Map(); // folded surface -> name of its row
const orgOk = new Set(ORG_WORD_OK);
const orgOkUsed = new Set();
const counts = {};
for (const { n, f } of orgRows) {
  if (f.length < 2 || f.length > 3) { bad(F, n, `${f.length} fields, expected 2 or 3`); continue; }
  if (!TYPES.includes(f[1])) bad(F, n, `type "${f[1]}" is not one of ${TYPES.join(', ')}`);
  counts[f[1]] = (counts[f[1]] || 0) + 1;
  if (f.length === 3 && f[2] === '') bad(F, n, 'empty aliases field (leave the TAB out)');
  const surfaces = [f[0], ...(f.length === 3 ? f[2].split('|') : [])];
  for (const s of surfaces) {
    const k = fold(s);
    if (s !== s.trim() || /\s\s/.test(s) || s === '') { bad(F, n, `empty or badly spaced name "${s}"`); continue; }
    if (!k) { bad(F, n, `"${s}" has no letters or digits`); continue; }
    if (owner.has(k)) {
      bad(F, n, `"${s}" is the same key as a form of "${owner.get(k)}"`);
      continue;
    }
    owner.set(k, f[0]);
    if (places.has(k)) bad(F, n, `"${s}" is ${places.get(k)}`);
    if (!k.includes(' ') && words.has(k)) {
      if (orgOk.has(s)) orgOkUsed.add(s);
      else bad(F, n, `"${s}" is a single word in ${[...words.get(k)].join(', ')}`);
    }
  }
}
for (const s of ORG_WORD_OK) {
  if (!orgOkUsed.has(s)) bad(F, 0, `"${s}" is listed in ORG_WORD_OK but no longer needed there`);
}

// nonames.txt
const N = 'nonames.txt';
const nnRows = readTable(N, true);
const nnKeys = new Set();
const givenOk = new Set(NONAME_GIVEN_OK);
const givenOkUsed = new Set();
for (const { n, f } of nnRows) {
  const w = f[0];
  const k = fold(w);
  if (f.length !== 1) { bad(N, n, 'one word per line, no TAB'); continue; }
  if (!/^\p{Lu}/u.test(w)) bad(N, n, `"${w}" does not start with a capital letter`);
  if (!k || k.includes(' ')) bad(N, n, `"${w}" is not a single word once folded`);
  if (nnKeys.has(k)) bad(N, n, `"${w}" is the same key as an earlier word`);
  nnKeys.add(k);
  if (places.has(k)) bad(N, n, `"${w}" is ${places.get(k)}`);
  if (owner.has(k)) bad(N, n, `"${w}" names "${owner.get(k)}" in ${F}`);
  if (words.has(k) && words.get(k).has('given_names.txt')) {
    if (givenOk.has(w)) givenOkUsed.add(w);
    else bad(N, n, `"${w}" is a given name`);
  }
}
for (const s of NONAME_GIVEN_OK) {
  if (!givenOkUsed.has(s)) bad(N, 0, `"${s}" is listed in NONAME_GIVEN_OK but no longer needed there`);
}

if (problems) {
  process.stderr.write(`${problems} problem(s)\n`);
  process.exit(1);
}
const byType = TYPES.map((t) => `${t} ${counts[t] || 0}`).join(', ');
process.stdout.write(`ok: ${F} ${orgRows.length} (${byType}), ${N} ${nnRows.length}\n`);
