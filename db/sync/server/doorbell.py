"""The server's doorbell: a connection that LISTENs on `agency_desk_changes`, which every
insert into `changes` rings (NOTIFY, once per statement). It only says "something arrived,
sync now": it carries no data, and a missed ring costs nothing, because the station's
regular cursor poll still runs."""

from __future__ import annotations

from typing import Any

import psycopg

from db.sync.server.connect import connect, describe, translate
from db.sync.server.schema import CHANNEL


class Doorbell:
    def __init__(self, url: str, password: str | None = None) -> None:
        self.where = describe(url)
        self.conn: psycopg.Connection[Any] = connect(url, password)
        try:
            self.conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self.conn.close()
            raise translate(self.where, exc) from None

    def wait(self, timeout_s: float) -> bool:
        """True when the bell rang within `timeout_s` (rings that came together count as
        one); raises a `SyncError` when the connection is lost."""
        try:
            rang = False
            for _ in self.conn.notifies(timeout=timeout_s, stop_after=1):
                rang = True
            if rang:  # swallow rings already queued behind it: one sync answers them all
                for _ in self.conn.notifies(timeout=0.001):
                    pass
            return rang
        except psycopg.Error as exc:
            raise translate(self.where, exc) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Doorbell:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
