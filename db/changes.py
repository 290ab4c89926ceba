"""What one operation changed: entity name -> ids added, changed and removed.

Views read a change set to refresh only the rows it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def _ids() -> dict[str, set[str]]:
    return {}


@dataclass
class ChangeSet:
    added: dict[str, set[str]] = field(default_factory=_ids)
    changed: dict[str, set[str]] = field(default_factory=_ids)
    removed: dict[str, set[str]] = field(default_factory=_ids)

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
