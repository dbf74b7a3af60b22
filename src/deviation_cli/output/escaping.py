"""Text from a register made safe for where it is shown: a terminal, a Markdown cell, HTML.

Register text is data: it may hold ESC (a YAML ``"\\e"``), ``|`` or ``<script>``,
and none of them may drive the terminal, break a table or become markup.
"""

from __future__ import annotations

import unicodedata


def terminal_safe(text: str) -> str:
    """Text with control characters shown as <U+001B>, so data cannot drive the terminal.

    Why: YAML's ``"\\e"`` puts ESC into a value, and ``ESC]0;…`` or colour codes
    printed raw would retitle or repaint the user's terminal.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char in "\n\t" or unicodedata.category(char) != "Cc" else f"<U+{ord(char):04X}>"
        for char in text
    )


def markdown_escape(text: str) -> str:
    """A Markdown table cell: no broken columns, no control characters."""
    text = terminal_safe(text.replace("\r", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def html_escape(text: str) -> str:
    """Text that a Markdown renderer shows as written, never as HTML (``<script>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
