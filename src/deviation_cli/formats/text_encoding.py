"""Register files' bytes as text: UTF-8 only, with a plain word for every other encoding met in practice.

GBK/GB18030 is what Chinese Windows editors save by default; UTF-16 is what
some Windows tools call "Unicode". Both are refused with how to re-save the file.
"""

from __future__ import annotations

from ..domain.issues import Issue, RegisterUnreadable


def decode_register_bytes(raw: bytes, path: str) -> str:
    """Decode a register file as UTF-8 (a BOM at the very start is allowed).

    Raises RegisterUnreadable with a hint when the bytes are another encoding:
    GBK/GB18030 is what Chinese Windows editors save by default.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        raise RegisterUnreadable(Issue("encoding_utf16", path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        code = "encoding_gbk" if _decodes_as_gb18030(raw) else "encoding_not_utf8"
        raise RegisterUnreadable(Issue(code, path, line, column)) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: what some Windows tools save as "Unicode".

    Why by parity and not by how many NULs: Chinese text in UTF-16 has few NUL
    bytes, but the ASCII it always holds (newlines, ``: ``, ``- ``, keys) puts
    a NUL in the same half of every pair; and a UTF-8 file with a stray NUL
    must be told about the NUL, not called UTF-16.
    """
    sample = raw[:65536]
    sample = sample[: len(sample) // 2 * 2]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) < 2 or min(odd, even) * 4 > max(odd, even):
        return False
    text = sample.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    if "\x00" in text or "\n" not in text:
        return False
    printable = sum(1 for char in text if char.isprintable() or char in "\t\r\n")
    return printable >= 0.9 * len(text)


def _decodes_as_gb18030(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True
