"""Fill-in forms handled as a unit and a spreadsheet program would: filled in, re-saved, converted.

``fill`` writes into a form with openpyxl the way a clerk types into it: it finds the
header row and each task's row by what they say, and sets the named cells; the
form's protection, validations and marker stay as they were.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

#: The columns a unit fills in, by the words of the form's header.
FILL_WORDS = ("进展情况", "完成状态", "完成日期", "存在问题", "下步计划", "佐证材料")
HEADER_ROW = 3

Cell = str | date | datetime | int | float | None


def header(sheet) -> dict[str, int]:
    """Each heading of the form's header row, with its column number."""
    return {str(cell.value): cell.column for cell in sheet[HEADER_ROW] if cell.value is not None}


def task_rows(sheet, id_word: str = "序号") -> dict[int, int]:
    """Each task's row number in the form, by its 序号."""
    column = header(sheet)[id_word]
    found = {}
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        value = sheet.cell(row=row, column=column).value
        if isinstance(value, int):
            found[value] = row
    return found


def fill(path: Path, rows: dict[int, dict[str, Cell]], target: Path | None = None, id_word: str = "序号") -> Path:
    """Write ``rows`` ({task id: {heading: value}}) into the form at ``path``; save to ``target`` (default: in place).

    A task id the form does not list gets a new row at the end (as a clerk who types a
    number in would make it), with the 序号 written too.
    """
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    columns = header(sheet)
    where = task_rows(sheet, id_word)
    for task, values in rows.items():
        row = where.get(task)
        if row is None:
            row = sheet.max_row + 1
            sheet.cell(row=row, column=columns[id_word], value=task)
        for word, value in values.items():
            sheet.cell(row=row, column=columns[word], value=value)
    out = target or path
    book.save(out)
    return out


def form_ids(path: Path, id_word: str = "序号") -> list[int]:
    """The task ids a form lists, in its order."""
    book = openpyxl.load_workbook(path)
    return list(task_rows(book.worksheets[0], id_word))


def resave_like_a_spreadsheet(path: Path, target: Path) -> Path:
    """What a spreadsheet program may do to a form: a formula, styles, an extra sheet, moved columns, a new name.

    The formula has a cached value written the way Excel writes one; openpyxl
    writes none, so it sits in a column the reader ignores. The fill-in columns
    进展情况 and 存在问题 swap places (a unit that rearranged the sheet), and
    存在问题's column is hidden.
    """
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    extra = sheet.max_column + 1
    sheet.cell(row=HEADER_ROW, column=extra, value="单位备注")
    sheet.cell(row=HEADER_ROW + 2, column=extra, value="=LEN(D5)")
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=sheet.max_row):
        for cell in row:
            if cell.coordinate in sheet.merged_cells:
                continue
            cell.font = Font(name="微软雅黑", size=11)
    sheet.cell(row=1, column=1).fill = PatternFill("solid", fgColor="DDEBF7")
    columns = header(sheet)
    progress, problems = columns["进展情况"], columns["存在问题"]
    for row in range(HEADER_ROW, sheet.max_row + 1):
        a, b = sheet.cell(row=row, column=progress), sheet.cell(row=row, column=problems)
        if a.coordinate in sheet.merged_cells:
            continue
        a.value, b.value = b.value, a.value
    sheet.column_dimensions[openpyxl.utils.get_column_letter(progress)].hidden = True
    notes = book.create_sheet("汇总", 1)
    notes["A1"] = "本单位内部汇总"
    notes["B2"] = "=COUNTA(填报表!K:K)"
    book.save(target)
    return target


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def calc_converts(folder: Path) -> bool:
    """Whether LibreOffice here can open a workbook (Calc installed), tried on a tiny one."""
    if OFFICE is None:
        return False
    probe = folder / "probe.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "probe"
    book.save(probe)
    return convert_with_libreoffice(probe, folder / "probe-out", folder / "profile") is not None


def convert_with_libreoffice(path: Path, out: Path, profile: Path) -> Path | None:
    """``path`` opened and saved again as .xlsx by LibreOffice Calc; None when it cannot (no Calc)."""
    assert OFFICE is not None
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    converted = out / path.name
    return converted if converted.is_file() else None
