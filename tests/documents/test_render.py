"""render: the data documents get, the Markdown they come out as (golden files), the CLI.

Golden files live in tests/golden/; after a deliberate change to a template,
refresh them with ``DEVIATION_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py``
and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date

import pytest
from markdown_it import MarkdownIt

from deviation_cli import load_register
from deviation_cli.documents.punctuation import cjk_punctuation, markdown_inline
from deviation_cli.documents.render import render_document
from deviation_cli.documents.site import build_site
from deviation_cli.documents.template_data import assigned_units
from deviation_cli.domain.annex import table_rows
from deviation_cli.domain.issues import UsageError
from deviation_cli.domain.unit_lists import unit_list
from support.paths import GOLDEN, HANZHONG, QINGHE

UPDATE = os.environ.get("DEVIATION_UPDATE_GOLDEN") == "1"


def markdown_html(text: str) -> str:
    """GitHub-flavoured tables as a CommonMark parser with the table rule renders them."""
    return MarkdownIt("commonmark").enable("table").render(text)


# --- the table's merged cells ----------------------------------------------------------------


def test_the_table_has_23_rows_with_the_source_merged_cells(hanzhong):
    rows = table_rows(hanzhong)
    assert [row.task.id for row in rows] == list(range(1, 24))
    assert [row.dimension_span for row in rows] == [3, 0, 0, 6, 0, 0, 0, 0, 0, 4, 0, 0, 0, 2, 0, 4, 0, 0, 0, 4, 0, 0, 0]
    assert [row.measure_span for row in rows] == [1, 1, 1, 2, 0, 3, 0, 0, 1, 1, 2, 0, 1, 1, 1, 1, 2, 0, 1, 1, 1, 1, 1]
    assert rows[0].dimension.table_name == "项目推进偏离度方面"
    assert rows[10].measure.title == "大力发展数字经济"


def test_the_responsible_cell_is_written_as_the_source_writes_it(hanzhong):
    rows = table_rows(hanzhong)
    assert rows[0].responsible == (
        "各县区政府,汉中经开区、兴汉新区、航空经开区管委会,滨江新区发展服务中心,"
        "市发改委、市自然资源局、市生态环境局等市级相关部门单位"
    )
    assert rows[4].responsible == "市城投公司、市投控集团、市交投集团、市水投集团等市级平台公司"
    assert rows[9].responsible == "汉中经开区、航空经开区管委会,市国资委、市经合局等市级相关部门单位"


def test_qinghe_table_merges_its_own_dimensions(qinghe):
    rows = table_rows(qinghe)
    assert [(row.task.id, row.dimension_span, row.measure_span) for row in rows] == [
        (1, 2, 2),
        (2, 0, 0),
        (3, 2, 2),
        (4, 0, 0),
    ]
    assert rows[0].dimension.table_name == "水资源保护"
    assert rows[1].responsible == "各镇人民政府,县水利局等县级有关部门"


def test_a_unit_list_splits_lead_shared_and_open(hanzhong):
    listed = unit_list(hanzhong, "市发改")
    assert listed.name == "市发改委"
    assert listed.display_name == "汉中市发展和改革委员会"
    assert [row.task.id for row in listed.lead] == [3, 4, 7, 11, 14, 17, 20, 22, 23]
    assert [row.task.id for row in listed.shared] == [1, 2, 6, 12, 13, 15, 21]
    assert [(day.isoformat(), [t.id for t in tasks]) for day, tasks in listed.milestones] == [
        ("2023-06-30", [1, 22, 23]),
        ("2023-07-31", [4]),
        ("2023-12-31", [3, 22, 23]),
    ]
    county = unit_list(hanzhong, "汉台区")
    assert county.member_of == ("各县区政府",)
    assert {row.via for row in county.shared} == {"各县区政府"}


def test_assigned_units_are_every_unit_with_a_task(hanzhong, qinghe):
    # 45 units, then the two groups that tasks name as themselves
    assert len(assigned_units(hanzhong)) == 47
    assert assigned_units(hanzhong)[-2:] == ["各县区政府", "市级相关部门单位"]
    assert assigned_units(qinghe) == [
        "县水利局",
        "县生态环境局",
        "县农业农村局",
        "县城投公司",
        "东关镇",
        "西河镇",
        "南山乡",
        "各镇人民政府",
    ]


# --- text helpers --------------------------------------------------------------------------


def test_punctuation_next_to_chinese_is_printed_full_width():
    assert cjk_punctuation("制度(试行)要求,对部分") == "制度\uff08试行\uff09要求\uff0c对部分"
    assert cjk_punctuation("一季度80%、二季度100%开工率目标,倒排") == "一季度80%、二季度100%开工率目标\uff0c倒排"
    assert cjk_punctuation("24+7+9 (a, b)") == "24+7+9 (a, b)"
    assert cjk_punctuation(3) == 3


def test_markdown_cells_escape_pipes_and_html():
    assert (
        markdown_inline("a|b <script>x</script> *y* 中文,x") == "a\\|b \\<script\\>x\\</script\\> \\*y\\* 中文\uff0cx"
    )
    assert markdown_inline("two\nlines") == "two<br>lines"


# --- golden Markdown -----------------------------------------------------------------------

CASES = [
    ("hanzhong-notice-市发改委", HANZHONG, ["notice", "--unit", "市发改委", "--date", "2023-06-30"]),
    ("hanzhong-notice-all", HANZHONG, ["notice", "--date", "2023-06-30", "--issuer", "汉中市人民政府办公室"]),
    ("hanzhong-unit-汉台区", HANZHONG, ["unit", "--unit", "汉台区"]),
    ("hanzhong-table", HANZHONG, ["table"]),
    ("hanzhong-due-2023", HANZHONG, ["due", "--before", "2023-12-31", "--as-of", "2023-07-01"]),
    ("qinghe-notice-县水利局", QINGHE, ["notice", "--unit", "县水利局", "--date", "2024-03-01"]),
    ("qinghe-notice-all", QINGHE, ["notice", "--date", "2024-03-01"]),
    ("qinghe-unit-东关镇", QINGHE, ["unit", "--unit", "东关镇"]),
    ("qinghe-table", QINGHE, ["table"]),
    ("qinghe-due", QINGHE, ["due", "--as-of", "2024-06-30"]),
]


@pytest.mark.parametrize("name,data,args", CASES, ids=[case[0] for case in CASES])
def test_markdown_matches_the_golden_file(cli, name, data, args):
    run = cli("render", *args, data=data)
    assert run.exit_code == 0, run.stderr
    golden = GOLDEN / f"{name}.md"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,data,args", CASES, ids=[case[0] for case in CASES])
def test_markdown_tables_are_intact(cli, name, data, args):
    """Every table line parses as a row with as many cells as its header."""
    text = cli("render", *args, data=data).stdout
    html = markdown_html(text)
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        header = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.S):
            for cells in re.findall(r"<tr>(.*?)</tr>", row, re.S):
                assert len(re.findall(r"<td[ >]", cells)) == header
    body_lines = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    assert html.count("<tr>") == len(body_lines)


def test_the_table_in_markdown_has_23_rows_with_merged_cells_left_empty(cli):
    html = markdown_html(cli("render", "table").stdout)
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    assert len(rows) == 23
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [row[1] for row in cells[:4]] == ["项目推进偏离度方面", "", "", "投资结构偏离度方面"]
    assert [row[2] for row in cells[10:12]] == ["大力发展数字经济", ""]


# --- hostile text ------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path):
    """Qinghe with a task text holding HTML and pipes."""
    folder = tmp_path / "hostile"
    shutil.copytree(QINGHE, folder)
    tasks = folder / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(
        text.replace("完成河道采砂专项整治。", "'<script>alert(1)</script> 完成|整治 & <b>加粗</b>'"),
        encoding="utf-8",
    )
    return folder


def test_markup_in_a_task_is_text_in_html(cli, hostile):
    run = cli("render", "table", "--format", "html", data=hostile)
    assert run.exit_code == 0, run.stderr
    assert "<script>alert" not in run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 完成|整治 &amp; &lt;b&gt;加粗&lt;/b&gt;" in run.stdout


def test_markup_in_a_task_is_text_in_markdown(cli, hostile):
    run = cli("render", "table", data=hostile)
    line = next(line for line in run.stdout.splitlines() if line.startswith("| 4 |"))
    assert "\\<script\\>alert(1)\\</script\\> 完成\\|整治 \\& \\<b\\>加粗\\</b\\>" in line
    html = markdown_html(run.stdout)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 完成|整治 &amp; &lt;b&gt;加粗&lt;/b&gt;" in html


# --- HTML documents ------------------------------------------------------------------------------


def test_html_notice_has_the_official_structure(cli):
    run = cli("render", "notice", "--unit", "市发改委", "--date", "2023-06-30", "--format", "html")
    page = run.stdout
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    order = [
        '<h1 class="title">关于落实<br>《加强管控重点产业项目偏离度实施方案》<br>任务分工的通知</h1>',
        '<p class="salutation">汉中市发展和改革委员会\uff1a</p>',
        "一、你单位牵头9项任务\uff08序号3、4、7、11、14、17、20、22、23\uff09",
        '<p class="attachment-note">附件\uff1a市发改委任务清单</p>',
        '<p class="issuer">汉中市人民政府办公室</p>',
        '<p class="date">2023年6月30日</p>',
        '<p class="attachment-label">附件</p>',
    ]
    positions = [page.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert page.count('<td class="role">牵头</td>') == 9
    assert "margin: 37mm 26mm 35mm 28mm" in page
    assert re.search(r"body \{[^}]*font-family: var\(--fangsong\); font-size: 16pt", page)
    assert re.search(r"h1\.title \{[^}]*font-size: 22pt", page)
    assert "仿宋" in page and "宋体" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(" not in page


def test_issuer_and_date_are_taken_from_the_options(cli):
    run = cli("render", "notice", "--unit", "东关镇", "--issuer", "清河县河长办", "--date", "2024年3月1日", data=QINGHE)
    assert "清河县河长办<br>2024年3月1日" in run.stdout
    assert run.stdout.startswith("# 关于落实《清河县2024年河湖长制重点工作任务》任务分工的通知\n\n东关镇\uff1a")


def test_the_html_table_reproduces_the_rowspans_page_by_page(cli, hanzhong):
    """Printed, a merged cell never runs over a page break: each page's run gets its own cell."""
    page = cli("render", "table", "-f", "html").stdout
    body = page.split("<tbody>")[1]
    assert body.count("<tr ") == 23
    rows = re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S)
    pages: list[list[str]] = []
    for attributes, cells in rows:
        if not pages or "page-start" in attributes:
            pages.append([])
        pages[-1].append(cells)
    assert len(pages) > 1
    # On every page, each dimension's cells cover that page's rows of it, labelled every time.
    for cells_of_page in pages:
        spans = [
            int(n) for n in re.findall(r'<td class="dimension merged[^"]*" rowspan="(\d+)">', "".join(cells_of_page))
        ]
        assert sum(spans) == len(cells_of_page)
        assert re.match(r'\s*<td class="id">\d+</td>\s*<td class="dimension merged', cells_of_page[0])
    assert '<td class="measure merged" rowspan="2">大力发展数字经济</td>' in body
    assert 'class="flat"' not in body  # the filter's copies belong to the site only


def test_the_site_table_keeps_the_source_rowspans(hanzhong):
    body = build_site(hanzhong, date(2023, 7, 1))["table.html"].split("<tbody>")[1]
    assert (
        '<td class="dimension merged" rowspan="3"><a href="dimensions/progress.html">项目推进偏离度方面</a></td>'
        in body
    )
    assert "page-start" not in body and "repeated" not in body


# --- the command line ------------------------------------------------------------------------------


def test_output_file_is_written_and_format_follows_its_extension(cli, tmp_path):
    target = tmp_path / "notice.html"
    run = cli("render", "notice", "--unit", "市发改委", "--date", "2023-06-30", "-o", str(target))
    assert (run.exit_code, run.stdout) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_register_is_never_overwritten(cli, tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(QINGHE, folder)
    before = (folder / "tasks.yaml").read_bytes()
    run = cli("render", "table", "-o", str(folder / "tasks.yaml"), data=folder)
    assert run.exit_code == 2
    assert "不能写入登记册文件本身" in run.stderr
    assert (folder / "tasks.yaml").read_bytes() == before


def test_all_units_writes_one_file_per_unit(cli, tmp_path):
    out = tmp_path / "notices"
    run = cli("render", "notice", "--all-units", "-o", str(out), "--date", "2024-03-01", data=QINGHE)
    assert run.exit_code == 0, run.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{name}.md"
        for name in [
            "县水利局",
            "县生态环境局",
            "县农业农村局",
            "县城投公司",
            "东关镇",
            "西河镇",
            "南山乡",
            "各镇人民政府",
        ]
    )
    assert run.stderr == f"已写入 8 个文件到 {out}\n"
    assert (out / "南山乡.md").read_text(encoding="utf-8").startswith("# 关于落实")


@pytest.mark.parametrize(
    "args,message",
    [
        (["memo"], "KIND 应为 notice, unit, table, due, reminder 之一,而不是“memo”"),
        (["unit"], "unit 需要 --unit 指明单位(或用 --all-units)"),
        (["table", "--unit", "市发改委"], "table 不按单位生成,请去掉 --unit"),
        (["table", "--all-units", "-o", "x"], "--all-units 只用于 notice、unit 和 reminder,而不是 table"),
        (["notice", "--all-units"], "--all-units 需要 -o 目录,每个单位写一个文件"),
        (["unit", "--unit", "市发该委"], "没有单位“市发该委”。是否指:市发改委、市委办、市国资委?"),
        (["notice", "--unit", "市发改委", "--date", "2023-02-30"], "2023-02-30 不是真实日期"),
        (["table", "--format", "pdf"], "--format 应为 md, html, docx 之一,而不是“pdf”"),
        (["table", "--templates", "no/such/folder"], "找不到模板目录 no/such/folder"),
    ],
)
def test_usage_errors_are_messages_with_exit_2(cli, args, message):
    run = cli("render", *args)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", message + "\n")


def test_a_notice_without_an_issuer_asks_for_one(cli, tmp_path):
    folder = tmp_path / "noissuer"
    shutil.copytree(QINGHE, folder)
    tasks = folder / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("  source: 清河县人民政府办公室\n", ""), encoding="utf-8"
    )
    run = cli("render", "notice", "--unit", "东关镇", data=folder)
    assert (run.exit_code, run.stderr) == (2, "登记册没有写发文机关(document.source);请用 --issuer 给出\n")
    assert cli("render", "notice", "--unit", "东关镇", "--issuer", "清河县河长办", data=folder).exit_code == 0


# --- user templates -------------------------------------------------------------------------------


def test_a_user_folder_overrides_one_template(cli, tmp_path):
    (tmp_path / "_letterhead.md").write_text("**清河县河长制办公室文件**\n\n", encoding="utf-8")
    run = cli("render", "notice", "--unit", "东关镇", "--date", "2024-03-01", "--templates", str(tmp_path), data=QINGHE)
    assert run.stdout.startswith("**清河县河长制办公室文件**\n\n# 关于落实")
    assert "| 1 | 完成县级饮用水水源地规范化建设。 | 参与 | 县水利局 | 2024年上半年 |" in run.stdout


def test_a_typo_in_a_template_fails_loudly_with_its_line(cli, tmp_path):
    (tmp_path / "table.md").write_text("# {{ document.title }}\n\n{{ documnet.title }}\n", encoding="utf-8")
    run = cli("render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2
    assert run.stderr.startswith(str(tmp_path / "table.md") + ":3:1: 模板 table.md 用到了不存在的变量或字段:")
    assert "'documnet' is undefined" in run.stderr


def test_a_missing_field_is_not_printed_as_a_blank(cli, tmp_path):
    (tmp_path / "table.md").write_text("{% for row in rows %}{{ row.task.txet }}{% endfor %}\n", encoding="utf-8")
    run = cli("render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2
    assert "has no attribute 'txet'" in run.stderr


def test_a_template_cannot_reach_python_internals(cli, tmp_path):
    (tmp_path / "table.md").write_text("{{ register.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    run = cli("render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2
    assert "模板 table.md 试图访问不允许的内部属性" in run.stderr
    assert "__globals__" not in run.stdout


def test_a_template_syntax_error_names_file_and_line(cli, tmp_path):
    (tmp_path / "unit.md").write_text("# {{ unit.name }}\n{% if %}\n", encoding="utf-8")
    run = cli("render", "unit", "--unit", "东关镇", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2
    assert run.stderr.startswith(str(tmp_path / "unit.md") + ":2:1: 模板语法错误:")


def test_the_library_raises_usage_errors_not_exit(qinghe):
    with pytest.raises(UsageError):
        render_document(qinghe, "unit", "md")
    text = render_document(qinghe, "due", "md", before=date(2024, 6, 30), as_of=date(2024, 6, 1))
    assert "| 2024年6月30日 | 1 | 完成县级饮用水水源地规范化建设。" in text
    assert "| 29天 |" in text


# --- the site -----------------------------------------------------------------------------------


def test_the_site_has_a_page_per_unit_dimension_and_task(hanzhong, qinghe):
    pages = build_site(hanzhong, date(2023, 7, 1))
    assert len(pages) == 2 + 6 + 45 + 3 + 23
    assert {
        "index.html",
        "table.html",
        "dimensions/progress.html",
        "units/市发改委.html",
        "units/各县区政府.html",
        "tasks/23.html",
    } <= set(pages)
    small = build_site(qinghe, date(2024, 1, 1))
    assert sorted(small) == sorted(
        [
            "index.html",
            "table.html",
            "dimensions/water.html",
            "dimensions/shoreline.html",
            "tasks/1.html",
            "tasks/2.html",
            "tasks/3.html",
            "tasks/4.html",
        ]
        + [
            f"units/{name}.html"
            for name in [
                "县水利局",
                "县生态环境局",
                "县农业农村局",
                "县城投公司",
                "东关镇",
                "西河镇",
                "南山乡",
                "各镇人民政府",
                "县级有关部门",
            ]
        ]
    )


def test_site_command_writes_every_page(cli, tmp_path):
    run = cli("site", str(tmp_path / "out"), "--as-of", "2024-01-01", data=QINGHE)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"已写入 17 个页面到 {tmp_path / 'out'}\n"
    written = sorted(str(path.relative_to(tmp_path / "out")) for path in (tmp_path / "out").rglob("*.html"))
    assert len(written) == 17
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<a href="units/%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80.html">县水利局</a>' in index
    assert "还有" in index and "2024年3月31日" in index


def test_site_takes_its_folder_as_an_option_too_but_only_one_folder(cli, tmp_path):
    run = cli("site", "-o", str(tmp_path / "out"), "--as-of", "2024-01-01", data=QINGHE)
    assert (run.exit_code, run.stderr) == (0, f"已写入 17 个页面到 {tmp_path / 'out'}\n")
    run = cli("site", str(tmp_path / "a"), "-o", str(tmp_path / "b"), data=QINGHE)
    assert (run.exit_code, run.stderr) == (
        2,
        f"网站只写入一个文件夹:OUT 为“{tmp_path / 'a'}”,-o 为“{tmp_path / 'b'}”\n",
    )
    run = cli("site", data=QINGHE)
    assert (run.exit_code, run.stderr) == (2, "请给出写入网站的文件夹,如 deviation site 网站/\n")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.parametrize("data", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
def test_every_link_of_every_page_resolves_to_a_page_and_anchor(data):
    """Relative links only, each to a page of the site (and an id on it); nothing from elsewhere."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urljoin, urlsplit

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids, self.sources = [], set(), []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "a" and "href" in attrs:
                self.hrefs.append(attrs["href"])
            if "id" in attrs:
                self.ids.add(attrs["id"])
            if "src" in attrs or (tag == "link" and "href" in attrs):
                self.sources.append(attrs.get("src") or attrs.get("href"))

    pages = build_site(load_register(data), date(2024, 1, 1))
    parsed = {}
    for name, text in pages.items():
        parser = Links()
        parser.feed(text)
        parsed[name] = parser
    count = 0
    for name, parser in parsed.items():
        assert parser.sources == [], name
        for href in parser.hrefs:
            url = urlsplit(urljoin("http://site/" + name, href))
            assert url.netloc == "site" and not href.startswith(("/", "http:", "https:")), (name, href)
            target = unquote(url.path.lstrip("/"))
            assert target in pages, f"{name} links to missing {href}"
            assert not url.fragment or url.fragment in parsed[target].ids, f"{name} links to missing {href}"
            count += 1
    assert count == {HANZHONG: 2740, QINGHE: 209}[data]


def test_user_templates_reach_html_notices_and_the_site(cli, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "_letterhead.html").write_text('<p class="letterhead">清河县河长制办公室文件</p>\n', encoding="utf-8")
    (mine / "_style.css").write_text("body { font-family: serif; }\n", encoding="utf-8")
    notice = cli("render", "notice", "--unit", "东关镇", "-f", "html", "--templates", str(mine), data=QINGHE).stdout
    assert notice.index('<p class="letterhead">清河县河长制办公室文件</p>') < notice.index('<h1 class="title">')
    assert "<style>\nbody { font-family: serif; }\n" in notice
    run = cli("site", str(tmp_path / "out"), "--templates", str(mine), data=QINGHE)
    assert run.exit_code == 0
    assert "<style>\nbody { font-family: serif; }\n" in (tmp_path / "out" / "tasks" / "1.html").read_text(
        encoding="utf-8"
    )


def test_a_runtime_error_in_a_user_template_is_a_message(cli, tmp_path):
    (tmp_path / "table.md").write_text("# {{ document.title }}\n{{ tasks | length / 0 }}\n", encoding="utf-8")
    run = cli("render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"{tmp_path / 'table.md'}:2:1: 模板 table.md 出错:ZeroDivisionError: division by zero\n"


def test_a_dash_as_output_is_stdout(cli):
    run = cli("render", "table", "-o", "-", data=QINGHE)
    assert run.exit_code == 0 and run.stdout.startswith("# 《清河县2024年河湖长制重点工作任务》任务分解表\n")
    assert run.stdout == cli("render", "table", data=QINGHE).stdout


def test_the_table_macros_also_take_plain_rows(cli, tmp_path):
    """A template of its own (a reminder, a form) may hand the macros a unit's rows or the table's rows."""
    (tmp_path / "unit.html").write_text(
        '{% extends "_layout.html" %}{% import "_macros.html" as m with context %}'
        "{% block content %}{{ m.unit_rows(unit.lead) }}{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "table.html").write_text(
        '{% extends "_layout.html" %}{% import "_macros.html" as m with context %}'
        "{% block content %}{{ m.decomposition(rows, columns) }}{% endblock %}",
        encoding="utf-8",
    )
    unit = cli("render", "unit", "--unit", "市发改委", "-f", "html", "--templates", str(tmp_path)).stdout
    assert unit.count('<td class="role">牵头</td>') == 9
    table = cli("render", "table", "-f", "html", "--templates", str(tmp_path)).stdout
    assert table.count('<tr id="task-') == 23 and 'class="page-start"' not in table
