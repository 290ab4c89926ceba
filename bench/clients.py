"""Client-list and client-page benchmarks on a generated agency of 5,000 clients, 15,000
contacts and 100,000 interactions (with the follow-ups, opportunities, projects, ratings and
important dates around them).

The agency is written once per day with bulk inserts into a database file cached in the temp
folder; each metric works on a fresh copy so writes never leak between runs. Each metric
reports the median of a few runs.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.cache import cached_database
from bench.offscreen_app import offscreen_app
from bench.registry import metric
from db import search
from db.database import open_database
from db.models import (
    Client,
    ClientNote,
    ClientStatus,
    Contact,
    CostEntry,
    Entity,
    FollowUp,
    Gift,
    GiftState,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    MemberRole,
    NoteKind,
    Opportunity,
    OpportunityStage,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Sentiment,
    TeamMember,
    new_id,
)
from db.store import Store

CLIENTS, CONTACTS, INTERACTIONS = 5_000, 15_000, 100_000
SCHEMA_VERSION = 3  # bump when the generated data changes shape
RUNS = 5

_WORDS = [
    "North",
    "Blue",
    "Oak",
    "Summit",
    "Harbor",
    "Pixel",
    "Maple",
    "Copper",
    "River",
    "Atlas",
    "Lumen",
    "Fjord",
    "Cedar",
    "Nova",
    "Brick",
    "Orbit",
    "Sage",
    "Delta",
    "Willow",
    "Ember",
    "Quartz",
    "Meadow",
    "Falcon",
    "Prism",
    "Tidal",
    "Aspen",
    "Cobalt",
    "Juniper",
]
_SUFFIXES = ("Studio", "Foods", "Labs", "Retail", "Group", "Partners", "Health", "Travel")
_FIRST = "Ada Ben Cleo Dan Eva Finn Gia Hugo Iris Jon Kai Lea Max Nia Omar Pia Rui Sara Tom Uma"
_LAST = "Berg Costa Dahl Egan Fox Gray Holm Ivers Jansen Klein Lund Moss Nagy Ortiz Park Quinn"


def _stamp(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=9)


def _generate(
    path: Path,
    today: date,
    clients: int = CLIENTS,
    contacts: int = CONTACTS,
    interactions: int = INTERACTIONS,
) -> None:
    engine = open_database(path, create=True)
    rng = random.Random(20261127)
    firsts, lasts = _FIRST.split(), _LAST.split()
    rows: dict[type[Entity], list[dict[str, Any]]] = {}

    def add(entity: type[Entity], created: date, **values: Any) -> str:
        id_ = new_id()
        stamp = _stamp(created)
        rows.setdefault(entity, []).append(
            {"id": id_, "created_at": stamp, "updated_at": stamp, **values}
        )
        return id_

    members = [
        add(
            TeamMember,
            today - timedelta(days=900),
            name=f"{rng.choice(firsts)} AM{i}",
            role=MemberRole.ACCOUNT_MANAGER if i < 12 else MemberRole.PROJECT_MANAGER,
        )
        for i in range(20)
    ]
    client_ids: list[str] = []
    contacts_of: dict[str, list[str]] = {}
    for i in range(clients):
        created = today - timedelta(days=rng.randint(30, 1500))
        cid = add(
            Client,
            created,
            name=f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_SUFFIXES)} {i}",
            status=rng.choice(list(ClientStatus)),
            account_manager_id=rng.choice(members[:12]),
            client_since=created,
            industry=rng.choice(_SUFFIXES),
            annual_budget_cents=rng.randint(0, 500) * 1000_00,
            currency="EUR",
            website="",
            tags=rng.sample(["retail", "b2b", "vip", "eu", "startup", "nonprofit"], 2),
            yearly_gift_budget_cents=rng.choice((0, 200_00, 500_00)),
        )
        client_ids.append(cid)
        contacts_of[cid] = []
        add(
            ClientNote,
            created,
            client_id=cid,
            kind=rng.choice(list(NoteKind)),
            horizon="short",
            text=f"{rng.choice(_WORDS)} wants faster {rng.choice(_WORDS).lower()}",
            noted_on=created,
            resolved_on=None,
        )
    for i in range(contacts):
        cid = client_ids[i % clients]
        contact = add(
            Contact,
            today - timedelta(days=rng.randint(30, 900)),
            client_id=cid,
            name=f"{rng.choice(firsts)} {rng.choice(lasts)}",
            title="",
            email=f"person{i}@example.com",
            phone="",
            rapport_notes="",
            stay_in_touch_days=rng.choice((None, 14, 30, 60, 90)),
        )
        contacts_of[cid].append(contact)
        if rng.random() < 0.5:
            add(
                ImportantDate,
                today,
                contact_id=contact,
                label="Birthday",
                day=rng.randint(1, 28),
                month=rng.randint(1, 12),
                year=rng.choice((None, rng.randint(1960, 2000))),
            )
    for _ in range(interactions):
        cid = rng.choice(client_ids)
        when = today - timedelta(days=rng.randint(0, 720))
        iid = add(
            Interaction,
            when,
            client_id=cid,
            kind=rng.choice(list(InteractionKind)),
            occurred_at=_stamp(when),
            summary=f"Talked about {rng.choice(_WORDS).lower()}",
            outcome="",
            sentiment=rng.choice(list(Sentiment)),
            logged_by_id=None,
        )
        add(InteractionContact, when, interaction_id=iid, contact_id=rng.choice(contacts_of[cid]))
    for _ in range(clients * 2):
        cid = rng.choice(client_ids)
        due = today + timedelta(days=rng.randint(-60, 60))
        add(
            FollowUp,
            due - timedelta(days=10),
            client_id=cid,
            title="Check in",
            due_date=due,
            owner_id=None,
            project_id=None,
            notes="",
            done_at=_stamp(due) if rng.random() < 0.6 else None,
        )
        add(
            Opportunity,
            today - timedelta(days=30),
            client_id=cid,
            title="Upsell",
            value_cents=rng.randint(1, 100) * 1000_00,
            stage=rng.choice(list(OpportunityStage)),
            expected_close=None,
        )
    for _ in range(clients // 2):
        cid = rng.choice(client_ids)
        start = today - timedelta(days=rng.randint(0, 200))
        pid = add(
            Project,
            start,
            client_id=cid,
            name=f"{rng.choice(_WORDS)} campaign",
            brief="",
            account_manager_id=None,
            project_manager_id=rng.choice(members[12:]),
            budget_cents=rng.randint(10, 200) * 1000_00,
            status=rng.choice(list(ProjectStatus)),
            start_date=start,
            due_date=start + timedelta(days=rng.randint(20, 200)),
        )
        for _ in range(3):
            add(
                CostEntry,
                start,
                project_id=pid,
                spent_on=start,
                note="",
                amount_cents=rng.randint(1, 60) * 1000_00,
            )
        add(
            SatisfactionRating,
            start,
            client_id=cid,
            rated_on=start,
            comment="",
            score=rng.randint(3, 10),
        )
        add(
            Gift,
            start,
            client_id=cid,
            contact_id=None,
            occasion="",
            description="Flowers",
            state=rng.choice(list(GiftState)),
            cost_cents=50_00,
            gift_date=start,
        )
    with engine.begin() as conn:
        for table in Entity.metadata.sorted_tables:
            entity = next((e for e in rows if e.__table__ is table), None)
            if entity is not None:
                conn.execute(insert(table), rows[entity])
        # Bulk inserts bypass the store: index them once here, not in every copy.
        search.rebuild(search.driver(conn))
    engine.dispose()


def agency_file(today: date | None = None) -> Path:
    """The cached generated agency, written on first use (a few seconds). The name carries
    a digest of the schema's sources: a file from another schema would be upgraded again on
    every fresh copy (the upgrade, not the metric, would take the time) or be stale."""
    day = today or date.today()
    return cached_database(
        f"clients-v{SCHEMA_VERSION}-{day.isoformat()}", lambda path: _generate(path, day)
    )


@contextmanager
def fresh_store() -> Iterator[Store]:
    """A store over a private copy of the generated agency."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "agency.sqlite"
        shutil.copyfile(agency_file(), copy)
        store = Store(open_database(copy))
        try:
            yield store
        finally:
            store.close()


def median_seconds(step: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def open_list(workspace: Any) -> Any:
    """Open the app's own client list (`desktop.views.clients_view.ClientsView`) as the
    Clients area does, sized like a window, and paint its first screen."""
    from desktop.views.clients_view import ClientsView

    view = ClientsView(workspace)
    view.resize(1200, 800)
    view.grab()
    return view


def close_list(view: Any) -> None:
    view.model.workspace.changed.disconnect(view.model.apply_changes)
    view.workspace.changed.disconnect(view._team_changed)
    view.deleteLater()


@metric("clients.list_open", target=0.3, unit="s")
def list_open() -> float:
    app = offscreen_app()
    from desktop.workspace import Workspace

    with fresh_store() as store:
        workspace = Workspace(store)
        close_list(open_list(workspace))  # warm the page cache as a running app has it
        app.processEvents()
        opened: list[Any] = []
        seconds = median_seconds(lambda: opened.append(open_list(workspace)))
        for found in opened:
            close_list(found)
        app.processEvents()
        workspace.close()
    return seconds


@metric("clients.filter_keystroke", target=0.03, unit="s")
def filter_keystroke() -> float:
    app = offscreen_app()
    from desktop.workspace import Workspace

    with fresh_store() as store:
        workspace = Workspace(store)
        found = open_list(workspace)
        typing = found.header.filter
        typing.setText("h")  # the first keystroke reads the text to search
        found.table.grab()
        typed = iter(["ha", "har", "harb", "harbo", "harbor", "harbor "])
        seconds = median_seconds(lambda: (typing.setText(next(typed)), found.table.grab()))
        assert found.model.rowCount() < found.model.total(), "the filter did not narrow"
        close_list(found)
        app.processEvents()
        workspace.close()
    return seconds


@metric("clients.page_open", target=0.1, unit="s")
def page_open() -> float:
    app = offscreen_app()
    from desktop.client_page import ClientPage
    from desktop.workspace import Workspace

    with fresh_store() as store:
        workspace = Workspace(store)
        busiest = store.session.execute(
            select(Interaction.client_id)
            .group_by(Interaction.client_id)
            .order_by(func.count().desc())
            .limit(RUNS + 1)
        ).scalars()
        clients = iter(list(busiest))
        ClientPage(workspace, next(clients)).deleteLater()  # warm-up, as in a running app
        pages: list[Any] = []

        def open_page() -> None:
            page = ClientPage(workspace, next(clients))
            page.resize(1100, 720)
            page.grab()  # header, health and the first tab painted
            pages.append(page)

        seconds = median_seconds(open_page)
        for page in pages:
            page.close_page()
            page.deleteLater()
        app.processEvents()
        workspace.close()
    return seconds


@metric("clients.log_interaction", target=0.05, unit="s")
def log_interaction_metric() -> float:
    app = offscreen_app()
    from db.am.operations import log_interaction
    from desktop.workspace import Workspace

    with fresh_store() as store:
        workspace = Workspace(store)
        found = open_list(workspace)
        model = found.model
        steps = iter([model.client_id(row) for row in range(RUNS + 1)])

        def log() -> None:
            client_id = next(steps)
            row = model.row_of(client_id)
            before = model.row_data(row).last_contact
            workspace.run(log_interaction(client_id, InteractionKind.CALL, "Checked in"))
            assert model.row_data(model.row_of(client_id)).last_contact != before, (
                "the list did not update"
            )
            found.table.grab()

        log()  # warm-up
        seconds = median_seconds(log)
        close_list(found)
        app.processEvents()
        workspace.close()
    return seconds
