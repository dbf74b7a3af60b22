"""Loading a register folder: the cache of a register validated before, or validation.

``validate_folder`` always checks everything and says what it found;
``load_register`` hands out a valid register, from the cache when the files
have not changed since they were last validated; ``load_scoped`` hands out the
part of it a query can answer with, reading only that part from the cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.issues import Issue
from ..domain.query import Scope
from ..domain.register import Register
from ..formats import register_cache, register_index
from ..formats.register_files import INDICATORS_FILE, OBSERVATIONS_FILE, REGISTER_FILES, display_path, size_limit
from .collector import keep
from .folders import check_folder, find_register_folder

if TYPE_CHECKING:
    from ..validation.pipeline import Report
    from .fresh import ProgressDisplay


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
    ``formats.register_index``) so that the next query skips validation;
    validating never reads the cache.
    """
    from .fresh import read_texts, validate  # lazy: pydantic

    folder = find_register_folder(data)
    check_folder(folder)
    texts, key = read_texts(folder, cache)
    report = validate(folder, texts, progress)
    if report.register is not None:
        report.register = keep(report.register)
        if tracking:
            shown = {name: display_path(folder / name) for name in REGISTER_FILES}
            check_tracking_files(folder, report.register, report.issues)
            report.sort(shown)
        if key is not None:
            register_cache.store(folder, key, report.register)
    return report


def load_register(
    data: str | os.PathLike[str] | None = None, *, cache: bool = False, progress: ProgressDisplay | None = None
) -> Register:
    """The validated register of a folder (see ``store.folders.find_register_folder`` for the lookup).

    With ``cache`` (the CLI's default, off with ``--no-cache``), a register
    validated before from the same bytes is read back from the user's cache
    folder instead of being validated again (see ``formats.register_index``).

    >>> from deviation_cli import load_register
    >>> register = load_register()
    >>> [task.id for task in register.tasks if task.lead == "市审计局"]
    [2]
    """
    return load_scoped(data, None, cache=cache, progress=progress)


def load_scoped(
    data: str | os.PathLike[str] | None = None,
    scope_of: Callable[[Register], Scope] | None = None,
    *,
    cache: bool = False,
    progress: ProgressDisplay | None = None,
) -> Register:
    """The register of a folder, holding at least the tasks a query can answer with.

    ``scope_of`` is given the register without its tasks and says which tasks the
    query may keep (``domain.query.unit_scope``, ``filter_scope``). From the cache
    only those tasks are read; everything else (document, plan, headings, units,
    groups) is whole, so the query's answer is the one the whole register gives.
    Without a fresh cache entry the whole register is validated (and cached) instead.
    """
    folder = find_register_folder(data)
    check_folder(folder)
    if cache and register_index.enabled():
        key = register_index.file_key([folder / name for name in REGISTER_FILES], size_limit())
        index = register_cache.open_index(folder, key) if key is not None else None
        if index is not None:
            with index:
                try:
                    skeleton = register_cache.skeleton(index, str(folder))
                    scope = scope_of(skeleton) if scope_of is not None else None
                    return keep(register_cache.narrowed(index, str(folder), scope, skeleton))
                except register_index.CacheDamaged:
                    pass
    from .fresh import validated  # lazy: pydantic, only when no cache entry answers

    return validated(folder, cache=cache, progress=progress)[0]


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
