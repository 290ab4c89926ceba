"""What one operation changed: entity name -> ids added, changed and removed, and the scope
of each row: which client and project it belongs to.

Views read a change set to refresh only the rows it names. The scope is resolved when the
change is recorded (`db.change_scope`, from `Store`'s flush, while deleted rows are still
loaded), so a listener never traces ids back and a deleted row still says whose it was. A row
without a scope could not be traced and concerns everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

EVERYONE = "*"  # the client of a row that concerns every client (a team member, a setting)


def _ids() -> dict[str, set[str]]:
    return {}


@dataclass(frozen=True, slots=True)
class Scope:
    """The client (EVERYONE for a row outside any client, None for a row of no client) and
    the project (None for none) a changed row belongs to; for a team member's own row or
    leave, the member too."""

    client: str | None
    project: str | None = None
    member: str | None = None


def _scopes() -> dict[tuple[str, str], Scope]:
    return {}


@dataclass
class ChangeSet:
    added: dict[str, set[str]] = field(default_factory=_ids)
    changed: dict[str, set[str]] = field(default_factory=_ids)
    removed: dict[str, set[str]] = field(default_factory=_ids)
    scope: dict[tuple[str, str], Scope] = field(default_factory=_scopes)  # (entity, id) ->
    # Resolves the scope of rows that lack one when a listener first asks (a change set from
    # outside the session: most listeners never ask, so no row is looked up for them).
    resolve: Callable[[ChangeSet, tuple[str, ...]], None] | None = field(
        default=None, repr=False, compare=False
    )

    def add(self, kind: str, entity: str, ids: Iterable[str]) -> None:
        getattr(self, kind).setdefault(entity, set()).update(ids)

    def merge(self, other: ChangeSet) -> None:
        """Fold a later change set into this one, keeping each id in the one bucket that
        describes the net effect (added-then-changed is added; added-then-removed is nothing)."""
        for entity, ids in other.added.items():
            gone = self.removed.get(entity, set()) & ids
            if gone:  # removed then re-added (undo of a delete inside one batch): a change
                self.removed[entity] -= gone
                self.add("changed", entity, gone)
            self.add("added", entity, ids - gone)
        for entity, ids in other.changed.items():
            self.add("changed", entity, ids - self.added.get(entity, set()))
        for entity, ids in other.removed.items():
            fresh = self.added.get(entity, set()) & ids
            if fresh:
                self.added[entity] -= fresh
            if entity in self.changed:
                self.changed[entity] -= ids
            self.add("removed", entity, ids - fresh)
        self.scope.update(other.scope)
        self._drop_empty()

    def _drop_empty(self) -> None:
        for bucket in (self.added, self.changed, self.removed):
            for entity in [e for e, ids in bucket.items() if not ids]:
                del bucket[entity]

    def entities(self) -> set[str]:
        return set(self.added) | set(self.changed) | set(self.removed)

    def touches(self, *entities: str) -> bool:
        return not self.entities().isdisjoint(entities)

    def ids(self, entity: str) -> set[str]:
        """Every id of this entity the change names, whatever happened to it."""
        return (
            self.added.get(entity, set())
            | self.changed.get(entity, set())
            | self.removed.get(entity, set())
        )

    def _rows(self, entities: tuple[str, ...]) -> list[tuple[str, str]]:
        if self.resolve is not None:
            self.resolve(self, entities)
        wanted = self.entities() if not entities else self.entities() & set(entities)
        return [(e, i) for e in wanted for i in self.ids(e)]

    def clients(self, *entities: str) -> set[str] | None:
        """The clients the rows of these entities (of every entity when none is named)
        belong to; None when one of them concerns every client or has no known scope."""
        return self._owners(entities, lambda scope: scope.client)

    def projects(self, *entities: str) -> set[str] | None:
        """The projects the rows of these entities belong to; None when one of them has no
        known scope or concerns every client (a team member's leave moves every plan)."""
        return self._owners(entities, lambda scope: scope.project)

    def members(self, *entities: str) -> set[str] | None:
        """The team members the rows of these entities (leave, members) are of; None when
        one of them names no member (it could not be traced)."""
        found: set[str] = set()
        for key in self._rows(entities):
            scope = self.scope.get(key)
            if scope is None or scope.member is None:
                return None
            found.add(scope.member)
        return found

    def _owners(
        self, entities: tuple[str, ...], owner: Callable[[Scope], str | None]
    ) -> set[str] | None:
        found: set[str] = set()
        for key in self._rows(entities):
            scope = self.scope.get(key)
            if scope is None or scope.client == EVERYONE:
                return None
            if (one := owner(scope)) is not None:
                found.add(one)
        return found

    def concerns_client(self, client_id: str, *entities: str) -> bool:
        """Whether rows of these entities belong to the client, concern every client, or
        cannot be traced."""
        clients = self.clients(*entities)
        return clients is None or client_id in clients

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        parts = []
        for kind in ("added", "changed", "removed"):
            bucket: dict[str, set[str]] = getattr(self, kind)
            n = sum(len(ids) for ids in bucket.values())
            if n:
                parts.append(f"{n} {kind}")
        return ", ".join(parts) or "no changes"
