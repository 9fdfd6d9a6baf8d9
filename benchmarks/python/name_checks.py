"""How reading a model grows with the length of its lists of names: each list
read at 10^4 and 10^5 entries (one list long, the rest of the model small),
and the growth exponent log10(t(10^5)/t(10^4)): about 1 for a linear read, 2
if names were compared pair by pair (as cost lines, response phases, the
pools of a staff_availability, insurance policies and the scenarios a policy
lists once were: 2.2 s for 2·10^4 cost lines, minutes for 10^5).

    python benchmarks/python/name_checks.py            # 10^4 and 10^5
    python benchmarks/python/name_checks.py --smoke    # 10^3 and 10^4
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, Callable

import continuity as ct


def base() -> dict[str, Any]:
    return {"name": "names", "resources": [{"name": "IT", "capacity": 1}],
            "functions": [{"name": "f", "needs": ["X"]}], "systems": [{"name": "X"}],
            "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 1,
                           "damage": [{"systems": ["X"]}]}]}


def systems(n: int) -> list[dict[str, Any]]:
    return [{"name": f"system {i}"} for i in range(n)] + [{"name": "X"}]


def scenarios(n: int) -> list[dict[str, Any]]:
    return [{"name": f"scenario {i}", "kind": "it_failure", "annual_frequency": 1,
             "damage": [{"systems": ["X"]}]} for i in range(n)]


LISTS: dict[str, Callable[[dict[str, Any], int], None]] = {
    "systems": lambda m, n: m.update(systems=systems(n)),
    "scenarios": lambda m, n: m.update(scenarios=scenarios(n)),
    "cost lines of a scenario": lambda m, n: m["scenarios"][0].update(
        costs=[{"name": f"line {i}", "driver": "fixed", "amount": 1} for i in range(n)]),
    "response phases of a scenario": lambda m, n: m["scenarios"][0].update(
        response=[{"name": f"phase {i}", "at": i} for i in range(n)]),
    "pools of a staff_availability": lambda m, n: m.update(
        resources=[{"name": f"pool {i}"} for i in range(n)],
        scenarios=[dict(m["scenarios"][0],
                        staff_availability={f"pool {i}": 0.5 for i in range(n)})]),
    "steps of a procedure": lambda m, n: m["systems"][0].update(recovery={"emergency": [
        {"name": f"step {i}", "kind": "recovery_work", "duration": 1} for i in range(n)]}),
    "a system's depends_on": lambda m, n: m.update(systems=systems(n)[:-1] + [
        {"name": "X", "depends_on": [f"system {i}" for i in range(n)]}]),
    "systems a scenario damages": lambda m, n: m.update(
        systems=systems(n),
        scenarios=[dict(m["scenarios"][0],
                        damage=[{"systems": [f"system {i}" for i in range(n)]}])]),
    "recovery_order": lambda m, n: m.update(systems=systems(n),
                                            recovery_order=[f"system {i}" for i in range(n)]),
    "insurance policies": lambda m, n: m.update(insurance=[{"name": f"policy {i}"}
                                                           for i in range(n)]),
    "scenarios a policy lists": lambda m, n: m.update(
        scenarios=scenarios(n),
        insurance=[{"name": "cyber", "scenarios": [f"scenario {i}" for i in range(n)]}]),
}


def read_time(text: str) -> float:
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        ct.Model.from_json_text(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="10^3 and 10^4 entries")
    small, large = (10**3, 10**4) if parser.parse_args().smoke else (10**4, 10**5)
    print(f"| list | {small:.0e} entries (s) | {large:.0e} entries (s) | growth exponent |")
    print("| --- | ---: | ---: | ---: |")
    worst = 0.0
    for label, lengthen in LISTS.items():
        times = []
        for n in (small, large):
            model = base()
            lengthen(model, n)
            times.append(read_time(json.dumps(model)))
        exponent = math.log10(times[1] / times[0]) / math.log10(large / small)
        worst = max(worst, exponent)
        print(f"| {label} | {times[0]:.4f} | {times[1]:.4f} | {exponent:.2f} |", flush=True)
    print(f"\nlargest growth exponent: {worst:.2f} (1: linear, 2: quadratic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
