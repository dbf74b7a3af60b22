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
from .collector import keep

#: Makes the progress display for a long validation, given the folder's name; None draws nothing.
ProgressDisplay = Callable[[str], Stages | None]

#: From this many characters of YAML on (about 5,000 tasks, 4 MB, a second or more), validation shows progress.
PROGRESS_CHARACTERS = 1_500_000


def read_files(folder: Path) -> list[bytes]:
    """The bytes of the register's files, in ``REGISTER_FILES`` order."""
    return [read_bytes(folder / name) for name in REGISTER_FILES]


def read_texts(folder: Path, cache: bool = True) -> tuple[dict[str, str], str | None]:
    """The register's files as text, and (with ``cache``) the cache key of their bytes.

    Why together: the bytes of a large register (90 MB) are let go as soon as they
    are hashed and decoded, instead of being held while the text is validated.
    """
    texts = {}
    raws = read_files(folder)
    key = register_index.content_key(raws) if cache and register_index.enabled() else None
    for name in REGISTER_FILES:
        texts[name] = decode_register_bytes(raws.pop(0), display_path(folder / name))
    return texts, key


def validate(folder: Path, texts: dict[str, str], progress: ProgressDisplay | None) -> Report:
    """Every issue of the files' texts, and the register when there is no error.

    Takes the texts over: each is let go once parsed (``validate_texts``).
    """
    shown = {name: display_path(folder / name) for name in REGISTER_FILES}
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
    texts, key = read_texts(folder, cache)
    report = validate(folder, texts, progress)
    if report.register is None:
        raise RegisterInvalid(report.errors)
    if key is None or not register_cache.store(folder, key, report.register):
        return keep(report.register), None
    return keep(report.register), key
