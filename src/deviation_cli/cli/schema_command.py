"""`deviation schema`: the JSON Schema of the files a user edits, for editors that check while you type."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..domain.issues import Issue, UsageError
from ..formats.atomic import make_folder, write_atomic
from .app import check_format, command

SCHEMA_KINDS = ("tasks", "units", "progress", "indicators", "observations")


@command("schema")
def schema_command(
    kind: str | None = typer.Argument(
        None,
        metavar="KIND",
        help="tasks, units, progress, indicators or observations: print this file's schema to stdout.",
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="DIR",
        help="Write every file's schema (tasks.schema.json, units.schema.json, ...) into DIR.",
    ),
) -> None:
    """JSON Schema (draft 2020-12) of every file a user edits, for editors: tasks, units,
    progress, indicators and observations.

    VS Code's YAML extension checks a file while you type when its first line is
    `# yaml-language-server: $schema=../schema/tasks.schema.json`.

    Example: deviation schema --output schema/
    """
    from ..validation.json_schema import json_schemas, schema_text  # lazy: pydantic

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
    make_folder(folder, output)
    for name in chosen:
        written = write_atomic(folder / name, schema_text(schemas[name]))
        sys.stderr.write(f"{written}\n")
