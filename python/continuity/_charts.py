"""The charts of an analysis (:class:`continuity._analysis.Analysis`), drawn
by :mod:`continuity.plot`: the same for the command's ``--plots`` files and
the management report's images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Optional, cast

import pandas as pd

from ._analysis import Analysis
from .recovery import RecoveryPlan

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Chart", "charts", "figure_of", "LONG_RECOVERY_H"]

LONG_RECOVERY_H = 168.0
"""A recovery longer than this (a week) is drawn on a time axis that is
logarithmic beyond the first hour, so that its first hours stay readable
beside months of permanent work."""


@dataclass(frozen=True)
class Chart:
    """One chart: where it belongs, its file name and what it shows."""

    scenario: Optional[str]
    """The scenario it is about, or None (the annual loss, the mitigations,
    the ransom decision)."""
    kind: str
    """``gantt``, ``improved-gantt``, ``capacity``, ``tornado``,
    ``exceedance``, ``histogram``, ``mitigations``, ``mitigation-exceedance``
    or ``ransom``."""
    file_name: str
    """Its PNG file's name (scenario charts start with the scenario's safe name)."""
    what: str
    """What it shows, e.g. "scenario 'fire': recovery schedule (Gantt chart)"."""
    draw: Callable[[], Axes]
    """Draws it on a new figure and returns the Axes."""


def figure_of(ax: Axes) -> Figure:
    """The figure a chart was drawn on."""
    return cast("Figure", ax.figure)


def _gantt(plan: RecoveryPlan, log_time: bool, title: Optional[str] = None
           ) -> Callable[[], Axes]:
    from . import plot

    def draw() -> Axes:
        ax = plot.gantt(plan, log_time=log_time)
        if title is not None:
            ax.set_title(title)
        return ax

    return draw


def _capacity(plan: RecoveryPlan, log_time: bool) -> Callable[[], Axes]:
    from . import plot

    return lambda: plot.capacity(plan, log_time=log_time)


def _tornado(frame: pd.DataFrame, base: float, currency: str) -> Callable[[], Axes]:
    from . import plot

    return lambda: plot.tornado(frame, base=base, currency=currency)


def charts(analysis: Analysis) -> Iterator[Chart]:
    """The charts of ``analysis``, scenario by scenario, then those of the
    simulation: only of the parts it holds (a tornado only when some input
    is uncertain)."""
    from . import plot
    from .formatting import file_names

    model, currency = analysis.model, analysis.model.currency
    bases = file_names((s.name for s in analysis.scenarios), default="scenario")
    for s, base in zip(analysis.scenarios, bases):
        of = f"scenario '{s.name}'"
        long = s.plan.makespan_h > LONG_RECOVERY_H
        yield Chart(s.name, "gantt", f"{base}-gantt.png",
                    f"{of}: recovery schedule (Gantt chart)", _gantt(s.plan, long))
        if s.improved is not None:
            yield Chart(s.name, "improved-gantt", f"{base}-improved-gantt.png",
                        f"{of}: improved recovery schedule (Gantt chart)",
                        _gantt(s.improved, long, f"Improved recovery from '{s.name}'"))
        yield Chart(s.name, "capacity", f"{base}-capacity.png",
                    f"{of}: output of the business functions", _capacity(s.plan, long))
        sensitivity = s.tornado if s.tornado is not None else model.tornado(s.name)
        if len(sensitivity) > 0:  # some input is uncertain
            yield Chart(s.name, "tornado", f"{base}-tornado.png",
                        f"{of}: what moves the incident's cost",
                        _tornado(sensitivity, s.cost.total, currency))
    result = analysis.result
    if result is not None:
        appetite = [(a.loss, a.probability) for a in analysis.appetite]
        yield Chart(None, "exceedance", "exceedance.png",
                    "annual loss exceedance curve" + (" and the risk appetite" if appetite
                                                      else ""),
                    lambda: plot.exceedance(result, currency=currency, risk_appetite=appetite))
        yield Chart(None, "histogram", "histogram.png", "annual loss distribution",
                    lambda: plot.histogram(result, currency=currency))
    comparison = analysis.comparison
    if comparison is not None:
        yield Chart(None, "mitigations", "mitigations.png",
                    "what each measure buys: ALE reduction, cost, ROSI",
                    lambda: plot.mitigations(comparison))
        yield Chart(None, "mitigation-exceedance", "mitigation-exceedance.png",
                    "annual loss exceedance curve with each measure",
                    lambda: plot.mitigation_exceedance(comparison))
    decision = analysis.ransom
    if decision is not None:
        def ransom() -> Axes:
            ax = plot.exceedance(decision.restore, var_levels=(),
                                 label="restore without paying")
            plot.exceedance(decision.pay, ax=ax, var_levels=(), label="pay the ransom")
            ax.set_title("Annual loss if the ransom is paid, and if not")
            return ax

        yield Chart(None, "ransom", "ransom.png",
                    "ransom decision: annual loss exceedance when paying and when not", ransom)

