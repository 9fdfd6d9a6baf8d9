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


def _hospital_dict(examples: Path) -> dict:  # type: ignore[type-arg]
    return ct.load_model(examples / "hospital.json").to_dict()


def test_improved_plan_has_a_lower_bound_and_an_explanation(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    rule = m.plan_recovery(HOSPITAL_ATTACK)
    improved = m.plan_recovery(HOSPITAL_ATTACK, improve=True)
    assert improved.objective == "business_impact"
    assert 0 < improved.lower_bound <= improved.business_impact
    assert improved.optimality_gap == pytest.approx(
        (improved.business_impact - improved.lower_bound) / improved.business_impact)
    assert 0 <= improved.optimality_gap < 0.2
    e = improved.explain()
    assert e.reference_value == pytest.approx(rule.business_impact)
    assert e.plan_value == pytest.approx(improved.business_impact)
    assert "medical accounting" in e.text and "medical billing" in e.text
    earlier = e.systems[e.systems["change"] == "earlier"].set_index("system")
    assert "medical accounting" in earlier.index
    assert (earlier["plan_back_h"] < earlier["reference_back_h"]).all()
    assert e.functions.loc["medical billing", "impact_change"] < -1e6
    # The function changes add up to the change of the plan's business impact.
    assert e.functions["impact_change"].sum() == pytest.approx(
        improved.business_impact - rule.business_impact, rel=1e-9)
    # Explained against itself, a plan changes nothing.
    same = rule.explain(rule)
    assert same.systems.empty and same.functions.empty
    other = next(s for s in m.scenarios if s != HOSPITAL_ATTACK)
    with pytest.raises(ct.errors.ValidationError, match="same model and scenario"):
        improved.explain(m.plan_recovery(other))


def test_points_curve_is_reported_in_points_and_not_added_to_money(examples: Path) -> None:
    spec = _hospital_dict(examples)
    base = ct.Model.from_dict(spec)
    for f in spec["functions"]:
        if f["name"] == "outpatient care":
            f["impact"].append({"category": "reputation", "unit": "points",
                                "steps": [{"after": "1d", "rate_per_day": 2}]})
    m = ct.Model.from_dict(spec)
    before, after = base.plan_recovery(HOSPITAL_ATTACK), m.plan_recovery(HOSPITAL_ATTACK)
    assert after.business_impact == before.business_impact
    assert m.incident_cost(HOSPITAL_ATTACK).total == base.incident_cost(HOSPITAL_ATTACK).total
    rows = after.impacts.set_index(["function", "curve"])
    points = rows.loc[("outpatient care", "reputation")]
    assert points["unit"] == "points" and not points["money"]
    assert points["impact"] > 0
    money = rows[rows["money"]]
    assert set(money["unit"]) == {m.currency}
    assert ("medical billing", "fees not collected") in money.index
    # The money curves of a function add up to its curve_impact.
    per_function = money.groupby(level="function")["impact"].sum()
    for name, value in per_function.items():
        assert after.functions.loc[name, "curve_impact"] == pytest.approx(value, rel=1e-12)


def test_staff_availability_per_pool_from_python(examples: Path) -> None:
    spec = _hospital_dict(examples)
    for s in spec["scenarios"]:
        s["staff_availability"] = {"IT staff": 0.5}
    m = ct.Model.from_dict(spec)
    plan = m.plan_recovery(HOSPITAL_ATTACK)
    assert plan.staff["IT staff"] == 1
    assert "staff_shortfall" in set(plan.gaps["kind"])
    result = ct.simulate(m, 2_000, seed=2)
    assert np.isfinite(result.annual_loss).all()
    # The dict the model gives back keeps the per-pool form.
    assert m.to_dict()["scenarios"][0]["staff_availability"] == {"IT staff": 0.5}
    spec["scenarios"][0]["staff_availability"] = {"night shift": 0.5}
    with pytest.raises(ct.errors.ReferenceError, match="night shift"):
        ct.Model.from_dict(spec)


def test_one_off_copy_and_infected_backups_are_findings() -> None:
    def gym(dwell: str) -> ct.Model:
        return ct.Model.from_dict({
            "name": "gym",
            "functions": [{"name": "members", "importance": 2, "system_dependency": 3,
                           "needs": ["member database"]}],
            "systems": [{"name": "member database", "transactions_per_hour": 5, "backups": [
                {"age": "3d", "medium": "notebook", "mode": "offline", "restore_time": "4h"}]}],
            "scenarios": [{"name": "ransomware", "kind": "ransomware", "dwell_time": dwell,
                           "annual_frequency": 0.1, "damage": [{"systems": ["member database"]}]}],
        })
    clean = gym("2d")
    assert clean.findings.empty
    infected = gym("4d")
    f = infected.findings
    assert list(f["kind"]) == ["backups_infected"]
    assert "member database" in f["message"].iloc[0]
    # The copy survives a 2-day dwell time: 72 h of data are lost, re-entered.
    plan = clean.plan_recovery("ransomware")
    assert plan.systems.loc["member database", "lost_records"] == pytest.approx(72 * 5)
