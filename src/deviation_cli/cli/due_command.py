"""`deviation due`: what falls due in a range of days, answered from the register's index.

A module of its own because it is the query staff run every day: it asks the
cache file for the milestones in range through the index on their dates and
never builds the register's records (``store.listing``), so that it starts
about as fast as Python imports typer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import chain
from typing import Any

import typer

from ..domain.deadlines import check_range
from ..formats.register_index import ListedTask, RegisterIndex
from ..output.json_objects import listed_object, with_milestone
from ..output.listing import LISTING_FORMATS, emit
from ..store.folders import find_register_folder
from ..store.listing import with_index
from ..words import say
from .app import as_of_option, check_format, command, date_option, note_if_bundled, note_source, settings
from .progress_bar import live_stages

FORMAT_HELP = "table | json | csv | md"


@command("due")
def due_command(
    before: str = typer.Option(
        ..., "--before", help="Last day, inclusive: 2023-07-31, 2023年7月底, 月底/eom, 季末/eoq, 年底/eoy."
    ),
    after: str | None = typer.Option(None, "--after", help="First day, inclusive."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Today for overdue / days left, and for 月底 etc. Default: today."
    ),
    include_ongoing: bool = typer.Option(False, "--include-ongoing", help="Also list ongoing tasks (持续推进), apart."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Tasks with a milestone in a date range, by date then id.

    A task with two milestones in range is listed under each.

    Example: deviation due --before 2023-07-31 --as-of 2023-07-01
    """
    check_format(fmt, LISTING_FORMATS)
    today = as_of_option(as_of)
    end = date_option(before, today, "--before")
    start = date_option(after, today, "--after")

    def ask(
        index: RegisterIndex,
    ) -> tuple[dict[str, str], tuple[bool, bool], str, list[tuple[date, ListedTask]], list[ListedTask]]:
        words, shows, title = index.words(), index.shows(), index.title()
        check_range(end, start)
        return words, shows, title, index.due(end, start), index.ongoing() if include_ongoing else []

    words, (headings, remarks), title, due_rows, ongoing_rows = with_index(
        settings.data, ask, cache=settings.cache, progress=live_stages
    )
    settings.words = words
    note_source(find_register_folder(settings.data), title)
    records = (with_milestone(listed_object(task, headings, remarks), day, today) for day, task in due_rows)
    columns = ["milestone", "id", "task", "lead", "deadline", "days_left"]
    extra = [dict(listed_object(task, headings, remarks), milestone=None) for task in ongoing_rows]
    if fmt == "table":
        _emit(records, columns, fmt, title=say("cli.due_title", settings.lang, day=end.isoformat()))
        if extra:
            _emit(extra, ["id", "task", "lead", "deadline"], fmt, title=say("cli.ongoing_title", settings.lang))
    else:
        _emit(chain(records, extra), columns, fmt)
    note_if_bundled(len(due_rows) + len(ongoing_rows))


def _emit(records: Iterable[Mapping[str, Any]], columns: list[str], fmt: str, title: str | None = None) -> None:
    emit(records, columns, fmt, settings.lang, title=title, words=settings.words)
