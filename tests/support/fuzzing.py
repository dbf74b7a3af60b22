"""Mutating a register's YAML, and checking that `deviation validate` survives the result.

Shared by the bounded fuzz in the suite (tests/test_fuzz.py) and the long run
(scripts/fuzz.py). A mutation is a pure function of (text, random.Random), so a
seed reproduces a case exactly.

The contract checked for every run (SECURITY.md, "bounded resources"):
exit code 0, 1 or 2; a message on stderr when it is not 0; never a Python
traceback; within a time bound; within a memory bound.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from support.paths import ROOT

HANZHONG = ROOT / "data"
FILES = ("tasks.yaml", "units.yaml")

#: Per-run bounds. The shipped register validates in ~50 ms and under 1 MiB (traced); a
#: mutated copy of it may not take a hundred times that (the read-buffer bug peaked at 256 MiB).
TIME_LIMIT_SECONDS = 5.0
MEMORY_LIMIT_BYTES = 64 * 1024 * 1024


def copy_register(folder: Path, source: Path = HANZHONG, **replace: bytes | str) -> Path:
    """A copy of a register in ``folder``, with ``tasks=``/``units=`` content replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        key = name.split(".")[0]
        if key in replace:
            content = replace[key]
            (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        else:
            shutil.copyfile(source / name, folder / name)
    return folder


# --- byte mutations --------------------------------------------------------------------------

SPECIAL_BYTES = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\t",
    b"\r",
    b"\r\n",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xe4\xb8",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"!!binary ",
    b"! ",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b": ",
    b"- ",
    b"? ",
    b"|",
    b">",
    b"'",
    b'"',
    b"#",
    b"@",
    b"`",
    b"\\",
    b"\xe2\x80\x8b",
    b"\xe3\x80\x80",
    b"\xef\xbc\x9a",
    b"\x1b[31m",
    b"<script>alert(1)</script>",
    b"{{ 7*7 }}",
    b"\xf0\x9f\x98\x80",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"9" * 40,
    b"-1",
    b"0x10",
    b"1e9999",
    b".nan",
    b"~",
    b"null",
    b"yes",
    b"no",
]


def _offset(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: _offset(data, rng)]


def insert_special(data: bytes, rng: random.Random) -> bytes:
    at = _offset(data, rng)
    return data[:at] + rng.choice(SPECIAL_BYTES) + data[at:]


def insert_random_bytes(data: bytes, rng: random.Random) -> bytes:
    at = _offset(data, rng)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[at:]


def insert_random_unicode(data: bytes, rng: random.Random) -> bytes:
    at = _offset(data, rng)
    chars = []
    for _ in range(rng.randint(1, 8)):
        code = rng.choice(
            [
                rng.randrange(0x20, 0x7F),
                rng.randrange(0x80, 0x800),
                rng.randrange(0x3000, 0xA000),
                rng.randrange(0xE000, 0x110000),
                rng.choice([0x200B, 0x200E, 0x2028, 0x2029, 0xFEFF, 0x85]),
            ]
        )
        chars.append(chr(code))
    return data[:at] + "".join(chars).encode("utf-8", "surrogatepass") + data[at:]


def delete_bytes(data: bytes, rng: random.Random) -> bytes:
    at = _offset(data, rng)
    return data[:at] + data[at + rng.randint(1, 64) :]


BYTE_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    flip_bits,
    truncate,
    insert_special,
    insert_random_bytes,
    insert_random_unicode,
    delete_bytes,
]


# --- structural mutations (line-based, on the text) ------------------------------------------

SCALAR_REPLACEMENTS = [
    "[]",
    "{}",
    "[a, b]",
    "{a: b}",
    "- x",
    "~",
    "null",
    "''",
    '""',
    "&anchor x",
    "*anchor",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!int 3",
    "!!float 1.5",
    "!!bool yes",
    "!!timestamp 2023-06-30",
    "!!set {a}",
    "!!omap [a: 1]",
    "!local x",
    "|\n  block",
    ">\n  folded",
    "2023-02-30",
    "010",
    "0",
    "-5",
    "1e3",
    "yes",
    "no",
    "on",
    "<b>x</b>",
    "x" * 2000,
    "等",
    "等不存在的组",
    "２０２３年６月底",
    "2023年13月底",
    "2023年6月",
    "持续推进",
    "? complex key",
]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def move_block(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 12)]
    del lines[start : start + len(block)]
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = block
    return "\n".join(lines)


def reindent_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    stripped = lines[at].lstrip(" ")
    lines[at] = " " * rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 40]) + stripped
    return "\n".join(lines)


def replace_scalar(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ": " in line or line.lstrip().startswith("- ")]
    if not candidates:
        return text
    at = rng.choice(candidates)
    line = lines[at]
    head = line[: line.index(": ") + 2] if ": " in line else line[: line.index("- ") + 2]
    lines[at] = head + rng.choice(SCALAR_REPLACEMENTS)
    return "\n".join(lines)


def anchor_and_alias(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ": " in line]
    if len(keyed) < 2:
        return text
    a, b = sorted(rng.sample(keyed, 2))
    head_a = lines[a][: lines[a].index(": ") + 2]
    lines[a] = head_a + "&x " + lines[a][len(head_a) :]
    head_b = lines[b][: lines[b].index(": ") + 2]
    lines[b] = head_b + "*x"
    return "\n".join(lines)


def insert_tag(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ": " in line]
    if not keyed:
        return text
    at = rng.choice(keyed)
    head = lines[at][: lines[at].index(": ") + 2]
    tag = rng.choice(
        ["!!python/object:os.system ", "!!python/name:os.system ", "!!str ", "!!map ", "!foo ", "!!binary "]
    )
    lines[at] = head + tag + lines[at][len(head) :]
    return "\n".join(lines)


def crlf(text: str, rng: random.Random) -> str:
    return text.replace("\n", "\r\n")


def tabs_for_spaces(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    lines[at] = lines[at].replace("  ", "\t", 1)
    return "\n".join(lines)


STRUCTURE_MUTATIONS: list[Callable[[str, random.Random], str]] = [
    delete_line,
    duplicate_line,
    swap_lines,
    move_block,
    reindent_line,
    replace_scalar,
    anchor_and_alias,
    insert_tag,
    crlf,
    tabs_for_spaces,
]


@dataclass
class Case:
    """One mutated register: which file, which mutations, the bytes to write."""

    seed: int
    file: str
    steps: list[str]
    content: bytes


def make_case(seed: int, source: Path = HANZHONG) -> Case:
    """The mutated file for ``seed``: 1–3 structural or byte mutations of one register file."""
    rng = random.Random(seed)
    file = rng.choice(FILES)
    data = (source / file).read_bytes()
    steps = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            mutation = rng.choice(STRUCTURE_MUTATIONS)
            text = data.decode("utf-8", "surrogateescape")
            data = mutation(text, rng).encode("utf-8", "surrogateescape")
        else:
            mutation = rng.choice(BYTE_MUTATIONS)
            data = mutation(data, rng)
        steps.append(mutation.__name__)
    return Case(seed, file, steps, data)


# --- running and judging --------------------------------------------------------------------


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int | None
    exception: BaseException | None


class Hang(Exception):
    """Raised by the alarm when one run goes far past the time bound."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang(f"still running after {HANG_SECONDS} s")


#: A run still going after this long is stopped and reported as a hang.
HANG_SECONDS = 60


def run_validate(folder: Path, measure_memory: bool = False) -> Outcome:
    """`deviation validate FOLDER` in-process, as CliRunner sees it; exceptions are kept, not raised."""
    return _invoke(["validate", str(folder)], measure_memory)


def run_validate_process(folder: Path, memory_limit: int = 1024 * 2**20) -> Outcome:
    """`python -m deviation_cli validate FOLDER` as a real process, with an address-space cap."""
    import subprocess
    import sys

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "deviation_cli", "validate", str(folder)],
            capture_output=True,
            text=True,
            timeout=HANG_SECONDS,
            preexec_fn=limit if sys.platform != "win32" else None,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        return Outcome(-1, "", "", time.perf_counter() - start, None, Hang(f"still running after {HANG_SECONDS} s"))
    return Outcome(done.returncode, done.stdout, done.stderr, time.perf_counter() - start, None, None)


def problems(outcome: Outcome) -> list[str]:
    """What breaks the contract in one run; empty when the run is fine."""
    found = []
    if outcome.exception is not None:
        found.append(f"exception {type(outcome.exception).__name__}: {outcome.exception}")
    if outcome.exit_code not in (0, 1, 2):
        found.append(f"exit code {outcome.exit_code}")
    if outcome.exit_code != 0 and not outcome.stderr.strip():
        found.append("non-zero exit without a message on stderr")
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        found.append("traceback in the output")
    if outcome.seconds > TIME_LIMIT_SECONDS:
        found.append(f"took {outcome.seconds:.1f} s (limit {TIME_LIMIT_SECONDS} s)")
    if outcome.peak_bytes is not None and outcome.peak_bytes > MEMORY_LIMIT_BYTES:
        found.append(f"peak memory {outcome.peak_bytes // 2**20} MiB (limit {MEMORY_LIMIT_BYTES // 2**20} MiB)")
    return found


# --- beyond the register: tables, templates, concurrent appends --------------------------------
# The same contract for `import xlsx|csv` and `render --templates`: exit 0/1/2, a message when not 0,
# no traceback, within the time and memory bounds. Concurrent `record` runs must keep every report.

#: Parts of a table file (bytes) a mutation may aim at; the rest of the file stays as exported.
XML_INSERTS = [
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b"&undefined;",
    b"\x01",
    b"<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>",
    b"<row r='1048576'/>",
    b"<mergeCell ref='A1:XFD1048576'/>",
    b"<![CDATA[",
    b"</sheetData>",
    b"_x0000_",
]


def _xlsx_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One change to one XML part of a workbook (an insert, a cut, a bit flip), or to the zip's own bytes."""
    import io
    import zipfile

    if rng.random() < 0.15:
        return flip_bits(data, rng), "zip_bytes"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as old:
            names = old.namelist()
            target = rng.choice([n for n in names if n.endswith(".xml")] or names)
            parts = {name: old.read(name) for name in names}
    except Exception:  # an earlier step broke the zip itself (bad CRC, version, deflate data, ...)
        return flip_bits(data, rng), "zip_bytes"
    text = parts[target]
    how = rng.choice(["insert", "truncate", "flip", "duplicate"])
    if how == "insert":
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(XML_INSERTS) + text[at:]
    elif how == "truncate":
        text = text[: rng.randrange(len(text) + 1)]
    elif how == "flip":
        text = flip_bits(text, rng)
    else:
        start = rng.randrange(len(text) + 1)
        piece = text[start : start + rng.randint(1, 400)]
        text = text[:start] + piece * rng.randint(2, 50) + text[start:]
    parts[target] = text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in parts.items():
            new.writestr(name, content)
    return buffer.getvalue(), f"{how}:{target}"


CSV_INSERTS = [
    b'"',
    b'""',
    b",",
    b";",
    b"\t",
    b"\r",
    b"\n",
    b"\x00",
    b"=cmd|' /C calc'!A0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


def _csv_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    how = rng.random()
    if how < 0.4:
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(CSV_INSERTS) * rng.randint(1, 3) + data[at:], "insert"
    if how < 0.55:
        at = rng.randrange(len(data) + 1)
        return data[:at] + b'"' + b"x" * rng.choice([10, 1000, 140_000]) + data[at:], "long_cell"
    if how < 0.7:
        lines = data.split(b"\n")
        line = rng.choice(lines)
        return b"\n".join(lines + [line] * rng.randint(1, 200)), "many_rows"
    mutation = rng.choice(BYTE_MUTATIONS)
    return mutation(data, rng), mutation.__name__


@dataclass
class TableCase:
    seed: int
    kind: str  # xlsx | csv
    steps: list[str]
    content: bytes


def make_table_case(seed: int, kind: str, base: bytes) -> TableCase:
    """An exported table (``base``) changed 1-3 times: XML parts of a workbook, bytes and lines of a CSV."""
    rng = random.Random(seed)
    steps = []
    data = base
    for _ in range(rng.randint(1, 3)):
        data, step = (_xlsx_mutation if kind == "xlsx" else _csv_mutation)(data, rng)
        steps.append(step)
    return TableCase(seed, kind, steps, data)


#: Pieces of template a fuzz case strings together: printing, loops, formats, padding, growth, internals.
TEMPLATE_PIECES = [
    "{{ document.title }}",
    "{% for t in tasks %}{{ t.id }} {{ t.text|md }}\n{% endfor %}",
    "{% for i in range(N) %}{% for j in range(N) %}{% endfor %}{% endfor %}",
    "{{ '{:>N}'.format(1) }}",
    "{{ '{:{}}'.format(1, N) }}",
    "{{ '%Nd' % 1 }}",
    "{{ '%Nd' | format(1) }}",
    "{{ 'x'.center(N) }}",
    "{{ 'x' | center(N) }}",
    "{{ 'x' | indent(N) }}",
    "{{ 'x' * N }}",
    "{{ [0] * N }}",
    "{{ 2 ** N }}",
    "{% set ns = namespace(s='xy') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='xy') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{{ ('x' * 1000).replace('x', 'y' * N) }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum(N) }}",
    "{% for t in tasks %}{% for u in tasks %}{% for v in tasks %}{% endfor %}{% endfor %}{% endfor %}",
    "{{ undefined_name }}",
    "{% include '_letterhead.md' %}",
    "{% if %}",
    "{{ 1 / 0 }}",
]
TEMPLATE_NUMBERS = [0, 1, 7, 100, 10_000, 100_000, 2_000_000_000, -5]


def make_template_case(seed: int) -> tuple[str, list[str]]:
    """A template of 1-4 pieces, each with a number drawn from small to absurd."""
    rng = random.Random(seed)
    pieces = [
        rng.choice(TEMPLATE_PIECES).replace("N", str(rng.choice(TEMPLATE_NUMBERS))) for _ in range(rng.randint(1, 4))
    ]
    return "# 模板\n" + "\n".join(pieces) + "\n", pieces


def run_command(args: list[str], measure_memory: bool = False) -> Outcome:
    """Any `deviation ARGS` in-process (in English), judged like `validate` (exceptions kept, a hang stopped)."""
    return _invoke(["--lang", "en", *args], measure_memory)


def _invoke(args: list[str], measure_memory: bool) -> Outcome:
    """``deviation ARGS`` through CliRunner, timed, under a hang alarm, with its memory peak when asked."""
    from deviation_cli.cli import app

    runner = CliRunner()
    alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(HANG_SECONDS)
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = runner.invoke(app, args, catch_exceptions=True)
    finally:
        seconds = time.perf_counter() - start
        peak = None
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    exception = result.exception if not isinstance(result.exception, (SystemExit, type(None))) else None
    return Outcome(result.exit_code, result.stdout, result.stderr, seconds, peak, exception)


def _record_child(folder: str, number: int, start, results) -> None:  # pragma: no cover - in a child
    start.wait()
    run = CliRunner().invoke(
        __import__("deviation_cli.cli", fromlist=["app"]).app,
        ["--data", folder, "record", "1", "--unit", "县水利局", "--status", "推进中", "--note", f"第{number}次"],
    )
    results.put(run.exit_code)


def concurrent_records(folder: Path, count: int) -> tuple[list[int], int]:
    """``count`` forked processes each record one report on the Qinghe register in ``folder`` at once.

    Returns their exit codes and how many reports the folder then holds.
    """
    import multiprocessing

    from deviation_cli.store.load import load_register
    from deviation_cli.store.progress_log import load_progress

    before = len(load_progress(load_register(folder)).reports) if (folder / "progress.yaml").exists() else 0
    context = multiprocessing.get_context("fork")
    start = context.Barrier(count)
    results = context.Queue()
    children = [context.Process(target=_record_child, args=(str(folder), n, start, results)) for n in range(count)]
    for child in children:
        child.start()
    codes = [results.get(timeout=HANG_SECONDS) for _ in children]
    for child in children:
        child.join(timeout=HANG_SECONDS)
    return codes, len(load_progress(load_register(folder)).reports) - before
