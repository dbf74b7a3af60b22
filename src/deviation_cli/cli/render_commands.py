"""Document commands: render (notice, unit list, full table, due list, reminder) and site."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from ..documents.reminder import (
    DEFAULT_REMINDER_DAYS,
    reminder_data,
    reminder_units,
    reminders,
    render_reminder,
)
from ..documents.render import DOCUMENT_FORMATS, KINDS, render_document
from ..documents.site import build_site
from ..documents.template_data import assigned_units, unit_file_stems
from ..domain.issues import usage_error
from ..domain.register import Register
from ..formats.atomic import make_folder, write_atomic
from ..formats.register_files import display_path, register_paths
from .app import as_of_option, check_format, command, date_option, tell, write_stdout, write_through_option
from .loading import load
from .progress_bar import Bar

KIND_HELP = "notice | unit | table | due | reminder"
#: What ``render`` makes: the register's documents, and the 催办通知, which reads the progress log too.
RENDER_KINDS = (*KINDS, "reminder")


def register_files(register: Register) -> tuple[Path, ...]:
    """The register folder's files (tasks, units, progress, indicators, observations): no output may overwrite one."""
    return register_paths(Path(register.folder))


@command("render")
def render_command(
    kind: str = typer.Argument(..., metavar="KIND", help=KIND_HELP),
    unit: str | None = typer.Option(None, "--unit", "-u", help="The unit (notice, unit, reminder; filters due)."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="md | html | docx. Default: from -o's extension, else md."
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write here (atomically) instead of stdout (- for stdout); a folder with --all-units.",
    ),
    all_units: bool = typer.Option(
        False, "--all-units", help="notice/unit/reminder: one file per unit into the -o folder."
    ),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Folder whose templates replace the bundled ones of the same name."
    ),
    issuer: str | None = typer.Option(
        None, "--issuer", help="notice, reminder: the issuing office (落款). Default: the document's source."
    ),
    on: str | None = typer.Option(
        None, "--date", help="notice, reminder: 成文日期. Default: today (reminder: the --as-of day)."
    ),
    before: str | None = typer.Option(None, "--before", help="due: last day, inclusive. Default: every milestone."),
    after: str | None = typer.Option(None, "--after", help="due: first day, inclusive."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="due: today, for days left; reminder: the day it speaks of. Default: today."
    ),
    within: int = typer.Option(
        DEFAULT_REMINDER_DAYS, "--within", min=0, metavar="N", help="reminder: remind of milestones due within N days."
    ),
    progress: str | None = typer.Option(
        None, "--progress", metavar="PATH", help="reminder: progress file or folder. Default: the register folder's."
    ),
    write_through: bool = write_through_option(),
) -> None:
    """Render a document from Jinja templates: a notice (通知), a unit's list (责任清单),
    the full table (任务分解表), the due list, or a reminder (催办通知).

    As Markdown, as printable HTML, or as a Word file (docx, GB/T 9704 layout, made from
    the HTML) that offices edit and seal; a docx is written to a file (-o), never to a terminal.

    A reminder tells a unit, as of --as-of, what it leads that is overdue or due within
    --within days (7), what the office returned at sign-off (退回), and the report it has not
    sent (未报送); a unit with nothing to be reminded of gets no reminder, and is counted.

    Example: deviation render notice --unit 市发改委 --format html -o notice.html
    """
    check_format(kind, RENDER_KINDS, "KIND")
    if fmt is None:
        fmt = format_of(output) if output and not all_units else "md"
    check_format(fmt, DOCUMENT_FORMATS)
    today = as_of_option(as_of)
    on_day = date_option(on, today, "--date")
    before_day = date_option(before, today, "--before")
    after_day = date_option(after, today, "--after")

    folder = None  # where --all-units writes its files
    if all_units:
        if kind not in ("notice", "unit", "reminder"):
            raise usage_error("render_all_units_kind", kind=kind)
        if unit is not None:
            raise usage_error("render_all_units_and_unit")
        if output is None:
            raise usage_error("render_all_units_needs_output")
        folder = Path(output)
    elif kind == "reminder" and unit is None:
        raise usage_error("render_needs_unit", kind=kind)
    if folder is None and fmt == "docx" and output is None:
        raise usage_error("render_binary_needs_output", format="docx")
    register = load()
    protect = register_files(register)
    if kind == "reminder":
        _render_reminders(register, unit, folder, output, fmt, today, within, progress, issuer, on_day, templates)
        return

    def render(for_unit: str | None) -> str | bytes:
        options: dict[str, Any] = {
            "unit": for_unit,
            "issuer": issuer,
            "on": on_day,
            "before": before_day,
            "after": after_day,
            "as_of": today,
            "templates": templates,
        }
        if fmt == "docx":
            from ..documents.word import word_document  # lazy: docx

            return word_document(render_document(register, kind, "html", **options))
        return render_document(register, kind, fmt, **options)

    if folder is None:
        write_output(output, render(unit), protect, write_through)
        return
    make_folder(folder)
    names = assigned_units(register)
    # Two names may give one file name (县水务/局, 县水务:局): numbered as `site` numbers them.
    stems = unit_file_stems(names)
    for name in names:
        text = render(name)
        write_atomic(folder / f"{stems[name]}.{fmt}", text, protect=protect)
    tell("cli.wrote_files", count=len(names), folder=folder)


def _render_reminders(
    register: Register,
    unit: str | None,
    folder: Path | None,
    output: str | None,
    fmt: str,
    as_of: date,
    within: int,
    progress: str | None,
    issuer: str | None,
    on: date | None,
    templates: str | None,
) -> None:
    """One unit's 催办通知 to ``output``, or every unit's with something to remind it of into ``folder``."""
    from ..store.progress_log import load_progress  # lazy: pydantic

    log = load_progress(register, progress)
    issuer = issuer or register.document.source
    if not issuer:
        raise usage_error("render_needs_issuer")
    # the files it read: the register folder's, and the progress named by --progress
    protect = register_files(register) + tuple(Path(shown) for shown in log.files)

    def render(data: dict[str, Any]) -> str | bytes:
        if fmt == "docx":
            from ..documents.word import word_document  # lazy: docx

            return word_document(render_reminder(data, "html", templates))
        return render_reminder(data, fmt, templates)

    if folder is None:
        assert unit is not None  # render_command asks for --unit or --all-units
        data = reminder_data(register, log, unit, as_of, within, issuer, on)
        if not data["items"]:
            tell("cli.reminder_nothing", unit=data["unit"], date=as_of.isoformat())
            return
        if write_output(output, render(data), protect):
            tell("cli.wrote_file", file=display_path(Path(output or "")))
        return
    make_folder(folder)
    names = reminder_units(register)
    stems = unit_file_stems(names)
    written = 0
    for name, data in zip(names, reminders(register, log, names, as_of, within, issuer, on)):
        if data["items"]:
            write_atomic(folder / f"{stems[name]}.{fmt}", render(data), protect=protect)
            written += 1
    tell("cli.reminders_written", count=written, folder=folder, skipped=len(names) - written)


#: From this many pages on (a register of ~500 tasks, seconds of writing), `site` shows a progress bar on a terminal.
SITE_PROGRESS_PAGES = 500


@command("site")
def site_command(
    out: str | None = typer.Argument(None, metavar="OUT", help="Folder to write the site into (created if missing)."),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="DIR", help="The same folder, given as an option like the other commands."
    ),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Folder whose templates replace the bundled ones."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Today, for the milestones on the index. Default: today."),
) -> None:
    """Write a static, self-contained HTML site: index, full table with a filter box,
    a page per unit, dimension and task.

    Every page carries its own CSS and script and links relatively, so the site
    works from file:// and on an intranet with no access to anything else.

    Example: deviation site out/ && xdg-open out/index.html
    """
    if out is not None and output is not None and Path(out) != Path(output):
        raise usage_error("site_two_folders", first=out, second=output)
    out = out or output
    if out is None:
        raise usage_error("site_needs_folder")
    today = as_of_option(as_of)
    register = load()
    pages = build_site(register, today, templates)
    folder = Path(out)
    protect = register_files(register)
    make_folder(folder)
    bar = None
    if len(pages) >= SITE_PROGRESS_PAGES:
        bar = Bar(str(folder), total=len(pages))
    try:
        for name, text in pages.items():
            target = folder / name
            make_folder(target.parent)
            write_atomic(target, text, protect=protect)
            if bar is not None:
                bar.advance()
    finally:
        if bar is not None:
            bar.close()
    tell("cli.wrote_pages", count=len(pages), folder=folder)


def format_of(output: str) -> str:
    """The format a file name asks for: .html/.htm, .docx, else Markdown."""
    suffix = Path(output).suffix.lower()
    return "html" if suffix in (".html", ".htm") else "docx" if suffix == ".docx" else "md"


def write_output(
    output: str | None, content: str | bytes, protect: tuple[Path, ...], write_through: bool = False
) -> bool:
    """Write a document to ``output`` atomically, or to stdout (no ``output``, or ``-``).

    True when a file was written (the caller says so on stderr). A Word file reaches
    stdout only when asked for with ``-o -``.
    """
    if output is None or output == "-":
        write_stdout(content)
        return False
    write_atomic(output, content, protect=protect, follow_links=write_through, into_special=write_through)
    return True
