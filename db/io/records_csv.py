"""Importing clients and contacts from CSV: columns mapped to fields (guessed from the
header, changeable), rows matched to what exists so a second import of the same file
updates instead of duplicating, and likely duplicates set apart for the user to merge.

Matching, in order: the `id` column when it names an existing row; then the chosen key
(contacts: the email, or the name at the same client; clients: the name). A new contact
whose name is nearly that of one at the same client, or whose email another contact has,
is a *likely duplicate*: listed in the preview, added as new unless `merge_duplicates`,
which updates the existing one instead. An empty cell never erases what is stored.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.io.csv_table import CsvTable
from db.io.errors import ImportFileError
from db.io.operation import ImportOperation, Row
from db.io.project_plan import _new_ids
from db.io.summary import ImportSummary
from db.models import Client, ClientStatus, Contact, Entity, ImportantDate
from db.validation import check_field


class RecordKind(StrEnum):
    CLIENTS = "clients"
    CONTACTS = "contacts"
    INTERACTIONS = "interactions"
    FOLLOW_UPS = "follow-ups"


_CLIENT_WORDS = ("client", "company", "organisation", "organization", "account", "firma")


# Field -> header names that mean it (compared without case, spaces, dashes or dots).
SYNONYMS: dict[RecordKind, dict[str, tuple[str, ...]]] = {
    RecordKind.CONTACTS: {
        "id": ("id", "contactid", "agencydeskid"),
        "name": ("name", "fullname", "contact", "contactname", "displayname"),
        "first_name": ("firstname", "givenname", "vorname", "prenom"),
        "last_name": ("lastname", "surname", "familyname", "nachname", "nom"),
        "client": _CLIENT_WORDS,
        "title": ("title", "jobtitle", "position", "role"),
        "email": ("email", "emailaddress", "mail", "email1"),
        "phone": ("phone", "telephone", "tel", "mobile", "phonenumber", "telefon"),
        "birthday": ("birthday", "dateofbirth", "dob", "geburtstag", "birthdate"),
    },
    RecordKind.CLIENTS: {
        "id": ("id", "clientid", "agencydeskid"),
        "name": ("name", "client", "company", "organisation", "organization", "account"),
        "status": ("status", "stage"),
        "industry": ("industry", "sector", "branche"),
        "website": ("website", "web", "url", "homepage"),
        "currency": ("currency",),
    },
    RecordKind.INTERACTIONS: {
        "id": ("id", "interactionid", "activityid", "agencydeskid"),
        "client": _CLIENT_WORDS,
        "contact": (
            "contact",
            "kontakt",
            "contactname",
            "contactemail",
            "email",
            "person",
            "with",
            "attendee",
        ),
        "kind": ("kind", "type", "activitytype", "interactiontype", "channel", "art"),
        "occurred_at": (
            "occurredat",
            "date",
            "datetime",
            "when",
            "dateandtime",
            "datum",
            "activitydate",
        ),
        "time": ("time", "uhrzeit"),
        "summary": ("summary", "subject", "title", "topic", "betreff"),
        "outcome": ("outcome", "result", "ergebnis", "notes", "note", "details", "description"),
        "sentiment": ("sentiment", "mood", "tone", "stimmung"),
    },
    RecordKind.FOLLOW_UPS: {
        "id": ("id", "followupid", "agencydeskid"),
        "title": ("title", "subject", "task", "followup", "todo", "betreff", "aufgabe"),
        "due_date": ("duedate", "due", "dueon", "deadline", "date", "fallig", "falligam"),
        "client": _CLIENT_WORDS,
        "project": ("project", "projekt"),
        "owner": ("owner", "assignee", "assignedto", "responsible", "member"),
        "done_at": ("doneat", "done", "completed", "completedat", "completedon", "erledigt"),
        "notes": ("notes", "note", "details", "description", "comment", "notiz"),
    },
}
KEYS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.CONTACTS: ("email", "name"),
    RecordKind.CLIENTS: ("name",),
    RecordKind.INTERACTIONS: ("moment",),
    RecordKind.FOLLOW_UPS: ("title",),
}
SIMILAR = 0.88  # difflib ratio above which two names at one client are likely one person


def squash(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_.\-/:]+", "", plain.casefold())


def guess_mapping(kind: RecordKind, header: list[str]) -> dict[str, int]:
    """Field -> column index, from the header's names; each column used once."""
    found: dict[str, int] = {}
    names = [squash(h) for h in header]
    for name_of_field, synonyms in SYNONYMS[kind].items():
        for n, name in enumerate(names):
            if name in synonyms and n not in found.values():
                found[name_of_field] = n
                break
    return found


def guess_kind(header: list[str]) -> RecordKind:
    """Follow-ups when the header names a due date, interactions when it names a time, kind
    or outcome of something that happened; contacts when it names an email, phone or person;
    else clients."""
    names = {squash(h) for h in header}
    if names & {"duedate", "due", "dueon", "deadline", "doneat", "followup", "fallig"}:
        return RecordKind.FOLLOW_UPS
    happened = {"occurredat", "sentiment", "outcome", "activitytype", "interactiontype"}
    happened |= {"stimmung", "ergebnis", "uhrzeit"}
    kind_and_subject = names & {"kind", "type", "art"} and names & {"summary", "subject", "betreff"}
    if names & happened or kind_and_subject:
        return RecordKind.INTERACTIONS
    people = {"email", "emailaddress", "phone", "firstname", "lastname", "mobile", "birthday"}
    return RecordKind.CONTACTS if names & people else RecordKind.CLIENTS


@lru_cache(maxsize=1 << 16)
def _folded(text: str) -> str:
    """A name for comparing: no accents, case or extra spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _usable_id(text: str, fallback: str) -> str:
    """The file's id for a new row when it is one Agency Desk made (a round trip to another
    database keeps ids); anything else gets a fresh one."""
    return text if _UUID.match(text) else fallback


def _initials(folded: str) -> str:
    words = folded.split()
    return words[0][:1] + words[-1][:1] if words else ""


def _exact(text: str) -> str:
    """A name as a key: the same letters, whatever the case and spacing."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Duplicate:
    line: int
    name: str
    existing_id: str
    existing_name: str
    reason: str

    def text(self) -> str:
        return f"line {self.line}: {self.name!r} looks like {self.existing_name!r} ({self.reason})"


@dataclass
class RecordImport:
    """A CSV import ready to preview and apply."""

    table: CsvTable
    kind: RecordKind
    mapping: dict[str, int]
    key: str
    merge_duplicates: bool
    summary: ImportSummary
    duplicates: list[Duplicate]
    operation: ImportOperation


@dataclass
class _Existing:
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    # client id -> (folded name, its initials, contact id) of every contact there
    by_client: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    by_email: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # id -> name of rows planned here


def parse_birthday(text: str) -> tuple[int, int, int | None]:
    """(day, month, year or None) of "1984-05-17", "--05-17", "17.05.1984", "17.05." or
    "05/17/1984"."""
    text = text.strip()
    for pattern, order in (
        (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", "ymd"),
        (r"^--(\d{1,2})-?(\d{2})$", "md"),
        (r"^(\d{1,2})\.(\d{1,2})\.(\d{4})?$", "dmy"),
        (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", "mdy"),
        (r"^(\d{4})(\d{2})(\d{2})$", "ymd"),
    ):
        match = re.match(pattern, text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=False))
        year = int(parts["y"]) if parts.get("y") else None
        day, month = int(parts["d"]), int(parts["m"])
        date(year or 2000, month, day)  # raises ValueError when there is no such day
        return day, month, year
    raise ValueError(text)


def plan_csv_import(
    session: Session,
    table: CsvTable,
    kind: RecordKind,
    *,
    mapping: Mapping[str, int] | None = None,
    key: str | None = None,
    merge_duplicates: bool = False,
) -> RecordImport:
    chosen = dict(guess_mapping(kind, table.header) if mapping is None else mapping)
    for name_of_field, column in chosen.items():
        if name_of_field not in SYNONYMS[kind]:
            raise ImportFileError(table.name, f"{name_of_field!r} is no {kind.value} field")
        if not 0 <= column < len(table.header):
            raise ImportFileError(table.name, f"column {column + 1} does not exist")
    key = key or KEYS[kind][0]
    if key not in KEYS[kind]:
        raise ImportFileError(table.name, f"{key!r} cannot match {kind.value}")
    planner: _Planner
    if kind in (RecordKind.INTERACTIONS, RecordKind.FOLLOW_UPS):
        from db.io.activity_csv import FollowUpPlanner, InteractionPlanner

        activity = InteractionPlanner if kind is RecordKind.INTERACTIONS else FollowUpPlanner
        planner = activity(session, table, chosen)
        return _planned(table, kind, chosen, key, merge_duplicates, planner)
    has_name = "name" in chosen or ("first_name" in chosen or "last_name" in chosen)
    if not has_name:
        raise ImportFileError(
            table.name, f"no column is mapped to the {kind.value[:-1]}'s name", "line 1"
        )
    if kind is RecordKind.CONTACTS:
        planner = _ContactPlanner(session, table, chosen, key, merge_duplicates)
    else:
        planner = _ClientPlanner(session, table, chosen)
    return _planned(table, kind, chosen, key, merge_duplicates, planner)


def _planned(
    table: CsvTable,
    kind: RecordKind,
    chosen: dict[str, int],
    key: str,
    merge_duplicates: bool,
    planner: _Planner,
) -> RecordImport:
    planner.run()
    operation = ImportOperation(
        planner.creates, planner.updates, label=f"Import {len(table.rows):,} {kind.value}"
    )
    summary = planner.summary
    summary.added = dict(operation.counts())
    updated: dict[str, int] = {}
    for entity, _id, _values in planner.updates:
        updated[entity.__name__] = updated.get(entity.__name__, 0) + 1
    summary.updated = updated
    count = len(table.rows)
    rows = f"{count:,} row{'' if count == 1 else 's'}"
    summary.notices.insert(0, f"Read as {table.described()}, {rows}")
    return RecordImport(
        table, kind, chosen, key, merge_duplicates, summary, planner.duplicates, operation
    )


class _Planner:
    entity: type[Entity]

    def __init__(self, session: Session, table: CsvTable, mapping: dict[str, int]) -> None:
        self.session = session
        self.table = table
        self.mapping = mapping
        self.creates: list[Row] = []
        self.updates: list[tuple[type[Entity], str, dict[str, Any]]] = []
        self._updated: dict[str, dict[str, Any]] = {}  # id -> values, one update per row
        self.summary = ImportSummary()
        self.duplicates: list[Duplicate] = []
        self.clients: dict[str, str] = {
            _folded(name): str(id_) for id_, name in session.execute(select(Client.id, Client.name))
        }

    def cell(self, row: list[str], name_of_field: str) -> str:
        column = self.mapping.get(name_of_field)
        return row[column] if column is not None else ""

    def name_of(self, row: list[str]) -> str:
        name = self.cell(row, "name")
        if not name:
            name = " ".join(
                p for p in (self.cell(row, "first_name"), self.cell(row, "last_name")) if p
            )
        return " ".join(name.split())

    def skip(self, n: int, reason: str) -> None:
        self.summary.skipped.append(f"line {self.table.line_of(n)}: {reason}")

    def checked(self, entity: str, values: dict[str, Any]) -> str | None:
        for name_of_field, value in values.items():
            message = check_field(entity, name_of_field, value)
            if message:
                return f"{name_of_field.replace('_', ' ')} {message}"
        return None

    def run(self) -> None:
        raise NotImplementedError

    def update(
        self,
        id_: str,
        current: dict[str, Any],
        values: dict[str, Any],
        entity: type[Entity] | None = None,
    ) -> bool:
        """Plan the changes `values` make to row `id_` (empty values change nothing)."""
        changes = {k: v for k, v in values.items() if v not in ("", None) and current.get(k) != v}
        if not changes:
            return False
        planned = self._updated.get(id_)
        if planned is None:
            planned = {}
            self._updated[id_] = planned
            self.updates.append((entity or self.entity, id_, planned))
        planned.update(changes)
        current.update(changes)
        return True

    def client_id(self, name: str) -> str:
        """The id of the client of that name, planned as new when there is none."""
        folded = _folded(name)
        found = self.clients.get(folded)
        if found is None:
            found = _new_ids(1)[0]
            self.clients[folded] = found
            self.creates.append((Client, {"id": found, "name": name[:200]}))
        return found


class _ClientPlanner(_Planner):
    entity = Client

    def run(self) -> None:
        existing = {
            str(id_): {
                "name": name,
                "industry": industry,
                "website": website,
                "status": status,
                "currency": currency,
            }
            for id_, name, industry, website, status, currency in self.session.execute(
                select(
                    Client.id,
                    Client.name,
                    Client.industry,
                    Client.website,
                    Client.status,
                    Client.currency,
                )
            )
        }
        planned: dict[str, dict[str, Any]] = {}
        for n, row in enumerate(self.table.rows):
            name = self.name_of(row)
            if not name:
                self.skip(n, "no name")
                continue
            values: dict[str, Any] = {"name": name}
            for name_of_field in ("industry", "website", "currency"):
                if self.cell(row, name_of_field):
                    values[name_of_field] = self.cell(row, name_of_field)
            if "currency" in values:
                values["currency"] = str(values["currency"]).upper()
            status = self.cell(row, "status").casefold().replace(" ", "_")
            if status:
                try:
                    values["status"] = ClientStatus(status)
                except ValueError:
                    self.skip(
                        n,
                        f"status {self.cell(row, 'status')!r} is not one of "
                        + ", ".join(s.value for s in ClientStatus),
                    )
                    continue
            problem = self.checked("Client", values)
            if problem:
                self.skip(n, problem)
                continue
            id_ = self.cell(row, "id")
            target = id_ if id_ in existing else self.clients.get(_folded(name))
            if target is not None and target in existing:
                self.update(target, existing[target], values)
            elif target is not None and target in planned:
                planned[target].update({k: v for k, v in values.items() if v})
            else:
                new = _usable_id(id_, _new_ids(1)[0])
                planned[new] = {"id": new, **values}
                self.clients[_folded(name)] = new
                self.creates.append((Client, planned[new]))


class _ContactPlanner(_Planner):
    entity = Contact

    def __init__(
        self, session: Session, table: CsvTable, mapping: dict[str, int], key: str, merge: bool
    ) -> None:
        super().__init__(session, table, mapping)
        self.key = key
        self.merge = merge

    def run(self) -> None:
        existing = _Existing()
        for id_, owner, name, email, title, phone in self.session.execute(
            select(
                Contact.id,
                Contact.client_id,
                Contact.name,
                Contact.email,
                Contact.title,
                Contact.phone,
            )
        ):
            self._index(
                existing,
                str(id_),
                str(owner),
                name,
                email,
                {"name": name, "email": email, "title": title, "phone": phone},
            )
        birthdays = {
            str(contact_id): (str(id_), (day, month, year))
            for id_, contact_id, day, month, year in self.session.execute(
                select(
                    ImportantDate.id,
                    ImportantDate.contact_id,
                    ImportantDate.day,
                    ImportantDate.month,
                    ImportantDate.year,
                ).where(ImportantDate.label == "Birthday")
            )
        }
        planned: dict[str, dict[str, Any]] = {}
        ids = iter(_new_ids(len(self.table.rows) * 2))
        for n, row in enumerate(self.table.rows):
            name = self.name_of(row)
            if not name:
                self.skip(n, "no name")
                continue
            client_name = self.cell(row, "client")
            values: dict[str, Any] = {"name": name}
            for name_of_field in ("title", "email", "phone"):
                if self.cell(row, name_of_field):
                    values[name_of_field] = self.cell(row, name_of_field)
            problem = self.checked("Contact", values)
            if problem:
                self.skip(n, problem)
                continue
            birthday = None
            if self.cell(row, "birthday"):
                try:
                    birthday = parse_birthday(self.cell(row, "birthday"))
                except ValueError:
                    self.skip(n, f"birthday {self.cell(row, 'birthday')!r} is not a date")
                    continue
            id_ = self.cell(row, "id")
            target: str | None = id_ if id_ in existing.by_id or id_ in planned else None
            client_id: str | None = None
            if target is None:
                if not client_name:
                    self.skip(n, "no client (a contact belongs to one)")
                    continue
                client_id = self.client_id(client_name)
                target = existing.by_key.get(self._key(client_id, name, values.get("email", "")))
            if target is None:
                like = self._likely(existing, client_id or "", name, values.get("email", ""))
                if like is not None:
                    self.duplicates.append(
                        Duplicate(self.table.line_of(n), name, like[0], like[1], like[2])
                    )
                    if self.merge:
                        # The name stored is the one kept: merging adds what the row
                        # knows, it does not rewrite how someone typed the name.
                        target = like[0]
                        values.pop("name", None)
            if target is not None and target in existing.by_id:
                self.update(target, existing.by_id[target], values)
            elif target is not None and target in planned:
                planned[target].update(values)
            else:
                target = _usable_id(id_, next(ids))
                assert client_id is not None
                planned[target] = {"id": target, "client_id": client_id, **values}
                self.creates.append((Contact, planned[target]))
                self._index(existing, target, client_id, name, values.get("email", ""), None)
            if birthday is not None:
                self._birthday(target, birthday, birthdays, next(ids))

    def _key(self, client_id: str, name: str, email: str) -> tuple[str, ...]:
        if self.key == "email" and email:
            return ("email", email.casefold())
        return ("name", client_id, _exact(name))

    def _index(
        self,
        existing: _Existing,
        id_: str,
        client_id: str,
        name: str,
        email: str,
        values: dict[str, Any] | None,
    ) -> None:
        if values is not None:
            existing.by_id[id_] = values
        existing.by_key.setdefault(self._key(client_id, name, email), id_)
        existing.by_key.setdefault(("name", client_id, _exact(name)), id_)
        folded = _folded(name)
        existing.by_client.setdefault(client_id, []).append((folded, _initials(folded), id_))
        existing.names[id_] = name
        if email:
            existing.by_email.setdefault(email.casefold(), id_)

    def _likely(
        self, existing: _Existing, client_id: str, name: str, email: str
    ) -> tuple[str, str, str] | None:
        if email and email.casefold() in existing.by_email:
            other = existing.by_email[email.casefold()]
            return other, self._name(existing, other), "the same email"
        folded = _folded(name)
        initials = _initials(folded)
        matcher: difflib.SequenceMatcher[str] | None = None
        for other_name, other_initials, other in existing.by_client.get(client_id, []):
            # A typo rarely changes both initials: only such names are compared closely.
            if other_initials != initials:
                continue
            if other_name == folded:
                return other, self._name(existing, other), "the same name, other accents"
            if matcher is None:
                matcher = difflib.SequenceMatcher(None, b=folded)
            matcher.set_seq1(other_name)
            # The cheap upper bounds first: most names at a client are nothing alike.
            if (
                matcher.real_quick_ratio() >= SIMILAR
                and matcher.quick_ratio() >= SIMILAR
                and matcher.ratio() >= SIMILAR
            ):
                return other, self._name(existing, other), "a similar name at the same client"
        return None

    def _name(self, existing: _Existing, id_: str) -> str:
        found = existing.by_id.get(id_)
        return str(found["name"]) if found is not None else existing.names.get(id_, id_)

    def _birthday(
        self,
        contact_id: str,
        birthday: tuple[int, int, int | None],
        known: dict[str, tuple[str, tuple[int, int, int | None]]],
        new_id: str,
    ) -> None:
        day, month, year = birthday
        found = known.get(contact_id)
        if found is None:
            self.creates.append(
                (
                    ImportantDate,
                    {
                        "id": new_id,
                        "contact_id": contact_id,
                        "label": "Birthday",
                        "day": day,
                        "month": month,
                        "year": year,
                    },
                )
            )
            known[contact_id] = (new_id, birthday)
        elif found[1] != birthday and not any(v["id"] == found[0] for _e, v in self.creates):
            current = {"day": found[1][0], "month": found[1][1], "year": found[1][2]}
            new = {"day": day, "month": month, "year": year}
            self.update(found[0], current, new, ImportantDate)
