"""Runs one slow sync-side step (turning encryption on, changing the key, unlocking, reading
whether a share is encrypted) off the UI thread and hands its outcome back on the UI thread.

Given the sync controller's executor, the step queues behind a running sync of this station
and the next sync waits for it: one worker, so the two never touch the share or the database
at once. A failure comes back as one sentence (an `AgencyDeskError`'s own message; anything
else is logged with its traceback and named by its type), never as a traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any, "Failure | None"], None]


class Failure:
    """Why a step failed: its exception (for its kind) and the sentence for the user."""

    def __init__(self, error: BaseException, message: str) -> None:
        self.error = error
        self.message = message

    def __repr__(self) -> str:
        return f"Failure({type(self.error).__name__}, {self.message!r})"


def sentence(exc: BaseException) -> str:
    """The user's sentence for a failure: one line."""
    from db.errors import AgencyDeskError

    if isinstance(exc, AgencyDeskError):
        # Sync's messages are written to follow a prefix ("sync: …"); alone, a sentence.
        text = " ".join(str(getattr(exc, "brief", "") or exc).split())
        return text[:1].upper() + text[1:]
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}".rstrip(": ")


_OWN: list[ThreadPoolExecutor] = []


def _own_executor() -> ThreadPoolExecutor:
    if not _OWN:
        _OWN.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-step"))
    return _OWN[0]


class Background(QObject):
    """Signals:
    running_changed(bool): a step started (True) or every step has finished (False).
    """

    running_changed = Signal(bool)
    _finished = Signal(object, object, object)  # worker -> UI thread: done, result, failure

    def __init__(
        self,
        executor: Callable[[], Executor] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`executor` gives the worker to run on when a step starts (the sync controller's,
        made on first use); without it, one worker shared by every dialog."""
        super().__init__(parent)
        self.executor = executor or _own_executor
        self.running = 0
        self._finished.connect(self._deliver)

    def run(self, work: Callable[[], Any], done: Done) -> bool:
        """Run `work()` on the worker; `done(result, None)` or `done(None, failure)` follows
        on the UI thread. False when the worker is shut down (the window is closing)."""
        try:
            self.executor().submit(self._work, work, done)
        except RuntimeError:
            return False
        self.running += 1
        if self.running == 1:
            self.running_changed.emit(True)
        return True

    def _work(self, work: Callable[[], Any], done: Done) -> None:
        from db.errors import AgencyDeskError

        result: Any = None
        failure: Failure | None = None
        try:
            result = work()
        except AgencyDeskError as exc:
            failure = Failure(exc, sentence(exc))
        except Exception as exc:  # a sentence for the user; the traceback goes to the log
            log.exception("sync step failed")
            failure = Failure(exc, sentence(exc))
        with contextlib.suppress(RuntimeError):  # the owner is gone: nobody to tell
            self._finished.emit(done, result, failure)

    def _deliver(self, done: Done, result: Any, failure: Failure | None) -> None:
        self.running -= 1
        if self.running == 0:
            self.running_changed.emit(False)
        done(result, failure)
