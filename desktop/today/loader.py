"""Gathers the Today page's data off the UI thread.

`db.am.today.today_data` scores every client twice (now and a week ago) to find health that
dropped: a few milliseconds for a small agency, most of a second at 5,000 clients. It runs in
a worker thread with its own session (SQLite in WAL mode lets it read while the UI writes);
the result comes back through a queued signal. A newer request supersedes an older one, whose
result is dropped.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.am.today import TodayData, today_data


class TodayLoader(QObject):
    """Signals:
    loaded(object, object): (TodayData, the date it is for), on the UI thread.
    failed(str): the data could not be read; the message is for the user.
    """

    loaded = Signal(object, object)
    failed = Signal(str)

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="today")
        self._generation = 0
        self._pending: Future[None] | None = None

    @property
    def busy(self) -> bool:
        return self._pending is not None and not self._pending.done()

    def request(self, today: date, member_id: str | None) -> None:
        self._generation += 1
        self._pending = self._pool.submit(self._load, self._generation, today, member_id)

    def _load(self, generation: int, today: date, member_id: str | None) -> None:
        if generation != self._generation:
            return  # a newer request is queued behind this one
        try:
            with Session(self._engine) as session:
                data: TodayData = today_data(session, today, member_id)
        except Exception as exc:  # any failure: one sentence in the status bar
            self.failed.emit(f"Today: could not read the day's list ({exc})")
            return
        if generation == self._generation:
            self.loaded.emit(data, today)

    def shutdown(self) -> None:
        """Wait for a running load (the database is about to close)."""
        self._generation += 1
        self._pool.shutdown(wait=True, cancel_futures=True)
