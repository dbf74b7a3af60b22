"""`deviation diff`: what changed between two versions of the register, for reviewers and CI."""

from __future__ import annotations

import sys

import typer

from ..domain.changes import CHANGE_KINDS, changes_of_kinds, diff_registers
from ..domain.issues import Issue, RegisterInvalid
from ..output.change_lines import CHANGE_FORMATS, format_changes
from ..store.folders import find_register_folder
from .app import check_format, command, settings


@command("diff")
def diff_command(
    old: str = typer.Argument(..., metavar="OLD", help="Git revision (HEAD~1, main) or register folder."),
    new: str | None = typer.Argument(
        None, metavar="NEW", help="Git revision or register folder; default: the register folder as it is now."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text | md (a PR comment) | json"),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        metavar="KINDS",
        help="Exit 1 if a change of these kinds is present, e.g. deadline-extended,lead-changed,task-removed.",
    ),
) -> None:
    """What changed between two versions of the register, in the plan's terms.

    Revisions are read from the git repository holding the register (--data);
    a NEW register that is invalid is reported with its problems (exit 1).

    Example: deviation diff HEAD~1 HEAD --format md --fail-on deadline-extended,task-removed
    """
    from ..store.versions import read_version  # lazy: pydantic

    check_format(fmt, CHANGE_FORMATS)
    kinds: set[str] = set()
    for kind in (fail_on or "").split(","):
        if kind.strip():
            kinds.add(check_format(kind.strip(), CHANGE_KINDS, "--fail-on"))
    before = read_version(old, settings.data)
    after = read_version(new, settings.data) if new is not None else read_version(_current_folder(), settings.data)
    registers = []
    for version in (before, after):
        if version.report.register is None:
            raise RegisterInvalid(version.report.errors)
        registers.append(version.report.register)
    changes = diff_registers(*registers)
    words = registers[1].plan.words()
    sys.stdout.write(format_changes(changes, fmt, settings.lang, before.label, after.label, words))
    failed = changes_of_kinds(changes, kinds)
    if failed:
        counts = ", ".join(f"{kind} ×{count}" for kind, count in failed.items())
        raise RegisterInvalid(Issue("diff_failed_on", args={"counts": counts}))


def _current_folder() -> str:
    return str(find_register_folder(settings.data))
