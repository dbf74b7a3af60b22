"""Text a spreadsheet would run as a formula (CSV injection), kept as text on the way out and back.

Apart from ``tables`` so that a CSV listing does not load the readers of workbooks.
"""

from __future__ import annotations

#: Starts of text a spreadsheet runs as a formula; see ``guard_formula``.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula, kept as text with a leading ``'`` (as OWASP advises).

    Also ``'=...``: so that removing one ``'`` on import (``unguard_formula``) gives the text back.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguard_formula(value: str) -> str:
    """A cell without the ``'`` that ``guard_formula`` put before text a spreadsheet would run."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value
