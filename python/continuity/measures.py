"""Mitigation files: measures written down as data (JSON or YAML) rather
than as Python functions.

A mitigation file lists measures, each with its name, its annual cost, an
optional subsidy and the change it makes to the model, said declaratively:
which objects of the model (``in`` a collection, ``where`` their fields
hold given values) get which fields ``set``, ``scale``\\ d, ``add``\\ ed to or
``remove``\\ d. :func:`load_mitigations` reads one into
:class:`~continuity.Mitigation` objects for
:func:`~continuity.compare_mitigations` (the command's ``--mitigations
FILE``)::

    measures:
      - name: offline backup
        annual_cost: 3000000
        changes:
          - in: systems
            where: {transactions_per_hour: {">": 0}}
            add:
              backups: {interval: 1d, generations: 14, mode: offline,
                        offsite: true, restore_time: 12h}

The format is described in ``docs/mitigation-format.md``. Every problem is
a :class:`~continuity.errors.ValueError_` naming the file, the measure and
the field (``changes[0].where.layer``); given the model, a change that
selects nothing, or leaves the model invalid, is found when the file is
read.
"""

from __future__ import annotations

import copy
import difflib
import math
import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

from ._input import InputProblem, decode, load_yaml
from .errors import Error, ValueError_
from .loss import Mitigation
from .model import Model, PathLike

__all__ = ["FORMAT", "COLLECTIONS", "OPERATORS", "load_mitigations", "mitigations_from"]

FORMAT = "continuity-mitigations/1"
"""The value of a mitigation file's optional ``format`` field."""

COLLECTIONS = ("functions", "systems", "scenarios", "resources", "insurance")
"""The model's lists a change may select objects of (``in``), the first part
of a path such as ``systems.backups`` or ``scenarios.costs``."""

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "contains")
"""Comparisons of a ``where`` condition written as a mapping, e.g.
``{">": 0}``; ``contains`` holds when a list field has the value."""

_MEASURE_FIELDS = ("name", "description", "annual_cost", "subsidy", "combines", "changes")
_CHANGE_FIELDS = ("in", "where", "set", "scale", "add", "remove")
_ACTIONS = ("set", "scale", "add", "remove")
_KIND = "mitigation"
_MISSING = object()
_SINGULAR = {"functions": "business function", "systems": "system", "scenarios": "scenario",
             "resources": "resource pool", "insurance": "insurance policy",
             "costs": "cost line", "backups": "backup", "depends_on": "requirement",
             "needs": "requirement", "impact": "impact curve", "steps": "step"}


class _Problem(Exception):
    """A problem at ``path`` (``changes[0].where``) of a measure."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


# ------------------------------------------------------------------ parsing
@dataclass(frozen=True)
class _Condition:
    field: str
    operator: str
    value: Any

    def holds(self, obj: Mapping[str, Any]) -> bool:
        actual = _get(obj, self.field)
        if self.operator == "contains":
            return isinstance(actual, list) and any(_equal(a, self.value) for a in actual)
        if self.operator in ("=", "!="):
            values = self.value if isinstance(self.value, list) else [self.value]
            found = actual is not _MISSING and any(_equal(actual, v) for v in values)
            return found if self.operator == "=" else not found
        if not _is_number(actual):
            return False
        a, v = float(actual), float(self.value)
        return {"<": a < v, "<=": a <= v, ">": a > v, ">=": a >= v}[self.operator]

    def __str__(self) -> str:
        return f"{self.field} {self.operator} {self.value!r}"


@dataclass(frozen=True)
class _Change:
    index: int
    collection: tuple[str, ...]  # () for the model itself
    where: tuple[_Condition, ...]
    set: dict[str, Any] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    add: dict[str, list[Any]] = field(default_factory=dict)
    remove: dict[str, Optional[list[Any]]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"changes[{self.index}]"


@dataclass(frozen=True)
class _Measure:
    name: str
    description: str
    annual_cost: float
    subsidy_rate: float
    subsidy_cap: float
    changes: tuple[_Change, ...]


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, booleans apart from numbers."""
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_keys(mapping: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise _Problem(f"{path}.{key}" if path else key,
                           f"unknown field{_suggest(key, allowed)}; the fields are "
                           f"{', '.join(allowed)}")


def _mapping(value: Any, path: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(path, f"must be a mapping of {what}, got {value!r:.80}")
    return value


def _field_name(key: Any, path: str) -> str:
    if not isinstance(key, str) or not key or any(not p for p in key.split(".")):
        raise _Problem(path, f"field names are text such as 'segment' or "
                             f"'spread.connections', got {key!r}")
    return key


def _real(value: Any, path: str, minimum: float = 0.0,
          maximum: float = math.inf) -> float:
    if not _is_number(value) or not math.isfinite(float(value)):
        raise _Problem(path, f"must be a number, got {value!r:.80}")
    v = float(value)
    if not minimum <= v <= maximum:
        bound = f"from {minimum:g} to {maximum:g}" if maximum < math.inf else \
            f"at least {minimum:g}"
        raise _Problem(path, f"must be {bound}, got {v:g}")
    return v


def _conditions(where: Any, path: str) -> tuple[_Condition, ...]:
    out = []
    for key, condition in _mapping(where, path, "fields and the values they must hold").items():
        name = _field_name(key, path)
        at = f"{path}.{name}"
        if isinstance(condition, dict):
            if len(condition) != 1:
                raise _Problem(at, f"a comparison is one of {', '.join(OPERATORS)} with its "
                                   f"value, e.g. {{'>': 0}}, got {condition!r:.80}")
            ((op, value),) = condition.items()
            if op not in OPERATORS:
                raise _Problem(at, f"unknown comparison {op!r}; the comparisons are "
                                   f"{', '.join(OPERATORS)}")
            if op in ("<", "<=", ">", ">=") and not _is_number(value):
                raise _Problem(f"{at}.{op}", f"compares with a number, got {value!r:.80}")
            out.append(_Condition(name, op, value))
        else:
            out.append(_Condition(name, "=", condition))
    return tuple(out)


def _change(index: int, data: Any) -> _Change:
    path = f"changes[{index}]"
    data = _mapping(data, path, "in, where, set, scale, add and remove")
    _check_keys(data, _CHANGE_FIELDS, path)
    if not any(a in data for a in _ACTIONS):
        raise _Problem(path, "says nothing to do: give set, scale, add or remove")
    collection: tuple[str, ...] = ()
    if "in" in data:
        target = data["in"]
        if not isinstance(target, str) or not target:
            raise _Problem(f"{path}.in", f"must name a list of the model such as 'systems' or "
                                         f"'scenarios.costs', got {target!r}")
        collection = tuple(_field_name(target, f"{path}.in").split("."))
        if collection[0] not in COLLECTIONS:
            raise _Problem(f"{path}.in", f"unknown list '{collection[0]}'"
                                         f"{_suggest(collection[0], COLLECTIONS)}; a change "
                                         f"selects objects of {', '.join(COLLECTIONS)} (or, "
                                         "without 'in', changes the model itself)")
    where: tuple[_Condition, ...] = ()
    if "where" in data:
        if not collection:
            raise _Problem(f"{path}.where", "selects objects of a list: give 'in' too")
        where = _conditions(data["where"], f"{path}.where")
    sets = {_field_name(k, f"{path}.set"): v
            for k, v in _mapping(data.get("set", {}), f"{path}.set", "fields and values").items()}
    scales = {_field_name(k, f"{path}.scale"): _real(v, f"{path}.scale.{k}")
              for k, v in _mapping(data.get("scale", {}), f"{path}.scale",
                                   "fields and factors").items()}
    adds = {_field_name(k, f"{path}.add"): (list(v) if isinstance(v, list) else [v])
            for k, v in _mapping(data.get("add", {}), f"{path}.add",
                                 "list fields and what to add to them").items()}
    removes: dict[str, Optional[list[Any]]] = {}
    remove = data.get("remove", {})
    if isinstance(remove, (str, list)):
        for k in ([remove] if isinstance(remove, str) else remove):
            removes[_field_name(k, f"{path}.remove")] = None
    else:
        for k, v in _mapping(remove, f"{path}.remove",
                             "fields, or list fields and what to take out of them").items():
            removes[_field_name(k, f"{path}.remove")] = list(v) if isinstance(v, list) else [v]
    if "name" in sets or "name" in removes:
        raise _Problem(path, "renames or unnames objects: a measure changes what objects are, "
                             "not their names (other objects refer to them by name)")
    return _Change(index, collection, where, sets, scales, adds, removes)


def _measure(data: Any, path: str, earlier: Mapping[str, _Measure]) -> _Measure:
    data = _mapping(data, path, "a measure's fields")
    _check_keys(data, _MEASURE_FIELDS, "")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _Problem("name", f"every measure needs a name (text), got {name!r}")
    if name in earlier:
        raise _Problem("name", "two measures share this name")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _Problem("description", f"must be text, got {description!r:.80}")
    combined: list[_Measure] = []
    combines = data.get("combines", [])
    if not isinstance(combines, list) or not all(isinstance(c, str) for c in combines):
        raise _Problem("combines", f"must be a list of the names of measures listed before "
                                   f"it, got {combines!r:.80}")
    for other in combines:
        if other not in earlier:
            known = ", ".join(f"'{m}'" for m in earlier) or "none"
            raise _Problem("combines", f"no measure '{other}' before this one (measures "
                                       f"before it: {known})")
        combined.append(earlier[other])
    changes_data = data.get("changes", [])
    if not isinstance(changes_data, list):
        raise _Problem("changes", f"must be a list of changes, got {changes_data!r:.80}")
    if not changes_data and not combined:
        raise _Problem("changes", "a measure must change the model: give its changes (or the "
                                  "measures it combines)")
    own = tuple(_change(k, c) for k, c in enumerate(changes_data))
    if "annual_cost" in data:
        cost = _real(data["annual_cost"], "annual_cost")
    elif combined:
        cost = sum(m.annual_cost for m in combined)
    else:
        raise _Problem("annual_cost", "every measure needs its annual cost (amortised "
                                      "investment and running cost per year)")
    rate, cap = 0.0, math.inf
    if "subsidy" in data:
        subsidy = _mapping(data["subsidy"], "subsidy", "rate and cap")
        _check_keys(subsidy, ("rate", "cap"), "subsidy")
        if "rate" not in subsidy:
            raise _Problem("subsidy.rate", "a subsidy needs the share of the cost it pays "
                                           "(0 to 1)")
        rate = _real(subsidy["rate"], "subsidy.rate", 0.0, 1.0)
        if subsidy.get("cap") is not None:
            cap = _real(subsidy["cap"], "subsidy.cap")
    inherited = tuple(c for m in combined for c in m.changes)
    return _Measure(name, description, cost, rate, cap, inherited + own)


# ----------------------------------------------------------------- applying
def _describe(obj: Mapping[str, Any], collection: tuple[str, ...]) -> str:
    kind = _SINGULAR.get(collection[-1], collection[-1]) if collection else "model"
    name = obj.get("name") if isinstance(obj, dict) else None
    return f"{kind} '{name}'" if isinstance(name, str) else kind


def _selected(spec: dict[str, Any], change: _Change) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = [spec]
    for k, part in enumerate(change.collection):
        items: list[dict[str, Any]] = []
        for obj in objects:
            value = obj.get(part, [])
            if not isinstance(value, list):
                raise _Problem(f"{change.path}.in", f"'{'.'.join(change.collection[:k + 1])}' "
                                                    f"of {_describe(obj, change.collection[:k])} "
                                                    "is not a list")
            items += [v for v in value if isinstance(v, dict)]
        objects = items
    if not change.collection:
        return objects
    chosen = [o for o in objects if all(c.holds(o) for c in change.where)]
    if not chosen:
        where = f" where {' and '.join(str(c) for c in change.where)}" if change.where else ""
        raise _Problem(f"{change.path}.where" if change.where else f"{change.path}.in",
                       f"selects nothing: the model has no {'.'.join(change.collection)}"
                       f"{where}")
    return chosen


def _parent(obj: dict[str, Any], dotted: str, path: str, what: str,
            create: bool) -> tuple[Optional[dict[str, Any]], str]:
    """The mapping holding the last part of ``dotted`` in ``obj``, and that part."""
    parts = dotted.split(".")
    for part in parts[:-1]:
        if part not in obj and create:
            obj[part] = {}
        inner = obj.get(part)
        if inner is None and not create:
            return None, parts[-1]
        if not isinstance(inner, dict):
            raise _Problem(path, f"'{part}' of {what} is not a mapping")
        obj = inner
    return obj, parts[-1]


def _apply_change(spec: dict[str, Any], change: _Change) -> None:
    for obj in _selected(spec, change):
        what = _describe(obj, change.collection)
        for key, new in change.set.items():
            parent, last = _parent(obj, key, f"{change.path}.set.{key}", what, True)
            assert parent is not None
            parent[last] = copy.deepcopy(new)
        for key, factor in change.scale.items():
            at = f"{change.path}.scale.{key}"
            parent, last = _parent(obj, key, at, what, False)
            value: Any = parent.get(last, _MISSING) if parent is not None else _MISSING
            if not _is_number(value):
                held = "has none" if value is _MISSING else f"holds {value!r:.60}"
                raise _Problem(at, f"scales a number, and '{key}' of {what} {held} (give an "
                                   "uncertain quantity its new value with set)")
            assert parent is not None
            scaled = float(value) * factor
            # a whole number stays one (a pool's capacity, a count of generations)
            parent[last] = int(scaled) if isinstance(value, int) and scaled.is_integer() \
                else scaled
        for key, items in change.add.items():
            at = f"{change.path}.add.{key}"
            parent, last = _parent(obj, key, at, what, True)
            assert parent is not None
            target = parent.setdefault(last, [])
            if not isinstance(target, list):
                raise _Problem(at, f"adds to a list, and '{key}' of {what} is not one")
            target += copy.deepcopy(items)
        for key, taken in change.remove.items():
            at = f"{change.path}.remove.{key}"
            parent, last = _parent(obj, key, at, what, False)
            if taken is None:
                if parent is not None:
                    parent.pop(last, None)
                continue
            target = parent.get(last) if parent is not None else None
            if not isinstance(target, list):
                raise _Problem(at, f"takes items out of a list, and '{key}' of {what} is not one")
            for item in taken:
                found = [k for k, t in enumerate(target) if _equal(t, item)]
                if not found:
                    raise _Problem(at, f"{what} has no {item!r:.60} in '{key}' to take out")
                del target[found[0]]


def _applier(measure: _Measure, source: str) -> Callable[[dict[str, Any]], None]:
    def apply(spec: dict[str, Any]) -> None:
        for change in measure.changes:
            try:
                _apply_change(spec, change)
            except _Problem as p:
                raise _error(source, measure.name, p.path, p.problem) from None

    return apply


def _error(source: str, measure: Optional[str], path: str, problem: str) -> ValueError_:
    where = f"{source}: " if source else ""
    who = f"{_KIND} '{measure}': " if measure is not None else ""
    at = f"{path}: " if path else ""
    return ValueError_(f"{where}{who}{at}{problem}", _KIND, measure or "", path)


# ------------------------------------------------------------------ reading
def mitigations_from(data: Any, source: str = "<data>",
                     model: Optional[Model] = None) -> list[Mitigation]:
    """The measures of ``data``, the content of a mitigation file as Python
    objects (a list of measures, or a mapping with ``measures`` and an
    optional ``format``), as :class:`~continuity.Mitigation` objects whose
    ``apply`` makes the changes they describe. ``source`` names the data in
    errors. With ``model``, every measure is applied to it once, so that a
    change selecting nothing or leaving the model invalid is an error now,
    not in the middle of a comparison."""
    measures_data = data
    if isinstance(data, dict):
        for key in data:
            if key not in ("format", "description", "measures"):
                raise _error(source, None, key, f"unknown field{_suggest(key, ['measures'])}; "
                                                "a mitigation file holds 'measures' (and "
                                                "optionally 'format' and 'description')")
        if "format" in data and data["format"] != FORMAT:
            raise _error(source, None, "format", f"must be '{FORMAT}', got {data['format']!r}")
        if "measures" not in data:
            raise _error(source, None, "measures", "a mitigation file lists its measures under "
                                                   "'measures'")
        measures_data = data["measures"]
    if not isinstance(measures_data, list):
        raise _error(source, None, "", "a mitigation file holds a list of measures (or a "
                                       f"mapping with 'measures'), got {measures_data!r:.80}")
    parsed: dict[str, _Measure] = {}
    for k, item in enumerate(measures_data):
        label = item.get("name") if isinstance(item, dict) else None
        name = label if isinstance(label, str) else f"#{k + 1}"
        try:
            m = _measure(item, f"measures[{k}]", parsed)
        except _Problem as p:
            raise _error(source, name, p.path, p.problem) from None
        parsed[m.name] = m
    out = [Mitigation(m.name, m.annual_cost, _applier(m, source), m.subsidy_rate,
                      m.subsidy_cap, m.description) for m in parsed.values()]
    if model is not None:
        for mitigation in out:
            _check_against(model, mitigation, source)
    return out


def _check_against(model: Model, mitigation: Mitigation, source: str) -> None:
    spec = model.to_dict()
    mitigation.apply(spec)
    try:
        Model.from_dict(spec, f"{source}: {_KIND} '{mitigation.name}'")
    except Error as e:
        raise _error(source, mitigation.name, "changes",
                     f"the changed model is invalid: {e}") from None


def load_mitigations(path: PathLike, model: Optional[Model] = None) -> list[Mitigation]:
    """Reads a mitigation file (JSON, or YAML for ``.yaml``/``.yml``; the
    format is in ``docs/mitigation-format.md``) into
    :class:`~continuity.Mitigation` objects for
    :func:`~continuity.compare_mitigations`. With ``model``, each measure is
    checked against it (see :func:`mitigations_from`). Errors are
    :class:`~continuity.errors.ValueError_` naming the file, measure and
    field, or :class:`~continuity.errors.IOError_` /
    :class:`~continuity.errors.ParseError` for a file that cannot be read."""
    from .errors import IOError_, ParseError
    from .spreadsheet import _load_json

    name = os.fspath(path)
    location = Path(name)
    if location.is_dir():
        raise IOError_(f"'{name}' is a folder, not a mitigation file (JSON or YAML)")
    try:
        raw = location.read_bytes()
    except OSError as e:
        raise IOError_(f"cannot open mitigation file '{name}': {e.strerror or e}") from e
    try:
        text = decode(raw)
        yaml = location.suffix.lower() in (".yaml", ".yml")
        data = load_yaml(text) if yaml else _load_json(text)
    except InputProblem as e:
        raise ParseError(e.located(name), name, e.line) from None
    return mitigations_from(data, name, model)
