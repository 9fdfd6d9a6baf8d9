#!/usr/bin/env python3
"""Regenerates the sample inventory of Retailer B from examples/retailer_b.json.

Run from anywhere, with an interpreter that has pandas and openpyxl::

    build/venv/bin/python examples/inventory/regenerate.py

It writes, next to this script:

- ``retailer_b.xlsx``: the inventory as an Excel workbook;
- ``retailer_b/``: the same tables as CSV files;
- ``retailer_b_companion.json``: what the tables cannot hold (the incident
  scenario and the recovery procedures of two systems).

``read_inventory(<workbook or folder>, base=load_companion(<companion>))``
gives back the model of examples/retailer_b.json. The format of the tables is
described in docs/spreadsheet-format.md.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

try:
    from continuity.spreadsheet import write_companion, write_inventory
except ImportError:
    # The compiled extension is not built: the spreadsheet module is pure
    # Python, so load it from this source tree without the package's __init__.
    package = types.ModuleType("continuity")
    package.__path__ = [str(ROOT / "python" / "continuity")]
    sys.modules["continuity"] = package
    from continuity.spreadsheet import write_companion, write_inventory


def main() -> None:
    """Writes the workbook, the CSV folder and the companion file."""
    with open(ROOT / "examples" / "retailer_b.json", encoding="utf-8") as stream:
        model = json.load(stream)
    write_inventory(model, HERE / "retailer_b.xlsx")
    write_inventory(model, HERE / "retailer_b")
    write_companion(model, HERE / "retailer_b_companion.json")
    for written in ("retailer_b.xlsx", "retailer_b", "retailer_b_companion.json"):
        print(HERE / written)


if __name__ == "__main__":
    main()
