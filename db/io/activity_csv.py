"""Importing interactions (calls, emails, meetings, notes) and follow-ups from CSV, in the
shape of the clients and contacts import (`records_csv`): columns mapped to fields, rows
matched to what exists so a second import of the same file updates instead of duplicating,
and one operation, one undo step.

References are matched as a user writes them: a client by its name (a new name makes a new
client, as the contacts import does), a contact by email or by name at the row's client (an
interaction's client may come from its contact alone), a follow-up's owner by a team member's
name or email, its project by name. A reference that matches nothing is noted in the preview
and left empty; a value that cannot be read (a date, a kind) refuses the whole file with the
file, line and field, so nothing is half-imported.

Matching, in order: the `id` column when it names an existing row; then the key: an
interaction is the same when client, time, kind and summary are; a follow-up when title, due
date and client are. Dates come in the common forms (`csv_dates`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.io.csv_dates import SlashOrder, parse_moment, slash_order
from db.io.csv_table import CsvTable
from db.io.errors import ImportFileError
from db.io.project_plan import _new_ids
from db.io.records_csv import _exact, _folded, _Planner, _usable_id
from db.models import (
    Contact,
    FollowUp,
    Interaction,
    InteractionContact,
    InteractionKind,
    Project,
    Sentiment,
    TeamMember,
)

# How other tools name an interaction's kind (compared folded), beyond the kinds' own names.
KIND_WORDS = {
    "call": InteractionKind.CALL,
    "phone": InteractionKind.CALL,
    "phonecall": InteractionKind.CALL,
    "telefonat": InteractionKind.CALL,
    "anruf": InteractionKind.CALL,
    "email": InteractionKind.EMAIL,
    "mail": InteractionKind.EMAIL,
    "meeting": InteractionKind.MEETING,
    "visit": InteractionKind.MEETING,
    "termin": InteractionKind.MEETING,
    "note": InteractionKind.NOTE,
    "notiz": InteractionKind.NOTE,
    "reportsent": InteractionKind.REPORT_SENT,
    "report": InteractionKind.REPORT_SENT,
    "gift": InteractionKind.GIFT,
}
DONE_WORDS = {"yes", "y", "x", "true", "done", "1", "ja", "erledigt", "completed"}
NOT_DONE_WORDS = {"no", "n", "false", "0", "open", "nein", "offen"}

FIELD_LABELS = {
    "occurred_at": "date",
    "due_date": "due date",
    "done_at": "done",
}


def _squashed(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


class _ActivityPlanner(_Planner):
    """What interactions and follow-ups share: dates read one way per column, refusals that
    name file, line and field, and references to clients and contacts."""

    required: tuple[str, ...] = ()

    def __init__(self, session: Session, table: CsvTable, mapping: dict[str, int]) -> None:
        super().__init__(session, table, mapping)
        for name_of_field in self.required:
            if name_of_field not in mapping:
                label = FIELD_LABELS.get(name_of_field, name_of_field.replace("_", " "))
                raise ImportFileError(table.name, f"no column is mapped to the {label}", "line 1")
        self.orders: dict[str, SlashOrder] = {}

    def fail(self, n: int, name_of_field: str, message: str) -> ImportFileError:
        label = FIELD_LABELS.get(name_of_field, name_of_field.replace("_", " "))
        return ImportFileError(
            self.table.name, f"{label}: {message}", f"line {self.table.line_of(n)}"
        )

    def note(self, n: int, message: str) -> None:
        self.summary.notices.append(f"line {self.table.line_of(n)}: {message}")

    def _order(self, name_of_field: str) -> SlashOrder:
        if name_of_field not in self.orders:
            column = self.mapping.get(name_of_field)
            texts = [row[column] for row in self.table.rows] if column is not None else []
            self.orders[name_of_field] = slash_order(texts)
            if any("/" in text for text in texts):
                label = FIELD_LABELS.get(name_of_field, name_of_field.replace("_", " "))
                self.summary.notices.append(
                    f"{label.capitalize()}s with slashes read as {self.orders[name_of_field]}"
                )
        return self.orders[name_of_field]

    def moment(self, n: int, row: list[str], name_of_field: str) -> datetime | None:
        text = self.cell(row, name_of_field).strip()
        if not text:
            return None
        try:
            return parse_moment(text, self._order(name_of_field))
        except ValueError:
            raise self.fail(n, name_of_field, f"{text!r} is not a date") from None

    def day(self, n: int, row: list[str], name_of_field: str) -> date | None:
        found = self.moment(n, row, name_of_field)
        return found.date() if found is not None else None

    def checked_or_fail(self, n: int, entity: str, values: dict[str, Any]) -> None:
        problem = self.checked(entity, values)  # "<field> <what is wrong>"
        if problem:
            raise ImportFileError(self.table.name, problem, f"line {self.table.line_of(n)}")

    def load_contacts(self) -> None:
        self.contact_by_email: dict[str, tuple[str, str]] = {}
        self.contact_by_name: dict[tuple[str, str], str] = {}
        self.contacts_named: dict[str, list[tuple[str, str]]] = {}
        for id_, client_id, name, email in self.session.execute(
            select(Contact.id, Contact.client_id, Contact.name, Contact.email)
        ):
            if email:
                self.contact_by_email.setdefault(email.casefold(), (id_, client_id))
            folded = _folded(name)
            self.contact_by_name.setdefault((client_id, folded), id_)
            self.contacts_named.setdefault(folded, []).append((id_, client_id))

    def contact(self, text: str, client_id: str | None) -> tuple[str, str] | None:
        """(contact id, its client id) of the contact `text` names (an email or a name), at
        `client_id` when that is known."""
        text = text.strip()
        if "@" in text:
            return self.contact_by_email.get(text.casefold())
        folded = _folded(text)
        if client_id is not None:
            found = self.contact_by_name.get((client_id, folded))
            return (found, client_id) if found is not None else None
        named = self.contacts_named.get(folded, [])
        return named[0] if len(named) == 1 else None


class InteractionPlanner(_ActivityPlanner):
    entity = Interaction
    required = ("occurred_at",)

    def run(self) -> None:
        self.load_contacts()
        existing: dict[str, dict[str, Any]] = {}
        by_key: dict[tuple[Any, ...], str] = {}
        for row_id, owner_id, was_kind, was_at, was_summary, outcome, mood in self.session.execute(
            select(
                Interaction.id,
                Interaction.client_id,
                Interaction.kind,
                Interaction.occurred_at,
                Interaction.summary,
                Interaction.outcome,
                Interaction.sentiment,
            )
        ):
            existing[row_id] = {
                "client_id": owner_id,
                "kind": was_kind,
                "occurred_at": was_at,
                "summary": was_summary,
                "outcome": outcome,
                "sentiment": mood,
            }
            by_key.setdefault(self._key(owner_id, was_at, was_kind, was_summary), row_id)
        links = {
            (i, c)
            for i, c in self.session.execute(
                select(InteractionContact.interaction_id, InteractionContact.contact_id)
            )
        }
        planned: dict[str, dict[str, Any]] = {}
        ids = iter(_new_ids(len(self.table.rows) * 2))
        for n, row in enumerate(self.table.rows):
            when = self.moment(n, row, "occurred_at")
            if when is None:
                raise self.fail(n, "occurred_at", "empty (an interaction happened at a time)")
            at: datetime = when
            clock = self.cell(row, "time").strip()
            if clock:
                try:
                    at = datetime.combine(at.date(), parse_moment(f"2000-01-01 {clock}").time())
                except ValueError:
                    raise self.fail(n, "time", f"{clock!r} is not a time of day") from None
            values: dict[str, Any] = {
                "occurred_at": at,
                "kind": self._kind(n, row),
                "summary": " ".join(self.cell(row, "summary").split()),
            }
            if self.cell(row, "outcome").strip():
                values["outcome"] = self.cell(row, "outcome").strip()
            sentiment = self.cell(row, "sentiment").strip().casefold()
            if sentiment:
                try:
                    values["sentiment"] = Sentiment(sentiment)
                except ValueError:
                    raise self.fail(
                        n,
                        "sentiment",
                        f"{self.cell(row, 'sentiment')!r} is not one of "
                        + ", ".join(s.value for s in Sentiment),
                    ) from None
            self.checked_or_fail(n, "Interaction", values)
            client_name = self.cell(row, "client").strip()
            client_id: str | None = self.clients.get(_folded(client_name)) if client_name else None
            contact_text = self.cell(row, "contact").strip()
            contact = self.contact(contact_text, client_id) if contact_text else None
            if contact_text and contact is None:
                where = f" at {client_name}" if client_name else ""
                self.note(n, f"contact {contact_text!r}{where} not found; imported without one")
            id_ = self.cell(row, "id").strip()
            target = id_ if id_ in existing or id_ in planned else None
            if client_id is None and client_name:
                client_id = self.client_id(client_name)
            if client_id is None and contact is not None:
                client_id = contact[1]
            if client_id is None and target is None:
                raise self.fail(n, "client", "empty (an interaction belongs to a client)")
            if target is None:
                assert client_id is not None
                key = self._key(client_id, at, values["kind"], values["summary"])
                target = by_key.get(key)
            if target is not None and target in existing:
                if client_id is not None:
                    values["client_id"] = client_id
                self.update(target, existing[target], values)
            elif target is not None and target in planned:
                planned[target].update(values)
            else:
                assert client_id is not None
                target = _usable_id(id_, next(ids))
                planned[target] = {"id": target, "client_id": client_id, **values}
                self.creates.append((Interaction, planned[target]))
                by_key[self._key(client_id, at, values["kind"], values["summary"])] = target
            if contact is not None and (target, contact[0]) not in links:
                links.add((target, contact[0]))
                self.creates.append(
                    (
                        InteractionContact,
                        {"id": next(ids), "interaction_id": target, "contact_id": contact[0]},
                    )
                )

    @staticmethod
    def _key(client_id: str, at: datetime, kind: Any, summary: str) -> tuple[Any, ...]:
        return (client_id, at.replace(second=0, microsecond=0), str(kind), _exact(summary))

    def _kind(self, n: int, row: list[str]) -> InteractionKind:
        text = self.cell(row, "kind").strip()
        if not text:
            return InteractionKind.NOTE
        found = KIND_WORDS.get(_squashed(text))
        if found is None:
            names = ", ".join(k.value.replace("_", " ") for k in InteractionKind)
            raise self.fail(n, "kind", f"{text!r} is not one of {names}")
        return found


class FollowUpPlanner(_ActivityPlanner):
    entity = FollowUp
    required = ("title", "due_date")

    def run(self) -> None:
        members: dict[str, str] = {}
        for id_, name, email in self.session.execute(
            select(TeamMember.id, TeamMember.name, TeamMember.email)
        ):
            members.setdefault(_folded(name), id_)
            if email:
                members.setdefault(email.casefold(), id_)
        projects: dict[str, list[tuple[str, str]]] = {}
        for project, name, project_client in self.session.execute(
            select(Project.id, Project.name, Project.client_id)
        ):
            projects.setdefault(_folded(name), []).append((project, project_client))
        existing: dict[str, dict[str, Any]] = {}
        by_key: dict[tuple[Any, ...], str] = {}
        for (
            row_id,
            was_title,
            was_due,
            at_client,
            project_id,
            owner_id,
            done_at,
            notes,
        ) in self.session.execute(
            select(
                FollowUp.id,
                FollowUp.title,
                FollowUp.due_date,
                FollowUp.client_id,
                FollowUp.project_id,
                FollowUp.owner_id,
                FollowUp.done_at,
                FollowUp.notes,
            )
        ):
            existing[row_id] = {
                "title": was_title,
                "due_date": was_due,
                "client_id": at_client,
                "project_id": project_id,
                "owner_id": owner_id,
                "done_at": done_at,
                "notes": notes,
            }
            by_key.setdefault(self._key(at_client, was_title, was_due), row_id)
        planned: dict[str, dict[str, Any]] = {}
        ids = iter(_new_ids(len(self.table.rows)))
        for n, row in enumerate(self.table.rows):
            title = " ".join(self.cell(row, "title").split())
            if not title:
                raise self.fail(n, "title", "empty (a follow-up says what to do)")
            due_day = self.day(n, row, "due_date")
            if due_day is None:
                raise self.fail(n, "due_date", "empty (a follow-up is due on a day)")
            due: date = due_day
            values: dict[str, Any] = {"title": title, "due_date": due}
            done = self._done(n, row, due)
            if done is not None:
                values["done_at"] = done
            if self.cell(row, "notes").strip():
                values["notes"] = self.cell(row, "notes").strip()
            self.checked_or_fail(n, "FollowUp", values)
            client_name = self.cell(row, "client").strip()
            client_id: str | None = self.client_id(client_name) if client_name else None
            if client_id is not None:
                values["client_id"] = client_id
            owner = self.cell(row, "owner").strip()
            if owner:
                owner_id = members.get(owner.casefold()) or members.get(_folded(owner))
                if owner_id is None:
                    self.note(n, f"owner {owner!r} is no one on the team; left without one")
                else:
                    values["owner_id"] = owner_id
            project = self.cell(row, "project").strip()
            if project:
                found = projects.get(_folded(project), [])
                matching = [p for p, c in found if client_id in (None, c)]
                if len(matching) == 1:
                    values["project_id"] = matching[0]
                else:
                    why = "matches no project" if not matching else "matches several projects"
                    self.note(n, f"project {project!r} {why}; left without one")
            id_ = self.cell(row, "id").strip()
            target = id_ if id_ in existing or id_ in planned else None
            if target is None:
                target = by_key.get(self._key(client_id, title, due))
            if target is not None and target in existing:
                self.update(target, existing[target], values)
            elif target is not None and target in planned:
                planned[target].update(values)
            else:
                target = _usable_id(id_, next(ids))
                planned[target] = {"id": target, **values}
                self.creates.append((FollowUp, planned[target]))
                by_key[self._key(client_id, title, due)] = target

    @staticmethod
    def _key(client_id: str | None, title: str, due: date) -> tuple[Any, ...]:
        return (client_id or "", _exact(title), due)

    def _done(self, n: int, row: list[str], due: date) -> datetime | None:
        text = self.cell(row, "done_at").strip()
        if not text or text.casefold() in NOT_DONE_WORDS:
            return None
        if text.casefold() in DONE_WORDS:
            # Done, but the file does not say when: on the day it was due.
            return datetime.combine(due, time())
        return self.moment(n, row, "done_at")
