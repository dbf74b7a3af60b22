"""Notices, 责任清单 and the 通报 as Word files: the GB/T 9704 page, what offices edit, and that
LibreOffice opens each one (converted to PDF once per document kind, in one run).

The LibreOffice tests need Debian's libreoffice-writer-nogui (.ci/run installs it). In CI
(CI=true) they never skip: a missing LibreOffice is a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from deviation_cli import load_register
from deviation_cli.documents.template_data import assigned_units
from support.paths import CHENGDONG, HANZHONG, QINGHE

SAMPLE = HANZHONG.parent / "examples" / "hanzhong-progress"
HZ_PROGRESS = ["--progress", str(SAMPLE / "progress.yaml"), "--observed", str(SAMPLE / "observations.yaml")]
IN_CI = os.environ.get("CI", "").lower() == "true"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK_COMMA = re.compile(r"[\u4e00-\u9fff],|,[\u4e00-\u9fff]")

#: Each kind of document once: (file, data, command).
DOCUMENTS = {
    "notice": (HANZHONG, ["render", "notice", "--unit", "市发改委", "--date", "2023-06-30"]),
    "notice-all": (HANZHONG, ["render", "notice", "--date", "2023-06-30"]),
    "unit": (HANZHONG, ["render", "unit", "--unit", "汉台区"]),
    "table": (CHENGDONG, ["render", "table"]),
    "bulletin": (HANZHONG, ["report", "--as-of", "2023-08-01", *HZ_PROGRESS]),
    "bulletin-chengdong": (CHENGDONG, ["report", "--as-of", "2024-10-15"]),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Every kind of document as a .docx file, written by the command line."""
    from typer.testing import CliRunner

    from deviation_cli.cli import app

    folder = tmp_path_factory.mktemp("word")
    written = {}
    for name, (data, args) in DOCUMENTS.items():
        target = folder / f"{name}.docx"
        run = CliRunner().invoke(app, ["--data", str(data), *args, "-o", str(target)], catch_exceptions=False)
        assert run.exit_code == 0, run.output
        written[name] = target
    return written


def texts(path: Path) -> str:
    """Every paragraph's text, the tables' too, in document order."""
    document = Document(str(path))
    body = document.element.body
    return "\n".join("".join(node.text or "" for node in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def test_a4_with_the_margins_of_gb_t_9704(documents):
    def mm(*lengths):
        return tuple(round(length.mm, 1) for length in lengths)  # Word keeps twips

    section = Document(str(documents["notice"])).sections[0]
    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (37, 35, 28, 26)
    wide = Document(str(documents["table"])).sections[0]
    assert mm(wide.page_width, wide.page_height) == (297, 210)


def test_fonts_are_named_as_offices_have_them_with_their_alternatives(documents):
    document = Document(str(documents["notice"]))
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)  # 3号
    assert normal.element.rPr.rFonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    title = document.paragraphs[0]
    assert [run.font.size for run in title.runs] == [Pt(22)] * len(title.runs)  # 2号
    assert title.runs[0].element.rPr.rFonts.get(f"{W}eastAsia") == "方正小标宋简体"
    assert title.text == "关于落实\n《加强管控重点产业项目偏离度实施方案》\n任务分工的通知"  # balanced, 《…》 whole
    fonts = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    for name, alternative in (
        ("仿宋_GB2312", "仿宋"),
        ("方正小标宋简体", "宋体"),
        ("楷体_GB2312", "楷体"),
        ("黑体", "SimHei"),
    ):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/>'.encode() in fonts


def test_page_numbers_are_in_the_footer_right_on_odd_pages_left_on_even(documents):
    document = Document(str(documents["notice"]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment.name.lower() == alignment
        xml = paragraph._p.xml
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert 'w:eastAsia="宋体"' in xml


def test_the_annex_table_repeats_its_header_and_merges_cells(documents):
    document = Document(str(documents["notice-all"]))
    annex = document.tables[0]
    first = annex.rows[0]._tr
    assert first.find(f"{W}trPr/{W}tblHeader") is not None
    assert [cell.text for cell in annex.rows[0].cells] == [
        "序号",
        "管控",
        "改进措施",
        "具体任务",
        "牵头部门",
        "责任单位",
        "完成时限",
    ]
    # 项目推进偏离度方面 spans rows 1–3 as in the source (the HTML's page-by-page runs are one again)
    ids = [row.cells[0].text for row in annex.rows[1:]]
    first = {task: ids.index(str(task)) + 1 for task in (1, 4)}
    merges = [row._tr.tc_lst[1].find(f"{W}tcPr/{W}vMerge") for row in annex.rows[first[1] : first[4]]]
    assert merges[0].get(f"{W}val") == "restart" and all(m is not None and m.get(f"{W}val") is None for m in merges[1:])
    assert [annex.rows[first[1]].cells[1].text, annex.rows[first[4]].cells[1].text] == [
        "项目推进偏离度方面",
        "投资结构偏离度方面",
    ]
    # a row the HTML printed in parts is one row again: its parts merged, its text whole, no （续）
    assert sorted(set(ids), key=int) == [str(n) for n in range(1, 24)]
    assert "（续）" not in texts(documents["notice-all"])
    assert sum(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in annex.rows) >= 20


def test_a_row_longer_than_half_a_page_may_break_in_word(documents):
    table = Document(str(documents["table"])).tables[0]
    rows = list(table.rows)
    at = next(index for index, row in enumerate(rows) if row.cells[0].text == "5")
    row_5 = rows[at]
    assert rows[at + 1].cells[2].text == row_5.cells[2].text  # its printed continuation, merged into it
    assert row_5._tr.find(f"{W}trPr/{W}cantSplit") is None
    assert row_5.cells[2].text.startswith("围绕企业全生命周期") and row_5.cells[2].text.endswith(
        "整改情况在区政务服务网公开。"
    )
    assert "（续）" not in texts(documents["table"])


def test_the_notice_carries_its_signature_and_imprint(documents):
    text = texts(documents["notice"])
    assert "汉中市人民政府办公室\n2023年6月30日" in text
    assert text.rstrip().endswith("汉中市人民政府办公室\n2023年6月30日印发")  # 版记
    bulletin = texts(documents["bulletin"])
    assert "汉中市人民政府办公室\n2023年8月1日" in bulletin
    assert bulletin.rstrip().endswith("汉中市人民政府办公室\n2023年8月1日印发")


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_chinese_text_has_full_width_punctuation(documents, name):
    assert not CJK_COMMA.search(texts(documents[name]))


def test_a_docx_is_never_written_to_a_terminal(cli, tmp_path):
    for args in (
        ["render", "notice", "--unit", "市发改委", "-f", "docx"],
        ["report", "--as-of", "2023-08-01", "-f", "docx"],
    ):
        run = cli(*args)
        assert (run.exit_code, run.stdout) == (2, "")
        assert run.stderr == "docx 文件不是给终端看的文本;请用 -o 文件名 写出(或 -o - 写到标准输出)\n"


def test_a_docx_goes_to_stdout_when_asked_with_a_dash():
    from typer.testing import CliRunner

    from deviation_cli.cli import app

    run = CliRunner().invoke(
        app, ["--data", str(HANZHONG), "render", "unit", "--unit", "市审计局", "-f", "docx", "-o", "-"]
    )
    assert run.exit_code == 0
    assert Document(io.BytesIO(run.stdout_bytes)).paragraphs[0].text == "市审计局责任清单"


def test_docx_follows_the_extension_and_one_file_per_unit(cli, tmp_path):
    assert (
        cli(
            "render",
            "unit",
            "--unit",
            "东关镇",
            "-o",
            str(tmp_path / "u.docx"),
            data=QINGHE,
        ).exit_code
        == 0
    )
    assert (tmp_path / "u.docx").read_bytes()[:2] == b"PK"
    run = cli(
        "render",
        "notice",
        "--all-units",
        "-f",
        "docx",
        "-o",
        str(tmp_path / "all"),
        "--date",
        "2024-03-01",
        data=CHENGDONG,
    )
    assert run.exit_code == 0, run.stderr
    assert len(list((tmp_path / "all").glob("*.docx"))) == len(assigned_units(load_register(CHENGDONG)))


# --- LibreOffice opens them ------------------------------------------------------------------------

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.fixture(scope="module")
def converted(documents, tmp_path_factory):
    """Each document converted to PDF by LibreOffice, all in one run, with a profile of its own."""
    if OFFICE is None:
        if IN_CI:
            pytest.fail("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed: apt-get install libreoffice-writer-nogui to run these tests")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("office-profile")
    run = subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents.values()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    # LibreOffice reports a document it could not load, or had to repair, on stderr; Java's absence is no matter
    complaints = [line for line in run.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert complaints == []
    return {name: out / f"{name}.pdf" for name in documents}


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(str(path)).pages]


@pytest.mark.parametrize(
    "name,pages,first,last",
    [
        # measured with LibreOffice 7.4 and the Noto CJK fonts: 4, 14, 4, 3, 4 and 8 pages (Chengdong's
        # 通报 lists a co-led overdue task under each of its leads, and its tables have a light column)
        ("notice", (3, 6), "汉中市发展和改革委员会", "2023年6月30日印发"),
        ("notice-all", (10, 16), "各县区人民政府", "2023年6月30日印发"),
        ("unit", (3, 6), "汉台区责任清单", "2023年12月31日"),
        ("table", (2, 6), "任务分解表", "— "),
        ("bulletin", (3, 6), "落实情况的通报", "2023年8月1日印发"),
        ("bulletin-chengdong", (3, 9), "落实情况的通报", "2024年10月15日印发"),
    ],
)
def test_libreoffice_opens_the_document_and_prints_it(converted, name, pages, first, last):
    texts = pdf_pages(converted[name])
    assert pages[0] <= len(texts) <= pages[1]
    squeezed = [re.sub(r"\s+", "", text) for text in texts]
    assert re.sub(r"\s+", "", first) in squeezed[0]
    assert re.sub(r"\s+", "", last) in "".join(squeezed[-1:])
    for number, text in enumerate(squeezed, 1):
        assert f"—{number}—" in text  # the page number in the footer
