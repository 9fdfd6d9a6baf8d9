"""Inventories at scale: CSV and Parquet tables read column by column, and
results written back as Parquet or CSV.

An inventory in the spreadsheet layout (docs/spreadsheet-format.md) kept as
a folder of CSV files (``functions.csv``, ``systems.csv``, ...) or of
Parquet files (``functions.parquet``, ...) is read by :func:`read_tables`
straight into the model: pyarrow reads each file into columns, and the
compiled core reads the cells of the functions, systems, dependencies,
backups and impacts tables from those columns, without a Python object per
row and without going through JSON. The small ``model`` and ``resources``
tables and the companion file (``base``) are read as
:func:`continuity.spreadsheet.read_inventory` reads them. The result is the
model that ``Model.from_dict(read_inventory(path, base=base))`` gives, with
the same errors: :class:`~continuity.errors.SpreadsheetError` naming file,
table, row and column for a bad cell, the model's validation errors naming
object and field for the rest. :func:`continuity.load_model` reads CSV and
Parquet folders this way.

:func:`write_tables` writes a model's tables (and its companion) the same
way, and :func:`write_frame` writes a result table (a pandas DataFrame, such
as ``Model.system_objectives()`` or ``RecoveryPlan.systems``) to a Parquet
or CSV file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core
from .errors import IOError_, SpreadsheetError
from .spreadsheet import (
    _INVENTORY,
    TABLES,
    _base_objects,
    _clean,
    _file_table,
    _KIND_NAMES,
    _merge_objects,
    _read_csv,
    _read_header,
    _read_objects,
    _read_settings,
    _stray_cell,
    _Table,
    _TableSpec,
    _text,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from .model import Model

__all__ = ["read_tables", "write_tables", "write_frame", "SUFFIXES"]

SUFFIXES: Tuple[str, ...] = (".csv", ".parquet")
"""The suffixes of the table files :func:`read_tables` reads."""

_COLUMN_TABLES = ("functions", "systems", "dependencies", "backups", "impacts")
"""The tables the compiled core reads from columns (the others are a few rows)."""


# --------------------------------------------------------------------------
# Reading


def _csv_shape(path: Path, sheet: str) -> Tuple[Optional[int], bool]:
    """How many cells the first record of a CSV file has (None: none, the
    file is empty or starts with a blank line), and whether the file has
    quotes (cells that may hold line breaks). Reads the file in blocks."""
    quotes, head = False, b""
    try:
        with open(path, "rb") as stream:
            while True:
                block = stream.read(1 << 24)
                if not block:
                    break
                rest = block
                if not head:
                    head = block[3:] if block.startswith(b"\xef\xbb\xbf") else block
                    # Quotes around the names of the header line break no line.
                    first_line = head[:head.find(b"\n") + 1] if b"\n" in head else head
                    if first_line.count(b'"') % 2 == 0:
                        rest = head[len(first_line):]
                if b'"' in rest:
                    quotes = True
                    break
    except OSError as exc:
        raise SpreadsheetError(f"cannot read the file: {exc.strerror or exc}", file=str(path),
                               sheet=sheet) from exc
    if not head or head.startswith((b"\n", b"\r")):
        return None, quotes
    try:
        first = next(csv.reader(io.StringIO(head[:65536].decode("utf-8", "replace"),
                                            newline="")))
    except (csv.Error, StopIteration):
        return None, quotes
    return len(first), quotes


def _arrow_csv(path: Path, sheet: str) -> "pa.Table":
    """The cells of a CSV file as a table of text columns (``f0``, ``f1``, ...;
    the header row is a row).

    pyarrow reads the file; files it would read differently from the
    spreadsheet reader (rows of other lengths, lines of spaces) and files it
    cannot read (not UTF-8, malformed) are read as
    :func:`continuity.spreadsheet.read_inventory` reads them, whose errors
    then name the problem."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width, quotes = _csv_shape(path, sheet)
    if width is not None:
        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(autogenerate_column_names=True),
                # A blank line is a row of empty cells, as the spreadsheet
                # reader counts it (rows keep their numbers).
                parse_options=pacsv.ParseOptions(newlines_in_values=quotes,
                                                 ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"f{j}": pa.large_string() for j in range(width)},
                    strings_can_be_null=False, quoted_strings_can_be_null=False))
            if table.num_columns == width:
                return table
        except pa.ArrowInvalid:
            pass
    grid = _read_csv(path, sheet)
    width = max((len(r) for r in grid), default=0)
    columns = [pa.array([r[j] if j < len(r) else "" for r in grid], type=pa.large_string())
               for j in range(width)]
    return pa.table(columns, names=[f"f{j}" for j in range(width)])


def _nonempty(column: "pa.ChunkedArray") -> "pa.ChunkedArray":
    """Whether each cell of a column holds something (not null, not only spaces)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(column), ""), False)
    if pa.types.is_floating(column.type):
        return pc.fill_null(pc.invert(pc.is_nan(column)), False)
    return pc.is_valid(column)


def _first_true(mask: "pa.ChunkedArray") -> Optional[int]:
    """The index of the first true value, None if none."""
    values = mask.to_numpy(zero_copy_only=False)
    hits = np.flatnonzero(values)
    return int(hits[0]) if len(hits) else None


class _ColumnTable:
    """One table read into columns: its header checked, its cells not yet read."""

    def __init__(self, spec: _TableSpec, file: str, sheet: str, data: "pa.Table",
                 header_in_rows: bool) -> None:
        """``data``: a CSV file's cells with the header as a row
        (``header_in_rows``), or a Parquet file's typed columns."""
        self.spec = spec
        self.file = file
        self.sheet = sheet
        self.table = _Table(spec, file, sheet)
        stray: Optional[Tuple[int, int]] = None
        if header_in_rows:
            index: Optional[int] = 0
            if data.num_rows and not any(_clean(c[0].as_py()) is not None for c in data.columns):
                marks = [_nonempty(c) for c in data.columns]
                any_mark = marks[0]
                import pyarrow.compute as pc

                for m in marks[1:]:
                    any_mark = pc.or_(any_mark, m)
                index = _first_true(any_mark)
            if not data.num_rows:
                index = None
            header: List[object] = ([] if index is None else
                                    [c[index].as_py() for c in data.columns])
            self.table.header_row = 1 if index is None else index + 1
            self.names = _read_header(self.table, header)
            start = 0 if index is None else index + 1
            self.data = data.slice(start)
            self.first_row = start + 1
        else:
            self.table.header_row = 1
            self.names = _read_header(self.table, list(data.column_names))
            self.data = data
            self.first_row = 2
        for j in range(self.data.num_columns):
            if j in self.names:
                continue
            found = _first_true(_nonempty(self.data.column(j)))
            if found is not None and (stray is None or found < stray[0]):
                stray = (found, j)
        if stray is not None:
            i, j = stray
            raise _stray_cell(self.table, self.first_row + i, j, self.data.column(j)[i].as_py())

    def small(self) -> _Table:
        """The table as the spreadsheet reader holds it (for the few-row tables)."""
        table = _Table(self.spec, self.file, self.sheet, dict(self.table.headers),
                       header_row=self.table.header_row)
        columns = {j: self.data.column(j).to_pylist() for j in self.names}
        for i in range(self.data.num_rows):
            cells: Dict[str, object] = {}
            for j, values in columns.items():
                cell = _clean(values[i])
                if cell is not None:
                    cells[self.names[j]] = cell
            if cells:
                table.rows.append((self.first_row + i, cells))
        return table

    def core(self) -> Dict[str, Any]:
        """The table as the compiled core reads it: each named column as text
        (bytes and offsets) or numbers."""
        import pyarrow as pa

        columns = []
        for j, name in self.names.items():
            column = self.spec.column(name)
            cells = self._cells(self.data.column(j), column.kind, name)
            columns.append((name, self.table.headers[name], *cells))
            # The column as read is dropped (the cells passed on are kept
            # alive by `columns`): a column at a time is held twice, not the
            # whole table.
            self.data = self.data.set_column(j, self.data.field(j).name,
                                             pa.nulls(self.data.num_rows, pa.null()))
        return {"file": self.file, "sheet": self.sheet, "rows": self.data.num_rows,
                "first_row": self.first_row, "columns": columns}

    def _cells(self, column: "pa.ChunkedArray", kind: str,
               name: str) -> Tuple[Optional[Any], Any]:
        """A column as (text bytes, int64 or int32 offsets) or (None, float64 numbers)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        t = column.type
        if pa.types.is_temporal(t) and kind != "text":
            i = _first_true(_nonempty(column))
            if i is not None:
                raise self.table.error(
                    f"'{_text(column[i].as_py())}' is a date or time, not a {_KIND_NAMES[kind]}"
                    + (" (write hours, or text such as '4h')" if kind == "duration" else ""),
                    self.first_row + i, name)
        numeric = (pa.types.is_integer(t) or pa.types.is_floating(t)
                   or pa.types.is_decimal(t) or pa.types.is_boolean(t))
        if numeric and kind in ("integer", "number", "duration", "boolean"):
            values = pc.cast(column, pa.float64())
            numbers = pc.fill_null(values, float("nan")).to_numpy(zero_copy_only=False)
            return None, np.ascontiguousarray(numbers, dtype=np.float64)
        if pa.types.is_boolean(t):
            column = pc.if_else(column, "TRUE", "FALSE")
        elif pa.types.is_null(t):
            column = pa.chunked_array([pa.array([""] * len(column), pa.large_string())])
        elif not (pa.types.is_string(t) or pa.types.is_large_string(t)):
            try:
                column = pc.cast(column, pa.large_string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise self.table.error(f"a column of {t} cannot be read as cells: {exc}",
                                       None, name) from None
        if column.null_count:
            column = pc.fill_null(column, "")
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = pc.cast(column, pa.large_string())
        # One chunk is passed as it is (no copy); several are joined.
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        if len(array) == 0:
            return b"", np.zeros(1, dtype=np.int64)
        _, offsets, text = array.buffers()
        width = np.int64 if pa.types.is_large_string(array.type) else np.int32
        where = np.frombuffer(offsets, dtype=width)[array.offset:array.offset + len(array) + 1]
        return (text if text is not None else b""), where


def _folder_files(path: Path) -> List[Path]:
    """The table files of an inventory folder (one suffix of :data:`SUFFIXES`)."""
    try:
        entries = sorted(path.iterdir())
    except OSError as exc:
        raise SpreadsheetError(f"cannot list the folder: {exc.strerror or exc}",
                               file=str(path)) from exc
    files = [e for e in entries if e.suffix.lower() in SUFFIXES and e.is_file()]
    # Files whose name starts with '_' are ignored (notes), whatever their format.
    kinds = sorted({e.suffix.lower() for e in files if not e.stem.startswith("_")})
    if not files:
        models = [e.name for e in entries
                  if e.suffix.lower() in (".json", ".yaml", ".yml", ".xlsx") and e.is_file()]
        raise SpreadsheetError(
            "a folder is read as an inventory of CSV or Parquet tables (functions.csv, "
            "systems.csv, ... or functions.parquet, ...), and this one holds no CSV or Parquet "
            "file" + (f"; give a model file instead, such as '{path / models[0]}'"
                      if models else ""), file=str(path))
    if len(kinds) > 1:
        raise SpreadsheetError("the folder holds both CSV and Parquet files: keep the tables "
                               "of one inventory in one format", file=str(path))
    return files


def _read_folder(path: Path) -> Dict[str, _ColumnTable]:
    """The tables of a folder of CSV or Parquet files, their headers checked."""
    tables: Dict[str, _ColumnTable] = {}
    files = _folder_files(path)
    for entry in files:
        spec = _file_table(entry, {name: t.file for name, t in tables.items()})
        if spec is None:
            continue
        if entry.suffix.lower() == ".csv":
            tables[spec.name] = _ColumnTable(spec, str(entry), entry.stem,
                                             _arrow_csv(entry, entry.stem), True)
        else:
            tables[spec.name] = _ColumnTable(spec, str(entry), entry.stem,
                                             _read_parquet(entry, entry.stem), False)
    suffix = next((f.suffix.lower() for f in files if not f.stem.startswith("_")),
                  files[0].suffix.lower())
    for spec in _INVENTORY.tables:
        if spec.required and spec.name not in tables:
            raise SpreadsheetError(
                f"the folder has no file {spec.name}{suffix} (a required table)",
                file=str(path / f"{spec.name}{suffix}"), sheet=spec.name)
    return tables


def _read_parquet(path: Path, sheet: str) -> "pa.Table":
    """The columns of a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except OSError as exc:
        raise SpreadsheetError(f"cannot read the file: {exc.strerror or exc}", file=str(path),
                               sheet=sheet) from exc
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise SpreadsheetError(f"not a Parquet file: {exc}", file=str(path),
                               sheet=sheet) from exc
    # The index pandas stores beside a frame's columns (an unnamed one) is no column.
    index = [n for n in table.column_names if re.fullmatch(r"__index_level_\d+__", n)]
    return table.select([n for n in table.column_names if n not in index]) if index else table


def _governed(table: _ColumnTable) -> Tuple[set[str], set[str]]:
    """The top-level fields and the manual_workaround fields a table's
    columns decide for every object."""
    fields, workaround = {"name"}, set()
    for column in table.spec.columns:
        if column.name in table.table.headers and column.field:
            if len(column.field) == 1:
                fields.add(column.field[0])
            else:
                workaround.add(column.field[1])
    return fields, workaround


def _companion_objects(base: Mapping[str, Any], key: str, table: _ColumnTable, kind: str,
                       extra: set[str]) -> List[Dict[str, Any]]:
    """The base's objects of ``key`` with only the fields the table leaves to
    them; each must name a row of the table."""
    by_name = _base_objects(base, key, table.file, table.sheet)
    if not by_name:
        return []
    import pyarrow as pa
    import pyarrow.compute as pc

    column = next(j for j, n in table.names.items() if n == "name")
    names = pc.utf8_trim_whitespace(pc.cast(table.data.column(column), pa.large_string()))
    listed = pc.is_in(pa.array(list(by_name), pa.large_string()), value_set=names.combine_chunks())
    for name, found in zip(by_name, listed.to_pylist()):
        if not found:
            raise table.table.error(f"the base model describes {kind} '{name}', which is not "
                                    f"in {table.spec.label}", None, "name")
    fields, workaround = _governed(table)
    fields |= extra
    out = []
    for name, obj in by_name.items():
        rest: Dict[str, Any] = {}
        for key_name, value in obj.items():
            if key_name == "manual_workaround" and workaround:
                if isinstance(value, Mapping):
                    kept = {k: v for k, v in value.items() if k not in workaround}
                    if kept:
                        rest[key_name] = kept
            elif key_name not in fields:
                rest[key_name] = value
        if rest:
            out.append({"name": name, **rest})
    return out


def read_tables(path: "str | os.PathLike[str]", *,
                base: Optional[Mapping[str, Any]] = None) -> "Model":
    """Reads an inventory kept as a folder of CSV or Parquet tables into a model.

    The layout is that of :func:`continuity.spreadsheet.read_inventory`
    (docs/spreadsheet-format.md): one file per table, ``functions``,
    ``systems``, ``dependencies`` and ``backups`` required, ``model``,
    ``resources`` and ``impacts`` optional, files whose name starts with
    ``_`` ignored. CSV files are UTF-8 (a byte-order mark is allowed); in a
    Parquet file the column names are the header row (the first record is
    row 2 in messages), and columns may be text, numbers or booleans.

    Args:
        path: The folder.
        base: The companion (scenarios, recovery procedures, ...; see
            :func:`continuity.spreadsheet.load_companion`), merged as
            :func:`~continuity.spreadsheet.read_inventory` merges it.

    Returns:
        The validated model.

    Raises:
        SpreadsheetError: a file, table, column or cell is wrong (naming the
            file, table, row and column).
        ValidationError: the model is invalid (naming the object and field).
    """
    from .model import Model, _json_of

    location = Path(os.fspath(path))
    if not location.is_dir():
        raise SpreadsheetError("no such folder of CSV or Parquet files"
                               if not location.exists() else
                               "give the folder that holds the tables, not a file",
                               file=str(location))
    if base is not None and not isinstance(base, Mapping):
        raise SpreadsheetError("the base model must be a mapping (a JSON object)",
                               file=str(location))
    base = dict(base or {})
    tables = _read_folder(location)
    remainder: Dict[str, Any] = {k: v for k, v in base.items()
                                 if k not in ("functions", "systems", "resources", "format")}
    if "model" in tables:
        remainder.update(_read_settings(tables["model"].small(), _INVENTORY.setting_columns))
    if "resources" in tables:
        pools = _read_objects(tables["resources"].small(), _INVENTORY.resources.noun)
        remainder["resources"] = _merge_objects(pools, base, "resources",
                                                _INVENTORY.resources.noun)
    elif "resources" in base:
        remainder["resources"] = base["resources"]
    functions_extra = {"needs"} | ({"impact"} if "impacts" in tables else set())
    remainder["functions"] = _companion_objects(base, "functions", tables["functions"],
                                                _INVENTORY.functions.noun, functions_extra)
    remainder["systems"] = _companion_objects(base, "systems", tables["systems"],
                                              _INVENTORY.systems.noun, {"depends_on", "backups"})
    source = str(location)
    spec = _read_spec(tables, _json_of(remainder, source), source)
    # The columns are freed (the last reference was the tables') before the
    # model is built, and their memory handed back: the peak memory is the
    # larger of the two stages, not their sum.
    del tables
    _release_arrow_memory()
    return Model(_core.model_from_spec(spec))


def _release_arrow_memory() -> None:
    """Hands the memory pyarrow's pool keeps for reuse back to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _read_spec(tables: Dict[str, _ColumnTable], base_json: str,
               source: str) -> _core.InventorySpec:
    """The specification the compiled core reads from the tables' columns."""
    columns = {name: tables[name].core() for name in _COLUMN_TABLES if name in tables}
    return _core.spec_from_tables(columns, base_json, source)


# --------------------------------------------------------------------------
# Writing


_KINDS = ("all_of", "any_of", "k_of")
_INTEGERS = frozenset({"importance", "system_dependency", "reentry_staff", "generations", "k"})
_BOOLEANS = frozenset({"emergency", "holds_data", "offsite"})


def _arrow_tables(model: "Model") -> Dict[str, "pa.Table"]:
    """The model's functions, systems, dependencies, backups and impacts
    tables as Arrow tables (columns as the spreadsheet layout names them)."""
    import pyarrow as pa

    out: Dict[str, pa.Table] = {}
    for name, columns in _core.model_tables(model._core).items():
        arrays: Dict[str, pa.Array] = {}
        for column, cells in columns.items():
            if isinstance(cells, tuple):
                text, offsets = cells
                arrays[column] = pa.LargeStringArray.from_buffers(
                    len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(text))
            elif column == "kind":
                codes = pa.array(np.asarray(cells, dtype=np.int8))
                arrays[column] = pa.DictionaryArray.from_arrays(
                    codes, pa.array(_KINDS)).dictionary_decode()
            else:
                values = pa.array(cells, from_pandas=True)
                if column in _INTEGERS:
                    values = values.cast(pa.int64())
                elif column in _BOOLEANS:
                    values = values.cast(pa.bool_())
                arrays[column] = values
        out[name] = pa.table(arrays)
    return out


def write_tables(model: "Model", path: "str | os.PathLike[str]", *, format: str = "parquet",
                 companion: "Optional[str | os.PathLike[str]]" = None) -> None:
    """Writes a model's tables as a folder of Parquet or CSV files, column
    by column (no Python object per row): ``functions``, ``systems``,
    ``dependencies``, ``backups`` and ``impacts``, every value written out
    (defaults too). What the tables do not hold — settings, resource pools,
    scenarios, recovery procedures, minimum capacities — goes to the JSON
    file ``companion``, if given; :func:`read_tables` with that companion as
    ``base`` gives the model back.

    Args:
        model: The model.
        path: The folder (created if needed; its table files are replaced).
        format: ``"parquet"`` or ``"csv"`` (UTF-8 with a byte-order mark, for Excel).
        companion: The companion JSON file to write, if any.

    Raises:
        ValueError_: an unknown format.
        IOError_: a file cannot be written.
    """
    from .errors import ValueError_

    if format not in ("parquet", "csv"):
        raise ValueError_(f"tables: format: must be 'parquet' or 'csv', got {format!r}",
                          "tables", "", "format")
    location = Path(os.fspath(path))
    try:
        location.mkdir(parents=True, exist_ok=True)
        # Tables of an earlier write (in either format) would be read back.
        for name in TABLES:
            for suffix in SUFFIXES:
                if (location / f"{name}{suffix}").is_file():
                    (location / f"{name}{suffix}").unlink()
        for name, table in _arrow_tables(model).items():
            _write_arrow(table, location / f"{name}.{format}")
        if companion is not None:
            Path(os.fspath(companion)).write_text(
                json.dumps(json.loads(_core.companion_json(model._core)), ensure_ascii=False,
                           indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise IOError_(f"cannot write the tables to '{location}': {exc.strerror or exc}") from exc


def _write_arrow(table: "pa.Table", target: Path) -> None:
    """Writes an Arrow table as Parquet or CSV (by suffix; CSV as UTF-8 with a BOM)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if target.suffix.lower() == ".parquet":
        pq.write_table(table, target)
        return
    with open(target, "wb") as stream:
        stream.write(b"\xef\xbb\xbf")
        try:  # Without quotes, which Excel does not need either
            if all(n.isidentifier() for n in table.column_names):
                stream.write((",".join(table.column_names) + "\n").encode())
                options = pacsv.WriteOptions(quoting_style="none", include_header=False)
            else:
                options = pacsv.WriteOptions(quoting_style="none")
            pacsv.write_csv(table, stream, options)
        except pa.ArrowInvalid:  # a cell with a comma, a quote or a line break
            stream.seek(3)
            stream.truncate()
            pacsv.write_csv(table, stream)


def write_frame(frame: pd.DataFrame, path: "str | os.PathLike[str]", *,
                index: bool = True) -> None:
    """Writes a result table (a DataFrame) to a Parquet file (suffix
    ``.parquet``) or a CSV file (``.csv``: UTF-8 with a byte-order mark, so
    that Excel reads Japanese names), column by column.

    Args:
        frame: The table, for instance ``model.system_objectives()``,
            ``plan.systems`` or ``result.frame()``.
        path: The file (replaced if it exists).
        index: Write the index (the system, function or trial) as the first column.

    Raises:
        ValueError_: the suffix is neither ``.parquet`` nor ``.csv``.
        IOError_: the file cannot be written.
    """
    import pyarrow as pa

    from .errors import ValueError_

    target = Path(os.fspath(path))
    if target.suffix.lower() not in SUFFIXES:
        raise ValueError_(f"result table: path: give a .parquet or .csv file, not '{target}'",
                          "result table", "", "path")
    try:
        table = pa.Table.from_pandas(frame, preserve_index=index)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError_(f"result table: frame: cannot be written as columns: {exc}",
                          "result table", "", "frame") from exc
    try:
        _write_arrow(table, target)
    except OSError as exc:
        raise IOError_(f"cannot write '{target}': {exc.strerror or exc}") from exc
