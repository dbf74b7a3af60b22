"""The register a command works on: the folder --data / $DEVIATION_DATA / ./data / bundled names, whole or in part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..domain.query import Scope
from ..domain.register import Register
from ..store.load import load_scoped
from .app import note_source, settings
from .progress_bar import live_stages


def load(scope_of: Callable[[Register], Scope] | None = None) -> Register:
    """The register, validated or from the cache; with ``scope_of``, from the cache only the tasks it keeps.

    ``scope_of`` (``domain.query.unit_scope``, ``filter_scope``) lets a query on a large
    register read a few thousand tasks instead of all of them; the query's answer is the same.
    """
    register = load_scoped(settings.data, scope_of, cache=settings.cache, progress=live_stages)
    settings.words = register.plan.words()
    note_source(Path(register.folder), register.document.title)
    return register
