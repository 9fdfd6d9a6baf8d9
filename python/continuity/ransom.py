"""The ransom decision: pay the ransom, or restore without paying.

A ransomware scenario may carry ``ransom`` terms in the model format (the
demand, the chance that a key arrives and works, its arrival and decryption
time, the chance the data leak anyway or are published, and the sanctions
exposure of a payment; see ``docs/model-format.md``). Its ``pay`` flag is the
organisation's policy. :func:`compare_ransom_policies` simulates both
policies on the same incidents (common random numbers) and returns both loss
distributions and their paired difference:

>>> import continuity as ct
>>> d = ct.compare_ransom_policies(ct.load_model("examples/hospital.json"), 2000, seed=1)
>>> d.summary()                       # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from . import _core
from ._checks import memory_for, names
from ._progress import ProgressBar
from .loss import SimulationResult, _check_counts
from .model import Model

__all__ = ["RansomDecision", "compare_ransom_policies"]


@dataclass(frozen=True)
class RansomDecision:
    """Both ransom policies of a model, simulated on the same incidents."""

    scenarios: tuple[str, ...]
    """The scenarios with ransom terms that were simulated."""
    restore: SimulationResult
    """Every such scenario restored without paying."""
    pay: SimulationResult
    """Every such scenario paid."""
    difference: float
    """Mean over trials of the annual loss when paying minus when restoring
    (positive: paying costs more)."""
    difference_se: float
    """Standard error of :attr:`difference`, from the paired differences."""
    pay_cheaper: float
    """Share of simulated years in which paying lost strictly less."""
    pay_dearer: float
    """Share of simulated years in which paying lost strictly more."""

    def summary(self, levels: Sequence[float] = (0.95, 0.99)) -> pd.DataFrame:
        """The two loss distributions side by side: one column per policy
        (``restore``, ``pay``), rows as :meth:`LossStatistics.summary`
        (mean = ALE, P50 … P99.9, VaR and TVaR at ``levels``), plus the mean
        ransom paid, the probability of a year with a loss, and the mean
        loss of the data-leak and sanctions lines."""
        columns = {}
        for policy, result in (("restore", self.restore), ("pay", self.pay)):
            s = result.statistics.summary(levels)
            frame = result.frame("line")
            for line in ("ransom payment", "data leak", "sanctions"):
                cols = [c for c in frame.columns if c.split("/", 1)[-1] == line]
                s[f"mean {line}"] = float(frame[cols].sum(axis=1).mean()) if cols else 0.0
            s["P(loss > 0)"] = result.statistics.exceedance_probability(0.0)
            columns[policy] = s
        out = pd.DataFrame(columns)
        out.index.name = "annual loss"
        return out

    def __repr__(self) -> str:
        return (f"RansomDecision({', '.join(self.scenarios)}: paying changes the ALE by "
                f"{self.difference:+,.0f} ± {self.difference_se:,.0f})")


def compare_ransom_policies(model: Model, trials: int, seed: int, *,
                            scenarios: Sequence[str] = (), threads: int = 0,
                            progress: bool = False) -> RansomDecision:
    """Simulates ``trials`` years of the model twice with the same ``seed``:
    every scenario with ransom terms restored without paying, then paid.
    ``scenarios`` limits the simulation to the scenarios named (default:
    every scenario with a positive frequency). Raises ValueError_ if no
    simulated scenario has ransom terms. Ctrl-C stops it."""
    _check_counts(trials=trials, seed=seed, threads=threads)
    memory_for(int(trials), 8, "ransom decision", "compare over fewer trials")
    scenario_names = names(scenarios, "scenarios", "ransom decision", "scenario")
    with ProgressBar(2 * trials, "ransom decision", progress) as bar:
        d = _core.compare_ransom_policies(model._core, trials, seed, scenario_names, threads,
                                          bar.callback())
        bar.finish()
    return RansomDecision(tuple(d["scenarios"]), SimulationResult(d["restore"]),
                          SimulationResult(d["pay"]), float(d["difference"]),
                          float(d["difference_se"]), float(d["pay_cheaper"]),
                          float(d["pay_dearer"]))
