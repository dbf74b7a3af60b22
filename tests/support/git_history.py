"""A git repository holding a register through five commits, for `diff` and reading revisions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support.editing import edit, edited_register

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


def register_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
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
