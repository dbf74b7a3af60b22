"""Where each task stands on a given day, and how each unit is doing: pure functions.

The rules (the documentation's tracking page says the same in words a clerk reads):

- **As of D** counts every report dated on or before D. A milestone is
  *overdue* when its date is before D and it is still open on D.
- **Status of a task**: no report yet → 未开始 (``reported`` false). If the
  lead's latest report says 已完成 and no milestone is left open → 已完成.
  Otherwise the most recent report from any unit (the lead's wins a tie on
  date, then the later in the file), where 已完成 reads as 推进中: a sharing
  unit's part, or one phase of several, does not finish the task.
- **Milestones**: the task's due dates. Reports are replayed in date order:
  each 已完成 from the lead closes the earliest open milestone (on time when
  dated on or before it); an approved ``new_deadline`` (from any unit's
  report) replaces the earliest open milestone and every open milestone
  before the new date; with nothing open (an ongoing task), it adds one.
- **Per unit** (as lead): completion rate = milestones fallen due (before D)
  that are closed by D / milestones fallen due; on-time rate = those closed on
  or before their date / milestones fallen due. Reporting rate = the unit's
  tasks (led or shared, open tails excepted) on which it filed a report by D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .issues import usage_error
from .progress import DONE, IN_PROGRESS, NOT_STARTED, ProgressLog, ProgressReport
from .register import REF_GROUP, REF_UNIT, Register, Task


@dataclass(slots=True)
class Milestone:
    due: date  # effective date (after any approved new deadline)
    original: date | None  # the register's date, None when added by a new deadline
    closed: date | None = None  # the lead's 已完成 report that closed it

    def open_on(self, day: date) -> bool:
        return self.closed is None or self.closed > day

    @property
    def on_time(self) -> bool:
        return self.closed is not None and self.closed <= self.due


@dataclass(slots=True)
class TaskState:
    """A task on the as-of day."""

    task: Task
    status: str
    reported: bool
    last_report: ProgressReport | None
    milestones: list[Milestone]
    overdue: bool
    overdue_since: date | None  # the earliest open milestone before as-of
    next_due: date | None  # the earliest open milestone on or after as-of
    due_soon: bool  # next_due within the --within window
    postponed_to: date | None  # the latest approved new deadline
    reports: list[ProgressReport] = field(default_factory=list)


@dataclass(slots=True)
class UnitScore:
    """One unit's record as lead, and as reporter on every task it has a part in."""

    unit: str
    led: int
    involved: int
    reported: int
    reports: int
    fallen_due: int
    closed: int
    on_time: int
    overdue_tasks: list[int]

    @property
    def completion_rate(self) -> float | None:
        return self.closed / self.fallen_due if self.fallen_due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.fallen_due if self.fallen_due else None

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.involved if self.involved else None


def task_states(register: Register, log: ProgressLog, as_of: date, within: int = 30) -> list[TaskState]:
    """Every task's state on ``as_of``, in register order."""
    by_task: dict[int, list[ProgressReport]] = {}
    for report in log.until(as_of):
        by_task.setdefault(report.task, []).append(report)
    return [_state(task, by_task.get(task.id, []), as_of, within) for task in register.tasks]


def _state(task: Task, reports: list[ProgressReport], as_of: date, within: int) -> TaskState:
    milestones = [Milestone(day, day) for day in task.due]
    postponed_to = None
    for report in reports:  # already in date order
        if report.new_deadline is not None:
            postponed_to = report.new_deadline
            _postpone(milestones, report.new_deadline)
        if report.unit in task.leads and report.status == DONE:
            open_ones = [m for m in milestones if m.closed is None]
            if open_ones:
                open_ones[0].closed = report.date
    status, last = _status(task, reports, any(m.closed is None for m in milestones))
    open_before = [m.due for m in milestones if m.open_on(as_of) and m.due < as_of]
    upcoming = [m.due for m in milestones if m.open_on(as_of) and m.due >= as_of]
    next_due = min(upcoming) if upcoming else None
    return TaskState(
        task=task,
        status=status,
        reported=bool(reports),
        last_report=last,
        milestones=milestones,
        overdue=bool(open_before),
        overdue_since=min(open_before) if open_before else None,
        next_due=next_due,
        due_soon=next_due is not None and next_due <= as_of + timedelta(days=within),
        postponed_to=postponed_to,
        reports=reports,
    )


def _postpone(milestones: list[Milestone], new: date) -> None:
    open_ones = [m for m in milestones if m.closed is None]
    replaced = [m for m in open_ones if m.due < new] or open_ones[:1]
    for milestone in replaced:
        milestones.remove(milestone)
    milestones.append(Milestone(new, replaced[0].original if replaced else None))
    milestones.sort(key=lambda m: (m.closed is None, m.due))


def _status(task: Task, reports: list[ProgressReport], milestones_open: bool) -> tuple[str, ProgressReport | None]:
    if not reports:
        return NOT_STARTED, None
    lead_reports = [r for r in reports if r.unit in task.leads]
    if lead_reports and lead_reports[-1].status == DONE and not milestones_open:
        return DONE, lead_reports[-1]
    latest_day = reports[-1].date
    same_day = [r for r in reports if r.date == latest_day]
    lead_same_day = [r for r in same_day if r.unit in task.leads]
    last = (lead_same_day or same_day)[-1]
    # only the lead closes a task, and only once no milestone is left open
    status = IN_PROGRESS if last.status == DONE else last.status
    return status, last


def unit_scores(register: Register, states: list[TaskState], log: ProgressLog, as_of: date) -> list[UnitScore]:
    """Each unit that leads or shares a task by name or closed group, in register order; then each
    group whose members the plan does not list, which answers for itself."""
    names = [unit.name for unit in register.units] + [g.name for g in register.groups if g.is_unlisted]
    involved: dict[str, set[int]] = {name: set() for name in names}
    for task in register.tasks:
        for name in _named_units(register, task):
            involved.setdefault(name, set()).add(task.id)
    reported: dict[str, set[int]] = {}
    report_counts: dict[str, int] = {}
    for report in log.until(as_of):
        reported.setdefault(report.unit, set()).add(report.task)
        report_counts[report.unit] = report_counts.get(report.unit, 0) + 1
    scores = []
    for name in names:
        tasks = involved.get(name, set())
        if not tasks:
            continue
        led = [state for state in states if name in state.task.leads]
        fallen = [m for state in led for m in state.milestones if m.due < as_of]
        closed = [m for m in fallen if not m.open_on(as_of)]
        scores.append(
            UnitScore(
                unit=name,
                led=len(led),
                involved=len(tasks),
                reported=len(tasks & reported.get(name, set())),
                reports=report_counts.get(name, 0),
                fallen_due=len(fallen),
                closed=len(closed),
                on_time=sum(1 for m in closed if m.on_time),
                overdue_tasks=[state.task.id for state in led if state.overdue],
            )
        )
    return scores


def _named_units(register: Register, task: Task) -> set[str]:
    names = set(task.leads)
    for ref in task.refs:
        if ref.kind == REF_UNIT:
            names.add(ref.name)
        elif ref.kind == REF_GROUP:
            group = register.group(ref.name)
            if group is not None:
                names.update(group.members)
                if group.is_unlisted:
                    names.add(group.name)
    return names


# --- ranking: the first and last place, with the awards a plan may give them (Hanzhong: 红旗奖 / 蜗牛奖) ---

FIRST, LAST = "first", "last"

#: The default rule: what counts most is meeting milestones on time.
DEFAULT_RULE = {"on_time": 0.5, "completion": 0.3, "reporting": 0.2}
RULE_PARTS = ("on_time", "completion", "reporting")


def parse_rule(text: str | None) -> dict[str, float]:
    """``on_time:0.5,completion:0.3,reporting:0.2`` → weights (need not sum to 1)."""
    if not text:
        return dict(DEFAULT_RULE)
    weights: dict[str, float] = {}
    for part in text.replace(",", ",").split(","):
        name, _, value = part.strip().partition(":")
        name = name.strip().replace("-", "_")
        try:
            weight = float(value) if value.strip() else 1.0
        except ValueError:
            weight = -1.0
        if name not in RULE_PARTS or weight < 0 or name in weights:
            raise usage_error("arg_bad_rule", value=text, parts=", ".join(RULE_PARTS))
        weights[name] = weight
    if not any(weights.values()):
        raise usage_error("arg_bad_rule", value=text, parts=", ".join(RULE_PARTS))
    return weights


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    score: float
    unit: UnitScore
    award: str | None  # "first" or "last" place where the ranking gives one (the plan names the awards), else None


def rank_units(scores: list[UnitScore], rule: dict[str, float], min_due: int = 1) -> list[Ranked]:
    """Units with at least ``min_due`` milestones fallen due, by score: the weighted mean
    of the rates a unit has (a rate without data drops out, the weights renormalised).

    Ties go to fewer overdue tasks, then register order. The first place goes to the
    first; the last place to the last, and only when its score is below the first's
    (Hanzhong calls them 红旗奖 and 蜗牛奖).
    """
    rows: list[tuple[float, int, int, UnitScore]] = []
    for order, unit in enumerate(scores):
        if unit.fallen_due < min_due:
            continue
        rates = {"on_time": unit.on_time_rate, "completion": unit.completion_rate, "reporting": unit.reporting_rate}
        known = {name: rate for name, rate in rates.items() if rate is not None}
        used = {name: weight for name, weight in rule.items() if weight and rates[name] is not None}
        if not used:
            continue
        score = sum(known[name] * weight for name, weight in used.items()) / sum(used.values())
        rows.append((round(score, 6), len(unit.overdue_tasks), order, unit))
    rows.sort(key=lambda row: (-row[0], row[1], row[2]))
    ranked = []
    for position, (score, _, _, unit) in enumerate(rows, start=1):
        award = None
        if position == 1:
            award = FIRST
        elif position == len(rows) and score < rows[0][0]:
            award = LAST
        ranked.append(Ranked(position, score, unit, award))
    if len(ranked) == 1 or (ranked and ranked[-1].score == ranked[0].score):
        # nobody stands out: no awards
        ranked = [Ranked(r.rank, r.score, r.unit, None) for r in ranked]
    return ranked
