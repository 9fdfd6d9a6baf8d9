"""Insurance from Python: policies in the model file and on top-down
portfolios, gross = insured + retained in every trial, the mean insured loss
against the lognormal's limited expected value, the aggregate limit, errors
naming the policy and the field."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import recovery_models

import continuity as ct
from continuity import cli, errors

BREACH = "shopping site breach"


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def lognormal_lev(mu: float, sigma: float, u: float) -> float:
    """E[min(X, u)] of a lognormal(mu, sigma) X."""
    lu = math.log(u)
    return (math.exp(mu + sigma**2 / 2) * _phi((lu - mu - sigma**2) / sigma)
            + u * (1 - _phi((lu - mu) / sigma)))


def insured_retailer(examples: Path, *policies: dict[str, Any]) -> ct.Model:
    spec = ct.load_model(examples / "retailer_b.json").to_dict()
    spec["insurance"] = list(policies)
    return ct.Model.from_dict(spec)


def assert_split(r: ct.SimulationResult) -> None:
    assert np.array_equal(r.insured_loss + r.retained_loss, r.annual_loss)
    assert (r.insured_loss >= 0).all() and (r.retained_loss >= 0).all()


def test_incident_cost_gross_insured_retained(examples: Path) -> None:
    # 35.7 m: liability 4 m, response 27.7 m, opportunity 4 m (lost profit).
    # Sub-limit response 10 m: covered 4 + 10 + 4 = 18 m; less 1 m; limit 15 m.
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6, "limit": 15e6,
                                    "sublimits": {"response": 10e6}})
    c = m.incident_cost(BREACH)
    assert c.total == 35_700_000
    assert c.insured == 15_000_000
    assert c.retained == 20_700_000
    assert c.insured + c.retained == c.total
    assert c.insured_by_policy.to_dict() == {"cyber": 15_000_000}
    # Without a limit: 17 m.
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6,
                                    "sublimits": {"response": 10e6}})
    assert m.incident_cost(BREACH).insured == 17_000_000
    # No insurance: nothing insured.
    c = ct.load_model(examples / "retailer_b.json").incident_cost(BREACH)
    assert c.insured == 0 and c.retained == c.total and len(c.insured_by_policy) == 0


def test_waiting_period_leaves_out_the_first_days_of_lost_profit(examples: Path) -> None:
    # The site is closed two weeks (10 operating days × 0.4 m): a waiting
    # period of a week leaves out 5 days of lost profit, 2 m.
    m = insured_retailer(examples, {"name": "bi", "waiting_period": "7d",
                                    "sublimits": {"liability": 0, "response": 0, "legal": 0}})
    assert m.incident_cost(BREACH).insured == pytest.approx(2_000_000, rel=1e-12)


def test_simulation_gross_equals_insured_plus_retained(examples: Path) -> None:
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6, "limit": 2e7,
                                    "aggregate_limit": 3e7, "waiting_period": "12h"})
    r = ct.simulate(m, 4000, 3)
    assert_split(r)
    assert (r.insured_loss > 0).sum() > 100
    assert r.insured_loss.max() <= 3e7
    assert r.breakdown_names[-1] == "insured:cyber"
    assert np.array_equal(r.column("insured:cyber"), r.insured_loss)
    with pytest.raises(ValueError):
        r.insured_loss[0] = 1.0  # read-only views
    assert r.statistics_of("gross").mean == r.statistics.mean
    assert r.statistics_of("insured").mean == pytest.approx(r.insured_loss.mean(), rel=1e-12)
    assert r.statistics_of("retained").mean == pytest.approx(r.retained_loss.mean(), rel=1e-12)
    with pytest.raises(errors.ValueError_) as info:
        r.statistics_of("net")
    assert info.value.field == "loss"
    # Insurance draws nothing: the gross losses are the uninsured model's.
    bare = ct.simulate(ct.load_model(examples / "retailer_b.json"), 4000, 3)
    assert np.array_equal(bare.annual_loss, r.annual_loss)
    assert (bare.insured_loss == 0).all() and np.array_equal(bare.retained_loss, bare.annual_loss)


def test_closed_form_mean_insured_loss_of_a_compound_poisson_lognormal() -> None:
    lam, mu, sigma, d, limit = 1.5, 10.0, 1.2, 20_000.0, 100_000.0
    scenario = ct.TopDownScenario("breach", {"poisson": lam},
                                  {"lognormal": {"mu": mu, "sigma": sigma}})
    policy = ct.InsurancePolicy("cyber", deductible=d, limit=limit)
    r = ct.simulate_portfolio([scenario], 200_000, seed=8, insurance=[policy])
    assert_split(r)
    s = r.statistics_of("insured")
    expected = lam * (lognormal_lev(mu, sigma, d + limit) - lognormal_lev(mu, sigma, d))
    assert abs(s.mean - expected) < 3 * s.standard_error
    # The same policy as a dictionary in the model format gives the same numbers.
    again = ct.simulate_portfolio([scenario], 2000, seed=8, insurance=[policy.to_dict()])
    assert np.array_equal(again.insured_loss, r.insured_loss[:2000])


def test_aggregate_limit_caps_every_trial() -> None:
    scenario = ct.TopDownScenario("outage", {"poisson": 4}, {"lognormal": {"p5": 1e4, "p95": 1e6}})
    r = ct.simulate_portfolio([scenario], 20_000, seed=2,
                              insurance=[ct.InsurancePolicy("all", aggregate_limit=5e5)])
    assert_split(r)
    assert r.insured_loss.max() <= 5e5
    # No deductible or per-event limit: what the policy paid is min(gross, aggregate).
    assert np.array_equal(r.column("insured:all"), np.minimum(r.annual_loss, 5e5))
    assert (r.annual_loss > 5e5).sum() > 1000


def test_top_down_insurance_beside_the_model(examples: Path) -> None:
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6})
    outage = ct.TopDownScenario("outage", {"poisson": 2}, {"lognormal": {"p5": 1e4, "p95": 1e6}})
    cover = {"name": "outage cover", "deductible": 5e4, "scenarios": ["outage"]}
    r = ct.simulate(m, 3000, 4, top_down=[outage], top_down_insurance=[cover])
    assert_split(r)
    assert r.breakdown_names[-2:] == ["insured:cyber", "insured:outage cover"]
    paid = r.column("insured:cyber") + r.column("insured:outage cover")
    np.testing.assert_allclose(r.insured_loss, paid, rtol=1e-12)
    with pytest.raises(errors.DuplicateError) as info:
        ct.simulate(m, 10, 4, top_down=[outage], top_down_insurance=[{"name": "cyber"}])
    assert (info.value.object_kind, info.value.object_name, info.value.field) == \
        ("insurance policy", "cyber", "name")


def test_same_numbers_for_any_threads_shards_and_pickles(examples: Path) -> None:
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6, "aggregate_limit": 3e7})
    one = ct.simulate(m, 3000, 6, threads=1)
    two = ct.simulate(m, 3000, 6, threads=2)
    assert np.array_equal(one.insured_loss, two.insured_loss)
    assert np.array_equal(one.retained_loss, two.retained_loss)
    shards = [ct.simulate(m, 1000, 6, first_trial=f) for f in (2000, 0, 1000)]
    merged = ct.concatenate(shards)
    assert np.array_equal(merged.insured_loss, one.insured_loss)
    assert np.array_equal(merged.retained_loss, one.retained_loss)
    back = pickle.loads(pickle.dumps(one))
    assert np.array_equal(back.insured_loss, one.insured_loss)
    assert np.array_equal(back.retained_loss, one.retained_loss)


@pytest.mark.parametrize("policy, kind, field", [
    ({"name": "p", "deductible": -1}, errors.ValueError_, "deductible"),
    ({"name": "p", "limit": "lots"}, errors.ValueError_, "limit"),
    ({"name": "p", "sublimits": {"fines": 1}}, errors.ValueError_, "sublimits.fines"),
    ({"name": "p", "waiting_period": "soon"}, errors.ValueError_, "waiting_period"),
    ({"name": "p", "scenarios": ["flood"]}, errors.ReferenceError, "scenarios[0]"),
])
def test_invalid_policies_name_the_field(examples: Path, policy: dict[str, Any],
                                         kind: type[errors.ValidationError], field: str) -> None:
    with pytest.raises(kind) as info:
        insured_retailer(examples, policy)
    assert (info.value.object_kind, info.value.object_name, info.value.field) == \
        ("insurance policy", "p", field)
    scenario = ct.TopDownScenario("breach", {"poisson": 1}, 1000.0)
    with pytest.raises(kind) as info:
        ct.simulate_portfolio([scenario], 10, seed=1, insurance=[policy])
    assert info.value.field == field


def test_policy_objects_check_what_json_cannot_hold() -> None:
    with pytest.raises(errors.ValueError_) as info:
        ct.simulate_portfolio([], 10, seed=1,
                              insurance=[ct.InsurancePolicy("p", deductible=math.nan)])
    assert (info.value.object_name, info.value.field) == ("p", "deductible")
    with pytest.raises(errors.ValueError_) as info:
        ct.simulate_portfolio([], 10, seed=1, insurance=["cyber"])  # type: ignore[list-item]
    assert info.value.object_name == "#1"
    product = ct.TopDownScenario("fair", {"pert": [0.1, 0.5, 2]}, 1000.0,
                                 aggregation="fair_product_form")
    with pytest.raises(errors.ValueError_) as info:
        ct.simulate_portfolio([product], 10, seed=1, insurance=[ct.InsurancePolicy("all")])
    assert info.value.field == "scenarios"


def test_model_file_round_trip(examples: Path, tmp_path: Path) -> None:
    policy = ct.InsurancePolicy("cyber", deductible=1e6, limit=math.inf, aggregate_limit=5e8,
                                waiting_period="12h", sublimits={"legal": 0.0},
                                scenarios=[BREACH])
    m = insured_retailer(examples, policy.to_dict())
    path = tmp_path / "insured.json"
    m.to_json(path)
    again = ct.load_model(path)
    written = json.loads(path.read_text())["insurance"]
    assert written == [{"name": "cyber", "deductible": 1e6, "waiting_period": 12.0,
                        "aggregate_limit": 5e8, "sublimits": {"legal": 0.0},
                        "scenarios": [BREACH]}]
    assert again.to_dict() == m.to_dict()
    assert again.incident_cost(BREACH).insured == m.incident_cost(BREACH).insured


def test_cli_reports_insured_and_retained(examples: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    m = insured_retailer(examples, {"name": "cyber", "deductible": 1e6, "limit": 15e6})
    path = tmp_path / "insured.json"
    m.to_json(path)
    assert cli.main([str(path), "--trials", "500", "--seed", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cost = doc["scenarios"][BREACH]["cost"]
    assert (cost["insured"], cost["retained"]) == (15e6, 20.7e6)
    r = ct.simulate(m, 500, 2)
    assert doc["loss"]["insured_mean"] == float(r.insured_loss.mean())
    assert doc["loss"]["retained_mean"] == float(r.retained_loss.mean())
    assert cli.main([str(path), "--trials", "500", "--seed", "2"]) == 0
    text = capsys.readouterr().out
    assert "Insured (mean)" in text and "Retained" in text


AMOUNTS = st.sampled_from([0.0, 1.0, 1e3, 1e5, 1e6, 1e8])


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """A policy with random terms, each maybe left out."""
    policy: dict[str, Any] = {"name": "p"}
    for key in ("deductible", "limit", "aggregate_limit"):
        if draw(st.booleans()):
            policy[key] = draw(AMOUNTS)
    if draw(st.booleans()):
        policy["waiting_period"] = draw(st.sampled_from([0, 1, 4, 24, 1000]))
    if draw(st.booleans()):
        policy["sublimits"] = {c: draw(AMOUNTS) for c in
                               draw(st.sets(st.sampled_from(["liability", "response",
                                                              "opportunity", "legal"])))}
    return policy


@settings(max_examples=60, deadline=None)
@given(recovery_models(), policies(), st.sampled_from([0.0, 1e3, 1e6]))
def test_insurance_of_random_models_adds_up(spec: dict[str, Any], policy: dict[str, Any],
                                            more: float) -> None:
    spec["scenarios"][0]["annual_frequency"] = 2
    spec["insurance"] = [policy]
    m = ct.Model.from_dict(spec)
    c = m.incident_cost("outage")
    assert 0 <= c.insured <= c.total and c.insured + c.retained == c.total
    # A larger deductible never recovers more.
    higher = dict(policy, deductible=policy.get("deductible", 0.0) + more)
    spec["insurance"] = [higher]
    assert ct.Model.from_dict(spec).incident_cost("outage").insured <= c.insured
    r = ct.simulate(m, 200, seed=3)
    assert_split(r)
    assert r.insured_loss.max() <= policy.get("aggregate_limit", math.inf)
