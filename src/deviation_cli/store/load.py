"""Loading a register folder: its files' bytes, the cache of a register validated before, or validation.

``validate_folder`` always checks everything and says what it found;
``load_register`` hands out a valid register, from the cache when the files
have not changed since they were last validated.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.issues import Issue, RegisterInvalid
from ..domain.register import Register
from ..formats import register_cache
from ..formats.register_files import INDICATORS_FILE, OBSERVATIONS_FILE, REGISTER_FILES, display_path, read_bytes
from ..formats.text_encoding import decode_register_bytes
from .folders import check_folder, find_register_folder

if TYPE_CHECKING:
    from ..validation.pipeline import Report, Stages

#: Makes the progress display for a long validation, given the folder's name; None draws nothing.
ProgressDisplay = Callable[[str], "Stages | None"]

#: From this many characters of YAML on (about 5,000 tasks, 4 MB, a second or more), validation shows progress.
PROGRESS_CHARACTERS = 1_500_000


def validate_folder(
    data: str | os.PathLike[str] | None = None,
    tracking: bool = True,
    *,
    cache: bool = False,
    progress: ProgressDisplay | None = None,
) -> Report:
    """Read and check a register folder, collecting every issue in one pass.

    With ``tracking``, the folder's progress reports and indicator files (when
    present) are checked too; their problems fail validation but do not stop
    the register itself from loading.

    Raises RegisterUnreadable when a file cannot be read at all (exit 2);
    problems inside readable files are returned in the report (exit 1).
    With ``cache``, a valid register is also written to the cache (see
    ``formats.register_cache``) so that the next query skips validation;
    validating never reads the cache.
    """
    folder = find_register_folder(data)
    check_folder(folder)
    raws = _read_files(folder)
    report = _validate(folder, raws, progress)
    if report.register is not None:
        report.register = _keep(report.register)
        if tracking:
            shown = {name: display_path(folder / name) for name in REGISTER_FILES}
            check_tracking_files(folder, report.register, report.issues)
            report.sort(shown)
        if cache and register_cache.enabled():
            register_cache.store(folder, register_cache.content_key(raws), report.register)
    return report


def load_register(
    data: str | os.PathLike[str] | None = None, *, cache: bool = False, progress: ProgressDisplay | None = None
) -> Register:
    """The validated register of a folder (see ``store.folders.find_register_folder`` for the lookup).

    With ``cache`` (the CLI's default, off with ``--no-cache``), a register
    validated before from the same bytes is read back from the user's cache
    folder instead of being validated again (see ``formats.register_cache``).

    >>> from deviation_cli import load_register
    >>> register = load_register()
    >>> [task.id for task in register.tasks if task.lead == "市审计局"]
    [2]
    """
    folder = find_register_folder(data)
    check_folder(folder)
    raws = _read_files(folder)
    key = None
    if cache and register_cache.enabled():
        key = register_cache.content_key(raws)
        hit = register_cache.load(folder, key)
        if hit is not None:
            return _keep(hit)
    report = _validate(folder, raws, progress)
    if report.register is None:
        raise RegisterInvalid(report.errors)
    if key is not None:
        register_cache.store(folder, key, report.register)
    return _keep(report.register)


def check_tracking_files(folder: Path, register: Register, issues: list[Issue]) -> None:
    """Add the problems of a register folder's progress, indicators and observations files."""
    from .indicator_files import check_indicators, check_observations  # lazy: pydantic
    from .progress_log import check_progress, progress_files  # lazy: pydantic

    check_progress(progress_files(folder), register, issues)
    indicators = []
    if (folder / INDICATORS_FILE).is_file():
        indicators = check_indicators(folder / INDICATORS_FILE, register, issues)
    if (folder / OBSERVATIONS_FILE).is_file():
        check_observations(folder / OBSERVATIONS_FILE, indicators, issues)


def _read_files(folder: Path) -> list[bytes]:
    return [read_bytes(folder / name) for name in REGISTER_FILES]


def _validate(folder: Path, raws: list[bytes], progress: ProgressDisplay | None) -> Report:
    from ..validation.pipeline import validate_texts  # lazy: pydantic, only when the cache misses

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


#: From this many tasks on, a loaded register is moved out of the garbage collector's sight.
FREEZE_TASKS = 5000


def _keep(register: Register) -> Register:
    """Hand out a register; a large one is frozen out of the cyclic garbage collector.

    Why: its million objects were made with the collector paused, so they all
    sit in the youngest generation; the first collections after it resumes
    would walk every one of them, again and again as generations fill, while
    the query allocates its output. None of them is part of a cycle
    (refcounting frees them), so ``gc.freeze`` costs nothing but those walks.
    """
    if len(register.tasks) >= FREEZE_TASKS:
        gc.freeze()
    return register
