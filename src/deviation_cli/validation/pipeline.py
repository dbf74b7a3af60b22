"""A register's two files, as text, to every issue in them and the resolved ``Register``.

The one path every check takes: parse each file (``formats.yaml_reader``),
validate its entries against the file formats (``entry_checks``), resolve
every reference across the files (``register_rules``), then look for what a
reviewer would question (``review``). Problems are collected, never raised.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from ..domain.issues import ERROR, Issue
from ..domain.register import Register
from ..formats.register_files import REGISTER_FILES, TASKS_FILE, UNITS_FILE
from ..formats.yaml_reader import parse_yaml_checked
from ..formats.yaml_tree import YamlValue, let_go
from .entries import Entry, TasksFile, UnitsFile
from .entry_checks import record_layouts, validate_entries
from .register_rules import build_register, build_units
from .review import review_register

_File = TypeVar("_File", bound=Entry)


class Stages(Protocol):
    """Something that shows how far a long piece of work has come (the CLI's progress bar)."""

    def stage(self, start: float, end: float) -> Callable[[float], None]: ...

    def close(self) -> None: ...


@dataclass
class Report:
    """What validating a folder found: every issue, and the register when there is no error."""

    folder: Path
    issues: list[Issue] = field(default_factory=list)
    register: Register | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity != ERROR]

    def sort(self, shown: dict[str, str]) -> None:
        """Issues by file (units.yaml, tasks.yaml, then any other), line and column."""
        file_order = {shown[name]: rank for rank, name in enumerate(REGISTER_FILES)}
        self.issues.sort(key=lambda issue: (file_order.get(issue.path, 9), issue.line, issue.column))


def validate_texts(
    folder: Path, texts: dict[str, str], shown: dict[str, str], progress: Stages | None = None
) -> Report:
    """Check a register given as the text of its two files (e.g. read from a git revision).

    ``shown`` names each file as issues should print it (``HEAD~1:data/tasks.yaml``);
    ``progress``, when given, hears how far the work on tasks.yaml has come.
    The texts are taken over: each is removed from ``texts`` once parsed, so that
    the 70 MB of a large register's text is not held while its records are checked.
    """
    report = Report(folder)
    # Building millions of small containers makes the cyclic collector rescan
    # everything again and again; nothing here forms cycles worth collecting.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        units_shown, units_root, units_file = _read_file(UNITS_FILE, UnitsFile, texts, shown, report, progress)
        tasks_shown, tasks_root, tasks_file = _read_file(TASKS_FILE, TasksFile, texts, shown, report, progress)
        if units_file is None or tasks_file is None:
            return report
        directory = build_units(units_file, units_shown, units_root, report.issues, _unit_names(units_root))
        register = build_register(
            str(folder),
            tasks_file,
            tasks_shown,
            tasks_root,
            directory,
            report.issues,
            progress=progress.stage(0.7, 1.0) if progress is not None else None,
        )
        review_register(register, (units_shown, units_root), (tasks_shown, tasks_root), report.issues)
        let_go(units_root, tasks_root)
        if not report.errors:
            report.register = register
        return report
    finally:
        report.sort(shown)
        if gc_was_enabled:
            gc.enable()


def _read_file(
    name: str,
    file_model: type[_File],
    texts: dict[str, str],
    shown: dict[str, str],
    report: Report,
    progress: Stages | None,
) -> tuple[str, YamlValue, _File | None]:
    """One file parsed and its entries validated: its name as shown, its tree, its model (None if unusable)."""
    big = progress is not None and name == TASKS_FILE
    text = texts.pop(name)
    root, issues, controls = parse_yaml_checked(
        text,
        shown[name],
        progress=progress.stage(0.0, 0.6) if big and progress else None,
        layouts=record_layouts(file_model),
    )
    report.issues.extend(issues)
    report.issues.extend(controls)
    del text  # the tree holds what is needed; the text of a large register is 100 MB that validation can use
    parsed = None
    if not issues:
        parsed = validate_entries(
            root,
            file_model,
            shown[name],
            report.issues,
            progress=progress.stage(0.6, 0.7) if big and progress else None,
        )
    return shown[name], root, parsed


def _unit_names(units_root: YamlValue) -> list[str]:
    """Every unit name units.yaml writes, valid entry or not.

    Why: a unit whose entry has a mistake (a bad kind) is still the unit the
    tasks mean; without this, one typo in units.yaml would also flag every task
    naming that unit.
    """
    names: list[str] = []
    entries = units_root.get("units") if isinstance(units_root, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            names.append(name)
    return names
