"""The `deviation` command line: a thin shell over the library, and the only layer that prints or exits.

Each module below registers its commands on ``app`` when imported, in the
order ``--help`` lists them.
"""

# isort: off
from . import validate_command  # noqa: F401
from . import query_commands  # noqa: F401
from . import render_commands  # noqa: F401
from . import schema_command  # noqa: F401
from . import diff_command  # noqa: F401
from . import tracking_commands  # noqa: F401
from . import exchange_commands  # noqa: F401
from . import init_command  # noqa: F401

# isort: on
from .app import app, main

__all__ = ["app", "main"]
