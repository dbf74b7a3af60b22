"""Commands for editing a register in git: schema (for editors) and diff (for reviewers)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .app import check_format, command, settings
from ..errors import Issue, UsageError

SCHEMA_KINDS = ("tasks", "units")
DIFF_FORMATS = ("text", "md", "json")


@command("schema")
def schema_command(
    kind: Optional[str] = typer.Argument(None, metavar="KIND", help="tasks or units: print this file's schema to stdout."),
    output: Optional[str] = typer.Option(
        None, "--output", "-o", metavar="DIR", help="Write tasks.schema.json and units.schema.json into DIR."
    ),
) -> None:
    """JSON Schema (draft 2020-12) of tasks.yaml and units.yaml, for editors.

    VS Code's YAML extension checks a file while you type when its first line is
    `# yaml-language-server: $schema=../schema/tasks.schema.json`.

    Example: deviation schema --output schema/
    """
    from ..fileio import write_atomic
    from ..schema import json_schemas, schema_text

    if kind is not None:
        check_format(kind, SCHEMA_KINDS, "KIND")
    schemas = json_schemas()
    chosen = [f"{name}.schema.json" for name in ([kind] if kind else SCHEMA_KINDS)]
    if output is None:
        if kind is None:
            raise UsageError(Issue("schema_needs_target"))
        sys.stdout.write(schema_text(schemas[chosen[0]]))
        return
    folder = Path(output)
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise UsageError(Issue("output_unwritable", output, args={"reason": error.strerror or str(error)})) from None
    for name in chosen:
        written = write_atomic(folder / name, schema_text(schemas[name]))
        sys.stderr.write(f"{written}\n")


@command("diff")
def diff_command(
    old: str = typer.Argument(..., metavar="OLD", help="Git revision (HEAD~1, main) or register folder."),
    new: Optional[str] = typer.Argument(
        None, metavar="NEW", help="Git revision or register folder; default: the register folder as it is now."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text | md (a PR comment) | json"),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", metavar="KINDS",
        help="Exit 1 if a change of these kinds is present, e.g. deadline-extended,lead-changed,task-removed.",
    ),
) -> None:
    """What changed between two versions of the register, in the plan's terms.

    Revisions are read from the git repository holding the register (--data);
    a NEW register that is invalid is reported with its problems (exit 1).

    Example: deviation diff HEAD~1 HEAD --format md --fail-on deadline-extended,task-removed
    """
    from ..diff import CHANGE_KINDS, changes_of_kinds, diff_registers, read_version
    from ..errors import RegisterInvalid
    from ..output import format_changes

    check_format(fmt, DIFF_FORMATS)
    kinds: set[str] = set()
    for kind in (fail_on or "").split(","):
        if kind.strip():
            kinds.add(check_format(kind.strip(), CHANGE_KINDS, "--fail-on"))
    before = read_version(old, settings.data)
    after = read_version(new, settings.data) if new is not None else read_version(_current_folder(), settings.data)
    for version in (before, after):
        if version.report.register is None:
            raise RegisterInvalid(version.report.errors)
    changes = diff_registers(before.report.register, after.report.register)
    sys.stdout.write(format_changes(changes, fmt, settings.lang, before.label, after.label))
    failed = changes_of_kinds(changes, kinds)
    if failed:
        counts = ", ".join(f"{kind} ×{count}" for kind, count in failed.items())
        raise RegisterInvalid(Issue("diff_failed_on", args={"counts": counts}))


def _current_folder() -> str:
    from ..load import find_register_folder

    return str(find_register_folder(settings.data))
