"""The files of a register folder: their names, and reading them whole but never too much.

A register folder holds ``tasks.yaml`` and ``units.yaml``; it may hold progress
reports (``progress.yaml``, ``progress/*.yaml``), targets (``indicators.yaml``)
and observed values (``observations.yaml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.issues import Issue, RegisterUnreadable
from .text_encoding import decode_register_bytes

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
REGISTER_FILES = (UNITS_FILE, TASKS_FILE)
PROGRESS_FILE = "progress.yaml"
PROGRESS_FOLDER = "progress"
INDICATORS_FILE = "indicators.yaml"
OBSERVATIONS_FILE = "observations.yaml"


def register_paths(folder: Path) -> tuple[Path, ...]:
    """Every file a register folder may hold, existing or not (``progress/`` for the files in it).

    What no output may overwrite: an export written over progress.yaml loses the
    reports as surely as one written over tasks.yaml loses the tasks.
    """
    return (
        folder / UNITS_FILE,
        folder / TASKS_FILE,
        folder / PROGRESS_FILE,
        folder / PROGRESS_FOLDER,
        folder / INDICATORS_FILE,
        folder / OBSERVATIONS_FILE,
    )


#: Largest file read, unless ``DEVIATION_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_text(path: Path) -> str:
    """Read one register file as UTF-8, refusing what is too large before reading it."""
    return decode_register_bytes(read_bytes(path), display_path(path))


def read_bytes(path: Path) -> bytes:
    """One register file's bytes, refusing what is too large before reading it."""
    shown = display_path(path)
    limit = size_limit()
    try:
        size = path.stat().st_size
        if size > limit:
            raise RegisterUnreadable(Issue("file_too_large", shown, args={"size": size, "limit": limit}))
        with path.open("rb") as handle:
            # Ask for what stat promised (plus one byte, for a file that grew):
            # read(limit + 1) would claim the whole limit in memory up front.
            raw = handle.read(min(size, limit) + 1)
    except OSError as error:
        raise RegisterUnreadable(
            Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})
        ) from None
    return raw


def size_limit() -> int:
    try:
        return max(1, int(os.environ.get("DEVIATION_MAX_BYTES", "")))
    except ValueError:
        return DEFAULT_MAX_BYTES
