"""Insurance policies against incident losses: a deductible and a limit per
event, an annual aggregate limit, a waiting period for business
interruption and sub-limits by cost category.

A model lists its own policies in its ``"insurance"`` array (see
docs/model-format.md); they cover its scenarios, and every cost and
simulation of the model reports the loss gross, insured and retained. Top-down
scenarios take the same policies, as :class:`InsurancePolicy` objects or as
dictionaries in the model format::

    policy = ct.InsurancePolicy("cyber", deductible=1e6, limit=5e8, aggregate_limit=1e9)
    result = ct.simulate_portfolio(scenarios, 10_000, seed=1, insurance=[policy])
    result.insured_loss, result.retained_loss
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence, Union

from ._input import json_default, unrepresentable
from .errors import ValueError_

__all__ = ["InsurancePolicy", "PolicyLike"]


@dataclass(frozen=True)
class InsurancePolicy:
    """An insurance policy (amounts in the model's currency). Per event, the
    covered loss is each cost category's loss (opportunity less what accrued
    during the waiting period) capped at its sub-limit, summed; the policy
    pays the part above ``deductible``, at most ``limit``; a year's payments
    stop at ``aggregate_limit``. A top-down event has no categories and no
    outage: its whole loss is covered loss. The terms are checked when a
    model or simulation takes the policy (errors name the policy and the
    field)."""

    name: str
    """Unique among the policies, e.g. ``"cyber"``."""
    deductible: float = 0.0
    """Per event: the part of the covered loss the organisation bears."""
    limit: Optional[float] = None
    """Per event: the most the policy pays (None: no limit)."""
    aggregate_limit: Optional[float] = None
    """Per year: the most it pays for all the year's events (None: no limit)."""
    waiting_period: Union[float, str] = 0.0
    """Business interruption: the opportunity cost of the first hours after
    an incident is not covered; hours, or a duration such as ``"12h"``."""
    sublimits: Mapping[str, float] = field(default_factory=dict)
    """Per event and cost category (``liability``, ``response``,
    ``opportunity``, ``legal``): the most of its loss counted as covered."""
    scenarios: Sequence[str] = ()
    """Names of the scenarios it covers; empty: every scenario."""

    def to_dict(self) -> dict[str, Any]:
        """The policy in the model format (an entry of ``"insurance"``); no
        limit (None or infinity) is left out."""
        out: dict[str, Any] = {"name": self.name, "deductible": self.deductible,
                               "waiting_period": self.waiting_period}
        for key in ("limit", "aggregate_limit"):
            value = getattr(self, key)
            if not _no_limit(value):
                out[key] = value
        sub = {k: v for k, v in dict(self.sublimits).items() if not _no_limit(v)}
        if sub:
            out["sublimits"] = sub
        if self.scenarios:
            out["scenarios"] = list(self.scenarios)
        return out


PolicyLike = Union[InsurancePolicy, Mapping[str, Any]]
"""An :class:`InsurancePolicy`, or a dictionary in the model format."""


def _no_limit(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value == math.inf)


def policy_json(policy: PolicyLike, k: int) -> str:
    """JSON text of a policy in the model format, for the core; a value JSON
    cannot hold (NaN, an object of another type) is a ValueError_ naming the
    policy and the field."""
    if isinstance(policy, InsurancePolicy):
        spec: Any = policy.to_dict()
    elif isinstance(policy, Mapping):
        spec = dict(policy)
    else:
        raise ValueError_(f"insurance policy #{k + 1}: must be an InsurancePolicy or a "
                          f"dictionary in the model format, got {type(policy).__name__}",
                          "insurance policy", f"#{k + 1}", "")
    name = spec.get("name")
    label = name if isinstance(name, str) and name else f"#{k + 1}"
    try:
        return json.dumps(spec, allow_nan=False, default=json_default)
    except (TypeError, ValueError, RecursionError) as e:
        problem = unrepresentable(spec)
        where = problem.path if problem is not None else ""
        what = problem.problem if problem is not None else str(e)
        raise ValueError_(f"insurance policy '{label}': {where}: {what}", "insurance policy",
                          label, where) from None


def policies_json(policies: Sequence[PolicyLike]) -> list[str]:
    """JSON texts of ``policies`` (see :func:`policy_json`)."""
    if isinstance(policies, (str, bytes, Mapping)) or not isinstance(policies, Sequence):
        raise ValueError_("simulation: insurance: must be a list of insurance policies, got "
                          f"{type(policies).__name__}", "simulation", "", "insurance")
    return [policy_json(p, k) for k, p in enumerate(policies)]
