"""W1 over a Dask LocalCluster with streaming statistics, against the exact
statistics of the same trials.

    python benchmarks/python/w1_stream.py [--trials 10000000 100000000] [--workers 2]
                                          [--accuracy 0.001] [--tail 10000] [--json OUT]

For each trial count: a fresh LocalCluster (``--workers`` worker processes of
one thread each) runs ``simulate_portfolio_distributed(..., statistics=
StreamingStatistics(...))`` — each worker simulates its shard a chunk of 2**20
trials at a time and returns only its summary — and every worker reports the
peak resident memory of its process (VmHWM, Linux) before and after the run.
Then this process computes the exact statistics of the same trials (same seed:
the trials are bit-identical) by holding every annual loss — 800 MB of float64
at 10⁸ trials — in one array and sorting it (``LossStatistics``), and the
streaming VaR/TVaR are compared with those exact figures and with the stated
bound (relative accuracy α), and both with the Panjer-recursion references of
tests/data/w1.md. Run it on a quiet machine: it takes a few minutes at 10⁸.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import time
from typing import Any

import numpy as np

import continuity as ct
from continuity.distributed import simulate_portfolio_distributed

W1 = [ct.TopDownScenario(name, {"poisson": lam}, {"lognormal": {"p5": lo, "p95": hi}})
      for name, lam, lo, hi in [("ransomware", 0.30, 50_000.0, 2_000_000.0),
                                ("data_leak", 0.50, 20_000.0, 500_000.0),
                                ("outage", 2.00, 5_000.0, 100_000.0)]]
REFERENCE = {"VaR99": 2_842_250.0, "TVaR99": 4_620_000.0}  # tests/data/w1.md (Panjer)
LEVEL = 0.99


def peak_mib() -> float:
    """Peak resident memory of the calling process: VmHWM of /proc/self/status
    (Linux), the high-water mark of this process's own address space (unlike
    ru_maxrss, which keeps the peak of the process it was forked from)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def streaming_run(trials: int, seed: int, workers: int,
                  options: ct.StreamingStatistics) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        before = client.run(peak_mib)
        start = time.perf_counter()
        summary = simulate_portfolio_distributed(client, W1, trials, seed, statistics=options)
        seconds = time.perf_counter() - start
        after = client.run(peak_mib)
    s = summary.statistics
    return {"trials": trials, "seconds": seconds,
            "worker_peak_mib_before": sorted(before.values()),
            "worker_peak_mib_after": sorted(after.values()),
            "summary_bytes": len(pickle.dumps(summary)),
            "mean": s.mean, "VaR99": s.value_at_risk(LEVEL),
            "TVaR99": s.tail_value_at_risk(LEVEL), "exact_at_99": s.exact_at(LEVEL)}


def exact_run(trials: int, seed: int, chunk: int = 2**20) -> dict[str, Any]:
    start = time.perf_counter()
    losses = np.empty(trials)
    for first in range(0, trials, chunk):
        n = min(chunk, trials - first)
        losses[first:first + n] = ct.simulate_portfolio(W1, n, seed, first_trial=first).annual_loss
    stats = ct.LossStatistics(losses)
    del losses
    out = {"seconds": time.perf_counter() - start, "mean": stats.mean,
           "VaR99": stats.value_at_risk(LEVEL), "TVaR99": stats.tail_value_at_risk(LEVEL),
           "standard_error": stats.standard_error, "process_peak_mib": peak_mib()}
    del stats
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accuracy", type=float, default=1e-3)
    parser.add_argument("--tail", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    options = ct.StreamingStatistics(relative_accuracy=args.accuracy, tail=args.tail)
    alpha = args.accuracy

    rows = []
    for n in args.trials:
        stream = streaming_run(n, args.seed, args.workers, options)
        exact = exact_run(n, args.seed)
        rows.append({"stream": stream, "exact": exact})
        print(f"W1, {n:,} trials, seed {args.seed}, {args.workers} workers x 1 thread, "
              f"alpha = {alpha:g}, tail = {args.tail:,} ({os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.2f})", flush=True)
        print("| figure | streaming | exact | relative difference | bound α | Panjer |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for key in ("VaR99", "TVaR99"):
            d = abs(stream[key] - exact[key]) / exact[key]
            print(f"| {key} | {stream[key]:,.2f} | {exact[key]:,.2f} | {d:.2e} | {alpha:g} | "
                  f"{REFERENCE[key]:,.0f} ({(exact[key] / REFERENCE[key] - 1):+.2%}) |")
        d = abs(stream["mean"] - exact["mean"]) / exact["mean"]
        print(f"| mean | {stream['mean']:,.4f} | {exact['mean']:,.4f} | {d:.2e} | exact sums | "
              f"326,293 (SE {exact['standard_error']:,.0f}) |")
        print(f"streaming run: {stream['seconds']:.1f} s; peak memory per worker "
              f"{', '.join(f'{m:.0f}' for m in stream['worker_peak_mib_after'])} MiB "
              f"(after start-up {', '.join(f'{m:.0f}' for m in stream['worker_peak_mib_before'])} "
              f"MiB); summary {stream['summary_bytes'] / 1024:.0f} KiB; "
              f"exact at 99 %: {stream['exact_at_99']}")
        print(f"exact run (one process, every trial held): {exact['seconds']:.1f} s, "
              f"peak memory of this process so far {exact['process_peak_mib']:.0f} MiB\n",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
