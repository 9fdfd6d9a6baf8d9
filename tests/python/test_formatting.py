"""continuity.formatting: money by currency (万 / 億 / 兆 for yen), display
widths, safe file names and money tables, against hand-written strings."""

from __future__ import annotations

import math
import pickle
import textwrap
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuity.formatting import (
    MoneyFrame,
    MoneySeries,
    display_width,
    file_name,
    file_names,
    fill,
    ljust,
    money,
    rjust,
)


# -------------------------------------------------------------------- money
@pytest.mark.parametrize("amount, expected", [
    (0.0, "¥0"),
    (-0.0, "¥0"),
    (0.4, "¥0"),
    (-0.4, "¥0"),                 # rounds to zero: no minus sign
    (0.5, "¥1"),                  # halves away from zero
    (9_800, "¥9,800"),            # below 1万: to the yen
    (9_999, "¥9,999"),
    (9_999.4, "¥9,999"),
    (9_999.5, "¥1万"),            # rounds up into 万
    (10_000, "¥1万"),
    (12_250, "¥1.23万"),          # three significant digits, half up (not to even)
    (123_456, "¥12.3万"),
    (999_499, "¥99.9万"),
    (999_950, "¥100万"),
    (8_200_000, "¥820万"),
    (82_000_000, "¥8,200万"),
    (82_345_678, "¥8,235万"),     # never fewer digits than whole 万
    (99_994_999, "¥9,999万"),
    (99_995_000, "¥1億"),         # 9,999.5万 rounds up into 億
    (100_000_000, "¥1億"),        # exactly 1億
    (104_000_000, "¥1.04億"),
    (150_000_000, "¥1.5億"),      # no trailing zeros
    (310_765_853, "¥3.11億"),
    (2_400_000_000, "¥24億"),
    (2_450_000_000, "¥24.5億"),
    (31_100_000_000, "¥311億"),
    (123_456_789_012, "¥1,235億"),
    (999_950_000_000, "¥1兆"),    # 9,999.5億 rounds up into 兆
    (1.2e12, "¥1.2兆"),
    (1.5e16, "¥15,000兆"),
    (-9_800, "-¥9,800"),
    (-310_765_853, "-¥3.11億"),
    (-99_995_000, "-¥1億"),
])
def test_yen(amount: float, expected: str) -> None:
    assert money(amount, "JPY") == expected


@pytest.mark.parametrize("amount, currency, expected", [
    (0.0, "USD", "$0"),
    (950_000, "USD", "$950,000"),
    (999_999.4, "USD", "$999,999"),
    (999_999.5, "USD", "$1M"),
    (1_234_567, "USD", "$1.23M"),
    (-4_565_000, "USD", "-$4.57M"),
    (2.5e9, "EUR", "€2.5bn"),
    (999_500_000, "EUR", "€1bn"),
    (1e12, "GBP", "£1tn"),
    (1_200_000, "CHF", "CHF 1.2M"),
    (-3_000, "CHF", "-CHF 3,000"),
    (3e6, "", "3M"),
    (12_345.6, "", "12,346"),
])
def test_other_currencies(amount: float, currency: str, expected: str) -> None:
    assert money(amount, currency) == expected


def test_money_of_numbers_that_are_not_amounts() -> None:
    assert money(math.nan, "JPY") == "n/a"
    assert money(math.inf, "JPY") == "∞"
    assert money(-math.inf, "USD") == "-∞"


# --------------------------------------------------------------------- text
@pytest.mark.parametrize("text, width", [
    ("", 0), ("abc", 3), ("地震", 4), ("ランサムウェア", 14), ("VPNルーター", 11),
    ("ｱｲ", 2),          # half-width katakana: narrow
    ("ＡＢ", 4),         # full-width Latin: wide
    ("（）", 4), ("\u3000", 2),
    ("e\u0301", 1),     # a combining accent takes no column
    ("a\u200bb", 2),    # nor a zero-width space
    ("→", 1),           # East Asian ambiguous: narrow
    ("¥3.11億", 7),
])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_padding_by_display_width() -> None:
    assert ljust("地震", 6) == "地震  "
    assert rjust("地震", 5) == " 地震"
    assert ljust("ランサムウェア", 4) == "ランサムウェア"
    # a column of mixed names lines up: every padded name is 12 columns wide
    assert [display_width(ljust(n, 12)) for n in ("fire", "地震", "VPNルーター")] == [12] * 3


def test_fill_counts_wide_characters_twice() -> None:
    text = "会員サーバー → 会員データベース → バックアップPC"
    assert fill(text, 20, "  ", "    ") == ("  会員サーバー →\n"
                                           "    会員データベース\n"
                                           "    → バックアップPC")
    # textwrap counts characters and would put it all on one line
    assert "\n" not in textwrap.fill(text, 40)
    assert max(display_width(line) for line in fill(text, 40).splitlines()) <= 40
    # a word longer than the line stands alone
    assert fill("a 地震地震地震 b", 6) == "a\n地震地震地震\nb"
    assert fill("one two three", 100, "- ") == "- one two three"


# --------------------------------------------------------------- file names
@pytest.mark.parametrize("name, expected", [
    ("ランサムウェア", "ランサムウェア"),
    ("地震", "地震"),
    ("ransomware through the VPN", "ransomware-through-the-vpn"),
    ("ランサムウェア（VPN経由）", "ランサムウェア-vpn経由"),
    ("ランサムウェア: VPN 経由", "ランサムウェア-vpn-経由"),
    ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),   # Windows' forbidden characters
    ("  ..fire.. ", "fire"),                             # no leading dot, no trailing dot
    ("\x00\x1f火災\t", "火災"),                           # control characters
    ("data_breach", "data_breach"),
    ("か\u3099", "が"),                                  # normal form C
    ("ＶＰＮ", "ｖｐｎ"),
    ("CON", "con_"), ("nul", "nul_"), ("Com1", "com1_"), ("lpt9", "lpt9_"),
    ("console", "console"),
    ("???", "scenario"), ("", "scenario"),
])
def test_file_name(name: str, expected: str) -> None:
    assert file_name(name) == expected


def test_file_name_is_cut_at_120_bytes_on_a_character() -> None:
    assert file_name("あ" * 100) == "あ" * 40                  # 3 bytes each
    assert file_name("a" * 119 + "あい") == "a" * 119            # no half character
    assert file_name("abc " * 40).endswith("c")                 # no trailing '-'


def test_file_names_are_unique_ignoring_case() -> None:
    assert file_names(["Fire", "fire?", "FIRE", "火災", "火災!"]) == \
        ["fire", "fire-2", "fire-3", "火災", "火災-2"]
    assert file_names(["a-2", "a", "a"]) == ["a-2", "a", "a-3"]
    assert file_names(["!", "?"], default="chart") == ["chart", "chart-2"]


_FORBIDDEN = set('<>:"/\\|?*')


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_name_gives_a_file_name_every_system_takes(name: str) -> None:
    base = file_name(name)
    assert base and len(base.encode("utf-8")) <= 120
    assert not _FORBIDDEN & set(base)
    assert all(unicodedata.category(c) != "Cc" for c in base)
    assert base[0] not in "-. " and base[-1] not in "-. "
    assert base.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
    assert unicodedata.normalize("NFC", base) == base


def test_the_file_names_can_be_created(tmp_path: Path) -> None:
    names = ["ランサムウェア", "地震", "CON", "火災?", "火災*", "a/b", "..", "本社" * 60]
    for base in file_names(names):
        (tmp_path / f"{base}-gantt.png").write_bytes(b"x")
    assert len(list(tmp_path.iterdir())) == len(names)


# ------------------------------------------------------------ money tables
def test_money_series_displays_money_and_keeps_the_numbers() -> None:
    s = MoneySeries.of({"trials": 100_000.0, "mean": 310_765_853.0, "P99": 82_000_000.0},
                       "JPY", name="annual loss", counts=("trials",))
    text = repr(s)
    # right-aligned by display width (¥3.11億 is 7 columns, ¥8,200万 8)
    assert text.splitlines() == ["trials     100,000",
                                 "mean       ¥3.11億",
                                 "P99       ¥8,200万",
                                 "Name: annual loss, dtype: float64"]
    assert "e+" not in text
    assert s["mean"] == 310_765_853.0 and s.dtype == "float64"
    doubled = s * 2
    assert type(doubled) is pd.Series  # an operation gives an ordinary Series
    assert doubled["mean"] == 621_531_706.0
    copy = pickle.loads(pickle.dumps(s))
    assert copy["P99"] == 82_000_000.0


def test_money_frame_displays_money_columns() -> None:
    plain = pd.DataFrame({"mean": [1.5e8, 12_345.0], "share": [0.25, 0.75],
                          "count": [3.0, 4.0]}, index=pd.Index(["地震", "fire"], name="scenario"))
    frame = MoneyFrame.of(plain, "JPY", money_columns=("mean",), count_columns=("count",))
    lines = repr(frame).splitlines()
    assert "¥1.5億" in lines[2] and "¥1.23万" in lines[3]
    assert lines[2].rstrip().endswith("3") and "3.0" not in lines[2]
    assert "0.25" in lines[2]  # other columns as pandas shows them
    # aligned by display width: every row ends in the same column
    assert len({display_width(line) for line in lines}) == 1
    html = frame._repr_html_()
    assert html is not None and "¥1.5億" in html and "¥1.23万" in html
    assert frame["mean"].tolist() == [1.5e8, 12_345.0]
    assert type(frame.head(1)) is pd.DataFrame
