"""deviation: a version-controlled task register of a policy's 任务分解表.

>>> from deviation_cli import load_register
>>> register = load_register()          # --data / $DEVIATION_DATA / ./data / bundled
>>> len(register.tasks)
23
"""

from __future__ import annotations

from ._version import __version__
from .store.load import load_register, validate_folder

__all__ = ["load_register", "validate_folder", "__version__"]
