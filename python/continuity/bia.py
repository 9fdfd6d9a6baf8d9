"""Business impact analysis (BIA) workbooks in the field set of ISO/TS 22317 and NIST SP 800-34.

A BIA is usually collected in an Excel workbook: the business processes
(prioritized activities) with their objectives — MTPD, RTO, RPO — and how
their impact grows over time, category by category, in time bands ("after
4 hours", "after 1 day", ...); then the resources the processes depend on,
how they depend on each other, and their backups. :func:`read_bia_workbook`
reads such a workbook into a model dictionary in the JSON model format
(``continuity-model/1``, docs/model-format.md), and :func:`write_bia_workbook`
writes a model as one. The layout is documented in docs/bia-workbook.md, with
the ISO/TS 22317 and NIST SP 800-34 term of every column; the template to fill
in is docs/templates/bia-workbook.xlsx.

The sheets are ``Organisation`` (settings), ``Processes`` (one or more rows
per process: its objectives on the first, one series of time-band values on
each — an impact category per day, per hour, one-off or as escalation levels,
or the minimum business continuity objective), ``Resources`` (what the
processes need: buildings, infrastructure, hardware, software, data, people),
``Dependencies`` (who needs which resource, with redundant alternatives),
``Backups`` and ``Staff and equipment`` (the people and equipment available
for recovery work). Sheets whose name starts with ``_`` are ignored.

What a workbook does not hold — incident scenarios, recovery procedures, a
custom priority matrix — lives in a JSON or YAML *companion* file, as for the
inventory tables of :mod:`continuity.spreadsheet`: :func:`companion` and
:func:`write_companion` split it off a model, and
``read_bia_workbook(path, base=load_companion(companion_path))`` merges it
back, so that::

    write_bia_workbook(model, "bia.xlsx")
    write_companion(model, "bia.json")
    read_bia_workbook("bia.xlsx", base=load_companion("bia.json"))

gives the model back. Every problem raises
:class:`~continuity.errors.SpreadsheetError` naming the file, the sheet, the
row as Excel shows it and the column as written in the header row.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from .errors import SpreadsheetError
from .spreadsheet import (
    _LAYERS,
    _SETTING_CHOICES,
    _Column,
    _convert,
    _col,
    _duration_hours,
    _is_duration_text,
    _is_integer,
    _is_list,
    _Layout,
    _Objects,
    _read_workbook,
    _Row,
    _Splitter,
    _Table,
    _TableSpec,
    _text,
    _build_model,
    _write_model_file,
    _write_workbook,
    load_companion,
)

__all__ = [
    "SHEETS",
    "COLUMNS",
    "DEFAULT_TIME_BANDS",
    "read_bia_workbook",
    "write_bia_workbook",
    "is_bia_workbook",
    "companion",
    "write_companion",
    "load_companion",
]

_StrPath = Union[str, "os.PathLike[str]"]
_Band = Union[str, int, float]


# --------------------------------------------------------------------------
# Layout

_SETTINGS: Tuple[_Column, ...] = (
    _col("name", "text", header="Name"),
    _col("description", "text", header="Description"),
    _col("currency", "text", header="Currency"),
    _col("tier", "choice", header="Tier", choices=("pine", "bamboo", "plum", "松", "竹", "梅")),
    _col("employees", "integer", header="Employees"),
    _col("priority_matrix", "choice", header="Priority matrix",
         choices=_SETTING_CHOICES["priority_matrix"]),
    _col("rto_table", "choice", header="RTO table", choices=_SETTING_CHOICES["rto_table"]),
    _col("cycle_policy", "choice", header="Cycle policy",
         choices=_SETTING_CHOICES["cycle_policy"]),
)
_ORGANISATION = _TableSpec("organisation", False, title="Organisation", write_empty=True,
                           columns=(
    _col("key", "choice", required=True, header="Setting",
         choices=tuple(c.name for c in _SETTINGS), labels=tuple(c.title for c in _SETTINGS)),
    _Column("value", "text", (), header="Value"),
))

_MEASURES = ("rate_per_day", "rate_per_hour", "lump", "level", "minimum_capacity")
"""What the time-band values of a row of the Processes sheet are."""
_MEASURE_WORDS = ("per day", "per hour", "one-off", "level", "MBCO")
_STEP_FIELDS = ("rate_per_day", "rate_per_hour", "lump")
"""The measures that are fields of an impact curve's steps, in the order written."""

_PROCESSES = _TableSpec("processes", True, noun="process", title="Processes",
                        time_bands="measure", columns=(
    _col("name", "text", required=True, header="Process"),
    _col("description", "text", header="Description"),
    _col("importance", "integer", header="Importance"),
    _col("system_dependency", "integer", header="System dependency"),
    _col("emergency", "boolean", header="Emergency response"),
    _Column("category", "text", header="Impact category"),
    _Column("unit", "text", header="Unit"),
    _Column("measure", "choice", choices=_MEASURES, labels=_MEASURE_WORDS, header="Measure"),
    _col("mtpd", "duration", header="MTPD", aliases=("MTD",)),
    _col("rto", "duration", header="RTO"),
    _col("rpo", "duration", header="RPO"),
    _col("wrt", "duration", header="WRT"),
    _col("revenue_per_day", "number", header="Revenue per day"),
    _col("margin", "number", header="Margin"),
    _col("profit_per_day", "number", header="Profit per day"),
    _col("operating_days_per_week", "number", header="Operating days per week"),
    _col("operating_days_per_year", "number", header="Operating days per year"),
    _col("workaround_description", "text", path=("manual_workaround", "description"),
         header="Workaround"),
    _col("workaround_capacity", "number", path=("manual_workaround", "capacity"),
         header="Workaround capacity"),
    _col("workaround_setup_time", "duration", path=("manual_workaround", "setup_time"),
         header="Workaround set-up time"),
    _col("workaround_max_duration", "duration", path=("manual_workaround", "max_duration"),
         header="Workaround max duration"),
))
_SERIES_COLUMNS = ("category", "unit", "measure")

_RESOURCES = _TableSpec("resources", True, noun="resource", title="Resources", columns=(
    _col("name", "text", required=True, header="Resource"),
    _col("layer", "choice", choices=_LAYERS, header="Resource type"),
    _col("side", "choice", choices=("client", "server"), header="Side"),
    _col("segment", "text", header="Network segment"),
    _col("holds_data", "boolean", header="Holds data"),
    _col("transactions_per_hour", "number", header="Transactions per hour"),
    _col("reentry_hours_per_transaction", "duration", header="Re-entry hours per transaction"),
    _col("reentry_by", "text", header="Re-entry by"),
    _col("reentry_staff", "integer", header="Re-entry staff"),
    _col("description", "text", header="Description"),
))
_DEPENDENCIES = _TableSpec("dependencies", True, title="Dependencies", columns=(
    _col("from", "text", required=True, header="Process or resource"),
    _col("from_type", "choice", choices=("function", "system"), labels=("process", "resource"),
         header="Type"),
    _col("to", "text", required=True, header="Depends on"),
    _col("kind", "choice", choices=("all_of", "any_of", "k_of"),
         labels=("all of", "any of", "k of"), header="Requirement"),
    _col("group", "text", header="Group"),
    _col("k", "integer", header="k"),
))
_BACKUPS = _TableSpec("backups", True, title="Backups", columns=(
    _col("system", "text", required=True, header="Resource"),
    _col("interval", "duration", header="Interval"),
    _col("generations", "integer", header="Generations"),
    _col("age", "duration", header="Age"),
    _col("medium", "text", header="Medium"),
    _col("mode", "choice", choices=("online", "offline", "immutable"), header="Mode"),
    _col("offsite", "boolean", header="Off site"),
    _col("restore_time", "duration", header="Restore time"),
    _col("content", "choice", choices=("data", "system"), header="Content"),
))
_POOLS = _TableSpec("pools", False, noun="pool", title="Staff and equipment", columns=(
    _col("name", "text", required=True, header="Name"),
    _col("kind", "choice", choices=("people", "equipment"), header="Kind"),
    _col("external", "boolean", header="External"),
    _col("capacity", "integer", header="Number available"),
    _col("description", "text", header="Description"),
))
_TABLES = (_ORGANISATION, _PROCESSES, _RESOURCES, _DEPENDENCIES, _BACKUPS, _POOLS)

SHEETS: Tuple[str, ...] = tuple(t.sheet for t in _TABLES)
"""The sheets a BIA workbook may have, in the order they are written."""
COLUMNS: Dict[str, Tuple[str, ...]] = {t.sheet: tuple(c.title for c in t.columns)
                                       for t in _TABLES}
"""The columns of each sheet, in the order they are written (the Processes
sheet has its time bands after ``Measure``)."""
DEFAULT_TIME_BANDS: Tuple[str, ...] = ("4h", "1d", "3d", "1w", "2w", "1mo")
"""The time bands every written Processes sheet offers, besides the model's own."""


# --------------------------------------------------------------------------
# Reading


def _process_rows(table: _Table) -> _Table:
    """The first row of each process, the process's own fields checked on its
    other rows; a row without a process name continues the process above."""
    fields = [c.name for c in table.spec.columns
              if c.field and c.name != "name" and table.has(c.name)]
    first: Dict[str, Tuple[int, Dict[str, object]]] = {}
    last: Optional[Tuple[int, Dict[str, object]]] = None
    rows: List[Tuple[int, Dict[str, object]]] = []
    for row, cells in table.rows:
        raw = cells.get("name")
        name = "" if raw is None else _text(raw)
        if raw is None or (last is not None and name == _text(last[1]["name"])):
            if last is None:
                raise table.error("the first row needs a process (a row without one continues "
                                  "the process above)", row, "name")
            cells["name"] = last[1]["name"]
            for column in fields:
                value = cells.get(column)
                given = last[1].get(column)
                if value is not None and (given is None or _text(value) != _text(given)):
                    raise table.error(
                        f"'{table.header(column)}' of process '{_text(last[1]['name'])}' goes on "
                        f"its first row (row {last[0]}); its later rows hold other impact "
                        "categories and leave it empty or repeat it", row, column)
            continue
        if name in first:
            raise table.error(f"process '{name}' is already in row {first[name][0]}: keep the "
                              "rows of a process together", row, "name")
        last = first[name] = (row, cells)
        rows.append(last)
    return dataclasses.replace(table, rows=rows)


@dataclasses.dataclass
class _Curve:
    """An impact curve being read: its category, unit, steps and rows."""

    curve: Dict[str, Any]
    """The curve in the model (its steps are set once every row is read)."""
    unit: Optional[str] = None
    steps: Dict[float, Dict[str, Any]] = dataclasses.field(default_factory=dict)
    """Hours -> step."""
    measures: Dict[str, int] = dataclasses.field(default_factory=dict)
    """Measure -> the row that gave it."""


def _band_values(table: _Table, row: int,
                 cells: Mapping[str, object]) -> List[Tuple[str, _Band, float, Any]]:
    """The filled time-band cells of a row: (column, band, hours, number), by hours."""
    values = []
    for column, (band, hours) in sorted(table.bands.items(), key=lambda item: item[1][1]):
        raw = cells.get(column)
        if raw is not None:
            number = _convert(table, _Column(column, "number"), "number", raw, row, column)
            values.append((column, band, hours, number))
    return values


def _read_series(tables: Mapping[str, _Table], functions: _Objects) -> bool:
    """Adds the impact curves and minimum business continuity objectives of the
    Processes sheet's time bands; whether the sheet has them (a Measure column)."""
    table = tables[_PROCESSES.name]
    curves: Dict[Tuple[str, str], _Curve] = {}
    mbco: Dict[str, int] = {}
    for row, cells in table.rows:
        name = _text(cells["name"])
        measure = table.value(row, cells, "measure") if table.has("measure") else None
        category = table.value(row, cells, "category") if table.has("category") else None
        unit = table.value(row, cells, "unit") if table.has("unit") else None
        values = _band_values(table, row, cells)
        if measure is None:
            if values:
                raise table.error(
                    "a value in a time band needs a 'Measure' on its row: "
                    + ", ".join(_MEASURE_WORDS), row, values[0][0])
            for column, given in (("category", category), ("unit", unit)):
                if given is not None:
                    raise table.error(f"'{table.header(column)}' needs a 'Measure' and values "
                                      "in the time bands on its row", row, column)
            continue
        if not values:
            raise table.error("no value in any time band (the columns named by a duration, "
                              "such as 4h or 1d)", row, "measure")
        obj = functions.objects[functions.positions[name]]
        if measure == "minimum_capacity":
            for column, given in (("category", category), ("unit", unit)):
                if given is not None:
                    raise table.error(f"an MBCO row has no '{table.header(column)}': its values "
                                      "are the share of normal output needed by each time",
                                      row, column)
            if name in mbco:
                raise table.error(f"process '{name}' has its MBCO in row {mbco[name]} already",
                                  row, "measure")
            mbco[name] = row
            obj["minimum_capacity"] = [{"by": band, "capacity": value}
                                       for _, band, _, value in values]
            continue
        if category is None:
            raise table.error(f"'{table.header('category')}' is required on a row of impact "
                              "values; the cell is empty", row, "category")
        current = curves.get((name, category))
        if current is None:
            current = curves[(name, category)] = _Curve({"category": category})
            obj.setdefault("impact", []).append(current.curve)
        if unit is not None:
            if current.unit is not None and current.unit != unit:
                raise table.error(f"the '{category}' impact of '{name}' is in "
                                  f"'{current.unit}' in an earlier row; a category has one "
                                  "unit", row, "unit")
            current.unit = unit
        _add_steps(table, row, current, measure, values, name, category)
    for current in curves.values():
        if current.unit is not None:
            current.curve["unit"] = current.unit
        current.curve["steps"] = [current.steps[h] for h in sorted(current.steps)]
    return table.has("measure")


def _add_steps(table: _Table, row: int, current: _Curve, measure: str,
               values: Sequence[Tuple[str, _Band, float, Any]], name: str,
               category: str) -> None:
    """Adds the time-band values of one row to the steps of an impact curve."""
    words = dict(zip(_MEASURES, _MEASURE_WORDS))
    # One row per measure; one-off and level rows both give the lumps.
    lumps = ("lump", "level")
    for other in (measure, *(m for m in lumps if measure in lumps and m != measure)):
        if other in current.measures:
            raise table.error(f"the '{category}' impact of '{name}' has a '{words[other]}' "
                              f"row already (row {current.measures[other]})", row, "measure")
    current.measures[measure] = row
    key = "lump" if measure == "level" else measure
    other_rate = {"rate_per_day": "rate_per_hour", "rate_per_hour": "rate_per_day"}.get(key)
    reached = 0.0
    for i, (column, band, hours, value) in enumerate(values):
        step = current.steps.setdefault(hours, {"after": band})
        if measure == "level":
            if value < reached:
                raise table.error(f"an escalation level never falls: {_text(value)} here is "
                                  f"below the {_text(reached)} of an earlier time band" if i
                                  else f"an escalation level is not negative: {_text(value)}",
                                  row, column)
            value, reached = value - reached, value
        if other_rate in step:
            raise table.error(f"the '{category}' impact of '{name}' has a rate "
                              f"{words[other_rate]} from {table.headers[column]} already "
                              f"(row {current.measures[other_rate]})", row, column)
        step[key] = value


def _check_path(location: Path, writing: bool) -> None:
    """A BIA workbook is an .xlsx file (for reading also .xlsm) that exists."""
    suffixes = (".xlsx",) if writing else (".xlsx", ".xlsm")
    if location.suffix.lower() not in suffixes or location.is_dir():
        raise SpreadsheetError("a BIA workbook is an Excel workbook (.xlsx)"
                               + (", not a folder" if location.is_dir() else ""),
                               file=str(location))
    if not writing and not location.exists():
        raise SpreadsheetError("no such workbook", file=str(location))


def read_bia_workbook(path: _StrPath, *, base: Optional[Mapping[str, Any]] = None
                      ) -> Dict[str, Any]:
    """Reads a BIA workbook into a model dictionary in the JSON model format.

    Args:
        path: The workbook (``.xlsx``), laid out as docs/bia-workbook.md
            describes: the sheets ``Processes``, ``Resources``,
            ``Dependencies`` and ``Backups``, and optionally ``Organisation``
            and ``Staff and equipment``. Sheets whose name starts with ``_``
            are ignored; any other unknown sheet is an error.
        base: A model dictionary to merge the sheets into, typically the
            companion file with the scenarios and recovery procedures
            (:func:`load_companion`). The sheets take precedence: a setting
            of the Organisation sheet replaces the base's, and each process,
            resource and pool of staff or equipment is its row completed with
            the fields of the base's object of the same name that the sheet
            has no column for. Every named object of the base must have a row.

    Returns:
        The model as a dictionary of JSON values (``format`` first), ready for
        ``json.dumps`` and the model loader. Empty cells are left out, so the
        loader's defaults apply.

    Raises:
        SpreadsheetError: the path is no workbook, a sheet or column is
            missing or unknown, or a cell is invalid; the error names the
            file, sheet, row and column.
    """
    location = Path(os.fspath(path))
    _check_path(location, writing=False)
    tables = _read_workbook(location, _BIA)
    return _build_model(tables, base, str(location), _BIA)


def is_bia_workbook(path: _StrPath) -> bool:
    """Whether ``path`` is an Excel workbook with a ``Processes`` sheet and no
    ``functions`` sheet: a BIA workbook rather than an inventory."""
    location = Path(os.fspath(path))
    if location.suffix.lower() not in (".xlsx", ".xlsm") or not location.is_file():
        return False
    import openpyxl

    try:
        book = openpyxl.load_workbook(location, read_only=True)
        try:
            names = {str(name).strip().lower() for name in book.sheetnames}
        finally:
            book.close()
    except Exception:
        return False
    return "processes" in names and "functions" not in names


# --------------------------------------------------------------------------
# Writing


def _band_of(value: object) -> Optional[Tuple[Tuple[str, object], float]]:
    """The identity of a time band (numbers by value, text by text) and its
    hours, or None if ``value`` cannot head a time-band column."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number) or number < 0:
            return None
        return ("number", number), number
    if isinstance(value, str) and value == value.strip() and _is_duration_text(value):
        hours = _duration_hours(value)
        if hours is None or hours < 0:
            return None
        return ("text", value), hours
    return None


def _is_amount(value: object) -> bool:
    """Whether ``value`` is a finite number (and not true or false)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(float(value)))


def _is_cell_text(value: object) -> bool:
    """Whether ``value`` is text that a cell gives back as it is (not empty,
    no spaces around it)."""
    return isinstance(value, str) and value != "" and value == value.strip()


def _series_times(function: Mapping[str, Any]) -> Optional[List[List[object]]]:
    """The times of each impact curve and of the MBCO of a function, None if
    one does not fit the time bands (an empty list: the function has none)."""
    times: List[List[object]] = []
    curves = function.get("impact")
    if curves is not None:
        if not _is_list(curves):
            return None
        categories = set()
        for curve in curves:
            if (not isinstance(curve, Mapping) or not {"category", "steps"} <= set(curve)
                    or not set(curve) <= {"category", "steps", "unit"}
                    or not _is_cell_text(curve["category"]) or curve["category"] in categories
                    or ("unit" in curve and not _is_cell_text(curve["unit"]))
                    or not _is_list(curve["steps"]) or not curve["steps"]):
                return None
            categories.add(curve["category"])
            for step in curve["steps"]:
                if (not isinstance(step, Mapping) or "after" not in step
                        or not set(step) <= {"after", *_STEP_FIELDS} or len(step) < 2
                        or not all(_is_amount(step[f]) for f in _STEP_FIELDS if f in step)):
                    return None
            times.append([step["after"] for step in curve["steps"]])
    entries = function.get("minimum_capacity")
    if entries is not None:
        if not _is_list(entries):
            return None
        for entry in entries:
            if (not isinstance(entry, Mapping) or set(entry) != {"by", "capacity"}
                    or not _is_amount(entry["capacity"])):
                return None
        times.append([entry["by"] for entry in entries])
    return times


def _series_fit(splitter: _Splitter, functions: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every impact curve and MBCO fits the time bands; if so, sets
    the splitter's time-band columns (the model's times and the defaults)."""
    bands: Dict[float, Tuple[Tuple[str, object], object]] = {}
    for function in functions:
        times = _series_times(function)
        if times is None:
            return False
        for series in times:
            previous = -1.0
            for value in series:
                band = _band_of(value)
                if band is None or band[1] <= previous:
                    return False
                identity, previous = band
                if bands.setdefault(band[1], (identity, value))[0] != identity:
                    return False
    for value in DEFAULT_TIME_BANDS:
        band = _band_of(value)
        assert band is not None
        bands.setdefault(band[1], (band[0], value))
    splitter.bands = {_column_of(value): value for _, (_, value) in sorted(bands.items())}
    return True


def _column_of(band: object) -> str:
    """The column name of the time band ``band`` (as the workbook's reader names it)."""
    return "@" + _text(band)


def _levels(curve: Mapping[str, Any], currency: object) -> Optional[List[Any]]:
    """The escalation levels of a curve of scores (a unit other than money)
    whose steps are lumps alone — the impact reached by each step —, None if
    the curve is no such curve or its levels do not give its lumps back exactly."""
    if curve.get("unit") in (None, currency):
        return None
    levels: List[Any] = []
    reached: Any = 0.0
    for step in curve["steps"]:
        lump = step.get("lump")
        if set(step) != {"after", "lump"} or lump < 0:
            return None
        level = reached + lump
        if level - reached != lump:
            return None
        levels.append(level if levels else lump)
        reached = level
    return levels


def _series_rows(splitter: _Splitter) -> None:
    """Gives each process the rows of its impact curves and MBCO."""
    rows: List[_Row] = []
    currency = splitter.model.get("currency", "JPY")
    for row in splitter.rows[_PROCESSES.name]:
        fields = splitter.series.get(row["name"], {})
        lines: List[_Row] = []
        for curve in fields.get("impact") or []:
            levels = _levels(curve, currency)
            if levels is not None:
                lines.append({"category": curve["category"], "unit": curve["unit"],
                              "measure": "level",
                              **{_column_of(step["after"]): level
                                 for step, level in zip(curve["steps"], levels)}})
                continue
            for measure in _STEP_FIELDS:
                line: _Row = {"category": curve["category"], "unit": curve.get("unit"),
                              "measure": measure}
                for step in curve["steps"]:
                    if measure in step:
                        line[_column_of(step["after"])] = step[measure]
                if len(line) > 3:
                    lines.append(line)
        if fields.get("minimum_capacity"):
            lines.append({"measure": "minimum_capacity",
                          **{_column_of(e["by"]): e["capacity"]
                             for e in fields["minimum_capacity"]}})
        rows.append({**row, **lines[0]} if lines else row)
        rows.extend({"name": row["name"], **line} for line in lines[1:])
    splitter.rows[_PROCESSES.name] = rows


_BIA = _Layout(
    what="a BIA workbook", reader="continuity.bia.read_bia_workbook", tables=_TABLES,
    settings=_ORGANISATION, setting_columns=_SETTINGS, functions=_PROCESSES,
    systems=_RESOURCES, dependencies=_DEPENDENCIES, backups=_BACKUPS, resources=_POOLS,
    series_fields=("impact", "minimum_capacity"), read_series=_read_series,
    series_fit=_series_fit, series_rows=_series_rows, function_rows=_process_rows,
    series_columns=_SERIES_COLUMNS)


def companion(model: Mapping[str, Any]) -> Dict[str, Any]:
    """The parts of a model that a BIA workbook does not hold.

    These are the incident scenarios, insurance, a custom priority matrix or
    RTO table, recovery procedures of resources, impact curves and MBCOs
    that do not fit the time bands and any field the sheets have no column
    for. Processes, resources and pools appear as ``{"name": ..., <fields>}``
    only if they have such fields.

    Args:
        model: A model dictionary in the JSON model format.

    Returns:
        A dictionary for ``read_bia_workbook(..., base=...)``: merged with the
        workbook written by :func:`write_bia_workbook` it gives the model back.

    Raises:
        SpreadsheetError: a field the workbook holds has a value no cell can hold.
    """
    return _Splitter(model, "", _BIA).split().companion


def write_companion(model: Mapping[str, Any], path: _StrPath) -> None:
    """Writes what a BIA workbook does not hold of ``model`` (:func:`companion`)
    to ``path``, as JSON or, for ``.yaml``/``.yml``, as YAML; a
    :class:`~continuity.errors.SpreadsheetError` if it cannot."""
    _write_model_file(companion(model), Path(os.fspath(path)), "companion file")


def write_bia_workbook(model: Mapping[str, Any], path: _StrPath) -> None:
    """Writes a model as a BIA workbook.

    Every sheet is written with all its columns (a template to fill in), the
    Processes sheet with the time bands of the model's impact curves and
    MBCOs and those of :data:`DEFAULT_TIME_BANDS`; ``Staff and equipment``
    only if the model lists pools. Choice and yes/no columns offer their
    values in a drop-down list, and a sheet ``_guide`` explains every column
    in English and Japanese. If an impact curve or MBCO does not fit the time
    bands (two spellings of one time, a step of no value, ...), none is
    written and the Processes sheet has no impact columns: they stay in the
    companion. What the workbook cannot hold is left out: keep it with
    :func:`write_companion`.

    Args:
        model: A model dictionary in the JSON model format.
        path: The ``.xlsx`` file (replaced if it exists).

    Raises:
        SpreadsheetError: a value the workbook holds does not fit in a cell, a
            requirement or backup is malformed, or the file cannot be written.
    """
    location = Path(os.fspath(path))
    _check_path(location, writing=True)
    split = _Splitter(model, str(location), _BIA).split()
    _write_workbook(split, location, _BIA, ("_guide", _GUIDE))


# --------------------------------------------------------------------------
# The guide sheet of a written workbook

_GUIDE: Tuple[Tuple[str, str, str, str], ...] = (
    ("Sheet", "Column", "Meaning", "説明"),
    ("(every sheet)", "", "Row 1 holds the column names; columns may come in any order and "
     "may be left out unless required. An empty cell means 'not given' (the default "
     "applies). Sheets whose name starts with _ are ignored. docs/bia-workbook.md describes "
     "every column.",
     "1行目は列名。列の順序は自由で、必須でない列は省略可。空欄は「指定なし」(既定値)。"
     "名前が _ で始まるシートは読み込まれない。詳細は docs/bia-workbook.md。"),
    ("(every sheet)", "durations", "A number of hours, or text with a unit: 90min, 4h, 3d, 2w, "
     "6mo, 1y. Not an Excel time (4:00).",
     "時間数、または単位付きの文字: 90min, 4h, 3d(日), 2w(週), 6mo(月), 1y(年)。"
     "Excel の時刻(4:00)は不可。"),
    ("Organisation", "Setting, Value", "One row per setting: Name, Description, Currency "
     "(JPY), Tier (pine/bamboo/plum or 松/竹/梅), Employees, Priority matrix, RTO table, "
     "Cycle policy.",
     "設定ごとに1行: 組織名、説明、通貨(JPY)、松竹梅の区分、従業員数、優先度マトリクス、"
     "RTO表、循環依存の扱い。"),
    ("Processes", "Process", "The business process (ISO/TS 22317: prioritized activity; "
     "NIST SP 800-34: mission/business process). Required. A process may take several rows, "
     "one per impact category; its own fields go on its first row.",
     "業務(ISO/TS 22317 の優先的に実施すべき活動、NIST SP 800-34 の業務プロセス)。必須。"
     "影響の種類ごとに複数行にしてよく、業務自体の項目は最初の行に書く。"),
    ("Processes", "Importance, System dependency", "Levels 1..3 (or 1..5): 3 is most "
     "important, most dependent on systems. They give the priority class S/A/B/C/D.",
     "重要度とシステム依存度(1〜3、または1〜5。大きいほど重要・依存)。優先クラス S/A/B/C/D を決める。"),
    ("Processes", "Emergency response", "TRUE for disaster-response work: always class S.",
     "災害対応業務なら TRUE(常にクラス S)。"),
    ("Processes", "Impact category", "What the impact is: lost fees, patients referred "
     "elsewhere, reputation, legal, ...", "影響の種類: 未収の診療報酬、転院患者、評判、法令など。"),
    ("Processes", "Unit", "Empty for money in the model's currency; points, patients, ... for "
     "a score or count.", "空欄は金額(通貨)。点数や人数などの場合はその単位。"),
    ("Processes", "Measure", "What the values in the time bands are: per day / per hour (the "
     "impact accrues at that rate from the band on), one-off (an amount at the band), level "
     "(escalation level reached by the band), MBCO (share of normal output needed by the "
     "band, 0..1).",
     "経過時間の列の値の意味: per day / per hour(その時点以降の1日/1時間あたりの影響)、"
     "one-off(その時点での一時的な影響)、level(その時点までに達する影響度)、"
     "MBCO(その時点までに必要な通常時に対する業務量の割合、0〜1)。"),
    ("Processes", "4h, 1d, 3d, 1w, 2w, 1mo, ...", "Time bands: time since the disruption. Add "
     "or remove bands as needed; the header is a duration.",
     "経過時間(中断からの時間)。列は追加・削除してよい。列名は期間。"),
    ("Processes", "MTPD", "Maximum tolerable period of disruption (NIST: MTD). RTO + WRT must "
     "not exceed it.", "最大許容停止時間(NIST の MTD)。RTO + WRT はこれを超えてはならない。"),
    ("Processes", "RTO", "Recovery time objective; empty: from the priority class.",
     "目標復旧時間。空欄は優先クラスから決まる。"),
    ("Processes", "RPO", "Recovery point objective: how much data may be lost.",
     "目標復旧時点(失ってよいデータの量)。"),
    ("Processes", "WRT", "Work recovery time after the systems are back.",
     "システム復旧後に業務を再開するまでの作業時間。"),
    ("Processes", "Revenue per day, Margin, Profit per day", "Value at risk: lost profit per "
     "operating day = revenue x margin (or the profit per day).",
     "1営業日あたりの損失 = 売上 × 利益率(または1日あたり利益)。"),
    ("Processes", "Operating days per week, Operating days per year", "5 for a weekday "
     "business; default 7 and days per week x 365 / 7.", "営業日数(平日のみなら週5)。"),
    ("Processes", "Workaround, Workaround capacity, Workaround set-up time, Workaround max "
     "duration", "Manual workaround: what it is, the share of output it gives (0..1), the "
     "time to set it up, how long it can be kept up.",
     "代替手段(手作業): 内容、可能な業務量の割合(0〜1)、準備時間、継続できる期間。"),
    ("Resources", "Resource", "What the processes need: a building, infrastructure (power, "
     "network), hardware, software, data, people. Required.",
     "業務に必要な経営資源: 建物、インフラ(電源・ネットワーク)、機器、ソフトウェア、データ、人。必須。"),
    ("Resources", "Resource type", "building, infrastructure, hardware, software, data, "
     "people (default software).", "種類(既定は software)。"),
    ("Resources", "Side, Network segment", "client or server; the network zone (for the spread "
     "of an attack).", "クライアントかサーバーか、ネットワークセグメント(攻撃の拡散に使う)。"),
    ("Resources", "Holds data", "Whether RPOs apply (default TRUE for software).",
     "データを持つか(RPO の対象。software は既定で TRUE)。"),
    ("Resources", "Transactions per hour, Re-entry hours per transaction, Re-entry by, "
     "Re-entry staff", "Records created per hour and the work to re-enter lost ones: hours "
     "per record, by which pool of staff, how many in parallel.",
     "1時間あたりの記録件数と、失われた記録の再入力: 1件の時間、担当要員、並行人数。"),
    ("Dependencies", "Process or resource, Depends on", "One row per resource that a process "
     "or a resource needs.", "業務または経営資源が必要とする経営資源を1行に1つ。"),
    ("Dependencies", "Type", "process or resource: only when a process and a resource share "
     "the name.", "業務と経営資源が同名のときだけ指定。"),
    ("Dependencies", "Requirement, Group, k", "all of (needed), any of (one of the group "
     "suffices), k of (k of the group suffice); rows with the same group form one "
     "requirement.",
     "all of(必須)、any of(グループのどれか1つで足りる)、k of(グループのうち k 個で足りる)。"
     "同じ Group の行が1つの要件。"),
    ("Backups", "Resource, Interval, Generations, Age", "One row per backup: every interval "
     "with so many generations, or a one-off copy of a given age.",
     "バックアップごとに1行: 取得間隔と世代数、または一度きりのコピーの古さ。"),
    ("Backups", "Medium, Mode, Off site, Restore time, Content", "Where it is, online / "
     "offline / immutable, kept off site, time to restore, data or system.",
     "媒体、online / offline / immutable、遠隔地保管、復元時間、data(データ)か system(システム)か。"),
    ("Staff and equipment", "Name, Kind, External, Number available", "People and equipment "
     "for recovery work: people or equipment, outside help (not reduced by a staff "
     "shortage), how many at a time.",
     "復旧作業に使える要員と機材: 種類、外部の支援か(要員不足の影響を受けない)、同時に使える数。"),
)
