"""Plans written as text: a Word document's paragraphs, or a government web page copied as text.

Two forms are read, and a plan may mix them:

- list form: a numbered item, then lines ``牵头单位:…`` / ``责任单位:…`` / ``配合单位:…`` /
  ``完成时限:…`` (also on the item's own line);
- paragraph form: the task ends in ``(区发改局牵头,各街道按职责分工负责)``.

An item that names units (or whose numbering the plan uses for such items) is a
task; numbered items above the tasks are the plan's levels, nested as official
documents nest them (一、 → (一) → 1. → (1)). A part of the body with no task
under it (总体要求, 保障措施) is kept as a section of the document. The lines
before the first item are the document's head: notice title, 发文字号,
主送机关, cover letter, signature and date, or a web page's 索引号 / 发布机构 lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .plan_draft import (
    FIELD_WORDS,
    FIRST_LEADS,
    RANK,
    DraftHeading,
    DraftLevel,
    DraftTask,
    Note,
    PlanDraft,
    clean_text,
    numbering,
    split_units,
)

#: Levels above the task a register holds (一、 → (一) → 1.); deeper plans keep their innermost three.
MAX_LEVELS = 3


@dataclass
class SourceLine:
    """One line or paragraph of the source, and where it stands there (plan.txt:12, [plan.docx]第12段)."""

    text: str
    where: str


@dataclass
class _Item:
    """A numbered item (or a paragraph) of the body with everything written under it."""

    style: str | None  # a NUMBERING style; None for a paragraph with no numbering
    number: str | None
    lines: list[str]
    where: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # lead, leader, responsible, deadline, remark
    role: str = ""  # task, heading, loose (set by _classify)

    def add(self, name: str, value: str) -> None:
        if value:
            self.fields.setdefault(name, []).append(value)


_LABEL_WORDS = sorted(
    (word for name, words in FIELD_WORDS.items() if name not in ("id", "task") for word in words if len(word) > 1),
    key=len,
    reverse=True,
)
_FIELD_BY_WORD = {word: name for name, words in FIELD_WORDS.items() for word in words}
#: A label that carries units or a deadline, where it starts a line or follows punctuation: 牵头单位:区发改局.
_LABEL = re.compile(rf"(?:^|(?<=[\s。;;,,(]))(?P<word>{'|'.join(_LABEL_WORDS)})\s*:\s*")
#: The parenthesis ending a paragraph-form task: (区发改局牵头,各街道按职责分工负责).
_TRAILING_PAREN = re.compile(r"\((?P<inside>[^()]*)\)[。.;;]?$")
_UNIT_PHRASE = re.compile(r"牵头|负责|配合|参与|落实|协同|协助|责任单位|牵头单位")
_LEAD_PHRASE = re.compile(r"^(?P<units>.+?)(?:为牵头单位|牵头负责|牵头)$")
_DEADLINE_PHRASE = re.compile(r"\d{4}年|\d{1,2}月|季度|年底|年内|年末|上半年|下半年|持续|长期|常态化|每[年月季]")
_DEADLINE_TAIL = re.compile(r"(?:全面)?(?:完成|实现|到位|见效)$")


def read_text_plan(lines: list[SourceLine], draft: PlanDraft, *, tasks: bool = True) -> None:
    """Fill ``draft`` from the body's lines: the document's head, and (with ``tasks``) its levels and tasks.

    Without ``tasks`` (the plan's tasks are in a table), only the document's data
    and the body's sections are read.
    """
    items, head = _items(lines, draft)
    _read_head(head, draft)
    if "leader" in draft.labels:  # 牵头领导 lines: the lead's word, unless the plan also writes 牵头单位
        draft.labels.setdefault("lead", draft.labels.pop("leader"))
    if any(FIRST_LEADS.search(line.text) for line in lines):
        draft.first_leads = True
    _classify(items)
    draft.sections += _sections(items)
    if tasks:
        _build(items, draft)


# --- items ---------------------------------------------------------------------------------------


def _items(lines: list[SourceLine], draft: PlanDraft) -> tuple[list[_Item], list[SourceLine]]:
    """The body as items, and the lines before the first item (the document's head)."""
    items: list[_Item] = []
    head: list[SourceLine] = []
    current: _Item | None = None
    for line in lines:
        text = clean_text(line.text).replace("\n", " ")
        if not text:
            continue
        labelled = _LABEL.match(text)
        numbered = numbering(text)
        if labelled and current is not None:
            _take_labels(text, current, draft)
            continue
        if numbered is not None:
            style, number, rest = numbered
            current = _Item(style, number, [], line.where)
            items.append(current)
            _take_line(rest, current, draft)
        elif current is None:
            head.append(SourceLine(text, line.where))
        elif current.fields or _names_units(text) and not (current.lines and current.lines[-1].endswith("。")):
            # A paragraph after a task's units, or one with its own units under a heading
            # (whose title ends in no 。): a task of its own.
            current = _Item(None, None, [], line.where)
            items.append(current)
            _take_line(text, current, draft)
        else:
            _take_line(text, current, draft)
    return items, head


def _names_units(text: str) -> bool:
    """Whether a line is a text followed by its own units: by a label, or in a closing parenthesis."""
    label = _LABEL.search(text)
    if label is not None:
        return label.start() > 0
    paren = _TRAILING_PAREN.search(text)
    return paren is not None and paren.start() > 0 and _UNIT_PHRASE.search(paren["inside"]) is not None


def _take_line(text: str, item: _Item, draft: PlanDraft) -> None:
    """One line of an item: its text, then units given by labels or a closing parenthesis."""
    first = _LABEL.search(text)
    if first is not None:
        before = text[: first.start()].rstrip(" (")
        if before:
            item.lines.append(before)
        _take_labels(text[first.start() :], item, draft)
        return
    paren = _TRAILING_PAREN.search(text)
    if paren is not None and _UNIT_PHRASE.search(paren.group("inside")):
        before = text[: paren.start()].rstrip()
        if before:
            item.lines.append(before)
        _take_phrase(paren.group("inside"), item, draft)
        return
    item.lines.append(text)


def _take_labels(text: str, item: _Item, draft: PlanDraft) -> None:
    """``牵头单位:区发改局;责任单位:区财政局`` into the item's fields, remembering each label's word."""
    matches = list(_LABEL.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip(" ;,。)")
        word = match.group("word")
        name = _FIELD_BY_WORD[word]
        if name == "leader":
            draft.leaders.update(split_units(value).names)
        draft.labels.setdefault(name, word)
        item.add(name, value)


def _take_phrase(inside: str, item: _Item, draft: PlanDraft) -> None:
    """The parenthesis of a paragraph-form task: who leads, who shares, by when."""
    if _LABEL.search(inside):
        _take_labels(inside, item, draft)
        return
    for segment in re.split(r"[,;;]", inside):
        segment = segment.strip()
        if not segment:
            continue
        lead = _LEAD_PHRASE.match(segment)
        if lead is not None:
            item.add("lead", lead.group("units"))
        elif _DEADLINE_PHRASE.search(segment) and not _UNIT_PHRASE.search(segment.replace("完成", "")):
            item.add("deadline", _DEADLINE_TAIL.sub("", segment) or segment)
        else:
            item.add("responsible", segment)


# --- what each item is ---------------------------------------------------------------------------


def _classify(items: list[_Item]) -> None:
    """Tasks, headings, and paragraphs that are neither, by numbering style.

    An item naming units is a task; an item numbered like the tasks is a task
    that names none; one numbered more outwardly is a heading, one numbered more
    inwardly (a task's (1), (2)) belongs to the task before it.
    """
    task_styles = {item.style for item in items if item.fields}
    numbered = [RANK[style] for style in task_styles if style is not None]
    outermost = min(numbered) if numbered else len(RANK)
    for item in items:
        if item.fields:
            item.role = "task"
        elif item.style is None:
            item.role = "loose"
        elif RANK[item.style] < outermost:
            item.role = "heading"
        elif item.style in task_styles:
            item.role = "task"
        else:
            item.role = "part"  # (1), (2) inside a task: its text


def _sections(items: list[_Item]) -> list[tuple[str, str]]:
    """The parts of the body with no task under them (总体要求, 保障措施), as (heading, text).

    They are taken out of ``items``.
    """
    headings = [item for item in items if item.role == "heading"]
    if not headings:
        return []
    top = min(RANK[item.style] for item in headings if item.style is not None)
    sections: list[tuple[str, str]] = []
    groups: list[list[_Item]] = []
    for item in items:
        if item.role == "heading" and item.style is not None and RANK[item.style] == top or not groups:
            groups.append([])
        groups[-1].append(item)
    kept: list[_Item] = []
    for group in groups:
        first = group[0]
        if first.role == "heading" and first.style is not None and RANK[first.style] == top:
            if not any(item.role == "task" for item in group):
                body = [_item_text(item, numbered=True) for item in group[1:]]
                text = "\n".join(line for line in ["\n".join(first.lines[1:]), *body] if line)
                title = (first.number or "") + (first.lines[0] if first.lines else "")
                if text and title:
                    sections.append((title, text))
                continue
        kept.extend(group)
    items[:] = kept
    return sections


def _item_text(item: _Item, numbered: bool = False) -> str:
    text = "\n".join(item.lines)
    return f"{item.number}{text}" if numbered and item.number else text


# --- the draft ------------------------------------------------------------------------------------


def _build(items: list[_Item], draft: PlanDraft) -> None:
    styles = sorted({item.style for item in items if item.role == "heading" and item.style}, key=RANK.__getitem__)
    if len(styles) > MAX_LEVELS:
        dropped = styles[: len(styles) - MAX_LEVELS]
        draft.note("init_levels_dropped", numbers="、".join(_example(items, style) for style in dropped))
        styles = styles[len(dropped) :]
    level_of = {style: index + 1 for index, style in enumerate(styles)}
    draft.levels = [DraftLevel(None, style) for style in styles]
    open_keys: list[DraftHeading] = []  # the headings the next item sits under, outermost first
    counts: dict[str | None, int] = {}
    task: DraftTask | None = None
    for item in items:
        if item.role == "heading" and item.style in level_of:
            level = level_of[item.style]
            while open_keys and open_keys[-1].level >= level:
                open_keys.pop()
            parent = open_keys[-1] if open_keys else None
            parent_key = parent.key if parent else None
            counts[parent_key] = counts.get(parent_key, 0) + 1
            key = f"{parent_key}.{counts[parent_key]}" if parent_key else str(counts[parent_key])
            title, _, _ = _item_text(item).partition("\n")
            heading = DraftHeading(key, level, _heading_title(title), item.number, parent_key)
            draft.headings.append(heading)
            open_keys.append(heading)
            task = None
        elif item.role == "task":
            task = _task(item, open_keys[-1].key if open_keys else None)
            draft.tasks.append(task)
        elif item.role == "part" and task is not None:
            task.text += "\n" + _item_text(item, numbered=True)
            _merge_fields(task, item)
        elif item.role == "loose" or item.role == "part":
            text = _item_text(item)
            if text:
                draft.note("init_paragraph_skipped", item.where, text=text)


def _heading_title(text: str) -> str:
    """A heading's title: its first sentence when the body goes on after it ((一)提高认识。各单位要…)."""
    first, stop, rest = text.partition("。")
    return first if stop and rest else text.rstrip("。") or text


def _task(item: _Item, heading: str | None) -> DraftTask:
    task = DraftTask(_item_text(item), item.where, number=item.number or "", heading=heading)
    _merge_fields(task, item)
    return task


def _merge_fields(task: DraftTask, item: _Item) -> None:
    for name, values in item.fields.items():
        if name in ("lead", "responsible", "leader"):
            cell = split_units("、".join(values))
            target = task.responsible if name == "responsible" else task.leads
            target.extend(n for n in cell.names if n not in target)
            if name == "responsible" and cell.leads:
                task.leads.extend(n for n in cell.leads if n not in task.leads)
        elif name == "deadline":
            task.deadline = task.deadline or "、".join(values)
        elif name == "remark":
            task.remark = "\n".join([task.remark, *values] if task.remark else values)
    if "lead" in item.fields and "leader" in item.fields:
        # A plan naming both a lead unit and a lead leader: the unit leads, the leader is kept in the remark.
        leaders = split_units("、".join(item.fields["leader"])).names
        task.leads = [name for name in task.leads if name not in leaders]
        task.notes.append(Note("init_leader_in_remark", {"names": "、".join(leaders)}))
        task.remark = "\n".join(filter(None, [task.remark, "、".join(leaders)]))


def _example(items: list[_Item], style: str) -> str:
    return next((item.number or "" for item in items if item.style == style), style)


# --- the document's head ----------------------------------------------------------------------

_HEAD_LABELS = {
    "索引号": "index_no",
    "发布机构": "publisher",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "成文日期": "written",
    "发布日期": "published",
    "发布时间": "published",
    "主送机关": "recipients",
    "标题": "title",
    "名称": "title",
}
_HEAD_LABEL = re.compile(rf"(?P<word>{'|'.join(sorted(_HEAD_LABELS, key=len, reverse=True))})\s*:\s*")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(]\d{4}[〕\])]\s*\d{1,4}\s*号")
_DATE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
_ISO_DAY = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_CN_NUMERALS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_NUMERALS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_DIGIT = "[〇○零O一二三四五六七八九十]"
_CN_DATE = re.compile(rf"^(?P<y>{_CN_DIGIT}{{4}})年(?P<m>{_CN_DIGIT}{{1,2}})月(?P<d>{_CN_DIGIT}{{1,3}})日$")
_NOTICE = re.compile(r"^(?P<issuer>.*?)关于印发(?P<rest>.+?)的通知$")
_QUOTED_TITLE = re.compile(r"《(?P<title>[^》]+)》")
_TITLE_WORDS = re.compile(r"方案|分解|清单|任务|计划|要点|措施|意见|安排|台账|责任|工作|报告")
_NOISE = re.compile(r"[>›»|【】]|打印|关闭|字体|分享|扫一扫|浏览次数|访问量|来源:|当前位置|首页")
_ISSUER_END = re.compile(r"(?:政府|办公室|委员会|局|委|办|部|指挥部|领导小组|管委会)$")


def _read_head(head: list[SourceLine], draft: PlanDraft) -> None:
    """The document's data from the lines before the body: whatever of it the source states."""
    letter: list[str] = []
    in_letter = False
    title_like: list[str] = []
    notice_title: str | None = None
    for index, line in enumerate(head):
        text = line.text
        labelled = list(_HEAD_LABEL.finditer(text))
        if labelled:
            for number, match in enumerate(labelled):
                end = labelled[number + 1].start() if number + 1 < len(labelled) else len(text)
                _head_value(draft, _HEAD_LABELS[match.group("word")], text[match.end() : end].strip())
            continue
        day = _day(text)
        if day is not None:
            draft.written = draft.written or day
            previous = head[index - 1].text if index else ""
            if draft.issuer is None and _ISSUER_END.search(previous) and len(previous) <= 30:
                draft.issuer = previous
            in_letter = False
            continue
        doc_number = _DOC_NUMBER.fullmatch(text.replace(" ", ""))
        if doc_number is not None:
            draft.doc_number = draft.doc_number or doc_number.group(0)
            continue
        notice = _NOTICE.match(text)
        if notice is not None:
            notice_title = text
            draft.issuer = draft.issuer or notice.group("issuer") or None
            quoted = _QUOTED_TITLE.search(notice.group("rest"))
            draft.title = draft.title or (quoted.group("title") if quoted else notice.group("rest"))
            continue
        if text.endswith(":") and draft.recipients is None and len(text) <= 120:
            draft.recipients = text[:-1]
            in_letter = True
            continue
        if in_letter and (text.endswith("。") or letter and not _is_title_like(text)):
            letter.append(text)
            continue
        in_letter = False
        if _is_title_like(text) and text != notice_title:
            title_like.append(text)
    if letter:
        draft.cover_letter = "\n".join(letter)
    if draft.title is None and title_like:
        draft.title = next((text for text in title_like if _TITLE_WORDS.search(text)), title_like[0])


def _head_value(draft: PlanDraft, name: str, value: str) -> None:
    if not value:
        return
    if name == "written":
        draft.written = draft.written or _day(value)
    elif name == "published":
        found = _ISO_DAY.search(value) or _DATE.match(value)
        if found is not None and draft.published is None:
            try:
                draft.published = date(int(found["y"]), int(found["m"]), int(found["d"])).isoformat()
            except ValueError:
                pass
    elif getattr(draft, name) is None:
        setattr(draft, name, value)


def _day(text: str) -> date | None:
    """A date written alone on a line: 2023年3月1日, 二〇二三年三月一日, 2023-03-01."""
    text = text.replace(" ", "")
    match = _DATE.match(text) or _ISO_DAY.fullmatch(text)
    numbers: tuple[int, int, int] | None = None
    if match is not None:
        numbers = (int(match["y"]), int(match["m"]), int(match["d"]))
    else:
        cn = _CN_DATE.match(text)
        if cn is not None:
            year = int("".join(str(_CN_NUMERALS[char]) for char in cn["y"]))
            numbers = (year, _cn_number(cn["m"]), _cn_number(cn["d"]))
    if numbers is None:
        return None
    try:
        return date(*numbers)
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """一 … 三十一 as a number."""
    if "十" not in text:
        return _CN_NUMERALS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_NUMERALS.get(tens, 0) if tens else 1) * 10 + (_CN_NUMERALS.get(ones, 0) if ones else 0)


def _is_title_like(text: str) -> bool:
    return (
        4 <= len(text) <= 60
        and "。" not in text
        and ":" not in text
        and re.search(r"[\u4e00-\u9fff]", text) is not None
        and _NOISE.search(text) is None
        and _day(text) is None
    )
