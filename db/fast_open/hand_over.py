"""Handing a first look's plan, already read and scheduled, to the Gantt that edits it, so the
editable window does not read and schedule the same plan a second time.

Only while the plan is provably still the file's. Two things make sure of it:
- the instance lock (`db.instance_lock`): the first look takes it before its read and the app's
  engine holds it from its opening on, so no other Agency Desk can write in between (the only
  writer that silences the outbox triggers: sync, a person's erasure, bulk edits);
- the data's stamp (`plan_read.STAMP_QUERY`), read in the look's transaction and again by the
  session before the Gantt takes the plan: the station's hybrid clock, which the outbox
  triggers (`db.sync.schema`) tick at every insert, update or delete of a synced table (every
  table the look reads) by any program, and the sync context, which every pulled file or
  restored snapshot moves. A different stamp, or none, and the Gantt reads the plan itself.

Like the rest of `db.fast_open` this imports neither SQLAlchemy nor the models at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.fast_open.plan_read import STAMP_QUERY, FirstLook
from db.scheduling.calendar import CalendarPool
from db.scheduling.engine import Scheduler
from db.scheduling.schedule_view import ScheduleView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ScheduledPlan:
    """A first look's read (`look`, whose `stamp` says what state of the file it saw) and
    the engine that scheduled its plan."""

    look: FirstLook
    scheduler: Scheduler

    @classmethod
    def of(cls, look: FirstLook, calendars: CalendarPool | None = None) -> ScheduledPlan:
        """The look's plan, scheduled."""
        return cls(look, Scheduler(look.plan, calendars))

    @property
    def project_id(self) -> str:
        return self.look.project_id

    def view(self) -> ScheduleView:
        """The schedule's read API."""
        return ScheduleView(self.scheduler)


def still_current(session: Session, plan: ScheduledPlan) -> bool:
    """Does the session see the file as the look read it (see above)? Then the look's plan is
    the one the session would read now."""
    if plan.look.stamp is None:
        return False
    found = session.connection().exec_driver_sql(STAMP_QUERY).first()
    return found is not None and tuple(found) == plan.look.stamp
