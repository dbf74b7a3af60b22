"""Every example in README.md and docs/**/*.md runs, and prints what the page says it prints.

The convention (docs/contributing.md says the same, for people who write the docs):

```console`` blocks are terminal sessions. A line starting with ``$ `` is a command (a line
ending in `` \\`` continues on the next); the lines after it, up to the next ``$ ``, are its
output as a terminal shows it: stdout and stderr together, in the order written. Output is
compared exactly, except that trailing spaces, trailing blank lines and a byte order mark at the
very start (CSV output has one) are ignored.

- ``deviation ...`` runs in-process through typer's CliRunner, with NO_COLOR=1, COLUMNS=100, a
  private DEVIATION_CACHE_DIR and no DEVIATION_DATA/DEVIATION_LANG. It may end in ``| ...`` or
  ``> ...``: its stdout then goes through that rest of the line in bash, and its stderr is shown
  first.
- ``echo $?`` prints the exit code of the command before it. Every other command must exit 0:
  an example that fails says so with ``echo $?``.
- Anything else (``cp``, ``sed``, ``ls``, ``python``) runs in bash, with LC_ALL=C.UTF-8.
- Each block starts in a scratch folder laid out like the repository root: copies of data/,
  examples/ and schema/. Commands may write there freely (``-o out.html``,
  ``cp -r data 登记册``); later commands of the same block see what earlier ones wrote. The
  repository itself is never written to.
- No example may depend on today's date: pass ``--as-of`` / ``--date``.

```sh`` blocks are commands to copy (install, CI). Every ``deviation ...`` in them (also after
``&&``) runs in a scratch folder and must exit 0; their output is not shown, so not compared.

```pycon`` blocks are Python sessions, run as doctests in a scratch folder.

```yaml title="tasks.yaml"`` blocks (also units.yaml, progress.yaml, indicators.yaml,
observations.yaml) are register files. The titled files of one page are written into one folder,
with tasks.yaml and units.yaml taken from data/ when the page does not show them, and
``deviation validate`` must find that folder valid, without warnings.

After a deliberate change of behaviour, refresh the outputs instead of editing them by hand, and
review the diff:

    DEVIATION_UPDATE_DOCS=1 python -m pytest tests/docs
"""

from __future__ import annotations

import difflib
import doctest
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deviation_cli.cli import app
from support.doc_blocks import ROOT, Block, all_blocks, blocks, documentation_files

UPDATE = os.environ.get("DEVIATION_UPDATE_DOCS") == "1"
SCRATCH_COPIES = ["data", "examples", "schema"]
REGISTER_FILES = ["tasks.yaml", "units.yaml", "progress.yaml", "indicators.yaml", "observations.yaml"]
OPERATORS = {"|", ">", ">>", "&&", "||", ";", "&", "<"}
WIDTH = "100"


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A folder laid out like the repository root, as the cwd, with the documented environment."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in SCRATCH_COPIES:
        shutil.copytree(ROOT / name, root / name)
    for name in ("DEVIATION_DATA", "DEVIATION_LANG", "DEVIATION_NO_CACHE", "DEVIATION_NO_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", WIDTH)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.chdir(root)
    return root


# --- console blocks ------------------------------------------------------------------------


@dataclass
class Step:
    command: list[str]  # the lines of the command as written, "$ " included
    expected: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        return " ".join(part.removeprefix("$ ").removesuffix("\\").strip() for part in self.command)


def parse_session(text: str) -> list[Step]:
    steps: list[Step] = []
    continued = False
    for line in text.splitlines():
        if continued:
            steps[-1].command.append(line)
        elif line.startswith("$ ") or line == "$":
            steps.append(Step([line]))
        elif steps:
            steps[-1].expected.append(line)
        else:
            raise AssertionError(f"a console block must start with a `$ ` command line, not {line!r}")
        continued = line.endswith("\\")
    return steps


def tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def run_deviation(args: list[str]) -> tuple[int, str, str, str]:
    result = CliRunner().invoke(app, args, catch_exceptions=False, prog_name="deviation", terminal_width=int(WIDTH))
    return result.exit_code, result.output, result.stdout, result.stderr


def run_shell(line: str, stdin: str | None = None) -> tuple[int, str]:
    done = subprocess.run(
        ["bash", "-c", line],
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        timeout=120,
    )
    return done.returncode, done.stdout


def run_step(line: str, last_exit: int) -> tuple[int, str]:
    """Run one command line; return its exit code and what the terminal shows."""
    words = tokens(line)
    if words == ["echo", "$?"]:
        return 0, f"{last_exit}\n"
    if not words or words[0] != "deviation":
        return run_shell(line)
    cut = next((i for i, word in enumerate(words) if word in OPERATORS), len(words))
    code, output, stdout, stderr = run_deviation(words[1:cut])
    if cut == len(words):
        return code, output
    rest = words[cut:]
    if rest[0] not in ("|", ">", ">>") or any(word in ("&&", "||", ";", "&") for word in rest):
        raise AssertionError(f"`{line}`: after a deviation command only `| ...` or `> ...` can follow")
    tail = " ".join(word if word in OPERATORS else shlex.quote(word) for word in rest)
    _, piped = run_shell(f"cat {tail}", stdin=stdout)
    return code, stderr + piped


def normalise(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    if out:
        out[0] = out[0].removeprefix("\ufeff")
    while out and not out[-1]:
        out.pop()
    return out


def rewrite_block(block: Block, new_text: str) -> None:
    """Replace the block's content in its file (found by content: earlier updates move lines)."""
    text = block.path.read_text(encoding="utf-8")
    old = "".join(f"{block.indent}{line}\n" if line else "\n" for line in block.text.splitlines())
    new = "".join(f"{block.indent}{line}\n" if line else "\n" for line in new_text.splitlines())
    assert old in text, f"{block.where}: cannot find the block to update it"
    block.path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="\n")


CONSOLE = all_blocks("console")


@pytest.mark.parametrize("block", CONSOLE, ids=[block.where for block in CONSOLE])
def test_console_example(block: Block, scratch):
    steps = parse_session(block.text)
    last_exit = 0
    seen: list[str] = []
    failed: list[str] = []  # commands that exited non-zero without `echo $?` after them
    differs: list[str] = []  # outputs that are not the documented ones
    for number, step in enumerate(steps):
        code, shown = run_step(step.line, last_exit)
        actual = normalise(shown.splitlines())
        following = steps[number + 1].line if number + 1 < len(steps) else ""
        if code != 0 and following.strip() != "echo $?":
            failed.append(
                f"`{step.line}` exited {code}; show it with `$ echo $?` or fix the example:\n" + "\n".join(actual)
            )
        if actual != normalise(step.expected):
            diff = difflib.unified_diff(normalise(step.expected), actual, "documented", "actual", lineterm="")
            differs.append(f"`{step.line}` printed something else:\n" + "\n".join(diff))
        seen.extend([*step.command, *actual])
        last_exit = code
    if UPDATE and differs:
        rewrite_block(block, "".join(f"{line}\n" for line in seen))
        differs = []
    assert not failed + differs, (
        f"{block.where}:\n"
        + "\n\n".join(failed + differs)
        + "\n\nAfter a deliberate change, refresh the outputs: DEVIATION_UPDATE_DOCS=1 python -m pytest tests/docs"
    )


# --- sh blocks -----------------------------------------------------------------------------


def deviation_commands(block: Block) -> list[str]:
    text = block.text.replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith("deviation "):
                commands.append(part)
    return commands


SH = [block for block in all_blocks("sh") if deviation_commands(block)]


@pytest.mark.parametrize("block", SH, ids=[block.where for block in SH])
def test_shell_example_commands_succeed(block: Block, scratch):
    for line in deviation_commands(block):
        code, shown = run_step(line, 0)
        assert code == 0, f"{block.where}: `{line}` exited {code}:\n{shown}"


# --- pycon blocks --------------------------------------------------------------------------

PYCON = all_blocks("pycon")


@pytest.mark.parametrize("block", PYCON, ids=[block.where for block in PYCON])
def test_python_example(block: Block, scratch):
    test = doctest.DocTestParser().get_doctest(block.text, {}, block.where, str(block.path), block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)
    assert runner.tries > 0, f"{block.where}: no `>>>` example in a pycon block"


# --- register files ------------------------------------------------------------------------


def pages_with_register_files() -> list[tuple[Path, dict[str, Block]]]:
    found = []
    for path in documentation_files():
        files: dict[str, Block] = {}
        for block in blocks(path):
            if block.lang == "yaml" and block.title in REGISTER_FILES:
                assert block.title not in files, f"{block.where}: a second {block.title} on the same page"
                files[block.title] = block
        if files:
            found.append((path, files))
    return found


REGISTERS = pages_with_register_files()


@pytest.mark.parametrize("page, files", REGISTERS, ids=[p.relative_to(ROOT).as_posix() for p, _ in REGISTERS])
def test_register_files_on_a_page_validate(page: Path, files: dict[str, Block], scratch):
    folder = scratch / "example"
    folder.mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        if name not in files:
            shutil.copyfile(scratch / "data" / name, folder / name)
    for name, block in files.items():
        (folder / name).write_text(block.text, encoding="utf-8")
    code, output, _, _ = run_deviation(["validate", "example"])
    assert code == 0, f"{page.relative_to(ROOT)}: the register files shown do not validate:\n{output}"
    assert "警告" not in output, f"{page.relative_to(ROOT)}: the register files shown give warnings:\n{output}"


def test_the_register_format_page_shows_every_file_a_user_edits():
    shown = {name for path, files in REGISTERS for name in files if path.name == "register.md"}
    assert shown == set(REGISTER_FILES)


def test_there_are_examples_to_run():
    assert len(CONSOLE) >= 20
    assert any(block.path.name == "README.md" for block in CONSOLE)
