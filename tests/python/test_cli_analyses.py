"""The command's analyses beyond the plans and costs (continuity.cli): the
improving search, single points of failure, data loss and the 3-2-1 rule,
the tornado, mitigation files, the ransom decision and the risk appetite.
Each section of the JSON document equals what the Python API computes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity import _analysis, _charts, cli
from test_cli import run, run_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSPITAL = str(EXAMPLES / "hospital.json")
RETAILER_B = str(EXAMPLES / "retailer_b.json")
GYM_JA = str(EXAMPLES / "gym_ja.json")
MEASURES = str(EXAMPLES / "mitigations" / "hospital.yaml")
ATTACK = "ransomware through the VPN"


@pytest.fixture(scope="module")
def hospital() -> ct.Model:
    return ct.load_model(HOSPITAL)


def plain(value: Any) -> Any:
    """A value as the JSON document holds it: NaN and infinities null,
    NumPy numbers plain, lists and mappings item by item."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def rows(frame: pd.DataFrame, index: bool = True) -> list[dict[str, Any]]:
    """The rows of a frame of the API as the JSON document holds them."""
    shown = pd.DataFrame(frame).reset_index() if index else pd.DataFrame(frame)
    return [plain(dict(zip(shown.columns, r))) for r in shown.itertuples(index=False, name=None)]


# ------------------------------------------------------------- deterministic
def test_single_points_of_failure(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                                  tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "-d", "--spof", "--csv", str(tmp_path))
    expected = hospital.single_points_of_failure()
    assert doc["single_points_of_failure"] == rows(expected)
    assert doc["single_points_of_failure"][0]["system"] == "core switch"
    written = pd.read_csv(tmp_path / "single_points_of_failure.csv", index_col="system")
    assert list(written.index) == list(expected.index)
    assert list(written["functions"]) == ["; ".join(f) for f in expected["functions"]]
    np.testing.assert_array_equal(written["impact_first_day"], expected["impact_first_day"])
    status, out, _ = run(capsys, HOSPITAL, "-d", "--spof")
    assert status == 0
    section = out.split("Single points of failure")[1].split("\n\n")[0]
    assert "core switch" in section and "¥386万" in section  # its first day, in 万
    # without the option, no such section
    assert "single_points_of_failure" not in run_json(capsys, HOSPITAL, "-d")


def test_data_loss_and_the_3_2_1_rule(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                                      tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "-d", "--data-loss", "--csv", str(tmp_path))
    assert doc["backup_rule_3_2_1"] == rows(hospital.backup_rule_3_2_1())
    for name in hospital.scenarios:
        assert doc["scenarios"][name]["data_loss"] == rows(hospital.data_loss(name))
    lost = doc["scenarios"][ATTACK]["data_loss"]
    assert {r["system"] for r in lost} == {"EMR database", "medical accounting", "PACS",
                                           "laboratory system"}
    assert all(r["realised_rpo_h"] is None for r in lost)  # every copy lost: infinite
    assert doc["scenarios"]["earthquake"]["data_loss"] == []
    written = pd.read_csv(tmp_path / "data_loss.csv")
    assert list(written["scenario"]) == [ATTACK] * 4
    assert (tmp_path / "backup_3_2_1.csv").read_text(encoding="utf-8-sig").startswith(
        "system,copies,media,offline_offsite,satisfied\n")
    status, out, _ = run(capsys, HOSPITAL, "-d", "--data-loss")
    assert status == 0
    assert "Backups and the 3-2-1 rule" in out and "NOT MET" in out
    assert "every copy lost" in out.split("Data loss (realised RPO")[1]


def test_improving_search_with_an_objective_and_budget(capsys: pytest.CaptureFixture[str],
                                                       hospital: ct.Model,
                                                       tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "-d", "-s", ATTACK, "--objective", "makespan",
                   "--budget", "300", "--seed", "4", "--csv", str(tmp_path))
    plan = hospital.plan_recovery(ATTACK, improve=True, objective="makespan", budget=300,
                                  seed=4)
    improved = doc["scenarios"][ATTACK]["improved_plan"]
    assert improved["objective"] == "makespan"
    assert improved["makespan_h"] == plan.makespan_h
    assert improved["business_impact"] == plan.business_impact
    assert improved["recovery_order"] == plan.recovery_order
    assert improved["lower_bound"] == plan.lower_bound
    assert improved["schedules_generated"] == plan.schedules_generated
    explanation = plan.explain()
    assert improved["explanation"] == explanation.text.splitlines()
    assert improved["functions"] == rows(explanation.functions)
    timeline = pd.read_csv(tmp_path / "improved_timeline.csv")
    np.testing.assert_array_equal(timeline["finish_h"], plan.timeline["finish_h"])
    assert (tmp_path / "improvement.csv").exists()
    status, out, _ = run(capsys, HOSPITAL, "-d", "-s", ATTACK, "--objective", "makespan",
                         "--budget", "300")
    assert status == 0
    assert "Improved recovery order (search for the earliest end of all work)" in out


def test_tornado(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                 tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "-d", "--tornado", "--csv", str(tmp_path))
    for name in hospital.scenarios:
        assert doc["scenarios"][name]["tornado"] == rows(hospital.tornado(name), index=False)
    assert doc["scenarios"][ATTACK]["tornado"][0]["input"] == \
        "amount: restoration and replacement"
    assert doc["scenarios"]["earthquake"]["tornado"] == []
    written = pd.read_csv(tmp_path / "tornado.csv")
    assert len(written) == len(hospital.tornado(ATTACK))
    status, out, _ = run(capsys, HOSPITAL, "-d", "--tornado", "-s", "earthquake")
    assert status == 0 and "No uncertain input" in out


# ------------------------------------------------------------- Monte Carlo
def test_mitigation_file(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                         tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "--trials", "1500", "--seed", "2", "--mitigations",
                   MEASURES, "--csv", str(tmp_path))
    measures = ct.load_mitigations(MEASURES, hospital)
    comparison = ct.compare_mitigations(hospital, measures, 1500, seed=2)
    expected = rows(comparison.table)
    written = doc["mitigations"]["measures"]
    assert [{k: v for k, v in r.items() if k != "description"} for r in written] == expected
    assert [r["description"] for r in written[1:]] == [m.description for m in measures]
    assert (doc["mitigations"]["trials"], doc["mitigations"]["seed"]) == (1500, 2)
    # the baseline of the comparison is the simulation of the document
    assert written[0]["ale"] == doc["loss"]["mean"]
    table = pd.read_csv(tmp_path / "mitigations.csv")
    np.testing.assert_array_equal(table["ale"], comparison.table["ale"])
    status, out, _ = run(capsys, HOSPITAL, "--trials", "1500", "--mitigations", MEASURES)
    assert status == 0
    section = out.split("Mitigations (1,500 simulated years, seed 1")[1]
    assert "VPN patching, MFA, vendor access on request (control)" in section
    assert "ROSI = (ALE reduction - net cost) / net cost" in section


def test_ransom_decision(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                         tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "--trials", "1200", "--seed", "3", "--ransom", "--csv",
                   str(tmp_path))
    decision = ct.compare_ransom_policies(hospital, 1200, seed=3)
    ransom = doc["ransom"]
    assert ransom["scenarios"] == [ATTACK]
    assert ransom["difference"] == decision.difference
    assert ransom["difference_se"] == decision.difference_se
    assert ransom["pay_cheaper"] == decision.pay_cheaper
    assert ransom["pay_dearer"] == decision.pay_dearer
    summary = decision.summary(levels=(0.99,))
    assert ransom["policies"] == {p: plain(dict(summary.loc[p])) for p in ("restore", "pay")}
    assert ransom["policies"]["pay"]["mean ransom payment"] > 0
    assert ransom["policies"]["restore"]["mean ransom payment"] == 0
    csv = pd.read_csv(tmp_path / "ransom.csv", index_col="policy")
    assert list(csv.index) == ["restore", "pay"] and list(csv["trials"]) == [1200, 1200]
    status, out, _ = run(capsys, HOSPITAL, "--trials", "1200", "--ransom")
    assert status == 0
    assert "Ransom decision: pay or restore ('ransomware through the VPN'" in out
    assert "Paying changes the ALE by +" in out


def test_risk_appetite(capsys: pytest.CaptureFixture[str], hospital: ct.Model,
                       tmp_path: Path) -> None:
    doc = run_json(capsys, HOSPITAL, "--trials", "2000", "--risk-appetite", "1億@1%",
                   "--risk-appetite", "5,000万", "--risk-appetite", "1e9@0.0001",
                   "--csv", str(tmp_path))
    result = ct.simulate(hospital, 2000, 1)
    points = doc["loss"]["risk_appetite"]
    assert [(p["loss"], p["probability"]) for p in points] == \
        [(5e7, 0.01), (1e8, 0.01), (1e9, 0.0001)]
    for p in points:
        assert p["simulated_probability"] == result.statistics.exceedance_probability(p["loss"])
        assert p["within"] == (p["simulated_probability"] <= p["probability"])
    assert points[0]["within"] is False and points[2]["within"] is True
    assert len(pd.read_csv(tmp_path / "risk_appetite.csv")) == 3
    status, out, _ = run(capsys, HOSPITAL, "--trials", "2000", "--risk-appetite", "1億")
    assert status == 0
    assert "Risk appetite (chance of a year that loses more):" in out and "EXCEEDED" in out


@pytest.mark.parametrize("text,loss,probability", [
    ("100000000", 1e8, 0.01), ("1e8@0.05", 1e8, 0.05), ("1億円@5%", 1e8, 0.05),
    ("¥2.5億", 2.5e8, 0.01), ("100M@0.5 %", 1e8, 0.005), ("250k", 2.5e5, 0.01),
    ("1.2bn", 1.2e9, 0.01), ("3兆", 3e12, 0.01)])
def test_risk_appetite_amounts(text: str, loss: float, probability: float) -> None:
    point = cli._appetite(text)
    assert point.loss == pytest.approx(loss, rel=1e-15)
    assert point.probability == pytest.approx(probability, rel=1e-15)


@pytest.mark.parametrize("text,message", [
    ("lots", "not an amount: 'lots'"), ("1億@150%", "strictly between 0 and 1"),
    ("1億@x", "not a probability: 'x'"), ("-5", "not an amount")])
def test_a_bad_risk_appetite_is_a_usage_error(capsys: pytest.CaptureFixture[str], text: str,
                                              message: str) -> None:
    status, out, err = run(capsys, HOSPITAL, f"--risk-appetite={text}")
    assert status == 2 and out == ""
    assert "argument --risk-appetite: " in err and message in err


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("argv,message", [
    (["-d", "--mitigations", MEASURES], "argument --mitigations: needs the Monte Carlo "
                                        "simulation; leave out --deterministic"),
    (["-d", "--ransom"], "argument --ransom: needs the Monte Carlo simulation"),
    (["-d", "--risk-appetite", "1e8"], "argument --risk-appetite: needs the Monte Carlo"),
    (["--pdf"], "argument --pdf: prints the report: give --report FILE too"),
    (["-s", "earthquake", "--ransom"], "argument --ransom: no scenario of model 'Town "
                                       "hospital' that is simulated has ransom terms"),
    (["--objective", "cost"], "argument --objective: invalid choice: 'cost'"),
])
def test_options_that_do_not_go_together(capsys: pytest.CaptureFixture[str], argv: list[str],
                                         message: str) -> None:
    status, out, err = run(capsys, HOSPITAL, *argv)
    assert status == 2 and out == ""
    assert message in err


def test_a_bad_mitigation_file_is_one_line(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    bad = tmp_path / "measures.yaml"
    bad.write_text("measures:\n  - name: zoning\n    annual_cost: 1\n    changes:\n"
                   "      - in: systems\n        where: {segment: hospital lan}\n"
                   "        set: {segment: servers}\n")
    status, out, err = run(capsys, HOSPITAL, "--mitigations", str(bad))
    assert status == 1 and out == ""
    assert err == (f"continuity: error: {bad}: mitigation 'zoning': changes[0].where: selects "
                   "nothing: the model has no systems where segment = 'hospital lan'\n")
    status, _, err = run(capsys, HOSPITAL, "--mitigations", str(tmp_path))
    assert status == 1 and err.count("\n") == 1 and "is a folder, not a mitigation file" in err


# ------------------------------------------------------------------ charts
def test_charts_of_every_analysis(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, HOSPITAL, "--trials", "800", "--improve", "--ransom",
                           "--mitigations", MEASURES, "--risk-appetite", "1億",
                           "--plots", str(tmp_path))
    assert status == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    for scenario in ("ransomware-through-the-vpn", "earthquake"):
        assert {f"{scenario}-gantt.png", f"{scenario}-improved-gantt.png",
                f"{scenario}-capacity.png"} <= names
    assert {"exceedance.png", "histogram.png", "mitigations.png", "mitigation-exceedance.png",
            "ransom.png"} <= names
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000, name
    assert "ransom decision: annual loss exceedance when paying and when not" in out


def test_a_long_recovery_is_drawn_on_a_logarithmic_time_axis(hospital: ct.Model) -> None:
    """The ransomware takes 221 days to recover from: its Gantt chart and
    capacity curves read 1 h, 1 d, 1 w, 1 mo; the earthquake's 4 days stay
    on a linear axis."""
    import matplotlib.pyplot as plt

    analysis = _analysis.analyse(hospital, hospital.scenarios)
    assert analysis.scenarios[0].plan.makespan_h > 175 * 24
    scales = {}
    for chart in _charts.charts(analysis):
        ax = chart.draw()
        scales[(chart.scenario, chart.kind)] = ax.get_xscale()
        if chart.kind == "gantt" and chart.scenario == ATTACK:
            ticks = [t.get_text() for t in ax.get_xticklabels()]
            assert {"1 h", "1 d", "1 w", "1 mo"} <= set(ticks)
        plt.close(_charts.figure_of(ax))
    assert scales[(ATTACK, "gantt")] == scales[(ATTACK, "capacity")] == "symlog"
    assert scales[("earthquake", "gantt")] == scales[("earthquake", "capacity")] == "linear"


def test_the_appetite_on_the_exceedance_chart() -> None:
    import matplotlib.pyplot as plt

    from continuity import plot

    losses = np.linspace(0, 1e8, 1000)
    ax = plot.exceedance(losses, risk_appetite=[(5e7, 0.05), (2e7, 0.2), (8e7, 0.3)])
    (line,) = [x for x in ax.get_lines() if x.get_gid() == "continuity-appetite"]
    # the tolerance: at each loss the smallest probability accepted there or below
    np.testing.assert_array_equal(line.get_xdata()[:3], [2e7, 5e7, 8e7])
    np.testing.assert_array_equal(line.get_ydata()[:3], [0.2, 0.05, 0.05])
    texts = [t.get_text() for t in ax.texts]
    assert "appetite: 50M at 5%" in texts
    plt.close(_charts.figure_of(ax))
    with pytest.raises(ValueError, match="risk_appetite"):
        plot.exceedance(losses, risk_appetite=[(1e7, 1.5)])


def test_bold_text_without_japanese_keeps_its_font(hospital: ct.Model) -> None:
    """IPAexGothic has no bold: a bold text with nothing to take from it (the
    ROSI labels) keeps matplotlib's fonts, so that matplotlib does not log
    'Failed to find font weight bold'; other texts get the Japanese font."""
    import matplotlib.pyplot as plt

    from continuity import plot

    offline = ct.Mitigation("オフラインバックアップ", 3e6, lambda spec: None)
    comparison = ct.compare_mitigations(hospital, [offline], 200, seed=1)
    with plot._chosen_font(plot._shipped_font()):
        ax = plot.mitigations(comparison)
    rosi = [t for t in ax.texts if t.get_gid() == "continuity-rosi"]
    assert rosi and all(t.get_fontweight() == "bold" for t in rosi)
    assert all("IPAexGothic" not in t.get_fontfamily() for t in rosi)
    assert all("IPAexGothic" in t.get_fontfamily() for t in ax.get_yticklabels())
    plt.close(_charts.figure_of(ax))
