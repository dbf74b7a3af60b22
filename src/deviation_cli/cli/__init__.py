"""The `deviation` command line: a thin shell over the library.

Each module below registers its commands on ``app`` when imported.
"""

from .app import app, main
from . import validate_command, query_commands, tracking_commands, exchange_commands, edit_commands  # noqa: E402,F401  (register commands)

__all__ = ["app", "main"]
