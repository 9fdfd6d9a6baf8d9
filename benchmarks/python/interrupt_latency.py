"""How soon Ctrl-C stops each long operation of the Python package: the time
from a SIGINT (sent to the process, as a terminal's Ctrl-C is) to the
KeyboardInterrupt, for

* a simulated year of 10^6 ransomware incidents (``simulate``),
* the improving search with a budget of 10^9 plans (``plan_recovery``),
* rank correlations over 10^7 occurrences (``rank_correlations``),
* reading a model whose one system has a procedure of 10^6 steps, from JSON
  text (``Model.from_json_text``) and from Python data (``Model.from_dict``),
* reading an inventory of 10^6 systems, from JSON text and from Python data.

Each operation runs once per delay and is interrupted that long after it
started (a press after it has finished is not counted), so that every stage
of a long read (parsing, reading, validating, compiling) is hit. Prints a
Markdown table of the latencies: the goal is under one second.

    python benchmarks/python/interrupt_latency.py             # 10^6 steps and systems
    python benchmarks/python/interrupt_latency.py --smoke     # 10^5, two delays (a check that it runs)
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional

import continuity as ct

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def latency(operation: Callable[[], Any], delay: float) -> Optional[float]:
    """Runs ``operation``, sends SIGINT to this process ``delay`` seconds
    after it started, and returns the seconds from the signal to the
    KeyboardInterrupt; None if the operation finished first."""
    sent: list[float] = []
    finished = threading.Event()

    def press() -> None:
        if not finished.wait(delay):
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press)
    presser.start()
    try:
        try:
            operation()
        except KeyboardInterrupt:
            return time.perf_counter() - sent[0]
        finally:
            finished.set()
            presser.join()
        # A signal sent as the operation returned would arrive here.
        time.sleep(0.05)
        return None
    except KeyboardInterrupt:
        return None
    finally:
        signal.signal(signal.SIGINT, previous)


def long_procedure(steps: int) -> dict[str, Any]:
    """A model whose one system has a recovery procedure of ``steps`` steps,
    each after the one before (also read by tests/python/test_interrupt.py)."""
    procedure: list[dict[str, Any]] = [
        {"name": f"step {i}", "kind": "recovery_work", "duration": 1} for i in range(steps)]
    for i in range(1, steps):
        procedure[i]["after"] = [f"step {i - 1}"]
    return {"name": "long procedure", "functions": [{"name": "f", "needs": ["X"]}],
            "systems": [{"name": "X", "recovery": {"emergency": procedure}}]}


def large_inventory(systems: int) -> dict[str, Any]:
    """A model of ``systems`` systems in a chain of dependencies (also read by
    tests/python/test_interrupt.py)."""
    inventory: list[dict[str, Any]] = [{"name": f"system {i}"} for i in range(systems)]
    for i in range(1, systems):
        inventory[i]["depends_on"] = [f"system {i - 1}"]
    return {"name": "large inventory",
            "functions": [{"name": "f", "needs": [f"system {systems - 1}"]}],
            "systems": inventory}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="10^5 steps and systems, two delays")
    args = parser.parse_args()
    size = 10**5 if args.smoke else 10**6
    analysis_delays = [0.3, 1.0] if args.smoke else [0.3, 0.6, 1.0, 1.5, 2.5]

    hospital = json.loads((EXAMPLES / "hospital.json").read_text(encoding="utf-8"))
    scenario = hospital["scenarios"][0]["name"]
    model = ct.Model.from_dict(hospital)
    frequent = json.loads(json.dumps(hospital))
    for s in frequent["scenarios"]:
        s["annual_frequency"] = 1e6 if s["kind"] == "ransomware" else 0
    frequent_model = ct.Model.from_dict(frequent)

    operations: list[tuple[str, Callable[[], Any], list[float]]] = [
        ("simulated year of 10^6 incidents", lambda: ct.simulate(frequent_model, 4, 1, threads=1),
         analysis_delays),
        ("improving search, budget 10^9",
         lambda: model.plan_recovery(scenario, improve=True, budget=10**9), analysis_delays),
        ("rank correlations, 10^7 trials",
         lambda: model.rank_correlations(scenario, 10**7, seed=1, threads=1), analysis_delays),
    ]
    # The reads are interrupted at 5 % ... 80 % of the time they take.
    fractions = (0.2, 0.6) if args.smoke else (0.05, 0.2, 0.4, 0.6, 0.8)
    for label, spec in ((f"procedure of {size:.0e} steps", long_procedure(size)),
                        (f"inventory of {size:.0e} systems", large_inventory(size))):
        text = json.dumps(spec)
        reads: list[tuple[str, Callable[[], Any]]] = [
            ("from_json_text", partial(ct.Model.from_json_text, text)),
            ("from_dict", partial(ct.Model.from_dict, spec))]
        for how, read in reads:
            started = time.perf_counter()
            read()
            whole = time.perf_counter() - started
            operations.append((f"{label}: {how} ({whole:.1f} s uninterrupted)", read,
                               [whole * f for f in fractions]))

    print("| operation | Ctrl-C after (s) | stopped after (s): min | median | max |")
    print("| --- | --- | ---: | ---: | ---: |")
    worst = 0.0
    for label, operation, delays in operations:
        found = [latency(operation, d) for d in delays]
        measured = [x for x in found if x is not None]
        if not measured:
            print(f"| {label} | {', '.join(f'{d:.2f}' for d in delays)} | finished first | | |")
            continue
        worst = max(worst, max(measured))
        print(f"| {label} | {', '.join(f'{d:.2f}' for d in delays)} | {min(measured):.3f} | "
              f"{statistics.median(measured):.3f} | {max(measured):.3f} |", flush=True)
    print(f"\nslowest stop: {worst:.3f} s (goal: under 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
