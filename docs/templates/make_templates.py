#!/usr/bin/env python3
"""Regenerates the BIA workbook template of docs/bia-workbook.md.

Run from anywhere, with an interpreter that has pandas and openpyxl::

    build/py/bin/python docs/templates/make_templates.py

It writes, next to this script:

- ``bia-workbook.xlsx``: the template, a BIA workbook holding one
  illustrative process (a clinic's outpatient reception) with its resources,
  dependencies, backups and recovery staff, and a sheet ``_guide`` that
  explains every column in English and Japanese; replace the example rows
  with your own;
- ``bia-workbook_companion.yaml``: its companion, with an incident scenario to
  analyse (what a workbook does not hold).

``continuity docs/templates/bia-workbook.xlsx --companion
docs/templates/bia-workbook_companion.yaml`` analyses the example.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any, Dict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORKBOOK = HERE / "bia-workbook.xlsx"
COMPANION = HERE / "bia-workbook_companion.yaml"

try:
    from continuity.bia import write_bia_workbook, write_companion
except ImportError:
    # The compiled extension is not built: the workbook modules are pure
    # Python, so load them from this source tree without the package's __init__.
    package = types.ModuleType("continuity")
    package.__path__ = [str(ROOT / "python" / "continuity")]
    sys.modules["continuity"] = package
    from continuity.bia import write_bia_workbook, write_companion


def template_model() -> Dict[str, Any]:
    """The illustrative model the template holds (continuity-model/1)."""
    return {
        "format": "continuity-model/1",
        "name": "Example clinic",
        "currency": "JPY",
        "tier": "bamboo",
        "employees": 30,
        "priority_matrix": "three-level",
        "rto_table": "example-2",
        "resources": [
            {"name": "IT staff", "kind": "people", "capacity": 1,
             "description": "a member of staff who looks after IT besides other work"},
            {"name": "IT vendor", "kind": "people", "external": True, "capacity": 1,
             "description": "the local IT vendor's engineer, on call"},
            {"name": "reception staff", "kind": "people", "capacity": 2,
             "description": "re-enter the registrations lost since the last backup"},
        ],
        "functions": [
            {
                "name": "outpatient reception",
                "description": "registers patients and their visits in the medical records",
                "importance": 3, "system_dependency": 3,
                "mtpd": "3d", "rto": "1d", "rpo": "1d", "wrt": "2h",
                "minimum_capacity": [{"by": "1d", "capacity": 0.5},
                                     {"by": "1w", "capacity": 1}],
                "revenue_per_day": 1000000, "margin": 0.5, "operating_days_per_week": 5,
                "impact": [
                    {"category": "fees not collected",
                     "steps": [{"after": "1d", "rate_per_day": 200000}]},
                    {"category": "reputation", "unit": "level",
                     "steps": [{"after": "1d", "lump": 1}, {"after": "3d", "lump": 2},
                               {"after": "1w", "lump": 2}]},
                ],
                "manual_workaround": {"capacity": 0.5, "setup_time": "2h",
                                      "max_duration": "2w",
                                      "description": "paper registration forms"},
                "needs": ["medical records", {"any_of": ["reception PC", "spare notebook"]}],
            },
        ],
        "systems": [
            {"name": "clinic building", "layer": "building"},
            {"name": "medical records", "layer": "software", "segment": "clinic LAN",
             "transactions_per_hour": 10, "reentry_hours_per_transaction": "5min",
             "reentry_by": "reception staff",
             "depends_on": ["records server"],
             "backups": [
                 {"interval": "1d", "generations": 7, "medium": "NAS", "mode": "online",
                  "restore_time": "4h"},
                 {"interval": "1w", "generations": 4, "medium": "USB disk",
                  "mode": "offline", "offsite": True, "restore_time": "8h"}]},
            {"name": "records server", "layer": "hardware", "segment": "clinic LAN",
             "depends_on": ["clinic building"]},
            {"name": "reception PC", "layer": "hardware", "side": "client",
             "segment": "clinic LAN", "depends_on": ["clinic building"]},
            {"name": "spare notebook", "layer": "hardware", "side": "client"},
        ],
        "scenarios": [
            {"name": "ransomware", "kind": "ransomware", "annual_frequency": 0.05,
             "dwell_time": "2d",
             "damage": [{"segments": ["clinic LAN"]}],
             "costs": [{"name": "investigation and recovery", "category": "response",
                        "amount": 3000000}]},
        ],
    }


def main() -> None:
    """Writes the template and its companion."""
    model = template_model()
    write_bia_workbook(model, WORKBOOK)
    write_companion(model, COMPANION)
    for written in (WORKBOOK, COMPANION):
        print(written)


if __name__ == "__main__":
    main()
