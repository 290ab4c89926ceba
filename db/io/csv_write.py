"""Writing clients, contacts, interactions, follow-ups and a project's tasks as CSV.

Every file carries each row's `id`, so editing it in a spreadsheet and importing it back
updates those rows instead of adding copies. Tasks keep their hierarchy in two columns, the
parent's id and the outline number ("2.1.3"), their links as "id FS+2" and their people as
"Name: hours a day". Files are UTF-8
with a byte-order mark (so Excel reads accents right), comma-separated unless asked
otherwise. Contacts' private rapport notes are never written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.io.project_export import read_project
from db.models import Client, Contact, FollowUp, ImportantDate, Interaction, Task, TeamMember

CLIENT_COLUMNS = ("id", "name", "status", "industry", "website", "currency")
CONTACT_COLUMNS = ("id", "name", "client", "title", "email", "phone", "birthday")
INTERACTION_COLUMNS = ("id", "client", "kind", "occurred_at", "summary", "outcome", "sentiment")
FOLLOW_UP_COLUMNS = ("id", "title", "due_date", "client", "owner", "done_at", "notes")
TASK_COLUMNS = (
    "id",
    "outline",
    "parent_id",
    "name",
    "kind",
    "start",
    "finish",
    "start_no_earlier_than",
    "duration_days",
    "progress",
    "predecessors",
    "people",
    "notes",
)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def clients_csv(session: Session, delimiter: str = ",") -> bytes:
    rows = session.execute(
        select(
            Client.id, Client.name, Client.status, Client.industry, Client.website, Client.currency
        ).order_by(Client.name)
    )
    return _csv(
        CLIENT_COLUMNS, ((i, n, s.value, ind, w, c) for i, n, s, ind, w, c in rows), delimiter
    )


def birthday_text(day: int, month: int, year: int | None) -> str:
    """ISO 8601: "1984-05-17", or "--05-17" without a year (as vCard writes it)."""
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def contacts_csv(session: Session, delimiter: str = ",") -> bytes:
    birthdays = {
        contact_id: birthday_text(day, month, year)
        for contact_id, day, month, year in session.execute(
            select(
                ImportantDate.contact_id, ImportantDate.day, ImportantDate.month, ImportantDate.year
            ).where(ImportantDate.label == "Birthday")
        )
    }
    rows = session.execute(
        select(Contact.id, Contact.name, Client.name, Contact.title, Contact.email, Contact.phone)
        .join(Client, Client.id == Contact.client_id)
        .order_by(Client.name, Contact.name)
    )
    # Rapport notes stay out: they are private, and a CSV travels.
    return _csv(CONTACT_COLUMNS, ((*row, birthdays.get(row[0], "")) for row in rows), delimiter)


def interactions_csv(session: Session, delimiter: str = ",") -> bytes:
    rows = session.execute(
        select(
            Interaction.id,
            Client.name,
            Interaction.kind,
            Interaction.occurred_at,
            Interaction.summary,
            Interaction.outcome,
            Interaction.sentiment,
        )
        .join(Client, Client.id == Interaction.client_id)
        .order_by(Interaction.occurred_at)
    )
    return _csv(
        INTERACTION_COLUMNS,
        (
            (i, c, k.value, at.isoformat(" ", "minutes"), s, o, m.value)
            for i, c, k, at, s, o, m in rows
        ),
        delimiter,
    )


def follow_ups_csv(session: Session, delimiter: str = ",") -> bytes:
    owner = aliased(TeamMember)
    rows = session.execute(
        select(
            FollowUp.id,
            FollowUp.title,
            FollowUp.due_date,
            Client.name,
            owner.name,
            FollowUp.done_at,
            FollowUp.notes,
        )
        .outerjoin(Client, Client.id == FollowUp.client_id)
        .outerjoin(owner, owner.id == FollowUp.owner_id)
        .order_by(FollowUp.due_date)
    )
    return _csv(
        FOLLOW_UP_COLUMNS,
        (
            (i, t, d.isoformat(), c, o, done.isoformat(" ", "minutes") if done else "", n)
            for i, t, d, c, o, done, n in rows
        ),
        delimiter,
    )


def predecessors_text(items: Iterable[tuple[str, str, int]]) -> str:
    """Links as "id FS+2; id SS-1": the predecessor, the type, the lag in working days."""
    return "; ".join(
        f"{pid} {kind}{lag:+d}" if lag else f"{pid} {kind}" for pid, kind, lag in items
    )


def tasks_csv(session: Session, project_id: str, delimiter: str = ",") -> bytes:
    project = read_project(session, project_id)
    incoming: dict[str, list[tuple[str, str, int]]] = {}
    for link in project.links:
        incoming.setdefault(link.successor_id, []).append(
            (link.predecessor_id, link.type.value, link.lag)
        )
    names = {m.id: m.name for m in project.members}
    people: dict[str, list[str]] = {}
    for task_id, member_id, hours in project.assignments:
        people.setdefault(task_id, []).append(f"{names[member_id]}: {hours:g}")
    kind_of = {
        str(i): k.value
        for i, k in session.execute(select(Task.id, Task.kind).where(Task.project_id == project_id))
    }
    rows = (
        (
            t.spec.id,
            t.outline,
            t.spec.parent_id or "",
            t.spec.name,
            "summary" if t.summary else kind_of.get(t.spec.id, "task"),
            t.start.isoformat(),
            t.finish.isoformat(),
            "" if t.summary else t.spec.start.isoformat(),
            "" if t.summary else (0 if t.spec.milestone else t.spec.duration),
            t.spec.progress,
            predecessors_text(incoming.get(t.spec.id, ())),
            "; ".join(people.get(t.spec.id, ())),
            t.notes,
        )
        for t in project.tasks
    )
    return _csv(TASK_COLUMNS, rows, delimiter)
