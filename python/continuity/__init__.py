"""continuity: business impact analysis, RTO/RPO, recovery planning and
incident damage-cost modelling.

>>> import continuity as ct
>>> model = ct.load_model("examples/retailer_b.json")
>>> model.incident_cost("shopping site breach").total
35700000.0

Modules: :mod:`continuity.model` (models and their analyses),
:mod:`continuity.recovery` (recovery plans), :mod:`continuity.loss` (cost and
Monte Carlo), :mod:`continuity.insurance` (insurance policies),
:mod:`continuity.ransom` (pay the ransom or restore),
:mod:`continuity.measures` (mitigation files: measures written as data),
:mod:`continuity.reporting` (the management report, one HTML file),
:mod:`continuity.plot` (matplotlib charts),
:mod:`continuity.formatting` (money in 万 / 億 and other text for people),
:mod:`continuity.spreadsheet` (Excel / CSV inventories),
:mod:`continuity.tables` (CSV / Parquet inventories read column by column, results
written as Parquet / CSV),
:mod:`continuity.bia` (BIA workbooks in the ISO/TS 22317 / NIST SP 800-34 field set),
:mod:`continuity.distributed` (shards on a Dask cluster),
:mod:`continuity.synthetic` (seeded synthetic inventories), :mod:`continuity.cli`
(the ``continuity`` command),
:mod:`continuity.errors` (exceptions).
"""

from __future__ import annotations

from . import errors
from ._core import __version__
from .errors import (
    CycleError,
    DuplicateError,
    Error,
    ObjectiveError,
    ParseError,
    ReferenceError,
    SchedulingError,
    SpreadsheetError,
    ValidationError,
)
from .insurance import InsurancePolicy
from .loss import (
    IncidentCost,
    LossStatistics,
    LossSummary,
    Mitigation,
    MitigationComparison,
    SimulationResult,
    SimulationSummary,
    StreamingStatistics,
    TopDownScenario,
    compare_mitigations,
    concatenate,
    simulate,
    simulate_portfolio,
)
from .measures import load_mitigations
from .model import Model, load_model
from .ransom import RansomDecision, compare_ransom_policies
from .reporting import report
from .recovery import PlanExplanation, RecoveryPlan

__all__ = [
    "__version__",
    "errors",
    "Error",
    "ValidationError",
    "ReferenceError",
    "DuplicateError",
    "CycleError",
    "ObjectiveError",
    "SpreadsheetError",
    "ParseError",
    "SchedulingError",
    "Model",
    "load_model",
    "PlanExplanation",
    "RecoveryPlan",
    "IncidentCost",
    "InsurancePolicy",
    "TopDownScenario",
    "LossStatistics",
    "LossSummary",
    "SimulationResult",
    "SimulationSummary",
    "StreamingStatistics",
    "simulate",
    "simulate_portfolio",
    "concatenate",
    "Mitigation",
    "MitigationComparison",
    "compare_mitigations",
    "RansomDecision",
    "compare_ransom_policies",
    "load_mitigations",
    "report",
]
