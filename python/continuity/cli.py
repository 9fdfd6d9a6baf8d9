"""The ``continuity`` command: analyse a model file from the shell.

::

    continuity MODEL [--companion FILE] [--scenario NAME ...]
               [--deterministic | --trials N --seed S]
               [--threads N] [--progress | --no-progress]
               [--improve] [--objective OBJ] [--budget N] [--spof] [--data-loss]
               [--tornado] [--mitigations FILE] [--ransom] [--risk-appetite AMOUNT[@P] ...]
               [--json] [--csv DIR] [--plots DIR] [--font FONT] [--report FILE [--pdf]]

``MODEL`` is a model file in any format :func:`continuity.load_model` reads
(JSON, YAML, an ``.xlsx`` workbook — an inventory or a BIA workbook —, a
``.csv`` or ``.parquet`` table or a folder of CSV or Parquet tables;
``--companion FILE`` supplies what
the tables of such an inventory do not hold, see :mod:`continuity.spreadsheet`
and :mod:`continuity.bia`). The command prints the priority
table, then for each incident scenario (all of them, or those named with
``--scenario``) the recovery plan (makespan, business impact, recovery
order, the lower bound no plan can beat), the gap report and the cost of
one incident at point values, and finally a Monte Carlo summary of the annual loss (ALE, standard error, P50 …
P99.9, VaR and TVaR at 99 %) unless ``--deterministic`` is given.

Each analysis option adds its section to the text, its entry to the JSON
document, its CSV files and its charts:

- ``--improve`` adds, for each scenario, the recovery order the improving
  search finds for the business impact (``--objective``:
  ``weighted_rto_tardiness`` or ``makespan``; ``--budget N`` schedules; either
  implies ``--improve``), how far it can be from the optimum, and what it
  changes against the priority rule's plan and what that buys;
- ``--spof``: the single points of failure
  (:meth:`continuity.Model.single_points_of_failure`);
- ``--data-loss``: what data each scenario destroys
  (:meth:`continuity.Model.data_loss`) and the 3-2-1 rule of every backup
  (:meth:`continuity.Model.backup_rule_3_2_1`);
- ``--tornado``: each incident's sensitivity (:meth:`continuity.Model.tornado`);
- ``--mitigations FILE``: the measures of a mitigation file
  (:func:`continuity.measures.load_mitigations`) priced by
  :func:`continuity.compare_mitigations` with the run's trials and seed;
- ``--ransom``: :func:`continuity.compare_ransom_policies` (an error if no
  simulated scenario has ransom terms);
- ``--risk-appetite AMOUNT[@P]``: the simulated chance of a year losing more
  than ``AMOUNT`` against the ``P`` accepted (default 1 %); repeatable.

``--mitigations``, ``--ransom`` and ``--risk-appetite`` need the simulation
(with ``--deterministic`` they are usage errors). ``--report FILE`` writes the
management report (:mod:`continuity.reporting`: one self-contained HTML file
with every analysis, whatever options are given; the ransom decision when
some simulated scenario has ransom terms) and ``--pdf`` prints it to PDF
beside it (``FILE`` with the suffix ``.pdf``) with a headless Chromium or
Chrome; without one, ``--pdf`` is an error before any work.

``--json`` prints one JSON document instead (no NaN or Infinity: an unbounded
number of hours is ``null``)::

    {
      "model": "Retailer B",            # the model's name
      "currency": "JPY",
      "tier": "bamboo",                 # 松竹梅, or null
      "recommended_measures": ["...", ...],  # the tier's (none without one)
      "deterministic": false,
      "scenarios": {                    # in model order, keyed by name
        "<scenario>": {
          "kind": "data_breach",
          "annual_frequency": 0.1,
          "cost": {"total": ..., "share_of_annual_revenue": ...,
                   "by_category": {...}, "by_line": {...},
                   "by_function": {...},         # one incident, point values
                   "insured": ..., "retained": ...},  # under the model's insurance
          "plan": {"makespan_h": ..., "business_impact": ...,
                   "weighted_rto_tardiness": ..., "recovery_order": [...],
                   "lower_bound": ...},  # of the business impact
          "improved_plan": {...,         # only with --improve: as "plan", and
                   "objective": ..., "optimality_gap": ...,
                   "schedules_generated": ..., "explanation": ["...", ...],
                   "functions": [{"function": ..., "reference_back_h": ...,
                                  "plan_back_h": ..., "impact_change": ...}, ...]},
          "response": [{"phase": ..., "kind": ..., "at_h": ...,
                        "description": ...}, ...],  # incident-response timeline
          "notifications": [{"notification": ..., "to": ..., "due_h": ...,
                             "at_h": ..., "late": ..., "preset": ...,
                             "description": ...}, ...],  # duties to notify
          "gaps": [{"kind": ..., "function": ..., "system": ...,
                    "objective_h": ..., "achieved_h": ..., "capacity": ...,
                    "cause": ...,
                    "message": ...}, ...],
          "escalation": [{"function": ..., "curve": ..., "unit": ..., "level": ...,
                          "after_h": ..., "reached": ..., "missing_output": ...,
                          "impact": ...}, ...],
          "data_loss": [{"system": ..., "realised_rpo_h": ...,   # --data-loss
                         "rpo_objective_h": ..., "restore_from": ...,
                         "backup_mode": ..., "restore_time_h": ...}, ...],
          "tornado": [{"input": ..., "low_input": ..., "high_input": ...,  # --tornado
                       "low_cost": ..., "high_cost": ..., "swing": ...}, ...]
        }
      },
      "single_points_of_failure": [     # --spof
        {"system": ..., "worst_class": ..., "functions": [...],
         "profit_per_hour": ..., "impact_first_day": ...}, ...],
      "backup_rule_3_2_1": [            # --data-loss
        {"system": ..., "copies": ..., "media": ..., "offline_offsite": ...,
         "satisfied": ...}, ...],
      "total": ...,                     # sum over the scenarios of "cost.total"
      "loss": {                         # only without --deterministic
        "trials": 10000, "seed": 1,
        "scenarios": [...],             # those simulated (positive frequency)
        "mean": ...,                    # the ALE (annualised loss expectancy)
        "standard_deviation": ..., "standard_error": ...,
        "P50": ..., "P90": ..., "P95": ..., "P99": ..., "P99.9": ...,
        "VaR99": ..., "TVaR99": ...,
        "by_category": {...}, "by_scenario": {...},  # mean annual loss
        "insured_mean": ..., "retained_mean": ...,   # under the insurance policies
        "risk_appetite": [{"loss": ..., "probability": ...,   # --risk-appetite
                           "simulated_probability": ..., "within": ...}, ...]
      },
      "mitigations": {                  # --mitigations FILE
        "trials": ..., "seed": ...,
        "measures": [{"measure": "none", ...},    # the baseline first
                     {"measure": ..., "annual_cost": ..., "subsidy": ...,
                      "net_cost": ..., "ale": ..., "ale_reduction": ...,
                      "ale_reduction_se": ..., "rosi": ..., "P99": ...,
                      "TVaR99": ..., "description": ...}, ...]
      },
      "ransom": {                       # --ransom
        "trials": ..., "seed": ..., "scenarios": [...],
        "difference": ..., "difference_se": ...,   # mean(pay - restore)
        "pay_cheaper": ..., "pay_dearer": ...,     # shares of the years
        "policies": {"restore": {...}, "pay": {...}}  # RansomDecision.summary()
      }
    }

The text writes amounts as :func:`continuity.formatting.money` does, in the
model's currency (``¥3.11億``, ``¥8,200万`` for yen; ``$1.23M`` otherwise), and
aligns its columns by display width, so that names in Japanese line up. Where
stdout's encoding lacks a character of the text (code page 932, in which
Japanese Windows writes output redirected to a file, has no ``¥`` and no
``—``) a stand-in is written: ``¥`` as the byte 0x5C, the yen sign of that
code page, as Windows maps it; dashes as ``-``.

``--csv DIR`` also writes the tables as CSV files (see :data:`CSV_FILES`;
UTF-8 with a byte-order mark, for Excel) and ``--plots DIR`` PNG charts
drawn by :mod:`continuity.plot`: for each scenario ``<scenario>-gantt.png``
(with ``--improve`` also ``<scenario>-improved-gantt.png``),
``<scenario>-capacity.png`` and, if some input is uncertain,
``<scenario>-tornado.png`` (a recovery longer than a week on a time axis
that is logarithmic beyond the first hour), where ``<scenario>`` is the scenario's name made
safe for every file system by :func:`continuity.formatting.file_names`
(``ランサムウェア: VPN 経由`` → ``ランサムウェア-vpn-経由``: letters and digits
of any script kept, in lower case, every other run of characters as ``-``,
unique ignoring case); with a Monte Carlo run also ``exceedance.png`` (with
the risk appetite) and ``histogram.png``, with ``--mitigations``
``mitigations.png`` and ``mitigation-exceedance.png``, with ``--ransom``
``ransom.png``. The text ends with the list of files written, each with
what it holds (and of which scenario). ``--font FONT`` chooses the font of
the Japanese characters in the charts (:func:`continuity.plot.set_font`: an
installed font's name, a font file, ``auto`` or ``none``).

Exit status: 0 on success, 1 for an error of the library (an invalid model,
a file that cannot be read or written, more trials than the memory holds;
the message is printed as one line ``continuity: error: <message>``, never
a traceback), 2 for a usage error, 130 when interrupted. If the reader of
stdout goes away (``continuity m.json | head -1``) the command stops
quietly with status 1; with stdout closed (``>&-``) the text goes nowhere
and the files asked for are still written.

A spreadsheet inventory (or BIA workbook) keeps its incident scenarios in a
companion file:
without ``--companion``, an inventory with a companion file beside it
(``<name>_companion.json`` or ``<name>.json``, or YAML), or with no
scenario at all, is an error saying so.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import decimal
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, TextIO

import numpy as np
import pandas as pd

from . import _analysis, _core
from ._analysis import (
    DEFAULT_APPETITE_PROBABILITY,
    OBJECTIVES,
    Analysis,
    Appetite,
    ScenarioAnalysis,
    analyse,
    parse_amount,
    percent,
    ransom_scenarios,
    rosi_text,
)
from ._checks import MAX_THREADS, UINT64_MAX
from ._core import __version__
from .errors import Error, IOError_, SpreadsheetError, ValueError_
from .formatting import display_width, file_names, fill, ljust, money, rjust
from .loss import STANDARD_LEVELS, _check_counts, check_memory, simulate
from .model import Model, load_model
from .recovery import RecoveryPlan

__all__ = ["main", "build_parser", "CSV_FILES"]

PROG = "continuity"
"""The command's name, in its usage and error messages."""

CSV_FILES: dict[str, str] = {
    "priority.csv": "the priority table: one row per business function",
    "timeline.csv": "the recovery timelines: every activity of each scenario's recovery plan",
    "systems.csv": "the systems down: per scenario and system, when it is back, what it "
                   "waited for",
    "functions.csv": "the business functions: per scenario and function, times, lost output "
                     "and profit",
    "gaps.csv": "the gap report: one row per breached objective",
    "cost.csv": "the cost of one incident at point values: scenario, group "
                "(category, line, function), name, amount",
    "loss_summary.csv": "the annual loss (Monte Carlo): statistic, value (trials, ALE, "
                        "standard error, P50 ... P99.9, VaR and TVaR 99 %)",
    "loss_breakdown.csv": "the mean annual loss by group (Monte Carlo): group (category, "
                          "scenario, function, line) and name, share, standard deviation, P99",
    "trials.csv": "every simulated year (Monte Carlo): per trial, its annual loss and every "
                  "breakdown column",
    "improved_timeline.csv": "--improve: the improved recovery plans: every activity of each "
                             "scenario's improved plan",
    "improvement.csv": "--improve: what the improved plans change: per scenario and business "
                       "function, back in each plan and the change of its impact",
    "single_points_of_failure.csv": "--spof: the single points of failure: system, worst "
                                    "class, functions stopped ('; '-separated), profit per "
                                    "hour, impact of the first day",
    "data_loss.csv": "--data-loss: per scenario and system whose data it destroys: realised "
                     "RPO, RPO objective, backup restored from",
    "backup_3_2_1.csv": "--data-loss: per data-holding system: copies, media, an offline "
                        "off-site copy, whether the 3-2-1 rule holds",
    "tornado.csv": "--tornado: per scenario, each uncertain input at its 10 % and 90 % "
                   "quantiles and the incident's cost then",
    "risk_appetite.csv": "--risk-appetite: each point of the risk appetite: loss, the "
                         "probability accepted and simulated of exceeding it, within or not",
    "mitigations.csv": "--mitigations: per measure: annual cost, subsidy, net cost, ALE, its "
                       "reduction and standard error, ROSI, P99, TVaR99",
    "ransom.csv": "--ransom: per policy (restore, pay): the annual loss statistics and the "
                  "mean ransom payment, data leak and sanctions",
}
"""The files ``--csv DIR`` writes and what each holds (``loss_summary.csv``,
``loss_breakdown.csv`` and ``trials.csv`` only with a Monte Carlo run; those
whose description starts with an option only with that option). Tables of several scenarios are stacked, with the
scenario in the first column. Every file is UTF-8 with a byte-order mark
(:data:`CSV_ENCODING`), which Excel needs to read Japanese names; numbers
are written in full, not as the text shows them, and counts (the trials of
``loss_summary.csv``, the lost records of ``systems.csv``, the RTO and MTPD
breaches and events of ``trials.csv``) as whole numbers."""

CSV_ENCODING = "utf-8-sig"
"""Encoding of the CSV files: UTF-8 with a byte-order mark, which Excel
needs to read names in Japanese (without it, it assumes the system's code
page)."""

_VAR_LEVEL = 0.99
_COUNT_GROUPS = ("rto_breaches", "mtpd_breaches", "events")
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".parquet")
_BREAKDOWN_GROUPS = ("category", "scenario", "function", "line")


# --------------------------------------------------------------- arguments
def _integer(minimum: int, maximum: Optional[int] = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            written = _exponent_integer(text)
            if written is None:
                raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
            value = written
        if value < minimum:
            what = "a positive integer" if minimum == 1 else \
                "a non-negative integer" if minimum == 0 else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"must be {what}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def _exponent_integer(text: str) -> Optional[int]:
    """A whole number written with an exponent (``1e6``, ``2.5E3``), else None."""
    if not re.fullmatch(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d{1,3}\s*", text):
        return None
    value = decimal.Decimal(text.strip())
    if value != value.to_integral_value():
        return None
    return int(value)


def _appetite(text: str) -> Appetite:
    """A risk appetite point written ``AMOUNT[@P]``: ``1e8``, ``1億@1%``,
    ``5000万@0.001``."""
    amount, _, probability = text.partition("@")
    try:
        loss = parse_amount(amount)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    p = DEFAULT_APPETITE_PROBABILITY
    if probability:
        written = probability.strip()
        try:
            p = float(written.rstrip("%").strip()) / (100 if written.endswith("%") else 1)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a probability: {probability!r} (write e.g. "
                                             "1% or 0.01)") from None
        if not 0 < p < 1:
            raise argparse.ArgumentTypeError(f"the probability must lie strictly between 0 "
                                             f"and 1 (0% and 100%), got {probability!r}")
    return Appetite(loss, p)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``continuity`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Business impact analysis of a continuity model: priority table, "
                    "recovery plans, gap reports, incident costs and simulated annual losses.",
        epilog="Exit status: 0 success, 1 error in the model or a file, 2 usage error, "
               "130 interrupted.",
    )
    parser.add_argument("model", metavar="MODEL",
                        help="model file: .json, .yaml/.yml, .xlsx, .csv, .parquet or a folder of "
                             "CSV or Parquet tables")
    parser.add_argument("-c", "--companion", metavar="FILE", type=Path,
                        help="for a spreadsheet inventory or BIA workbook: JSON or YAML file "
                             "with what its tables do not hold (scenarios, recovery "
                             "procedures, ...)")
    parser.add_argument("-s", "--scenario", metavar="NAME", action="append", default=[],
                        help="analyse this incident scenario (repeatable; default: all)")
    parser.add_argument("-d", "--deterministic", action="store_true",
                        help="every quantity at its point value; no Monte Carlo simulation")
    parser.add_argument("-n", "--trials", type=_integer(1, UINT64_MAX), default=10000,
                        metavar="N",
                        help="simulated years, e.g. 10000 or 1e6 (default: %(default)s)")
    parser.add_argument("--seed", type=_integer(0, UINT64_MAX), default=1, metavar="S",
                        help="seed of the simulation: the same seed gives the same "
                             "results (default: %(default)s)")
    parser.add_argument("-j", "--threads", type=_integer(0, MAX_THREADS), default=0,
                        metavar="N", help="threads of the simulation (default: 0, all cores; "
                                          f"at most {MAX_THREADS})")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")
    analyses = parser.add_argument_group("analyses (each adds its section to the text, the "
                                         "JSON document, the CSV files and the charts)")
    analyses.add_argument("--improve", action="store_true",
                          help="also search for the recovery order with the least business "
                               "impact (or --objective), and explain what it changes")
    analyses.add_argument("--objective", choices=OBJECTIVES, default=None,
                          help="what the improving search minimises (implies --improve; "
                               "default: business_impact)")
    analyses.add_argument("--budget", type=_integer(1, UINT64_MAX), default=None, metavar="N",
                          help="schedules the improving search may evaluate (implies "
                               "--improve; default: 2000)")
    analyses.add_argument("--spof", action="store_true",
                          help="single points of failure: systems whose loss alone stops a "
                               "business function, most urgent first")
    analyses.add_argument("--data-loss", action="store_true",
                          help="data each scenario destroys (realised RPO, the backup "
                               "restored from) and the 3-2-1 rule of every backup")
    analyses.add_argument("--tornado", action="store_true",
                          help="what moves each incident's cost: every uncertain input at "
                               "its 10 %% and 90 %% quantiles")
    analyses.add_argument("--mitigations", metavar="FILE", type=Path,
                          help="price the measures of a mitigation file (JSON or YAML, see "
                               "docs/mitigation-format.md): ALE reduction and ROSI, on the "
                               "same simulated incidents")
    analyses.add_argument("--ransom", action="store_true",
                          help="the ransom decision: pay or restore, simulated on the same "
                               "incidents (scenarios with ransom terms)")
    analyses.add_argument("--risk-appetite", metavar="AMOUNT[@P]", action="append",
                          type=_appetite, default=[],
                          help="an annual loss the organisation accepts to exceed with "
                               "probability at most P (default 1%%), e.g. 1e8, 1億@1%%, "
                               "5000万@0.1 (repeatable: a tolerance curve)")
    output = parser.add_argument_group("output")
    output.add_argument("--json", action="store_true",
                        help="print one JSON document instead of text")
    output.add_argument("--csv", metavar="DIR", type=Path,
                        help="also write the tables as CSV files to DIR")
    output.add_argument("--plots", metavar="DIR", type=Path,
                        help="also write PNG charts to DIR")
    output.add_argument("--report", metavar="FILE", type=Path,
                        help="also write the management report: one self-contained HTML "
                             "file with every analysis and chart, for screen and paper")
    output.add_argument("--pdf", action="store_true",
                        help="with --report: also print the report to PDF, beside it with "
                             "the suffix .pdf, with a headless browser (chromium)")
    output.add_argument("--font", metavar="FONT",
                        help="font of the Japanese (Chinese, Korean) characters in the charts: "
                             "the name of an installed font (e.g. 'Yu Gothic'), a font file "
                             "(.ttf, .otf, .ttc), 'auto' (default: the first installed of "
                             "Noto Sans CJK JP, Yu Gothic, Meiryo, Hiragino Sans, IPAexGothic, "
                             "..., else IPAexGothic from matplotlib-fontja) or 'none'")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


# ---------------------------------------------------------------- analysis
@dataclass(frozen=True)
class _Written:
    path: Path
    what: str  # what the file holds, e.g. "scenario 'fire': recovery schedule"


def _select(parser: argparse.ArgumentParser, model: Model, names: Sequence[str]) -> list[str]:
    if not names:
        return list(model.scenarios)
    known = set(model.scenarios)
    unknown = [n for n in names if n not in known]
    if unknown:
        available = ", ".join(repr(s) for s in model.scenarios) or "none"
        parser.error(f"argument --scenario: no scenario {unknown[0]!r} in model "
                     f"{model.name!r} (scenarios: {available})")
    return list(dict.fromkeys(names))


# -------------------------------------------------------------------- text
def _hours(x: float) -> str:
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "never"
    return f"{x:,.1f} h ({x / 24:,.1f} d)" if x >= 48 else f"{x:,.1f} h"


def _heading(out: TextIO, title: str, underline: str) -> None:
    out.write(f"\n{title}\n{underline * display_width(title)}\n")


def _pairs(out: TextIO, rows: Sequence[tuple[str, str]], indent: str = "  ") -> None:
    """Names on the left, values on the right, aligned by display width."""
    if not rows:
        return
    width = max(display_width(k) for k, _ in rows)
    vwidth = max(display_width(v) for _, v in rows)
    for k, v in rows:
        out.write(f"{indent}{ljust(k, width)}  {rjust(v, vwidth)}\n")


def _wrapped(out: TextIO, text: str, initial_indent: str, subsequent_indent: str) -> None:
    out.write(fill(text, 100, initial_indent, subsequent_indent) + "\n")


def _priority_text(table: pd.DataFrame) -> str:
    shown = table.copy()
    for column in shown.columns:
        if str(column).endswith("_h"):
            shown[column] = [("-" if math.isinf(v) else f"{v:g}") for v in shown[column]]
    # columns of Japanese names aligned by display width
    with pd.option_context("display.unicode.east_asian_width", True):
        return shown.to_string()


def _columns(out: TextIO, rows: Sequence[Sequence[str]], right: Sequence[bool],
             indent: str = "  ") -> None:
    """Rows of text cells in columns aligned by display width (the first row
    is the header); ``right`` says which columns are right-aligned."""
    if len(rows) < 2:
        return
    widths = [max(display_width(r[k]) for r in rows) for k in range(len(rows[0]))]
    for row in rows:
        cells = [rjust(c, w) if r else ljust(c, w) for c, w, r in zip(row, widths, right)]
        out.write((indent + "  ".join(cells)).rstrip() + "\n")


_OBJECTIVE_TITLES = {"business_impact": "the least business impact",
                     "weighted_rto_tardiness": "the least weighted RTO tardiness",
                     "makespan": "the earliest end of all work"}


def _write_improved_text(out: TextIO, s: ScenarioAnalysis, objective: str,
                         currency: str) -> None:
    q, explanation = s.improved, s.explanation
    assert q is not None and explanation is not None
    _heading(out, f"Improved recovery order (search for {_OBJECTIVE_TITLES[objective]})", "-")
    bound = (money(q.lower_bound, currency) if objective == "business_impact" else
             _hours(q.lower_bound) if objective == "makespan" else f"{q.lower_bound:,.1f}")
    _pairs(out, [("All work done after", _hours(q.makespan_h)),
                 ("Business impact", money(q.business_impact, currency)),
                 ("Weighted RTO tardiness", f"{q.weighted_rto_tardiness:,.1f}"),
                 ("Lower bound (staff unlimited)", bound),
                 ("At most this far from the optimum", _share(q.optimality_gap)),
                 ("Schedules evaluated", f"{q.schedules_generated:,}")])
    order = " → ".join(q.recovery_order) or "nothing to recover"
    _wrapped(out, order, "  Recovery order: ", "    ")
    out.write("  What it changes against the priority rule:\n")
    for line in explanation.text.splitlines():
        _wrapped(out, line, "  - ", "    ")


def _rpo(x: float) -> str:
    return "every copy lost" if math.isinf(x) else _hours(x)


def _write_data_loss_text(out: TextIO, loss: pd.DataFrame) -> None:
    _heading(out, "Data loss (realised RPO: the data lost since the copy restored)", "-")
    if len(loss) == 0:
        out.write("  No data is lost.\n")
        return
    rows = [["system", "data lost", "RPO", "restored from"]]
    for system, r in loss.iterrows():
        source = str(r["restore_from"]) or "nothing"
        if r["backup_mode"]:
            source += f" ({r['backup_mode']}, restore {_hours(float(r['restore_time_h']))})"
        rows.append([str(system), _rpo(float(r["realised_rpo_h"])),
                     _hours(float(r["rpo_objective_h"])), source])
    _columns(out, rows, [False, True, True, False])


def _write_tornado_text(out: TextIO, frame: pd.DataFrame, currency: str) -> None:
    _heading(out, "What moves the incident's cost (each input at its 10 % and 90 % "
                  "quantiles)", "-")
    if len(frame) == 0:
        out.write("  No uncertain input: every quantity is fixed.\n")
        return
    rows = [["input", "cost at 10 %", "cost at 90 %", "swing"]]
    rows += [[str(r["input"]), money(float(r["low_cost"]), currency),
              money(float(r["high_cost"]), currency), money(float(r["swing"]), currency)]
             for _, r in frame.iterrows()]
    _columns(out, rows, [False, True, True, True])


def _write_scenario_text(out: TextIO, s: ScenarioAnalysis, currency: str,
                         objective: str = "business_impact") -> None:
    _heading(out, f"Scenario '{s.name}' ({s.kind}, {s.annual_frequency:g} a year)", "=")

    _heading(out, "Recovery plan", "-")
    p = s.plan
    _pairs(out, [("All work done after", _hours(p.makespan_h)),
                 ("Business impact", money(p.business_impact, currency)),
                 ("Lower bound (staff unlimited)", money(p.lower_bound, currency)),
                 ("Weighted RTO tardiness", f"{p.weighted_rto_tardiness:,.1f}")])
    order = " → ".join(p.recovery_order) or "nothing to recover"
    _wrapped(out, order, "  Recovery order: ", "    ")
    reentry = p.timeline[p.timeline["kind"] == "data_reentry"]
    for system, start, finish in zip(reentry["system"], reentry["start_h"], reentry["finish_h"]):
        lost = p.systems.loc[system, "lost_records"]
        out.write(f"  Data re-entry of '{system}': {lost:,.0f} lost records re-entered by hand, "
                  f"from {_hours(float(start))} to {_hours(float(finish))}\n")
    response = p.response
    if len(response) > 1:
        out.write("  Incident response:\n")
        for phase, at in zip(response["phase"], response["at_h"]):
            out.write(f"    {_hours(float(at)):>18}  {phase}\n")
    notices = p.notifications
    if len(notices):
        out.write("  Notifications (deadline from detection):\n")
        for name, to, due_h, at_h, late in zip(notices["notification"], notices["to"],
                                               notices["due_h"].astype(float),
                                               notices["at_h"].astype(float), notices["late"]):
            due = "no fixed deadline" if math.isinf(due_h) else f"due {_hours(due_h)}"
            state = "LATE" if late else "on time"
            out.write(f"    {_hours(at_h):>18}  {name} to {to} ({due}: {state})\n")
    if s.improved is not None:
        _write_improved_text(out, s, objective, currency)

    _heading(out, "Gap report", "-")
    gaps = p.gaps
    if len(gaps) == 0:
        out.write("  No gaps: every objective is met.\n")
    else:
        out.write(f"  {len(gaps)} objective{'s' if len(gaps) != 1 else ''} breached:\n")
        for kind, message in zip(gaps["kind"], gaps["message"]):
            _wrapped(out, f"[{kind}] {message}", "  - ", "    ")

    levels = p.escalation
    if len(levels):
        _heading(out, "Impact escalation (highest level each curve reaches)", "-")
        for (function, curve), rows in levels.groupby(["function", "curve"], sort=False):
            reached = rows[rows["reached"]]
            unit = rows["unit"].iloc[0]
            if len(reached) == 0:
                out.write(f"  '{function}' – {curve} ({unit}): no level reached\n")
                continue
            top = reached.iloc[-1]
            by_then = (money(float(top["impact"]), currency) if unit in (currency, "")
                       else f"{float(top['impact']):,.6g} {unit}")
            out.write(f"  '{function}' – {curve} ({unit}): level {int(top['level'])} of "
                      f"{len(rows)} (from {_hours(float(top['after_h']))} of outage), "
                      f"{by_then} by then\n")

    _heading(out, "Cost of one incident (point values)", "-")
    c = s.cost
    _pairs(out, [("Total", money(c.total, currency))]
           + ([("Share of annual revenue", _share(c.share_of_annual_revenue))]
              if math.isfinite(c.share_of_annual_revenue) else []))
    if len(c.insured_by_policy) > 0:
        _pairs(out, [("Insured", money(c.insured, currency)),
                     ("Retained", money(c.retained, currency))])
    for title, series in (("By category", c.by_category), ("By cost line", c.by_line)):
        out.write(f"  {title}:\n")
        _pairs(out, [(str(k), money(float(v), currency)) for k, v in series.items()],
               indent="    ")
    if s.data_loss is not None:
        _write_data_loss_text(out, s.data_loss)
    if s.tornado is not None:
        _write_tornado_text(out, s.tornado, currency)


def _write_loss_text(out: TextIO, analysis: Analysis, currency: str) -> None:
    r = analysis.result
    assert r is not None
    _heading(out, f"Annual loss, Monte Carlo ({analysis.trials:,} simulated years, "
                  f"seed {analysis.seed})", "=")
    summary = r.statistics.summary(levels=(_VAR_LEVEL,))
    rows = [("ALE (mean annual loss)", money(summary["mean"], currency)),
            ("Standard error of the ALE", money(summary["standard_error"], currency)),
            ("Standard deviation", money(summary["standard_deviation"], currency))]
    rows += [(f"P{100 * p:g}", money(summary[f"P{100 * p:g}"], currency))
             for p in STANDARD_LEVELS]
    level = f"{100 * _VAR_LEVEL:g}"
    rows += [(f"VaR {level} %", money(summary[f"VaR{level}"], currency)),
             (f"TVaR {level} %", money(summary[f"TVaR{level}"], currency))]
    if any(n.startswith("insured:") for n in r.breakdown_names):
        rows += [("Insured (mean)", money(float(r.insured_loss.mean()), currency)),
                 ("Retained (mean)", money(float(r.retained_loss.mean()), currency))]
    _pairs(out, rows)
    by_scenario = r.breakdown_summary("scenario")
    if len(by_scenario) > 0:
        out.write("  Mean annual loss by scenario:\n")
        _pairs(out, [(str(k), f"{money(float(m), currency)}  ({_share(float(sh))})")
                     for k, m, sh in zip(by_scenario.index, by_scenario["mean"],
                                         by_scenario["share"])], indent="    ")
    if analysis.appetite:
        out.write("  Risk appetite (chance of a year that loses more):\n")
        table = [["loss", "accepted", "simulated", ""]]
        table += [[money(a.loss, currency), f"≤ {percent(a.probability)}",
                   percent(a.simulated(r)), "within" if a.within(r) else "EXCEEDED"]
                  for a in analysis.appetite]
        _columns(out, table, [True, True, True, False], indent="    ")
    if analysis.comparison is not None:
        _write_mitigations_text(out, analysis, currency)
    if analysis.ransom is not None:
        _write_ransom_text(out, analysis, currency)


def _write_mitigations_text(out: TextIO, analysis: Analysis, currency: str) -> None:
    c = analysis.comparison
    assert c is not None
    _heading(out, f"Mitigations ({analysis.trials:,} simulated years, seed {analysis.seed}; "
                  "every measure meets the same incidents)", "=")
    rows = [["measure", "net cost/year", "ALE", "ALE reduction (± SE)", "ROSI"]]
    for name, r in c.table.iterrows():
        reduction = "" if name == "none" else \
            f"{money(float(r['ale_reduction']), currency)} ± " \
            f"{money(float(r['ale_reduction_se']), currency)}"
        rosi = float(r["rosi"])
        rows.append([str(name), money(float(r["net_cost"]), currency),
                     money(float(r["ale"]), currency), reduction,
                     "" if name == "none" else rosi_text(rosi, "n/a")])
    _columns(out, rows, [False, True, True, True, True])
    out.write("  ROSI = (ALE reduction - net cost) / net cost; net cost = annual cost less any "
              "subsidy.\n")


def _write_ransom_text(out: TextIO, analysis: Analysis, currency: str) -> None:
    d = analysis.ransom
    assert d is not None
    scenarios = ", ".join(f"'{s}'" for s in d.scenarios)
    _heading(out, f"Ransom decision: pay or restore ({scenarios}; {analysis.trials:,} "
                  f"simulated years, seed {analysis.seed})", "=")
    summary = d.summary(levels=(_VAR_LEVEL,))
    rows = [["policy", "ALE", "P99", "TVaR 99 %", "ransom paid", "data leak", "sanctions"]]
    rows += [[str(policy), *(money(float(r[k]), currency)
                             for k in ("mean", "P99", "TVaR99", "mean ransom payment",
                                       "mean data leak", "mean sanctions"))]
             for policy, r in summary.iterrows()]
    _columns(out, rows, [False] + [True] * 6)
    sign = "+" if d.difference >= 0 else "-"
    verdict = "paying costs more" if d.difference > 0 else "paying costs less"
    _wrapped(out, f"Paying changes the ALE by {sign}{money(abs(d.difference), currency)} ± "
                  f"{money(d.difference_se, currency)} ({verdict}); paying loses less in "
                  f"{percent(d.pay_cheaper)} of the simulated years and more in "
                  f"{percent(d.pay_dearer)}.", "  ", "  ")


def _share(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:5.1f} %"


def _write_spof_text(out: TextIO, frame: pd.DataFrame, currency: str) -> None:
    _heading(out, "Single points of failure (systems whose loss alone stops a business "
                  "function)", "=")
    if len(frame) == 0:
        out.write("  None: every business function survives the loss of any one system.\n")
        return
    rows = [["system", "class", "first-day impact", "functions stopped"]]
    rows += [[str(system), str(r["worst_class"]), money(float(r["impact_first_day"]), currency),
              ", ".join(r["functions"])] for system, r in frame.iterrows()]
    _columns(out, rows, [False, False, True, False])


def _write_backup_text(out: TextIO, frame: pd.DataFrame) -> None:
    _heading(out, "Backups and the 3-2-1 rule (3 copies, 2 media, 1 offline off site)", "=")
    if len(frame) == 0:
        out.write("  No system holds data.\n")
        return
    rows = [["system", "copies", "media", "offline off site", "3-2-1"]]
    rows += [[str(system), str(int(r["copies"])), str(int(r["media"])),
              "yes" if r["offline_offsite"] else "no",
              "met" if r["satisfied"] else "NOT MET"] for system, r in frame.iterrows()]
    _columns(out, rows, [False, True, True, False, False])


def _write_text(out: TextIO, analysis: Analysis, deterministic: bool) -> None:
    model = analysis.model
    out.write(f"{model.name or 'Model'}: {len(model.systems)} systems, "
              f"{len(model.functions)} business functions, {len(model.scenarios)} "
              f"scenario{'s' if len(model.scenarios) != 1 else ''}; amounts in "
              f"{model.currency}\n")
    _heading(out, "Priority table", "=")
    out.write(_priority_text(model.priority_table()) + "\n")
    if model.tier is not None:
        _heading(out, f"Measures recommended for the tier '{model.tier}' (松竹梅)", "=")
        for measure in model.recommended_measures:
            _wrapped(out, measure, "  - ", "    ")
    if analysis.single_points_of_failure is not None:
        _write_spof_text(out, analysis.single_points_of_failure, model.currency)
    if analysis.backup_rule is not None:
        _write_backup_text(out, analysis.backup_rule)
    for s in analysis.scenarios:
        _write_scenario_text(out, s, model.currency, analysis.objective)
    if len(analysis.scenarios) > 1:
        _heading(out, "All scenarios", "=")
        _pairs(out, [("One incident of each, total", money(analysis.total, model.currency))])
    if deterministic:
        out.write("\n(deterministic: point values only, no Monte Carlo simulation)\n")


# -------------------------------------------------------------------- JSON
def _jsonable(x: Any) -> Any:
    """Python objects JSON can hold: NaN and ±inf become None, NumPy scalars
    plain numbers."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if math.isfinite(v) else None
    if isinstance(x, pd.Series):
        return {str(k): _jsonable(v) for k, v in x.items()}
    return x


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(c): _jsonable(v) for c, v in zip(frame.columns, row)}
            for row in frame.itertuples(index=False, name=None)]


def _indexed(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """:func:`_records` of a frame with its index as the first column."""
    return _records(frame.reset_index())


def _loss_document(analysis: Analysis) -> dict[str, Any]:
    r = analysis.result
    assert r is not None
    summary = r.statistics.summary(levels=(_VAR_LEVEL,))
    by_scenario = r.breakdown_summary("scenario")["mean"]
    doc: dict[str, Any] = {"trials": analysis.trials, "seed": analysis.seed,
                           "scenarios": [str(s) for s in by_scenario.index]}
    doc.update({str(k): v for k, v in summary.items() if k != "trials"})
    doc["by_category"] = r.breakdown_summary("category")["mean"]
    doc["by_scenario"] = by_scenario
    doc["insured_mean"] = float(r.insured_loss.mean()) if r.trials else math.nan
    doc["retained_mean"] = float(r.retained_loss.mean()) if r.trials else math.nan
    if analysis.appetite:
        doc["risk_appetite"] = _records(_appetite_table(analysis))
    return doc


def _appetite_table(analysis: Analysis) -> pd.DataFrame:
    r = analysis.result
    assert r is not None
    return pd.DataFrame({"loss": [a.loss for a in analysis.appetite],
                         "probability": [a.probability for a in analysis.appetite],
                         "simulated_probability": [a.simulated(r) for a in analysis.appetite],
                         "within": [a.within(r) for a in analysis.appetite]})


def _mitigations_table(analysis: Analysis) -> pd.DataFrame:
    c = analysis.comparison
    assert c is not None
    descriptions = {m.name: m.description for m in analysis.mitigations}
    table = pd.DataFrame(c.table).reset_index()
    table["description"] = [descriptions.get(str(n), "") for n in table["measure"]]
    return table


def _ransom_document(analysis: Analysis) -> dict[str, Any]:
    d = analysis.ransom
    assert d is not None
    summary = d.summary(levels=(_VAR_LEVEL,))
    return {"trials": analysis.trials, "seed": analysis.seed, "scenarios": list(d.scenarios),
            "difference": d.difference, "difference_se": d.difference_se,
            "pay_cheaper": d.pay_cheaper, "pay_dearer": d.pay_dearer,
            "policies": {str(policy): {str(k): (int(v) if k == "trials" else float(v))
                                       for k, v in row.items()}
                         for policy, row in summary.iterrows()}}


def _plan_document(plan: RecoveryPlan) -> dict[str, Any]:
    return {"makespan_h": plan.makespan_h, "business_impact": plan.business_impact,
            "weighted_rto_tardiness": plan.weighted_rto_tardiness,
            "recovery_order": plan.recovery_order, "lower_bound": plan.lower_bound}


def _document(analysis: Analysis) -> dict[str, Any]:
    scenarios: dict[str, Any] = {}
    for s in analysis.scenarios:
        p, c = s.plan, s.cost
        entry: dict[str, Any] = {
            "kind": s.kind,
            "annual_frequency": s.annual_frequency,
            "cost": {"total": c.total, "share_of_annual_revenue": c.share_of_annual_revenue,
                     "by_category": c.by_category, "by_line": c.by_line,
                     "by_function": c.by_function, "insured": c.insured,
                     "retained": c.retained},
            "plan": _plan_document(p),
            "response": _records(p.response),
            "notifications": _records(p.notifications),
            "gaps": _records(p.gaps),
            "escalation": _records(p.escalation),
        }
        if s.improved is not None and s.explanation is not None:
            q = s.improved
            entry["improved_plan"] = {
                **_plan_document(q), "objective": q.objective,
                "optimality_gap": q.optimality_gap,
                "schedules_generated": q.schedules_generated,
                "explanation": s.explanation.text.splitlines(),
                "functions": _indexed(s.explanation.functions)}
        if s.data_loss is not None:
            entry["data_loss"] = _indexed(s.data_loss)
        if s.tornado is not None:
            entry["tornado"] = _records(s.tornado)
        scenarios[s.name] = entry
    doc: dict[str, Any] = {
        "model": analysis.model.name,
        "currency": analysis.model.currency,
        "tier": analysis.model.tier,
        "recommended_measures": analysis.model.recommended_measures,
        "deterministic": analysis.result is None,
        "scenarios": scenarios,
        "total": analysis.total,
    }
    if analysis.single_points_of_failure is not None:
        doc["single_points_of_failure"] = _indexed(analysis.single_points_of_failure)
    if analysis.backup_rule is not None:
        doc["backup_rule_3_2_1"] = _indexed(analysis.backup_rule)
    if analysis.result is not None:
        doc["loss"] = _loss_document(analysis)
    if analysis.comparison is not None:
        doc["mitigations"] = {"trials": analysis.trials, "seed": analysis.seed,
                              "measures": _records(_mitigations_table(analysis))}
    if analysis.ransom is not None:
        doc["ransom"] = _ransom_document(analysis)
    converted: dict[str, Any] = _jsonable(doc)
    return converted


# --------------------------------------------------------------- CSV files
def _stacked(parts: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The frames one below the other with a first column ``scenario``."""
    frames = [f.assign(scenario=name)[["scenario", *f.columns]] for name, f in parts]
    nonempty = [f for f in frames if len(f) > 0]
    if not nonempty:
        return frames[0] if frames else pd.DataFrame({"scenario": []})
    return pd.concat(nonempty, ignore_index=True)


def _counts_as_integers(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with its ``columns`` of whole numbers as integers, so that
    a count is written ``3``, not ``3.0``."""
    out = frame.copy()
    for c in columns:
        values = out[c].to_numpy(dtype=np.float64)
        if np.all(np.isfinite(values)) and np.all(values == np.round(values)):
            out[c] = values.astype(np.int64)
    return out


def _csv_what(name: str) -> str:
    """What a CSV file holds, in a few words (its description in
    :data:`CSV_FILES` without the option that writes it and the details)."""
    text = CSV_FILES[name]
    if text.startswith("--"):
        text = text.split(": ", 1)[1]
    return text.split(": ", 1)[0]


def _write_csv(directory: Path, analysis: Analysis) -> list[_Written]:
    directory.mkdir(parents=True, exist_ok=True)
    written: list[_Written] = []

    def write(name: str, frame: pd.DataFrame, index: bool = False) -> None:
        path = directory / name
        # UTF-8 with a byte-order mark: Excel then reads the names as UTF-8
        pd.DataFrame(frame).to_csv(path, index=index, encoding=CSV_ENCODING)
        written.append(_Written(path, _csv_what(name)))

    write("priority.csv", analysis.model.priority_table(), index=True)
    ss = analysis.scenarios
    write("timeline.csv", _stacked([(s.name, s.plan.timeline) for s in ss]))
    write("systems.csv", _counts_as_integers(
        _stacked([(s.name, s.plan.systems.reset_index()) for s in ss]), ["lost_records"]))
    write("functions.csv", _stacked([(s.name, s.plan.functions.reset_index()) for s in ss]))
    write("gaps.csv", _stacked([(s.name, s.plan.gaps) for s in ss]))
    cost_rows = [(s.name, group, str(k), float(v))
                 for s in ss
                 for group, series in (("total", pd.Series({"total": s.cost.total})),
                                       ("category", s.cost.by_category),
                                       ("line", s.cost.by_line),
                                       ("function", s.cost.by_function))
                 for k, v in series.items()]
    write("cost.csv", pd.DataFrame(cost_rows, columns=["scenario", "group", "name", "amount"]))
    improved = [s for s in ss if s.improved is not None and s.explanation is not None]
    if improved:
        write("improved_timeline.csv",
              _stacked([(s.name, s.improved.timeline) for s in improved
                        if s.improved is not None]))
        write("improvement.csv",
              _stacked([(s.name, s.explanation.functions.reset_index()) for s in improved
                        if s.explanation is not None]))
    if analysis.single_points_of_failure is not None:
        spof = analysis.single_points_of_failure.copy()
        spof["functions"] = ["; ".join(f) for f in spof["functions"]]
        write("single_points_of_failure.csv", spof, index=True)
    if analysis.backup_rule is not None:
        write("data_loss.csv", _stacked([(s.name, s.data_loss.reset_index()) for s in ss
                                         if s.data_loss is not None]))
        write("backup_3_2_1.csv", analysis.backup_rule, index=True)
    tornadoes = [(s.name, s.tornado) for s in ss if s.tornado is not None]
    if tornadoes:
        write("tornado.csv", _stacked(tornadoes))

    r = analysis.result
    if r is not None:
        summary = r.statistics.summary(levels=(_VAR_LEVEL,))
        values = [int(v) if k == "trials" else float(v) for k, v in summary.items()]
        write("loss_summary.csv",
              pd.DataFrame({"statistic": summary.index, "value": pd.Series(values,
                                                                           dtype=object)}))
        parts = []
        for group in _BREAKDOWN_GROUPS:
            b = r.breakdown_summary(group)
            if len(b) > 0:
                parts.append(b.reset_index().rename(columns={group: "name"})
                             .assign(group=group))
        columns = ["group", "name", "mean", "share", "standard_deviation", "P99"]
        breakdown = pd.concat(parts, ignore_index=True)[columns] if parts else \
            pd.DataFrame({c: [] for c in columns})
        write("loss_breakdown.csv", breakdown)
        trials = r.frame()
        trials.insert(0, "annual_loss", r.annual_loss)
        counts = [c for c in trials.columns if str(c).split(":", 1)[0] in _COUNT_GROUPS]
        write("trials.csv", _counts_as_integers(trials, counts), index=True)
        if analysis.appetite:
            write("risk_appetite.csv", _appetite_table(analysis))
    if analysis.comparison is not None:
        write("mitigations.csv", _mitigations_table(analysis))
    if analysis.ransom is not None:
        write("ransom.csv", _counts_as_integers(
            pd.DataFrame(analysis.ransom.summary(levels=(_VAR_LEVEL,))), ["trials"]),
            index=True)
    return written


# ------------------------------------------------------------------- plots
def _font_setting(text: Optional[str]) -> Optional[str]:
    """The font given with --font as plot.set_font takes it."""
    if text is None:
        return "auto"
    return None if text.lower() == "none" else text


def _check_font(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Fails at once, before any analysis, if the charts' font cannot be used."""
    if args.font is None:
        return
    if args.plots is None and args.report is None:
        parser.error("argument --font: only the charts (--plots, --report) are drawn with a "
                     "font")
    from . import plot

    try:
        with plot._chosen_font(_font_setting(args.font)):
            pass
    except ValueError_ as e:
        parser.error(f"argument --font: {str(e).removeprefix('chart font: font: ')}")


def _write_plots(directory: Path, analysis: Analysis,
                 font: Optional[str] = None) -> list[_Written]:
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # files only: no window, no display needed
    from . import plot

    with plot._chosen_font(_font_setting(font)):
        return _draw_plots(directory, analysis)


def _draw_plots(directory: Path, analysis: Analysis) -> list[_Written]:
    import matplotlib.pyplot as plt

    from ._charts import charts, figure_of

    directory.mkdir(parents=True, exist_ok=True)
    written: list[_Written] = []
    for chart in charts(analysis):
        figure = figure_of(chart.draw())
        try:
            path = directory / chart.file_name
            figure.savefig(path, dpi=120)
            written.append(_Written(path, chart.what))
        finally:
            plt.close(figure)
    return written


# -------------------------------------------------------------------- main
def _load(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Model:
    path = Path(args.model)
    spreadsheet = path.is_dir() or path.suffix.lower() in _SPREADSHEET_SUFFIXES
    if args.companion is None:
        if not spreadsheet:
            return load_model(args.model)
        return _load_tables(path)
    if not spreadsheet:
        parser.error("argument -c/--companion: only a spreadsheet inventory (.xlsx, .csv, "
                     ".parquet or a folder of CSV or Parquet tables) has a companion")
    from .spreadsheet import load_companion

    return load_model(path, base=load_companion(args.companion))


def _load_tables(path: Path) -> Model:
    """A spreadsheet inventory given without --companion: an error if a
    companion lies beside it or the tables hold no incident scenario (they
    never do: scenarios live in the companion)."""
    from .spreadsheet import companion_beside

    inventory = (path.parent if path.suffix.lower() in (".csv", ".parquet") and not path.is_dir()
                 else path)
    found = companion_beside(inventory)
    if found is not None:
        raise SpreadsheetError("an inventory keeps its incident scenarios and recovery "
                               f"procedures in a companion file: give '{found}', which lies "
                               f"beside it, with --companion {found}", file=str(inventory))
    model = load_model(path, base={})
    if not model.scenarios:
        raise SpreadsheetError("the inventory holds no incident scenario to analyse; scenarios "
                               "and recovery procedures are kept in a companion file (JSON or "
                               "YAML): give it with --companion FILE", file=str(inventory))
    return model


def _check_trials(model: Model, args: argparse.Namespace, simulated: Sequence[str]) -> None:
    """Fails at once, before any analysis, if the simulation cannot run."""
    _check_counts(trials=args.trials, seed=args.seed, threads=args.threads)
    engine = _core.IncidentSimulation(model._core, list(simulated), [])
    check_memory(args.trials, len(engine.breakdown_names), "give fewer trials (--trials)")


_SIMULATED_OPTIONS = (("mitigations", "--mitigations"), ("ransom", "--ransom"),
                      ("risk_appetite", "--risk-appetite"))


def _check_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Usage errors between options, found before any work."""
    if args.deterministic:
        for name, option in _SIMULATED_OPTIONS:
            if getattr(args, name):
                parser.error(f"argument {option}: needs the Monte Carlo simulation; leave out "
                             "--deterministic")
    if args.pdf and args.report is None:
        parser.error("argument --pdf: prints the report: give --report FILE too")


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _check_font(parser, args)
    _check_options(parser, args)
    if args.pdf:
        from .reporting import _browser

        args.browser = _browser()  # none: an error now, before any work
    model = _load(args, parser)
    names = _select(parser, model, args.scenario)
    simulated = names if args.scenario else ()
    if args.ransom and not ransom_scenarios(model, simulated):
        parser.error(f"argument --ransom: no scenario of model '{model.name}' that is "
                     "simulated has ransom terms (see docs/model-format.md, Ransom)")
    measures = []
    if args.mitigations is not None:
        from .measures import load_mitigations

        measures = load_mitigations(args.mitigations, model)
    if not args.deterministic:
        _check_trials(model, args, simulated)
    improve = args.improve or args.objective is not None or args.budget is not None
    analysis = analyse(model, names, improve=improve,
                       objective=args.objective or "business_impact",
                       budget=args.budget if args.budget is not None else 2000,
                       seed=args.seed, single_points=args.spof, data_loss=args.data_loss,
                       tornado=args.tornado)
    analysis.simulated, analysis.trials = simulated, args.trials
    analysis.mitigations = measures
    analysis.appetite = _analysis.appetites(args.risk_appetite)
    if sys.stdout is None:  # stdout closed (`continuity m.json >&-`): write nothing
        with open(os.devnull, "w", encoding="utf-8") as nowhere:
            return _output(args, analysis, nowhere)
    return _output(args, analysis, sys.stdout)


def _output(args: argparse.Namespace, analysis: Analysis, out: TextIO) -> int:
    model = analysis.model
    if not args.json:
        _write_text(out, analysis, args.deterministic)
        out.flush()
    progress = args.progress if args.progress is not None else _is_terminal(sys.stderr)
    if not args.deterministic:
        result = simulate(model, args.trials, args.seed, scenarios=analysis.simulated,
                          threads=args.threads, progress=progress)
        _analysis.simulate_analysis(analysis, trials=args.trials, seed=args.seed,
                                    threads=args.threads, progress=progress,
                                    ransom=args.ransom, result=result)
    if args.json:
        json.dump(_document(analysis), out, indent=2, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    elif analysis.result is not None:
        _write_loss_text(out, analysis, model.currency)
    files: list[_Written] = []
    if args.csv is not None:
        files += _write_output(args.csv, analysis, _write_csv, "CSV tables")
    if args.plots is not None:
        files += _write_output(args.plots, analysis,
                               lambda d, a: _write_plots(d, a, args.font), "plots")
    if args.report is not None:
        files += _write_report(args, analysis, progress)
    if files and not args.json:
        out.write(f"\nWrote {len(files)} files:\n")
        width = max(display_width(str(f.path)) for f in files)
        for f in files:
            out.write(f"  {ljust(str(f.path), width)}  {f.what}\n")
    out.flush()
    return 0


def _write_report(args: argparse.Namespace, analysis: Analysis,
                  progress: bool) -> list[_Written]:
    from .reporting import print_to_pdf, write_report

    path = write_report(analysis, args.report, font=_font_setting(args.font),
                        threads=args.threads, progress=progress)
    written = [_Written(path, "the management report (HTML, self-contained)")]
    if args.pdf:
        pdf = print_to_pdf(path, path.with_suffix(".pdf"), args.browser)
        written.append(_Written(Path(os.path.relpath(pdf)) if not path.is_absolute() else pdf,
                                "the management report (PDF)"))
    return written


def _write_output(directory: Path, analysis: Analysis,
                  writer: Callable[[Path, Analysis], list[_Written]],
                  what: str) -> list[_Written]:
    try:
        return writer(directory, analysis)
    except Error:
        raise
    except OSError as e:
        where = e.filename if e.filename is not None else directory
        raise IOError_(f"cannot write {what} to '{os.fspath(where)}': "
                           f"{e.strerror or e}") from e


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the ``continuity`` command with ``argv`` (default: the process's
    arguments) and returns its exit status: 0 on success, 1 for an error of
    the model or a file (printed as ``continuity: error: <message>``), 2 for
    a usage error, 130 when interrupted with Ctrl-C."""
    with _tolerant_output():
        return _main(argv)


def _main(argv: Optional[Sequence[str]]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return _run(args, parser)
    except SystemExit as e:  # argparse: --help, --version, usage errors
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `continuity m.json | head`):
        # stop quietly, and keep Python from complaining when it flushes at exit.
        _silence_stdout()
        return 1
    except Error as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        _flush_quietly(sys.stdout)
        _write_error(f"\n{PROG}: interrupted")
        return 130
    except MemoryError as e:
        detail = f" ({e})" if str(e) else ""
        return _fail(f"out of memory{detail}; run fewer trials (--trials) or a smaller model")
    except RecursionError:
        return _fail("a structure is nested too deeply to be processed")
    except Exception as e:  # never a traceback: a bug of ours, said in one line
        return _fail(f"internal error: {type(e).__name__}: {e}".splitlines()[0]
                     + " (please report it)")


_STAND_INS = {"—": "-", "–": "-", "−": "-", "→": "->", "…": "...", "×": "x", "≤": "<=",
               "≥": ">="}
_SHIFT_JIS = ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213")
_ERRORS = "continuity-stand-in"


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    """For the characters of the text an encoding lacks, a stand-in: ¥ as the
    byte 0x5C where that is the yen sign (Shift_JIS, Japanese Windows' code
    page, as Windows itself maps it), else as JPY; dashes as -, arrows as ->;
    any other as ?."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    japanese = codecs.lookup(error.encoding).name in _SHIFT_JIS
    text = error.object[error.start:error.end]
    out = "".join(("\\" if japanese else "JPY ") if c == "¥" else _STAND_INS.get(c, "?")
                  for c in text)
    return out, error.end


codecs.register_error(_ERRORS, _stand_in)


@contextlib.contextmanager
def _tolerant_output() -> Iterator[None]:
    """stdout and stderr that write a stand-in for a character their
    encoding lacks instead of failing: on Japanese Windows, output
    redirected to a file is in code page 932, which has no ¥ and no —."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if (isinstance(stream, io.TextIOWrapper)
                and stream.errors in ("strict", "backslashreplace")
                and codecs.lookup(stream.encoding).name not in ("utf-8", "utf-16", "utf-32")):
            changed.append((stream, stream.errors))
            stream.reconfigure(errors=_ERRORS)
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError):  # closed meanwhile
                stream.reconfigure(errors=errors)


def _fail(message: str) -> int:
    """Prints ``continuity: error: <message>`` on stderr; the exit status 1."""
    _flush_quietly(sys.stdout)
    _write_error(f"{PROG}: error: {message}")
    return 1


def _write_error(line: str) -> None:
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _flush_quietly(stream: Optional[TextIO]) -> None:
    try:
        if stream is not None:
            stream.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
