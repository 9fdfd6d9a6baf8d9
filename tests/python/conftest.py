"""Shared fixtures of the Python tests: paths of the example models, and a
deterministic hypothesis profile (the same examples on every run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

settings.register_profile("continuity", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("continuity")


@pytest.fixture(scope="session")
def examples() -> Path:
    """The folder of the example models."""
    return EXAMPLES
