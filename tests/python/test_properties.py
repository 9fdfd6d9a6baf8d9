"""Property tests (hypothesis): a longer outage never lowers the loss; an
extra offline backup never worsens the realised RPO; more staff never
lengthens the recovery beyond the priority rule's known anomaly; analyses of
a valid model never throw, whatever shortfall it has (staff availabilities
from 0.05 to 0.99, RPOs no backup meets, minimum capacities, curves in
points).

The known anomaly: the fast schedule (serial schedule generation with the
priority rule) is not monotone in capacity when steps need several people at
once — like list scheduling in general (Graham, "Bounds on multiprocessing
timing anomalies", 1969). ``test_known_staff_anomaly`` pins an instance:
with 3 IT staff all work is done after 17 h, with 4 after 20 h. What we rely
on, and test: with steps that need one person each, more staff never
lengthens the fast schedule; with any steps, re-planning with the improving
search after adding staff is never worse than the fast plan before.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import continuity as ct

DURATIONS = st.sampled_from([1, 2, 3, 5, 8, 13])


@st.composite
def recovery_models(draw: st.DrawFn, multi_unit: bool = False) -> dict[str, Any]:
    """Small models whose systems all fail: chains of steps, dependencies on
    earlier systems, functions with revenue, impact curves and workarounds."""
    k = draw(st.integers(2, 6))
    units = st.sampled_from([1, 1, 2]) if multi_unit else st.just(1)
    systems = []
    for i in range(k):
        steps = [{"name": f"s{j}", "duration": draw(DURATIONS),
                  "needs": [{"resource": "IT staff", "units": draw(units)}]}
                 for j in range(draw(st.integers(1, 3)))]
        deps = [f"x{d}" for d in range(i) if draw(st.booleans())]
        systems.append({"name": f"x{i}", "depends_on": deps, "recovery": {"emergency": steps}})
    names = [s["name"] for s in systems]
    functions = []
    for f in range(draw(st.integers(1, 3))):
        fn: dict[str, Any] = {
            "name": f"f{f}", "importance": draw(st.integers(1, 3)),
            "system_dependency": draw(st.integers(1, 3)),
            "revenue_per_day": draw(st.integers(0, 10_000_000)),
            "margin": draw(st.sampled_from([0.1, 0.3, 1.0])),
            "needs": draw(st.lists(st.sampled_from(names), min_size=1, max_size=k, unique=True)),
        }
        if draw(st.booleans()):
            fn["manual_workaround"] = {"capacity": draw(st.sampled_from([0.2, 0.5])),
                                       "setup_time": draw(DURATIONS),
                                       "max_duration": draw(st.sampled_from([10, 40, 1000]))}
        if draw(st.booleans()):
            fn["impact"] = [{"category": "reputation", "steps": [
                {"after": 0, "rate_per_hour": draw(st.integers(0, 1000))},
                {"after": draw(st.integers(1, 30)), "rate_per_hour": draw(st.integers(0, 5000))}]}]
        functions.append(fn)
    staff = draw(st.integers(2 if multi_unit else 1, 4))
    return {
        "functions": functions,
        "systems": systems,
        "resources": [{"name": "IT staff", "capacity": staff}],
        "scenarios": [{"name": "outage", "kind": "it_failure", "damage": [{"systems": names}],
                       "costs": [{"name": "overtime", "category": "response",
                                  "driver": "per_outage_hour", "amount": 1000}]}],
    }


def cost(spec: dict[str, Any]) -> float:
    return ct.Model.from_dict(spec).incident_cost("outage").total


@settings(max_examples=150)
@given(recovery_models(), st.data())
def test_a_longer_outage_never_lowers_the_loss(spec: dict[str, Any], data: st.DataObject) -> None:
    # Staff for every system at once, so a longer step cannot reorder the
    # work: the property is about the cost model, not about scheduling.
    spec["resources"][0]["capacity"] = len(spec["systems"])
    longer = copy.deepcopy(spec)
    system = data.draw(st.sampled_from(longer["systems"]))
    step = data.draw(st.sampled_from(system["recovery"]["emergency"]))
    step["duration"] += data.draw(st.integers(1, 200))
    assert cost(longer) >= cost(spec) - 1e-6 * abs(cost(spec))


@st.composite
def backed_up_systems(draw: st.DrawFn) -> dict[str, Any]:
    modes = st.sampled_from(["online", "offline", "immutable"])
    backups = [{"interval": draw(st.sampled_from([1, 6, 24, 168])),
                "generations": draw(st.integers(1, 14)), "mode": draw(modes),
                "medium": draw(st.sampled_from(["nas", "tape", "cloud"])),
                "offsite": draw(st.booleans())}
               for _ in range(draw(st.integers(0, 3)))]
    kind = draw(st.sampled_from(["ransomware", "fire", "it_failure", "earthquake"]))
    scenario: dict[str, Any] = {"name": "incident", "kind": kind,
                                "damage": [{"systems": ["records"]}]}
    if kind == "ransomware":
        scenario["dwell_time"] = draw(st.sampled_from([0, 12, 72, 500]))
    return {
        "functions": [{"name": "work", "needs": ["records"]}],
        "systems": [{"name": "records", "layer": "software", "backups": backups,
                     "transactions_per_hour": 10}],
        "scenarios": [scenario],
    }


@settings(max_examples=200)
@given(backed_up_systems(), st.sampled_from([1, 6, 24, 168]), st.integers(1, 14),
       st.booleans())
def test_an_offline_backup_never_worsens_the_realised_rpo(spec: dict[str, Any], interval: int,
                                                         generations: int,
                                                         offsite: bool) -> None:
    before = ct.Model.from_dict(spec).data_loss("incident")
    more = copy.deepcopy(spec)
    more["systems"][0]["backups"].append({"interval": interval, "generations": generations,
                                          "mode": "offline", "medium": "tape",
                                          "offsite": offsite})
    after = ct.Model.from_dict(more).data_loss("incident")
    rpo_before = before["realised_rpo_h"].get("records", 0.0)
    rpo_after = after["realised_rpo_h"].get("records", 0.0)
    assert rpo_after <= rpo_before


@settings(max_examples=150)
@given(recovery_models())
def test_more_staff_never_lengthens_the_fast_schedule_of_one_person_steps(
        spec: dict[str, Any]) -> None:
    spans = []
    for staff in range(1, 5):
        spec["resources"][0]["capacity"] = staff
        spans.append(ct.Model.from_dict(spec).plan_recovery("outage").makespan_h)
    assert all(b <= a + 1e-9 for a, b in zip(spans, spans[1:])), spans


@settings(max_examples=80)
@given(recovery_models(multi_unit=True))
def test_replanning_with_more_staff_is_never_worse(spec: dict[str, Any]) -> None:
    staff = spec["resources"][0]["capacity"]
    fast = ct.Model.from_dict(spec).plan_recovery("outage").makespan_h
    spec["resources"][0]["capacity"] = staff + 1
    more = ct.Model.from_dict(spec)
    best = more.plan_recovery("outage", improve=True, objective="makespan", budget=200, seed=1)
    assert best.makespan_h <= fast + 1e-9


def test_known_staff_anomaly() -> None:
    """Serial schedule generation puts each step at its earliest feasible
    time in list order (x0, x2, x1 before x3, which no function needs).
    Three people: x0 0-5 and x3's first step 0-5 side by side, x3's 8 h step
    7-15, its 2-person step 15-17. Four people: x2's steps fit at once (0-4,
    recovery work may precede the return of what it needs), which blocks
    4-5 with x1 and x0 together, so x3 starts only at 5 and ends at 20."""
    def step(name: str, hours: int, people: int) -> dict[str, Any]:
        return {"name": name, "duration": hours,
                "needs": [{"resource": "IT staff", "units": people}]}

    spec: dict[str, Any] = {
        "functions": [{"name": "f0", "needs": ["x1"]},
                      {"name": "f1", "importance": 2, "system_dependency": 2,
                       "needs": ["x0", "x2"]}],
        "systems": [
            {"name": "x0", "recovery": {"emergency": [step("s0", 5, 2)]}},
            {"name": "x1", "depends_on": ["x0"], "recovery": {"emergency": [step("s0", 1, 2)]}},
            {"name": "x2", "depends_on": ["x1"], "recovery": {"emergency": [
                step("s0", 1, 2), step("s1", 2, 1), step("s2", 1, 1)]}},
            {"name": "x3", "recovery": {"emergency": [
                step("s0", 5, 1), step("s1", 8, 1), step("s2", 2, 2)]}},
        ],
        "resources": [{"name": "IT staff", "capacity": 3}],
        "scenarios": [{"name": "fire", "kind": "fire",
                       "damage": [{"systems": ["x0", "x1", "x2", "x3"]}]}],
    }
    three = ct.Model.from_dict(spec).plan_recovery("fire").makespan_h
    spec["resources"][0]["capacity"] = 4
    four = ct.Model.from_dict(spec)
    assert (three, four.plan_recovery("fire").makespan_h) == (17.0, 20.0)
    assert four.plan_recovery("fire", improve=True, objective="makespan").makespan_h <= 17.0


@st.composite
def models_with_shortfalls(draw: st.DrawFn) -> dict[str, Any]:
    """recovery_models with an outside vendor pool, staff availability as a
    number or per pool, RPOs and backups, minimum capacities and a curve in
    points: every shortfall a BIA reports."""
    spec = draw(recovery_models(multi_unit=True))
    spec["resources"].append({"name": "vendor", "capacity": draw(st.integers(1, 3)),
                              "external": True})
    for system in spec["systems"]:
        if draw(st.booleans()):
            system["recovery"]["emergency"][0]["needs"].append("vendor")
        if draw(st.booleans()):
            system["backups"] = [draw(st.sampled_from([
                {"interval": "1d", "generations": 2, "mode": "online"},
                {"interval": "7d", "generations": 1, "mode": "offline"},
                {"age": "3d", "mode": "offline"}]))]
    for fn in spec["functions"]:
        if draw(st.booleans()):
            fn["rpo"] = draw(st.sampled_from(["1h", "12h", "2d"]))
        if draw(st.booleans()):
            first = draw(st.integers(1, 20))
            fn["minimum_capacity"] = [{"by": first, "capacity": draw(st.sampled_from([0.1, 0.5]))},
                                      {"by": first + draw(st.integers(1, 40)), "capacity": 1}]
        if draw(st.booleans()):
            fn.setdefault("impact", []).append(
                {"category": "reputation points", "unit": "points",
                 "steps": [{"after": draw(st.integers(0, 10)), "lump": 1},
                           {"after": 50, "lump": 2, "rate_per_hour": 0.1}]})
    share = st.floats(0.05, 0.99)
    scenario = spec["scenarios"][0]
    scenario["kind"] = draw(st.sampled_from(["it_failure", "ransomware"]))
    scenario["annual_frequency"] = 0.5
    scenario["staff_availability"] = draw(st.one_of(
        share, st.fixed_dictionaries({"IT staff": share}),
        st.fixed_dictionaries({"IT staff": share, "vendor": share})))
    return spec


@settings(max_examples=60, deadline=None)
@given(models_with_shortfalls())
def test_analyses_of_a_valid_model_never_throw(spec: dict[str, Any]) -> None:
    model = ct.Model.from_dict(spec)
    _ = model.findings
    for improve in (False, True):
        plan = model.plan_recovery("outage", improve=improve, budget=40, seed=1)
        assert math.isfinite(plan.business_impact)
        assert plan.lower_bound <= plan.business_impact * (1 + 1e-9)
        for table in (plan.gaps, plan.escalation, plan.impacts, plan.functions):
            assert table is not None
    assert math.isfinite(model.incident_cost("outage").total)
    _ = model.single_points_of_failure()
    _ = model.data_loss("outage")
    result = ct.simulate(model, 200, seed=3)
    assert math.isfinite(result.statistics.mean)
