"""Monte Carlo simulations spread over a Dask cluster.

A simulation with a given seed computes trial *k* from its own random
stream, whatever machine, thread or shard computes it; so the trials can be
split into shards (consecutive ranges, each simulated with ``first_trial`` at
its offset), run anywhere, and merged with :func:`continuity.concatenate`
into exactly — bit for bit — the result of one run::

    from distributed import Client
    import continuity as ct
    from continuity.distributed import simulate_distributed

    client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    model = ct.load_model("examples/hospital.json")
    result = simulate_distributed(client, model, 10_000_000, seed=1)
    assert result.trials == 10_000_000

With ``statistics="stream"`` (or a :class:`continuity.StreamingStatistics`)
each worker simulates its shard a chunk at a time and returns only its
:class:`continuity.SimulationSummary` — VaR and TVaR within a stated relative
accuracy, mean and breakdown means from exact sums — so neither the workers
nor the client ever hold all trials, and the merged summary is the same, bit
for bit, for any split::

    summary = simulate_distributed(client, model, 1_000_000_000, seed=1,
                                   statistics="stream")
    summary.statistics.tail_value_at_risk(0.99)

The workers need ``continuity`` installed (the same version as the client).
Dask is an optional dependency: ``pip install 'continuity[distributed]'``;
it is imported only when one of these functions is called.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Literal, Sequence, Union, cast, overload

from .insurance import PolicyLike
from .loss import (
    SimulationResult,
    SimulationSummary,
    Statistics,
    StreamingStatistics,
    TopDownScenario,
    _check_counts,
    _streaming,
    concatenate,
    simulate,
    simulate_portfolio,
)
from .model import Model

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["simulate_distributed", "simulate_portfolio_distributed", "shard_ranges", "Shards"]

Shards = Union[int, Sequence[int], None]
"""How to split the trials: ``None`` (one shard per worker thread of the
cluster), a number of shards of (nearly) equal size, or the size of each
shard in trial order."""


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError as e:
        raise ImportError(
            "continuity.distributed needs Dask's distributed scheduler, which is not "
            "installed; install it with: pip install 'continuity[distributed]'"
        ) from e
    return distributed


def shard_ranges(trials: int, shards: Union[int, Sequence[int]],
                 first_trial: int = 0) -> list[tuple[int, int]]:
    """The shards as ``(first_trial, trials)`` pairs, in trial order, covering
    trials ``first_trial`` … ``first_trial + trials - 1`` without gap or
    overlap. ``shards`` is a number of shards (sizes differ by at most one;
    never more shards than trials) or the size of each shard (they must add
    up to ``trials``). Empty shards are left out; zero trials give one empty
    shard. Raises :class:`continuity.errors.ValueError_` for an invalid split."""
    from .errors import ValueError_

    _check_counts(trials=trials, first_trial=first_trial)
    if isinstance(shards, bool):
        raise ValueError_(f"simulation: shards: must be a count or a sequence of sizes, "
                          f"got {shards!r}", "simulation", "", "shards")
    if isinstance(shards, int):
        if shards < 1:
            raise ValueError_(f"simulation: shards: must be at least 1, got {shards}",
                              "simulation", "", "shards")
        n = max(1, min(shards, trials))
        base, extra = divmod(trials, n)
        sizes = [base + (1 if k < extra else 0) for k in range(n)]
    else:
        sizes = list(shards)
        for k, size in enumerate(sizes):
            _check_counts(**{f"shards[{k}]": size})
        if sum(sizes) != trials:
            raise ValueError_(f"simulation: shards: the shard sizes add up to {sum(sizes)}, "
                              f"not to the {trials} trials", "simulation", "", "shards")
    ranges: list[tuple[int, int]] = []
    at = first_trial
    for size in sizes:
        if size > 0:
            ranges.append((at, int(size)))
        at += size
    return ranges or [(first_trial, 0)]


def _default_shards(client: Any) -> int:
    threads = client.nthreads()
    return max(1, sum(int(n) for n in threads.values()))


Outcome = Union[SimulationResult, SimulationSummary]


def _simulate_shard(model: Model, trials: int, seed: int, first_trial: int,
                    scenarios: Sequence[str], top_down: Sequence[TopDownScenario],
                    top_down_insurance: Sequence[PolicyLike], threads: int,
                    statistics: Statistics = "exact") -> Outcome:
    """Runs on a worker: one shard of a model's simulation."""
    return simulate(model, trials, seed, scenarios=scenarios, top_down=top_down,
                    top_down_insurance=top_down_insurance, first_trial=first_trial,
                    threads=threads, statistics=statistics)


def _simulate_portfolio_shard(top_down: Sequence[TopDownScenario],
                              insurance: Sequence[PolicyLike], trials: int, seed: int,
                              first_trial: int, threads: int,
                              statistics: Statistics = "exact") -> Outcome:
    """Runs on a worker: one shard of a top-down portfolio's simulation."""
    return simulate_portfolio(top_down, trials, seed, insurance=insurance,
                              first_trial=first_trial, threads=threads, statistics=statistics)


def _gather(client: Any, futures: list[Future[Outcome]], sizes: list[int],
            progress: bool, description: str) -> Outcome:
    """Waits for the shards (cancelling the rest if one fails or on Ctrl-C)
    and merges them."""
    distributed = _distributed()
    try:
        if not progress:
            results: list[Outcome] = client.gather(futures)
        else:
            from tqdm.auto import tqdm

            size_of = {f.key: n for f, n in zip(futures, sizes)}
            results = []
            with tqdm(total=sum(sizes), desc=description, unit="trial", unit_scale=True) as bar:
                for future, result in distributed.as_completed(futures, with_results=True):
                    results.append(result)
                    bar.update(size_of[future.key])
    except BaseException:
        client.cancel(futures)
        raise
    summaries = [r for r in results if isinstance(r, SimulationSummary)]
    if summaries:
        return SimulationSummary.merged(summaries)
    return concatenate([r for r in results if isinstance(r, SimulationResult)])


def _submit_all(client: Any, ranges: list[tuple[int, int]],
                submit: Callable[[int, int], Future[Outcome]],
                progress: bool, description: str) -> Outcome:
    futures: list[Future[Outcome]] = []
    try:
        for first, count in ranges:
            futures.append(submit(first, count))
    except BaseException:
        client.cancel(futures)
        raise
    return _gather(client, futures, [count for _, count in ranges], progress, description)


@overload
def simulate_distributed(client: Client, model: Model, trials: int, seed: int, *,
                         shards: Shards = ..., scenarios: Sequence[str] = ...,
                         top_down: Sequence[TopDownScenario] = ...,
                         top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                         threads: int = ..., progress: bool = ...,
                         statistics: Literal["exact"] = ...) -> SimulationResult: ...
@overload
def simulate_distributed(client: Client, model: Model, trials: int, seed: int, *,
                         shards: Shards = ..., scenarios: Sequence[str] = ...,
                         top_down: Sequence[TopDownScenario] = ...,
                         top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                         threads: int = ..., progress: bool = ...,
                         statistics: Union[Literal["stream"], StreamingStatistics]
                         ) -> SimulationSummary: ...
@overload
def simulate_distributed(client: Client, model: Model, trials: int, seed: int, *,
                         shards: Shards = ..., scenarios: Sequence[str] = ...,
                         top_down: Sequence[TopDownScenario] = ...,
                         top_down_insurance: Sequence[PolicyLike] = ..., first_trial: int = ...,
                         threads: int = ..., progress: bool = ..., statistics: Statistics = ...
                         ) -> Outcome: ...
def simulate_distributed(client: Client, model: Model, trials: int, seed: int, *,
                         shards: Shards = None, scenarios: Sequence[str] = (),
                         top_down: Sequence[TopDownScenario] = (),
                         top_down_insurance: Sequence[PolicyLike] = (), first_trial: int = 0,
                         threads: int = 1, progress: bool = False,
                         statistics: Statistics = "exact") -> Outcome:
    """:func:`continuity.simulate` on a Dask cluster: the same result, bit for
    bit, for any split of the trials.

    The ``trials`` trials (from ``first_trial`` on) are split into ``shards``
    (see :data:`Shards`; default: one shard per worker thread), each submitted
    to ``client`` (a ``distributed.Client``) as a task that runs
    :func:`continuity.simulate` with its ``first_trial`` on ``threads``
    threads (default 1, as Dask runs one task per worker thread; 0: all cores
    of the worker's machine, for workers with a single thread). The model is
    sent to the cluster once. ``progress`` shows a tqdm bar advancing as
    shards finish. If a shard fails, or on Ctrl-C, the other shards are
    cancelled and the error is raised here (errors of the library keep their
    class, e.g. :class:`continuity.errors.ReferenceError` for an unknown
    scenario).

    Returns the merged :class:`continuity.SimulationResult`; with
    ``statistics="stream"`` or a :class:`continuity.StreamingStatistics`, the
    merged :class:`continuity.SimulationSummary` (each worker simulating its
    shard a chunk at a time: its memory does not grow with ``trials``).
    """
    _distributed()
    _check_counts(trials=trials, seed=seed, first_trial=first_trial, threads=threads)
    _streaming(statistics)
    ranges = shard_ranges(trials, _default_shards(client) if shards is None else shards,
                          first_trial)
    scenario_list = list(scenarios)
    top_down_list = list(top_down)
    insurance_list = list(top_down_insurance)
    # Zero trials here check the options (scenario names, ...) before any task is sent.
    simulate(model, 0, seed, scenarios=scenario_list, top_down=top_down_list,
             top_down_insurance=insurance_list)
    # (Dask's Client methods other than submit are untyped, hence Any.)
    model_on_cluster: Any = cast(Any, client).scatter(model, hash=False)

    def submit(first: int, count: int) -> Future[Outcome]:
        return client.submit(_simulate_shard, model_on_cluster, count, seed, first,
                             scenario_list, top_down_list, insurance_list, threads, statistics,
                             pure=False)

    return _submit_all(client, ranges, submit, progress, model.name or "model")


@overload
def simulate_portfolio_distributed(client: Client, top_down: Sequence[TopDownScenario],
                                   trials: int, seed: int, *, shards: Shards = ...,
                                   insurance: Sequence[PolicyLike] = ...,
                                   first_trial: int = ..., threads: int = ...,
                                   progress: bool = ...,
                                   statistics: Literal["exact"] = ...) -> SimulationResult: ...
@overload
def simulate_portfolio_distributed(client: Client, top_down: Sequence[TopDownScenario],
                                   trials: int, seed: int, *, shards: Shards = ...,
                                   insurance: Sequence[PolicyLike] = ...,
                                   first_trial: int = ..., threads: int = ...,
                                   progress: bool = ...,
                                   statistics: Union[Literal["stream"], StreamingStatistics]
                                   ) -> SimulationSummary: ...
@overload
def simulate_portfolio_distributed(client: Client, top_down: Sequence[TopDownScenario],
                                   trials: int, seed: int, *, shards: Shards = ...,
                                   insurance: Sequence[PolicyLike] = ...,
                                   first_trial: int = ..., threads: int = ...,
                                   progress: bool = ..., statistics: Statistics = ...
                                   ) -> Outcome: ...
def simulate_portfolio_distributed(client: Client, top_down: Sequence[TopDownScenario],
                                   trials: int, seed: int, *, shards: Shards = None,
                                   insurance: Sequence[PolicyLike] = (),
                                   first_trial: int = 0, threads: int = 1,
                                   progress: bool = False,
                                   statistics: Statistics = "exact") -> Outcome:
    """:func:`continuity.simulate_portfolio` (top-down scenarios alone) on a
    Dask cluster, split and merged as :func:`simulate_distributed` does: the
    same result (or with ``statistics="stream"`` the same summary), bit for
    bit, as one run with the same ``seed``."""
    _distributed()
    _check_counts(trials=trials, seed=seed, first_trial=first_trial, threads=threads)
    _streaming(statistics)
    ranges = shard_ranges(trials, _default_shards(client) if shards is None else shards,
                          first_trial)
    scenario_list = list(top_down)
    insurance_list = list(insurance)
    # Zero trials here check the scenarios and policies before any task is sent.
    simulate_portfolio(scenario_list, 0, seed, insurance=insurance_list)

    def submit(first: int, count: int) -> Future[Outcome]:
        return client.submit(_simulate_portfolio_shard, scenario_list, insurance_list, count,
                             seed, first, threads, statistics, pure=False)

    return _submit_all(client, ranges, submit, progress, "portfolio")
