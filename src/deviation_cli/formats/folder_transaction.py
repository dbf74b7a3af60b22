"""Replacing several files of a folder as one unit: all the new files, or all the old ones.

Why: a register is two files that must agree (tasks.yaml names the units of
units.yaml). ``write_atomic`` keeps each file whole, but writing them one after
the other leaves one old and one new file when the disk fills or the process
is killed in between: a register that no longer validates.

How (``FolderTransaction``), under the folder's exclusive lock:

1. every new file is written to a hidden temporary in the folder and fsync-ed;
2. a journal (``.deviation-transaction.json``) naming each temporary and the
   file it replaces is written atomically: this is the commit point;
3. each temporary is renamed over its file, the folder is fsync-ed, and the
   journal is removed.

A failure before the journal exists removes the temporaries and leaves the
old files. A failure or kill after it leaves a journal, and whoever next reads
or writes the folder (``recover``) finishes the renames: the new files. A
temporary without a journal is from a writer killed before its commit and is
removed by the next transaction. SIGTERM, SIGHUP and Ctrl-C during a
transaction clean up as any other failure does; only SIGKILL leaves
temporaries behind, for the next run to remove.

``deviation import`` and ``deviation init`` write their register folder this way.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType, TracebackType

from ..domain.issues import Interrupted, Issue, UsageError
from .atomic import unwritable, write_atomic
from .locking import exclusive
from .register_files import display_path

JOURNAL = ".deviation-transaction.json"
#: What the folder's lock file is named after (``.register.lock``).
LOCK_NAME = "register"
_MARK = ".deviation-txn-"


class FolderTransaction:
    """Write files into ``folder`` and replace them all at once on ``commit``.

    >>> with FolderTransaction(folder) as change:   # doctest: +SKIP
    ...     change.write("units.yaml", units_text)
    ...     change.write("tasks.yaml", tasks_text)
    ... # committed when the block ends without an exception; rolled back otherwise

    The folder must exist. File names are plain names inside it (no ``/``).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        # Imported here: secrets brings hmac and OpenSSL's hashlib, which every query would pay for
        # only to check that no transaction was left unfinished (``recover``).
        import secrets

        self.id = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.staged: dict[str, str] = {}  # final name -> temporary name
        self._held = ExitStack()  # the lock, and signals turned into exceptions
        self.committed = False

    # --- the block ---------------------------------------------------------------------------

    def __enter__(self) -> FolderTransaction:
        with ExitStack() as held:
            held.enter_context(exclusive(self.folder / LOCK_NAME))
            held.enter_context(signals_raise())
            recover(self.folder, locked=True)
            remove_orphans(self.folder)
            self._held = held.pop_all()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self.rollback()
        except BaseException:
            self.rollback()
            raise
        finally:
            self._held.close()

    # --- steps -------------------------------------------------------------------------------

    def write(self, name: str, content: str | bytes) -> None:
        """Stage ``name``'s new content; nothing is replaced until ``commit``."""
        if os.sep in name or (os.altsep and os.altsep in name) or name in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {name!r}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        temporary = f".{name}{_MARK}{self.id}"
        self.staged[name] = temporary
        path = self.folder / temporary
        try:
            with open(path, "xb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            target = self.folder / name
            mode = target.stat().st_mode & 0o777 if target.is_file() else 0o644
            os.chmod(path, mode)
        except OSError as error:
            raise unwritable(display_path(self.folder / name), error) from None

    def commit(self) -> None:
        """Write the journal (the commit point), then rename every staged file over its target."""
        if self.committed:
            return
        journal = {"version": 1, "files": [[temporary, name] for name, temporary in self.staged.items()]}
        write_atomic(self.folder / JOURNAL, json.dumps(journal, ensure_ascii=False))
        self.committed = True
        _sync_folder(self.folder)
        roll_forward(self.folder)

    def rollback(self) -> None:
        """Remove what was staged; after the commit point, finish it instead (the journal says so)."""
        if self.committed:
            try:
                roll_forward(self.folder)
            except UsageError:
                pass  # the journal stays; the next run finishes it
            return
        for temporary in self.staged.values():
            try:
                os.unlink(self.folder / temporary)
            except FileNotFoundError:
                pass
            except OSError:
                pass  # an orphan: the next transaction removes it


# --- recovery ----------------------------------------------------------------------------------


def pending(folder: Path) -> bool:
    """Whether a replacement of ``folder``'s files was committed but not finished."""
    try:
        return (folder / JOURNAL).is_file()
    except OSError:
        return False


def recover(folder: Path, *, locked: bool = False) -> bool:
    """Finish a committed replacement that was interrupted (kill, power loss). True when one was.

    Readers call this before reading a folder: it is a stat when there is
    nothing to do, and otherwise takes the folder's lock and renames what the
    journal names, so a reader never sees half of a replacement that was committed.
    """
    if not pending(folder):
        return False
    if locked:
        roll_forward(folder)
    else:
        with exclusive(folder / LOCK_NAME):
            roll_forward(folder)
    return True


def roll_forward(folder: Path) -> None:
    """Rename every temporary the journal names over its file, then remove the journal."""
    journal_path = folder / JOURNAL
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        pairs = [(str(temporary), str(name)) for temporary, name in journal["files"]]
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(Issue("transaction_journal_broken", display_path(journal_path))) from None
    try:
        for temporary, name in pairs:
            if "/" in temporary + name or "\\" in temporary + name or _MARK not in temporary:
                raise UsageError(Issue("transaction_journal_broken", display_path(journal_path)))
            try:
                os.replace(folder / temporary, folder / name)
            except FileNotFoundError:
                pass  # renamed already, before the interruption
        _sync_folder(folder)
        journal_path.unlink(missing_ok=True)
        _sync_folder(folder)
    except OSError as error:
        raise unwritable(display_path(folder), error) from None


def remove_orphans(folder: Path) -> list[str]:
    """Remove temporaries of transactions killed before their commit (call with the lock held)."""
    removed: list[str] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if _MARK in entry.name and entry.name.startswith(".")]
    except OSError:
        return removed
    for name in names:
        try:
            os.unlink(folder / name)
            removed.append(name)
        except OSError:
            pass
    return removed


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX); Windows has no fsync of a folder."""
    if os.name != "posix":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# --- signals -----------------------------------------------------------------------------------


@contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Interrupted`` (Ctrl-C already raises KeyboardInterrupt).

    Why: their default action ends the process at once, skipping every
    ``finally`` that removes temporaries. Only the main thread can set handlers;
    elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = {}
    for number in wanted:
        try:
            previous[number] = signal.signal(number, handler)
        except (OSError, ValueError):
            pass
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
