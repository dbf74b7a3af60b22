"""The `deviation` command line: a thin shell over the library, and the only layer that prints or exits.

Each command lives in one of the modules beside this one and registers itself on ``app``
when its module is imported. ``app.COMMAND_MODULES`` names the module of every command, in
the order ``--help`` lists them; the command line imports a module only when one of its
commands runs (or ``--help`` lists them all), so a query does not pay for the documents,
exchange and tracking code it never uses.
"""

from .app import app, main

__all__ = ["app", "main"]
