"""The walk-through notebook runs headless from start to end and writes its plots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import nbclient
import nbformat


def test_walkthrough_notebook_runs_and_writes_plots(examples: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTINUITY_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.setenv("CONTINUITY_EXAMPLES", str(examples))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(examples / "walkthrough.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    # no cell raised, and every figure was written
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    expected = {"hospital_gantt", "hospital_capacity", "hospital_loss", "hospital_tornado",
                "hospital_mitigations"}
    written = {p.stem for p in tmp_path.glob("*.png")}
    assert expected <= written
    for name in expected:
        data = (tmp_path / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("CONTINUITY_KEEP_NOTEBOOK"):
        nbformat.write(nb, Path(os.environ["CONTINUITY_KEEP_NOTEBOOK"]))
