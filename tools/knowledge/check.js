#!/usr/bin/env node
'use strict';
// Checks the knowledge tables of ingest/knowledge/ for format and
// consistency. No dependencies beyond the scripts beside it (lib.js and
// surnames-data.js, for the surname rules the generator applies).
//
//   node tools/knowledge/check.js ingest/knowledge
//
// Exits 0 when every check passes, 1 otherwise (each problem on stderr).

const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node check.js KNOWLEDGE_DIR\n');
  process.exit(2);
}

let problems = 0;
function bad(file, line, msg) {
  problems++;
  process.stderr.write(`${file}${line ? ':' + line : ''}: ${msg}\n`);
}

function byteCmp(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc\u02bb]/g, "'").replace(/ı/g, 'i').toLowerCase();
}

// Table specifications: number of fields (min, max), allowed values of a
// field, whether the first column must be unique, whether it is a word list.
const SPECS = {
  'countries.tsv': { min: 1, max: 3, multi: [1, 2] },
  'cities.tsv': { min: 2, max: 3, multi: [2] },
  'regions.tsv': { min: 2, max: 2 },
  'titles.tsv': { min: 2, max: 2, values: { 1: ['honorific', 'office'] } },
  'org_suffixes.tsv': { min: 2, max: 2, values: { 1: ['company', 'media', 'organization', 'government', 'location'] } },
  'org_heads.tsv': { min: 2, max: 2, values: { 1: ['company', 'media', 'organization', 'government', 'location'] } },
  'targets.tsv': { min: 2, max: 2, lower: true },
  'given_names.txt': { min: 1, max: 1, capital: true },
  'surnames.txt': { min: 1, max: 1, capital: true },
  'common_words.txt': { min: 1, max: 1, lower: true },
  'stopwords.txt': { min: 1, max: 1, lower: true },
  'calendar.txt': { min: 1, max: 1, capital: true },
};

const tables = {};
let total = 0;
for (const [file, spec] of Object.entries(SPECS)) {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) { bad(file, 0, 'missing'); continue; }
  const buf = fs.readFileSync(p);
  total += buf.length;
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) bad(file, 0, 'not valid UTF-8');
  if (text.charCodeAt(0) === 0xfeff) bad(file, 0, 'starts with a byte order mark');
  if (text.includes('\r')) bad(file, 0, 'contains CR (CRLF line endings?)');
  if (!text.endsWith('\n')) bad(file, 0, 'does not end with a newline');
  const lines = text.split('\n');
  lines.pop();
  if (!/^# source: .*\(.*\)/.test(lines[0] || '') && !/^# source: written for xref/.test(lines[0] || '')) {
    bad(file, 1, 'first line must be "# source: ..." naming source and licence');
  }
  const rows = [];
  let inHeader = true;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line === '') { bad(file, n, 'empty line'); return; }
    if (/\s$/.test(line) || /^\s/.test(line)) bad(file, n, 'leading or trailing whitespace');
    if (line.startsWith('#')) {
      if (!inHeader) bad(file, n, 'comment after the first entry');
      return;
    }
    inHeader = false;
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) bad(file, n, 'control character');
    const f = line.split('\t');
    if (f.length < spec.min || f.length > spec.max) bad(file, n, `${f.length} fields, expected ${spec.min}-${spec.max}`);
    f.forEach((x, k) => {
      if (x !== x.trim() || /  /.test(x)) bad(file, n, `field ${k + 1} has stray spaces`);
      if (x === '' && k === 0) bad(file, n, 'empty first field');
      if ((spec.multi || []).includes(k) && x !== '' && x.split('|').some((v) => v === '' || v !== v.trim())) {
        bad(file, n, `field ${k + 1} has an empty or padded |-item`);
      }
      if (!(spec.multi || []).includes(k) && x.includes('|')) bad(file, n, `field ${k + 1} contains |`);
    });
    if (spec.values) {
      for (const [k, vals] of Object.entries(spec.values)) {
        if (!vals.includes(f[k])) bad(file, n, `field ${+k + 1} "${f[k]}" not one of ${vals.join(', ')}`);
      }
    }
    if (spec.lower && f.some((x) => x !== x.toLowerCase())) bad(file, n, 'must be lowercase');
    if (spec.capital && !/^\p{Lu}/u.test(f[0])) bad(file, n, 'must be capitalised');
    rows.push({ n, f });
  });
  for (let i = 1; i < rows.length; i++) {
    const c = byteCmp(rows[i - 1].f[0], rows[i].f[0]);
    if (c > 0) bad(file, rows[i].n, `not sorted: "${rows[i - 1].f[0]}" before "${rows[i].f[0]}"`);
    if (c === 0) bad(file, rows[i].n, `duplicate "${rows[i].f[0]}"`);
  }
  tables[file] = rows.map((r) => r.f);
}

if (total >= 2 * 1024 * 1024) bad('(all)', 0, `total size ${total} bytes is 2 MB or more`);

// Cross-table consistency.
const countries = tables['countries.tsv'] || [];
const countryNames = new Set(countries.map((f) => f[0]));
for (const f of tables['cities.tsv'] || []) {
  if (!countryNames.has(f[1])) bad('cities.tsv', 0, `"${f[0]}": country "${f[1]}" is not a name in countries.tsv`);
}
for (const f of tables['regions.tsv'] || []) {
  if (f[1] !== '-' && !countryNames.has(f[1])) bad('regions.tsv', 0, `"${f[0]}": country "${f[1]}" is not a name in countries.tsv`);
}

// A country surface form (name, alias, demonym) names one country only.
const owner = new Map();
for (const f of countries) {
  for (const s of [f[0], ...(f[1] || '').split('|'), ...(f[2] || '').split('|')]) {
    if (!s) continue;
    const k = fold(s);
    if (owner.has(k) && owner.get(k) !== f[0]) bad('countries.tsv', 0, `"${s}" belongs to "${owner.get(k)}" and "${f[0]}"`);
    owner.set(k, f[0]);
  }
}
// A city alias is not another city's name.
const cityNames = new Set((tables['cities.tsv'] || []).map((f) => f[0]));
for (const f of tables['cities.tsv'] || []) {
  for (const a of (f[2] || '').split('|')) if (a && cityNames.has(a)) bad('cities.tsv', 0, `alias "${a}" of "${f[0]}" is itself a city`);
}

// Given names collide with no calendar word, country form, city, region or
// function word.
const clash = new Map();
for (const s of (tables['calendar.txt'] || []).map((f) => f[0])) clash.set(fold(s), 'calendar.txt');
for (const [k] of owner) clash.set(k, 'countries.tsv');
for (const f of tables['cities.tsv'] || []) {
  for (const s of [f[0], ...(f[2] || '').split('|')]) if (s) clash.set(fold(s), 'cities.tsv');
}
for (const f of tables['regions.tsv'] || []) clash.set(fold(f[0]), 'regions.tsv');
for (const f of tables['stopwords.txt'] || []) clash.set(fold(f[0]), 'stopwords.txt');
for (const f of tables['given_names.txt'] || []) {
  const k = fold(f[0]);
  if (clash.has(k)) bad('given_names.txt', 0, `"${f[0]}" is also in ${clash.get(k)}`);
}
// Common words hold no country name, demonym or city name.
const places = new Set();
for (const f of countries) {
  for (const s of [f[0], ...(f[1] || '').split('|'), ...(f[2] || '').split('|')]) {
    if (s && !/^[A-Z.]+$/.test(s)) places.add(s.toLowerCase());
  }
}
for (const f of tables['cities.tsv'] || []) for (const s of [f[0], ...(f[2] || '').split('|')]) if (s) places.add(s.toLowerCase());
for (const f of tables['common_words.txt'] || []) {
  if (places.has(f[0])) bad('common_words.txt', 0, `"${f[0]}" is a country or city form`);
}

// Surnames: one word as the tokenizer sees it, one entry per folded form,
// no word of the other tables (lib.surnameBlocks, the rules gen-surnames.js
// applies), no common word unless kept by hand, at most 60 KiB.
{
  const lib = require('./lib');
  const SD = require('./surnames-data');
  const keep = new Set(SD.KEEP);
  const not = new Set(SD.NOT);
  const blocks = lib.surnameBlocks(dir);
  const common = new Set((tables['common_words.txt'] || []).map((f) => f[0]));
  const seen = new Map();
  for (const [name] of tables['surnames.txt'] || []) {
    if (!/^\p{Lu}[\p{L}']*\p{Ll}$/u.test(name)) bad('surnames.txt', 0, `"${name}" is not one capitalised word`);
    const k = lib.fold(name);
    if (seen.has(k)) bad('surnames.txt', 0, `"${name}" and "${seen.get(k)}" fold alike`);
    seen.set(k, name);
    const why = blocks.folded.get(k) || blocks.exact.get(name);
    if (why) bad('surnames.txt', 0, `"${name}" is also in ${why}`);
    if (common.has(name.toLowerCase()) && !keep.has(name)) bad('surnames.txt', 0, `"${name}" is a common word not kept in surnames-data.js`);
    if (not.has(name)) bad('surnames.txt', 0, `"${name}" is in the NOT list of surnames-data.js`);
  }
  const p = path.join(dir, 'surnames.txt');
  if (fs.existsSync(p) && fs.statSync(p).size > 60 * 1024) bad('surnames.txt', 0, 'larger than 60 KiB');
}

const counts = Object.entries(tables).map(([k, v]) => `${k} ${v.length}`).join(', ');
if (problems) {
  process.stderr.write(`${problems} problem(s)\n`);
  process.exit(1);
}
process.stdout.write(`ok: ${counts}; ${total} bytes\n`);
