#!/usr/bin/python3
"""Writes a synthetic corpus whose co-occurrence graph has a known shape.

    gen_graph.py [--nodes N] [--giant G] [--seed S] OUTDIR

OUTDIR gets watchlist.tsv (every entity, with its type; the first is in
the large component), corpus.jsonl (dated articles) and ties.tsv (name,
name, weight: the graph the corpus should give). Each sentence names exactly two entities, so the graph
xref builds from it is the generated one: a tie of weight w is w sentences
naming its two ends. The shape is that of a news corpus: one large
component of G entities made of communities of about 100, tied mostly
inside their community, plus many small separate clusters (2 to 30
entities). Tie weights are 1, 2, 4 or 8, so that lengths 1/w add up
exactly in floating point and weighted shortest paths have no rounding
ties. The output depends only on the arguments (Python's random.Random
is stable across versions).
"""

import argparse
import json
import os
import random

TYPES = ["person", "company", "organization", "government", "media"]
ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "z", "br", "dr", "gr", "kr", "tr", "vl", "zh"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "eo"]
CODAS = ["", "", "n", "r", "l", "x", "sk", "nd"]
VERBS = ["met", "called", "paid", "sued", "advised", "hired", "criticised",
         "praised", "visited", "funded"]


def word(rng, syllables):
    s = "".join(rng.choice(ONSETS) + rng.choice(VOWELS)
                for _ in range(syllables))
    return (s + rng.choice(CODAS)).capitalize()


def names(rng, n):
    """n distinct two-word names, made of invented words only."""
    seen, out = set(), []
    while len(out) < n:
        name = word(rng, rng.randint(2, 3)) + " " + word(rng, 2)
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def weight(rng):
    return rng.choices([1, 2, 4, 8], weights=[50, 25, 15, 10])[0]


def edges(rng, n, giant):
    """The tie list {(a, b): w}, a < b."""
    e = {}

    def add(a, b):
        if a != b:
            e.setdefault((min(a, b), max(a, b)), weight(rng))

    size = 100
    groups = max(1, giant // size)
    # The large component: a tree (every node joins an earlier one, most
    # often in its own community), then as many ties again, 85% inside a
    # community, with a few hubs (endpoints drawn with a skew).
    for i in range(1, giant):
        c = i % groups
        same = [j for j in range(c, i, groups)]
        if same and rng.random() < 0.85:
            add(i, same[int(len(same) * rng.random() ** 2)])
        else:
            add(i, rng.randrange(i))
    target = len(e) + giant
    while len(e) < target:
        a = rng.randrange(giant)
        if rng.random() < 0.85:
            c = a % groups
            members = range(c, giant, groups)
            b = members[int(len(members) * rng.random() ** 2)]
        else:
            b = rng.randrange(giant)
        add(a, b)
    # Small separate clusters.
    i = giant
    while i < n:
        k = min(n - i, rng.randint(2, 30))
        if n - i - k == 1:
            k += 1
        for j in range(1, k):
            add(i + j, i + rng.randrange(j))
        for _ in range(k // 3):
            add(i + rng.randrange(k), i + rng.randrange(k))
        i += k
    return e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--giant", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n = a.nodes
    giant = min(a.giant, n)
    who = names(rng, n)
    ties = edges(rng, n, giant)

    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "watchlist.tsv"), "w",
              encoding="utf-8") as f:
        f.write("# name\ttype\n")
        for i, name in enumerate(who):
            f.write("%s\t%s\n" % (name, TYPES[i % len(TYPES)]))

    with open(os.path.join(a.outdir, "ties.tsv"), "w",
              encoding="utf-8") as f:
        for (x, y), w in sorted(ties.items()):
            f.write("%s\t%s\t%d\n" % (who[x], who[y], w))

    sentences = []
    for (x, y), w in sorted(ties.items()):
        for _ in range(w):
            sentences.append("%s %s %s." % (who[x], rng.choice(VERBS),
                                            who[y]))
    rng.shuffle(sentences)

    with open(os.path.join(a.outdir, "corpus.jsonl"), "w",
              encoding="utf-8") as f:
        doc = 0
        i = 0
        while i < len(sentences):
            k = rng.randint(8, 24)
            body = sentences[i:i + k]
            i += k
            paras = [" ".join(body[j:j + 4]) for j in range(0, len(body), 4)]
            year = 2015 + doc % 10
            date = "%04d-%02d-%02d" % (year, 1 + doc % 12, 1 + doc % 28)
            f.write(json.dumps({
                "id": "doc-%05d" % doc,
                "title": "Report %d" % doc,
                "url": "https://news.example/%d" % doc,
                "date": date,
                "text": "\n\n".join(paras),
            }) + "\n")
            doc += 1


if __name__ == "__main__":
    main()
