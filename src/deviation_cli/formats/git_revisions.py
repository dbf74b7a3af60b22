"""Files as a git revision holds them: ``git show REV:path``, run as a plain process, never a shell."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..domain.issues import Issue, UsageError


def run_git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git -C folder ARGS``; UsageError when git cannot be started at all."""
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError as error:
        raise UsageError(Issue("diff_no_git", args={"reason": error.strerror or str(error)})) from None


def repository_prefix(folder: Path) -> tuple[Path, str] | None:
    """The nearest existing folder at or above ``folder`` inside a git work tree, and ``folder``'s
    path from the repository's top (``reg/``); None outside any repository.

    Why the nearest existing folder: the register folder may be gone from the
    working tree while older revisions still hold it.
    """
    where = folder
    missing: list[str] = []
    while not where.is_dir() and where != where.parent:
        missing.insert(0, where.name)
        where = where.parent
    inside = run_git(where, "rev-parse", "--show-prefix")
    if inside.returncode != 0:
        return None
    return where, inside.stdout.decode("utf-8", "replace").strip() + "".join(f"{part}/" for part in missing)


def is_commit(where: Path, revision: str) -> bool:
    return run_git(where, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode == 0


def file_at(where: Path, revision: str, path_in_repository: str) -> bytes | None:
    """The bytes of a file at a revision, or None when the revision has no such file."""
    result = run_git(where, "show", f"{revision}:{path_in_repository}")
    return result.stdout if result.returncode == 0 else None
