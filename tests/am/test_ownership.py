from __future__ import annotations

from datetime import date

from db.am.ownership import EVERYONE, client_of, concerns
from db.changes import ChangeSet
from db.models import Contact, CostEntry, ImportantDate, Project, Task, TeamMember

from .conftest import Agency


def test_client_of_follows_parents(agency: Agency) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    birthday = agency.add(ImportantDate, contact_id=jo.id, label="Birthday", day=1, month=2)
    p = agency.add(Project, client_id=c.id, name="P")
    t = agency.add(Task, project_id=p.id, name="T", start_date=date(2026, 1, 5))
    cost = agency.add(CostEntry, project_id=p.id, spent_on=date(2026, 1, 5), amount_cents=1)
    member = agency.add(TeamMember, name="Ann")
    s = agency.session
    assert client_of(s, "Client", c.id) == c.id
    assert client_of(s, "Contact", jo.id) == c.id
    assert client_of(s, "ImportantDate", birthday.id) == c.id
    assert client_of(s, "Task", t.id) == c.id
    assert client_of(s, "CostEntry", cost.id) == c.id
    assert client_of(s, "TeamMember", member.id) == EVERYONE
    assert client_of(s, "Contact", "gone") is None

    other = agency.client("Other")
    changes = ChangeSet()
    changes.add("added", "Contact", [jo.id])
    assert concerns(s, changes, c.id, ("Contact",))
    assert not concerns(s, changes, other.id, ("Contact",))
    assert not concerns(s, changes, c.id, ("Gift",))
    removed = ChangeSet()
    removed.add("removed", "Contact", ["gone"])
    assert concerns(s, removed, other.id, ("Contact",))
