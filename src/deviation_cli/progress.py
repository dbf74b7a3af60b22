"""Progress reports kept beside the register: the file format, loading, checking, appending.

A register folder may hold ``progress.yaml`` and/or ``progress/*.yaml``: dated
reports, one per task and unit, each with a status from ``STATUSES``. The files
go through the same located-YAML pipeline as the register, so every problem is
a ``file:line:col`` issue; a folder without them simply has no reports.

Why append as text (``append_report``): a progress file is edited by hand and
reviewed in git; re-serialising it would drop comments and reorder keys.
A new report is a YAML block added at the end, so every earlier byte stays.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .errors import Issue, RegisterInvalid, usage_error
from .model import IsoDate, Number, Text
from .register import REF_UNIT, Register

PROGRESS_FILE = "progress.yaml"
PROGRESS_FOLDER = "progress"

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
DONE = "已完成"
LATE = "滞后"
POSTPONED = "延期"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, LATE, POSTPONED)

#: What a user may type for a status on the command line (the file keeps the Chinese word).
STATUS_ALIASES = {
    "not-started": NOT_STARTED,
    "in-progress": IN_PROGRESS,
    "done": DONE,
    "late": LATE,
    "postponed": POSTPONED,
}

Status = Literal["未开始", "推进中", "已完成", "滞后", "延期"]

HEADER = (
    "# 进度报告(progress reports):每条报告记录一个单位对一项任务在某日的进展。\n"
    "# 由 `deviation record` 追加;也可手工编辑,`deviation validate` 检查。\n"
    "# status 取值:未开始 / 推进中 / 已完成 / 滞后 / 延期\n"
    "reports:\n"
)


class ReportEntry(BaseModel):
    """One dated report, as the file writes it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    task: Number
    unit: Text
    date: IsoDate
    status: Status
    note: Text | None = None
    evidence: Text | None = None  # a link to the document that proves it
    reason: Text | None = None  # why it is late or postponed
    new_deadline: IsoDate | None = None  # approved; replaces the task's open milestones before it


class ProgressFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    reports: list[ReportEntry] = []


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A checked report: the unit by its canonical name, and where it was written."""

    task: int
    unit: str
    date: date
    status: str
    note: str | None = None
    evidence: str | None = None
    reason: str | None = None
    new_deadline: date | None = None
    path: str = ""
    line: int = 0
    order: int = 0  # position across all progress files: later wins a tie on date


@dataclass(frozen=True, slots=True)
class ProgressLog:
    """Every valid report of a register, in date order (file order on the same date)."""

    reports: tuple[ProgressReport, ...] = ()
    files: tuple[str, ...] = ()

    def until(self, as_of: date) -> list[ProgressReport]:
        return [report for report in self.reports if report.date <= as_of]


def progress_files(folder: Path) -> list[Path]:
    """``progress.yaml`` then ``progress/*.yaml`` (sorted), those that exist."""
    found = []
    if (folder / PROGRESS_FILE).is_file():
        found.append(folder / PROGRESS_FILE)
    sub = folder / PROGRESS_FOLDER
    if sub.is_dir():
        found.extend(sorted(p for p in sub.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return found


def files_at(path: Path) -> list[Path]:
    """The progress files a ``--progress`` argument names: one file, or a folder's files."""
    if path.is_dir():
        own = progress_files(path)
        return own or sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not path.exists():
        from .load import display_path

        raise usage_error("progress_missing", file=display_path(path))
    return [path]


def check_progress(paths: list[Path], register: Register, issues: list[Issue]) -> ProgressLog:
    """Read, validate and resolve progress files, adding every problem to ``issues``."""
    from .load import display_path, read_text

    reports: list[ProgressReport] = []
    shown_files = []
    for path in paths:
        shown = display_path(path)
        shown_files.append(shown)
        reports.extend(_check_text(read_text(path), shown, register, issues, len(reports)))
    reports.sort(key=lambda r: (r.date, r.order))
    return ProgressLog(tuple(reports), tuple(shown_files))


def load_progress(register: Register, path: str | Path | None = None) -> ProgressLog:
    """The reports of a register (its folder's files, or ``path``); RegisterInvalid on any error."""
    paths = files_at(Path(path)) if path else progress_files(Path(register.folder))
    issues: list[Issue] = []
    log = check_progress(paths, register, issues)
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        raise RegisterInvalid(errors)
    return log


def _check_text(text: str, shown: str, register: Register, issues: list[Issue], start: int) -> list[ProgressReport]:
    from .load import validate_records
    from .yamlsource import parse_yaml

    root, parse_issues = parse_yaml(text, shown)
    issues.extend(parse_issues)
    if parse_issues or root is None:
        return []  # an empty progress file is allowed: no reports yet
    if isinstance(root, dict) and "reports" in root and root["reports"] in (None, ""):
        del root["reports"]  # `reports:` with nothing under it yet: a fresh file
    parsed = validate_records(root, ProgressFile, shown, issues)
    if parsed is None:
        return []
    entries = list(parsed.reports)
    raw = root.get("reports") or []
    # validate_records keeps only valid entries; map them back to their position in the file.
    valid_indexes = _valid_indexes(raw)
    return [
        report
        for number, (index, entry) in enumerate(zip(valid_indexes, entries))
        if (report := _resolve(entry, index, root, shown, register, issues, start + number)) is not None
    ]


def _valid_indexes(raw: list[Any]) -> list[int]:
    from pydantic import ValidationError

    indexes = []
    for index, item in enumerate(raw):
        try:
            ReportEntry.model_validate(item)
        except ValidationError:
            continue
        indexes.append(index)
    return indexes


def _resolve(
    entry: ReportEntry, index: int, root: Any, shown: str, register: Register, issues: list[Issue], order: int
) -> ProgressReport | None:
    from .query import directory
    from .yamlsource import locate

    def issue(code: str, key: str | None, severity: str = "error", **args: Any) -> None:
        where = ("reports", index, key) if key else ("reports", index)
        line, column = locate(root, where)
        issues.append(Issue(code, shown, line, column, args, severity))

    ok = True
    task = register.task(entry.task)
    if task is None:
        ids = [t.id for t in register.tasks]
        issue("progress_unknown_task", "task", id=entry.task, first=ids[0] if ids else 0, last=ids[-1] if ids else 0)
        ok = False
    units = directory(register)
    ref = units.resolve_loosely(entry.unit)
    if ref is None:
        issue("unknown_unit", "unit", name=entry.unit, suggestions=units.suggestions(entry.unit))
        ok = False
    elif ref.kind != REF_UNIT:
        issue("progress_unit_is_group", "unit", name=entry.unit)
        ok = False
    if not ok:
        return None
    if ref.name not in involved_units(register, task):
        issue("progress_unit_not_on_task", "unit", "warning", name=ref.name, id=task.id)
    if entry.status == POSTPONED and entry.new_deadline is None:
        issue("progress_postponed_no_deadline", "status", "warning", id=task.id)
    if entry.new_deadline is not None and entry.new_deadline <= entry.date:
        issue("progress_deadline_not_after", "new_deadline", new=entry.new_deadline.isoformat(), date=entry.date.isoformat())
        return None
    return ProgressReport(
        task=entry.task,
        unit=ref.name,
        date=entry.date,
        status=entry.status,
        note=entry.note,
        evidence=entry.evidence,
        reason=entry.reason,
        new_deadline=entry.new_deadline,
        path=shown,
        line=locate(root, ("reports", index))[0],
        order=order,
    )


def involved_units(register: Register, task: Any) -> set[str]:
    """Units that lead or share a task: named, members of a closed group, or of an open tail's kind."""
    names = {task.lead}
    for ref in task.refs:
        if ref.kind == REF_UNIT:
            names.add(ref.name)
            continue
        group = register.group(ref.name)
        if group is None:
            continue
        names.update(group.members)
        if group.is_open:
            names.update(unit.name for unit in register.units if unit.kind in group.open_to)
    return names


# --- adding a report ---------------------------------------------------------------------------


def normalise_status(value: str) -> str:
    """The file's status word for what a user typed (Chinese or an English alias)."""
    text = value.strip()
    if text in STATUSES:
        return text
    alias = STATUS_ALIASES.get(text.lower())
    if alias is None:
        raise usage_error("arg_bad_status", value=value, choices=" / ".join(STATUSES),
                          aliases=", ".join(STATUS_ALIASES))
    return alias


_PLAIN = re.compile(r"^[\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\-./()()、,。;]*$")


def yaml_scalar(value: str) -> str:
    """A string as a YAML scalar that reads back as the same string under the register loader.

    Plain when it is clearly plain text; otherwise JSON's double-quoted form,
    which YAML reads the same way.
    """
    if _PLAIN.match(value) and value.lower() not in ("null", "~", "true", "false", "yes", "no"):
        return value
    return json.dumps(value, ensure_ascii=False)


def report_block(entry: dict[str, str], indent: str = "  ") -> str:
    """One report as a YAML list item, keys in the documented order."""
    lines = []
    for number, key in enumerate(k for k in ReportEntry.model_fields if entry.get(k) is not None):
        prefix = f"{indent}- " if number == 0 else f"{indent}  "
        lines.append(f"{prefix}{key}: {yaml_scalar(entry[key])}\n")
    return "".join(lines)


def append_report(path: Path, entry: dict[str, str], register: Register, protect: tuple[Path, ...] = ()) -> tuple[Path, int]:
    """Append one report to ``path`` (created with a header when missing), atomically.

    The report must already be checked (``check_new_report``). The result is
    parsed and checked again before anything is written: if the file does not
    end with its block-style ``reports:`` list, nothing is written.
    Returns the file and the line the new report starts on.
    """
    from .fileio import write_atomic
    from .load import display_path, read_text

    shown = display_path(path)
    old = read_text(path) if path.exists() else ""
    old_bytes = path.read_bytes() if path.exists() else b""
    eol = "\r\n" if "\r\n" in old else "\n"  # a file saved on Windows keeps its line endings
    from .yamlsource import parse_yaml

    root, _ = parse_yaml(old, shown) if old else (None, [])
    if not old:
        prefix_text, indent = HEADER, "  "
    elif root is None:  # only comments so far
        prefix_text, indent = old + ("" if old.endswith("\n") else eol) + "reports:" + eol, "  "
    else:
        prefix_text = old if old.endswith("\n") else old + eol
        indent = _item_indent(old, shown)
    new_text = prefix_text + report_block(entry, indent).replace("\n", eol)

    before = _count_reports(old, shown) if old.strip() else 0
    log_issues: list[Issue] = []
    reports = _check_text(new_text, shown, register, log_issues, 0)
    errors = [i for i in log_issues if i.severity == "error"]
    if errors:
        old_errors: list[Issue] = []
        if old.strip():
            _check_text(old, shown, register, old_errors, 0)
        old_errors = [i for i in old_errors if i.severity == "error"]
        raise RegisterInvalid(old_errors or [Issue("progress_append_unsafe", shown)])
    if len(reports) != before + 1 or _entry_of(reports[-1]) != entry:
        raise RegisterInvalid([Issue("progress_append_unsafe", shown)])
    data = new_text.encode("utf-8")
    if old_bytes.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data  # read_text drops the BOM; the file keeps it
    write_atomic(path, data, protect=protect)
    return path, reports[-1].line


def _count_reports(text: str, shown: str) -> int:
    from .yamlsource import parse_yaml

    root, _ = parse_yaml(text, shown)
    if isinstance(root, dict) and isinstance(root.get("reports"), list):
        return len(root["reports"])
    return 0


def _entry_of(report: ProgressReport) -> dict[str, str]:
    values = {
        "task": str(report.task),
        "unit": report.unit,
        "date": report.date.isoformat(),
        "status": report.status,
        "note": report.note,
        "evidence": report.evidence,
        "reason": report.reason,
        "new_deadline": report.new_deadline.isoformat() if report.new_deadline else None,
    }
    return {key: value for key, value in values.items() if value is not None}


def _item_indent(text: str, shown: str) -> str:
    """The indentation of the existing report items, so the new one joins the same list."""
    from .yamlsource import parse_yaml

    root, _ = parse_yaml(text, shown)
    items = root.get("reports") if isinstance(root, dict) else None
    if isinstance(items, list) and items:
        line = text.splitlines()[items.positions[0][0] - 1]
        dash = line.find("-")
        if dash >= 0 and not line[:dash].strip():
            return line[:dash]
    return "  "


def new_entry(
    task: int, unit: str, day: date, status: str, note: str | None = None, evidence: str | None = None,
    reason: str | None = None, new_deadline: date | None = None,
) -> dict[str, str]:
    """A report as the strings the file will hold."""
    values = {
        "task": str(task), "unit": unit, "date": day.isoformat(), "status": status, "note": note,
        "evidence": evidence, "reason": reason, "new_deadline": new_deadline.isoformat() if new_deadline else None,
    }
    return {key: value.strip() if isinstance(value, str) else value for key, value in values.items()
            if value is not None and (not isinstance(value, str) or value.strip())}


def check_new_report(register: Register, entry: dict[str, str]) -> None:
    """Refuse a report before anything is written (UsageError with the reason)."""
    if entry.get("new_deadline") and entry["new_deadline"] <= entry["date"]:
        raise usage_error("arg_deadline_not_after", new=entry["new_deadline"], date=entry["date"])
    for key in ("evidence",):
        value = entry.get(key)
        if value and any(ch.isspace() for ch in value):
            raise usage_error("arg_bad_link", value=value)
