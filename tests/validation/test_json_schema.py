"""The JSON Schemas: in sync with the models, accepting the registers as an editor reads them,
refusing what `deviation validate` refuses where JSON Schema can say so."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from deviation_cli import validate_folder
from deviation_cli.validation.json_schema import json_schemas, schema_text
from support.editing import edited_register
from support.paths import HANZHONG, QINGHE, QINGHE_PROGRESS, ROOT
from support.yaml12 import load_yaml12

SCHEMA_FOLDER = ROOT / "schema"
SCHEMAS = ("tasks", "units", "progress", "indicators", "observations")


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_errors(folder: Path, name: str) -> list[tuple[str, str]]:
    """(JSON path, failing keyword) of each error, the file read as YAML 1.2 like yaml-language-server."""
    document = load_yaml12((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    return sorted((error.json_path, error.validator) for error in validator(name).iter_errors(document))


def test_committed_schemas_are_what_the_models_generate():
    """If this fails, run `deviation schema --output schema/` and commit the result."""
    committed = sorted(path.name for path in SCHEMA_FOLDER.glob("*.json"))
    assert committed == sorted(f"{kind}.schema.json" for kind in SCHEMAS)
    for name, schema in json_schemas().items():
        assert (SCHEMA_FOLDER / name).read_text(encoding="utf-8") == schema_text(schema), name


@pytest.mark.parametrize("name", ["tasks", "units"])
def test_shipped_files_point_editors_at_the_schema(name):
    first = (HANZHONG / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schema/{name}.schema.json"
    assert (HANZHONG / first.split("=", 1)[1]).resolve() == SCHEMA_FOLDER / f"{name}.schema.json"


@pytest.mark.parametrize("folder", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
@pytest.mark.parametrize("name", ["tasks", "units"])
def test_shipped_registers_match_the_schema(folder, name):
    assert schema_errors(folder, name) == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (HANZHONG / "indicators.yaml", "indicators"),
        (ROOT / "examples" / "hanzhong-progress" / "progress.yaml", "progress"),
        (ROOT / "examples" / "hanzhong-progress" / "observations.yaml", "observations"),
        (QINGHE_PROGRESS / "progress.yaml", "progress"),
        (QINGHE_PROGRESS / "indicators.yaml", "indicators"),
        (QINGHE_PROGRESS / "observations.yaml", "observations"),
    ],
    ids=lambda value: value if isinstance(value, str) else f"{value.parent.name}/{value.name}",
)
def test_shipped_tracking_files_match_their_schema(path, name):
    document = load_yaml12(path.read_text(encoding="utf-8"))
    assert [error.message for error in validator(name).iter_errors(document)] == []


def test_the_progress_schema_refuses_what_validate_refuses():
    errors = validator("progress").iter_errors(
        {"reports": [{"task": 1, "unit": "甲", "date": "2024-5-1", "status": "完成"}]}
    )
    assert sorted((error.json_path, error.validator) for error in errors) == [
        ("$.reports[0].date", "format"),
        ("$.reports[0].date", "pattern"),
        ("$.reports[0].status", "enum"),
    ]


# Each case: an edit that validate refuses, and where the schema refuses it too.
REFUSED = {
    "unknown key": (
        "tasks.yaml",
        "    lead: 县城投公司",
        "    leed: 县城投公司",
        "unknown_field",
        [("$.tasks[3]", "additionalProperties")],
    ),
    "missing field": (
        "tasks.yaml",
        "    text: 完成河道采砂专项整治。\n",
        "",
        "missing_field",
        [("$.tasks[3]", "required")],
    ),
    "bad kind": (
        "units.yaml",
        "  - name: 县城投公司\n    kind: company",
        "  - name: 县城投公司\n    kind: companny",
        "bad_choice",
        [("$.units[3].kind", "enum")],
    ),
    "date shape": (
        "tasks.yaml",
        "  written: 2024-02-20",
        "  written: 2024-2-20",
        "bad_date",
        [("$.document.written", "format"), ("$.document.written", "pattern")],
    ),
    "impossible date": (
        "tasks.yaml",
        "  written: 2024-02-20",
        "  written: 2024-13-20",
        "bad_date",
        [("$.document.written", "format"), ("$.document.written", "pattern")],
    ),
    "deadline outside the grammar": (
        "tasks.yaml",
        "    deadline: 2024-09-30",
        "    deadline: 九月份",
        "deadline_unparsed",
        [("$.tasks[3].deadline", "pattern")],
    ),
    "deadline as a number": (
        "tasks.yaml",
        "    deadline: 2024-09-30",
        "    deadline: 2024",
        "deadline_unparsed",
        [("$.tasks[3].deadline", "type")],
    ),
    "id zero": ("tasks.yaml", "  - id: 4\n", "  - id: 0\n", "bad_number", [("$.tasks[3].id", "anyOf")]),
    "id as text": ("tasks.yaml", "  - id: 4\n", "  - id: '4a'\n", "bad_number", [("$.tasks[3].id", "anyOf")]),
    "empty text": (
        "tasks.yaml",
        "    text: 完成河道采砂专项整治。",
        "    text: ''",
        "empty_text",
        [("$.tasks[3].text", "minLength")],
    ),
    "empty value": (
        "tasks.yaml",
        "    deadline: 2024-09-30",
        "    deadline:",
        "empty_text",
        [("$.tasks[3].deadline", "type")],
    ),
    "not a list": (
        "tasks.yaml",
        "    responsible:\n      - 西河镇\n",
        "    responsible: 西河镇\n",
        "expected_list",
        [("$.tasks[3].responsible", "type")],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_what_validate_refuses_the_schema_refuses(tmp_path, case):
    file, old, new, code, expected = REFUSED[case]
    folder = edited_register(tmp_path / "reg", {file: [(old, new)]})
    assert code in [issue.code for issue in validate_folder(folder).errors]
    assert schema_errors(folder, file.removesuffix(".yaml")) == expected


ACCEPTED = {
    "quoted number": ("tasks.yaml", "  - id: 4\n", "  - id: '4'\n"),
    "text that YAML 1.2 reads as a number": ("tasks.yaml", "    text: 完成河道采砂专项整治。", "    text: 2024"),
    "full-width deadline": ("tasks.yaml", "    deadline: 2024-09-30", "    deadline: ２０２４年９月底"),
    "several milestones": ("tasks.yaml", "    deadline: 2024-09-30", "    deadline: 2024年 6月12月底"),
    "datetime": ("tasks.yaml", "  written: 2024-02-20\n", "  written: 2024-02-20\n  published: 2024-02-21 09:30\n"),
}


@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_what_validate_accepts_the_schema_accepts(tmp_path, case):
    file, old, new = ACCEPTED[case]
    folder = edited_register(tmp_path / "reg", {file: [(old, new)]})
    assert validate_folder(folder).issues == []
    assert schema_errors(folder, file.removesuffix(".yaml")) == []


def test_rules_across_records_stay_with_validate(tmp_path):
    """An unknown unit or month 13 needs the register or the calendar: the schema lets them pass."""
    folder = edited_register(
        tmp_path / "reg",
        {
            "tasks.yaml": [
                ("    lead: 县城投公司", "    lead: 县城管局"),
                ("    deadline: 2024-09-30", "    deadline: 2024年13月底"),
            ]
        },
    )
    assert [issue.code for issue in validate_folder(folder).errors] == ["unknown_unit", "deadline_bad_month"]
    assert schema_errors(folder, "tasks") == []


def test_schema_command_writes_every_file(cli, tmp_path):
    run = cli("schema", "--output", str(tmp_path / "out"))
    assert run.exit_code == 0
    assert run.stderr.splitlines() == [f"{tmp_path}/out/{kind}.schema.json" for kind in SCHEMAS]
    for name in (f"{kind}.schema.json" for kind in SCHEMAS):
        assert (tmp_path / "out" / name).read_bytes() == (SCHEMA_FOLDER / name).read_bytes()


def test_schema_command_prints_one_or_says_what_it_needs(cli):
    run = cli("schema", "units")
    assert run.exit_code == 0
    assert run.stdout == (SCHEMA_FOLDER / "units.schema.json").read_text(encoding="utf-8")
    bare = cli("schema")
    assert (bare.exit_code, bare.stderr) == (
        2,
        "请指定文件种类(tasks、units、progress、indicators 或 observations,打印到标准输出),或用 --output DIR 写出全部\n",
    )
    wrong = cli("schema", "todo")
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "KIND 应为 tasks, units, progress, indicators, observations 之一,而不是“todo”\n",
    )


def test_the_progress_schema_tells_a_check_from_a_report():
    """An entry with `check` is a sign-off: its own fields, each wrong one pointed at."""
    errors = validator("progress").iter_errors(
        {
            "reports": [
                {"task": 1, "unit": "甲", "date": "2024-05-01", "check": "通过", "by": "督查室"},
                {"task": 1, "unit": "甲", "date": "2024-05-01", "check": "同意", "report_date": "2024-5-1"},
                {"task": 1, "unit": "甲", "date": "2024-05-01", "check": "通过", "by": "督查室", "status": "已完成"},
            ]
        }
    )
    assert sorted((error.json_path, error.validator) for error in errors) == [
        ("$.reports[1]", "required"),  # no `by`
        ("$.reports[1].check", "enum"),
        ("$.reports[1].report_date", "anyOf"),  # not a YYYY-MM-DD date (nor empty)
        ("$.reports[2]", "additionalProperties"),  # a check has no status
    ]
