"""`deviation validate`: every problem of a register in one run."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..formats.register_files import REGISTER_FILES, display_path
from ..output.issue_lines import ISSUE_FORMATS, format_issues, limit_issues
from ..store.load import validate_folder
from ..words import say
from .app import check_format, command, max_problems_option, settings, tell_more
from .progress_bar import live_stages


def _register_folders(paths: list[str]) -> list[str | None]:
    """Folders to check: a tasks.yaml/units.yaml named on its own stands for its folder.

    Why: pre-commit passes the changed files, not the folder that holds them.
    """
    folders: list[str | None] = []
    for path in paths:
        candidate = Path(path)
        if candidate.name in REGISTER_FILES and candidate.is_file():
            path = str(candidate.parent)
        if path not in folders:
            folders.append(path)
    return folders or [settings.data]


@command("validate")
def validate(
    paths: list[str] | None = typer.Argument(
        None, metavar="PATH", help="Register folders (or their tasks.yaml/units.yaml); default as for --data."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | github (Actions annotations)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    max_problems: int = max_problems_option(),
) -> None:
    """Check a register: schema, references, deadlines; all problems at once.

    Prints one line per problem as FILE:LINE:COL: message, errors first, then
    warnings (a unit nobody uses, a deadline before the plan was written, ...).
    Exits 1 if there is any error (or any warning, with --strict), 2 if the
    register cannot be read at all.

    Example: deviation validate data/ --format github --strict
    """
    check_format(fmt, ISSUE_FORMATS)
    reports = [
        validate_folder(folder, cache=settings.cache, progress=live_stages) for folder in _register_folders(paths or [])
    ]
    issues = []
    for report in reports:
        issues += report.errors + sorted(report.warnings, key=lambda issue: (issue.path, issue.line, issue.column))
    failed = any(report.errors or (strict and report.warnings) for report in reports)
    shown, hidden = limit_issues(issues, max_problems)
    if fmt == "json":
        sys.stdout.write(format_issues(shown, "json", settings.lang))
    elif issues:
        stream = sys.stdout if fmt == "github" else sys.stderr
        stream.write(format_issues(shown, fmt, settings.lang))
    tell_more(hidden)
    if fmt == "text":
        for report in reports:
            if report.errors or (strict and report.warnings):
                continue
            tasks = len(report.register.tasks) if report.register else 0
            warnings = len(report.warnings)
            key = (
                "cli.valid"
                if not warnings
                else "cli.valid_with_warning"
                if warnings == 1
                else "cli.valid_with_warnings"
            )
            sys.stderr.write(
                say(key, settings.lang, folder=display_path(report.folder), tasks=tasks, warnings=warnings) + "\n"
            )
    if failed:
        raise typer.Exit(1)
