"""File names made from what a register says (a unit's name, a period): readable, and safe on Windows.

One rule for every file the tool names (documents, site pages, forms): Chinese is
kept, so a clerk finds 填报表-市发改委-2023-07-31.xlsx by reading it; path separators,
the characters Windows forbids (``\\ / : * ? " < > |``), control characters and spaces
become ``_``; a name is at most 80 characters; two names that differ only in case (one
file on Windows and macOS) are numbered ``-2``, ``-3``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNSAFE_FILE_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
#: Names Windows reserves for devices, whatever the extension: CON.xlsx cannot be created.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)
MAX_STEM_CHARS = 80


def file_slug(name: str) -> str:
    """A file name (without extension) for a name: Chinese kept, separators and controls replaced."""
    slug = _UNSAFE_FILE_CHARACTERS.sub("_", name).strip("._") or "_"
    slug = slug[:MAX_STEM_CHARS]
    return f"{slug}_" if slug.lower() in _RESERVED else slug


def unique_stems(names: Iterable[str], stem: Iterable[str] | None = None) -> dict[str, str]:
    """A file stem for each name (``stem``: the stems to start from, default ``file_slug`` of each),
    unique ignoring case: a clash gets ``-2``, ``-3``."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    listed = list(names)
    starts = list(stem) if stem is not None else [file_slug(name) for name in listed]
    for name, start in zip(listed, starts):
        candidate, number = start, 2
        while candidate.lower() in taken:
            candidate, number = f"{start}-{number}", number + 1
        taken.add(candidate.lower())
        chosen[name] = candidate
    return chosen
