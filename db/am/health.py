"""Client health: a score from 0 to 100 with the plain-language reasons behind it.

Every rule lives in this module and nowhere else. A client starts at 100; each rule looks at
the facts gathered about the client as of a date (`HealthFacts`, see `db.am.health_facts`) and
returns a penalty and a reason. The score is 100 minus the penalties, never below 0. Every
number below is a field of `HealthThresholds`; the agency overrides any of them through the
`health_thresholds` setting (a dict of field name -> value, see `db.settings`).

=====================  ================================================  ==========================
Rule                   When it bites                                     Penalty (default)
=====================  ================================================  ==========================
no contact             no call/email/meeting/report/gift for             15 from 30 days,
                       `no_contact_warn_days` (counted from the client's 30 from 60 days
                       creation when nothing was ever logged; notes are
                       internal and do not count as contact)
overdue follow-ups     open follow-ups whose due date has passed          10 each, at most 30
late projects          an open project's due date has passed, or its      10 per late project,
                       scheduled finish is after it; lateness counted     20 when ≥ 10 working days,
                       in the agency's working days by the schedule       at most 30
                       service (`ProjectFacts.late_days`)
satisfaction fell      latest rating is `satisfaction_drop_points` or     5 per point fallen
                       more below the one before
satisfaction low       latest rating is `satisfaction_low_score` or less  15
budget spent           an open project has spent `budget_warn_percent`    10, or 20 once over 100 %
                       of its budget (cost entries up to the date)
=====================  ================================================  ==========================

Rules are pure functions of (facts, as_of, thresholds, working week) so they are unit-tested
without a database. Properties the tests hold them to: the score stays within 0..100; an extra
overdue follow-up never raises it; logging an interaction today never lowers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from db.labels import plural

DEFAULT_WEEK: tuple[int, ...] = (0, 1, 2, 3, 4)
Finding = tuple[int, str | None]  # (penalty, reason); a rule that does not bite gives (0, None)


@dataclass(frozen=True)
class HealthThresholds:
    no_contact_warn_days: int = 30
    no_contact_warn_penalty: int = 15
    no_contact_alarm_days: int = 60
    no_contact_alarm_penalty: int = 30
    overdue_follow_up_penalty: int = 10
    overdue_follow_ups_max_penalty: int = 30
    late_project_penalty: int = 10
    late_project_alarm_days: int = 10
    late_project_alarm_penalty: int = 20
    late_projects_max_penalty: int = 30
    satisfaction_drop_points: int = 2
    satisfaction_drop_penalty_per_point: int = 5
    satisfaction_low_score: int = 5
    satisfaction_low_penalty: int = 15
    budget_warn_percent: int = 90
    budget_warn_penalty: int = 10
    budget_over_penalty: int = 20
    # Not rules but read with them: badge colours and what the Today page calls a drop.
    good_from: int = 75
    fair_from: int = 50
    weekly_drop_points: int = 10

    @classmethod
    def from_setting(cls, overrides: Mapping[str, Any] | None) -> HealthThresholds:
        """Thresholds with the agency's overrides; unknown keys and non-integers are ignored
        so an old or hand-edited setting can never stop the app from scoring."""
        known = {f.name for f in fields(cls)}
        clean = {
            key: value
            for key, value in (overrides or {}).items()
            if key in known and isinstance(value, int) and not isinstance(value, bool)
        }
        return cls(**clean)


@dataclass(frozen=True)
class ProjectFacts:
    name: str
    due_date: date | None
    planned_finish: date | None  # the schedule's finish, None without tasks
    budget_cents: int
    spent_cents: int
    # Working days past due as of the facts' date, from `Schedules.late_days`: the one count
    # of lateness the client page, health and printing all show.
    late_days: int = 0


@dataclass(frozen=True)
class HealthFacts:
    """What the rules need to know about one client as of a date."""

    known_since: date  # when the client was entered; the no-contact clock starts here
    last_contact: date | None = None
    overdue_follow_ups: int = 0
    open_projects: tuple[ProjectFacts, ...] = ()
    latest_ratings: tuple[int, ...] = ()  # oldest first, at most the last two


@dataclass(frozen=True)
class Health:
    score: int
    reasons: tuple[str, ...]
    level: str  # "good", "fair" or "poor": the badge colour

    @property
    def summary(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "all well"


Week = Sequence[int]


def ratings_oldest_first(ranked: Iterable[Sequence[Any]]) -> dict[str, tuple[int, ...]]:
    """Each client's latest ratings, oldest first, from (client id, score, rank) rows, rank 1
    the newest (the facts' `latest_ratings`)."""
    newest_first: dict[str, list[int]] = defaultdict(list)
    for client_id, value, _rank in sorted(ranked, key=lambda r: (r[0], r[2])):
        newest_first[client_id].append(value)
    return {cid: tuple(reversed(values)) for cid, values in newest_first.items()}


def week_of(setting: object) -> tuple[int, ...]:
    """The working week as the agency's `working_week` setting stores it (weekday numbers,
    Monday 0); Monday to Friday for anything that is not a list."""
    if not isinstance(setting, list):
        return DEFAULT_WEEK
    return tuple(sorted({d for d in setting if isinstance(d, int) and 0 <= d <= 6}))


Rule = Callable[[HealthFacts, date, HealthThresholds, Week], Finding]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def no_contact(facts: HealthFacts, as_of: date, t: HealthThresholds, _week: Week) -> Finding:
    since = facts.last_contact or facts.known_since
    days = (as_of - since).days
    if days < t.no_contact_warn_days:
        return 0, None
    penalty = (
        t.no_contact_alarm_penalty if days >= t.no_contact_alarm_days else t.no_contact_warn_penalty
    )
    if facts.last_contact is None:
        span = plural(days, "day")
        return penalty, f"no contact logged in the {span} since the client was added"
    return penalty, f"no contact for {plural(days, 'day')}"


def overdue_follow_ups(facts: HealthFacts, _as_of: date, t: HealthThresholds, _w: Week) -> Finding:
    n = facts.overdue_follow_ups
    if n <= 0:
        return 0, None
    penalty = min(n * t.overdue_follow_up_penalty, t.overdue_follow_ups_max_penalty)
    return penalty, f"{_plural(n, 'overdue follow-up')}"


def late_projects(facts: HealthFacts, _as_of: date, t: HealthThresholds, _w: Week) -> Finding:
    late = [(p.late_days, p.name) for p in facts.open_projects]
    late = sorted((item for item in late if item[0] > 0), reverse=True)
    if not late:
        return 0, None
    alarm = t.late_project_alarm_days
    penalty = sum(
        t.late_project_alarm_penalty if days >= alarm else t.late_project_penalty
        for days, _ in late
    )
    days, name = late[0]
    reason = f"project {name} is {_plural(days, 'working day')} late"
    if len(late) > 1:
        reason += f" ({len(late) - 1} more late)"
    return min(penalty, t.late_projects_max_penalty), reason


def satisfaction_fell(facts: HealthFacts, _as_of: date, t: HealthThresholds, _w: Week) -> Finding:
    if len(facts.latest_ratings) < 2:
        return 0, None
    before, latest = facts.latest_ratings[-2], facts.latest_ratings[-1]
    drop = before - latest
    if drop < t.satisfaction_drop_points:
        return 0, None
    reason = f"satisfaction fell from {before} to {latest}"
    return drop * t.satisfaction_drop_penalty_per_point, reason


def satisfaction_low(facts: HealthFacts, _as_of: date, t: HealthThresholds, _w: Week) -> Finding:
    if not facts.latest_ratings or facts.latest_ratings[-1] > t.satisfaction_low_score:
        return 0, None
    return t.satisfaction_low_penalty, f"latest satisfaction is {facts.latest_ratings[-1]} of 10"


def budget_spent(facts: HealthFacts, _as_of: date, t: HealthThresholds, _w: Week) -> Finding:
    worst: tuple[int, str] | None = None
    for p in facts.open_projects:
        if p.budget_cents <= 0:
            continue
        percent = p.spent_cents * 100 // p.budget_cents
        if percent >= t.budget_warn_percent and (worst is None or percent > worst[0]):
            worst = (percent, p.name)
    if worst is None:
        return 0, None
    percent, name = worst
    penalty = t.budget_over_penalty if percent > 100 else t.budget_warn_penalty
    return penalty, f"budget {percent}% spent on {name}"


RULES: tuple[Rule, ...] = (
    no_contact,
    overdue_follow_ups,
    late_projects,
    satisfaction_fell,
    satisfaction_low,
    budget_spent,
)


def level_for(score: int, t: HealthThresholds) -> str:
    if score >= t.good_from:
        return "good"
    return "fair" if score >= t.fair_from else "poor"


def score(
    facts: HealthFacts,
    as_of: date,
    thresholds: HealthThresholds | None = None,
    week: Week = DEFAULT_WEEK,
) -> Health:
    """Run every rule; the biggest penalties' reasons come first."""
    t = thresholds or HealthThresholds()
    findings = [f for f in (rule(facts, as_of, t, week) for rule in RULES) if f[1] is not None]
    if not findings:
        return Health(100, (), level_for(100, t))
    total = sum(max(penalty, 0) for penalty, _ in findings)
    value = max(0, min(100, 100 - total))
    findings.sort(key=lambda f: -f[0])
    return Health(value, tuple(str(reason) for _, reason in findings), level_for(value, t))
