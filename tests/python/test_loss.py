"""Cost of one incident, Monte Carlo losses, statistics and mitigations from
Python, checked against published case figures and closed forms."""

from __future__ import annotations

import _thread
import math
import pickle
import signal
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import continuity as ct

HOSPITAL_ATTACK = "ransomware through the VPN"


@pytest.fixture(scope="module")
def hospital(examples: Path) -> ct.Model:
    return ct.load_model(examples / "hospital.json")


def test_case_a_costs_10_4_million(examples: Path) -> None:
    # docs/domain.md §6, GIAJ SME case: 10,000,000 investigation/recovery + 400,000 lost profit
    m = ct.load_model(examples / "manufacturer_a.json")
    c = m.incident_cost(m.scenarios[0])
    assert c.total == 10_400_000
    assert c.by_line["investigation and recovery"] == 10_000_000
    assert c.by_line["lost profit"] == 400_000
    assert c.by_category.sum() == pytest.approx(c.total, rel=1e-12)


def test_case_b_costs_35_7_million_in_seven_lines(examples: Path) -> None:
    m = ct.load_model(examples / "retailer_b.json")
    c = m.incident_cost(m.scenarios[0])
    assert c.total == 35_700_000
    seven = {"damages": 1_000_000, "litigation": 3_000_000,
             "investigation and recovery": 16_500_000, "customer response": 6_000_000,
             "newspaper notice": 5_000_000, "legal advice": 200_000, "lost profit": 4_000_000}
    for line, amount in seven.items():
        assert c.by_line[line] == amount
    assert c.by_line.sum() == c.total


def test_results_are_views_not_copies(hospital: ct.Model) -> None:
    r = ct.simulate(hospital, 1000, 7)
    a, b = r.annual_loss, r.annual_loss
    assert not a.flags.owndata and np.shares_memory(a, b)
    assert r.breakdown.flags.f_contiguous and np.shares_memory(r.breakdown, r.breakdown)
    with pytest.raises(ValueError):
        a[0] = 1.0  # read-only
    # the arrays stay valid after the result object is gone
    del r
    assert np.isfinite(a).all()


def test_same_seed_same_numbers_for_any_threads_and_shards(hospital: ct.Model) -> None:
    one = ct.simulate(hospital, 3000, 11, threads=1)
    two = ct.simulate(hospital, 3000, 11, threads=2)
    assert np.array_equal(one.annual_loss, two.annual_loss)
    assert np.array_equal(one.breakdown, two.breakdown)
    cuts = [0, 700, 1500, 1501, 3000]
    shards = [ct.simulate(hospital, b - a, 11, first_trial=a) for a, b in zip(cuts, cuts[1:])]
    merged = ct.concatenate(shards[::-1])
    assert np.array_equal(merged.annual_loss, one.annual_loss)
    assert np.array_equal(merged.breakdown, one.breakdown)
    assert not np.array_equal(ct.simulate(hospital, 3000, 12).annual_loss, one.annual_loss)


def test_without_the_breakdown_the_same_losses(hospital: ct.Model) -> None:
    full = ct.simulate(hospital, 3000, 5, threads=2)
    lean = ct.simulate(hospital, 3000, 5, threads=1, breakdown=False)
    assert np.array_equal(lean.annual_loss, full.annual_loss)
    assert np.array_equal(lean.insured_loss, full.insured_loss)
    assert np.array_equal(lean.retained_loss, full.retained_loss)
    assert lean.breakdown.shape == (3000, 0) and lean.breakdown_names == []
    assert lean.frame().shape == (3000, 0)
    shards = [ct.simulate(hospital, 1500, 5, first_trial=f, breakdown=False) for f in (1500, 0)]
    assert np.array_equal(ct.concatenate(shards).annual_loss, full.annual_loss)
    back = pickle.loads(pickle.dumps(lean))
    assert np.array_equal(back.annual_loss, full.annual_loss) and back.breakdown_names == []
    summary = ct.simulate(hospital, 3000, 5, breakdown=False, statistics="stream")
    assert summary.breakdown_names == [] and summary.statistics.mean == full.statistics.mean
    with pytest.raises(ct.errors.ValueError_, match="breakdown"):
        ct.simulate(hospital, 10, 1, breakdown=1)  # type: ignore[call-overload]


def test_a_portfolio_without_insurance_insures_nothing() -> None:
    scenarios = [ct.TopDownScenario("w", {"poisson": 2.0}, {"lognormal": {"p5": 1e4, "p95": 1e6}}),
                 ct.TopDownScenario("v", {"poisson": 0.5}, {"lognormal": {"p5": 1e5, "p95": 1e7}})]
    r = ct.simulate_portfolio(scenarios, 5000, 8)
    lean = ct.simulate_portfolio(scenarios, 5000, 8, breakdown=False)
    assert np.array_equal(lean.annual_loss, r.annual_loss)
    assert np.array_equal(r.breakdown.sum(axis=1), r.annual_loss)
    for x in (r, lean):
        assert np.array_equal(x.retained_loss, x.annual_loss)
        assert not x.insured_loss.any() and x.insured_loss.shape == (5000,)
        with pytest.raises(ValueError):
            x.insured_loss[0] = 1.0  # read-only, as every array of a result


def test_reused_result_memory_never_changes_a_live_result() -> None:
    # Results of 300,000 trials (2.4 MB a column) take their memory from a
    # cache of freed buffers: a buffer goes back when its last array dies and
    # serves a later run, never one still in use.
    scenarios = [ct.TopDownScenario("w", {"poisson": 2.0}, {"lognormal": {"p5": 1e4, "p95": 1e6}}),
                 ct.TopDownScenario("v", {"poisson": 0.5}, {"lognormal": {"p5": 1e5, "p95": 1e7}})]
    n = 300_000
    a = ct.simulate_portfolio(scenarios, n, 1, breakdown=False)
    first = a.annual_loss.copy()
    address = a.annual_loss.ctypes.data
    b = ct.simulate_portfolio(scenarios, n, 2)
    second = (b.annual_loss.copy(), b.breakdown.copy())
    view = a.annual_loss[10:20]  # a view keeps the buffer alive
    del a
    c = ct.simulate_portfolio(scenarios, n, 3, breakdown=False)
    assert c.annual_loss.ctypes.data != address  # still in use by the view
    assert np.array_equal(view, first[10:20])
    del view
    d = ct.simulate_portfolio(scenarios, n, 4, breakdown=False)
    assert d.annual_loss.ctypes.data == address  # the buffer, back from the cache
    del d
    again = [ct.simulate_portfolio(scenarios, n, 1, breakdown=False) for _ in range(3)]
    for r in again:  # each from its own memory: equal to the first run
        assert np.array_equal(r.annual_loss, first)
    assert len({r.annual_loss.ctypes.data for r in again}) == 3
    assert np.array_equal(b.annual_loss, second[0]) and np.array_equal(b.breakdown, second[1])
    assert not np.array_equal(c.annual_loss, first)


def test_breakdown_adds_up(hospital: ct.Model) -> None:
    r = ct.simulate(hospital, 4000, 3)
    cat = r.frame("category").sum(axis=1).to_numpy()
    scen = r.frame("scenario").sum(axis=1).to_numpy()
    np.testing.assert_allclose(cat, r.annual_loss, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(scen, r.annual_loss, rtol=1e-9, atol=1e-6)
    s = r.breakdown_summary("category")
    assert s["share"].sum() == pytest.approx(1.0)
    p = r.breach_probabilities()
    assert ((p["p_mtpd_breach"] >= 0) & (p["p_rto_breach"] <= 1)).all()
    with pytest.raises(KeyError, match="no breakdown column"):
        r.column("category:nothing")


def test_statistics_match_numpy(hospital: ct.Model) -> None:
    x = ct.simulate(hospital, 5000, 5).annual_loss
    s = ct.LossStatistics(x)
    assert s.mean == pytest.approx(x.mean(), rel=1e-12)
    assert s.standard_deviation == pytest.approx(x.std(ddof=1), rel=1e-10)
    assert s.standard_error == pytest.approx(x.std(ddof=1) / math.sqrt(len(x)), rel=1e-10)
    xs = np.sort(x)
    n = len(x)
    for p in (0.5, 0.9, 0.95, 0.99, 0.999):
        assert s.quantile(p) == np.quantile(x, p, method="inverted_cdf")
        k = max(1, math.ceil(n * p))  # Acerbi–Tasche expected shortfall
        tvar = (xs[k:].sum() + (k - n * p) * xs[k - 1]) / (n * (1 - p))
        assert s.tail_value_at_risk(p) == pytest.approx(tvar, rel=1e-9)
    assert s.exceedance_probability(0.0) == pytest.approx((x > 0).mean())
    curve = s.exceedance_curve(50)
    for loss, prob in zip(curve["loss"], curve["probability"]):
        assert prob == pytest.approx((x > loss).mean())
    with pytest.raises(ct.errors.ValueError_):
        s.quantile(1.5)
    with pytest.raises(ct.errors.ValueError_):
        ct.LossStatistics(np.array([]))


def test_top_down_compound_poisson_lognormal_matches_closed_form() -> None:
    lam, mu, sigma = 0.7, 13.0, 1.1
    sc = ct.TopDownScenario("breach", {"poisson": lam}, {"lognormal": {"mu": mu, "sigma": sigma}})
    exact = lam * math.exp(mu + sigma**2 / 2)
    assert sc.mean_annual_loss == pytest.approx(exact, rel=1e-12)
    r = ct.simulate_portfolio([sc], 200_000, 2024)
    x = r.annual_loss
    # mean within 4 standard errors; P(no event) = exp(-λ) within 4 binomial SE
    assert abs(x.mean() - exact) < 4 * x.std(ddof=1) / math.sqrt(len(x))
    p0 = math.exp(-lam)
    assert abs((x == 0).mean() - p0) < 4 * math.sqrt(p0 * (1 - p0) / len(x))
    # compound variance λ·E[X²] = λ·exp(2μ + 2σ²), within 10 % (heavy tail)
    assert x.var(ddof=1) == pytest.approx(lam * math.exp(2 * mu + 2 * sigma**2), rel=0.1)


def test_fair_product_form_is_frequency_times_magnitude() -> None:
    sc = ct.TopDownScenario("fair", {"uniform": [0.0, 2.0]}, {"uniform": [10.0, 30.0]},
                            aggregation="fair_product_form")
    x = ct.simulate_portfolio([sc], 100_000, 3).annual_loss
    # product of independent U(0,2) and U(10,30): mean 1 × 20, support [0, 60]
    assert abs(x.mean() - 20.0) < 4 * x.std(ddof=1) / math.sqrt(len(x))
    assert x.min() >= 0.0 and x.max() <= 60.0
    with pytest.raises(ct.errors.ValueError_, match="frequency"):
        ct.TopDownScenario("bad", {"uniform": [0.0, 2.0]}, 1.0)  # compound needs counts
    with pytest.raises(ct.errors.ValueError_, match="aggregation"):
        ct.TopDownScenario("bad", 1, 1.0, aggregation="sum")


def test_bottom_up_and_top_down_mix(hospital: ct.Model) -> None:
    td = ct.TopDownScenario("data breach (top-down)", {"poisson": 0.1}, 5_000_000.0)
    r = ct.simulate(hospital, 2000, 9, top_down=[td])
    assert "scenario:data breach (top-down)" in r.breakdown_names
    col = r.column("scenario:data breach (top-down)")
    assert set(np.unique(col / 5_000_000.0)) <= set(range(10))
    with pytest.raises(ct.errors.DuplicateError):
        ct.simulate(hospital, 10, 1, top_down=[ct.TopDownScenario(HOSPITAL_ATTACK, 1, 1.0)])


def test_bad_run_arguments(hospital: ct.Model) -> None:
    with pytest.raises(ct.errors.ValueError_, match="trials"):
        ct.simulate(hospital, -1, 1)
    with pytest.raises(ct.errors.ReferenceError, match="unknown incident scenario 'meteor'"):
        ct.simulate(hospital, 10, 1, scenarios=["meteor"])
    a = ct.simulate(hospital, 10, 1)
    b = ct.simulate(hospital, 10, 2, first_trial=10)
    with pytest.raises(ct.errors.Error):
        ct.concatenate([a, b])


def test_progress_errors_stop_the_run(hospital: ct.Model) -> None:
    class Stop(Exception):
        pass

    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        raise Stop

    sim = ct.loss._core.IncidentSimulation(hospital._core)
    with pytest.raises(Stop):
        sim.run(1_000_000, 1, 0, 1, 1024, progress)
    assert len(calls) == 1 and calls[0][0] < 1_000_000


def test_ctrl_c_stops_a_long_run_promptly(hospital: ct.Model) -> None:
    # 10^7 hospital years take over a minute on one thread; Ctrl-C must stop it
    # after the current block (a few thousand trials). Python's own SIGINT
    # handler is installed for the test (a library used by an earlier test
    # may have left another), and Ctrl-C is pressed every 0.3 s until the run
    # stops, never after it: the lock keeps a press from landing outside.
    lock = threading.Lock()
    armed = True
    stopped = threading.Event()

    def press() -> None:
        while not stopped.wait(0.3):
            with lock:
                if armed:
                    _thread.interrupt_main()

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press)
    presser.start()
    t0 = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            try:
                ct.simulate(hospital, 10_000_000, 1, threads=1)
            finally:
                with lock:
                    armed = False
        elapsed = time.monotonic() - t0
    finally:
        stopped.set()
        presser.join()
        signal.signal(signal.SIGINT, previous)
    assert elapsed < 20.0


def test_the_gil_is_released_while_simulating(hospital: ct.Model) -> None:
    ticks = 0
    done = threading.Event()

    def run() -> None:
        ct.simulate(hospital, 100_000, 1, threads=1)
        done.set()

    worker = threading.Thread(target=run)
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    # a thread holding the GIL for the whole run would leave at most a few ticks
    assert ticks > 20


def test_mitigations_use_common_random_numbers(hospital: ct.Model) -> None:
    def offline_backup(spec: dict[str, object]) -> None:
        for s in spec["systems"]:  # type: ignore[attr-defined]
            if s["layer"] == "software" and s.get("transactions_per_hour", 0) > 0:
                s["backups"].append({"interval": "1d", "generations": 14, "medium": "LTO tape",
                                     "mode": "offline", "offsite": True, "restore_time": "12h"})

    measure = ct.Mitigation("offline backup", 3_000_000, offline_backup)
    cmp = ct.compare_mitigations(hospital, [measure], 4000, 1)
    t = cmp.table
    assert list(t.index) == ["none", "offline backup"]
    base = ct.simulate(hospital, 4000, 1).annual_loss
    changed = ct.simulate(hospital.changed(offline_backup), 4000, 1).annual_loss
    d = base - changed
    row = t.loc["offline backup"]
    assert row["ale"] == pytest.approx(changed.mean(), rel=1e-12)
    assert row["ale_reduction"] == pytest.approx(d.mean(), rel=1e-9)
    assert row["ale_reduction_se"] == pytest.approx(d.std(ddof=1) / math.sqrt(len(d)), rel=1e-9)
    assert row["rosi"] == pytest.approx((d.mean() - 3_000_000) / 3_000_000, rel=1e-9)
    assert row["ale_reduction"] > 0
    # paired differences are far less noisy than independent ones
    assert row["ale_reduction_se"] < 0.5 * math.sqrt(base.var() / len(base) + changed.var() / len(d))
    with pytest.raises(ct.errors.ValueError_, match="annual_cost"):
        ct.compare_mitigations(hospital, [ct.Mitigation("x", -1, offline_backup)], 10, 1)


def test_zero_trials_give_an_empty_result(hospital: ct.Model) -> None:
    r = ct.simulate(hospital, 0, 1)
    assert r.trials == 0 and r.annual_loss.shape == (0,)
    assert "trials 0..0" in repr(r)


# A model whose incident cost is a known formula of its inputs:
# cost = 100·D + A + 50 + R·C, D ~ U(10, 30) h, A ~ U(0, 1000),
# R ~ U(5, 9) records, C ~ U(1, 3) per record (the C++ tornado test's model).
FORMULA_MODEL = {
    "name": "formula",
    "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 2400, "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [
        {"name": "w", "kind": "recovery_work", "duration": {"uniform": [10, 30]},
         "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "records_affected": {"uniform": [5, 9]},
                   "damage": [{"systems": ["X"]}],
                   "costs": [{"name": "a", "amount": {"uniform": [0, 1000]}},
                             {"name": "b", "amount": 50},
                             {"name": "c", "driver": "per_record",
                              "amount": {"uniform": [1, 3]}}]}],
}


def test_rank_correlations_match_pandas_on_an_independent_sample() -> None:
    # Reference: 200,000 draws of the formula with numpy's PCG64 and pandas'
    # own Spearman correlation; continuity: 20,000 simulated occurrences
    # through the recovery planner and cost model. Standard errors < 0.007.
    import pandas as pd

    rng = np.random.default_rng(2024)
    n = 200_000
    draws = pd.DataFrame({"duration: X: w": rng.uniform(10, 30, n),
                          "amount: a": rng.uniform(0, 1000, n),
                          "records affected": rng.uniform(5, 9, n),
                          "amount: c": rng.uniform(1, 3, n)})
    draws["cost"] = (100 * draws["duration: X: w"] + draws["amount: a"] + 50
                     + draws["records affected"] * draws["amount: c"])
    reference = draws.corr(method="spearman")["cost"]

    frame = ct.Model.from_dict(FORMULA_MODEL).rank_correlations("s", 20_000, seed=5)
    assert list(frame.columns) == ["input", "rank_correlation", "trials"]
    assert list(frame["input"][:2]) == ["duration: X: w", "amount: a"]
    assert set(frame["input"]) == {"duration: X: w", "amount: a", "records affected", "amount: c"}
    for row in frame.itertuples():
        assert row.rank_correlation == pytest.approx(reference[row.input], abs=0.02)
        assert row.trials == 20_000
    magnitudes = frame["rank_correlation"].abs().to_numpy()
    assert (np.diff(magnitudes) <= 0).all()


def test_rank_correlations_of_the_hospital_attack(hospital: ct.Model) -> None:
    frame = hospital.rank_correlations(HOSPITAL_ATTACK, 2_000, seed=3, threads=2)
    again = hospital.rank_correlations(HOSPITAL_ATTACK, 2_000, seed=3, threads=1)
    assert frame.equals(again)
    assert frame["rank_correlation"].between(-1, 1).all()
    by_input = frame.set_index("input")["rank_correlation"]
    # The spread decides how many systems need restoring, and the
    # restoration cost is charged per damaged system: both drive the cost up.
    assert by_input["systems damaged"] > 0.3
    assert by_input["amount: restoration and replacement"] > 0.3
    with pytest.raises(ct.errors.ValueError_, match="trials"):
        hospital.rank_correlations(HOSPITAL_ATTACK, 2, seed=1)
    with pytest.raises(ct.errors.ReferenceError, match="no such scenario"):
        hospital.rank_correlations("no such scenario", 100, seed=1)


def test_cases_a_and_b_as_shares_of_their_annual_sales(examples: Path) -> None:
    # The sources: A 10.4 m yen, about 1 % of 1.0 bn; B 35.7 m, about 12 % of
    # 0.3 bn; both at 250 operating days a year.
    for name, total, revenue in (("manufacturer_a", 10_400_000, 1.0e9),
                                 ("retailer_b", 35_700_000, 0.3e9)):
        m = ct.load_model(examples / f"{name}.json")
        c = m.incident_cost(m.scenarios[0])
        assert c.total == pytest.approx(total, abs=1e-6)
        assert c.annual_revenue == pytest.approx(revenue)
        assert c.share_of_annual_revenue == pytest.approx(total / revenue)


def test_the_response_timeline_is_on_the_plan() -> None:
    m = ct.Model.from_dict({
        "resources": [{"name": "IT", "capacity": 1}],
        "functions": [{"name": "f", "needs": ["s"], "profit_per_day": 2400}],
        "systems": [{"name": "s", "recovery": {"emergency": [
            {"name": "fix", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
        "scenarios": [{"name": "x", "kind": "ransomware", "detection_time": 1,
                       "damage": [{"systems": ["s"]}],
                       "response": [{"name": "press", "kind": "press", "at": "15h"},
                                    {"name": "HQ", "kind": "crisis_hq", "at": "9h"},
                                    {"name": "isolated", "kind": "containment", "at": "4h"}]}],
    })
    plan = m.plan_recovery("x")
    r = plan.response
    assert list(r["phase"]) == ["isolated", "recovery work can start", "HQ", "press"]
    assert list(r["at_h"]) == [4, 4, 9, 15]
    assert plan.functions.loc["f", "back_degraded_h"] == pytest.approx(14)


def test_the_hospital_is_calibrated_to_handa(examples: Path) -> None:
    # The sources (docs/domain.md section 7): 300 m yen in all, 200 m for
    # restoration and the new system, 100 m in the first two months; the EMR
    # back after about two months, the new system after over half a year;
    # crisis headquarters after 9 h, press conference after 15 h.
    m = ct.load_model(examples / "hospital.json")
    attack = "ransomware through the VPN"
    cost = m.incident_cost(attack)
    plan = m.plan_recovery(attack)
    assert cost.total == pytest.approx(300e6, rel=0.05)
    assert cost.by_line["restoration and replacement"] == pytest.approx(200e6, rel=0.05)
    assert plan.business_impact_until(60 * 24) == pytest.approx(100e6, rel=0.10)
    emr = plan.systems.loc["EMR database", "back_degraded_h"] / 24
    assert 55 <= emr <= 75
    assert plan.makespan_h / 24 > 180
    response = plan.response.set_index("kind")["at_h"]
    assert (response["crisis_hq"], response["press"]) == (9, 15)
    # Everything the plan loses is counted once: the whole is the sum.
    assert plan.business_impact_until(math.inf) == pytest.approx(plan.business_impact)
    assert cost.total == pytest.approx(
        cost.by_line.drop(["lost profit", "impact curves"]).sum() + plan.business_impact)


def test_the_gym_restores_from_its_3_day_old_copy_and_re_enters_3_days(
        examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = ct.load_model(examples / "gym.json")
    attack = "ransomware on the office network"
    assert m.findings.empty  # the 2-day dwell time leaves the 3-day-old copy clean
    plan = m.plan_recovery(attack)
    db = plan.systems.loc["member database"]
    # 3 days of changes at 5 an hour are lost and re-entered from paper, by 2
    # people at a quarter of an hour each: 90 staff-hours, 45 h on the plan.
    assert db["lost_records"] == pytest.approx(72 * 5)
    reentry = plan.timeline[(plan.timeline["kind"] == "data_reentry")
                            & (plan.timeline["system"] == "member database")]
    assert len(reentry) == 1
    row = reentry.iloc[0]
    assert row["finish_h"] - row["start_h"] == pytest.approx(45)
    assert row["start_h"] >= db["back_degraded_h"]
    gaps = plan.gaps
    rpo = gaps[(gaps["kind"] == "rpo") & (gaps["function"] == "check-in and lessons")]
    assert rpo["achieved_h"].iloc[0] == pytest.approx(72)
    from continuity.cli import main
    assert main(["--deterministic", str(examples / "gym.json")]) == 0
    assert "Data re-entry of 'member database': 360 lost records" in capsys.readouterr().out


def test_a_subsidised_control_lowers_the_frequency_and_its_rosi_uses_the_net_cost(
        examples: Path) -> None:
    m = ct.load_model(examples / "gym.json")

    def halve(spec: dict[str, Any]) -> None:
        for sc in spec["scenarios"]:
            sc["annual_frequency"] /= 2

    control = ct.Mitigation("MFA (control)", 300_000, halve, subsidy_rate=0.5, subsidy_cap=100_000)
    cmp = ct.compare_mitigations(m, [control], trials=20_000, seed=5)
    row = cmp.table.loc["MFA (control)"]
    assert (row["subsidy"], row["net_cost"]) == (100_000, 200_000)  # the cap binds
    assert row["rosi"] == pytest.approx((row["ale_reduction"] - 200_000) / 200_000)
    # Half the incidents: about half the ALE saved (within 4 standard errors).
    assert row["ale_reduction"] == pytest.approx(cmp.baseline.mean / 2,
                                                 abs=4 * row["ale_reduction_se"] + 1)
    with pytest.raises(ct.ValidationError, match="subsidy_rate"):
        ct.compare_mitigations(m, [ct.Mitigation("x", 1, halve, subsidy_rate=1.5)], 10, 1)


# ------------------------------------------------------- money in the tables
def test_results_carry_the_models_currency_and_tables_display_money(
        hospital: ct.Model) -> None:
    r = ct.simulate(hospital, 2000, 1)
    assert r.currency == "JPY" and r.statistics.currency == "JPY"
    assert r.statistics_of("retained").currency == "JPY"
    assert pickle.loads(pickle.dumps(r)).currency == "JPY"
    assert ct.concatenate([ct.simulate(hospital, 10, 1, first_trial=10),
                           ct.simulate(hospital, 10, 1)]).currency == "JPY"
    assert ct.LossStatistics([1.0, 2.0]).currency == ""
    portfolio = ct.simulate_portfolio(
        [ct.TopDownScenario("w", {"poisson": 1.0}, {"lognormal": {"p5": 1e6, "p95": 5e7}})],
        10, 1)
    assert portfolio.currency == ""  # no model, no currency

    summary = r.statistics.summary()
    text = repr(summary)
    assert "e+" not in text and "e-" not in text   # no scientific notation
    lines = dict(line.split(None, 1) for line in text.splitlines()[:-1])
    assert lines["trials"] == "2,000"
    # the hospital's ALE is tens of millions of yen: written in 万 to 4 digits
    mean = summary["mean"]
    assert 1e7 < mean < 1e8
    assert lines["mean"] == f"¥{round(mean / 1e4):,}万"
    assert lines["P50"] == "¥0"
    assert summary["mean"] == r.statistics.mean  # the numbers stay exact
    assert isinstance(summary, pd.Series) and summary.dtype == np.float64

    by_scenario = r.breakdown_summary("scenario")
    assert "e+" not in repr(by_scenario) and "¥" in repr(by_scenario)
    assert list(by_scenario["mean"]) == list(r.frame("scenario").mean())
    counts = r.breakdown_summary("rto_breaches")  # not money: shown as numbers
    assert "¥" not in repr(counts)

    cost = hospital.incident_cost("earthquake")
    assert "e+" not in repr(cost.by_line) and "¥" in repr(cost.by_line)


def test_the_mitigation_table_displays_money(hospital: ct.Model) -> None:
    measure = ct.Mitigation("nothing", 1_500_000, apply=lambda spec: None)
    table = ct.compare_mitigations(hospital, [measure], 200, seed=1).table
    text = repr(table)
    assert "e+" not in text
    assert "¥150万" in text  # the annual cost of 1,500,000 yen
    assert table.loc["nothing", "annual_cost"] == 1_500_000
