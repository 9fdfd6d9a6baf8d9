"""Damage cost and Monte Carlo loss estimation: the cost of one incident,
simulated annual losses (bottom-up scenarios of a model, top-down FAIR-style
scenarios, or both), gross, insured and retained (:mod:`continuity.insurance`),
loss statistics — of every trial held (:class:`LossStatistics`), or streaming
summaries of runs too large to hold (:class:`LossSummary`,
``statistics="stream"``) — and mitigation comparisons.

Every random computation takes an explicit ``seed``: the same seed gives
bit-identical results for any thread count and any split of the trials into
shards (``first_trial``), and shards merge exactly with :func:`concatenate`
(summaries with :meth:`SimulationSummary.merged`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Literal, Mapping, Optional, Sequence, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._checks import (
    MAX_THREADS,
    UINT64_MAX,
    flag,
    integer,
    memory_for,
    names,
    real,
    sequence_of,
)
from ._input import json_default, unrepresentable
from ._progress import ProgressBar
from .errors import ValueError_
from .formatting import MoneyFrame, MoneySeries, money
from .insurance import PolicyLike, policies_json
from .model import Model, _listing_scenarios

__all__ = [
    "IncidentCost",
    "TopDownScenario",
    "LossStatistics",
    "LossSummary",
    "StreamingStatistics",
    "Statistics",
    "SimulationResult",
    "SimulationSummary",
    "simulate",
    "simulate_portfolio",
    "concatenate",
    "Mitigation",
    "MitigationComparison",
    "compare_mitigations",
    "STANDARD_LEVELS",
]

STANDARD_LEVELS = (0.5, 0.9, 0.95, 0.99, 0.999)
"""Percentile levels of :meth:`LossStatistics.summary` (P50 ... P99.9)."""

_MONEY_GROUPS = ("category", "scenario", "function", "line", "insured")
_MITIGATION_MONEY = ("annual_cost", "subsidy", "net_cost", "ale", "ale_reduction",
                     "ale_reduction_se", "P99", "TVaR99")

Distribution = Union[float, int, Mapping[str, Any]]
"""A fixed number or a distribution in the model format, e.g.
``{"poisson": 0.5}`` or ``{"lognormal": {"p5": 1e6, "p95": 5e7}}``."""


@dataclass(frozen=True)
class IncidentCost:
    """The cost of one incident at point values, by category, cost line and
    business function. The series are :class:`~continuity.formatting.MoneySeries`:
    they display as money in the model's currency (``¥3,570万``)."""

    total: float
    """Every cost line and the lost profit."""
    by_category: pd.Series
    """Liability, response, opportunity, legal."""
    by_line: pd.Series
    """The scenario's cost lines, then "lost profit" and "impact curves"."""
    by_function: pd.Series
    """Each function's lost profit, impact curves and per-outage-hour lines."""
    currency: str = "JPY"
    """Currency of the amounts."""
    annual_revenue: float = math.nan
    """The organisation's annual revenue: the sum over its business functions
    of revenue per operating day × operating days per year."""
    share_of_annual_revenue: float = math.nan
    """``total`` over ``annual_revenue`` (the sources' "about 1 % of annual
    sales"); NaN if the model has no revenue."""
    insured: float = 0.0
    """What the model's insurance policies recover of ``total`` for this
    incident alone in a year (0 without policies)."""
    retained: float = 0.0
    """What the organisation bears: ``insured + retained == total`` exactly."""
    insured_by_policy: pd.Series = field(
        default_factory=lambda: pd.Series(dtype="float64", name="amount"))
    """What each of the model's policies pays for this incident alone."""

    @classmethod
    def from_core(cls, d: Mapping[str, Any], currency: str) -> IncidentCost:
        """Builds it from the core's dictionary."""
        def series(key: str, index: str) -> pd.Series:
            s = MoneySeries.of(d[key], currency, name="amount")
            s.index.name = index
            return s

        return cls(float(d["total"]), series("by_category", "category"),
                   series("by_line", "line"), series("by_function", "function"), currency,
                   float(d["annual_revenue"]), float(d["share_of_annual_revenue"]),
                   float(d["insured"]), float(d["retained"]),
                   series("insured_by_policy", "policy"))


class TopDownScenario:
    """A top-down scenario, as FAIR-style tools give them: a frequency of
    events per year and a loss per event. With ``aggregation="compound"``
    (the default) the annual loss is the sum of a per-event loss for each of
    N events, N drawn from ``frequency`` (which must be a count
    distribution); with ``"fair_product_form"`` it is frequency × magnitude,
    one draw each, as pyfair computes it — clearly a different quantity,
    offered for comparison with such tools."""

    def __init__(self, name: str, frequency: Distribution, loss_per_event: Distribution,
                 aggregation: str = "compound") -> None:
        """Raises :class:`continuity.errors.ValueError_` for an invalid
        distribution (naming the scenario and field)."""
        if not isinstance(name, str):
            raise ValueError_(f"scenario: name: must be text, got {name!r}", "scenario", "",
                              "name")
        if not isinstance(aggregation, str):
            raise ValueError_(f"scenario '{name}': aggregation: must be 'compound' or "
                              f"'fair_product_form', got {aggregation!r}", "scenario", name,
                              "aggregation")
        self._core = _core.LossScenario(name, _distribution_json(frequency, name, "frequency"),
                                        _distribution_json(loss_per_event, name,
                                                           "loss_per_event"),
                                        aggregation)
        self.frequency = frequency
        """The frequency distribution as given."""
        self.loss_per_event = loss_per_event
        """The per-event loss distribution as given."""
        self.aggregation = aggregation
        """``"compound"`` or ``"fair_product_form"``."""

    @property
    def name(self) -> str:
        """The scenario's name (its column in per-scenario results)."""
        return self._core.name

    @property
    def mean_annual_loss(self) -> float:
        """Exact mean annual loss: E[frequency] × E[loss per event]."""
        return self._core.mean_annual_loss

    def __reduce__(self) -> tuple[Any, ...]:
        return (TopDownScenario, (self.name, self.frequency, self.loss_per_event,
                                  self.aggregation))

    def __repr__(self) -> str:
        return (f"TopDownScenario({self.name!r}, frequency={self.frequency!r}, "
                f"loss_per_event={self.loss_per_event!r}, aggregation={self.aggregation!r})")


def _distribution_json(value: Distribution, scenario: str, field: str) -> str:
    """JSON text of a distribution; a value JSON cannot hold (NaN, infinity,
    an object of another type) is a ValueError_ naming the scenario and field."""
    try:
        return json.dumps(value, allow_nan=False, default=json_default)
    except (TypeError, ValueError, RecursionError) as e:
        problem = unrepresentable(value)
        where = f"{field}.{problem.path}" if problem is not None and problem.path else field
        what = problem.problem if problem is not None else str(e)
        raise ValueError_(f"scenario '{scenario}': {where}: {what}", "scenario", scenario,
                          where) from None


class _LossFigures:
    """The figures that :class:`LossStatistics` and :class:`LossSummary`
    share: each asks the core, whose conventions are those of the C++
    ``loss_statistics`` (inverse empirical CDF quantiles, Acerbi–Tasche TVaR)."""

    _core: Union[_core.LossStatistics, _core.LossSummary]
    currency: str

    @property
    def trials(self) -> int:
        """Number of trials."""
        return self._core.trials

    @property
    def mean(self) -> float:
        """Mean annual loss: the annualised loss expectancy (ALE)."""
        return self._core.mean

    @property
    def standard_deviation(self) -> float:
        """Sample standard deviation of the annual loss."""
        return self._core.standard_deviation

    @property
    def standard_error(self) -> float:
        """Standard error of the mean."""
        return self._core.standard_error

    def quantile(self, p: float) -> float:
        """The ``p`` quantile (0 ≤ p ≤ 1) (of a summary: within its relative accuracy)."""
        return self._core.quantile(p)

    def value_at_risk(self, level: float) -> float:
        """VaR at ``level``: the loss not exceeded with that probability (of
        a summary: within its relative accuracy)."""
        return self._core.value_at_risk(level)

    def tail_value_at_risk(self, level: float) -> float:
        """TVaR at ``level``: the mean loss beyond the VaR (of a summary:
        within its relative accuracy)."""
        return self._core.tail_value_at_risk(level)

    def summary(self, levels: Sequence[float] = (0.95, 0.99)) -> pd.Series:
        """Number of trials, mean (ALE), standard deviation and error, P50 …
        P99.9, and VaR and TVaR at ``levels``: a
        :class:`~continuity.formatting.MoneySeries` of floats that displays
        the amounts as money in :attr:`currency` (``¥3.11億``, no scientific
        notation) and the trials as a whole number."""
        out: dict[str, float] = {
            "trials": float(self.trials),
            "mean": self.mean,
            "standard_deviation": self.standard_deviation,
            "standard_error": self.standard_error,
        }
        for p in STANDARD_LEVELS:
            out[f"P{100 * p:g}"] = self.quantile(p)
        for level in levels:
            out[f"VaR{100 * level:g}"] = self.value_at_risk(level)
            out[f"TVaR{100 * level:g}"] = self.tail_value_at_risk(level)
        return MoneySeries.of(out, self.currency, name="annual loss", counts=("trials",))


class LossStatistics(_LossFigures):
    """Statistics of simulated annual losses: moments, quantiles, VaR, TVaR,
    exceedance. Quantiles are the order statistics of the sorted losses."""

    def __init__(self, losses: Union[npt.ArrayLike, _core.LossStatistics],
                 currency: str = "") -> None:
        """From per-trial losses (any 1-D array), or from the core's
        statistics; ``currency`` is that of the losses (``""``: not known)."""
        self._core: _core.LossStatistics = losses if isinstance(losses, _core.LossStatistics) \
            else _core.LossStatistics(np.asarray(losses, dtype=np.float64))
        self.currency = currency
        """Currency of the losses, e.g. ``"JPY"`` (``""`` if not known): how
        :meth:`summary` and the charts of :mod:`continuity.plot` write them."""

    @property
    def sorted_losses(self) -> npt.NDArray[np.float64]:
        """The losses in ascending order (a copy)."""
        return self._core.sorted_losses

    def exceedance_probability(self, loss: float) -> float:
        """P(annual loss > ``loss``)."""
        return self._core.exceedance_probability(loss)

    def exceedance_curve(self, points: int = 100) -> pd.DataFrame:
        """The loss exceedance curve at about ``points`` simulated losses
        spread over the tail: columns ``loss`` and ``probability`` (P(L > loss))."""
        x, p = self._core.exceedance_curve(
            integer(points, "points", "exceedance curve", minimum=1, maximum=2**63 - 1))
        return pd.DataFrame({"loss": x, "probability": p})

    def __repr__(self) -> str:
        return (f"LossStatistics(trials={self.trials}, mean={money(self.mean, self.currency)}, "
                f"P99={money(self.quantile(0.99), self.currency)})")


class LossSummary(_LossFigures):
    """Statistics of simulated losses that stream: a summary of bounded size
    that takes trials a block at a time and merges with the summaries of
    other blocks or shards, so that a run of 10⁹ trials never holds all of
    them in one place. Quantiles, VaR and TVaR follow the definitions of
    :class:`LossStatistics` (inverse empirical CDF; Acerbi–Tasche TVaR).

    It holds the count of trials and of zero losses, the smallest and
    largest loss, a histogram of the positive losses in log-linear bins with
    each bin's count and exact sums of its losses and their squares, the
    ``tail`` largest losses exactly, and the exact sum of each breakdown
    column. Every part is exact, so merging is associative and commutative:
    the summary of a run is the same, bit for bit, for any split into blocks
    or shards and any order of merging, and so are its figures.

    Accuracy (``relative_accuracy`` α, default 10⁻³):

    * mean: the exact sum of the losses rounded once, divided by the number
      of trials; standard deviation from the exact Σx and Σx² (a few ulp);
    * VaR_p: within relative α of the exact order statistic —
      ``|VaR̂ − VaR| ≤ α·VaR`` — and exact where it is among the ``tail``
      largest losses (``p ≥ 1 − tail/trials``), a zero loss or the smallest;
    * TVaR_p: ``|TVaR̂ − TVaR| ≤ α·TVaR``: the losses above VaR's bin count
      with their exact sums, and only the part of the tail in VaR's own bin
      is estimated (each unit within α), so the error is in practice far
      below the bound; exact where VaR is (then the same bits as
      :class:`LossStatistics`).

    :meth:`exact_at` tells which levels are exact. Size: about 24 KiB per
    binary order of magnitude that the losses span at α = 10⁻³ (0.5 MiB for
    losses from 1 to 10⁶; ten times finer α, 8 to 16 times more), 8 bytes per
    kept largest loss, 64 KiB per breakdown column.
    """

    def __init__(self, losses: Union[npt.ArrayLike, _core.LossSummary, None] = None, *,
                 relative_accuracy: float = 1e-3, tail: int = 10_000,
                 column_names: Sequence[str] = (), columns: Optional[npt.ArrayLike] = None,
                 currency: str = "") -> None:
        """A summary of ``losses`` (any 1-D array of finite losses ≥ 0; none:
        an empty summary to :meth:`add` to), keeping the ``tail`` largest
        losses exactly, VaR and TVaR within ``relative_accuracy`` (from 10⁻⁵
        to 1), and the sums of the breakdown ``columns`` (trials × columns,
        named by ``column_names``); or the core's summary. Raises
        :class:`continuity.errors.ValueError_` for an invalid setting or loss."""
        self._core: _core.LossSummary
        if isinstance(losses, _core.LossSummary):
            self._core = losses
        else:
            accuracy = real(relative_accuracy, "relative_accuracy", "loss summary")
            kept = integer(tail, "tail", "loss summary")
            self._core = _core.LossSummary(accuracy, kept,
                                           names(column_names, "column_names", "loss summary",
                                                 "column"))
            if losses is not None:
                self.add(losses, columns)
        self.currency = currency
        """Currency of the losses (``""`` if not known)."""

    def add(self, losses: npt.ArrayLike, columns: Optional[npt.ArrayLike] = None) -> None:
        """Adds a block of trials: their losses and, with breakdown columns,
        their values (trials × columns, e.g. :attr:`SimulationResult.breakdown`).
        Nothing is added if a value is invalid (a ValueError_ names it)."""
        self._core.add(np.asarray(losses, dtype=np.float64),
                       None if columns is None else np.asarray(columns, dtype=np.float64))

    def merge(self, other: LossSummary) -> LossSummary:
        """The summary of both summaries' trials (the operands are unchanged).
        Raises ValueError_ if they differ in relative accuracy, tail or columns."""
        merged = self._core.copy()
        merged.merge(other._core)
        return LossSummary(merged, currency=self.currency or other.currency)

    def _copy(self) -> LossSummary:
        return LossSummary(self._core.copy(), currency=self.currency)

    @property
    def zero_trials(self) -> int:
        """Number of trials with a zero loss."""
        return self._core.zero_trials

    @property
    def relative_accuracy(self) -> float:
        """α: the bound on the relative error of VaR and TVaR."""
        return self._core.relative_accuracy

    @property
    def tail(self) -> int:
        """How many of the largest losses are kept exactly."""
        return self._core.tail

    @property
    def largest_losses(self) -> npt.NDArray[np.float64]:
        """The largest losses kept (``min(trials, tail)`` of them), ascending."""
        return self._core.largest_losses

    @property
    def column_names(self) -> list[str]:
        """Names of the breakdown columns summed."""
        return self._core.column_names

    @property
    def column_means(self) -> pd.Series:
        """Mean of each breakdown column over the trials (exact sums, rounded once)."""
        return pd.Series(self._core.column_means(), index=self.column_names, name="mean",
                         dtype="float64")

    @property
    def minimum(self) -> float:
        """Smallest loss (exact)."""
        return self._core.minimum

    @property
    def maximum(self) -> float:
        """Largest loss (exact)."""
        return self._core.maximum

    def exact_at(self, level: float) -> bool:
        """Whether VaR and TVaR at ``level`` are exact (from the largest
        losses kept or the zero losses) rather than within the accuracy."""
        return self._core.exact_at(level)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_loss_summary, (self._core, self.currency))

    def __repr__(self) -> str:
        figures = (f", mean={money(self.mean, self.currency)}, "
                   f"P99={money(self.quantile(0.99), self.currency)}") if self.trials else ""
        return (f"LossSummary(trials={self.trials}{figures}, "
                f"relative_accuracy={self.relative_accuracy:g}, tail={self.tail})")


def _loss_summary(core: _core.LossSummary, currency: str) -> LossSummary:
    return LossSummary(core, currency=currency)


class SimulationResult:
    """Per-trial results of a simulation (or of one shard of it). The arrays
    are NumPy views of the engine's memory, not copies. When the last array
    over a large buffer (2 MiB or more) is gone, the process keeps the buffer
    for the next simulation of about that size (at most four buffers and
    128 MiB in all), which then writes into memory already in use rather
    than into fresh pages the system must zero first."""

    def __init__(self, core: _core.SimulationResult, currency: str = "") -> None:
        """Wraps the core's result; ``currency`` is that of the losses."""
        self._core = core
        self.currency = currency
        """Currency of the losses (the model's; ``""`` for a portfolio of
        top-down scenarios alone): how the summaries and charts write them."""

    @property
    def seed(self) -> int:
        """The seed of the simulation."""
        return self._core.seed

    @property
    def first_trial(self) -> int:
        """Index of the first trial held (non-zero for a shard)."""
        return self._core.first_trial

    @property
    def trials(self) -> int:
        """Number of trials held."""
        return self._core.trials

    @property
    def annual_loss(self) -> npt.NDArray[np.float64]:
        """Total loss of each trial (a simulated year), read-only view."""
        a = self._core.annual_loss
        a.flags.writeable = False
        return a

    @property
    def insured_loss(self) -> npt.NDArray[np.float64]:
        """Insured loss of each trial: what the insurance policies (the
        model's and the top-down scenarios') recover of its annual loss;
        zeros without policies. Read-only view."""
        a = self._core.insured_loss
        a.flags.writeable = False
        return a

    @property
    def retained_loss(self) -> npt.NDArray[np.float64]:
        """Retained loss of each trial: the annual loss less the insured
        loss, so that ``insured_loss + retained_loss == annual_loss`` holds
        exactly. Read-only view."""
        a = self._core.retained_loss
        a.flags.writeable = False
        return a

    @property
    def breakdown(self) -> npt.NDArray[np.float64]:
        """Trials × columns (Fortran order: each column contiguous), named by
        :attr:`breakdown_names`; read-only view."""
        a = self._core.breakdown
        a.flags.writeable = False
        return a

    @property
    def breakdown_names(self) -> list[str]:
        """Column names, ``"<group>:<name>"`` with groups category, scenario,
        function, rto_breaches, mtpd_breaches, events, line and insured (what
        each insurance policy paid)."""
        return self._core.breakdown_names

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """One breakdown column by name, e.g. ``"category:opportunity"``."""
        try:
            k = self.breakdown_names.index(name)
        except ValueError:
            raise KeyError(f"no breakdown column '{name}'; columns are "
                           f"{', '.join(self.breakdown_names)}") from None
        return self.breakdown[:, k]

    def frame(self, group: Optional[str] = None) -> pd.DataFrame:
        """The breakdown as a DataFrame (one row per trial), optionally only
        the columns of ``group`` (named without the prefix)."""
        names = self.breakdown_names
        keep = [k for k, n in enumerate(names) if group is None or n.split(":", 1)[0] == group]
        cols = [names[k] if group is None else names[k].split(":", 1)[1] for k in keep]
        frame = pd.DataFrame(self.breakdown[:, keep], columns=cols)
        frame.index = pd.RangeIndex(self.first_trial, self.first_trial + self.trials, name="trial")
        return frame

    def breakdown_summary(self, group: str = "category") -> pd.DataFrame:
        """Mean annual loss by ``group`` (category, scenario, function or
        line) with its share of the total mean, standard deviation and P99;
        of these groups (and ``insured``) a
        :class:`~continuity.formatting.MoneyFrame` that displays the amounts
        as money in :attr:`currency`."""
        frame = self.frame(group)
        total = float(self.annual_loss.mean()) if self.trials else 0.0
        mean = frame.mean()
        out = pd.DataFrame({
            "mean": mean,
            "share": mean / total if total > 0 else np.nan,
            "standard_deviation": frame.std(ddof=1) if self.trials > 1 else np.nan,
            "P99": frame.quantile(0.99),
        })
        out.index.name = group
        if group in _MONEY_GROUPS:
            return MoneyFrame.of(out, self.currency,
                                 money_columns=("mean", "standard_deviation", "P99"))
        return out

    def breach_probabilities(self) -> pd.DataFrame:
        """Per business function: probability that a simulated year has at
        least one occurrence breaching its RTO, and its MTPD."""
        rto = self.frame("rto_breaches")
        mtpd = self.frame("mtpd_breaches")
        out = pd.DataFrame({"p_rto_breach": (rto > 0).mean(), "p_mtpd_breach": (mtpd > 0).mean()})
        out.index.name = "function"
        return out

    @cached_property
    def statistics(self) -> LossStatistics:
        """Statistics of the annual loss."""
        return LossStatistics(self.annual_loss, self.currency)

    def statistics_of(self, loss: str = "gross") -> LossStatistics:
        """Statistics of the ``"gross"`` (annual), ``"insured"`` or
        ``"retained"`` loss."""
        if loss == "gross":
            return self.statistics
        if loss == "insured":
            return LossStatistics(self.insured_loss, self.currency)
        if loss == "retained":
            return LossStatistics(self.retained_loss, self.currency)
        raise ValueError_(f"simulation result: loss: must be 'gross', 'insured' or 'retained', "
                          f"got {loss!r}", "simulation result", "", "loss")

    def summarise(self, statistics: Union[Literal["stream"], StreamingStatistics] = "stream"
                  ) -> SimulationSummary:
        """The trials' :class:`SimulationSummary` (what a streaming run of
        the same trials returns, bit for bit)."""
        options = _streaming(statistics)
        assert options is not None
        summary = SimulationSummary.empty(self.seed, self.first_trial, self.breakdown_names,
                                          options, self.currency)
        summary._add(self)
        return summary

    def __reduce__(self) -> tuple[Any, ...]:
        return (SimulationResult, (self._core, self.currency))

    def __repr__(self) -> str:
        mean = f", mean {money(self.annual_loss.mean(), self.currency)}" if self.trials else ""
        return (f"SimulationResult(seed={self.seed}, trials {self.first_trial}.."
                f"{self.first_trial + self.trials}{mean})")


@dataclass(frozen=True)
class StreamingStatistics:
    """How a run with streaming statistics summarises its trials (see
    :class:`LossSummary`); ``statistics="stream"`` means the defaults."""

    relative_accuracy: float = 1e-3
    """α, from 10⁻⁵ to 1: the bound on the relative error of VaR and TVaR."""
    tail: int = 10_000
    """How many of the largest losses to keep exactly (VaR and TVaR are
    exact at levels ≥ 1 − tail / trials)."""
    chunk_trials: Optional[int] = None
    """Trials simulated at a time (so held at a time) before they are added
    to the summary; ``None``: as many as fit in 64 MiB of per-trial results,
    at most 2**20."""

    def __post_init__(self) -> None:
        """Raises :class:`continuity.errors.ValueError_` for an invalid setting."""
        accuracy = real(self.relative_accuracy, "relative_accuracy", "streaming statistics")
        if not 1e-5 <= accuracy <= 1:
            raise ValueError_(f"streaming statistics: relative_accuracy: must be from 1e-05 "
                              f"to 1, got {accuracy:g}", "streaming statistics", "",
                              "relative_accuracy")
        integer(self.tail, "tail", "streaming statistics")
        if self.chunk_trials is not None:
            integer(self.chunk_trials, "chunk_trials", "streaming statistics", minimum=1)

    def chunk(self, breakdown_columns: int) -> int:
        """The trials of one chunk for results with ``breakdown_columns`` columns."""
        if self.chunk_trials is not None:
            return int(self.chunk_trials)
        return max(4096, min(2**20, (64 << 20) // (8 * (3 + breakdown_columns))))

    def summary(self, column_names: Sequence[str] = (), currency: str = "") -> LossSummary:
        """An empty :class:`LossSummary` with these settings."""
        return LossSummary(relative_accuracy=self.relative_accuracy, tail=self.tail,
                           column_names=column_names, currency=currency)


Statistics = Union[Literal["exact", "stream"], StreamingStatistics]
"""What a simulation returns: ``"exact"``, every trial (a
:class:`SimulationResult`); ``"stream"`` or :class:`StreamingStatistics`, a
:class:`SimulationSummary` of bounded size, the trials simulated a chunk at a
time and never held all at once."""


def _streaming(statistics: Statistics) -> Optional[StreamingStatistics]:
    """The streaming settings, or None for exact statistics."""
    if isinstance(statistics, StreamingStatistics):
        return statistics
    if isinstance(statistics, str) and statistics == "stream":
        return StreamingStatistics()
    if isinstance(statistics, str) and statistics == "exact":
        return None
    raise ValueError_(f"simulation: statistics: must be 'exact', 'stream' or a "
                      f"StreamingStatistics, got {statistics!r}", "simulation", "", "statistics")


class SimulationSummary:
    """The statistics of a simulation's trials (or of one shard of them)
    without the trials: :class:`LossSummary` of the annual (gross), insured
    and retained loss, and the means of the breakdown columns. What
    ``simulate(..., statistics="stream")`` returns; shards merge with
    :meth:`merged` into exactly — bit for bit — the summary of one run."""

    def __init__(self, seed: int, first_trial: int, trials: int, gross: LossSummary,
                 insured: LossSummary, retained: LossSummary, currency: str = "") -> None:
        """From its parts (see :meth:`empty` and :meth:`SimulationResult.summarise`)."""
        self.seed = seed
        """The seed of the simulation."""
        self.first_trial = first_trial
        """Index of the first trial summarised."""
        self.trials = trials
        """Number of trials summarised."""
        self.gross = gross
        """Summary of the annual loss, with the sums of the breakdown columns."""
        self.insured = insured
        """Summary of the insured loss."""
        self.retained = retained
        """Summary of the retained loss."""
        self.currency = currency
        """Currency of the losses."""

    @classmethod
    def empty(cls, seed: int, first_trial: int, breakdown_names: Sequence[str],
              statistics: StreamingStatistics, currency: str = "") -> SimulationSummary:
        """No trials yet, from ``first_trial`` on."""
        return cls(seed, first_trial, 0, statistics.summary(breakdown_names, currency),
                   statistics.summary((), currency), statistics.summary((), currency), currency)

    def _add(self, result: SimulationResult) -> None:
        """Adds the trials of ``result``, which must follow those summarised."""
        assert result.seed == self.seed and result.first_trial == self.first_trial + self.trials
        self.gross.add(result.annual_loss, result.breakdown)
        self.insured.add(result.insured_loss)
        self.retained.add(result.retained_loss)
        self.trials += result.trials

    @property
    def breakdown_names(self) -> list[str]:
        """Names of the breakdown columns (as :attr:`SimulationResult.breakdown_names`)."""
        return self.gross.column_names

    @property
    def statistics(self) -> LossSummary:
        """Statistics of the annual loss."""
        return self.gross

    def statistics_of(self, loss: str = "gross") -> LossSummary:
        """Statistics of the ``"gross"`` (annual), ``"insured"`` or ``"retained"`` loss."""
        if loss in ("gross", "insured", "retained"):
            out: LossSummary = getattr(self, loss)
            return out
        raise ValueError_(f"simulation summary: loss: must be 'gross', 'insured' or "
                          f"'retained', got {loss!r}", "simulation summary", "", "loss")

    def breakdown_summary(self, group: str = "category") -> pd.DataFrame:
        """Mean annual loss by ``group`` (category, scenario, function, line,
        insured, ...) and its share of the total mean."""
        means = self.gross.column_means
        keep = [n for n in means.index if n.split(":", 1)[0] == group]
        mean = pd.Series([means[n] for n in keep], index=[n.split(":", 1)[1] for n in keep],
                         dtype="float64")
        total = self.gross.mean if self.trials else 0.0
        out = pd.DataFrame({"mean": mean, "share": mean / total if total > 0 else np.nan})
        out.index.name = group
        if group in _MONEY_GROUPS:
            return MoneyFrame.of(out, self.currency, money_columns=("mean",))
        return out

    def merge(self, other: SimulationSummary) -> SimulationSummary:
        """The summary of both shards: same seed, adjoining trial ranges."""
        return SimulationSummary.merged([self, other])

    @staticmethod
    def merged(shards: Sequence[SimulationSummary]) -> SimulationSummary:
        """Merges shards of one simulation (same seed, adjoining trial ranges,
        in any order) into the summary of a single run — bit for bit. Raises
        :class:`continuity.errors.ValueError_` for shards of another seed,
        a gap or an overlap, or summaries of other settings."""
        def fail(problem: str) -> ValueError_:
            return ValueError_(f"simulation summary: shards: {problem}", "simulation summary",
                               "", "shards")

        if not shards:
            raise fail("none to merge")
        ordered = sorted(shards, key=lambda s: s.first_trial)
        first = ordered[0]
        out = SimulationSummary(first.seed, first.first_trial, first.trials,
                                first.gross._copy(), first.insured._copy(),
                                first.retained._copy(), first.currency)
        for s in ordered[1:]:
            if s.seed != out.seed:
                raise fail(f"seeds {out.seed} and {s.seed} differ")
            if s.first_trial != out.first_trial + out.trials:
                raise fail(f"trials {out.first_trial + out.trials} … {s.first_trial - 1} are "
                           f"missing" if s.first_trial > out.first_trial + out.trials else
                           f"trial {s.first_trial} is in two shards")
            out = SimulationSummary(out.seed, out.first_trial, out.trials + s.trials,
                                    out.gross.merge(s.gross), out.insured.merge(s.insured),
                                    out.retained.merge(s.retained), out.currency)
        return out

    def __repr__(self) -> str:
        mean = f", mean {money(self.gross.mean, self.currency)}" if self.trials else ""
        return (f"SimulationSummary(seed={self.seed}, trials {self.first_trial}.."
                f"{self.first_trial + self.trials}{mean})")


def _top_down_core(top_down: Sequence[TopDownScenario]) -> list[_core.LossScenario]:
    return [s._core for s in sequence_of(top_down, TopDownScenario, "top_down", "simulation",
                                         "top-down scenarios")]


@overload
def simulate(model: Model, trials: int, seed: int, *, scenarios: Sequence[str] = ...,
             top_down: Sequence[TopDownScenario] = ...,
             top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
             threads: int = ..., progress: bool = ..., breakdown: bool = ...,
             statistics: Literal["exact"] = ...) -> SimulationResult: ...
@overload
def simulate(model: Model, trials: int, seed: int, *, scenarios: Sequence[str] = ...,
             top_down: Sequence[TopDownScenario] = ...,
             top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
             threads: int = ..., progress: bool = ..., breakdown: bool = ...,
             statistics: Union[Literal["stream"], StreamingStatistics]) -> SimulationSummary: ...
@overload
def simulate(model: Model, trials: int, seed: int, *, scenarios: Sequence[str] = ...,
             top_down: Sequence[TopDownScenario] = ...,
             top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
             threads: int = ..., progress: bool = ..., breakdown: bool = ...,
             statistics: Statistics = ...) -> Union[SimulationResult, SimulationSummary]: ...
def simulate(model: Model, trials: int, seed: int, *, scenarios: Sequence[str] = (),
             top_down: Sequence[TopDownScenario] = (),
             top_down_insurance: Sequence[PolicyLike] = (), first_trial: int = 0,
             threads: int = 0, progress: bool = False, breakdown: bool = True,
             statistics: Statistics = "exact") -> Union[SimulationResult, SimulationSummary]:
    """Simulates ``trials`` years of the model's incident scenarios (all with
    a positive frequency, or those named in ``scenarios``) plus the top-down
    ``top_down`` scenarios: for each occurrence, the systems hit (with attack
    spread), surviving backups, step durations, the recovery schedule and
    every cost line. Runs on ``threads`` threads (0: all cores) with the GIL
    released; ``progress`` shows a tqdm bar; Ctrl-C stops it (raising
    KeyboardInterrupt). Trials ``first_trial`` … ``first_trial + trials - 1``
    of the simulation with ``seed`` are computed, so shards merge exactly.
    The model's insurance policies apply to its scenarios, and
    ``top_down_insurance`` (:class:`~continuity.insurance.InsurancePolicy` or
    dictionaries in the model format) to the top-down ones: the result has
    the insured and retained loss of every trial beside the gross.
    ``breakdown=False`` keeps no breakdown columns (the result's
    :attr:`~SimulationResult.breakdown` then has none, and
    :attr:`~SimulationResult.breakdown_names` is empty): less memory, and
    faster, when the annual (insured, retained) loss is all that is wanted.

    ``statistics="exact"`` (the default) returns every trial, a
    :class:`SimulationResult`; ``"stream"`` or a :class:`StreamingStatistics`
    returns a :class:`SimulationSummary`, the trials simulated a chunk at a
    time and summarised, so that memory does not grow with ``trials`` (for
    runs too large to hold: see :data:`Statistics`)."""
    _check_counts(trials=trials, seed=seed, first_trial=first_trial, threads=threads)
    with _listing_scenarios(model):
        sim = _core.IncidentSimulation(model._core, names(scenarios, "scenarios", "simulation",
                                                          "scenario"), _top_down_core(top_down),
                                       policies_json(top_down_insurance))
    return _run(sim, trials, seed, first_trial, threads, progress, f"{model.name or 'model'}",
                model.currency, statistics, breakdown)


@overload
def simulate_portfolio(top_down: Sequence[TopDownScenario], trials: int, seed: int, *,
                       insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                       threads: int = ..., progress: bool = ..., breakdown: bool = ...,
                       statistics: Literal["exact"] = ...) -> SimulationResult: ...
@overload
def simulate_portfolio(top_down: Sequence[TopDownScenario], trials: int, seed: int, *,
                       insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                       threads: int = ..., progress: bool = ..., breakdown: bool = ...,
                       statistics: Union[Literal["stream"], StreamingStatistics]
                       ) -> SimulationSummary: ...
@overload
def simulate_portfolio(top_down: Sequence[TopDownScenario], trials: int, seed: int, *,
                       insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                       threads: int = ..., progress: bool = ..., breakdown: bool = ...,
                       statistics: Statistics = ...) -> Union[SimulationResult, SimulationSummary]: ...
def simulate_portfolio(top_down: Sequence[TopDownScenario], trials: int, seed: int, *,
                       insurance: Sequence[PolicyLike] = (), first_trial: int = 0,
                       threads: int = 0, progress: bool = False, breakdown: bool = True,
                       statistics: Statistics = "exact") -> Union[SimulationResult, SimulationSummary]:
    """Simulates top-down scenarios alone (no model): e.g. a FAIR-style
    portfolio or the W1 workload. Same engine, guarantees, ``breakdown`` and
    ``statistics`` as :func:`simulate`. ``insurance`` (:class:`~continuity.insurance.InsurancePolicy` or
    dictionaries in the model format) applies per event to the scenarios
    each policy covers (not to scenarios in FAIR product form)."""
    _check_counts(trials=trials, seed=seed, first_trial=first_trial, threads=threads)
    portfolio = _core.ScenarioPortfolio(_top_down_core(top_down), policies_json(insurance))
    return _run(portfolio, trials, seed, first_trial, threads, progress, "portfolio", "",
                statistics, breakdown)


def _run(engine: Union[_core.IncidentSimulation, _core.ScenarioPortfolio], trials: int,
         seed: int, first_trial: int, threads: int, progress: bool,
         description: str, currency: str = "", statistics: Statistics = "exact",
         breakdown: bool = True) -> Union[SimulationResult, SimulationSummary]:
    options = _streaming(statistics)
    keep = flag(breakdown, "breakdown", "simulation")
    columns = engine.breakdown_names if keep else []
    chunk = trials if options is None else min(trials, options.chunk(len(columns)))
    check_memory(chunk, len(columns))
    summary = None if options is None else \
        SimulationSummary.empty(seed, first_trial, columns, options, currency)
    with ProgressBar(trials, description, progress) as bar:
        done = 0
        while True:
            count = min(chunk, trials - done)
            result = SimulationResult(engine.run(count, seed, first_trial + done, threads, 4096,
                                                 bar.callback(), keep), currency)
            if summary is None:
                bar.finish()
                return result
            summary._add(result)
            del result  # before the next chunk is simulated: one chunk held at a time
            done += count
            if done == trials:
                bar.finish()
                return summary

def _check_counts(**values: int) -> None:
    """Checks the counts of a simulation run (trials, seed, first_trial,
    threads, ...): whole numbers from 0 to 2**64 - 1 (threads: to
    :data:`MAX_THREADS`), with first_trial + trials at most 2**64."""
    for name, v in values.items():
        integer(v, name, "simulation", maximum=MAX_THREADS if name == "threads" else UINT64_MAX)
    if "trials" in values and "first_trial" in values:
        if int(values["first_trial"]) + int(values["trials"]) > UINT64_MAX + 1:
            raise ValueError_(f"simulation: first_trial: first_trial + trials must be at most "
                              f"2**64, got {values['first_trial']} + {values['trials']}",
                              "simulation", "", "first_trial")


def check_memory(trials: int, breakdown_columns: int,
                 advice: str = "simulate with statistics='stream' (summaries of the trials, "
                               "a chunk at a time), fewer trials, or shards of them "
                               "(first_trial) and merge their results with concatenate()"
                 ) -> None:
    """Raises a ValueError_ naming ``trials`` if the results of ``trials``
    trials (the annual, insured and retained loss and ``breakdown_columns``
    breakdown columns, 8 bytes each) would not fit in the machine's memory."""
    memory_for(int(trials), 3 + breakdown_columns, "simulation", advice)


def concatenate(shards: Sequence[SimulationResult]) -> SimulationResult:
    """Merges shards of one simulation (same seed, adjoining trial ranges, in
    any order) into the result of a single run — bit for bit."""
    currency = next((s.currency for s in shards), "")
    return SimulationResult(_core.concatenate([s._core for s in shards]), currency)


@dataclass
class Mitigation:
    """A measure: a change to the model and what it costs per year. The
    change may lower what an incident does (an offline backup, zoning) or
    how often it happens (a control: patching the VPN, multi-factor
    authentication — a lower ``annual_frequency``), or both."""

    name: str
    """e.g. "offline backup"."""
    annual_cost: float
    """Cost per year (amortised investment + running cost), ≥ 0."""
    apply: Callable[[dict[str, Any]], Optional[dict[str, Any]]] = field(repr=False)
    """Edits a copy of the model's specification (a dict in the model format)
    in place, or returns the changed one."""
    subsidy_rate: float = 0.0
    """Share of the annual cost a subsidy pays, in [0, 1]."""
    subsidy_cap: float = math.inf
    """Most the subsidy pays per year (``math.inf``: no cap)."""
    description: str = ""
    """What the measure is, in a sentence (shown in reports)."""


@dataclass(frozen=True)
class MitigationComparison:
    """Baseline and measures, simulated with common random numbers."""

    baseline: LossStatistics
    """Annual loss without any measure."""
    measures: dict[str, LossStatistics]
    """Annual loss with each measure alone."""
    table: pd.DataFrame
    """One row per measure (first "none"): annual cost, subsidy, net cost,
    ALE, ALE reduction and its standard error (paired differences), ROSI
    ((reduction − net cost) / net cost), P99 and TVaR99 of the annual loss;
    a :class:`~continuity.formatting.MoneyFrame` that displays the amounts as
    money in the model's currency."""


def compare_mitigations(model: Model, measures: Sequence[Mitigation], trials: int, seed: int,
                        *, scenarios: Sequence[str] = (), threads: int = 0,
                        progress: bool = False) -> MitigationComparison:
    """Simulates the model and the model changed by each measure with the
    same ``seed`` (common random numbers, so differences are not noise) and
    reports loss reduction and return on security investment."""
    _check_counts(trials=trials, seed=seed, threads=threads)
    memory_for(int(trials), 2 + len(measures), "mitigation comparison",
               "compare over fewer trials")
    scenario_names = names(scenarios, "scenarios", "mitigation comparison", "scenario")
    costs = [real(m.annual_cost, f"measures[{k}].annual_cost", "mitigation comparison")
             for k, m in enumerate(measures)]
    rates = [real(m.subsidy_rate, f"measures[{k}].subsidy_rate", "mitigation comparison")
             for k, m in enumerate(measures)]
    caps = [math.inf if m.subsidy_cap == math.inf
            else real(m.subsidy_cap, f"measures[{k}].subsidy_cap", "mitigation comparison")
            for k, m in enumerate(measures)]
    changed = [model.changed(m.apply) for m in measures]
    with ProgressBar(trials * (1 + len(measures)), "mitigations", progress) as bar, \
            _listing_scenarios(model):
        baseline, outcomes = _core.compare_mitigations(
            model._core, [m.name for m in measures], costs,
            [c._core for c in changed], trials, seed, scenario_names, threads, bar.callback(),
            rates, caps)
        bar.finish()
    base = LossStatistics(baseline, model.currency)
    rows = [{"measure": "none", "annual_cost": 0.0, "subsidy": 0.0, "net_cost": 0.0,
             "ale": base.mean, "ale_reduction": np.nan,
             "ale_reduction_se": np.nan, "rosi": np.nan, "P99": base.quantile(0.99),
             "TVaR99": base.tail_value_at_risk(0.99)}]
    stats: dict[str, LossStatistics] = {}
    for o in outcomes:
        s = LossStatistics(o["loss"], model.currency)
        stats[o["name"]] = s
        rows.append({"measure": o["name"], "annual_cost": o["annual_cost"],
                     "subsidy": o["subsidy"], "net_cost": o["net_cost"], "ale": s.mean,
                     "ale_reduction": o["ale_reduction"],
                     "ale_reduction_se": o["ale_reduction_se"], "rosi": o["rosi"],
                     "P99": s.quantile(0.99), "TVaR99": s.tail_value_at_risk(0.99)})
    table = MoneyFrame.of(pd.DataFrame(rows).set_index("measure"), model.currency,
                          money_columns=_MITIGATION_MONEY)
    return MitigationComparison(base, stats, table)
