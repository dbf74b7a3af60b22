"""A register's progress reports on disk: which files hold them, reading them all, appending one.

A register folder may hold ``progress.yaml`` and/or ``progress/*.yaml``; a
folder without them simply has no reports. Every file goes through the same
located-YAML checks as the register, so each problem is a ``file:line:col`` issue.

Why append as text (``append_report``): a progress file is edited by hand and
reviewed in git; re-serialising it would drop comments and reorder keys.
A new report is a YAML block added at the end, so every earlier byte stays.
``append_reports`` adds many at once (the reports of returned forms): one
read, one check and one atomic replace, so either all of them are in or none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..domain.issues import ERROR, Issue, RegisterInvalid, usage_error
from ..domain.progress import (
    CHECK_FIELDS,
    FORM_FIELDS,
    REPORT_FIELDS,
    ProgressCheck,
    ProgressLog,
    ProgressReport,
    split_superseded,
)
from ..domain.register import Register
from ..formats.atomic import write_atomic
from ..formats.locking import exclusive
from ..formats.register_files import PROGRESS_FILE, PROGRESS_FOLDER, display_path, read_text
from ..formats.yaml_reader import parse_yaml
from ..formats.yaml_tree import YamlValue
from ..formats.yaml_writer import scalar
from ..validation.progress_rules import (
    check_count,
    check_progress_entries,
    check_sign_offs,
    report_count,
)

HEADER = (
    "# 进度报告(progress reports):每条报告记录一个单位对一项任务在某日的进展。\n"
    "# 由 `deviation record` 追加;也可手工编辑,`deviation validate` 检查。\n"
    "# status 取值:未开始 / 推进中 / 已完成 / 滞后 / 延期\n"
    "reports:\n"
)


def progress_files(folder: Path) -> list[Path]:
    """``progress.yaml`` then ``progress/*.yaml`` (sorted), those that exist."""
    found = []
    if (folder / PROGRESS_FILE).is_file():
        found.append(folder / PROGRESS_FILE)
    sub = folder / PROGRESS_FOLDER
    if sub.is_dir():
        found.extend(sorted(p for p in sub.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return found


def files_at(path: Path) -> list[Path]:
    """The progress files a ``--progress`` argument names: one file, or a folder's files."""
    if path.is_dir():
        own = progress_files(path)
        return own or sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not path.exists():
        raise usage_error("progress_missing", file=display_path(path))
    return [path]


def check_progress(paths: list[Path], register: Register, issues: list[Issue]) -> ProgressLog:
    """Read, validate and resolve progress files, adding every problem to ``issues``."""
    reports: list[ProgressReport] = []
    checks: list[ProgressCheck] = []
    shown_files = []
    for path in paths:
        shown = display_path(path)
        shown_files.append(shown)
        found, checked = check_progress_entries(read_text(path), shown, register, issues, len(reports) + len(checks))
        reports.extend(found)
        checks.extend(checked)
    kept, superseded = split_superseded(reports)
    kept.sort(key=lambda r: (r.date, r.order))
    checks.sort(key=lambda c: (c.date, c.order))
    # Against every report, replaced ones too: a check made before a corrected form came in was right when made.
    check_sign_offs(sorted(reports, key=lambda r: (r.date, r.order)), checks, issues)
    return ProgressLog(tuple(kept), tuple(shown_files), superseded=tuple(superseded), checks=tuple(checks))


def load_progress(register: Register, path: str | Path | None = None) -> ProgressLog:
    """The reports of a register (its folder's files, or ``path``); RegisterInvalid on any error."""
    paths = files_at(Path(path)) if path else progress_files(Path(register.folder))
    issues: list[Issue] = []
    log = check_progress(paths, register, issues)
    errors = [issue for issue in issues if issue.severity == ERROR]
    if errors:
        raise RegisterInvalid(errors)
    return log


def report_block(entry: dict[str, str], indent: str = "  ") -> str:
    """One report as a YAML list item, keys in the documented order."""
    return _entry_block(entry, REPORT_FIELDS + FORM_FIELDS, indent)


def _entry_block(entry: dict[str, str], fields: tuple[str, ...], indent: str) -> str:
    lines = []
    for number, key in enumerate(k for k in fields if entry.get(k) is not None):
        prefix = f"{indent}- " if number == 0 else f"{indent}  "
        lines.append(f"{prefix}{key}: {scalar(entry[key])}\n")
    return "".join(lines)


def append_report(
    path: Path, entry: dict[str, str], register: Register, protect: tuple[Path, ...] = ()
) -> tuple[Path, int]:
    """Append one report to ``path`` (created with a header when missing), atomically.

    The report must already be checked (``domain.progress.check_new_report``).
    The result is parsed and checked again before anything is written: if the
    file does not end with its block-style ``reports:`` list, nothing is written.
    Returns the file and the line the new report starts on.

    Why under a lock: the file is read, extended and replaced; two writers at
    once would both extend the same old file and one report would be lost.
    """
    with exclusive(path):
        return _append_reports(path, [entry], register, protect)


def append_reports(
    path: Path,
    entries: Sequence[dict[str, str]] | Callable[[], Sequence[dict[str, str]]],
    register: Register,
    protect: tuple[Path, ...] = (),
) -> tuple[Path, int]:
    """Append several reports to ``path`` in one atomic replace, under the same lock as ``append_report``.

    ``entries`` may be a function, called once the lock is held: a caller whose
    choice of reports depends on what the log already holds (an import that
    must not add a form twice) reads the log inside it, so no other writer can
    change the log between that reading and this write. Nothing is written when
    there is nothing to add. Returns the file and the line the first new report
    starts on (0 when nothing was added).
    """
    with exclusive(path):
        chosen = list(entries() if callable(entries) else entries)
        if not chosen:
            return path, 0
        return _append_reports(path, chosen, register, protect)


def _append_reports(
    path: Path, entries: list[dict[str, str]], register: Register, protect: tuple[Path, ...]
) -> tuple[Path, int]:
    return _append_entries(path, entries, "report", register, protect)


def _append_entries(
    path: Path, entries: list[dict[str, str]], kind: str, register: Register, protect: tuple[Path, ...]
) -> tuple[Path, int]:
    """Append ``entries`` (reports, or checks with ``kind="check"``) to the end of the file's list; the caller
    holds the lock. The new text is parsed and checked again, and must hold the old entries and exactly
    these after them, before anything is written."""
    shown = display_path(path)
    old = read_text(path) if path.exists() else ""
    old_bytes = path.read_bytes() if path.exists() else b""
    eol = "\r\n" if "\r\n" in old else "\n"  # a file saved on Windows keeps its line endings
    root, _ = parse_yaml(old, shown) if old else (None, [])
    if not old:
        prefix_text, indent = HEADER, "  "
    elif root is None:  # only comments so far
        prefix_text, indent = old + ("" if old.endswith("\n") else eol) + "reports:" + eol, "  "
    else:
        prefix_text = old if old.endswith("\n") else old + eol
        indent = _item_indent(old, root)
    fields = CHECK_FIELDS if kind == "check" else REPORT_FIELDS + FORM_FIELDS
    blocks = "".join(_entry_block(entry, fields, indent) for entry in entries)
    new_text = prefix_text + blocks.replace("\n", eol)

    count = check_count if kind == "check" else report_count
    before = count(old, shown) if old.strip() else 0
    log_issues: list[Issue] = []
    reports, checks = check_progress_entries(new_text, shown, register, log_issues)
    found: Sequence[ProgressReport | ProgressCheck] = checks if kind == "check" else reports
    if any(issue.severity == ERROR for issue in log_issues):
        old_issues: list[Issue] = []
        if old.strip():
            check_progress_entries(old, shown, register, old_issues)
        old_errors = [issue for issue in old_issues if issue.severity == ERROR]
        raise RegisterInvalid(old_errors or [Issue("progress_append_unsafe", shown)])
    added = found[len(found) - len(entries) :]
    if len(found) != before + len(entries) or [entry.as_entry() for entry in added] != entries:
        raise RegisterInvalid([Issue("progress_append_unsafe", shown)])
    data = new_text.encode("utf-8")
    if old_bytes.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data  # read_text drops the BOM; the file keeps it
    write_atomic(path, data, protect=protect, follow_links=True)  # a log kept elsewhere through a link
    return path, added[0].line


def _item_indent(text: str, root: YamlValue) -> str:
    """The indentation of the existing report items, so the new one joins the same list."""
    items = root.get("reports") if isinstance(root, dict) else None
    if isinstance(items, list) and items:
        line = text.splitlines()[items.positions[0][0] - 1]
        dash = line.find("-")
        if dash >= 0 and not line[:dash].strip():
            return line[:dash]
    return "  "


# --- the office's checks (销号): appended like reports, to the same list, under the same lock ---


def append_check(path: Path, entry: dict[str, str], register: Register, protect: tuple[Path, ...] = ()) -> int:
    """Append one check to the end of the progress file ``path``, atomically; the line it starts on.

    The check must already be made (``domain.sign_off.new_check``); its report may
    be in another progress file (``progress/*.yaml``), so a missing ``path`` is made
    with the header ``record`` writes. Otherwise the file must end with its
    block-style ``reports:`` list, as for ``append_report``, under the same lock.
    """
    with exclusive(path):
        return _append_entries(path, [entry], "check", register, protect)[1]
