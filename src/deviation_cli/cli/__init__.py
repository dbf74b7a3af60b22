"""The `deviation` command line: a thin shell over the library.

Each module below registers its commands on ``app`` when imported.
"""

from .app import app, main
from . import validate_command, query_commands, render_commands  # noqa: E402,F401  (register commands)

__all__ = ["app", "main"]
