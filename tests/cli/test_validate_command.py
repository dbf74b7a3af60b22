"""`deviation validate`: text, JSON and GitHub annotations; warnings apart; --strict."""

from __future__ import annotations

import json

import pytest

from deviation_cli.domain.issues import WARNING, Issue
from deviation_cli.output.issue_lines import format_issues
from support.editing import edit, edited_register
from support.paths import HANZHONG, QINGHE

WARN = {
    "units.yaml": [
        (
            "  - name: 南山乡\n    kind: county\n",
            "  - name: 南山乡\n    kind: county\n  - name: 县财政局\n    kind: department\n",
        )
    ],
}
BROKEN = {
    "tasks.yaml": [("    lead: 县城投公司", "    leed: 县城投公司")],
    **WARN,
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    # Paths print relative to the working folder, as a user in the repository sees them.
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def warned(tmp_path):
    edited_register(tmp_path / "warned", WARN)
    return "warned"


@pytest.fixture
def broken(tmp_path):
    edited_register(tmp_path / "broken", BROKEN)
    return "broken"


def test_valid_register_in_each_format(cli):
    run = cli("validate")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", f"{HANZHONG}: 登记册有效(23 项任务)\n")
    assert cli("validate", "--format", "json").stdout == "[]\n"
    assert cli("validate", "--format", "github").stdout == ""


def test_warnings_pass_unless_strict(cli, warned):
    units = f"{warned}/units.yaml"
    run = cli("validate", str(warned), data=None)
    assert run.exit_code == 0
    assert run.stderr == (
        f"{units}:18:11: 警告:单位“县财政局”已定义,但没有任何任务或单位组用到它\n"
        f"{warned}: 登记册有效(4 项任务,1 条警告)\n"
    )
    strict = cli("validate", str(warned), "--strict", data=None)
    assert strict.exit_code == 1
    assert strict.stderr == f"{units}:18:11: 警告:单位“县财政局”已定义,但没有任何任务或单位组用到它\n"
    english = cli("--lang", "en", "validate", str(warned), data=None)
    assert english.stderr == (
        f"{units}:18:11: warning: unit '县财政局' is defined but no task or group uses it\n"
        f"{warned}: register is valid (4 tasks, 1 warning)\n"
    )


def test_errors_then_warnings_as_json(cli, broken):
    run = cli("validate", str(broken), "--format", "json", data=None)
    assert run.exit_code == 1
    assert run.json() == [
        {
            "path": f"{broken}/tasks.yaml",
            "line": 50,
            "column": 5,
            "severity": "error",
            "code": "unknown_field",
            "message": "未知字段“leed”。是否指:lead?",
        },
    ]


def test_github_annotations_for_errors_and_warnings(cli, tmp_path):
    edited_register(tmp_path / "g", {"tasks.yaml": [("    deadline: 2024-09-30", "    deadline: 2024年9月")], **WARN})
    folder = "g"
    run = cli("validate", str(folder), "--format", "github", "--strict", data=None)
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        f"::error file={folder}/tasks.yaml,line=53,col=15,title=deadline_month_without_day::"
        "完成时限“2024年9月”中 9 月缺少“底”或具体日期",
    ]
    edit(tmp_path / "g", {"tasks.yaml": [("2024年9月", "2024年9月底")]})
    run = cli("validate", folder, "--format", "github", data=None)
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        f"::warning file={folder}/units.yaml,line=18,col=11,title=unit_unused::"
        "单位“县财政局”已定义,但没有任何任务或单位组用到它",
    ]


def test_github_escaping_follows_the_actions_toolkit():
    # @actions/core escapeData: % CR LF; escapeProperty: also : and ,
    issue = Issue("schema_other", "a,b:c%d.yaml", 3, 0, {"field": "x", "detail": "50% done\r\nnext: a,b"})
    # A CR/LF inside a quoted value is shown as <U+000D><U+000A> before escaping, so a value
    # can never forge a second annotation line; % in the message is still escaped.
    assert format_issues([issue], "github") == (
        "::error file=a%2Cb%3Ac%25d.yaml,line=3,col=1,title=schema_other::“x”:50%25 done<U+000D><U+000A>next: a,b\n"
    )
    whole_file = Issue("file_empty", "t.yaml", severity=WARNING)
    assert format_issues([whole_file], "github", "en") == "::warning file=t.yaml,title=file_empty::the file is empty\n"


def test_files_stand_for_their_folder_as_pre_commit_passes_them(cli, warned):
    run = cli("validate", f"{warned}/tasks.yaml", f"{warned}/units.yaml", str(QINGHE), data=None)
    assert run.exit_code == 0
    assert run.stderr.splitlines()[-2:] == [
        f"{warned}: 登记册有效(4 项任务,1 条警告)",
        f"{QINGHE}: 登记册有效(4 项任务)",
    ]


def test_a_missing_folder_is_a_usage_problem(cli, tmp_path):
    run = cli("validate", "nowhere", data=None)
    assert (run.exit_code, run.stderr) == (2, "找不到登记册目录 nowhere\n")


# --- many problems -------------------------------------------------------------------------------


def _many_invalid_tasks(tmp_path, count):
    from support.fuzzing import copy_register

    text = (HANZHONG / "tasks.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\ntasks:\n")]
    return copy_register(
        tmp_path / "many", tasks=head + "\ntasks:\n" + "".join(f"  - {{id: x{n}}}\n" for n in range(count))
    )


def test_at_most_200_problems_are_printed_then_how_many_more(cli, tmp_path):
    folder = _many_invalid_tasks(tmp_path, 20_000)  # three problems each (id, task, deadline): 60,000 in all
    run = cli("--lang", "en", "validate", str(folder), data=None)
    lines = run.stderr.splitlines()
    assert run.exit_code == 1 and len(lines) == 201
    assert lines[-1] == "… and 59800 more not shown (--max-problems 0 prints them all)"
    assert "tasks.yaml:" in lines[0]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_max_problems_sets_the_cap_in_every_format(cli, tmp_path, fmt):
    folder = _many_invalid_tasks(tmp_path, 4)
    capped = cli("--lang", "en", "validate", str(folder), "--max-problems", "3", "-f", fmt, data=None)
    everything = cli("--lang", "en", "validate", str(folder), "--max-problems", "0", "-f", fmt, data=None)
    assert capped.exit_code == everything.exit_code == 1
    assert capped.stderr.splitlines()[-1] == "… and 9 more not shown (--max-problems 0 prints them all)"
    if fmt == "json":
        assert len(json.loads(capped.stdout)) == 3 and len(json.loads(everything.stdout)) == 12
    elif fmt == "github":
        assert len(capped.stdout.splitlines()) == 3 and len(everything.stdout.splitlines()) == 12
    else:
        assert len(everything.stderr.splitlines()) == 12


def test_max_problems_caps_import_and_must_be_a_number(cli, tmp_path):
    bad = cli("validate", "--max-problems", "many")
    assert bad.exit_code == 2


def test_past_the_collection_limit_the_rest_of_a_list_is_left_unchecked(cli, tmp_path, monkeypatch):
    """A million broken one-line tasks had five million problems (2.6 GB): collecting stops at a limit, and says so."""
    from deviation_cli.validation import entry_checks

    monkeypatch.setattr(entry_checks, "MAX_PROBLEMS_COLLECTED", 1000)
    folder = _many_invalid_tasks(tmp_path, 1000)
    run = cli("--lang", "en", "validate", str(folder), "--max-problems", "0", "-f", "json", data=None)
    found = json.loads(run.stdout)
    # Three problems a task: the limit is passed within the 334th task, and checking stops after it.
    assert run.exit_code == 1 and len(found) == 334 * 3 + 1
    last = found[-1]
    assert last["code"] == "too_many_problems" and last["line"] == _first_task_line(folder) + 334
    assert (
        last["message"] == "more than 1000 problems so far; the entries from here on were not checked: fix these first"
    )


def _first_task_line(folder):
    return (folder / "tasks.yaml").read_text(encoding="utf-8").split("\n").index("tasks:") + 2
