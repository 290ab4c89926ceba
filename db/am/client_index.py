"""The client list's rows without Qt: which clients there are, what the list knows of each,
which of them the filter lets through and in what order, kept up to date from change sets.

On open the index reads only the light facts of every client (id, name, status, account
manager): enough to sort by those columns and to filter by status and manager. A row's
figures (`db.am.client_rows.ClientRow`: health, dates, counts, money) are read a batch at a
time as rows are asked for, and the lower-case text type-to-filter searches is read on the
first keystroke (or handed over by a background read, `accept_prefetch`).

`shown` is the list of clients the filter lets through, in sort order. The index changes it
only through the primitives `insert_shown`, `remove_shown` and `set_shown`, so a Qt model
over it can announce each change to its views before it happens (`desktop.models.clients_table`).

A `ChangeSet` re-reads only the clients it touches: a logged call, a follow-up, a project or
its tasks and costs, an opportunity or a rating name their client in the change set's scope,
removed rows included. A row without a scope (a removal sync could not trace) marks every
cached figure stale, to be re-read when next asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.am.client_rows import ClientRow, client_list_rows, search_texts
from db.changes import ChangeSet
from db.core_reads import read
from db.models import Client, ClientStatus, TeamMember

BATCH = 100  # rows read per query when an uncached row is asked for

# Rows whose change alters a client's figures (health, dates, counts, money).
FIGURE_ENTITIES = (
    "Interaction",
    "FollowUp",
    "Opportunity",
    "Project",
    "Task",
    "CostEntry",
    "SatisfactionRating",
)
# Rows whose change alters the text type-to-filter searches.
TEXT_ENTITIES = ("Client", "Contact", "ClientNote", "CustomValue")


@dataclass(frozen=True, slots=True)
class Light:
    """What the list knows of every client from the moment it opens."""

    id: str
    name: str
    status: ClientStatus
    manager_id: str | None
    manager: str


# A column's sort key from what the index knows of a client; `row` is None for a column
# sorted on light facts alone (`SortKey.light`).
KeyOf = Callable[[Light, ClientRow | None], Any]


@dataclass(frozen=True, slots=True)
class SortKey:
    key_of: KeyOf
    light: bool  # True: needs only the light facts, never the figures


def name_key(light: Light, _row: ClientRow | None) -> Any:
    return light.name.casefold()


BY_NAME = SortKey(name_key, light=True)


@dataclass
class ClientFilter:
    text: str = ""  # lower case
    status: str | None = None
    manager: str | None = None  # a member id, "" for clients without one
    tag: str | None = None  # casefolded

    def active(self) -> bool:
        return bool(self.text or self.status or self.manager is not None or self.tag)


@dataclass
class Refresh:
    """What a change set did to the index: clients whose cells must be redrawn, and whether
    every cached figure was dropped (every cell stale)."""

    stale: set[str] = field(default_factory=set)
    everything: bool = False


class ClientIndex:
    def __init__(self, session: Session, today: date | None = None) -> None:
        self.session = session
        self.today = today or date.today()
        self.order: list[str] = []  # every client, in sort order
        self.shown: list[str] = []  # the clients the filter lets through, in order
        self.pos: dict[str, int] = {}  # id -> place in `shown`
        self.filter = ClientFilter()
        self.sort_key = BY_NAME
        self.descending = False
        self.light: dict[str, Light] = {}
        self.rows: dict[str, ClientRow] = {}  # figures read so far
        self._haystack: dict[str, str] | None = None  # read on the first keystroke
        self._tags: dict[str, frozenset[str]] | None = None  # read when a tag is picked
        self.change_count = 0  # change sets seen, so a background read can tell it is stale

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the light facts afresh (on open; a change set never needs this), in name
        order, and let the filter judge them."""
        self.light = self._read_light(None)
        self.order = sorted(self.light, key=lambda i: self.light[i].name.casefold())
        self.sort_key, self.descending = BY_NAME, False
        self.rows.clear()
        self._haystack = None
        self._tags = None
        self.set_shown(self.wanted())

    def _read_light(self, ids: Iterable[str] | None) -> dict[str, Light]:
        # Table columns: read before the first paint (see db.core_reads).
        client = Client.__table__.c
        manager = TeamMember.__table__.alias("manager")
        query = select(
            client.id, client.name, client.status, client.account_manager_id, manager.c.name
        ).outerjoin(manager, manager.c.id == client.account_manager_id)
        if ids is not None:
            query = query.where(client.id.in_(list(ids)))
        return {
            cid: Light(cid, name, ClientStatus(status), am_id, am_name or "")
            for cid, name, status, am_id, am_name in read(self.session, query)
        }

    def fetch(self, ids: Iterable[str] | None) -> None:
        """Read the figures of these clients (None: of every client, in one go)."""
        wanted = None if ids is None else list(ids)
        if wanted == []:
            return
        for row in client_list_rows(self.session, self.today, wanted):
            self.rows[row.id] = row

    def figures(self, position: int) -> ClientRow | None:
        """The figures of the client shown at `position`, read with the run of uncached
        rows after it (a view asks for rows in runs)."""
        id_ = self.shown[position]
        cached = self.rows.get(id_)
        if cached is None:
            batch: list[str] = []
            for other in self.shown[position:]:
                if other not in self.rows:
                    batch.append(other)
                    if len(batch) == BATCH:
                        break
            if id_ not in batch:
                batch.insert(0, id_)
            self.fetch(batch)
            cached = self.rows.get(id_)
        return cached

    def accept_prefetch(self, rows: list[ClientRow], texts: dict[str, str], mark: int) -> None:
        """Take what a background read found, unless a change set arrived since it began."""
        if mark != self.change_count:
            return  # read before a change: figures are read on demand instead
        for row in rows:
            self.rows.setdefault(row.id, row)
        if self._haystack is None:
            self._haystack = texts

    # -- shown rows --------------------------------------------------------------------------

    def set_shown(self, ids: list[str]) -> None:
        self.shown = ids
        self._reindex()

    def insert_shown(self, position: int, client_id: str) -> None:
        self.shown.insert(position, client_id)
        self._reindex()

    def remove_shown(self, position: int) -> None:
        del self.shown[position]
        self._reindex()

    def _reindex(self) -> None:
        self.pos = {id_: row for row, id_ in enumerate(self.shown)}

    # -- filtering ---------------------------------------------------------------------------

    def haystack(self) -> dict[str, str]:
        """Lower-case text per client (name, tags, contacts, notes), read once."""
        if self._haystack is None:
            self._haystack = search_texts(self.session)
        return self._haystack

    def haystack_read(self) -> bool:
        return self._haystack is not None

    def _tags_of(self) -> dict[str, frozenset[str]]:
        if self._tags is None:
            rows = read(self.session, select(Client.id, Client.tags))
            self._tags = {i: frozenset(t.casefold() for t in tags or ()) for i, tags in rows}
        return self._tags

    def wanted(self) -> list[str]:
        """The clients the filter lets through, in sort order: one pass in Python, a dict
        look-up and a substring test per client on text read once."""
        order, judge = self.order, self.filter
        if not judge.active():
            return list(order)
        found = order
        if judge.text:
            needle, text = judge.text, self.haystack().get
            found = [i for i in found if needle in text(i, "")]
        if judge.tag:
            tag, tags = judge.tag, self._tags_of()
            found = [i for i in found if tag in tags.get(i, ())]
        status, manager, light = judge.status, judge.manager, self.light
        if status is None and manager is None:
            return list(found)
        return [
            i
            for i in found
            if (status is None or light[i].status.value == status)
            and (manager is None or (light[i].manager_id or "") == manager)
        ]

    # -- sorting -----------------------------------------------------------------------------
    # The ids come in name order, so the list opens sorted without comparing a single pair.
    # Sorting by a figure reads every client's figures in one query.

    def key(self, client_id: str, sort: SortKey | None = None) -> Any:
        sort = sort or self.sort_key
        light = self.light.get(client_id)
        if light is None:
            return ""
        if sort.light:
            return sort.key_of(light, None)
        row = self.rows.get(client_id)
        if row is None:
            self.fetch([client_id])
            row = self.rows.get(client_id)
        return sort.key_of(light, row) if row else ""

    def sort(self, sort: SortKey, descending: bool) -> None:
        """Put `order` and `shown` in this order (a stable sort)."""
        self._sort_order(sort, descending)
        shown = self.pos
        self.set_shown([i for i in self.order if i in shown])

    def _sort_order(self, sort: SortKey, descending: bool) -> None:
        if not sort.light and len(self.rows) < len(self.order):
            self.fetch(None)
        self.sort_key, self.descending = sort, descending
        self.order.sort(key=lambda i: self.key(i, sort), reverse=descending)

    def _place_for(self, key: Any, ids: list[str]) -> int:
        """Where a client with this sort key goes among `ids` (after its equals)."""
        lo, hi = 0, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            other = self.key(ids[mid])
            if (key > other) if self.descending else (key < other):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def resort(self, ids: set[str] | None) -> None:
        """The sort keys of these clients (None: of any) may have changed outside the index
        (a custom field's value): put `order` right; `shown` follows through `wanted()`."""
        if ids is None:
            self._sort_order(self.sort_key, self.descending)
            return
        for id_ in ids:
            self._reposition(id_)

    def _reposition(self, client_id: str) -> None:
        """Move a client whose sort key may have changed to its place in `order`."""
        if client_id not in self.light:
            return
        old = self.order.index(client_id)
        rest = self.order[:old] + self.order[old + 1 :]
        target = self._place_for(self.key(client_id), rest)
        if target != old:
            rest.insert(target, client_id)
            self.order = rest

    # -- refreshing from a ChangeSet ---------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> Refresh:
        """Bring the light facts, the cached figures, the filter text and `order` up to date
        with the change set. `shown` is left as it was, for the caller to bring to `wanted()`
        (through the primitives, announcing each step)."""
        self.change_count += 1
        refresh = Refresh()
        if date.today() != self.today:  # past midnight: every "days since" moved on
            self.today = date.today()
            refresh.everything = True
        if changes.touches("AgencySetting"):  # thresholds or the working week
            refresh.everything = True
        stale = refresh.stale
        if changes.touches("Client"):
            self._forget(changes.removed.get("Client", set()))
            self._learn(changes.added.get("Client", set()))
            changed = changes.changed.get("Client", set())
            self.light.update(self._read_light(changed))
            stale |= changed
            self._tags = None  # read again when a tag filter asks
        if changes.touches("TeamMember"):
            members = changes.ids("TeamMember")
            mine = {i for i, light in self.light.items() if light.manager_id in members}
            self.light.update(self._read_light(mine))
            stale |= mine
        if changes.touches(*FIGURE_ENTITIES):
            found = changes.clients(*FIGURE_ENTITIES)
            if found is None:
                refresh.everything = True
            else:
                stale |= found & self.light.keys()
        if self._haystack is not None and changes.touches(*TEXT_ENTITIES):
            found = changes.clients(*TEXT_ENTITIES)
            if found is None:
                self._haystack = None  # read again on the next keystroke
            else:
                self._haystack.update(search_texts(self.session, found & self.light.keys()))
        if refresh.everything:
            self.rows.clear()
            if not self.sort_key.light:
                self._sort_order(self.sort_key, self.descending)
        # Cached figures are re-read now so a repaint shows the new values; rows not cached
        # yet are read fresh when asked for.
        cached = [i for i in stale if i in self.rows]
        for id_ in cached:
            del self.rows[id_]
        self.fetch(cached)
        for id_ in stale:
            self._reposition(id_)
        return refresh

    def _learn(self, ids: set[str]) -> None:
        fresh = [i for i in ids if i not in self.light]
        self.light.update(self._read_light(fresh))
        if self._haystack is not None:
            self._haystack.update(search_texts(self.session, fresh))
        if not self.sort_key.light:
            self.fetch(fresh)
        for id_ in fresh:
            if id_ in self.light:  # not added and removed again before we looked
                self.order.insert(self._place_for(self.key(id_), self.order), id_)

    def _forget(self, ids: set[str]) -> None:
        for id_ in ids:
            if id_ in self.light:
                self.order.remove(id_)
                self.rows.pop(id_, None)
                del self.light[id_]
