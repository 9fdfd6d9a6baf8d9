"""Tests of continuity.distributed: shards of a simulation run on a Dask
cluster merge into exactly the result of one run."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

import continuity as ct
from continuity import errors
from continuity.distributed import (
    shard_ranges,
    simulate_distributed,
    simulate_portfolio_distributed,
)

distributed = pytest.importorskip("distributed")

if TYPE_CHECKING:
    from distributed import Client

HOSPITAL = Path(__file__).resolve().parents[2] / "examples" / "hospital.json"
TRIALS = 4000
SEED = 20240917


def assert_identical(a: ct.SimulationResult, b: ct.SimulationResult) -> None:
    assert a.seed == b.seed
    assert a.first_trial == b.first_trial
    assert a.trials == b.trials
    assert a.breakdown_names == b.breakdown_names
    assert np.array_equal(a.annual_loss, b.annual_loss)
    assert np.array_equal(a.breakdown, b.breakdown)


@pytest.fixture(scope="module")
def model() -> ct.Model:
    return ct.load_model(HOSPITAL)


@pytest.fixture(scope="module")
def reference(model: ct.Model) -> ct.SimulationResult:
    return ct.simulate(model, TRIALS, SEED)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # Two worker processes with one thread each; no dashboard (it would need
    # bokeh and a free port 8787).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


# ------------------------------------------------------ splitting the trials
def test_shard_ranges() -> None:
    assert shard_ranges(10, 4) == [(0, 3), (3, 3), (6, 2), (8, 2)]
    assert shard_ranges(10, 4, first_trial=100) == [(100, 3), (103, 3), (106, 2), (108, 2)]
    assert shard_ranges(3, 8) == [(0, 1), (1, 1), (2, 1)]  # never an empty shard
    assert shard_ranges(0, 4) == [(0, 0)]
    assert shard_ranges(10, [1, 0, 6, 3]) == [(0, 1), (1, 6), (7, 3)]
    with pytest.raises(errors.ValueError_, match="add up to 9, not to the 10 trials"):
        shard_ranges(10, [3, 3, 3])
    with pytest.raises(errors.ValueError_, match="shards"):
        shard_ranges(10, 0)
    with pytest.raises(errors.ValueError_, match=r"shards\[1\]"):
        shard_ranges(10, [11, -1])
    with pytest.raises(errors.ValueError_, match="trials"):
        shard_ranges(-1, 2)


# ------------------------------------------------------------ on a cluster
def test_four_shards_equal_one_run(client: Client, model: ct.Model,
                                   reference: ct.SimulationResult) -> None:
    result = simulate_distributed(client, model, TRIALS, SEED, shards=4)
    assert_identical(result, reference)


@pytest.mark.parametrize("shards", [[1, 2999, 0, 1000], [3997, 1, 1, 1], None])
def test_unequal_and_default_shards(client: Client, model: ct.Model,
                                    reference: ct.SimulationResult,
                                    shards: list[int] | None) -> None:
    result = simulate_distributed(client, model, TRIALS, SEED,
                                  shards=shards)
    assert_identical(result, reference)


def test_options_are_passed_on(client: Client, model: ct.Model) -> None:
    top_down = [ct.TopDownScenario("phishing", {"poisson": 2.0},
                                   {"lognormal": {"p5": 1e5, "p95": 1e7}})]
    expected = ct.simulate(model, 1500, 7, scenarios=["earthquake"], top_down=top_down,
                           first_trial=500)
    result = simulate_distributed(client, model, 1500, 7,
                                  shards=3, scenarios=["earthquake"], top_down=top_down,
                                  first_trial=500, threads=2, progress=False)
    assert_identical(result, expected)
    assert "scenario:phishing" in result.breakdown_names


def test_portfolio(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    portfolio = [
        ct.TopDownScenario("ransomware", {"poisson": 0.3}, {"lognormal": {"p5": 1e6, "p95": 5e8}}),
        ct.TopDownScenario("outage", {"poisson": 4.0}, {"pert": [1e4, 1e5, 2e6]}),
    ]
    expected = ct.simulate_portfolio(portfolio, 6000, 3)
    result = simulate_portfolio_distributed(client, portfolio, 6000, 3,
                                            shards=[2500, 500, 3000], progress=True)
    assert_identical(result, expected)
    assert "6.00k/6.00k" in capsys.readouterr().err  # the progress bar reached the end


def test_errors_keep_their_class(client: Client, model: ct.Model) -> None:
    with pytest.raises(errors.ReferenceError, match="unknown incident scenario 'flood'"):
        simulate_distributed(client, model, 100, 1,
                             scenarios=["flood"])
    with pytest.raises(errors.ValueError_, match="seed"):
        simulate_distributed(client, model, 100, -1)


def test_shards_of_different_seeds_do_not_merge(client: Client, model: ct.Model) -> None:
    # concatenate_shards (loss/monte_carlo.hpp) checks seed, columns and
    # contiguity before merging.
    first = simulate_distributed(client, model, 1000, 1, shards=2)
    second = simulate_distributed(client, model, 1000, 2, shards=2,
                                  first_trial=1000)
    with pytest.raises(errors.ValueError_, match="different seeds"):
        ct.concatenate([first, second])
    gap = simulate_distributed(client, model, 1000, 1, first_trial=1500)
    with pytest.raises(errors.ValueError_, match="contiguous"):
        ct.concatenate([first, gap])
    # Shards from different runs with the same seed are one run.
    rest = simulate_distributed(client, model, 1000, 1, first_trial=1000)
    assert_identical(ct.concatenate([rest, first]), ct.simulate(model, 2000, 1))


# ------------------------------------------------- streaming statistics
W1 = [ct.TopDownScenario(name, {"poisson": lam}, {"lognormal": {"p5": lo, "p95": hi}})
      for name, lam, lo, hi in [("ransomware", 0.30, 50_000.0, 2_000_000.0),
                                ("data_leak", 0.50, 20_000.0, 500_000.0),
                                ("outage", 2.00, 5_000.0, 100_000.0)]]


def test_streaming_shards_merge_into_one_runs_summary(client: Client) -> None:
    options = ct.StreamingStatistics(relative_accuracy=1e-3, tail=100, chunk_trials=6_000)
    summary = simulate_portfolio_distributed(client, W1, 40_000, 4, shards=[9_999, 1, 30_000],
                                             statistics=options)
    assert isinstance(summary, ct.SimulationSummary)
    local = ct.simulate_portfolio(W1, 40_000, 4, statistics=options)
    assert pickle.dumps(summary) == pickle.dumps(local)
    exact = ct.simulate_portfolio(W1, 40_000, 4).statistics
    for p in (0.9, 0.99, 0.999):
        assert abs(summary.statistics.value_at_risk(p) - exact.value_at_risk(p)) <= \
            1e-3 * exact.value_at_risk(p)
        assert abs(summary.statistics.tail_value_at_risk(p) - exact.tail_value_at_risk(p)) <= \
            1e-3 * exact.tail_value_at_risk(p)


def test_streaming_model_on_the_cluster(client: Client, model: ct.Model,
                                        reference: ct.SimulationResult) -> None:
    summary = simulate_distributed(client, model, TRIALS, SEED, shards=3, statistics="stream")
    assert pickle.dumps(summary) == pickle.dumps(reference.summarise())
    with pytest.raises(errors.ValueError_, match="statistics"):
        simulate_distributed(client, model, 10, 1, statistics="all")  # type: ignore[call-overload]


# --------------------------------------------------------- without Dask
def test_clear_message_without_dask(monkeypatch: pytest.MonkeyPatch, model: ct.Model) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ImportError, match=r"pip install 'continuity\[distributed\]'"):
        simulate_distributed(object(), model, 10, 1)  # type: ignore[arg-type]
    with pytest.raises(ImportError, match="distributed"):
        simulate_portfolio_distributed(object(), [], 10, 1)  # type: ignore[arg-type]
