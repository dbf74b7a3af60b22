"""The one place a listing becomes text: a terminal table, JSON, CSV or Markdown.

Every listing command hands its rows (dicts of the JSON contract, see
``json_objects``) and the columns it wants shown to ``emit``. JSON prints the
rows whole; CSV prints every field; table and Markdown print the chosen
columns with labels in the user's language.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from ..formats.tables import guard_formula
from ..words import DEFAULT_LANG, Lang, label
from .cells import cell, shown_cell, shown_value
from .escaping import html_escape, markdown_escape
from .table import print_table

#: What ``--format`` takes for a listing.
LISTING_FORMATS = ("table", "json", "csv", "md")

Row = Mapping[str, Any]


def emit(
    records: Sequence[Row],
    columns: Sequence[str],
    fmt: str = "table",
    lang: Lang = DEFAULT_LANG,
    stream: IO[str] | None = None,
    title: str | None = None,
    highlight: str | None = None,
    words: Mapping[str, str] | None = None,
) -> None:
    """Print records in the chosen format to ``stream`` (stdout by default).

    ``words`` are the plan's own words for fields (``Plan.words``): column headings
    use them in Chinese.
    """
    out = stream or sys.stdout
    if fmt == "json":
        out.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        out.write(to_csv(records, lang, words))
    elif fmt == "md":
        out.write(to_markdown(records, columns, lang, words))
    else:
        print_table(records, columns, lang, out, title, highlight, words)


def to_csv(records: Sequence[Row], lang: Lang = DEFAULT_LANG, words: Mapping[str, str] | None = None) -> str:
    """CSV with every field and one header row, starting with a BOM so Excel/WPS read UTF-8."""
    keys: list[str] = []
    for record in records:
        # The lead cell holds every lead (甲、乙), as a table writes co-leads: ``leads`` would repeat it.
        keys.extend(key for key in record if key not in keys and key != "leads")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label(key, lang, words) for key in keys])
    for record in records:
        writer.writerow([_csv_cell(shown_value(record, key), lang, key) for key in keys])
    return "\ufeff" + buffer.getvalue()


def _csv_cell(value: object, lang: Lang, key: str) -> str:
    """A CSV cell; text that Excel/WPS would run as a formula is kept as text.

    Why: a task text starting with ``=`` (``=HYPERLINK(...)``) is a formula to a
    spreadsheet (CSV injection), and so is a list whose first name starts with one
    (a unit or alias ``=1+1`` in 责任单位 or 别名). Every cell is guarded but numbers
    (days_left -3, a rate), which are not text and stay as they are.
    """
    text = cell(value, lang, key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return guard_formula(text)


def to_markdown(
    records: Sequence[Row], columns: Sequence[str], lang: Lang = DEFAULT_LANG, words: Mapping[str, str] | None = None
) -> str:
    lines = [
        "| " + " | ".join(markdown_escape(label(c, lang, words)) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for record in records:
        lines.append(
            "| " + " | ".join(markdown_escape(html_escape(shown_cell(record.get(c), lang, c))) for c in columns) + " |"
        )
    return "\n".join(lines) + "\n"
