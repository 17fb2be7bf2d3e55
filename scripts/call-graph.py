#!/usr/bin/env python3
"""Call circles between source files, from the symbols their objects define
and use (nm).  A file A uses B when A's object refers to a symbol B's object
defines.  Files in one strongly connected component of more than one file
call each other in a circle; that is a layering fault unless they are one
concept split over files (listed with --group "a.c b.c").

usage: call-graph.py [--group "f1 f2"]... OBJ...   exit 1 when a circle is found
"""
import subprocess, sys
from collections import defaultdict

def symbols(objs):
    out = subprocess.run(["nm", "-A", "--", *objs], capture_output=True,
                         text=True, check=True).stdout
    defs, uses = {}, defaultdict(set)
    for line in out.splitlines():
        name, _, rest = line.rpartition(".o:")
        name += ".o"
        f = rest.split()
        if len(f) == 3 and f[1] in ("T", "D", "B", "R", "C"):
            defs[f[2]] = name
        elif len(f) == 2 and f[0] == "U":
            uses[name].add(f[1])
    return defs, uses

def sccs(nodes, edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    def visit(v):
        index[v] = low[v] = len(index); stack.append(v); on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            out.append(comp)
    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index: visit(v)
    return out

def main(argv):
    groups, objs = [], []
    it = iter(argv)
    for a in it:
        if a == "--group": groups.append(set(next(it).split()))
        else: objs.append(a)
    defs, uses = symbols(objs)
    def short(o):
        return o.rsplit("/", 1)[-1].replace(".o", ".c")
    def node(o):
        s = short(o)
        for i, g in enumerate(groups):
            if s in g: return "{" + " ".join(sorted(g)) + "}"
        return s
    edges = defaultdict(set)
    for o in objs:
        for sym in uses.get(o, ()):
            d = defs.get(sym)
            if d and node(d) != node(o):
                edges[node(o)].add(node(d))
    nodes = sorted({node(o) for o in objs})
    bad = [sorted(c) for c in sccs(nodes, edges) if len(c) > 1]
    for c in bad:
        print("call circle: " + " <-> ".join(c))
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
