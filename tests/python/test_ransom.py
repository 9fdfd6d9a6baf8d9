"""The ransom decision from Python: both policies on the same incidents,
against hand computations and the properties common random numbers give."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import continuity as ct

GYM_ATTACK = "ransomware on the office network"


def clinic(pay: bool, key_works: float) -> dict[str, Any]:
    """One records system rebuilt in 20 h; 50,000 yen of lost profit an hour;
    a nightly offline backup (240 records to re-enter at 1,000 yen); a key
    after 48 h, decrypting in 10 h."""
    return {
        "name": "clinic", "currency": "JPY", "resources": [{"name": "IT", "capacity": 1}],
        "functions": [{"name": "billing", "needs": ["records"], "revenue_per_day": 2_400_000,
                       "margin": 0.5}],
        "systems": [{"name": "records", "transactions_per_hour": 10,
                     "reentry_hours_per_transaction": 0.1,
                     "backups": [{"interval": 24, "generations": 7, "mode": "offline"}],
                     "recovery": {"emergency": [{"name": "rebuild", "kind": "recovery_work",
                                                 "duration": 20, "needs": ["IT"]}]}}],
        "scenarios": [{"name": "ransomware", "kind": "ransomware", "annual_frequency": 1.0,
                       "damage": [{"systems": ["records"]}],
                       "costs": [{"name": "re-entry", "driver": "per_lost_record",
                                  "amount": 1000}],
                       "ransom": {"pay": pay, "demand": 5_000_000, "key_works": key_works,
                                  "key_arrival": "2d", "decryption": "10h",
                                  "leak_if_not_paid": 0.5, "leak_cost": 2_000_000}}],
    }


def test_a_working_key_trades_the_lost_data_for_waiting() -> None:
    restore = ct.Model.from_dict(clinic(False, 1.0))
    pay = ct.Model.from_dict(clinic(True, 1.0))
    c_restore = restore.incident_cost("ransomware")
    c_pay = pay.incident_cost("ransomware")
    # Restore: back after 20 h (1 m lost profit), 240 records re-entered, and
    # the expected publication of the data (half of 2 m).
    assert c_restore.by_line["lost profit"] == pytest.approx(20 * 50_000)
    assert c_restore.by_line["re-entry"] == pytest.approx(240_000)
    assert c_restore.by_line["data leak"] == pytest.approx(1_000_000)
    assert c_restore.by_line["ransom payment"] == 0
    # Pay: the key after 48 h and 10 h of decryption, then the 20 h rebuild;
    # nothing lost, the demand paid, no leak.
    assert c_pay.by_line["lost profit"] == pytest.approx((48 + 10 + 20) * 50_000)
    assert c_pay.by_line["re-entry"] == 0
    assert c_pay.by_line["ransom payment"] == 5_000_000
    assert c_pay.by_line["data leak"] == 0
    assert c_pay.by_category["response"] == pytest.approx(5_000_000)
    plan = pay.plan_recovery("ransomware")
    assert plan.systems.loc["records", "lost_records"] == 0
    assert plan.systems.loc["records", "back_degraded_h"] == pytest.approx(78)


def test_compare_ransom_policies_on_common_random_numbers() -> None:
    m = ct.Model.from_dict(clinic(False, 0.5))
    d = ct.compare_ransom_policies(m, 20_000, seed=3, threads=2)
    assert d.scenarios == ("ransomware",)
    assert d.restore.trials == d.pay.trials == 20_000
    # The same incidents in both runs.
    assert np.array_equal(d.pay.column("events:ransomware"), d.restore.column("events:ransomware"))
    # The paired difference is the difference of the means, with a standard
    # error far below that of two independent runs.
    diff = d.pay.annual_loss - d.restore.annual_loss
    assert d.difference == pytest.approx(diff.mean(), rel=1e-9)
    assert d.difference_se == pytest.approx(diff.std(ddof=1) / np.sqrt(diff.size), rel=1e-6)
    independent = np.hypot(d.pay.statistics.standard_error, d.restore.statistics.standard_error)
    assert d.difference_se < 0.8 * independent
    assert d.pay_cheaper == pytest.approx(float((diff < 0).mean()))
    assert d.pay_dearer == pytest.approx(float((diff > 0).mean()))
    # Against the expected cost of an incident (Poisson, one a year on
    # average): paying costs the demand, and half of the time (the key
    # works) 78 h instead of 20 h of lost profit with nothing to re-enter;
    # not paying leaks the data half of the time.
    restored = 20 * 50_000 + 240_000
    expected_pay = 5_000_000 + 0.5 * 78 * 50_000 + 0.5 * restored
    expected_restore = restored + 0.5 * 2_000_000
    assert abs(d.pay.statistics.mean - expected_pay) <= 4 * d.pay.statistics.standard_error
    assert (abs(d.restore.statistics.mean - expected_restore)
            <= 4 * d.restore.statistics.standard_error)
    assert abs(d.difference - (expected_pay - expected_restore)) <= 4 * d.difference_se
    # The two distributions side by side.
    table = d.summary()
    assert list(table.index) == ["restore", "pay"]
    assert table.loc["pay", "mean"] == pytest.approx(d.pay.statistics.mean)
    assert table.loc["restore", "mean ransom payment"] == 0
    assert table.loc["pay", "mean ransom payment"] == pytest.approx(
        5_000_000 * d.pay.column("events:ransomware").mean())
    assert table.loc["restore", "P99"] == pytest.approx(d.restore.statistics.quantile(0.99))
    assert table.loc["pay", "P(loss > 0)"] == pytest.approx(float((d.pay.annual_loss > 0).mean()))
    assert "¥" in repr(table) and "e+0" not in repr(table)  # money, not scientific notation
    # The same seed gives the same decision on any thread count.
    again = ct.compare_ransom_policies(m, 2_000, seed=3, threads=1)
    assert np.array_equal(again.pay.annual_loss, d.pay.annual_loss[:2_000])


def test_the_gym_and_hospital_carry_ransom_terms_and_do_not_pay(examples: Path) -> None:
    for name, attack in (("gym.json", GYM_ATTACK), ("hospital.json", "ransomware through the VPN")):
        m = ct.load_model(examples / name)
        spec = m.to_dict()
        terms = next(s for s in spec["scenarios"] if s["name"] == attack)["ransom"]
        assert terms["pay"] is False
        d = ct.compare_ransom_policies(m, 4_000, seed=1)
        assert d.scenarios == (attack,)
        # Under the examples' terms paying costs more on average.
        assert d.difference > 3 * d.difference_se
        # The model's own simulation is the restore policy.
        assert np.array_equal(ct.simulate(m, 4_000, seed=1).annual_loss, d.restore.annual_loss)


def test_ransom_terms_errors_name_the_field() -> None:
    spec = clinic(True, 1.0)
    bad = copy.deepcopy(spec)
    bad["scenarios"][0]["ransom"]["key_works"] = 2
    with pytest.raises(ct.ValidationError, match=r"ransom\.key_works"):
        ct.Model.from_dict(bad)
    bad = copy.deepcopy(spec)
    del bad["scenarios"][0]["ransom"]["key_arrival"]
    with pytest.raises(ct.Error, match=r"ransom\.key_arrival.*required"):
        ct.Model.from_dict(bad)
    bad = copy.deepcopy(spec)
    bad["scenarios"][0]["kind"] = "fire"
    with pytest.raises(ct.ValidationError, match="only a ransomware scenario"):
        ct.Model.from_dict(bad)
    plain = copy.deepcopy(spec)
    del plain["scenarios"][0]["ransom"]
    with pytest.raises(ct.ValidationError, match="ransom terms"):
        ct.compare_ransom_policies(ct.Model.from_dict(plain), 10, seed=1)
    m = ct.Model.from_dict(spec)
    with pytest.raises(ct.ValidationError, match="trials"):
        ct.compare_ransom_policies(m, -1, seed=1)
    with pytest.raises(ct.ReferenceError, match="no such"):
        ct.compare_ransom_policies(m, 10, seed=1, scenarios=["no such"])
    # The terms survive a round trip through the model format.
    assert ct.Model.from_dict(m.to_dict()).to_dict() == m.to_dict()
