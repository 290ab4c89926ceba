"""What a plain start's first screen, the Clients list, shows, read with plain sqlite3 before
SQLAlchemy and the models load (issue 19): every client's light facts (name, status, account
manager) in the list's name order, and the figures of the first rows (health, last contact,
next follow-up, open projects, pipeline), with who sits at the station and whether the agency
is empty (what decides the window's first area).

The figures are the session's (`db.am.client_rows.client_list_rows`, `db.am.health_facts`,
`db.am.money`): the same SQL over the same columns, the health scored by the same rules
(`db.am.health.score`) and late days counted by the same calendar code
(`db.scheduling.lateness`) on plans read as `db.fast_open.plan_read` reads them. A test holds
the two reads equal, field by field. Nothing here imports SQLAlchemy, the models or Qt.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from db.am.health import (
    Health,
    HealthFacts,
    HealthThresholds,
    ProjectFacts,
    ratings_oldest_first,
    score,
    week_of,
)
from db.fast_open.held_read import read_held
from db.fast_open.plan_read import read_plan
from db.scheduling.calendar import CalendarPool
from db.scheduling.engine import Scheduler
from db.scheduling.lateness import late_days
from db.settings import DEFAULTS, HEALTH_THRESHOLDS, WORKING_WEEK

CLOSED_PROJECT = ("done", "cancelled")  # `db.am.health_facts.CLOSED_PROJECT`
OPEN_STAGES = ("idea", "pitched")  # `db.am.money.OPEN_STAGES`
ACCOUNT_MANAGER = "account_manager"  # `db.models.MemberRole.ACCOUNT_MANAGER`
NOTE = "note"  # an internal note is no contact (`db.am.health_facts.last_contacts`)
ALL_WELL = Health(100, (), "good")  # a client without facts (`client_list_rows`)


@dataclass(frozen=True)
class ClientLine:
    """One client as the list shows it: the light facts, and the figures when read
    (`figures` False for the rows below the first screen)."""

    id: str
    name: str
    status: str  # the stored value of `db.models.ClientStatus`
    account_manager_id: str | None
    account_manager: str  # "" when none
    currency: str
    figures: bool = False
    health: Health = ALL_WELL
    last_contact: datetime | None = None
    next_follow_up: date | None = None
    open_projects: int = 0
    pipeline_cents: int = 0


@dataclass(frozen=True)
class ClientsLook:
    """The Clients list's first screen: `lines` holds every client in the list's order."""

    lines: tuple[ClientLine, ...]
    agency_empty: bool  # no team member and no client (a new agency starts on Team)
    station_role: str | None  # the station member's stored role, None when unknown
    # The chips' choices: (id, name) of the people who can manage an account, as
    # `db.roster.member_choices` orders them, and the tags in use (`db.am.tags.agency_tags`).
    managers: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()


def read_clients_look(
    path: Path, today: date, first_rows: int, station_member: str | None = None
) -> ClientsLook | None:
    """The Clients list of the database at `path` as of `today`, the figures of its first
    `first_rows` rows read, holding the database's instance lock as `db.fast_open.held_read`
    says (the caller gives it back); None, holding nothing, when the app's ordinary opening
    should decide."""
    return read_held(path, lambda conn: clients_look(conn, today, first_rows, station_member))


def clients_look(
    conn: sqlite3.Connection, today: date, first_rows: int, station_member: str | None = None
) -> ClientsLook:
    """`read_clients_look` on an open connection."""
    light = conn.execute(
        "SELECT client.id, client.name, client.status, client.account_manager_id,"
        " manager.name, client.currency FROM client"
        " LEFT OUTER JOIN team_member AS manager ON manager.id = client.account_manager_id"
    ).fetchall()
    # The list's name order (`db.am.client_index.ClientIndex.reload`).
    light.sort(key=lambda row: str(row[1]).casefold())
    first = [str(row[0]) for row in light[:first_rows]]
    figures = client_figures(conn, today, first)
    lines = []
    for cid, name, status, am_id, am_name, currency in light:
        found = figures.get(cid)
        line = ClientLine(cid, name, status, am_id, am_name or "", currency)
        lines.append(line if found is None else found)
    members = conn.execute("SELECT 1 FROM team_member LIMIT 1").fetchone()
    agency_empty = not light and members is None
    role = None
    if station_member:
        found_role = conn.execute(
            "SELECT role FROM team_member WHERE id = ?", (station_member,)
        ).fetchone()
        role = None if found_role is None else str(found_role[0])
    return ClientsLook(tuple(lines), agency_empty, role, _managers(conn), _tags(conn))


def _managers(conn: sqlite3.Connection) -> tuple[tuple[str, str], ...]:
    rows = conn.execute(
        "SELECT id, name, role FROM team_member WHERE active = 1 AND placeholder = 0"
        " ORDER BY lower(name)"
    ).fetchall()
    ordered = sorted(rows, key=lambda r: r[2] != ACCOUNT_MANAGER)  # stable
    return tuple((id_, name) for id_, name, _role in ordered)


def _tags(conn: sqlite3.Connection) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for (tags,) in conn.execute("SELECT tags FROM client"):
        for tag in json.loads(tags) if tags else []:
            found.setdefault(tag.casefold(), tag)
    return tuple(sorted(found.values(), key=str.casefold))


def _stamp(when: datetime) -> str:
    """A datetime as SQLAlchemy stores and binds it in SQLite."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _marks(ids: Sequence[str]) -> str:
    return ",".join("?" * len(ids))


def client_figures(
    conn: sqlite3.Connection, today: date, client_ids: Sequence[str]
) -> dict[str, ClientLine]:
    """The list's row of each of `client_ids`, figures and all (`client_list_rows`)."""
    if not client_ids:
        return {}
    ids = list(client_ids)
    marks = _marks(ids)
    contacts = last_contacts(conn, today, ids)
    next_follow = {
        cid: date.fromisoformat(due)
        for cid, due in conn.execute(
            "SELECT client_id, min(due_date) FROM follow_up WHERE done_at IS NULL"
            f" AND client_id IS NOT NULL AND client_id IN ({marks}) GROUP BY client_id",
            ids,
        )
    }
    open_projects = dict(
        conn.execute(
            "SELECT client_id, count(*) FROM project WHERE status NOT IN (?, ?)"
            f" AND client_id IN ({marks}) GROUP BY client_id",
            [*CLOSED_PROJECT, *ids],
        ).fetchall()
    )
    pipeline = {
        cid: total or 0
        for cid, total in conn.execute(
            "SELECT client_id, sum(value_cents) FROM opportunity WHERE stage IN (?, ?)"
            f" AND client_id IN ({marks}) GROUP BY client_id",
            [*OPEN_STAGES, *ids],
        )
    }
    health = health_for_clients(conn, today, ids, contacts)
    rows = {}
    for cid, name, status, am_id, am_name, currency in conn.execute(
        "SELECT client.id, client.name, client.status, client.account_manager_id,"
        " manager.name, client.currency FROM client"
        " LEFT OUTER JOIN team_member AS manager ON manager.id = client.account_manager_id"
        f" WHERE client.id IN ({marks})",
        ids,
    ):
        rows[cid] = ClientLine(
            id=cid,
            name=name,
            status=status,
            account_manager_id=am_id,
            account_manager=am_name or "",
            currency=currency,
            figures=True,
            health=health.get(cid) or ALL_WELL,
            last_contact=contacts.get(cid),
            next_follow_up=next_follow.get(cid),
            open_projects=open_projects.get(cid, 0),
            pipeline_cents=pipeline.get(cid, 0),
        )
    return rows


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time())


def last_contacts(conn: sqlite3.Connection, as_of: date, ids: list[str]) -> dict[str, datetime]:
    """`db.am.health_facts.last_contacts`: nothing after the day, nor after now."""
    cutoff = min(_end_of(as_of), datetime.now(UTC).replace(tzinfo=None))
    return {
        cid: datetime.fromisoformat(when)
        for cid, when in conn.execute(
            "SELECT client_id, max(occurred_at) FROM interaction WHERE kind != ?"
            f" AND occurred_at < ? AND client_id IN ({_marks(ids)}) GROUP BY client_id",
            [NOTE, _stamp(cutoff), *ids],
        )
    }


def _setting(conn: sqlite3.Connection, key: str) -> object:
    """An agency setting as `db.am.agency.setting` reads it: the stored value, else the
    default."""
    row = conn.execute("SELECT value FROM agency_setting WHERE key = ?", (key,)).fetchone()
    return DEFAULTS[key] if row is None else (None if row[0] is None else json.loads(row[0]))


def health_for_clients(
    conn: sqlite3.Connection, as_of: date, ids: list[str], contacts: dict[str, datetime]
) -> dict[str, Health]:
    """`db.am.health_facts.health_for_clients`, from the same facts."""
    week = week_of(_setting(conn, WORKING_WEEK))
    overrides = _setting(conn, HEALTH_THRESHOLDS)
    thresholds = HealthThresholds.from_setting(overrides if isinstance(overrides, dict) else None)
    marks = _marks(ids)
    cutoff = _stamp(_end_of(as_of))
    clients = conn.execute(
        "SELECT id, substr(created_at, 1, 10) FROM client"
        f" WHERE created_at < ? AND id IN ({marks})",
        [cutoff, *ids],
    ).fetchall()
    overdue = dict(
        conn.execute(
            "SELECT client_id, count(*) FROM follow_up WHERE client_id IS NOT NULL"
            " AND due_date < ? AND created_at < ? AND (done_at IS NULL OR done_at >= ?)"
            f" AND client_id IN ({marks}) GROUP BY client_id",
            [as_of.isoformat(), cutoff, cutoff, *ids],
        ).fetchall()
    )
    projects = open_project_facts(conn, as_of, ids)
    ratings = latest_ratings(conn, as_of, ids)
    found = {}
    for client_id, created in clients:
        last = contacts.get(client_id)
        facts = HealthFacts(
            known_since=date.fromisoformat(created),
            last_contact=last.date() if last else None,
            overdue_follow_ups=overdue.get(client_id, 0),
            open_projects=tuple(projects.get(client_id, ())),
            latest_ratings=ratings.get(client_id, ()),
        )
        found[client_id] = score(facts, as_of, thresholds, week)
    return found


def open_project_facts(
    conn: sqlite3.Connection, as_of: date, ids: list[str]
) -> dict[str, list[ProjectFacts]]:
    """`db.am.health_facts.open_project_facts`: each open project's schedule run by the
    engine on its plan, its lateness counted in the agency's working days."""
    marks = _marks(ids)
    projects = conn.execute(
        "SELECT id, client_id, name, due_date, budget_cents FROM project"
        f" WHERE status NOT IN (?, ?) AND client_id IN ({marks})",
        [*CLOSED_PROJECT, *ids],
    ).fetchall()
    if not projects:
        return {}
    open_ids = [p[0] for p in projects]
    spent = dict(
        conn.execute(
            "SELECT project_id, sum(amount_cents) FROM cost_entry WHERE spent_on <= ?"
            f" AND project_id IN ({_marks(open_ids)}) GROUP BY project_id",
            [as_of.isoformat(), *open_ids],
        ).fetchall()
    )
    calendars = CalendarPool()
    found: dict[str, list[ProjectFacts]] = defaultdict(list)
    for project_id, client_id, name, due_text, budget in projects:
        # The plan as a project's first look reads it; its agency days count the lateness.
        plan = read_plan(conn, project_id)
        span = Scheduler(plan, calendars).project_span() if plan.tasks else None
        finish = span[1] if span else None
        due = date.fromisoformat(due_text) if due_text else None
        found[client_id].append(
            ProjectFacts(
                name,
                due,
                finish,
                budget or 0,
                spent.get(project_id, 0),
                late_days(calendars, plan.agency, due, finish, as_of),
            )
        )
    return found


def latest_ratings(
    conn: sqlite3.Connection, as_of: date, ids: list[str]
) -> dict[str, tuple[int, ...]]:
    """`db.am.health_facts.latest_ratings`: the last two ratings up to the day, oldest
    first."""
    rows = conn.execute(
        "SELECT client_id, score, rank FROM (SELECT client_id, score, row_number() OVER"
        " (PARTITION BY client_id ORDER BY rated_on DESC, created_at DESC) AS rank"
        f" FROM satisfaction_rating WHERE rated_on <= ? AND client_id IN ({_marks(ids)}))"
        " WHERE rank <= 2",
        [as_of.isoformat(), *ids],
    ).fetchall()
    return ratings_oldest_first(rows)
