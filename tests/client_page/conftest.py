"""Fixtures for the client page tests (the workspace is tests/conftest.py's): one client an
account manager looks after, last called 41 days ago, and that client's page on screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from db.models import Client, ClientStatus, Interaction, InteractionKind, MemberRole, TeamMember
from db.store import Store
from desktop.client_page import ClientPage
from desktop.workspace import Workspace


@dataclass
class Setup:
    client_id: str
    am_id: str
    pm_id: str


@pytest.fixture
def acme(store: Store) -> Setup:
    session = store.session
    today = date.today()
    long_ago = datetime.combine(today - timedelta(days=90), datetime.min.time())
    am = TeamMember(name="Ann Keller", role=MemberRole.ACCOUNT_MANAGER)
    pm = TeamMember(name="Pat Lindqvist", role=MemberRole.PROJECT_MANAGER)
    session.add_all([am, pm])
    session.flush()
    client = Client(
        name="Acme Coffee",
        status=ClientStatus.ACTIVE,
        account_manager_id=am.id,
        client_since=today - timedelta(days=800),
        created_at=long_ago,
        updated_at=long_ago,
    )
    session.add(client)
    session.flush()
    session.add(
        Interaction(
            client_id=client.id,
            kind=InteractionKind.EMAIL,
            occurred_at=datetime.combine(today - timedelta(days=41), datetime.min.time()),
            summary="Sent the quarterly report",
        )
    )
    session.commit()
    return Setup(client.id, am.id, pm.id)


def show_page(
    qtbot: Any, workspace: Workspace, client_id: str, *, active: bool = False
) -> ClientPage:
    """The client's page on its own, 1100 by 720, shown; with `active`, also the active window
    (for tests that type into it)."""
    widget = ClientPage(workspace, client_id)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    if active:
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
    else:
        qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, acme: Setup) -> ClientPage:
    return show_page(qtbot, workspace, acme.client_id)
