"""Bulk reads for the AM queries.

A column-only select run through `Session.execute` still goes through the ORM's result
machinery, which costs more than the query itself at 5,000+ rows; run on the session's
connection it is plain Core (same transaction, same type conversions, rows built in C)."""

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
    # Overloaded like `Connection.execute`, so a typed select's rows keep their column types.
    return session.connection().execute(statement)
