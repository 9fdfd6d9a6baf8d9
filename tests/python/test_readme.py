"""The README's Python blocks run exactly as printed (from the repository's
root, where their example paths lead), and each leaves behind what it claims
to compute."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _snippets() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_snippets", ROOT / "tests/readme/snippets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_snippets"] = module
    spec.loader.exec_module(module)
    return module


BLOCKS: list[tuple[int, str]] = _snippets().blocks("python")


def test_the_readme_has_python_blocks() -> None:
    assert BLOCKS, "README.md has no ```python block"


@pytest.mark.parametrize("line,code", BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_block_runs_as_printed(line: int, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    scope: dict[str, Any] = {"__name__": f"README.md line {line}"}
    exec(compile(code, f"README.md:{line}", "exec"), scope)  # noqa: S102 (the README's own code)
    # What the quick tour promises to leave behind.
    if "compare_mitigations" in code:
        table = scope["ct"].compare_mitigations(scope["model"], [scope["offline"]], 2_000, seed=1).table
        assert isinstance(table, pd.DataFrame)
        assert list(table.index) == ["none", "offline backup"]
        # The README's measure must change the model (it adds offline backups).
        assert table.loc["offline backup", "ale"] < table.loc["none", "ale"]
    if "plan_recovery" in code:
        assert not scope["plan"].timeline.empty
