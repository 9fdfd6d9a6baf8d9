"""Tests of continuity.tables: inventories read column by column from CSV and
Parquet files, checked against the row-by-row spreadsheet reader
(continuity.spreadsheet.read_inventory + Model.from_dict), and results
written back as Parquet and CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import continuity as ct
from continuity.errors import ParseError, SpreadsheetError, ValidationError, ValueError_
from continuity.spreadsheet import companion, load_companion, read_inventory, write_inventory
from continuity.synthetic import generate_inventory
from continuity.tables import read_tables, write_frame, write_tables

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def load_example(name: str) -> Dict[str, Any]:
    with open(ROOT / "examples" / f"{name}.json", encoding="utf-8") as stream:
        data: Dict[str, Any] = json.load(stream)
    return data


def row_by_row(path: Path, base: Optional[Dict[str, Any]] = None) -> ct.Model:
    """The model of the spreadsheet reader, which goes through the rows."""
    return ct.Model.from_dict(read_inventory(path, base=base), str(path))


def to_parquet(folder: Path, target: Path) -> None:
    """Copies a CSV inventory to Parquet files with the same cells (as text)."""
    target.mkdir()
    for file in folder.glob("*.csv"):
        with open(file, encoding="utf-8-sig", newline="") as stream:
            grid = list(csv.reader(stream))
        header, rows = grid[0], grid[1:]
        columns = {name: pa.array([r[j] if j < len(r) else "" for r in rows], pa.string())
                   for j, name in enumerate(header)}
        pq.write_table(pa.table(columns), target / f"{file.stem}.parquet")


# --------------------------------------------------------------------------
# The same model as the row-by-row reader


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_give_the_models_of_the_row_reader(tmp_path: Path, example: Path) -> None:
    spec = load_example(example.stem)
    write_inventory(spec, tmp_path / "csv")
    base = companion(spec)
    expected = row_by_row(tmp_path / "csv", base).to_dict()
    assert expected == ct.Model.from_dict(spec).to_dict()  # the reference itself
    assert read_tables(tmp_path / "csv", base=base).to_dict() == expected
    to_parquet(tmp_path / "csv", tmp_path / "parquet")
    assert read_tables(tmp_path / "parquet", base=base).to_dict() == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_tables_without_companion(tmp_path: Path, example: Path) -> None:
    spec = load_example(example.stem)
    write_inventory(spec, tmp_path / "inv")
    try:
        expected = row_by_row(tmp_path / "inv").to_dict()
    except ValidationError as e:  # the tables alone may not be a valid model
        with pytest.raises(type(e)) as info:
            read_tables(tmp_path / "inv")
        assert str(info.value) == str(e)
        return
    assert read_tables(tmp_path / "inv").to_dict() == expected


def test_load_model_reads_csv_and_parquet_folders(tmp_path: Path) -> None:
    spec = load_example("hospital")
    write_inventory(spec, tmp_path / "csv")
    to_parquet(tmp_path / "csv", tmp_path / "parquet")
    expected = ct.Model.from_dict(spec).to_dict()
    for folder in ("csv", "parquet"):
        assert ct.load_model(tmp_path / folder, base=companion(spec)).to_dict() == expected
    assert ct.load_model(tmp_path / "parquet" / "systems.parquet",
                         base=companion(spec)).to_dict() == expected


def test_shipped_inventory(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "inventory"
    base = load_companion(folder / "retailer_b_companion.json")
    assert (read_tables(folder / "retailer_b", base=base).to_dict()
            == ct.load_model(ROOT / "examples" / "retailer_b.json").to_dict())


# --------------------------------------------------------------------------
# The same errors as the row-by-row reader


def edit(folder: Path, table: str, change: Callable[[List[List[str]]], None]) -> None:
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8-sig", newline="") as stream:
        grid = list(csv.reader(stream))
    change(grid)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(grid)


def set_cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        def change(grid: List[List[str]]) -> None:
            j = grid[0].index(column)
            grid[row - 1][j] = value
        edit(folder, table, change)
    return apply


def add_row(table: str, **values: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        edit(folder, table, lambda grid: grid.append([values.get(c, "") for c in grid[0]]))
    return apply


def rename(table: str, old: str, new: str) -> Callable[[Path], None]:
    return set_cell(table, 1, old, new)


def delete_column(table: str, column: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        def change(grid: List[List[str]]) -> None:
            j = grid[0].index(column)
            for r in grid:
                del r[j]
        edit(folder, table, change)
    return apply


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        for e in edits:
            e(folder)
    return apply


# retailer_b: functions rows 2 online shop, 3 member support, 4 shipping;
# systems 2 office ... 11 owner; backups 2 shop site, 3 member database.
BAD_EDITS: Dict[str, Callable[[Path], None]] = {
    "missing column": delete_column("systems", "name"),
    "missing dependency column": delete_column("dependencies", "to"),
    "unknown column": rename("systems", "segment", "segmnet"),
    "column twice": rename("systems", "segment", "layer"),
    "empty name": set_cell("functions", 3, "name", ""),
    "empty interval": set_cell("backups", 3, "interval", " "),
    "bad number": set_cell("functions", 2, "revenue_per_day", "400k"),
    "thousands separator": set_cell("systems", 7, "transactions_per_hour", "1,000"),
    "not whole": set_cell("functions", 4, "importance", "2.5"),
    "whole as text": set_cell("backups", 2, "generations", "seven"),
    "bad duration": set_cell("functions", 2, "rpo", "1 fortnight"),
    "unknown layer": set_cell("systems", 5, "layer", "firmware"),
    "unknown side": set_cell("systems", 5, "side", "both"),
    "unknown mode": set_cell("backups", 3, "mode", "cold"),
    "unknown kind": set_cell("dependencies", 4, "kind", "some_of"),
    "bad boolean": set_cell("backups", 2, "offsite", "maybe"),
    "dangling dependency": set_cell("dependencies", 3, "to", "mainframe"),
    "unknown from": set_cell("dependencies", 6, "from", "marketing"),
    "on a function": set_cell("dependencies", 9, "to", "shipping"),
    "on itself": set_cell("dependencies", 9, "to", "internet line"),
    "dependency twice": add_row("dependencies", **{"from": "shipping", "to": "office PC"}),
    "duplicate function": set_cell("functions", 4, "name", "online shop"),
    "duplicate system": add_row("systems", name="web server", layer="hardware"),
    "backup of unknown system": set_cell("backups", 3, "system", "member db"),
    "k without k": both(add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                   "to": "mail service"}),
                        add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                   "to": "office"})),
    "k above the group": both(add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                         "k": "3", "to": "mail service"}),
                              add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                         "to": "office"})),
    "conflicting k": both(add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                     "k": "1", "to": "mail service"}),
                          add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                     "k": "2", "to": "office"})),
    "k on any_of": add_row("dependencies", **{"from": "shipping", "kind": "any_of", "k": "1",
                                              "to": "mail service"}),
    "group on all_of": add_row("dependencies", **{"from": "shipping", "group": "a",
                                                  "to": "mail service"}),
    "mixed group": both(add_row("dependencies", **{"from": "shipping", "kind": "any_of",
                                                   "group": "a", "to": "mail service"}),
                        add_row("dependencies", **{"from": "shipping", "kind": "k_of",
                                                   "group": "a", "k": "1", "to": "office"})),
    "twice in a group": both(add_row("dependencies", **{"from": "shipping", "kind": "any_of",
                                                        "to": "office"}),
                             add_row("dependencies", **{"from": "shipping", "kind": "any_of",
                                                        "to": "office"})),
    "shared name": add_row("systems", name="shipping", layer="people"),
    "two errors, the earlier row wins": both(set_cell("dependencies", 9, "to", "nothing"),
                                             add_row("dependencies", **{"from": "shipping",
                                                                        "to": "office PC"})),
    "level out of range": set_cell("functions", 3, "importance", "7"),
    "generations out of range": set_cell("backups", 3, "generations", "0"),
    "profit with revenue": set_cell("functions", 2, "profit_per_day", "5"),
    "interval and age": set_cell("backups", 2, "age", "3d"),
    "unknown pool": set_cell("systems", 4, "reentry_by", "nobody"),
}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("case", list(BAD_EDITS))
def test_errors_are_those_of_the_row_reader(tmp_path: Path, case: str, fmt: str) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    BAD_EDITS[case](tmp_path / "inv")
    with pytest.raises(ValidationError) as expected:
        row_by_row(tmp_path / "inv")
    folder = tmp_path / "inv"
    if fmt == "parquet":
        if case in ("column twice",):  # a Parquet file has no two columns of one name
            return
        to_parquet(folder, tmp_path / "pq")
        folder = tmp_path / "pq"
    with pytest.raises(ValidationError) as got:
        read_tables(folder)
    assert type(got.value) is type(expected.value)
    message = str(expected.value)
    if fmt == "parquet":
        message = message.replace(str(tmp_path / "inv"), str(tmp_path / "pq"))
        message = message.replace(".csv,", ".parquet,")
    assert str(got.value) == message
    if isinstance(expected.value, SpreadsheetError):
        assert isinstance(got.value, SpreadsheetError)
        assert (got.value.row, got.value.column, got.value.sheet) == (
            expected.value.row, expected.value.column, expected.value.sheet)


def test_a_table_error_names_file_row_and_column(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    set_cell("systems", 5, "layer", "firmware")(tmp_path / "inv")
    with pytest.raises(SpreadsheetError) as info:
        read_tables(tmp_path / "inv")
    assert info.value.file == str(tmp_path / "inv" / "systems.csv")
    assert (info.value.sheet, info.value.row, info.value.column) == ("systems", 5, "layer")
    assert str(info.value).startswith(f"{tmp_path / 'inv' / 'systems.csv'}, sheet 'systems', "
                                      "row 5, column 'layer': unknown layer 'firmware'")


def test_blank_lines_and_short_rows_count_as_rows(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    path = tmp_path / "inv" / "systems.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(2, "")        # a blank line: row 3
    lines.insert(4, "   ")     # a line of spaces: row 5
    lines[6] = lines[6].replace("hardware", "firmware")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SpreadsheetError) as expected:
        row_by_row(tmp_path / "inv")
    with pytest.raises(SpreadsheetError) as got:
        read_tables(tmp_path / "inv")
    assert str(got.value) == str(expected.value)
    assert got.value.row == 7


def test_rows_of_empty_cells_are_skipped(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    edit(tmp_path / "inv", "systems", lambda g: g.insert(3, [""] * len(g[0])))
    assert read_tables(tmp_path / "inv").to_dict() == row_by_row(tmp_path / "inv").to_dict()


def test_header_below_empty_rows_and_stray_cells(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    edit(tmp_path / "inv", "functions", lambda g: g.insert(0, [""] * len(g[0])))
    assert read_tables(tmp_path / "inv").to_dict() == row_by_row(tmp_path / "inv").to_dict()

    def stray(grid: List[List[str]]) -> None:
        for r in grid:
            r.append("")
        grid[4][-1] = "note"
    edit(tmp_path / "inv", "systems", stray)
    with pytest.raises(SpreadsheetError) as expected:
        row_by_row(tmp_path / "inv")
    with pytest.raises(SpreadsheetError) as got:
        read_tables(tmp_path / "inv")
    assert str(got.value) == str(expected.value)
    assert "no name in the header row" in str(got.value)


def test_missing_required_table(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    (tmp_path / "inv" / "backups.csv").unlink()
    with pytest.raises(SpreadsheetError, match="no file backups.csv"):
        read_tables(tmp_path / "inv")


def test_ignored_files_of_another_format(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    to_parquet(tmp_path / "inv", tmp_path / "pq")
    (tmp_path / "pq" / "_notes.csv").write_text("anything,goes\n", encoding="utf-8")
    assert read_tables(tmp_path / "pq").to_dict() == row_by_row(tmp_path / "inv").to_dict()
    (tmp_path / "pq" / "backups.parquet").unlink()
    with pytest.raises(SpreadsheetError, match="no file backups.parquet"):
        read_tables(tmp_path / "pq")


def test_mixed_formats_are_an_error(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    to_parquet(tmp_path / "inv", tmp_path / "pq")
    (tmp_path / "pq" / "systems.parquet").rename(tmp_path / "inv" / "extra.parquet")
    with pytest.raises(SpreadsheetError, match="both CSV and Parquet"):
        read_tables(tmp_path / "inv")


# --------------------------------------------------------------------------
# Text: Japanese names, byte-order marks, Shift_JIS


def test_japanese_names_with_and_without_bom(tmp_path: Path) -> None:
    spec = load_example("gym_ja")
    write_inventory(spec, tmp_path / "inv")  # UTF-8 with a byte-order mark
    assert (tmp_path / "inv" / "systems.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    model = read_tables(tmp_path / "inv", base=companion(spec))
    assert model.to_dict() == ct.Model.from_dict(spec).to_dict()
    assert any(ord(c) > 0x3000 for name in model.systems for c in name)
    for file in (tmp_path / "inv").glob("*.csv"):
        file.write_bytes(file.read_bytes()[3:])
    assert read_tables(tmp_path / "inv", base=companion(spec)).to_dict() == model.to_dict()


def test_full_width_spaces_and_digits(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    set_cell("systems", 5, "name", "\u3000web server\u3000")(tmp_path / "inv")
    set_cell("functions", 2, "importance", "\uff13")(tmp_path / "inv")
    assert read_tables(tmp_path / "inv").to_dict() == row_by_row(tmp_path / "inv").to_dict()


def test_shift_jis_gets_the_advice_of_the_csv_reader(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    (tmp_path / "inv" / "systems.csv").write_bytes("name\n\u4e8b\u52d9\u6240\n".encode("cp932"))
    with pytest.raises(SpreadsheetError) as expected:
        row_by_row(tmp_path / "inv")
    with pytest.raises(SpreadsheetError) as got:
        read_tables(tmp_path / "inv")
    assert str(got.value) == str(expected.value)
    assert "Shift_JIS" in str(got.value) and "CSV UTF-8" in str(got.value)


# --------------------------------------------------------------------------
# Typed Parquet columns


def test_typed_parquet_columns(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "csv")
    to_parquet(tmp_path / "csv", tmp_path / "pq")
    table = pq.read_table(tmp_path / "pq" / "backups.parquet")
    typed = table.set_column(table.column_names.index("generations"), "generations",
                             pa.array([7, None], pa.int64()))
    typed = typed.set_column(typed.column_names.index("offsite"), "offsite",
                             pa.array([True, False]))
    pq.write_table(typed, tmp_path / "pq" / "backups.parquet")
    edit(tmp_path / "csv", "backups", lambda g: [g[1].__setitem__(g[0].index("offsite"), "TRUE"),
                                                 g[2].__setitem__(g[0].index("offsite"), "FALSE"),
                                                 g[2].__setitem__(g[0].index("generations"), "")])
    assert read_tables(tmp_path / "pq").to_dict() == row_by_row(tmp_path / "csv").to_dict()
    bad = typed.set_column(typed.column_names.index("generations"), "generations",
                           pa.array([7.5, None]))
    pq.write_table(bad, tmp_path / "pq" / "backups.parquet")
    with pytest.raises(SpreadsheetError) as info:
        read_tables(tmp_path / "pq")
    assert (info.value.row, info.value.column) == (2, "generations")
    assert "'7.5' is not a whole number" in str(info.value)


# --------------------------------------------------------------------------
# Writing tables and results


def requirement_sets(spec: Dict[str, Any]) -> Dict[Tuple[str, str], Any]:
    """What each function and system needs, all-of requirements split into
    single systems (the tables keep one all-of requirement per object)."""
    out: Dict[Tuple[str, str], Any] = {}
    for key, field in (("functions", "needs"), ("systems", "depends_on")):
        for obj in spec[key]:
            reqs = set()
            for q in obj.get(field) or []:
                if "all_of" in q:
                    reqs |= {(1, (s,)) for s in q["all_of"]}
                elif "any_of" in q:
                    reqs.add((1, tuple(sorted(q["any_of"]))) if len(q["any_of"]) > 1
                             else (1, tuple(q["any_of"])))
                else:
                    reqs.add((q["k_of"], tuple(sorted(q["systems"]))))
            out[(key, obj["name"])] = reqs
            obj.pop(field, None)
    return out


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_write_tables_round_trip(tmp_path: Path, fmt: str) -> None:
    model = generate_inventory(2000, 30, seed=3)
    write_tables(model, tmp_path / "inv", format=fmt, companion=tmp_path / "companion.json")
    assert sorted(p.name for p in (tmp_path / "inv").iterdir()) == sorted(
        f"{t}.{fmt}" for t in ("functions", "systems", "dependencies", "backups", "impacts"))
    back = read_tables(tmp_path / "inv", base=load_companion(tmp_path / "companion.json"))
    want, got = model.to_dict(), back.to_dict()
    assert requirement_sets(got) == requirement_sets(want)
    assert got == want
    # Analyses agree, not just the specification.
    pd.testing.assert_frame_equal(back.system_objectives(), model.system_objectives())


def test_write_frame_round_trip(tmp_path: Path) -> None:
    model = ct.load_model(ROOT / "examples" / "gym_ja.json")
    frame = model.system_objectives()
    write_frame(frame, tmp_path / "objectives.parquet")
    write_frame(frame, tmp_path / "objectives.csv")
    back = pd.read_parquet(tmp_path / "objectives.parquet")
    pd.testing.assert_frame_equal(back, frame)
    assert (tmp_path / "objectives.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    text = pd.read_csv(tmp_path / "objectives.csv", encoding="utf-8-sig", index_col="system")
    assert list(text.index) == list(frame.index)
    np.testing.assert_array_equal(text["rto_h"].to_numpy(), frame["rto_h"].to_numpy())


def test_write_frame_of_a_plan_and_a_simulation(tmp_path: Path) -> None:
    model = ct.load_model(ROOT / "examples" / "hospital.json")
    plan = model.plan_recovery(model.scenarios[0])
    write_frame(plan.systems, tmp_path / "plan.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "plan.parquet"), plan.systems)
    result = ct.simulate(model, 200, seed=1)
    frame = result.frame()
    write_frame(frame, tmp_path / "trials.csv", index=False)
    back = pd.read_csv(tmp_path / "trials.csv", encoding="utf-8-sig")
    np.testing.assert_allclose(back.to_numpy(dtype=float), frame.to_numpy(dtype=float))


def test_write_frame_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError_, match="parquet or .csv"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.xlsx")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ct.errors.IOError_, match="folder.csv"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / "folder.csv")
    with pytest.raises(ValueError_, match="format"):
        write_tables(ct.load_model(ROOT / "examples" / "gym.json"), tmp_path / "t",
                     format="xlsx")


def test_base_describing_a_missing_system(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    base = {"systems": [{"name": "mainframe", "recovery": {"emergency": []}}]}
    with pytest.raises(SpreadsheetError) as expected:
        row_by_row(tmp_path / "inv", base)
    with pytest.raises(SpreadsheetError) as got:
        read_tables(tmp_path / "inv", base=base)
    assert str(got.value) == str(expected.value)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SpreadsheetError, match="no such folder"):
        read_tables(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpreadsheetError, match="holds no CSV or Parquet file"):
        read_tables(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "systems.parquet").write_bytes(b"not parquet")
    with pytest.raises(SpreadsheetError, match="not a Parquet file"):
        read_tables(tmp_path / "bad")
    _ = ParseError


def test_the_documented_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "spreadsheet-format.md").read_text(encoding="utf-8")
    section = text[text.index("## Large inventories"):]
    code = section[section.index("```python\n") + 10:section.index("```\n", section.index("```python"))]
    spec = load_example("retailer_b")
    write_inventory(spec, tmp_path / "inventory")
    (tmp_path / "inventory_companion.json").write_text(json.dumps(companion(spec)),
                                                       encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scope: Dict[str, Any] = {}
    exec(compile(code, "docs/spreadsheet-format.md", "exec"), scope)
    assert scope["model"].to_dict() == read_tables(tmp_path / "copy", base=load_companion(
        tmp_path / "copy_companion.json")).to_dict()
    assert (tmp_path / "objectives.parquet").is_file()


def test_command_reads_a_parquet_inventory(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from continuity import cli

    spec = load_example("retailer_b")
    write_tables(ct.Model.from_dict(spec), tmp_path / "inv", companion=tmp_path / "c.json")
    assert cli.main([str(tmp_path / "inv" / "systems.parquet"), "--companion",
                     str(tmp_path / "c.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    want = ct.Model.from_dict(spec)
    assert cli.main([str(ROOT / "examples" / "retailer_b.json"), "--json"]) == 0
    assert doc == json.loads(capsys.readouterr().out)
    assert want.scenarios  # the comparison covered the scenarios' plans


def test_write_tables_names_the_type_of_a_shared_name(tmp_path: Path) -> None:
    spec = load_example("retailer_b")
    write_tables(ct.Model.from_dict(spec), tmp_path / "plain", companion=tmp_path / "p.json")
    assert "from_type" not in pq.read_table(tmp_path / "plain" / "dependencies.parquet").schema.names
    spec["systems"].append({"name": "shipping", "layer": "people", "depends_on": ["office"]})
    model = ct.Model.from_dict(spec)
    write_tables(model, tmp_path / "shared", companion=tmp_path / "s.json")
    table = pq.read_table(tmp_path / "shared" / "dependencies.parquet")
    assert set(table.column("from_type").to_pylist()) == {"function", "system"}
    back = read_tables(tmp_path / "shared", base=load_companion(tmp_path / "s.json"))
    assert back.to_dict() == model.to_dict()


def test_parquet_written_by_pandas(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "csv")
    (tmp_path / "pq").mkdir()
    for file in (tmp_path / "csv").glob("*.csv"):
        frame = pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        frame.index = [f"r{i}" for i in range(len(frame))]  # stored as a column
        frame.to_parquet(tmp_path / "pq" / f"{file.stem}.parquet")
    assert "__index_level_0__" in pq.read_table(tmp_path / "pq" / "systems.parquet").schema.names
    assert read_tables(tmp_path / "pq").to_dict() == row_by_row(tmp_path / "csv").to_dict()
    # Categorical columns come back as dictionary-encoded ones.
    frame = pd.read_csv(tmp_path / "csv" / "systems.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    frame["layer"] = frame["layer"].astype("category")
    frame.to_parquet(tmp_path / "pq" / "systems.parquet")
    assert pa.types.is_dictionary(pq.read_table(tmp_path / "pq" / "systems.parquet")
                                  .schema.field("layer").type)
    assert read_tables(tmp_path / "pq").to_dict() == row_by_row(tmp_path / "csv").to_dict()
