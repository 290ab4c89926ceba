"""Baselines: a named copy of the computed plan, and each task's slip against it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.errors import ValidationError
from db.labels import quoted
from db.models import Baseline, BaselineTask, new_id, utcnow
from db.scheduling.engine import Scheduler
from db.scheduling.schedules import schedules_for


@dataclass
class SaveBaseline:
    """Save the project's current computed dates as a baseline named `name`. The baseline id
    is fixed at construction so redo recreates the same rows."""

    project_id: str
    name: str
    label: str = ""
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.label = self.label or f"Save baseline {quoted(self.name)}"

    def apply(self, session: Session) -> None:
        name = self.name.strip()
        if not name:
            raise ValidationError("Baseline name", "must not be empty")
        # Saved from the dates every view shows; the change set of this save touches no task,
        # so the cached schedule stays.
        plan = schedules_for(session).scheduler(self.project_id)
        session.add(Baseline(id=self.id, project_id=self.project_id, name=name, saved_at=utcnow()))
        session.flush()
        session.add_all(
            BaselineTask(
                id=new_id(),
                baseline_id=self.id,
                task_id=task_id,
                start_date=plan.start(task_id),
                finish_date=plan.finish(task_id),
            )
            for task_id in plan.ids
        )

    def revert(self, session: Session) -> None:
        baseline = session.get(Baseline, self.id)
        if baseline is not None:
            session.delete(baseline)


def baseline_dates(session: Session, baseline_id: str) -> dict[str, tuple[date, date]]:
    """task id -> (start, finish) as saved in the baseline."""
    row = BaselineTask.__table__.c  # read before the first paint (see `db.core_reads`)
    return {
        task_id: (start, finish)
        for task_id, start, finish in read(
            session,
            select(row.task_id, row.start_date, row.finish_date).where(
                row.baseline_id == baseline_id
            ),
        )
    }


def latest_baseline(session: Session, project_id: str) -> str | None:
    baseline = Baseline.__table__.c  # read before the first paint (see `db.core_reads`)
    found: str | None = read(
        session,
        select(baseline.id)
        .where(baseline.project_id == project_id)
        .order_by(baseline.saved_at.desc())
        .limit(1),
    ).scalar()
    return found


def slip(scheduler: Scheduler, baseline: dict[str, tuple[date, date]]) -> dict[str, int]:
    """Working days (agency calendar) each task now finishes later than in the baseline;
    negative when it finishes earlier. Tasks added since the baseline are left out."""
    cal = scheduler.calendar
    found = {}
    for task_id, (_start, finish) in baseline.items():
        if task_id in scheduler:
            found[task_id] = cal.working_days_between(finish, scheduler.finish(task_id))
    return found
