"""Operations: each applies one user-level change to the session and can revert it.

An operation does not commit; `Store.apply` runs it inside one transaction and returns the
change set. Operations keep what they need to revert (old values, snapshots of deleted rows),
so the desktop wraps each one in a QUndoCommand without knowing what it does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from sqlalchemy import inspect, select
from sqlalchemy.orm import RelationshipDirection, Session
from sqlalchemy.orm.attributes import set_committed_value

from db.errors import NotFoundError
from db.models import ENTITIES, AgencySetting, Entity, new_id
from db.validation import check_lengths, check_values


class Operation(Protocol):
    label: str

    def apply(self, session: Session) -> None: ...

    def revert(self, session: Session) -> None: ...


def column_values(obj: Entity) -> dict[str, Any]:
    mapper = inspect(type(obj))
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


@cache
def scalar_defaults(entity: type[Entity]) -> dict[str, Any]:
    """Column defaults that are plain values, so a new row is validated as it will be stored
    (an edit and an import alike). Cached: a mapper's defaults never change; callers copy."""
    found = {}
    for attr in inspect(entity).column_attrs:
        default = attr.columns[0].default
        if default is not None and default.is_scalar:
            found[attr.key] = default.arg
    return found


def _get(session: Session, entity: type[Entity], id_: str) -> Entity:
    obj = session.get(entity, id_)
    if obj is None:
        raise NotFoundError(f"{entity.__name__} {id_} no longer exists")
    return obj


@dataclass
class Create:
    """Insert one row. The id is fixed when the operation is made so redo recreates the same
    row and later operations can refer to it."""

    entity: type[Entity]
    values: dict[str, Any]
    label: str = ""

    def __post_init__(self) -> None:
        self.values = dict(self.values)
        self.values.setdefault("id", new_id())
        self.label = self.label or f"New {self.entity.__name__}"

    @property
    def id(self) -> str:
        return str(self.values["id"])

    def apply(self, session: Session) -> None:
        check_values(
            self.entity.__name__, {**scalar_defaults(self.entity), **self.values}, partial=False
        )
        check_lengths(self.entity.__name__, self.values)
        session.add(self.entity(**self.values))

    def revert(self, session: Session) -> None:
        Delete(self.entity, self.id).apply(session)


@dataclass
class Update:
    """Set some fields of one row; remembers the old values for revert."""

    entity: type[Entity]
    id: str
    values: dict[str, Any]
    label: str = ""
    old: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.label = self.label or f"Edit {self.entity.__name__}"

    def apply(self, session: Session) -> None:
        obj = _get(session, self.entity, self.id)
        current = column_values(obj)
        check_values(
            self.entity.__name__,
            {**current, **self.values},
            partial=True,
            changed=self.values.keys(),
        )
        check_lengths(self.entity.__name__, self.values)
        self.old = {key: current[key] for key in self.values}
        for key, value in self.values.items():
            setattr(obj, key, value)

    def revert(self, session: Session) -> None:
        obj = _get(session, self.entity, self.id)
        for key, value in self.old.items():
            setattr(obj, key, value)


def _referrers(entity: type[Entity]) -> list[tuple[type[Entity], str, str | None]]:
    """(entity, fk column, ondelete) for every foreign key that points at `entity`."""
    table = entity.__table__
    found = []
    for other in ENTITIES.values():
        for fk in other.__table__.foreign_keys:
            if fk.column.table is table:
                found.append((other, fk.parent.name, fk.ondelete))
    return found


@dataclass
class Delete:
    """Delete one row and everything that cascades from it; revert puts all of it back, ids
    and foreign keys as they were."""

    entity: type[Entity]
    id: str
    label: str = ""
    snapshot: list[tuple[type[Entity], dict[str, Any]]] = field(default_factory=list)
    nulled: list[tuple[type[Entity], str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.label = self.label or f"Delete {self.entity.__name__}"

    def apply(self, session: Session) -> None:
        self.snapshot, self.nulled = [], []
        root = _get(session, self.entity, self.id)
        doomed: list[Entity] = []
        _collect(session, [root], doomed, set(), self.snapshot, self.nulled)
        _remove(session, doomed, self.nulled)

    def revert(self, session: Session) -> None:
        _restore(session, self.snapshot, self.nulled)


@dataclass
class DeleteRows:
    """Delete several rows, and everything that cascades from each, as one step: all of them
    or none (one missing row refuses the whole). A row that goes with another one anyway (a
    subtask under a selected task) is taken once. `preview` says what would go, changing
    nothing, so a view can name the children before asking."""

    targets: Sequence[tuple[type[Entity], str]]
    label: str = ""
    snapshot: list[tuple[type[Entity], dict[str, Any]]] = field(default_factory=list)
    nulled: list[tuple[type[Entity], str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.targets = list(self.targets)
        if not self.targets:
            raise ValueError("DeleteRows needs at least one row")
        self.label = self.label or f"Delete {len(self.targets)} rows"

    def apply(self, session: Session) -> None:
        self.snapshot, self.nulled = [], []
        doomed = self._gather(session, self.snapshot, self.nulled)
        _remove(session, doomed, self.nulled)

    def revert(self, session: Session) -> None:
        _restore(session, self.snapshot, self.nulled)

    def preview(self, session: Session) -> dict[str, int]:
        """How many rows of each entity would go, the targets included."""
        found: dict[str, int] = {}
        for obj in self._gather(session, [], [], preload=False):
            name = type(obj).__name__
            found[name] = found.get(name, 0) + 1
        return found

    def _gather(
        self,
        session: Session,
        snapshot: list[tuple[type[Entity], dict[str, Any]]],
        nulled: list[tuple[type[Entity], str, str, str]],
        *,
        preload: bool = True,
    ) -> list[Entity]:
        doomed: list[Entity] = []
        roots = [_get(session, entity, id_) for entity, id_ in self.targets]
        _collect(session, roots, doomed, set(), snapshot, nulled, preload=preload)
        seen = {obj.id for obj in doomed}
        # A reference from a row that goes too needs no clearing.
        nulled[:] = [n for n in nulled if n[2] not in seen]
        return doomed


def _collect(
    session: Session,
    roots: Sequence[Entity],
    doomed: list[Entity],
    seen: set[str],
    snapshot: list[tuple[type[Entity], dict[str, Any]]],
    nulled: list[tuple[type[Entity], str, str, str]],
    *,
    preload: bool = True,
) -> None:
    """Add `roots` and every row that cascades from them to `doomed`, snapshotting each, and
    note the references to them that become NULL.

    Level by level, one query per referring column and level (not per row): a project's
    10,000 tasks cost a handful of queries, not tens of thousands. The child collections it
    finds are handed to the ORM as loaded (`preload`, only for rows about to be deleted), so
    deleting does not query them again one by one.
    """
    frontier: list[Entity] = []
    for obj in roots:
        if obj.id not in seen:
            seen.add(obj.id)
            frontier.append(obj)
    while frontier:
        for obj in frontier:
            doomed.append(obj)
            snapshot.append((type(obj), column_values(obj)))
        found: list[Entity] = []
        by_type: dict[type[Entity], list[Entity]] = {}
        for obj in frontier:
            by_type.setdefault(type(obj), []).append(obj)
        for cls, parents in by_type.items():
            for other, col, ondelete in _referrers(cls):
                children: dict[str, list[Entity]] = {}
                column = getattr(other, col)
                ids = [parent.id for parent in parents]
                for at in range(0, len(ids), _CHUNK):
                    chunk = ids[at : at + _CHUNK]
                    for row in session.scalars(select(other).where(column.in_(chunk))):
                        target = getattr(row, col)
                        children.setdefault(target, []).append(row)
                        if ondelete == "SET NULL":
                            nulled.append((other, col, row.id, target))
                        elif row.id not in seen:
                            seen.add(row.id)
                            found.append(row)
                if preload:
                    _preload(parents, other, col, children)
        frontier = found


_CHUNK = 500  # ids per IN (...) query, well under SQLite's bound-parameter limit


def _preload(
    parents: Sequence[Entity], other: type[Entity], col: str, children: dict[str, list[Entity]]
) -> None:
    """Mark each parent's one-to-many collection over `other.col` as loaded with the rows
    just read, so the ORM's delete cascade does not lazy-load it per parent."""
    if not parents:
        return
    for rel in inspect(type(parents[0])).relationships:
        remote = list(rel.remote_side)
        if (
            rel.direction is RelationshipDirection.ONETOMANY
            and rel.mapper.class_ is other
            and len(remote) == 1
            and remote[0].name == col
            and rel.uselist
        ):
            # Even over a collection already loaded: it may still hold a row an earlier step
            # deleted (a composite undoing a parent's children, then the parent), which the
            # ORM's cascade would otherwise try to delete a second time.
            for parent in parents:
                set_committed_value(parent, rel.key, list(children.get(parent.id, [])))


def _remove(
    session: Session, doomed: list[Entity], nulled: list[tuple[type[Entity], str, str, str]]
) -> None:
    for cls, col, ref_id, _target in nulled:
        obj = session.get(cls, ref_id)
        if obj is not None:
            setattr(obj, col, None)
    # Children before parents, so no flush ever sees a dangling foreign key.
    for obj in reversed(doomed):
        session.delete(obj)


def _restore(
    session: Session,
    snapshot: list[tuple[type[Entity], dict[str, Any]]],
    nulled: list[tuple[type[Entity], str, str, str]],
) -> None:
    doomed_ids = {values["id"] for _, values in snapshot}
    # Parents first: tables in dependency order, and within a table that refers to itself (a
    # task tree) by depth, whatever order the rows were found in.
    rank: dict[object, int] = {t: i for i, t in enumerate(Entity.metadata.sorted_tables)}
    depth = _tree_depths(snapshot)
    ordered = sorted(
        snapshot, key=lambda item: (rank[item[0].__table__], depth.get(item[1]["id"], 0))
    )
    table = None
    for cls, values in ordered:
        if cls.__table__ is not table:
            # Table by table: the unit of work orders tables by relationships only, and a
            # foreign key without one (a cost entry's task) would go in before its row.
            session.flush()
            table = cls.__table__
        session.add(cls(**values))  # the unit of work inserts a table's rows in this order
    session.flush()
    for cls, col, ref_id, target in nulled:
        if ref_id in doomed_ids:
            continue
        obj = session.get(cls, ref_id)
        if obj is not None:
            setattr(obj, col, target)


def _tree_depths(snapshot: list[tuple[type[Entity], dict[str, Any]]]) -> dict[str, int]:
    """For rows of a table that refers to itself: how many of their ancestors are restored
    with them (a task under a task under a restored task: 2)."""
    parent_of: dict[str, str] = {}
    for cls, values in snapshot:
        for fk in cls.__table__.foreign_keys:
            if fk.column.table is cls.__table__ and values.get(fk.parent.name):
                parent_of[values["id"]] = values[fk.parent.name]
    restored = {values["id"] for _cls, values in snapshot}
    depths: dict[str, int] = {}
    for id_ in parent_of:
        chain, at = [], id_
        while at in parent_of and parent_of[at] in restored and at not in depths:
            chain.append(at)
            at = parent_of[at]
        base = depths.get(at, 0)
        for n, row in enumerate(reversed(chain), start=1):
            depths[row] = base + n
    return depths


@dataclass(kw_only=True)
class Composite:
    """Several operations as one user-level edit: one undo step, and all or nothing (the
    store runs `apply` in one transaction and rolls every step back when one refuses).

    The one way operations are composed. Either give it its steps (`composite(steps,
    label)`: each is flushed before the next, so a later step sees what an earlier one
    did), or subclass it for an edit that decides its steps when it applies (they may
    depend on the rows as they are then) and call `run_steps` / `run_step` there. Revert
    undoes the steps that ran, last first. Steps may be composites themselves.
    """

    label: str = ""
    steps: list[Operation] = field(default_factory=list)

    def apply(self, session: Session) -> None:
        steps, self.steps = list(self.steps), []
        for step in steps:
            self.run_step(session, step)

    def run_steps(self, session: Session, steps: Iterable[Operation]) -> None:
        """Apply row steps decided together (updates, creates, deletes that do not read
        each other's rows), flushed once at the end: renumbering a few hundred siblings
        is then one statement, not hundreds. Forgets the steps of an earlier apply (a
        redo plans again)."""
        self.steps = []
        for step in steps:
            step.apply(session)
            self.steps.append(step)
        session.flush()

    def run_step(self, session: Session, step: Operation) -> None:
        """Apply one more step and flush it, so the next step (which may query) sees it."""
        step.apply(session)
        session.flush()
        self.steps.append(step)

    def revert(self, session: Session) -> None:
        for step in reversed(self.steps):
            step.revert(session)
            session.flush()


def composite(steps: Iterable[Operation], label: str = "") -> Composite:
    """The given operations as one edit."""
    return Composite(steps=list(steps), label=label)


@dataclass
class SetSetting:
    """Change one agency-wide setting."""

    key: str
    value: Any
    label: str = ""
    old: Any = None
    existed: bool = False

    def __post_init__(self) -> None:
        self.label = self.label or f"Change {self.key.replace('_', ' ')}"

    def apply(self, session: Session) -> None:
        row = session.scalars(select(AgencySetting).where(AgencySetting.key == self.key)).first()
        self.existed = row is not None
        if row is None:
            session.add(AgencySetting(key=self.key, value=self.value))
        else:
            self.old = row.value
            row.value = self.value

    def revert(self, session: Session) -> None:
        row = session.scalars(select(AgencySetting).where(AgencySetting.key == self.key)).first()
        if row is None:
            return
        if self.existed:
            row.value = self.old
        else:
            session.delete(row)
