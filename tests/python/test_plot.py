"""Charts: the artists drawn are checked against the data they show, computed
again here with numpy from the plans, losses and comparisons; edge cases
(nothing damaged, no loss, undefined ROSI) and wrong inputs; every figure is
saved to a PNG."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import continuity as ct  # noqa: E402
from continuity import plot  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ATTACK = "ransomware through the VPN"


# ---------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def hospital() -> ct.Model:
    return ct.load_model(EXAMPLES / "hospital.json")


@pytest.fixture(scope="module")
def attack_plan(hospital: ct.Model) -> ct.RecoveryPlan:
    return hospital.plan_recovery(ATTACK)


@pytest.fixture(scope="module")
def quake_plan(hospital: ct.Model) -> ct.RecoveryPlan:
    return hospital.plan_recovery("earthquake")


@pytest.fixture(scope="module")
def factory_plan() -> ct.RecoveryPlan:
    m = ct.load_model(EXAMPLES / "manufacturer_a.json")
    return m.plan_recovery(m.scenarios[0])


@pytest.fixture(scope="module")
def quiet_plan() -> ct.RecoveryPlan:
    """A plan of a scenario that damages nothing."""
    spec = json.loads((EXAMPLES / "hospital.json").read_text(encoding="utf-8"))
    spec["scenarios"].append({"name": "near miss", "kind": "other", "annual_frequency": 0.1,
                              "damage": []})
    return ct.Model.from_dict(spec).plan_recovery("near miss")


@pytest.fixture(scope="module")
def result(hospital: ct.Model) -> ct.SimulationResult:
    return ct.simulate(hospital, 20_000, 11)


def _offline_backup(spec: dict[str, Any]) -> None:
    for s in spec["systems"]:
        if s["layer"] == "software" and s.get("transactions_per_hour", 0) > 0:
            s["backups"].append({"interval": "1d", "generations": 14, "medium": "LTO tape",
                                 "mode": "offline", "offsite": True, "restore_time": "12h"})


def _rarer_attack(spec: dict[str, Any]) -> None:
    for s in spec["scenarios"]:
        if s["name"] == ATTACK:
            s["annual_frequency"] = 0.03


@pytest.fixture(scope="module")
def comparison(hospital: ct.Model) -> ct.MitigationComparison:
    measures = [ct.Mitigation("offline backup", 3_000_000, _offline_backup),
                ct.Mitigation("patch the VPN device", 1_500_000, _rarer_attack)]
    return ct.compare_mitigations(hospital, measures, 4000, 5)


# ----------------------------------------------------------------- helpers
def _save(ax: Axes, tmp_path: Path, name: str = "chart") -> None:
    path = tmp_path / f"{name}.png"
    fig = ax.get_figure(root=True)
    assert fig is not None
    fig.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 1000


def _lines(ax: Axes, gid: str) -> list[Line2D]:
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def _bars(ax: Axes, gid: str) -> list[Rectangle]:
    """The bars of one kind, in the order drawn."""
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == gid]


def _x(line: Line2D) -> npt.NDArray[np.float64]:
    return np.asarray(line.get_xdata(), dtype=np.float64)


def _y(line: Line2D) -> npt.NDArray[np.float64]:
    return np.asarray(line.get_ydata(), dtype=np.float64)


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _hours_per_unit(ax: Axes) -> float:
    label = ax.get_xlabel()
    assert "days" in label or "hours" in label or "logarithmic" in label, label
    return 24.0 if "days" in label else 1.0


def _survival(losses: npt.ArrayLike, x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """1 − ECDF(x) of the losses, computed independently."""
    s = np.sort(np.asarray(losses, dtype=np.float64))
    return 1.0 - np.searchsorted(s, np.asarray(x, dtype=np.float64), side="right") / s.size


def _assert_survival(curve: Line2D, losses: npt.ArrayLike) -> None:
    """The curve's y at each vertex is 1 − ECDF of the losses at its x."""
    np.testing.assert_allclose(_y(curve), _survival(losses, _x(curve)), rtol=1e-12, atol=1e-15)


def _legend_labels(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


# ------------------------------------------------------------ module itself
def test_importing_the_module_does_not_import_pyplot() -> None:
    code = "import sys, continuity.plot; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_every_public_function_is_documented() -> None:
    import inspect

    functions = [name for name in plot.__all__ if inspect.isfunction(getattr(plot, name))]
    assert len(functions) == 9
    for name in functions:
        doc = getattr(plot, name).__doc__
        assert doc and len(doc) > 40, name


def test_draws_on_the_axes_given(tmp_path: Path, result: ct.SimulationResult) -> None:
    fig, axes = plt.subplots(1, 2)
    assert plot.exceedance(result, ax=axes[1]) is axes[1]
    assert _lines(axes[1], "continuity-exceedance") and not axes[0].get_lines()
    assert plot.histogram(result, ax=axes[0]) is axes[0]
    _save(axes[0], tmp_path)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot.exceedance(result, ax=fig)  # type: ignore[arg-type]


# -------------------------------------------------------------- exceedance
def test_exceedance_curve_is_one_minus_the_ecdf(tmp_path: Path,
                                                result: ct.SimulationResult) -> None:
    losses = np.array(result.annual_loss)
    ax = plot.exceedance(result, currency="JPY")
    (curve,) = _lines(ax, "continuity-exceedance")
    x, y = _x(curve), _y(curve)
    assert curve.get_drawstyle() == "steps-post"
    _assert_survival(curve, losses)
    # a vertex at 0 and at every distinct loss (no thinning at 20,000 trials)
    np.testing.assert_array_equal(x, np.unique(np.append(losses, 0.0)))
    assert y[0] == pytest.approx((losses > 0).mean())
    assert np.all(np.diff(y) <= 0)
    assert ax.get_yscale() == "log"
    assert ax.get_ylim()[0] <= 1.0 / losses.size
    assert ax.get_xlim()[1] >= losses.max()
    assert ax.get_xlabel() == "annual loss (JPY)"
    _save(ax, tmp_path)


def test_exceedance_of_a_small_sample_by_brute_force(tmp_path: Path) -> None:
    losses = np.array([5.0, 0.0, 2.0, 5.0, 9.0, 0.0, 0.0, 1.0])
    ax = plot.exceedance(losses, log=False, var_levels=())
    (curve,) = _lines(ax, "continuity-exceedance")
    x, y = _x(curve), _y(curve)
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0, 5.0, 9.0])
    np.testing.assert_allclose(y, [(losses > v).mean() for v in x], rtol=0, atol=1e-15)
    assert ax.get_yscale() == "linear"
    assert not _lines(ax, "continuity-var")
    _save(ax, tmp_path)


def test_exceedance_starts_at_certainty_when_every_year_has_a_loss() -> None:
    ax = plot.exceedance([3.0, 1.0, 2.0], var_levels=())
    (curve,) = _lines(ax, "continuity-exceedance")
    np.testing.assert_array_equal(_x(curve), [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(_y(curve), [1.0, 2 / 3, 1 / 3, 0.0])


def test_exceedance_var_lines_at_value_at_risk(tmp_path: Path,
                                               result: ct.SimulationResult) -> None:
    levels = (0.9, 0.95, 0.99)
    ax = plot.exceedance(result.statistics, var_levels=levels)
    var_lines = _lines(ax, "continuity-var")
    assert len(var_lines) == len(levels)
    losses = np.array(result.annual_loss)
    for line, level in zip(var_lines, levels):
        x = _x(line)
        assert x[0] == x[1] == result.statistics.value_at_risk(level)
        # the VaR is the order statistic: the smallest loss with ECDF ≥ level
        assert x[0] == np.quantile(losses, level, method="inverted_cdf")
    texts = _texts(ax)
    assert any(t.startswith("VaR 95%: ") for t in texts)
    assert any(t.startswith("VaR 99%: ") for t in texts)
    _save(ax, tmp_path)


def test_exceedance_accepts_every_loss_input(result: ct.SimulationResult) -> None:
    losses = np.array(result.annual_loss)
    curves = []
    for given in (result, result.statistics, losses, list(losses), pd.Series(losses)):
        ax = plot.exceedance(given, var_levels=())
        (curve,) = _lines(ax, "continuity-exceedance")
        curves.append((_x(curve), _y(curve)))
    for x, y in curves[1:]:
        np.testing.assert_array_equal(x, curves[0][0])
        np.testing.assert_array_equal(y, curves[0][1])


def test_exceedance_curves_overlay_on_one_axes(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    small = rng.lognormal(10, 1, 500) * (rng.random(500) < 0.3)
    large = rng.lognormal(11, 1, 4000) * (rng.random(4000) < 0.2)
    ax = plot.exceedance(small, label="small")
    plot.exceedance(large, ax=ax, label="large")
    curves = _lines(ax, "continuity-exceedance")
    assert len(curves) == 2
    assert curves[0].get_color() != curves[1].get_color()
    _assert_survival(curves[1], large)
    assert _legend_labels(ax) == ["small", "large"]
    # the axes make room for both
    assert ax.get_ylim()[0] <= 1 / 4000
    assert ax.get_xlim()[1] >= max(small.max(), large.max())
    # VaR lines in each curve's colour
    colors = Counter(line.get_color() for line in _lines(ax, "continuity-var"))
    assert colors == {curves[0].get_color(): 2, curves[1].get_color(): 2}
    _save(ax, tmp_path)


def test_exceedance_of_a_large_simulation_is_thinned_but_exact() -> None:
    rng = np.random.default_rng(7)
    n = 200_000
    losses = rng.lognormal(15, 1.2, n) * (rng.random(n) < 0.4)
    ax = plot.exceedance(losses)
    (curve,) = _lines(ax, "continuity-exceedance")
    x, y = _x(curve), _y(curve)
    assert 1000 < x.size <= 40_000
    _assert_survival(curve, losses)
    # the whole tail is kept: the 1,000 largest losses are vertices
    assert np.isin(np.sort(losses)[-1000:], x).all()
    assert x[0] == 0.0 and x[-1] == losses.max()


def test_exceedance_of_years_without_loss(tmp_path: Path) -> None:
    for log in (True, False):
        ax = plot.exceedance(np.zeros(50), log=log)
        (curve,) = _lines(ax, "continuity-exceedance")
        np.testing.assert_array_equal(_x(curve), [0.0])
        np.testing.assert_array_equal(_y(curve), [0.0])
        assert all(_x(line)[0] == 0.0 for line in _lines(ax, "continuity-var"))
        assert any("no loss in any of the 50 simulated years" in t for t in _texts(ax))
        _save(ax, tmp_path, f"zero-{log}")


@pytest.mark.parametrize("bad", ["losses", b"xy", {"a": 1.0}, None, 3.5, object(), ["a", "b"]])
def test_exceedance_rejects_what_is_not_losses(bad: Any) -> None:
    with pytest.raises(TypeError, match="exceedance: expected a SimulationResult, a "
                                        "LossStatistics or a 1-D array"):
        plot.exceedance(bad)


def test_exceedance_rejects_bad_shapes_and_levels() -> None:
    with pytest.raises(ValueError, match="1-D"):
        plot.exceedance(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="no losses"):
        plot.exceedance([])
    with pytest.raises(ValueError, match="finite"):
        plot.exceedance([1.0, math.nan])
    for level in (0.0, 1.0, 95):
        with pytest.raises(ValueError, match="var_levels"):
            plot.exceedance([1.0, 2.0], var_levels=(level,))
    with pytest.raises(TypeError, match="var_levels"):
        plot.exceedance([1.0, 2.0], var_levels=0.95)  # type: ignore[arg-type]


# --------------------------------------------------------------- histogram
def test_histogram_shows_the_years_with_a_loss(tmp_path: Path,
                                               result: ct.SimulationResult) -> None:
    losses = np.array(result.annual_loss)
    positive = losses[losses > 0]
    ax = plot.histogram(result, bins=40, currency="JPY")
    bars = _bars(ax, "continuity-bars")
    assert len(bars) == 40
    counts, edges = np.histogram(positive, bins=np.linspace(0.0, positive.max(), 41))
    np.testing.assert_allclose([b.get_height() for b in bars], counts / losses.size,
                               rtol=1e-12)
    np.testing.assert_allclose([b.get_x() for b in bars], edges[:-1], rtol=1e-12)
    heights = np.array([b.get_height() for b in bars])
    assert heights.sum() == pytest.approx((losses > 0).mean(), rel=1e-12)
    p = 100 * (losses > 0).mean()
    labels = _legend_labels(ax)
    assert labels[0].startswith(f"P(loss > 0) = {p:.3g}% ({positive.size:,} of 20,000 years)")
    assert labels[1].startswith("mean (ALE)")
    (mean_line,) = [line for line in ax.get_lines() if str(line.get_label()).startswith("mean")]
    assert _x(mean_line)[0] == pytest.approx(losses.mean(), rel=1e-12)
    _save(ax, tmp_path)


def test_histogram_with_the_zero_years(tmp_path: Path, result: ct.SimulationResult) -> None:
    losses = np.array(result.annual_loss)
    ax = plot.histogram(losses, bins=25, include_zero=True)
    heights = np.array([b.get_height() for b in _bars(ax, "continuity-bars")])
    assert heights.sum() == pytest.approx(1.0, rel=1e-12)
    counts, _ = np.histogram(losses, bins=np.linspace(0.0, losses.max(), 26))
    np.testing.assert_allclose(heights, counts / losses.size, rtol=1e-12)
    assert heights[0] >= (losses == 0).mean()
    _save(ax, tmp_path)


def test_histogram_on_a_log_axis(tmp_path: Path, result: ct.SimulationResult) -> None:
    losses = np.array(result.annual_loss)
    positive = losses[losses > 0]
    ax = plot.histogram(result.statistics, bins=30, log=True)
    assert ax.get_xscale() == "log"
    bars = _bars(ax, "continuity-bars")
    edges = np.geomspace(positive.min(), positive.max(), 31)
    counts, _ = np.histogram(positive, bins=edges)
    np.testing.assert_allclose([b.get_height() for b in bars], counts / losses.size, rtol=1e-12)
    np.testing.assert_allclose([b.get_width() for b in bars], np.diff(edges), rtol=1e-9)
    _save(ax, tmp_path)
    with pytest.raises(ValueError, match="include_zero"):
        plot.histogram(result, log=True, include_zero=True)


def test_histogram_of_years_without_loss(tmp_path: Path) -> None:
    ax = plot.histogram(np.zeros(30))
    assert not [c for c in ax.containers if isinstance(c, BarContainer)]
    assert "no loss in any of the 30 simulated years" in _texts(ax)
    _save(ax, tmp_path, "none")
    ax = plot.histogram(np.zeros(30), include_zero=True, bins=5)
    heights = [b.get_height() for b in _bars(ax, "continuity-bars")]
    assert heights == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert "P(loss > 0) = 0%" in _legend_labels(ax)[0]
    _save(ax, tmp_path, "zeros")


def test_histogram_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="histogram: expected"):
        plot.histogram("many losses")
    with pytest.raises(TypeError, match="bins must be an integer"):
        plot.histogram([1.0, 2.0], bins=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bins must be at least 1"):
        plot.histogram([1.0, 2.0], bins=0)


# ------------------------------------------------------------------- gantt
def _expected_steps(plan: ct.RecoveryPlan) -> pd.DataFrame:
    t = plan.timeline
    damaged = plan.systems.index[plan.systems["damaged"].astype(bool)]
    return t[t["kind"].isin(["step", "data_reentry"]) & t["system"].isin(damaged)]


def _expected_color(kind: str, phase: str) -> str:
    if kind == "data_reentry":
        return plot.PHASE_COLORS["data_reentry"]
    return plot.PHASE_COLORS[phase]


def _row_names(ax: Axes) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]


def test_gantt_bars_are_the_steps_of_the_damaged_systems(
        tmp_path: Path, attack_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(attack_plan)
    steps = _expected_steps(attack_plan)
    bars = _bars(ax, "continuity-bars")
    assert len(bars) == len(steps) == 65
    assert _row_names(ax) == attack_plan.recovery_order
    unit = _hours_per_unit(ax)
    assert unit == 24.0  # 175 days: the axis is in days
    drawn = Counter((round(b.get_x(), 9), round(b.get_width(), 9), to_hex(b.get_facecolor()))
                    for b in bars)
    expected = Counter((round(s / unit, 9), round((f - s) / unit, 9),
                        _expected_color(k, ph).lower())
                       for s, f, k, ph in zip(steps["start_h"], steps["finish_h"], steps["kind"],
                                              steps["phase"]))
    assert drawn == expected
    _save(ax, tmp_path)


def test_gantt_bars_lie_in_their_systems_row_without_overlap(
        attack_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(attack_plan, time_unit="h")
    steps = _expected_steps(attack_plan)
    rows = _row_names(ax)
    bars = _bars(ax, "continuity-bars")
    # the bars come in timeline order
    placed: dict[str, list[tuple[float, float, float, float]]] = {}
    for bar, system, start, finish in zip(bars, steps["system"], steps["start_h"],
                                          steps["finish_h"]):
        assert bar.get_x() == pytest.approx(start) and bar.get_width() == pytest.approx(
            finish - start)
        row = rows.index(system)
        assert row - 0.4 <= bar.get_y() and bar.get_y() + bar.get_height() <= row + 0.4
        placed.setdefault(system, []).append(
            (bar.get_x(), bar.get_x() + bar.get_width(), bar.get_y(),
             bar.get_y() + bar.get_height()))
    # bars overlapping in time are drawn in different lanes of the row
    for boxes in placed.values():
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if a[0] < b[1] - 1e-9 and b[0] < a[1] - 1e-9:
                    assert a[3] <= b[2] + 1e-12 or b[3] <= a[2] + 1e-12
    emr = placed["EMR database"]
    assert len({round(box[2], 9) for box in emr}) == 2  # survey and server rental overlap


def test_gantt_colours_by_phase(tmp_path: Path, attack_plan: ct.RecoveryPlan,
                                factory_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(attack_plan)
    steps = _expected_steps(attack_plan)
    colors = Counter(to_hex(b.get_facecolor()) for b in _bars(ax, "continuity-bars"))
    n_permanent = int((steps["phase"] == "permanent").sum())
    assert n_permanent == 9  # the timeline's 10th permanent entry is a milestone
    assert colors == {plot.PHASE_COLORS["permanent"].lower(): n_permanent,
                      plot.PHASE_COLORS["emergency"].lower(): len(steps) - n_permanent}
    labels = _legend_labels(ax)
    assert "emergency phase" in labels and "permanent phase" in labels
    assert "data re-entry" not in labels
    _save(ax, tmp_path, "attack")

    ax = plot.gantt(factory_plan)
    steps = _expected_steps(factory_plan)
    bars = _bars(ax, "continuity-bars")
    reentry = steps["kind"].to_numpy() == "data_reentry"
    assert reentry.sum() == 1
    for bar, is_reentry in zip(bars, reentry):
        key = "data_reentry" if is_reentry else "emergency"
        assert to_hex(bar.get_facecolor()) == plot.PHASE_COLORS[key].lower()
    assert "data re-entry" in _legend_labels(ax)
    assert _hours_per_unit(ax) == 1.0  # 48 hours: the axis is in hours
    _save(ax, tmp_path, "factory")


def test_gantt_rto_lines_at_the_rto_of_each_function_down(
        tmp_path: Path, attack_plan: ct.RecoveryPlan) -> None:
    f = attack_plan.functions
    down = f[f["down"].astype(bool) & np.isfinite(f["rto_h"])]
    for time_unit in ("h", "d"):
        ax = plot.gantt(attack_plan, time_unit=time_unit)
        unit = _hours_per_unit(ax)
        assert unit == (1.0 if time_unit == "h" else 24.0)
        lines = _lines(ax, "continuity-rto")
        xs = sorted(_x(line)[0] for line in lines)
        assert all(_x(line)[0] == _x(line)[1] for line in lines)
        np.testing.assert_allclose(xs, sorted(set(down["rto_h"] / unit)), rtol=1e-12)
        for line in lines:
            assert line.get_linestyle() == "--"
        labels = [t for t in _texts(ax) if t.startswith("RTO ")]
        for name, rto in down["rto_h"].items():
            (label,) = [t for t in labels if name in t]
            assert label.startswith(f"RTO {rto:g} h: ")
        # payroll is not stopped: no line at its 72 h RTO
        assert not any("staff payroll" in t for t in labels)
        _save(ax, tmp_path, time_unit)


def test_gantt_time_axis(tmp_path: Path, quake_plan: ct.RecoveryPlan,
                         attack_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(quake_plan)
    assert ax.get_xlabel() == "hours after the incident"
    assert ax.get_xlim()[0] == 0.0 and ax.get_xlim()[1] == pytest.approx(98 * 1.03)
    assert _row_names(ax) == ["hospital building"]
    assert len(_bars(ax, "continuity-bars")) == 5
    _save(ax, tmp_path, "quake")
    ax = plot.gantt(attack_plan, log_time=True)
    assert ax.get_xscale() == "symlog"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:4] == ["0", "1 h", "3 h", "6 h"] and "1 mo" in ticks
    xs = sorted(_x(line)[0] for line in _lines(ax, "continuity-rto"))
    assert xs == [3.0, 6.0]
    _save(ax, tmp_path, "log")
    with pytest.raises(ValueError, match="time_unit"):
        plot.gantt(quake_plan, time_unit="weeks")  # type: ignore[arg-type]


def test_gantt_max_systems(tmp_path: Path, attack_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(attack_plan, max_systems=3)
    first = attack_plan.recovery_order[:3]
    assert _row_names(ax) == first
    steps = _expected_steps(attack_plan)
    assert len(_bars(ax, "continuity-bars")) == int(steps["system"].isin(first).sum())
    assert ax.get_title().endswith("(first 3 of 12 systems)")
    _save(ax, tmp_path)
    with pytest.raises(ValueError, match="max_systems"):
        plot.gantt(attack_plan, max_systems=0)


def test_gantt_of_a_plan_without_damage(tmp_path: Path, quiet_plan: ct.RecoveryPlan) -> None:
    ax = plot.gantt(quiet_plan)
    assert "no system is damaged: nothing to recover" in _texts(ax)
    assert not ax.patches and not _lines(ax, "continuity-rto")
    _save(ax, tmp_path)


def test_gantt_rejects_what_is_not_a_plan(attack_plan: ct.RecoveryPlan) -> None:
    for bad in (attack_plan.timeline, "plan", None):
        with pytest.raises(TypeError, match="gantt: expected a RecoveryPlan"):
            plot.gantt(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- capacity
def _output_at(frame: pd.DataFrame, t: float) -> float:
    times = frame["time_h"].to_numpy()
    k = int(np.searchsorted(times, t, side="right")) - 1
    return float(frame["output"].to_numpy()[max(k, 0)])


def test_capacity_curves_are_the_function_output(tmp_path: Path,
                                                 attack_plan: ct.RecoveryPlan) -> None:
    f = attack_plan.functions
    down = list(f.index[f["down"].astype(bool)])
    ax = plot.capacity(attack_plan, dodge=False)
    curves = _lines(ax, "continuity-exceedance")
    assert [c.get_label() for c in curves] == down
    unit = _hours_per_unit(ax)
    for curve, name in zip(curves, down):
        out = attack_plan.function_output(name)
        x, y = _x(curve), _y(curve)
        assert curve.get_drawstyle() == "steps-post"
        np.testing.assert_allclose(x[:-1], out["time_h"] / unit, rtol=1e-12)
        np.testing.assert_allclose(y[:-1], 100 * out["output"], rtol=1e-12)
        assert y[-1] == y[-2] and x[-1] == pytest.approx(ax.get_xlim()[1])
        assert y.min() >= 0 and y.max() <= 100
    _save(ax, tmp_path)


def test_capacity_curves_are_dodged_apart(attack_plan: ct.RecoveryPlan) -> None:
    ax = plot.capacity(attack_plan)
    curves = _lines(ax, "continuity-exceedance")
    offsets = []
    for curve in curves:
        out = attack_plan.function_output(str(curve.get_label()))
        shift = _y(curve)[:-1] - 100 * out["output"].to_numpy()
        assert np.ptp(shift) < 1e-9
        offsets.append(shift[0])
    assert len(set(np.round(offsets, 9))) == len(curves)
    assert max(abs(o) for o in offsets) <= 1.5 + 1e-12


def test_capacity_rto_marks(tmp_path: Path, attack_plan: ct.RecoveryPlan) -> None:
    f = attack_plan.functions
    down = f[f["down"].astype(bool) & np.isfinite(f["rto_h"])]
    ax = plot.capacity(attack_plan, time_unit="h", dodge=False)
    xs = sorted(_x(line)[0] for line in _lines(ax, "continuity-rto"))
    np.testing.assert_allclose(xs, sorted(set(down["rto_h"])), rtol=1e-12)
    # a dot on each curve: the output reached by the function's RTO
    curves = {str(c.get_label()): c for c in _lines(ax, "continuity-exceedance")}
    dots = [line for line in ax.get_lines() if line.get_marker() == "o" and line.get_gid() is None
            and len(_x(line)) == 1]
    assert len(dots) == len(down)
    for name, rto in down["rto_h"].items():
        expected = (rto, 100 * _output_at(attack_plan.function_output(str(name)), rto))
        (dot,) = [d for d in dots if d.get_color() == curves[str(name)].get_color()]
        assert (_x(dot)[0], _y(dot)[0]) == pytest.approx(expected)
    assert any("reached by then" in t for t in _legend_labels(ax))
    _save(ax, tmp_path)
    # the same on the default axis, in days
    ax = plot.capacity(attack_plan)
    assert _hours_per_unit(ax) == 24.0
    xs = sorted(_x(line)[0] for line in _lines(ax, "continuity-rto"))
    np.testing.assert_allclose(xs, sorted(set(down["rto_h"] / 24.0)), rtol=1e-12)
    assert [t for t in _texts(ax) if t.startswith("RTO")] == ["RTO 3 h, 6 h"]


def test_capacity_of_chosen_functions(tmp_path: Path, quake_plan: ct.RecoveryPlan) -> None:
    ax = plot.capacity(quake_plan, ["medical billing", "staff payroll"], log_time=True)
    curves = _lines(ax, "continuity-exceedance")
    assert [c.get_label() for c in curves] == ["medical billing", "staff payroll"]
    assert ax.get_xscale() == "symlog"
    # payroll is not stopped: no RTO mark for it
    xs = [_x(line)[0] for line in _lines(ax, "continuity-rto")]
    assert xs == [quake_plan.functions.at["medical billing", "rto_h"]]
    _save(ax, tmp_path)
    with pytest.raises(TypeError, match="not a single string"):
        plot.capacity(quake_plan, "medical billing")
    with pytest.raises(ct.ReferenceError, match="no such function"):
        plot.capacity(quake_plan, ["no such function"])


def test_capacity_edge_cases(tmp_path: Path, quiet_plan: ct.RecoveryPlan,
                             quake_plan: ct.RecoveryPlan) -> None:
    ax = plot.capacity(quiet_plan)
    assert "no business function is down" in _texts(ax)
    assert not _lines(ax, "continuity-exceedance")
    _save(ax, tmp_path, "quiet")
    ax = plot.capacity(quake_plan, [])
    assert not _lines(ax, "continuity-exceedance")
    with pytest.raises(TypeError, match="capacity: expected a RecoveryPlan"):
        plot.capacity(quake_plan.capacity())  # type: ignore[arg-type]


# ----------------------------------------------------------------- tornado
def test_tornado_bars_around_the_base(tmp_path: Path, hospital: ct.Model) -> None:
    frame = hospital.tornado(ATTACK)
    base = hospital.incident_cost(ATTACK).total
    ax = plot.tornado(frame, top=5, currency="JPY")
    rows = frame.sort_values("swing", ascending=False).head(5)
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == list(rows["input"])
    low, high = _bars(ax, "continuity-low"), _bars(ax, "continuity-high")
    assert len(low) == len(high) == 5
    # the default base: an input that does not move the cost shows it
    (base_line,) = _lines(ax, "continuity-base")
    assert _x(base_line)[0] == pytest.approx(base, rel=1e-9)
    for bar, cost in zip(low, rows["low_cost"]):
        assert bar.get_x() == pytest.approx(base, rel=1e-9)
        assert bar.get_x() + bar.get_width() == pytest.approx(cost, rel=1e-9)
    for bar, cost in zip(high, rows["high_cost"]):
        assert bar.get_x() + bar.get_width() == pytest.approx(cost, rel=1e-9)
    # largest swing on top (the y axis runs downwards)
    ys = [b.get_y() for b in low]
    assert ys == sorted(ys) and ax.get_ylim()[0] > ax.get_ylim()[1]
    _save(ax, tmp_path)


def test_tornado_with_a_given_base_and_no_swing_column(tmp_path: Path,
                                                       hospital: ct.Model) -> None:
    frame = hospital.tornado(ATTACK).drop(columns=["swing", "low_input", "high_input"])
    ax = plot.tornado(frame, base=4e8, top=None)
    low = _bars(ax, "continuity-low")
    assert len(low) == len(frame)
    assert all(b.get_x() == 4e8 for b in low)
    assert _x(_lines(ax, "continuity-base")[0])[0] == 4e8
    assert not _texts(ax)  # no input values to write
    _save(ax, tmp_path)


def test_tornado_default_base_without_a_shared_cost() -> None:
    frame = pd.DataFrame({"input": ["a", "b"], "low_cost": [1.0, 10.0],
                          "high_cost": [3.0, 20.0]})
    ax = plot.tornado(frame)
    assert _x(_lines(ax, "continuity-base")[0])[0] == pytest.approx(np.median([2.0, 15.0]))


def test_tornado_edge_cases_and_errors(tmp_path: Path, hospital: ct.Model) -> None:
    ax = plot.tornado(hospital.tornado("earthquake"))
    assert "no uncertain input" in _texts(ax)
    assert not ax.patches
    _save(ax, tmp_path)
    with pytest.raises(TypeError, match="tornado: expected a DataFrame"):
        plot.tornado(hospital.tornado(ATTACK).to_dict())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="high_cost"):
        plot.tornado(pd.DataFrame({"input": ["a"], "low_cost": [1.0]}))
    with pytest.raises(ValueError, match="top"):
        plot.tornado(hospital.tornado(ATTACK), top=0)


# ------------------------------------------------------------- mitigations
def test_mitigation_bars_error_bars_and_rosi(tmp_path: Path,
                                             comparison: ct.MitigationComparison) -> None:
    table = comparison.table.drop(index="none")
    ax = plot.mitigations(comparison, currency="JPY")
    reduction = _bars(ax, "continuity-reduction")
    cost = _bars(ax, "continuity-cost")
    assert len(reduction) == len(cost) == 2
    np.testing.assert_allclose([b.get_width() for b in reduction], table["ale_reduction"],
                               rtol=1e-12)
    np.testing.assert_allclose([b.get_width() for b in cost], table["annual_cost"], rtol=1e-12)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.index)
    # error bars: ±1.96 standard errors around each reduction
    (errorbar,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    segments = errorbar.lines[2][0].get_segments()
    for seg, r, se in zip(segments, table["ale_reduction"], table["ale_reduction_se"]):
        assert seg[0][0] == pytest.approx(r - 1.96 * se, rel=1e-9)
        assert seg[1][0] == pytest.approx(r + 1.96 * se, rel=1e-9)
    rosi = [t for t in _texts(ax) if t.startswith("ROSI")]
    assert rosi == [f"ROSI {100 * v:+.0f}%" for v in table["rosi"]]
    assert _legend_labels(ax) == ["ALE reduction (±1.96 SE)", "annual cost"]
    _save(ax, tmp_path)


def _comparison(measures: dict[str, tuple[float, float, float, float]]
                ) -> ct.MitigationComparison:
    """A comparison built by hand: per measure (cost, reduction, se, rosi)."""
    base = ct.LossStatistics([0.0, 10.0, 20.0])
    rows = [{"measure": "none", "annual_cost": 0.0, "ale": 10.0, "ale_reduction": np.nan,
             "ale_reduction_se": np.nan, "rosi": np.nan, "P99": 20.0, "TVaR99": 20.0}]
    stats = {}
    for name, (c, r, se, rosi) in measures.items():
        stats[name] = ct.LossStatistics([0.0, 10.0 - r, 20.0 - r])
        rows.append({"measure": name, "annual_cost": c, "ale": 10.0 - r, "ale_reduction": r,
                     "ale_reduction_se": se, "rosi": rosi, "P99": 20.0 - r,
                     "TVaR99": 20.0 - r})
    return ct.MitigationComparison(base, stats, pd.DataFrame(rows).set_index("measure"))


def test_mitigations_with_undefined_rosi_and_no_measure(tmp_path: Path) -> None:
    cmp = _comparison({"free": (0.0, 4.0, math.nan, math.nan),
                       "harmful": (2.0, -3.0, 0.5, -2.5)})
    ax = plot.mitigations(cmp)
    assert [t for t in _texts(ax) if t.startswith("ROSI")] == ["ROSI n/a", "ROSI -250%"]
    np.testing.assert_array_equal([b.get_width() for b in _bars(ax, "continuity-reduction")],
                                  [4.0, -3.0])
    _save(ax, tmp_path, "nan")
    ax = plot.mitigations(_comparison({}))
    assert "no measure to compare" in _texts(ax)
    _save(ax, tmp_path, "empty")
    with pytest.raises(TypeError, match="mitigations: expected a MitigationComparison"):
        plot.mitigations(cmp.table)  # type: ignore[arg-type]


def test_mitigation_exceedance_overlays_every_measure(
        tmp_path: Path, comparison: ct.MitigationComparison) -> None:
    ax = plot.mitigation_exceedance(comparison, currency="JPY")
    curves = _lines(ax, "continuity-exceedance")
    assert _legend_labels(ax) == ["no measure", *comparison.measures]
    assert len(curves) == 1 + len(comparison.measures)
    stats = [comparison.baseline, *comparison.measures.values()]
    for curve, s in zip(curves, stats):
        _assert_survival(curve, s.sorted_losses)
    assert len({c.get_color() for c in curves}) == len(curves)
    assert not _lines(ax, "continuity-var")
    _save(ax, tmp_path)
    with pytest.raises(TypeError, match="mitigation_exceedance: expected"):
        plot.mitigation_exceedance(comparison.baseline)  # type: ignore[arg-type]


# ------------------------------------------------ Japanese text and fonts
JA_ATTACK = "本社ネットワークのランサムウェア"


@pytest.fixture(scope="module")
def gym_ja() -> ct.Model:
    return ct.load_model(EXAMPLES / "gym_ja.json")


@pytest.fixture
def fresh_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """No font chosen yet, as in a new session; the choice is undone after."""
    monkeypatch.setattr(plot, "_font_chosen", False)
    monkeypatch.setattr(plot, "_font_family", None)


def _japanese_charts(model: ct.Model) -> list[Axes]:
    plan = model.plan_recovery(JA_ATTACK)
    result = ct.simulate(model, 500, 1)
    return [plot.gantt(plan), plot.gantt(plan, log_time=True), plot.capacity(plan),
            plot.tornado(model.tornado(JA_ATTACK), currency=model.currency),
            plot.exceedance(result), plot.histogram(result)]


def _glyph_warnings(caught: list[Any]) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_japanese_names_are_drawn_without_missing_glyphs(
        tmp_path: Path, gym_ja: ct.Model, fresh_font: None) -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for k, ax in enumerate(_japanese_charts(gym_ja)):
            ax.set_xlim(*ax.get_xlim())  # new ticks after drawing get the font too
            _save(ax, tmp_path, f"chart-{k}")
            ax.get_figure(root=True).savefig(tmp_path / f"chart-{k}.pdf")
            ax.get_figure(root=True).savefig(tmp_path / f"chart-{k}.svg")
    assert _glyph_warnings(caught) == []
    # without the package's font the same charts lack the glyphs: the check can fail
    with plot._chosen_font(None), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _save(plot.gantt(gym_ja.plan_recovery(JA_ATTACK)), tmp_path, "without")
    assert any("missing from font(s) DejaVu Sans" in m for m in _glyph_warnings(caught))


def test_every_character_of_the_charts_is_in_one_of_their_fonts(
        gym_ja: ct.Model, fresh_font: None) -> None:
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties, get_font
    from matplotlib.text import Text

    charts = _japanese_charts(gym_ja)
    cjk = plot.font()
    assert cjk is not None
    charmaps: dict[str, set[int]] = {}

    def covered(family: str) -> set[int]:
        if family not in charmaps:
            path = font_manager.findfont(FontProperties(family=[family]),
                                         fallback_to_default=False)
            charmaps[family] = set(get_font(path).get_charmap())
        return charmaps[family]

    japanese = 0
    for ax in charts:
        ax.get_figure(root=True).canvas.draw()
        for text in ax.findobj(Text):
            assert isinstance(text, Text)
            families = text.get_fontfamily()
            assert families[-1] == cjk, text.get_text()
            for c in text.get_text():
                if c.isspace():
                    continue
                japanese += ord(c) > 0x3000
                assert any(ord(c) in covered(f) for f in families), (c, text.get_text())
    assert japanese > 100  # the names, the title and the money (万) were checked


def test_the_font_is_chosen_automatically_or_by_the_user(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font: None) -> None:
    shipped = plot._shipped_font()
    assert shipped is not None and shipped.name == "ipaexg.ttf"
    # an installed font of the list comes before the shipped one
    monkeypatch.setattr(plot, "CJK_FONTS", ("No Such Font", "DejaVu Sans"))
    assert plot.set_font() == "DejaVu Sans" and plot.font() == "DejaVu Sans"
    # none installed: IPAexGothic from matplotlib-fontja, made known to matplotlib
    monkeypatch.setattr(plot, "CJK_FONTS", ("No Such Font",))
    assert plot.set_font("auto") == "IPAexGothic"
    from matplotlib import font_manager

    assert "IPAexGothic" in {f.name for f in font_manager.fontManager.ttflist}
    # by name (in any case), by file
    assert plot.set_font("ipaexgothic") == "IPAexGothic"
    assert plot.set_font(shipped) == "IPAexGothic"
    assert plot.set_font(str(shipped)) == "IPAexGothic"
    assert plot.set_font("DejaVu Sans") == "DejaVu Sans"
    assert plot.set_font(None) is None and plot.font() is None
    # without matplotlib-fontja and without an installed CJK font: none
    monkeypatch.setattr(plot, "_SHIPPED_FONT", ("no_such_package_of_fonts", "f", "x.ttf"))
    assert plot.set_font("auto") is None


def test_a_font_that_cannot_be_used_is_an_error_naming_it(tmp_path: Path,
                                                          fresh_font: None) -> None:
    with pytest.raises(ct.errors.ValueError_,
                       match="no installed font named 'No Such Font'") as e:
        plot.set_font("No Such Font")
    assert (e.value.object_kind, e.value.object_name, e.value.field) == \
        ("chart font", "No Such Font", "font")
    with pytest.raises(ct.errors.ValueError_, match="no font file '.*missing.ttf'"):
        plot.set_font(tmp_path / "missing.ttf")
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(ct.errors.ValueError_, match="cannot read the font file"):
        plot.set_font(bad)
    with pytest.raises(TypeError, match="font must be a font name, a path or None"):
        plot.set_font(3)  # type: ignore[arg-type]
    assert plot._font_chosen is False  # a failed choice changes nothing


def test_charts_leave_matplotlibs_settings_alone(tmp_path: Path) -> None:
    code = f"""
import sys, matplotlib
matplotlib.use("Agg")
before = dict(matplotlib.rcParams)
import continuity as ct
from continuity import plot
model = ct.load_model({str(EXAMPLES / "gym_ja.json")!r})
plot.gantt(model.plan_recovery({JA_ATTACK!r})).figure.savefig({str(tmp_path / "g.png")!r})
changed = [k for k, v in matplotlib.rcParams.items() if before[k] != v]
print(changed, "matplotlib_fontja" in sys.modules, plot.font())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split(" ", 2)[:2] == ["[]", "False"]
    assert out.stderr == ""


def test_money_axes_are_in_the_currency_of_the_losses(result: ct.SimulationResult,
                                                      comparison: ct.MitigationComparison
                                                      ) -> None:
    ax = plot.exceedance(result)
    assert ax.get_xlabel() == "annual loss (JPY)"
    tick = ax.xaxis.get_major_formatter()
    assert [tick(x, 0) for x in (0.0, 2.5e7, 1e8, 1.5e8)] == ["¥0", "¥2,500万", "¥1億",
                                                              "¥1.5億"]
    assert all("¥" in t for t in _texts(ax) if t.startswith("VaR"))
    ax = plot.histogram(result)
    assert ax.get_xlabel() == "annual loss (JPY)"
    assert any(label.startswith("mean (ALE) ¥") for label in _legend_labels(ax))
    assert plot.mitigations(comparison).get_xlabel() == "per year (JPY)"
    assert plot.mitigation_exceedance(comparison).get_xlabel() == "annual loss (JPY)"
    # losses of unknown currency: no symbol, M / bn
    ax = plot.exceedance(np.array(result.annual_loss))
    assert ax.get_xlabel() == "annual loss"
    assert ax.xaxis.get_major_formatter()(3e6, 0) == "3M"
    assert plot.histogram(result, currency="USD").xaxis.get_major_formatter()(3e6, 0) == "$3M"
