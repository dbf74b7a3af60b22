"""Writing files so that nothing a user wrote is ever half-written.

Every file the tool writes goes through ``write_atomic``: the content goes to a
temporary file in the same folder, is flushed to disk, and replaces the target
in one rename. A crash mid-write leaves the old file whole.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..domain.issues import Issue, UsageError
from .register_files import display_path


def write_atomic(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    protect: tuple[Path, ...] = (),
    follow_links: bool = False,
    into_special: bool = False,
) -> Path:
    """Replace ``path`` with ``content`` (str is written as UTF-8) in one step.

    ``protect`` names files that must never be overwritten by this write (the
    register's own files, when the user points ``-o`` at one by mistake),
    compared by identity (device and inode), so another spelling, a symlink, a
    hard link or a bind mount of the same file is refused too; a protected path
    that does not exist yet is refused by name in its folder, and a protected
    folder (``progress/``) refuses any YAML file written into it.

    A symlink, device, FIFO or socket at ``path`` is refused: replacing it would
    turn ``/dev/stdout`` or a link into a regular file. ``follow_links`` writes
    to the file a symlink points at instead (atomically); ``into_special``
    writes straight into a device or FIFO (the user's explicit choice; not atomic).
    """
    target = Path(path)
    # Why the try: resolve(), exists() and is_dir() raise, not answer, for a
    # name too long for the file system or a folder the user may not enter.
    try:
        target, special = _real_target(target, follow_links, into_special)
        folder = target.parent if str(target.parent) else Path(".")
        if is_protected(target, protect):
            raise UsageError(Issue("output_is_register", str(path)))
        if special:
            return _write_into(target, content)
        if not folder.is_dir():
            raise UsageError(Issue("output_folder_missing", str(target), args={"folder": str(folder)}))
        if target.is_dir():
            raise UsageError(Issue("output_is_folder", str(target)))
    except (OSError, RuntimeError) as error:  # RuntimeError: Path.resolve() of a symlink loop (Python 3.11, 3.12)
        raise unwritable(str(target), error) from None
    # Imported here: tempfile brings random, a few milliseconds that a query (which writes nothing) would pay.
    import tempfile

    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise unwritable(str(target), error) from None
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
            raise unwritable(str(target), error) from None
        raise
    return target


#: What a file that is not a regular file or folder is called in a message.
_SPECIAL_KINDS = (
    (stat.S_ISCHR, "device"),
    (stat.S_ISBLK, "device"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
)


def unwritable(shown: str, error: OSError | RuntimeError) -> UsageError:
    """The usage error (exit 2) for a file or folder the system would not let us write, named as ``shown``."""
    reason = getattr(error, "strerror", None) or str(error)
    return UsageError(Issue("output_unwritable", shown, args={"reason": reason}))


def make_folder(folder: Path, shown: str | None = None, *, parents: bool = True) -> None:
    """Create ``folder`` unless it is one already; a usage error (exit 2) saying why when it cannot be.

    ``parents=False`` for a folder whose parent must exist already: a typo in the
    path of a new register should not grow a tree of folders.
    """
    shown = str(folder) if shown is None else shown
    try:
        if folder.is_dir():
            return
        if not parents and not folder.parent.is_dir():
            raise UsageError(Issue("output_folder_missing", shown, args={"folder": display_path(folder.parent)}))
        folder.mkdir(parents=parents)
    except OSError as error:
        raise unwritable(shown, error) from None


def _real_target(target: Path, follow_links: bool, into_special: bool) -> tuple[Path, bool]:
    """The file to write, and whether it is a device or FIFO to write into rather than replace."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return target, False
    if stat.S_ISLNK(mode):
        if not follow_links:
            raise UsageError(Issue("output_is_link", str(target), args={"to": os.readlink(target)}))
        try:
            # stat through the link as the kernel does: /dev/stdout -> /proc/self/fd/1 -> a pipe
            mode = target.stat().st_mode
        except FileNotFoundError:
            return target.resolve(), False  # a dangling link: create the file it names
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            target = target.resolve()  # replace the file itself; the link stays a link
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            if not into_special or kind == "socket":
                raise UsageError(Issue(f"output_is_{kind}", str(target)))
            return target, True
    return target, False


def _write_into(target: Path, content: str | bytes) -> Path:
    """Write into a device or FIFO the user named on purpose: no temporary, no rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(target, "wb", buffering=0) as stream:
        view = memoryview(data)
        while view:
            written = stream.write(view)
            view = view[written or len(view) :]
    return target


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found.st_dev, found.st_ino


def is_protected(target: Path, protect: tuple[Path, ...]) -> bool:
    """Whether writing ``target`` would overwrite (or create) one of the ``protect`` files.

    By identity, not by name: ``samefile`` on the file when it exists, and on
    its folder plus its name when it does not (so ``data/progress.yaml`` is
    refused before the first report, and so is ``DATA/Progress.yaml`` on a
    file system that ignores case). A protected folder refuses YAML files inside it.
    """
    if not protect:
        return False
    own = _identity(target)
    folder = _identity(target.parent if str(target.parent) else Path("."))
    name = target.name.casefold()
    resolved = target.resolve()
    for guarded in protect:
        if guarded.resolve() == resolved:  # by name too: `sub/../tasks.yaml` with no sub/ is still the register
            return True
        guarded_identity = _identity(guarded)
        if guarded.is_dir():
            if folder is not None and folder == guarded_identity and target.suffix.lower() in (".yaml", ".yml"):
                return True
            continue
        if own is not None and own == guarded_identity:
            return True
        if folder is not None and name == guarded.name.casefold() and folder == _identity(guarded.parent):
            return True
    return False


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
