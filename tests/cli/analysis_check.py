"""Recomputes xref's analyses with networkx and compares (tests/cli/analysis_*.sh).

    analysis_check.py metrics GRAPH.json CENTRALITY.json [--weighted] [--normalized]
    analysis_check.py communities GRAPH.json COMMUNITIES.json [--component]
    analysis_check.py weights GRAPH.json CASE.db MODE CENTRALITY.json
    analysis_check.py backbone GRAPH.json ALPHA CENTRALITY.json
    analysis_check.py ties GRAPH.json TIES.tsv NODES

GRAPH.json is `xref export --format json` (node-link, ties with "weight"),
CENTRALITY.json `xref centrality --format json`, COMMUNITIES.json
`xref communities --format json` (with --component, of one connected
component of GRAPH, which is then the graph compared). Prints one line per check; exits 1 on
the first disagreement.

Agreement means |ours - networkx| <= 1e-6 * |networkx| + floor, where the
floor is 1e-9 times the largest value of that metric (values that should be
0 come out of an eigensolver as 1e-17, not 0). The definitions differ in
scale only, as follows (ours on the left):

  closeness    1 / sum of distances to the nodes reached. networkx's
               closeness_centrality is (r - 1) / sum with r the size of
               the node's component (wf_improved=False: by default it
               also multiplies by (r - 1) / (n - 1), the Wasserman-Faust
               scaling for disconnected graphs). So ours = nx / (r - 1);
               with --normalized ours = nx(wf_improved=False). Isolated
               nodes: 0 in both.
  eigenvector  unit Euclidean length, like eigenvector_centrality_numpy
               (igraph's own scaling makes the largest 1: that is ours
               with --normalized). Only the leading eigenvector's support
               is non-zero; on a disconnected graph that is the component
               with the largest eigenvalue.
  betweenness  each unordered pair once = networkx normalized=False on an
               undirected graph; --normalized = networkx normalized=True.
  pagerank     damping 0.85, ties weighted; a node without ties jumps
               uniformly in both (networkx's default dangling rule).
  harmonic     equal; --normalized divides by n - 1.
  degree, strength: --normalized divides by n - 1 (degree_centrality).
  coreness     core_number; --normalized divides by the largest.
Weighted path metrics use a length of 1 / weight in networkx too.
"""

import json
import math
import sqlite3
import sys

import networkx as nx
from networkx.algorithms import community as nxc

RTOL = 1e-6


def load_graph(path):
    data = json.load(open(path, encoding="utf-8"))
    g = nx.Graph()
    for n in data["nodes"]:
        g.add_node(n["id"], name=n.get("label"))
    for l in data["links"]:
        w = float(l["weight"])
        g.add_edge(l["source"], l["target"], weight=w, length=1.0 / w)
    return g


def load_rows(path):
    rows = json.load(open(path, encoding="utf-8"))
    return {r["id"]: r for r in rows}


def fail(msg):
    print("not ok - " + msg)
    sys.exit(1)


def compare(name, ours, theirs):
    """ours: {id: value}; theirs: {id: value} over the same nodes."""
    if set(ours) != set(theirs):
        fail("%s: node sets differ (%d vs %d)" % (name, len(ours),
                                                   len(theirs)))
    top = max([abs(v) for v in theirs.values()] + [0.0])
    floor = 1e-9 * top
    worst, where = 0.0, None
    for k, want in theirs.items():
        got = ours[k]
        if got is None:
            fail("%s: no value for %s" % (name, k))
        err = abs(got - want)
        if err > RTOL * abs(want) + floor:
            fail("%s: %s ours %r networkx %r" % (name, k, got, want))
        rel = err / abs(want) if abs(want) > floor else 0.0
        if rel > worst:
            worst, where = rel, k
    print("ok - %s agrees on %d nodes (worst relative difference %.2e)"
          % (name, len(theirs), worst))


def reference(g, metric, weighted, normalized):
    n = g.number_of_nodes()
    length = "length" if weighted else None
    if metric == "degree":
        if normalized:
            return nx.degree_centrality(g)
        return dict(g.degree())
    if metric == "strength":
        s = dict(g.degree(weight="weight"))
        if normalized:
            return {k: v / (n - 1) for k, v in s.items()}
        return s
    if metric == "betweenness":
        return nx.betweenness_centrality(g, normalized=normalized,
                                         weight=length)
    if metric == "closeness":
        c = nx.closeness_centrality(g, distance=length, wf_improved=False)
        if normalized:
            return c
        size = {}
        for comp in nx.connected_components(g):
            for v in comp:
                size[v] = len(comp)
        return {k: (v / (size[k] - 1) if size[k] > 1 else 0.0)
                for k, v in c.items()}
    if metric == "harmonic":
        h = nx.harmonic_centrality(g, distance=length)
        if normalized:
            return {k: v / (n - 1) for k, v in h.items()}
        return h
    if metric == "pagerank":
        return nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-15,
                           max_iter=100000)
    if metric == "eigenvector":
        e = nx.eigenvector_centrality_numpy(g, weight="weight")
        e = {k: abs(v) for k, v in e.items()}
        if normalized:
            top = max(e.values())
            return {k: v / top for k, v in e.items()}
        return e
    if metric == "coreness":
        c = nx.core_number(g)
        if normalized:
            top = max(c.values()) or 1
            return {k: v / top for k, v in c.items()}
        return c
    fail("unknown metric %s" % metric)


def cmd_metrics(args):
    g = load_graph(args[0])
    rows = load_rows(args[1])
    weighted = "--weighted" in args
    normalized = "--normalized" in args
    if set(rows) != set(g.nodes):
        fail("centrality lists %d entities, the graph has %d"
             % (len(rows), g.number_of_nodes()))
    print("ok - graph of %d nodes, %d ties, %d components"
          % (g.number_of_nodes(), g.number_of_edges(),
             nx.number_connected_components(g)))
    metrics = [k for k in next(iter(rows.values()))
               if k not in ("id", "name", "type")]
    for m in metrics:
        ours = {k: r[m] for k, r in rows.items()}
        compare(m + (" (weighted)" if weighted else "")
                + (" (normalized)" if normalized else ""),
                ours, reference(g, m, weighted, normalized))


def cmd_communities(args):
    g = load_graph(args[0])
    data = json.load(open(args[1], encoding="utf-8"))
    comms = data["communities"]
    seen = {}
    sizes = []
    for i, c in enumerate(comms):
        if c["id"] != i or c["size"] != len(c["members"]):
            fail("community %d: bad id or size" % i)
        sizes.append(c["size"])
        for m in c["members"]:
            if set(m) != {"id", "name", "type"} or m["id"] in seen:
                fail("community %d: bad member %r" % (i, m))
            seen[m["id"]] = i
    if "--component" in args:
        first = next(iter(seen))
        g = g.subgraph(nx.node_connected_component(g, first)).copy()
    if set(seen) != set(g.nodes):
        fail("communities cover %d entities, the graph has %d"
             % (len(seen), g.number_of_nodes()))
    if sizes != sorted(sizes, reverse=True):
        fail("communities are not numbered by size")
    parts = [set(m["id"] for m in c["members"]) for c in comms]
    q = nxc.modularity(g, parts, weight="weight")
    if abs(q - data["modularity"]) > 1e-6 * abs(q) + 1e-9:
        fail("modularity: ours %r networkx %r" % (data["modularity"], q))
    print("ok - modularity %.6f agrees with networkx (%d communities)"
          % (q, len(comms)))
    louvain = nxc.louvain_communities(g, weight="weight", seed=42)
    ql = nxc.modularity(g, louvain, weight="weight")
    print("# leiden %.6f, networkx louvain %.6f (%d communities)"
          % (q, ql, len(louvain)))
    if q < ql - 0.01:
        fail("leiden modularity %.6f < louvain %.6f - 0.01" % (q, ql))
    print("ok - leiden modularity >= louvain - 0.01")


def cmd_ties(args):
    """The graph is the generated one: same names, same weights."""
    data = json.load(open(args[0], encoding="utf-8"))
    name = {n["id"]: n["label"] for n in data["nodes"]}
    got = {tuple(sorted((name[l["source"]], name[l["target"]]))): l["weight"]
           for l in data["links"]}
    want = {}
    for line in open(args[1], encoding="utf-8"):
        a, b, w = line.rstrip("\n").split("\t")
        want[tuple(sorted((a, b)))] = int(w)
    if len(name) != int(args[2]):
        fail("the graph has %d entities, not %s" % (len(name), args[2]))
    if got != want:
        fail("the graph differs from the generated one (%d vs %d ties)"
             % (len(got), len(want)))
    print("ok - the graph is the generated one: %d entities, %d ties"
          % (len(name), len(got)))


def cmd_weights(args):
    """Tie strengths recomputed from the case file's evidence."""
    g = load_graph(args[0])
    db = sqlite3.connect(args[1])
    mode = args[2]
    rows = load_rows(args[3])
    uid = dict(db.execute("SELECT id, uid FROM entities"))
    windows = {}
    total = db.execute("SELECT count(*) FROM (SELECT DISTINCT document_id,"
                       " start FROM evidence)").fetchone()[0]
    for (e, n) in db.execute(
            "SELECT entity, count(*) FROM (SELECT source AS entity,"
            " document_id, start FROM evidence UNION SELECT target,"
            " document_id, start FROM evidence) GROUP BY entity"):
        windows[uid[e]] = n
    want = nx.Graph()
    want.add_nodes_from(g.nodes)
    for a, b, d in g.edges(data=True):
        w = d["weight"]
        if mode == "npmi":
            pab = w / total
            s = (1.0 if pab >= 1 else
                 math.log(pab / (windows[a] / total * windows[b] / total))
                 / -math.log(pab))
            if s <= 0:
                continue
        else:
            s = w / (windows[a] + windows[b] - w)
        want.add_edge(a, b, weight=s)
    for m in ("strength", "degree"):
        if m in next(iter(rows.values())):
            compare("%s with --weight %s" % (m, mode),
                    {k: r[m] for k, r in rows.items()},
                    dict(want.degree(weight="weight" if m == "strength"
                                     else None)))


def cmd_backbone(args):
    """The disparity filter recomputed on the count graph."""
    g = load_graph(args[0])
    alpha = float(args[1])
    rows = load_rows(args[2])
    s = dict(g.degree(weight="weight"))
    k = dict(g.degree())
    keep = nx.Graph()
    keep.add_nodes_from(g.nodes)
    for a, b, d in g.edges(data=True):
        for v in (a, b):
            if k[v] > 1 and (1 - d["weight"] / s[v]) ** (k[v] - 1) < alpha:
                keep.add_edge(a, b)
    compare("degree after --backbone %s (%d of %d ties kept)"
            % (alpha, keep.number_of_edges(), g.number_of_edges()),
            {key: r["degree"] for key, r in rows.items()},
            dict(keep.degree()))
    if keep.number_of_edges() in (0, g.number_of_edges()):
        fail("the backbone kept all or nothing")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"metrics": cmd_metrics, "communities": cmd_communities, "ties": cmd_ties,
     "weights": cmd_weights, "backbone": cmd_backbone}[cmd](args)


if __name__ == "__main__":
    main()
