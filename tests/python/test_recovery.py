"""Recovery plans from Python: tables, feasibility of every plan, the
priority order, the two phases of the hospital and the gap report."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import continuity as ct

HOSPITAL_ATTACK = "ransomware through the VPN"


def check_feasible(plan: ct.RecoveryPlan) -> None:
    """Independent check: at no time does work use more of a pool than it has."""
    t = plan.timeline
    cap = plan.staff
    events = sorted(set(t["start_h"]) | set(t["finish_h"]))
    for pool, capacity in cap.items():
        pattern = re.compile(re.escape(str(pool)) + r" x(\d+)")
        units = t["resources"].map(lambda r: sum(int(u) for u in pattern.findall(r)))
        for x in events:
            running = (t["start_h"] <= x) & (x < t["finish_h"])
            assert units[running].sum() <= capacity, f"{pool} over capacity at {x} h"
    assert (t["finish_h"] >= t["start_h"]).all()


def test_every_example_plan_is_feasible(examples: Path) -> None:
    for name in ("manufacturer_a", "retailer_b", "hospital"):
        m = ct.load_model(examples / f"{name}.json")
        for s in m.scenarios:
            for improve in (False, True):
                plan = m.plan_recovery(s, improve=improve, budget=300, seed=3)
                check_feasible(plan)


def test_systems_come_back_after_their_own_work_and_what_they_need(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    plan = m.plan_recovery(HOSPITAL_ATTACK)
    t, sy = plan.timeline, plan.systems
    for name, row in sy[sy["damaged"]].iterrows():
        steps = t[(t["system"] == name) & (t["kind"] == "step") & (t["phase"] == "emergency")]
        assert row["own_back_h"] >= steps["finish_h"].max() - 1e-9
        assert row["back_degraded_h"] >= row["own_back_h"] - 1e-9
        # the "cumulative RTO" illusion: alone, with all the staff, it is never later
        assert row["unconstrained_back_h"] <= row["own_back_h"] + 1e-9
    for name, row in sy.iterrows():
        if row["limited_by"] and row["limited_by"] != name:
            assert row["back_degraded_h"] >= sy.loc[row["limited_by"], "back_degraded_h"] - 1e-9


def test_hospital_has_two_phases_and_a_switch_back(examples: Path) -> None:
    plan = ct.load_model(examples / "hospital.json").plan_recovery(HOSPITAL_ATTACK)
    t = plan.timeline
    assert set(t["phase"]) == {"emergency", "permanent"}
    assert (t["step"] == "switch_back").any()
    f = plan.functions.loc["outpatient care"]
    assert bool(f["down"])
    assert f["back_degraded_h"] < f["back_full_h"]
    out = plan.function_output("outpatient care")
    # on paper first (workaround), back to full output at the end
    assert out["output"].iloc[0] == 0.0 and out["output"].iloc[-1] == 1.0
    assert out["time_h"].is_monotonic_increasing
    assert plan.capacity()["function"].nunique() == int(plan.functions["down"].sum())


def test_gap_report_names_breaches_with_causes(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    plan = m.plan_recovery(HOSPITAL_ATTACK)
    gaps = plan.gaps
    assert set(gaps["kind"]) <= {"rto", "rpo", "mtpd", "workaround_exhausted", "data_unrecoverable"}
    rto = gaps[gaps["kind"] == "rto"]
    f = plan.functions
    # every RTO breach is a down function back later than its RTO, and vice versa
    late = f[f["down"] & (f["back_degraded_h"] > f["rto_h"])]
    assert set(rto["function"]) == set(late.index)
    for _, g in rto.iterrows():
        assert g["achieved_h"] == pytest.approx(f.loc[g["function"], "back_degraded_h"])
        assert g["cause"]


def test_improving_search_never_worse_than_the_rule(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    fast = m.plan_recovery(HOSPITAL_ATTACK)
    for objective, attr in (("makespan", "makespan_h"), ("business_impact", "business_impact")):
        better = m.plan_recovery(HOSPITAL_ATTACK, improve=True, objective=objective, budget=400)
        assert getattr(better, attr) <= getattr(fast, attr) + 1e-6
        assert better.schedules_generated > 1


def test_user_order_is_respected_when_staff_is_free() -> None:
    spec = {
        "functions": [{"name": "work", "importance": 3, "system_dependency": 3,
                       "needs": ["a", "b"]}],
        "systems": [
            {"name": n, "recovery": {"emergency": [{"name": "fix", "duration": "4h",
                                                    "needs": ["IT staff"]}]}}
            for n in ("a", "b")
        ],
        "scenarios": [{"name": "fire", "kind": "fire", "damage": [{"systems": ["a", "b"]}]}],
    }
    m = ct.Model.from_dict(spec)
    for first, second in (("a", "b"), ("b", "a")):
        plan = m.plan_recovery("fire", order=[first])
        assert plan.recovery_order == [first, second]
        t = plan.timeline.set_index("activity")
        assert t.loc[f"{first}: fix", "start_h"] == 0.0
        assert t.loc[f"{second}: fix", "start_h"] == 4.0  # one person: one after the other
        assert plan.makespan_h == 8.0


def test_bad_objective_and_unknown_order_are_clear_errors(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    with pytest.raises(ct.errors.ValueError_, match="unknown objective 'speed'"):
        m.plan_recovery(HOSPITAL_ATTACK, objective="speed")
    with pytest.raises(ct.errors.ReferenceError, match="unknown system 'nowhere'"):
        m.plan_recovery(HOSPITAL_ATTACK, order=["nowhere"])


def test_a_step_needing_an_empty_pool_is_rejected_with_the_model() -> None:
    spec = {
        "functions": [{"name": "work", "needs": ["a"]}],
        "resources": [{"name": "vendor", "capacity": 0}],
        "systems": [{"name": "a", "recovery": {"emergency": [
            {"name": "fix", "duration": "1h", "needs": ["vendor"]}]}}],
        "scenarios": [{"name": "fire", "kind": "fire", "damage": [{"systems": ["a"]}]}],
    }
    with pytest.raises(ct.errors.ValueError_) as info:
        ct.Model.from_dict(spec)
    assert (info.value.object_kind, info.value.object_name) == ("system", "a")
    assert "'vendor', which has only 0" in str(info.value)


def test_tables_have_documented_columns(examples: Path) -> None:
    plan = ct.load_model(examples / "manufacturer_a.json").plan_recovery(
        ct.load_model(examples / "manufacturer_a.json").scenarios[0])
    assert list(plan.timeline.columns) == ["activity", "system", "kind", "phase", "step",
                                           "start_h", "finish_h", "resources"]
    assert isinstance(plan.functions, pd.DataFrame) and plan.functions.index.name == "function"
    assert np.isfinite(plan.makespan_h)


def test_rpo_gap_when_ransomware_encrypts_the_online_backups() -> None:
    # Hourly online backups meet the 1 h RPO objective until ransomware
    # encrypts them with the database; the newest surviving backup is then
    # the daily offline one, so up to 24 h of orders are lost: an RPO breach.
    def model(kind: str) -> ct.Model:
        return ct.Model.from_dict({
            "functions": [{"name": "orders", "rpo": "1h", "needs": ["db"]}],
            "systems": [{"name": "db", "backups": [
                {"interval": "1h", "mode": "online"},
                {"interval": "24h", "mode": "offline"}]}],
            "scenarios": [{"name": "attack", "kind": kind, "damage": [{"systems": ["db"]}]}],
        })

    plan = model("ransomware").plan_recovery("attack")
    rpo = plan.gaps[plan.gaps["kind"] == "rpo"]
    assert len(rpo) == 1
    gap = rpo.iloc[0]
    assert gap["system"] == "db"
    assert gap["objective_h"] == pytest.approx(1.0)
    assert gap["achieved_h"] == pytest.approx(24.0)
    # An ordinary failure leaves the online backups: no RPO gap.
    plan = model("it_failure").plan_recovery("attack")
    assert not (plan.gaps["kind"] == "rpo").any()
