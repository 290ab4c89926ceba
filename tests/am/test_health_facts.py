"""Health computed from the database, as of today and as of an earlier date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from db.am.health_facts import health_at, health_for_clients
from db.models import (
    CostEntry,
    FollowUp,
    Interaction,
    InteractionKind,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Task,
)
from db.operations import SetSetting
from db.settings import HEALTH_THRESHOLDS

from .conftest import TODAY, Agency


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def test_reasons_from_rows(agency: Agency) -> None:
    c = agency.client()
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.CALL,
        occurred_at=at(TODAY - timedelta(days=41)),
    )
    # A note is internal: it is not contact.
    agency.add(Interaction, client_id=c.id, kind=InteractionKind.NOTE, occurred_at=at(TODAY))
    for n in range(2):
        agency.add(
            FollowUp,
            client_id=c.id,
            title=f"f{n}",
            due_date=TODAY - timedelta(days=3),
            created_at=at(TODAY - timedelta(days=10)),
        )
    agency.add(
        FollowUp,
        client_id=c.id,
        title="done",
        due_date=TODAY - timedelta(days=3),
        done_at=at(TODAY - timedelta(days=4)),
    )
    p = agency.add(
        Project,
        client_id=c.id,
        name="Spring rebrand",
        due_date=date(2026, 3, 10),
        budget_cents=1000_00,
        status=ProjectStatus.ACTIVE,
    )
    agency.add(CostEntry, project_id=p.id, spent_on=TODAY - timedelta(days=1), amount_cents=920_00)
    agency.add(CostEntry, project_id=p.id, spent_on=TODAY + timedelta(days=5), amount_cents=500_00)
    agency.add(
        Project, client_id=c.id, name="Old", due_date=date(2025, 3, 10), status=ProjectStatus.DONE
    )
    agency.add(SatisfactionRating, client_id=c.id, rated_on=date(2025, 12, 1), score=9)
    agency.add(SatisfactionRating, client_id=c.id, rated_on=date(2026, 3, 1), score=6)

    health = health_at(agency.session, c.id, TODAY)
    assert set(health.reasons) == {
        "no contact for 41 days",
        "2 overdue follow-ups",
        "project Spring rebrand is 6 working days late",
        "satisfaction fell from 9 to 6",
        "budget 92% spent on Spring rebrand",
    }
    assert health.score == 100 - 15 - 20 - 10 - 15 - 10


def test_task_finish_makes_a_project_late(agency: Agency) -> None:
    c = agency.client()
    agency.add(Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=at(TODAY))
    p = agency.add(Project, client_id=c.id, name="Site", due_date=date(2026, 4, 1))
    agency.add(Task, project_id=p.id, name="Build", start_date=date(2026, 3, 30), duration_days=5)
    assert health_at(agency.session, c.id, TODAY).reasons == (
        "project Site is 2 working days late",
    )


def test_as_of_a_week_ago_ignores_later_rows(agency: Agency) -> None:
    c = agency.client()
    week_ago = TODAY - timedelta(days=7)
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.EMAIL,
        occurred_at=at(week_ago - timedelta(days=1)),
    )
    agency.add(SatisfactionRating, client_id=c.id, rated_on=week_ago - timedelta(days=30), score=9)
    agency.add(SatisfactionRating, client_id=c.id, rated_on=TODAY, score=3)
    agency.add(
        FollowUp,
        client_id=c.id,
        title="late",
        due_date=TODAY - timedelta(days=2),
        created_at=at(TODAY - timedelta(days=2)),
    )
    then = health_at(agency.session, c.id, week_ago)
    now = health_at(agency.session, c.id, TODAY)
    assert then.score == 100
    assert now.score < then.score
    assert "satisfaction fell from 9 to 3" in now.reasons


def test_client_created_later_does_not_exist_then(agency: Agency) -> None:
    c = agency.client(created=TODAY)
    assert c.id not in health_for_clients(agency.session, TODAY - timedelta(days=7))
    assert health_at(agency.session, c.id, TODAY - timedelta(days=7)).score == 100


def test_thresholds_come_from_the_agency_setting(agency: Agency) -> None:
    c = agency.client()
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.CALL,
        occurred_at=at(TODAY - timedelta(days=12)),
    )
    assert health_at(agency.session, c.id, TODAY).score == 100
    agency.store.apply(SetSetting(HEALTH_THRESHOLDS, {"no_contact_warn_days": 10}))
    assert health_at(agency.session, c.id, TODAY).reasons == ("no contact for 12 days",)


def test_a_planned_interaction_is_not_contact_until_it_has_happened(agency: Agency) -> None:
    """Decided: an interaction dated in the future (a meeting planned for this afternoon or
    next week) moves neither the last contact nor health until its time has come."""
    from db.am.health_facts import last_contacts
    from db.models import Interaction, InteractionKind, utcnow

    c = agency.client()
    now = utcnow()
    earlier = now - timedelta(hours=1)
    agency.add(Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=earlier)
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.MEETING,
        occurred_at=now + timedelta(hours=3),
    )
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.MEETING,
        occurred_at=now + timedelta(days=6),
    )
    assert last_contacts(agency.session, now.date())[c.id] == earlier
    week_on = now.date() + timedelta(days=7)
    assert last_contacts(agency.session, week_on)[c.id] == earlier  # still only planned
