"""`deviation validate`: every problem of a register in one run."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .app import check_format, command, settings

VALIDATE_FORMATS = ("text", "json", "github")


@command("validate")
def validate(
    path: Optional[str] = typer.Argument(None, metavar="[PATH]", help="Register folder; default as for --data."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | github (Actions annotations)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check a register: schema, references, deadlines; all problems at once.

    Prints one line per problem as FILE:LINE:COL: message and exits 1 if there
    is any error, 2 if the register cannot be read at all.

    Example: deviation validate data/ --format github
    """
    from ..load import display_path, validate_folder
    from ..output import format_issues

    check_format(fmt, VALIDATE_FORMATS)
    report = validate_folder(path or settings.data, cache=settings.cache)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if fmt == "json":
        sys.stdout.write(format_issues(report.issues, "json", settings.lang))
    elif report.issues:
        stream = sys.stdout if fmt == "github" else sys.stderr
        stream.write(format_issues(report.issues, fmt, settings.lang))
    if not failed and fmt == "text":
        tasks = len(report.register.tasks) if report.register else 0
        ok = "登记册有效" if settings.lang == "zh" else "register is valid"
        count = f"{tasks} 项任务" if settings.lang == "zh" else f"{tasks} tasks"
        sys.stderr.write(f"{display_path(report.folder)}: {ok}({count})\n" if settings.lang == "zh"
                         else f"{display_path(report.folder)}: {ok} ({count})\n")
    if failed:
        raise typer.Exit(1)
