"""Document commands: render (notice, unit list, full table, due list) and site."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..documents.render import FORMATS, KINDS, render_document
from ..documents.site import build_site
from ..documents.template_data import assigned_units, file_slug
from ..domain.issues import Issue, UsageError, usage_error
from ..domain.register import Register
from ..formats.atomic import write_atomic
from ..formats.register_files import REGISTER_FILES
from .app import as_of_option, check_format, command, date_option, tell
from .loading import load
from .progress_bar import Bar

KIND_HELP = "notice | unit | table | due"


def register_files(register: Register) -> tuple[Path, ...]:
    """The register's own files, which no output may overwrite."""
    return tuple(Path(register.folder) / name for name in REGISTER_FILES)


@command("render")
def render_command(
    kind: str = typer.Argument(..., metavar="KIND", help=KIND_HELP),
    unit: str | None = typer.Option(None, "--unit", "-u", help="The unit (notice, unit; filters due)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="md | html. Default: from -o's extension, else md."),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write here (atomically) instead of stdout; a folder with --all-units.",
    ),
    all_units: bool = typer.Option(False, "--all-units", help="notice/unit: one file per unit into the -o folder."),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Folder whose templates replace the bundled ones of the same name."
    ),
    issuer: str | None = typer.Option(
        None, "--issuer", help="notice: the issuing office (落款). Default: the document's source."
    ),
    on: str | None = typer.Option(None, "--date", help="notice: 成文日期. Default: today."),
    before: str | None = typer.Option(None, "--before", help="due: last day, inclusive. Default: every milestone."),
    after: str | None = typer.Option(None, "--after", help="due: first day, inclusive."),
    as_of: str | None = typer.Option(None, "--as-of", help="due: today, for days left. Default: today."),
) -> None:
    """Render a document from Jinja templates: a notice (通知), a unit's list (责任清单),
    the full table (任务分解表) or the due list.

    Example: deviation render notice --unit 市发改委 --format html -o notice.html
    """
    check_format(kind, KINDS, "KIND")
    if fmt is None:
        fmt = "html" if output and not all_units and Path(output).suffix.lower() in (".html", ".htm") else "md"
    check_format(fmt, FORMATS)
    today = as_of_option(as_of)
    on_day = date_option(on, today, "--date")
    before_day = date_option(before, today, "--before")
    after_day = date_option(after, today, "--after")

    folder = None  # where --all-units writes its files
    if all_units:
        if kind not in ("notice", "unit"):
            raise usage_error("render_all_units_kind", kind=kind)
        if unit is not None:
            raise usage_error("render_all_units_and_unit")
        if output is None:
            raise usage_error("render_all_units_needs_output")
        folder = Path(output)
    register = load()
    protect = register_files(register)

    def render(for_unit: str | None) -> str:
        return render_document(
            register,
            kind,
            fmt,
            unit=for_unit,
            issuer=issuer,
            on=on_day,
            before=before_day,
            after=after_day,
            as_of=today,
            templates=templates,
        )

    if folder is None:
        text = render(unit)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text, protect=protect)
        return
    _make_folder(folder)
    names = assigned_units(register)
    for name in names:
        text = render(name)
        write_atomic(folder / f"{file_slug(name)}.{fmt}", text, protect=protect)
    tell("cli.wrote_files", count=len(names), folder=folder)


#: From this many pages on (a register of ~500 tasks, seconds of writing), `site` shows a progress bar on a terminal.
SITE_PROGRESS_PAGES = 500


@command("site")
def site_command(
    out: str = typer.Argument(..., metavar="OUT", help="Folder to write the site into (created if missing)."),
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
    today = as_of_option(as_of)
    register = load()
    pages = build_site(register, today, templates)
    folder = Path(out)
    protect = register_files(register)
    _make_folder(folder)
    bar = None
    if len(pages) >= SITE_PROGRESS_PAGES:
        bar = Bar(str(folder), total=len(pages))
    try:
        for name, text in pages.items():
            target = folder / name
            _make_folder(target.parent)
            write_atomic(target, text, protect=protect)
            if bar is not None:
                bar.advance()
    finally:
        if bar is not None:
            bar.close()
    tell("cli.wrote_pages", count=len(pages), folder=folder)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            Issue("output_unwritable", str(folder), args={"reason": error.strerror or str(error)})
        ) from None
