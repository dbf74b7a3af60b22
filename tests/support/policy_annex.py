"""The Hanzhong policy's annex table (任务分解表), parsed from its text copy: the source every fidelity
check compares the shipped register with."""

from __future__ import annotations

import re
import unicodedata

from support.paths import HANZHONG

POLICY = (HANZHONG / "source" / "policy.txt").read_text(encoding="utf-8")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def annex_rows() -> list[dict]:
    """The annex table as rows; a row without dimension/measure cells has None there."""
    annex = POLICY.split("完成 |\n", 1)[1]
    cells = [cell.strip() for cell in annex.split("|")]
    rows: list[list[str]] = []
    for cell in cells:
        if cell == str(len(rows) + 1):
            rows.append([])
        elif cell:
            rows[-1].append(cell)
    parsed = []
    for number, row in enumerate(rows, 1):
        leading, (task, lead, responsible, deadline) = row[:-4], row[-4:]
        dimension = next((c for c in leading if c.endswith("偏离度方面")), None)
        measure = next((c for c in leading if not c.endswith("偏离度方面")), None)
        parsed.append(
            dict(
                id=number,
                dimension=dimension,
                measure=measure,
                task=task,
                lead=lead,
                responsible=responsible,
                deadline=deadline,
            )
        )
    return parsed


ROWS = annex_rows()
