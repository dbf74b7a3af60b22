"""`deviation diff`: change records between register versions, read from git or from folders."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import QINGHE
from deviation_cli.domain.changes import deadline_change, diff_registers, text_diff
from deviation_cli.domain.register import Task
from deviation_cli.store.versions import read_version
from editing_helpers import edit, edited_register

C2 = {  # "extend task 4": deadline later, another lead, a unit added; task 1 reworded
    "tasks.yaml": [
        ("    deadline: 2024-09-30", "    deadline: 2024年12月底"),
        (
            "    lead: 县城投公司\n    responsible:\n      - 西河镇\n",
            "    lead: 县水利局\n    responsible:\n      - 西河镇\n      - 县城投公司\n",
        ),
        ("    text: 完成县级饮用水水源地规范化建设。", "    text: 推进全县饮用水水源地规范化建设,年底前完成80%。"),
    ],
}
C3 = {  # "rename, drop": a unit renamed (old name kept as alias), task 3 removed, milestones dropped
    "units.yaml": [
        (
            "  - name: 县城投公司\n    kind: company\n",
            "  - name: 县城市建设投资公司\n    kind: company\n    aliases: [县城投公司]\n",
        )
    ],
    "tasks.yaml": [
        (
            "  - id: 3\n    measure: 2\n    text: 建立河湖“四乱”问题台账,动态清零。\n    lead: 县水利局\n    responsible:\n"
            "      - 各镇人民政府\n      - 县农业农村局\n      - 等县级有关部门\n    deadline: 持续推进\n",
            "",
        ),
        ("2024年3月、6月、9月、12月底", "2024年6月、12月底"),
        ("    title: 清理整治河湖“四乱”\n", "    title: 清理整治河湖“四乱”问题\n"),
    ],
}
C4 = {
    "tasks.yaml": [
        (
            "    lead: 县水利局\n    responsible:\n      - 县生态环境局",
            "    lead: 县水力局\n    responsible:\n      - 县生态环境局",
        )
    ]
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with five commits: README only, the register, then C2, C3 and a broken C4."""
    for name, value in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
    }.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("清河县河湖长制任务\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    edited_register(repo / "reg")
    for message, edits in (("register", None), ("extend task 4", C2), ("rename, drop", C3), ("typo", C4)):
        if edits:
            edit(repo / "reg", edits)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", message)
    monkeypatch.chdir(repo)
    return repo


def test_changes_between_two_revisions(repo):
    before = read_version("HEAD~3", repo / "reg")
    after = read_version("HEAD~2", repo / "reg")
    assert (before.label, after.label) == ("HEAD~3", "HEAD~2")
    assert before.report.register.folder == "HEAD~3:reg"
    changes = [change.as_dict() for change in diff_registers(before.report.register, after.report.register)]
    assert changes == [
        {
            "kind": "text-changed",
            "task": 1,
            "subject": None,
            "field": "task",
            "old": "完成县级饮用水水源地规范化建设。",
            "new": "推进全县饮用水水源地规范化建设,年底前完成80%。",
            "segments": [
                {"op": "replace", "old": "完成县级", "new": "推进全县"},
                {"op": "equal", "old": "饮用水水源地规范化建设", "new": "饮用水水源地规范化建设"},
                {"op": "insert", "old": "", "new": ",年底前完成80%"},
                {"op": "equal", "old": "。", "new": "。"},
            ],
        },
        {"kind": "lead-changed", "task": 4, "subject": None, "field": "lead", "old": "县城投公司", "new": "县水利局"},
        {
            "kind": "responsible-added",
            "task": 4,
            "subject": None,
            "field": "responsible",
            "old": None,
            "new": ["县城投公司"],
        },
        {
            "kind": "deadline-extended",
            "task": 4,
            "subject": None,
            "field": "deadline",
            "old": "2024-09-30",
            "new": "2024年12月底",
            "old_due": ["2024-09-30"],
            "new_due": ["2024-12-31"],
            "days": 92,
            "shifts": [92],
        },
    ]


def test_text_report(cli, repo):
    run = cli("diff", "HEAD~3", "HEAD~2", data=repo / "reg")
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "第1项 具体任务:[-完成县级-]{+推进全县+}饮用水水源地规范化建设{+,年底前完成80%+}。",
        "第4项 牵头部门 县城投公司 → 县水利局",
        "第4项 责任单位 增加:县城投公司",
        "第4项 完成时限 2024-09-30 → 2024-12-31(延后 92 天)——原文“2024-09-30”改为“2024年12月底”",
    ]


def test_rename_is_one_change_not_a_change_in_every_task(cli, repo):
    run = cli("diff", "HEAD~2", "HEAD~1", "--format", "md", data=repo / "reg")
    assert run.exit_code == 0
    assert run.stdout == (
        "<!-- deviation-diff -->\n"
        "### 登记册变更 `HEAD~2` → `HEAD~1`\n"
        "\n"
        "共 4 处变更。\n"
        "\n"
        "- **第2项** 完成时限 2024-03-31、2024-06-30、2024-09-30、2024-12-31 → 2024-06-30、2024-12-31"
        "(最后节点不变;去掉节点 2024-03-31、2024-09-30)——原文“2024年3月、6月、9月、12月底”改为“2024年6月、12月底”\n"
        "- **第3项** 删除任务:建立河湖“四乱”问题台账,动态清零。(牵头部门:县水利局;完成时限:持续推进)\n"
        "- **改进措施第2条** 标题 清理整治河湖“四乱” → 清理整治河湖“四乱”问题\n"
        "- **单位 县城投公司** 更名为 县城市建设投资公司\n"
    )
    kinds = [record["kind"] for record in cli("diff", "HEAD~2", "HEAD~1", "-f", "json", data=repo / "reg").json()]
    assert kinds == ["deadline-changed", "task-removed", "measure-changed", "unit-renamed"]


def test_fail_on_gates(cli, repo):
    run = cli("diff", "HEAD~3", "HEAD~2", "--fail-on", "deadline-extended,lead-changed", data=repo / "reg")
    assert run.exit_code == 1
    assert run.stderr == "存在 --fail-on 所列的变更:lead-changed ×1, deadline-extended ×1\n"
    assert len(run.stdout.splitlines()) == 4
    assert cli("diff", "HEAD~3", "HEAD~2", "--fail-on", "task-removed", data=repo / "reg").exit_code == 0
    assert cli("diff", "HEAD~2", "HEAD~1", "--fail-on", "task-removed", data=repo / "reg").exit_code == 1
    wrong = cli("diff", "HEAD~3", "HEAD~2", "--fail-on", "deadline-late", data=repo / "reg")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("--fail-on 应为 task-added, task-removed, task-moved,")


def test_no_change_exits_0(cli, repo):
    run = cli("diff", "HEAD~1", "HEAD~1", data=repo / "reg")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "没有变更\n", "")
    assert cli("diff", "HEAD~1", "HEAD~1", "-f", "json", data=repo / "reg").stdout == "[]\n"


def test_an_invalid_new_register_is_reported_with_its_issues(cli, repo):
    run = cli("diff", "HEAD~1", "HEAD", data=repo / "reg")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr == "HEAD:reg/tasks.yaml:24:11: 未知单位“县水力局”。是否指:县水利局?\n"


def test_new_defaults_to_the_working_tree(cli, repo):
    edit(
        repo / "reg", {"tasks.yaml": [("县水力局", "县水利局"), ("deadline: 2024年上半年", "deadline: 2024年5月31日")]}
    )
    run = cli("diff", "HEAD~1", data=repo / "reg")
    assert run.exit_code == 0
    assert run.stdout == "第1项 完成时限 2024-06-30 → 2024-05-31(提前 30 天)——原文“2024年上半年”改为“2024年5月31日”\n"


def test_unknown_revision_or_missing_register_is_a_usage_problem(cli, repo, tmp_path):
    run = cli("diff", "v9.9", "HEAD", data=repo / "reg")
    assert (run.exit_code, run.stderr) == (2, "“v9.9”既不是登记册目录,也不是 reg 所在 git 仓库中的版本\n")
    run = cli("diff", "HEAD~4", "HEAD~1", data=repo / "reg")
    assert (run.exit_code, run.stderr) == (2, "版本 HEAD~4 中没有 reg/units.yaml\n")
    outside = edited_register(tmp_path / "outside")
    run = cli("--lang", "en", "diff", "HEAD~1", data=outside)
    assert run.exit_code == 2
    assert run.stderr == f"'HEAD~1' is not a folder, and {outside} is not in a git repository to read revisions from\n"


def test_two_folders_in_english(cli, tmp_path):
    edited_register(tmp_path / "new", {**C2, "units.yaml": C3["units.yaml"]})
    run = cli("--lang", "en", "diff", str(QINGHE), str(tmp_path / "new"), data=None)
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "Task 1 text: [-完成县级-]{+推进全县+}饮用水水源地规范化建设{+,年底前完成80%+}。",
        "Task 4 lead 县城投公司 → 县水利局",
        "Task 4 responsible added: 县城投公司",
        "Task 4 deadline 2024-09-30 → 2024-12-31 (extended by 92 days) — wording '2024-09-30' → '2024年12月底'",
        "Unit 县城投公司 renamed to 县城市建设投资公司",
    ]


def task(deadline: str, *due: date, ongoing: bool = False) -> Task:
    return Task(3, 1, "d", "t", "lead", (), (), deadline, tuple(due), ongoing)


@pytest.mark.parametrize(
    ("old", "new", "kind", "days", "shifts"),
    [
        (task("2023年底", date(2023, 12, 31)), task("2024年3月底", date(2024, 3, 31)), "deadline-extended", 91, [91]),
        (task("2023年底", date(2023, 12, 31)), task("2023年9月底", date(2023, 9, 30)), "deadline-advanced", -92, [-92]),
        (
            task("2023年12月31日", date(2023, 12, 31)),
            task("2023年底", date(2023, 12, 31)),
            "deadline-reworded",
            None,
            None,
        ),
        (task("2023年底", date(2023, 12, 31)), task("持续推进", ongoing=True), "deadline-extended", None, None),
        (task("持续推进", ongoing=True), task("2023年底", date(2023, 12, 31)), "deadline-changed", None, None),
        (
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            task("2023年7月、11月底", date(2023, 7, 31), date(2023, 11, 30)),
            "deadline-changed",
            -31,
            [31, -31],
        ),
        (
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            task("2023年12月底", date(2023, 12, 31)),
            "deadline-changed",
            0,
            None,
        ),
        (
            task("2023年6月底", date(2023, 6, 30)),
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            "deadline-extended",
            184,
            None,
        ),
    ],
)
def test_deadline_moves(old, new, kind, days, shifts):
    change = deadline_change(old, new)
    assert (change.kind, change.details["days"], change.details["shifts"]) == (kind, days, shifts)


def test_same_wording_up_to_spaces_is_no_change():
    assert deadline_change(task("2023年 6月12月底"), task("2023年6月12月底")) is None


def test_text_diff_groups_characters_into_phrases():
    assert text_diff("对照一季度80%、二季度100%开工率目标", "对照一季度85%、二季度100%开工率目标") == [
        {"op": "equal", "old": "对照一季度", "new": "对照一季度"},
        {"op": "replace", "old": "80%", "new": "85%"},
        {"op": "equal", "old": "、二季度100%开工率目标", "new": "、二季度100%开工率目标"},
    ]
    assert text_diff("建立台账。", "建立台账,动态清零。") == [
        {"op": "equal", "old": "建立台账", "new": "建立台账"},
        {"op": "insert", "old": "", "new": ",动态清零"},
        {"op": "equal", "old": "。", "new": "。"},
    ]


def test_revisions_are_read_even_when_the_folder_is_gone_from_the_working_tree(cli, repo):
    git(repo, "rm", "-rq", "reg")
    run = cli("diff", "HEAD~3", "HEAD~2", "--fail-on", "lead-changed", data=repo / "reg")
    assert run.exit_code == 1
    assert run.stdout.splitlines()[1] == "第4项 牵头部门 县城投公司 → 县水利局"


def test_records_beyond_tasks(tmp_path):
    from deviation_cli import load_register

    new = edited_register(
        tmp_path / "new",
        {
            "tasks.yaml": [
                ("  title: 清河县2024年河湖长制重点工作任务", "  title: 清河县2024年河湖长制工作要点"),
                ("    name: 河湖岸线管控\n", "    name: 河湖岸线管理\n"),
                (
                    "    title: 清理整治河湖“四乱”\n",
                    "    title: 清理整治河湖“四乱”\n  - number: 3\n    dimension: water\n    title: 开展河湖健康评价\n",
                ),
            ],
            "units.yaml": [
                ("    members: [东关镇, 西河镇, 南山乡]", "    members: [东关镇, 西河镇, 北岭镇]"),
                (
                    "  - name: 南山乡\n    kind: county\n",
                    "  - name: 南山乡\n    kind: county\n  - name: 北岭镇\n    kind: county\n",
                ),
                ("    full_name: 清河县水利局\n", "    full_name: 清河县水利局\n    aliases: [水利局]\n"),
            ],
        },
    )
    changes = [change.as_dict() for change in diff_registers(load_register(QINGHE), load_register(new))]
    for change in changes:
        change.pop("segments", None)
    assert changes == [
        {
            "kind": "measure-added",
            "task": None,
            "subject": "3",
            "field": None,
            "old": None,
            "new": "开展河湖健康评价",
            "dimension": "water",
        },
        {
            "kind": "dimension-changed",
            "task": None,
            "subject": "shoreline",
            "field": "name",
            "old": "河湖岸线管控",
            "new": "河湖岸线管理",
        },
        {
            "kind": "dimension-changed",
            "task": None,
            "subject": "shoreline",
            "field": "table_name",
            "old": "河湖岸线管控",
            "new": "河湖岸线管理",
        },
        {"kind": "unit-changed", "task": None, "subject": "县水利局", "field": "aliases", "old": [], "new": ["水利局"]},
        {
            "kind": "unit-added",
            "task": None,
            "subject": "北岭镇",
            "field": None,
            "old": None,
            "new": "北岭镇",
            "unit_kind": "county",
        },
        {
            "kind": "group-changed",
            "task": None,
            "subject": "各镇人民政府",
            "field": "members",
            "old": ["南山乡"],
            "new": ["北岭镇"],
        },
        {
            "kind": "document-changed",
            "task": None,
            "subject": "document",
            "field": "title",
            "old": "清河县2024年河湖长制重点工作任务",
            "new": "清河县2024年河湖长制工作要点",
        },
    ]


def test_markdown_escapes_what_the_register_may_contain():
    from deviation_cli.domain.changes import Change
    from deviation_cli.output.change_lines import format_changes

    change = Change("lead-changed", 7, field="lead", old="A*B*", new="<C>|_D_")
    assert format_changes([change], "md").splitlines()[-1] == "- **第7项** 牵头部门 A\\*B\\* → &lt;C&gt;\\|\\_D\\_"
