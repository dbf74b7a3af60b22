"""Unit names as people write them: resolving, suggesting, splitting and joining lists.

A responsible cell in the source reads like
``各县区政府,汉中经开区、兴汉新区、航空经开区管委会,市发改委、市自然资源局等市级相关部门单位``.
``split_unit_list`` turns that into the register's list (the shared suffix 管委会
distributed, the open tail kept as ``等市级相关部门单位``); ``join_unit_list``
writes a list back the way the source lays it out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .register import (
    OPEN_TAIL_PREFIX,
    REF_GROUP,
    REF_OPEN_TAIL,
    REF_UNIT,
    Group,
    Unit,
    UnitRef,
    normalise_name,
)

#: How many distinct unknown names get a "did you mean" list. Why a budget:
#: each list compares the name with every known one (difflib), and a hostile or
#: badly broken file with 20,000 unknown names took half a minute to validate.
SUGGESTION_BUDGET = 200


class UnitDirectory:
    """Every name a unit or group goes by, mapped to what it names."""

    def __init__(self, units: Iterable[Unit], groups: Iterable[Group], shared_suffixes: Iterable[str] = ()):
        self.units = {unit.name: unit for unit in units}
        self.groups = {group.name: group for group in groups}
        self.shared_suffixes = tuple(shared_suffixes)
        self._by_written: dict[str, UnitRef] = {}
        for unit in self.units.values():
            for written in (unit.name, unit.full_name, *unit.aliases):
                if written:
                    self._by_written.setdefault(written, UnitRef(written, unit.name, REF_UNIT))
        for group in self.groups.values():
            for written in (group.name, *group.aliases):
                self._by_written.setdefault(written, UnitRef(written, group.name, REF_GROUP))
        self._by_normalised = {normalise_name(written): ref for written, ref in self._by_written.items()}
        self._suggested: dict[tuple[str, int], list[str]] = {}
        # Open tails (等市级相关部门单位) as resolved: a large register repeats a few of them thousands of times.
        self._tails: dict[str, UnitRef] = {}

    def resolve(self, written: str) -> UnitRef | None:
        """What a name in the register means, written exactly as the register has it."""
        ref = self._by_written.get(written)
        if ref is not None:
            return ref if ref.written == written else UnitRef(written, ref.name, ref.kind)
        ref = self._tails.get(written)
        if ref is not None:
            return ref
        if written.startswith(OPEN_TAIL_PREFIX):
            group_ref = self._by_written.get(written[len(OPEN_TAIL_PREFIX) :])
            if group_ref is not None and group_ref.kind == REF_GROUP:
                ref = self._tails[written] = UnitRef(written, group_ref.name, REF_OPEN_TAIL)
                return ref
        return None

    def exact_names(self) -> dict[str, UnitRef]:
        """Every name exactly as written -> what it names (read-only; for loops over many names)."""
        return self._by_written

    def resolve_loosely(self, written: str) -> UnitRef | None:
        """Like ``resolve``, forgiving width variants, spaces and invisible characters."""
        ref = self.resolve(written)
        if ref is not None:
            return ref
        clean = normalise_name(written)
        ref = self._by_normalised.get(clean)
        if ref is not None:
            return UnitRef(written, ref.name, ref.kind)
        if clean.startswith(OPEN_TAIL_PREFIX):
            ref = self._by_normalised.get(clean[len(OPEN_TAIL_PREFIX) :])
            if ref is not None and ref.kind == REF_GROUP:
                return UnitRef(written, ref.name, REF_OPEN_TAIL)
        return None

    def clean_spelling(self, written: str) -> str | None:
        """The register's spelling of a name written with stray spaces or width variants."""
        clean = normalise_name(written)
        if clean == written:
            return None
        if clean in self._by_written:
            return clean
        if clean.startswith(OPEN_TAIL_PREFIX) and clean[len(OPEN_TAIL_PREFIX) :] in self._by_written:
            return clean
        return None

    def known_spelling(self, written: str) -> str | None:
        """How the register spells the name ``written`` means, forgiving spaces and widths.

        Why not the canonical name: an alias written in a cell (市行政审批局)
        stays the alias, as the register keeps names as the source writes them.
        """
        if self.resolve(written) is not None:
            return written
        clean = normalise_name(written)
        ref = self._by_normalised.get(clean)
        if ref is not None:
            return ref.written
        if clean.startswith(OPEN_TAIL_PREFIX):
            ref = self._by_normalised.get(clean[len(OPEN_TAIL_PREFIX) :])
            if ref is not None and ref.kind == REF_GROUP:
                return OPEN_TAIL_PREFIX + ref.written
        return None

    def suggestions(self, written: str, limit: int = 3) -> list[str]:
        """The nearest known units or groups, by canonical name, for 'did you mean'.

        Empty once ``SUGGESTION_BUDGET`` distinct names have been looked up.
        """
        key = (written, limit)
        if key in self._suggested:
            return list(self._suggested[key])
        if len(self._suggested) >= SUGGESTION_BUDGET:
            return []
        self._suggested[key] = self._nearest(written, limit)
        return list(self._suggested[key])

    def _nearest(self, written: str, limit: int) -> list[str]:
        target = normalise_name(written)
        if target.startswith(OPEN_TAIL_PREFIX):
            target = target[len(OPEN_TAIL_PREFIX) :]
        names = list(self._by_written)
        close = difflib.get_close_matches(target, names, n=limit * 3, cutoff=0.5)
        if not close:
            close = [name for name in names if target and (target in name or name in target)]
        canonical: list[str] = []
        for name in close:
            ref = self._by_written[name]
            if ref.name not in canonical:
                canonical.append(ref.name)
        return canonical[:limit]

    def find(self, query: str) -> list[str]:
        """Canonical names a user's query may mean: exact name/alias/full name, else a
        prefix, else a part of a name (国资委 → 市国资委).

        One name: found. Several: ambiguous. None: unknown.
        """
        ref = self.resolve_loosely(query)
        if ref is not None:
            return [ref.name]
        clean = normalise_name(query)
        if not clean:
            return []
        written = [(normalise_name(name), ref.name) for name, ref in self._by_written.items()]
        matches = {name for spelled, name in written if spelled.startswith(clean)}
        if not matches and len(clean) >= 2:
            matches = {name for spelled, name in written if clean in spelled}
        return sorted(matches, key=self._order)

    def _order(self, name: str) -> int:
        names = list(self.units) + list(self.groups)
        return names.index(name) if name in names else len(names)

    def members(self, group_name: str) -> tuple[str, ...]:
        group = self.groups.get(group_name)
        return group.members if group else ()


_TOP_SEPARATORS = re.compile(r"[,,;;\n]+")
_ITEM_SEPARATORS = re.compile(r"[、/]+")


def split_unit_list(
    text: str, directory: UnitDirectory | None = None, shared_suffixes: Iterable[str] = ("管委会",)
) -> list[str]:
    """Split a written list of units into the register's entries.

    ``各县区政府,汉中经开区、兴汉新区、航空经开区管委会,市发改委等市级相关部门单位`` →
    ``[各县区政府, 汉中经开区管委会, 兴汉新区管委会, 航空经开区管委会, 市发改委, 等市级相关部门单位]``.
    With a directory, a trailing ``等<group>`` is split off only where the group is
    known, and the shared suffixes come from it.
    """
    suffixes = tuple(directory.shared_suffixes) if directory else tuple(shared_suffixes)
    entries: list[str] = []
    text = unicodedata.normalize("NFKC", text)
    for segment in _TOP_SEPARATORS.split(text):
        items = [item.strip() for item in _ITEM_SEPARATORS.split(segment) if item.strip()]
        if not items:
            continue
        tail = None
        last = items[-1]
        position = last.find(OPEN_TAIL_PREFIX, 1)
        if position > 0 and (directory is None or directory.resolve_loosely(last[position:]) is not None):
            items[-1], tail = last[:position], last[position:]
        items = _distribute_suffix(items, suffixes)
        entries.extend(items)
        if tail:
            entries.append(tail)
    return entries


def _distribute_suffix(items: list[str], suffixes: tuple[str, ...]) -> list[str]:
    if len(items) < 2:
        return items
    for suffix in suffixes:
        if items[-1].endswith(suffix) and not any(item.endswith(suffix) for item in items[:-1]):
            return [item + suffix for item in items[:-1]] + [items[-1]]
    return items


def join_unit_list(entries: Iterable[str], directory: UnitDirectory) -> str:
    """Write entries back as the source lays them out.

    Consecutive units of one kind share a segment joined by 、 (a shared suffix
    written once at its end); an open tail closes its segment; segments are
    joined by ,.
    """
    segments: list[list[str]] = []
    previous_kind: str | None = None
    for entry in entries:
        ref = directory.resolve(entry)
        if ref is not None and ref.kind == REF_OPEN_TAIL:
            if segments and previous_kind is not None:
                segments[-1].append(entry)
            else:
                segments.append([entry])
            previous_kind = None
            continue
        kind = _kind_of(ref, directory)
        if segments and kind is not None and kind == previous_kind:
            segments[-1].append(entry)
        else:
            segments.append([entry])
        previous_kind = kind
    return ",".join(_join_segment(segment, directory.shared_suffixes) for segment in segments)


def _kind_of(ref: UnitRef | None, directory: UnitDirectory) -> str | None:
    if ref is None or ref.kind != REF_UNIT:
        return None
    return directory.units[ref.name].kind


def _join_segment(items: list[str], suffixes: tuple[str, ...]) -> str:
    tail = ""
    if items and items[-1].startswith(OPEN_TAIL_PREFIX) and len(items) > 1:
        tail = items.pop()
    for suffix in suffixes:
        if len(items) > 1 and all(item.endswith(suffix) for item in items):
            items = [item[: -len(suffix)] for item in items[:-1]] + [items[-1]]
            break
    else:
        for suffix in suffixes:
            if len(items) > 1 and items[-1].endswith(suffix) and not any(item.endswith(suffix) for item in items[:-1]):
                # Why: 甲单位、乙管委会 would read back as 甲单位管委会、乙管委会 (a suffix written once).
                return "、".join(items[:-1]) + "," + items[-1] + tail
    return "、".join(items) + tail
