"""deviation: a version-controlled task register of a policy's 任务分解表.

>>> from deviation_cli import load_register
>>> register = load_register()          # --data / $DEVIATION_DATA / ./data / bundled
>>> len(register.tasks)
23
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_register", "validate_folder", "__version__"]

if TYPE_CHECKING:
    from .load import load_register, validate_folder


def __getattr__(name: str) -> Any:
    # Imported on first use so that `deviation --version` stays instant.
    if name in ("load_register", "validate_folder"):
        from . import load

        return getattr(load, name)
    raise AttributeError(name)
