"""The table of commands the command line imports on demand names every command, in its module."""

from __future__ import annotations

import importlib
import subprocess
import sys

from deviation_cli.cli import app
from deviation_cli.cli.app import COMMAND_MODULES


def test_the_table_names_every_command_and_the_module_that_registers_it():
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"deviation_cli.cli.{module}")
    registered = {info.name: info.callback.__module__ for info in app.registered_commands}
    registered |= {info.name: None for info in app.registered_groups}
    assert set(registered) == set(COMMAND_MODULES)
    for name, module in registered.items():
        if module is not None:
            # the command line's wrapper keeps the command function's module (functools.wraps)
            assert module == f"deviation_cli.cli.{COMMAND_MODULES[name]}", name


def test_help_lists_the_commands_in_the_tables_order(cli):
    section = cli("--help", data=None).stdout.split("Commands:", 1)[1]
    names = [line.split()[0] for line in section.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert names == list(COMMAND_MODULES)


def test_importing_the_command_line_imports_no_command_module():
    code = "import sys, deviation_cli.cli; print(' '.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(run.stdout.split())
    assert {f"deviation_cli.cli.{module}" for module in COMMAND_MODULES.values()} & loaded == set()
