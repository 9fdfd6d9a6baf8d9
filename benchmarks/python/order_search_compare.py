"""Recovery orders: the improving search (iterated local search over orders of
systems) vs a plain random-move local search, given the same number of plans.

    python benchmarks/python/order_search_compare.py [--systems 1000 2000] [--seeds 1 2 3]
        [--functions F] [--budget 2000] [--search-seed 0] [--move-seed 1] [--smoke] [--json OUT]

For every size and seed: a generated inventory (``continuity.synthetic``,
N systems and, unless ``--functions`` says otherwise, max(10, N / 100)
business functions: the inventory of benchmarks/README.md) and its
ransomware scenario, planned three ways for the business impact:

* rule: the fast schedule (priority rule, one serial SGS pass);
* improving search: ``plan_recovery(improve=True)`` with ``--budget`` plans
  (2,000 is the default of the API) and seed ``--search-seed``, timed; it
  reports how many schedules it generated in all (the rule's plus the
  search's);
* random moves: the local search an analyst would write around
  ``plan_recovery(order=...)``. It starts from the rule plan's
  ``recovery_order``; each step moves one random system to a random other
  position of the order, decodes the candidate with
  ``plan_recovery(scenario, order=candidate)`` and keeps it if the business
  impact falls. It gets exactly as many plans as the improving search
  generated: the rule plan, the decoding of its order, and one per move.
  Its result is the best of those plans (the search, too, is never worse
  than the rule). The moves draw from Python's ``random.Random(--move-seed)``.

Gains are (rule − plan) / rule; "search / moves" is the improving search's
business impact over the random moves' (below 1: the search is better). The
lower-bound gap of the improved plan, (value − bound) / value with the bound
of every system having the staff to itself, is printed when the package
exposes ``RecoveryPlan.lower_bound``. The improving search runs on every
core (its result does not depend on the number of threads); the random moves
run one plan at a time in this process, each a full ``plan_recovery`` call
(project, schedule, outcome; from Python never under 20 ms, the interval at
which the binding checks for Ctrl-C), so their seconds are not comparable
with the search's.

Not compared with CP-SAT here: see benchmarks/README.md ("Recovery orders").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from dataclasses import asdict, dataclass
from typing import Optional, Sequence

from continuity import Model, synthetic


@dataclass
class Row:
    """The figures of one inventory."""

    systems: int
    seed: int
    functions: int
    damaged: int
    rule: float
    rule_seconds: float
    improved: float
    improved_seconds: float
    evaluations: int
    baseline: float
    baseline_start: float
    baseline_seconds: float
    baseline_accepted: int
    lower_bound: Optional[float]

    def gain(self, value: float) -> float:
        """Share of the rule's business impact that `value` saves."""
        return (self.rule - value) / self.rule if self.rule > 0 else 0.0

    @property
    def gap(self) -> Optional[float]:
        """(improved − lower bound) / improved, if the bound is known."""
        if self.lower_bound is None:
            return None
        return (self.improved - self.lower_bound) / self.improved if self.improved > 0 else 0.0


def ransomware_scenario(model: Model) -> str:
    """The name of the generated inventory's ransomware scenario."""
    found = [s for s in model.scenarios if "ransomware" in s.lower()]
    if not found:
        raise SystemExit(f"no ransomware scenario among {model.scenarios}")
    return found[0]


def random_moves(model: Model, scenario: str, start: Sequence[str], plans: int,
                 seed: int) -> tuple[float, float, int]:
    """The random-move local search over orders of systems, from ``start``,
    with ``plans`` decodings (the first one decodes ``start``): the best
    business impact seen, that of ``start``, and the number of accepted
    moves."""
    rng = random.Random(seed)
    current = list(start)
    value = model.plan_recovery(scenario, order=current).business_impact
    start_value = value
    n = len(current)
    accepted = 0
    if n < 2:
        return value, start_value, accepted
    for _ in range(plans - 1):
        i = rng.randrange(n)
        j = rng.randrange(n - 1)  # a position other than i in the order without it
        if j >= i:
            j += 1
        candidate = current.copy()
        candidate.insert(j, candidate.pop(i))
        v = model.plan_recovery(scenario, order=candidate).business_impact
        if v < value:
            current, value = candidate, v
            accepted += 1
    return value, start_value, accepted


def compare(systems: int, seed: int, functions: int, budget: int, search_seed: int,
            move_seed: int) -> Row:
    """The three plans of one generated inventory (``functions`` 0: max(10, N / 100))."""
    functions = functions or max(10, systems // 100)
    model = synthetic.generate_inventory(systems, functions, seed=seed)
    scenario = ransomware_scenario(model)

    t0 = time.perf_counter()
    rule = model.plan_recovery(scenario)
    rule_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    improved = model.plan_recovery(scenario, improve=True, objective="business_impact",
                                   budget=budget, seed=search_seed)
    improved_seconds = time.perf_counter() - t0
    evaluations = improved.schedules_generated

    start = rule.recovery_order
    t0 = time.perf_counter()
    best, start_value, accepted = random_moves(model, scenario, start, max(evaluations - 1, 1),
                                               move_seed)
    baseline_seconds = time.perf_counter() - t0 + rule_seconds

    bound = getattr(improved, "lower_bound", None)
    return Row(systems=systems, seed=seed, functions=functions, damaged=len(start),
               rule=rule.business_impact, rule_seconds=rule_seconds,
               improved=improved.business_impact, improved_seconds=improved_seconds,
               evaluations=evaluations, baseline=min(best, rule.business_impact),
               baseline_start=start_value, baseline_seconds=baseline_seconds,
               baseline_accepted=accepted,
               lower_bound=None if bound is None else float(bound))


def print_table(rows: list[Row], currency: str) -> None:
    """The Markdown table of the comparison."""
    print(f"| systems | seed | damaged | rule ({currency}) | improving search ({currency}, gain) "
          f"| s | random moves ({currency}, gain) | s | plans each | search / moves "
          f"| lower-bound gap |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        vs = r.improved / r.baseline if r.baseline > 0 else 1.0
        gap = "—" if r.gap is None else f"{100 * r.gap:.1f} %"
        print(f"| {r.systems:,} | {r.seed} | {r.damaged} | {r.rule:,.0f} "
              f"| {r.improved:,.0f} ({100 * r.gain(r.improved):.1f} %) | {r.improved_seconds:.1f} "
              f"| {r.baseline:,.0f} ({100 * r.gain(r.baseline):.1f} %) "
              f"| {r.baseline_seconds:.1f} | {r.evaluations:,} | {vs:.2f} | {gap} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--systems", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--functions", type=int, default=0,
                        help="business functions (default: max(10, systems / 100))")
    parser.add_argument("--budget", type=int, default=2000,
                        help="plans of the improving search (the API's default)")
    parser.add_argument("--search-seed", type=int, default=0,
                        help="seed of the improving search")
    parser.add_argument("--move-seed", type=int, default=1,
                        help="seed of the random moves")
    parser.add_argument("--smoke", action="store_true",
                        help="one 300-system inventory with 30 functions, budget 40 (CI)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.smoke:
        args.systems, args.seeds, args.functions, args.budget = [300], [1], 30, 40

    rows = [compare(n, s, args.functions, args.budget, args.search_seed, args.move_seed)
            for n in args.systems for s in args.seeds]
    currency = synthetic.generate_inventory(100, 10, seed=1).currency
    functions = f"{args.functions}" if args.functions else "max(10, N / 100)"
    print(f"Business impact of the ransomware scenario's recovery plan ({functions} business "
          f"functions), {os.cpu_count()} cores; improving search: budget {args.budget:,}, seed "
          f"{args.search_seed}; random moves: seed {args.move_seed}, as many plans as the "
          "search generated")
    print_table(rows, currency)
    wins = sum(r.improved < r.baseline for r in rows)
    ties = sum(r.improved == r.baseline for r in rows)
    print(f"improving search better than random moves on {wins}/{len(rows)} inventories"
          + (f" ({ties} ties)" if ties else "")
          + f"; slowest search {max(r.improved_seconds for r in rows):.1f} s; random moves "
          f"{1000 * sum(r.baseline_seconds for r in rows) / sum(r.evaluations for r in rows):.1f}"
          " ms per plan")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"functions": args.functions, "budget": args.budget,
                       "search_seed": args.search_seed, "move_seed": args.move_seed,
                       "rows": [asdict(r) | {"gap": r.gap} for r in rows]}, f, indent=2)


if __name__ == "__main__":
    main()
