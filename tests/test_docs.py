"""Every command explains itself with an example and appears in the README; CI runs the README."""

from __future__ import annotations

import re

import pytest

from deviation_cli.cli import app
from support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(info.name or info.callback.__name__ for info in app.registered_commands) + sorted(
    group.name for group in app.registered_groups
)


def test_there_are_commands():
    assert {"validate", "due", "unit", "tasks", "units", "dimensions", "show", "search"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(cli, name):
    run = cli(name, "--help", data=None)
    assert run.exit_code == 0
    assert "Example" in run.stdout, f"`deviation {name} --help` should carry an example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name):
    assert re.search(rf"deviation (--\S+ \S+ )*{name}\b", README), f"README shows no `deviation {name}`"


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2
    assert commands[0].endswith("deviation due --before 2023-07-31")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
