"""The management report (continuity.reporting, ``continuity --report``),
rendered in a real headless browser: Debian's chromium, which
scripts/install-deps installs. The screenshots stay in pytest's temporary
folder; their paths are printed (``pytest -s`` shows them)."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import continuity as ct
from continuity import cli, reporting
from continuity.formatting import money

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSPITAL = str(EXAMPLES / "hospital.json")
GYM_JA = str(EXAMPLES / "gym_ja.json")
MEASURES = str(EXAMPLES / "mitigations" / "hospital.yaml")

# Injected into a copy of the report: after the page has loaded, what the
# browser made of each image and web font, written into the DOM that
# --dump-dom prints.
_PROBE = """<script>
window.addEventListener("load", async () => {
  await document.fonts.ready;
  const images = [...document.images].map(i => ({alt: i.alt, complete: i.complete,
    width: i.naturalWidth, height: i.naturalHeight}));
  const fonts = [...document.fonts].map(f => ({family: f.family, status: f.status}));
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({images, fonts});
  document.body.appendChild(probe);
});
</script>"""


@pytest.fixture(scope="module")
def browser() -> str:
    found = reporting.find_browser()
    if found is None:
        pytest.fail("no headless browser to render the report in: run scripts/install-deps "
                    "(it installs Debian's chromium) or set CONTINUITY_BROWSER")
    return found


def _run_browser(browser: str, profile: Path, *arguments: str) -> str:
    command = reporting.browser_command(browser, f"--user-data-dir={profile}", *arguments)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def render(browser: str, report: Path, tmp_path: Path) -> tuple[dict[str, Any], str, Path]:
    """Loads ``report`` in the browser: what it made of the images and fonts,
    the text of the page as rendered (its DOM), and a screenshot of the top
    of the page."""
    probed = tmp_path / f"{report.stem}-probed.html"
    probed.write_text(report.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"),
                      encoding="utf-8")
    dom = _run_browser(browser, tmp_path / "profile", "--virtual-time-budget=10000",
                       "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, "the page did not finish loading"
    screenshot = tmp_path / f"{report.stem}.png"
    _run_browser(browser, tmp_path / "profile", "--window-size=1100,1800",
                 f"--screenshot={screenshot}", report.as_uri())
    return json.loads(html.unescape(found.group(1))), dom, screenshot


def decoded(data: bytes) -> np.ndarray:
    """The pixels of a PNG image (raises if it does not decode)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return np.asarray(image.convert("RGB"))


def assert_not_blank(pixels: np.ndarray, what: str) -> None:
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100, what
    # a drawing: many colours, and ink on a good part of the picture
    sample = pixels[::3, ::3].astype(np.int32)
    colours = len(np.unique((sample[..., 0] << 16) | (sample[..., 1] << 8) | sample[..., 2]))
    inked = float(np.mean(sample.min(axis=2) < 200))
    assert colours > 8 and inked > 0.01, f"{what}: {colours} colours, {inked:.1%} inked"


def assert_self_contained(text: str) -> list[str]:
    """Every resource of the page is inside it; returns its images' data."""
    assert "<link" not in text and "<script" not in text and "<iframe" not in text
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", text)
    assert not re.search(r"url\((?!\"?data:)", text)
    sources = re.findall(r'<img src="([^"]*)"', text)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    return [s.split(",", 1)[1] for s in sources]


# ---------------------------------------------------------------- hospital
def test_the_hospitals_report_in_a_headless_browser(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path, browser: str) -> None:
    report = tmp_path / "r.html"
    status = cli.main([HOSPITAL, "--trials", "2000", "--report", str(report),
                       "--mitigations", MEASURES, "--risk-appetite", "1億@1%"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert f"{report}  the management report (HTML, self-contained)" in out
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    images = assert_self_contained(text)
    # two scenarios: Gantt and capacity each, a tornado for the ransomware;
    # the annual loss (2), the mitigations (2) and the ransom decision (1)
    assert len(images) == 10
    for k, data in enumerate(images):
        assert_not_blank(decoded(base64.b64decode(data, validate=True)), f"image {k}")

    probe, dom, screenshot = render(browser, report, tmp_path)
    with capsys.disabled():
        print(f"\nscreenshot of the hospital's report: {screenshot}")
    assert len(probe["images"]) == len(images)
    for image in probe["images"]:
        assert image["complete"] and image["width"] > 500 and image["height"] > 200, image
    assert_not_blank(decoded(screenshot.read_bytes()), "the screenshot")

    # the ransomware's gap report lists medical billing, with its cause
    section = dom.split('id="scenario-1"')[1].split("</section>")[0]
    gaps = section.split('<div class="gap-report">')[1].split("</div>")[0]
    assert "Scenario: ransomware through the VPN" in section
    assert re.search(r"<td>medical billing</td><td>RTO</td>.*?waits 51\.3 d for 'vendor "
                     r"engineers'", gaps)
    model = ct.load_model(HOSPITAL)
    expected = model.plan_recovery("ransomware through the VPN").gaps
    assert gaps.count("<tr>") + gaps.count('<tr class="flag">') == len(expected) + 1
    # the scenario's notification duties, each with its deadline
    notices = model.plan_recovery("ransomware through the VPN").notifications
    assert len(notices) > 0 and "<caption>Notifications (deadlines from detection)</caption>" \
        in section
    for name in notices["notification"]:
        assert f"<td>{html.escape(str(name), quote=False)}</td>" in section
    for heading in ("Key findings", "Priority classes", "Single points of failure",
                    "Backups and the 3-2-1 rule", "Annual loss and risk appetite",
                    "Mitigations", "Ransom decision", "Findings of the model"):
        assert f">{heading}</h2>" in dom, heading
    # the figures are the library's
    result = ct.simulate(model, 2000, 1)
    assert f"<dd>{money(result.statistics.mean, 'JPY')}</dd>" in dom
    assert "@media print" in text and "@page" in text


def test_the_report_prints_to_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  browser: str) -> None:
    report = tmp_path / "deterministic.html"
    status = cli.main([HOSPITAL, "-d", "-s", "earthquake", "--report", str(report), "--pdf"])
    out, err = capsys.readouterr()
    assert status == 0, err
    pdf = report.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3  # A4 pages, sections on their own
    assert "the management report (PDF)" in out
    text = report.read_text(encoding="utf-8")
    assert "Annual loss and risk appetite" not in text  # nothing simulated
    assert len(assert_self_contained(text)) == 2  # the earthquake's Gantt and capacity


def test_without_a_browser_the_pdf_is_an_error_before_any_work(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTINUITY_BROWSER", str(tmp_path / "no-such-browser"))
    report = tmp_path / "r.html"
    status = cli.main([HOSPITAL, "-d", "--report", str(report), "--pdf"])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err.startswith("continuity: error: printing the report to PDF needs a headless "
                          "browser, and CONTINUITY_BROWSER names")
    assert err.count("\n") == 1
    assert not report.exists()


def test_the_reports_folder_is_made_but_a_file_is_not_a_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = cli.main([HOSPITAL, "-d", "-s", "earthquake", "--report",
                       str(tmp_path / "new" / "r.html")])
    assert status == 0 and (tmp_path / "new" / "r.html").is_file()
    (tmp_path / "file").write_text("x")
    status = cli.main([HOSPITAL, "-d", "-s", "earthquake", "--report",
                       str(tmp_path / "file" / "r.html")])
    _, err = capsys.readouterr()
    assert status == 1
    assert err.startswith("continuity: error: cannot write the report to ") and \
        err.count("\n") == 1


# ----------------------------------------------------------------- Python
def test_report_from_python(tmp_path: Path) -> None:
    model = ct.load_model(HOSPITAL)
    path = ct.report(model, tmp_path / "py.html", trials=1000, seed=7,
                     scenarios=["ransomware through the VPN"], improve=True,
                     mitigations=MEASURES, risk_appetite=[5e7, (1e8, 0.001)])
    text = path.read_text(encoding="utf-8")
    assert_self_contained(text)
    assert "Scenario: earthquake" not in text
    assert "Improved recovery order (least business impact)" in text
    result = ct.simulate(model, 1000, 7, scenarios=["ransomware through the VPN"])
    assert f"<dd>{money(result.statistics.mean, 'JPY')}</dd>" in text
    p = result.statistics.exceedance_probability(1e8)
    assert f"<td class=\"num\">{100 * p:.3g} %</td>" in text
    decision = ct.compare_ransom_policies(model, 1000, 7,
                                          scenarios=["ransomware through the VPN"])
    assert f"{money(abs(decision.difference), 'JPY')} a year more" in text
    with pytest.raises(ct.errors.ReferenceError, match="scenarios of model 'Town hospital'"):
        ct.report(model, tmp_path / "x.html", scenarios=["flood"], deterministic=True)
    with pytest.raises(ct.errors.ValueError_, match="risk appetite"):
        ct.report(model, tmp_path / "x.html", risk_appetite=[(1e8, 2.0)])


# --------------------------------------------------------------- Japanese
def test_japanese_names_render(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               browser: str) -> None:
    from fontTools.ttLib import TTFont

    report = tmp_path / "gym_ja.html"
    status = cli.main([GYM_JA, "--trials", "500", "--report", str(report), "--font", "auto"])
    _, err = capsys.readouterr()
    assert status == 0, err
    text = report.read_text(encoding="utf-8")
    assert '<html lang="ja">' in text and '<meta charset="utf-8">' in text
    assert "本社ネットワークのランサムウェア" in text and "会員制ジム" in text
    # the font stack: the characters of this page from the embedded font
    # first, then the Japanese fonts of Windows, macOS and Linux
    stack = re.search(r"font-family: ([^;]*);", text.split("body {", 1)[1])
    assert stack is not None
    for family in ('"continuity-cjk"', '"Yu Gothic"', '"Meiryo"', '"Hiragino Sans"',
                   '"Noto Sans CJK JP"', "sans-serif"):
        assert family in stack.group(1)
    assert stack.group(1).startswith('"continuity-cjk"')
    embedded = re.search(r'url\("data:font/ttf;base64,([^"]*)"\)', text)
    assert embedded is not None
    font = TTFont(io.BytesIO(base64.b64decode(embedded.group(1))))
    covered = set(font.getBestCmap())
    japanese = {c for c in re.sub(r"<[^>]*>|base64,[A-Za-z0-9+/=]*", "", text)
                if reporting._cjk(c)}
    assert len(japanese) > 40 and {ord(c) for c in japanese} <= covered

    probe, dom, screenshot = render(browser, report, tmp_path)
    with capsys.disabled():
        print(f"\nscreenshot of the Japanese gym's report: {screenshot}")
    assert {"family": "continuity-cjk", "status": "loaded"} in probe["fonts"]
    assert all(i["complete"] and i["width"] > 0 for i in probe["images"])
    assert "Scenario: 本社ネットワークのランサムウェア" in dom
