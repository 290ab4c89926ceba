"""Client tags: typed as one comma-separated line, kept as a list without duplicates (any
case), offered from those the agency already uses, and renamed across the agency at once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.labels import quoted
from db.models import Client
from db.operations import Composite, Update, composite

TAG_MAX = 40


def tags_from_text(text: str) -> list[str]:
    """'vip, Retail ,vip' -> ['vip', 'Retail']: trimmed, first spelling kept, no empties."""
    found: dict[str, str] = {}
    for part in text.split(","):
        tag = " ".join(part.split())[:TAG_MAX]
        if tag and tag.casefold() not in found:
            found[tag.casefold()] = tag
    return list(found.values())


def tags_text(tags: Iterable[str]) -> str:
    return ", ".join(tags)


def agency_tags(session: Session) -> list[str]:
    """Every tag in use, sorted, one spelling each."""
    found: dict[str, str] = {}
    # Table columns: the Clients area asks before the first paint (see db.core_reads).
    for tags in read(session, select(Client.__table__.c.tags)).scalars():
        for tag in tags or []:
            found.setdefault(tag.casefold(), tag)
    return sorted(found.values(), key=str.casefold)


def rename_tag(session: Session, old: str, new: str) -> Composite:
    """Rename a tag on every client that has it (merging with `new` where both are there),
    as one step."""
    steps = []
    for client_id, tags in session.execute(select(Client.id, Client.tags)):
        if any(t.casefold() == old.casefold() for t in tags or []):
            renamed = [new if t.casefold() == old.casefold() else t for t in tags]
            steps.append(Update(Client, client_id, {"tags": tags_from_text(",".join(renamed))}))
    return composite(steps, f"Rename tag {quoted(old)} to {quoted(new)}")
