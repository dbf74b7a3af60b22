"""``deviation init``: a register folder from a plan as staff receive it (.docx, .xlsx, .csv, .txt).

Two steps, each usable on its own:

- ``read_plan`` reads the source into a ``PlanDraft`` (``plan_draft``): a reader per
  kind of file (``plan_docx``; ``plan_tables`` for workbooks, CSV and Word tables;
  ``plan_text`` for numbered text), every word kept as the source writes it;
- ``register_files`` guesses what the draft's names are (``unit_guesses``: kind and
  administrative level from the name) and lays the draft out as tasks.yaml and
  units.yaml, each guess a person should check marked ``unconfirmed:``, which
  ``validate`` reports as a warning until someone deletes it.

``init_register`` does both, checks the result with the very validation ``validate``
runs, and writes the two files only then, never over a register without ``force``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.deadlines import ONGOING_WORDS, DeadlineError, PlanCalendar, parse_deadline
from ..domain.issues import WARNING, Issue, RegisterInvalid, SourceUnreadable, UsageError
from ..domain.register import OPEN_TAIL_PREFIX
from ..formats.atomic import make_folder
from ..formats.folder_transaction import FolderTransaction
from ..formats.register_files import TASKS_FILE, UNITS_FILE, display_path, size_limit
from ..formats.tables import Grid, read_csv_grid, read_xlsx_grids
from ..formats.yaml_writer import dump
from ..words import Lang, message, say
from .plan_docx import DocxUnreadable, read_docx
from .plan_draft import DraftTask, Note, PlanDraft
from .plan_tables import has_task_table, header_words, read_table_plan
from .plan_text import SourceLine, read_text_plan
from .unit_guesses import group_open_to, guess_unit, is_group, level_of, plan_level

if TYPE_CHECKING:
    from ..validation.pipeline import Report

#: What init reads, by file name ending.
SOURCE_KINDS = {".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".txt": "text", ".text": "text"}
#: Kinds staff meet that need saving in another form first, and the message that says which.
OTHER_KINDS = {".doc": "init_old_word", ".wps": "init_old_word", ".xls": "init_old_excel", ".et": "init_old_excel"}
OTHER_KINDS.update({".pdf": "init_pdf", ".ofd": "init_pdf"})
#: The deadline of a task whose source gives none, when --deadline gives none either.
ONGOING = "持续推进"
assert ONGOING in ONGOING_WORDS
#: Units listed kind by kind, as people read a 名录.
KIND_ORDER = ("leader", "department", "institution", "zone", "county", "township", "company", "other")


# --- reading the source ---------------------------------------------------------------------


def read_plan(source: Path, lang: Lang = "zh") -> PlanDraft:
    """A plan file as a draft, or SourceUnreadable (exit 1) saying what is wrong and where.

    Raises UsageError (exit 2) for a path that is not a file of a kind init reads.
    """
    shown = display_path(source)
    suffix = source.suffix.lower()
    if not source.exists():
        raise UsageError(Issue("init_source_missing", shown))
    if source.is_dir():
        raise UsageError(Issue("init_source_is_folder", shown))
    if suffix in OTHER_KINDS:
        raise SourceUnreadable(Issue(OTHER_KINDS[suffix], shown))
    kind = SOURCE_KINDS.get(suffix)
    if kind is None:
        raise UsageError(Issue("init_unknown_kind", shown, args={"kinds": " ".join(SOURCE_KINDS)}))
    _check_size(source, shown)
    draft = PlanDraft(shown)
    if kind == "text":
        read_text_plan(_text_lines(source, shown), draft)
    elif kind == "docx":
        try:
            lines, grids = read_docx(source, shown, say("init.paragraph", lang), say("init.table", lang))
        except DocxUnreadable as error:
            raise SourceUnreadable(error.issue) from None
        tables = has_task_table(grids)
        read_text_plan(lines, draft, tasks=not tables)
        if tables:
            read_table_plan(grids, draft)
    else:
        grids = _table_grids(source, kind)
        if not read_table_plan(grids, draft):
            raise SourceUnreadable(Issue("init_no_header", shown, args={"labels": header_words()}))
    if not draft.tasks:
        raise SourceUnreadable(Issue("init_no_tasks", shown))
    return draft


def _check_size(source: Path, shown: str) -> None:
    try:
        size = source.stat().st_size
    except OSError as error:
        raise SourceUnreadable(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    if size > size_limit():
        raise SourceUnreadable(Issue("file_too_large", shown, args={"size": size, "limit": size_limit()}))


def _text_lines(source: Path, shown: str) -> list[SourceLine]:
    """A text file's lines: UTF-8 as asked, or what Windows Notepad saves (UTF-16, GB18030)."""
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise SourceUnreadable(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceUnreadable(Issue("init_not_text", shown))
    text = None
    for encoding in ("utf-16",) if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise SourceUnreadable(Issue("encoding_not_utf8", shown))
    return [SourceLine(line, f"{shown}:{number}") for number, line in enumerate(text.splitlines(), 1)]


def _table_grids(source: Path, kind: str) -> list[Grid]:
    """Every sheet of a workbook, or the CSV file, as grids whose cells are named [plan.xlsx]Sheet1!C7."""
    try:
        if kind == "csv":
            return [read_csv_grid(source)]
        grids = read_xlsx_grids(source)
    except UsageError as error:  # unreadable, or not a workbook: the source's fault, not the command line's
        raise SourceUnreadable(error.issues) from None
    for grid in grids:
        grid.sheet = f"[{source.name}]{grid.sheet}"
    return grids


# --- the register the draft makes -----------------------------------------------------------


@dataclass
class RegisterTexts:
    """The two files of a register drafted from a plan, and what was found."""

    tasks: str
    units: str
    counts: dict[str, int] = field(default_factory=dict)  # tasks, levels, units, groups
    notes: list[Issue] = field(default_factory=list)  # about the source, located there


def register_files(
    draft: PlanDraft, default_deadline: str | None = None, lang: Lang = "zh", refused: frozenset[str] = frozenset()
) -> RegisterTexts:
    """tasks.yaml and units.yaml for a draft, every guess a person should check marked ``unconfirmed``.

    ``refused`` are deadline wordings the grammar does not read: kept as written, and marked.
    """
    notes = [Issue(note.code, note.where or draft.source, args=note.args, severity=WARNING) for note in draft.notes]
    units = _Units(draft, lang)
    tasks = _tasks(draft, units, default_deadline, lang, refused, notes)
    plan = _plan(draft, units, lang)
    document = _document(draft, lang)
    headings: list[dict[str, object]] = [
        {"key": h.key, "parent": h.parent, "number": h.number, "title": h.title} for h in draft.headings
    ]
    if headings and any(task["heading"] is None for task in tasks):
        # Tasks before the plan's first heading: a register puts every task under one once it has headings.
        note = message("init_note_unplaced", {}, lang)
        headings.insert(0, {"key": "0", "title": say("init.unplaced", "zh"), "unconfirmed": note})
        for task in tasks:
            task["heading"] = task["heading"] or "0"
    tree: dict[str, object] = {"document": document, "plan": plan}
    if headings:
        tree["headings"] = headings
    tree["tasks"] = tasks
    title = document["title"]
    tasks_text = dump(tree, [say("init.comment.tasks", lang, title=title, source=_name(draft.source)), *_comment(lang)])
    units_tree: dict[str, object] = {"units": units.unit_entries()}
    if units.groups:
        units_tree["groups"] = units.group_entries()
    units_text = dump(units_tree, [say("init.comment.units", lang, source=_name(draft.source)), *_comment(lang)])
    counts = {
        "tasks": len(tasks),
        "levels": len(draft.levels),
        "units": len(units.units),
        "groups": len(units.groups),
    }
    return RegisterTexts(tasks_text, units_text, counts, notes)


def _name(shown: str) -> str:
    return Path(shown).name


def _comment(lang: Lang) -> list[str]:
    return say("init.comment.confirm", lang).split("\n")


def _note(lang: Lang, notes: list[Note]) -> str | None:
    """Notes as the one line an ``unconfirmed`` field holds."""
    return say("init.note_join", lang).join(message(note.code, note.args, lang) for note in notes) or None


@dataclass
class _UnitRecord:
    name: str
    kind: str
    level: str | None
    notes: list[Note] = field(default_factory=list)


@dataclass
class _GroupRecord:
    name: str
    open_to: tuple[str, ...]  # () for a group that stands for itself
    notes: list[Note] = field(default_factory=list)


class _Units:
    """Every unit and group the tasks name, in order of appearance, with what their names suggest."""

    def __init__(self, draft: PlanDraft, lang: Lang):
        self.lang = lang
        self.units: dict[str, _UnitRecord] = {}
        self.groups: dict[str, _GroupRecord] = {}
        self.leaders = draft.leaders
        # Groups a task names as an open tail (…等相关单位) must stay open, even where another task names them as lead.
        self.tails = {
            name.removeprefix(OPEN_TAIL_PREFIX)
            for task in draft.tasks
            for name in (*task.leads, *task.responsible)
            if name.startswith(OPEN_TAIL_PREFIX)
        }

    def entry(self, written: str, as_lead: bool = False) -> str | None:
        """Record a name a task writes and return it as the task writes it; None for a group that cannot lead.

        A group named as lead answers for itself (各街道), unless it is open (区直有关部门,
        or named elsewhere as an open tail): such a lead is none in particular.
        """
        if is_group(written):
            name = written.removeprefix(OPEN_TAIL_PREFIX)
            open_to = group_open_to(written) or (group_open_to(OPEN_TAIL_PREFIX + name) if name in self.tails else ())
            if as_lead and open_to:
                return None
            group = self.groups.setdefault(name, _GroupRecord(name, open_to))
            if as_lead and group.open_to:  # first seen as open, now as a lead: it answers for itself
                group.open_to = ()
            return written
        if written not in self.units:
            guess = guess_unit(written, written in self.leaders)
            unit = self.units[written] = _UnitRecord(written, guess.kind, guess.level)
            if guess.kind == "other":
                unit.notes.append(Note("init_note_kind_other"))
            elif guess.kind == "leader" and written not in self.leaders:
                unit.notes.append(Note("init_note_leader"))
        return written

    def finish(self, admin_level: str | None) -> None:
        """Levels relative to the plan's; the notes of groups, which need every unit seen first."""
        for unit in self.units.values():
            if unit.level == admin_level:
                unit.level = None  # the plan's own level goes without saying
        townships = [unit.name for unit in self.units.values() if unit.kind == "township"]
        for group in self.groups.values():
            if group.open_to:
                kinds = "、".join(say(f"value.{kind}", self.lang) for kind in group.open_to)
                group.notes.insert(0, Note("init_note_group_open", {"kinds": kinds}))
            else:
                seen = townships if re.search(r"街道|镇|乡", group.name) else []
                code = "init_note_group_itself_seen" if seen else "init_note_group_itself"
                group.notes.insert(0, Note(code, {"seen": "、".join(seen)}))

    def unit_entries(self) -> list[dict[str, object]]:
        order = sorted(self.units.values(), key=lambda unit: KIND_ORDER.index(unit.kind))
        return [
            {"name": unit.name, "kind": unit.kind, "level": unit.level, "unconfirmed": _note(self.lang, unit.notes)}
            for unit in order
        ]

    def group_entries(self) -> list[dict[str, object]]:
        return [
            {"name": group.name, "open_to": list(group.open_to) or None, "unconfirmed": _note(self.lang, group.notes)}
            for group in self.groups.values()
        ]


def _tasks(
    draft: PlanDraft,
    units: _Units,
    default_deadline: str | None,
    lang: Lang,
    refused: frozenset[str],
    notes: list[Issue],
) -> list[dict[str, object]]:
    ids = _ids(draft.tasks)
    if ids is None:
        ids = list(range(1, len(draft.tasks) + 1))
        if any(task.number for task in draft.tasks):
            notes.append(Issue("init_ids_renumbered", draft.source, args={"count": len(ids)}, severity=WARNING))
    entries: list[dict[str, object]] = []
    year = _year(draft)
    for task_id, task in zip(ids, draft.tasks):
        task_notes = list(task.notes)
        leads, responsible = _task_units(task, draft.first_leads)
        lead_names: list[str] = []
        for name in leads:
            entry = units.entry(name, as_lead=True)
            if entry is None:  # an open group cannot lead: the task shares it with them
                responsible.insert(0, name)
                task_notes.append(Note("init_note_open_lead", {"name": name}))
            else:
                lead_names.append(entry)
        responsible_names = [entry for name in dict.fromkeys(responsible) if (entry := units.entry(name)) is not None]
        deadline = task.deadline
        in_text = None if deadline else deadline_in_text(task.text, year)
        if in_text:
            deadline = in_text
            task_notes.append(Note("init_note_deadline_in_text", {"where": task.where, "deadline": deadline}))
        elif not deadline:
            deadline = default_deadline or ONGOING
            code = "init_note_deadline_given" if default_deadline else "init_note_deadline_ongoing"
            task_notes.append(Note(code, {"where": task.where, "deadline": deadline}))
        elif deadline in refused:
            task_notes.append(Note("init_note_deadline_refused", {"where": task.where, "deadline": deadline}))
        entries.append(
            {
                "id": str(task_id),
                "heading": task.heading,
                "text": task.text,
                "lead": lead_names[0] if len(lead_names) == 1 else lead_names or None,
                "responsible": responsible_names,
                "deadline": deadline,
                "remark": task.remark,
                "unconfirmed": _note(lang, task_notes),
            }
        )
    return entries


#: A clause's words around its deadline: 于2023年6月底前完成 → 2023年6月底前.
_CLAUSE_HEAD = re.compile(r"^(?:力争|确保|争取|务必|要|须|于|在|到)+")
_CLAUSE_TAIL = re.compile(r"(?:全面|基本|全部|如期|按时)?(?:完成|实现|办结|到位|建成|出台|落地)(?:任务|目标)?$")
_CLAUSE_BREAKS = re.compile(r"[,,;;。!!]")


def deadline_in_text(text: str, year: int | None) -> str | None:
    """The deadline a plan writes into the task's own words, when it has no column for one.

    Only a whole clause that the deadline grammar reads in full counts (``…,2023年6月底前完成。``
    gives ``2023年6月底前``; ``…,持续推进。`` gives ``持续推进``), so that a date inside a
    sentence (``年内实现20个事项``) is never taken for the task's deadline.

    >>> deadline_in_text("清理妨碍公平竞争的政策措施,2024年6月底前完成。", 2024)
    '2024年6月底前'
    >>> deadline_in_text("推行“一件事一次办”,年内实现20个高频事项集成办理。", 2024) is None
    True
    """
    calendar = PlanCalendar.whole_year(year) if year else None
    found: list[str] = []
    for clause in _CLAUSE_BREAKS.split(text):
        wording = _CLAUSE_TAIL.sub("", _CLAUSE_HEAD.sub("", clause.strip()))
        if not wording or not re.search(r"[前底末旬日年季]|推进|坚持|常态", wording):
            continue
        try:
            parsed = parse_deadline(wording, calendar)
        except DeadlineError:
            continue
        if parsed.ongoing or parsed.due:
            found.append(wording)
    if len(found) != 1:  # none, or several that may be steps of one task: a person decides
        return None
    return found[0]


def _ids(tasks: list[DraftTask]) -> list[int] | None:
    """The source's 序号 when every task has one and no two are the same; else None (number them in order)."""
    numbers = []
    for task in tasks:
        digits = task.number.strip().rstrip(".、)").lstrip("(")
        if not digits.isascii() or not digits.isdigit() or digits.startswith("0"):
            return None
        numbers.append(int(digits))
    return numbers if len(set(numbers)) == len(numbers) else None


def _task_units(task: DraftTask, first_leads: bool) -> tuple[list[str], list[str]]:
    """A task's leads and responsible entries as the register takes them.

    Where the plan says its first unit leads (列第一位的为牵头单位), the first responsible
    unit of a task with no lead leads it. An open tail (等相关单位) cannot lead: it joins
    the responsible list, as the source means it.
    """
    leads = [name for name in task.leads if not name.startswith(OPEN_TAIL_PREFIX)]
    responsible = [name for name in task.leads if name.startswith(OPEN_TAIL_PREFIX)] + [
        name for name in task.responsible if name not in leads
    ]
    if not leads and first_leads and responsible and not responsible[0].startswith(OPEN_TAIL_PREFIX):
        leads, responsible = responsible[:1], responsible[1:]
    return leads, list(dict.fromkeys(responsible))


def _plan(draft: PlanDraft, units: _Units, lang: Lang) -> dict[str, object]:
    admin_level = plan_level(draft.issuer, draft.title)
    plan_notes: list[Note] = []
    if admin_level is None:
        levels = Counter(level_of(unit.name) for unit in units.units.values() if unit.kind == "department")
        levels.pop(None, None)
        if levels:
            admin_level = levels.most_common(1)[0][0]
            plan_notes.append(Note("init_note_admin_level", {"level": admin_level}))
    units.finish(admin_level)
    levels_out = []
    for index, level in enumerate(draft.levels, 1):
        if level.name:
            levels_out.append({"name": level.name})
        else:
            example = next((h.number or "" for h in draft.headings if h.level == index), "")
            levels_out.append(
                {
                    "name": say("level.generic", "zh", n=index),  # the register's words are the plan's language
                    "unconfirmed": message("init_note_level_name", {"example": example}, lang),
                }
            )
    from ..validation.register_rules import LABEL_FIELDS  # lazy: pydantic, not on the command line's start-up path

    labels = {name: draft.labels[name] for name in LABEL_FIELDS if draft.labels.get(name)}
    return {
        "labels": labels or None,
        "levels": levels_out or None,
        "year": str(_year(draft)) if _year(draft) else None,
        "admin_level": admin_level,
        "unconfirmed": _note(lang, plan_notes),
    }


def _year(draft: PlanDraft) -> int | None:
    """The plan's year: the one its title names (2023年), else the year it was written, else its first deadline's."""
    found = re.search(r"(20\d{2})\s*年", draft.title or "")
    if found:
        return int(found.group(1))
    if draft.written:
        return draft.written.year
    years = [int(year) for task in draft.tasks for year in re.findall(r"20\d{2}", task.deadline or "")]
    return min(years) if years else None


def _document(draft: PlanDraft, lang: Lang) -> dict[str, object]:
    notes: list[Note] = []
    title = draft.title
    if not title:
        title = Path(draft.source).stem
        notes.append(Note("init_note_title_from_file"))
    written = draft.written
    if written is None:
        year = _year(draft) or date.today().year
        written = date(year, 1, 1)
        notes.append(Note("init_note_written_guessed", {"date": written.isoformat()}))
    if not draft.issuer:
        notes.append(Note("init_note_no_issuer"))
    return {
        "title": title,
        "doc_number": draft.doc_number,
        "index_no": draft.index_no,
        "source": draft.issuer,
        "publisher": draft.publisher,
        "written": written.isoformat(),
        "published": draft.published,
        "recipients": draft.recipients,
        "cover_letter": draft.cover_letter,
        "annex_title": draft.annex_title,
        "sections": [{"heading": heading, "text": text} for heading, text in draft.sections] or None,
        "unconfirmed": _note(lang, notes),
    }


# --- writing --------------------------------------------------------------------------------


@dataclass
class InitResult:
    """What ``init_register`` wrote and found."""

    folder: Path
    counts: dict[str, int]
    notes: list[Issue]  # about the source, located there (a row skipped, ids renumbered)
    issues: list[Issue]  # what validate says of the folder written: each guess to confirm, as a warning


def init_register(
    source: Path,
    out: Path,
    *,
    default_deadline: str | None = None,
    force: bool = False,
    lang: Lang = "zh",
) -> InitResult:
    """Read a plan and write ``out/tasks.yaml`` and ``out/units.yaml`` from it.

    Nothing is written when the source cannot be read or holds no task
    (SourceUnreadable), when ``default_deadline`` is a wording the deadline
    grammar refuses (UsageError), or when ``out`` already holds a register and
    ``force`` is not given (UsageError).
    """
    _check_target(out, force)
    draft = read_plan(source, lang)
    texts = register_files(draft, default_deadline, lang)
    report = _validate(out, texts)
    refused = _refused_deadlines(report)
    if default_deadline is not None and default_deadline in refused:
        issue = refused[default_deadline]
        raise UsageError(Issue("init_bad_default_deadline", args={"problem": issue.message(lang)}))
    if refused:
        texts = register_files(draft, default_deadline, lang, frozenset(refused))
        report = _validate(out, texts)
    errors = [issue for issue in report.errors if issue.code not in _DEADLINE_CODES]
    if errors:
        # Everything init writes comes from the source through the rules above: a register
        # validate refuses would be init's mistake, reported rather than written.
        shown = {display_path(out / name): f"(deviation init) {name}" for name in (UNITS_FILE, TASKS_FILE)}
        raise RegisterInvalid([Issue(i.code, shown.get(i.path, i.path), i.line, i.column, i.args) for i in errors])
    make_folder(out, display_path(out), parents=False)
    # Both files or neither: with --force over an older register, a kill between two
    # plain writes would leave one old file and one new, which no longer agree.
    with FolderTransaction(out) as change:
        change.write(UNITS_FILE, texts.units)
        change.write(TASKS_FILE, texts.tasks)
    return InitResult(out, texts.counts, texts.notes, report.issues)


#: The codes of a deadline wording the grammar does not read.
_DEADLINE_CODES = frozenset(
    {
        "deadline_unparsed",
        "deadline_unparsed_at",
        "deadline_bad_month",
        "deadline_bad_date",
        "deadline_no_year",
        "deadline_month_without_day",
        "deadline_empty",
    }
)


def _validate(out: Path, texts: RegisterTexts) -> Report:
    """What validate says of the two files, as they would stand in ``out``."""
    from ..validation.pipeline import validate_texts  # lazy: pydantic

    shown = {name: display_path(out / name) for name in (UNITS_FILE, TASKS_FILE)}
    return validate_texts(out, {UNITS_FILE: texts.units, TASKS_FILE: texts.tasks}, shown)


def _refused_deadlines(report: Report) -> dict[str, Issue]:
    """Each deadline wording the grammar refuses, with the first issue saying why."""
    refused: dict[str, Issue] = {}
    for issue in report.errors:
        wording = issue.args.get("wording")
        if issue.code in _DEADLINE_CODES and isinstance(wording, str):
            refused.setdefault(wording, issue)
    return refused


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(Issue("not_a_folder", args={"folder": display_path(out)}))
    existing = [name for name in (TASKS_FILE, UNITS_FILE) if (out / name).exists()]
    if existing and not force:
        raise UsageError(Issue("init_target_exists", display_path(out), args={"files": "、".join(existing)}))
