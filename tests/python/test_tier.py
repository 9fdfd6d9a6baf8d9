"""The 松竹梅 tier and the head count from Python and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import continuity as ct


def test_the_gym_is_bamboo_and_lists_its_measures(examples: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from continuity.cli import main

    m = ct.load_model(examples / "gym_ja.json")  # written "竹"
    assert m.tier == "bamboo"
    assert any("file server" in x for x in m.recommended_measures)
    assert main([str(examples / "gym.json"), "-d", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tier"] == "bamboo"
    assert doc["recommended_measures"] == m.recommended_measures
    assert main([str(examples / "gym.json"), "-d"]) == 0
    assert "Measures recommended for the tier 'bamboo'" in capsys.readouterr().out


def test_a_model_without_a_tier_recommends_nothing(examples: Path) -> None:
    m = ct.load_model(examples / "retailer_b.json")
    assert m.tier is None and m.recommended_measures == []


def test_the_head_count_sizes_the_it_pool() -> None:
    spec = {"name": "firm", "employees": 800, "tier": "pine",
            "functions": [{"name": "orders", "importance": 3, "needs": ["erp"]}],
            "systems": [{"name": "erp"}]}
    m = ct.Model.from_dict(spec)
    assert m.resources == ["IT staff"]  # of 10 people (docs/domain.md §9; tested in C++)
    assert ct.Model.from_dict(m.to_dict()).to_dict()["employees"] == 800
    # Pine: the function depends on its systems at the highest level (3 of 3).
    assert m.priority_table().loc["orders", "system_dependency"] == 3
    with pytest.raises(ct.ValidationError, match="employees"):
        ct.Model.from_dict({**spec, "employees": -1})
    with pytest.raises(ct.Error, match="tier"):
        ct.Model.from_dict({**spec, "tier": "oak"})
