"""Register text stays text wherever it goes: no formula in any CSV cell (lists included), no live
Markdown in the 通报 or any Markdown document, and no template file reached through a symlink.
"""

from __future__ import annotations

import csv
import io
import sys

import pytest
from markdown_it import MarkdownIt

from deviation_cli import load_register
from support.fuzzing import copy_register
from support.paths import QINGHE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TITLE = "清河计划\n[点我](http://evil.example/) **粗** `码` ~~删~~ <b>x</b> & ![图](x.png)"
UNIT = "县水|利局"  # a pipe would shift every column of a Markdown table after it


def hostile_names(tmp_path):
    """Qinghe with formula-looking unit names and aliases, a pipe in a name, and links in the title and a text."""
    units = (QINGHE / "units.yaml").read_text(encoding="utf-8")
    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    units = units.replace("name: 县城投公司", "name: =HYPERLINK(1)城投\n    aliases: ['@SUM(A1)', '+1城投']", 1)
    units = units.replace("aliases: [东关镇人民政府]", "aliases: ['-东关', '=东关镇人民政府']", 1)
    units = units.replace("name: 县水利局", f"name: '{UNIT}'", 1)
    tasks = tasks.replace("县城投公司", "=HYPERLINK(1)城投").replace("县水利局", f"'{UNIT}'")
    # a responsible list whose first name is a formula (an alias of the unit above)
    tasks = tasks.replace("    responsible:\n      - 县生态环境局\n", "    responsible:\n      - '@SUM(A1)'\n", 1)
    tasks = tasks.replace("  title: 清河县2024年河湖长制重点工作任务", "  title: " + _yaml(TITLE), 1)
    tasks = tasks.replace(
        "text: 完成县级饮用水水源地规范化建设。", "text: " + _yaml("[链接](http://x.example/)\n# 标题"), 1
    )
    folder = copy_register(tmp_path / "r", QINGHE, units=units, tasks=tasks)
    return folder


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def folder(tmp_path, cli):
    folder = hostile_names(tmp_path)
    run = cli("validate", str(folder), data=None)
    assert run.exit_code == 0, run.stderr
    return folder


# --- CSV -------------------------------------------------------------------------------------------


def csv_cells(text: str) -> list[str]:
    return [value for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for value in row]


@pytest.mark.parametrize(
    "args",
    [("units", "-f", "csv"), ("tasks", "-f", "csv"), ("unit", "东关镇", "-f", "csv"), ("search", "城投", "-f", "csv")],
)
def test_no_csv_cell_starts_a_formula_lists_included(cli, folder, args):
    run = cli(*args, data=folder)
    assert run.exit_code == 0, run.stderr
    live = [value for value in csv_cells(run.stdout) if value.startswith(FORMULA_STARTS)]
    assert live == []
    if args[0] == "units":  # an alias list whose first alias is a formula, and a name that is one
        assert "'-东关、=东关镇人民政府" in csv_cells(run.stdout) or "'-东关, =东关镇人民政府" in csv_cells(run.stdout)
        assert "'=HYPERLINK(1)城投" in csv_cells(run.stdout)


def test_export_csv_guards_lists_and_imports_back_the_same_names(cli, folder, tmp_path):
    out = tmp_path / "t.csv"
    assert cli("export", "csv", "-o", str(out), data=folder).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert [value for value in csv_cells(text) if value.startswith(FORMULA_STARTS)] == []
    assert any(value.startswith("'@SUM(A1)") for value in csv_cells(text))
    back = tmp_path / "back"
    run = cli("import", "csv", str(out), "-o", str(back), data=folder)
    assert run.exit_code == 0, run.stderr
    assert [t.responsible for t in load_register(back).tasks] == [t.responsible for t in load_register(folder).tasks]
    assert [t.lead for t in load_register(back).tasks] == [t.lead for t in load_register(folder).tasks]


def test_numbers_stay_numbers(cli):
    out = cli("due", "--before", "2023-07-31", "--as-of", "2023-08-01", "-f", "csv").stdout
    assert "-32" in csv_cells(out)


# --- Markdown ----------------------------------------------------------------------------------------


def tokens(text: str):
    return list(_walk(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)))


def _walk(found):
    for token in found:
        yield token
        yield from _walk(token.children or [])


def assert_inert(text: str) -> None:
    """No link, image, emphasis, code, strikethrough or HTML from the data; every table row as wide as its header."""
    found = tokens(text)
    kinds = {token.type for token in found}
    assert not kinds & {"link_open", "image", "em_open", "code_inline", "s_open"}, kinds
    html = {token.content for token in found if token.type == "html_inline"}
    assert html <= {"<br>", '<p align="right">', "</p>"}, html  # the templates' own
    assert "evil.example" not in "".join(t.attrs.get("href", "") for t in tokens(text) if t.attrs)
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(len(line.replace("\\|", "").split("|")))
        elif current:
            tables.append(current)
            current = []
    for widths in tables:
        assert set(widths) == {widths[0]}, widths


def test_the_bulletin_markdown_keeps_titles_names_and_notes_as_text(cli, folder, tmp_path):
    progress = tmp_path / "p.yaml"
    progress.write_text(
        "reports:\n"
        f"  - task: 1\n    unit: '{UNIT}'\n    date: 2024-05-01\n    status: 滞后\n"
        '    reason: "[点此](http://evil.example/) | *急* <i>x</i>\\n# 不是标题"\n',
        encoding="utf-8",
    )
    run = cli("report", "--as-of", "2024-12-01", "--progress", str(progress), data=folder)
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert_inert(text)
    assert text.startswith("# 关于《清河计划<br>\\[点我\\](http://evil.example/) \\*\\*粗\\*\\*")
    assert "### （一）县水\\|利局（1项）\n" in text
    assert "\n# 不是标题" not in text and "<br># 不是标题" in text
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<a " not in rendered and "<i>" not in rendered and "<b>" not in rendered


@pytest.mark.parametrize(
    "args",
    [
        ("render", "table"),
        ("render", "notice"),
        ("render", "notice", "--unit", UNIT),
        ("render", "unit", "--unit", "东关镇"),
        ("render", "due"),
    ],
)
def test_every_markdown_document_keeps_register_text_as_text(cli, folder, args):
    run = cli(*args, data=folder)
    assert run.exit_code == 0, run.stderr
    assert_inert(run.stdout)


# --- template files that are links ---------------------------------------------------------------


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@posix_only
def test_a_template_that_is_a_symlink_is_refused_and_its_target_never_printed(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_letterhead.md").symlink_to(secret)
    run = cli("--lang", "en", "render", "notice", "--templates", str(templates), data=QINGHE)
    assert run.exit_code == 2
    assert "TOP-SECRET-LINE" not in run.stdout + run.stderr
    assert run.stderr == (
        f"{templates / '_letterhead.md'}: template _letterhead.md is a symbolic link (to {secret}); "
        "a template folder holds its own files, so it is not followed\n"
    )


@posix_only
def test_a_linked_folder_inside_the_templates_folder_is_refused_too(cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bulletin.md.j2").write_text("SECRET {{ title }}\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report").symlink_to(elsewhere)
    # The 通报 looks in the user's folder itself; a page of the site, in its site/ folder.
    (templates / "bulletin.md.j2").symlink_to(elsewhere / "bulletin.md.j2")
    run = cli("report", "--as-of", "2024-07-01", "--templates", str(templates), data=QINGHE)
    assert run.exit_code == 2 and "SECRET" not in run.stdout


@posix_only
def test_a_linked_templates_folder_named_by_the_user_is_followed(cli, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "table.md").write_text("OWN {{ document.title }}\n", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    run = cli("render", "table", "--templates", str(link), data=QINGHE)
    assert (run.exit_code, run.stdout) == (0, "OWN 清河县2024年河湖长制重点工作任务\n")
