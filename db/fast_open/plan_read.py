"""What a plan's first screen shows, read with plain sqlite3: the project's name and its
client's, the engine's inputs (tasks, links, the people on them and their leave, the agency's
working days), who is on each task, the deliverables and the latest baseline.

The same rows as the session's readers return (`db.scheduling.plan.load_plan`,
`db.scheduling.plan_reads`, `db.scheduling.baseline`; a test holds them equal), read in one
transaction. `read_first_look` only reads where it can be sure the app could open the file:
whenever it has a doubt (another Agency Desk has it, another program locks it, an older
schema, a read-only or network location, a damaged file, a project it cannot name) it
returns None and the app takes its ordinary way, whose refusal or upgrade says what is wrong.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from db.fast_open.held_read import read_held
from db.name_match import NoMatch, match_name
from db.scheduling.plan_rows import TASK_COLUMNS, agency_days_from_rows, plans_from_rows
from db.scheduling.specs import Plan
from db.scheduling.vocabulary import TaskKind

_DELIVERABLE = TaskKind.DELIVERABLE.value
# The state of the file a read saw: the station's hybrid clock, which the outbox triggers tick
# at every change of a synced table, and the sync context, which every pull moves (see
# `db.fast_open.hand_over`). One row, id 1, in every database at the current schema.
STAMP_QUERY = "SELECT hlc, ctx FROM sync_ctl WHERE id = 1"


@dataclass(frozen=True)
class FirstLook:
    """One project's plan as its first screen shows it. `people`: task id to the (name,
    colour) of each person on it, by name; `baseline`: task id to the latest baseline's
    (start, finish); `stamp`: the state of the file it was read from (`STAMP_QUERY`), None
    where it has none."""

    project_id: str
    project_name: str
    client_name: str
    plan: Plan
    people: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    deliverables: frozenset[str] = frozenset()
    baseline: dict[str, tuple[date, date]] = field(default_factory=dict)
    stamp: tuple[int, int] | None = None


def read_first_look(path: Path, project: str) -> FirstLook | None:
    """The first screen of the project `project` (a name or an id) names in the database at
    `path`, with this process holding the database's instance lock (`db.instance_lock`), so
    no other Agency Desk opens it between this read and the app's own opening: the caller
    gives that hold back (`instance_lock.release(path)`) once its engine holds the lock.
    None, holding nothing, whenever the app's ordinary opening should decide (see above)."""

    def first_look(conn: sqlite3.Connection) -> FirstLook | None:
        try:
            return _first_look(conn, project)
        except NoMatch:  # the ordinary start says which names it knows
            return None

    return read_held(path, first_look)


def _first_look(conn: sqlite3.Connection, project: str) -> FirstLook:
    rows = conn.execute("SELECT id, name FROM project ORDER BY name").fetchall()
    project_id = match_name("project", project, rows)
    project_name, client_name = conn.execute(
        "SELECT project.name, client.name FROM project JOIN client ON client.id = project.client_id"
        " WHERE project.id = ?",
        (project_id,),
    ).fetchone()
    return FirstLook(
        project_id=project_id,
        project_name=project_name,
        client_name=client_name,
        plan=read_plan(conn, project_id),
        people=_people(conn, project_id),
        deliverables=frozenset(
            task_id
            for (task_id,) in conn.execute(
                "SELECT id FROM task WHERE project_id = ? AND kind = ?", (project_id, _DELIVERABLE)
            )
        ),
        baseline=_baseline(conn, project_id),
        stamp=_stamp(conn),
    )


def _stamp(conn: sqlite3.Connection) -> tuple[int, int] | None:
    found = conn.execute(STAMP_QUERY).fetchone()
    return None if found is None else (int(found[0]), int(found[1]))


def read_plan(conn: sqlite3.Connection, project_id: str) -> Plan:
    """The engine's inputs for one project, as `db.scheduling.plan.load_plan` reads them
    (the same builder turns the rows into a plan, `db.scheduling.plan_rows`)."""
    agency = agency_days_from_rows(
        conn.execute("SELECT key, value FROM agency_setting"),
        conn.execute("SELECT start_date, end_date FROM closure"),
    )
    assignments = conn.execute(
        "SELECT assignment.task_id, assignment.member_id FROM assignment"
        " JOIN task ON task.id = assignment.task_id WHERE task.project_id = ?",
        (project_id,),
    )
    tasks = conn.execute(
        f"SELECT {', '.join(TASK_COLUMNS)} FROM task WHERE project_id = ? ORDER BY sort_order",
        (project_id,),
    )
    links = conn.execute(
        "SELECT task.project_id, dependency.id, predecessor_id, successor_id, type, lag_days"
        " FROM dependency JOIN task ON task.id = dependency.successor_id"
        " WHERE task.project_id = ?",
        (project_id,),
    )

    def leave_of(members: list[str]) -> sqlite3.Cursor:
        marks = ",".join("?" * len(members))
        return conn.execute(
            f"SELECT member_id, start_date, end_date FROM time_off WHERE member_id IN ({marks})",
            members,
        )

    return plans_from_rows([project_id], agency, assignments, tasks, links, leave_of)[project_id]


def _people(conn: sqlite3.Connection, project_id: str) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for task_id, name, colour in conn.execute(
        "SELECT assignment.task_id, team_member.name, team_member.colour FROM assignment"
        " JOIN team_member ON team_member.id = assignment.member_id"
        " JOIN task ON task.id = assignment.task_id"
        " WHERE task.project_id = ? ORDER BY team_member.name",
        (project_id,),
    ):
        found[task_id].append((name, colour))
    return {task_id: tuple(people) for task_id, people in found.items()}


def _baseline(conn: sqlite3.Connection, project_id: str) -> dict[str, tuple[date, date]]:
    latest = conn.execute(
        "SELECT id FROM baseline WHERE project_id = ? ORDER BY saved_at DESC LIMIT 1",
        (project_id,),
    ).fetchone()
    if latest is None:
        return {}
    return {
        task_id: (date.fromisoformat(start), date.fromisoformat(finish))
        for task_id, start, finish in conn.execute(
            "SELECT task_id, start_date, finish_date FROM baseline_task WHERE baseline_id = ?",
            latest,
        )
    }
