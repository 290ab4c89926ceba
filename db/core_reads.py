"""Reading through the models' tables (Core statements) rather than their mapped classes, for
what the first window shows.

The first ORM statement of a process (one that names a mapped class or its attributes, even
run on a Core connection) makes SQLAlchemy configure every mapper: about 80 ms of CPU for this
schema's classes and relationships, the largest single cost of opening a project's Gantt after
the imports (issue 19). The queries that run before the first paint therefore select
`Model.__table__` columns through `read`, and the app configures the mappers just after that
paint (`configure_mappers`, called from `desktop.app`). The rows are the same either way: a
column's type converts its values, whoever selects it.

The AM lists' bulk reads go through `read` as well, whatever they select: a column-only select
run through `Session.execute` still goes through the ORM's result machinery, which costs more
than the query itself at 5,000+ rows.
"""

from __future__ import annotations

from typing import Any, TypeVarTuple, overload

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TypedReturnsRows

_Ts = TypeVarTuple("_Ts")


@overload
def read(session: Session, statement: TypedReturnsRows[*_Ts]) -> CursorResult[*_Ts]: ...
@overload
def read(session: Session, statement: Executable) -> CursorResult[*tuple[Any, ...]]: ...
def read(session: Session, statement: Executable) -> CursorResult[*tuple[Any, ...]]:
    """Run a Core statement on the session's connection, in its transaction, after flushing
    its pending changes as an ORM query would (a Core statement does not autoflush; a session
    with nothing pending flushes nothing, so configures nothing either). The rows skip the
    ORM's result machinery too."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement)


def configure_mappers() -> None:
    """Configure the mappers now: the app does it just after its first paint, so that the
    first edit does not pay for it either."""
    from db.models import Base

    Base.registry.configure()
