"""What the import tests share: importing a file the way the app does (plan, then one
operation through the store), counting rows, and a project's shape without ids."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from db.io import ProjectImport, plan_project_import, read_path
from db.models import ENTITIES, Task
from db.store import Store

FILES = Path(__file__).parent / "files"


def import_path(store: Store, path: Path, *, keep_file_dates: bool = False) -> ProjectImport:
    plan = plan_project_import(
        store.session, read_path(path), str(path), keep_file_dates=keep_file_dates
    )
    store.apply(plan.operation)
    return plan


def row_counts(store: Store) -> dict[str, int]:
    """Rows per table: what "the database is unchanged" compares."""
    session = store.session
    return {
        name: session.scalar(select(func.count()).select_from(entity)) or 0
        for name, entity in ENTITIES.items()
    }


def shape(store: Store, project_id: str) -> list[tuple[object, ...]]:
    """Everything a round trip must keep, without ids."""
    session = store.session
    scheduler = store.schedules.scheduler(project_id)
    tasks = session.scalars(select(Task).where(Task.project_id == project_id)).all()
    rows: list[tuple[object, ...]] = []
    for task in sorted(tasks, key=lambda t: t.name):
        rows.append(
            (
                task.name,
                task.parent.name if task.parent else None,
                task.kind.value,
                task.duration_days if not task.children else None,
                task.progress,
                task.notes,
                scheduler.start(task.id),
                scheduler.finish(task.id),
                sorted((d.predecessor.name, d.type.value, d.lag_days) for d in task.predecessors),
                sorted((a.member.name, a.hours_per_day) for a in task.assignments),
            )
        )
    return rows
