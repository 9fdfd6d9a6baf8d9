"""How amounts, text and file names are written for people: money by
currency (¥ with 万 / 億 / 兆 for yen), text padded and wrapped by its
display width (a Japanese character takes two columns), file names made
from the names of scenarios, and pandas tables of amounts that display as
money.

>>> from continuity.formatting import money, display_width, file_name
>>> money(310_765_853, "JPY"), money(82_000_000, "JPY"), money(-9_800, "JPY")
('¥3.11億', '¥8,200万', '-¥9,800')
>>> money(1_234_567, "USD"), money(2.5e9, "EUR"), money(950_000, "CHF")
('$1.23M', '€2.5bn', 'CHF 950,000')
>>> display_width("地震 2"), file_name("ランサムウェア: VPN 経由")
(6, 'ランサムウェア-vpn-経由')

**Money** (:func:`money`) is written compactly, to three significant
digits:

- in yen (``JPY``), in the largest of 万 (10⁴), 億 (10⁸) and 兆 (10¹²)
  the amount reaches: ``¥1.23万``, ``¥12.3万``, ``¥8,200万``, ``¥1.04億``,
  ``¥24億``, ``¥311億``, ``¥1.2兆``; below ¥1万 to the yen (``¥9,800``);
- in any other currency, in millions (``M``), billions (``bn``) and
  trillions (``tn``): ``$1.23M``, ``€2.5bn``; below a million to the whole
  unit (``$950,000``);
- never fewer digits than the whole unit it is written in (``¥8,234万``,
  not ``¥8,230万``), and without trailing zeros (``¥1億``, ``¥1.5億``);
- halves rounded away from zero, and an amount that rounds up to the next
  unit written in it (¥99,995,000 is ``¥1億``, ¥9,999.5 is ``¥1万``);
- the minus sign before the currency (``-¥3.1億``); ``¥0`` for zero;
- ``¥``, ``$``, ``€`` and ``£`` for JPY, USD, EUR and GBP
  (:data:`CURRENCY_SYMBOLS`), the code before the number for any other
  currency (``CHF 1.2M``), nothing for ``""``.

The CLI's text, the pandas tables of losses (:class:`MoneySeries`,
:class:`MoneyFrame`) and the money axes of :mod:`continuity.plot` use it;
JSON and CSV output keep the exact numbers.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Optional, Sequence

import pandas as pd

__all__ = [
    "CURRENCY_SYMBOLS",
    "money",
    "display_width",
    "ljust",
    "rjust",
    "fill",
    "file_name",
    "file_names",
    "MoneySeries",
    "MoneyFrame",
]

CURRENCY_SYMBOLS: dict[str, str] = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}
"""The symbols :func:`money` writes before an amount in these currencies;
any other currency code is written before the number with a space."""

_YEN_UNITS = ((10**4, "万"), (10**8, "億"), (10**12, "兆"))
_WESTERN_UNITS = ((10**6, "M"), (10**9, "bn"), (10**12, "tn"))
_SIGNIFICANT = 3


# -------------------------------------------------------------------- money
def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _number(value: Decimal, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _magnitude(a: Decimal, units: Sequence[tuple[int, str]]) -> tuple[Decimal, int, str]:
    """``a`` (≥ 0) rounded in the largest unit it reaches after rounding:
    the rounded number, its decimals, and the unit's suffix ("" for none)."""
    whole = _round(a, 0)
    if whole < units[0][0]:
        return whole, 0, ""
    k = max(i for i, (scale, _) in enumerate(units) if whole >= scale)
    while True:
        scale, suffix = units[k]
        q = a / scale
        decimals = max(_SIGNIFICANT - len(str(int(q))), 0) if q >= 1 else _SIGNIFICANT - 1
        rounded = _round(q, decimals)
        if k + 1 < len(units) and rounded * scale >= units[k + 1][0]:
            k += 1  # rounded up into the next unit
            continue
        return rounded, decimals, suffix


def money(amount: float, currency: str = "") -> str:
    """``amount`` written compactly in ``currency`` (an ISO code such as
    ``"JPY"``; ``""`` for none), as the module's documentation describes:
    ``¥3.11億``, ``¥8,200万``, ``-¥9,800``, ``$1.23M``. NaN is ``n/a``, and
    infinities are ``∞`` and ``-∞``."""
    x = float(amount)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    units = _YEN_UNITS if currency == "JPY" else _WESTERN_UNITS
    number, decimals, suffix = _magnitude(abs(Decimal(x)), units)
    sign = "-" if x < 0 and number != 0 else ""
    text = _number(number, decimals) + suffix
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol is not None:
        return f"{sign}{symbol}{text}"
    if currency:
        return f"{sign}{currency} {text}"
    return sign + text


# --------------------------------------------------------------------- text
def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal or a fixed-width font: two
    for each East Asian wide or full-width character (``地``, ``ア``,
    ``（``), none for combining marks and format characters, one for any
    other (East Asian "ambiguous" characters such as ``→`` count as one,
    as in pandas and most terminals)."""
    return sum(_char_width(c) for c in text)


def ljust(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` display columns
    (:func:`display_width`); unchanged if it is as wide already."""
    return text + " " * max(width - display_width(text), 0)


def rjust(text: str, width: int) -> str:
    """``text`` preceded by spaces up to ``width`` display columns."""
    return " " * max(width - display_width(text), 0) + text


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """``text`` wrapped at spaces into lines of at most ``width`` display
    columns, indents included (as :func:`textwrap.fill` with
    ``break_long_words=False``, counting wide characters twice); a word
    longer than a line gets a line of its own."""
    lines: list[str] = []
    line, used = initial_indent, display_width(initial_indent)
    empty = True
    for word in text.split():
        w = display_width(word)
        if not empty and used + 1 + w > width:
            lines.append(line)
            line, used, empty = subsequent_indent, display_width(subsequent_indent), True
        if empty:
            line, used, empty = line + word, used + w, False
        else:
            line, used = f"{line} {word}", used + 1 + w
    lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------- file names
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{d}{n}" for d in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")])
_MAX_NAME_BYTES = 120


def _kept(c: str) -> bool:
    return c == "_" or unicodedata.category(c)[0] in ("L", "M", "N")


def file_name(name: str, default: str = "scenario") -> str:
    """A file name (without extension) made from ``name`` that every common
    file system accepts and that keeps its letters and digits in any
    script: ``"ランサムウェア: VPN 経由"`` → ``ランサムウェア-vpn-経由``.

    The name is put in Unicode normal form C and in lower case; every run
    of characters other than letters, digits, combining marks and ``_`` —
    spaces, punctuation, the characters Windows forbids (``<>:"/\\|?*``),
    control characters — becomes one ``-``, none at either end (so there
    is no leading dot or trailing dot or space). It is cut to at most 120
    bytes of UTF-8 (40 Japanese characters), which leaves room for a
    suffix and an extension within the 255 bytes of Linux and macOS and
    the 255 characters of Windows. A name Windows reserves for a device
    (``CON``, ``NUL``, ``COM1``, ...) gets a ``_`` appended. ``default``
    if nothing is left (a name of punctuation only)."""
    text = unicodedata.normalize("NFC", name).lower()
    out: list[str] = []
    for c in text:
        if _kept(c):
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    base = "".join(out).strip("-")
    encoded = base.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        base = encoded[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip("-")
    if not base:
        base = default
    if base.upper() in _RESERVED:
        base += "_"
    return base


def file_names(names: Iterable[str], default: str = "scenario") -> list[str]:
    """:func:`file_name` of each of ``names``, made unique by ``-2``,
    ``-3``, ... where two would be the same — ignoring case, as the file
    systems of Windows and macOS do (``"Fire"`` and ``"fire?"`` give
    ``fire`` and ``fire-2``)."""
    used: set[str] = set()
    out: list[str] = []
    for name in names:
        base = file_name(name, default)
        candidate, k = base, 2
        while candidate.casefold() in used:
            candidate, k = f"{base}-{k}", k + 1
        used.add(candidate.casefold())
        out.append(candidate)
    return out


# ------------------------------------------------------------ pandas tables
def _shown(value: Any, kind: Optional[str], currency: str) -> Any:
    """A value of a money table as it is displayed."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if kind == "money":
        return "NaN" if math.isnan(value) else money(value, currency)
    if kind == "count":
        return "NaN" if math.isnan(value) else f"{value:,.0f}"
    return value


def _repr(formatted: Any, original: Any) -> str:
    with pd.option_context("display.unicode.east_asian_width", True):
        text: str = formatted.to_string(**_repr_options(original))
    return text


def _repr_options(original: Any) -> dict[str, Any]:
    if isinstance(original, pd.Series):
        return {"name": original.name is not None, "dtype": False,
                "max_rows": pd.get_option("display.max_rows"),
                "min_rows": pd.get_option("display.min_rows")}
    return {"max_rows": pd.get_option("display.max_rows"),
            "min_rows": pd.get_option("display.min_rows"),
            "max_cols": pd.get_option("display.max_columns"),
            "show_dimensions": pd.get_option("display.show_dimensions") is True}


class MoneySeries(pd.Series):
    """A pandas Series of amounts that *displays* them as money
    (:func:`money`, in :attr:`currency`): no scientific notation, ``¥3.11億``
    for 310,765,853 yen. The values stay the exact floats: ``s["mean"]``,
    arithmetic and ``to_csv`` see the numbers; results of operations are
    ordinary Series. Index labels in :attr:`counts` (such as ``"trials"``)
    are shown as whole numbers."""

    _metadata = ["currency", "counts"]

    currency: str
    """Currency of the amounts (an ISO code such as ``"JPY"``, or ``""``)."""
    counts: tuple[str, ...]
    """Labels of the values that are counts, not money."""

    @classmethod
    def of(cls, values: Mapping[str, float] | pd.Series, currency: str, *,
           name: Optional[str] = None, counts: Sequence[str] = ()) -> MoneySeries:
        """The amounts ``values`` in ``currency``."""
        series = cls(values, dtype="float64", name=name)
        if isinstance(values, pd.Series):
            series.index.name = values.index.name
        series.currency = currency
        series.counts = tuple(counts)
        return series

    def _formatted(self) -> pd.Series:
        currency = getattr(self, "currency", "")
        counts = set(getattr(self, "counts", ()))
        shown = [_shown(v, "count" if k in counts else "money", currency)
                 for k, v in self.items()]
        return pd.Series(shown, index=self.index, name=self.name, dtype="object")

    def __repr__(self) -> str:
        text = _repr(self._formatted(), self)
        dtype = f"dtype: {self.dtype}"
        return f"{text}, {dtype}" if self.name is not None else f"{text}\n{dtype}"


class MoneyFrame(pd.DataFrame):
    """A pandas DataFrame whose columns of amounts display as money
    (:func:`money`, in :attr:`currency`), in the terminal and in notebooks,
    and whose columns of counts display as whole numbers; the values stay
    the exact floats, and results of operations are ordinary DataFrames."""

    _metadata = ["currency", "kinds"]

    currency: str
    """Currency of the amounts."""
    kinds: dict[str, str]
    """Column name → ``"money"`` or ``"count"``; other columns display as
    pandas displays them."""

    @classmethod
    def of(cls, frame: pd.DataFrame, currency: str, *, money_columns: Sequence[str] = (),
           count_columns: Sequence[str] = ()) -> MoneyFrame:
        """``frame`` with its ``money_columns`` in ``currency``."""
        out = cls(frame)
        out.currency = currency
        out.kinds = {**{c: "money" for c in money_columns},
                     **{c: "count" for c in count_columns}}
        return out

    def _formatted(self) -> pd.DataFrame:
        currency = getattr(self, "currency", "")
        kinds: dict[str, str] = getattr(self, "kinds", {})
        plain = pd.DataFrame(self)
        shown = plain.copy()
        for column, kind in kinds.items():
            if column in shown.columns:
                shown[column] = pd.Series([_shown(v, kind, currency) for v in plain[column]],
                                          index=plain.index, dtype="object")
        return shown

    def __repr__(self) -> str:
        return _repr(self._formatted(), self)

    def _repr_html_(self) -> Optional[str]:
        html: Optional[str] = self._formatted()._repr_html_()  # type: ignore[operator]
        return html
