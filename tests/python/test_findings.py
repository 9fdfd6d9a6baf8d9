"""Shortfalls of a valid model are findings, not errors: an RPO that no
backup can meet loads, is listed in ``Model.findings`` and shows as an RPO
gap of every function it breaches in the gap report of an incident that
destroys the data; a staff shortage is a ``staff_shortfall`` gap, and the
plan and the simulation go on."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import continuity as ct


def _model() -> ct.Model:
    return ct.Model.from_dict({
        "functions": [{"name": "outpatient care", "rpo": "1h", "needs": ["EMR"]},
                      {"name": "billing", "rpo": "1h", "needs": ["EMR"]},
                      {"name": "reception", "needs": ["EMR"]}],
        "systems": [{"name": "EMR", "backups": [{"interval": "24h", "mode": "offline"}]}],
        "scenarios": [{"name": "ransomware", "kind": "ransomware",
                       "damage": [{"systems": ["EMR"]}]}],
    })


def test_an_rpo_no_backup_can_meet_loads_and_is_a_finding() -> None:
    model = _model()
    findings = model.findings
    assert list(findings.columns) == ["kind", "object_kind", "object", "field", "message"]
    assert len(findings) == 1
    row = findings.iloc[0]
    assert (row["kind"], row["object_kind"], row["object"], row["field"]) == (
        "rpo_unmeetable", "system", "EMR", "backups")
    assert "24 h" in row["message"] and "1 h" in row["message"]


def test_every_function_breached_gets_its_own_rpo_gap() -> None:
    plan = _model().plan_recovery("ransomware")
    rpo = plan.gaps[plan.gaps["kind"] == "rpo"]
    assert sorted(rpo["function"]) == ["billing", "outpatient care"]
    assert all(hours == pytest.approx(24.0) for hours in rpo["achieved_h"])


def test_a_model_without_shortfalls_has_no_findings() -> None:
    model = ct.Model.from_dict({
        "functions": [{"name": "orders", "rpo": "24h", "needs": ["db"]}],
        "systems": [{"name": "db", "backups": [{"interval": "24h", "mode": "offline"}]}],
    })
    assert model.findings.empty


@pytest.mark.parametrize("availability", [0.5, 0.05, 0.99])
def test_a_staff_shortage_is_a_gap_and_the_simulation_runs(examples: Path,
                                                          availability: float) -> None:
    spec = json.loads((examples / "hospital.json").read_text(encoding="utf-8"))
    for scenario in spec["scenarios"]:
        scenario["staff_availability"] = availability
    model = ct.Model.from_dict(spec)
    plan = model.plan_recovery("ransomware through the VPN")
    shortfalls = plan.gaps[plan.gaps["kind"] == "staff_shortfall"]
    if availability <= 0.5:
        assert len(shortfalls) >= 1
        assert (shortfalls["achieved_h"] < shortfalls["objective_h"]).all()
    result = ct.simulate(model, 2000 if availability == 0.5 else 200, 1)
    assert np.isfinite(result.annual_loss).all()


def _mbco_model(minimum: list[dict[str, object]]) -> ct.Model:
    # One IT person restores 'a': 30 h to 50 % output, then 40 h to full
    # output (70 h); 'sales' works by hand at 20 % from 2 h. Its output by
    # hand: 0 until 2 h, 20 % until 30 h, 50 % until 70 h, then 100 %.
    return ct.Model.from_dict({
        "resources": [{"name": "IT", "capacity": 1}],
        "functions": [{"name": "sales", "needs": ["a"],
                       "manual_workaround": {"capacity": 0.2, "setup_time": "2h"},
                       "minimum_capacity": minimum,
                       "impact": [{"category": "reputation", "unit": "points",
                                   "steps": [{"after": "1h", "lump": 2},
                                             {"after": "12h", "rate_per_hour": 1, "lump": 3},
                                             {"after": "100h", "lump": 99}]}]}],
        "systems": [{"name": "a", "recovery": {
            "emergency_capacity": 0.5,
            "emergency": [{"name": "fix", "kind": "recovery_work", "duration": "30h",
                           "needs": ["IT"]}],
            "permanent": [{"name": "rebuild", "kind": "recovery_work", "duration": "40h",
                           "needs": ["IT"]}]}}],
        "scenarios": [{"name": "failure", "kind": "it_failure",
                       "damage": [{"systems": ["a"]}]}],
    })


def test_a_minimum_capacity_not_reached_in_time_is_a_gap() -> None:
    model = _mbco_model([{"by": "12h", "capacity": 0.5}, {"by": "3d", "capacity": 1}])
    gaps = model.plan_recovery("failure").gaps
    mbco = gaps[gaps["kind"] == "minimum_capacity"]
    # 50 % by 12 h: reached at 30 h; 100 % by 72 h: reached at 70 h, met.
    assert len(mbco) == 1
    row = mbco.iloc[0]
    assert (row["function"], row["system"]) == ("sales", "a")
    assert row["objective_h"] == pytest.approx(12)
    assert row["achieved_h"] == pytest.approx(30)
    assert row["capacity"] == pytest.approx(0.5)
    assert "50 %" in row["message"] and "20 %" in row["message"]
    assert gaps[gaps["kind"] != "minimum_capacity"]["capacity"].isna().all()


def test_a_bad_minimum_capacity_is_a_load_error_naming_the_entry() -> None:
    with pytest.raises(ct.ValidationError, match=r"minimum_capacity\[1\]\.by"):
        _mbco_model([{"by": "12h", "capacity": 0.5}, {"by": "6h", "capacity": 1}])


def test_escalation_levels_of_a_curve_in_points() -> None:
    plan = _mbco_model([]).plan_recovery("failure")
    levels = plan.escalation
    assert list(levels["level"]) == [1, 2, 3]
    assert list(levels["unit"]) == ["points"] * 3
    assert list(levels["reached"]) == [True, True, False]
    # By hand: 2 points at 1 h; 2 + 3 × 0.8 at 12 h; at 100 h (back since
    # 70 h) the rate of 1 point an hour from 12 h weighted by the missing
    # output, 0.8 × 18 h + 0.5 × 40 h = 34.4, plus the lumps 4.4.
    assert list(levels["impact"]) == pytest.approx([2, 4.4, 38.8])
    assert list(levels["missing_output"]) == pytest.approx([1, 0.8, 0])
    impacts = plan.impacts
    assert impacts["impact"].iloc[0] == pytest.approx(38.8)
    assert plan.business_impact == 0  # points are not money
