"""Inventories from CSV and Parquet files at 10^3 ... 10^6 systems: time and
peak memory of each stage from the files to a recovery plan.

For each size, a synthetic inventory (continuity.synthetic, seed 1, one
business function per 100 systems, no own recovery procedures) is written
once as a folder of CSV files and a folder of Parquet files in the
spreadsheet layout, with its companion (the ransomware scenario, settings and
resource pools) beside them. Then, for each format, a fresh process reads it
and reports:

- files: pyarrow reads the tables and their headers are checked
  (continuity.tables; pyarrow is imported before the clock starts);
- spec: the columns go to the compiled core, which reads the cells into the
  model's specification (continuity.tables._read_spec);
- model: the specification is validated and compiled (the columns freed first);
- plan: the fast recovery plan of the ransomware scenario;

and the peak resident memory (VmHWM) after the specification, after the
model and after the plan. The
growth exponent of a stage is the least-squares slope of log time against
log size (1 is linear), and in brackets the slope between the two largest
sizes.

    python benchmarks/python/tabular_scale.py                 # 1e3 ... 1e6, about 3 min
    python benchmarks/python/tabular_scale.py --smoke          # 1e3 and 1e4
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("files", "spec", "model", "plan")


def peak_rss_mib() -> float:
    """VmHWM of this process, in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def write(folder: Path, systems: int) -> None:
    """Writes the inventory of `systems` systems as CSV and Parquet."""
    from continuity.synthetic import generate_inventory
    from continuity.tables import write_tables

    model = generate_inventory(systems, max(10, systems // 100), seed=1, procedure_share=0.0)
    for fmt in ("csv", "parquet"):
        write_tables(model, folder / fmt, format=fmt, companion=folder / "companion.json")


def measure(folder: Path, fmt: str) -> dict[str, Any]:
    """Reads one inventory in this (fresh) process; times and peaks."""
    from continuity import _core
    from continuity.model import Model, _json_of
    from continuity.spreadsheet import load_companion
    from continuity.tables import _read_folder, _read_spec, _release_arrow_memory

    import pyarrow.compute  # noqa: F401 - imported before the clock starts
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    base = _json_of(load_companion(folder / "companion.json"), "companion")
    start = time.perf_counter()
    tables = _read_folder(folder / fmt)
    files = time.perf_counter()
    spec = _read_spec(tables, base, str(folder))
    read = time.perf_counter()
    spec_peak = peak_rss_mib()
    del tables
    _release_arrow_memory()
    model = Model(_core.model_from_spec(spec))
    built = time.perf_counter()
    model_peak = peak_rss_mib()
    plan = model.plan_recovery("ransomware")
    planned = time.perf_counter()
    return {"files": files - start, "spec": read - files, "model": built - read,
            "plan": planned - built, "spec_peak_mib": spec_peak, "model_peak_mib": model_peak,
            "plan_peak_mib": peak_rss_mib(), "systems": len(model.systems),
            "steps": len(plan.timeline)}


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log y against log x."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
            / sum((x - mx) ** 2 for x in xs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    parser.add_argument("--smoke", action="store_true", help="sizes 1e3 and 1e4")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=2, metavar=("FOLDER", "SYSTEMS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write(Path(args.write[0]), int(args.write[1]))
        return
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), args.child[1])))
        return
    sizes = [int(float(s)) for s in ("1e3,1e4" if args.smoke else args.sizes).split(",")]
    results: dict[str, dict[int, dict[str, Any]]] = {"csv": {}, "parquet": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for n in sizes:
            folder = Path(scratch) / str(n)
            # Written by a process of its own: the generator's memory is not
            # in the figures.
            subprocess.run([sys.executable, __file__, "--write", str(folder), str(n)], check=True)
            sizes_mib = {fmt: sum(f.stat().st_size for f in (folder / fmt).iterdir()) / 2**20
                         for fmt in results}
            for fmt in results:
                out = subprocess.run([sys.executable, __file__, "--child", str(folder), fmt],
                                     check=True, capture_output=True, text=True).stdout
                r = json.loads(out.strip().splitlines()[-1])
                r["file_mib"] = sizes_mib[fmt]
                results[fmt][n] = r
                total = r["files"] + r["spec"] + r["model"]
                print(f"{fmt:8} {n:>9,} systems ({r['file_mib']:6.1f} MiB): files "
                      f"{r['files']:6.3f} s, spec {r['spec']:6.3f} s "
                      f"({r['spec_peak_mib']:5.0f} MiB), model {r['model']:6.3f} s "
                      f"({r['model_peak_mib']:5.0f} MiB): file to model {total:6.3f} s; plan "
                      f"{r['plan']:6.3f} s ({r['steps']:,} steps, {r['plan_peak_mib']:5.0f} MiB)",
                      flush=True)
    if len(sizes) > 1:
        print(f"load average at the end: {os.getloadavg()}")
        for fmt, by_size in results.items():
            for stage in STAGES + ("file to model",):
                points = [(n, r["files"] + r["spec"] + r["model"] if stage == "file to model"
                           else r[stage]) for n, r in sorted(by_size.items())]
                print(f"{fmt:8} {stage:14} exponent {slope(points):.2f} "
                      f"({slope(points[-2:]):.2f})")


if __name__ == "__main__":
    main()
