"""The `deviation` command line: a thin shell over the library.

Each module below registers its commands on ``app`` when imported.
"""

from .app import app, main
from . import (  # noqa: E402,F401  (each module registers its commands)
    validate_command,
    query_commands,
    render_commands,
    edit_commands,
    tracking_commands,
    exchange_commands,
)

__all__ = ["app", "main"]
