"""Helpers for the AM rule tests: a small agency built straight through the session."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from db.models import Client, Entity, TeamMember
from db.store import Store

TODAY = date(2026, 3, 18)  # a Wednesday


class Agency:
    """Adds rows and commits; each helper returns the row so tests can chain them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.session = store.session

    def add(self, entity: type[Entity], **values: Any) -> Any:
        obj = entity(**values)
        self.session.add(obj)
        self.session.commit()
        return obj

    def client(self, name: str = "Acme", created: date = date(2025, 1, 6), **values: Any) -> Client:
        stamp = datetime.combine(created, datetime.min.time())
        return self.add(Client, name=name, created_at=stamp, updated_at=stamp, **values)

    def member(self, name: str = "Ann", **values: Any) -> TeamMember:
        return self.add(TeamMember, name=name, **values)


@pytest.fixture
def agency(store: Store) -> Agency:
    return Agency(store)
