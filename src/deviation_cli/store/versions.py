"""A register version as a user names it for ``diff``: a folder, or a git revision of the register's repository."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..domain.issues import Issue, RegisterUnreadable, UsageError
from ..formats.git_revisions import file_at, is_commit, repository_prefix
from ..formats.register_files import REGISTER_FILES, display_path
from ..formats.text_encoding import decode_register_bytes
from ..validation.pipeline import Report, validate_texts
from .folders import find_register_folder
from .load import validate_folder


@dataclass(frozen=True)
class Version:
    """A register version as the user named it, and what validating it found."""

    label: str
    report: Report


def read_version(spec: str, data: str | os.PathLike[str] | None = None) -> Version:
    """A register folder, or a git revision of the repository holding the ``data`` folder.

    Raises UsageError when ``spec`` is neither, RegisterUnreadable when the
    revision has no register at that path. An invalid register is returned
    with its issues (``report.register`` is None), for the caller to show.
    """
    path = Path(spec)
    if path.is_dir():
        return Version(display_path(path), validate_folder(path))
    folder = find_register_folder(data).resolve()
    texts, shown, prefix = _read_revision(spec, folder)
    return Version(spec, validate_texts(Path(f"{spec}:{prefix.rstrip('/')}"), texts, shown))


def _read_revision(revision: str, folder: Path) -> tuple[dict[str, str], dict[str, str], str]:
    if revision.startswith("-"):  # an option to git, not a revision
        raise UsageError(Issue("diff_unknown_version", args={"spec": revision, "folder": display_path(folder)}))
    found = repository_prefix(folder)
    if found is None:
        raise UsageError(Issue("diff_not_in_git", args={"spec": revision, "folder": display_path(folder)}))
    where, prefix = found
    if not is_commit(where, revision):
        raise UsageError(Issue("diff_unknown_version", args={"spec": revision, "folder": display_path(folder)}))
    texts: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name in REGISTER_FILES:
        in_repo = f"{prefix}{name}"
        shown[name] = f"{revision}:{in_repo}"
        content = file_at(where, revision, in_repo)
        if content is None:
            raise RegisterUnreadable(Issue("diff_missing_in_revision", args={"file": in_repo, "revision": revision}))
        texts[name] = decode_register_bytes(content, shown[name])
    return texts, shown, prefix
