"""Writing files so that nothing a user wrote is ever half-written.

Every file the tool writes goes through ``write_atomic``: the content goes to a
temporary file in the same folder, is flushed to disk, and replaces the target
in one rename. A crash mid-write leaves the old file whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..domain.issues import Issue, UsageError


def write_atomic(path: str | os.PathLike[str], content: str | bytes, *, protect: tuple[Path, ...] = ()) -> Path:
    """Replace ``path`` with ``content`` (str is written as UTF-8) in one step.

    ``protect`` names files that must never be overwritten by this write (the
    register itself, when the user points ``-o`` at it by mistake).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    # Why the try: resolve(), exists() and is_dir() raise, not answer, for a
    # name too long for the file system or a folder the user may not enter.
    try:
        resolved = target.resolve()
        for guarded in protect:
            if guarded.exists() and guarded.resolve() == resolved:
                raise UsageError(Issue("output_is_register", str(target)))
        if not folder.is_dir():
            raise UsageError(Issue("output_folder_missing", str(target), args={"folder": str(folder)}))
        if target.is_dir():
            raise UsageError(Issue("output_is_folder", str(target)))
    except OSError as error:
        raise UsageError(
            Issue("output_unwritable", str(target), args={"reason": error.strerror or str(error)})
        ) from None
    # Imported here: tempfile brings random, a few milliseconds that a query (which writes nothing) would pay.
    import tempfile

    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise UsageError(
            Issue("output_unwritable", str(target), args={"reason": error.strerror or str(error)})
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise UsageError(
                Issue("output_unwritable", str(target), args={"reason": error.strerror or str(error)})
            ) from None
        raise
    return target


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to fill; it replaces ``path`` in one rename when the block succeeds.

    For the tool's own files (the register cache), which a library such as sqlite3
    writes by name: a failure leaves ``path`` as it was and no temporary file behind.
    Errors are raised as they are; the caller decides what a failed write means.
    """
    import tempfile

    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
