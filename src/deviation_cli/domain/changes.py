"""What changed between two versions of a register, in the plan's own terms.

``diff_registers`` compares two loaded registers (a folder, or a git revision
read by ``store.versions``) and
returns ``Change`` records: tasks added or removed, lead and responsible units,
deadlines moved (by how many days, extended or advanced), task text (diffed by
phrase and character, since Chinese has no spaces), units renamed, measures,
dimensions and the document's own facts. Formatting is ``output.change_lines``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from .deadlines import normalise_wording
from .register import Group, Register, Task, Unit

TASK_ADDED = "task-added"
TASK_REMOVED = "task-removed"
TASK_MOVED = "task-moved"
TEXT_CHANGED = "text-changed"
LEAD_CHANGED = "lead-changed"
RESPONSIBLE_ADDED = "responsible-added"
RESPONSIBLE_REMOVED = "responsible-removed"
DEADLINE_EXTENDED = "deadline-extended"
DEADLINE_ADVANCED = "deadline-advanced"
DEADLINE_CHANGED = "deadline-changed"
DEADLINE_REWORDED = "deadline-reworded"

#: Every kind of change, in the order a report lists them within one task or record.
CHANGE_KINDS = (
    TASK_ADDED,
    TASK_REMOVED,
    TASK_MOVED,
    TEXT_CHANGED,
    LEAD_CHANGED,
    RESPONSIBLE_REMOVED,
    RESPONSIBLE_ADDED,
    DEADLINE_EXTENDED,
    DEADLINE_ADVANCED,
    DEADLINE_CHANGED,
    DEADLINE_REWORDED,
    "measure-added",
    "measure-removed",
    "measure-changed",
    "dimension-added",
    "dimension-removed",
    "dimension-changed",
    "heading-added",
    "heading-removed",
    "heading-changed",
    "unit-added",
    "unit-removed",
    "unit-renamed",
    "unit-changed",
    "group-added",
    "group-removed",
    "group-renamed",
    "group-changed",
    "document-changed",
)


@dataclass(frozen=True)
class Change:
    """One change. ``task`` is the 序号 for task changes; ``subject`` names the measure,
    dimension, unit or group otherwise; ``field`` the field that changed, where one did."""

    kind: str
    task: int | None = None
    subject: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    details: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "task": self.task,
            "subject": self.subject,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            **self.details,
        }


# --- comparing ---------------------------------------------------------------------------------


def diff_registers(old: Register, new: Register) -> list[Change]:
    """Every change from ``old`` to ``new``: tasks by id first, then measures, dimensions,
    units, groups and the document."""
    unit_renames = _renames(old.units, new.units, old, new, "unit")
    group_renames = _renames(old.groups, new.groups, old, new, "group")
    renamed = {**unit_renames, **group_renames}
    changes: list[Change] = []
    for task_id in sorted({task.id for task in old.tasks} | {task.id for task in new.tasks}):
        changes.extend(_task_changes(old.task(task_id), new.task(task_id), old, new, renamed))
    changes.extend(_heading_changes(old, new, 2))
    changes.extend(_heading_changes(old, new, 1))
    for level in range(3, max(len(old.levels), len(new.levels)) + 1):
        changes.extend(_heading_changes(old, new, level))
    changes.extend(_unit_changes(old, new, unit_renames))
    changes.extend(_group_changes(old, new, group_renames, renamed))
    changes.extend(_document_changes(old, new))
    return changes


def _task_changes(
    old: Task | None, new: Task | None, old_reg: Register, new_reg: Register, renamed: dict[str, str]
) -> list[Change]:
    if old is None and new is not None:
        return [
            Change(
                TASK_ADDED,
                new.id,
                new=new.text,
                details={"lead": new.lead_text, "responsible": list(new.responsible), "deadline": new.deadline},
            )
        ]
    if new is None and old is not None:
        return [
            Change(
                TASK_REMOVED,
                old.id,
                old=old.text,
                details={"lead": old.lead_text, "responsible": list(old.responsible), "deadline": old.deadline},
            )
        ]
    assert old is not None and new is not None
    changes = []
    if old.heading != new.heading:
        changes.append(
            Change(
                TASK_MOVED,
                new.id,
                field="measure",
                old=_heading_id(old.heading),
                new=_heading_id(new.heading),
                details={"old_title": _heading_title(old_reg, old), "new_title": _heading_title(new_reg, new)},
            )
        )
    if old.text != new.text:
        changes.append(
            Change(
                TEXT_CHANGED,
                new.id,
                field="task",
                old=old.text,
                new=new.text,
                details={"segments": text_diff(old.text, new.text)},
            )
        )
    if tuple(renamed.get(lead, lead) for lead in old.leads) != new.leads:
        changes.append(Change(LEAD_CHANGED, new.id, field="lead", old=old.lead_text, new=new.lead_text))
    old_refs = {(ref.kind, renamed.get(ref.name, ref.name)): ref.written for ref in old.refs}
    new_refs = {(ref.kind, ref.name): ref.written for ref in new.refs}
    removed = [written for key, written in old_refs.items() if key not in new_refs]
    added = [written for key, written in new_refs.items() if key not in old_refs]
    if removed:
        changes.append(Change(RESPONSIBLE_REMOVED, new.id, field="responsible", old=removed))
    if added:
        changes.append(Change(RESPONSIBLE_ADDED, new.id, field="responsible", new=added))
    deadline = deadline_change(old, new)
    if deadline is not None:
        changes.append(deadline)
    return changes


def deadline_change(old: Task, new: Task) -> Change | None:
    """How a deadline moved. Milestone lists of equal length are compared pairwise;
    otherwise the final milestone decides. A date turned 持续推进 counts as extended."""

    if normalise_wording(old.deadline) == normalise_wording(new.deadline):
        return None
    details: dict[str, Any] = {
        "old_due": [day.isoformat() for day in old.due],
        "new_due": [day.isoformat() for day in new.due],
        "days": None,
        "shifts": None,
    }

    def make(kind: str) -> Change:
        return Change(kind, new.id, field="deadline", old=old.deadline, new=new.deadline, details=details)

    if old.due == new.due and old.ongoing == new.ongoing:
        return make(DEADLINE_REWORDED)
    if not old.due or not new.due:
        return make(DEADLINE_EXTENDED if new.ongoing and old.due else DEADLINE_CHANGED)
    details["days"] = (new.due[-1] - old.due[-1]).days
    if len(old.due) == len(new.due):
        shifts = [(after - before).days for before, after in zip(old.due, new.due)]
        details["shifts"] = shifts
        if all(shift >= 0 for shift in shifts):
            return make(DEADLINE_EXTENDED)
        if all(shift <= 0 for shift in shifts):
            return make(DEADLINE_ADVANCED)
        return make(DEADLINE_CHANGED)
    details["added"] = sorted(day.isoformat() for day in set(new.due) - set(old.due))
    details["removed"] = sorted(day.isoformat() for day in set(old.due) - set(new.due))
    if details["days"] > 0:
        return make(DEADLINE_EXTENDED)
    if details["days"] < 0:
        return make(DEADLINE_ADVANCED)
    return make(DEADLINE_CHANGED)


# Runs of Latin letters and digits stay whole (2023, 80%, PPP); every other character,
# a Chinese character or a punctuation mark, is a token of its own.
_TOKENS = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.%％]+|\s+|.", re.DOTALL)

#: Equal stretches this short between two changes are folded into them, so that
#: 完成县级 -> 推进全县 reads as one replacement, not four edits around a shared 县.
_FOLD_EQUAL = 2


def text_diff(old: str, new: str) -> list[dict[str, str]]:
    """Segments ``{"op": equal|delete|insert|replace, "old": ..., "new": ...}`` from old to new text.

    Why by character: Chinese has no spaces, so a word diff by whitespace would
    call the whole sentence changed.
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[list[str]] = []  # [op, old, new] with op equal or change
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if op == "equal" else "change"
        segments.append([kind, "".join(a[i1:i2]), "".join(b[j1:j2])])
    merged: list[list[str]] = []
    for index, segment in enumerate(segments):
        fold = (
            segment[0] == "equal"
            and 0 < index < len(segments) - 1
            and len(segment[1]) <= _FOLD_EQUAL
            and merged
            and merged[-1][0] == "change"
        )
        if fold or (segment[0] == "change" and merged and merged[-1][0] == "change"):
            merged[-1][1] += segment[1]
            merged[-1][2] += segment[2]
        else:
            merged.append(list(segment))
    result = []
    for kind, before, after in merged:
        if kind == "equal":
            result.append({"op": "equal", "old": before, "new": after})
        else:
            op = "insert" if not before else "delete" if not after else "replace"
            result.append({"op": op, "old": before, "new": after})
    return result


def _renames(
    old_items: Sequence[Unit | Group], new_items: Sequence[Unit | Group], old: Register, new: Register, what: str
) -> dict[str, str]:
    """Old name -> new name for units (or groups) that left under one name and came under another.

    Either one names the other (an alias, the same full name), or both stand in
    exactly the same tasks.
    """
    new_names = {item.name for item in new_items}
    old_names = {item.name for item in old_items}
    gone = [item for item in old_items if item.name not in new_names]
    came = [item for item in new_items if item.name not in old_names]
    renames: dict[str, str] = {}
    for before in gone:
        for after in came:
            if after.name in renames.values():
                continue
            if _same_thing(before, after) or (
                _tasks_naming(old, before.name)
                and _tasks_naming(old, before.name) == _tasks_naming(new, after.name)
                and getattr(before, "kind", None) == getattr(after, "kind", None)
            ):
                renames[before.name] = after.name
                break
    return renames


def _same_thing(before: Unit | Group, after: Unit | Group) -> bool:
    if before.name in after.aliases or after.name in before.aliases:
        return True
    full_before, full_after = getattr(before, "full_name", None), getattr(after, "full_name", None)
    return (
        bool(full_before) and full_before in (full_after, after.name) or bool(full_after) and full_after == before.name
    )


def _tasks_naming(register: Register, name: str) -> frozenset[int]:
    return frozenset(
        task.id for task in register.tasks if name in task.leads or any(ref.name == name for ref in task.refs)
    )


def _field_changes(
    kind: str, subject: str, old: object, new: object, fields: tuple[str, ...], attributes: dict[str, str] | None = None
) -> list[Change]:
    """A change for each of ``fields`` that differs; ``attributes`` names the attribute a field is read from."""
    changes = []
    for name in fields:
        attribute = (attributes or {}).get(name, name)
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            details = {"segments": text_diff(before or "", after or "")} if isinstance(before or after, str) else {}
            changes.append(
                Change(kind, subject=subject, field=name, old=_plain(before), new=_plain(after), details=details)
            )
    return changes


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


#: Per level: the change kind's name, and each reported field with the heading attribute it reads.
_LEVEL_CHANGES: dict[int, tuple[str, dict[str, str]]] = {
    1: ("dimension", {"name": "title", "table_name": "table_title", "problem": "problem"}),
    2: ("measure", {"dimension": "parent", "title": "title", "body_title": "body_title", "text": "text"}),
}
_DEEPER_CHANGES = ("heading", {"parent": "parent", "number": "number", "title": "title", "text": "text"})


def _heading_changes(old: Register, new: Register, level: int) -> list[Change]:
    """Headings at ``level`` added, removed or changed: dimension-* (level 1), measure-* (2), heading-* (deeper)."""
    word, attributes = _LEVEL_CHANGES.get(level, _DEEPER_CHANGES)
    changes = []
    old_by = {h.key: h for h in old.headings_at(level)}
    new_by = {h.key: h for h in new.headings_at(level)}
    keys = list(old_by) + [key for key in new_by if key not in old_by]
    if level == 2 and all(key.isdigit() for key in keys):
        keys.sort(key=int)  # Hanzhong's measures are numbers: reported in number order
    for key in keys:
        before, after = old_by.get(key), new_by.get(key)
        either = after if after is not None else old_by[key]
        details = {"dimension": either.parent} if level == 2 else {}
        if before is None:
            changes.append(Change(f"{word}-added", subject=key, new=new_by[key].title, details=details))
        elif after is None:
            changes.append(Change(f"{word}-removed", subject=key, old=before.title, details=details))
        else:
            fields = tuple(attributes)
            if level == 2 and before.body_title == before.title and after.body_title == after.title:
                # body_title repeats title when the file gives none: report it only where it is its own.
                fields = tuple(name for name in fields if name != "body_title")
            changes.extend(_field_changes(f"{word}-changed", key, before, after, fields, attributes))
    return changes


def _heading_id(key: str | None) -> object:
    """A heading as a change record names it: Hanzhong's measures by number, others by key."""
    return int(key) if key is not None and key.isdigit() else key


def _heading_title(register: Register, task: Task) -> str:
    return register.heading(task.heading).title if task.heading else ""


def _unit_changes(old: Register, new: Register, renames: dict[str, str]) -> list[Change]:
    changes = []
    new_by = {unit.name: unit for unit in new.units}
    for before in old.units:
        name = renames.get(before.name, before.name)
        after = new_by.get(name)
        if after is None:
            changes.append(
                Change("unit-removed", subject=before.name, old=before.name, details={"unit_kind": before.kind})
            )
            continue
        if name != before.name:
            changes.append(Change("unit-renamed", subject=before.name, old=before.name, new=name))
            changes.extend(_field_changes("unit-changed", name, before, after, ("kind", "full_name")))
        else:
            changes.extend(_field_changes("unit-changed", name, before, after, ("kind", "full_name", "aliases")))
    kept = {renames.get(unit.name, unit.name) for unit in old.units}
    for after in new.units:
        if after.name not in kept:
            changes.append(Change("unit-added", subject=after.name, new=after.name, details={"unit_kind": after.kind}))
    return changes


def _group_changes(old: Register, new: Register, renames: dict[str, str], renamed: dict[str, str]) -> list[Change]:
    changes = []
    new_by = {group.name: group for group in new.groups}
    for before in old.groups:
        name = renames.get(before.name, before.name)
        after = new_by.get(name)
        if after is None:
            changes.append(Change("group-removed", subject=before.name, old=before.name))
            continue
        if name != before.name:
            changes.append(Change("group-renamed", subject=before.name, old=before.name, new=name))
        old_members = [renamed.get(member, member) for member in before.members]
        gone = [member for member in before.members if renamed.get(member, member) not in after.members]
        came = [member for member in after.members if member not in old_members]
        if gone or came:
            changes.append(Change("group-changed", subject=name, field="members", old=gone, new=came))
        if before.open_to != after.open_to:
            changes.append(
                Change(
                    "group-changed", subject=name, field="open_to", old=list(before.open_to), new=list(after.open_to)
                )
            )
    kept = {renames.get(group.name, group.name) for group in old.groups}
    for after in new.groups:
        if after.name not in kept:
            changes.append(Change("group-added", subject=after.name, new=after.name))
    return changes


_DOCUMENT_FIELDS = (
    "title",
    "index_no",
    "source",
    "publisher",
    "written",
    "published",
    "recipients",
    "cover_letter",
    "annex_title",
)


def _document_changes(old: Register, new: Register) -> list[Change]:
    changes = _field_changes("document-changed", "document", old.document, new.document, _DOCUMENT_FIELDS)
    before = [(s.heading, s.text) for s in old.document.sections]
    after = [(s.heading, s.text) for s in new.document.sections]
    if before != after:
        changes.append(
            Change(
                "document-changed",
                subject="document",
                field="sections",
                old=[heading for heading, _ in before],
                new=[heading for heading, _ in after],
            )
        )
    return changes


def changes_of_kinds(changes: list[Change], kinds: set[str]) -> dict[str, int]:
    """How many changes of each of ``kinds`` there are (for --fail-on)."""
    counts: dict[str, int] = {}
    for change in changes:
        if change.kind in kinds:
            counts[change.kind] = counts.get(change.kind, 0) + 1
    return counts
