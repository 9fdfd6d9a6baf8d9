"""Models: building them from Python objects, JSON, YAML and spreadsheets,
and the analyses of a model (priority classes, inherited objectives, impact of
a scenario, data loss, single points of failure, the 3-2-1 rule)."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _core
from ._checks import MAX_THREADS, flag, integer, memory_for, names, real
from ._input import InputProblem, decode, json_default, load_yaml, unrepresentable
from .errors import IOError_, ParseError, ReferenceError, SpreadsheetError, ValueError_

if TYPE_CHECKING:
    from .loss import IncidentCost
    from .recovery import RecoveryPlan

__all__ = ["Model", "load_model", "PathLike"]

PathLike = Union[str, "os.PathLike[str]"]
"""A file system path."""

_SIZE_MAX = sys.maxsize * 2 + 1
"""Largest search budget (the core's ``size_t``)."""


def _frame(columns: Mapping[str, Any], index: Optional[str] = None) -> pd.DataFrame:
    frame = pd.DataFrame(dict(columns))
    if index is not None:
        frame = frame.set_index(index)
    return frame


@contextlib.contextmanager
def _listing_scenarios(model: Model) -> Iterator[None]:
    """Adds the model's scenarios to the message of an unknown scenario's
    :class:`~continuity.errors.ReferenceError` raised inside the block (the
    core names the scenario it does not know; this also says which it does)."""
    try:
        yield
    except ReferenceError as e:
        if "unknown incident scenario" not in str(e):
            raise
        known = ", ".join(f"'{s}'" for s in model.scenarios) or "none"
        raise ReferenceError(f"{e} (scenarios of model '{model.name}': {known})",
                             e.object_kind, e.object_name, e.field) from None


class Model:
    """A validated business impact model.

    A model exists only if it is valid: building one checks everything up
    front and raises a :class:`continuity.errors.ValidationError` (naming the
    object and field) otherwise. Build one with :meth:`from_dict`,
    :meth:`from_json`, :meth:`from_yaml`, :meth:`from_spreadsheet` or
    :func:`load_model`; the format is described in ``docs/model-format.md``.
    Models are immutable; :meth:`to_dict` gives a copy of the specification to
    change and rebuild.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Model) -> None:
        """Wraps a compiled model (use the ``from_*`` constructors instead)."""
        self._core = core

    # ------------------------------------------------------------ building
    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], source: str = "<dict>") -> Model:
        """Builds a model from Python objects in the JSON model format
        (dicts, lists, strings and numbers; NumPy scalars are numbers).
        Ctrl-C stops it, however large the model."""
        core = _core.Model.from_object(spec, json_default)
        if core is None:  # not plain JSON data: the text says what is wrong
            core = _core.Model.from_json(_json_of(spec, source), source)
        return cls(core)

    @classmethod
    def from_json(cls, path: PathLike) -> Model:
        """Reads a model from a JSON file (errors name the file and line)."""
        return cls(_core.Model.from_json(_read_text(path), os.fspath(path)))

    @classmethod
    def from_json_text(cls, text: str, source: str = "<input>") -> Model:
        """Reads a model from JSON text; ``source`` names it in errors."""
        return cls(_core.Model.from_json(text, source))

    @classmethod
    def from_yaml(cls, path: PathLike) -> Model:
        """Reads a model from a YAML file with the structure of the JSON format.

        The file must be UTF-8. The YAML is read with limits: nesting at most
        100 levels deep, aliases adding at most 1,000,000 values, at most 64 Mi
        characters. Dates (quote them to make them text), NaN, infinities,
        sets, binary data, recursive aliases and keys given twice are
        :class:`continuity.errors.ParseError` naming their line and path."""
        text = _read_text(path)
        try:
            spec = load_yaml(text)
        except InputProblem as e:
            raise ParseError(e.located(os.fspath(path)), os.fspath(path), e.line) from None
        if not isinstance(spec, dict):
            raise ParseError(f"{os.fspath(path)}: a model file must hold a mapping",
                             os.fspath(path), 0)
        return cls.from_dict(spec, os.fspath(path))

    @classmethod
    def from_spreadsheet(cls, path: PathLike,
                         base: Optional[Mapping[str, Any]] = None) -> Model:
        """Reads an inventory workbook (.xlsx), a folder of CSV or Parquet
        tables (``docs/spreadsheet-format.md``; read column by column, see
        :func:`continuity.tables.read_tables`), or a BIA workbook (a workbook
        with a ``Processes`` sheet, ``docs/bia-workbook.md``); ``base``
        supplies what the tables do not hold (scenarios, cost lines, ...).
        Bad cells raise :class:`continuity.errors.SpreadsheetError` naming
        file, sheet, row and column."""
        from .bia import is_bia_workbook, read_bia_workbook
        from .spreadsheet import read_inventory
        from .tables import read_tables

        if Path(path).is_dir():
            return read_tables(path, base=base)
        read = read_bia_workbook if is_bia_workbook(path) else read_inventory
        return cls.from_dict(read(path, base=base), os.fspath(path))

    def to_dict(self) -> dict[str, Any]:
        """The model's specification as Python objects (a fresh copy)."""
        spec: dict[str, Any] = json.loads(self._core.to_json())
        return spec

    def to_json(self, path: Optional[PathLike] = None) -> str:
        """The specification as JSON text; also written to ``path`` if given."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def changed(self, change: Any) -> Model:
        """A new model: ``change(spec)`` edits a copy of the specification in
        place (or returns a new one)."""
        spec = copy.deepcopy(self.to_dict())
        result = change(spec)
        return Model.from_dict(result if result is not None else spec, f"changed '{self.name}'")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Model.from_json_text, (self._core.to_json(), self.name or "<model>"))

    def __repr__(self) -> str:
        return (f"Model({self.name!r}: {self._core.system_count} systems, "
                f"{self._core.function_count} business functions, "
                f"{len(self.scenarios)} scenarios)")

    # ----------------------------------------------------------- contents
    @property
    def name(self) -> str:
        """The organisation or model name."""
        return self._core.name

    @property
    def currency(self) -> str:
        """Currency of every amount."""
        return self._core.currency

    @property
    def tier(self) -> Optional[str]:
        """The organisation's tier of dependency on its systems (松竹梅:
        ``"pine"``, ``"bamboo"`` or ``"plum"``; docs/domain.md §2), or None."""
        return self._core.tier

    @property
    def recommended_measures(self) -> list[str]:
        """The measures docs/domain.md §2 recommends for the model's
        :attr:`tier` (empty without a tier)."""
        return list(self._core.recommended_measures)

    @property
    def functions(self) -> list[str]:
        """Names of the business functions, in model order."""
        return self._core.function_names

    @property
    def systems(self) -> list[str]:
        """Names of the systems, in model order."""
        return self._core.system_names

    @property
    def scenarios(self) -> list[str]:
        """Names of the incident scenarios, in model order."""
        return self._core.scenario_names

    @property
    def resources(self) -> list[str]:
        """Names of the resource pools recovery work can use."""
        return self._core.resource_names

    @property
    def findings(self) -> pd.DataFrame:
        """What the model's arrangements can never achieve, found when it was
        loaded (RPO objectives that no backup is frequent enough for,
        ``rpo_unmeetable``; ransomware dwell times that leave a system no clean
        offline or immutable copy, ``backups_infected``):
        one row per finding with ``kind``, ``object_kind``, ``object``,
        ``field`` and ``message``. A shortfall is a finding, not an error:
        the model loads, and incidents that destroy the data show the breach
        in their gap reports."""
        rows = self._core.findings
        return pd.DataFrame(rows, columns=["kind", "object_kind", "object", "field", "message"])

    # ----------------------------------------------------------- analyses
    def priority_table(self) -> pd.DataFrame:
        """Per business function: importance, system dependency, priority
        class, RTO / RPO / MTPD / WRT in hours (``inf``: no objective)."""
        return _frame(self._core.priority_table(), "function")

    def system_objectives(self) -> pd.DataFrame:
        """Per system: layer, side, segment, whether some function needs it,
        the class and the tightest RTO / RPO it inherits, and which function
        set them."""
        return _frame(self._core.system_objectives(), "system")

    def scenario_table(self) -> pd.DataFrame:
        """Per incident scenario: kind, annual frequency, systems damaged at
        point values."""
        return _frame(self._core.scenario_table(), "scenario")

    def impact(self, scenario: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What ``scenario`` takes down at point values: (systems down with
        their cause, functions stopped with the chain of causes back to a
        system damaged directly)."""
        with _listing_scenarios(self):
            d = self._core.impact(scenario)
        return _frame(d["systems"], "system"), _frame(d["functions"], "function")

    def data_loss(self, scenario: str) -> pd.DataFrame:
        """Per system whose data ``scenario`` destroys: realised RPO (hours of
        data lost; ``inf``: every backup lost), the RPO objective, the backup
        restored from and its restore time."""
        with _listing_scenarios(self):
            return _frame(self._core.data_loss(scenario), "system")

    def single_points_of_failure(self) -> pd.DataFrame:
        """Systems whose loss alone stops a business function, most urgent
        class first, then more functions stopped, then more money at risk:
        the worst class, the functions stopped, profit per hour at risk, and
        ``impact_first_day``, what the functions lose in the first day of an
        outage (lost profit plus their money impact curves)."""
        return _frame(self._core.single_points_of_failure(), "system")

    def backup_rule_3_2_1(self) -> pd.DataFrame:
        """Per data-holding system: backup copies, media, an offline off-site
        copy, and whether the 3-2-1 rule holds."""
        return _frame(self._core.backup_rule_3_2_1(), "system")

    def plan_recovery(self, scenario: str, *, improve: bool = False,
                      objective: str = "business_impact", budget: int = 2000,
                      seed: int = 0, order: Sequence[str] = ()) -> RecoveryPlan:
        """Plans the recovery from ``scenario`` under the model's staff and
        equipment (see :class:`continuity.RecoveryPlan`). The fast schedule
        follows the priority rule (class, then RTO slack); ``order`` puts
        systems first; ``improve`` runs the improving search for
        ``objective`` (``"makespan"``, ``"weighted_rto_tardiness"`` or
        ``"business_impact"``) within ``budget`` schedules, seeded by ``seed``."""
        from .recovery import RecoveryPlan

        kind = "recovery plan"
        improve = flag(improve, "improve", kind)
        budget = integer(budget, "budget", kind, maximum=_SIZE_MAX)
        seed = integer(seed, "seed", kind)
        if not isinstance(objective, str):
            raise ValueError_(f"{kind}: objective: must be a name (makespan, "
                              "weighted_rto_tardiness or business_impact), got "
                              f"{objective!r}", kind, "", "objective")
        order_names = names(order, "order", kind, "system")
        with _listing_scenarios(self):
            core = _core.plan_recovery(self._core, scenario, improve, objective, budget, seed,
                                       order_names)
        return RecoveryPlan(self, core)

    def incident_cost(self, scenario: str) -> IncidentCost:
        """The cost of one occurrence of ``scenario`` with every quantity at
        its point value (deterministic mode)."""
        from .loss import IncidentCost

        with _listing_scenarios(self):
            d = _core.incident_cost(self._core, scenario)
        return IncidentCost.from_core(d, self.currency)

    def tornado(self, scenario: str, low: float = 0.1, high: float = 0.9) -> pd.DataFrame:
        """Sensitivity of one incident's cost: each uncertain input set to its
        ``low`` and ``high`` quantiles in turn, sorted by swing; 0 < low <
        high < 1 (the 0 and 1 quantiles of an unbounded distribution are
        infinite)."""
        low, high = real(low, "low", "tornado"), real(high, "high", "tornado")
        for name, level in (("low", low), ("high", high)):
            if not 0 < level < 1:
                raise ValueError_(f"tornado: {name}: must be a quantile level strictly between "
                                  "0 and 1 (the 0 and 1 quantiles of an unbounded distribution "
                                  f"are infinite), got {level:g}", "tornado", "", name)
        if not low < high:
            raise ValueError_(f"tornado: low, high: low must be below high, got {low:g} and "
                              f"{high:g}", "tornado", "", "low, high")
        with _listing_scenarios(self):
            frame = _frame(_core.tornado(self._core, scenario, low, high))
        frame["swing"] = (frame["high_cost"] - frame["low_cost"]).abs()
        return frame

    def rank_correlations(self, scenario: str, trials: int = 10_000, *, seed: int,
                          threads: int = 0) -> pd.DataFrame:
        """Which inputs drive the cost of ``scenario``, all at once: ``trials``
        occurrences are simulated with every input random (spread, step
        durations, records, amounts: the draws of :func:`continuity.simulate`
        with the same ``seed``), and each input is ranked by Spearman's rank
        correlation with the occurrence's cost.

        Columns: ``input`` (named as in :meth:`tornado`, plus ``"systems
        damaged"``), ``rank_correlation`` (in [-1, 1], sorted by its absolute
        value) and ``trials`` (occurrences in which the input was in play: a
        step's duration only counts when its system is damaged). Unlike the
        tornado, this sees interactions: a long step matters only when it
        lies on the critical path.
        """
        kind = "rank correlation"
        trials = integer(trials, "trials", kind, minimum=3)
        seed = integer(seed, "seed", kind)
        threads = integer(threads, "threads", kind, maximum=MAX_THREADS)
        memory_for(trials, 3, kind, "use fewer trials")
        with _listing_scenarios(self):
            return _frame(_core.rank_correlations(self._core, scenario, trials, seed, threads))


def _json_of(spec: Mapping[str, Any], source: str) -> str:
    """JSON text of a specification; a value JSON cannot hold (NaN, a date, a
    set, ...) is a ParseError naming its path. NumPy scalars are numbers."""
    try:
        return json.dumps(spec, allow_nan=False, default=json_default)
    except (TypeError, ValueError, RecursionError) as e:
        problem = unrepresentable(spec)
        if problem is None:
            raise ParseError(f"{source}: not representable as a model: {e}", source, 0) from e
        raise ParseError(f"{source}: not representable as a model: {problem.described()}",
                         source, 0) from None


def _read_text(path: PathLike) -> str:
    """The text of a model file: UTF-8 (a ParseError with the line of the first
    byte that is not, naming the encoding the file seems to be in)."""
    name = os.fspath(path)
    if Path(path).is_dir():
        raise IOError_(f"'{name}' is a folder, not a model file (load_model reads a folder "
                       "as an inventory of CSV tables)")
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise IOError_(f"cannot open model file '{name}': {e.strerror or e}") from e
    try:
        return decode(data)
    except InputProblem as e:
        raise ParseError(e.located(name), name, e.line) from None


def load_model(path: PathLike, *, base: Optional[Mapping[str, Any]] = None) -> Model:
    """Loads a model file, choosing the reader by its suffix: ``.json``,
    ``.yaml``/``.yml``, ``.xlsx``, or a folder of CSV or Parquet tables
    (``.csv`` and ``.parquet`` files name their folder), read column by
    column (:func:`continuity.tables.read_tables`). An
    ``.xlsx`` workbook with a ``Processes`` sheet is read as a BIA workbook
    (:func:`continuity.bia.read_bia_workbook`), any other as an inventory.

    A spreadsheet inventory keeps its incident scenarios and recovery
    procedures in a companion file: give it as ``base`` (see
    :func:`continuity.spreadsheet.load_companion`). Without ``base``, a
    companion file lying beside the inventory (``<name>_companion.json`` or
    ``<name>.json``, or YAML) is a :class:`continuity.errors.SpreadsheetError`
    saying so, rather than a model without its scenarios; ``base={}`` reads
    the tables alone."""
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir() or suffix in (".xlsx", ".xlsm", ".csv", ".parquet"):
        inventory = p.parent if suffix in (".csv", ".parquet") and not p.is_dir() else p
        if base is None:
            from .spreadsheet import companion_beside

            found = companion_beside(inventory)
            if found is not None:
                raise SpreadsheetError(
                    "an inventory keeps its incident scenarios and recovery procedures in a "
                    f"companion file, and '{found}' lies beside it: read both with "
                    f"load_model(path, base=load_companion('{found}')), or the tables alone "
                    "with base={}", file=str(inventory))
        return Model.from_spreadsheet(inventory, base)
    if suffix in (".yaml", ".yml"):
        return Model.from_yaml(p)
    return Model.from_json(p)
