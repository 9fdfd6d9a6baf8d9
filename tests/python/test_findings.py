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
