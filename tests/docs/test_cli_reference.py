"""docs/reference/cli.md is the commands' own --help, regenerated whenever a command changes."""

from __future__ import annotations

import importlib.util

from support.doc_blocks import ROOT

SCRIPT = ROOT / "scripts" / "cli_reference.py"


def load_script():
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_up_to_date():
    script = load_script()
    current = script.TARGET.read_text(encoding="utf-8") if script.TARGET.exists() else ""
    assert current == script.render(), (
        "docs/reference/cli.md is out of date with the commands' --help: run `python scripts/cli_reference.py`"
    )


def test_the_reference_has_every_command_and_sub_command():
    script = load_script()
    text = script.TARGET.read_text(encoding="utf-8")
    paths = script.command_paths()
    assert ("export", "xlsx") in paths and ("validate",) in paths
    for path in paths:
        assert f" deviation {' '.join(path)}".rstrip() + "\n" in text
