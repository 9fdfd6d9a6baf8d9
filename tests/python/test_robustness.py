"""Bad inputs get clear errors of the library, never a traceback of
something else: files in other encodings than UTF-8, hostile or odd YAML,
Python arguments out of range, and the command line's failure modes
(huge counts, out of memory, a closed stdout, an inventory without its
companion, a folder that is not an inventory)."""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import continuity as ct
from continuity import cli, errors
from continuity.spreadsheet import load_companion, write_inventory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSPITAL = EXAMPLES / "hospital.json"
RETAILER_B = EXAMPLES / "retailer_b.json"
INVENTORY = EXAMPLES / "inventory"
ATTACK = "ransomware through the VPN"


@pytest.fixture(scope="module")
def hospital() -> ct.Model:
    return ct.load_model(HOSPITAL)


def retailer_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(RETAILER_B.read_text(encoding="utf-8"))
    return spec


def japanese_spec() -> tuple[dict[str, Any], str]:
    """Retailer B with a Japanese description, and that description."""
    spec = retailer_spec()
    spec["systems"][0]["description"] = "受注システム"
    return spec, "受注システム"


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def command(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "continuity", *argv], capture_output=True,
                          text=True, timeout=timeout, check=False)


def one_line_error(err: str) -> str:
    """The single line of a command's error output (no traceback)."""
    assert "Traceback" not in err and "Exception ignored" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("continuity: error: "), err
    return lines[0]


# ----------------------------------------------------------------- encodings
def test_shift_jis_model_file_names_the_encoding_and_line(tmp_path: Path) -> None:
    spec, description = japanese_spec()
    text = json.dumps(spec, indent=2, ensure_ascii=False)
    path = tmp_path / "retailer.json"
    path.write_bytes(text.encode("shift_jis"))
    with pytest.raises(errors.ParseError) as info:
        ct.load_model(path)
    assert not isinstance(info.value, UnicodeError)
    assert info.value.line == line_of(text, description)
    message = str(info.value)
    assert message.startswith(f"{path}:{info.value.line}: the file is not UTF-8 text")
    assert "Shift_JIS" in message and message.endswith("save it as UTF-8")


def test_latin_1_model_file(tmp_path: Path) -> None:
    spec = retailer_spec()
    spec["name"] = "Société Générale"
    text = json.dumps(spec, indent=2, ensure_ascii=False)
    path = tmp_path / "societe.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(errors.ParseError, match=r"Latin-1 .*save it as UTF-8") as info:
        ct.load_model(path)
    assert info.value.line == line_of(text, "Société")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf_16_model_file(tmp_path: Path, encoding: str) -> None:
    # With a byte-order mark ("utf-16") or without (ASCII text then decodes
    # as UTF-8 with a NUL after every character).
    path = tmp_path / "retailer.json"
    path.write_bytes(json.dumps(retailer_spec(), indent=2).encode(encoding))
    with pytest.raises(errors.ParseError, match=r"the file is UTF-16 text.*not UTF-8; save it "
                                                r"as UTF-8") as info:
        ct.load_model(path)
    assert info.value.line == 1


def test_shift_jis_yaml_file(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    spec, description = japanese_spec()
    text = yaml.safe_dump(spec, allow_unicode=True)
    path = tmp_path / "retailer.yaml"
    path.write_bytes(text.encode("shift_jis"))
    with pytest.raises(errors.ParseError, match="Shift_JIS") as info:
        ct.load_model(path)
    assert info.value.line == line_of(text, description)


def test_utf_8_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    spec, _ = japanese_spec()
    path = tmp_path / "retailer.json"
    path.write_bytes(json.dumps(spec, ensure_ascii=False).encode("utf-8-sig"))
    assert ct.load_model(path).name == "Retailer B"


def test_shift_jis_csv_table_and_companion(tmp_path: Path) -> None:
    model = ct.load_model(RETAILER_B).to_dict()
    folder = tmp_path / "inventory"
    write_inventory(model, folder)
    systems = folder / "systems.csv"
    text = systems.read_text(encoding="utf-8-sig") + "受注システム,software\n"
    systems.write_bytes(text.encode("cp932"))
    with pytest.raises(errors.SpreadsheetError, match=r"Shift_JIS.*save it as 'CSV UTF-8'") as info:
        ct.Model.from_spreadsheet(folder)
    assert f"line {line_of(text, '受注')}:" in str(info.value)

    companion = tmp_path / "companion.json"
    companion.write_bytes(json.dumps({"name": "Société"}, ensure_ascii=False).encode("latin-1"))
    with pytest.raises(errors.SpreadsheetError, match=r"Latin-1.*save it as UTF-8"):
        load_companion(companion)


def test_binary_file_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "book.json"
    shutil.copy(INVENTORY / "retailer_b.xlsx", path)
    with pytest.raises(errors.ParseError, match="not text: it looks like a zip archive"):
        ct.load_model(path)


def test_command_line_reports_the_encoding_in_one_line(tmp_path: Path) -> None:
    spec, _ = japanese_spec()
    path = tmp_path / "retailer.json"
    path.write_bytes(json.dumps(spec, indent=2, ensure_ascii=False).encode("cp932"))
    done = command(str(path), "-d")
    assert done.returncode == 1
    assert "Shift_JIS" in one_line_error(done.stderr)


# ---------------------------------------------------------------------- YAML
def test_deeply_nested_yaml_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nfunctions: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(errors.ParseError, match="nested deeper than 100 levels") as info:
        ct.load_model(path)
    assert info.value.line == 2
    block = tmp_path / "block.yaml"
    block.write_text("".join("  " * k + f"k{k}:\n" for k in range(1000)))
    with pytest.raises(errors.ParseError, match="nested deeper"):
        ct.load_model(block)


def test_yaml_alias_bomb_is_stopped_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 700  # 9**9 values: 387 million
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    start = time.perf_counter()
    with pytest.raises(errors.ParseError, match="aliases repeat more than 1,000,000 values") \
            as info:
        ct.load_model(path)
    assert time.perf_counter() - start < 5
    assert info.value.line == 7  # g: its first alias passes the limit
    assert str(info.value).startswith(f"{path}:7: g[0]: ")
    companion = tmp_path / "bomb_companion.yaml"
    companion.write_text(bomb)
    with pytest.raises(errors.SpreadsheetError, match="aliases repeat"):
        load_companion(companion)


def test_yaml_aliases_within_the_limit_are_read(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    spec = retailer_spec()
    first = spec["systems"][0]["name"]
    spec["systems"].append({"name": "placeholder"})
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    # The first system anchored, and a copy of it under another name (a merge key).
    text = text.replace(f"- name: {first}\n", f"- &first\n  name: {first}\n", 1)
    text = text.replace("- name: placeholder\n", "- <<: *first\n  name: copy\n", 1)
    path = tmp_path / "retailer.yaml"
    path.write_text(text, encoding="utf-8")
    model = ct.load_model(path)
    systems = {s["name"]: s for s in model.to_dict()["systems"]}
    assert systems["copy"] == {**systems[first], "name": "copy"}


def test_recursive_yaml_alias(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("name: x\nfunctions: &f [*f]\n")
    with pytest.raises(errors.ParseError, match="recursive alias"):
        ct.load_model(path)


def test_yaml_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity import _input

    monkeypatch.setattr(_input, "MAX_YAML_CHARACTERS", 100)
    path = tmp_path / "big.yaml"
    path.write_text("name: " + "x" * 200 + "\n")
    with pytest.raises(errors.ParseError, match="more than the 100 read"):
        ct.load_model(path)


@pytest.mark.parametrize("value,problem", [
    ("2024-01-01", "2024-01-01 is a date or time to YAML"),
    (".nan", "'.nan' is not a finite number"),
    ("-.inf", "'-.inf' is not a finite number"),
    ("1.0e+400", "'1.0e+400' is not a finite number"),
    ("!!binary aGVsbG8=", "binary data"),
    ("!!set {a, b}", "a value of type !!set has no place"),
])
def test_yaml_values_outside_the_model_format_name_field_and_line(
        tmp_path: Path, value: str, problem: str) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(f"name: x\nfunctions:\n  - name: f\n  - name: g\n    revenue_per_day: "
                    f"{value}\n")
    with pytest.raises(errors.ParseError) as info:
        ct.load_model(path)
    assert info.value.line == 5
    assert str(info.value).startswith(f"{path}:5: functions[1].revenue_per_day: {problem}")


def test_yaml_key_given_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("name: x\nfunctions: []\nsystems: []\nfunctions: []\n")
    with pytest.raises(errors.ParseError, match="the key 'functions' is given twice "
                                                r"\(lines 2 and 4\)"):
        ct.load_model(path)


def test_yaml_syntax_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nfunctions: [\n  - a: b: c\n")
    with pytest.raises(errors.ParseError) as info:
        ct.load_model(path)
    assert "\n" not in str(info.value) and info.value.line == 3


@pytest.mark.parametrize("value,problem", [
    (float("nan"), "nan is not a finite number"),
    (float("inf"), "inf is not a finite number"),
    (__import__("datetime").date(2024, 1, 1), "2024-01-01 is a date or time"),
    ({1, 2}, "a value of type set"),
])
def test_python_values_outside_the_model_format_name_their_path(value: Any,
                                                                problem: str) -> None:
    spec = retailer_spec()
    spec["functions"][1]["revenue_per_day"] = value
    with pytest.raises(errors.ParseError) as info:
        ct.Model.from_dict(spec)
    assert f"functions[1].revenue_per_day: {problem}" in str(info.value)


def test_numpy_numbers_in_a_specification_are_numbers() -> None:
    spec = retailer_spec()
    revenue = spec["functions"][0]["revenue_per_day"]
    changed = copy.deepcopy(spec)
    changed["functions"][0]["revenue_per_day"] = np.int64(revenue)
    changed["functions"][1]["manual_workaround"]["capacity"] = np.float64(0.6)
    assert ct.Model.from_dict(changed).to_dict() == ct.Model.from_dict(spec).to_dict()


def test_deeply_nested_python_specification() -> None:
    spec = retailer_spec()
    deep: list[Any] = []
    spec["x-notes"] = deep
    for _ in range(100_000):
        deep.append([])
        deep = deep[0]
    with pytest.raises(errors.ParseError, match="nested deeper than 256 levels"):
        ct.Model.from_dict(spec)


# --------------------------------------------------------- Python arguments
@pytest.mark.parametrize("call,argument", [
    (lambda m: ct.simulate(m, 10, 2**64), "seed"),
    (lambda m: ct.simulate(m, 10, 1, threads=2**32), "threads"),
    (lambda m: ct.simulate(m, 10, 1, first_trial=2**64 - 5), "first_trial"),
    (lambda m: ct.simulate(m, 10.0, 1), "trials"),
    (lambda m: m.plan_recovery(ATTACK, improve=True, budget=-1), "budget"),
    (lambda m: m.plan_recovery(ATTACK, seed=2**64), "seed"),
    (lambda m: m.plan_recovery(ATTACK, improve=1), "improve"),
    (lambda m: m.rank_correlations(ATTACK, trials=-5, seed=1), "trials"),
    (lambda m: m.rank_correlations(ATTACK, 100, seed=2**64), "seed"),
    (lambda m: m.rank_correlations(ATTACK, 100, seed=1, threads=2**32), "threads"),
    (lambda m: ct.compare_mitigations(m, [], 10, -1), "seed"),
    (lambda m: ct.simulate_portfolio([], 10, 2**64), "seed"),
])
def test_out_of_range_arguments_name_the_argument(hospital: ct.Model, call: Any,
                                                  argument: str) -> None:
    with pytest.raises(errors.ValueError_) as info:
        call(hospital)
    assert isinstance(info.value, ValueError)
    assert info.value.field == argument
    assert re.search(f": {argument}: .*must be", str(info.value))
    assert "incompatible function arguments" not in str(info.value)


def test_a_name_where_a_list_of_names_belongs(hospital: ct.Model) -> None:
    with pytest.raises(errors.ValueError_, match=r"scenarios: must be a list of scenario names"):
        ct.simulate(hospital, 10, 1, scenarios=ATTACK)
    with pytest.raises(errors.ValueError_, match=r"order: must be a list of system names"):
        hospital.plan_recovery(ATTACK, order="EMR database")
    with pytest.raises(errors.ValueError_, match=r"top_down\[0\]: must be a TopDownScenario"):
        ct.simulate(hospital, 10, 1, top_down=["breach"])  # type: ignore[list-item]


def test_too_many_trials_for_the_memory(hospital: ct.Model) -> None:
    start = time.perf_counter()
    with pytest.raises(errors.ValueError_, match=r"simulation: trials: 1,000,000,000,000 trials "
                                                 r"need .* of memory") as info:
        ct.simulate(hospital, 10**12, 1)
    assert info.value.field == "trials"
    with pytest.raises(errors.ValueError_, match="rank correlation: trials: .* memory"):
        hospital.rank_correlations(ATTACK, 10**15, seed=1)
    assert time.perf_counter() - start < 5


def test_tornado_quantile_levels(hospital: ct.Model) -> None:
    with pytest.raises(errors.ValueError_, match=r"tornado: low: must be a quantile level "
                                                 r"strictly between 0 and 1") as info:
        hospital.tornado(ATTACK, low=0, high=1)
    assert info.value.field == "low"
    with pytest.raises(errors.ValueError_, match="tornado: high:"):
        hospital.tornado(ATTACK, low=0.1, high=1)
    with pytest.raises(errors.ValueError_, match="tornado: low, high: low must be below high"):
        hospital.tornado(ATTACK, low=0.9, high=0.1)
    with pytest.raises(errors.ValueError_, match="tornado: low: must be a finite number"):
        hospital.tornado(ATTACK, low=math.nan)
    wide = hospital.tornado(ATTACK, low=0.001, high=0.999)
    assert len(wide) > 0 and np.isfinite(wide["swing"]).all()


def test_top_down_scenario_with_nan_names_the_field() -> None:
    with pytest.raises(errors.ValueError_) as info:
        ct.TopDownScenario("breach", frequency=math.nan, loss_per_event=1.0)
    assert str(info.value) == ("scenario 'breach': frequency: nan is not a finite number "
                               "(the model format has no NaN or infinity)")
    assert "JSON" not in str(info.value)
    with pytest.raises(errors.ValueError_, match=r"scenario 'breach': loss_per_event\.lognormal"
                                                 r"\.p95: inf is not a finite number"):
        ct.TopDownScenario("breach", {"poisson": 0.5},
                           {"lognormal": {"p5": 1e6, "p95": math.inf}})
    # NumPy numbers are numbers.
    scenario = ct.TopDownScenario("breach", {"poisson": np.float64(0.5)}, np.int64(1000))
    assert scenario.mean_annual_loss == pytest.approx(500.0)


def test_exceedance_curve_points() -> None:
    statistics = ct.LossStatistics(np.arange(100.0))
    with pytest.raises(errors.ValueError_, match="exceedance curve: points:"):
        statistics.exceedance_curve(-1)


# -------------------------------------------------------------- command line
def test_threads_beyond_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(HOSPITAL), "-j", "4294967296", "-n", "10")
    assert status == 2
    assert "argument -j/--threads: must be at most 1024, got 4294967296" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["1e23", "100000000000000000000000"])
def test_trials_beyond_64_bits(capsys: pytest.CaptureFixture[str], value: str) -> None:
    status, out, err = run(capsys, str(HOSPITAL), "--trials", value)
    assert status == 2 and out == ""
    assert "argument -n/--trials: must be at most 18446744073709551615" in err


def test_trials_with_an_exponent(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(RETAILER_B), "--trials", "2e3", "--json")
    assert status == 0, err
    assert json.loads(out)["loss"]["trials"] == 2000


def test_trials_beyond_the_memory_fail_before_any_work() -> None:
    start = time.perf_counter()
    done = command(str(HOSPITAL), "--trials", "1e12")
    assert done.returncode == 1
    assert done.stdout == ""  # checked before the analysis is printed
    line = one_line_error(done.stderr)
    assert "trials: 1,000,000,000,000 trials need" in line and "--trials" in line
    assert time.perf_counter() - start < 60


def test_out_of_memory_is_one_line(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("std::bad_alloc")

    monkeypatch.setattr(cli, "simulate", exhausted)
    status, _, err = run(capsys, str(RETAILER_B), "--trials", "10")
    assert status == 1
    assert one_line_error(err) == ("continuity: error: out of memory (std::bad_alloc); run "
                                   "fewer trials (--trials) or a smaller model")


def test_unexpected_failure_is_one_line(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("something\nwent wrong")

    monkeypatch.setattr(cli, "simulate", broken)
    status, _, err = run(capsys, str(RETAILER_B), "--trials", "10")
    assert status == 1
    assert "internal error: TypeError: something" in one_line_error(err)


def test_reader_of_stdout_going_away_is_quiet() -> None:
    # `continuity hospital.json | head -1`: the first line is read, then the
    # pipe is closed while the simulation runs; writing its summary fails.
    process = subprocess.Popen([sys.executable, "-m", "continuity", str(HOSPITAL), "-n", "2000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    status = process.wait(timeout=300)
    assert first.startswith("Town hospital:")
    assert err == ""
    assert status == 1


def test_closed_stdout_is_quiet(tmp_path: Path) -> None:
    # `continuity hospital.json >&-`: no stdout at all; the files asked for
    # are still written.
    done = subprocess.run(["sh", "-c", '"$0" -m continuity "$1" -d --csv "$2" >&-',
                           sys.executable, str(HOSPITAL), str(tmp_path / "csv")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.stderr == ""
    assert done.returncode == 0
    assert (tmp_path / "csv" / "priority.csv").is_file()


# ---------------------------------------------------------------- inventories
@pytest.fixture()
def inventory(tmp_path: Path) -> Path:
    """The example workbook with its companion beside it."""
    shutil.copy(INVENTORY / "retailer_b.xlsx", tmp_path / "retailer_b.xlsx")
    shutil.copy(INVENTORY / "retailer_b_companion.json", tmp_path / "retailer_b_companion.json")
    return tmp_path / "retailer_b.xlsx"


def test_workbook_without_its_companion(inventory: Path) -> None:
    pytest.importorskip("openpyxl")
    companion = inventory.parent / "retailer_b_companion.json"
    with pytest.raises(errors.SpreadsheetError) as info:
        ct.load_model(inventory)
    assert f"'{companion}' lies beside it" in str(info.value)
    assert "base=load_companion(" in str(info.value)
    assert ct.load_model(inventory, base={}).scenarios == []  # the tables alone, on request
    full = ct.load_model(inventory, base=load_companion(companion))
    assert full.scenarios == ["shopping site breach"]


def test_command_line_workbook_without_its_companion(inventory: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openpyxl")
    companion = inventory.parent / "retailer_b_companion.json"
    status, out, err = run(capsys, str(inventory), "-d")
    assert status == 1 and out == ""
    assert f"--companion {companion}" in one_line_error(err)

    companion.unlink()  # no companion anywhere: the tables hold no scenario
    status, out, err = run(capsys, str(inventory), "-d")
    assert status == 1 and out == ""
    assert "holds no incident scenario to analyse" in one_line_error(err)
    assert "--companion FILE" in err


def test_folder_that_is_not_an_inventory(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(errors.SpreadsheetError) as info:
        ct.load_model(tmp_path)
    assert "holds no CSV or Parquet file" in str(info.value)
    assert "JSON" not in str(info.value)
    shutil.copy(HOSPITAL, tmp_path / "hospital.json")
    with pytest.raises(errors.SpreadsheetError, match=r"give a model file instead, such as "
                                                      r"'.*hospital\.json'"):
        ct.load_model(tmp_path)
    with pytest.raises(errors.IOError_, match="is a folder, not a model file"):
        ct.Model.from_json(tmp_path)
    with pytest.raises(errors.SpreadsheetError, match="the companion is a folder"):
        load_companion(tmp_path)
    status, _, err = run(capsys, str(tmp_path), "-d")
    assert status == 1 and "holds no CSV or Parquet file" in one_line_error(err)


def test_companion_json_is_read_strictly(tmp_path: Path) -> None:
    twice = tmp_path / "twice.json"
    twice.write_text('{"scenarios": [], "scenarios": []}')
    with pytest.raises(errors.SpreadsheetError, match="the key 'scenarios' is given twice"):
        load_companion(twice)
    nan = tmp_path / "nan.json"
    nan.write_text('{"scenarios": [{"annual_frequency": NaN}]}')
    with pytest.raises(errors.SpreadsheetError, match="NaN is not a number"):
        load_companion(nan)
    deep = tmp_path / "deep.json"
    deep.write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(errors.SpreadsheetError, match="nested deeper than 256 levels"):
        load_companion(deep)
