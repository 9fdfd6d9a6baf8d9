"""The police survey presets through Python: a top-down ransomware scenario
whose loss per event follows the published shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

import continuity as ct


def test_a_top_down_scenario_with_the_police_cost_preset() -> None:
    # The published bins (yen) and shares, second half of 2022, with the
    # preset's floor and cap; the mean of a log-uniform bin is (b - a) / ln(b / a).
    edges = [1e5, 1e6, 5e6, 1e7, 5e7, 5e8]
    shares = [0.24, 0.16, 0.14, 0.33, 0.13]
    mean = sum(w * (b - a) / math.log(b / a) for w, a, b in zip(shares, edges, edges[1:]))
    # One attack a year exactly: each year's loss is one draw of the preset.
    attack = ct.TopDownScenario("ransomware (police survey)", frequency=1,
                                loss_per_event={"histogram": "npa_ransomware_cost_2022h2"})
    r = ct.simulate_portfolio([attack], 100_000, seed=3)
    loss = r.annual_loss
    assert abs(loss.mean() - mean) <= 4 * loss.std(ddof=1) / math.sqrt(loss.size)
    for bound, cumulative in zip(edges[1:-1], np.cumsum(shares)):
        share = float((loss <= bound).mean())
        assert abs(share - cumulative) <= 4 * math.sqrt(cumulative * (1 - cumulative) / loss.size)


def test_an_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(ct.Error, match="npa_ransomware_recovery_2025h1"):
        ct.TopDownScenario("x", frequency=1, loss_per_event={"histogram": "police"})
