"""Tests of streaming statistics (continuity.LossSummary, simulate(...,
statistics="stream")): VaR and TVaR within the stated relative accuracy of
the exact statistics of the same trials, W1 against its Panjer-recursion
references (tests/data/w1.md), the same summary for any split, and the errors."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pytest

import continuity as ct
from continuity import errors

HOSPITAL = Path(__file__).resolve().parents[2] / "examples" / "hospital.json"
LEVELS = (0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999)
# W1 (tests/data/w1.md): three compound Poisson-lognormal scenarios.
W1 = [ct.TopDownScenario(name, {"poisson": lam}, {"lognormal": {"p5": lo, "p95": hi}})
      for name, lam, lo, hi in [("ransomware", 0.30, 50_000.0, 2_000_000.0),
                                ("data_leak", 0.50, 20_000.0, 500_000.0),
                                ("outage", 2.00, 5_000.0, 100_000.0)]]


def same_summary(a: ct.SimulationSummary, b: ct.SimulationSummary) -> bool:
    """Bit for bit: the serialised summaries are the same bytes."""
    return pickle.dumps(a) == pickle.dumps(b)


def samples() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20240917)
    heavy_zero = np.where(rng.random(200_000) < 0.9, 0.0, rng.exponential(1e6, 200_000))
    return {
        "lognormal": rng.lognormal(12.0, 1.5, 200_000),
        "W1": ct.simulate_portfolio(W1, 200_000, 3).annual_loss,
        "90 % zeros": heavy_zero,
    }


# ------------------------------------------------- the sketch vs exact figures
@pytest.mark.parametrize("name", ["lognormal", "W1", "90 % zeros"])
@pytest.mark.parametrize("accuracy", [1e-2, 1e-3, 1e-4])
def test_within_the_relative_accuracy(name: str, accuracy: float) -> None:
    losses = samples()[name]
    exact = ct.LossStatistics(losses)
    s = ct.LossSummary(losses, relative_accuracy=accuracy, tail=10)  # levels from the bins
    assert s.trials == exact.trials
    for p in LEVELS:
        var, tvar = exact.value_at_risk(p), exact.tail_value_at_risk(p)
        assert abs(s.value_at_risk(p) - var) <= accuracy * var, p
        assert abs(s.tail_value_at_risk(p) - tvar) <= accuracy * tvar, p
    assert s.mean == pytest.approx(exact.mean, rel=1e-14)
    assert s.standard_deviation == pytest.approx(exact.standard_deviation, rel=1e-12)
    assert s.minimum == exact.quantile(0.0) and s.maximum == exact.quantile(1.0)
    summary, reference = s.summary(), exact.summary()
    assert list(summary.index) == list(reference.index)
    assert np.allclose(summary.to_numpy(float), reference.to_numpy(float), rtol=accuracy, atol=0)


def test_exact_where_the_largest_losses_are_kept() -> None:
    losses = samples()["W1"]
    exact = ct.LossStatistics(losses)
    s = ct.LossSummary(losses, relative_accuracy=1e-2, tail=2_001)  # 200,000 · 1 % + 1
    for p in (0.99, 0.995, 0.999):
        assert s.exact_at(p)
        assert s.value_at_risk(p) == exact.value_at_risk(p)
        assert s.tail_value_at_risk(p) == exact.tail_value_at_risk(p)
    assert not s.exact_at(0.95)
    assert np.array_equal(s.largest_losses, exact.sorted_losses[-2_001:])
    assert s.zero_trials == int((losses == 0).sum())


def test_w1_against_the_panjer_references() -> None:
    # tests/data/w1.md: at 10^6 trials VaR 99 % within 1 % of 2,842,250 and
    # TVaR 99 % within 2 % of 4,620,000 (Monte Carlo error); the streaming
    # figures may differ from the exact ones by α more.
    alpha = 1e-3
    summary = ct.simulate_portfolio(W1, 1_000_000, 1, statistics=ct.StreamingStatistics(
        relative_accuracy=alpha, tail=100))
    s = summary.statistics
    assert abs(s.mean - 326_293.12) < 3 * s.standard_error
    assert s.value_at_risk(0.99) == pytest.approx(2_842_250.0, rel=0.01 + alpha)
    assert s.tail_value_at_risk(0.99) == pytest.approx(4_620_000.0, rel=0.02 + alpha)
    assert s.value_at_risk(0.90) == pytest.approx(777_750.0, rel=0.02 + alpha)
    assert s.value_at_risk(0.95) == pytest.approx(1_234_750.0, rel=0.02 + alpha)
    assert s.tail_value_at_risk(0.95) == pytest.approx(2_336_000.0, rel=0.03 + alpha)
    # Each scenario's mean from the exact column sums, against its closed form.
    for scenario in W1:
        mean = s.column_means[scenario.name]
        assert abs(mean - scenario.mean_annual_loss) < 0.01 * scenario.mean_annual_loss


# ---------------------------------------------------------- split invariance
def test_the_same_summary_for_any_split_and_order() -> None:
    options = ct.StreamingStatistics(relative_accuracy=1e-3, tail=300, chunk_trials=7_001)
    one = ct.simulate_portfolio(W1, 50_000, 9, statistics=options)
    assert one.trials == 50_000 and one.first_trial == 0
    exact = ct.simulate_portfolio(W1, 50_000, 9)
    assert same_summary(exact.summarise(options), one)
    cuts = [0, 1, 12_345, 12_346, 40_000, 50_000]
    shards = [ct.simulate_portfolio(W1, b - a, 9, first_trial=a, statistics=options)
              for a, b in zip(cuts, cuts[1:])]
    assert same_summary(ct.SimulationSummary.merged(shards), one)
    assert same_summary(ct.SimulationSummary.merged(shards[::-1]), one)
    tree = shards[3].merge(shards[4]).merge(shards[1].merge(shards[2]).merge(shards[0]))
    assert same_summary(tree, one)
    # The merged figures are those of the exact run within the accuracy.
    for p in LEVELS:
        tvar = exact.statistics.tail_value_at_risk(p)
        assert abs(tree.statistics.tail_value_at_risk(p) - tvar) <= 1e-3 * tvar


def test_model_streaming_keeps_every_loss_and_column() -> None:
    model = ct.load_model(HOSPITAL)
    options = ct.StreamingStatistics(chunk_trials=1_500, tail=50)
    summary = ct.simulate(model, 4_000, 5, statistics=options)
    exact = ct.simulate(model, 4_000, 5)
    assert same_summary(summary, exact.summarise(options))
    assert summary.breakdown_names == exact.breakdown_names
    assert summary.currency == model.currency
    for loss in ("gross", "insured", "retained"):
        s, e = summary.statistics_of(loss), exact.statistics_of(loss)
        assert s.mean == pytest.approx(e.mean, rel=1e-13, abs=1e-9)
        for p in (0.9, 0.99):
            assert s.value_at_risk(p) == pytest.approx(e.value_at_risk(p), rel=1e-3)
            assert s.tail_value_at_risk(p) == pytest.approx(e.tail_value_at_risk(p), rel=1e-3)
    streamed = summary.breakdown_summary("category")
    held = exact.breakdown_summary("category")
    assert list(streamed.index) == list(held.index)
    assert np.allclose(streamed["mean"].to_numpy(), held["mean"].to_numpy(), rtol=1e-13)
    assert np.allclose(streamed["share"].to_numpy(), held["share"].to_numpy(), rtol=1e-12)


def test_streaming_runs_what_does_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # On a machine of 40 MB, 10^6 W1 trials (6 numbers each: 48 MB) do not
    # fit; streamed in chunks of 2^17 trials (6.3 MB) they do.
    monkeypatch.setattr("continuity._checks.physical_memory", lambda: 40_000_000)
    with pytest.raises(errors.ValueError_, match="simulation: trials: 1,000,000 trials need "
                                                 r".*statistics='stream'"):
        ct.simulate_portfolio(W1, 1_000_000, 1)
    options = ct.StreamingStatistics(chunk_trials=2**17)
    summary = ct.simulate_portfolio(W1, 1_000_000, 1, statistics=options)
    assert summary.trials == 1_000_000
    with pytest.raises(errors.ValueError_, match="simulation: trials: 1,048,576 trials need"):
        ct.simulate_portfolio(W1, 2**20, 1, statistics=ct.StreamingStatistics(chunk_trials=2**22))


def test_pickled_and_back() -> None:
    summary = ct.simulate_portfolio(W1, 10_000, 2, statistics="stream")
    back = pickle.loads(pickle.dumps(summary))
    assert same_summary(back, summary)
    assert back.statistics.tail_value_at_risk(0.99) == summary.statistics.tail_value_at_risk(0.99)
    assert "SimulationSummary(seed=2, trials 0..10000" in repr(back)
    assert "LossSummary(trials=10000" in repr(back.statistics)


def test_empty_run_and_summary() -> None:
    summary = ct.simulate_portfolio(W1, 0, 1, statistics="stream")
    assert summary.trials == 0 and math.isnan(summary.statistics.mean)
    with pytest.raises(errors.ValueError_, match="loss summary: trials: has no trials"):
        summary.statistics.value_at_risk(0.99)
    s = ct.LossSummary()
    s.add([0.0, 1.0, 3.0])
    assert s.trials == 3 and s.mean == pytest.approx(4 / 3, rel=1e-15)


# ------------------------------------------------------------------- errors
def test_errors_name_the_setting() -> None:
    a = ct.LossSummary([1.0, 2.0], relative_accuracy=1e-3)
    with pytest.raises(errors.ValueError_,
                       match="relative_accuracy: cannot merge summaries of relative accuracy"):
        a.merge(ct.LossSummary([1.0], relative_accuracy=1e-2))
    with pytest.raises(errors.ValueError_, match="loss summary: tail: cannot merge"):
        a.merge(ct.LossSummary([1.0], tail=5))
    with pytest.raises(errors.ValueError_, match="loss summary: columns: cannot merge"):
        a.merge(ct.LossSummary([1.0], column_names=["category:legal"], columns=[[1.0]]))
    for bad in (0.0, 2.0, 1e-6, math.nan):
        with pytest.raises(errors.ValueError_, match="relative_accuracy"):
            ct.LossSummary(relative_accuracy=bad)
        with pytest.raises(errors.ValueError_, match="streaming statistics: relative_accuracy"):
            ct.StreamingStatistics(relative_accuracy=bad)
    with pytest.raises(errors.ValueError_, match="loss summary: tail"):
        ct.LossSummary(tail=-1)
    with pytest.raises(errors.ValueError_, match="streaming statistics: chunk_trials"):
        ct.StreamingStatistics(chunk_trials=0)
    for p in (-0.01, 1.01, math.nan):
        with pytest.raises(errors.ValueError_, match="loss summary: level: must be in"):
            a.value_at_risk(p)
        with pytest.raises(errors.ValueError_, match="loss summary: level"):
            a.tail_value_at_risk(p)
    with pytest.raises(errors.ValueError_, match=r"losses\[1\]: must be finite and >= 0"):
        a.add([3.0, -1.0])
    assert a.trials == 2  # nothing added
    with pytest.raises(errors.ValueError_, match="columns: must be trials × columns"):
        ct.LossSummary([1.0, 2.0], column_names=["x"], columns=[[1.0, 2.0]])
    with pytest.raises(errors.ValueError_, match="simulation: statistics: must be 'exact'"):
        ct.simulate_portfolio(W1, 10, 1, statistics="approximate")  # type: ignore[call-overload]
    with pytest.raises(errors.ValueError_, match="simulation summary: loss"):
        ct.simulate_portfolio(W1, 10, 1, statistics="stream").statistics_of("net")


def test_shards_must_adjoin() -> None:
    first = ct.simulate_portfolio(W1, 100, 1, statistics="stream")
    with pytest.raises(errors.ValueError_, match="seeds 1 and 2 differ"):
        first.merge(ct.simulate_portfolio(W1, 100, 2, first_trial=100, statistics="stream"))
    with pytest.raises(errors.ValueError_, match=r"trials 100 … 149 are missing"):
        first.merge(ct.simulate_portfolio(W1, 100, 1, first_trial=150, statistics="stream"))
    with pytest.raises(errors.ValueError_, match="trial 50 is in two shards"):
        first.merge(ct.simulate_portfolio(W1, 100, 1, first_trial=50, statistics="stream"))
    with pytest.raises(errors.ValueError_, match="none to merge"):
        ct.SimulationSummary.merged([])
