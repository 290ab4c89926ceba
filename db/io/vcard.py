"""Contacts as vCards (vobject), both ways, birthdays with or without a year.

Writing: vCard 3.0, one card per contact, UID = the contact's id (so a card that comes back
updates its contact), ORG = the client, BDAY as 1984-05-17 or, without a year, --05-17.
Private rapport notes are never written. Reading turns the cards into the rows of a
contacts CSV, so matching, updating and likely duplicates work exactly as for CSV; Apple's
placeholder year 1604 means "no year".
"""

from __future__ import annotations

import re

import vobject
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.io.csv_table import CsvTable, decode
from db.io.errors import ImportFileError
from db.io.source import Source
from db.models import Client, Contact, ImportantDate

HEADER = ["id", "name", "client", "title", "email", "phone", "birthday"]
_NO_YEAR = "1604"  # what Apple Contacts writes for a birthday without a year


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \r\n\t")[:11].upper() == "BEGIN:VCARD"


def contacts_vcard(session: Session, client_id: str | None = None) -> bytes:
    query = (
        select(Contact.id, Contact.name, Client.name, Contact.title, Contact.email, Contact.phone)
        .join(Client, Client.id == Contact.client_id)
        .order_by(Client.name, Contact.name)
    )
    if client_id is not None:
        query = query.where(Contact.client_id == client_id)
    birthdays = {
        contact_id: (day, month, year)
        for contact_id, day, month, year in session.execute(
            select(
                ImportantDate.contact_id, ImportantDate.day, ImportantDate.month, ImportantDate.year
            ).where(ImportantDate.label == "Birthday")
        )
    }
    cards = []
    for contact_id, name, client, title, email, phone in session.execute(query):
        card = vobject.vCard()
        card.add("uid").value = contact_id
        card.add("fn").value = name
        given, _, family = name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        card.add("org").value = [client]
        if title:
            card.add("title").value = title
        if email:
            mail = card.add("email")
            mail.value = email
            mail.type_param = "INTERNET"
        if phone:
            card.add("tel").value = phone
        if contact_id in birthdays:
            day, month, year = birthdays[contact_id]
            text = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
            card.add("bday").value = text
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")


def read_vcards(source: Source) -> CsvTable:
    """The cards of a vCard file as the rows of a contacts table."""
    text, encoding = decode(source)
    starts = [m.start() for m in re.finditer(r"(?im)^BEGIN:VCARD", text)]
    line_of_card = [text.count("\n", 0, at) + 1 for at in starts]
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for n, card in enumerate(
            vobject.readComponents(text, validate=False, ignoreUnreadable=True)
        ):
            if card.name.upper() != "VCARD":
                continue
            rows.append(_row(card))
            lines.append(line_of_card[n] if n < len(line_of_card) else 0)
    except (vobject.base.ParseError, ValueError, AttributeError, TypeError) as exc:
        where = f"line {getattr(exc, 'lineNumber', None) or '?'}"
        raise ImportFileError(source.name, f"is not a valid vCard file ({exc})", where) from None
    if not rows:
        raise ImportFileError(source.name, "holds no vCard")
    return CsvTable(source.name, list(HEADER), rows, lines, encoding, "vCard")


def _value(card: vobject.base.Component, name: str) -> str:
    found = getattr(card, name, None)
    if found is None:
        return ""
    value = found.value
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v)
    return " ".join(str(value).split())


def _row(card: vobject.base.Component) -> list[str]:
    name = _value(card, "fn")
    if not name and getattr(card, "n", None) is not None:
        n = card.n.value
        name = " ".join(p for p in (str(n.given or ""), str(n.family or "")) if p)
    org = getattr(card, "org", None)
    client = ""
    if org is not None:
        value = org.value
        client = str(value[0] if isinstance(value, list) and value else value or "")
    return [
        _value(card, "uid"),
        name,
        client.strip(),
        _value(card, "title"),
        _value(card, "email"),
        _value(card, "tel"),
        _birthday(_value(card, "bday")),
    ]


def _birthday(text: str) -> str:
    """A vCard BDAY as the importer's text: 1984-05-17, --05-17 (no year)."""
    text = text.strip().split("T")[0]
    compact = re.match(r"^(\d{4}|--)-?(\d{2})-?(\d{2})$", text)
    if compact is None:
        return text
    year, month, day = compact.groups()
    if year in ("--", _NO_YEAR):
        return f"--{month}-{day}"
    return f"{year}-{month}-{day}"
