"""Tests of mitigation files (continuity.measures, docs/mitigation-format.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import continuity as ct
from continuity import errors
from continuity.measures import load_mitigations, mitigations_from

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSPITAL = EXAMPLES / "hospital.json"
ATTACK = "ransomware through the VPN"


@pytest.fixture(scope="module")
def hospital() -> ct.Model:
    return ct.load_model(HOSPITAL)


def changed(model: ct.Model, changes: list[dict[str, Any]], **measure: Any) -> dict[str, Any]:
    """The model's specification changed by one measure with ``changes``."""
    (m,) = mitigations_from([{"name": "m", "annual_cost": 1, "changes": changes, **measure}],
                            "test", model)
    spec = model.to_dict()
    m.apply(spec)
    return spec


def system(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in spec["systems"] if s["name"] == name)


# ------------------------------------------------------ the example files
def _zoning(spec: dict[str, Any]) -> None:
    zones = {"VPN device": "vendor DMZ", "client PCs": "clinical LAN",
             "medical devices": "device zone"}
    for s in spec["systems"]:
        if s.get("segment") == "hospital LAN":
            s["segment"] = zones.get(s["name"], "server zone")
    for sc in spec["scenarios"]:
        if sc.get("spread"):
            sc["spread"]["connections"] = [
                {"from": "vendor DMZ", "to": "server zone", "probability": 0.3},
                {"from": "vendor DMZ", "to": "clinical LAN", "probability": 0.1},
                {"from": "server zone", "to": "clinical LAN", "probability": 0.4},
                {"from": "clinical LAN", "to": "device zone", "probability": 0.2}]


def _offline(spec: dict[str, Any]) -> None:
    for s in spec["systems"]:
        if s["layer"] == "software":
            s["backups"].append({"interval": 24, "generations": 14, "medium": "LTO tape",
                                 "mode": "offline", "offsite": True, "restore_time": 12})


def test_the_hospital_file_prices_what_the_demos_functions_price(hospital: ct.Model) -> None:
    """The measures of examples/mitigations/hospital.yaml, written as the
    demo writes them in code, give the same comparison to the last bit."""
    from_file = load_mitigations(EXAMPLES / "mitigations" / "hospital.yaml", hospital)
    order = hospital.plan_recovery(ATTACK, improve=True, seed=1).recovery_order

    def prepared(spec: dict[str, Any]) -> None:
        spec["recovery_order"] = order

    def control(spec: dict[str, Any]) -> None:
        for sc in spec["scenarios"]:
            if sc["name"] == ATTACK:
                sc["annual_frequency"] = 0.02

    def both(spec: dict[str, Any]) -> None:
        _zoning(spec)
        _offline(spec)

    in_code = [
        ct.Mitigation("zoning (DMZ for the VPN, server, clinical and device zones)",
                      15_000_000, _zoning),
        ct.Mitigation("offline off-site backup (daily, 14 generations)", 3_000_000, _offline),
        ct.Mitigation("both", 18_000_000, both),
        ct.Mitigation("prepared recovery order (rehearsed yearly)", 500_000, prepared),
        ct.Mitigation("VPN patching, MFA, vendor access on request (control)", 2_400_000,
                      control, subsidy_rate=0.5, subsidy_cap=1_000_000),
    ]
    for a, b in zip(from_file, in_code):
        assert (a.name, a.annual_cost, a.subsidy_rate, a.subsidy_cap) == \
            (b.name, b.annual_cost, b.subsidy_rate, b.subsidy_cap)
        assert a.description  # each says what it is
        assert hospital.changed(a.apply).to_dict() == hospital.changed(b.apply).to_dict()
    x = ct.compare_mitigations(hospital, from_file, 2000, seed=3)
    y = ct.compare_mitigations(hospital, in_code, 2000, seed=3)
    pd.testing.assert_frame_equal(pd.DataFrame(x.table), pd.DataFrame(y.table))
    # the zoning and the control pay; a rehearsed order buys something too
    table = x.table
    assert table.loc["VPN patching, MFA, vendor access on request (control)", "net_cost"] \
        == 1_400_000
    assert table.loc["prepared recovery order (rehearsed yearly)", "ale_reduction"] > 0


def test_the_japanese_gym_file(capsys: pytest.CaptureFixture[str]) -> None:
    model = ct.load_model(EXAMPLES / "gym_ja.json")
    offline, control = load_mitigations(EXAMPLES / "mitigations" / "gym_ja.yaml", model)
    spec = model.changed(offline.apply).to_dict()
    assert system(spec, "会員データベース")["backups"][-1]["medium"] == "USBディスク"
    assert model.changed(control.apply).to_dict()["scenarios"][0]["annual_frequency"] == \
        pytest.approx(0.05 * 0.3, rel=1e-15)
    assert (control.subsidy_rate, control.subsidy_cap) == (0.5, 150_000)


# ----------------------------------------------------------------- actions
def test_set_scale_add_and_remove(hospital: ct.Model) -> None:
    before = hospital.to_dict()
    spec = changed(hospital, [
        {"in": "systems", "where": {"name": "VPN device"}, "set": {"segment": "DMZ"}},
        {"in": "scenarios", "scale": {"annual_frequency": 0.5, "detection_time": 2}},
        {"in": "systems", "where": {"name": "EMR database"},
         "add": {"backups": [{"interval": "1d", "mode": "offline", "restore_time": "6h"},
                             {"interval": "1w", "mode": "immutable"}]}},
        {"in": "systems.depends_on", "where": {"all_of": {"contains": "EMR database"}},
         "remove": {"all_of": "EMR database"}},
        {"in": "functions", "where": {"name": "emergency admission"},
         "set": {"manual_workaround.capacity": 0.8}},
    ])
    assert system(spec, "VPN device")["segment"] == "DMZ"
    for a, b in zip(spec["scenarios"], before["scenarios"]):
        assert a["annual_frequency"] == b["annual_frequency"] * 0.5
        assert a["detection_time"] == b["detection_time"] * 2  # hours
    assert len(system(spec, "EMR database")["backups"]) == \
        len(system(before, "EMR database")["backups"]) + 2
    # requirements as the model holds them: {"all_of": [...]}
    assert system(spec, "electronic medical records")["depends_on"] == \
        [{"all_of": ["domain controller"]}]
    assert system(before, "electronic medical records")["depends_on"] == \
        [{"all_of": ["EMR database", "domain controller"]}]
    workaround = next(f for f in spec["functions"] if f["name"] == "emergency admission")
    assert workaround["manual_workaround"] == {**before["functions"][0]["manual_workaround"],
                                               "capacity": 0.8}


def test_changes_of_the_model_itself_and_of_inner_lists(hospital: ct.Model) -> None:
    spec = changed(hospital, [
        {"set": {"recovery_order": ["DNS", "domain controller"]}},
        {"add": {"resources": {"name": "contractor", "capacity": 2}}},
        {"in": "scenarios.costs", "where": {"name": "patient notification and press"},
         "scale": {"amount": 2}},
        {"in": "systems.backups", "where": {"mode": "online"}, "set": {"offsite": True}},
    ])
    assert spec["recovery_order"] == ["DNS", "domain controller"]
    assert spec["resources"][-1]["name"] == "contractor"
    before = hospital.to_dict()
    for sc, old in zip(spec["scenarios"], before["scenarios"]):
        for line, was in zip(sc["costs"], old["costs"]):
            if line["name"] == "patient notification and press":
                assert line["amount"] == 2 * was["amount"] == 10_000_000
            else:
                assert line == was
    backups = [b for s in spec["systems"] for b in s["backups"]]
    assert backups and all(b["offsite"] for b in backups if b["mode"] == "online")


def test_scaling_an_uncertain_amount_is_an_error(hospital: ct.Model) -> None:
    # the hospital's attack has a fixed line and uncertain ones
    with pytest.raises(errors.ValueError_, match=r"changes\[0\]\.scale\.amount: scales a "
                                                 r"number, and 'amount' of .* holds \{'pert'"):
        changed(hospital, [{"in": "scenarios.costs", "scale": {"amount": 2}}])


def test_conditions(hospital: ct.Model) -> None:
    def chosen(where: dict[str, Any]) -> list[str]:
        spec = changed(hospital, [{"in": "systems", "where": where,
                                   "set": {"description": "chosen"}}])
        return [s["name"] for s in spec["systems"] if s.get("description") == "chosen"]

    assert chosen({"name": "DNS"}) == ["DNS"]
    assert chosen({"name": ["DNS", "PACS", "no such system"]}) == ["DNS", "PACS"]
    assert chosen({"transactions_per_hour": {">": 30}}) == ["EMR database",
                                                            "medical accounting"]
    assert chosen({"transactions_per_hour": {">=": 30}, "layer": "software"}) == \
        ["EMR database", "medical accounting", "laboratory system"]
    assert chosen({"depends_on": {"contains": {"all_of": ["virtualisation cluster"]}}}) == \
        ["virtualisation manager", "EMR database", "PACS", "laboratory system"]
    # a field the system lacks (no segment): only != holds
    no_segment = chosen({"segment": {"!=": "hospital LAN"}})
    assert "hospital building" in no_segment and "DNS" not in no_segment
    assert chosen({"transactions_per_hour": 60}) == ["EMR database"]  # 60 == 60.0


def test_combines_makes_the_earlier_changes_first_and_adds_their_costs(
        hospital: ct.Model) -> None:
    a = {"name": "a", "annual_cost": 2, "changes": [{"in": "resources", "where":
                                                     {"name": "IT staff"},
                                                     "set": {"capacity": 3}}]}
    b = {"name": "b", "annual_cost": 5, "subsidy": {"rate": 0.5},
         "changes": [{"in": "resources", "where": {"name": "IT staff"},
                      "scale": {"capacity": 2}}]}
    both = {"name": "both", "combines": ["a", "b"]}
    priced = {"name": "priced", "combines": ["a"], "annual_cost": 1,
              "changes": [{"set": {"recovery_order": ["DNS"]}}]}
    ms = mitigations_from({"measures": [a, b, both, priced]}, "test", hospital)
    assert [(m.name, m.annual_cost, m.subsidy_rate) for m in ms] == \
        [("a", 2, 0), ("b", 5, 0.5), ("both", 7, 0), ("priced", 1, 0)]
    spec = hospital.changed(ms[2].apply).to_dict()
    assert next(r for r in spec["resources"] if r["name"] == "IT staff")["capacity"] == 6
    spec = hospital.changed(ms[3].apply).to_dict()
    assert spec["recovery_order"] == ["DNS"]
    assert next(r for r in spec["resources"] if r["name"] == "IT staff")["capacity"] == 3


def test_json_and_a_bare_list(tmp_path: Path, hospital: ct.Model) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps([{"name": "rarer", "annual_cost": 10,
                                 "subsidy": {"rate": 1, "cap": 4},
                                 "changes": [{"in": "scenarios",
                                              "scale": {"annual_frequency": 0.1}}]}]))
    (m,) = load_mitigations(path, hospital)
    assert (m.name, m.annual_cost, m.subsidy_rate, m.subsidy_cap, m.description) == \
        ("rarer", 10, 1, 4, "")
    result = ct.compare_mitigations(hospital, [m], 300, seed=2).table
    assert result.loc["rarer", "subsidy"] == 4 and result.loc["rarer", "net_cost"] == 6
    assert math.isfinite(result.loc["rarer", "rosi"])


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("measures,message", [
    ({"measures": [], "format": "continuity-mitigations/2"},
     "test: format: must be 'continuity-mitigations/1', got 'continuity-mitigations/2'"),
    ({"measure": []}, "test: measure: unknown field (did you mean 'measures'?)"),
    ("offline", "test: a mitigation file holds a list of measures"),
    ([{"annual_cost": 1, "changes": []}],
     "test: mitigation '#1': name: every measure needs a name"),
    ([{"name": "x", "changes": [{"set": {"rto": 1}}]}],
     "test: mitigation 'x': annual_cost: every measure needs its annual cost"),
    ([{"name": "x", "annual_cost": -1, "changes": [{"set": {"rto": 1}}]}],
     "test: mitigation 'x': annual_cost: must be at least 0, got -1"),
    ([{"name": "x", "anual_cost": 1}],
     "test: mitigation 'x': anual_cost: unknown field (did you mean 'annual_cost'?)"),
    ([{"name": "x", "annual_cost": 1, "changes": []}],
     "test: mitigation 'x': changes: a measure must change the model"),
    ([{"name": "x", "annual_cost": 1, "subsidy": {"rate": 1.5},
       "changes": [{"set": {"a": 1}}]}],
     "test: mitigation 'x': subsidy.rate: must be from 0 to 1, got 1.5"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"in": "system", "set": {"a": 1}}]}],
     "test: mitigation 'x': changes[0].in: unknown list 'system' (did you mean 'systems'?)"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"in": "systems"}]}],
     "test: mitigation 'x': changes[0]: says nothing to do: give set, scale, add or remove"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"in": "systems", "where": {"a": {"~": 1}},
                                                   "set": {"b": 1}}]}],
     "test: mitigation 'x': changes[0].where.a: unknown comparison '~'"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"in": "systems", "where": {"a": {">": "1"}},
                                                   "set": {"b": 1}}]}],
     "test: mitigation 'x': changes[0].where.a.>: compares with a number, got '1'"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"where": {"a": 1}, "set": {"b": 1}}]}],
     "test: mitigation 'x': changes[0].where: selects objects of a list: give 'in' too"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"in": "systems", "set": {"name": "y"}}]}],
     "test: mitigation 'x': changes[0]: renames or unnames objects"),
    ([{"name": "x", "annual_cost": 1, "changes": [{"set": {"a": 1}}]},
      {"name": "x", "annual_cost": 1, "changes": [{"set": {"a": 1}}]}],
     "test: mitigation 'x': name: two measures share this name"),
    ([{"name": "x", "combines": ["y"]}],
     "test: mitigation 'x': combines: no measure 'y' before this one (measures before it: "
     "none)"),
])
def test_a_bad_file_is_an_error_naming_the_measure_and_field(measures: Any,
                                                             message: str) -> None:
    with pytest.raises(errors.ValueError_) as e:
        mitigations_from(measures, "test")
    assert str(e.value).startswith(message), str(e.value)
    assert e.value.object_kind == "mitigation"


def test_a_change_that_selects_nothing_or_breaks_the_model_is_found_when_read(
        hospital: ct.Model) -> None:
    typo = [{"name": "zoning", "annual_cost": 1,
             "changes": [{"in": "systems", "where": {"segment": "hospital lan"},
                          "set": {"segment": "servers"}}]}]
    with pytest.raises(errors.ValueError_) as e:
        mitigations_from(typo, "m.yaml", hospital)
    assert str(e.value) == ("m.yaml: mitigation 'zoning': changes[0].where: selects nothing: "
                            "the model has no systems where segment = 'hospital lan'")
    assert (e.value.object_name, e.value.field) == ("zoning", "changes[0].where")
    # without the model, the same is found when the measure is applied
    (m,) = mitigations_from(typo, "m.yaml")
    with pytest.raises(errors.ValueError_, match="selects nothing"):
        ct.compare_mitigations(hospital, [m], 10, seed=1)

    invalid = [{"name": "bad backup", "annual_cost": 1,
                "changes": [{"in": "systems", "where": {"name": "DNS"},
                             "add": {"backups": {"interval": "1d", "mode": "sideways"}}}]}]
    with pytest.raises(errors.ValueError_) as e:
        mitigations_from(invalid, "m.yaml", hospital)
    text = str(e.value)
    assert text.startswith("m.yaml: mitigation 'bad backup': changes: the changed model is "
                           "invalid: ")
    assert "DNS" in text and "sideways" in text
    with pytest.raises(errors.ValueError_, match="takes items out of a list, and 'layer'"):
        changed(hospital, [{"in": "systems", "remove": {"layer": "software"}}])
    with pytest.raises(errors.ValueError_, match="requirement has no 'PACS' in 'all_of' to "
                                                 "take out"):
        changed(hospital, [{"in": "systems.depends_on", "remove": {"all_of": "PACS"}}])


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(errors.IOError_, match="is a folder, not a mitigation file"):
        load_mitigations(tmp_path)
    with pytest.raises(errors.IOError_, match="cannot open mitigation file"):
        load_mitigations(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text('{"measures": [\n  {"name": "x",}\n]}')
    with pytest.raises(errors.ParseError, match="invalid JSON at line 2"):
        load_mitigations(bad)
    twice = tmp_path / "twice.yaml"
    twice.write_text("measures: []\nmeasures: []\n")
    with pytest.raises(errors.ParseError, match="twice.yaml:2"):
        load_mitigations(twice)
