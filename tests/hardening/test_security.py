"""What every command does not do: no network, no processes, no code from data, no writes.

Every command on this branch runs in a child Python with an audit hook
(PEP 578) that records what the interpreter is asked to do. After a warm-up
pass (imports happen then), every command runs again, on both registers and on
a hostile one, and the hook must have seen nothing of the kinds below. The one
compile/exec allowed is typer evaluating the commands' own type annotations
("Optional[str]"): code built only of type names, never of register text.
Commands that write (render, site, export, record) add their runs here with the
one path they may write.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

from support.fuzzing import copy_register
from support.paths import HANZHONG, QINGHE, ROOT

TASKS_TEXT = (HANZHONG / "tasks.yaml").read_text(encoding="utf-8")

COMMANDS = [
    ["validate"],
    ["validate", "--format", "json"],
    ["tasks"],
    ["tasks", "--format", "csv"],
    ["tasks", "--format", "md"],
    ["due", "--before", "2024-12-31", "--as-of", "2023-07-01", "--include-ongoing"],
    ["units", "--format", "json"],
    ["dimensions"],
    ["show", "1"],
    ["search", "项目"],
]
UNIT = {HANZHONG: "汉台区", QINGHE: "东关镇"}


CHILD = textwrap.dedent(
    """
    import json, os, re, sys

    SUSPECT = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
               "os.forkpty", "ctypes.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.", "pty.",
               "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.mkdir", "shutil.",
               "os.chmod", "os.chown", "os.truncate", "os.symlink", "os.link", "exec", "compile", "import",
               "marshal.loads", "pickle.find_class", "sqlite3.connect", "sqlite3.enable_load_extension",
               "sqlite3.load_extension")
    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    recording = False
    seen = []
    TYPE_EXPRESSION = r"[A-Za-z_][A-Za-z_0-9\\[\\], .|]{0,60}"
    TYPE_NAMES = {"str", "int", "bool", "float", "None", "Optional", "list", "dict", "tuple", "Any", "Path"}

    def _text(source):
        return source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)

    def hook(event, args):
        if not recording:
            return
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS)
            if writes:
                seen.append(f"open for writing: {path}")
        elif event == "compile" and re.fullmatch(TYPE_EXPRESSION, _text(args[0])):
            return  # typer evaluating the commands' own annotations ("Optional[str]")
        elif event == "exec" and getattr(args[0], "co_filename", "") == "<string>" and set(args[0].co_names) <= TYPE_NAMES:
            return
        elif event.startswith(SUSPECT) and event not in ("socket.gethostname", "sqlite3.connect/handle"):
            seen.append(f"{event}: {str(args)[:200]}")

    sys.addaudithook(hook)
    from typer.testing import CliRunner
    from deviation_cli.cli import app

    runs = json.loads(sys.argv[1])
    runner = CliRunner()
    for args in json.loads(sys.argv[2]):  # warm-up: every import a command needs happens now
        runner.invoke(app, args)
    recording = True
    codes = [runner.invoke(app, args).exit_code for args in runs]
    recording = False
    print(json.dumps({"codes": codes, "seen": seen}))
    """
)


def audited(runs: list[list[str]], warm_up: list[list[str]] = (), cache_dir: str | None = None) -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    env.pop("DEVIATION_DATA", None)
    if cache_dir is None:
        env["DEVIATION_NO_CACHE"] = "1"
    else:
        env.pop("DEVIATION_NO_CACHE", None)
        env["DEVIATION_CACHE_DIR"] = cache_dir
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(runs), json.dumps(list(warm_up))],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_no_command_opens_a_socket_starts_a_process_runs_code_or_writes_a_file(tmp_path):
    hostile = copy_register(
        tmp_path / "hostile",
        tasks=TASKS_TEXT.replace("lead: 市审计局", "lead: !!python/object/apply:os.system ['touch pwned']", 1).replace(
            "text: 坚持每季度", "text: \"{{ cycler.__init__.__globals__.os.system('id') }} <script>x</script>\"", 1
        ),
    )
    runs = []
    for folder in (HANZHONG, QINGHE):
        runs += [["--data", str(folder), *args] for args in [*COMMANDS, ["unit", UNIT[folder]]]]
    refused = [["--data", str(hostile), *args] for args in (["validate"], ["tasks", "--format", "json"], ["show", "2"])]
    runs += refused
    warm_up = [["--data", str(HANZHONG), *args] for args in [*COMMANDS, ["unit", "汉台区"]]] + refused[:1]
    result = audited(runs, warm_up)
    # With the cache off, `due` asks the same tables built in memory: a database no file backs.
    assert [event for event in result["seen"] if not event.startswith("sqlite3.connect: (':memory:',")] == []
    valid = len(runs) - len(refused)
    assert result["codes"][:valid] == [0] * valid
    assert set(result["codes"][valid:]) == {1}  # the hostile register is refused by every command
    assert not (tmp_path / "hostile" / "pwned").exists() and not os.path.exists("pwned")


def test_with_the_cache_on_reads_write_only_inside_the_cache_folder(tmp_path):
    """The one write a read command makes: its cache of the validated register (see SECURITY.md)."""
    cache = tmp_path / "cache"
    runs = [["--data", str(folder), *args] for folder in (HANZHONG, QINGHE) for args in COMMANDS]
    # Warm up on another folder (its own cache entry) so every import happens before recording,
    # and the recorded runs still miss the cache and write it.
    warm = copy_register(tmp_path / "warm")
    warm_up = [["--data", str(warm), *args] for args in COMMANDS]
    result = audited(runs, warm_up=warm_up, cache_dir=str(cache))
    assert result["codes"] == [0] * len(runs)
    # Reading the cache back opens its SQLite file (plain values, no code: see formats/register_index.py);
    # every write, and every database opened, names the cache folder.
    others = [e for e in result["seen"] if str(cache) not in e]
    assert others == []
    assert any(e.startswith("sqlite3.connect") for e in result["seen"])
    assert any(cache.rglob("*")), "the commands did write their cache"


def test_the_audit_hook_does_see_what_it_looks_for(tmp_path):
    """The check above could pass by seeing nothing at all; show it sees a write and a process."""
    child = CHILD.replace(
        "codes = [runner.invoke(app, args).exit_code for args in runs]",
        f"open({str(tmp_path / 'w.txt')!r}, 'w').close(); import subprocess; subprocess.run(['true']); "
        "eval('cycler.__init__', {'cycler': 1}) if False else compile('os.system(1)', '<string>', 'eval'); codes = []",
    )
    done = subprocess.run([sys.executable, "-c", child, "[]", "[]"], capture_output=True, text=True, timeout=60)
    seen = json.loads(done.stdout.splitlines()[-1])["seen"]
    assert any(item.startswith("open for writing:") and item.endswith("w.txt") for item in seen)
    assert any(item.startswith("subprocess.Popen") for item in seen)
    assert any(item.startswith("compile:") and "os.system(1)" in item for item in seen)


def test_every_test_security_md_names_exists_and_every_hostile_test_is_named():
    """Each promise is backed by the tests it cites: every `tests/…py::test_…` exists, and so does every script."""
    import ast

    root = ROOT
    text = (root / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", text))
    assert len(named) > 100  # the pattern still finds the citations (a layout change once made it find none)
    defined = set()
    for module in sorted({module for module, _ in named}):
        path = root / module
        assert path.is_file(), module
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined |= {
            (module, node.name)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    assert named - defined == set()
    hostile = {name for module, name in defined if module == "tests/hardening/test_hostile.py"}
    assert hostile - {name for _, name in named} == set()
    for script in re.findall(r"`(scripts/[\w/]+\.py)`", text):
        assert (root / script).is_file(), script
