"""The rendered pages in a real browser: Debian's headless Chromium driven by Playwright.

Needs /usr/bin/chromium (`apt-get install chromium`, done by .ci/run) and the
playwright package; no browser is downloaded. In CI (CI=true) these tests never
skip: a missing browser is a failure. Elsewhere they skip when Chromium is absent.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from support.paths import HANZHONG, QINGHE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHECKED_LINKS = 345  # links on the SAMPLE pages of the Hanzhong site
IN_CI = os.environ.get("CI", "").lower() == "true"

if not CHROMIUM.exists() and not IN_CI:
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page that records console errors, uncaught exceptions, dialogs and every request."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        return self.page


@pytest.fixture
def watched(browser):
    watched = Watched(browser)
    yield watched
    watched.page.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from datetime import date

    from deviation_cli.documents.site import build_site
    from deviation_cli.store.load import load_register

    out = tmp_path_factory.mktemp("site")
    for name, text in build_site(load_register(HANZHONG), date(2023, 7, 1)).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return out


def body_rows(page):
    return page.locator("#decomposition tbody tr")


def test_the_table_page_has_23_rows_and_the_source_rowspans(site, watched):
    page = watched.open(site / "table.html")
    rows = body_rows(page)
    assert rows.count() == 23
    first = rows.nth(0).locator("td.dimension.merged")
    assert (first.inner_text(), first.get_attribute("rowspan")) == ("项目推进偏离度方面", "3")
    # the merged cell really covers rows 1–3 on screen
    cell_box = first.bounding_box()
    assert abs(cell_box["y"] - rows.nth(0).bounding_box()["y"]) < 1
    bottom = rows.nth(2).bounding_box()
    assert abs(cell_box["y"] + cell_box["height"] - (bottom["y"] + bottom["height"])) < 1
    measure_4 = rows.nth(3).locator("td.measure.merged")
    assert (measure_4.inner_text(), measure_4.get_attribute("rowspan")) == ("不断优化项目投资结构", "2")
    assert rows.nth(4).locator("td.merged").count() == 0
    measure_11 = rows.nth(10).locator("td.measure.merged")
    assert (measure_11.inner_text(), measure_11.get_attribute("rowspan")) == ("大力发展数字经济", "2")
    assert rows.nth(11).locator("td.measure.merged").count() == 0
    row_12 = rows.nth(11).bounding_box()
    box_11 = measure_11.bounding_box()
    assert abs(box_11["y"] + box_11["height"] - (row_12["y"] + row_12["height"])) < 1
    spans = page.eval_on_selector_all(
        "#decomposition td.dimension.merged", "cells => cells.map(c => [c.textContent, c.rowSpan])"
    )
    assert spans == [
        ["项目推进偏离度方面", 3],
        ["投资结构偏离度方面", 6],
        ["产业结构偏离度方面", 4],
        ["链群互补配套偏离度方面", 2],
        ["项目效益偏离度方面", 4],
        ["管理服务偏离度方面", 4],
    ]
    assert watched.errors == []


def test_the_filter_box_works_offline(site, watched):
    page = watched.open(site / "table.html")
    assert page.locator("#filter-count").inner_text() == "共 23 项"
    page.fill("#filter", "数字经济")
    visible = page.eval_on_selector_all("#decomposition tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)")
    assert visible == ["task-11", "task-12"]
    assert page.locator("#filter-count").inner_text() == "显示 2 / 23 项"
    # while filtering, each row shows its own 管控/改进措施 instead of the merged cells
    assert page.locator("#task-12 td.measure.flat").is_visible()
    assert not page.locator("#task-11 td.measure.merged").is_visible()
    page.fill("#filter", "市国资委 7月底")
    assert page.eval_on_selector_all(
        "#decomposition tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)"
    ) == ["task-5"]
    page.fill("#filter", "")
    assert page.locator("#filter-count").inner_text() == "共 23 项"
    assert page.locator("#task-11 td.measure.merged").is_visible()
    assert watched.errors == []


SAMPLE = [
    "index.html",
    "table.html",
    "dimensions/industry.html",
    "units/市发改委.html",
    "units/各县区政府.html",
    "units/市级相关部门单位.html",
    "tasks/1.html",
    "tasks/23.html",
]


def test_links_resolve_in_the_browser_and_nothing_is_fetched_from_elsewhere(site, watched):
    """One page of each kind, as the browser resolves their links (test_render checks every page's links)."""
    checked = 0
    for name in SAMPLE:
        path = site / name
        page = watched.open(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urllib.parse.urlsplit(href)
            assert url.scheme == "file", f"{name}: {href}"
            target = Path(urllib.request.url2pathname(url.path))
            assert target.is_file(), f"{name} links to missing {href}"
            if url.fragment:
                assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), f"{name}: {href}"
            checked += 1
    assert checked == CHECKED_LINKS
    assert watched.errors == []
    assert watched.requests and all(url.startswith("file://") for url in watched.requests)


def test_a_script_in_a_task_renders_as_text(tmp_path, watched, cli):
    folder = tmp_path / "hostile"
    shutil.copytree(QINGHE, folder)
    tasks = folder / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace(
            "完成河道采砂专项整治。", "'<script>alert(\"x\")</script><img src=x onerror=alert(2)>'"
        ),
        encoding="utf-8",
    )
    assert cli("site", str(tmp_path / "out"), data=folder).exit_code == 0
    assert cli("render", "table", "-o", str(tmp_path / "table.html"), data=folder).exit_code == 0
    for path, cell in (
        (tmp_path / "out" / "tasks" / "4.html", "dd.task"),
        (tmp_path / "out" / "table.html", "#task-4 td.task"),
        (tmp_path / "table.html", "#task-4 td.task"),
    ):
        page = watched.open(path)
        text = page.locator(cell).inner_text()
        assert text == '<script>alert("x")</script><img src=x onerror=alert(2)>'
        assert page.locator("main script, main img").count() == 0
    assert watched.dialogs == []
    assert watched.errors == []


def page_count(pdf: bytes) -> tuple[int, tuple[float, float]]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    return len(reader.pages), (round(float(box.width)), round(float(box.height)))


def pdf_texts(pdf: bytes) -> list[str]:
    """Each page's text, NFKC-folded (PDF text comes out with Kangxi radicals for 月, 人, ...)."""
    import io
    import unicodedata

    from pypdf import PdfReader

    return [
        unicodedata.normalize("NFKC", page.extract_text()).replace("\n", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_the_notice_prints_to_a4_pages(tmp_path, watched, cli):
    target = tmp_path / "notice.html"
    assert cli("render", "notice", "--unit", "市发改委", "--date", "2023-06-30", "-o", str(target)).exit_code == 0
    page = watched.open(target)
    pdf = page.pdf(prefer_css_page_size=True)
    # Measured: 5 pages (the text and 落款 exactly fill page 1, the 16-task annex takes 4) with Noto CJK.
    count, size = page_count(pdf)
    assert 4 <= count <= 8
    assert size == (595, 842)  # A4 portrait, in points
    # the 落款 never stands on a page without body text
    texts = pdf_texts(pdf)
    signed = [index for index, text in enumerate(texts) if "办公室2023年6月30日" in text]
    assert len(signed) == 1 and "请及时报告" in texts[signed[0]]
    assert "市发改委任务清单" in texts[signed[0] + 1]
    assert watched.errors == []


def test_the_notice_to_every_unit_and_the_table_print(tmp_path, watched, cli):
    notice = tmp_path / "all.html"
    table = tmp_path / "table.html"
    assert cli("render", "notice", "--date", "2023-06-30", "-o", str(notice)).exit_code == 0
    assert cli("render", "table", "-o", str(table)).exit_code == 0
    # Measured: 13 pages (2 of text, 6 of 附件1, 5 of 附件2); page 2 starts with body text, never 落款 alone.
    count, size = page_count(watched.open(notice).pdf(prefer_css_page_size=True))
    assert 10 <= count <= 17 and size == (595, 842)
    # Measured: 8 landscape pages.
    count, size = page_count(watched.open(table).pdf(prefer_css_page_size=True))
    assert 6 <= count <= 11 and size == (842, 595)


def test_qinghe_notice_prints_too(tmp_path, watched, cli):
    target = tmp_path / "qinghe.html"
    assert (
        cli("render", "notice", "--unit", "东关镇", "--date", "2024-03-01", "-o", str(target), data=QINGHE).exit_code
        == 0
    )
    count, _ = page_count(watched.open(target).pdf(prefer_css_page_size=True))
    assert count == 2  # measured: the notice, then its one-page annex
