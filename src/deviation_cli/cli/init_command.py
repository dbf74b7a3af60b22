"""`deviation init`: a register folder from a plan as staff receive it."""

from __future__ import annotations

from pathlib import Path

import typer

from ..domain.issues import ERROR
from ..exchange.plan_intake import SOURCE_KINDS, init_register
from ..formats.register_files import display_path
from .app import command, print_issues, settings, tell


@command("init")
def init(
    source: str = typer.Argument(
        ..., metavar="SOURCE", help=f"The plan: {' '.join(SOURCE_KINDS)} (a Word document, a workbook, web-page text)."
    ),
    out: str = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="DIR",
        help="Register folder to write (tasks.yaml, units.yaml); created if missing.",
    ),
    deadline: str | None = typer.Option(
        None,
        "--deadline",
        metavar="WORDING",
        help="Deadline of the tasks the plan gives none, e.g. 2023年底. Default: 持续推进, flagged to confirm.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace a register already in the folder."),
) -> None:
    """Start a register from a plan: its 任务分解表 table, or its numbered text.

    Reads the table (Word, Excel/WPS or CSV; the header found by its words,
    merged cells and tables continued over pages as one) or numbered items
    with 牵头单位:/责任单位: lines or a closing (…牵头,…负责). Every task is
    kept as the source words it; units get a kind and level guessed from
    their names. What a person should check is printed, and marked
    `unconfirmed:` in the files, which validate reports until it is deleted.

    Example: deviation init 任务分解表.docx -o 登记册/ --deadline 2023年底
    """
    result = init_register(Path(source), Path(out), default_deadline=deadline, force=force, lang=settings.lang)
    if result.notes:
        print_issues(result.notes)
    tell(
        "cli.init_done",
        source=source,
        folder=display_path(result.folder),
        **result.counts,
    )
    if result.issues:
        # In the order validate prints them: errors, then warnings by file and line.
        errors = [issue for issue in result.issues if issue.severity == ERROR]
        warnings = [issue for issue in result.issues if issue.severity != ERROR]
        print_issues(errors + sorted(warnings, key=lambda issue: (issue.path, issue.line, issue.column)))
        confirm = sum(1 for issue in result.issues if issue.code == "unconfirmed")
        refused = sum(1 for issue in result.issues if issue.severity == ERROR)
        if confirm:
            tell("cli.init_confirm", count=confirm)
        if refused:
            tell("cli.init_refused", count=refused)
