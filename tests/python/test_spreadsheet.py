"""Tests of continuity.spreadsheet: asset inventories in Excel workbooks and CSV folders."""

from __future__ import annotations

import copy
import csv
import datetime
import json
import string
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuity.errors import SpreadsheetError, ValidationError
from continuity.spreadsheet import (
    COLUMNS,
    FORMAT,
    REQUIRED_TABLES,
    TABLES,
    companion,
    load_companion,
    read_inventory,
    write_companion,
    write_inventory,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
FORMATS = ["csv", "xlsx"]


def load_example(name: str) -> Dict[str, Any]:
    with open(ROOT / "examples" / f"{name}.json", encoding="utf-8") as stream:
        data: Dict[str, Any] = json.load(stream)
    return data


# --------------------------------------------------------------------------
# Normalisation: what a model looks like after a trip through the tables


def normalise(model: Dict[str, Any]) -> Dict[str, Any]:
    """The model as read_inventory returns it: with its format, plain names for
    all-of requirements, no empty lists or nulls for the fields tables hold."""
    m = copy.deepcopy(model)
    m["format"] = FORMAT
    for key, requirement_field in (("functions", "needs"), ("systems", "depends_on")):
        for obj in m.get(key, []):
            flat: List[Any] = []
            for entry in obj.get(requirement_field) or []:
                if isinstance(entry, dict) and set(entry) == {"all_of"}:
                    flat.extend(entry["all_of"])
                else:
                    flat.append(entry)
            obj[requirement_field] = flat
            for name in list(obj):
                if obj[name] is None or obj[name] == [] or obj[name] == {}:
                    del obj[name]
            workaround = obj.get("manual_workaround")
            if isinstance(workaround, dict):
                for name in [k for k, v in workaround.items() if v is None]:
                    del workaround[name]
    return m


def tables_only(model: Dict[str, Any]) -> Dict[str, Any]:
    """normalise(model) without the parts companion(model) holds."""
    m = normalise(model)
    for key, value in companion(model).items():
        if key not in ("functions", "systems", "resources"):
            del m[key]
            continue
        extra = {obj["name"]: obj for obj in value}
        for obj in m[key]:
            for name, field_value in extra.get(obj["name"], {}).items():
                if name == "name":
                    continue
                if name == "manual_workaround":
                    for sub in field_value:
                        del obj[name][sub]
                    if not obj[name]:
                        del obj[name]
                else:
                    del obj[name]
    return m


def target(directory: Path, fmt: str, stem: str = "inventory") -> Path:
    return directory / (f"{stem}.xlsx" if fmt == "xlsx" else stem)


# --------------------------------------------------------------------------
# Round trips of the examples


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trip_with_companion(tmp_path: Path, example: Path, fmt: str) -> None:
    model = load_example(example.stem)
    path = target(tmp_path, fmt)
    write_inventory(model, path)
    assert read_inventory(path, base=companion(model)) == normalise(model)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trip_tables_only(tmp_path: Path, example: Path, fmt: str) -> None:
    model = load_example(example.stem)
    path = target(tmp_path, fmt)
    write_inventory(model, path)
    read = read_inventory(path)
    assert read == tables_only(model)
    assert "scenarios" not in read
    assert json.loads(json.dumps(read)) == read


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_companion_file_round_trip(tmp_path: Path, example: Path, suffix: str) -> None:
    model = load_example(example.stem)
    write_inventory(model, tmp_path / "inventory")
    write_companion(model, tmp_path / f"companion{suffix}")
    base = load_companion(tmp_path / f"companion{suffix}")
    assert base == companion(model)
    assert read_inventory(tmp_path / "inventory", base=base) == normalise(model)


def test_example_companion_holds_what_tables_cannot() -> None:
    model = load_example("retailer_b")
    extra = companion(model)
    assert list(extra) == ["systems", "scenarios"]  # in the order of the model
    assert extra["scenarios"] == model["scenarios"]
    assert [s["name"] for s in extra["systems"]] == ["shop site", "member database"]
    assert all(set(s) == {"name", "recovery"} for s in extra["systems"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_read_model_loads_in_the_core(tmp_path: Path, fmt: str) -> None:
    import continuity as ct

    for example in EXAMPLES:
        model = load_example(example.stem)
        path = target(tmp_path, fmt, example.stem)
        write_inventory(model, path)
        loaded = ct.Model.from_spreadsheet(path, base=companion(model))
        assert loaded.to_dict() == ct.Model.from_dict(model).to_dict()


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_retailer_b_inventory_matches_the_json(fmt: str) -> None:
    folder = ROOT / "examples" / "inventory"
    path = folder / ("retailer_b.xlsx" if fmt == "xlsx" else "retailer_b")
    base = load_companion(folder / "retailer_b_companion.json")
    assert read_inventory(path, base=base) == normalise(load_example("retailer_b"))


def test_csv_layout(tmp_path: Path) -> None:
    model = load_example("manufacturer_a")
    write_inventory(model, tmp_path / "inv")
    names = sorted(p.name for p in (tmp_path / "inv").iterdir())
    assert names == ["backups.csv", "dependencies.csv", "functions.csv", "model.csv",
                     "resources.csv", "systems.csv"]
    raw = (tmp_path / "inv" / "dependencies.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    with open(tmp_path / "inv" / "dependencies.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["from", "kind", "group", "k", "to"]
    assert ["order processing", "any_of", "1", "", "office PCs"] in rows
    assert ["order processing", "any_of", "1", "", "notebook PC"] in rows


def test_workbook_layout(tmp_path: Path) -> None:
    model = load_example("hospital")
    write_inventory(model, tmp_path / "h.xlsx")
    book = openpyxl.load_workbook(tmp_path / "h.xlsx")
    assert book.sheetnames == ["model", "functions", "systems", "dependencies", "backups",
                               "resources", "impacts"]
    deps = book["dependencies"]
    header = [c.value for c in deps[1]]
    assert header == ["from", "kind", "group", "k", "to"]
    k_rows = [[c.value for c in row] for row in deps.iter_rows(min_row=2)
              if row[1].value == "k_of"]
    assert k_rows == [["virtualisation cluster", "k_of", 1, 2, f"host {i}"] for i in (1, 2, 3)]
    systems = book["systems"]
    assert systems["A2"].value == "hospital building"
    assert systems["C2"].value is None  # empty cells are blank, not empty text
    assert book["backups"]["G2"].value is False or book["backups"]["G2"].value is None
    assert systems.freeze_panes == "A2"


def test_write_replaces_stale_csv_tables(tmp_path: Path) -> None:
    write_inventory(load_example("hospital"), tmp_path / "inv")
    assert (tmp_path / "inv" / "impacts.csv").exists()
    model = load_example("retailer_b")
    write_inventory(model, tmp_path / "inv")
    assert not (tmp_path / "inv" / "impacts.csv").exists()
    assert read_inventory(tmp_path / "inv") == tables_only(model)


# --------------------------------------------------------------------------
# Editing inventories to provoke errors


class Inventory:
    """An inventory on disk (CSV folder or workbook) whose cells a test edits."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt

    def file(self, table: str) -> str:
        """The file an error about ``table`` names."""
        return str(self.path / f"{table}.csv") if self.fmt == "csv" else str(self.path)

    def _edit(self, table: str, change: Callable[[List[List[Any]]], None]) -> None:
        if self.fmt == "csv":
            with open(self.path / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
                grid: List[List[Any]] = list(csv.reader(f))
            change(grid)
            with open(self.path / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([["" if v is None else v for v in r] for r in grid])
            return
        book = openpyxl.load_workbook(self.path)
        sheet = book[table]
        grid = [[c.value for c in row] for row in sheet.iter_rows()]
        change(grid)
        book.remove(sheet)
        sheet = book.create_sheet(table)
        for row in grid:
            sheet.append(row)
        book.save(self.path)

    def set(self, table: str, row: int, column: str, value: Any) -> None:
        """Sets the cell at spreadsheet ``row`` (1 = header) of ``column``."""
        def change(grid: List[List[Any]]) -> None:
            j = grid[0].index(column)
            while len(grid) < row:
                grid.append([None] * len(grid[0]))
            grid[row - 1][j] = value
        self._edit(table, change)

    def rename_column(self, table: str, old: str, new: str) -> None:
        self.set(table, 1, old, new)

    def delete_column(self, table: str, column: str) -> None:
        def change(grid: List[List[Any]]) -> None:
            j = grid[0].index(column)
            for r in grid:
                del r[j]
        self._edit(table, change)

    def add_row(self, table: str, values: Dict[str, Any]) -> int:
        """Appends a row; returns its spreadsheet row number."""
        number = [0]

        def change(grid: List[List[Any]]) -> None:
            grid.append([values.get(c) for c in grid[0]])
            number[0] = len(grid)
        self._edit(table, change)
        return number[0]

    def insert_blank_row(self, table: str, row: int) -> None:
        def change(grid: List[List[Any]]) -> None:
            grid.insert(row - 1, [None] * len(grid[0]))
        self._edit(table, change)

    def add_column(self, table: str, header: Optional[str], value: Any, row: int = 2) -> None:
        def change(grid: List[List[Any]]) -> None:
            for r in grid:
                r.append(None)
            grid[0][-1] = header
            grid[row - 1][-1] = value
        self._edit(table, change)

    def delete_table(self, table: str) -> None:
        if self.fmt == "csv":
            (self.path / f"{table}.csv").unlink()
        else:
            book = openpyxl.load_workbook(self.path)
            book.remove(book[table])
            book.save(self.path)

    def add_table(self, name: str, rows: List[List[Any]]) -> None:
        if self.fmt == "csv":
            with open(self.path / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows(rows)
        else:
            book = openpyxl.load_workbook(self.path)
            sheet = book.create_sheet(name)
            for r in rows:
                sheet.append(r)
            book.save(self.path)


@pytest.fixture(params=FORMATS)
def inventory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Inventory]:
    """retailer_b as an inventory; rows: functions 2 online shop, 3 member support,
    4 shipping; systems 2 office ... 11 owner; backups 2 shop site, 3 member database."""
    fmt: str = request.param
    path = target(tmp_path, fmt)
    write_inventory(load_example("retailer_b"), path)
    yield Inventory(path, fmt)


def expect_error(inv: Inventory, table: Optional[str], row: Optional[int], column: str,
                 *phrases: str, base: Optional[Dict[str, Any]] = None,
                 file: Optional[str] = None) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as info:
        read_inventory(inv.path, base=base)
    error = info.value
    assert error.file == (file if file is not None else inv.file(table or ""))
    assert error.sheet == (table or "")
    assert error.row == row
    assert error.column == column
    message = str(error)
    for phrase in phrases:
        assert phrase in message
    assert message.startswith(error.file)
    if row is not None:
        assert f"row {row}" in message
    if column:
        assert f"column '{column}'" in message
    return error


def test_error_is_a_validation_error(inventory: Inventory) -> None:
    inventory.set("systems", 4, "layer", "firmware")
    error = expect_error(inventory, "systems", 4, "layer", "unknown layer 'firmware'")
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)


def test_missing_required_column(inventory: Inventory) -> None:
    inventory.delete_column("systems", "name")
    expect_error(inventory, "systems", 1, "name", "required column 'name' is missing")


def test_missing_required_dependency_column(inventory: Inventory) -> None:
    inventory.delete_column("dependencies", "to")
    expect_error(inventory, "dependencies", 1, "to", "required column 'to' is missing")


def test_empty_required_cell(inventory: Inventory) -> None:
    inventory.set("functions", 3, "name", None)
    expect_error(inventory, "functions", 3, "name", "'name' is required; the cell is empty")


def test_empty_backup_interval(inventory: Inventory) -> None:
    inventory.set("backups", 3, "interval", "")
    expect_error(inventory, "backups", 3, "interval", "'interval' is required")


def test_number_that_is_not_a_number(inventory: Inventory) -> None:
    inventory.set("functions", 2, "profit_per_day", "400k")
    expect_error(inventory, "functions", 2, "profit_per_day", "'400k' is not a number")


def test_thousands_separators_are_not_numbers(inventory: Inventory) -> None:
    inventory.set("systems", 7, "transactions_per_hour", "1,000")
    expect_error(inventory, "systems", 7, "transactions_per_hour", "'1,000' is not a number")


def test_integer_that_is_not_whole(inventory: Inventory) -> None:
    inventory.set("functions", 4, "importance", 2.5 if inventory.fmt == "xlsx" else "2.5")
    expect_error(inventory, "functions", 4, "importance", "'2.5' is not a whole number")


def test_integer_that_is_text(inventory: Inventory) -> None:
    inventory.set("backups", 2, "generations", "seven")
    expect_error(inventory, "backups", 2, "generations", "'seven' is not a whole number")


def test_integer_written_as_decimal_is_accepted(inventory: Inventory) -> None:
    inventory.set("functions", 4, "importance", 3.0 if inventory.fmt == "xlsx" else "3.0")
    model = read_inventory(inventory.path)
    assert model["functions"][2]["importance"] == 3
    assert isinstance(model["functions"][2]["importance"], int)


def test_not_a_duration(inventory: Inventory) -> None:
    inventory.set("functions", 2, "rpo", "1 fortnight")
    expect_error(inventory, "functions", 2, "rpo", "'1 fortnight' is not a duration")


def test_duration_strings_pass_through(inventory: Inventory) -> None:
    inventory.set("functions", 2, "rto", "90min")
    inventory.set("functions", 3, "rto", "2 days")
    inventory.set("functions", 4, "rto", "immediate")
    inventory.set("functions", 2, "mtpd", "1.5")
    functions = read_inventory(inventory.path)["functions"]
    assert [f["rto"] for f in functions] == ["90min", "2 days", "immediate"]
    assert functions[0]["mtpd"] == 1.5
    assert functions[0]["rpo"] == "1d"


def test_unknown_layer(inventory: Inventory) -> None:
    inventory.set("systems", 5, "layer", "firmware")
    expect_error(inventory, "systems", 5, "layer", "unknown layer 'firmware'",
                 "building, infrastructure, hardware, software")


def test_unknown_side(inventory: Inventory) -> None:
    inventory.set("systems", 5, "side", "both")
    expect_error(inventory, "systems", 5, "side", "unknown side 'both'")


def test_unknown_backup_mode(inventory: Inventory) -> None:
    inventory.set("backups", 3, "mode", "cold")
    expect_error(inventory, "backups", 3, "mode", "unknown backup mode 'cold'",
                 "online, offline, immutable")


def test_unknown_dependency_kind(inventory: Inventory) -> None:
    inventory.set("dependencies", 4, "kind", "some_of")
    expect_error(inventory, "dependencies", 4, "kind", "unknown kind 'some_of'",
                 "all_of, any_of, k_of")


def test_unknown_resource_kind(inventory: Inventory) -> None:
    inventory.set("resources", 3, "kind", "robots")
    expect_error(inventory, "resources", 3, "kind", "unknown kind 'robots'",
                 "people, equipment")


def test_choices_ignore_case_and_separators(inventory: Inventory) -> None:
    inventory.set("systems", 5, "layer", "Infrastructure")
    inventory.set("dependencies", 2, "kind", "All Of")
    inventory.set("backups", 2, "mode", "IMMUTABLE")
    model = read_inventory(inventory.path)
    assert model["systems"][3]["layer"] == "infrastructure"
    assert model["systems"][5]["backups"][0]["mode"] == "immutable"


def test_dependency_to_unknown_system(inventory: Inventory) -> None:
    inventory.set("dependencies", 3, "to", "mainframe")
    expect_error(inventory, "dependencies", 3, "to",
                 "'mainframe' is not in the systems table")


def test_dependency_from_unknown_object(inventory: Inventory) -> None:
    inventory.set("dependencies", 6, "from", "marketing")
    expect_error(inventory, "dependencies", 6, "from",
                 "'marketing' is neither in the functions table nor in the systems table")


def test_dependency_on_a_function(inventory: Inventory) -> None:
    inventory.set("dependencies", 9, "to", "shipping")
    expect_error(inventory, "dependencies", 9, "to", "'shipping' is not in the systems table")


def test_dependency_on_itself(inventory: Inventory) -> None:
    inventory.set("dependencies", 9, "to", "internet line")
    expect_error(inventory, "dependencies", 9, "to", "'internet line' depends on itself")


def test_duplicate_dependency(inventory: Inventory) -> None:
    row = inventory.add_row("dependencies", {"from": "shipping", "to": "office PC"})
    expect_error(inventory, "dependencies", row, "to",
                 "'shipping' needs 'office PC' twice (also in row 8)")


def test_any_of_and_k_of_groups(inventory: Inventory) -> None:
    inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of", "group": "g",
                                       "to": "mail service"})
    inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of", "group": "g",
                                       "to": "internet line"})
    inventory.add_row("dependencies", {"from": "office PC", "kind": "k_of", "group": 1, "k": 2,
                                       "to": "office"})
    inventory.add_row("dependencies", {"from": "office PC", "kind": "k_of", "group": 1,
                                       "to": "internet line"})
    inventory.add_row("dependencies", {"from": "office PC", "kind": "k_of", "group": 1,
                                       "to": "hosting data centre"})
    model = read_inventory(inventory.path)
    assert model["functions"][2]["needs"] == [
        "office PC", {"any_of": ["mail service", "internet line"]}]
    assert model["systems"][8]["depends_on"] == [
        "office", {"k_of": 2, "systems": ["office", "internet line", "hosting data centre"]}]


def test_k_of_without_k(inventory: Inventory) -> None:
    first = inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of",
                                               "to": "mail service"})
    inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "to": "office"})
    expect_error(inventory, "dependencies", first, "k", "needs k")


def test_k_of_more_than_listed(inventory: Inventory) -> None:
    row = inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "k": 3,
                                             "to": "mail service"})
    inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "to": "office"})
    expect_error(inventory, "dependencies", row, "k", "needs 3 of 2 systems")


def test_k_of_conflicting_k(inventory: Inventory) -> None:
    inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "k": 1,
                                       "to": "mail service"})
    row = inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "k": 2,
                                             "to": "office"})
    expect_error(inventory, "dependencies", row, "k", "has k = 1")


def test_k_on_any_of_row(inventory: Inventory) -> None:
    row = inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of", "k": 1,
                                             "to": "mail service"})
    expect_error(inventory, "dependencies", row, "k", "k applies to k_of rows only")


def test_group_on_all_of_row(inventory: Inventory) -> None:
    row = inventory.add_row("dependencies", {"from": "shipping", "group": "a",
                                             "to": "mail service"})
    expect_error(inventory, "dependencies", row, "group",
                 "a group applies to any_of and k_of rows only")


def test_group_mixing_kinds(inventory: Inventory) -> None:
    inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of", "group": "a",
                                       "to": "mail service"})
    row = inventory.add_row("dependencies", {"from": "shipping", "kind": "k_of", "group": "a",
                                             "k": 1, "to": "office"})
    expect_error(inventory, "dependencies", row, "kind", "mixes any_of")


def test_system_twice_in_a_group(inventory: Inventory) -> None:
    inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of", "to": "office"})
    row = inventory.add_row("dependencies", {"from": "shipping", "kind": "any_of",
                                             "to": "office"})
    expect_error(inventory, "dependencies", row, "to", "lists 'office' twice")


def test_name_both_function_and_system(inventory: Inventory) -> None:
    inventory.add_row("systems", {"name": "shipping", "layer": "people"})
    expect_error(inventory, "dependencies", 8, "from",
                 "'shipping' is both a business function and a system", "from_type")


def test_from_type_resolves_a_shared_name(inventory: Inventory) -> None:
    inventory.add_row("systems", {"name": "shipping", "layer": "people"})
    inventory.add_column("dependencies", "from_type", "function", row=8)
    model = read_inventory(inventory.path)
    assert model["functions"][2]["needs"] == ["office PC"]
    assert "depends_on" not in model["systems"][-1]


def test_from_type_must_match(inventory: Inventory) -> None:
    inventory.add_column("dependencies", "from_type", "system", row=2)
    expect_error(inventory, "dependencies", 2, "from", "'online shop' is not in the systems table")


def test_duplicate_function_name(inventory: Inventory) -> None:
    inventory.set("functions", 4, "name", "online shop")
    expect_error(inventory, "functions", 4, "name",
                 "duplicate business function name 'online shop' (also in row 2)")


def test_duplicate_system_name(inventory: Inventory) -> None:
    row = inventory.add_row("systems", {"name": "web server", "layer": "hardware"})
    expect_error(inventory, "systems", row, "name", "duplicate system name 'web server'")


def test_duplicate_resource_name(inventory: Inventory) -> None:
    inventory.set("resources", 4, "name", "owner")
    expect_error(inventory, "resources", 4, "name", "duplicate resource pool name 'owner'")


def test_backup_of_unknown_system(inventory: Inventory) -> None:
    inventory.set("backups", 3, "system", "member db")
    expect_error(inventory, "backups", 3, "system",
                 "backup of 'member db', which is not in the systems table")


def test_impact_of_unknown_function(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "h", "csv")
    write_inventory(load_example("hospital"), inv.path)
    inv.set("impacts", 3, "function", "outpatients")
    expect_error(inv, "impacts", 3, "function",
                 "impact of 'outpatients', which is not in the functions table")


def test_unknown_column(inventory: Inventory) -> None:
    inventory.rename_column("systems", "segment", "segmnet")
    expect_error(inventory, "systems", 1, "segmnet", "unknown column 'segmnet'",
                 "did you mean 'segment'?")


def test_column_names_ignore_case_and_spaces(inventory: Inventory) -> None:
    inventory.rename_column("functions", "revenue_per_day", "Revenue per day")
    assert read_inventory(inventory.path)["functions"][0]["revenue_per_day"] == 1200000
    inventory.set("functions", 2, "Revenue per day", "much")
    expect_error(inventory, "functions", 2, "Revenue per day", "'much' is not a number")


def test_duplicate_column(inventory: Inventory) -> None:
    inventory.rename_column("systems", "segment", "layer")
    expect_error(inventory, "systems", 1, "layer", "column 'layer' appears twice")


def test_value_in_a_column_without_header(inventory: Inventory) -> None:
    inventory.add_column("systems", None, "stray", row=6)
    letter = "K"
    expect_error(inventory, "systems", 6, "", f"cell {letter}6 holds 'stray'",
                 "no name in the header row")


def test_missing_table(inventory: Inventory) -> None:
    inventory.delete_table("backups")
    file = (str(inventory.path / "backups.csv") if inventory.fmt == "csv"
            else str(inventory.path))
    error = expect_error(inventory, "backups", None, "", file=file)
    assert ("no file backups.csv" if inventory.fmt == "csv" else "no sheet 'backups'") \
        in str(error)


@pytest.mark.parametrize("table", REQUIRED_TABLES)
def test_every_required_table_is_required(inventory: Inventory, table: str) -> None:
    inventory.delete_table(table)
    with pytest.raises(SpreadsheetError) as info:
        read_inventory(inventory.path)
    assert info.value.sheet == table
    assert table in str(info.value)


def test_optional_tables_may_be_missing(inventory: Inventory) -> None:
    inventory.delete_table("model")
    inventory.delete_table("resources")
    model = read_inventory(inventory.path)
    assert "resources" not in model and "name" not in model
    assert model["format"] == FORMAT


def test_unknown_table(inventory: Inventory) -> None:
    inventory.add_table("resource", [["name"], ["owner"]])
    file = str(inventory.path / "resource.csv") if inventory.fmt == "csv" else str(inventory.path)
    expect_error(inventory, "resource", None, "", "unknown", "'resource'",
                 "did you mean 'resources'?", file=file)


def test_tables_starting_with_underscore_are_ignored(inventory: Inventory) -> None:
    inventory.add_table("_notes", [["anything"], ["goes", "here"]])
    assert read_inventory(inventory.path) == tables_only(load_example("retailer_b"))


def test_blank_rows_count_in_row_numbers(inventory: Inventory) -> None:
    inventory.insert_blank_row("systems", 3)
    inventory.set("systems", 6, "layer", "firmware")  # web server, row 5 before
    error = expect_error(inventory, "systems", 6, "layer", "unknown layer 'firmware'")
    assert "row 6" in str(error)
    inventory.set("systems", 6, "layer", "hardware")
    assert read_inventory(inventory.path) == tables_only(load_example("retailer_b"))


@pytest.mark.parametrize("text,expected", [
    ("TRUE", True), ("FALSE", False), ("true", True), ("yes", True), ("No", False),
    ("1", True), ("0", False)])
def test_boolean_cells(inventory: Inventory, text: str, expected: bool) -> None:
    inventory.set("systems", 9, "holds_data", text)
    assert read_inventory(inventory.path)["systems"][7]["holds_data"] is expected


def test_boolean_cells_of_excel(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "x.xlsx", "xlsx")
    write_inventory(load_example("retailer_b"), inv.path)
    inv.set("backups", 2, "offsite", False)
    inv.set("backups", 3, "offsite", 1)
    backups = [s.get("backups") for s in read_inventory(inv.path)["systems"]]
    assert backups[4][0]["offsite"] is False and backups[5][0]["offsite"] is True


def test_bad_boolean(inventory: Inventory) -> None:
    inventory.set("backups", 2, "offsite", "maybe")
    expect_error(inventory, "backups", 2, "offsite", "'maybe' is not a yes/no value",
                 "TRUE/FALSE, yes/no or 1/0")


def test_date_in_a_number_cell(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "x.xlsx", "xlsx")
    write_inventory(load_example("retailer_b"), inv.path)
    inv.set("functions", 3, "workaround_setup_time", datetime.time(2, 0))
    expect_error(inv, "functions", 3, "workaround_setup_time", "is a date or time",
                 "not a duration")


def test_numbers_as_text_in_text_cells(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "x.xlsx", "xlsx")
    write_inventory(load_example("retailer_b"), inv.path)
    inv.set("systems", 6, "segment", 7)
    inv.set("systems", 7, "segment", 2.5)
    systems = read_inventory(inv.path)["systems"]
    assert systems[4]["segment"] == "7" and systems[5]["segment"] == "2.5"


def test_csv_not_utf8(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "inv", "csv")
    write_inventory(load_example("retailer_b"), inv.path)
    (inv.path / "systems.csv").write_bytes("name\n\u4e8b\u52d9\u6240\n".encode("cp932"))
    expect_error(inv, "systems", None, "", "not UTF-8")


def test_csv_with_semicolons(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "inv", "csv")
    write_inventory(load_example("retailer_b"), inv.path)
    (inv.path / "resources.csv").write_text("name;kind\nowner;people\n", encoding="utf-8")
    expect_error(inv, "resources", 1, "name;kind", "separate the columns with commas")


def test_model_settings(inventory: Inventory) -> None:
    inventory.set("model", 5, "value", "Five Level")
    model = read_inventory(inventory.path)
    assert model["priority_matrix"] == "five-level"
    assert model["rto_table"] == "example-3"
    assert model["name"] == "Retailer B"


def test_unknown_setting(inventory: Inventory) -> None:
    inventory.set("model", 3, "key", "colour")
    expect_error(inventory, "model", 3, "key", "unknown setting 'colour'", "currency")


def test_unknown_preset(inventory: Inventory) -> None:
    inventory.set("model", 6, "value", "example-9")
    expect_error(inventory, "model", 6, "value", "unknown value 'example-9'", "example-1")


def test_setting_given_twice(inventory: Inventory) -> None:
    row = inventory.add_row("model", {"key": "currency", "value": "EUR"})
    expect_error(inventory, "model", row, "key", "setting 'currency' is given twice")


def test_empty_setting_keeps_the_base(inventory: Inventory) -> None:
    inventory.set("model", 4, "value", None)
    assert "currency" not in read_inventory(inventory.path)
    assert read_inventory(inventory.path, base={"currency": "EUR"})["currency"] == "EUR"


# --------------------------------------------------------------------------
# Paths


def test_missing_path(tmp_path: Path) -> None:
    for name in ("nothing.xlsx", "nothing"):
        with pytest.raises(SpreadsheetError) as info:
            read_inventory(tmp_path / name)
        assert info.value.file == str(tmp_path / name)
        assert "no such" in str(info.value)


def test_a_csv_file_is_not_an_inventory(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inv")
    with pytest.raises(SpreadsheetError, match="give the folder"):
        read_inventory(tmp_path / "inv" / "systems.csv")


def test_old_excel_format(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SpreadsheetError, match=r"save \.xls and \.ods workbooks as \.xlsx"):
        read_inventory(tmp_path / "old.xls")


def test_corrupt_workbook(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(SpreadsheetError, match="cannot read the workbook") as info:
        read_inventory(tmp_path / "bad.xlsx")
    assert info.value.file == str(tmp_path / "bad.xlsx")


def test_write_to_unsupported_path(tmp_path: Path) -> None:
    with pytest.raises(SpreadsheetError, match="give an .xlsx file or a folder"):
        write_inventory(load_example("retailer_b"), tmp_path / "x.csv")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="is a file"):
        write_inventory(load_example("retailer_b"), tmp_path / "file")


# --------------------------------------------------------------------------
# Merging with a base model


def test_base_adds_fields_and_tables_win(inventory: Inventory) -> None:
    base: Dict[str, Any] = {
        "name": "old name",
        "scenarios": [{"name": "fire", "kind": "fire"}],
        "systems": [{"name": "office", "layer": "hardware", "recovery": {"emergency": []}}],
        "functions": [{"name": "shipping", "rto": "3d",
                       "manual_workaround": {"capacity": 0.1, "note": "kept"}}],
    }
    model = read_inventory(inventory.path, base=base)
    assert model["name"] == "Retailer B"
    assert model["scenarios"] == base["scenarios"]
    office = model["systems"][0]
    assert office["layer"] == "building"  # the table's column wins
    assert office["recovery"] == {"emergency": []}
    shipping = model["functions"][2]
    assert "rto" not in shipping  # the table has an rto column, empty for shipping
    assert shipping["manual_workaround"] == {"capacity": 0.9, "setup_time": "1h",
                                             "note": "kept"}
    assert base["systems"][0]["layer"] == "hardware"  # the base is not changed


def test_base_fills_columns_the_table_lacks(inventory: Inventory) -> None:
    inventory.delete_column("functions", "rto")
    base = {"functions": [{"name": "shipping", "rto": "3d"}]}
    assert read_inventory(inventory.path, base=base)["functions"][2]["rto"] == "3d"


def test_base_names_unknown_system(inventory: Inventory) -> None:
    base = {"systems": [{"name": "mainframe", "recovery": {}}]}
    expect_error(inventory, "systems", None, "name",
                 "the base model describes system 'mainframe', which is not in the systems "
                 "table", base=base)


def test_base_without_names(inventory: Inventory) -> None:
    expect_error(inventory, "functions", None, "", "functions[0] must be an object with a name",
                 base={"functions": [{"rto": 1}]})


def test_base_resources_without_table(inventory: Inventory) -> None:
    inventory.delete_table("resources")
    pools = [{"name": "owner", "capacity": 2}]
    assert read_inventory(inventory.path, base={"resources": pools})["resources"] == pools


def test_load_companion_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"scenarios": [}', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="invalid JSON at line 1") as info:
        load_companion(tmp_path / "bad.json")
    assert info.value.file == str(tmp_path / "bad.json")
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="must hold an object"):
        load_companion(tmp_path / "list.yaml")
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="invalid YAML"):
        load_companion(tmp_path / "bad.yaml")
    with pytest.raises(SpreadsheetError, match="cannot read"):
        load_companion(tmp_path / "missing.json")
    (tmp_path / "unnamed.json").write_text('{"systems": [{}]}', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match=r"systems\[0\] must be an object with a name"):
        load_companion(tmp_path / "unnamed.json")


# --------------------------------------------------------------------------
# Writing


def test_write_rejects_values_no_cell_holds(tmp_path: Path) -> None:
    model = load_example("retailer_b")
    model["functions"][1]["rto"] = {"pert": [1, 2, 3]}
    with pytest.raises(SpreadsheetError) as info:
        write_inventory(model, tmp_path / "inv")
    error = info.value
    assert (error.sheet, error.row, error.column) == ("functions", 3, "rto")
    assert "business function 'member support': rto must be text" in str(error)


def test_write_rejects_malformed_requirements(tmp_path: Path) -> None:
    model = load_example("retailer_b")
    model["systems"][2]["depends_on"] = [{"one_of": ["office"]}]
    with pytest.raises(SpreadsheetError, match="depends_on\\[0\\] must be a system name"):
        write_inventory(model, tmp_path / "inv")


def test_write_rejects_unknown_backup_fields(tmp_path: Path) -> None:
    model = load_example("retailer_b")
    model["systems"][4]["backups"][0]["vendor"] = "x"
    with pytest.raises(SpreadsheetError, match="backups\\[0\\] has the field 'vendor'"):
        write_inventory(model, tmp_path / "x.xlsx")


def test_write_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    model = load_example("retailer_b")
    model["systems"][0]["description"] = "=1+1"
    write_inventory(model, tmp_path / "x.xlsx")
    assert read_inventory(tmp_path / "x.xlsx")["systems"][0]["description"] == "=1+1"


def test_custom_matrix_and_uneven_impacts_go_to_the_companion(tmp_path: Path) -> None:
    model = load_example("hospital")
    model["priority_matrix"] = [["D", "C", "B"], ["C", "B", "A"], ["B", "A", "S"]]
    model["rto_table"] = {"S": "3h", "A": "6h", "B": "1d", "C": "3d"}
    model["functions"][5]["impact"] = [{"category": "c", "steps": []}]
    extra = companion(model)
    assert extra["priority_matrix"] == model["priority_matrix"]
    assert extra["rto_table"] == model["rto_table"]
    assert {f["name"] for f in extra["functions"]} == {"outpatient care", "medical billing",
                                                       "staff payroll"}
    for fmt in FORMATS:
        path = target(tmp_path, fmt, fmt)
        write_inventory(model, path)
        assert read_inventory(path, base=extra) == normalise(model)


# --------------------------------------------------------------------------
# Property tests


NAME_CHARS = string.ascii_letters + string.digits + " -_.,;'\"()=/&\u00e9\u4e8b\u52d9"
names = st.text(NAME_CHARS, min_size=1, max_size=10).map(str.strip).filter(bool)
texts = st.text(NAME_CHARS + "\n", min_size=1, max_size=30).map(str.strip).filter(bool)
decimals = st.integers(-10**6, 10**6).map(lambda n: n / 100)
numbers_ = st.one_of(st.integers(0, 10**9), decimals)
durations = st.one_of(
    st.integers(0, 10**4), st.integers(0, 10**5).map(lambda n: n / 10),
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 500),
              st.sampled_from(["min", "h", "d", "w", "mo", "y", " days", " h"])),
    st.just("immediate"))


def optional(fields: Dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def requirements(draw: st.DrawFn, systems: List[str], owner: Optional[str]
                 ) -> List[Any]:
    pool = [s for s in systems if s != owner]
    if not pool:
        return []
    plain = draw(st.lists(st.sampled_from(pool), unique=True, max_size=3))
    entries: List[Any] = list(plain)
    for _ in range(draw(st.integers(0, 2))):
        members = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=3))
        form = draw(st.sampled_from(["any_of", "k_of", "all_of"]))
        if form == "any_of":
            entries.append({"any_of": members})
        elif form == "k_of":
            entries.append({"k_of": draw(st.integers(1, len(members))), "systems": members})
        else:
            fresh = [m for m in members if m not in plain]
            plain.extend(fresh)
            if fresh:
                entries.append({"all_of": fresh})
    return draw(st.permutations(entries))


@st.composite
def models(draw: st.DrawFn, extras: bool = False) -> Dict[str, Any]:
    function_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    system_names = draw(st.lists(st.one_of(names, st.sampled_from(function_names)),
                                 max_size=6, unique=True))
    model: Dict[str, Any] = draw(optional({
        "name": names, "description": texts, "currency": st.sampled_from(["JPY", "EUR"]),
        "priority_matrix": st.sampled_from(["three-level", "five-level"]),
        "rto_table": st.sampled_from(["example-1", "example-2", "example-3"]),
        "cycle_policy": st.sampled_from(["reject", "group"])}))
    resources = draw(st.none() | st.lists(names, unique=True, max_size=3))
    if resources is not None:
        model["resources"] = [
            {"name": n, **draw(optional({"kind": st.sampled_from(["people", "equipment"]),
                                         "capacity": st.integers(0, 50),
                                         "description": texts}))} for n in resources]
    model["functions"] = []
    for name in function_names:
        function = {"name": name, **draw(optional({
            "importance": st.integers(1, 5), "system_dependency": st.integers(1, 5),
            "emergency": st.booleans(), "rto": durations, "rpo": durations,
            "mtpd": durations, "wrt": durations, "revenue_per_day": numbers_,
            "margin": decimals, "profit_per_day": numbers_,
            "operating_days_per_week": st.integers(1, 7), "description": texts}))}
        workaround = draw(optional({"capacity": decimals, "setup_time": durations,
                                    "max_duration": durations, "description": texts}))
        if workaround:
            function["manual_workaround"] = workaround
        needs = draw(requirements(system_names, None))
        if needs:
            function["needs"] = needs
        categories = draw(st.lists(names, unique=True, max_size=2))
        if categories:
            function["impact"] = [
                {"category": c, "steps": draw(st.lists(optional({
                    "after": durations, "rate_per_hour": numbers_, "rate_per_day": numbers_,
                    "lump": numbers_}), min_size=1, max_size=3))} for c in categories]
        if extras and draw(st.booleans()):
            function["impact"] = [{"category": "x", "steps": []}]
        model["functions"].append(function)
    model["systems"] = []
    for name in system_names:
        system = {"name": name, **draw(optional({
            "layer": st.sampled_from(["building", "infrastructure", "hardware", "software",
                                      "data", "people"]),
            "side": st.sampled_from(["client", "server"]), "segment": names,
            "holds_data": st.booleans(), "transactions_per_hour": numbers_,
            "reentry_hours_per_transaction": durations, "reentry_by": names,
            "reentry_staff": st.integers(1, 9), "description": texts}))}
        depends_on = draw(requirements(system_names, name))
        if depends_on:
            system["depends_on"] = depends_on
        backups = draw(st.lists(st.builds(
            lambda interval, rest: {"interval": interval, **rest}, durations, optional({
                "generations": st.integers(1, 30), "medium": names,
                "mode": st.sampled_from(["online", "offline", "immutable"]),
                "offsite": st.booleans(), "restore_time": durations})), max_size=2))
        if backups:
            system["backups"] = backups
        if extras and draw(st.booleans()):
            system["recovery"] = {"emergency": [{"name": "fix", "duration": draw(durations)}]}
        model["systems"].append(system)
    if extras:
        model["scenarios"] = [{"name": "fire", "kind": "fire", "annual_frequency": 0.1}]
    return model


PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(models(), st.sampled_from(FORMATS))
def test_random_inventories_round_trip(model: Dict[str, Any], fmt: str) -> None:
    assert companion(model) == {}
    with tempfile.TemporaryDirectory() as directory:
        path = target(Path(directory), fmt)
        write_inventory(model, path)
        assert read_inventory(path) == normalise(model)


@PROPERTY
@given(models(extras=True), st.sampled_from(FORMATS))
def test_random_models_round_trip_with_companion(model: Dict[str, Any], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = target(Path(directory), fmt)
        write_inventory(model, path)
        write_companion(model, Path(directory) / "companion.json")
        base = load_companion(Path(directory) / "companion.json")
        assert read_inventory(path, base=base) == normalise(model)


CELLS = st.one_of(
    st.sampled_from(["", "x", "office", "online shop", "1", "2.5", "-3", "yes", "maybe", "4h",
                     "3 fortnights", "any_of", "k_of", "all_of", "software", "immutable",
                     "nan", "inf", "1e999", "=1", "name", "from"]),
    st.text(NAME_CHARS, max_size=6))


@st.composite
def grids(draw: st.DrawFn, table: str) -> List[List[str]]:
    known = list(COLUMNS[table])
    header = draw(st.lists(st.one_of(st.sampled_from(known), CELLS), max_size=7))
    if draw(st.booleans()):
        header = known + header[:1]
    return [header] + draw(st.lists(st.lists(CELLS, max_size=len(header) + 1), max_size=5))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: grids(name) for name in TABLES}),
       st.sets(st.sampled_from(TABLES)))
def test_arbitrary_csv_tables_give_a_model_or_a_spreadsheet_error(
        tables: Dict[str, List[List[str]]], left_out: set[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        for name, rows in tables.items():
            if name in left_out:
                continue
            with open(Path(directory) / f"{name}.csv", "w", encoding="utf-8",
                      newline="") as f:
                csv.writer(f).writerows(rows)
        try:
            model = read_inventory(directory)
        except SpreadsheetError as error:
            assert error.file.startswith(directory)
            assert error.row is None or error.row >= 1
            assert isinstance(error.column, str)
        else:
            assert json.loads(json.dumps(model, allow_nan=False)) == model


# --------------------------------------------------------------------------
# Impact curves in their own units


def _with_points_curve() -> Dict[str, Any]:
    model = load_example("hospital")
    model["functions"][0].setdefault("impact", []).append(
        {"category": "reputation", "unit": "points",
         "steps": [{"after": "1d", "lump": 3}, {"after": "1w", "lump": 5}]})
    return model


@pytest.mark.parametrize("fmt", FORMATS)
def test_impact_units_round_trip_through_the_impacts_table(tmp_path: Path, fmt: str) -> None:
    model = _with_points_curve()
    path = target(tmp_path, fmt)
    write_inventory(model, path)
    assert "reputation" not in json.dumps(companion(model))  # the table holds it
    read = read_inventory(path)
    curves = {c["category"]: c for f in read["functions"] for c in f.get("impact", [])}
    assert curves["reputation"]["unit"] == "points"
    assert [s["lump"] for s in curves["reputation"]["steps"]] == [3, 5]
    assert "unit" not in curves["fees not collected"]  # money: no unit written
    assert read_inventory(path, base=companion(model)) == normalise(model)


def test_an_impact_curve_with_two_units_is_an_error(tmp_path: Path) -> None:
    inv = Inventory(tmp_path / "h", "csv")
    write_inventory(_with_points_curve(), inv.path)
    with open(inv.path / "impacts.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    category = rows[0].index("category")
    second = [i for i, r in enumerate(rows) if r[category] == "reputation"][1] + 1
    inv.set("impacts", second, "unit", "patients")
    expect_error(inv, "impacts", second, "unit", "'reputation' impact",
                 "a curve has one unit")
