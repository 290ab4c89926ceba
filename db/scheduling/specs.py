"""The inputs of a schedule as plain values: a plan's tasks, its links, the agency's working
days and its people's leave. The engine works on these rather than on ORM rows, so the same
code serves the Gantt view, printing and import, and a project opened from the command line is
scheduled from a plain sqlite3 read before SQLAlchemy loads (`db.fast_open`). Reading and
writing them through the session is `db.scheduling.plan`'s."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from db.scheduling.calendar import AgencyDays
from db.scheduling.vocabulary import DependencyType
from db.settings import DEFAULTS, HOLIDAY_COUNTRY, HOLIDAY_REGION, WORKING_WEEK


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One task as the scheduler sees it. `start` is the user's "start no earlier than";
    `duration` is in working days; a milestone has none."""

    id: str
    name: str
    start: date
    duration: int = 1
    parent_id: str | None = None
    milestone: bool = False
    members: frozenset[str] = frozenset()
    sort_order: int = 0
    progress: int = 0
    fixed: bool = False  # "must start on" `start`: links may not push it later
    finish_by: date | None = None  # "finish no later than"


@dataclass(frozen=True, slots=True)
class LinkSpec:
    predecessor_id: str
    successor_id: str
    type: DependencyType = DependencyType.FS
    lag: int = 0
    id: str = ""


@dataclass
class Plan:
    tasks: list[TaskSpec]
    links: list[LinkSpec] = field(default_factory=list)
    agency: AgencyDays = field(default_factory=AgencyDays)
    leave: dict[str, list[tuple[date, date]]] = field(default_factory=dict)


def agency_days_of(
    settings: Mapping[str, object], closures: Iterable[tuple[date, date]]
) -> AgencyDays:
    """The agency's working days from its stored settings (key to value, as the JSON column
    holds them; a key not stored takes its default) and its closures."""

    def setting(key: str) -> object:
        return settings.get(key, DEFAULTS[key])

    week = setting(WORKING_WEEK)
    return AgencyDays(
        working_week=frozenset(int(d) for d in week) if isinstance(week, list) else frozenset(),
        country=str(setting(HOLIDAY_COUNTRY) or ""),
        region=str(setting(HOLIDAY_REGION) or ""),
        closures=tuple(closures),
    )
