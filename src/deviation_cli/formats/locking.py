"""One writer at a time for a file that is read, changed and written back: the append-only logs.

Why a lock: ``record`` reads progress.yaml, adds a report and replaces the file.
Two processes doing that at once both read the same old file, and the second
rename drops the first one's report, while both say 已记录. The read, the
change and the rename must all happen inside one exclusive lock.

Why a lock file beside the log (``.progress.yaml.lock``) and not a lock on the
log itself: the log is replaced by a rename on every append, so a lock held on
the old file would not stop a writer that opens the new one; and a log that
does not exist yet has nothing to lock. The lock file is empty and stays
(removing it would race with a waiting writer); it is safe to delete when no
``deviation`` is running.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..domain.issues import Issue, UsageError
from .atomic import unwritable
from .register_files import display_path

#: How long a writer waits for another to finish before giving up with a message.
DEFAULT_WAIT_SECONDS = 60.0


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: hidden, in the same folder."""
    return path.parent / f".{path.name}.lock"


@contextmanager
def exclusive(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` for the block: other writers of it wait.

    ``wait`` (seconds; default ``DEVIATION_LOCK_SECONDS`` or 60) bounds the
    wait; past it a UsageError names the file another process is writing.
    Works across processes on one machine and over NFS only where the file
    system supports ``flock`` (Linux) or ``LockFileEx`` (Windows).
    """
    from filelock import FileLock, Timeout

    seconds = wait if wait is not None else _wait_seconds()
    lock = FileLock(str(lock_path(path)), timeout=seconds)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError(
            Issue("file_locked", display_path(path), args={"seconds": f"{seconds:g}", "lock": lock_path(path).name})
        ) from None
    except OSError as error:
        raise unwritable(display_path(path), error) from None
    try:
        yield
    finally:
        lock.release()


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("DEVIATION_LOCK_SECONDS", "")))
    except ValueError:
        return DEFAULT_WAIT_SECONDS
