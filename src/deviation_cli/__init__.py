"""deviation: a version-controlled task register of a policy's 任务分解表.

>>> from deviation_cli import load_register
>>> register = load_register()          # --data / $DEVIATION_DATA / ./data / bundled
>>> len(register.tasks)
23
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .store.load import load_register, validate_folder

__all__ = ["load_register", "validate_folder", "__version__"]


def __getattr__(name: str) -> Any:
    """``load_register`` and ``validate_folder``, imported when first asked for.

    Why: every ``deviation`` command imports this package first, and the loader
    brings the register's records, which ``deviation due`` answered from the
    cache never builds (``store.listing``).
    """
    if name == "load_register":
        from .store.load import load_register  # lazy: start-up

        return load_register
    if name == "validate_folder":
        from .store.load import validate_folder  # lazy: start-up

        return validate_folder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
