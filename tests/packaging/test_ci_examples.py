"""The pre-commit hook and the CI examples call the CLI as it really is."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from deviation_cli.domain.changes import CHANGE_KINDS
from support.paths import ROOT

EXAMPLES = ["examples/github-actions.yml", "examples/gitlab-ci.yml", ".pre-commit-hooks.yaml"]


def deviation_commands(text: str) -> list[list[str]]:
    commands = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split("#", 1)[0].strip().removeprefix("- ").removeprefix("run: ").removeprefix("entry: ")
        if line.startswith("deviation "):
            commands.append(shlex.split(line.split(">", 1)[0]))
    return commands


@pytest.mark.parametrize("path", EXAMPLES)
def test_examples_are_yaml_and_use_real_options(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    yaml.safe_load(text)
    commands = deviation_commands(text)
    assert commands, path
    for command in commands:
        subcommand = next(
            word
            for word in command[1:]
            if not word.startswith("-") and not word.startswith("$") and word not in ("data",)
        )
        assert subcommand in ("validate", "diff"), command
        if "--format" in command:
            assert command[command.index("--format") + 1] in ("github", "md", "text", "json"), command
        if "--fail-on" in command:
            assert set(command[command.index("--fail-on") + 1].split(",")) <= set(CHANGE_KINDS), command


def test_pre_commit_hook_runs_validate_on_register_files():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "deviation-validate",
        "deviation validate",
        "python",
        True,
    )
    files = re.compile(hook["files"])
    assert [
        path
        for path in [
            "data/tasks.yaml",
            "units.yaml",
            "a/b/tasks.yaml",
            "tasks.yml",
            "mytasks.yaml",
            "data/source/policy.txt",
        ]
        if files.search(path)
    ] == ["data/tasks.yaml", "units.yaml", "a/b/tasks.yaml"]


def test_github_example_annotates_then_comments_then_gates():
    steps = yaml.safe_load((ROOT / "examples/github-actions.yml").read_text(encoding="utf-8"))["jobs"]["check"]["steps"]
    names = [step.get("name") for step in steps if step.get("name")]
    assert names == [
        "Validate (annotated on the lines)",
        "Diff against the base branch",
        "Post the diff as a PR comment",
        "Gate on changes that need a second look",
    ]
    assert steps[0]["with"]["fetch-depth"] == 0
