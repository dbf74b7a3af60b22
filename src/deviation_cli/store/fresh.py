"""A register folder's files read and validated now, and the cache written: what a load does on a miss.

Imported late by ``store.load`` and ``store.listing``, only when no cache entry
answers: it brings pydantic (through the validation pipeline) and the
register's records, which a query answered from the cache never needs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..domain.issues import RegisterInvalid
from ..domain.register import Register
from ..formats import register_cache, register_index
from ..formats.register_files import REGISTER_FILES, display_path, read_bytes
from ..formats.text_encoding import decode_register_bytes
from ..validation.pipeline import Report, Stages, validate_texts
from .load import keep

#: Makes the progress display for a long validation, given the folder's name; None draws nothing.
ProgressDisplay = Callable[[str], Stages | None]

#: From this many characters of YAML on (about 5,000 tasks, 4 MB, a second or more), validation shows progress.
PROGRESS_CHARACTERS = 1_500_000


def read_files(folder: Path) -> list[bytes]:
    """The bytes of the register's files, in ``REGISTER_FILES`` order."""
    return [read_bytes(folder / name) for name in REGISTER_FILES]


def validate(folder: Path, raws: list[bytes], progress: ProgressDisplay | None) -> Report:
    """Every issue of the files' bytes, and the register when there is no error."""
    shown = {name: display_path(folder / name) for name in REGISTER_FILES}
    texts = {name: decode_register_bytes(raw, shown[name]) for name, raw in zip(REGISTER_FILES, raws)}
    stages = None
    if progress is not None and sum(len(text) for text in texts.values()) >= PROGRESS_CHARACTERS:
        stages = progress(display_path(folder))
    try:
        return validate_texts(folder, texts, shown, stages)
    finally:
        if stages is not None:
            stages.close()


def validated(folder: Path, *, cache: bool, progress: ProgressDisplay | None) -> tuple[Register, str | None]:
    """The register of ``folder``, validated now, and the key of the cache entry written for it (None: none).

    Raises RegisterInvalid with every error when there is one.
    """
    raws = read_files(folder)
    report = validate(folder, raws, progress)
    if report.register is None:
        raise RegisterInvalid(report.errors)
    key = None
    if cache and register_index.enabled():
        key = register_index.content_key(raws)
        if not register_cache.store(folder, key, report.register):
            key = None
    return keep(report.register), key
