"""Agenda contents (db.reports) and the printed agenda: follow-ups, milestones due,
pending change requests and who is over-allocated."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest

from db.models import (
    Assignment,
    ChangeRequest,
    ChangeRequestStatus,
    Client,
    FollowUp,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
)
from db.reports.agenda import CLIENT_VISIBLE, Agenda, agenda
from db.reports.client_summary import Audience
from db.store import Store
from desktop.printing.reports import write_agenda_pdf
from tests.printing.conftest import pdf_text, requires_poppler

MONDAY = date(2026, 3, 9)


def _seed(store: Store) -> str:
    s = store.session
    client = Client(name="Quokka Quarries")
    busy = TeamMember(name="Busy Bea", weekly_capacity_hours=40)
    calm = TeamMember(name="Calm Cal", weekly_capacity_hours=40)
    s.add_all([client, busy, calm])
    s.flush()
    project = Project(client_id=client.id, name="Quarry site", status=ProjectStatus.ACTIVE)
    s.add(project)
    s.flush()
    a = Task(project_id=project.id, name="Survey", start_date=MONDAY, duration_days=5, sort_order=1)
    b = Task(
        project_id=project.id,
        name="Report",
        start_date=MONDAY + timedelta(days=2),
        duration_days=5,
        sort_order=2,
    )
    m = Task(
        project_id=project.id,
        name="Sign-off",
        start_date=MONDAY + timedelta(days=3),
        duration_days=0,
        kind=TaskKind.MILESTONE,
        sort_order=3,
    )
    late = Task(
        project_id=project.id,
        name="Far future",
        start_date=MONDAY + timedelta(days=60),
        duration_days=0,
        kind=TaskKind.DELIVERABLE,
        sort_order=4,
    )
    s.add_all([a, b, m, late])
    s.flush()
    s.add_all(
        [
            Assignment(task_id=a.id, member_id=busy.id, hours_per_day=6),
            Assignment(task_id=b.id, member_id=busy.id, hours_per_day=4),
            Assignment(task_id=b.id, member_id=calm.id, hours_per_day=8),
            FollowUp(
                client_id=client.id,
                title="Call about access road",
                due_date=MONDAY - timedelta(days=2),
            ),
            FollowUp(client_id=client.id, title="Way later", due_date=MONDAY + timedelta(days=40)),
            FollowUp(
                client_id=client.id,
                title="Send the survey map",
                due_date=MONDAY + timedelta(days=1),
                share_with_client=True,
            ),
            ChangeRequest(
                project_id=project.id,
                raised_on=MONDAY,
                description="Add drone footage",
                schedule_impact_days=3,
                cost_impact_cents=120_000,
                status=ChangeRequestStatus.PENDING,
            ),
            ChangeRequest(
                project_id=project.id,
                raised_on=MONDAY,
                description="Already approved",
                status=ChangeRequestStatus.APPROVED,
            ),
        ]
    )
    s.commit()
    return client.id


def test_agenda_contents(store: Store) -> None:
    client_id = _seed(store)
    found = agenda(store.session, MONDAY, 7, client_id, Audience.INTERNAL)
    assert found.title == "Meeting with Quokka Quarries"
    assert [f.title for f in found.all_follow_ups] == [
        "Call about access road",
        "Send the survey map",
    ]
    assert found.all_follow_ups[0].overdue
    assert [f.shared for f in found.all_follow_ups] == [False, True]
    assert [d.name for d in found.due] == ["Sign-off"]
    # Each due item names its own project's client (the loop once shadowed the agenda's Client).
    assert [d.client for d in found.due] == ["Quokka Quarries"]
    assert [c.description for c in found.changes] == ["Add drone footage"]
    (bea,) = found.over_allocated
    # 6 h + 4 h on Wednesday to Friday against 8 h a day.
    assert bea.member == "Busy Bea"
    assert bea.days_over == 3
    assert bea.peak_hours == 10
    assert bea.first_day == MONDAY + timedelta(days=2)


def test_a_clients_agenda_is_for_the_client_unless_asked(store: Store) -> None:
    """Only the follow-ups shared with them, and nothing of the agency's staffing."""
    client_id = _seed(store)
    found = agenda(store.session, MONDAY, 7, client_id)
    assert found.audience is Audience.CLIENT
    assert [f.title for f in found.all_follow_ups] == ["Send the survey map"]
    assert found.over_allocated == () and found.internal_follow_ups == ()
    assert [d.name for d in found.due] == ["Sign-off"]
    assert [c.description for c in found.changes] == ["Add drone footage"]
    for f in fields(Agenda):
        if f.name not in CLIENT_VISIBLE:
            assert getattr(found, f.name) == f.default, f.name
    team = agenda(store.session, MONDAY, 7)
    assert team.audience is Audience.INTERNAL and team.over_allocated
    assert len(team.all_follow_ups) == 2
    with pytest.raises(ValueError, match="needs a client"):
        agenda(store.session, MONDAY, 7, None, Audience.CLIENT)


@requires_poppler
@pytest.mark.usefixtures("qapp")
def test_printed_client_agenda_leaves_out_staffing_and_internal_follow_ups(
    store: Store, tmp_path: Path
) -> None:
    client_id = _seed(store)
    mine, theirs = tmp_path / "internal.pdf", tmp_path / "client.pdf"
    write_agenda_pdf(store.session, theirs, client_id=client_id, days=7, today=MONDAY)
    write_agenda_pdf(
        store.session,
        mine,
        client_id=client_id,
        audience=Audience.INTERNAL,
        days=7,
        today=MONDAY,
    )
    client_text, internal_text = pdf_text(theirs), pdf_text(mine)
    for internal in ("People over-allocated", "Busy Bea", "Call about access road", "INTERNAL"):
        assert internal not in client_text, internal
        assert internal in internal_text, internal
    for shared in ("Meeting with Quokka Quarries", "Send the survey map", "Sign-off"):
        assert shared in client_text and shared in internal_text


@requires_poppler
@pytest.mark.usefixtures("qapp")
def test_printed_agenda(store: Store, tmp_path: Path) -> None:
    _seed(store)
    out = tmp_path / "agenda.pdf"
    write_agenda_pdf(store.session, out, days=7, today=MONDAY)
    text = pdf_text(out)
    for expected in (
        "Weekly team meeting",
        "Call about access road",
        "Sign-off",
        "Add drone footage",
        "Busy Bea",
        "People over-allocated",
        "Send the survey map",
    ):
        assert expected in text
    assert "Already approved" not in text and "Way later" not in text
