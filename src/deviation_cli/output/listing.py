"""The one place a listing becomes text: a terminal table, JSON, CSV or Markdown.

Every listing command hands its rows (dicts of the JSON contract, see
``json_objects``) and the columns it wants shown to ``emit``. JSON prints the
rows whole; CSV prints every field; table and Markdown print the chosen
columns with labels in the user's language.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import IO, Any

from ..formats.formulas import guard_formula
from ..words import DEFAULT_LANG, Lang, label
from .cells import cell, shown_cell, shown_value
from .escaping import html_escape, markdown_escape
from .table import print_table

#: What ``--format`` takes for a listing.
LISTING_FORMATS = ("table", "json", "csv", "md")

Row = Mapping[str, Any]


def emit(
    records: Iterable[Row],
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
    use them in Chinese. JSON and Markdown are written record by record, as
    ``records`` yields them (a listing of 100,000 tasks is never one string);
    CSV and the table need every record first, for the header and the widths.
    """
    out = stream or sys.stdout
    if fmt == "json":
        write_json(records, out)
    elif fmt == "csv":
        write_csv(list(records), out, lang, words)
    elif fmt == "md":
        write_markdown(records, columns, out, lang, words)
    else:
        print_table(list(records), columns, lang, out, title, highlight, words)


def write_json(records: Iterable[Row], out: IO[str]) -> None:
    """What ``json.dumps(list(records), ensure_ascii=False, indent=2)`` and a newline give, written as it goes."""
    first = True
    for record in records:
        out.write(("[\n  " if first else ",\n  ") + indented_json(record, "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


_INFINITY = float("inf")


def indented_json(value: object, indent: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, for a value starting after ``indent``.

    Why not json.dumps: with ``indent`` the standard library encodes in Python, a
    generator per value; here strings go through its C function
    (``encode_basestring``) and the layout is joined directly, about twice as fast
    on the task objects of a large listing. Anything but dicts with text keys,
    lists, tuples, text, numbers, booleans and None is left to json.dumps.
    """
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float:
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    inner = indent + "  "
    between = "," + inner
    if type(value) is dict:
        if not value:
            return "{}"
        fields = []
        for key, item in value.items():
            if type(key) is not str:
                return _reindented(value, indent)
            # Text and whole numbers, most of a task object, without a call of their own.
            kind = type(item)
            shown = encode_basestring(item) if kind is str else int.__repr__(item) if kind is int else None
            fields.append(encode_basestring(key) + ": " + (shown if shown is not None else indented_json(item, inner)))
        return "{" + inner + between.join(fields) + indent + "}"
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        if all(type(item) is str for item in value):
            return "[" + inner + between.join(map(encode_basestring, value)) + indent + "]"
        return "[" + inner + between.join([indented_json(item, inner) for item in value]) + indent + "]"
    return _reindented(value, indent)


def _reindented(value: object, indent: str) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", indent)


def to_csv(records: Sequence[Row], lang: Lang = DEFAULT_LANG, words: Mapping[str, str] | None = None) -> str:
    """CSV with every field and one header row, starting with a BOM so Excel/WPS read UTF-8."""
    buffer = io.StringIO()
    write_csv(records, buffer, lang, words)
    return buffer.getvalue()


def write_csv(
    records: Sequence[Row], out: IO[str], lang: Lang = DEFAULT_LANG, words: Mapping[str, str] | None = None
) -> None:
    """``to_csv``, written to ``out`` row by row."""
    import csv  # here: a JSON listing, the one scripts run, does not need it

    keys: list[str] = []
    seen: set[str] = set()
    for record in records:
        # The lead cell holds every lead (甲、乙), as a table writes co-leads: ``leads`` would repeat it.
        for key in record:
            if key not in seen and key != "leads":
                seen.add(key)
                keys.append(key)
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label(key, lang, words) for key in keys])
    for record in records:
        writer.writerow([_csv_cell(shown_value(record, key), lang, key) for key in keys])


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
    records: Iterable[Row], columns: Sequence[str], lang: Lang = DEFAULT_LANG, words: Mapping[str, str] | None = None
) -> str:
    buffer = io.StringIO()
    write_markdown(records, columns, buffer, lang, words)
    return buffer.getvalue()


def write_markdown(
    records: Iterable[Row],
    columns: Sequence[str],
    out: IO[str],
    lang: Lang = DEFAULT_LANG,
    words: Mapping[str, str] | None = None,
) -> None:
    """A Markdown table of ``columns``, written row by row."""
    out.write("| " + " | ".join(markdown_escape(label(c, lang, words)) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for record in records:
        cells = (
            markdown_escape(html_escape(shown_cell(shown_value(record, column), lang, column))) for column in columns
        )
        out.write("| " + " | ".join(cells) + " |\n")
