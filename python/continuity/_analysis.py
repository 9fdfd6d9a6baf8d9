"""The analyses of one model gathered in one place, for the command
(:mod:`continuity.cli`) and the management report
(:mod:`continuity.reporting`): per scenario the recovery plan (and the
improved one), the gap report, the data loss, the cost of one incident and
its sensitivity; for the model its single points of failure and backups;
and the simulated annual loss, mitigations and ransom decision."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import pandas as pd

from .errors import ValueError_
from .loss import (
    IncidentCost,
    Mitigation,
    MitigationComparison,
    SimulationResult,
    compare_mitigations,
    simulate,
)
from .model import Model
from .ransom import RansomDecision, compare_ransom_policies
from .recovery import PlanExplanation, RecoveryPlan

__all__ = ["Appetite", "AppetiteLike", "ScenarioAnalysis", "Analysis", "analyse",
           "simulate_analysis", "ransom_scenarios", "parse_amount", "appetites",
           "OBJECTIVES", "DEFAULT_APPETITE_PROBABILITY", "percent", "rosi_text"]

OBJECTIVES = ("business_impact", "weighted_rto_tardiness", "makespan")
"""What the improving search can minimise."""

DEFAULT_APPETITE_PROBABILITY = 0.01
"""The chance of exceeding a risk appetite's loss that is accepted when none
is given: once in a hundred years."""


@dataclass(frozen=True)
class Appetite:
    """One point of a risk appetite: an annual loss above ``loss`` is
    accepted with a probability of at most ``probability``."""

    loss: float
    probability: float = DEFAULT_APPETITE_PROBABILITY

    def simulated(self, result: SimulationResult) -> float:
        """The simulated probability of a year that loses more than :attr:`loss`."""
        return float(result.statistics.exceedance_probability(self.loss))

    def within(self, result: SimulationResult) -> bool:
        """Whether the simulated losses stay within this point of the appetite."""
        return self.simulated(result) <= self.probability


AppetiteLike = Union[Appetite, float, int, tuple[float, float]]
"""A risk appetite point: an :class:`Appetite`, a loss (accepted with the
default probability of 1 %) or a pair (loss, probability)."""


def appetites(values: Sequence[AppetiteLike]) -> tuple[Appetite, ...]:
    """Risk appetite points from what a user gives (see :data:`AppetiteLike`),
    by loss; a ValueError_ naming the point for a negative loss or a
    probability outside (0, 1)."""
    out = []
    for k, item in enumerate(values):
        if isinstance(item, Appetite):
            point = item
        elif isinstance(item, tuple) and len(item) == 2:
            point = Appetite(float(item[0]), float(item[1]))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            point = Appetite(float(item))
        else:
            raise ValueError_(f"risk appetite: [{k}]: must be a loss or a pair (loss, "
                              f"probability), got {item!r}", "risk appetite", "", f"[{k}]")
        if not (math.isfinite(point.loss) and point.loss >= 0):
            raise ValueError_(f"risk appetite: [{k}]: the loss must be a finite amount of at "
                              f"least 0, got {point.loss!r}", "risk appetite", "", f"[{k}]")
        if not 0 < point.probability < 1:
            raise ValueError_(f"risk appetite: [{k}]: the probability must lie strictly "
                              f"between 0 and 1, got {point.probability!r}", "risk appetite",
                              "", f"[{k}]")
        out.append(point)
    return tuple(sorted(out, key=lambda p: p.loss))


def percent(p: float) -> str:
    """A probability or share as people read it: ``7.36 %``, ``0.01 %``;
    ``–`` for NaN."""
    return "–" if math.isnan(p) else f"{100 * p:.3g} %"


def rosi_text(rosi: float, missing: str = "–") -> str:
    """A return on security investment as a signed percentage (``+87 %``),
    or ``missing`` where it is not defined."""
    return f"{100 * rosi:+,.0f} %" if math.isfinite(rosi) else missing


_UNITS = {"": 1.0, "k": 1e3, "m": 1e6, "bn": 1e9, "tn": 1e12, "万": 1e4, "億": 1e8,
          "兆": 1e12, "万円": 1e4, "億円": 1e8, "兆円": 1e12, "円": 1.0}


def parse_amount(text: str) -> float:
    """An amount as people write it: ``100000000``, ``1e8``, ``1,000,000``,
    ``5000万``, ``1.5億`` (円 optional), ``¥1億``, ``250k``, ``100M``,
    ``1.2bn``. Raises ValueError for anything else."""
    t = text.strip().replace(",", "").replace("_", "")
    t = t.lstrip("¥$€£").strip()
    m = re.fullmatch(r"([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(k|M|m|bn|tn|万円|億円|兆円|万|億|兆|円)?",
                     t)
    if m is None:
        raise ValueError(f"not an amount: {text!r} (write e.g. 100000000, 1e8, 5000万, 1億 "
                         "or 100M)")
    unit = (m.group(2) or "")
    return float(m.group(1)) * _UNITS[unit.lower() if unit in ("k", "M", "m", "bn", "tn")
                                      else unit]


@dataclass
class ScenarioAnalysis:
    """What one incident scenario does to the organisation."""

    name: str
    kind: str
    annual_frequency: float
    plan: RecoveryPlan
    cost: IncidentCost
    improved: Optional[RecoveryPlan] = None
    explanation: Optional[PlanExplanation] = None
    data_loss: Optional[pd.DataFrame] = None
    tornado: Optional[pd.DataFrame] = None


@dataclass
class Analysis:
    """Everything analysed of a model; the parts not asked for are None."""

    model: Model
    scenarios: list[ScenarioAnalysis]
    simulated: Sequence[str]  # scenarios passed to simulate(): () means all
    trials: int = 10_000
    seed: int = 1
    objective: str = "business_impact"
    single_points_of_failure: Optional[pd.DataFrame] = None
    backup_rule: Optional[pd.DataFrame] = None
    result: Optional[SimulationResult] = None
    mitigations: Sequence[Mitigation] = ()
    comparison: Optional[MitigationComparison] = None
    ransom: Optional[RansomDecision] = None
    appetite: tuple[Appetite, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        """One incident of each scenario analysed, at point values."""
        return float(sum(s.cost.total for s in self.scenarios))


def analyse(model: Model, names: Sequence[str], *, improve: bool = False,
            objective: str = "business_impact", budget: int = 2000, seed: int = 0,
            single_points: bool = False, data_loss: bool = False,
            tornado: bool = False) -> Analysis:
    """The deterministic analyses of ``model`` for the scenarios ``names``:
    plans and costs always, the rest as asked."""
    table = model.scenario_table()
    kinds = {str(k): str(v) for k, v in table["kind"].items()}
    frequencies = {str(k): float(v) for k, v in table["annual_frequency"].items()}
    out = []
    for name in names:
        plan = model.plan_recovery(name)  # an unknown name: the error lists the scenarios
        s = ScenarioAnalysis(name, kinds[name], frequencies[name], plan,
                             model.incident_cost(name))
        if improve:
            s.improved = model.plan_recovery(name, improve=True, objective=objective,
                                             budget=budget, seed=seed)
            s.explanation = s.improved.explain(s.plan)
        if data_loss:
            s.data_loss = model.data_loss(name)
        if tornado:
            s.tornado = model.tornado(name)
        out.append(s)
    analysis = Analysis(model, out, (), seed=seed, objective=objective)
    if single_points:
        analysis.single_points_of_failure = model.single_points_of_failure()
    if data_loss:
        analysis.backup_rule = model.backup_rule_3_2_1()
    return analysis


def ransom_scenarios(model: Model, names: Sequence[str] = ()) -> list[str]:
    """The scenarios of ``names`` (default: all) with ransom terms and a
    positive frequency: those :func:`~continuity.compare_ransom_policies`
    simulates."""
    chosen = set(names) if names else None
    return [s["name"] for s in model.to_dict().get("scenarios", [])
            if s.get("ransom") and s.get("annual_frequency", 0) > 0
            and (chosen is None or s["name"] in chosen)]


def simulate_analysis(analysis: Analysis, *, trials: int, seed: int, threads: int = 0,
                      progress: bool = False, ransom: bool = False,
                      result: Optional[SimulationResult] = None) -> None:
    """Runs the Monte Carlo parts of ``analysis`` with ``trials`` and ``seed``:
    the annual loss (unless ``result`` is it already), the mitigations (if it
    has some) and, with ``ransom``, the ransom decision. All use the same
    seed, so they see the same incidents."""
    model, scenarios = analysis.model, analysis.simulated
    analysis.trials, analysis.seed = trials, seed
    analysis.result = result if result is not None else simulate(
        model, trials, seed, scenarios=scenarios, threads=threads, progress=progress)
    if analysis.mitigations:
        analysis.comparison = compare_mitigations(model, analysis.mitigations, trials, seed,
                                                  scenarios=scenarios, threads=threads,
                                                  progress=progress)
    if ransom:
        analysis.ransom = compare_ransom_policies(model, trials, seed, scenarios=scenarios,
                                                  threads=threads, progress=progress)
