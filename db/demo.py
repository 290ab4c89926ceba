"""A realistic, deterministic demo agency, for first runs, screenshots, tests and benchmarks.

`populate(session, scale)` writes about 8 team members, 25 clients, 60 contacts, 300
interactions, 12 projects and 250 tasks per unit of scale, with everything around them
(notes, follow-ups, pipeline, gifts, ratings, dependencies of all four types, assignments,
baselines, costs and change requests). The same scale and `today` always give the same rows,
ids included; dates are laid out around `today` so the agency looks current whenever it is made.

Rows go in with bulk inserts in one transaction, so scale 20 takes seconds, not minutes.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from itertools import product
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import Session

from db import demo_words as words
from db import settings
from db.models import (
    AgencySetting,
    Assignment,
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeRequestStatus,
    Client,
    ClientNote,
    ClientStatus,
    Closure,
    Contact,
    CostEntry,
    Dependency,
    DependencyType,
    Entity,
    FollowUp,
    Gift,
    GiftState,
    Horizon,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    LeaveKind,
    MemberRole,
    NoteKind,
    Opportunity,
    OpportunityStage,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Sentiment,
    Task,
    TaskKind,
    TeamMember,
    TimeOff,
)
from db.team import MEMBER_COLOURS

T = TypeVar("T")

# Counts per unit of scale.
MEMBERS = 8
CLIENTS = 25
CONTACTS = 60
INTERACTIONS = 300
PROJECTS = 12
TASKS = 250
FOLLOW_UPS = 40
OPPORTUNITIES = 30
GIFTS = 20

AGENCY_NAME = "Harbour & Pine Studio"

# One team of eight, repeated per unit of scale: (role, weekly capacity hours).
_LEAVE_KINDS = {
    "Vacation": LeaveKind.HOLIDAY,
    "Sick": LeaveKind.SICK,
    "Conference": LeaveKind.TRAINING,
    "Training": LeaveKind.TRAINING,
}
_TEAM = (
    (MemberRole.ACCOUNT_MANAGER, 40.0),
    (MemberRole.ACCOUNT_MANAGER, 32.0),
    (MemberRole.PROJECT_MANAGER, 40.0),
    (MemberRole.PROJECT_MANAGER, 40.0),
    (MemberRole.DESIGNER, 40.0),
    (MemberRole.COPYWRITER, 24.0),
    (MemberRole.DEVELOPER, 40.0),
    (MemberRole.CREATIVE, 32.0),
)
_CLIENT_STATUSES = (
    (ClientStatus.ACTIVE,) * 12
    + (ClientStatus.PAUSED,) * 3
    + (ClientStatus.FORMER,) * 3
    + (ClientStatus.PROSPECT,) * 4
    + (ClientStatus.LEAD,) * 3
)
_PROJECT_STATUSES = (
    (ProjectStatus.ACTIVE,) * 6
    + (ProjectStatus.DONE,) * 2
    + (ProjectStatus.PLANNED,) * 2
    + (ProjectStatus.ON_HOLD, ProjectStatus.CANCELLED)
)
# Where a project starts, in working days from this week's Monday, by status.
_PROJECT_START = {
    ProjectStatus.ACTIVE: (-25, -5),
    ProjectStatus.DONE: (-160, -90),
    ProjectStatus.PLANNED: (5, 30),
    ProjectStatus.ON_HOLD: (-35, -20),
    ProjectStatus.CANCELLED: (-80, -50),
}
_INTERACTION_WEIGHT = {
    ClientStatus.ACTIVE: 6,
    ClientStatus.PAUSED: 2,
    ClientStatus.FORMER: 1,
    ClientStatus.PROSPECT: 2,
    ClientStatus.LEAD: 1,
}
_KIND_WEIGHTS = {
    InteractionKind.EMAIL: 8,
    InteractionKind.CALL: 6,
    InteractionKind.MEETING: 4,
    InteractionKind.NOTE: 2,
    InteractionKind.REPORT_SENT: 2,
    InteractionKind.GIFT: 1,
}


def populate(session: Session, scale: int = 1, *, today: date | None = None) -> None:
    """Write the demo agency into an empty database through `session` and commit.

    `today` (default: the real today) anchors every date, so the same scale and `today` give
    exactly the same rows.
    """
    if scale < 1:
        raise ValueError(f"demo scale must be 1 or more, not {scale}")
    rows = _DemoAgency(scale, today or date.today()).build()
    for model, model_rows in rows.items():
        if model_rows:
            # A Core insert of the table: one executemany per table. The ORM's bulk insert
            # would split rows into many small batches wherever optional values are None.
            session.execute(insert(model.__table__), model_rows)
    session.commit()


def write_demo(path: Path, scale: int = 1, *, today: date | None = None) -> None:
    """Create a new database file at `path` holding the demo agency.

    Refuses with FileExistsError when `path` exists; removes the half-written file when
    anything fails, so a failed demo never leaves a database behind.
    """
    from db.database import open_database

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path}: already exists; the demo is only written to a new file")
    engine = open_database(path, create=True)
    try:
        with Session(engine) as session:
            populate(session, scale, today=today)
    except BaseException:
        engine.dispose()
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        raise
    engine.dispose()


def demo_counts(scale: int = 1) -> dict[type[Entity], int]:
    """The exact row counts `populate` writes for the headline tables."""
    return {
        TeamMember: MEMBERS * scale,
        Client: CLIENTS * scale,
        Contact: CONTACTS * scale,
        Interaction: INTERACTIONS * scale,
        Project: PROJECTS * scale,
        Task: TASKS * scale,
        FollowUp: FOLLOW_UPS * scale,
        Opportunity: OPPORTUNITIES * scale,
        Gift: GIFTS * scale,
    }


class _WorkingDays:
    """Monday-to-Friday day numbers counted from the Monday of `today`'s week, so plans are
    simple arithmetic; holidays are the scheduler's business, not the demo's."""

    def __init__(self, today: date) -> None:
        self.monday = today - timedelta(days=today.weekday())
        self.today_index = self.index(today)

    def day_at(self, index: int) -> date:
        weeks, day = divmod(index, 5)
        return self.monday + timedelta(days=7 * weeks + day)

    def index(self, day: date) -> int:
        weeks, weekday = divmod((day - self.monday).days, 7)
        return 5 * weeks + min(weekday, 4)


class _DemoAgency:
    def __init__(self, scale: int, today: date) -> None:
        self.scale = scale
        self.today = today
        self.rng = random.Random(f"agency-desk-demo/{scale}/{today.isoformat()}")
        self.days = _WorkingDays(today)
        self.stamp = datetime.combine(today, time(6, 0))
        self.rows: dict[type[Entity], list[dict[str, Any]]] = defaultdict(list)
        self.initials = 0  # rounds of names used up; see person()
        self.people = self._name_pool()

    # -- plumbing ----------------------------------------------------------------------------

    def add(self, model: type[Entity], *, created: date | None = None, **values: Any) -> str:
        """A row stamped `created` (a past day at 09:00) or, by default, this morning."""
        row_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        stamp = self.stamp if created is None else datetime.combine(created, time(9, 0))
        self.rows[model].append({"id": row_id, "created_at": stamp, "updated_at": stamp, **values})
        return row_id

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def _name_pool(self, middle: str = "") -> list[str]:
        names = [
            f"{first} {middle}{last}"
            for first, last in product(words.FIRST_NAMES, words.LAST_NAMES)
        ]
        self.rng.shuffle(names)
        return names

    def person(self) -> str:
        if not self.people:  # a very large agency: the next round gets middle initials
            self.initials += 1
            self.people = self._name_pool(f"{chr(64 + self.initials)}. ")
        return self.people.pop()

    # -- the agency --------------------------------------------------------------------------

    def build(self) -> dict[type[Entity], list[dict[str, Any]]]:
        self.settings()
        self.team()
        self.clients()
        self.contacts()
        self.interactions()
        self.projects()
        self.follow_ups()
        self.opportunities()
        self.gifts()
        self.ratings()
        # Insertion order follows the foreign keys: referenced tables first.
        order = (
            AgencySetting, TeamMember, TimeOff, Closure, Client, ClientNote, Contact,
            ImportantDate, Interaction, InteractionContact, Project, Task, Assignment,
            Dependency, Baseline, BaselineTask, CostEntry, ChangeRequest, FollowUp,
            Opportunity, Gift, SatisfactionRating,
        )  # fmt: skip
        return {model: self.rows[model] for model in order}

    def settings(self) -> None:
        values = {
            settings.AGENCY_NAME: AGENCY_NAME,
            settings.DEFAULT_CURRENCY: "EUR",
            settings.HOLIDAY_COUNTRY: "DE",
            settings.HOLIDAY_REGION: "BE",
        }
        for key, value in values.items():
            self.add(AgencySetting, key=key, value=value)

    def team(self) -> None:
        self.members: list[str] = []
        self.by_role: dict[MemberRole, list[str]] = defaultdict(list)
        for _ in range(self.scale):
            for role, capacity in _TEAM:
                name = self.person()
                member = self.add(
                    TeamMember,
                    name=name,
                    role=role,
                    email=f"{name.split()[0].lower()}@harbourandpine.example",
                    weekly_capacity_hours=capacity,
                    active=True,
                    colour=MEMBER_COLOURS[len(self.members) % len(MEMBER_COLOURS)],
                )
                self.members.append(member)
                self.by_role[role].append(member)
                self._time_off(member)
        self.makers = [
            m
            for role in (
                MemberRole.DESIGNER,
                MemberRole.COPYWRITER,
                MemberRole.DEVELOPER,
                MemberRole.CREATIVE,
            )
            for m in self.by_role[role]
        ]
        for year in (self.today.year - 1, self.today.year):
            self.add(
                Closure,
                name="Christmas break",
                start_date=date(year, 12, 24),
                end_date=date(year + 1, 1, 1),
            )
        retreat = self.today + timedelta(days=40)
        self.add(
            Closure,
            name="Team retreat",
            start_date=retreat,
            end_date=retreat + timedelta(days=1),
        )

    def _time_off(self, member: str) -> None:
        starts = [self.days_ago(30, 200), self.today + timedelta(days=self.rng.randint(7, 90))]
        if self.rng.random() < 0.4:
            starts.append(self.days_ago(-6, 6))  # someone is away around now
        for start in starts:
            end = start + timedelta(days=self.rng.choice((0, 1, 4, 6, 13)))
            reason = self.pick(words.TIME_OFF_REASONS)
            self.add(
                TimeOff,
                member_id=member,
                start_date=start,
                end_date=end,
                reason=reason,
                kind=_LEAVE_KINDS.get(reason, LeaveKind.OTHER),
            )

    def clients(self) -> None:
        names = self._client_names(CLIENTS * self.scale)
        self.clients_: list[dict[str, Any]] = []
        managers = self.by_role[MemberRole.ACCOUNT_MANAGER]
        for i in range(CLIENTS * self.scale):
            name, industry = names[i]
            status = _CLIENT_STATUSES[i % len(_CLIENT_STATUSES)]
            established = status in (ClientStatus.ACTIVE, ClientStatus.PAUSED, ClientStatus.FORMER)
            budget = (
                self.rng.randrange(20_000, 400_000, 5_000)
                if established
                else self.rng.randrange(5_000, 60_000, 5_000)
            )
            slug = name.lower().replace(" & ", "-").replace(" ", "-")
            manager = self.pick(managers)
            since = self.days_ago(200, 3000) if established else None
            # Entered when they became a client, or some weeks ago for a lead: health can then
            # be compared with a week ago ("Health dropped this week" on Today).
            client = self.add(
                Client,
                created=since or self.today - timedelta(days=20 + i * 37 % 130),
                name=name,
                status=status,
                account_manager_id=manager,
                client_since=since,
                industry=industry,
                annual_budget_cents=budget * 100,
                currency=self.pick(words.CURRENCIES),
                website=f"https://www.{slug}.example",
                tags=sorted(self.rng.sample(words.TAGS, self.rng.randint(0, 3))),
                yearly_gift_budget_cents=self.rng.choice((0, 150, 300, 500, 1000)) * 100,
            )
            self.clients_.append({"id": client, "status": status, "slug": slug, "manager": manager})
            self._client_notes(client, industry, i)

    def _client_names(self, count: int) -> list[tuple[str, str]]:
        """`count` distinct (name, industry) pairs, each brand used once before any repeats."""
        brands = list(words.BRANDS)
        self.rng.shuffle(brands)
        unused = {brand: list(words.SECTORS) for brand in brands}
        names: list[tuple[str, str]] = []
        while len(names) < count:
            if not any(unused.values()):  # more clients than pairs: number the next round
                round_ = len(names) // (len(brands) * len(words.SECTORS)) + 1
                unused = {f"{brand} {round_}": list(words.SECTORS) for brand in brands}
            for brand, sectors in unused.items():
                if sectors and len(names) < count:
                    sector, industry = sectors.pop(self.rng.randrange(len(sectors)))
                    names.append((f"{brand} {sector}", industry))
        return names

    def _client_notes(self, client: str, industry: str, index: int) -> None:
        kinds = list(NoteKind)
        for n in range(self.rng.randint(3, 6)):
            # The first notes walk through every kind and horizon, so each appears.
            kind = kinds[(index + n) % len(kinds)] if n < 2 else self.pick(kinds)
            horizon = Horizon.LONG if kind in (NoteKind.VISION, NoteKind.GOAL) else Horizon.SHORT
            if n == 1:
                horizon = Horizon.LONG if index % 2 else Horizon.SHORT
            noted = self.days_ago(10, 700)
            resolved = None
            if horizon is Horizon.SHORT and self.rng.random() < 0.3:
                resolved = min(self.today, noted + timedelta(days=self.rng.randint(10, 120)))
            text = self.pick(words.NOTES_BY_KIND[kind.value]).format(industry=industry.lower())
            self.add(
                ClientNote,
                client_id=client,
                kind=kind,
                horizon=horizon,
                text=text,
                noted_on=noted,
                resolved_on=resolved,
            )

    def contacts(self) -> None:
        self.contacts_by_client: dict[str, list[str]] = defaultdict(list)
        counts = [1] * len(self.clients_)
        extra = CONTACTS * self.scale - len(counts)
        weights = [
            4 if c["status"] in (ClientStatus.ACTIVE, ClientStatus.PAUSED) else 1
            for c in self.clients_
        ]
        for i in self.rng.choices(range(len(counts)), weights, k=extra):
            counts[i] += 1
        for client, count in zip(self.clients_, counts, strict=True):
            for _ in range(count):
                self._contact(client)

    def _contact(self, client: dict[str, Any]) -> None:
        name = self.person()
        first, last = name.split()[0], name.split()[-1]
        kids = self.rng.sample(words.FIRST_NAMES, 2)
        rapport = self.pick(words.RAPPORT_NOTES).format(
            kid=kids[0], kid2=kids[1], pet=self.pick(words.PET_NAMES)
        )
        contact = self.add(
            Contact,
            client_id=client["id"],
            name=name,
            title=self.pick(words.CONTACT_TITLES),
            email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@{client['slug']}.example",
            phone=f"+49 30 555 {self.rng.randint(10, 99)} {self.rng.randint(100, 999)}",
            rapport_notes=rapport,
            stay_in_touch_days=self.rng.choice((None, 14, 30, 30, 60, 90)),
        )
        self.contacts_by_client[client["id"]].append(contact)
        birthday = date(2001, 1, 1) + timedelta(days=self.rng.randrange(365))
        self.add(
            ImportantDate,
            contact_id=contact,
            label="Birthday",
            day=birthday.day,
            month=birthday.month,
            # Many people share the day but not the year.
            year=self.rng.randint(1962, 1996) if self.rng.random() < 0.5 else None,
        )
        if self.rng.random() < 0.5:
            joined = self.days_ago(400, 4000)
            self.add(
                ImportantDate,
                contact_id=contact,
                label="Work anniversary",
                day=joined.day,
                month=joined.month,
                year=joined.year,
            )
        if self.rng.random() < 0.15:
            wedding = self.days_ago(1000, 9000)
            self.add(
                ImportantDate,
                contact_id=contact,
                label="Wedding anniversary",
                day=wedding.day,
                month=wedding.month,
                year=wedding.year,
            )

    def interactions(self) -> None:
        weights = [_INTERACTION_WEIGHT[c["status"]] for c in self.clients_]
        kinds = list(_KIND_WEIGHTS)
        kind_weights = list(_KIND_WEIGHTS.values())
        for client in self.rng.choices(self.clients_, weights, k=INTERACTIONS * self.scale):
            kind = self.rng.choices(kinds, kind_weights)[0]
            # Former clients went quiet half a year ago.
            fewest_days = 180 if client["status"] is ClientStatus.FORMER else 0
            day = self.days_ago(fewest_days, 365)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            at = datetime.combine(
                day, time(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45)))
            )
            sentiment = self.rng.choices(list(Sentiment), (5, 4, 1))[0]
            interaction = self.add(
                Interaction,
                client_id=client["id"],
                kind=kind,
                occurred_at=at,
                summary=self.pick(words.INTERACTION_SUMMARIES[kind.value]),
                outcome=self.pick(words.OUTCOMES[sentiment.value]),
                sentiment=sentiment,
                logged_by_id=client["manager"]
                if self.rng.random() < 0.8
                else self.pick(self.members),
            )
            people = self.contacts_by_client[client["id"]]
            involved = (
                0 if kind is InteractionKind.NOTE else self.rng.randint(1, min(3, len(people)))
            )
            for contact in self.rng.sample(people, involved):
                self.add(InteractionContact, interaction_id=interaction, contact_id=contact)

    # -- projects ----------------------------------------------------------------------------

    def projects(self) -> None:
        self.projects_: list[dict[str, Any]] = []
        working = [
            c
            for c in self.clients_
            if c["status"] in (ClientStatus.ACTIVE, ClientStatus.PAUSED, ClientStatus.FORMER)
        ]
        per_project = _split(TASKS, PROJECTS)
        for i in range(PROJECTS * self.scale):
            status = _PROJECT_STATUSES[i % len(_PROJECT_STATUSES)]
            client = working[i % len(working)]
            if status is ProjectStatus.ACTIVE and client["status"] is not ClientStatus.ACTIVE:
                client = self.pick([c for c in working if c["status"] is ClientStatus.ACTIVE])
            name = words.PROJECT_NAMES[i % len(words.PROJECT_NAMES)]
            if i >= len(words.PROJECT_NAMES):
                name = f"{name} {self.today.year + (i // len(words.PROJECT_NAMES)) % 2}"
            start = self.rng.randint(*_PROJECT_START[status])
            budget = self.rng.randrange(8_000, 120_000, 1_000)
            values = {
                "client_id": client["id"],
                "name": name,
                "brief": self.pick(words.PROJECT_BRIEFS),
                "account_manager_id": client["manager"],
                "project_manager_id": self.pick(self.by_role[MemberRole.PROJECT_MANAGER]),
                "budget_cents": budget * 100,
                "status": status,
                "start_date": self.days.day_at(start),
            }
            project = self.add(Project, **values, due_date=None)
            row = self.rows[Project][-1]
            finish = self._tasks(project, status, start, per_project[i % PROJECTS])
            row["due_date"] = self.days.day_at(finish + self.rng.randint(0, 5))
            row["name"] = name.format(season=_season(row["due_date"]))  # named for its launch
            info = {
                "id": project,
                "client": client["id"],
                "status": status,
                "start": start,
                "finish": finish,
                "budget": budget,
            }
            self.projects_.append(info)
            self._money(info)

    def _tasks(self, project: str, status: ProjectStatus, start: int, count: int) -> int:
        """Lay out one project's task tree and dependencies; return its last working day."""
        phases = list(words.PHASES)
        if len(phases) * 2 + 8 > count or self.rng.random() < 0.5:
            phases.pop(self.rng.choice((0, len(phases) - 1)))
        leaves_per_phase = _split(count - 2 * len(phases), len(phases))
        # The day work stopped, for progress: later for running projects than for stalled ones.
        progress_day = {
            ProjectStatus.DONE: 10**6,
            ProjectStatus.ON_HOLD: self.days.today_index - 10,
            ProjectStatus.CANCELLED: start + 15,
        }.get(status, self.days.today_index)

        tree: list[dict[str, Any]] = []  # every task row of the project, in outline order
        leaves: list[dict[str, Any]] = []  # the scheduled ones, in order
        for (phase, names, (closer, closer_kind)), n in zip(phases, leaves_per_phase, strict=True):
            summary: dict[str, Any] = {
                "name": phase,
                "parent": None,
                "children": [],
                "kind": TaskKind.TASK,
            }
            tree.append(summary)
            nested: dict[str, Any] | None = None
            if n >= 4 and self.rng.random() < 0.5:
                group = words.PHASE_GROUPS[phase]
                nested = {"name": group, "parent": summary, "children": []}
                nested["kind"] = TaskKind.TASK
            for k in range(n):
                if nested is not None and k == 1:
                    tree.append(nested)
                    summary["children"].append(nested)
                    continue
                parent = nested if nested is not None and k in (2, 3) else summary
                task: dict[str, Any] = {
                    "name": names[k % len(names)],
                    "parent": parent,
                    "children": [],
                    "kind": TaskKind.TASK,
                    "duration": self.rng.choice((1, 2, 2, 3, 3, 4, 5, 5, 8, 10)),
                }
                parent["children"].append(task)
                tree.append(task)
                leaves.append(task)
            closing: dict[str, Any] = {
                "name": closer,
                "parent": summary,
                "children": [],
                "kind": TaskKind(closer_kind),
                "duration": 0 if closer_kind == "milestone" else 1,
            }
            summary["children"].append(closing)
            tree.append(closing)
            leaves.append(closing)

        for task in tree:
            task["id"] = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        links = self._dependencies(leaves, start)
        finish: int = max(t["start"] + t["duration"] for t in leaves)
        for task in reversed(tree):  # children come after their parent: spans fill bottom-up
            if task["children"]:
                task["start"] = min(c["start"] for c in task["children"])
                task["duration"] = max(c["start"] + c["duration"] for c in task["children"])
                task["duration"] -= task["start"]
        for task in leaves:
            task["progress"] = _progress(task["start"], task["duration"], progress_day)
        for task in reversed(tree):
            if task["children"]:
                weight = sum(max(c["duration"], 1) for c in task["children"])
                done = sum(max(c["duration"], 1) * c["progress"] for c in task["children"])
                task["progress"] = round(done / weight)

        for order, task in enumerate(tree, start=1):
            self.rows[Task].append(
                {
                    "id": task["id"],
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                    "project_id": project,
                    "parent_id": task["parent"]["id"] if task["parent"] else None,
                    "name": task["name"],
                    "start_date": self.days.day_at(task["start"]),
                    "duration_days": task["duration"],
                    "progress": task["progress"],
                    "kind": task["kind"],
                    "sort_order": order,
                    "notes": "",
                }
            )
            if not task["children"] and task["kind"] is not TaskKind.MILESTONE:
                self._assign(task["id"])
        for predecessor, successor, kind, lag in links:
            self.add(
                Dependency,
                predecessor_id=predecessor["id"],
                successor_id=successor["id"],
                type=kind,
                lag_days=lag,
            )
        if status in (ProjectStatus.ACTIVE, ProjectStatus.DONE, ProjectStatus.ON_HOLD):
            self._baseline(project, start, tree)
        return finish

    def _dependencies(
        self, leaves: list[dict[str, Any]], floor: int
    ) -> list[tuple[dict[str, Any], dict[str, Any], DependencyType, int]]:
        """Link each scheduled task to earlier ones (never later: no cycles) and record the
        earliest start the links allow (never before `floor`) as each task's start."""
        links = []
        for i, task in enumerate(leaves[1:], start=1):
            previous = leaves[i - 1]
            roll = self.rng.random()
            if roll < 0.62:
                kind, lag = DependencyType.FS, self.rng.choice((0, 0, 0, 0, 1, 2, -1))
            elif roll < 0.82:
                kind, lag = DependencyType.SS, self.rng.choice((0, 1, 2, 3))
            elif roll < 0.95:
                kind, lag = DependencyType.FF, self.rng.choice((0, 1, 2))
            else:
                kind, lag = DependencyType.SF, self.rng.choice((0, 1))
            links.append((previous, task, kind, lag))
            if i >= 3 and self.rng.random() < 0.15:
                links.append((leaves[i - 3], task, DependencyType.FS, self.rng.choice((0, 2))))
        # A bound needs its predecessors' starts, and they come earlier: resolve in order.
        incoming: dict[int, list[tuple[dict[str, Any], DependencyType, int]]] = defaultdict(list)
        for predecessor, successor, kind, lag in links:
            incoming[id(successor)].append((predecessor, kind, lag))
        for task in leaves:
            bounds = []
            for predecessor, kind, lag in incoming[id(task)]:
                p_start = predecessor["start"]
                p_finish = p_start + predecessor["duration"]
                bounds.append(
                    {
                        DependencyType.FS: p_finish + lag,
                        DependencyType.SS: p_start + lag,
                        DependencyType.FF: p_finish + lag - task["duration"],
                        DependencyType.SF: p_start + lag - task["duration"],
                    }[kind]
                )
            task["start"] = max([floor, *bounds])
        return links

    def _assign(self, task: str) -> None:
        for member in self.rng.sample(self.makers, 1 if self.rng.random() < 0.7 else 2):
            self.add(
                Assignment,
                task_id=task,
                member_id=member,
                hours_per_day=float(self.rng.choice((2, 4, 4, 6, 8))),
            )

    def _baseline(self, project: str, start: int, tree: list[dict[str, Any]]) -> None:
        baseline = self.add(
            Baseline,
            project_id=project,
            name="Approved plan",
            saved_at=datetime.combine(self.days.day_at(start), time(10, 0)),
        )
        for task in tree:
            # The plan as approved: some work has slipped since.
            slip = self.rng.choice((0, 0, 0, 0, 1, 2, 3))
            planned = max(start, task["start"] - slip)
            self.add(
                BaselineTask,
                baseline_id=baseline,
                task_id=task["id"],
                start_date=self.days.day_at(planned),
                finish_date=self.days.day_at(planned + max(task["duration"], 1) - 1),
            )

    def _money(self, project: dict[str, Any]) -> None:
        if project["status"] is ProjectStatus.PLANNED:
            return
        first = project["start"]
        last = min(project["finish"], self.days.today_index)
        for _ in range(self.rng.randint(3, 8)):
            self.add(
                CostEntry,
                project_id=project["id"],
                spent_on=self.days.day_at(self.rng.randint(first, max(first, last))),
                amount_cents=self.rng.randrange(150, max(200, project["budget"] // 8), 10) * 100,
                note=self.pick(words.COST_NOTES),
            )
        for _ in range(self.rng.choice((0, 1, 1, 2, 3))):
            raised = self.days.day_at(self.rng.randint(first, max(first, last)))
            self.add(
                ChangeRequest,
                project_id=project["id"],
                raised_on=raised,
                description=self.pick(words.CHANGE_REQUESTS),
                schedule_impact_days=self.rng.choice((0, 1, 2, 3, 5, 10)),
                cost_impact_cents=self.rng.randrange(0, 8_000, 250) * 100,
                status=self.rng.choice(list(ChangeRequestStatus)),
            )

    # -- the relationship --------------------------------------------------------------------

    def follow_ups(self) -> None:
        current = [c for c in self.clients_ if c["status"] is not ClientStatus.FORMER]
        running = [p for p in self.projects_ if p["status"] is ProjectStatus.ACTIVE]
        for i in range(FOLLOW_UPS * self.scale):
            client = self.pick(current)
            project = None
            if i % 4 == 0 and running:
                chosen = self.pick(running)
                project = chosen["id"]
                client = next(c for c in self.clients_ if c["id"] == chosen["client"])
            state = i % 8  # 0-1 overdue, 2-4 done, 5-7 upcoming
            if state < 2:
                due, done_at = self.days_ago(1, 30), None
            elif state < 5:
                due = self.days_ago(1, 200)
                done_at = datetime.combine(due - timedelta(days=self.rng.randint(0, 3)), time(15))
            else:
                due, done_at = self.today + timedelta(days=self.rng.randint(0, 45)), None
            title = self.pick(words.FOLLOW_UP_TITLES)
            # Written down some days before it was due (and never in the future); not drawn
            # from the generator, so the rest of the demo stays as it was.
            created = min(due - timedelta(days=3 + i % 18), self.today)
            self.add(
                FollowUp,
                created=created,
                title=title,
                due_date=due,
                owner_id=client["manager"],
                done_at=done_at,
                # An internal project to-do (i % 16 == 0) is tied to the project alone.
                client_id=None if project is not None and i % 16 == 0 else client["id"],
                project_id=project,
                notes="",
                share_with_client=title in words.SHARED_FOLLOW_UP_TITLES,
            )

    def opportunities(self) -> None:
        open_to_business = [c for c in self.clients_ if c["status"] is not ClientStatus.FORMER]
        stages = list(OpportunityStage)
        for i in range(OPPORTUNITIES * self.scale):
            stage = stages[i % len(stages)]
            closed = stage in (OpportunityStage.WON, OpportunityStage.LOST)
            expected = (
                self.days_ago(5, 300)
                if closed
                else self.today + timedelta(days=self.rng.randint(-10, 180))
            )
            self.add(
                Opportunity,
                client_id=self.pick(open_to_business)["id"],
                title=self.pick(words.OPPORTUNITY_TITLES),
                value_cents=self.rng.randrange(3_000, 150_000, 500) * 100,
                stage=stage,
                expected_close=expected if i % 7 else None,
            )

    def gifts(self) -> None:
        current = [c for c in self.clients_ if c["status"] is not ClientStatus.FORMER]
        states = list(GiftState)
        for i in range(GIFTS * self.scale):
            client = self.pick(current)
            state = states[i % len(states)]
            occasion, description = self.pick(words.GIFT_IDEAS)
            when = {
                GiftState.GIVEN: self.days_ago(3, 330),
                GiftState.BOUGHT: self.today + timedelta(days=self.rng.randint(1, 30)),
                GiftState.IDEA: (
                    self.today + timedelta(days=self.rng.randint(20, 120)) if i % 2 else None
                ),
            }[state]
            people = self.contacts_by_client[client["id"]]
            self.add(
                Gift,
                client_id=client["id"],
                # One in five is for the whole client team rather than one person.
                contact_id=None if i % 5 == 0 else self.pick(people),
                occasion=occasion,
                description=description,
                state=state,
                cost_cents=self.rng.randrange(25, 250, 5) * 100,
                gift_date=when,
            )

    def ratings(self) -> None:
        for client in self.clients_:
            if client["status"] in (ClientStatus.LEAD, ClientStatus.PROSPECT):
                continue
            quarters = self.rng.randint(3, 8)
            level = self.rng.uniform(6.0, 9.5)
            trend = self.rng.choice((-0.6, -0.2, 0.0, 0.0, 0.3))
            end = 180 if client["status"] is ClientStatus.FORMER else 5
            for q in range(quarters, 0, -1):
                score = round(level + self.rng.uniform(-1.0, 1.0))
                level += trend
                self.add(
                    SatisfactionRating,
                    created=self.today - timedelta(days=end + 91 * (q - 1)),
                    client_id=client["id"],
                    rated_on=self.today - timedelta(days=end + 91 * (q - 1)),
                    score=max(0, min(10, score)),
                    comment=self.pick(words.RATING_COMMENTS),
                )


def _season(day: date) -> str:
    return ("Winter", "Spring", "Summer", "Autumn")[day.month % 12 // 3]


def _split(total: int, parts: int) -> list[int]:
    """`total` as `parts` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


def _progress(start: int, duration: int, day: int) -> int:
    """How far a task got by working day `day`, in steps of 5 %."""
    if day >= start + duration:
        return 100
    if day <= start or duration == 0:
        return 0
    return min(95, 5 * round(20 * (day - start) / duration))
