"""The reads of a plain start's first screen (the Clients list: its light facts, the figures of
its first rows with their health, its custom columns and pickers; who sits at the station)
select table columns, so SQLAlchemy configures the mappers only after the first paint (issue
19), and they give what the mapped classes hold."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from db.am.client_rows import client_list_rows
from db.am.custom_fields import add_field, fields_of
from db.models import (
    CostEntry,
    CustomFieldKind,
    CustomFieldTarget,
    FollowUp,
    Interaction,
    InteractionKind,
    MemberRole,
    Opportunity,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Task,
)
from db.roster import member_role
from tests.db.mapper_probe import assert_configures_no_mapper

from .conftest import TODAY, Agency


def fill(agency: Agency) -> dict[str, str]:
    """A client with something of every kind the list's figures and health read."""
    ann = agency.member("Ann", role=MemberRole.ACCOUNT_MANAGER)
    c = agency.client("Acme", account_manager_id=ann.id, tags=["vip"])
    agency.add(
        Interaction,
        client_id=c.id,
        kind=InteractionKind.CALL,
        occurred_at=datetime.combine(TODAY - timedelta(days=41), datetime.min.time()),
    )
    agency.add(FollowUp, client_id=c.id, title="Call back", due_date=TODAY - timedelta(days=3))
    p = agency.add(
        Project,
        client_id=c.id,
        name="Spring rebrand",
        due_date=date(2026, 3, 10),
        budget_cents=1000_00,
        status=ProjectStatus.ACTIVE,
    )
    agency.add(Task, project_id=p.id, name="Build", start_date=date(2026, 3, 2), duration_days=9)
    agency.add(CostEntry, project_id=p.id, spent_on=TODAY, amount_cents=920_00)
    agency.add(Opportunity, client_id=c.id, title="Stores", value_cents=5000_00)
    agency.add(SatisfactionRating, client_id=c.id, rated_on=date(2026, 3, 1), score=6)
    agency.store.apply(add_field(CustomFieldTarget.CLIENT, "Region", CustomFieldKind.TEXT))
    return {"client": c.id, "member": ann.id}


def test_the_client_list_reads_what_the_mapped_classes_hold(agency: Agency) -> None:
    ids = fill(agency)
    (row,) = client_list_rows(agency.session, TODAY)
    assert (row.name, row.account_manager, row.open_projects) == ("Acme", "Ann", 1)
    assert row.next_follow_up == TODAY - timedelta(days=3)
    assert row.pipeline_cents == 5000_00
    assert "project Spring rebrand is 6 working days late" in row.health.reasons
    assert "no contact for 41 days" in row.health.reasons
    assert [(f.name, f.kind) for f in fields_of(agency.session)] == [
        ("Region", CustomFieldKind.TEXT)
    ]
    assert member_role(agency.session, ids["member"]) is MemberRole.ACCOUNT_MANAGER
    assert member_role(agency.session, "nobody") is None


def test_the_first_screen_reads_configure_no_mapper(agency: Agency, db_path: Path) -> None:
    """In a fresh process (mappers are configured once per process)."""
    ids = fill(agency)
    agency.store.close()
    probe = (
        "import sys\n"
        "from datetime import date\n"
        "from db.am.client_index import ClientIndex\n"
        "from db.am.custom_fields import fields_of\n"
        "from db.am.tags import agency_tags\n"
        "from db.database import open_database\n"
        "from db.directory import agency_is_empty\n"
        "from db.models import Base\n"
        "from db.roster import member_choices, member_role\n"
        "from db.store import Store\n"
        "store = Store(open_database(sys.argv[1]))\n"
        "s = store.session\n"
        "assert not agency_is_empty(s)\n"
        "assert member_role(s, sys.argv[2]) is not None\n"
        "fields_of(s); member_choices(s); agency_tags(s)\n"
        "index = ClientIndex(s, date(2026, 3, 18))\n"
        "index.reload()\n"
        "assert index.figures(0) is not None\n"
        "print(Base.registry._new_mappers)\n"
    )
    assert_configures_no_mapper(probe, str(db_path), ids["member"])
