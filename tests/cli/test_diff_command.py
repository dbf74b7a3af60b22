"""`deviation diff`: revisions or folders compared through the CLI, --fail-on gates, exit codes."""

from __future__ import annotations

from support.editing import edit, edited_register
from support.git_history import C2, C3, git
from support.paths import QINGHE


def test_text_report(cli, repo):
    run = cli("diff", "HEAD~3", "HEAD~2", data=repo / "reg")
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "第1项 具体任务:[-完成县级-]{+推进全县+}饮用水水源地规范化建设{+,年底前完成80%+}。",
        "第4项 牵头单位 县城投公司 → 县水利局",
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
        "- **第3项** 删除任务:建立河湖“四乱”问题台账,动态清零。(牵头单位:县水利局;完成时限:持续推进)\n"
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


def test_revisions_are_read_even_when_the_folder_is_gone_from_the_working_tree(cli, repo):
    git(repo, "rm", "-rq", "reg")
    run = cli("diff", "HEAD~3", "HEAD~2", "--fail-on", "lead-changed", data=repo / "reg")
    assert run.exit_code == 1
    assert run.stdout.splitlines()[1] == "第4项 牵头单位 县城投公司 → 县水利局"
