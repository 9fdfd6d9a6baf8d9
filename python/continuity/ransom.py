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
from .formatting import MoneyFrame, money
from .loss import SimulationResult, _check_counts
from .model import Model, _listing_scenarios

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

    def summary(self, levels: Sequence[float] = (0.95, 0.99)) -> MoneyFrame:
        """The two loss distributions side by side: one row per policy
        (``restore``, ``pay``), columns as :meth:`LossStatistics.summary`
        (mean = ALE, P50 … P99.9, VaR and TVaR at ``levels``), then the
        probability of a year with a loss and the mean annual cost of the
        ransom payment, the data leak and the sanctions. Amounts display as
        money in the model's currency."""
        rows = {}
        for policy, result in (("restore", self.restore), ("pay", self.pay)):
            row = pd.Series(result.statistics.summary(levels), dtype=float)
            row["P(loss > 0)"] = result.statistics.exceedance_probability(0.0)
            frame = result.frame("line")
            for line in ("ransom payment", "data leak", "sanctions"):
                cols = [c for c in frame.columns if c.split("/", 1)[-1] == line]
                row[f"mean {line}"] = float(frame[cols].sum(axis=1).mean()) if cols else 0.0
            rows[policy] = row
        table = pd.DataFrame(rows).T
        table.index.name = "policy"
        plain = ("trials", "P(loss > 0)")
        return MoneyFrame.of(table, self.restore.currency,
                             money_columns=[c for c in table.columns if c not in plain],
                             count_columns=["trials"])

    def __repr__(self) -> str:
        sign = "+" if self.difference >= 0 else "-"
        return (f"RansomDecision({', '.join(self.scenarios)}: paying changes the ALE by "
                f"{sign}{money(abs(self.difference), self.restore.currency)} ± "
                f"{money(self.difference_se, self.restore.currency)})")


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
    with ProgressBar(2 * trials, "ransom decision", progress) as bar, _listing_scenarios(model):
        d = _core.compare_ransom_policies(model._core, trials, seed, scenario_names, threads,
                                          bar.callback())
        bar.finish()
    return RansomDecision(tuple(d["scenarios"]), SimulationResult(d["restore"], model.currency),
                          SimulationResult(d["pay"], model.currency), float(d["difference"]),
                          float(d["difference_se"]), float(d["pay_cheaper"]),
                          float(d["pay_dearer"]))
