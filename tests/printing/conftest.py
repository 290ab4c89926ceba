"""Fixtures for printing: a demo agency with one client seeded with distinctive private
strings (so a test can prove none of them reach a client-facing PDF), and reading PDFs back
with poppler's pdftotext / pdfinfo / pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db.database import open_database
from db.demo import write_demo
from db.models import (
    Client,
    ClientNote,
    ClientStatus,
    Contact,
    FollowUp,
    Gift,
    GiftState,
    ImportantDate,
    Interaction,
    InteractionKind,
    NoteKind,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Task,
)
from db.store import Store

TODAY = date(2026, 3, 12)
CLIENT = "Zebra Crossing Coffee"
PRIVATE = {
    "rapport": "Collects vintage Zeppelin postcards",
    "personal date": "Zorro fan club anniversary",
    "gift": "Hand-painted zither ornament",
    "internal note": "Zealous about cutting our fee",
    "follow-up note": "Zigzag around the procurement desk",
    "rating comment": "Zesty but grumpy feedback",
    # Internal unless marked "share with client": a to-do that would spoil a surprise.
    "follow-up": "Book zoo tickets for Zoe's surprise",
    "pain point": "Zigzagging approvals through their CEO",
}
PUBLIC = {
    "contact": "Zoe Quarrington",
    "brief": "Open a third roastery in Zurich",
    "project": "Zest packaging refresh",
    "follow-up": "Send the zine proofs",
    "interaction": "Walked through the zine layouts",
}

SEEDED_AT = datetime(2025, 6, 1, 9)

requires_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def seed_private_client(store: Store) -> str:
    s = store.session
    client = Client(
        name=CLIENT,
        status=ClientStatus.ACTIVE,
        industry="Food & drink",
        client_since=date(2023, 5, 2),
        annual_budget_cents=9_000_000,
        currency="EUR",
    )
    s.add(client)
    s.flush()
    contact = Contact(
        client_id=client.id,
        name=PUBLIC["contact"],
        title="Head of Brand",
        email="zoe@zebra.example",
        rapport_notes=PRIVATE["rapport"],
    )
    s.add(contact)
    s.flush()
    soon = TODAY + timedelta(days=10)
    s.add(
        ImportantDate(
            contact_id=contact.id, label=PRIVATE["personal date"], day=soon.day, month=soon.month
        )
    )
    s.add(ClientNote(client_id=client.id, kind=NoteKind.GOAL, text=PUBLIC["brief"], noted_on=TODAY))
    s.add(
        ClientNote(
            client_id=client.id,
            kind=NoteKind.PAIN_POINT,
            text=PRIVATE["pain point"],
            noted_on=TODAY,
        )
    )
    s.add(
        Gift(
            client_id=client.id,
            contact_id=contact.id,
            description=PRIVATE["gift"],
            state=GiftState.IDEA,
            cost_cents=4500,
        )
    )
    s.add(
        Interaction(
            client_id=client.id,
            kind=InteractionKind.NOTE,
            occurred_at=datetime(2026, 1, 20, 10),
            summary=PRIVATE["internal note"],
        )
    )
    s.add(
        Interaction(
            client_id=client.id,
            kind=InteractionKind.MEETING,
            occurred_at=datetime(2026, 1, 5, 14),
            summary=PUBLIC["interaction"],
        )
    )
    # Overdue: a health reason ("1 overdue follow-up") on top of "no contact for N days".
    s.add(
        FollowUp(
            client_id=client.id,
            title=PUBLIC["follow-up"],
            due_date=TODAY - timedelta(days=4),
            notes=PRIVATE["follow-up note"],
            share_with_client=True,
        )
    )
    s.add(
        FollowUp(
            client_id=client.id, title=PRIVATE["follow-up"], due_date=TODAY + timedelta(days=3)
        )
    )
    s.add(
        SatisfactionRating(
            client_id=client.id,
            rated_on=date(2025, 12, 1),
            score=9,
            comment=PRIVATE["rating comment"],
        )
    )
    s.add(SatisfactionRating(client_id=client.id, rated_on=date(2026, 2, 1), score=6))
    project = Project(
        client_id=client.id,
        name=PUBLIC["project"],
        status=ProjectStatus.ACTIVE,
        start_date=date(2026, 2, 2),
        due_date=date(2026, 4, 30),
        budget_cents=2_500_000,
    )
    s.add(project)
    s.flush()
    s.add(
        Task(
            project_id=project.id,
            name="Zine layouts",
            start_date=date(2026, 2, 2),
            duration_days=20,
            progress=40,
        )
    )
    s.flush()
    # Health is taken as of TODAY: the rows must have existed by then.
    for row in list(s.identity_map.values()):
        if hasattr(row, "created_at"):
            row.created_at = SEEDED_AT
    s.commit()
    return client.id


@pytest.fixture(scope="session")
def printing_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("printing") / "demo.sqlite"
    write_demo(path, today=TODAY)
    store = Store(open_database(path))
    client_id = seed_private_client(store)
    store.close()
    return path, client_id


@pytest.fixture
def printing_db(printing_template: tuple[Path, str], tmp_path: Path) -> Path:
    path = tmp_path / "agency.sqlite"
    shutil.copyfile(printing_template[0], path)
    return path


@pytest.fixture
def printing_store(printing_db: Path) -> Iterator[Store]:
    store = Store(open_database(printing_db))
    yield store
    store.close()


def pdf_text(path: Path, page: int | None = None) -> str:
    """The PDF's text with runs of whitespace folded to one space, so wrapped lines read on."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    raw = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", raw)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert match, info.stdout
    return int(match.group(1))


def pdf_page_size(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    match = re.search(r"^Page size:\s+(.*)$", info.stdout, re.MULTILINE)
    assert match, info.stdout
    return match.group(1)


def render_png(path: Path, out: Path, page: int = 1) -> Path:
    """Page `page` as a PNG (60 dpi) for a visual check; returns the file."""
    prefix = out / f"{path.stem}-p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")
