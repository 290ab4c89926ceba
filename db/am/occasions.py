"""Occasions to surprise and delight: contacts' important dates, client-since anniversaries
and project completions in the coming days, each with the state of its gift; and a client's
yearly gift budget use.

A 29 February date in a year without one is celebrated on 28 February (the last day of
February, so it never slips into March and out of a February view).

A gift linked to a contact's important date (`Gift.important_date_id`) belongs to that date's
occasion when it has no date yet or its date falls from 30 days before to 7 days after it.
An unlinked gift belongs to an occasion when it is for the same client and the same contact
(or for no contact, for client-level occasions) and either its date falls in that window, or
it has no date yet and its `occasion` text names the occasion. The
occasion shows the furthest state of its gifts (idea < bought < given); None means no gift yet.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import (
    Client,
    Contact,
    Gift,
    GiftState,
    ImportantDate,
    Project,
    ProjectStatus,
)

GIFT_BEFORE = timedelta(days=30)
GIFT_AFTER = timedelta(days=7)
_STATE_ORDER = {GiftState.IDEA: 0, GiftState.BOUGHT: 1, GiftState.GIVEN: 2}


def occurrence_in(year: int, month: int, day: int) -> date:
    """The day a recurring date falls on in `year` (29 Feb -> 28 Feb in common years)."""
    try:
        return date(year, month, day)
    except ValueError:  # only 29 February in a common year passes validation yet fails here
        return date(year, month, calendar.monthrange(year, month)[1])


def next_occurrence(month: int, day: int, on_or_after: date) -> date:
    this_year = occurrence_in(on_or_after.year, month, day)
    return (
        this_year if this_year >= on_or_after else occurrence_in(on_or_after.year + 1, month, day)
    )


@dataclass(frozen=True)
class Occasion:
    when: date
    kind: str  # "date" (a contact's important date), "anniversary", "project"
    label: str
    client_id: str
    client_name: str
    contact_id: str | None = None
    contact_name: str | None = None
    years: int | None = None  # e.g. 40th birthday, 5 years a client; None when unknown
    gift_state: GiftState | None = None
    date_id: str | None = None  # the contact's ImportantDate, for kind "date"

    @property
    def title(self) -> str:
        who = self.contact_name or self.client_name
        if self.kind == "anniversary":
            return f"{self.client_name}: {self.years} years a client"
        if self.kind == "project":
            return f"{self.client_name}: project {self.label} completes"
        years = f" ({self.years})" if self.years else ""
        return f"{who}: {self.label}{years}"


GiftFacts = tuple[str | None, str, GiftState, date | None, str | None]


def _gift_state(
    gifts: list[GiftFacts], contact_id: str | None, label: str, when: date, date_id: str | None
) -> GiftState | None:
    best: GiftState | None = None
    for gift_contact, occasion, state, gift_date, gift_date_id in gifts:
        if gift_date_id is not None:
            in_window = gift_date is None or when - GIFT_BEFORE <= gift_date <= when + GIFT_AFTER
            matches = gift_date_id == date_id and in_window
        elif gift_contact != contact_id:
            continue
        elif gift_date is not None:
            matches = when - GIFT_BEFORE <= gift_date <= when + GIFT_AFTER
        else:
            matches = bool(occasion) and occasion.strip().lower() == label.strip().lower()
        if matches and (best is None or _STATE_ORDER[state] > _STATE_ORDER[best]):
            best = state
    return best


def dates_with_people() -> Select[str, str, int, int, int | None, str, str, str, str]:
    """Every contact's important dates with whose they are: (date id, label, day, month, year,
    contact id, contact name, client id, client name), for the occasions and the calendars."""
    return (
        select(
            ImportantDate.id,
            ImportantDate.label,
            ImportantDate.day,
            ImportantDate.month,
            ImportantDate.year,
            Contact.id,
            Contact.name,
            Client.id,
            Client.name,
        )
        .join(Contact, Contact.id == ImportantDate.contact_id)
        .join(Client, Client.id == Contact.client_id)
    )


def upcoming_occasions(
    session: Session, today: date, days: int = 14, client_id: str | None = None
) -> list[Occasion]:
    """Occasions from today to `today + days` inclusive, soonest first."""
    until = today + timedelta(days=days)
    found: list[Occasion] = []

    dates = dates_with_people()
    if client_id is not None:
        dates = dates.where(Client.id == client_id)
    for date_id, label, day, month, year, contact_id, contact_name, cid, cname in read(
        session, dates
    ):
        when = next_occurrence(month, day, today)
        if when <= until:
            years = when.year - year if year else None
            found.append(
                Occasion(
                    when,
                    "date",
                    label,
                    cid,
                    cname,
                    contact_id,
                    contact_name,
                    years,
                    date_id=date_id,
                )
            )

    clients = select(Client.id, Client.name, Client.client_since).where(
        Client.client_since.is_not(None)
    )
    if client_id is not None:
        clients = clients.where(Client.id == client_id)
    for cid, cname, since in read(session, clients):
        if since is None:  # excluded by the query; narrows the column's type
            continue
        when = next_occurrence(since.month, since.day, today)
        years = when.year - since.year
        if when <= until and years > 0:
            found.append(
                Occasion(when, "anniversary", "client anniversary", cid, cname, years=years)
            )

    projects = (
        select(Project.name, Project.due_date, Client.id, Client.name)
        .join(Client, Client.id == Project.client_id)
        .where(
            Project.due_date >= today,
            Project.due_date <= until,
            Project.status != ProjectStatus.CANCELLED,
        )
    )
    if client_id is not None:
        projects = projects.where(Client.id == client_id)
    for name, due, cid, cname in read(session, projects):
        if due is None:  # excluded by the query's date range; narrows the column's type
            continue
        found.append(Occasion(due, "project", name, cid, cname))

    if not found:
        return []
    gifts_by_client: dict[str, list[GiftFacts]] = {}
    gift_rows = select(
        Gift.client_id,
        Gift.contact_id,
        Gift.occasion,
        Gift.state,
        Gift.gift_date,
        Gift.important_date_id,
    ).where(Gift.client_id.in_({o.client_id for o in found}))
    for cid, gift_contact_id, occasion, state, gift_date, gift_date_id in read(session, gift_rows):
        gifts_by_client.setdefault(cid, []).append(
            (gift_contact_id, occasion, state, gift_date, gift_date_id)
        )
    with_gifts = [
        replace(
            o,
            gift_state=_gift_state(
                gifts_by_client.get(o.client_id, []), o.contact_id, o.label, o.when, o.date_id
            ),
        )
        for o in found
    ]
    return sorted(with_gifts, key=lambda o: (o.when, o.client_name, o.contact_name or ""))


@dataclass(frozen=True)
class GiftBudget:
    budget_cents: int
    spent_cents: int  # bought or given this year
    planned_cents: int  # ideas not bought yet

    @property
    def left_cents(self) -> int:
        return self.budget_cents - self.spent_cents


def gift_budget_use(session: Session, client_id: str, year: int) -> GiftBudget:
    """A client's gift budget for `year` against gifts dated that year (undated gifts count in
    the year they were entered)."""
    budget = session.scalar(select(Client.yearly_gift_budget_cents).where(Client.id == client_id))
    start, end = date(year, 1, 1), date(year, 12, 31)
    when = func.coalesce(Gift.gift_date, func.date(Gift.created_at))
    rows = read(
        session,
        select(Gift.state, func.sum(Gift.cost_cents))
        .where(Gift.client_id == client_id, when >= start.isoformat(), when <= end.isoformat())
        .group_by(Gift.state),
    )
    totals = {state: total or 0 for state, total in rows}
    spent = totals.get(GiftState.BOUGHT, 0) + totals.get(GiftState.GIVEN, 0)
    return GiftBudget(budget or 0, spent, totals.get(GiftState.IDEA, 0))
