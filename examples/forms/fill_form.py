"""Fill in a 填报表 the way a unit does, for trying out `deviation import reports` (and for the docs).

    python examples/forms/fill_form.py FORM OUT 3.完成状态=推进中 3.进展情况=已梳理项目清单 4.完成日期=2023-07-28

Each TASK.HEADING=VALUE sets one cell: the row of task TASK (its 序号), the column headed
HEADING. A 完成日期 written as YYYY-MM-DD is entered as a date, as a spreadsheet does when a
date is typed into a date cell. A TASK the form does not list gets a new row at the end, as
when a clerk types the number in. The filled form is saved as OUT; FORM is left as it was.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime

import openpyxl

HEADER_ROW = 3
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def main(form: str, out: str, cells: list[str]) -> None:
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    columns = {str(cell.value): cell.column for cell in sheet[HEADER_ROW] if cell.value is not None}
    id_column = next(iter(columns.values()))  # the first column is the 序号, whatever the plan calls it
    rows = {
        sheet.cell(row=row, column=id_column).value: row
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
        if isinstance(sheet.cell(row=row, column=id_column).value, int)
    }
    for item in cells:
        where, _, value = item.partition("=")
        task_text, _, heading = where.partition(".")
        task = int(task_text)
        if task not in rows:
            rows[task] = sheet.max_row + 1
            sheet.cell(row=rows[task], column=id_column, value=task)
        cell = sheet.cell(row=rows[task], column=columns[heading])
        cell.value = datetime.fromisoformat(value) if heading == "完成日期" and ISO_DAY.match(value) else value
    book.save(out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
