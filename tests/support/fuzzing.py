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
        result = runner.invoke(app, ["validate", str(folder)], catch_exceptions=True)
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
