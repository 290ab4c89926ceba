"""The plain start's read of the Clients list (`db.fast_open.clients_read`, plain sqlite3,
before SQLAlchemy loads) gives what the session's read (`db.am.client_rows`) gives, field by
field, the health scores and their reasons included; and it reads only where the app could
open the database without a question."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from db import instance_lock
from db.am.client_rows import ClientRow, client_list_rows
from db.am.tags import agency_tags
from db.database import open_database
from db.demo import write_demo
from db.fast_open.clients_read import ClientLine, clients_look, read_clients_look
from db.models import (
    FollowUp,
    Interaction,
    InteractionKind,
    MemberRole,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Task,
)
from db.roster import member_choices
from tests.scheduling.test_fast_open import HOLD

from .conftest import TODAY, Agency
from .test_first_screen_reads import fill

REPO = Path(__file__).resolve().parents[2]


def as_line(row: ClientRow) -> ClientLine:
    return ClientLine(
        row.id,
        row.name,
        row.status.value,
        row.account_manager_id,
        row.account_manager,
        row.currency,
        True,
        row.health,
        row.last_contact,
        row.next_follow_up,
        row.open_projects,
        row.pipeline_cents,
    )


def plain_lines(path: Path, today: date, first_rows: int = 10_000) -> list[ClientLine]:
    conn = sqlite3.connect(path)
    try:
        return list(clients_look(conn, today, first_rows).lines)
    finally:
        conn.close()


def more_clients(agency: Agency) -> None:
    """Besides `fill`'s client: one whose satisfaction fell, whose only contact is an internal
    note, with a closed project and a late plan; one with nothing at all; one added after."""
    b = agency.client("beta Bakery", created=date(2025, 11, 2))
    agency.add(
        Interaction,
        client_id=b.id,
        kind=InteractionKind.NOTE,
        occurred_at=datetime.combine(TODAY - timedelta(days=2), datetime.min.time()),
    )
    agency.add(SatisfactionRating, client_id=b.id, rated_on=date(2026, 1, 5), score=9)
    agency.add(SatisfactionRating, client_id=b.id, rated_on=date(2026, 2, 5), score=4)
    agency.add(Project, client_id=b.id, name="Old site", status=ProjectStatus.DONE)
    late = agency.add(
        Project, client_id=b.id, name="Menu", due_date=date(2026, 3, 1), status=ProjectStatus.ACTIVE
    )
    agency.add(Task, project_id=late.id, name="Print", start_date=date(2026, 3, 9), duration_days=8)
    agency.add(FollowUp, client_id=b.id, title="Done", due_date=TODAY - timedelta(days=9))
    agency.client("Zed", created=date(2026, 3, 16))
    agency.client("Yet to come", created=TODAY + timedelta(days=3))


def test_the_plain_read_gives_the_sessions_rows(agency: Agency, db_path: Path) -> None:
    fill(agency)
    more_clients(agency)
    rows = client_list_rows(agency.session, TODAY)
    lines = plain_lines(db_path, TODAY)
    assert [line.name for line in lines] == ["Acme", "beta Bakery", "Yet to come", "Zed"]
    assert {line.id: line for line in lines} == {row.id: as_line(row) for row in rows}
    reasons = {line.name: line.health.reasons for line in lines}
    assert "satisfaction fell from 9 to 4" in reasons["beta Bakery"]
    assert any("Menu" in reason for reason in reasons["beta Bakery"])


def test_only_the_first_rows_figures_are_read(agency: Agency, db_path: Path) -> None:
    fill(agency)
    more_clients(agency)
    lines = plain_lines(db_path, TODAY, first_rows=2)
    assert [line.figures for line in lines] == [True, True, False, False]
    assert lines[2].name == "Yet to come" and lines[2].open_projects == 0


def test_the_demo_agency_reads_the_same_either_way(tmp_path: Path) -> None:
    """The demo's clients, with their plans, late projects, budgets and ratings."""
    path = tmp_path / "demo.sqlite"
    day = date(2025, 3, 12)
    write_demo(path, 1, today=day)
    engine = open_database(path)
    from db.store import Store

    store = Store(engine)
    try:
        rows = client_list_rows(store.session, day)
    finally:
        store.close()
    lines = plain_lines(path, day)
    assert len(lines) == len(rows) > 20
    assert {line.id: line for line in lines} == {row.id: as_line(row) for row in rows}
    assert len({line.health.score for line in lines}) > 3  # a spread of scores, not all 100


def test_the_chips_choices_are_the_sessions(agency: Agency, db_path: Path) -> None:
    fill(agency)
    agency.member("bo", role=MemberRole.DESIGNER)
    agency.member("Cy", role=MemberRole.ACCOUNT_MANAGER)
    agency.member("Dee", active=False)
    agency.member("Role to fill", placeholder=True)
    agency.client("Bolt", tags=["Retail", "VIP"])
    conn = sqlite3.connect(db_path)
    try:
        look = clients_look(conn, TODAY, 30)
    finally:
        conn.close()
    assert list(look.managers) == member_choices(agency.session)
    assert [name for _id, name in look.managers] == ["Ann", "Cy", "bo"]
    assert list(look.tags) == agency_tags(agency.session) == ["Retail", "vip"]


def test_who_sits_here_and_an_empty_agency(agency: Agency, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert clients_look(conn, TODAY, 30).agency_empty
        ann = agency.member("Ann", role=MemberRole.ACCOUNT_MANAGER)
        look = clients_look(conn, TODAY, 30, ann.id)
        assert not look.agency_empty and look.station_role == MemberRole.ACCOUNT_MANAGER.value
        assert clients_look(conn, TODAY, 30, "nobody").station_role is None
    finally:
        conn.close()


def test_it_holds_the_database_until_the_app_has_opened_it(agency: Agency, db_path: Path) -> None:
    fill(agency)
    agency.store.close()
    look = read_clients_look(db_path, TODAY, 30)
    assert look is not None and look.lines[0].figures
    assert instance_lock.held_here(db_path)
    engine = open_database(db_path)  # the app's own opening shares the hold
    instance_lock.release(db_path)
    engine.dispose()
    assert not instance_lock.held_here(db_path)


def test_the_ordinary_opening_decides_when_in_doubt(agency: Agency, db_path: Path) -> None:
    fill(agency)
    agency.store.close()
    assert read_clients_look(db_path.with_name("missing.sqlite"), TODAY, 30) is None
    not_sqlite = db_path.with_name("notes.sqlite")
    not_sqlite.write_text("not a database")
    assert read_clients_look(not_sqlite, TODAY, 30) is None
    engine = open_database(db_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    assert read_clients_look(db_path, TODAY, 30) is None  # an upgrade is due
    assert not instance_lock.held_here(db_path)


def test_a_database_open_in_another_agency_desk_is_left_to_it(
    agency: Agency, db_path: Path
) -> None:
    fill(agency)
    agency.store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert read_clients_look(db_path, TODAY, 30) is None
        assert not instance_lock.held_here(db_path)
    finally:
        holder.kill()
        holder.wait()


WITHOUT_THE_DATA_LAYER = """
import sys
from datetime import date
from pathlib import Path
from db.fast_open.clients_read import read_clients_look
look = read_clients_look(Path(sys.argv[1]), date(2026, 3, 18), 30)
print(look.lines[0].health.score)
print(sorted({m.split(".")[0] for m in sys.modules if m.startswith(("sqlalchemy", "db.models"))}))
"""


def test_the_list_is_read_without_sqlalchemy_or_the_models(agency: Agency, db_path: Path) -> None:
    fill(agency)
    expected = client_list_rows(agency.session, TODAY)[0].health.score
    agency.store.close()
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_DATA_LAYER, str(db_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines() == [str(expected), "[]"]
