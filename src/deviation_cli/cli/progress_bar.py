"""A progress bar on stderr for long work on large registers (validate, site, export, ...).

    from .progress_bar import progress_bar

    with progress_bar("site", total=len(pages)) as bar:
        for page in pages:
            ...
            bar.advance()

Why hand-written: one line redrawn with ``\\r`` is all it takes, and importing
rich for it would cost more start-up than a small register's whole query. The
bar is drawn only when stderr is a terminal (never into a pipe, a log or a
test's captured output) and ``DEVIATION_NO_PROGRESS`` is unset; otherwise
every call is a no-op. It redraws at most ten times a second and erases
itself when done, so the lines printed after it are what they would be
without it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

WIDTH = 28
INTERVAL = 0.1


def interactive(stream: IO[str] | None = None) -> bool:
    """Whether a bar on ``stream`` (stderr by default) would be seen by a person."""
    stream = stream or sys.stderr
    if os.environ.get("DEVIATION_NO_PROGRESS"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


class Bar:
    """Progress from 0 to ``total``; draws nothing unless ``live``."""

    def __init__(self, label: str, total: float = 1.0, stream: IO[str] | None = None, live: bool | None = None):
        self.label = label
        self.total = total or 1.0
        self.stream = stream or sys.stderr
        self.live = interactive(self.stream) if live is None else live
        self.done = 0.0
        self._drawn_at = 0.0
        self._shown = False

    def advance(self, amount: float = 1.0) -> None:
        self.set(self.done + amount)

    def set(self, done: float) -> None:
        self.done = min(done, self.total)
        if not self.live:
            return
        now = time.monotonic()
        if now - self._drawn_at >= INTERVAL or self.done >= self.total:
            self._drawn_at = now
            self._draw()

    def stage(self, start: float, end: float) -> Callable[[float], None]:
        """A callback taking a fraction 0..1 of one step that spans ``start``..``end`` of the total."""

        def report(fraction: float) -> None:
            self.set(start + (end - start) * fraction)

        return report

    def _draw(self) -> None:
        share = self.done / self.total
        filled = int(share * WIDTH)
        line = f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {share * 100:3.0f}%"
        try:
            self.stream.write(line)
            self.stream.flush()
            self._shown = True
        except (OSError, ValueError):
            self.live = False

    def close(self) -> None:
        if self.live and self._shown:
            try:
                self.stream.write("\r" + " " * (len(self.label) + WIDTH + 8) + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self.live = False


def live_stages(label: str) -> Bar | None:
    """A bar for a long validation, when a person would see it; else None."""
    bar = Bar(label)
    return bar if bar.live else None


@contextmanager
def progress_bar(label: str, total: float = 1.0, stream: IO[str] | None = None) -> Iterator[Bar]:
    """A ``Bar`` that is erased when the block ends, however it ends."""
    bar = Bar(label, total, stream)
    try:
        yield bar
    finally:
        bar.close()
