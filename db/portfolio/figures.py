"""Per-project figures the portfolio's timeline and its budgets both show: the money spent up
to a day, how much of the scheduled work is done, and the burn that sets one against the
other."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CostEntry
from db.scheduling.engine import Scheduler

_CHUNK = 500  # project ids per query (SQLite's bound values)
BURN_MARGIN = 5  # points of budget spent beyond % complete before a project is flagged


class Burning:
    """The burn of whatever holds a budget, a spend and a % complete (a project, a client's
    or the agency's roll-up): one rule for every view, the same as the project's header."""

    budget_cents: int
    spent_cents: int
    complete: float

    @property
    def burn(self) -> float | None:
        """Spent ÷ budget; None without a budget."""
        return self.spent_cents / self.budget_cents if self.budget_cents else None

    @property
    def burning_ahead(self) -> bool:
        """Spending runs ahead of the work done."""
        ratio = self.burn
        return ratio is not None and ratio * 100 > self.complete + BURN_MARGIN


def spent_by_project(session: Session, ids: Sequence[str], today: date) -> dict[str, int]:
    """Cents each project spent up to `today` (projects that spent nothing are left out)."""
    found: dict[str, int] = {}
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first : first + _CHUNK]
        for pid, total in session.execute(
            select(CostEntry.project_id, func.sum(CostEntry.amount_cents))
            .where(CostEntry.project_id.in_(chunk), CostEntry.spent_on <= today)
            .group_by(CostEntry.project_id)
        ):
            found[pid] = int(total or 0)
    return found


def work_done(s: Scheduler) -> tuple[int, int]:
    """(done, total) of a scheduled project's work: each leaf task weighs its working days (at
    least one; a milestone none) and counts its % progress. done ÷ total is % complete."""
    done = total = 0
    for i, spec in enumerate(s.specs):
        if s.children[i] or spec.milestone:
            continue
        length = max(spec.duration, 1)
        done += length * spec.progress
        total += length
    return done, total
