"""Asset inventories kept in spreadsheets: Excel workbooks and folders of CSV files.

Analysts keep the business functions, systems, dependencies and backups of a
business impact analysis in tables. :func:`read_inventory` turns such an
inventory into a model dictionary in the JSON model format
(``continuity-model/1``, see docs/model-format.md), ready for the model
loader; :func:`write_inventory` writes a model dictionary as tables. The
layout of the tables is documented in docs/spreadsheet-format.md.

An inventory is either one ``.xlsx`` workbook with a sheet per table or a
folder with a CSV file per table (``functions.csv``, ``systems.csv``, ...).
The tables ``functions``, ``systems``, ``dependencies`` and ``backups`` are
required; ``model`` (key/value settings), ``resources`` and ``impacts`` are
optional.

What does not fit in a table (incident scenarios, recovery procedures, a
custom priority matrix) lives in a JSON or YAML *companion*, merged with
``read_inventory(path, base=load_companion(companion_path))``: the tables take
precedence, and objects of the companion are matched to table rows by name.
:func:`companion` and :func:`write_companion` split a model into the two parts,
so that::

    write_inventory(model, "inventory.xlsx")
    write_companion(model, "inventory.json")
    read_inventory("inventory.xlsx", base=load_companion("inventory.json"))

gives the model back (with requirement lists in the normal form described in
docs/spreadsheet-format.md).

Every problem with an inventory raises :class:`~continuity.errors.SpreadsheetError`
naming the file, the sheet (or CSV table), the row as the spreadsheet program
shows it (the header is row 1, the first data row is row 2) and the column.
The checks here cover what a table can get wrong (types, unknown names,
references between tables, duplicates); the model loader validates the rest
and names the object and field.

Only pandas and openpyxl (for workbooks) and PyYAML (for YAML companions) are
needed; they are imported when first used.
"""

from __future__ import annotations

import copy
import csv
import datetime
import difflib
import io
import json
import math
import numbers
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Union, cast

from ._input import InputProblem, decode, load_yaml
from .errors import SpreadsheetError

__all__ = [
    "FORMAT",
    "TABLES",
    "REQUIRED_TABLES",
    "COLUMNS",
    "read_inventory",
    "write_inventory",
    "companion",
    "load_companion",
    "write_companion",
    "companion_beside",
]

FORMAT = "continuity-model/1"
"""The model format the inventories are read into."""

_StrPath = Union[str, "os.PathLike[str]"]
_Row = Dict[str, Any]
_Object = Dict[str, Any]


# --------------------------------------------------------------------------
# Table layout


@dataclass(frozen=True)
class _Column:
    """One column of a table: its name, how its cells are read and where they go."""

    name: str
    """The name the readers know the column by (a snake_case field name)."""
    kind: str
    """``text``, ``integer``, ``number``, ``duration``, ``boolean`` or ``choice``."""
    field: Tuple[str, ...] = ()
    """Path of the model field the column fills (``()``: handled by the table's reader)."""
    required: bool = False
    """The column must be present and every cell in it filled in."""
    choices: Tuple[str, ...] = ()
    """Allowed values of a ``choice`` column, as the model writes them."""
    header: str = ""
    """The column's name in the header row (``""``: ``name``)."""
    labels: Tuple[str, ...] = ()
    """The words a ``choice`` column shows for its ``choices`` (``()``: the choices)."""
    aliases: Tuple[str, ...] = ()
    """Other names the header row may give the column."""

    @property
    def title(self) -> str:
        """The column's name as written in the header row."""
        return self.header or self.name

    @property
    def words(self) -> Tuple[str, ...]:
        """The words a ``choice`` column accepts and shows, in the order of ``choices``."""
        return self.labels or self.choices

    def word(self, choice: str) -> str:
        """The word shown for the model value ``choice``."""
        return self.words[self.choices.index(choice)]


@dataclass(frozen=True)
class _TableSpec:
    """A table: its name, whether the inventory must have it, and its columns."""

    name: str
    required: bool
    columns: Tuple[_Column, ...]
    title: str = ""
    """The sheet's name (``""``: ``name``; a CSV table's file is ``<name>.csv``)."""
    noun: str = ""
    """What one row describes, in messages ("business function"; ``""``: a row)."""
    write_empty: bool = False
    """Written without rows too (required tables always are)."""
    time_bands: str = ""
    """If given, the column after which time-band columns are written: headers
    that are durations ("4h", "1d", 72) are time bands."""

    def column(self, name: str) -> _Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise LookupError(name)  # pragma: no cover - internal misuse

    @property
    def column_names(self) -> Tuple[str, ...]:
        """The names of all columns, in their written order."""
        return tuple(c.name for c in self.columns)

    @property
    def sheet(self) -> str:
        """The name of the table's sheet."""
        return self.title or self.name

    @property
    def label(self) -> str:
        """The table as messages name it ("the functions table", "the Processes sheet")."""
        return f"the {self.name} table" if not self.title else f"the {self.title} sheet"

    def header(self, name: str) -> str:
        """The header of the column called ``name``."""
        return self.column(name).title


def _col(name: str, kind: str, *, path: Optional[Tuple[str, ...]] = None,
         required: bool = False, choices: Tuple[str, ...] = (), header: str = "",
         labels: Tuple[str, ...] = (), aliases: Tuple[str, ...] = ()) -> _Column:
    """A column filling the model field of its name (or the field at ``path``)."""
    return _Column(name, kind, (name,) if path is None else path, required, choices, header,
                   labels, aliases)


_LAYERS = ("building", "infrastructure", "hardware", "software", "data", "software/data",
           "people")
_SETTING_CHOICES: Dict[str, Tuple[str, ...]] = {
    "priority_matrix": ("three-level", "five-level"),
    "rto_table": ("example-1", "example-2", "example-3"),
    "cycle_policy": ("reject", "group"),
}
_SETTINGS: Tuple[_Column, ...] = (
    _col("name", "text"),
    _col("description", "text"),
    _col("currency", "text"),
    _col("priority_matrix", "choice", choices=_SETTING_CHOICES["priority_matrix"]),
    _col("rto_table", "choice", choices=_SETTING_CHOICES["rto_table"]),
    _col("cycle_policy", "choice", choices=_SETTING_CHOICES["cycle_policy"]),
)
_SETTING_NAMES = tuple(c.name for c in _SETTINGS)

_MODEL = _TableSpec("model", False, (
    _col("key", "choice", required=True, choices=_SETTING_NAMES),
    _Column("value", "text", ()),
))
_FUNCTIONS = _TableSpec("functions", True, noun="business function", columns=(
    _col("name", "text", required=True),
    _col("importance", "integer"),
    _col("system_dependency", "integer"),
    _col("emergency", "boolean"),
    _col("rto", "duration"),
    _col("rpo", "duration"),
    _col("mtpd", "duration"),
    _col("wrt", "duration"),
    _col("revenue_per_day", "number"),
    _col("margin", "number"),
    _col("profit_per_day", "number"),
    _col("operating_days_per_week", "number"),
    _col("operating_days_per_year", "number"),
    _col("workaround_capacity", "number", path=("manual_workaround", "capacity")),
    _col("workaround_setup_time", "duration", path=("manual_workaround", "setup_time")),
    _col("workaround_max_duration", "duration", path=("manual_workaround", "max_duration")),
    _col("workaround_description", "text", path=("manual_workaround", "description")),
    _col("description", "text"),
))
_SYSTEMS = _TableSpec("systems", True, noun="system", columns=(
    _col("name", "text", required=True),
    _col("layer", "choice", choices=_LAYERS),
    _col("side", "choice", choices=("client", "server")),
    _col("segment", "text"),
    _col("holds_data", "boolean"),
    _col("transactions_per_hour", "number"),
    _col("reentry_hours_per_transaction", "duration"),
    _col("reentry_by", "text"),
    _col("reentry_staff", "integer"),
    _col("description", "text"),
))
_DEPENDENCIES = _TableSpec("dependencies", True, (
    _col("from", "text", required=True),
    _col("from_type", "choice", choices=("function", "system")),
    _col("kind", "choice", choices=("all_of", "any_of", "k_of")),
    _col("group", "text"),
    _col("k", "integer"),
    _col("to", "text", required=True),
))
_BACKUPS = _TableSpec("backups", True, (
    _col("system", "text", required=True),
    _col("interval", "duration"),
    _col("generations", "integer"),
    _col("age", "duration"),
    _col("medium", "text"),
    _col("mode", "choice", choices=("online", "offline", "immutable")),
    _col("offsite", "boolean"),
    _col("restore_time", "duration"),
    _col("content", "choice", choices=("data", "system")),
))
_RESOURCES = _TableSpec("resources", False, noun="resource pool", columns=(
    _col("name", "text", required=True),
    _col("kind", "choice", choices=("people", "equipment")),
    _col("capacity", "integer"),
    _col("description", "text"),
))
_IMPACTS = _TableSpec("impacts", False, (
    _col("function", "text", required=True),
    _col("category", "text", required=True),
    _col("unit", "text"),
    _col("after", "duration"),
    _col("rate_per_hour", "number"),
    _col("rate_per_day", "number"),
    _col("lump", "number"),
))

_SPECS: Dict[str, _TableSpec] = {
    s.name: s for s in (_MODEL, _FUNCTIONS, _SYSTEMS, _DEPENDENCIES, _BACKUPS, _RESOURCES,
                        _IMPACTS)
}

TABLES: Tuple[str, ...] = tuple(_SPECS)
"""The tables an inventory may have, in the order they are written."""
REQUIRED_TABLES: Tuple[str, ...] = tuple(s.name for s in _SPECS.values() if s.required)
"""The tables every inventory must have."""
COLUMNS: Dict[str, Tuple[str, ...]] = {s.name: s.column_names for s in _SPECS.values()}
"""The columns of each table, in the order they are written."""

_BACKUP_FIELDS = tuple(c.name for c in _BACKUPS.columns if c.name != "system")


@dataclass(frozen=True)
class _Layout:
    """The tables of one kind of workbook (an inventory, a BIA workbook) and
    the parts of the model each holds."""

    what: str
    """The kind of workbook, in messages ("an inventory")."""
    reader: str
    """The function that reads it, in messages."""
    tables: Tuple[_TableSpec, ...]
    """Every table, in the order they are written."""
    settings: _TableSpec
    """The key/value table of model settings (columns ``key`` and ``value``)."""
    setting_columns: Tuple[_Column, ...]
    """The settings: a column per key, for reading and checking its value."""
    functions: _TableSpec
    systems: _TableSpec
    dependencies: _TableSpec
    backups: _TableSpec
    resources: _TableSpec
    series_fields: Tuple[str, ...]
    """Fields of a business function held by rows of their own (impact curves)."""
    read_series: Callable[[Mapping[str, "_Table"], "_Objects"], bool]
    """Adds the series fields to the functions; whether the tables decide them."""
    series_fit: Callable[["_Splitter", Sequence[Mapping[str, Any]]], bool]
    """Whether the series fields of every function fit the tables."""
    series_rows: Callable[["_Splitter"], None]
    """Adds the rows of the series fields (gathered in ``_Splitter.series``)."""
    function_rows: Optional[Callable[["_Table"], "_Table"]] = None
    """The table of one row per function, for a table that gives a function
    several rows (None: the table has one row per function)."""
    series_columns: Tuple[str, ...] = ()
    """Columns of the functions table for the series fields: written only if
    the series fit the tables."""

    def spec(self, name: str) -> _TableSpec:
        """The table called ``name``."""
        return next(t for t in self.tables if t.name == name)

_IMPACT_STEP_FIELDS = ("after", "rate_per_hour", "rate_per_day", "lump")
_WORKAROUND_FIELDS = ("capacity", "setup_time", "max_duration", "description")
_UNIT_HOURS: Dict[str, float] = {
    **dict.fromkeys(("", "h", "hour", "hours"), 1.0),
    **dict.fromkeys(("min", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("d", "day", "days"), 24.0),
    **dict.fromkeys(("w", "week", "weeks"), 168.0),
    **dict.fromkeys(("mo", "month", "months"), 720.0),
    **dict.fromkeys(("y", "year", "years"), 8760.0),
}
"""Hours of each unit of a duration text, as the model loader reads them."""
_DURATION_UNITS = frozenset(_UNIT_HOURS)
_INTEGER_RE = re.compile(r"[+-]?\d+")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# The number of a duration string as the model loader reads it (std::from_chars:
# an optional minus sign, no plus sign).
_DURATION_NUMBER_RE = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DURATION_PREFIX_RE = re.compile(r"[0-9.+\-eE]*")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


# --------------------------------------------------------------------------
# Cells


def _canonical(name: str) -> str:
    """Column, sheet or key name as compared: lower case, spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _fold(text: str) -> str:
    """A choice as compared: lower case without spaces, ``_`` and ``-``."""
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def _column_letter(index: int) -> str:
    """Spreadsheet letter of the 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean(raw: object) -> object:
    """A cell's value with surrounding spaces removed, or None if the cell is empty."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip()
        return text or None
    if isinstance(raw, float) and math.isnan(raw):
        return None
    return raw


def _is_date(value: object) -> bool:
    """Whether a cell holds a date, time or time span (Excel's date cells)."""
    return isinstance(value, (datetime.date, datetime.time, datetime.timedelta))


def _text(value: object) -> str:
    """A cell's value as text (numbers as the spreadsheet shows them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _number(value: object) -> Union[int, float, None]:
    """The number in a cell, or None if it holds no finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER_RE.fullmatch(text):
            return int(text)
        if _NUMBER_RE.fullmatch(text):
            number = float(text)
            return number if math.isfinite(number) else None
    return None


def _is_duration_text(text: str) -> bool:
    """Whether the model loader reads ``text`` as a duration ("90min", "4h", "3d", ...)."""
    text = text.strip(" \t")
    if text in ("immediate", "immediately"):
        return True
    match = _DURATION_PREFIX_RE.match(text)
    digits = match.group() if match else ""
    if not digits or not _DURATION_NUMBER_RE.fullmatch(digits):
        return False
    if not math.isfinite(float(digits)):
        return False
    return text[len(digits):].strip(" \t") in _DURATION_UNITS


def _is_scalar(value: object) -> bool:
    """Whether ``value`` fits in one cell: text, a finite number or true/false."""
    if isinstance(value, (str, bool)):
        return True
    if isinstance(value, numbers.Real):
        return math.isfinite(float(value))
    return False


# --------------------------------------------------------------------------
# Reading tables


@dataclass
class _Table:
    """One table of an inventory, its header checked, its rows not yet interpreted."""

    spec: _TableSpec
    file: str
    sheet: str
    headers: Dict[str, str] = field(default_factory=dict)
    """Canonical column name -> the column name as written in the header row."""
    rows: List[Tuple[int, Dict[str, object]]] = field(default_factory=list)
    """(row number, canonical column name -> non-empty cell) for each non-empty row."""
    header_row: int = 1
    bands: Dict[str, Tuple[Union[str, int, float], float]] = field(default_factory=dict)
    """Time-band columns (``_TableSpec.time_bands``): column name -> (the
    duration as written in the header, for the model; its hours), by hours."""

    def error(self, message: str, row: Optional[int] = None,
              column: str = "") -> SpreadsheetError:
        """An error at ``row`` and ``column`` (a column name) of this table."""
        return SpreadsheetError(message, file=self.file, sheet=self.sheet, row=row,
                                column=self.header(column))

    def header(self, column: str) -> str:
        """A column as the header row writes it (or would, if it lacks the column)."""
        if column in self.headers:
            return self.headers[column]
        return self.spec.header(column) if column in self.spec.column_names else column

    def has(self, column: str) -> bool:
        """Whether the table has the column."""
        return column in self.headers

    def value(self, row: int, cells: Mapping[str, object], column: str) -> Any:
        """The value of a cell, read as its column's type; None if the cell is empty."""
        spec = self.spec.column(column)
        raw = cells.get(column)
        if raw is None:
            if spec.required:
                raise self.error(f"'{self.header(column)}' is required; the cell is empty",
                                 row, column)
            return None
        return _convert(self, spec, spec.kind, raw, row, column)


def _convert(table: _Table, spec: _Column, kind: str, raw: object, row: int,
             column: str) -> Any:
    """``raw`` read as ``kind``; errors name ``row`` and ``column`` of ``table``."""
    shown = _text(raw)
    if _is_date(raw) and kind != "text":
        raise table.error(f"'{shown}' is a date or time, not a {_KIND_NAMES[kind]}"
                          + (" (write hours, or text such as '4h')"
                             if kind == "duration" else ""), row, column)
    if kind == "text":
        return _text(raw)
    if kind == "integer":
        number = _number(raw)
        if number is None or (isinstance(number, float) and not number.is_integer()):
            raise table.error(f"'{shown}' is not a whole number", row, column)
        return int(number)
    if kind == "number":
        number = _number(raw)
        if number is None:
            raise table.error(f"'{shown}' is not a number", row, column)
        return number
    if kind == "duration":
        number = _number(raw)
        if number is not None:
            return number
        if isinstance(raw, str) and _is_duration_text(raw):
            return raw
        raise table.error(
            f"'{shown}' is not a duration (a number of hours, or a number with min, h, d, w, "
            "mo or y such as '4h' or '3d')", row, column)
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, numbers.Real) and float(raw) in (0.0, 1.0):
            return float(raw) == 1.0
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise table.error(f"'{shown}' is not a yes/no value (TRUE/FALSE, yes/no or 1/0)",
                          row, column)
    if kind == "choice":
        folded = _fold(_text(raw))
        for choice, word in zip(spec.choices, spec.words):
            if _fold(word) == folded:
                return choice
        what = {"layer": "layer", "side": "side", "mode": "backup mode",
                "kind": "kind", "key": "setting", "from_type": "type"}.get(column, "value")
        raise table.error(f"unknown {what} '{shown}' (expected one of: "
                          + ", ".join(spec.words) + ")", row, column)
    raise AssertionError(kind)  # pragma: no cover


_KIND_NAMES = {"integer": "whole number", "number": "number", "duration": "duration",
               "boolean": "yes/no value", "choice": "name", "text": "text"}


def _duration_hours(value: object) -> Optional[float]:
    """The hours of a duration cell (a number of hours or a duration text), or None."""
    number = _number(value)
    if number is not None:
        return float(number)
    if not isinstance(value, str) or not _is_duration_text(value):
        return None
    text = value.strip(" \t")
    if text in ("immediate", "immediately"):
        return 0.0
    digits = _DURATION_PREFIX_RE.match(text)
    assert digits is not None
    return float(digits.group()) * _UNIT_HOURS[text[digits.end():].strip(" \t")]


def _band(table: _Table, cell: object, written: str, index: int,
          columns: Mapping[int, str]) -> Optional[str]:
    """The column name of a time-band header (a duration), None if it is none.

    Two bands of the same length ("1d" and "24h") are an error."""
    hours = _duration_hours(cell)
    if hours is None or hours < 0 or _is_date(cell):
        return None
    after: Union[str, int, float] = written
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool):
        after = int(cell) if isinstance(cell, numbers.Integral) else float(cell)
    name = "@" + written
    for other, (_, other_hours) in table.bands.items():
        if other_hours == hours:
            letter = next(k for k, n in columns.items() if n == other)
            raise SpreadsheetError(
                f"time bands '{table.headers[other]}' (column {_column_letter(letter)}) and "
                f"'{written}' (column {_column_letter(index)}) are the same length",
                file=table.file, sheet=table.sheet, row=table.header_row, column=written)
    table.bands[name] = (after, hours)
    return name


def _first_nonempty_row(grid: Sequence[Sequence[object]]) -> Optional[int]:
    """The index of the first row of ``grid`` with a non-empty cell, None if none."""
    return next((i for i, cells in enumerate(grid) if any(_clean(c) is not None for c in cells)),
                None)


def _read_header(table: _Table, cells: Sequence[object]) -> Dict[int, str]:
    """Checks the header row ``cells`` of ``table`` (its row ``table.header_row``):
    fills ``table.headers`` and returns column index -> canonical column name."""
    spec, file, sheet = table.spec, table.file, table.sheet
    known = {_canonical(name): c.name for c in spec.columns for name in (c.title, *c.aliases)}
    titles = [c.title for c in spec.columns]
    columns: Dict[int, str] = {}
    for j, raw in enumerate(cells):
        cell = _clean(raw)
        if cell is None:
            continue
        written = _text(cell)
        name = known.get(_canonical(written))
        if name is None and spec.time_bands:
            name = _band(table, cell, written, j, columns)
        if name is None:
            hint = ""
            close = difflib.get_close_matches(_canonical(written), list(known), n=1)
            if ";" in written or "\t" in written:
                hint = "; separate the columns with commas"
            elif close:
                hint = f"; did you mean '{spec.header(known[close[0]])}'?"
            elif spec.time_bands:
                hint = "; a time band is a duration such as 4h, 1d or 2w"
            raise SpreadsheetError(
                f"unknown column '{written}' (expected: {', '.join(titles)})"
                + hint, file=file, sheet=sheet, row=table.header_row, column=written)
        if name in table.headers:
            raise SpreadsheetError(
                f"column '{written}' appears twice (columns {_column_letter(j)} and "
                f"{_column_letter(next(k for k, n in columns.items() if n == name))})",
                file=file, sheet=sheet, row=table.header_row, column=written)
        table.headers[name] = written
        columns[j] = name
    for column in spec.columns:
        if column.required and column.name not in table.headers:
            raise SpreadsheetError(f"required column '{column.title}' is missing",
                                   file=file, sheet=sheet, row=table.header_row,
                                   column=column.title)
    return columns


def _stray_cell(table: _Table, row: int, column: int, cell: object) -> SpreadsheetError:
    """The error of a value in a column without a name in the header row."""
    return SpreadsheetError(
        f"cell {_column_letter(column)}{row} holds '{_text(cell)}' but its column has "
        f"no name in the header row (row {table.header_row})",
        file=table.file, sheet=table.sheet, row=row)


def _make_table(spec: _TableSpec, grid: Sequence[Sequence[object]], file: str,
                sheet: str) -> _Table:
    """Checks the header row of a grid of cells and collects its non-empty rows."""
    table = _Table(spec, file, sheet)
    header_index = _first_nonempty_row(grid)
    columns: Dict[int, str] = {}
    if header_index is not None:
        table.header_row = header_index + 1
        columns = _read_header(table, grid[header_index])
    else:
        _read_header(table, [])
    start = 0 if header_index is None else header_index + 1
    for i in range(start, len(grid)):
        cells: Dict[str, object] = {}
        for j, raw in enumerate(grid[i]):
            cell = _clean(raw)
            if cell is None:
                continue
            if j not in columns:
                raise _stray_cell(table, i + 1, j, cell)
            cells[columns[j]] = cell
        if cells:
            table.rows.append((i + 1, cells))
    return table


def _layouts() -> Tuple[_Layout, ...]:
    """Every layout of workbook the package reads."""
    from .bia import _BIA

    return (_INVENTORY, _BIA)


def _table_spec(name: str, file: str, sheet: str, where: str,
                layout: _Layout) -> Optional[_TableSpec]:
    """The table a sheet or CSV file holds, None for one to skip; unknown names are errors."""
    canonical = _canonical(name)
    if canonical.startswith("_"):
        return None
    by_sheet = {_canonical(t.sheet): t for t in layout.tables}
    spec = by_sheet.get(canonical)
    if spec is None:
        names = [t.sheet for t in layout.tables]
        close = difflib.get_close_matches(canonical, list(by_sheet), n=1)
        hint = f"; did you mean '{by_sheet[close[0]].sheet}'?" if close else ""
        for other in _layouts():
            if other is not layout and canonical in {_canonical(t.sheet) for t in other.tables}:
                hint = (f"; '{name}' is a {where} of {other.what}: read it with "
                        f"{other.reader}")
        raise SpreadsheetError(
            f"unknown {where} '{name}' (expected: {', '.join(names)}; {where}s whose name "
            f"starts with '_' are ignored){hint}", file=file, sheet=sheet)
    return spec


def _read_workbook(path: Path, layout: _Layout) -> Dict[str, _Table]:
    """The tables of an Excel workbook, one per sheet."""
    import pandas as pd

    file = str(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (data
            # validation, conditional formatting): irrelevant to the values.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object,
                                   engine="openpyxl", na_filter=False)
    except ImportError:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"cannot read the workbook: {exc}", file=file) from exc
    tables: Dict[str, _Table] = {}
    for sheet, frame in frames.items():
        sheet = str(sheet)
        spec = _table_spec(sheet, file, sheet, "sheet", layout)
        if spec is None:
            continue
        if spec.name in tables:
            raise SpreadsheetError(f"two sheets hold the table '{spec.sheet}' "
                                   f"('{tables[spec.name].sheet}' and '{sheet}')",
                                   file=file, sheet=sheet)
        grid: List[List[object]] = frame.to_numpy(dtype=object).tolist()
        tables[spec.name] = _make_table(spec, grid, file, sheet)
    for spec in layout.tables:
        if spec.required and spec.name not in tables:
            raise SpreadsheetError(
                f"the workbook has no sheet '{spec.sheet}' (its sheets: "
                + ", ".join(str(s) for s in frames) + ")", file=file, sheet=spec.sheet)
    return tables


def _read_csv(path: Path, sheet: str) -> List[List[str]]:
    """The cells of a CSV file (UTF-8, with or without a byte-order mark)."""
    rows: List[List[str]] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(f"cannot read the file: {exc.strerror or exc}",
                               file=str(path), sheet=sheet) from exc
    try:
        text = decode(data, "save it as 'CSV UTF-8'")
    except InputProblem as exc:
        raise SpreadsheetError(f"line {exc.line}: {exc.problem}", file=str(path),
                               sheet=sheet) from None
    try:
        rows.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SpreadsheetError(f"malformed CSV: {exc}", file=str(path), sheet=sheet,
                               row=len(rows) + 1) from exc
    return rows


def _file_table(entry: Path, files: Mapping[str, str]) -> Optional[_TableSpec]:
    """The table a file of an inventory folder holds, None for one to skip;
    ``files`` maps the tables found so far to their files (two files of one
    table are an error)."""
    spec = _table_spec(entry.stem, str(entry), entry.stem, "table", _INVENTORY)
    if spec is not None and spec.name in files:
        raise SpreadsheetError(f"two files hold the table '{spec.name}' "
                               f"({Path(files[spec.name]).name} and {entry.name})",
                               file=str(entry), sheet=entry.stem)
    return spec


def _read_folder(path: Path) -> Dict[str, _Table]:
    """The tables of a folder of CSV files, one per file."""
    tables: Dict[str, _Table] = {}
    try:
        entries = sorted(path.iterdir())
    except OSError as exc:
        raise SpreadsheetError(f"cannot list the folder: {exc.strerror or exc}",
                               file=str(path)) from exc
    if not any(e.suffix.lower() == ".csv" and e.is_file() for e in entries):
        models = [e.name for e in entries
                  if e.suffix.lower() in (".json", ".yaml", ".yml", ".xlsx") and e.is_file()]
        raise SpreadsheetError(
            "a folder is read as an inventory of CSV tables (functions.csv, systems.csv, ...), "
            "and this one holds no CSV file" + (
                f"; give a model file instead, such as '{path / models[0]}'" if models else ""),
            file=str(path))
    for entry in entries:
        if entry.suffix.lower() != ".csv" or not entry.is_file():
            continue
        spec = _file_table(entry, {name: t.file for name, t in tables.items()})
        if spec is None:
            continue
        tables[spec.name] = _make_table(spec, _read_csv(entry, entry.stem), str(entry),
                                        entry.stem)
    for spec in _INVENTORY.tables:
        if spec.required and spec.name not in tables:
            raise SpreadsheetError(f"the folder has no file {spec.name}.csv (a required table)",
                                   file=str(path / f"{spec.name}.csv"), sheet=spec.name)
    return tables


def _inventory_kind(path: Path) -> str:
    """``"xlsx"`` or ``"csv"`` for an inventory path to read."""
    if path.is_dir():
        return "csv"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if not path.exists():
            raise SpreadsheetError("no such workbook", file=str(path))
        return "xlsx"
    if not path.exists():
        raise SpreadsheetError("no such workbook or folder of CSV files", file=str(path))
    if suffix == ".csv":
        raise SpreadsheetError("give the folder that holds the CSV files, not one of them",
                               file=str(path))
    raise SpreadsheetError("not an inventory: expected an .xlsx workbook or a folder of CSV "
                           "files" + (" (save .xls and .ods workbooks as .xlsx)"
                                      if suffix in (".xls", ".ods", ".xlsb") else ""),
                           file=str(path))


# --------------------------------------------------------------------------
# Building the model from the tables


@dataclass
class _Objects:
    """Objects of one kind read from a table, and the fields the table governs."""

    table: _Table
    objects: List[_Object]
    rows: Dict[str, int]
    """Name -> row number."""
    positions: Dict[str, int]
    """Name -> index in ``objects``."""
    fields: set[str]
    """Top-level fields the table sets for every object (set or, if empty, removed)."""
    workaround: set[str] = field(default_factory=set)
    """Fields of ``manual_workaround`` the table governs."""


def _read_objects(table: _Table, kind: str) -> _Objects:
    """The named objects of a table (functions, systems or resource pools)."""
    result = _Objects(table, [], {}, {}, {"name"})
    for column in table.spec.columns:
        if table.has(column.name) and column.field:
            if len(column.field) == 1:
                result.fields.add(column.field[0])
            else:
                result.workaround.add(column.field[1])
    for row, cells in table.rows:
        obj: _Object = {}
        for column in table.spec.columns:
            if not column.field or not table.has(column.name):
                continue
            value = table.value(row, cells, column.name)
            if value is None:
                continue
            if len(column.field) == 1:
                obj[column.field[0]] = value
            else:
                obj.setdefault(column.field[0], {})[column.field[1]] = value
        name = obj["name"]
        if name in result.rows:
            raise table.error(f"duplicate {kind} name '{name}' (also in row "
                              f"{result.rows[name]})", row, "name")
        result.rows[name] = row
        result.positions[name] = len(result.objects)
        result.objects.append(obj)
    return result


@dataclass
class _Group:
    """The rows of one any_of or k_of requirement."""

    kind: str
    group: str
    row: int
    systems: List[str] = field(default_factory=list)
    k: Optional[int] = None
    k_row: int = 0


def _read_dependencies(table: _Table, functions: _Objects, systems: _Objects) -> None:
    """Adds ``needs`` to the functions and ``depends_on`` to the systems."""
    entries: Dict[Tuple[str, str], List[Union[str, _Group]]] = {}
    groups: Dict[Tuple[str, str, str], _Group] = {}
    plain: Dict[Tuple[str, str, str], int] = {}
    function, system = functions.table.spec, systems.table.spec
    kinds = table.spec.column("kind")
    any_of, k_of = kinds.word("any_of"), kinds.word("k_of")
    for row, cells in table.rows:
        source = table.value(row, cells, "from")
        source_type = table.value(row, cells, "from_type") if table.has("from_type") else None
        kind = (table.value(row, cells, "kind") if table.has("kind") else None) or "all_of"
        group = table.value(row, cells, "group") if table.has("group") else None
        k = table.value(row, cells, "k") if table.has("k") else None
        target = table.value(row, cells, "to")
        in_functions = source in functions.rows
        in_systems = source in systems.rows
        if source_type is None:
            if in_functions and in_systems:
                raise table.error(f"'{source}' is both a {function.noun} and a {system.noun}; "
                                  f"say which in the column '{table.header('from_type')}'",
                                  row, "from")
            if not in_functions and not in_systems:
                raise table.error(f"'{source}' is neither in {function.label} nor in "
                                  f"{system.label}", row, "from")
            source_type = "function" if in_functions else "system"
        elif source_type == "function" and not in_functions:
            raise table.error(f"'{source}' is not in {function.label}", row, "from")
        elif source_type == "system" and not in_systems:
            raise table.error(f"'{source}' is not in {system.label}", row, "from")
        if target not in systems.rows:
            raise table.error(f"'{target}' is not in {system.label}", row, "to")
        if source_type == "system" and target == source:
            raise table.error(f"{system.noun} '{source}' depends on itself", row, "to")
        owner = (source_type, source)
        items = entries.setdefault(owner, [])
        if kind == "all_of":
            if group is not None:
                raise table.error(f"a group applies to {any_of} and {k_of} rows only; "
                                  f"{kinds.word('all_of')} rows need none", row, "group")
            if k is not None:
                raise table.error(f"k applies to {k_of} rows only", row, "k")
            previous = plain.get((source_type, source, target))
            if previous is not None:
                raise table.error(f"'{source}' needs '{target}' twice (also in row {previous})",
                                  row, "to")
            plain[(source_type, source, target)] = row
            items.append(target)
            continue
        key = (source_type, source, group or "")
        current = groups.get(key)
        if current is None:
            current = _Group(kind, group or "", row)
            groups[key] = current
            items.append(current)
        elif current.kind != kind:
            raise table.error(
                f"group '{current.group}' of '{source}' mixes {kinds.word(current.kind)} (row "
                f"{current.row}) and {kinds.word(kind)}", row, "kind")
        if k is not None:
            if kind != "k_of":
                raise table.error(f"k applies to {k_of} rows only", row, "k")
            if k < 1:
                raise table.error(f"k must be at least 1, got {k}", row, "k")
            if current.k is not None and current.k != k:
                raise table.error(f"group '{current.group}' of '{source}' has k = {current.k} "
                                  f"(row {current.k_row}) and k = {k}", row, "k")
            current.k, current.k_row = k, row
        if target in current.systems:
            raise table.error(f"group '{current.group}' of '{source}' lists '{target}' twice",
                              row, "to")
        current.systems.append(target)
    for (source_type, source), items in entries.items():
        requirements: List[Any] = []
        for item in items:
            if isinstance(item, str):
                requirements.append(item)
            elif item.kind == "any_of":
                requirements.append({"any_of": item.systems})
            else:
                if item.k is None:
                    raise table.error(f"the {k_of} group '{item.group}' of '{source}' needs "
                                      f"k, the number of {system.noun}s that suffice",
                                      item.row, "k")
                if item.k > len(item.systems):
                    raise table.error(
                        f"the {k_of} group '{item.group}' of '{source}' needs {item.k} of "
                        f"{len(item.systems)} {system.noun}s", item.k_row, "k")
                requirements.append({"k_of": item.k, "systems": item.systems})
        objects = functions if source_type == "function" else systems
        target_field = "needs" if source_type == "function" else "depends_on"
        objects.objects[objects.positions[source]][target_field] = requirements


def _read_backups(table: _Table, systems: _Objects) -> None:
    """Adds ``backups`` to the systems."""
    for row, cells in table.rows:
        name = table.value(row, cells, "system")
        if name not in systems.rows:
            raise table.error(f"backup of '{name}', which is not in {systems.table.spec.label}",
                              row, "system")
        backup: _Object = {}
        for column in _BACKUP_FIELDS:
            if table.has(column):
                value = table.value(row, cells, column)
                if value is not None:
                    backup[column] = value
        if "interval" not in backup and "age" not in backup:
            # A periodic backup needs its interval; a one-off copy its age.
            raise table.error(f"'{table.header('interval')}' is required (or "
                              f"'{table.header('age')}' for a one-off copy of known age); the "
                              "cell is empty", row, "interval")
        systems.objects[systems.positions[name]].setdefault("backups", []).append(backup)


def _read_impacts(table: _Table, functions: _Objects) -> None:
    """Adds ``impact`` curves to the functions."""
    for row, cells in table.rows:
        name = table.value(row, cells, "function")
        if name not in functions.rows:
            raise table.error(f"impact of '{name}', which is not in "
                              f"{functions.table.spec.label}", row, "function")
        category = table.value(row, cells, "category")
        unit = table.value(row, cells, "unit") if table.has("unit") else None
        step: _Object = {}
        for column in _IMPACT_STEP_FIELDS:
            if table.has(column):
                value = table.value(row, cells, column)
                if value is not None:
                    step[column] = value
        curves = functions.objects[functions.positions[name]].setdefault("impact", [])
        curve = next((c for c in curves if c["category"] == category), None)
        if curve is None:
            curve = {"category": category, "steps": []}
            curves.append(curve)
        if unit is not None:
            if curve.setdefault("unit", unit) != unit:
                raise table.error(f"the '{category}' impact of '{name}' is in "
                                  f"'{curve['unit']}' in an earlier row; a curve has one unit",
                                  row, "unit")
        curve["steps"].append(step)


def _read_settings(table: _Table, columns: Sequence[_Column]) -> Dict[str, Any]:
    """The model settings of a key/value table (``model``); ``columns`` are the
    settings, a column per key."""
    settings: Dict[str, Any] = {}
    rows: Dict[str, int] = {}
    keys = table.spec.column("key")
    by_key = {c.name: c for c in columns}
    for row, cells in table.rows:
        key = table.value(row, cells, "key")
        if key in rows:
            raise table.error(f"setting '{keys.word(key)}' is given twice (also in row "
                              f"{rows[key]})", row, "key")
        rows[key] = row
        raw = cells.get("value")
        if raw is None:
            continue
        column = by_key[key]
        settings[key] = _convert(table, column, column.kind, raw, row, "value")
    return {c.name: settings[c.name] for c in columns if c.name in settings}


# --------------------------------------------------------------------------
# Merging with a base model (the companion)


def _base_objects(base: Mapping[str, Any], key: str, file: str,
                  sheet: str) -> Optional[Dict[str, Mapping[str, Any]]]:
    """The named objects of ``base[key]`` by name, None if the base has no such list."""
    items = base.get(key)
    if items is None:
        return None
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise SpreadsheetError(f"the base model's '{key}' must be a list of objects",
                               file=file, sheet=sheet)
    by_name: Dict[str, Mapping[str, Any]] = {}
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise SpreadsheetError(f"the base model's {key}[{i}] must be an object with a "
                                   "name", file=file, sheet=sheet)
        if item["name"] in by_name:
            raise SpreadsheetError(f"the base model lists {key} '{item['name']}' twice",
                                   file=file, sheet=sheet)
        by_name[item["name"]] = item
    return by_name


def _merge_objects(read: _Objects, base: Mapping[str, Any], key: str,
                   kind: str) -> List[_Object]:
    """The table's objects, each completed with the fields of the base's object of that name."""
    table = read.table
    by_name = _base_objects(base, key, table.file, table.sheet)
    if by_name is None:
        return read.objects
    for name in by_name:
        if name not in read.rows:
            raise table.error(f"the base model describes {kind} '{name}', which is not in "
                              f"{table.spec.label}", None, "name")
    merged: List[_Object] = []
    for obj in read.objects:
        extra = by_name.get(obj["name"])
        if extra is None:
            merged.append(obj)
            continue
        result = dict(obj)
        for field_name, value in extra.items():
            if field_name == "manual_workaround" and read.workaround:
                # Partly governed: the table's columns win, the other fields
                # (a description without its column, say) are kept.
                if isinstance(value, Mapping):
                    combined = dict(result.get(field_name, {}))
                    for k, v in value.items():
                        if k not in read.workaround and k not in combined:
                            combined[k] = copy.deepcopy(v)
                    if combined:
                        result[field_name] = combined
                continue
            if field_name not in read.fields and field_name not in result:
                result[field_name] = copy.deepcopy(value)
        merged.append(result)
    return merged


_TOP_LEVEL_ORDER = ("format", "name", "description", "currency", "tier", "employees",
                    "priority_matrix", "rto_table", "cycle_policy", "resources", "functions",
                    "systems", "scenarios")


def _read_inventory_series(tables: Mapping[str, _Table], functions: _Objects) -> bool:
    """Adds the impact curves of the ``impacts`` table, if the inventory has one."""
    if "impacts" not in tables:
        return False
    _read_impacts(tables["impacts"], functions)
    return True


def _build_model(tables: Mapping[str, _Table], base: Optional[Mapping[str, Any]],
                 file: str, layout: _Layout) -> Dict[str, Any]:
    """The model dictionary of a workbook's tables merged into ``base``."""
    if base is not None and not isinstance(base, Mapping):
        raise SpreadsheetError("the base model must be a mapping (a JSON object)", file=file)
    base = base or {}
    settings = (_read_settings(tables[layout.settings.name], layout.setting_columns)
                if layout.settings.name in tables else {})
    pools, processes = layout.resources, tables[layout.functions.name]
    resources = (_read_objects(tables[pools.name], pools.noun) if pools.name in tables
                 else None)
    if layout.function_rows is not None:
        processes = layout.function_rows(processes)
    functions = _read_objects(processes, layout.functions.noun)
    systems = _read_objects(tables[layout.systems.name], layout.systems.noun)
    _read_dependencies(tables[layout.dependencies.name], functions, systems)
    functions.fields.add("needs")
    systems.fields.add("depends_on")
    _read_backups(tables[layout.backups.name], systems)
    systems.fields.add("backups")
    if layout.read_series(tables, functions):
        functions.fields.update(layout.series_fields)

    model: Dict[str, Any] = {"format": FORMAT}
    for column in layout.setting_columns:
        key = column.name
        if key in settings:
            model[key] = settings[key]
        elif key in base:
            model[key] = copy.deepcopy(base[key])
    if resources is not None:
        model["resources"] = _merge_objects(resources, base, "resources", pools.noun)
    elif "resources" in base:
        model["resources"] = copy.deepcopy(base["resources"])
    model["functions"] = _merge_objects(functions, base, "functions", layout.functions.noun)
    model["systems"] = _merge_objects(systems, base, "systems", layout.systems.noun)
    for key, value in base.items():
        if key not in model and key != "format":
            model[key] = copy.deepcopy(value)
    order = {key: i for i, key in enumerate(_TOP_LEVEL_ORDER)}
    return dict(sorted(model.items(), key=lambda item: order.get(item[0], len(order))))


def read_inventory(path: _StrPath, *, base: Optional[Mapping[str, Any]] = None
                   ) -> Dict[str, Any]:
    """Reads an asset inventory into a model dictionary in the JSON model format.

    Args:
        path: An Excel workbook (``.xlsx``) with a sheet per table, or a folder
            holding a CSV file per table (``functions.csv``, ``systems.csv``,
            ``dependencies.csv``, ``backups.csv`` and optionally ``model.csv``,
            ``resources.csv``, ``impacts.csv``). Sheets and files whose name
            starts with ``_`` are ignored; any other unknown one is an error.
        base: A model dictionary to merge the tables into, typically the
            companion file with the scenarios and recovery procedures
            (:func:`load_companion`). The tables take precedence: a setting of
            the ``model`` sheet replaces the base's, and each function, system
            and resource pool is the table's row completed with the fields of
            the base's object of the same name that the table has no column
            for. Every named object of the base must have a row in its table.

    Returns:
        The model as a dictionary of JSON values (``format`` first), ready for
        ``json.dumps`` and the model loader. Empty cells are left out, so the
        loader's defaults apply.

    Raises:
        SpreadsheetError: the path is no inventory, a table or column is
            missing or unknown, or a cell is invalid; the error names the
            file, sheet, row and column.
    """
    location = Path(os.fspath(path))
    kind = _inventory_kind(location)
    tables = _read_workbook(location, _INVENTORY) if kind == "xlsx" else _read_folder(location)
    return _build_model(tables, base, str(location), _INVENTORY)


# --------------------------------------------------------------------------
# Splitting a model into tables and companion


@dataclass
class _Split:
    """A model split into table rows and the companion (what the tables cannot hold)."""

    rows: Dict[str, List[_Row]]
    columns: Dict[str, List[str]]
    companion: Dict[str, Any]
    headers: Dict[str, object] = field(default_factory=dict)
    """The header cells of columns no table spec has (time bands), by column name."""


def _is_list(value: object) -> bool:
    """Whether ``value`` is a JSON array (a sequence other than text)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


class _Splitter:
    """Turns a model dictionary into rows of the tables; errors name the model's objects."""

    def __init__(self, model: Mapping[str, Any], file: str, layout: _Layout) -> None:
        """Prepares to split ``model`` into the tables of ``layout``; ``file`` is
        the destination errors name."""
        if not isinstance(model, Mapping):
            raise SpreadsheetError("the model must be a mapping (a JSON object)", file=file)
        self.model = model
        self.file = file
        self.layout = layout
        self.rows: Dict[str, List[_Row]] = {t.name: [] for t in layout.tables}
        self.series: Dict[str, Dict[str, Any]] = {}
        """Function name -> its series fields (impact curves), if they fit the tables."""
        self.series_fit = False
        self.bands: Dict[str, object] = {}
        """Time-band columns of the functions table: name -> header cell, by hours."""

    def error(self, table: str, message: str, row: Optional[int] = None,
              column: str = "") -> SpreadsheetError:
        """An error about what would go into ``row`` of ``table``."""
        spec = self.layout.spec(table)
        if column in spec.column_names:
            column = spec.header(column)
        return SpreadsheetError(message, file=self.file, sheet=spec.sheet, row=row,
                                column=column)

    def objects(self, key: str, table: str) -> List[Mapping[str, Any]]:
        """The list of named objects ``model[key]``."""
        items = self.model.get(key, [])
        if items is None:
            items = []
        if not _is_list(items):
            raise self.error(table, f"the model's '{key}' must be a list of objects")
        result: List[Mapping[str, Any]] = []
        for i, item in enumerate(items):
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                raise self.error(table, f"{key}[{i}] must be an object with a name", i + 2,
                                 "name")
            result.append(item)
        return result

    def cell(self, table: str, row: int, column: str, owner: str, value: object) -> object:
        """Checks that ``value`` fits in a cell."""
        if not _is_scalar(value):
            raise self.error(table, f"{owner}: {column} must be text, a finite number or "
                             f"true/false to go in a cell, not {_describe(value)}", row, column)
        return value

    def named_rows(self, spec: _TableSpec, key: str,
                   handle: Callable[[str, Any, Any, _Row, int], Optional[Any]]
                   ) -> Optional[List[_Object]]:
        """Adds the rows of the named objects ``model[key]`` to the table ``spec``.

        ``handle(name, field, value, row, row number)`` takes each field the
        table has no column for and returns what of it is left for the
        companion (None: nothing). Returns the companion's objects of the
        leftover fields, None if there are none."""
        leftovers: List[_Object] = []
        for i, obj in enumerate(self.objects(key, spec.name)):
            row = self.object_row(spec, obj, i + 2, spec.noun)
            rest: _Object = {}
            for field_name, value in obj.items():
                if not _is_column(spec, field_name):
                    left = handle(obj["name"], field_name, value, row, i + 2)
                    if left is not None:
                        rest[field_name] = left
            self.rows[spec.name].append(row)
            if rest:
                leftovers.append({"name": obj["name"], **rest})
        return leftovers or None

    def split(self) -> _Split:
        """Splits the model."""
        model, layout = self.model, self.layout
        companion: Dict[str, Any] = {}
        handled = {"format", "functions", "systems", "resources"}
        for column in layout.setting_columns:
            key = column.name
            handled.add(key)
            if key not in model or model[key] is None:
                continue
            value = model[key]
            if ((isinstance(value, str) and (column.kind == "text" or value in column.choices))
                    or (column.kind == "integer" and _is_integer(value))):
                self.rows[layout.settings.name].append({"key": key, "value": value})
            else:
                companion[key] = copy.deepcopy(value)
        functions = self.objects("functions", layout.functions.name)
        systems = self.objects("systems", layout.systems.name)
        function_names = {f["name"] for f in functions}
        system_names = {s["name"] for s in systems}
        ambiguous = bool(function_names & system_names)
        self.series_fit = layout.series_fit(self, functions)

        def function_field(name: str, key: str, value: Any, row: _Row, number: int) -> Any:
            """A field of a function that its table has no column for."""
            if key == "needs":
                self.requirements("function", name, value, ambiguous)
            elif key in layout.series_fields and self.series_fit:
                self.series.setdefault(name, {})[key] = value
            elif key == "manual_workaround":
                return self.workaround(name, value, row, number) or None
            else:
                return copy.deepcopy(value)
            return None

        def system_field(name: str, key: str, value: Any, row: _Row, number: int) -> Any:
            """A field of a system that its table has no column for."""
            if key == "depends_on":
                self.requirements("system", name, value, ambiguous)
            elif key == "backups":
                self.backups(name, value)
            else:
                return copy.deepcopy(value)
            return None

        def pool_field(name: str, key: str, value: Any, row: _Row, number: int) -> Any:
            """A field of a resource pool that its table has no column for."""
            return copy.deepcopy(value)

        for key, spec, handle in (("functions", layout.functions, function_field),
                                  ("systems", layout.systems, system_field)):
            leftovers = self.named_rows(spec, key, handle)
            if leftovers:
                companion[key] = leftovers
        layout.series_rows(self)

        written = {t.name for t in layout.tables
                   if t.required or t.write_empty or self.rows[t.name]}
        if "resources" in model and model["resources"] is not None:
            written.add(layout.resources.name)
            leftovers = self.named_rows(layout.resources, "resources", pool_field)
            if leftovers:
                companion["resources"] = leftovers

        for key, value in model.items():
            if key not in handled:
                companion[key] = copy.deepcopy(value)
        columns: Dict[str, List[str]] = {}
        for table in layout.tables:
            if table.name not in written:
                continue
            names = columns[table.name] = []
            for c in table.columns:
                if ((c.name == "from_type" and not ambiguous)
                        or (c.name in layout.series_columns and not self.series_fit)):
                    continue
                names.append(c.name)
                if c.name == table.time_bands and self.series_fit:
                    names.extend(self.bands)
        rows = {name: self.rows[name] for name in columns}
        order = {key: i for i, key in enumerate(model)}
        companion = dict(sorted(companion.items(), key=lambda item: order[item[0]]))
        return _Split(rows, columns, companion, dict(self.bands))

    def object_row(self, spec: _TableSpec, obj: Mapping[str, Any], row: int,
                   kind: str) -> _Row:
        """The row of a function, system or resource pool (without manual_workaround)."""
        cells: _Row = {}
        owner = f"{kind} '{obj['name']}'"
        for column in spec.columns:
            if len(column.field) == 1 and obj.get(column.field[0]) is not None:
                cells[column.name] = self.cell(spec.name, row, column.name, owner,
                                               obj[column.field[0]])
        return cells

    def workaround(self, name: str, value: object, cells: _Row, row: int) -> _Object:
        """Puts the manual workaround of function ``name`` into its row; returns
        the fields that do not fit."""
        if value is None:
            return {}
        functions = self.layout.functions
        owner = f"{functions.noun} '{name}'"
        if not isinstance(value, Mapping):
            raise self.error(functions.name, f"{owner}: manual_workaround must be an object",
                             row, "workaround_capacity")
        rest: _Object = {}
        for key, item in value.items():
            if key in _WORKAROUND_FIELDS:
                if item is not None:
                    column = f"workaround_{key}"
                    cells[column] = self.cell(functions.name, row, column, owner, item)
            else:
                rest[key] = copy.deepcopy(item)
        return rest

    def requirements(self, owner_type: str, owner: str, value: object,
                     ambiguous: bool) -> None:
        """Adds the dependency rows of a ``needs`` or ``depends_on`` list."""
        if value is None:
            return
        field_name = "needs" if owner_type == "function" else "depends_on"
        layout = self.layout
        what = f"{(layout.functions if owner_type == 'function' else layout.systems).noun} " \
               f"'{owner}'"
        table = layout.dependencies.name
        if not _is_list(value):
            raise self.error(table, f"{what}: {field_name} must be a list")
        group = 0

        def add(kind: str, target: object, index: int, **extra: object) -> None:
            """Adds the row for one system of entry ``index`` of the list."""
            if not isinstance(target, str):
                raise self.error(table, f"{what}: {field_name}[{index}] must name "
                                 f"systems, not {_describe(target)}",
                                 len(self.rows[table]) + 2, "to")
            row: _Row = {"from": owner}
            if ambiguous:
                row["from_type"] = owner_type
            row["kind"] = kind
            row.update(extra)
            row["to"] = target
            self.rows[table].append(row)

        for i, entry in enumerate(cast(Sequence[Any], value)):
            if isinstance(entry, str):
                add("all_of", entry, i)
                continue
            members = None
            if isinstance(entry, Mapping):
                keys = set(entry)
                if keys == {"all_of"}:
                    members = entry["all_of"]
                    kind, extra = "all_of", {}
                elif keys == {"any_of"}:
                    members = entry["any_of"]
                    group += 1
                    kind, extra = "any_of", {"group": group}
                elif keys == {"k_of", "systems"} and _is_integer(entry["k_of"]):
                    members = entry["systems"]
                    group += 1
                    kind, extra = "k_of", {"group": group, "k": entry["k_of"]}
            if members is None or not _is_list(members):
                raise self.error(table, f"{what}: {field_name}[{i}] must be a system "
                                 "name, {all_of: [...]}, {any_of: [...]} or {k_of: k, "
                                 "systems: [...]}")
            for target in members:
                add(kind, target, i, **extra)

    def backups(self, system: str, value: object) -> None:
        """Adds the backup rows of a system."""
        if value is None:
            return
        table = self.layout.backups
        what = f"{self.layout.systems.noun} '{system}'"
        if not _is_list(value):
            raise self.error(table.name, f"{what}: backups must be a list")
        for i, backup in enumerate(cast(Sequence[Any], value)):
            row_number = len(self.rows[table.name]) + 2
            if not isinstance(backup, Mapping):
                raise self.error(table.name, f"{what}: backups[{i}] must be an object",
                                 row_number)
            row: _Row = {"system": system}
            for key, item in backup.items():
                if key not in _BACKUP_FIELDS:
                    raise self.error(table.name, f"{what}: backups[{i}] has the field '{key}', "
                                     f"which {table.label} has no column for", row_number)
                if item is not None:
                    row[key] = self.cell(table.name, row_number, key, what, item)
            self.rows[table.name].append(row)

    def impacts_fit(self, functions: Sequence[Mapping[str, Any]]) -> bool:
        """Whether every impact curve fits in the impacts table."""
        for function in functions:
            curves = function.get("impact")
            if curves is None:
                continue
            if not _is_list(curves):
                return False
            categories = set()
            for curve in curves:
                if (not isinstance(curve, Mapping)
                        or not {"category", "steps"} <= set(curve)
                        or not set(curve) <= {"category", "steps", "unit"}
                        or not isinstance(curve.get("unit", ""), str)
                        or not isinstance(curve["category"], str)
                        or curve["category"] in categories
                        or not _is_list(curve["steps"]) or not curve["steps"]):
                    return False
                categories.add(curve["category"])
                for step in curve["steps"]:
                    if (not isinstance(step, Mapping)
                            or not set(step) <= set(_IMPACT_STEP_FIELDS)
                            or not all(v is None or _is_scalar(v) for v in step.values())):
                        return False
        return True

    def impacts(self, function: str, curves: Any) -> None:
        """Adds the impact rows of a function (curves checked by impacts_fit)."""
        for curve in curves or []:
            for step in curve["steps"]:
                row: _Row = {"function": function, "category": curve["category"]}
                if curve.get("unit"):
                    row["unit"] = curve["unit"]
                row.update({k: v for k, v in step.items() if v is not None})
                self.rows["impacts"].append(row)


    def impact_rows(self) -> None:
        """Adds the rows of the impacts table (the curves gathered in ``series``)."""
        for function, fields in self.series.items():
            self.impacts(function, fields.get("impact"))


_INVENTORY = _Layout(
    what="an inventory", reader="continuity.spreadsheet.read_inventory",
    tables=tuple(_SPECS.values()), settings=_MODEL, setting_columns=_SETTINGS,
    functions=_FUNCTIONS, systems=_SYSTEMS, dependencies=_DEPENDENCIES, backups=_BACKUPS,
    resources=_RESOURCES, series_fields=("impact",), read_series=_read_inventory_series,
    series_fit=_Splitter.impacts_fit, series_rows=_Splitter.impact_rows)


def _is_column(spec: _TableSpec, key: str) -> bool:
    """Whether the table has a column for the top-level field ``key`` of its objects."""
    return any(c.field == (key,) for c in spec.columns)


def _is_integer(value: object) -> bool:
    """Whether ``value`` is an integer (and not true or false)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _describe(value: object) -> str:
    """What ``value`` is, for an error message."""
    if isinstance(value, Mapping):
        return "an object"
    if _is_list(value):
        return "a list"
    if value is None:
        return "null"
    return repr(value)


def companion(model: Mapping[str, Any]) -> Dict[str, Any]:
    """The parts of a model that the inventory tables do not hold.

    These are the incident scenarios, a custom priority matrix or RTO table,
    recovery procedures of systems, impact curves that do not fit the
    ``impacts`` table and any field the tables have no column for. Functions,
    systems and resource pools appear as ``{"name": ..., <fields>}`` only if
    they have such fields.

    Args:
        model: A model dictionary in the JSON model format.

    Returns:
        A dictionary for ``read_inventory(..., base=...)``: merged with the
        tables written by :func:`write_inventory` it gives the model back.

    Raises:
        SpreadsheetError: a field the tables hold has a value no cell can hold.
    """
    return _Splitter(model, "", _INVENTORY).split().companion


def load_companion(path: _StrPath) -> Dict[str, Any]:
    """Reads a companion model file (JSON, or YAML for ``.yaml``/``.yml``).

    Args:
        path: The file.

    Returns:
        Its top-level object, for ``read_inventory(..., base=...)``.

    Raises:
        SpreadsheetError: the file cannot be read, is malformed, or does not
            hold an object whose functions, systems and resources are lists of
            named objects.
    """
    location = Path(os.fspath(path))
    file = str(location)
    if location.is_dir():
        raise SpreadsheetError("the companion is a folder; give its JSON or YAML file",
                               file=file)
    try:
        data_bytes = location.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(f"cannot read the companion file: {exc.strerror or exc}",
                               file=file) from exc
    data: object
    try:
        text = decode(data_bytes)
        if location.suffix.lower() in (".yaml", ".yml"):
            data = load_yaml(text)
        else:
            data = _load_json(text)
    except InputProblem as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise SpreadsheetError(where + exc.described(), file=file) from None
    if not isinstance(data, dict):
        raise SpreadsheetError("the companion file must hold an object (a mapping)", file=file)
    for key in ("functions", "systems", "resources"):
        _base_objects(data, key, file, "")
    return data


def _load_json(text: str) -> object:
    """The value of JSON ``text``; NaN, infinities, keys given twice and
    nesting deeper than the model reader's limit are errors."""
    from ._input import MAX_DEPTH, unrepresentable

    def pairs(items: List[Tuple[str, Any]]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise InputProblem(f"the key '{key}' is given twice in one object")
            out[key] = value
        return out

    def constant(name: str) -> float:
        raise InputProblem(f"{name} is not a number of the JSON format")

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputProblem(f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}") from None
    except RecursionError:
        raise InputProblem(f"nested deeper than {MAX_DEPTH} levels") from None
    problem = unrepresentable(data)
    if problem is not None:
        raise problem
    return data


def companion_beside(inventory: _StrPath) -> Optional[Path]:
    """The companion file lying beside an inventory (a workbook or a folder of
    CSV tables), if any: ``<name>_companion.json`` (or ``.yaml``, ``.yml``)
    or ``<name>.json`` (``.yaml``, ``.yml``) in the same folder, where
    ``<name>`` is the workbook's or folder's name without its suffix."""
    location = Path(os.fspath(inventory))
    stem = location.stem if location.suffix.lower() in (".xlsx", ".xlsm") else location.name
    for name in (f"{stem}_companion", stem):
        for suffix in (".json", ".yaml", ".yml"):
            candidate = location.parent / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _json_text(value: Any, indent: int = 0, used: int = 0, width: int = 100) -> str:
    """JSON of ``value``, each nested value on one line wherever it fits in ``width``.

    ``indent`` is the indentation of the lines of a value spread over several
    lines, ``used`` the number of characters before the value on its first line.
    """
    flat = json.dumps(value, ensure_ascii=False)
    if used + len(flat) <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = indent + 2
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = json.dumps(str(k), ensure_ascii=False) + ": "
            items.append(" " * inner + key + _json_text(v, inner, inner + len(key), width))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [" " * inner + _json_text(v, inner, inner, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def write_companion(model: Mapping[str, Any], path: _StrPath) -> None:
    """Writes :func:`companion` of a model to a JSON (or, for ``.yaml``/``.yml``, YAML) file.

    Args:
        model: A model dictionary in the JSON model format.
        path: The file to write.

    Raises:
        SpreadsheetError: the model cannot be split (see :func:`companion`) or
            the file cannot be written.
    """
    _write_model_file(companion(model), Path(os.fspath(path)), "companion file")


def _write_model_file(data: Mapping[str, Any], location: Path, what: str) -> None:
    """Writes a (partial) model as JSON, or as YAML for ``.yaml``/``.yml``."""
    if location.suffix.lower() in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    else:
        text = _json_text(data) + "\n"
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        location.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SpreadsheetError(f"cannot write the {what}: {exc.strerror or exc}",
                               file=str(location)) from exc


# --------------------------------------------------------------------------
# Writing tables


def _csv_text(value: object) -> str:
    """A value as written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    return str(value)


def _write_folder(split: _Split, path: Path) -> None:
    """Writes the tables as CSV files (UTF-8 with a byte-order mark, for Excel)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            target = path / f"{name}.csv"
            if name not in split.columns:
                # A stale table from an earlier write would be read back.
                if target.is_file():
                    target.unlink()
                continue
            columns = split.columns[name]
            with open(target, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(columns)
                for row in split.rows[name]:
                    writer.writerow([_csv_text(row.get(c)) for c in columns])
    except OSError as exc:
        raise SpreadsheetError(f"cannot write the CSV files: {exc.strerror or exc}",
                               file=str(exc.filename or path)) from exc


def _write_workbook(split: _Split, path: Path, layout: _Layout,
                    notes: Optional[Tuple[str, Sequence[Sequence[str]]]] = None) -> None:
    """Writes the tables as the sheets of an Excel workbook; ``notes`` is an
    extra sheet (its name, then its rows, the first the header row)."""
    import pandas as pd

    file = str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for table in layout.tables:
                if table.name not in split.columns:
                    continue
                columns = split.columns[table.name]
                specs = [table.column(c) if c in table.column_names else _Column(c, "number")
                         for c in columns]
                headers = [split.headers[c.name] if c.name in split.headers else c.title
                           for c in specs]
                cells = [[_shown(c, row.get(c.name)) for c in specs]
                         for row in split.rows[table.name]]
                frame = pd.DataFrame(cells, columns=headers, dtype=object)
                frame.to_excel(writer, sheet_name=table.sheet, index=False)
                _tidy_sheet(writer.sheets[table.sheet], specs, headers, cells)
            if notes is not None:
                title, lines = notes
                frame = pd.DataFrame(list(lines[1:]), columns=list(lines[0]), dtype=object)
                frame.to_excel(writer, sheet_name=title, index=False)
                _tidy_sheet(writer.sheets[title], [_Column(str(c), "text") for c in lines[0]],
                            list(lines[0]), lines[1:])
    except SpreadsheetError:
        raise
    except ImportError:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"cannot write the workbook: {exc}", file=file) from exc


def _shown(column: _Column, value: object) -> object:
    """A value as its cell shows it: the word of a choice."""
    if column.kind == "choice" and isinstance(value, str) and value in column.choices:
        return column.word(value)
    return value


def _tidy_sheet(sheet: Any, columns: Sequence[_Column], headers: Sequence[object],
                cells: Sequence[Sequence[object]]) -> None:
    """Makes a written sheet pleasant to edit and keeps text text.

    Empty cells are left blank rather than holding empty text, text starting
    with ``=`` is stored as text rather than a formula, the header row stays in
    view, choice and yes/no columns offer their values in a drop-down list and
    columns are wide enough for their contents.
    """
    from .formatting import display_width

    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.value == "":
                cell.value = None
            elif cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for j, column in enumerate(columns):
        choices = (column.words if column.kind == "choice"
                   else ("TRUE", "FALSE") if column.kind == "boolean" else ())
        if choices:
            _add_choice_list(sheet, _column_letter(j), choices)
        width = max([display_width(_text(headers[j]))]
                    + [display_width(_text(r[j])) for r in cells if r[j] is not None])
        sheet.column_dimensions[_column_letter(j)].width = min(max(width, 6) + 2, 60)


def _add_choice_list(sheet: Any, letter: str, choices: Sequence[str]) -> None:
    """Offers the allowed values of a column as a drop-down list (other values warn)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                allow_blank=True, showErrorMessage=True, errorStyle="warning")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}1048576")


def write_inventory(model: Mapping[str, Any], path: _StrPath) -> None:
    """Writes the tables of a model as an Excel workbook or a folder of CSV files.

    Every table is written with all its columns (a template to fill in);
    ``model`` only if the model has settings, ``resources`` only if it lists
    resource pools, ``impacts`` only if some function has impact curves that
    fit the table. What the tables cannot hold is left out: keep it with
    :func:`write_companion`. ``read_inventory(path)`` gives back the parts of
    the model that the tables hold.

    Args:
        model: A model dictionary in the JSON model format.
        path: A ``.xlsx`` file (replaced if it exists) or a folder for the CSV
            files (created if needed; its table files are replaced, and those
            of tables not written are removed).

    Raises:
        SpreadsheetError: a value the tables hold does not fit in a cell, a
            requirement or backup is malformed, or the files cannot be written.
    """
    location = Path(os.fspath(path))
    suffix = location.suffix.lower()
    split = _Splitter(model, str(location), _INVENTORY).split()
    if suffix == ".xlsx":
        if location.is_dir():
            raise SpreadsheetError("is a folder, not a workbook", file=str(location))
        _write_workbook(split, location, _INVENTORY)
    elif suffix in (".xls", ".xlsm", ".xlsb", ".ods", ".csv", ".json", ".yaml", ".yml"):
        raise SpreadsheetError("cannot write an inventory there: give an .xlsx file or a "
                               "folder for the CSV files", file=str(location))
    elif location.exists() and not location.is_dir():
        raise SpreadsheetError("is a file, not a folder for the CSV files", file=str(location))
    else:
        _write_folder(split, location)
