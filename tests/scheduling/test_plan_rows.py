"""The one builder that turns a plan's stored rows into the engine's inputs
(`db.scheduling.plan_rows`), for the session's read and the first look's plain sqlite3 read
alike: what each stored value means to the schedule."""

from __future__ import annotations

from datetime import date

from db.scheduling.plan_rows import agency_days_from_rows, plans_from_rows
from db.scheduling.specs import LinkSpec, Plan, TaskSpec
from db.scheduling.vocabulary import DependencyType

MON = date(2026, 3, 2)


def test_rows_become_each_projects_plan() -> None:
    agency = agency_days_from_rows([], [])
    soon, on, by = "start_no_earlier", "must_start_on", "finish_no_later"  # constraints
    tasks = [
        # project, id, name, start, days, parent, kind, order, progress, constraint, finish by
        ("p", "phase", "Phase", "2026-03-02", 1, None, "task", 0, 0, soon, None),
        ("p", "a", "Design", "2026-03-02", 3, "phase", "task", 1, 40, on, None),
        ("p", "b", "Review", "2026-03-05", 2, "phase", "milestone", 2, 0, by, "2026-03-20"),
        ("p", "c", "Sign-off", "2026-03-09", 0, None, "deliverable", 3, 0, soon, "2026-03-27"),
        ("q", "x", "Stock", "2026-03-02", 4, None, "task", 0, 0, soon, None),
    ]
    plans = plans_from_rows(
        ["p", "q", "empty"],
        agency,
        assignments=[("a", "zoe"), ("a", "ann"), ("x", "zoe")],
        tasks=tasks,
        links=[("p", "l1", "a", "b", "SS", 1), ("p", "l2", "b", "c", "FS", 0)],
        leave_of=lambda members: [
            (m, "2026-03-03", "2026-03-04") for m in members if m in ("ann", "max")
        ],
    )
    assert plans["p"] == Plan(
        tasks=[
            TaskSpec("phase", "Phase", MON, 1, None, False, frozenset(), 0, 0, False, None),
            TaskSpec("a", "Design", MON, 3, "phase", False, frozenset({"zoe", "ann"}), 1, 40, True),
            # A milestone kind, or no days, is a milestone of no days; only "finish no later
            # than" holds a finish-by date.
            TaskSpec(
                "b",
                "Review",
                date(2026, 3, 5),
                0,
                "phase",
                True,
                frozenset(),
                2,
                0,
                False,
                date(2026, 3, 20),
            ),
            TaskSpec("c", "Sign-off", date(2026, 3, 9), 0, None, True, frozenset(), 3),
        ],
        links=[
            LinkSpec("a", "b", DependencyType.SS, 1, "l1"),
            LinkSpec("b", "c", DependencyType.FS, 0, "l2"),
        ],
        agency=agency,
        leave={"ann": [(date(2026, 3, 3), date(2026, 3, 4))]},
    )
    # Another project's people are not this one's: zoe has no leave, so q has none.
    assert plans["q"].leave == {} and [t.id for t in plans["q"].tasks] == ["x"]
    assert plans["empty"] == Plan(tasks=[], links=[], agency=agency, leave={})


def test_the_agency_days_come_from_the_settings_json_and_the_closures() -> None:
    agency = agency_days_from_rows(
        [("working_week", "[0, 1, 2, 3, 4, 5]"), ("holiday_country", '"DE"')],
        [("2026-03-09", "2026-03-10")],
    )
    assert agency.working_week == frozenset(range(6))
    assert agency.country == "DE"
    assert agency.closures == ((date(2026, 3, 9), date(2026, 3, 10)),)
    defaults = agency_days_from_rows([], [])
    assert defaults.working_week == frozenset(range(5)) and defaults.country == ""
