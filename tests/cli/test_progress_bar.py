"""The progress bar: drawn only on a terminal, erased when done, shown for large registers only."""

from __future__ import annotations

import io
import sys

from deviation_cli.store import fresh, load
from support.paths import QINGHE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal_and_erases_itself(monkeypatch):
    from deviation_cli.cli.progress_bar import Bar, progress_bar

    plain = io.StringIO()
    with progress_bar("x", 10, stream=plain) as bar:
        for _ in range(10):
            bar.advance()
    assert plain.getvalue() == ""

    terminal = Terminal()
    with progress_bar("tasks", 4, stream=terminal) as bar:
        bar.advance(4)
    drawn = terminal.getvalue()
    assert drawn.startswith("\rtasks [" + "#" * 28 + "] 100%")
    assert drawn.endswith("\r")

    monkeypatch.setenv("DEVIATION_NO_PROGRESS", "1")
    assert Bar("x", stream=Terminal()).live is False


def test_validate_shows_progress_for_large_registers_only(monkeypatch):
    from deviation_cli.cli.progress_bar import live_stages

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    small = load.validate_folder(QINGHE, progress=live_stages)
    assert terminal.getvalue() == ""
    monkeypatch.setattr(fresh, "PROGRESS_CHARACTERS", 0)
    large = load.validate_folder(QINGHE, progress=live_stages)
    assert "\r" in terminal.getvalue() and terminal.getvalue().endswith("\r")
    assert large.issues == small.issues and large.register == small.register
