"""The synthetic inventory generator from Python: seeded, valid, layered,
and its name-free graph is the model's graph."""

from __future__ import annotations

import numpy as np
import pytest

import continuity as ct
from continuity import synthetic

LAYERS = ["building", "infrastructure", "hardware", "software", "people"]


def test_same_seed_same_inventory_different_seed_different() -> None:
    a = synthetic.generate_inventory(1500, 40, seed=5).to_dict()
    assert synthetic.generate_inventory(1500, 40, seed=5).to_dict() == a
    assert synthetic.generate_inventory(1500, 40, seed=6).to_dict() != a


def test_counts_and_layering() -> None:
    m = synthetic.generate_inventory(3000, 60, seed=2)
    assert len(m.systems) == 3000 and len(m.functions) == 60
    spec = m.to_dict()
    layer = {s["name"]: LAYERS.index(s["layer"]) for s in spec["systems"]}
    for s in spec["systems"]:
        for req in s["depends_on"]:
            members = req.get("all_of") or req.get("any_of") or req.get("systems") or []
            for other in members:
                # every dependency goes down the layers, or to a shared platform
                assert layer[other] < layer[s["name"]] or other.startswith("platform:"), \
                    (s["name"], other)


def test_graph_is_the_models_graph() -> None:
    m = synthetic.generate_inventory(2000, 30, seed=9)
    g = synthetic.generate_graph(2000, 30, seed=9)
    assert (g["system_count"], g["function_count"]) == (2000, 30)
    owner, member = synthetic.dependency_edges(g)
    spec = m.to_dict()
    index = {s["name"]: i for i, s in enumerate(spec["systems"])}
    expected = []
    for i, node in enumerate(spec["systems"] + spec["functions"]):
        for req in node.get("depends_on", node.get("needs", [])):
            for other in req.get("all_of") or req.get("any_of") or req.get("systems") or []:
                expected.append((i, index[other]))
    got = list(zip(owner.tolist(), member.tolist()))
    assert sorted(got) == sorted(expected)
    assert np.array_equal(g["layer"], [LAYERS.index(s["layer"]) for s in spec["systems"]])


def test_generated_models_plan_and_simulate() -> None:
    m = synthetic.generate_inventory(1000, 20, seed=4)
    plan = m.plan_recovery(m.scenarios[0])
    assert plan.makespan_h > 0
    r = ct.simulate(m, 50, 1)
    assert np.isfinite(r.annual_loss).all()


def test_bad_options_name_the_field() -> None:
    with pytest.raises(ct.errors.ValueError_, match="systems: must be between"):
        synthetic.generate_inventory(10)
    with pytest.raises(ct.errors.ValueError_, match="colour: unknown option"):
        synthetic.generate_inventory(1000, colour="red")
    with pytest.raises(ct.errors.ValueError_, match="any_of_share"):
        synthetic.generate_inventory(1000, any_of_share=1.5)
