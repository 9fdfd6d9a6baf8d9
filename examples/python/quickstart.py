"""Quick start: the hospital example end to end from Python.

    python examples/python/quickstart.py [examples/hospital.json]

Prints the priority classes, the recovery plan and gap report of the
ransomware scenario, the cost of one incident and the annual loss
distribution, and compares two mitigations.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import continuity as ct
from continuity.formatting import money


def offline_backup(spec: dict[str, Any]) -> None:
    """Adds a daily offline, off-site tape backup to every data-holding server."""
    for system in spec["systems"]:
        if system["layer"] == "software" and system.get("transactions_per_hour", 0) > 0:
            system["backups"].append({"interval": "1d", "generations": 14, "medium": "LTO tape",
                                      "mode": "offline", "offsite": True,
                                      "restore_time": "12h"})


def main(path: str) -> None:
    """Runs the walk-through on the model file at ``path``."""
    model = ct.load_model(path)
    print(model)
    print(model.priority_table()[["priority_class", "rto_h", "rpo_h", "mtpd_h"]])

    scenario = model.scenarios[0]
    plan = model.plan_recovery(scenario)
    print(plan)
    print("recovery order:", ", ".join(plan.recovery_order))
    print(plan.gaps[["kind", "function", "message"]].to_string(index=False))

    cost = model.incident_cost(scenario)
    print(f"one incident at point values: {money(cost.total, model.currency)}")

    result = ct.simulate(model, 20_000, seed=1)
    print(result.statistics.summary())  # amounts shown as money, in 万 / 億 for yen

    comparison = ct.compare_mitigations(
        model, [ct.Mitigation("offline backup", 3_000_000, offline_backup)], 20_000, seed=1)
    print(comparison.table)  # annual cost, ALE and its reduction, ROSI, ...


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "hospital.json"
    main(sys.argv[1] if len(sys.argv) > 1 else str(default))
