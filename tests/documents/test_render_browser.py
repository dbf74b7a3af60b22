"""The rendered pages in a real browser: Debian's headless Chromium driven by Playwright.

Needs /usr/bin/chromium (`apt-get install chromium`, done by .ci/run) and the
playwright package; no browser is downloaded. In CI (CI=true) these tests never
skip: a missing browser is a failure. Elsewhere they skip when Chromium is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.paths import CHENGDONG, HANZHONG, QINGHE

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

    def __init__(self, browser, viewport=None):
        self.page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
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


# --- every page kind on a phone and a desktop ---------------------------------------------------------

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SAMPLE_PROGRESS = HANZHONG.parent / "examples" / "hanzhong-progress"

#: Each document kind, as the command line writes it: (file, register, arguments).
DOCUMENTS = [
    ("hz-notice.html", HANZHONG, ["render", "notice", "--unit", "市发改委", "--date", "2023-06-30"]),
    ("hz-notice-all.html", HANZHONG, ["render", "notice", "--date", "2023-06-30"]),
    ("hz-unit.html", HANZHONG, ["render", "unit", "--unit", "汉台区"]),
    ("hz-table.html", HANZHONG, ["render", "table"]),
    ("hz-due.html", HANZHONG, ["render", "due", "--before", "2023-12-31", "--as-of", "2023-07-01"]),
    (
        "hz-bulletin.html",
        HANZHONG,
        [
            "report",
            "--as-of",
            "2023-08-01",
            "--progress",
            str(SAMPLE_PROGRESS / "progress.yaml"),
            "--observed",
            str(SAMPLE_PROGRESS / "observations.yaml"),
        ],
    ),
    ("cd-table.html", CHENGDONG, ["render", "table"]),
    ("cd-notice-all.html", CHENGDONG, ["render", "notice", "--date", "2024-03-01"]),
    ("cd-notice.html", CHENGDONG, ["render", "notice", "--unit", "区发改局", "--date", "2024-03-01"]),
    ("cd-unit.html", CHENGDONG, ["render", "unit", "--unit", "区发改局"]),
    ("cd-bulletin.html", CHENGDONG, ["report", "--as-of", "2024-10-15"]),
]
SITE_PAGES = [
    "index.html",
    "table.html",
    "dimensions/progress.html",
    "units/市发改委.html",
    "units/汉台区.html",
    "units/各县区政府.html",
    "units/市级相关部门单位.html",
    "tasks/1.html",
]
CHENGDONG_SITE_PAGES = ["index.html", "table.html", "dimensions/permit.html", "units/区住建局.html", "tasks/5.html"]


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    from typer.testing import CliRunner

    from deviation_cli.cli import app

    out = tmp_path_factory.mktemp("documents")
    for name, data, args in DOCUMENTS:
        run = CliRunner().invoke(app, ["--data", str(data), *args, "-o", str(out / name)], catch_exceptions=False)
        assert run.exit_code == 0, run.output
    return out


@pytest.fixture(scope="module")
def chengdong_site(tmp_path_factory):
    from datetime import date

    from deviation_cli.documents.site import build_site
    from deviation_cli.store.load import load_register

    out = tmp_path_factory.mktemp("chengdong-site")
    for name, text in build_site(load_register(CHENGDONG), date(2024, 7, 1)).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return out


#: For each table on the page: its class, whether the page scrolls sideways, and each header cell's
#: width, its word's width and how many lines the word takes; deadlines broken inside a wording.
MEASURE = """() => {
  const lines = node => { const range = document.createRange(); range.selectNodeContents(node);
    return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size; };
  const width = node => { const range = document.createRange(); range.selectNodeContents(node);
    return range.getBoundingClientRect().width; };
  const brokenDeadlines = [];
  for (const cell of document.querySelectorAll("td.deadline")) {
    if (!cell.offsetParent) continue;
    const text = cell.textContent; const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let previousTop = null, previousChar = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".again, .cont") && getComputedStyle(node.parentElement).visibility === "hidden") continue;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect(); if (!rect.width) continue;
        const top = Math.round(rect.top);
        if (previousTop !== null && top > previousTop + 2 && !"年、，, ".includes(previousChar)) brokenDeadlines.push(text);
        previousTop = top; previousChar = node.data[i];
      }
    }
  }
  return {
    scroll: document.documentElement.scrollWidth - window.innerWidth,
    headers: Array.from(document.querySelectorAll("th")).filter(th => th.offsetParent).map(th => ({
      word: th.textContent, cell: th.clientWidth, text: width(th), lines: lines(th)})),
    brokenDeadlines,
    smallest: Math.min(...Array.from(document.querySelectorAll("main *")).filter(e => e.offsetParent && e.childNodes.length
      && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.data.trim())).map(e => parseFloat(getComputedStyle(e).fontSize))),
  };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
def test_every_page_kind_reads_without_sideways_scrolling(browser, site, chengdong_site, documents, viewport):
    """No page scrolls sideways (a wide table scrolls in its own box), every header word on one line
    inside its column, no deadline broken inside a wording, no text under 11 px, no console error."""
    watched = Watched(browser, viewport)
    paths = (
        [site / name for name in SITE_PAGES]
        + [chengdong_site / name for name in CHENGDONG_SITE_PAGES]
        + [documents / name for name, _, _ in DOCUMENTS]
    )
    problems = []
    for path in paths:
        found = watched.open(path).evaluate(MEASURE)
        name = str(
            path.relative_to(
                path.parent.parent if path.parent.name in ("units", "tasks", "dimensions") else path.parent
            )
        )
        if found["scroll"] > 0:
            problems.append(f"{name}: the page scrolls sideways by {found['scroll']} px")
        for header in found["headers"]:
            if header["lines"] > 1 or header["text"] > header["cell"] + 0.5:
                problems.append(
                    f"{name}: header {header['word']!r} is {header['text']:.0f} px in a {header['cell']} px column"
                )
        for text in found["brokenDeadlines"]:
            problems.append(f"{name}: deadline {text!r} broken inside a wording")
        if found["smallest"] < 11:
            problems.append(f"{name}: text of {found['smallest']} px")
    watched.page.close()
    assert problems == []
    assert watched.errors == []


def test_wide_tables_scroll_in_their_own_box_on_a_phone(browser, site):
    watched = Watched(browser, PHONE)
    page = watched.open(site / "table.html")
    box = page.evaluate(
        "() => { const box = document.querySelector('.table-box'); return [box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX]; }"
    )
    assert box[0] > box[1] and box[2] == "auto"
    # the task column stays readable: at least ten characters a line
    task = page.evaluate("() => document.querySelector('#task-1 td.task').clientWidth")
    font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#task-1 td.task')).fontSize)")
    assert task >= 10 * font
    watched.page.close()


def test_the_bulletins_charts_scale_with_legible_labels(browser, documents):
    for viewport in (PHONE, DESKTOP):
        watched = Watched(browser, viewport)
        page = watched.open(documents / "hz-bulletin.html")
        charts = page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.chart')).map(f => ({
                 width: f.getBoundingClientRect().width, main: document.querySelector('main').clientWidth,
                 fonts: Array.from(f.querySelectorAll('*')).filter(e => e.textContent.trim() && !e.children.length)
                          .map(e => parseFloat(getComputedStyle(e).fontSize))}))"""
        )
        assert len(charts) == 4
        for chart in charts:
            assert chart["width"] <= chart["main"]
            assert min(chart["fonts"]) >= 11
        watched.page.close()


def visible_rows(page):
    return page.eval_on_selector_all(
        "#decomposition tbody tr", "rows => rows.filter(r => !r.hidden).map(r => +r.id.slice(5))"
    )


def test_the_filter_finds_a_unit_by_every_name_it_goes_by_on_a_phone(browser, site):
    from deviation_cli.domain.query import unit_task_index
    from deviation_cli.store.load import load_register

    index = unit_task_index(load_register(HANZHONG), include_open=True)
    listed = {name: sorted({row.task.id for row in rows}) for name, rows in index.items()}
    watched = Watched(browser, PHONE)
    page = watched.open(site / "table.html")
    # a county: the 20 tasks its page lists, reached through 各县区政府 and marked so
    page.fill("#filter", "汉台区")
    assert visible_rows(page) == listed["汉台区"] and len(listed["汉台区"]) == 20
    assert page.locator("#filter-count").inner_text() == "显示 20 / 23 项（其中经单位组参与 20 项）"
    assert page.locator("#task-1 .reach").inner_text() == "汉台区参与（经各县区政府）"
    # an alias (the source's 市行政审批局 for 市行政审批服务局) and a full name
    page.fill("#filter", "市行政审批局")
    assert visible_rows(page) == listed["市行政审批服务局"]
    page.fill("#filter", "汉中经济技术开发区")
    assert visible_rows(page) == listed["汉中经开区管委会"]
    # a date, in any of the forms people type, and a month's end
    for typed in ("2023-06-30", "2023/6/30", "2023年6月30日", "2023年6月底"):
        page.fill("#filter", typed)
        assert visible_rows(page) == [1, 22, 23], typed
    # a level's name, and words that must all match
    page.fill("#filter", "数字经济")
    assert visible_rows(page) == [11, 12]
    page.fill("#filter", "市国资委 7月底")
    assert visible_rows(page) == [5]
    # nothing found says so
    page.fill("#filter", "没有这个单位")
    assert visible_rows(page) == []
    assert page.locator("#filter-empty").is_visible()
    assert page.locator("#filter-empty").inner_text().startswith("没有符合“没有这个单位”的任务。")
    page.fill("#filter", "")
    assert not page.locator("#filter-empty").is_visible() and len(visible_rows(page)) == 23
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    watched.page.close()
    assert watched.errors == []


def test_the_navigation_marks_the_current_page(browser, site):
    watched = Watched(browser)
    marked = {}
    for name in ("index.html", "table.html", "units/汉台区.html", "tasks/1.html", "dimensions/progress.html"):
        page = watched.open(site / name)
        marked[name] = page.eval_on_selector_all(
            "nav.site a.current", "links => links.map(a => [a.textContent, a.getAttribute('aria-current')])"
        )
    assert marked == {
        "index.html": [["首页", "page"]],
        "table.html": [["任务分解表", "page"]],
        "units/汉台区.html": [["单位", "true"]],
        "tasks/1.html": [["任务分解表", "true"]],
        "dimensions/progress.html": [["方面", "true"]],
    }
    watched.page.close()


# --- printed: every row on the page where it starts, no page half empty ---------------------------------


@dataclass
class PrintedPage:
    text: str  # line breaks removed, Kangxi radicals folded (月 comes out of a PDF as ⽉)
    items: list[tuple[float, float, str]]  # (x, y) of each piece of text in the text block, in points
    fill: float  # how far down the text block the lowest text reaches (0–1)

    def column(self, left: float, right: float, below: float | None = None) -> list[str]:
        """The texts set in a column, top to bottom (under ``below``, a y: the header row)."""
        found = [(y, t) for x, y, t in self.items if left - 1 <= x <= right and (below is None or y < below - 1)]
        return [t.strip() for _, t in sorted(found, key=lambda item: -item[0])]

    def ids(self, column: tuple[float, float], header: str) -> list[str]:
        """The numbers in the first column under the table's header row on the page, to the table's end.

        Chromium sets text a character or a run at a time: the header is found by its first character.
        """
        heads = [y for x, y, t in self.items if t.strip() in (header, header[0]) and column[0] - 1 <= x <= column[1]]
        found = []
        for text in self.column(*column, below=max(heads) if heads else None):
            if re.fullmatch(r"\d+", text):
                found.append(text)
            elif text not in ("（", "续", "）", "（续）"):
                break  # past the table: a heading or a list under it
        return found


#: Radicals a PDF's text comes out with for simplified characters, which NFKC leaves as they are.
RADICALS = str.maketrans("⺠⻔⻜⻩⻓⻅⻢⻋⻛⻚⻉⻆⻰⻥⻦⻬⻄⻘⻝⻣⻤⻙", "民门飞黄长见马车风页贝角龙鱼鸟齐西青食骨鬼韦")


def fold_radicals(text: str) -> str:
    """Radicals to the characters they stand for (月 comes out of a PDF as ⽉, 民 as ⺠); everything
    else as printed, the full-width ，too."""
    import unicodedata

    text = "".join(unicodedata.normalize("NFKC", ch) if 0x2F00 <= ord(ch) <= 0x2FDF else ch for ch in text)
    return text.translate(RADICALS)


def pdf_pages(pdf: bytes, text_block: tuple[float, float]) -> list[PrintedPage]:
    """Each page's text, where each piece of it is set, and how full the page is: the lowest text's
    distance from the top of the text block (``text_block``: its top and bottom in points from the
    page's foot), the page number under the block left out."""
    import io

    from pypdf import PdfReader

    pages = []
    top, bottom = text_block
    for page in PdfReader(io.BytesIO(pdf)).pages:
        items: list[tuple[float, float, str]] = []

        def seen(text, cm, tm, font, size, items=items):
            if text.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                items.append((x, y, fold_radicals(text)))

        text = page.extract_text(visitor_text=seen)
        inside = [(x, y, t) for x, y, t in items if y > bottom - 2]
        lowest = min((y for _, y, _ in inside), default=top)
        pages.append(PrintedPage(fold_radicals(text).replace("\n", ""), inside, (top - lowest) / (top - bottom)))
    return pages


MM = 72 / 25.4
PORTRAIT_BLOCK = ((297 - 37) * MM, 35 * MM)  # text block, top and bottom, from the page's foot
LANDSCAPE_BLOCK = ((210 - 28) * MM, 26 * MM)


def expected_pages(html: str) -> list[list[str]]:
    """The 序号 of each printed page of the document's paged tables, as the page model placed them."""
    pages: list[list[str]] = []
    for table in re.findall(r'<table class="[^"]*paged[^"]*".*?</table>', html, re.S):
        pages.append([])
        for attributes, cells in re.findall(r"<tr([^>]*)>(.*?)</tr>", table.split("<tbody>")[1], re.S):
            if "page-start" in attributes:
                pages.append([])
            number = re.search(r'<td class="id">(?:<span class="again">)?(?:<a [^>]*>)?(\d+)', cells)
            pages[-1].append(number.group(1))
    return pages


@pytest.fixture(scope="module")
def printed(browser, documents):
    """The documents as Chromium prints them, each once."""
    page = browser.new_page()
    pdfs = {}
    for name in (
        "hz-table.html",
        "cd-table.html",
        "hz-notice.html",
        "hz-notice-all.html",
        "cd-notice-all.html",
        "cd-unit.html",
        "hz-bulletin.html",
        "cd-bulletin.html",
    ):
        page.goto((documents / name).as_uri())
        pdfs[name] = page.pdf(prefer_css_page_size=True)
    page.close()
    return pdfs


def columns(html: str, landscape: bool, table: int = 0) -> list[tuple[float, float]]:
    """Each column's left and right edge on the printed page, in points, from the table's widths."""
    left = (37 if landscape else 28) * MM
    width = (225 if landscape else 156) * MM
    found = re.findall(r"<table[^>]*paged.*?<colgroup>(.*?)</colgroup>", html, re.S)[table]
    edges = []
    for share in re.findall(r'style="width: ([\d.]+)%"', found):
        right = left + width * float(share) / 100
        edges.append((left, right))
        left = right
    return edges


def test_the_full_table_prints_every_row_on_the_page_where_it_starts(documents, printed):
    for name in ("hz-table.html", "cd-table.html"):
        html = (documents / name).read_text(encoding="utf-8")
        edges = columns(html, landscape=True)
        header = re.search(r"<thead>\s*<tr><th>([^<]+)</th>", html).group(1)
        pages = pdf_pages(printed[name], LANDSCAPE_BLOCK)
        assert len(pages) > 1
        assert [page.ids(edges[0], header) for page in pages] == expected_pages(html)
        for page in pages[:-1]:
            assert page.fill >= 0.5, (name, page.text[:60])
        # every level's label on every page that has rows of it: a merged cell over a page break is two
        chunks = re.split(r"<tr[^>]*page-start[^>]*>", html.split("<tbody>")[1])
        for page, chunk in zip(pages, chunks, strict=True):
            for level, field in enumerate(re.findall(r'<col class="c-(dimension|measure|heading)"', html), 1):
                labels = re.findall(
                    rf'<td class="{field} merged[^"]*" rowspan="\d+">(?:<span class="again">)?([^<]+)<', chunk
                )
                printed_labels = "".join(page.column(*edges[level])).replace(" ", "")
                for label in labels:
                    assert label in printed_labels, (name, label)
        if name == "cd-table.html":
            assert any("（续）" in page.text for page in pages)


def test_the_notices_annex_starts_each_row_on_its_page_and_fills_them(documents, printed):
    for name in ("hz-notice-all.html", "cd-notice-all.html"):
        html = (documents / name).read_text(encoding="utf-8")
        edges = columns(html, landscape=False)
        header = re.search(r"<thead>\s*<tr><th>([^<]+)</th>", html).group(1)
        pages = pdf_pages(printed[name], PORTRAIT_BLOCK)
        annex = [index for index, page in enumerate(pages) if "附件1" in page.text[:12]]
        summary = [index for index, page in enumerate(pages) if "附件2" in page.text[:12]]
        assert len(annex) == 1 and len(summary) == 1
        table_pages = pages[annex[0] : summary[0]]
        assert [page.ids(edges[0], header) for page in table_pages] == expected_pages(html)
        # no page less than half full, but the last of a section (the body, 附件1, 附件2)
        ends = {annex[0] - 1, summary[0] - 1, len(pages) - 1}
        for index, page in enumerate(pages):
            if index not in ends:
                assert page.fill >= 0.5, (name, index + 1, page.fill)


def test_a_unit_list_with_a_row_longer_than_a_page(documents, printed):
    html = (documents / "cd-unit.html").read_text(encoding="utf-8")
    edges = columns(html, landscape=False)
    pages = pdf_pages(printed["cd-unit.html"], PORTRAIT_BLOCK)
    expected = [ids for ids in expected_pages(html) if ids]
    assert [ids for ids in (page.ids(edges[0], "编号") for page in pages) if ids] == expected
    assert any("5" in ids for ids in expected[1:])  # task 5 goes on over the page, its 序号 repeated
    for page in pages[:-1]:
        assert page.fill >= 0.5


def test_the_notice_prints_to_a4_pages_with_its_signature_beside_the_text(printed):
    import io

    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(printed["hz-notice.html"])).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait, in points
    pages = pdf_pages(printed["hz-notice.html"], PORTRAIT_BLOCK)
    # Measured: 5 pages (the title on three balanced lines takes page 1 to 二、; the annex takes 3).
    assert 4 <= len(pages) <= 7
    signed = [index for index, page in enumerate(pages) if "办公室2023年6月30日" in page.text]
    assert len(signed) == 1 and "请及时报告" in pages[signed[0]].text  # the 落款 never stands alone
    assert "市发改委任务清单" in pages[signed[0] + 1].text
    for number, page in enumerate(pages, 1):
        assert f"— {number} —" in page.text  # page numbers


@pytest.mark.parametrize("name", ["hz-bulletin.html", "cd-bulletin.html"])
def test_the_bulletin_prints_as_an_official_document(documents, printed, name):
    html = (documents / name).read_text(encoding="utf-8")
    pages = pdf_pages(printed[name], PORTRAIT_BLOCK)
    assert len(pages) >= 3
    text = "".join(page.text for page in pages)
    # the plan's own text, as it writes it: no half-width comma between Chinese characters
    assert not re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", text)
    assert "，" in text and not re.search(r"\d{4}-\d\d-\d\d", text)  # dates as 2023年8月1日
    for number, page in enumerate(pages, 1):
        assert f"— {number} —" in page.text
    for page in pages[:-1]:
        assert page.fill >= 0.5, page.text[:40]
    # a figure never splits over a page: its first bar's label and its caption on one page
    for caption in re.findall(r"<figcaption>(图\d)", html):
        assert sum(caption in page.text for page in pages) == 1
    if name == "cd-bulletin.html":
        assert any("5（续）" in page.text.replace(" ", "") for page in pages)


def test_qinghe_notice_prints_too(tmp_path, watched, cli):
    import io

    from pypdf import PdfReader

    target = tmp_path / "qinghe.html"
    assert (
        cli("render", "notice", "--unit", "东关镇", "--date", "2024-03-01", "-o", str(target), data=QINGHE).exit_code
        == 0
    )
    assert len(PdfReader(io.BytesIO(watched.open(target).pdf(prefer_css_page_size=True))).pages) == 2
