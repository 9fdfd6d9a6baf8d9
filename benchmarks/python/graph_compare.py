"""Graph analyses side by side: continuity vs networkx on the identical
synthetic inventory graph.

    python benchmarks/python/graph_compare.py --scale-suite build/release/benchmarks/scale_suite
        [--systems 1000000] [--seed 1] [--json OUT]

The graph is continuity's synthetic inventory (``continuity.synthetic``,
the C++ generator: N systems, N / 100 business functions, 4 dependencies per
system) — the same graph the C++ ``scale_suite`` times for the same N and
seed. networkx gets it as a DiGraph (system → system it depends on, function →
system it needs); building that DiGraph is timed separately and not counted.
The three analyses, as an analyst would write them with networkx:

* cycle check: ``nx.is_directed_acyclic_graph``;
* impact propagation: everything that transitively depends on the damaged
  systems (``nx.descendants`` of a source joined to them in the reversed
  graph) — plain reachability, which ignores the any-of and k-of-n
  redundancy continuity honours, so networkx does less work than continuity;
* RTO inheritance: each system gets the smallest RTO of the functions that
  need it, directly or transitively (a pass in ``nx.topological_sort`` order).

The damaged set is the scale suite's: every 5th regular software system and
the first network core. continuity's times are the scale suite's ("cycle
check", "impact (graph)", "inheritance (graph)": CSR arrays, one thread).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from continuity import synthetic


def cpp_times(scale_suite: Path, systems: int, seed: int) -> dict[str, float]:
    """The scale suite's graph-phase times at ``systems`` (its text output)."""
    out = subprocess.run([str(scale_suite), "--sizes=1e3", f"--graph-sizes={systems:g}",
                          f"--seed={seed}", "--w1=1e4", "--no-targets", "--mc-max=0",
                          "--improve-max=0"],
                         check=True, capture_output=True, text=True).stdout
    section = re.split(r"\n== ", out)
    wanted = {"cycle check": "cycle", "impact (graph)": "impact",
              "inheritance (graph)": "inheritance"}
    for part in section:
        head = part.splitlines()[0] if part else ""
        if not head.startswith(f"{systems:.0e}".replace("e+0", "e").replace("e+", "e")) and \
                not head.startswith(_size_text(systems)):
            continue
        times: dict[str, float] = {}
        for line in part.splitlines():
            for label, key in wanted.items():
                m = re.match(rf"\s+{re.escape(label)}\s+([0-9.e+-]+) s", line)
                if m:
                    times[key] = float(m.group(1))
        if len(times) == 3:
            rss = re.search(r"peak RSS (\d+) MiB \(this phase\)", part)
            times["peak_rss_mib"] = float(rss.group(1)) if rss else float("nan")
            return times
    raise RuntimeError(f"no graph times for {systems} systems in the scale suite's output:\n{out}")


def _size_text(n: int) -> str:
    e = int(round(np.log10(n)))
    return f"1e{e}" if 10**e == n else f"{n:g}"


def networkx_times(systems: int, seed: int) -> dict[str, Any]:
    g = synthetic.generate_graph(systems, max(1, systems // 100), seed=seed)
    owner, member = synthetic.dependency_edges(g)
    ns = int(g["system_count"])
    layer = np.asarray(g["layer"])
    platform = np.asarray(g["shared_platform"])
    software = np.flatnonzero((layer == 3) & ~platform)
    core = np.flatnonzero((layer == 1) & platform)
    damaged = set(software[::5].tolist()) | ({int(core[0])} if len(core) else set())

    t0 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(ns + int(g["function_count"])))
    graph.add_edges_from(zip(owner.tolist(), member.tolist()))
    reverse = graph.reverse(copy=True)
    reverse.add_edges_from(("source", d) for d in damaged)
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    acyclic = nx.is_directed_acyclic_graph(graph)
    cycle = time.perf_counter() - t0

    t0 = time.perf_counter()
    down = nx.descendants(reverse, "source")
    impact = time.perf_counter() - t0

    rng = np.random.default_rng(seed)
    rto = {ns + f: float(v) for f, v in
           enumerate(rng.choice([0.0, 3.0, 12.0, 24.0, 72.0], int(g["function_count"])))}
    t0 = time.perf_counter()
    best: dict[int, float] = {}
    for v in nx.topological_sort(graph):
        r = rto.get(v, best.get(v, float("inf")))
        for u in graph.successors(v):
            if r < best.get(u, float("inf")):
                best[u] = r
    inheritance = time.perf_counter() - t0
    return {"edges": graph.number_of_edges(), "build": build, "cycle": cycle, "impact": impact,
            "inheritance": inheritance, "acyclic": acyclic, "down": len(down),
            "needed": sum(1 for s in best if s < ns)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale-suite", required=True, type=Path)
    parser.add_argument("--systems", type=float, default=1e6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    n = int(args.systems)
    cpp = cpp_times(args.scale_suite, n, args.seed)
    nxt = networkx_times(n, args.seed)
    print(f"Graph analyses on the synthetic inventory: {n:,} systems, {nxt['edges']:,} edges "
          f"(networkx DiGraph built in {nxt['build']:.1f} s, not counted)")
    print("| analysis | continuity s | networkx s | networkx / continuity |")
    print("| --- | ---: | ---: | ---: |")
    total_c = total_n = 0.0
    for key, label in (("cycle", "cycle check"), ("impact", "impact propagation"),
                       ("inheritance", "RTO inheritance")):
        total_c += cpp[key]
        total_n += nxt[key]
        print(f"| {label} | {cpp[key]:.4f} | {nxt[key]:.3f} | {nxt[key] / cpp[key]:,.0f}x |")
    print(f"| all three | {total_c:.4f} | {total_n:.3f} | {total_n / total_c:,.0f}x |")
    print(f"continuity peak RSS of the graph phase: {cpp['peak_rss_mib']:.0f} MiB")
    if args.json:
        Path(args.json).write_text(json.dumps({"systems": n, "continuity": cpp,
                                               "networkx": nxt}, indent=2))


if __name__ == "__main__":
    main()
