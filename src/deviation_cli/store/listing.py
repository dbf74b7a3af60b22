"""A listing's question put to a register's index: its cache file when fresh, else one made now.

``with_index`` hands ``ask`` the index of a folder and returns its answer. With
a fresh cache entry that is the cache file itself, and nothing is validated or
built: ``due`` on 100,000 tasks reads the milestones in its range through the
index on their dates. Without one (or with a damaged one) the folder is
validated now, its cache entry written, and the question asked of that; with
the cache off, of the same tables built in memory. Either way the answer comes
from the same queries (``formats.register_index``), which tests hold to
``domain.query``'s on every kind of register.

Why a separate path from ``store.load``: a cached query on the shipped register
must start about as fast as Python imports typer, and building the register's
records (dataclasses, units, headings) costs more than the query itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..formats.register_files import REGISTER_FILES, size_limit
from ..formats.register_index import CacheDamaged, RegisterIndex, cache_file, enabled, file_key
from .folders import check_folder, find_register_folder

if TYPE_CHECKING:
    from .fresh import ProgressDisplay

Answer = TypeVar("Answer")


def with_index(
    data: str | os.PathLike[str] | None,
    ask: Callable[[RegisterIndex], Answer],
    *,
    cache: bool = False,
    progress: ProgressDisplay | None = None,
) -> Answer:
    """``ask`` the index of the register folder ``data`` (found as ``load_register`` finds it).

    ``ask`` must only read: it may run twice, when a cache file turns out damaged
    part-way and the folder is validated instead. Raises what loading raises
    (RegisterUnreadable, RegisterInvalid) and whatever ``ask`` raises.
    """
    folder = find_register_folder(data)
    check_folder(folder)
    if cache and enabled():
        key = file_key([folder / name for name in REGISTER_FILES], size_limit())
        index = _open(folder, key) if key is not None else None
        if index is not None:
            with index:
                try:
                    return ask(index)
                except CacheDamaged:
                    pass
    from .fresh import validated  # lazy: pydantic, only when no cache entry answers

    register, key = validated(folder, cache=cache, progress=progress)
    index = _open(folder, key) if key is not None else None
    with index if index is not None else RegisterIndex.of(register) as fresh:
        return ask(fresh)


def _open(folder: Path, key: str) -> RegisterIndex | None:
    try:
        return RegisterIndex.open(cache_file(folder), key)
    except Exception:  # e.g. no home folder to find the cache in: no cache, no error
        return None
