"""Finding the contact a user names on the command line: an id, an email address or a name.

An exact email or name (any case) wins; otherwise a unique part of a name. Anything else is
refused with the candidates listed, each with its client, since two clients may well have a
"Jo Smith" each and the user must be able to tell which one is meant.

Contacts deleted the ordinary way are found too (their data stays in this station's tombstones,
outbox and history until an erase removes it); a candidate list says "(deleted)" after them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Client, Contact
from db.privacy.person import DELETED, deleted_people, person
from db.reports.lookup import NoMatch

MAX_LISTED = 8


def find_person(session: Session, text: str) -> str:
    """The id of the one contact `text` names; NoMatch names the candidates otherwise."""
    needle = text.strip()
    if not needle:
        raise NoMatch("person: empty name or email")
    if session.get(Contact, needle) is not None:
        return needle
    rows = [
        (r[0], r[1], r[2], f"({r[3]})")
        for r in session.execute(
            select(Contact.id, Contact.name, Contact.email, Client.name).join(
                Client, Client.id == Contact.client_id
            )
        )
    ]
    run = session.connection().exec_driver_sql
    if person(run, needle) is not None:
        return needle  # a deleted contact's id
    clients: dict[str, str] = {r[0]: r[1] for r in session.execute(select(Client.id, Client.name))}
    rows += [
        (p.id, p.name, p.email, f"({clients.get(p.client_id, 'a deleted client')}) {DELETED}")
        for p in deleted_people(run)
    ]
    rows.sort(key=lambda r: (r[1], r[3]))
    folded = needle.casefold()
    exact = [r for r in rows if folded in (r[1].casefold(), r[2].casefold())]
    found = exact or [r for r in rows if folded in r[1].casefold()]
    if len(found) == 1:
        return str(found[0][0])
    if not found:
        raise NoMatch(f"person {text!r}: no contact has that name or email")
    listed = ", ".join(
        f"{name} <{email}> {client}" if email else f"{name} {client}"
        for _id, name, email, client in found[:MAX_LISTED]
    )
    more = f" and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
    raise NoMatch(f"person {text!r} is ambiguous, give the email or the whole name: {listed}{more}")
