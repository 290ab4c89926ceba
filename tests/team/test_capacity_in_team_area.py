"""A member's capacity as the Team area edits it: working days typed as words, a change of
hours from a date on (going part-time), accepted overtime, and a placeholder role; each one
undo step."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import MemberCapacity, Overtime, TeamMember
from desktop.main_window import MainWindow
from desktop.team.view import COL_DAYS, TeamView
from tests.team.test_team_area import type_name

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_going_part_time_from_a_date_and_undoing_it(window: MainWindow) -> None:
    team = window.area("team")
    assert isinstance(team, TeamView)
    window.new_action.trigger()
    type_name("Ana Lima")
    session = window.workspace.session
    ana = session.scalars(select(TeamMember)).one()
    days = team.table.currentIndex().siblingAtColumn(COL_DAYS)
    assert days.data() == "Mon\u2013Fri"
    assert team.table.model().setData(days, "mon-thu")
    assert ana.working_days == "0123" and days.data() == "Mon\u2013Thu"
    assert not team.table.model().setData(days, "Monday to Thursday")  # the same: no step

    steps = window.workspace.undo_stack.count()
    team.add_capacity_button.click()
    change = session.scalars(select(MemberCapacity)).one()
    assert change.weekly_hours == 40 and change.working_days == "0123"
    start = team.capacity.index(0, 0)
    team.capacity_table.closePersistentEditor(start)
    assert team.capacity.setData(start, date(2027, 3, 1))
    assert team.capacity.setData(team.capacity.index(0, 1), 24)
    assert team.capacity.setData(team.capacity.index(0, 2), "Mon-Wed")
    assert (change.starts_on, change.weekly_hours, change.working_days) == (
        date(2027, 3, 1),
        24,
        "012",
    )
    assert team.capacity.index(0, 2).data() == "Mon\u2013Wed"
    assert not team.capacity.setData(team.capacity.index(0, 2), "Sunday, Funday")
    assert "Funday" in (window.workspace.last_error or "")
    assert window.workspace.undo_stack.count() == steps + 4
    for _ in range(4):
        window.workspace.undo_stack.undo()
    assert session.scalars(select(MemberCapacity)).all() == []

    team.add_overtime_button.click()
    assert session.scalars(select(Overtime)).one().hours_per_day == 2
    window.workspace.undo_stack.undo()
    assert session.scalars(select(Overtime)).all() == []


def test_a_role_to_fill_is_a_placeholder(window: MainWindow) -> None:
    team = window.area("team")
    assert isinstance(team, TeamView)
    team.placeholder_button.click()
    type_name("Motion designer (to hire)")
    row = team.members.rows[team.members.row_of(team.current_member())]
    assert row.name == "Motion designer (to hire)" and row.status == "Placeholder"
