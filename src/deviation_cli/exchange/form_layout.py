"""What a fill-in form (填报表) is made of, shared by the writer and the reader: its columns and its marker.

The columns: the task's own (序号, the plan's levels, the task, the unit's part in
it, the lead, the deadline, the next milestone and the unit's last report), in the
plan's own words, then the six a unit fills in, whose words are the form's:
进展情况, 完成状态, 完成日期, 存在问题, 下步计划, 佐证材料. The reader finds every
column by its heading, so a form whose columns were moved, hidden or widened reads the same.

The marker says which register, unit and period a form belongs to. It is written
twice: on a very hidden sheet (which Excel, WPS and LibreOffice keep when they
save) and as custom document properties (kept too, and readable when a program
drops the sheet). The register is named by a fingerprint of its document's title,
written date and 发文字号: the same after any edit of tasks or units, different
for another plan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..domain.register import Register, normalise_name
from ..words import label, say

#: The form's layout version, in its marker: a reader refuses a layout it does not know.
FORM_VERSION = "1"
#: The very hidden sheet holding the marker: one key and value per row.
MARKER_SHEET = "_deviation"
#: The marker's first cell: what the sheet is.
MARKER_TITLE = "deviation form"
#: Custom document property names: this prefix and the marker's keys.
PROPERTY_PREFIX = "deviation."

#: The columns a unit fills in, by field, in the form's order.
FILL_FIELDS = ("progress", "status", "done_on", "problems", "next_steps", "evidence")
#: Column widths in Excel's character units (a CJK character is about two).
WIDTHS = {
    "id": 6,
    "task": 40,
    "role": 10,
    "lead": 12,
    "deadline": 12,
    "next_due": 12,
    "last_report": 12,
    "progress": 30,
    "status": 10,
    "done_on": 12,
    "problems": 20,
    "next_steps": 20,
    "evidence": 16,
}
LEVEL_WIDTH = 12


@dataclass(frozen=True, slots=True)
class FormColumn:
    """One column of the form: the field it holds, its heading, and whether the unit fills it in."""

    field: str  # id, level1.., task, role, lead, deadline, next_due, last_report, or one of FILL_FIELDS
    word: str
    width: int
    fill: bool = False


def form_word(field: str) -> str:
    """The heading of one of the form's own columns (the form is a Chinese document, whatever --lang says)."""
    return say(f"form.column.{field}")


def form_columns(register: Register) -> tuple[FormColumn, ...]:
    """The form's columns in order, the task's own headed with the plan's words."""
    words = register.plan.words()

    def plan_column(field: str) -> FormColumn:
        return FormColumn(field, label(field, "zh", words), WIDTHS[field])

    def own_column(field: str, fill: bool = False) -> FormColumn:
        return FormColumn(field, form_word(field), WIDTHS[field], fill)

    levels = tuple(
        FormColumn(f"level{index}", level.column, LEVEL_WIDTH) for index, level in enumerate(register.levels, 1)
    )
    return (
        plan_column("id"),
        *levels,
        plan_column("task"),
        own_column("role"),
        plan_column("lead"),
        plan_column("deadline"),
        own_column("next_due"),
        own_column("last_report"),
        *(own_column(field, fill=True) for field in FILL_FIELDS),
    )


def register_fingerprint(register: Register) -> str:
    """Which plan a form belongs to: a hash of the document's title, written date and 发文字号.

    Why these three: they name the plan and do not change when tasks, units or
    deadlines are edited; another plan (another city's, next year's) differs in at
    least one. Spaces and width variants are folded first, so retyping the title
    the way it was does not orphan the forms already sent.
    """
    document = register.document
    parts = [normalise_name(document.title), document.written.isoformat(), normalise_name(document.doc_number or "")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class FormMarker:
    """Which register, unit and period a form belongs to (and, to name them in a message, the plan's title)."""

    register: str  # register_fingerprint
    unit: str  # canonical name
    period: str  # the reporting period's key: its due day, ISO
    title: str = ""  # the plan's title when the form was made
    exported: str = ""  # the day the form was made, ISO
    version: str = FORM_VERSION

    def pairs(self) -> list[tuple[str, str]]:
        return [
            ("version", self.version),
            ("register", self.register),
            ("unit", self.unit),
            ("period", self.period),
            ("title", self.title),
            ("exported", self.exported),
        ]

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, str]) -> FormMarker | None:
        """The marker these keys and values describe; None when one it needs is missing."""
        needed = ("version", "register", "unit", "period")
        if any(not pairs.get(key) for key in needed):
            return None
        return cls(
            register=pairs["register"],
            unit=pairs["unit"],
            period=pairs["period"],
            title=pairs.get("title", ""),
            exported=pairs.get("exported", ""),
            version=pairs["version"],
        )


def content_hash(marker: FormMarker, rows: list[dict[str, str]]) -> str:
    """A short hash of what a form says: its register, unit and period and the cells of the rows taken.

    Why of the cells and not of the reports made from them: a report's date may be
    the day of the import, so the same form imported on two days would otherwise
    look like a corrected one.
    """
    content = {
        "register": marker.register,
        "unit": marker.unit,
        "period": marker.period,
        "rows": sorted(rows, key=lambda row: int(row["task"])),
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
