"""The management report: one self-contained HTML file with every analysis
of a model, for the screen and for paper.

>>> import continuity as ct
>>> model = ct.load_model("examples/hospital.json")
>>> ct.report(model, "report.html", risk_appetite=[(100_000_000, 0.01)])  # doctest: +SKIP

The report holds the key findings, the priority classes, the single points
of failure, the backups and the 3-2-1 rule, and for each incident scenario
its recovery plan (a Gantt chart, on a logarithmic time axis when the
recovery takes longer than a week, and the output of the business functions
over time), the gap report with the cause of each breach, the data lost,
the cost of one incident and what moves it (tornado); then the simulated
annual loss against the risk appetite given, the mitigations with their
return on security investment (ROSI), the ransom decision (for scenarios
with ransom terms) and the findings of the model.

It is written with a Jinja2 template (``templates/report.html.j2``). The
charts are PNG images inside the file (``data:`` URLs): no other file, no
network. Japanese names show on any computer: the page declares UTF-8, its
font stack names the Japanese fonts of Windows, macOS and Linux, and it
carries the characters it uses from IPAexGothic (the font that
matplotlib-fontja ships) as a last resort. Print styles lay it out on A4
paper, a section per page where that helps; :func:`print_to_pdf` prints it
with a headless Chromium or Chrome.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import pandas as pd

from ._analysis import (
    OBJECTIVES,
    Analysis,
    AppetiteLike,
    ScenarioAnalysis,
    analyse,
    appetites,
    percent,
    ransom_scenarios,
    rosi_text,
    simulate_analysis,
)
from ._core import __version__
from .errors import IOError_, ValueError_
from .formatting import money
from .loss import Mitigation
from .model import Model, PathLike
from .ransom import compare_ransom_policies

if TYPE_CHECKING:
    from ._charts import Chart

__all__ = ["report", "print_to_pdf", "find_browser", "BROWSERS", "TEMPLATE"]

TEMPLATE = "report.html.j2"
"""The Jinja2 template of the report, in the package's ``templates`` folder."""

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
            "msedge")
"""Headless browsers :func:`find_browser` looks for on the ``PATH``, in this
order, unless the environment variable ``CONTINUITY_BROWSER`` names one."""

_DPI = 150
_PRINT_TIMEOUT_S = 120


# ------------------------------------------------------------------ the API
def report(model: Model, path: PathLike, *, scenarios: Sequence[str] = (),
           trials: int = 10_000, seed: int = 1, deterministic: bool = False,
           improve: bool = False, objective: str = "business_impact",
           mitigations: Union[PathLike, Sequence[Mitigation], None] = None,
           risk_appetite: Sequence[AppetiteLike] = (), threads: int = 0,
           progress: bool = False, pdf: Optional[PathLike] = None,
           font: Optional[str] = "auto") -> Path:
    """Analyses ``model`` and writes the management report to ``path`` (one
    HTML file); returns its path.

    ``scenarios`` limits the report to those scenarios (default: all);
    ``trials`` years are simulated with ``seed`` (``deterministic``: no
    simulation, point values only). ``improve`` adds the recovery order the
    improving search finds for ``objective``. ``mitigations`` are measures to
    price (:class:`~continuity.Mitigation` objects or the path of a
    mitigation file, see :func:`continuity.measures.load_mitigations`).
    ``risk_appetite`` are points (loss, probability): a year losing more
    than the loss is accepted with at most that probability (a loss alone:
    1 %). ``pdf`` also prints the report to that PDF file with a headless
    browser (:func:`print_to_pdf`). ``font`` chooses the font of the
    Japanese characters in the charts (:func:`continuity.plot.set_font`).
    """
    from .measures import load_mitigations

    if objective not in OBJECTIVES:
        raise ValueError_(f"report: objective: must be one of {', '.join(OBJECTIVES)}, got "
                          f"{objective!r}", "report", "", "objective")
    names = list(scenarios) if scenarios else model.scenarios
    points = appetites(risk_appetite)
    measures: Sequence[Mitigation] = ()
    if isinstance(mitigations, (str, os.PathLike)):
        measures = load_mitigations(mitigations, model)
    elif mitigations is not None:
        measures = list(mitigations)
    browser = _browser() if pdf is not None else None
    analysis = analyse(model, names, improve=improve, objective=objective, seed=seed,
                       single_points=True, data_loss=True, tornado=True)
    analysis.simulated = list(scenarios)
    analysis.mitigations = measures
    analysis.appetite = points
    if not deterministic:
        simulate_analysis(analysis, trials=trials, seed=seed, threads=threads,
                          progress=progress,
                          ransom=bool(ransom_scenarios(model, analysis.simulated)))
    write_report(analysis, path, font=font)
    if pdf is not None:
        print_to_pdf(path, pdf, browser)
    return Path(path)


def write_report(analysis: Analysis, path: PathLike, *, font: Optional[str] = "auto",
                 threads: int = 0, progress: bool = False) -> Path:
    """Writes the report of ``analysis`` to ``path``; the parts of the
    analysis the report shows but ``analysis`` lacks (single points of
    failure, data loss, tornado, the ransom decision of a simulated model
    with ransom terms) are worked out first, on a copy."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # images only: no window, no display needed
    from . import plot

    full = _completed(analysis, threads, progress)
    with plot._chosen_font(font):
        html = _render(full)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    except OSError as e:
        raise IOError_(f"cannot write the report to '{os.fspath(target)}': "
                       f"{e.strerror or e}") from e
    return target


def _completed(analysis: Analysis, threads: int, progress: bool) -> Analysis:
    model = analysis.model
    full = dataclasses.replace(analysis, scenarios=[dataclasses.replace(s)
                                                    for s in analysis.scenarios])
    for s in full.scenarios:
        if s.data_loss is None:
            s.data_loss = model.data_loss(s.name)
        if s.tornado is None:
            s.tornado = model.tornado(s.name)
    if full.single_points_of_failure is None:
        full.single_points_of_failure = model.single_points_of_failure()
    if full.backup_rule is None:
        full.backup_rule = model.backup_rule_3_2_1()
    if full.result is not None and full.ransom is None \
            and ransom_scenarios(model, full.simulated):
        full.ransom = compare_ransom_policies(model, full.trials, full.seed,
                                              scenarios=full.simulated, threads=threads,
                                              progress=progress)
    return full


# ---------------------------------------------------------------- browsers
def find_browser() -> Optional[str]:
    """The headless browser that prints reports: the program named by the
    environment variable ``CONTINUITY_BROWSER``, else the first of
    :data:`BROWSERS` on the ``PATH``; None if there is none."""
    chosen = os.environ.get("CONTINUITY_BROWSER")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _browser() -> str:
    found = find_browser()
    if found is None:
        chosen = os.environ.get("CONTINUITY_BROWSER")
        what = f"CONTINUITY_BROWSER names '{chosen}', which is not a program" if chosen else \
            f"none of {', '.join(BROWSERS)} is installed"
        raise IOError_(f"printing the report to PDF needs a headless browser, and {what}; "
                       "install chromium (on Debian: scripts/install-deps, or apt-get install "
                       "chromium) or set CONTINUITY_BROWSER to a Chromium or Chrome program")
    return found


def browser_command(browser: str, *arguments: str) -> list[str]:
    """The command that runs ``browser`` headless with ``arguments``: without
    a GPU, with a profile of its own (so that it never meets a running
    browser's), and as the administrator without its sandbox, which
    Chromium refuses to run as root."""
    command = [browser, "--headless", "--disable-gpu", "--no-first-run",
               "--disable-dev-shm-usage", "--hide-scrollbars", *arguments]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")
    return command


def print_to_pdf(html: PathLike, pdf: PathLike, browser: Optional[str] = None) -> Path:
    """Prints the report ``html`` to the PDF file ``pdf`` with a headless
    browser (``browser``, by default :func:`find_browser`'s), on the paper
    its print styles ask for (A4), without the browser's header and footer.
    Raises :class:`~continuity.errors.IOError_` if no browser is found or
    the printing fails."""
    program = browser or _browser()
    source = Path(html).resolve()
    target = Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="continuity-browser-") as profile:
        command = browser_command(program, f"--user-data-dir={profile}",
                                  "--no-pdf-header-footer", f"--print-to-pdf={target}",
                                  source.as_uri())
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=_PRINT_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise IOError_(f"cannot print the report to PDF with '{program}': {e}") from e
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise IOError_(f"cannot print the report to PDF with '{program}' (status "
                       f"{done.returncode}): {detail}")
    return target


# ---------------------------------------------------------------- rendering
def _render(analysis: Analysis) -> str:
    import jinja2

    loader = jinja2.FileSystemLoader(Path(__file__).parent / "templates")
    environment = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True,
                                     lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    template = environment.get_template(TEMPLATE)
    context = _context(analysis)
    return template.render(**context, embedded_font=_embedded_font(_texts(context)))


def _texts(value: Any) -> str:
    """All the text of the report's context (the template's own is ASCII)."""
    if isinstance(value, str):
        return "" if value.startswith("data:") else value
    if isinstance(value, dict):
        return "".join(_texts(v) for v in value.values())
    if isinstance(value, (list, tuple, set)):
        return "".join(_texts(v) for v in value)
    return ""


def _context(a: Analysis) -> dict[str, Any]:
    from ._charts import charts

    model, currency = a.model, a.model.currency
    images: dict[tuple[Optional[str], str], dict[str, str]] = {}
    for chart in charts(a):
        images[(chart.scenario, chart.kind)] = _image(chart)
    scenarios = [_scenario_context(a, s, k, images) for k, s in enumerate(a.scenarios)]
    return {
        "title": f"Business impact analysis: {model.name or 'model'}",
        "lang": "ja" if any(_cjk(c) for c in "".join([model.name, *model.functions,
                                                      *model.scenarios])) else "en",
        "model": model.name or "model",
        "currency": currency,
        "generated": datetime.date.today().isoformat(),
        "version": __version__,
        "facts": _facts(a),
        "key_findings": _key_findings(a),
        "priority": _priority_table(model),
        "spof": _spof_table(a),
        "backups": _backup_table(a),
        "scenarios": scenarios,
        "loss": _loss_context(a, images),
        "mitigations": _mitigations_context(a, images),
        "ransom": _ransom_context(a, images),
        "findings": _table(["finding", "object", "field", "what"],
                           [[_label(str(r["kind"])), f"{r['object_kind']} '{r['object']}'",
                             str(r["field"]), str(r["message"])]
                            for _, r in model.findings.iterrows()]),
    }


def _image(chart: Chart) -> dict[str, str]:
    import matplotlib.pyplot as plt

    from ._charts import figure_of

    figure = figure_of(chart.draw())
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=_DPI)
    finally:
        plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"src": f"data:image/png;base64,{data}", "alt": chart.what, "kind": chart.kind}


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]],
           numeric: Sequence[int] = (), flagged: Sequence[bool] = ()) -> dict[str, Any]:
    """A table for the template: headers, rows of text cells, the columns
    that hold numbers (right-aligned), and the rows to flag."""
    return {"columns": list(columns), "rows": [list(r) for r in rows],
            "numeric": set(numeric), "flagged": list(flagged) or [False] * len(rows)}


def _label(kind: str) -> str:
    return {"rto": "RTO", "rpo": "RPO", "mtpd": "MTPD"}.get(kind, kind.replace("_", " "))


def _hours(h: float) -> str:
    if math.isnan(h):
        return "–"
    if math.isinf(h):
        return "never" if h > 0 else "–"
    return f"{h / 24:,.1f} d" if h >= 48 else f"{h:,.1f} h"


def _objective(h: float) -> str:
    return "none" if math.isinf(h) else _hours(h)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def _facts(a: Analysis) -> list[tuple[str, str]]:
    model = a.model
    facts = [("Organisation", model.name or "–"),
             ("Inventory", f"{_count(len(model.functions), 'business function')}, "
                           f"{_count(len(model.systems), 'system')}, "
                           f"{_count(len(model.scenarios), 'incident scenario')}"),
             ("Amounts in", model.currency)]
    if a.result is not None:
        facts.append(("Simulation", f"{a.trials:,} simulated years (seed {a.seed})"))
    else:
        facts.append(("Simulation", "none: point values only"))
    return facts


def _key_findings(a: Analysis) -> list[str]:
    model, currency = a.model, a.model.currency
    out = []
    priority = model.priority_table()
    top = [str(f) for f, c in priority["priority_class"].items() if c == "S"]
    if top:
        out.append(f"{len(top)} of {len(priority)} business functions are of class S (the "
                   f"most urgent): {', '.join(top)}.")
    spof = a.single_points_of_failure
    if spof is not None and len(spof):
        worst = spof[spof["worst_class"] == spof["worst_class"].iloc[0]]
        out.append(f"{len(spof)} systems are single points of failure; "
                   f"{len(worst)} of them stop class {worst['worst_class'].iloc[0]} "
                   f"functions on their own: {', '.join(str(s) for s in worst.index[:6])}"
                   f"{' and more' if len(worst) > 6 else ''}.")
    rule = a.backup_rule
    if rule is not None and len(rule):
        broken = [str(s) for s, ok in rule["satisfied"].items() if not ok]
        if broken:
            out.append(f"{len(broken)} of {len(rule)} data-holding systems break the 3-2-1 "
                       f"backup rule: {', '.join(broken[:6])}{' and more' if len(broken) > 6 else ''}.")
    for s in a.scenarios:
        gaps = s.plan.gaps
        text = (f"'{s.name}': all recovery work done after {_hours(s.plan.makespan_h)}; one "
                f"incident costs {money(s.cost.total, currency)}")
        if math.isfinite(s.cost.share_of_annual_revenue):
            text += f" ({percent(s.cost.share_of_annual_revenue)} of annual revenue)"
        if len(gaps):
            kinds = ", ".join(f"{n} {_label(str(k))}" for k, n in gaps["kind"].value_counts(
                sort=False).items())
            text += f"; {len(gaps)} objectives breached ({kinds})"
        else:
            text += "; every objective is met"
        out.append(text + ".")
    r = a.result
    if r is not None:
        stats = r.statistics
        out.append(f"Expected annual loss (ALE) {money(stats.mean, currency)}; a year as bad "
                   f"as one in a hundred loses {money(stats.quantile(0.99), currency)} or "
                   "more.")
        for point in a.appetite:
            verdict = "within" if point.within(r) else "beyond"
            out.append(f"Risk appetite: a loss above {money(point.loss, currency)} happens in "
                       f"{percent(point.simulated(r))} of the simulated years, {verdict} the "
                       f"{percent(point.probability)} accepted.")
    if a.comparison is not None:
        measures = [(float(r["rosi"]), str(name), float(r["ale_reduction"]))
                    for name, r in a.comparison.table.iterrows()
                    if name != "none" and math.isfinite(float(r["rosi"]))]
        if measures:
            rosi, best, reduction = max(measures)
            out.append(f"Best return on security investment: '{best}' (ROSI "
                       f"{rosi_text(rosi)}, the ALE down by {money(reduction, currency)} "
                       "a year).")
    if a.ransom is not None:
        d = a.ransom
        verb = "raises" if d.difference > 0 else "lowers"
        out.append(f"Paying the ransom {verb} the ALE by {money(abs(d.difference), currency)} "
                   f"(± {money(d.difference_se, currency)}).")
    if len(model.findings):
        out.append(f"{len(model.findings)} arrangements can never meet their objectives "
                   "(see Findings).")
    return out


def _priority_table(model: Model) -> dict[str, Any]:
    t = model.priority_table()
    rows = [[str(f), str(r["priority_class"]), str(int(r["importance"])),
             str(int(r["system_dependency"])), _objective(float(r["rto_h"])),
             _objective(float(r["rpo_h"])), _objective(float(r["mtpd_h"])),
             _objective(float(r["wrt_h"]))] for f, r in t.iterrows()]
    return _table(["business function", "class", "importance", "system dependency", "RTO",
                   "RPO", "MTPD", "WRT"], rows, numeric=(2, 3, 4, 5, 6, 7))


def _spof_table(a: Analysis) -> dict[str, Any]:
    spof = a.single_points_of_failure
    assert spof is not None
    currency = a.model.currency
    rows = [[str(s), str(r["worst_class"]), ", ".join(r["functions"]),
             money(float(r["profit_per_hour"]), currency),
             money(float(r["impact_first_day"]), currency)] for s, r in spof.iterrows()]
    return _table(["system", "worst class", "business functions it stops alone",
                   "profit at risk per hour", "impact of the first day"], rows, numeric=(3, 4))


def _backup_table(a: Analysis) -> dict[str, Any]:
    rule = a.backup_rule
    assert rule is not None
    rows = [[str(s), str(int(r["copies"])), str(int(r["media"])),
             "yes" if r["offline_offsite"] else "no", "met" if r["satisfied"] else "not met"]
            for s, r in rule.iterrows()]
    return _table(["system", "copies", "media", "offline off-site copy", "3-2-1 rule"], rows,
                  numeric=(1, 2), flagged=[not bool(ok) for ok in rule["satisfied"]])


def _measure(kind: str, x: float) -> str:
    if kind == "staff_shortfall":
        return f"{x:g} people"
    return _hours(x)


def _scenario_context(a: Analysis, s: ScenarioAnalysis, k: int,
                      images: dict[tuple[Optional[str], str], dict[str, str]]
                      ) -> dict[str, Any]:
    currency = a.model.currency
    p = s.plan
    facts = [("Kind", s.kind.replace("_", " ")),
             ("Frequency", f"{s.annual_frequency:g} a year"),
             ("All recovery work done after", _hours(p.makespan_h)),
             ("Business impact of the plan", money(p.business_impact, currency)),
             ("Lower bound (staff unlimited)", money(p.lower_bound, currency)),
             ("Cost of one incident", money(s.cost.total, currency))]
    if math.isfinite(s.cost.share_of_annual_revenue):
        facts.append(("Share of annual revenue", percent(s.cost.share_of_annual_revenue)))
    gaps = p.gaps
    gap_rows = [[str(r["function"]), _label(str(r["kind"])), _measure(str(r["kind"]),
                                                                      float(r["objective_h"])),
                 _measure(str(r["kind"]), float(r["achieved_h"])), str(r["system"]),
                 str(r["cause"]) or "–"] for _, r in gaps.iterrows()]
    loss = s.data_loss if s.data_loss is not None else pd.DataFrame()
    loss_rows = [[str(system), "every copy lost" if math.isinf(float(r["realised_rpo_h"]))
                  else _hours(float(r["realised_rpo_h"])), _objective(float(r["rpo_objective_h"])),
                  str(r["restore_from"]) or "nothing survives",
                  str(r["backup_mode"]) or "–"] for system, r in loss.iterrows()]
    costs = [[str(line), money(float(v), currency)] for line, v in s.cost.by_line.items()]
    improved = None
    if s.improved is not None and s.explanation is not None:
        q = s.improved
        improved = {
            "objective": q.objective.replace("_", " "),
            "facts": [("All recovery work done after", _hours(q.makespan_h)),
                      ("Business impact", money(q.business_impact, currency)),
                      ("At most this far from the optimum", percent(q.optimality_gap))],
            "order": q.recovery_order,
            "explanation": s.explanation.text.splitlines(),
            "image": images.get((s.name, "improved-gantt")),
        }
    response = [(_hours(float(r["at_h"])), str(r["phase"])) for _, r in p.response.iterrows()]
    notices = p.notifications
    notice_rows = [[str(r["notification"]), str(r["to"]), _objective(float(r["due_h"])),
                    _hours(float(r["at_h"])), "late" if r["late"] else "on time"]
                   for _, r in notices.iterrows()]
    return {
        "name": s.name,
        "anchor": f"scenario-{k + 1}",
        "facts": facts,
        "order": p.recovery_order,
        "response": response,
        "notifications": _table(["notification", "to", "due", "planned", ""], notice_rows,
                                numeric=(2, 3),
                                flagged=[bool(x) for x in notices.get("late", [])]),
        "gantt": images[(s.name, "gantt")],
        "capacity": images[(s.name, "capacity")],
        "tornado": images.get((s.name, "tornado")),
        "log_time": p.makespan_h > _long_recovery(),
        "staff": [(str(pool), f"{capacity:g}") for pool, capacity in p.staff.items()],
        "gaps": _table(["business function", "breach", "objective", "achieved", "system",
                        "cause"], gap_rows, numeric=(2, 3)),
        "data_loss": _table(["system", "data lost", "RPO", "restored from", "backup"],
                            loss_rows, numeric=(1, 2)),
        "costs": _table(["cost line", "amount"], costs, numeric=(1,)),
        "improved": improved,
    }


def _long_recovery() -> float:
    from ._charts import LONG_RECOVERY_H

    return LONG_RECOVERY_H


def _loss_context(a: Analysis, images: dict[tuple[Optional[str], str], dict[str, str]]
                  ) -> Optional[dict[str, Any]]:
    r = a.result
    if r is None:
        return None
    currency = a.model.currency
    stats = r.statistics
    facts = [("Expected annual loss (ALE)", money(stats.mean, currency)),
             ("Standard error of the ALE", money(stats.standard_error, currency)),
             ("Chance of a year with a loss", percent(stats.exceedance_probability(0.0))),
             ("Median year (P50)", money(stats.quantile(0.5), currency)),
             ("One year in 10 loses more than (P90)", money(stats.quantile(0.9), currency)),
             ("One year in 100 loses more than (P99)", money(stats.quantile(0.99), currency)),
             ("Mean of the worst 1 % of years (TVaR 99 %)",
              money(stats.tail_value_at_risk(0.99), currency))]
    by_scenario = r.breakdown_summary("scenario")
    scenario_rows = [[str(n), money(float(m), currency), percent(float(sh))]
                     for n, m, sh in zip(by_scenario.index, by_scenario["mean"],
                                         by_scenario["share"])]
    appetite_rows = [[money(p.loss, currency), f"at most {percent(p.probability)}",
                      percent(p.simulated(r)), "within" if p.within(r) else "exceeded"]
                     for p in a.appetite]
    return {
        "facts": facts,
        "by_scenario": _table(["scenario", "mean annual loss", "share"], scenario_rows,
                              numeric=(1, 2)),
        "appetite": _table(["annual loss above", "accepted chance", "simulated chance",
                            "verdict"], appetite_rows, numeric=(0, 1, 2),
                           flagged=[not p.within(r) for p in a.appetite]),
        "exceedance": images[(None, "exceedance")],
        "histogram": images[(None, "histogram")],
    }


def _mitigations_context(a: Analysis, images: dict[tuple[Optional[str], str], dict[str, str]]
                         ) -> Optional[dict[str, Any]]:
    c = a.comparison
    if c is None:
        return None
    currency = a.model.currency
    descriptions = {m.name: m.description for m in a.mitigations}
    rows = []
    for name, r in c.table.iterrows():
        rosi = float(r["rosi"])
        rows.append([str(name), money(float(r["annual_cost"]), currency),
                     money(float(r["subsidy"]), currency), money(float(r["net_cost"]), currency),
                     money(float(r["ale"]), currency),
                     "–" if name == "none" else
                     f"{money(float(r['ale_reduction']), currency)} ± "
                     f"{money(float(r['ale_reduction_se']), currency)}",
                     rosi_text(rosi),
                     money(float(r["P99"]), currency)])
    return {
        "table": _table(["measure", "annual cost", "subsidy", "net cost", "ALE",
                         "ALE reduction (± SE)", "ROSI", "P99"], rows,
                        numeric=(1, 2, 3, 4, 5, 6, 7),
                        flagged=[n != "none" and math.isfinite(float(x)) and float(x) < 0
                                 for n, x in c.table["rosi"].items()]),
        "descriptions": [(m, d) for m, d in descriptions.items() if d],
        "chart": images[(None, "mitigations")],
        "exceedance": images[(None, "mitigation-exceedance")],
    }


def _ransom_context(a: Analysis, images: dict[tuple[Optional[str], str], dict[str, str]]
                    ) -> Optional[dict[str, Any]]:
    d = a.ransom
    if d is None:
        return None
    currency = a.model.currency
    summary = d.summary(levels=(0.99,))
    names = {"restore": "restore without paying", "pay": "pay the ransom"}
    rows = [[names.get(str(policy), str(policy)), money(float(r["mean"]), currency),
             money(float(r["P99"]), currency), money(float(r["TVaR99"]), currency),
             money(float(r["mean ransom payment"]), currency),
             money(float(r["mean data leak"]), currency),
             money(float(r["mean sanctions"]), currency)]
            for policy, r in summary.iterrows()]
    sign = "more" if d.difference > 0 else "less"
    verdict = (f"Paying costs {money(abs(d.difference), currency)} a year {sign} on average "
               f"(± {money(d.difference_se, currency)}, one standard error of the paired "
               f"difference); paying loses less in {percent(d.pay_cheaper)} of the simulated "
               f"years and more in {percent(d.pay_dearer)}.")
    return {
        "scenarios": list(d.scenarios),
        "table": _table(["policy", "ALE", "P99", "TVaR 99 %", "ransom paid (mean)",
                         "data leak (mean)", "sanctions (mean)"], rows,
                        numeric=(1, 2, 3, 4, 5, 6)),
        "verdict": verdict,
        "chart": images[(None, "ransom")],
    }


# --------------------------------------------------------------------- font
def _cjk(c: str) -> bool:
    o = ord(c)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF


def _embedded_font(text: str) -> str:
    """A ``data:`` URL of IPAexGothic cut down to the Japanese (Chinese)
    characters of ``text``, or "" if it has none or the font (from
    matplotlib-fontja) or fontTools is missing."""
    characters = "".join(sorted({c for c in text if _cjk(c)}))
    if not characters:
        return ""
    from . import plot

    path = plot._shipped_font()
    if path is None:
        return ""
    try:
        from fontTools import subset
    except ImportError:
        return ""
    options = subset.Options()
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return "data:font/ttf;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
