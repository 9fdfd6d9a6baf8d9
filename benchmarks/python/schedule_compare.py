"""Recovery scheduling quality: continuity's fast schedule (priority rule,
one serial SGS pass) and improving search vs OR-Tools CP-SAT, on PSPLIB J30
instances (the RCPSP underneath continuity's recovery plans).

    python benchmarks/python/schedule_compare.py --psplib-bench build/release/benchmarks/psplib_bench
        [--instances 48] [--budget 5000] [--cpsat-seconds 10] [--json OUT]

CP-SAT is the quality reference (an exact solver given time); the PSPLIB
optimum of each instance is also shown. Deviation is (makespan − optimum) /
optimum. Times are per instance: continuity's from psplib_bench, CP-SAT's
wall time with 2 workers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "psplib"


def read_sm(path: Path) -> tuple[list[int], list[list[int]], list[list[int]], list[int]]:
    """Durations, successors, demands and capacities of a PSPLIB .sm file."""
    lines = path.read_text().splitlines()
    k = next(i for i, l in enumerate(lines) if l.startswith("PRECEDENCE RELATIONS"))
    succ: list[list[int]] = []
    i = k + 2
    while not lines[i].startswith("*"):
        f = [int(x) for x in lines[i].split()]
        succ.append([s - 1 for s in f[3:]])
        i += 1
    k = next(i for i, l in enumerate(lines) if l.startswith("REQUESTS/DURATIONS"))
    dur: list[int] = []
    dem: list[list[int]] = []
    i = k + 3
    while not lines[i].startswith("*"):
        f = [int(x) for x in lines[i].split()]
        dur.append(f[2])
        dem.append(f[3:])
        i += 1
    k = next(i for i, l in enumerate(lines) if l.startswith("RESOURCEAVAILABILITIES"))
    cap = [int(x) for x in lines[k + 2].split()]
    return dur, succ, dem, cap


def cpsat(path: Path, seconds: float) -> tuple[int, bool, float]:
    """CP-SAT makespan, whether proven optimal, and wall time."""
    from ortools.sat.python import cp_model

    dur, succ, dem, cap = read_sm(path)
    horizon = sum(dur)
    m = cp_model.CpModel()
    start = [m.new_int_var(0, horizon, f"s{j}") for j in range(len(dur))]
    intervals = [m.new_fixed_size_interval_var(start[j], dur[j], f"i{j}") for j in range(len(dur))]
    for j, ss in enumerate(succ):
        for s in ss:
            m.add(start[s] >= start[j] + dur[j])
    for r, c in enumerate(cap):
        used = [(intervals[j], dem[j][r]) for j in range(len(dur)) if dem[j][r] > 0]
        m.add_cumulative([u[0] for u in used], [u[1] for u in used], c)
    sink = len(dur) - 1
    m.minimize(start[sink])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    t0 = time.perf_counter()
    status = solver.solve(m)
    wall = time.perf_counter() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no schedule for {path.name}")
    return int(solver.value(start[sink])), status == cp_model.OPTIMAL, wall


def run_bench(bench: Path, folder: Path, budget: int) -> dict[str, tuple[int, float, float]]:
    """psplib_bench per instance: reference, makespan, ms."""
    out = subprocess.run([str(bench), str(folder), str(DATA / "j30opt.sm"), str(budget)],
                         check=True, capture_output=True, text=True).stdout
    rows: dict[str, tuple[int, float, float]] = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 6 and f[0].endswith(".sm"):
            rows[f[0]] = (int(f[1]), float(f[2]), float(f[5]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--psplib-bench", required=True, type=Path)
    parser.add_argument("--instances", type=int, default=48,
                        help="every (480 / N)-th J30 instance")
    parser.add_argument("--budget", type=int, default=5000)
    parser.add_argument("--cpsat-seconds", type=float, default=10.0)
    parser.add_argument("--json")
    args = parser.parse_args()

    def order(p: Path) -> tuple[int, int]:  # j30<parameter set>_<instance>
        par, inst = p.stem[3:].split("_")
        return int(par), int(inst)

    files = sorted(DATA.glob("j30*_*.sm"), key=order)
    step = max(1, len(files) // args.instances)
    chosen = files[::step][: args.instances]
    with tempfile.TemporaryDirectory() as tmp:
        for f in chosen:
            shutil.copy(f, tmp)
        fast = run_bench(args.psplib_bench, Path(tmp), 1)
        improved = run_bench(args.psplib_bench, Path(tmp), args.budget)
    rows: list[dict[str, Any]] = []
    for f in chosen:
        ref, fm, fms = fast[f.name]
        _, im, ims = improved[f.name]
        cm, optimal, cs = cpsat(f, args.cpsat_seconds)
        rows.append({"instance": f.name, "optimum": ref, "fast": fm, "fast_ms": fms,
                     "improved": im, "improved_ms": ims, "cpsat": cm, "cpsat_optimal": optimal,
                     "cpsat_ms": 1000 * cs})

    def mean(key: str) -> float:
        return sum(r[key] for r in rows) / len(rows)

    def dev(key: str) -> float:
        return 100 * sum((r[key] - r["optimum"]) / r["optimum"] for r in rows) / len(rows)

    n = len(rows)
    print(f"RCPSP quality on {n} PSPLIB J30 instances (every {step}th), PSPLIB optima as reference")
    print("| schedule | mean deviation from optimum | optimal found | mean ms per instance |")
    print("| --- | ---: | ---: | ---: |")
    for key, label in (("fast", "continuity fast (priority rule, 1 schedule)"),
                       ("improved", f"continuity improving search ({args.budget} schedules)"),
                       ("cpsat", f"OR-Tools CP-SAT (≤ {args.cpsat_seconds:g} s, 2 workers)")):
        hits = sum(1 for r in rows if r[key] == r["optimum"])
        print(f"| {label} | {dev(key):.2f} % | {hits}/{n} | {mean(key + '_ms'):.2f} |")
    print(f"CP-SAT proved optimality on {sum(r['cpsat_optimal'] for r in rows)}/{n}")
    print(f"time ratio CP-SAT / fast: {mean('cpsat_ms') / mean('fast_ms'):,.0f}x; "
          f"CP-SAT / improving search: {mean('cpsat_ms') / mean('improved_ms'):.1f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "dev_fast": dev("fast"),
                                               "dev_improved": dev("improved"),
                                               "dev_cpsat": dev("cpsat")}, indent=2))


if __name__ == "__main__":
    main()
