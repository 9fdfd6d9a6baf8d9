"""Recovery plans: the staff-constrained two-phase recovery from an incident,
as tables (timeline, systems, functions, gap report) and capacity curves."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Optional, Sequence

import pandas as pd

from . import _core
from ._checks import real
from .errors import ValueError_

if TYPE_CHECKING:
    from .model import Model

__all__ = ["PlanExplanation", "RecoveryPlan"]


@dataclass(frozen=True)
class PlanExplanation:
    """What a recovery plan does differently from a reference plan of the
    same incident (by default the plan without the improving search), and
    what that buys (see :meth:`RecoveryPlan.explain`)."""

    text: str
    """The explanation in a few sentences, one per line."""
    reference_value: float
    """The reference plan's value of the plan's objective."""
    plan_value: float
    """The plan's value of its objective."""
    systems: pd.DataFrame
    """Damaged systems back ``earlier`` or ``later`` (column ``change``) than
    in the reference: ``reference_back_h`` and ``plan_back_h``, the largest
    shifts first."""
    functions: pd.DataFrame
    """Business functions whose return or impact changed: back in each plan
    and ``impact_change`` (plan − reference, in the model's currency;
    negative: saved), the largest changes first."""

    def __str__(self) -> str:
        return self.text


class RecoveryPlan:
    """How recovery from one scenario unfolds (make one with
    :meth:`continuity.Model.plan_recovery`). Times are hours after the
    incident; every schedule respects precedence, dependencies and the
    capacity of every resource pool."""

    def __init__(self, model: Model, core: _core.RecoveryPlan) -> None:
        """Wraps a compiled plan of ``model``."""
        self.model = model
        """The model planned."""
        self._core = core

    def __repr__(self) -> str:
        return (f"RecoveryPlan({self.scenario!r}: all work done after {self.makespan_h:g} h, "
                f"business impact {self.business_impact:,.0f} {self.model.currency})")

    @property
    def scenario(self) -> str:
        """The scenario recovered from."""
        return self._core.scenario

    @property
    def makespan_h(self) -> float:
        """Hours until all recovery work is done."""
        return self._core.makespan

    @property
    def business_impact(self) -> float:
        """Lost profit and impact curves of every function, in the model's currency."""
        return self._core.business_impact

    @property
    def weighted_rto_tardiness(self) -> float:
        """Σ class weight × hours late past the RTO (S 16, A 8, B 4, C 2, D 1)."""
        return self._core.weighted_rto_tardiness

    @property
    def objective(self) -> str:
        """The objective the plan was made for: ``"business_impact"``,
        ``"weighted_rto_tardiness"`` or ``"makespan"``."""
        return self._core.objective

    @property
    def lower_bound(self) -> float:
        """A value no plan can beat for :attr:`objective` (each system with
        the staff to itself), so the plan is within :attr:`optimality_gap`
        of the best possible."""
        return self._core.lower_bound

    @property
    def optimality_gap(self) -> float:
        """(plan's value − lower bound) / plan's value for :attr:`objective`;
        0 when the plan is provably optimal (or its value is 0)."""
        value = {"business_impact": self.business_impact, "makespan": self.makespan_h,
                 "weighted_rto_tardiness": self.weighted_rto_tardiness}[self.objective]
        return (value - self.lower_bound) / value if value > 0 else 0.0

    def explain(self, reference: Optional[RecoveryPlan] = None) -> PlanExplanation:
        """What this plan changes against ``reference`` (default: the plan of
        the same scenario without the improving search or an order of its
        own): which systems come back earlier or later, and what each business
        function gains or loses."""
        if reference is None:
            reference = self.model.plan_recovery(self.scenario)
        d = self._core.explain(reference._core)
        systems = pd.concat([pd.DataFrame(d["earlier"]), pd.DataFrame(d["later"])],
                            ignore_index=True)
        return PlanExplanation("\n".join(d["lines"]), float(d["reference_value"]),
                               float(d["plan_value"]), systems,
                               pd.DataFrame(d["functions"]).set_index("function"))

    @property
    def schedules_generated(self) -> int:
        """Schedules the planner generated (1 for the fast schedule)."""
        return self._core.schedules_generated

    @property
    def recovery_order(self) -> list[str]:
        """Damaged systems in the order they are back."""
        return self._core.recovery_order

    @property
    def staff(self) -> pd.Series:
        """Capacity of each resource pool available to the plan."""
        return pd.Series(self._core.capacities, index=pd.Index(self.model.resources, name="pool"),
                         name="capacity")

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """One row per activity: ``activity`` ("system: step"), ``system``,
        ``kind`` (step, data_reentry, or the milestones back_degraded /
        back_full), ``phase`` (emergency or permanent), ``step`` (its kind),
        ``start_h``, ``finish_h``, ``resources`` ("pool xN, ...")."""
        frame = pd.DataFrame(self._core.timeline())
        return frame.sort_values(["start_h", "finish_h"], kind="stable").reset_index(drop=True)

    @cached_property
    def systems(self) -> pd.DataFrame:
        """Per system down: back at any capacity (``back_degraded_h``), at full
        capacity, its own work done, alone with unlimited staff (the
        "cumulative RTO" illusion), data re-entered, what it waited for, its
        emergency capacity, lost records and re-entry hours."""
        return pd.DataFrame(self._core.systems()).set_index("system")

    @cached_property
    def functions(self) -> pd.DataFrame:
        """Per business function: class, whether it is down, RTO, back at
        degraded and full capacity, resumed (with re-entry and WRT), MTPD,
        manual workaround window, lost output hours, lost profit, impact
        curves and business impact."""
        return pd.DataFrame(self._core.functions()).set_index("function")

    @cached_property
    def impacts(self) -> pd.DataFrame:
        """Each impact curve of every function the incident stops, by name
        (its ``curve``, the impact category) in its own ``unit``: the model's
        currency for money (``money`` true; their sum per function is the
        ``curve_impact`` of :attr:`functions`), or a score or count such as
        points or patients, which is never added to money."""
        return pd.DataFrame(self._core.impacts())

    def business_impact_until(self, hours: float) -> float:
        """The business impact (lost profit and money impact curves) accrued
        in the first ``hours`` after the incident (``60 * 24``: what the
        first two months cost; ``math.inf``: :attr:`business_impact`)."""
        h = math.inf if hours == math.inf else real(hours, "hours", "business impact until")
        if not h >= 0:
            raise ValueError_(f"business impact until: hours: must be at least 0, got {h!r}")
        return float(self._core.business_impact_until(h))

    @cached_property
    def response(self) -> pd.DataFrame:
        """The incident-response timeline of the scenario (``phase``,
        ``kind`` — detection, crisis_hq, containment, notification, press,
        recovery_start or other — ``at_h`` hours from the incident, and
        ``description``), with the time from which recovery work can start
        (the detection time, or a later containment), by time."""
        return pd.DataFrame(self._core.response())

    @cached_property
    def notifications(self) -> pd.DataFrame:
        """The scenario's notification duties (docs/notifications.md): one
        row per ``notification`` — whom it goes ``to``, its deadline
        ``due_h`` and the response plan's time ``at_h`` (hours from the
        incident; a duty without a fixed deadline is due at infinity),
        whether it is ``late`` (each late one is also a
        ``notification_late`` gap), the ``preset`` it follows and its
        ``description`` (the legal basis) — by planned time."""
        return pd.DataFrame(self._core.notifications())

    @cached_property
    def escalation(self) -> pd.DataFrame:
        """The impact escalation levels of the plan (the BIA's impact over
        time): one row per step of every impact curve of every function the
        incident stops — its ``level`` (1 for the curve's first step), the
        hours of outage ``after_h`` at which it begins, whether the plan's
        outage ``reached`` it (output below normal then), the share of
        output ``missing_output`` then, and the ``impact`` accumulated by
        then in the curve's ``unit`` (lumps and rates weighted by the output
        missing, as in :attr:`impacts`)."""
        return pd.DataFrame(self._core.escalation())

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """The gap report: each breach (``kind`` rto, rpo, mtpd,
        workaround_exhausted, data_unrecoverable, staff_shortfall or
        minimum_capacity) with the function, the system that made it late,
        objective and achieved hours (for staff_shortfall: people needed and
        available), the ``capacity`` a minimum_capacity gap needed (NaN for
        the other kinds), and the cause on the critical chain. Gaps are
        findings about the arrangements, never errors."""
        return pd.DataFrame(self._core.gaps())

    def function_output(self, function: str, workaround: bool = True) -> pd.DataFrame:
        """Output of ``function`` over time as a step function: from each
        ``time_h`` on, ``output`` (fraction of normal). With ``workaround``
        the manual workaround is included; without, what its systems allow."""
        t, v = self._core.function_output(function, workaround)
        return pd.DataFrame({"time_h": t, "output": v})

    def system_capacity(self, system: str) -> pd.DataFrame:
        """Effective capacity of ``system`` over time (step function)."""
        t, v = self._core.system_capacity(system)
        return pd.DataFrame({"time_h": t, "capacity": v})

    def capacity(self, functions: Optional[Sequence[str]] = None) -> pd.DataFrame:
        """Output over time of several functions (default: those the incident
        stops), in long form: ``function``, ``time_h``, ``output``."""
        names = list(functions) if functions is not None else \
            list(self.functions.index[self.functions["down"]])
        parts = [self.function_output(f).assign(function=f) for f in names]
        if not parts:
            return pd.DataFrame({"function": [], "time_h": [], "output": []})
        return pd.concat(parts, ignore_index=True)[["function", "time_h", "output"]]
