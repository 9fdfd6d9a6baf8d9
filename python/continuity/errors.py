"""The library's errors, as Python exceptions.

Every error the C++ core raises arrives as the exception class of the same
name here, with the same message; the hierarchy mirrors ``continuity/error.hpp``::

    Error (RuntimeError)
    ├── ValidationError (also ValueError)   an input object is invalid
    │   ├── ReferenceError                  a name refers to nothing
    │   ├── DuplicateError                  two objects of one kind share a name
    │   ├── ValueError_                     a value is out of its domain
    │   ├── CycleError                      a dependency cycle
    │   ├── ObjectiveError                  an objective that can never be met
    │   └── SpreadsheetError                a bad cell of an inventory spreadsheet
    ├── IOError_ (also OSError)             a file cannot be read or written
    │   └── ParseError                      a file's content is malformed
    └── SchedulingError                     a recovery plan cannot be built

``ValueError_`` and ``IOError_`` carry a trailing underscore so that they do
not shadow Python's built-ins; they are also available as
``continuity.errors.DomainError`` and ``continuity.errors.FileError``.
"""

from __future__ import annotations

from typing import Optional, Sequence

__all__ = [
    "Error",
    "ValidationError",
    "ReferenceError",
    "DuplicateError",
    "ValueError_",
    "DomainError",
    "CycleError",
    "ObjectiveError",
    "SpreadsheetError",
    "IOError_",
    "FileError",
    "ParseError",
    "SchedulingError",
]


class Error(RuntimeError):
    """Base of every error raised by continuity."""


class ValidationError(Error, ValueError):
    """An input object is invalid.

    The message reads ``"<kind> '<name>': <field>: <problem>"``; the parts are
    also available as attributes.
    """

    object_kind: str
    """Kind of the offending object: ``"system"``, ``"business function"``, ..."""
    object_name: str
    """Name of the offending object (empty for the model itself)."""
    field: str
    """The offending field, e.g. ``"depends_on"`` or ``"backups[1].interval"``."""

    def __init__(self, message: str, object_kind: str = "", object_name: str = "",
                 field: str = "") -> None:
        super().__init__(message)
        self.object_kind = object_kind
        self.object_name = object_name
        self.field = field


class ReferenceError(ValidationError):  # noqa: A001 - mirrors continuity::reference_error
    """A name refers to no object of the expected kind."""


class DuplicateError(ValidationError):
    """Two objects of one kind share a name."""


class ValueError_(ValidationError):
    """A value is outside its domain (negative, NaN, unknown enumerator, ...)."""


DomainError = ValueError_


class CycleError(ValidationError):
    """The system dependencies contain a cycle; ``systems`` lists one cycle."""

    systems: list[str]
    """The systems on one cycle, each needing the next (the last needs the first)."""

    def __init__(self, message: str, object_kind: str = "", object_name: str = "",
                 field: str = "", systems: Optional[Sequence[str]] = None) -> None:
        super().__init__(message, object_kind, object_name, field)
        self.systems = list(systems or [])


class ObjectiveError(ValidationError):
    """An objective that can never be met (RPO vs backups, RTO + WRT vs MTPD)."""


class SpreadsheetError(ValidationError):
    """A bad cell or table of an inventory spreadsheet (CSV or Excel).

    The message names the file, the sheet, the row (as the spreadsheet shows
    it: 1 is the header row, 2 the first data row) and the column.
    """

    file: str
    """The file."""
    sheet: str
    """The sheet (Excel) or table (CSV file stem)."""
    row: Optional[int]
    """Row number as the spreadsheet program shows it, or None for the whole table."""
    column: str
    """Column name, or empty for the whole row or table."""

    def __init__(self, message: str, file: str = "", sheet: str = "",
                 row: Optional[int] = None, column: str = "") -> None:
        where = file
        if sheet:
            where += f", sheet '{sheet}'"
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}" if where else message,
                         "spreadsheet", sheet, column)
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column


class IOError_(Error, OSError):
    """A file cannot be opened, read or written."""


FileError = IOError_


class ParseError(IOError_):
    """A file's content is malformed; the message names the file and line."""

    source: str
    """The file (or ``"<input>"``)."""
    line: int
    """1-based line number, or 0 if unknown."""

    def __init__(self, message: str, source: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.source = source
        self.line = line


class SchedulingError(Error):
    """A recovery plan cannot be built (a step needs a pool of capacity 0, a cycle)."""
