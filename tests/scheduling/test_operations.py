"""Plan edits through the store: each reschedules what depends on it, refuses loops with the
loop named, and reverts to exactly the dates it found."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models import (
    Client,
    Dependency,
    DependencyType,
    Project,
    Task,
    TaskConstraint,
    TaskKind,
    TeamMember,
    TimeOff,
)
from db.operations import Create, composite
from db.scheduling.baseline import SaveBaseline, baseline_dates, latest_baseline, slip
from db.scheduling.engine import Scheduler
from db.scheduling.graph import CycleError
from db.scheduling.operations import (
    Indent,
    Link,
    MoveTask,
    MoveTasks,
    Outdent,
    ResizeTask,
    SetConstraint,
    SetLink,
    SetProgress,
    Unlink,
)
from db.scheduling.plan import insert_plan, load_plan
from db.scheduling.rules import MAX_DURATION
from db.store import Store
from tests.scheduling.plans import MON, link, plan, task


@pytest.fixture
def project(store: Store) -> str:
    client = Create(Client, {"name": "Acme"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id})
    store.apply(composite([client, proj]))
    tasks = [task("design", 3), task("review", 1), task("build", 5), task("other", 2)]
    insert_plan(
        store.session,
        proj.id,
        plan(tasks, [link("design", "review"), link("review", "build")]),
    )
    store.session.commit()
    return proj.id


def dates(store: Store, project_id: str) -> dict[str, tuple[date, date]]:
    s = Scheduler(load_plan(store.session, project_id))
    return {i: (s.start(i), s.finish(i)) for i in s.ids}


def test_move_pushes_successors_and_revert_restores_every_task(store: Store, project: str) -> None:
    before = dates(store, project)
    op = MoveTask("design", date(2026, 3, 9))
    changes = store.apply(op)
    assert changes.changed == {"Task": {"design"}}
    after = dates(store, project)
    assert after["design"][0] == date(2026, 3, 9)
    assert after["review"][0] == date(2026, 3, 12)
    assert after["build"][0] == date(2026, 3, 13)
    assert after["other"] == before["other"]
    assert op.label == "Move “Design”"
    store.revert(op)
    assert dates(store, project) == before
    store.apply(op)
    assert dates(store, project) == after


def test_resize_and_progress(store: Store, project: str) -> None:
    store.apply(ResizeTask("design", 1))
    assert dates(store, project)["build"][0] == date(2026, 3, 4)
    store.apply(SetProgress("design", 40))
    assert store.get(Task, "design").progress == 40
    with pytest.raises(Exception, match="Progress"):
        store.apply(SetProgress("design", 140))
    with pytest.raises(Exception, match="Duration"):
        store.apply(ResizeTask("design", -1))


def test_link_that_closes_a_loop_is_refused_with_the_loop_named(store: Store, project: str) -> None:
    with pytest.raises(CycleError) as info:
        store.apply(Link("build", "design"))
    assert "Design → Review → Build → Design" in str(info.value)
    assert store.session.scalars(select(Dependency)).all().__len__() == 2
    with pytest.raises(Exception, match="itself"):
        store.apply(Link("design", "design"))
    with pytest.raises(Exception, match="already depends"):
        store.apply(Link("design", "review"))


def test_link_unlink_and_change_type(store: Store, project: str) -> None:
    op = Link("build", "other", lag=1)
    store.apply(op)
    assert dates(store, project)["other"][0] == date(2026, 3, 16)
    store.apply(SetLink(op.id, "SS", 0))  # type: ignore[arg-type]
    assert dates(store, project)["other"][0] == date(2026, 3, 6)
    unlink = Unlink(op.id)
    store.apply(unlink)
    assert dates(store, project)["other"][0] == MON
    store.revert(unlink)
    assert dates(store, project)["other"][0] == date(2026, 3, 6)


def test_indent_and_outdent(store: Store, project: str) -> None:
    store.apply(Indent("other"))
    assert store.get(Task, "other").parent_id == "build"
    s = Scheduler(load_plan(store.session, project))
    assert s.is_summary("build")
    assert s.start("other") == date(2026, 3, 6)  # the link into Build now holds it
    outdent = Outdent("other")
    store.apply(outdent)
    assert store.get(Task, "other").parent_id is None
    store.revert(outdent)
    assert store.get(Task, "other").parent_id == "build"
    with pytest.raises(Exception, match="no task above"):
        store.apply(Indent("design"))


def test_indent_that_would_make_a_task_wait_on_itself_is_refused(
    store: Store, project: str
) -> None:
    # Review depends on Design; under Design it would hold up its own summary.
    with pytest.raises(CycleError, match="Design"):
        store.apply(Indent("review"))
    assert store.get(Task, "review").parent_id is None


def test_leave_of_an_assignee_moves_their_task(store: Store, project: str) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    store.apply(ana)
    store.apply(
        Create(TimeOff, {"member_id": ana.id, "start_date": MON, "end_date": date(2026, 3, 4)})
    )
    from db.models import Assignment

    store.apply(Create(Assignment, {"task_id": "other", "member_id": ana.id}))
    assert dates(store, project)["other"] == (date(2026, 3, 5), date(2026, 3, 6))


def test_baseline_and_slip(store: Store, project: str) -> None:
    save = SaveBaseline(project, "Signed off")
    store.apply(save)
    assert latest_baseline(store.session, project) == save.id
    saved = baseline_dates(store.session, save.id)
    assert saved["build"] == (date(2026, 3, 6), date(2026, 3, 12))
    store.apply(ResizeTask("design", 5))
    s = Scheduler(load_plan(store.session, project))
    slips = slip(s, saved)
    assert slips["build"] == 2 and slips["other"] == 0
    store.revert(save)
    assert latest_baseline(store.session, project) is None
    with pytest.raises(Exception, match="Baseline name"):
        store.apply(SaveBaseline(project, "  "))


@pytest.mark.parametrize("what", ["project", "client", "task"])
def test_deleting_a_plan_with_a_baseline_undoes_and_redoes(
    store: Store, project: str, what: str
) -> None:
    """A project, its client or a task with baseline rows goes whole (the suite turns SQLAlchemy's
    "expected to delete N rows; 0 were matched" into an error), and undo brings every row back."""
    from db.models import Baseline, BaselineTask
    from db.operations import Delete

    save = SaveBaseline(project, "Signed off")
    store.apply(save)
    client_id = store.get(Project, project).client_id
    entity, id_ = {
        "project": (Project, project),
        "client": (Client, client_id),
        "task": (Task, "design"),
    }[what]
    before = {
        cls: sorted(store.session.scalars(select(cls.id)).all())
        for cls in (Client, Project, Task, Baseline, BaselineTask, Dependency)
    }
    delete = Delete(entity, id_)
    store.apply(delete)
    assert store.session.get(entity, id_) is None
    if what == "task":
        assert baseline_dates(store.session, save.id).keys() == {"review", "build", "other"}
    else:
        assert store.session.scalars(select(BaselineTask.id)).all() == []
    store.revert(delete)
    after = {
        cls: sorted(store.session.scalars(select(cls.id)).all())
        for cls in (Client, Project, Task, Baseline, BaselineTask, Dependency)
    }
    assert after == before
    store.apply(delete)
    assert store.session.get(entity, id_) is None


def test_a_start_before_the_predecessors_is_refused_with_one_message(
    store: Store, project: str
) -> None:
    """One rule, whichever edit sets a start: a move, a left-edge resize, several tasks at
    once. Nothing is written when it refuses."""
    before = dates(store, project)
    message = "Start: 'Build' can't start before Fri 06 Mar 2026: 'Review' must finish first"
    for op in (
        MoveTask("build", date(2026, 3, 3)),
        ResizeTask("build", 6, start=date(2026, 3, 3)),
        MoveTasks({"other": date(2026, 3, 9), "build": date(2026, 3, 5)}),
    ):
        with pytest.raises(ValidationError) as info:
            store.apply(op)
        assert str(info.value) == message
    assert dates(store, project) == before
    store.apply(MoveTask("build", date(2026, 3, 6)))  # the first day it may start
    assert dates(store, project)["build"][0] == date(2026, 3, 6)


def test_tasks_moved_together_are_judged_once_all_have_moved(store: Store, project: str) -> None:
    """A summary dragged earlier with its tasks: Build waits on Review, and both move."""
    store.apply(MoveTasks({"design": date(2026, 3, 9), "review": date(2026, 3, 12)}))
    store.apply(MoveTask("build", date(2026, 3, 13)))
    earlier = {"design": date(2026, 3, 2), "review": date(2026, 3, 5), "build": date(2026, 3, 6)}
    op = MoveTasks(dict(reversed(earlier.items())))  # the waiting task first
    store.apply(op)
    assert {t: dates(store, project)[t][0] for t in earlier} == earlier
    assert op.label == "Move 3 tasks"


def test_a_summary_takes_no_start_and_no_duration(store: Store, project: str) -> None:
    store.apply(Indent("other"))  # Build becomes a summary over Other
    with pytest.raises(ValidationError, match="'Build' is a summary: it starts with"):
        store.apply(MoveTask("build", date(2026, 3, 20)))
    with pytest.raises(ValidationError, match="'Build' is a summary: it lasts as long"):
        store.apply(ResizeTask("build", 4))


def test_durations_run_from_a_milestone_to_a_limit(store: Store, project: str) -> None:
    op = ResizeTask("other", 0)
    store.apply(op)
    assert store.get(Task, "other").kind == TaskKind.MILESTONE  # type: ignore[union-attr]
    assert op.label == "Make “Other” a milestone"
    with pytest.raises(ValidationError, match="Duration: at most 9,999 working days"):
        store.apply(ResizeTask("other", MAX_DURATION + 1))
    store.apply(ResizeTask("other", MAX_DURATION))
    assert store.get(Task, "other").kind == TaskKind.TASK  # type: ignore[union-attr]


def test_a_link_or_lag_that_breaks_a_fixed_date_is_refused_naming_the_reason(
    store: Store, project: str
) -> None:
    """Must start on / finish no later than, as in MS Project: the plan keeps them, and an
    edit that would break one is refused at its field with the task and the reason."""
    store.apply(SetConstraint("other", TaskConstraint.MUST_START_ON))  # Mon 2 Mar
    with pytest.raises(ValidationError) as info:
        store.apply(Link("design", "other"))
    assert str(info.value) == (
        "Dependency: 'Other' must start on Mon 02 Mar 2026, but 'Design' must finish first "
        "(it could start Thu 05 Mar 2026 at the earliest)"
    )
    assert (
        store.session.scalars(select(Dependency).where(Dependency.successor_id == "other")).all()
        == []
    )
    # Build (5 d from Fri 6 Mar) must be done by Fri 13 Mar: a lag of a day breaks it.
    store.apply(SetConstraint("build", TaskConstraint.FINISH_NO_LATER, date(2026, 3, 12)))
    review_build = store.session.scalar(
        select(Dependency.id).where(Dependency.successor_id == "build")
    )
    assert review_build is not None
    with pytest.raises(ValidationError, match=r"^Dependency: 'Build' must finish by Thu 12 Mar"):
        store.apply(SetLink(review_build, DependencyType.FS, 1))
    with pytest.raises(ValidationError, match=r"^Start: 'Build' must finish by"):
        store.apply(MoveTask("design", date(2026, 3, 3)))  # pushes Review, then Build
    with pytest.raises(ValidationError, match=r"^Duration: 'Build' must finish by"):
        store.apply(ResizeTask("build", 6))
    assert dates(store, project)["build"] == (date(2026, 3, 6), date(2026, 3, 12))


def test_a_fixed_date_the_plan_already_breaks_is_refused_and_old_conflicts_block_nothing(
    store: Store, project: str
) -> None:
    with pytest.raises(ValidationError, match=r"^Constraint: 'Build' must start on"):
        store.apply(SetConstraint("build", TaskConstraint.MUST_START_ON))  # Review holds it
    op = SetConstraint("build", TaskConstraint.FINISH_NO_LATER, date(2026, 3, 20))
    store.apply(op)
    assert store.get(Task, "build").finish_by == date(2026, 3, 20)  # type: ignore[union-attr]
    store.revert(op)
    assert store.get(Task, "build").constraint_kind == TaskConstraint.START_NO_EARLIER  # type: ignore[union-attr]
    # A conflict made behind the plan's back (a sync, say) does not block other edits.
    row = store.get(Task, "other")
    assert row is not None
    row.constraint_kind, row.finish_by = TaskConstraint.FINISH_NO_LATER, date(2026, 3, 2)
    store.session.commit()
    store.schedules.clear()
    store.apply(MoveTask("design", date(2026, 3, 3)))
    with pytest.raises(ValidationError, match="give the date"):
        store.apply(SetConstraint("design", TaskConstraint.FINISH_NO_LATER))
