"""Every command explains itself with an example and appears in the docs; CI runs the quick start.

Moved here from tests/test_docs.py when the README's reference material moved to docs/.
"""

from __future__ import annotations

import re

import pytest
import typer.main
import yaml

from deviation_cli.cli import app
from support.doc_blocks import DOCS, GENERATED, ROOT, documentation_files

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The generated reference names every command by construction, so it does not count.
WRITTEN = "\n".join(path.read_text(encoding="utf-8") for path in documentation_files())


def _paths(command, path=()):
    found = [path] if path else []
    for name, sub in getattr(command, "commands", {}).items():
        found += _paths(sub, (*path, name))
    return found


COMMAND_PATHS = _paths(typer.main.get_command(app))
COMMANDS = sorted(" ".join(path) for path in COMMAND_PATHS)


def test_there_are_commands():
    top = {path[0] for path in COMMAND_PATHS}
    assert {"validate", "due", "unit", "tasks", "units", "dimensions", "show", "search"} <= top
    assert {"export xlsx", "import csv"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(cli, name):
    run = cli(*name.split(), "--help", data=None)
    assert run.exit_code == 0
    assert "Example" in run.stdout, f"`deviation {name} --help` should carry an example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_docs(name):
    words = r"\s+".join(re.escape(word) for word in name.split())
    pattern = rf"deviation (--\S+ \S+ )*{words}\b"
    assert re.search(pattern, WRITTEN), f"neither README.md nor docs/ shows `deviation {name}`"


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2
    assert commands[0].endswith("deviation due --before 2023-07-31")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_ci_builds_the_docs_strictly():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("mkdocs build --strict") for line in ci)


def _nav_pages(entries) -> list[str]:
    pages: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_is_in_the_site_navigation_once():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    pages = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
    assert sorted(nav) == pages
    assert all((DOCS / page) in GENERATED or (DOCS / page).exists() for page in nav)
