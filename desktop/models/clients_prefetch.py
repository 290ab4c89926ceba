"""Reads every client's figures and filter text in a worker thread once the client list is
on screen, so the first keystroke, a sort by health or a long scroll find them cached.

The worker has its own session (SQLite in WAL mode lets it read while the UI thread writes).
Its result is only used if no change arrived while it read: the model counts change sets,
and a result read before a change is dropped (the rows it would have filled are read on
demand as before).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.am.client_rows import client_list_rows, search_texts


class ClientsPrefetch(QObject):
    """Signals:
    read(list, dict, int): (rows, lower-case text per client, the change count it was
        started at), delivered on the UI thread.
    """

    read = Signal(list, dict, int)

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clients")

    def start(self, today: date, mark: int) -> None:
        self._pool.submit(self._read, today, mark)

    def _read(self, today: date, mark: int) -> None:
        try:
            with Session(self._engine) as session:
                rows = client_list_rows(session, today)
                texts = search_texts(session)
        except Exception:  # the list then reads rows on demand, as it would without this
            return
        self.read.emit(rows, texts, mark)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
