"""Checks of Python arguments before they reach the compiled core, so that a
bad value is a :class:`continuity.errors.ValueError_` naming the argument
rather than pybind11's ``TypeError`` about incompatible function arguments."""

from __future__ import annotations

import math
import numbers
import os
from typing import Any, Optional, Sequence

import numpy as np

from .errors import ValueError_

__all__ = [
    "UINT64_MAX",
    "MAX_THREADS",
    "integer",
    "real",
    "flag",
    "names",
    "memory_for",
    "physical_memory",
    "sequence_of",
]

UINT64_MAX = 2**64 - 1
"""Largest seed, trial count or search budget (the core's 64-bit unsigned integers)."""

MAX_THREADS = 1024
"""Most worker threads a run may ask for (0 asks for one per core)."""


def _fail(kind: str, name: str, problem: str) -> ValueError_:
    return ValueError_(f"{kind}: {name}: {problem}", kind, "", name)


def _bound(x: int) -> str:
    return "2**64 - 1" if x == UINT64_MAX else f"{x:,}"


def integer(value: Any, name: str, kind: str, *, minimum: int = 0,
            maximum: int = UINT64_MAX) -> int:
    """``value`` as an int if it is a whole number (int or NumPy integer, not
    bool) from ``minimum`` to ``maximum``; otherwise a ValueError_ naming
    argument ``name`` of ``kind`` (e.g. ``"simulation"``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(kind, name, f"must be a whole number, got {value!r}")
    v = int(value)
    if v < minimum or v > maximum:
        what = "a non-negative integer" if minimum == 0 else \
            "a positive integer" if minimum == 1 else f"an integer from {minimum:,}"
        raise _fail(kind, name, f"must be {what} up to {_bound(maximum)}, got {v}")
    return v


def real(value: Any, name: str, kind: str) -> float:
    """``value`` as a float if it is a finite real number (not bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(kind, name, f"must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise _fail(kind, name, f"must be a finite number, got {v!r}")
    return v


def flag(value: Any, name: str, kind: str) -> bool:
    """``value`` if it is a bool (or a NumPy bool)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise _fail(kind, name, f"must be True or False, got {value!r}")


def names(value: Any, name: str, kind: str, of: str) -> list[str]:
    """``value`` as a list of names (strings); a single string is an error,
    as it would otherwise be read as a list of one-letter names."""
    if isinstance(value, (str, bytes)):
        raise _fail(kind, name, f"must be a list of {of} names, not one name "
                                f"(write [{value!r}])")
    try:
        items = list(value)
    except TypeError:
        raise _fail(kind, name, f"must be a list of {of} names, got {value!r}") from None
    for k, item in enumerate(items):
        if not isinstance(item, str):
            raise _fail(kind, f"{name}[{k}]", f"must be a {of} name, got {item!r}")
    return items


def _bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB"):
        if n < 1000:
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} YB"


def physical_memory() -> Optional[int]:
    """The machine's memory in bytes, or None where it cannot be told."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return pages * size if pages > 0 and size > 0 else None


def memory_for(trials: int, numbers_per_trial: int, kind: str,
               advice: str = "run fewer trials") -> None:
    """Raises a ValueError_ naming ``trials`` if keeping ``numbers_per_trial``
    8-byte numbers for each of ``trials`` trials needs more than the
    machine's memory (so the run fails here, at once, rather than with a
    MemoryError or the system's out-of-memory killer)."""
    need = trials * numbers_per_trial * 8
    memory = physical_memory()
    limit = memory if memory is not None else 2**63 - 1
    if need > limit:
        have = f"this machine's {_bytes(memory)} of memory" if memory is not None else \
            "what one process can address"
        raise _fail(kind, "trials", f"{trials:,} trials need {_bytes(need)} for their results "
                                    f"({numbers_per_trial} numbers of 8 bytes each), more "
                                    f"than {have}; {advice}")


def sequence_of(value: Any, cls: type, name: str, kind: str, of: str) -> Sequence[Any]:
    """``value`` as a list whose items are all instances of ``cls``."""
    if isinstance(value, cls):
        raise _fail(kind, name, f"must be a list of {of}, not one (write [...])")
    try:
        items = list(value)
    except TypeError:
        raise _fail(kind, name, f"must be a list of {of}, got {value!r}") from None
    for k, item in enumerate(items):
        if not isinstance(item, cls):
            raise _fail(kind, f"{name}[{k}]", f"must be a {cls.__name__}, got {item!r:.60}")
    return items
