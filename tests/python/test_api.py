"""The public Python API: every public name is documented, the package
exports what its modules define, and the version matches the C++ core."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path

import pytest

import continuity as ct

MODULES = ["continuity", "continuity.model", "continuity.recovery", "continuity.loss",
           "continuity.errors", "continuity.plot", "continuity.spreadsheet",
           "continuity.distributed", "continuity.cli", "continuity.synthetic",
           "continuity.formatting", "continuity.measures", "continuity.reporting",
           "continuity.ransom"]


def public_names(module_name: str) -> list[tuple[str, object]]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items()
                 if not n.startswith("_") and getattr(v, "__module__", None) == module_name
                 and (inspect.isfunction(v) or inspect.isclass(v))]
    return [(n, getattr(module, n)) for n in names]


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert inspect.getdoc(module), f"{module_name} has no docstring"
    missing = []
    for name, value in public_names(module_name):
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        if not inspect.getdoc(value):
            missing.append(name)
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_"):
                    continue
                target = member.fget if isinstance(member, property) else member
                if isinstance(target, (staticmethod, classmethod)):
                    target = target.__func__
                if callable(target) and not inspect.getdoc(target):
                    missing.append(f"{name}.{attr}")
    assert not missing, f"{module_name}: undocumented {missing}"


def test_version_matches_the_project() -> None:
    header = (Path(__file__).resolve().parents[2] / "include/continuity/version.hpp").read_text()
    parts = [re.search(rf"^#define CONTINUITY_VERSION_{p} (\d+)$", header, re.M) for p in
             ("MAJOR", "MINOR", "PATCH")]
    assert all(parts), "version.hpp lacks a version number"
    written = ".".join(m.group(1) for m in parts if m)
    assert ct.__version__ == written
    assert importlib.metadata.version("continuity") == written


def test_package_exports_resolve() -> None:
    for name in ct.__all__:
        assert hasattr(ct, name), name


def test_typed_package_marker_ships() -> None:
    root = Path(ct.__file__).parent
    assert (root / "py.typed").exists()
    assert (root / "_core.pyi").exists()
