"""Named crash points for fault tests: when `AGENCY_DESK_SYNC_CRASH_AT` names a step, the
process kills itself with SIGKILL right there (no cleanup, no finally blocks), exactly like a
power cut. Free when the variable is unset."""

from __future__ import annotations

import os
import signal

ENV = "AGENCY_DESK_SYNC_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
