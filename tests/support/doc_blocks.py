"""Find the examples in README.md and docs/**/*.md: fenced blocks, with where they start.

The convention the blocks follow is described in tests/docs/test_doc_examples.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # tests/support/ → the repository
DOCS = ROOT / "docs"
# Generated from --help, checked by test_cli_reference.py; it has no examples to run.
GENERATED = {DOCS / "reference" / "cli.md"}

_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_TITLE = re.compile(r"""title=["']([^"']+)["']""")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # the line of the opening fence, from 1
    indent: str  # of the opening fence: a block inside a list item is indented
    lang: str
    title: str | None
    text: str  # the block's content, indentation removed, ending with "\n" unless empty

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"


def documentation_files() -> list[Path]:
    pages = sorted(path for path in DOCS.rglob("*.md") if path not in GENERATED)
    return [ROOT / "README.md", *pages]


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip()
        lang = info.split()[0].strip("{}.") if info else ""
        title = _TITLE.search(info)
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip() != fence:
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip(" "))
            index += 1
        start = index - len(body)  # the opening fence's line number, counted from 1
        found.append(Block(path, start, indent, lang, title[1] if title else None, "".join(f"{b}\n" for b in body)))
        index += 1
    return found


def all_blocks(lang: str) -> list[Block]:
    return [block for path in documentation_files() for block in blocks(path) if block.lang == lang]
