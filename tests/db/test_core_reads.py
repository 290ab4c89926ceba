"""Reads through table columns (`db.core_reads`), which the first window uses so that the
mappers are configured after it paints: they see what the session holds, as an ORM query
would, and they leave the mappers alone in a process that has not configured them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, ClientStatus
from db.store import Store
from tests.db.mapper_probe import assert_configures_no_mapper


def test_an_autoflushing_session_is_flushed_first_as_for_an_orm_query(store: Store) -> None:
    session = Session(store.session.get_bind(), autoflush=True)
    try:
        session.add(Client(name="Pending Bakery", status=ClientStatus.LEAD))
        names = read(session, select(Client.__table__.c.name)).scalars().all()
        assert "Pending Bakery" in names
    finally:
        session.rollback()
        session.close()


def test_a_session_with_nothing_pending_is_not_flushed(store: Store) -> None:
    session = Session(store.session.get_bind(), autoflush=True)
    flushed: list[object] = []
    event.listen(session, "before_flush", lambda *_: flushed.append(True))
    try:
        read(session, select(Client.__table__.c.id)).all()
        assert flushed == []
    finally:
        session.close()


def test_reading_a_plan_through_its_tables_configures_no_mapper(db_path: Path) -> None:
    """In a fresh process (mappers are configured once per process): the reads of a plan's
    first screen run, and the mappers are still waiting to be configured."""
    probe = (
        "import sys\n"
        "from db.database import open_database\n"
        "from db.models import Base\n"
        "from db.project_list import project_list_rows\n"
        "from db.project_money import burn, project_currency\n"
        "from db.reports.lookup import NoMatch, find_project\n"
        "from db.scheduling.baseline import latest_baseline\n"
        "from db.scheduling.plan import load_plan\n"
        "from db.scheduling.plan_reads import deliverable_ids, people_on_tasks\n"
        "from db.store import Store\n"
        "store = Store(open_database(sys.argv[1], create=True))\n"
        "s = store.session\n"
        "try:\n"
        "    find_project(s, 'nothing')\n"
        "except NoMatch:\n"
        "    pass\n"
        "load_plan(s, 'p'); people_on_tasks(s, 'p'); deliverable_ids(s, 'p')\n"
        "latest_baseline(s, 'p'); project_list_rows(s); project_currency(s, 'p')\n"
        "print(Base.registry._new_mappers)\n"
    )
    assert_configures_no_mapper(probe, str(db_path))
