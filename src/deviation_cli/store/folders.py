"""Which register folder a command means, and the register and templates bundled with the package.

Lookup order for the folder: an explicit path, ``$DEVIATION_DATA``, ``./data``
when it holds a register, else the register bundled with the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.issues import Issue, RegisterUnreadable
from ..formats.folder_transaction import recover
from ..formats.register_files import REGISTER_FILES, TASKS_FILE, display_path
from .bundled import bundled_data_folder


def find_register_folder(data: str | os.PathLike[str] | None = None) -> Path:
    if data:
        return Path(data)
    env = os.environ.get("DEVIATION_DATA")
    if env:
        return Path(env)
    local = Path("data")
    if (local / TASKS_FILE).is_file():
        return local
    return bundled_data_folder()


def check_folder(folder: Path) -> None:
    """Raise RegisterUnreadable unless ``folder`` is a folder holding tasks.yaml and units.yaml.

    A replacement of the folder's files that was committed but interrupted (see
    ``formats.folder_transaction``) is finished first, so the files read are all new.
    """
    shown = display_path(folder)
    # Why the try: exists() and is_dir() raise, not answer False, for a name
    # too long for the file system or a folder the user may not enter.
    try:
        if not folder.exists():
            raise RegisterUnreadable(Issue("missing_folder", args={"folder": shown}))
        if not folder.is_dir():
            raise RegisterUnreadable(Issue("not_a_folder", args={"folder": shown}))
        recover(folder)
        for name in reversed(REGISTER_FILES):
            if not (folder / name).is_file():
                raise RegisterUnreadable(Issue("missing_file", args={"file": display_path(folder / name)}))
    except OSError as error:
        reason = error.strerror or str(error)
        raise RegisterUnreadable(Issue("unreadable_folder", args={"folder": shown, "reason": reason})) from None
