"""Tests of the ``continuity`` command (continuity.cli)."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RETAILER_B = str(EXAMPLES / "retailer_b.json")
MANUFACTURER_A = str(EXAMPLES / "manufacturer_a.json")
HOSPITAL = str(EXAMPLES / "hospital.json")
DEFAULT_CSV = [name for name, what in cli.CSV_FILES.items() if not what.startswith("--")]
"""The CSV files of a run without options (the others say which option writes them)."""


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"JSON output holds {name}")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    # Strict JSON: NaN and Infinity are not JSON.
    doc: dict[str, Any] = json.loads(out, parse_constant=_reject_constant)
    return doc


# ---------------------------------------------------------- published cases
def test_retailer_b_total_is_the_published_figure(capsys: pytest.CaptureFixture[str]) -> None:
    # GIAJ SME model case: the breach at Retailer B costs 35.7 m yen.
    doc = run_json(capsys, RETAILER_B, "--deterministic")
    assert doc["total"] == 35_700_000
    assert doc["model"] == "Retailer B"
    assert doc["currency"] == "JPY"
    assert doc["deterministic"] is True
    assert "loss" not in doc
    (scenario,) = doc["scenarios"].values()
    assert scenario["cost"]["total"] == 35_700_000


def test_manufacturer_a_total_is_the_published_figure(capsys: pytest.CaptureFixture[str]) -> None:
    # GIAJ SME model case: the ransomware at Manufacturer A costs 10.4 m yen.
    doc = run_json(capsys, MANUFACTURER_A, "--deterministic")
    assert doc["total"] == 10_400_000


# ------------------------------------------------------------ JSON document
def test_json_matches_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    model = ct.load_model(HOSPITAL)
    doc = run_json(capsys, HOSPITAL, "--deterministic")
    assert list(doc["scenarios"]) == model.scenarios
    assert doc["total"] == pytest.approx(sum(model.incident_cost(s).total
                                             for s in model.scenarios), rel=1e-12)
    for name, entry in doc["scenarios"].items():
        cost = model.incident_cost(name)
        assert entry["cost"]["total"] == cost.total
        assert entry["cost"]["by_category"] == cost.by_category.to_dict()
        assert entry["cost"]["by_line"] == cost.by_line.to_dict()
        plan = model.plan_recovery(name)
        assert entry["plan"]["makespan_h"] == plan.makespan_h
        assert entry["plan"]["business_impact"] == plan.business_impact
        assert entry["plan"]["recovery_order"] == plan.recovery_order
        gaps = plan.gaps
        assert len(entry["gaps"]) == len(gaps)
        for row, (_, expected) in zip(entry["gaps"], gaps.iterrows()):
            assert row["kind"] == expected["kind"]
            assert row["message"] == expected["message"]
            achieved = float(expected["achieved_h"])
            assert row["achieved_h"] == (None if math.isinf(achieved) else achieved)
    # The ransomware destroys data with no surviving backup: infinite hours
    # appear as null, never as Infinity.
    gaps = doc["scenarios"]["ransomware through the VPN"]["gaps"]
    assert any(g["kind"] == "data_unrecoverable" and g["achieved_h"] is None for g in gaps)


def test_json_loss_summary_matches_simulate(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, HOSPITAL, "--trials", "2000", "--seed", "5")
    assert doc["deterministic"] is False
    loss = doc["loss"]
    result = ct.simulate(ct.load_model(HOSPITAL), 2000, 5)
    s = result.statistics
    assert loss["trials"] == 2000 and loss["seed"] == 5
    assert loss["mean"] == s.mean
    assert loss["standard_error"] == s.standard_error
    for p in (0.5, 0.9, 0.95, 0.99, 0.999):
        assert loss[f"P{100 * p:g}"] == s.quantile(p)
    assert loss["VaR99"] == s.value_at_risk(0.99)
    assert loss["TVaR99"] == s.tail_value_at_risk(0.99)
    assert loss["scenarios"] == ["ransomware through the VPN", "earthquake"]
    assert sum(loss["by_scenario"].values()) == pytest.approx(s.mean, rel=1e-12)


def test_same_seed_same_json_different_seed_differs(capsys: pytest.CaptureFixture[str]) -> None:
    args = (HOSPITAL, "--trials", "3000", "--json")
    first = run(capsys, *args, "--seed", "11")
    again = run(capsys, *args, "--seed", "11", "--threads", "1")  # any thread count
    other = run(capsys, *args, "--seed", "12")
    assert first[0] == again[0] == other[0] == 0
    assert first[1] == again[1]
    assert first[1] != other[1]
    assert json.loads(first[1])["loss"]["mean"] != json.loads(other[1])["loss"]["mean"]


def test_scenario_option_selects_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    model = ct.load_model(HOSPITAL)
    doc = run_json(capsys, HOSPITAL, "--scenario", "earthquake", "--trials", "500")
    assert list(doc["scenarios"]) == ["earthquake"]
    assert doc["total"] == model.incident_cost("earthquake").total
    assert doc["loss"]["scenarios"] == ["earthquake"]
    expected = ct.simulate(model, 500, 1, scenarios=["earthquake"])
    assert doc["loss"]["mean"] == expected.statistics.mean
    # Repeated and duplicate names: each scenario once, in the order given.
    doc = run_json(capsys, HOSPITAL, "-d", "-s", "earthquake", "-s",
                   "ransomware through the VPN", "-s", "earthquake")
    assert list(doc["scenarios"]) == ["earthquake", "ransomware through the VPN"]


# -------------------------------------------------------------------- text
def test_text_output_has_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, HOSPITAL, "--trials", "1000")
    assert status == 0, err
    for heading in ("Priority table", "Scenario 'ransomware through the VPN'",
                    "Scenario 'earthquake'", "Recovery plan", "Recovery order",
                    "Gap report", "Cost of one incident (point values)",
                    "Annual loss, Monte Carlo (1,000 simulated years, seed 1)",
                    "ALE (mean annual loss)", "Standard error", "P99.9", "VaR 99 %",
                    "TVaR 99 %"):
        assert heading in out
    assert out.index("Priority table") < out.index("Recovery plan") < \
        out.index("Gap report") < out.index("Cost of one incident") < out.index("Monte Carlo")
    assert err == ""  # no progress bar when stderr is not a terminal


def test_text_deterministic_has_no_simulation(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, RETAILER_B, "--deterministic")
    assert status == 0
    assert "Annual loss, Monte Carlo" not in out
    assert "(deterministic: point values only" in out
    assert re.search(r"^  Total +¥3,570万$", out, re.M)  # 35,700,000 yen
    assert "Gap report" in out


def test_progress_bar_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, RETAILER_B, "--trials", "2000", "--progress", "--json")
    assert status == 0
    assert "trial" in err
    json.loads(out)


# --------------------------------------------------------------------- CSV
def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _compare(written: pd.DataFrame, expected: pd.DataFrame) -> None:
    expected = expected.reset_index(drop=True)
    written = written.reset_index(drop=True)
    assert list(written.columns) == list(expected.columns)
    for column in expected.columns:
        a, b = written[column], expected[column]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            np.testing.assert_array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float))
        else:
            assert [("" if pd.isna(x) else str(x)) for x in a] == [str(x) for x in b], column


def test_csv_tables_match_the_api(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, HOSPITAL, "--trials", "800", "--seed", "3",
                           "--csv", str(tmp_path / "tables"))
    assert status == 0, err
    d = tmp_path / "tables"
    assert sorted(p.name for p in d.iterdir()) == sorted(DEFAULT_CSV)
    model = ct.load_model(HOSPITAL)

    _compare(_read(d / "priority.csv"), model.priority_table().reset_index())

    timeline, systems = _read(d / "timeline.csv"), _read(d / "systems.csv")
    functions, gaps = _read(d / "functions.csv"), _read(d / "gaps.csv")
    cost = _read(d / "cost.csv")
    for name in model.scenarios:
        plan = model.plan_recovery(name)
        for written, expected in ((timeline, plan.timeline),
                                  (systems, plan.systems.reset_index()),
                                  (functions, plan.functions.reset_index()),
                                  (gaps, plan.gaps)):
            mine = written[written["scenario"] == name].drop(columns="scenario")
            _compare(mine, expected)
        incident = model.incident_cost(name)
        mine = cost[cost["scenario"] == name]
        assert mine[mine["group"] == "total"]["amount"].tolist() == [incident.total]
        for group, series in (("category", incident.by_category), ("line", incident.by_line),
                              ("function", incident.by_function)):
            rows = mine[mine["group"] == group]
            assert rows["name"].tolist() == [str(k) for k in series.index]
            np.testing.assert_array_equal(rows["amount"].to_numpy(), series.to_numpy())

    result = ct.simulate(model, 800, 3)
    trials = pd.read_csv(d / "trials.csv", index_col="trial")
    np.testing.assert_array_equal(trials["annual_loss"].to_numpy(), result.annual_loss)
    np.testing.assert_array_equal(trials.drop(columns="annual_loss").to_numpy(),
                                  result.breakdown)
    assert list(trials.columns[1:]) == result.breakdown_names

    summary = pd.read_csv(d / "loss_summary.csv", index_col="statistic")["value"]
    expected_summary = result.statistics.summary(levels=(0.99,))
    assert list(summary.index) == list(expected_summary.index)
    np.testing.assert_array_equal(summary.to_numpy(), expected_summary.to_numpy())

    breakdown = _read(d / "loss_breakdown.csv")
    for group in ("category", "scenario", "function", "line"):
        expected = result.breakdown_summary(group)
        rows = breakdown[breakdown["group"] == group]
        assert rows["name"].tolist() == [str(k) for k in expected.index]
        np.testing.assert_array_equal(rows["mean"].to_numpy(), expected["mean"].to_numpy())

    assert "Wrote 9 files" in out


def test_csv_deterministic_writes_no_loss_tables(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    status, out, _ = run(capsys, RETAILER_B, "-d", "--json", "--csv", str(tmp_path))
    assert status == 0
    json.loads(out)  # the JSON document alone on stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["priority.csv", "timeline.csv", "systems.csv", "functions.csv", "gaps.csv",
         "cost.csv"])


def test_csv_into_a_file_is_an_error(capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = run(capsys, RETAILER_B, "-d", "--csv", str(blocker / "sub"))
    assert status == 1
    assert err.startswith("continuity: error: cannot write CSV tables")


# ------------------------------------------------------------------ errors
def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    status, out, err = run(capsys, str(missing))
    assert status == 1
    assert err == f"continuity: error: cannot open model file '{missing}': " \
                  "No such file or directory\n"
    assert out == ""


def test_malformed_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x",\n  "systems": [\n')
    status, _, err = run(capsys, str(bad), "-d")
    assert status == 1
    assert err.startswith(f"continuity: error: {bad}:")
    assert err.count("\n") == 1  # one line, no traceback


def test_invalid_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = ct.load_model(RETAILER_B).to_dict()
    spec["functions"][0]["needs"].append("no such system")
    path = tmp_path / "invalid.json"
    path.write_text(json.dumps(spec))
    status, _, err = run(capsys, str(path), "-d")
    assert status == 1
    assert err.startswith("continuity: error: ")
    assert "no such system" in err


def test_yaml_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    path = tmp_path / "retailer.yaml"
    path.write_text(yaml.safe_dump(ct.load_model(RETAILER_B).to_dict()))
    assert run_json(capsys, str(path), "-d")["total"] == 35_700_000


@pytest.mark.parametrize("argv", [
    ["--no-such-option"],
    [],  # no model
])
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, _, err = run(capsys, *([RETAILER_B] if argv else []), *argv)
    assert status == 2
    assert "usage: continuity" in err


@pytest.mark.parametrize("value", ["0", "-1", "-100", "1.5", "many"])
def test_trials_must_be_a_positive_integer(capsys: pytest.CaptureFixture[str],
                                           value: str) -> None:
    status, out, err = run(capsys, RETAILER_B, f"--trials={value}")
    assert status == 2
    assert out == ""
    assert "argument -n/--trials:" in err
    assert ("must be a positive integer" in err) or ("not an integer" in err)


@pytest.mark.parametrize("option,value", [("--seed", "-1"), ("--seed", str(2**64)),
                                          ("--threads", "-2")])
def test_other_counts_are_checked(capsys: pytest.CaptureFixture[str], option: str,
                                  value: str) -> None:
    status, _, err = run(capsys, RETAILER_B, f"{option}={value}")
    assert status == 2
    assert option in err


def test_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, RETAILER_B, "--scenario", "flood")
    assert status == 2
    assert out == ""
    assert "no scenario 'flood' in model 'Retailer B'" in err
    assert "'shopping site breach'" in err


def test_interrupt(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "simulate", interrupted)
    status, _, err = run(capsys, RETAILER_B, "--trials", "10")
    assert status == 130
    assert err.strip() == "continuity: interrupted"


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "--deterministic" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"continuity {ct.__version__}"


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "continuity", RETAILER_B, "-d", "--json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 35_700_000
    assert done.stderr == ""
    done = subprocess.run([sys.executable, "-m", "continuity", "--trials", "0", RETAILER_B],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "continuity: error: argument -n/--trials: must be a positive integer, got 0" \
        in done.stderr


# ------------------------------------------------------------------- plots
def test_plots(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    status, out, err = run(capsys, HOSPITAL, "--trials", "1000", "--plots", str(tmp_path))
    assert status == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    # The earthquake's costs are all fixed: no tornado chart for it.
    assert names == sorted([
        "ransomware-through-the-vpn-gantt.png", "ransomware-through-the-vpn-capacity.png",
        "ransomware-through-the-vpn-tornado.png", "earthquake-gantt.png",
        "earthquake-capacity.png", "exceedance.png", "histogram.png"])
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000, name
    assert "Wrote 7 files" in out

    deterministic = tmp_path / "deterministic"
    status, out, err = run(capsys, RETAILER_B, "-d", "--json", "--plots", str(deterministic))
    assert status == 0, err
    assert sorted(p.name for p in deterministic.iterdir()) == [
        "shopping-site-breach-capacity.png", "shopping-site-breach-gantt.png",
        "shopping-site-breach-tornado.png"]


# ------------------------------------------------------------ inventories
INVENTORY = EXAMPLES / "inventory"


@pytest.mark.parametrize("inventory", ["retailer_b.xlsx", "retailer_b",
                                       "retailer_b/functions.csv"])
def test_spreadsheet_inventory_with_companion(capsys: pytest.CaptureFixture[str],
                                              inventory: str) -> None:
    path = INVENTORY / inventory
    if not path.exists():
        pytest.skip(f"no example inventory {path}")
    doc = run_json(capsys, str(path), "--companion",
                   str(INVENTORY / "retailer_b_companion.json"), "-d")
    assert doc["total"] == 35_700_000


def test_companion_needs_a_spreadsheet(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, RETAILER_B, "--companion", RETAILER_B, "-d")
    assert status == 2
    assert "only a spreadsheet inventory" in err


# ---------------------------------------------------------- improved orders
def test_improve_shows_the_searched_order_its_bound_and_what_it_changes(
        capsys: pytest.CaptureFixture[str]) -> None:
    attack = "ransomware through the VPN"
    doc = run_json(capsys, HOSPITAL, "--deterministic", "--improve", "-s", attack)
    plan, improved = doc["scenarios"][attack]["plan"], doc["scenarios"][attack]["improved_plan"]
    assert improved["business_impact"] <= 0.85 * plan["business_impact"]
    assert 0 < improved["lower_bound"] <= improved["business_impact"]
    assert improved["optimality_gap"] == pytest.approx(
        1 - improved["lower_bound"] / improved["business_impact"])
    assert any(line.startswith("medical billing: back") for line in improved["explanation"])
    status, out, err = run(capsys, HOSPITAL, "--deterministic", "--improve", "-s", attack)
    assert status == 0, err
    assert "Improved recovery order" in out
    assert "What it changes against the priority rule:" in out
    assert "medical accounting" in out.split("Improved recovery order")[1]
    # Without --improve there is no such section.
    status, out, _ = run(capsys, HOSPITAL, "--deterministic", "-s", attack)
    assert status == 0 and "Improved recovery order" not in out
    assert "Lower bound (staff unlimited)" in out


# ------------------------------------------------------- Japanese users
GYM = str(EXAMPLES / "gym.json")
GYM_JA = str(EXAMPLES / "gym_ja.json")
JA_ATTACK = "本社ネットワークのランサムウェア"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def fresh_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """No chart font chosen yet, as in a new process."""
    from continuity import plot

    monkeypatch.setattr(plot, "_font_chosen", False)
    monkeypatch.setattr(plot, "_font_family", None)


def _listed(out: str) -> dict[str, str]:
    """The files of the closing list: file name → what the text says it holds."""
    rows = out.split("\nWrote ", 1)[1].splitlines()[1:]
    return {Path(path).name: what.strip()
            for path, what in (r.strip().split("  ", 1) for r in rows)}


def test_japanese_gym_plots_have_the_glyphs_and_the_scenarios_name(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, fresh_font: None) -> None:
    import warnings

    from continuity import plot

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would fail the command
        status, out, err = run(capsys, GYM_JA, "--trials", "300", "--plots", str(tmp_path))
    assert status == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([f"{JA_ATTACK}-gantt.png", f"{JA_ATTACK}-capacity.png",
                            f"{JA_ATTACK}-tornado.png", "exceedance.png", "histogram.png"])
    listed = _listed(out)
    for kind in ("gantt", "capacity", "tornado"):
        assert listed[f"{JA_ATTACK}-{kind}.png"].startswith(f"scenario '{JA_ATTACK}': ")
    assert listed["exceedance.png"] == "annual loss exceedance curve"
    assert plot._font_chosen is False  # the command's choice does not outlive it


def test_chart_file_names_stay_unique_and_say_their_scenario(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = json.loads(Path(GYM_JA).read_text(encoding="utf-8"))
    attack = spec["scenarios"][0]
    spec["scenarios"] = [{**attack, "name": name} for name in ("火災?", "火災*", "CON")]
    model = tmp_path / "model.json"
    model.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    status, out, err = run(capsys, str(model), "-d", "--plots", str(tmp_path / "plots"))
    assert status == 0, err
    listed = _listed(out)
    assert listed["火災-gantt.png"] == "scenario '火災?': recovery schedule (Gantt chart)"
    assert listed["火災-2-gantt.png"] == "scenario '火災*': recovery schedule (Gantt chart)"
    assert listed["con_-capacity.png"] == "scenario 'CON': output of the business functions"
    assert len(listed) == 9 == len(list((tmp_path / "plots").iterdir()))


def test_csv_files_are_for_excel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Excel reads a CSV file as UTF-8 when it starts with the byte-order mark
    (else in the system's code page, which garbles Japanese)."""
    status, _, err = run(capsys, GYM_JA, "--trials", "300", "--csv", str(tmp_path))
    assert status == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DEFAULT_CSV)
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert data.startswith(BOM) and BOM not in data[3:], path.name
        data[3:].decode("utf-8")  # strict: the rest is UTF-8
    timeline = (tmp_path / "timeline.csv").read_text(encoding="utf-8-sig")
    assert timeline.startswith("scenario,activity,")
    assert f"{JA_ATTACK},会員サーバー: 隔離と被害調査,会員サーバー," in timeline
    summary = (tmp_path / "loss_summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[:2] == ["statistic,value", "trials,300"]
    # counts in whole numbers, amounts in full
    with open(tmp_path / "trials.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 300
    counts = [c for c in rows[0] if c.split(":")[0] in ("rto_breaches", "mtpd_breaches",
                                                         "events")]
    assert f"events:{JA_ATTACK}" in counts and f"rto_breaches:月次口座振替" in counts
    assert all(row[c].isdigit() for row in rows for c in counts)
    assert any(int(row[f"events:{JA_ATTACK}"]) > 0 for row in rows)
    result = ct.simulate(ct.load_model(GYM_JA), 300, 1)
    assert [float(row["annual_loss"]) for row in rows] == list(result.annual_loss)
    with open(tmp_path / "systems.csv", encoding="utf-8-sig", newline="") as f:
        lost = {row["system"]: row["lost_records"] for row in csv.DictReader(f)}
    assert lost["会員データベース"] == "360"  # 3 days of 120 member changes


def test_yen_amounts_in_the_text_in_man_and_oku(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, GYM_JA, "-d")
    assert 4_995_000 <= doc["total"] < 5_005_000  # so ¥500万 to three digits
    status, out, _ = run(capsys, GYM_JA, "-d")
    assert status == 0
    assert re.search(r"^  Total +¥500万$", out, re.M)
    assert re.search(r"^    新しいバックアップの構築 +¥50万$", out, re.M)
    assert re.search(r"^    legal +¥10万$", out, re.M)  # a late report's expected sanction
    status, out, _ = run(capsys, HOSPITAL, "-d", "-s", "ransomware through the VPN")
    assert status == 0
    total = ct.load_model(HOSPITAL).incident_cost("ransomware through the VPN").total
    assert 312_500_000 <= total < 313_500_000  # so ¥3.13億 to three digits
    assert re.search(r"^  Total +¥3.13億$", out, re.M)


def test_the_japanese_gym_is_the_gym(capsys: pytest.CaptureFixture[str]) -> None:
    english, japanese = run_json(capsys, GYM, "-d"), run_json(capsys, GYM_JA, "-d")
    assert japanese["total"] == english["total"]
    (e,), (j,) = english["scenarios"].values(), japanese["scenarios"].values()
    assert j["plan"]["makespan_h"] == e["plan"]["makespan_h"]
    assert j["plan"]["business_impact"] == e["plan"]["business_impact"]
    assert [g["kind"] for g in j["gaps"]] == [g["kind"] for g in e["gaps"]]


def _block(out: str, start: str) -> list[str]:
    """The lines after the line ``start`` up to the next that is not indented more."""
    lines = out.splitlines()
    k = lines.index(start)
    indent = len(start) - len(start.lstrip())
    block = []
    for line in lines[k + 1:]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line)
    return block


def test_text_columns_are_aligned_by_display_width(capsys: pytest.CaptureFixture[str]) -> None:
    from continuity.formatting import display_width

    status, out, _ = run(capsys, GYM_JA, "--trials", "300")
    assert status == 0
    lines = _block(out, "  By cost line:")
    assert [line.split()[0] for line in lines] == ["調査と復旧", "新しいバックアップの構築",
                                                   "会員へのお詫び", "ransom", "data",
                                                   "sanctions", "notifications", "late",
                                                   "lost", "impact"]
    # the amounts end in one column, counting a Japanese character as two
    assert len({display_width(line) for line in lines}) == 1
    assert len({len(line) for line in lines}) > 1
    by_scenario = _block(out, "  Mean annual loss by scenario:")
    assert len(by_scenario) == 1 and by_scenario[0].startswith(f"    {JA_ATTACK}  ¥")
    # the priority table: every row as wide as its header
    table = out.split("Priority table\n==============\n", 1)[1].split("\n\n", 1)[0]
    rows = table.splitlines()
    assert rows[2].startswith("チェックインとレッスン")
    assert len({display_width(r) for r in rows[:1] + rows[2:]}) == 1
    heading = f"Scenario '{JA_ATTACK}' (ransomware, 0.05 a year)"
    assert f"{heading}\n{'=' * display_width(heading)}\n" in out


def test_the_font_of_the_charts_is_an_option(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path, fresh_font: None) -> None:
    import warnings

    from continuity import plot

    status, _, err = run(capsys, GYM_JA, "-d", "--font", "No Such Font", "--plots",
                         str(tmp_path / "a"))
    assert status == 2
    assert "continuity: error: argument --font: no installed font named 'No Such Font'" in err
    assert not (tmp_path / "a").exists()  # it fails before any work
    status, _, err = run(capsys, GYM_JA, "-d", "--font", "auto")
    assert status == 2 and "only the charts (--plots, --report) are drawn with a font" in err

    shipped = plot._shipped_font()
    assert shipped is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, _, err = run(capsys, GYM_JA, "-d", "--font", str(shipped), "--plots",
                             str(tmp_path / "b"))
    assert status == 0, err
    # with no font of the package's choosing the Japanese glyphs are missing
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, _, err = run(capsys, GYM_JA, "-d", "--font", "none", "--plots",
                             str(tmp_path / "c"))
    assert status == 0, err
    assert any("missing from font" in str(w.message) for w in caught)
    assert plot._font_chosen is False


def test_output_in_a_code_page_without_the_yen_sign_does_not_fail() -> None:
    """Japanese Windows writes output redirected to a file in code page 932,
    which has neither ¥ nor —: the text then holds stand-ins."""
    import os

    env = {**os.environ, "PYTHONIOENCODING": "cp932"}
    done = subprocess.run([sys.executable, "-m", "continuity", GYM_JA, "-d"],
                          capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode("cp932", "replace")
    text = done.stdout.decode("cp932")  # strict: all of it is code page 932
    assert re.search(r"^  Total +\\500万$", text, re.M)  # 0x5C: the yen sign of cp932
    assert f"'{JA_ATTACK}'" in text and " - waits " in text  # — as -
    env["PYTHONIOENCODING"] = "ascii"
    done = subprocess.run([sys.executable, "-m", "continuity", GYM_JA, "-d"],
                          capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0
    assert re.search(r"^  Total +JPY 500\?$", done.stdout.decode("ascii"), re.M)
