"""Tests of continuity.bia: BIA workbooks in the ISO/TS 22317 / NIST SP 800-34 field set."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import continuity as ct
from continuity import cli
from continuity.bia import (
    COLUMNS,
    DEFAULT_TIME_BANDS,
    SHEETS,
    companion,
    is_bia_workbook,
    load_companion,
    read_bia_workbook,
    write_bia_workbook,
    write_companion,
)
from continuity.errors import SpreadsheetError
from continuity.spreadsheet import read_inventory, write_inventory

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
TEMPLATES = ROOT / "docs" / "templates"


def load_example(name: str) -> Dict[str, Any]:
    with open(ROOT / "examples" / f"{name}.json", encoding="utf-8") as stream:
        data: Dict[str, Any] = json.load(stream)
    return data


def normalise(model: Dict[str, Any]) -> Dict[str, Any]:
    """The model as a workbook gives it back: all-of requirements as plain names
    (the only rewriting; the examples other than the hospital and the gym use it)."""
    m = copy.deepcopy(model)
    for key, field in (("functions", "needs"), ("systems", "depends_on")):
        for obj in m.get(key, []):
            if field in obj:
                flat: List[Any] = []
                for entry in obj[field]:
                    if isinstance(entry, dict) and set(entry) == {"all_of"}:
                        flat.extend(entry["all_of"])
                    else:
                        flat.append(entry)
                obj[field] = flat
    return m


def sheet_rows(path: Path, sheet: str) -> List[List[Any]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


# --------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("example", ["hospital", "gym_ja"])
def test_example_reads_back_into_the_same_model(tmp_path: Path, example: str) -> None:
    model = load_example(example)
    path = tmp_path / "bia.xlsx"
    write_bia_workbook(model, path)
    assert read_bia_workbook(path, base=companion(model)) == model


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_through_files(tmp_path: Path, example: Path) -> None:
    model = load_example(example.stem)
    write_bia_workbook(model, tmp_path / "bia.xlsx")
    write_companion(model, tmp_path / "bia.yaml")
    base = load_companion(tmp_path / "bia.yaml")
    assert base == companion(model)
    assert read_bia_workbook(tmp_path / "bia.xlsx", base=base) == normalise(model)


def test_the_workbook_holds_all_but_scenarios_and_procedures() -> None:
    model = load_example("hospital")
    extra = companion(model)
    assert list(extra) == ["systems", "scenarios"]
    assert extra["scenarios"] == model["scenarios"]
    assert all(set(s) == {"name", "recovery"} for s in extra["systems"])
    # The gym's outside vendor ('external') and its tier '竹' are in the workbook too.
    gym = companion(load_example("gym_ja"))
    assert list(gym) == ["systems", "scenarios", "insurance"]
    assert all(set(s) == {"name", "recovery"} for s in gym["systems"])


def test_tables_alone_give_a_valid_model_without_scenarios(tmp_path: Path) -> None:
    model = load_example("hospital")
    write_bia_workbook(model, tmp_path / "bia.xlsx")
    read = read_bia_workbook(tmp_path / "bia.xlsx")
    assert "scenarios" not in read
    assert read["tier"] == "bamboo" and read["cycle_policy"] == "group"
    expected = {k: v for k, v in model.items() if k != "scenarios"}
    expected["systems"] = [{k: v for k, v in s.items() if k != "recovery"}
                           for s in model["systems"]]
    assert read == expected
    loaded = ct.Model.from_dict(read)
    assert loaded.functions == [f["name"] for f in model["functions"]]


def test_curves_that_do_not_fit_the_time_bands_stay_in_the_companion(tmp_path: Path) -> None:
    model = load_example("hospital")
    # Two spellings of one time: no column can hold both.
    model["functions"][1]["impact"][0]["steps"][0]["after"] = "72h"
    model["functions"][4]["minimum_capacity"] = [{"by": "3d", "capacity": 0.5}]
    write_bia_workbook(model, tmp_path / "bia.xlsx")
    header = sheet_rows(tmp_path / "bia.xlsx", "Processes")[0]
    assert "Measure" not in header and "Impact category" not in header and "3d" not in header
    extra = companion(model)
    assert [f["name"] for f in extra["functions"]] == ["outpatient care", "medical billing"]
    assert read_bia_workbook(tmp_path / "bia.xlsx", base=extra) == model


def test_model_loader_and_command_read_a_bia_workbook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = load_example("hospital")
    path = tmp_path / "hospital.xlsx"
    write_bia_workbook(model, path)
    write_inventory(model, tmp_path / "inventory.xlsx")
    assert is_bia_workbook(path)
    assert not is_bia_workbook(tmp_path / "inventory.xlsx")
    assert not is_bia_workbook(ROOT / "examples" / "hospital.json")
    write_companion(model, tmp_path / "hospital_companion.json")
    with pytest.raises(SpreadsheetError, match="companion"):
        ct.load_model(path)  # the companion lies beside it
    loaded = ct.load_model(path, base=load_companion(tmp_path / "hospital_companion.json"))
    assert loaded.to_dict() == ct.Model.from_dict(model).to_dict()

    def total(*argv: str) -> Any:
        assert cli.main([*argv, "-d", "--json"]) == 0
        return json.loads(capsys.readouterr().out)["total"]

    assert total(str(path), "--companion", str(tmp_path / "hospital_companion.json")) \
        == total(str(ROOT / "examples" / "hospital.json"))


# --------------------------------------------------------------------------
# The written layout


def test_written_layout(tmp_path: Path) -> None:
    write_bia_workbook(load_example("hospital"), tmp_path / "h.xlsx")
    book = openpyxl.load_workbook(tmp_path / "h.xlsx")
    assert book.sheetnames == [*SHEETS, "_guide"]
    processes = [[c.value for c in row] for row in book["Processes"].iter_rows()]
    bands = ["0h", *DEFAULT_TIME_BANDS]
    assert processes[0][:8 + len(bands)] == [*COLUMNS["Processes"][:8], *bands]
    assert processes[0][8 + len(bands):] == list(COLUMNS["Processes"][8:])
    column = {name: j for j, name in enumerate(processes[0])}
    # Outpatient care: its objectives on its first row, a row per measure of its curve.
    assert [r[0] for r in processes[2:4]] == ["outpatient care", "outpatient care"]
    assert processes[2][column["MTPD"]] == "3d" and processes[3][column["MTPD"]] is None
    assert [r[column["Measure"]] for r in processes[2:4]] == ["per day", "one-off"]
    assert processes[2][column["3d"]] == 100000 and processes[2][column["2w"]] == 250000
    assert processes[3][column["2w"]] == 2000000 and processes[3][column["3d"]] is None
    for sheet in SHEETS[2:]:
        assert [c.value for c in book[sheet][1]] == [
            c for c in COLUMNS[sheet] if c != "Type"]  # no process and resource share a name
    lists = {(sheet.title, str(v.sqref).split(":")[0][0]): v.formula1
             for sheet in book.worksheets for v in sheet.data_validations.dataValidation}
    assert lists[("Processes", chr(ord("A") + column["Measure"]))] == \
        '"per day,per hour,one-off,level,MBCO"'
    assert lists[("Resources", "B")] == \
        '"building,infrastructure,hardware,software,data,software/data,people"'
    assert lists[("Dependencies", "C")] == '"all of,any of,k of"'
    assert lists[("Organisation", "A")].startswith('"Name,Description,Currency,Tier,')
    assert book["Processes"].freeze_panes == "A2"
    guide = [[c.value for c in row] for row in book["_guide"].iter_rows()]
    assert guide[0] == ["Sheet", "Column", "Meaning", "説明"]
    assert {row[0] for row in guide[1:]} >= set(SHEETS)


def test_japanese_names_are_kept(tmp_path: Path) -> None:
    model = load_example("gym_ja")
    write_bia_workbook(model, tmp_path / "gym.xlsx")
    rows = sheet_rows(tmp_path / "gym.xlsx", "Processes")
    header = rows[0]
    billing = next(r for r in rows if r[0] == "月次口座振替")
    assert billing[header.index("Impact category")] == "口座振替の遅れ"
    assert billing[header.index("5d")] == 100000  # the gym's own time band
    assert sheet_rows(tmp_path / "gym.xlsx", "Organisation")[4] == ["Tier", "竹"]


# --------------------------------------------------------------------------
# Editing a workbook


class Book:
    """A BIA workbook on disk whose cells a test edits (by header)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _edit(self, change: Callable[[Any], None]) -> None:
        book = openpyxl.load_workbook(self.path)
        change(book)
        book.save(self.path)

    @staticmethod
    def _column(sheet: Any, header: str) -> int:
        return [str(c.value) for c in sheet[1]].index(header) + 1

    def set(self, sheet: str, row: int, header: str, value: Any) -> None:
        """Sets the cell of ``header`` in ``row`` (1: the header row)."""
        def change(book: Any) -> None:
            book[sheet].cell(row, self._column(book[sheet], header)).value = value
        self._edit(change)

    def insert(self, sheet: str, row: int, values: Dict[str, Any]) -> None:
        """Inserts a row at ``row`` with the values of some columns."""
        def change(book: Any) -> None:
            book[sheet].insert_rows(row)
            for header, value in values.items():
                book[sheet].cell(row, self._column(book[sheet], header)).value = value
        self._edit(change)

    def append(self, sheet: str, values: Dict[str, Any]) -> int:
        """Appends a row; returns its number."""
        book = openpyxl.load_workbook(self.path)
        row = book[sheet].max_row + 1
        self.insert(sheet, row, values)
        return row

    def find(self, sheet: str, header: str, value: Any) -> int:
        """The first row whose cell of ``header`` holds ``value``."""
        book = openpyxl.load_workbook(self.path)
        j = self._column(book[sheet], header)
        return next(r for r in range(2, book[sheet].max_row + 1)
                    if book[sheet].cell(r, j).value == value)

    def delete_column(self, sheet: str, header: str) -> None:
        self._edit(lambda book: book[sheet].delete_cols(self._column(book[sheet], header)))

    def delete_sheet(self, sheet: str) -> None:
        self._edit(lambda book: book.remove(book[sheet]))

    def add_sheet(self, sheet: str) -> None:
        self._edit(lambda book: book.create_sheet(sheet).append(["name"]))


@pytest.fixture
def hospital(tmp_path: Path) -> Book:
    """The hospital as a BIA workbook. Processes rows: 2 emergency admission,
    3-4 outpatient care (per day, one-off), 5 inpatient care, 6 imaging and
    laboratory, 7 medical billing (per day), 8 staff payroll; time bands 0h,
    4h, 1d, 3d, 1w, 2w, 1mo."""
    path = tmp_path / "hospital.xlsx"
    write_bia_workbook(load_example("hospital"), path)
    return Book(path)


def test_a_process_row_without_a_name_continues_the_one_above(hospital: Book) -> None:
    hospital.set("Processes", 4, "Process", None)  # as merged cells read
    hospital.set("Processes", 4, "Measure", "one-off")
    assert read_bia_workbook(hospital.path, base=companion(load_example("hospital"))) \
        == load_example("hospital")


def test_escalation_levels_and_mbco(hospital: Book) -> None:
    hospital.insert("Processes", 9, {"Process": "staff payroll", "Impact category": "reputation",
                                     "Unit": "level", "Measure": "level", "1d": 1, "1w": 3,
                                     "2w": 3, "1mo": 5})
    hospital.insert("Processes", 10, {"Process": "staff payroll", "Measure": "MBCO", "1w": 0.5,
                                      "1mo": 1})
    payroll = read_bia_workbook(hospital.path)["functions"][5]
    assert payroll["impact"] == [{"category": "reputation", "unit": "level", "steps": [
        {"after": "1d", "lump": 1}, {"after": "1w", "lump": 2}, {"after": "2w", "lump": 0},
        {"after": "1mo", "lump": 2}]}]
    assert payroll["minimum_capacity"] == [{"by": "1w", "capacity": 0.5},
                                           {"by": "1mo", "capacity": 1}]


def test_time_bands_in_any_order_and_in_hours(hospital: Book) -> None:
    hospital.set("Processes", 1, "4h", 2)  # a number of hours heads a band too
    hospital.set("Processes", 1, "0h", "1y")
    hospital.set("Processes", 7, "2", 10)
    hospital.set("Processes", 7, "1y", 5)
    billing = read_bia_workbook(hospital.path)["functions"][4]
    assert billing["impact"] == [{"category": "fees not collected", "steps": [
        {"after": 2, "rate_per_day": 10}, {"after": "1y", "rate_per_day": 5}]}]


def test_headers_in_other_words(hospital: Book) -> None:
    hospital.set("Processes", 1, "MTPD", "MTD")  # NIST SP 800-34's name
    hospital.set("Processes", 1, "Workaround set-up time", "workaround set up time")
    hospital.set("Processes", 1, "RTO", "rto")
    assert read_bia_workbook(hospital.path, base=companion(load_example("hospital"))) \
        == load_example("hospital")


def test_ignored_sheets(hospital: Book) -> None:
    hospital.add_sheet("_notes")
    hospital.delete_sheet("_guide")
    hospital.delete_sheet("Organisation")
    read = read_bia_workbook(hospital.path)
    assert "name" not in read and "tier" not in read


def test_the_documented_example(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "bia-workbook.md").read_text(encoding="utf-8")
    start = text.index("| Process | Impact category")
    table = text[start:text.index("\n\n", start)].splitlines()

    def cells(line: str) -> List[str]:
        return [c.strip() for c in line.strip().strip("|").split("|")]

    def value(cell: str) -> Any:
        if not cell:
            return None
        try:
            return int(cell)
        except ValueError:
            return float(cell) if cell.replace(".", "", 1).isdigit() else cell

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Processes"
    sheet.append(cells(table[0]))
    for line in table[2:]:
        sheet.append([value(c) for c in cells(line)])
    for name, header in (("Resources", ["Resource"]), ("Backups", ["Resource"]),
                         ("Dependencies", ["Process or resource", "Depends on"])):
        book.create_sheet(name).append(header)
    book.save(tmp_path / "example.xlsx")
    block = text.index("```json", start) + len("```json")
    expected = json.loads(text[block:text.index("```", block)])
    assert read_bia_workbook(tmp_path / "example.xlsx")["functions"] == [expected]


# --------------------------------------------------------------------------
# Errors: every one names the file, sheet, row and column


Edit = Callable[[Book], None]
CASES: List[Tuple[str, Edit, str, Optional[int], str, Tuple[str, ...]]] = [
    ("bad duration", lambda b: b.set("Processes", 3, "RTO", "soon"),
     "Processes", 3, "RTO", ("'soon' is not a duration",)),
    ("bad band value", lambda b: b.set("Processes", 3, "3d", "lots"),
     "Processes", 3, "3d", ("'lots' is not a number",)),
    ("band value without measure", lambda b: b.set("Processes", 5, "1d", 5),
     "Processes", 5, "1d", ("needs a 'Measure'",)),
    ("category without measure", lambda b: b.set("Processes", 5, "Impact category", "x"),
     "Processes", 5, "Impact category", ("needs a 'Measure'",)),
    ("measure without values", lambda b: b.set("Processes", 5, "Measure", "per day"),
     "Processes", 5, "Measure", ("no value in any time band",)),
    ("no category", lambda b: b.set("Processes", 7, "Impact category", None),
     "Processes", 7, "Impact category", ("'Impact category' is required",)),
    ("MBCO with a category", lambda b: b.set("Processes", 7, "Measure", "MBCO"),
     "Processes", 7, "Impact category", ("an MBCO row has no 'Impact category'",)),
    ("second MBCO", lambda b: [b.insert("Processes", 9, {"Process": "staff payroll",
                                                        "Measure": "MBCO", "1d": 0.5})
                               for _ in range(2)],
     "Processes", 10, "Measure", ("'staff payroll' has its MBCO in row 9 already",)),
    ("measure twice", lambda b: b.set("Processes", 4, "Measure", "per day"),
     "Processes", 4, "Measure", ("has a 'per day' row already (row 3)",)),
    ("level and one-off", lambda b: b.insert("Processes", 5, {
        "Process": "outpatient care", "Impact category": "patients referred elsewhere",
        "Measure": "level", "1d": 1}),
     "Processes", 5, "Measure", ("has a 'one-off' row already (row 4)",)),
    ("two rates at one time", lambda b: b.insert("Processes", 5, {
        "Process": "outpatient care", "Impact category": "patients referred elsewhere",
        "Measure": "per hour", "3d": 5}),
     "Processes", 5, "3d", ("has a rate per day from 3d already (row 3)",)),
    ("falling level", lambda b: b.insert("Processes", 9, {
        "Process": "staff payroll", "Impact category": "reputation", "Measure": "level",
        "1d": 3, "3d": 2}),
     "Processes", 9, "3d", ("never falls", "below the 3")),
    ("negative level", lambda b: b.insert("Processes", 9, {
        "Process": "staff payroll", "Impact category": "reputation", "Measure": "level",
        "1d": -1}),
     "Processes", 9, "1d", ("an escalation level is not negative: -1",)),
    ("two units", lambda b: [b.set("Processes", 3, "Unit", "patients"),
                             b.set("Processes", 4, "Unit", "points")],
     "Processes", 4, "Unit", ("in 'patients' in an earlier row",)),
    ("objective on a later row", lambda b: b.set("Processes", 4, "RTO", "2d"),
     "Processes", 4, "RTO", ("goes on its first row (row 3)",)),
    ("rows apart", lambda b: b.set("Processes", 4, "Process", "emergency admission"),
     "Processes", 4, "Process", ("'emergency admission' is already in row 2", "together")),
    ("first row without a process", lambda b: b.set("Processes", 2, "Process", None),
     "Processes", 2, "Process", ("the first row needs a process",)),
    ("bands of one length", lambda b: b.set("Processes", 1, "4h", "24h"),
     "Processes", 1, "1d", ("'24h' (column J) and '1d' (column K) are the same length",)),
    ("unknown measure", lambda b: b.set("Processes", 3, "Measure", "daily"),
     "Processes", 3, "Measure", ("'daily'", "per day, per hour, one-off, level, MBCO")),
    ("misspelt column", lambda b: b.set("Processes", 1, "Workaround capacity",
                                        "Workaround capcity"),
     "Processes", 1, "Workaround capcity", ("did you mean 'Workaround capacity'?",)),
    ("unknown column", lambda b: b.set("Processes", 1, "Unit", "Owner"),
     "Processes", 1, "Owner", ("unknown column 'Owner'", "a time band is a duration")),
    ("missing column", lambda b: b.delete_column("Processes", "Process"),
     "Processes", 1, "Process", ("required column 'Process' is missing",)),
    ("duplicate process", lambda b: b.set("Processes", 8, "Process", "inpatient care"),
     "Processes", 8, "Process", ("'inpatient care' is already in row 5",)),
    ("bad layer", lambda b: b.set("Resources", 2, "Resource type", "castle"),
     "Resources", 2, "Resource type", ("unknown layer 'castle'",)),
    ("duplicate resource", lambda b: b.set("Resources", 3, "Resource", "hospital building"),
     "Resources", 3, "Resource", ("duplicate resource name 'hospital building' (also in row 2)",)),
    ("unknown dependency", lambda b: b.set("Dependencies", 2, "Depends on", "EMR"),
     "Dependencies", 2, "Depends on", ("'EMR' is not in the Resources sheet",)),
    ("unknown dependent", lambda b: b.set("Dependencies", 2, "Process or resource", "triage"),
     "Dependencies", 2, "Process or resource",
     ("'triage' is neither in the Processes sheet nor in the Resources sheet",)),
    ("group on all of", lambda b: b.set("Dependencies", 2, "Group", 1),
     "Dependencies", 2, "Group", ("a group applies to any of and k of rows only",)),
    ("bad requirement", lambda b: b.set("Dependencies", 2, "Requirement", "some of"),
     "Dependencies", 2, "Requirement", ("'some of'", "all of, any of, k of")),
    ("backup of an unknown resource", lambda b: b.set("Backups", 2, "Resource", "EMR"),
     "Backups", 2, "Resource", ("backup of 'EMR', which is not in the Resources sheet",)),
    ("backup without interval", lambda b: b.set("Backups", 2, "Interval", None),
     "Backups", 2, "Interval", ("'Interval' is required (or 'Age'",)),
    ("bad backup mode", lambda b: b.set("Backups", 2, "Mode", "cloud"),
     "Backups", 2, "Mode", ("unknown backup mode 'cloud'",)),
    ("unknown setting", lambda b: b.set("Organisation", 2, "Setting", "Owner"),
     "Organisation", 2, "Setting", ("unknown setting 'Owner'", "Name, Description")),
    ("setting twice", lambda b: b.set("Organisation", 3, "Setting", "Name"),
     "Organisation", 3, "Setting", ("setting 'Name' is given twice (also in row 2)",)),
    ("bad head count", lambda b: b.append("Organisation", {"Setting": "Employees",
                                                           "Value": "many"}),
     "Organisation", 9, "Value", ("'many' is not a whole number",)),
    ("bad tier", lambda b: b.set("Organisation", 5, "Value", "oak"),
     "Organisation", 5, "Value", ("'oak'", "pine, bamboo, plum, 松, 竹, 梅")),
    ("duplicate pool", lambda b: b.set("Staff and equipment", 3, "Name", "IT staff"),
     "Staff and equipment", 3, "Name", ("duplicate pool name 'IT staff' (also in row 2)",)),
    ("bad capacity", lambda b: b.set("Staff and equipment", 3, "Number available", 1.5),
     "Staff and equipment", 3, "Number available", ("'1.5' is not a whole number",)),
    ("bad yes/no", lambda b: b.set("Staff and equipment", 3, "External", "maybe"),
     "Staff and equipment", 3, "External", ("'maybe' is not a yes/no value",)),
    ("missing sheet", lambda b: b.delete_sheet("Resources"),
     "Resources", None, "", ("the workbook has no sheet 'Resources'",)),
    ("unknown sheet", lambda b: b.add_sheet("Proceses"),
     "Proceses", None, "", ("unknown sheet 'Proceses'", "did you mean 'Processes'?")),
    ("inventory sheet", lambda b: b.add_sheet("functions"),
     "functions", None, "", ("a sheet of an inventory: read it with "
                             "continuity.spreadsheet.read_inventory",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_sheet_row_and_column(
        hospital: Book, case: Tuple[str, Edit, str, Optional[int], str, Tuple[str, ...]]) -> None:
    _, edit, sheet, row, column, phrases = case
    edit(hospital)
    with pytest.raises(SpreadsheetError) as info:
        read_bia_workbook(hospital.path)
    error = info.value
    assert (error.file, error.sheet, error.row, error.column) == \
        (str(hospital.path), sheet, row, column)
    message = str(error)
    assert message.startswith(f"{hospital.path}, sheet '{sheet}'")
    if row is not None:
        assert f"row {row}" in message
    if column:
        assert f"column '{column}'" in message
    for phrase in phrases:
        assert phrase in message


def test_k_of_group_without_k(hospital: Book) -> None:
    row = hospital.find("Dependencies", "Requirement", "k of")
    for r in range(row, row + 3):
        hospital.set("Dependencies", r, "k", None)
    with pytest.raises(SpreadsheetError) as info:
        read_bia_workbook(hospital.path)
    assert (info.value.sheet, info.value.row, info.value.column) == ("Dependencies", row, "k")
    assert "the k of group '1' of 'virtualisation cluster' needs k, the number of resources" \
        in str(info.value)


def test_process_and_resource_of_one_name(hospital: Book) -> None:
    hospital.append("Resources", {"Resource": "staff payroll"})
    row = hospital.find("Dependencies", "Process or resource", "staff payroll")
    with pytest.raises(SpreadsheetError) as info:
        read_bia_workbook(hospital.path)
    assert (info.value.sheet, info.value.row, info.value.column) == \
        ("Dependencies", row, "Process or resource")
    assert "is both a process and a resource; say which in the column 'Type'" \
        in str(info.value)


def test_companion_naming_a_missing_process(hospital: Book) -> None:
    with pytest.raises(SpreadsheetError) as info:
        read_bia_workbook(hospital.path, base={"functions": [{"name": "triage"}]})
    assert (info.value.sheet, info.value.row, info.value.column) == \
        ("Processes", None, "Process")
    assert "describes process 'triage', which is not in the Processes sheet" in str(info.value)


def test_an_inventory_is_not_a_bia_workbook_and_back(tmp_path: Path) -> None:
    write_inventory(load_example("retailer_b"), tmp_path / "inventory.xlsx")
    with pytest.raises(SpreadsheetError, match="read it with continuity.spreadsheet"):
        read_bia_workbook(tmp_path / "inventory.xlsx")
    write_bia_workbook(load_example("retailer_b"), tmp_path / "bia.xlsx")
    with pytest.raises(SpreadsheetError, match="read it with continuity.bia.read_bia_workbook"):
        read_inventory(tmp_path / "bia.xlsx")


@pytest.mark.parametrize("name", ["missing.xlsx", "folder.xlsx", "tables.csv"])
def test_paths_that_are_no_workbook(tmp_path: Path, name: str) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "tables.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as info:
        read_bia_workbook(tmp_path / name)
    assert info.value.file == str(tmp_path / name)
    if name != "missing.xlsx":  # a new workbook can be written
        with pytest.raises(SpreadsheetError):
            write_bia_workbook(load_example("gym"), tmp_path / name)


def test_a_value_no_cell_holds_is_named_by_its_sheet_and_column(tmp_path: Path) -> None:
    model = load_example("gym")
    model["functions"][1]["rto"] = {"pert": ["1d", "2d", "4d"]}
    with pytest.raises(SpreadsheetError) as info:
        write_bia_workbook(model, tmp_path / "bia.xlsx")
    assert (info.value.sheet, info.value.row, info.value.column) == ("Processes", 3, "RTO")
    assert "must be text, a finite number or true/false" in str(info.value)


# --------------------------------------------------------------------------
# The template


def template_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_templates",
                                                  TEMPLATES / "make_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_is_a_valid_example_model() -> None:
    model = read_bia_workbook(TEMPLATES / "bia-workbook.xlsx")
    assert [f["name"] for f in model["functions"]] == ["outpatient reception"]
    loaded = ct.Model.from_dict(model)
    assert loaded.scenarios == []
    with_scenarios = ct.load_model(TEMPLATES / "bia-workbook.xlsx", base=load_companion(
        TEMPLATES / "bia-workbook_companion.yaml"))
    assert with_scenarios.scenarios == ["ransomware"]
    assert with_scenarios.incident_cost("ransomware").total > 0


def test_template_is_what_its_script_writes(tmp_path: Path) -> None:
    script = template_script()
    model = script.template_model()
    base = load_companion(TEMPLATES / "bia-workbook_companion.yaml")
    assert base == companion(model)
    assert read_bia_workbook(TEMPLATES / "bia-workbook.xlsx", base=base) == model
    write_bia_workbook(model, tmp_path / "fresh.xlsx")
    shipped = openpyxl.load_workbook(TEMPLATES / "bia-workbook.xlsx")
    fresh = openpyxl.load_workbook(tmp_path / "fresh.xlsx")
    assert shipped.sheetnames == fresh.sheetnames
    for sheet in fresh.sheetnames:
        assert [[c.value for c in r] for r in shipped[sheet].iter_rows()] == \
            [[c.value for c in r] for r in fresh[sheet].iter_rows()]
        assert [(str(v.sqref), v.formula1) for v in shipped[sheet].data_validations.dataValidation] \
            == [(str(v.sqref), v.formula1) for v in fresh[sheet].data_validations.dataValidation]


def test_template_shows_every_kind_of_row() -> None:
    rows = sheet_rows(TEMPLATES / "bia-workbook.xlsx", "Processes")
    measures = [r[rows[0].index("Measure")] for r in rows[1:]]
    assert measures == ["per day", "level", "MBCO"]
    model = read_bia_workbook(TEMPLATES / "bia-workbook.xlsx")
    assert model["functions"][0]["minimum_capacity"] == [{"by": "1d", "capacity": 0.5},
                                                         {"by": "1w", "capacity": 1}]


# --------------------------------------------------------------------------
# Any impact curves and MBCOs that fit the time bands come back exactly

TIMES = ["0h", "90min", "4h", 6, 12.5, "1d", "3d", "1w", "2w", "1mo", "6mo", "1y"]
# A workbook keeps 16 significant digits (as Excel does): these have fewer.
amounts = st.one_of(st.integers(0, 10**9), st.integers(0, 10**9).map(lambda n: n / 1000))


@st.composite
def curves(draw: Any) -> Dict[str, Any]:
    """A function's impact curves and MBCO at times drawn from TIMES."""
    def times() -> List[Any]:
        picked = sorted(draw(st.sets(st.integers(0, len(TIMES) - 1), min_size=1, max_size=5)))
        return [TIMES[i] for i in picked]

    fields: Dict[str, Any] = {}
    categories = draw(st.lists(st.sampled_from(["fees", "reputation", "患者", "legal"]),
                               unique=True, max_size=3))
    impact = []
    for category in categories:
        steps = []
        for after in times():
            keys = draw(st.sets(st.sampled_from(["rate_per_day", "rate_per_hour", "lump"]),
                                min_size=1))
            if {"rate_per_day", "rate_per_hour"} <= keys:
                keys.discard("rate_per_hour")
            steps.append({"after": after, **{k: draw(amounts) for k in sorted(keys)}})
        curve: Dict[str, Any] = {"category": category, "steps": steps}
        if draw(st.booleans()):
            curve["unit"] = draw(st.sampled_from(["points", "level", "人"]))
        impact.append(curve)
    if impact:
        fields["impact"] = impact
    if draw(st.booleans()):
        fields["minimum_capacity"] = [
            {"by": by, "capacity": draw(st.integers(1, 100).map(lambda n: n / 100))}
            for by in times()]
    return fields


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(curves(), min_size=1, max_size=3))
def test_impact_curves_and_mbco_round_trip(tmp_path: Path,
                                           drawn: List[Dict[str, Any]]) -> None:
    model = load_example("gym")
    functions = model["functions"]
    for function, fields in zip(functions, drawn):
        function.pop("impact", None)
        function.update(fields)
    path = tmp_path / "bia.xlsx"
    write_bia_workbook(model, path)
    assert companion(model).get("functions") is None or all(
        not ({"impact", "minimum_capacity"} & set(f)) for f in companion(model)["functions"])
    assert read_bia_workbook(path, base=companion(model)) == model
