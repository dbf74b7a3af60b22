"""Where each task stands on a given day, and how each unit is doing: pure functions.

The rules (the documentation's tracking page says the same in words a clerk reads):

- **As of D** counts every report and every check dated on or before D. A
  milestone is *overdue* when its date is before D and it is still open on D.
- **Sign-off (销号)**: a lead's 已完成 report counts only once the office has
  checked it 通过; until then the task is 待销号. A check 退回 sends the task
  back to work (推进中, the reason kept); a later 已完成 report is checked anew.
- **Status of a task**: no report yet → 未开始 (``reported`` false). If the
  lead's latest report says 已完成: unchecked → 待销号; checked 通过 with no
  milestone left open → 已完成. Otherwise the most recent report from any unit
  (the lead's wins a tie on date, then the later in the file), where 已完成
  reads as 推进中: a sharing unit's part, one phase of several, or a report
  returned does not finish the task.
- **Milestones**: the task's due dates. Reports are replayed in date order:
  each 已完成 from the lead that was checked 通过 closes the earliest open
  milestone, dated by the report (on time when on or before the milestone);
  an approved ``new_deadline`` (from any unit's report) replaces the earliest
  open milestone and every open milestone before the new date; with nothing
  open (an ongoing task), it adds one.
- **Light**: red when a milestone is overdue; yellow when the next open
  milestone is within the warning window (``warn_days``) and the lead has not
  reported the task 已完成 (待销号 is not yellow); green otherwise: on track,
  signed off, or ongoing with no milestone.
- **Per unit** (as lead): completion rate = milestones fallen due (before D)
  that are closed by D / milestones fallen due; on-time rate = those closed on
  or before their date / milestones fallen due. Reporting rate = the unit's
  tasks (led or shared, open tails excepted) on which it filed a report by D.
- **Reporting schedule** (when the plan states one, ``domain.reporting``): the
  period owed on D is the last one due on or before D. A unit owes a report
  for a period when one of its tasks was not yet signed off as done on the
  period's first day; it has reported when it filed any report dated within
  the period. Period rate = periods reported / periods owed, up to D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .issues import usage_error
from .progress import (
    AWAITING_SIGN_OFF,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    PASSED,
    ProgressCheck,
    ProgressLog,
    ProgressReport,
    sign_offs,
)
from .register import REF_GROUP, REF_UNIT, Register, Task
from .reporting import ReportingPeriod, reporting_schedule

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = (GREEN, YELLOW, RED)
#: Yellow: the next milestone falls within this many days (``--warn-days``).
DEFAULT_WARN_DAYS = 7


@dataclass(slots=True)
class Milestone:
    due: date  # effective date (after any approved new deadline)
    original: date | None  # the register's date, None when added by a new deadline
    closed: date | None = None  # the date of the lead's 已完成 report that closed it (once checked 通过)
    signed_off: date | None = None  # the day the office checked that report 通过

    def open_on(self, day: date) -> bool:
        return self.closed is None or (self.signed_off or self.closed) > day

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
    light: str = GREEN
    done_report: ProgressReport | None = None  # the latest 已完成 report of a lead
    sign_off: str | None = None  # of done_report: 待销号, 通过 or 退回 (None without one)
    check: ProgressCheck | None = None  # the check of done_report, if any
    done_on: date | None = None  # the day the task was signed off done (None while it is not done)


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
    # Under the plan's reporting schedule (None when it states none):
    periods_owed: int | None = None  # periods due by as-of in which the unit owed a report
    periods_reported: int | None = None  # of those, the periods it filed a report in
    missing_report: ReportingPeriod | None = None  # the period owed on as-of, when it has not reported in it

    @property
    def period_rate(self) -> float | None:
        if not self.periods_owed or self.periods_reported is None:
            return None
        return self.periods_reported / self.periods_owed

    @property
    def completion_rate(self) -> float | None:
        return self.closed / self.fallen_due if self.fallen_due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.fallen_due if self.fallen_due else None

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.involved if self.involved else None


def task_states(
    register: Register, log: ProgressLog, as_of: date, within: int = 30, warn_days: int = DEFAULT_WARN_DAYS
) -> list[TaskState]:
    """Every task's state on ``as_of``, in register order.

    ``within``: due soon, the next milestone within N days; ``warn_days``: the yellow light's window.
    """
    reports = log.until(as_of)
    verdicts = sign_offs(reports, log.checks_until(as_of))
    by_task: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_task.setdefault(report.task, []).append(report)
    return [_state(task, by_task.get(task.id, []), verdicts, as_of, within, warn_days) for task in register.tasks]


def _state(
    task: Task,
    reports: list[ProgressReport],
    verdicts: dict[ProgressReport, ProgressCheck],
    as_of: date,
    within: int,
    warn_days: int,
) -> TaskState:
    milestones = [Milestone(day, day) for day in task.due]
    postponed_to = None
    done_report = None
    done_on = None
    for report in reports:  # already in date order
        if report.new_deadline is not None:
            postponed_to = report.new_deadline
            _postpone(milestones, report.new_deadline)
        if report.unit in task.leads and report.status == DONE:
            done_report = report
            check = verdicts.get(report)
            open_ones = [m for m in milestones if m.closed is None]
            if check is not None and check.result == PASSED and open_ones:
                open_ones[0].closed, open_ones[0].signed_off = report.date, check.date
    check = verdicts.get(done_report) if done_report is not None else None
    sign_off = None if done_report is None else (check.result if check is not None else AWAITING_SIGN_OFF)
    status, last = _status(task, reports, verdicts, any(m.closed is None for m in milestones))
    if status == DONE:
        assert check is not None  # 已完成 only once checked 通过
        done_on = max([check.date, *(m.signed_off for m in milestones if m.signed_off)])
    open_before = [m.due for m in milestones if m.open_on(as_of) and m.due < as_of]
    upcoming = [m.due for m in milestones if m.open_on(as_of) and m.due >= as_of]
    next_due = min(upcoming) if upcoming else None
    light = GREEN
    if open_before:
        light = RED
    elif next_due is not None and (next_due - as_of).days <= warn_days and status != AWAITING_SIGN_OFF:
        light = YELLOW
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
        light=light,
        done_report=done_report,
        sign_off=sign_off,
        check=check,
        done_on=done_on,
    )


def _postpone(milestones: list[Milestone], new: date) -> None:
    open_ones = [m for m in milestones if m.closed is None]
    replaced = [m for m in open_ones if m.due < new] or open_ones[:1]
    for milestone in replaced:
        milestones.remove(milestone)
    milestones.append(Milestone(new, replaced[0].original if replaced else None))
    milestones.sort(key=lambda m: (m.closed is None, m.due))


def _status(
    task: Task,
    reports: list[ProgressReport],
    verdicts: dict[ProgressReport, ProgressCheck],
    milestones_open: bool,
) -> tuple[str, ProgressReport | None]:
    if not reports:
        return NOT_STARTED, None
    lead_reports = [r for r in reports if r.unit in task.leads]
    if lead_reports and lead_reports[-1].status == DONE:
        check = verdicts.get(lead_reports[-1])
        if check is None:
            return AWAITING_SIGN_OFF, lead_reports[-1]
        if check.result == PASSED and not milestones_open:
            return DONE, lead_reports[-1]
    latest_day = reports[-1].date
    same_day = [r for r in reports if r.date == latest_day]
    lead_same_day = [r for r in same_day if r.unit in task.leads]
    last = (lead_same_day or same_day)[-1]
    # only the lead closes a task, once the office has signed it off and no milestone is left open
    status = IN_PROGRESS if last.status == DONE else last.status
    return status, last


def unit_scores(register: Register, states: list[TaskState], log: ProgressLog, as_of: date) -> list[UnitScore]:
    """Each unit that leads or shares a task by name or closed group, in register order; then each
    group whose members the plan does not list, which answers for itself."""
    names = [unit.name for unit in register.units] + [g.name for g in register.groups if g.is_unlisted]
    involved: dict[str, set[int]] = {name: set() for name in names}
    for task in register.tasks:
        for name in named_units(register, task):
            involved.setdefault(name, set()).add(task.id)
    reported: dict[str, set[int]] = {}
    report_counts: dict[str, int] = {}
    for report in log.until(as_of):
        reported.setdefault(report.unit, set()).add(report.task)
        report_counts[report.unit] = report_counts.get(report.unit, 0) + 1
    periods = _periods_by_unit(register, states, log, as_of, involved)
    scores = []
    for name in names:
        tasks = involved.get(name, set())
        if not tasks:
            continue
        led = [state for state in states if name in state.task.leads]
        fallen = [m for state in led for m in state.milestones if m.due < as_of]
        closed = [m for m in fallen if not m.open_on(as_of)]
        owed, filed, missing = periods.get(name, (None, None, None))
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
                periods_owed=owed,
                periods_reported=filed,
                missing_report=missing,
            )
        )
    return scores


def _not_done_on(done_on: date | None, day: date) -> bool:
    return done_on is None or done_on > day


def owed_period(register: Register, as_of: date) -> ReportingPeriod | None:
    """The reporting period owed on ``as_of`` under the plan's schedule (None: no schedule, or none due yet)."""
    schedule = reporting_schedule(register)
    return schedule.owed(as_of) if schedule is not None else None


def last_reports(log: ProgressLog, as_of: date) -> dict[str, date]:
    """Each unit's latest report dated on or before ``as_of``."""
    return {report.unit: report.date for report in log.until(as_of)}  # in date order: the last one stays


def unreported_units(scores: list[UnitScore]) -> list[str]:
    """The units that have not reported for the period owed (未报送), in register order."""
    return [score.unit for score in scores if score.missing_report is not None]


def _periods_by_unit(
    register: Register, states: list[TaskState], log: ProgressLog, as_of: date, involved: dict[str, set[int]]
) -> dict[str, tuple[int, int, ReportingPeriod | None]]:
    """unit → (periods owed, periods reported, the period owed on as-of if unreported), under the plan's schedule."""
    schedule = reporting_schedule(register)
    if schedule is None:
        return {}
    periods = [period for period in schedule.periods if period.due <= as_of]
    done_on = {state.task.id: state.done_on for state in states}
    filed: dict[str, set[ReportingPeriod]] = {}
    for report in log.until(as_of):
        period = next((p for p in periods if p.holds(report.date)), None)
        if period is not None:
            filed.setdefault(report.unit, set()).add(period)
    found = {}
    for name, tasks in involved.items():
        if not tasks:
            continue
        # a unit owes a period's report while one of its tasks is not yet signed off done when the period begins
        owed = [period for period in periods if any(_not_done_on(done_on.get(task), period.start) for task in tasks)]
        reported = [period for period in owed if period in filed.get(name, set())]
        last = periods[-1] if periods else None
        missing = last if last is not None and last in owed and last not in reported else None
        found[name] = (len(owed), len(reported), missing)
    return found


def named_units(register: Register, task: Task) -> set[str]:
    """The units that answer for a task: its leads, the units it names, the members of the closed
    groups it names, and each group it names whose members the plan does not list (open tails: no one)."""
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
#: ``periods``: the share of reporting periods owed that a unit reported in (plans with a schedule).
RULE_PARTS = ("on_time", "completion", "reporting", "periods")


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
        rates = {
            "on_time": unit.on_time_rate,
            "completion": unit.completion_rate,
            "reporting": unit.reporting_rate,
            "periods": unit.period_rate,
        }
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
