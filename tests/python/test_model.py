"""Models from Python objects, JSON and YAML; errors arrive as the library's
exception classes with the same messages; the analyses as DataFrames."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import continuity as ct
from continuity import errors


def small_spec() -> dict[str, Any]:
    return {
        "name": "Shop",
        "functions": [
            {"name": "sales", "importance": 3, "system_dependency": 3, "revenue_per_day": 240000,
             "margin": 0.5, "needs": ["till"]},
            {"name": "bookkeeping", "importance": 1, "system_dependency": 1, "needs": ["ledger"]},
        ],
        "systems": [
            {"name": "server", "layer": "hardware"},
            {"name": "till", "depends_on": ["server"]},
            {"name": "ledger", "depends_on": [{"any_of": ["server", "laptop"]}]},
            {"name": "laptop", "layer": "hardware"},
        ],
        "scenarios": [{"name": "disk failure", "kind": "it_failure", "damage": [{"systems": ["server"]}]}],
    }


def test_from_dict_round_trips_through_to_dict() -> None:
    m = ct.Model.from_dict(small_spec())
    assert m.name == "Shop"
    assert m.functions == ["sales", "bookkeeping"]
    assert m.systems == ["server", "till", "ledger", "laptop"]
    again = ct.Model.from_dict(m.to_dict())
    assert again.to_dict() == m.to_dict()


def test_a_dict_reads_as_its_json_text_reads(examples: Path) -> None:
    # from_dict builds the JSON document from the Python objects directly
    # (so that Ctrl-C can stop it); it must read what the dict's JSON text
    # reads: the examples, and NumPy scalars and tuples, which json.dumps
    # writes as numbers and arrays.
    for path in sorted(examples.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        assert (ct.Model.from_dict(spec).to_dict()
                == ct.Model.from_json_text(json.dumps(spec)).to_dict())
    spec = small_spec()
    spec["functions"][0]["revenue_per_day"] = np.int64(240000)
    spec["functions"][0]["margin"] = np.float32(0.5)
    spec["functions"][1]["emergency"] = np.bool_(True)
    spec["systems"][1]["depends_on"] = ("server",)
    spec["resources"] = [{"name": "IT", "capacity": 2**40}]
    plain = small_spec()
    plain["functions"][0]["margin"] = float(np.float32(0.5))
    plain["functions"][1]["emergency"] = True
    plain["resources"] = [{"name": "IT", "capacity": 2**40}]
    with pytest.raises(errors.ValueError_, match="capacity"):
        ct.Model.from_dict(spec)  # a capacity beyond 10^6: the same error either way
    spec["resources"] = plain["resources"] = [{"name": "IT", "capacity": 2}]
    assert ct.Model.from_dict(spec).to_dict() == ct.Model.from_dict(plain).to_dict()
    # Where a dict is not plain JSON data, its JSON text says what is wrong.
    spec = small_spec()
    spec[1] = "x"  # type: ignore[index]
    with pytest.raises(errors.ValueError_, match="'Shop': 1: unknown field"):
        ct.Model.from_dict(spec)
    for field, bad, error, problem in (
            ("margin", float("nan"), errors.ParseError, "not a finite number"),
            ("revenue_per_day", 2**70, errors.ValueError_, "revenue_per_day: must be at most"),
            ("name", "\ud800", errors.ParseError, "surrogate")):
        spec = small_spec()
        spec["functions"][0][field] = bad
        with pytest.raises(error, match=problem):
            ct.Model.from_dict(spec)


def test_the_three_examples_load_from_json_and_yaml(examples: Path, tmp_path: Path) -> None:
    import yaml

    for name in ("manufacturer_a", "retailer_b", "hospital"):
        from_json = ct.load_model(examples / f"{name}.json")
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(json.loads((examples / f"{name}.json").read_text())))
        from_yaml = ct.load_model(path)
        assert from_yaml.to_dict() == from_json.to_dict()


def test_models_pickle(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    assert pickle.loads(pickle.dumps(m)).to_dict() == m.to_dict()


def test_priority_table_follows_the_three_level_matrix() -> None:
    # three-level matrix (docs/domain.md §3): importance 3 x dependency 3 is S,
    # 1 x 1 is D; preset example-1 gives S an RTO of 0 h and D none.
    t = ct.Model.from_dict(small_spec()).priority_table()
    assert t.loc["sales", "priority_class"] == "S"
    assert t.loc["bookkeeping", "priority_class"] == "D"
    assert t.loc["sales", "rto_h"] == 0.0
    assert np.isinf(t.loc["bookkeeping", "rto_h"])


def test_objectives_are_inherited_through_dependencies() -> None:
    o = ct.Model.from_dict(small_spec()).system_objectives()
    assert o.loc["server", "rto_set_by"] == "sales"  # via till
    assert o.loc["server", "priority_class"] == "S"
    assert o.loc["laptop", "priority_class"] == "D"  # only bookkeeping needs it


def test_impact_and_single_points_of_failure() -> None:
    m = ct.Model.from_dict(small_spec())
    systems, functions = m.impact("disk failure")
    assert set(systems.index) == {"server", "till"}  # the ledger has the laptop
    assert bool(systems.loc["server", "damaged_directly"])
    assert systems.loc["till", "cause"] == "server"
    assert list(functions.index) == ["sales"]
    assert functions.loc["sales", "chain"] == "till <- server"
    spof = m.single_points_of_failure()
    # the ledger alone stops bookkeeping; the laptop has the server as alternative
    assert set(spof.index) == {"server", "till", "ledger"}
    assert spof.loc["server", "functions"] == ["sales"]
    assert spof.loc["server", "profit_per_hour"] == pytest.approx(240000 * 0.5 / 24)


@pytest.mark.parametrize(
    ("change", "cls", "kind", "name", "field", "text"),
    [
        (lambda s: s["functions"][0]["needs"].append("nowhere"), errors.ReferenceError,
         "business function", "sales", "needs[0]", "unknown system 'nowhere'"),
        (lambda s: s["systems"].append({"name": "till"}), errors.DuplicateError,
         "system", "till", "name", "till"),
        (lambda s: s["functions"][0].update(margin=1.5), errors.ValueError_,
         "business function", "sales", "margin", "1.5"),
        (lambda s: s["systems"][0].update(layer="cloud"), errors.ValueError_,
         "system", "server", "layer", "cloud"),
    ],
)
def test_validation_errors_name_object_and_field(change: Any, cls: type, kind: str, name: str,
                                                 field: str, text: str) -> None:
    spec = small_spec()
    change(spec)
    with pytest.raises(cls) as info:
        ct.Model.from_dict(spec)
    e = info.value
    assert isinstance(e, errors.ValidationError) and isinstance(e, ValueError)
    assert (e.object_kind, e.object_name, e.field) == (kind, name, field)
    assert text in str(e)
    assert str(e).startswith(f"{kind} '{name}': {field}: ")


def test_cycle_error_lists_the_cycle() -> None:
    spec = small_spec()
    spec["systems"][0]["depends_on"] = ["till"]
    with pytest.raises(errors.CycleError) as info:
        ct.Model.from_dict(spec)
    assert sorted(info.value.systems) == ["server", "till"]
    assert "dependency cycle" in str(info.value)


def test_parse_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "name": "x",\n  "functions": [,]\n}\n')
    with pytest.raises(errors.ParseError) as info:
        ct.load_model(bad)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{bad}:3: invalid JSON")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: x\nfunctions: [\n  - a: b: c\n")
    with pytest.raises(errors.ParseError) as yinfo:
        ct.load_model(bad_yaml)
    assert str(bad_yaml) in str(yinfo.value) and yinfo.value.line > 0


def test_missing_file_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(errors.IOError_) as info:
        ct.load_model(tmp_path / "nowhere.json")
    assert isinstance(info.value, OSError)
    assert "nowhere.json" in str(info.value)


def test_python_values_that_are_not_json_are_rejected() -> None:
    spec = small_spec()
    spec["functions"][0]["revenue_per_day"] = float("nan")
    with pytest.raises(errors.ParseError, match="not representable"):
        ct.Model.from_dict(spec)


def test_unknown_scenario_is_a_reference_error() -> None:
    m = ct.Model.from_dict(small_spec())
    with pytest.raises(errors.ReferenceError, match="unknown incident scenario 'flood'"):
        m.plan_recovery("flood")
    with pytest.raises(errors.ReferenceError):
        m.incident_cost("flood")


def test_an_unknown_scenario_error_lists_the_models_scenarios(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    listed = ("(scenarios of model 'Town hospital': 'ransomware through the VPN', "
              "'earthquake')")
    calls = [lambda: m.plan_recovery("flood"), lambda: m.incident_cost("flood"),
             lambda: m.data_loss("flood"), lambda: m.impact("flood"),
             lambda: m.tornado("flood"), lambda: m.rank_correlations("flood", 10, seed=1),
             lambda: ct.simulate(m, 10, 1, scenarios=["flood"]),
             lambda: ct.compare_mitigations(m, [], 10, 1, scenarios=["flood"]),
             lambda: ct.compare_ransom_policies(m, 10, 1, scenarios=["flood"])]
    for call in calls:
        with pytest.raises(errors.ReferenceError) as e:
            call()
        assert "unknown incident scenario 'flood'" in str(e.value)
        assert str(e.value).endswith(listed)
        assert e.value.field in ("scenario", "scenarios[0]")
    # other unknown names are left as they are
    with pytest.raises(errors.ReferenceError) as e:
        m.plan_recovery("earthquake").function_output("x")
    assert "scenarios of model" not in str(e.value)


def test_changed_leaves_the_original_alone() -> None:
    m = ct.Model.from_dict(small_spec())
    n = m.changed(lambda s: s["systems"].append({"name": "spare till"}))
    assert "spare till" in n.systems and "spare till" not in m.systems


def test_data_loss_and_backup_rule(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    loss = m.data_loss("ransomware through the VPN")
    assert len(loss) > 0
    rule = m.backup_rule_3_2_1()
    # The rule is met exactly when all three parts hold.
    expected = (rule["copies"] >= 3) & (rule["media"] >= 2) & rule["offline_offsite"]
    assert (rule["satisfied"] == expected).all()
