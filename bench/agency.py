"""A generated agency for the agency-wide benchmarks (workload, portfolio): 40 people (two of
them placeholders, some part-time from a date, with leave), 30 clients and 150 projects of
100 tasks each — 15,000 tasks — starting one after another over two years, each leaf task on
one person (a tenth on nobody yet).

Written once with bulk inserts into a database file cached in the temp folder; each metric
opens a fresh copy.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.cache import cached_database
from db.database import open_database
from db.models import (
    Assignment,
    Client,
    MemberCapacity,
    Project,
    ProjectStatus,
    TeamMember,
    TimeOff,
)
from db.scheduling.generate import generated_plan
from db.scheduling.plan import Plan, insert_plan
from db.store import Store

SCHEMA_VERSION = 1  # bump when the generated agency changes shape
PEOPLE = 40
CLIENTS = 30
PROJECTS = 150
TASKS_PER_PROJECT = 100
FIRST_DAY = date(2026, 1, 5)
YEARS = 2


def _prefixed(plan: Plan, prefix: str) -> Plan:
    """The same plan with ids unique to one project."""
    tasks = [
        replace(
            t,
            id=f"{prefix}{t.id}",
            parent_id=None if t.parent_id is None else f"{prefix}{t.parent_id}",
        )
        for t in plan.tasks
    ]
    links = [
        replace(
            link,
            predecessor_id=f"{prefix}{link.predecessor_id}",
            successor_id=f"{prefix}{link.successor_id}",
            id=f"{prefix}{link.id}",
        )
        for link in plan.links
    ]
    return Plan(tasks, links)


def build(path: Path) -> None:
    rng = random.Random(14)
    store = Store(open_database(path, create=True))
    session = store.session
    members = [
        {
            "id": f"m{n:02d}",
            "name": f"Person {n:02d}" if n < PEOPLE - 2 else f"Designer {n} (to hire)",
            "weekly_capacity_hours": rng.choice((40.0, 40.0, 40.0, 32.0, 24.0)),
            "working_days": "01234",
            "placeholder": n >= PEOPLE - 2,
            "day_rate_cents": rng.choice((50_000, 65_000, 80_000)),
            "colour": "#1a73e8",
        }
        for n in range(PEOPLE)
    ]
    session.execute(insert(TeamMember), members)
    session.execute(
        insert(MemberCapacity),
        [
            {
                "member_id": f"m{n:02d}",
                "starts_on": FIRST_DAY + timedelta(days=rng.randrange(60, 600)),
                "weekly_hours": 24.0,
                "working_days": "012",
            }
            for n in range(0, PEOPLE - 2, 8)
        ],
    )
    leave = []
    for n in range(PEOPLE - 2):
        for _ in range(4):
            start = FIRST_DAY + timedelta(days=rng.randrange(0, 365 * YEARS))
            leave.append(
                {
                    "member_id": f"m{n:02d}",
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.randrange(0, 10)),
                }
            )
    session.execute(insert(TimeOff), leave)
    session.execute(
        insert(Client),
        [{"id": f"c{n:02d}", "name": f"Client {n:02d}"} for n in range(CLIENTS)],
    )
    span = 365 * YEARS
    assignments = []
    for k in range(PROJECTS):
        pid = f"p{k:03d}"
        start = FIRST_DAY + timedelta(days=k * span // PROJECTS)
        session.execute(
            insert(Project),
            [
                {
                    "id": pid,
                    "client_id": f"c{k % CLIENTS:02d}",
                    "name": f"Project {k:03d}",
                    "status": ProjectStatus.ACTIVE,
                    "budget_cents": rng.randrange(20, 200) * 100_000,
                    "start_date": start,
                    "due_date": start + timedelta(days=rng.randrange(200, 420)),
                    "account_manager_id": f"m{rng.randrange(PEOPLE - 2):02d}",
                    "project_manager_id": f"m{rng.randrange(PEOPLE - 2):02d}",
                }
            ],
        )
        plan = _prefixed(generated_plan(TASKS_PER_PROJECT, seed=k, start=start), f"{pid}-")
        insert_plan(session, pid, plan)
        parents = {t.parent_id for t in plan.tasks if t.parent_id}
        for t in plan.tasks:
            if t.id in parents or t.milestone or rng.random() < 0.1:
                continue
            assignments.append(
                {
                    "task_id": t.id,
                    "member_id": f"m{rng.randrange(PEOPLE):02d}",
                    "hours_per_day": rng.choice((2.0, 4.0, 4.0, 6.0, 8.0)),
                }
            )
    session.execute(insert(Assignment), assignments)
    session.commit()
    store.close()


def cached_agency() -> Path:
    # Named for the schema's sources so a copy never needs an upgrade before it is timed.
    return cached_database(f"agency-{PROJECTS}x{TASKS_PER_PROJECT}-v{SCHEMA_VERSION}", build)


def open_agency() -> Store:
    """A fresh copy of the generated agency, opened."""
    copy = Path(tempfile.mkdtemp(prefix="agency-bench-")) / "agency.sqlite"
    shutil.copy(cached_agency(), copy)
    return Store(open_database(copy))
