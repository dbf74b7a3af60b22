"""Hostile workbooks made from a real one: parts replaced or rewritten, XML bombs, far cells, huge merges.

Used by tests/exchange/test_hostile_tables.py, the fuzz script and the property suite.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"

Change = bytes | Callable[[bytes], bytes]


def rewrite_xlsx(
    source: Path, target: Path, changes: dict[str, Change], streams: dict[str, Iterator[bytes]] | None = None
):
    """A copy of ``source`` with parts replaced (bytes) or rewritten (a function of the old bytes).

    ``streams`` writes a part from chunks, so a part of hundreds of megabytes never sits in memory.
    """
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        adds_strings = STRINGS in (streams or {}) or STRINGS in changes
        for info in old.infolist():
            if streams and info.filename in streams:
                continue
            data = old.read(info.filename)
            if adds_strings and STRINGS not in old.namelist():
                data = _declare_shared_strings(info.filename, data)
            change = changes.get(info.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            new.writestr(info.filename, data)
        for name, chunks in (streams or {}).items():
            with new.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return target


def _declare_shared_strings(name: str, data: bytes) -> bytes:
    """Make a workbook that had none declare a shared-strings part, so a reader really reads it."""
    if name == "[Content_Types].xml":
        override = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        return data.replace(b"</Types>", override.encode() + b"</Types>")
    if name == "xl/_rels/workbook.xml.rels":
        relation = (
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        )
        return data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
    return data


def add_cell(sheet: bytes, ref: str, value: str = "x") -> bytes:
    """A sheet with one more inline-string cell at ``ref`` (in a row of its own at the end)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'.encode()
    return sheet.replace(b"</sheetData>", cell + b"</sheetData>", 1)


def add_merge(sheet: bytes, ref: str) -> bytes:
    if b"<mergeCells" in sheet:
        return sheet.replace(b"</mergeCells>", f'<mergeCell ref="{ref}"/></mergeCells>'.encode(), 1)
    return sheet.replace(
        b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode(), 1
    )


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """``xml`` with a DOCTYPE (and whatever entities it declares) after its declaration."""
    head, sep, rest = xml.partition(b"?>")
    if not sep:
        return doctype.encode() + xml
    return head + sep + doctype.encode() + rest


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def many_shared_strings(count: int, chunk: int = 100_000) -> Iterator[bytes]:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{count}" uniqueCount="{count}">'.encode()
    for start in range(0, count, chunk):
        yield b"<si><t/></si>" * min(chunk, count - start)
    yield b"</sst>"
