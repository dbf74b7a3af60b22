"""Copies of the qinghe register with small edits, for validate/schema/diff tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.paths import QINGHE


def edited_register(folder: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> Path:
    """Copy qinghe into ``folder`` and apply ``{file: [(old, new), ...]}``; each old must occur once."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("tasks.yaml", "units.yaml"):
        shutil.copyfile(QINGHE / name, folder / name)
    edit(folder, edits or {})
    return folder


def edit(folder: Path, edits: dict[str, list[tuple[str, str]]]) -> None:
    for name, replacements in edits.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
