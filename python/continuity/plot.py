"""Charts of losses, recovery plans, sensitivities and mitigations (matplotlib).

Every function draws on the Axes ``ax`` it is given, or on a new figure if
none is given, and returns the Axes; nothing is shown (call
``matplotlib.pyplot.show()`` or ``ax.figure.savefig(...)`` yourself).
:mod:`matplotlib.pyplot` is imported only to make a new figure, so choosing a
backend (``matplotlib.use("Agg")``) still works after importing this module.

>>> import continuity as ct
>>> from continuity import plot
>>> model = ct.load_model("examples/hospital.json")
>>> ax = plot.gantt(model.plan_recovery("ransomware through the VPN"))
>>> ax.figure.savefig("recovery.png")

Charts: :func:`exceedance` (loss exceedance curve with VaR marks),
:func:`histogram` (annual loss distribution), :func:`gantt` (recovery
schedule), :func:`capacity` (output of business functions over time),
:func:`tornado` (sensitivity of an incident's cost), :func:`mitigations` and
:func:`mitigation_exceedance` (what measures buy).

**Japanese text.** Names written in Japanese (or Chinese or Korean) show in
every chart: each chart's text keeps matplotlib's font (DejaVu Sans unless
you configured another), and the characters that font lacks are taken from
a CJK font — the first installed of :data:`CJK_FONTS` (Noto Sans CJK JP on
Linux, Yu Gothic or Meiryo on Windows, Hiragino Sans on macOS, ...), or else
IPAexGothic, which the package ``matplotlib-fontja`` (a dependency) ships.
:func:`set_font` chooses another font, or none; :func:`font` tells which is
used. Only the text of these charts is touched: matplotlib's settings
(``rcParams``) stay as they are, and importing this module changes nothing;
the first chart registers the shipped font file with matplotlib's font
manager if it is needed. matplotlib lists the system's fonts once and keeps
the list in its cache (``matplotlib.get_cachedir()``): delete the cache to
have a font installed later found.

**Amounts** on the axes and in the labels are written as
:func:`continuity.formatting.money` writes them, in the currency of the
losses (a simulation's is the model's) or the ``currency`` given: ``¥8,200万``,
``¥3.11億`` for yen, ``$1.23M`` otherwise.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Callable, Literal, Optional, Sequence, TypeVar, Union, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import (FuncFormatter, LogLocator, MaxNLocator, NullFormatter,
                               NullLocator)

from .errors import ValueError_
from .formatting import money
from .loss import LossStatistics, MitigationComparison, SimulationResult
from .recovery import RecoveryPlan

__all__ = [
    "CJK_FONTS",
    "set_font",
    "font",
    "PHASE_COLORS",
    "TimeUnit",
    "LossInput",
    "exceedance",
    "histogram",
    "gantt",
    "capacity",
    "tornado",
    "mitigations",
    "mitigation_exceedance",
]

PHASE_COLORS: dict[str, str] = {
    "emergency": "#E69F00",
    "permanent": "#0072B2",
    "data_reentry": "#009E73",
}
"""Colours of the Gantt bars: emergency-phase steps, permanent-phase steps and
data re-entry (colour-blind safe)."""

TimeUnit = Literal["auto", "h", "d"]
"""Time axis of the recovery charts: hours, days, or ``"auto"`` (days when
the chart spans more than a week)."""

LossInput = Union[SimulationResult, LossStatistics, npt.ArrayLike]
"""Losses to chart: a simulation result, its statistics, or a 1-D array of
annual losses (one per simulated year)."""

_LOW_COLOR = "#0072B2"
_HIGH_COLOR = "#D55E00"
_REDUCTION_COLOR = "#009E73"
_COST_COLOR = "#999999"
_RTO_COLOR = "#444444"
_APPETITE_COLOR = "#C00000"
_STEP_KINDS = ("step", "data_reentry")
_DAYS_AFTER_H = 168.0
_MAX_CURVE_POINTS = 20_000

# gids of the artists drawn, so that later calls (and tests) can find them
_GID_CURVE = "continuity-exceedance"
_GID_VAR = "continuity-var"
_GID_RTO = "continuity-rto"
_GID_BARS = "continuity-bars"
_GID_APPETITE = "continuity-appetite"


# ------------------------------------------------------------------- fonts
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "Source Han Sans",  # any
    "Yu Gothic", "Meiryo",                                    # Windows
    "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Hiragino Kaku Gothic Pro",  # macOS
    "IPAexGothic", "IPAGothic", "TakaoGothic", "VL Gothic",   # Linux
    "MS Gothic",                                              # older Windows
    "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR",
)
"""Fonts with Japanese characters the charts look for, in this order, when
no font was chosen with :func:`set_font`; if none is installed, they use
IPAexGothic from the package ``matplotlib-fontja``."""

_SHIPPED_FONT = ("matplotlib_fontja", "fonts", "ipaexg.ttf")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_font_chosen = False
_font_family: Optional[str] = None


def _installed_fonts() -> dict[str, str]:
    """The family names matplotlib knows, by their lower-case form."""
    from matplotlib import font_manager

    return {f.name.lower(): f.name for f in font_manager.fontManager.ttflist}


def _register(path: Path) -> str:
    """Makes the font file at ``path`` known to matplotlib; its family name."""
    from matplotlib import font_manager

    fname = str(path.resolve())
    try:
        family = font_manager.FontProperties(fname=fname).get_name()
        if all(f.fname != fname for f in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(fname)
    except (OSError, RuntimeError, ValueError) as e:
        raise ValueError_(f"chart font: font: cannot read the font file '{path}' ({e})",
                          "chart font", str(path), "font") from None
    return str(family)


def _shipped_font() -> Optional[Path]:
    """IPAexGothic of the package matplotlib-fontja, found without importing
    it (its import changes matplotlib's settings)."""
    spec = importlib.util.find_spec(_SHIPPED_FONT[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*_SHIPPED_FONT[1:])
    return path if path.is_file() else None


def _automatic_font() -> Optional[str]:
    installed = _installed_fonts()
    for name in CJK_FONTS:
        if name.lower() in installed:
            return installed[name.lower()]
    shipped = _shipped_font()
    return _register(shipped) if shipped is not None else None


def set_font(font: Union[str, os.PathLike[str], None] = "auto") -> Optional[str]:
    """Chooses the font of the Japanese (Chinese, Korean) characters in the
    charts drawn from now on, and returns its family name.

    ``font`` is ``"auto"`` (the default: the first installed of
    :data:`CJK_FONTS`, else IPAexGothic from matplotlib-fontja), the family
    name of an installed font (``"Yu Gothic"``, ``"Noto Sans CJK JP"``), the
    path of a font file (``.ttf``, ``.otf`` or ``.ttc``), or ``None`` for
    no font of the package's choosing (the charts then use matplotlib's
    fonts alone, as configured in ``rcParams``). A font that is neither
    installed nor a readable file is a
    :class:`~continuity.errors.ValueError_` naming it."""
    global _font_chosen, _font_family
    if font is None:
        family = None
    elif isinstance(font, str) and font == "auto":
        family = _automatic_font()
    elif isinstance(font, os.PathLike) or (isinstance(font, str) and (
            font.lower().endswith(_FONT_SUFFIXES) or "/" in font or os.sep in font)):
        path = Path(font)
        if not path.is_file():
            raise ValueError_(f"chart font: font: no font file '{path}'", "chart font",
                              str(path), "font")
        family = _register(path)
    elif isinstance(font, str):
        installed = _installed_fonts()
        if font.lower() not in installed:
            found = [n for n in CJK_FONTS if n.lower() in installed]
            raise ValueError_(
                f"chart font: font: no installed font named '{font}' (fonts with Japanese "
                f"characters installed: {', '.join(found) or 'none'}); give the name of "
                f"an installed font, the path of a font file (.ttf, .otf, .ttc), or 'auto'",
                "chart font", font, "font")
        family = installed[font.lower()]
    else:
        raise TypeError(f"set_font: font must be a font name, a path or None, "
                        f"got {type(font).__name__}")
    _font_chosen, _font_family = True, family
    return family


def font() -> Optional[str]:
    """The family name of the font the charts take Japanese (Chinese,
    Korean) characters from (chosen with :func:`set_font`, by default
    automatically when first needed), or None if the package chooses none."""
    if not _font_chosen:
        set_font("auto")
    return _font_family


@contextlib.contextmanager
def _chosen_font(font: Union[str, os.PathLike[str], None]) -> Iterator[Optional[str]]:
    """:func:`set_font` for the charts drawn inside the ``with`` block; the
    choice made before is restored after it."""
    global _font_chosen, _font_family
    before = _font_chosen, _font_family
    try:
        yield set_font(font)
    finally:
        _font_chosen, _font_family = before


def _apply_font(ax: Axes) -> None:
    """Adds the CJK font to the fonts of every text of ``ax`` (titles,
    labels, tick labels, annotations, legend), after the fonts it has."""
    family = font()
    if family is None:
        return
    for text in ax.findobj(Text):
        assert isinstance(text, Text)
        if text.get_fontweight() == "bold" and text.get_text().isascii() and text.get_text():
            continue  # no Japanese to show; and IPAexGothic has no bold, as matplotlib says
        families = list(text.get_fontfamily())
        if family not in families:
            text.set_fontfamily([*families, family])


_Chart = TypeVar("_Chart", bound=Callable[..., Axes])


def _chart(draw: _Chart) -> _Chart:
    """A chart function whose Axes gets the CJK font (:func:`_apply_font`)."""
    @functools.wraps(draw)
    def drawn(*args: Any, **kwargs: Any) -> Axes:
        ax = draw(*args, **kwargs)
        _apply_font(ax)
        return ax

    return cast(_Chart, drawn)


# ----------------------------------------------------------------- helpers
def _axes(ax: Optional[Axes], figsize: tuple[float, float], caller: str) -> Axes:
    """``ax``, or the Axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"{caller}: ax must be a matplotlib Axes or None, "
                            f"got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _statistics(losses: LossInput, caller: str) -> LossStatistics:
    """The loss statistics of any accepted loss input."""
    if isinstance(losses, SimulationResult):
        return losses.statistics
    if isinstance(losses, LossStatistics):
        return losses
    expected = "a SimulationResult, a LossStatistics or a 1-D array of annual losses"
    if isinstance(losses, (str, bytes, Mapping)) or losses is None:
        raise TypeError(f"{caller}: expected {expected}, got {type(losses).__name__}")
    try:
        a = np.asarray(losses, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}: expected {expected}, got {type(losses).__name__} "
                        f"that is not numeric") from None
    if a.ndim == 0:
        raise TypeError(f"{caller}: expected {expected}, got a single number")
    if a.ndim != 1:
        raise ValueError(f"{caller}: losses must be 1-D (one per simulated year), "
                         f"got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{caller}: no losses to chart (0 trials)")
    return LossStatistics(a)


def _check_plan(plan: Any, caller: str) -> RecoveryPlan:
    if not isinstance(plan, RecoveryPlan):
        raise TypeError(f"{caller}: expected a RecoveryPlan (from Model.plan_recovery), "
                        f"got {type(plan).__name__}")
    return plan


def _check_count(value: Any, name: str, caller: str, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{caller}: {name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{caller}: {name} must be at least 1, got {value}")


def _money_axis(currency: str) -> FuncFormatter:
    """Tick labels of an axis of amounts in ``currency``."""
    return FuncFormatter(lambda x, _pos: money(x, currency))


def _currency_of(losses: Any, currency: Optional[str]) -> str:
    """``currency`` if given, else that of the losses ("" if not known)."""
    if currency is not None:
        return currency
    if isinstance(losses, (SimulationResult, LossStatistics)):
        return losses.currency
    return ""


def _percent(p: float, _pos: Optional[int] = None) -> str:
    """A probability as a percentage: 12.3%, 0.05%."""
    return f"{100 * p:.3g}%"


def _hours(h: float) -> str:
    """A duration in hours, as people write it: 3 h, 2.5 d."""
    if h >= 48:
        return f"{h / 24:.3g} d"
    return f"{h:.3g} h"


def _amount_label(what: str, currency: Optional[str]) -> str:
    return f"{what} ({currency})" if currency else what


def _note(ax: Axes, text: str) -> None:
    """Writes ``text`` in the middle of an empty chart."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize="medium", color="0.35")


def _time_scale(span_h: float, unit: str, log_time: bool, caller: str) -> tuple[float, str]:
    """Hours per axis unit and the axis label."""
    if unit not in ("auto", "h", "d"):
        raise ValueError(f"{caller}: time_unit must be 'auto', 'h' or 'd', got {unit!r}")
    if log_time:
        return 1.0, "time after the incident (logarithmic beyond 1 h)"
    if unit == "d" or (unit == "auto" and span_h > _DAYS_AFTER_H):
        return 24.0, "days after the incident"
    return 1.0, "hours after the incident"


_LOG_TICKS = ((0.0, "0"), (1.0, "1 h"), (3.0, "3 h"), (6.0, "6 h"), (12.0, "12 h"),
              (24.0, "1 d"), (48.0, "2 d"), (96.0, "4 d"), (168.0, "1 w"), (336.0, "2 w"),
              (720.0, "1 mo"), (1440.0, "2 mo"), (4380.0, "6 mo"), (8760.0, "1 y"),
              (17520.0, "2 y"), (43800.0, "5 y"))


def _time_axis(ax: Axes, per_unit: float, label: str, end: float, log_time: bool) -> None:
    """Scale, limits, ticks and label of a time axis from 0 to ``end`` hours."""
    ax.set_xlabel(label)
    if log_time:
        ax.set_xscale("symlog", linthresh=1.0, linscale=0.4)
        ax.set_xlim(0.0, end)
        ticks = [(t, text) for t, text in _LOG_TICKS if t <= end]
        ax.set_xticks([t for t, _ in ticks], [text for _, text in ticks])
        ax.xaxis.set_minor_locator(NullLocator())
        return
    ax.set_xlim(0.0, end / per_unit)
    steps = [1, 2, 2.5, 5, 10] if per_unit > 1 else [1, 1.2, 2.4, 3, 6, 10]
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=steps))


def _x_fraction(ax: Axes, x: float) -> float:
    """Where ``x`` lies across the x axis (0: left, 1: right), in any scale."""
    t = ax.xaxis.get_transform()
    lo, hi = ax.get_xlim()
    a, b, c = (float(v) for v in t.transform(np.array([lo, hi, x])))
    return (c - a) / (b - a) if b != a else 0.0


def _default_title(ax: Axes, title: str) -> None:
    if not ax.get_title():
        ax.set_title(title)


def _wrap(name: str, width: int = 34) -> str:
    return textwrap.fill(name, width=width, break_long_words=False, break_on_hyphens=False)


# -------------------------------------------------------------- exceedance
def _exceedance_points(sorted_losses: npt.NDArray[np.float64]
                       ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Vertices of the empirical exceedance curve P(L > x): each distinct loss
    x with the share of losses above it, preceded by (0, 1) when every loss
    is positive; thinned to about ``_MAX_CURVE_POINTS`` vertices for large
    simulations (every vertex stays exact)."""
    n = sorted_losses.size
    x = np.unique(sorted_losses)
    p = (n - np.searchsorted(sorted_losses, x, side="right")) / n
    if x.size > _MAX_CURVE_POINTS:
        k = _MAX_CURVE_POINTS // 4
        above = n - np.searchsorted(sorted_losses, x, side="right")
        keep = np.unique(np.concatenate([
            np.arange(x.size - k, x.size),                                    # the tail
            np.linspace(0, x.size - 1, k).round().astype(np.intp),           # linear x
            # evenly spaced in log probability
            np.searchsorted(-above, -np.geomspace(max(above[0], 1), 1, 2 * k)).clip(0, x.size - 1),
        ]))
        x, p = x[keep], p[keep]
    if x[0] > 0:
        x = np.concatenate([[0.0], x])
        p = np.concatenate([[1.0], p])
    return x, p


@_chart
def exceedance(losses: LossInput, *, ax: Optional[Axes] = None, log: bool = True,
               var_levels: Sequence[float] = (0.95, 0.99), label: Optional[str] = None,
               currency: Optional[str] = None,
               risk_appetite: Sequence[tuple[float, float]] = ()) -> Axes:
    """Draws the loss exceedance curve P(annual loss > x) against x.

    ``losses`` is a :class:`~continuity.SimulationResult`, a
    :class:`~continuity.LossStatistics` or a 1-D array of annual losses. The
    curve is the empirical one, a step at each simulated loss; call again on
    the same ``ax`` to overlay several curves (each takes the next colour,
    ``label`` names it in the legend). ``log`` puts the probability on a
    logarithmic axis (down to one trial in all), which shows the tail. At each
    of ``var_levels`` a dotted vertical line marks the value at risk
    (:meth:`LossStatistics.value_at_risk`), annotated with the level and
    amount. Amounts are in ``currency``, by default that of the losses (a
    simulation's is the model's), which the loss axis names.

    ``risk_appetite`` draws the organisation's risk appetite: pairs (loss,
    probability), each saying that a year losing more than ``loss`` is
    accepted with at most that probability. Each pair is a red marker; the
    tolerance they make (at each loss, the smallest probability accepted at
    it or below) is a red dashed step line with the region above it shaded:
    where the curve enters the shade, the losses exceed the appetite.
    """
    caller = "exceedance"
    stats = _statistics(losses, caller)
    currency = _currency_of(losses, currency)
    if isinstance(var_levels, (str, bytes)) or not isinstance(var_levels, Iterable):
        raise TypeError(f"{caller}: var_levels must be a sequence of levels such as "
                        f"(0.95, 0.99), got {type(var_levels).__name__}")
    levels = [float(v) for v in var_levels]
    for v in levels:
        if not 0.0 < v < 1.0:
            raise ValueError(f"{caller}: var_levels must lie strictly between 0 and 1, got {v}")
    ax = _axes(ax, (7.0, 4.5), caller)
    earlier = any(line.get_gid() == _GID_CURVE for line in ax.get_lines())
    old_x, old_y = ax.get_xlim(), ax.get_ylim()

    sorted_losses = stats.sorted_losses
    n = sorted_losses.size
    x, p = _exceedance_points(sorted_losses)
    (line,) = ax.plot(x, p, drawstyle="steps-post", label=label, gid=_GID_CURVE, lw=1.5)
    color = line.get_color()

    if log:
        bottom, top = 0.5 / n, 1.3
        if earlier and old_y[0] > 0:
            bottom = min(bottom, old_y[0])
    else:
        peak = float(p.max())
        bottom, top = 0.0, 1.04 * peak if peak > 0 else 1.0
        if earlier:
            top = max(top, old_y[1])
    if log:
        # limits first: they turn autoscaling off, which would warn about
        # data without a positive value (all losses 0)
        ax.set_ylim(bottom, top)
        ax.set_yscale("log", nonpositive="clip")
        ax.yaxis.set_minor_formatter(NullFormatter())
    else:
        ax.set_yscale("linear")
    ax.set_ylim(bottom, top)
    ax.yaxis.set_major_formatter(FuncFormatter(_percent))

    left = min(0.0, float(sorted_losses[0]))
    right = float(sorted_losses[-1]) * 1.03 if sorted_losses[-1] > 0 else 1.0
    if earlier:
        left, right = min(left, old_x[0]), max(right, old_x[1])
    ax.set_xlim(left, right)
    ax.xaxis.set_major_formatter(_money_axis(currency))

    for level in levels:
        var = stats.value_at_risk(level)
        ax.axvline(var, color=color, ls=":", lw=1.2, gid=_GID_VAR)
        ax.plot([var], [1.0 - level], marker="o", ms=4, color=color)
        ax.annotate(f"VaR {100 * level:g}%: {money(var, currency)}", xy=(var, 1.0 - level),
                    xytext=(4, 3), textcoords="offset points", fontsize="small", color=color)

    if risk_appetite:
        _draw_appetite(ax, risk_appetite, currency, caller)
    if sorted_losses[-1] <= 0 and not earlier:
        _note(ax, f"no loss in any of the {n:,} simulated years")
    ax.set_xlabel(_amount_label("annual loss", currency))
    ax.set_ylabel("P(annual loss > x)")
    ax.grid(True, which="major", alpha=0.3)
    if label is not None:
        ax.legend(loc="upper right", fontsize="small")
    return ax


def _draw_appetite(ax: Axes, points: Sequence[tuple[float, float]], currency: str,
                   caller: str) -> None:
    """The risk appetite on an exceedance chart (see :func:`exceedance`)."""
    pairs = []
    for point in points:
        try:
            loss, probability = (float(v) for v in point)
        except (TypeError, ValueError):
            raise TypeError(f"{caller}: risk_appetite must hold pairs (loss, probability), "
                            f"got {point!r}") from None
        if not (math.isfinite(loss) and loss >= 0 and 0 < probability < 1):
            raise ValueError(f"{caller}: risk_appetite: a loss of at least 0 and a probability "
                             f"strictly between 0 and 1, got ({loss!r}, {probability!r})")
        pairs.append((loss, probability))
    pairs.sort()
    left, right = ax.get_xlim()
    right = max(right, 1.08 * pairs[-1][0])
    bottom, top = ax.get_ylim()
    xs, ys = [], []
    tolerance = 1.0
    for loss, probability in pairs:
        tolerance = min(tolerance, probability)
        xs.append(loss)
        ys.append(tolerance)
    xs.append(right)
    ys.append(ys[-1])
    ax.step(xs, ys, where="post", color=_APPETITE_COLOR, ls="--", lw=1.3, gid=_GID_APPETITE,
            label="risk appetite")
    ax.fill_between(xs, ys, [top] * len(ys), step="post", color=_APPETITE_COLOR, alpha=0.08,
                    lw=0)
    for loss, probability in pairs:
        ax.plot([loss], [probability], marker="v", ms=7, color=_APPETITE_COLOR, ls="none")
        ax.annotate(f"appetite: {money(loss, currency)} at {_percent(probability)}",
                    xy=(loss, probability), xytext=(4, -11), textcoords="offset points",
                    fontsize="small", color=_APPETITE_COLOR)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)


@_chart
def histogram(losses: LossInput, *, ax: Optional[Axes] = None, bins: int = 50,
              log: bool = False, include_zero: bool = False,
              currency: Optional[str] = None) -> Axes:
    """Draws the distribution of the annual loss as a histogram.

    Each bar's height is the share of all simulated years whose loss falls in
    it. Most years of a rare-incident model have no loss; by default only the
    years with a loss are drawn (so the bars add up to P(loss > 0), which the
    legend states), ``include_zero`` draws all of them. ``log`` puts the loss
    on a logarithmic axis with ``bins`` logarithmically spaced bins, which
    separates incidents of very different sizes (it needs
    ``include_zero=False``). A dashed line marks the mean (the ALE).
    Amounts are in ``currency``, by default that of the losses, which the
    loss axis names.
    """
    caller = "histogram"
    stats = _statistics(losses, caller)
    currency = _currency_of(losses, currency)
    _check_count(bins, "bins", caller)
    if log and include_zero:
        raise ValueError(f"{caller}: include_zero=True needs log=False: a loss of 0 has no "
                         "place on a logarithmic axis")
    ax = _axes(ax, (7.0, 4.5), caller)

    sorted_losses = stats.sorted_losses
    n = sorted_losses.size
    positive = sorted_losses[sorted_losses > 0]
    p_loss = positive.size / n
    data = sorted_losses if include_zero else positive
    stated = f"P(loss > 0) = {_percent(p_loss)} ({positive.size:,} of {n:,} years)"

    ax.set_xlabel(_amount_label("annual loss", currency))
    ax.set_ylabel("share of simulated years")
    ax.yaxis.set_major_formatter(FuncFormatter(_percent))
    if data.size == 0:
        ax.xaxis.set_major_formatter(_money_axis(currency))
        ax.set_xlim(0.0, 1.0)
        _note(ax, f"no loss in any of the {n:,} simulated years")
        return ax

    lo, hi = float(data.min()), float(data.max())
    if log:
        if lo == hi:
            lo, hi = lo / 1.5, hi * 1.5
        edges = np.geomspace(lo, hi, bins + 1)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        lo = min(lo, 0.0)
        if hi <= lo:
            hi = lo + 1.0
        edges = np.linspace(lo, hi, bins + 1)
    ax.xaxis.set_major_formatter(_money_axis(currency))
    counts, edges = np.histogram(data, bins=edges)
    heights = counts / n
    label = stated if not include_zero else f"all years; {stated}"
    bars = ax.bar(edges[:-1], heights, width=np.diff(edges), align="edge", color=_LOW_COLOR,
                  edgecolor="white", linewidth=0.3, label=label, gid=_GID_BARS)
    handles: list[Any] = [bars]
    if stats.mean > 0:
        handles.append(ax.axvline(stats.mean, color="black", ls="--", lw=1.2,
                                  label=f"mean (ALE) {money(stats.mean, currency)}"))
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0.0, 1.3 * float(heights.max()) if heights.max() > 0 else 1.0)
    ax.legend(handles=handles, loc="best", fontsize="small")
    return ax


# ------------------------------------------------------------------- plans
def _lanes(starts: Sequence[float], finishes: Sequence[float]) -> tuple[list[int], int]:
    """Assigns intervals (sorted by start) to the fewest lanes in which they
    do not overlap."""
    ends: list[float] = []
    lanes: list[int] = []
    for s, f in zip(starts, finishes):
        for k, e in enumerate(ends):
            if e <= s + 1e-9:
                ends[k] = f
                lanes.append(k)
                break
        else:
            ends.append(f)
            lanes.append(len(ends) - 1)
    return lanes, max(1, len(ends))


def _down_rtos(plan: RecoveryPlan, names: Optional[Sequence[str]] = None) -> pd.Series:
    """Finite RTOs of the functions the incident stops (of ``names``)."""
    f = plan.functions
    down = f[f["down"].astype(bool) & np.isfinite(f["rto_h"].to_numpy(dtype=np.float64))]
    if names is not None:
        down = down[down.index.isin(list(names))]
    rto: pd.Series = down["rto_h"].astype(float)
    return rto


@_chart
def gantt(plan: RecoveryPlan, *, ax: Optional[Axes] = None, max_systems: Optional[int] = None,
          time_unit: TimeUnit = "auto", log_time: bool = False) -> Axes:
    """Draws the recovery schedule of ``plan`` as a Gantt chart.

    One row per damaged system, in the order the systems are back (the
    first ``max_systems`` of them if given). Each recovery step is a bar from
    its start to its finish, coloured by phase (:data:`PHASE_COLORS`:
    emergency, permanent, data re-entry); steps of one system that run at
    the same time share its row in thinner lanes. Diamonds mark when a system
    is back (hollow) and back at full capacity (filled). Dashed vertical
    lines mark the RTO of every business function the incident stops,
    labelled with the functions' names (one line per distinct RTO). Times
    are in hours, or days when the plan spans more than a week
    (``time_unit``); ``log_time`` uses a time axis in hours that is
    logarithmic beyond the first hour, which shows the first hours of a
    recovery that lasts months (ticks read 1 h, 1 d, 1 w, 1 mo, ...).
    """
    caller = "gantt"
    plan = _check_plan(plan, caller)
    _check_count(max_systems, "max_systems", caller, allow_none=True)
    timeline = plan.timeline
    systems = plan.systems
    damaged = [s for s in systems.index if bool(systems.at[s, "damaged"])]
    rows = list(plan.recovery_order)
    rows += [s for s in damaged if s not in rows]
    steps = timeline[timeline["kind"].isin(_STEP_KINDS)]
    rows += [s for s in dict.fromkeys(steps["system"]) if s not in rows]
    total = len(rows)
    if max_systems is not None:
        rows = rows[:max_systems]
    steps = steps[steps["system"].isin(rows)]
    marks = timeline[timeline["kind"].isin(("back_degraded", "back_full")) &
                     timeline["system"].isin(rows)]
    rtos = _down_rtos(plan)

    figsize = (10.0, max(3.2, 0.42 * len(rows) + 0.3 * rtos.nunique() + 1.8))
    ax = _axes(ax, figsize, caller)
    title = f"Recovery from '{plan.scenario}'"
    if len(rows) < total:
        title += f" (first {len(rows)} of {total} systems)"
    _default_title(ax, title)
    if not rows:
        per_unit, xlabel = _time_scale(0.0, time_unit, log_time, caller)
        _time_axis(ax, per_unit, xlabel, 24.0, log_time)
        ax.set_yticks([])
        _note(ax, "no system is damaged: nothing to recover")
        return ax

    end = max([0.0, *steps["finish_h"], *marks["finish_h"], *rtos])
    end = end * (1.1 if log_time else 1.03) if end > 0 else 1.0
    per_unit, xlabel = _time_scale(end, time_unit, log_time, caller)
    _time_axis(ax, per_unit, xlabel, end, log_time)
    row_of = {s: i for i, s in enumerate(rows)}

    # bars, in timeline order; lanes for steps of one system that overlap
    lane = np.zeros(len(steps), dtype=np.intp)
    lanes_of = {s: 1 for s in rows}
    for system, group in steps.groupby("system", sort=False):
        order = np.argsort(group["start_h"].to_numpy(), kind="stable")
        assigned, count = _lanes(list(group["start_h"].to_numpy()[order]),
                                 list(group["finish_h"].to_numpy()[order]))
        positions = np.flatnonzero(steps["system"].to_numpy() == system)
        lane[positions[order]] = assigned
        lanes_of[str(system)] = count
    height = np.array([0.8 / lanes_of[s] for s in steps["system"]])
    y = np.array([row_of[s] - 0.4 for s in steps["system"]]) + (lane + 0.5) * height
    colors = [PHASE_COLORS["data_reentry"] if k == "data_reentry" else
              PHASE_COLORS.get(ph, PHASE_COLORS["emergency"])
              for k, ph in zip(steps["kind"], steps["phase"])]
    start = steps["start_h"].to_numpy(dtype=np.float64)
    finish = steps["finish_h"].to_numpy(dtype=np.float64)
    ax.barh(y, (finish - start) / per_unit, height=height * 0.92, left=start / per_unit,
            color=colors, edgecolor="white", linewidth=0.4, gid=_GID_BARS, zorder=2)

    handles: list[Any] = []
    present = set(colors)
    for key, name in (("emergency", "emergency phase"), ("permanent", "permanent phase"),
                      ("data_reentry", "data re-entry")):
        if PHASE_COLORS[key] in present:
            handles.append(Patch(color=PHASE_COLORS[key], label=name))
    for kind, face, name in (("back_degraded", "white", "back in service"),
                             ("back_full", "black", "back at full capacity")):
        m = marks[marks["kind"] == kind]
        if len(m):
            ax.plot(m["finish_h"] / per_unit, [row_of[s] for s in m["system"]], ls="none",
                    marker="D", ms=5, mfc=face, mec="black", mew=0.8, zorder=4)
            handles.append(Line2D([], [], ls="none", marker="D", ms=5, mfc=face, mec="black",
                                  mew=0.8, label=name))

    # RTO lines, one per distinct RTO, each labelled in its own line of a
    # band above the rows (the earliest on top, so no line crosses a label
    # written to its right)
    by_rto: dict[float, list[str]] = {}
    for function, rto in rtos.items():
        by_rto.setdefault(float(rto), []).append(str(function))
    groups = sorted(by_rto.items())
    band = 0.55
    bottom = len(rows) - 0.5
    top = -0.5 - band * len(groups)
    ax.set_ylim(bottom, top)
    for k, (rto, names) in enumerate(groups):
        x = rto / per_unit
        y_label = top + band * (k + 0.5)
        ax.plot([x, x], [bottom, y_label], ls="--", lw=1.0, color=_RTO_COLOR, gid=_GID_RTO,
                zorder=3)
        right = _x_fraction(ax, x) > 0.6
        ax.annotate(f"RTO {_hours(rto)}: {', '.join(names)}",
                    xy=(x, y_label), xytext=(-4 if right else 4, 0), textcoords="offset points",
                    ha="right" if right else "left", va="center", fontsize="small",
                    color=_RTO_COLOR)
    if groups:
        handles.append(Line2D([], [], ls="--", lw=1.0, color=_RTO_COLOR,
                              label="RTO of the functions stopped"))

    ax.set_yticks(range(len(rows)), [_wrap(s, 30) for s in rows], fontsize="small")
    ax.tick_params(axis="y", length=0)
    ax.grid(True, axis="x", alpha=0.3, zorder=0)
    ax.set_axisbelow(True)
    ax.legend(handles=handles, loc="best", fontsize="small", framealpha=0.9)
    return ax


def _dodge_offsets(count: int) -> npt.NDArray[np.float64]:
    """Vertical offsets (percentage points) that keep ``count`` curves at the
    same output apart: at most 0.6 points between neighbours, ±1.5 in all."""
    step = min(0.6, 3.0 / max(count - 1, 1))
    return (np.arange(count, dtype=np.float64) - 0.5 * (count - 1)) * step


@_chart
def capacity(plan: RecoveryPlan, functions: Optional[Sequence[str]] = None, *,
             ax: Optional[Axes] = None, time_unit: TimeUnit = "auto",
             log_time: bool = False, dodge: bool = True) -> Axes:
    """Draws the output of business functions over time during the recovery
    of ``plan`` (:meth:`RecoveryPlan.capacity`): one step curve per function,
    in % of normal output, manual workarounds included; by default the
    functions the incident stops. With ``dodge`` the curves are shifted
    apart by less than a percentage point each (±1.5 points in all) so that
    functions at the same output stay visible; ``dodge=False`` draws them
    exactly. A dotted line marks each distinct RTO, and a dot on each
    function's curve the output it has reached by its RTO. Times are in
    hours, or days when the chart spans more than a week (``time_unit``);
    ``log_time`` as in :func:`gantt`.
    """
    caller = "capacity"
    plan = _check_plan(plan, caller)
    if isinstance(functions, str):
        raise TypeError(f"{caller}: functions must be a sequence of function names, not a "
                        f"single string (write [{functions!r}])")
    frame = plan.capacity(functions)
    names = list(dict.fromkeys(frame["function"]))
    rtos = _down_rtos(plan, names)
    ax = _axes(ax, (11.0, 5.0), caller)
    _default_title(ax, f"Output of business functions after '{plan.scenario}'")
    ax.set_ylabel("output (% of normal)")
    ax.set_ylim(-3.0, 108.0)
    if not names:
        per_unit, xlabel = _time_scale(0.0, time_unit, log_time, caller)
        _time_axis(ax, per_unit, xlabel, 24.0, log_time)
        _note(ax, "no business function is down")
        return ax

    end = max([float(frame["time_h"].max()), plan.makespan_h, *rtos])
    end = end * (1.15 if log_time else 1.05) if end > 0 else 1.0
    per_unit, xlabel = _time_scale(end, time_unit, log_time, caller)
    _time_axis(ax, per_unit, xlabel, end, log_time)
    offsets = _dodge_offsets(len(names)) if dodge else np.zeros(len(names))
    for name, offset in zip(names, offsets):
        part = frame[frame["function"] == name]
        t = np.append(part["time_h"].to_numpy(dtype=np.float64), end)
        v = part["output"].to_numpy(dtype=np.float64)
        v = np.append(v, v[-1])
        (line,) = ax.step(t / per_unit, 100.0 * v + offset, where="post", lw=1.8, label=name,
                          gid=_GID_CURVE)
        if name in rtos.index:
            rto = float(rtos[name])
            at = v[max(int(np.searchsorted(t, rto, side="right")) - 1, 0)]
            ax.plot([rto / per_unit], [100.0 * at + offset], marker="o", ms=6, ls="none",
                    color=line.get_color(), mec="black", mew=0.7, zorder=5)

    # one dotted line per distinct RTO; labels of lines too close to tell
    # apart are merged
    distinct = sorted(set(float(r) for r in rtos))
    labels: list[tuple[float, list[float]]] = []
    for rto in distinct:
        ax.axvline(rto / per_unit, color=_RTO_COLOR, ls=":", lw=1.2, gid=_GID_RTO, zorder=1)
        frac = _x_fraction(ax, rto / per_unit)
        if labels and frac - labels[-1][0] < 0.06:
            labels[-1][1].append(rto)
        else:
            labels.append((frac, [rto]))
    for _, group in labels:
        ax.annotate("RTO " + ", ".join(_hours(r) for r in group), xy=(group[0] / per_unit, 104.0),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                    fontsize="small", color=_RTO_COLOR)
    handles, _ = ax.get_legend_handles_labels()
    if len(rtos):
        handles.append(Line2D([], [], ls=":", color=_RTO_COLOR, marker="o", ms=5, mfc="white",
                              mec="black", mew=0.7,
                              label="RTO (dot: the output\nreached by then)"))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.grid(True, alpha=0.3)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              borderaxespad=0.0)
    return ax


# ------------------------------------------------------ sensitivity, value
def _tornado_base(low: npt.NDArray[np.float64], high: npt.NDArray[np.float64]) -> float:
    """The middle of the range every row's bar covers, or if the bars share
    none, the median of their midpoints."""
    lo, hi = np.minimum(low, high), np.maximum(low, high)
    a, b = float(lo.max()), float(hi.min())
    if a <= b:
        return 0.5 * (a + b)
    return float(np.median(0.5 * (lo + hi)))


@_chart
def tornado(frame: pd.DataFrame, *, ax: Optional[Axes] = None, base: Optional[float] = None,
            top: Optional[int] = 10, currency: Optional[str] = None) -> Axes:
    """Draws a tornado chart of :meth:`Model.tornado` output.

    One row per input (columns ``input``, ``low_cost``, ``high_cost``,
    ``swing``), the ``top`` largest swings, the largest on top: a bar from
    ``base`` to the cost with the input at its low value and one to the cost
    with it at its high value. ``base`` is the cost with every input at its
    point value (e.g. ``model.incident_cost(scenario).total``); by default
    the middle of the range the bars of all rows share (which is that cost
    whenever one input does not move it), or if they share none the median
    of their midpoints. The input
    values are written at the bar ends when the frame has ``low_input`` and
    ``high_input``. Costs are in ``currency`` (e.g. the model's), which the
    cost axis names.
    """
    caller = "tornado"
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{caller}: expected a DataFrame from Model.tornado(), "
                        f"got {type(frame).__name__}")
    missing = [c for c in ("input", "low_cost", "high_cost") if c not in frame.columns]
    if missing:
        raise ValueError(f"{caller}: the frame lacks the column(s) {', '.join(missing)}; "
                         "expected the output of Model.tornado()")
    _check_count(top, "top", caller, allow_none=True)
    if base is not None and (isinstance(base, bool) or not isinstance(base, (int, float))):
        raise TypeError(f"{caller}: base must be a number, got {type(base).__name__}")
    data = frame.copy()
    if "swing" not in data.columns:
        data["swing"] = (data["high_cost"] - data["low_cost"]).abs()
    data = data.sort_values("swing", ascending=False, kind="stable")
    if base is not None:
        centre = float(base)
    elif not data.empty:
        centre = _tornado_base(data["low_cost"].to_numpy(dtype=np.float64),
                               data["high_cost"].to_numpy(dtype=np.float64))
    if top is not None:
        data = data.head(top)
    ax = _axes(ax, (9.0, max(3.0, 0.5 * len(data) + 1.5)), caller)
    ax.set_xlabel(_amount_label("incident cost", currency))
    ax.xaxis.set_major_formatter(_money_axis(currency or ""))
    if data.empty:
        ax.set_yticks([])
        _note(ax, "no uncertain input")
        return ax

    low = data["low_cost"].to_numpy(dtype=np.float64)
    high = data["high_cost"].to_numpy(dtype=np.float64)
    y = np.arange(len(data))
    ax.barh(y, low - centre, left=centre, height=0.6, color=_LOW_COLOR,
            label="input at its low value", gid="continuity-low")
    ax.barh(y, high - centre, left=centre, height=0.6, color=_HIGH_COLOR,
            label="input at its high value", gid="continuity-high")
    ax.axvline(centre, color="black", lw=1.0, label=f"base {money(centre, currency or '')}",
               gid="continuity-base")

    if "low_input" in data.columns and "high_input" in data.columns:
        for yi, name, lo, hi, values in zip(y, data["input"], low, high,
                                            zip(data["low_input"], data["high_input"])):
            # each value at the end of its bar; of an input that does not
            # move the cost, the low value on the left, the high on the right
            lo_right = lo > centre or (lo == centre and hi < centre)
            hi_right = hi > centre or (hi == centre and not lo_right)
            for cost, value, right in ((lo, values[0], lo_right), (hi, values[1], hi_right)):
                text = (_hours(float(value)) if str(name).startswith("duration")
                        else money(float(value), currency or "")
                        if str(name).startswith("amount") else money(float(value)))
                ax.annotate(text, xy=(cost, yi), xytext=(3 if right else -3, 0),
                            textcoords="offset points", ha="left" if right else "right",
                            va="center", fontsize="x-small", color="0.25")
    ax.set_yticks(y, [_wrap(str(s), 40) for s in data["input"]], fontsize="small")
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.margins(x=0.12)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="best", fontsize="small")
    return ax


def _check_comparison(comparison: Any, caller: str) -> MitigationComparison:
    if not isinstance(comparison, MitigationComparison):
        raise TypeError(f"{caller}: expected a MitigationComparison (from "
                        f"compare_mitigations), got {type(comparison).__name__}")
    return comparison


@_chart
def mitigations(comparison: MitigationComparison, *, ax: Optional[Axes] = None,
                currency: Optional[str] = None) -> Axes:
    """Draws what each measure of a :class:`~continuity.MitigationComparison`
    buys: one row per measure with a bar of its ALE reduction (error bar
    ±1.96 standard errors of the paired difference, a 95% interval) next to
    a bar of its annual cost, and the ROSI ((reduction − cost) / cost)
    written beside them ("n/a" when it is not defined). Amounts are in
    ``currency``, by default the model's."""
    caller = "mitigations"
    comparison = _check_comparison(comparison, caller)
    currency = _currency_of(comparison.baseline, currency)
    table = comparison.table.drop(index="none", errors="ignore")
    ax = _axes(ax, (9.0, max(3.0, 0.8 * len(table) + 1.6)), caller)
    ax.set_xlabel(_amount_label("per year", currency))
    ax.xaxis.set_major_formatter(_money_axis(currency))
    if table.empty:
        ax.set_yticks([])
        _note(ax, "no measure to compare")
        return ax

    reduction = table["ale_reduction"].to_numpy(dtype=np.float64)
    se = table["ale_reduction_se"].to_numpy(dtype=np.float64)
    cost = table["annual_cost"].to_numpy(dtype=np.float64)
    err = np.where(np.isfinite(se), 1.96 * se, 0.0)
    y = np.arange(len(table))
    ax.barh(y - 0.2, np.nan_to_num(reduction), height=0.38, xerr=err, capsize=3,
            color=_REDUCTION_COLOR, label="ALE reduction (±1.96 SE)", gid="continuity-reduction",
            error_kw={"ecolor": "black", "elinewidth": 1.0})
    ax.barh(y + 0.2, cost, height=0.38, color=_COST_COLOR, label="annual cost",
            gid="continuity-cost")
    ax.axvline(0.0, color="black", lw=0.8)
    for yi, r, e, c, rosi in zip(y, reduction, err, cost, table["rosi"].to_numpy(np.float64)):
        text = f"ROSI {100 * rosi:+.0f}%" if math.isfinite(rosi) else "ROSI n/a"
        x = max(0.0, float(np.nan_to_num(r)) + float(e), float(c))
        ax.annotate(text, xy=(x, yi), xytext=(6, 0), textcoords="offset points",
                    va="center", ha="left", fontsize="small", fontweight="bold",
                    gid="continuity-rosi")
    ax.set_yticks(y, [_wrap(str(s), 28) for s in table.index], fontsize="small")
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.margins(x=0.18)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize="small")
    return ax


@_chart
def mitigation_exceedance(comparison: MitigationComparison, *, ax: Optional[Axes] = None,
                          log: bool = True, var_levels: Sequence[float] = (),
                          currency: Optional[str] = None) -> Axes:
    """Overlays the loss exceedance curves (:func:`exceedance`) of the
    baseline and of each measure of a :class:`~continuity.MitigationComparison`,
    so one sees which part of the tail a measure removes."""
    caller = "mitigation_exceedance"
    comparison = _check_comparison(comparison, caller)
    ax = exceedance(comparison.baseline, ax=_axes(ax, (7.5, 4.8), caller), log=log,
                    var_levels=var_levels, label="no measure", currency=currency)
    for name, stats in comparison.measures.items():
        exceedance(stats, ax=ax, log=log, var_levels=var_levels, label=name, currency=currency)
    return ax
