"""JSON Schema (draft 2020-12) of every file a user edits, generated from ``entries``.

Why a custom generator: the schema is for an editor's YAML language server
(VS Code's YAML extension), which reads the files as YAML 1.2: ``id: 1`` is an
integer there, ``written: 2023-06-18`` a string, ``title: 2024`` a number. Our
loader reads every scalar as text, so the schema describes each field as the
editor will see it, accepting what ``deviation validate`` accepts and refusing,
where JSON Schema can say so, what it refuses: unknown keys, missing fields,
bad kinds, dates that are not YYYY-MM-DD, deadlines outside the grammar.
What needs the whole register (unknown units, duplicate ids) stays with validate.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import GenerateJsonSchema

from ..domain.deadlines import ONGOING_WORDS
from .entries import IndicatorsFile, ObservationsFile, ProgressFile, TasksFile, UnitsFile

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import core_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: File name of each committed schema -> (model, file it describes).
SCHEMA_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "tasks.schema.json": (TasksFile, "tasks.yaml"),
    "units.schema.json": (UnitsFile, "units.yaml"),
    "progress.schema.json": (ProgressFile, "progress.yaml"),
    "indicators.schema.json": (IndicatorsFile, "indicators.yaml"),
    "observations.schema.json": (ObservationsFile, "observations.yaml"),
}

_DIGIT = "[0-9０-９]"
_RANGE_DASH = "(?:[-－‐‑‒–—―~～〜]{1,2}|至|到)"

#: The deadline grammar of ``domain.deadlines`` as one regular expression (ECMA-262 and Python alike):
#: a sequence of its tokens. It is looser than the parser (month 13, a missing year, tokens in any
#: order pass here), never stricter except for spaces inside a number or word, which no one writes.
#: No two tokens overlap, so a refused value is refused in linear time, never by backtracking.
DEADLINE_PATTERN = (
    "^\\s*(?:\\s*(?:"
    + "|".join(
        [
            f"{_DIGIT}{{4}}[-－]{_DIGIT}{{1,2}}[-－]{_DIGIT}{{1,2}}",  # ISO date
            f"{_DIGIT}{{4}}\\s*年?\\s*{_RANGE_DASH}\\s*{_DIGIT}{{4}}\\s*年",  # 2023—2025年
            f"{_DIGIT}{{4}}\\s*年(?:\\s*内)?",
            "全年|年内|年底|年末",
            "[上下]半年",
            "第?[一二三四1-4１-４]季度",
            "[QqＱｑ][1-4１-４]",
            f"{_DIGIT}{{1,2}}\\s*月",
            f"{_DIGIT}{{1,2}}\\s*[日号]",
            "[上中下]旬",
            "[底末]",
            "[、,，;；和及与]",
            "以前|之前|前",
            *sorted(ONGOING_WORDS, key=lambda word: (-len(word), word)),
            "每个?(?:月|季度?|半年|年)",
        ]
    )
    + "))+\\s*$"
)

_SCALAR_TEXT = ["string", "number", "boolean"]
_NUMBER_TEXT = "^\\s*[1-9][0-9]*\\s*$"
_DATE = "^\\s*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])\\s*$"
_DATETIME = (
    "^\\s*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    "(?:[T ][0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,6})?)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?\\s*$"
)


class _EditorView(GenerateJsonSchema):
    """Each typed field as a YAML 1.2 editor sees the scalar the loader keeps as text."""

    def normalize_name(self, name: str) -> str:
        # A definition is named for what the entry describes: Task, not TaskEntry.
        return super().normalize_name(name.removesuffix("Entry"))

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        # A plain scalar that YAML 1.2 reads as a number or boolean is still text to us.
        result: dict[str, Any] = {"type": list(_SCALAR_TEXT)}
        if schema.get("min_length"):
            result["minLength"] = schema["min_length"]
        return result

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": _NUMBER_TEXT},
            ]
        }

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return {"type": "string", "format": "date", "pattern": _DATE}

    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
        return {"type": "string", "pattern": _DATETIME}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every schema, by the file name it is committed under (``schema/tasks.schema.json``)."""
    schemas = {}
    for file_name, (file_model, describes) in SCHEMA_FILES.items():
        schema = file_model.model_json_schema(schema_generator=_EditorView)
        _drop_constraint_leftovers(schema)
        for definition in schema.get("$defs", {}).values():
            if isinstance(definition.get("title"), str):
                definition["title"] = definition["title"].removesuffix("Entry")
        task = schema.get("$defs", {}).get("Task")
        if task is not None:
            # No number or boolean is ever a deadline, so only text is offered.
            task["properties"]["deadline"].update(
                type="string",
                pattern=DEADLINE_PATTERN,
                description="完成时限: 2023年6月底, 2023年9月30日前, 9月中旬, 2023年9月前, 2023年底, 上半年, "
                "第三季度末, 2023年6月、12月底, 2023—2025年, 每月23日前, 每季度末, 持续推进, 2023-06-30",
            )
        _entry_by_key(schema)
        schema.pop("title", None)
        schemas[file_name] = {
            "$schema": DRAFT,
            "title": f"deviation register: {describes}",
            "description": f"{describes} of a deviation task register. Generated by `deviation schema`; do not edit.",
            **schema,
        }
    return schemas


def _entry_by_key(schema: dict[str, Any]) -> None:
    """A progress file's entries as the loader tells them apart: a check has a ``check`` key.

    Why not pydantic's ``oneOf``: an entry that is neither would be one error at the
    entry ("matches none of"); ``if``/``then``/``else`` picks the kind first, so an
    editor underlines the field that is wrong, as ``validate`` points at it.
    """
    reports = schema.get("properties", {}).get("reports")
    kinds = reports.get("items", {}).get("oneOf") if isinstance(reports, dict) else None
    if not kinds:
        return
    report, check = kinds  # the order of entries.ProgressEntry
    reports["items"] = {"if": {"type": "object", "required": ["check"]}, "then": check, "else": report}


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as it is committed: stable key order, UTF-8, a final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _drop_constraint_leftovers(node: object) -> None:
    """Remove ``ge`` that pydantic copies from ``Field(ge=1)``: not a JSON Schema keyword."""
    if isinstance(node, dict):
        if isinstance(node.get("anyOf"), list):
            node.pop("ge", None)
        for value in node.values():
            _drop_constraint_leftovers(value)
    elif isinstance(node, list):
        for value in node:
            _drop_constraint_leftovers(value)
