'use strict';
// Hand-kept decisions for surnames.txt (written for xref; generic
// knowledge), used by gen-surnames.js and check.js.

// How many names of the ranked US census list are read (before filtering),
// and the rank from which a census name that is also an ordinary dictionary
// word (SCOWL sizes 10-35, any case-folded spelling in lowercase) is left
// out: "Cox", "Warren" and "Levy" are frequent enough to be names first,
// "Scales", "Vigil" and "Null" further down the list are not.
const CENSUS_TOP = 7000;
const CENSUS_WORD_RANK = 2000;

// The census writes names without punctuation and in one word: "OBRIEN",
// "DANGELO", "DELACRUZ". Spellings restored here ("Mc" names get their
// capital automatically); null drops a census form that is two or three
// words in running text ("De la Cruz", "St. John", "Van Buren"), which
// xref reads word by word anyway.
const FIX = {
  Obrien: "O'Brien", Obrian: "O'Brian", Obryan: "O'Bryan", Obryant: "O'Bryant",
  Oconnor: "O'Connor", Oconner: "O'Conner", Oconnell: "O'Connell",
  Odonnell: "O'Donnell", Ohara: "O'Hara", Okeefe: "O'Keefe",
  Oleary: "O'Leary", Omalley: "O'Malley", Omara: "O'Mara",
  Oneal: "O'Neal", Oneil: "O'Neil", Oneill: "O'Neill",
  Oreilly: "O'Reilly", Orourke: "O'Rourke", Oshea: "O'Shea",
  Osullivan: "O'Sullivan", Otoole: "O'Toole", Ogrady: "O'Grady",
  Dagostino: "D'Agostino",
  Damico: "D'Amico", Dandrea: "D'Andrea",
  Dangelo: "D'Angelo", Donofrio: "D'Onofrio",
  Deangelis: "DeAngelis", Dejesus: "DeJesus", Deleon: "DeLeon",
  Deluca: "DeLuca", Demarco: "DeMarco", Desantis: "DeSantis",
  Devito: "DeVito", Dewitt: "DeWitt", Macdonald: 'MacDonald',
  Mackenzie: 'MacKenzie', Maclean: 'MacLean', Macleod: 'MacLeod',
  Macmillan: 'MacMillan',
  Delacruz: null, Delafuente: null, Delagarza: null, Delapaz: null,
  Delarosa: null, Delatorre: null, Delossantos: null, Delrio: null,
  Delvalle: null, Dasilva: null, Dacosta: null,
  Stclair: null, Stgermain: null, Stjohn: null, Stlouis: null,
  Stpierre: null,
  Vanburen: null, Vanbuskirk: null, Vandusen: null, Vandyke: null,
  Vanhoose: null, Vanhorn: null, Vanhouten: null, Vanmeter: null,
  Vanpelt: null, Vansickle: null, Vanwinkle: null,
};

// Surnames kept although their lowercase form is among the 10,000 most
// frequent English words (common_words.txt): written with a capital in the
// middle of a sentence they are nearly always the family name. Words that
// are often capitalised for another reason stay out: colours and nature
// words (Brown, White, Green, Hill, Wood, Stone), trades that head place or
// company names (Baker, Cook, Cooper, Carpenter, Ford), titles (King,
// Bishop, Pope, Dean, Prince), place words (Park, Lake, Street, Field) and
// words that begin sentences (Young, Long, Best, Still, Way, May).
const KEEP = [
  'Archer', 'Barker', 'Bates', 'Beck', 'Bowman', 'Brooks', 'Bullock', 'Bush',
  'Butler', 'Carver', 'Chandler', 'Collier', 'Davenport', 'Drake', 'Fisher',
  'Foster', 'Freeman', 'Gibbons', 'Griffin', 'Hall', 'Hardy', 'Hart', 'Hicks',
  'Ho', 'Khan', 'Lam', 'Lynch', 'Ma', 'Manning', 'Mason', 'Miller', 'Morrow',
  'Newton', 'Pence', 'Peters', 'Pierce', 'Porter', 'Potter', 'Reed',
  'Rogers', 'Sanders', 'Sawyer', 'Sears', 'Shin', 'Sims', 'Smith', 'Stein',
  'Stokes', 'Tan', 'Tang', 'Tanner', 'Trump', 'Tucker', 'Turner', 'Walker',
  'Weaver', 'Wheeler', 'Wright',
  // Chinese and Korean names spelt like rare English words.
  'Chow', 'Ding', 'Gong', 'Tam', 'Tong', 'Wen', 'Woo',
];

// Surnames left out on judgement although no rule removes them: religious
// and national words, and frequent census names that are ordinary words or
// place words more often than names in news text.
const NOT = [
  'Bland', 'Broadway', 'Christ', 'Christian', 'Downs', 'English', 'Gentry',
  'Groves', 'Holder', 'Meadows', 'Miner', 'Pagan', 'Sands', 'Sellers',
  'Vigil', 'Welsh', 'Workman',
];

module.exports = { CENSUS_TOP, CENSUS_WORD_RANK, FIX, KEEP, NOT };
