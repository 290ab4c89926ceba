"""A project manager builds and rearranges a plan in the Gantt with the keyboard, the mouse
and the task details dialog. Each action is one undo step; multi-row actions are one step and
all-or-nothing; the selection stays on the tasks that moved."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QDate, QModelIndex, QPointF, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import (
    Assignment,
    Dependency,
    DependencyType,
    Task,
    TaskConstraint,
    TaskKind,
    TeamMember,
    TimeOff,
)
from db.operations import Create
from db.scheduling.outline import InsertTask
from db.store import Store
from desktop.gantt import GanttView
from desktop.gantt.task_dialog import TAB_LINKS, TaskDialog
from desktop.gantt.tree_model import COL_DURATION, COL_NAME, COL_WBS
from tests.gantt.conftest import dates, drag

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
CTRL = Qt.KeyboardModifier.ControlModifier


def _main_window(qtbot: QtBot, workspace: object, tmp_path: Path) -> MainWindow:
    """The app's main window over the test's workspace, its settings in `tmp_path`, not
    saving its state on closing."""
    from desktop.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, settings)  # type: ignore[arg-type]
    window.persist = False
    qtbot.addWidget(window)
    return window


ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier


def d(day: int) -> date:
    return date(2026, 3, day)


def cell(view: GanttView, task_id: str, column: int) -> object:
    return view.model.index_of(view.document.node(task_id), column).data()


def names(view: GanttView) -> list[str]:
    s = view.document.scheduler
    return [s.specs[n].name for n in view.document.rows]


def pick(view: GanttView, *ids: str) -> None:
    view.select_tasks(list(ids))
    view.tree.setFocus()


def steps(view: GanttView) -> int:
    return view.workspace.undo_stack.count()


def type_into_editor(view: GanttView, text: str) -> None:
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "the name opens for typing"
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call


def test_insert_types_a_name_and_undoes_in_two_steps(view: GanttView, store: Store) -> None:
    pick(view, "review")
    QTest.keyClick(view.tree, Qt.Key.Key_Insert)
    assert names(view)[:4] == ["Design", "Review", "New task", "Build"]
    new = view.selected_ids()[0]
    assert cell(view, new, COL_WBS) == "3"
    assert view.document.scheduler.start(new) == view.document.scheduler.start("review")
    type_into_editor(view, "Copywriting")
    assert store.get(Task, new).name == "Copywriting"  # type: ignore[union-attr]
    assert steps(view) == 2
    view.workspace.undo_stack.undo()
    assert cell(view, new, COL_NAME) == "New task"
    view.workspace.undo_stack.undo()
    assert "New task" not in names(view)


def test_insert_adds_one_row_in_place_as_a_reload_would_show_it(
    view: GanttView, store: Store, qtmodeltester: object
) -> None:
    """Inserting does not reset the tree (which would reload and relayout a 10,000-task
    plan): the model announces one new row, and the rows, WBS numbers and dates are what
    opening the plan again shows."""
    resets: list[object] = []
    inserted: list[tuple[int, int]] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    pick(view, "review")
    QTest.keyClick(view.tree, Qt.Key.Key_Insert)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    # Under a collapsed summary: in the plan, not among the rows shown.
    view.tree.collapse(view.model.index_of(view.document.node("launch")))
    assert view.run(InsertTask(view.project_id, "press", TaskKind.MILESTONE))
    assert resets == [] and inserted == [(2, 2)]  # the hidden one shows no row
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    fresh = GanttView(view.workspace, view.project_id)
    fresh.tree.collapse(fresh.model.index_of(fresh.document.node("launch")))
    s, t = view.document.scheduler, fresh.document.scheduler
    assert names(view) == names(fresh)
    assert [view.document.wbs[n] for n in view.document.tree_order()] == [
        fresh.document.wbs[n] for n in fresh.document.tree_order()
    ]
    assert {i: (s.start(i), s.finish(i)) for i in s.ids} == dates(store, view.project_id)
    assert {i: s.total_float(i) for i in s.ids} == {i: t.total_float(i) for i in t.ids}
    assert view.document.row_of == {n: r for r, n in enumerate(view.document.rows)}
    fresh.deleteLater()


def test_f2_renames_in_place(view: GanttView, store: Store) -> None:
    pick(view, "other")
    QTest.keyClick(view.tree, Qt.Key.Key_F2)
    type_into_editor(view, "Shoot photos")
    assert store.get(Task, "other").name == "Shoot photos"  # type: ignore[union-attr]


def test_subtask_milestone_and_deliverable_from_the_keyboard(view: GanttView, store: Store) -> None:
    pick(view, "other")
    QTest.keyClick(view.tree, Qt.Key.Key_Insert, Qt.KeyboardModifier.AltModifier)
    sub = view.selected_ids()[0]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # keep the default name
    assert store.get(Task, sub).parent_id == "other"  # type: ignore[union-attr]
    assert cell(view, sub, COL_WBS) == "4.1"
    pick(view, "build")
    QTest.keyClick(view.tree, Qt.Key.Key_M, CTRL | Qt.KeyboardModifier.ShiftModifier)
    milestone = view.selected_ids()[0]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert cell(view, milestone, COL_DURATION) == "◆ 0 d"
    assert view.document.scheduler.start(milestone) == d(6)  # beside Build, not linked
    pick(view, "design")
    QTest.keyClick(view.tree, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    deliverable = view.selected_ids()[0]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert store.get(Task, deliverable).kind == TaskKind.DELIVERABLE  # type: ignore[union-attr]
    assert cell(view, deliverable, COL_DURATION) == "▣ 1 d"
    assert steps(view) == 3


def test_typing_duration_zero_makes_a_milestone(view: GanttView, store: Store) -> None:
    index = view.model.index_of(view.document.node("review"), COL_DURATION)
    assert view.model.setData(index, 0)
    assert cell(view, "review", COL_DURATION) == "◆ 0 d"
    assert store.get(Task, "review").kind == TaskKind.MILESTONE  # type: ignore[union-attr]
    assert view.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert view.model.setData(index, 2)
    assert cell(view, "review", COL_DURATION) == "2 d"


def test_edits_that_change_nothing_make_no_undo_step(view: GanttView) -> None:
    for column, value in ((COL_DURATION, 3), (COL_NAME, "Design")):
        assert not view.model.setData(
            view.model.index_of(view.document.node("design"), column), value
        )
    assert steps(view) == 0


def test_ctrl_up_and_down_move_rows_and_keep_them_selected(view: GanttView) -> None:
    pick(view, "build")
    QTest.keyClick(view.tree, Qt.Key.Key_Up, CTRL)
    QTest.keyClick(view.tree, Qt.Key.Key_Up, CTRL)  # the selection followed: it moves again
    assert names(view)[:3] == ["Build", "Design", "Review"]
    assert view.selected_ids() == ["build"]
    QTest.keyClick(view.tree, Qt.Key.Key_Up, CTRL)
    assert "already the first" in view.status.text()
    assert steps(view) == 2
    pick(view, "design", "review")
    QTest.keyClick(view.tree, Qt.Key.Key_Down, CTRL)
    assert names(view)[:4] == ["Build", "Other", "Design", "Review"]
    assert view.selected_ids() == ["design", "review"]
    assert steps(view) == 3  # two rows, one step


def test_indent_and_outdent_many_rows_in_one_step_keep_the_selection(
    view: GanttView, store: Store
) -> None:
    pick(view, "press", "party")
    QTest.keyClick(view.tree, Qt.Key.Key_Left, ALT_SHIFT)
    assert names(view)[4:] == ["Launch", "Press", "Party"]
    assert store.get(Task, "press").parent_id is None  # type: ignore[union-attr]
    assert store.get(Task, "party").parent_id is None  # type: ignore[union-attr]
    assert steps(view) == 1
    assert view.selected_ids() == ["press", "party"]
    QTest.keyClick(view.tree, Qt.Key.Key_Right, ALT_SHIFT)  # the next key acts on them
    assert store.get(Task, "press").parent_id == "launch"  # type: ignore[union-attr]
    assert store.get(Task, "party").parent_id == "launch"  # type: ignore[union-attr]
    assert view.selected_ids() == ["press", "party"]
    assert steps(view) == 2


def test_a_link_loop_refuses_the_whole_indent(view: GanttView, store: Store) -> None:
    pick(view, "other", "launch")  # Launch under Build: Build → Press → Build
    QTest.keyClick(view.tree, Qt.Key.Key_Right, ALT_SHIFT)
    assert "Build → Press" in view.status.text() and "forever" in view.status.text()
    assert store.get(Task, "other").parent_id is None  # type: ignore[union-attr]
    assert steps(view) == 0


def test_a_multi_row_action_that_fails_changes_nothing(view: GanttView, store: Store) -> None:
    pick(view, "design", "other")
    QTest.keyClick(view.tree, Qt.Key.Key_Right, ALT_SHIFT)  # Design has nothing above it
    assert "no task above" in view.status.text()
    assert store.get(Task, "other").parent_id is None  # type: ignore[union-attr]
    assert steps(view) == 0


def test_duplicate_with_subtasks_in_one_step(view: GanttView) -> None:
    pick(view, "launch")
    QTest.keyClick(view.tree, Qt.Key.Key_D, CTRL)
    assert names(view)[4:] == ["Launch", "Press", "Party", "Launch", "Press", "Party"]
    copy = view.selected_ids()[0]
    assert cell(view, copy, COL_WBS) == "6"
    view.workspace.undo_stack.undo()
    assert len(names(view)) == 7


def test_dragging_rows_under_another_task(view: GanttView, store: Store) -> None:
    pick(view, "other")
    drag = view.model.mimeData([view.model.index_of(view.document.node("other"))])
    party_row = view.document.row_of[view.document.node("party")]
    # Between Launch's rows: above Party, at its level.
    view.model.dropMimeData(drag, Qt.DropAction.MoveAction, party_row, 0, QModelIndex())
    assert store.get(Task, "other").parent_id == "launch"  # type: ignore[union-attr]
    assert names(view)[3:] == ["Launch", "Press", "Other", "Party"]
    launch = view.model.index_of(view.document.node("launch"))
    drag = view.model.mimeData([launch])
    press = view.model.index_of(view.document.node("press"))
    view.model.dropMimeData(drag, Qt.DropAction.MoveAction, -1, 0, press)  # onto its own task
    assert "under itself" in view.status.text()
    drag = view.model.mimeData([view.model.index_of(view.document.node("party"))])
    view.model.dropMimeData(drag, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # to the top
    assert names(view)[0] == "Party"
    assert steps(view) == 2


def test_new_button_says_new_task_in_a_plan_and_ctrl_n_inserts(
    qtbot: QtBot, workspace: object, project: str, tmp_path: Path
) -> None:
    window = _main_window(qtbot, workspace, tmp_path)
    window.show()
    window.show_area("projects")
    assert window.new_action.text() == "New Project"
    projects = window.area("projects")
    projects.open_project(project)  # type: ignore[attr-defined]
    assert window.new_action.text() == "New Task"
    plan = projects.host.detail  # type: ignore[attr-defined]
    plan.select_task("build")
    plan.tree.setFocus()
    window.new_action.trigger()  # Ctrl+N
    assert names(plan)[:4] == ["Design", "Review", "Build", "New task"]
    projects.host.show_list()  # type: ignore[attr-defined]
    assert window.new_action.text() == "New Project"


# -- the task details dialog -----------------------------------------------------------------


def dialog_for(view: GanttView, qtbot: QtBot) -> TaskDialog:
    dialog = view.details
    assert isinstance(dialog, TaskDialog) and dialog.isVisible()
    return dialog


def test_return_opens_details_and_ok_applies_one_step(
    view: GanttView, store: Store, project: str, qtbot: QtBot
) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    store.apply(ana)
    pick(view, "build")
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    dialog = dialog_for(view, qtbot)
    dialog.name.setText("Build site")
    dialog.duration.setValue(4)
    dialog.notes.setPlainText("Staging first")
    dialog.member_box.setCurrentIndex(dialog.member_box.findText("Ana"))
    dialog.add_hours.setValue(6)
    dialog.add_person_button.click()
    review_link = next(r for r in dialog.links if r.other_id == "review")
    review_link.type_box.setCurrentIndex(review_link.type_box.findData("SS"))
    review_link.lag.setValue(2)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    build = store.get(Task, "build")
    assert build is not None and build.name == "Build site" and build.notes == "Staging first"
    assignment = store.session.scalars(select(Assignment)).one()
    assert (assignment.task_id, assignment.hours_per_day) == ("build", 6)
    dep = store.session.scalars(select(Dependency).where(Dependency.successor_id == "build")).one()
    assert (dep.type, dep.lag_days) == (DependencyType.SS, 2)
    # SS+2 from Review (Thu 5 Mar): Build starts Mon 9 Mar and lasts 4 days.
    assert dates(store, project)["build"] == (d(9), d(12))
    assert cell(view, "build", 7) == "Ana"  # the People column
    assert steps(view) == 1  # the dialog's changes: one edit
    view.workspace.undo_stack.undo()
    assert store.get(Task, "build").name == "Build"  # type: ignore[union-attr]
    assert store.session.scalars(select(Assignment)).all() == []
    assert dates(store, project)["build"] == (d(6), d(12))


def test_fixed_dates_in_the_dialog_and_a_lag_that_breaks_one_refused_at_the_field(
    view: GanttView, store: Store, qtbot: QtBot
) -> None:
    """Build must finish by Thu 12 Mar, as the plan has it: a lag of a day from Review,
    typed in the dialog, is refused on the links tab with the reason; the chart's drag of
    Review a day later is refused with the same words."""
    view.open_details("build")
    dialog = dialog_for(view, qtbot)
    assert not dialog.finish_by.isVisibleTo(dialog)
    dialog.constraint.setCurrentIndex(dialog.constraint.findData("finish_no_later"))
    assert dialog.finish_by.isVisibleTo(dialog)
    dialog.finish_by.setDate(QDate(2026, 3, 12))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    build = store.get(Task, "build")
    assert build is not None and build.constraint_kind == TaskConstraint.FINISH_NO_LATER
    assert build.finish_by == d(12)

    view.open_details("build", TAB_LINKS)
    dialog = dialog_for(view, qtbot)
    review_link = next(r for r in dialog.links if r.other_id == "review")
    review_link.lag.setValue(1)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.tabs.currentIndex() == TAB_LINKS
    reason = "'Build' must finish by Thu 12 Mar 2026, but would finish Fri 13 Mar 2026"
    assert dialog.error.text().startswith(f"Dependency: {reason}")
    dialog.reject()

    steps_before = steps(view)
    grab = view.chart.handle_pos("review", "move")
    drag(view, grab, QPointF(grab.x() + view.chart.px, grab.y()))
    # Stopped during the drag, with the same rule's words; the release then changes nothing.
    assert view.status.text().startswith(reason)
    assert steps(view) == steps_before
    assert view.document.scheduler.finish("build") == d(12)  # the preview went back


def test_dialog_with_no_change_makes_no_step(view: GanttView, qtbot: QtBot) -> None:
    view.open_details("design")
    dialog = dialog_for(view, qtbot)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert steps(view) == 0


def test_cancel_after_an_edit_asks_before_the_task_edits_are_lost(
    view: GanttView, store: Store, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    view.open_details("design")
    dialog = dialog_for(view, qtbot)
    dialog.name.setText("Design system")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    box = dialog.unsaved.box
    assert box is not None and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert store.get(Task, "design").name == "Design system"  # type: ignore[union-attr]
    assert steps(view) == 1


def test_a_link_that_closes_a_loop_is_refused_at_the_field(
    view: GanttView, store: Store, qtbot: QtBot
) -> None:
    view.open_details("build", TAB_LINKS)
    dialog = dialog_for(view, qtbot)
    dialog.link_side.setCurrentIndex(1)  # Build before …
    dialog.link_task.setCurrentIndex(dialog.link_task.findData("design"))
    dialog.add_link_button.click()
    assert "Design → Review → Build → Design" in dialog.link_error.text()
    assert not any(r.other_id == "design" for r in dialog.links)


def test_removing_a_link_in_the_dialog(view: GanttView, store: Store, qtbot: QtBot) -> None:
    view.open_details("review", TAB_LINKS)
    dialog = dialog_for(view, qtbot)
    row = next(r for r in dialog.links if r.other_id == "design")
    row_index = dialog.links_grid.getItemPosition(dialog.links_grid.indexOf(row.lag))[0]
    remove = dialog.links_grid.itemAtPosition(row_index, 4).widget()
    remove.click()  # type: ignore[union-attr]
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert (
        store.session.scalars(select(Dependency).where(Dependency.successor_id == "review")).all()
        == []
    )
    assert view.document.scheduler.start("review") == d(2)


def test_double_click_on_a_bar_opens_details(view: GanttView, qtbot: QtBot) -> None:
    pos = view.chart.mapFromScene(view.chart.handle_pos("other"))
    QTest.mouseDClick(view.chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    dialog = dialog_for(view, qtbot)
    assert dialog.task_id == "other"


def test_right_click_menus_offer_the_keyboard_actions(view: GanttView) -> None:
    texts = [a.text() for a in view.context_menu("build").actions() if a.text()]
    for wanted in ("Task details…", "Task", "Subtask", "Milestone", "Deliverable", "Duplicate"):
        assert wanted in texts
    for wanted in ("Move up", "Move down", "Indent", "Outdent", "Link"):
        assert wanted in texts
    assert "Task details…" not in [a.text() for a in view.context_menu("").actions()]


def test_right_click_delete_takes_the_selection_in_one_step(
    view: GanttView, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pick(view, "press", "party")
    menu = view.context_menu("press")
    delete = next(a for a in menu.actions() if a.text().startswith("Delete"))
    assert delete.text() == "Delete 2 tasks"
    assert delete.shortcut().matches(QKeySequence(QKeySequence.StandardKey.Delete))
    steps_before = steps(view)
    delete.trigger()
    assert store.get(Task, "press") is None and store.get(Task, "party") is None
    assert steps(view) == steps_before + 1
    view.workspace.undo_stack.undo()
    assert store.get(Task, "press") is not None and store.get(Task, "party") is not None
    pick(view, "launch")  # a summary: asks first, naming its subtasks
    asked: list[str] = []

    def answer(*args: object, **_kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    next(
        a for a in view.context_menu("launch").actions() if a.text().startswith("Delete")
    ).trigger()
    assert asked and "2 subtasks" in asked[0]
    assert store.get(Task, "launch") is not None


@pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing the keyboard"
)
def test_people_column_types_names_with_completion(view: GanttView, store: Store) -> None:
    for name in ("Ana Lima", "Ben Okafor"):
        view.workspace.run(Create(TeamMember, {"name": name}))
    pick(view, "design")
    view.tree.setCurrentIndex(view.model.index_of(view.document.node("design"), 7))
    QTest.keyClick(view.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "Ana Lima, Be")
    completer = editor.completer()
    assert completer.splitPath(editor.text()) == ["Be"]
    completer.setCompletionPrefix("Be")
    assert completer.currentCompletion() == "Ana Lima, Ben Okafor"
    editor.setText("ana, ben")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert cell(view, "design", 7) == "Ana Lima, Ben Okafor"
    assert len(store.session.scalars(select(Assignment)).all()) == 2
    assert not view.model.setData(view.model.index_of(view.document.node("design"), 7), "Zed")
    assert "nobody called 'Zed'" in view.status.text()


def test_toggles_are_remembered_per_project_and_the_chart_gets_room(
    qtbot: QtBot, workspace: object, project: str, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = GanttView(workspace, project)  # type: ignore[arg-type]
    qtbot.addWidget(first)
    first.use_settings(settings)
    first.resize(860, 600)  # a 1024 px window less the sidebar
    first.show()
    qtbot.waitExposed(first)
    table, chart = first.splitter.sizes()
    assert chart > table  # the chart is not squeezed to a strip
    first.act_critical.trigger()
    first.act_baseline.trigger()
    first.chart.set_zoom("month")
    first.close()
    again = GanttView(workspace, project)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    again.use_settings(settings)
    assert again.act_critical.isChecked() and again.chart.show_critical
    assert not again.act_baseline.isChecked() and not again.chart.show_baseline
    assert again.chart.zoom == "month"


def test_help_lists_every_shortcut_from_the_actions(
    qtbot: QtBot, workspace: object, project: str, tmp_path: Path
) -> None:
    from desktop.shortcuts_dialog import ShortcutsDialog

    window = _main_window(qtbot, workspace, tmp_path)
    window.show_area("projects")
    window.area("projects").open_project(project)  # type: ignore[attr-defined]
    dialog = window.show_shortcuts()
    assert isinstance(dialog, ShortcutsDialog)
    rows = {
        dialog.model.item(r, 0).text(): (
            dialog.model.item(r, 1).text(),
            dialog.model.item(r, 2).text(),
        )
        for r in range(dialog.model.rowCount())
    }
    assert rows["Undo"][1] == "Everywhere"
    assert rows["Projects"] == ("Ctrl+2", "Everywhere")
    assert rows["Task"] == ("Ins", "Projects")
    assert rows["Move up"] == ("Ctrl+Up", "Projects")
    assert rows["Duplicate"] == ("Ctrl+D", "Projects")
    dialog.close()


def test_the_chart_hatches_each_assignees_leave_on_their_rows(
    view: GanttView, store: Store
) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    view.workspace.run(ana)
    view.workspace.run(Create(TimeOff, {"member_id": ana.id, "start_date": d(6), "end_date": d(6)}))
    assert view.model.setData(view.model.index_of(view.document.node("build"), 7), "Ana")
    assert view.document.scheduler.start("build") == d(9)  # she is away when it would start
    chart = view.chart
    y = round(chart.mapFromScene(chart.handle_pos("build")).y())
    x = round(chart.mapFromScene(QPointF(chart.date_x(d(6)), 0)).x())
    image = chart.viewport().grab().toImage()
    band = {
        image.pixelColor(x + dx, y + dy).name() for dx in range(-12, 12) for dy in (-6, -3, 3, 6)
    }
    other_row = round(chart.mapFromScene(chart.handle_pos("other")).y())
    plain = {image.pixelColor(x + dx, other_row + 8).name() for dx in range(-12, 12)}
    assert len(band) > len(plain)  # hatching: more than the plain row's colours


@pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing the keyboard"
)
def test_right_click_on_a_link_edits_or_removes_it(
    view: GanttView, store: Store, qtbot: QtBot
) -> None:
    chart = view.chart
    v = view.document.schedule
    (link,) = [x for x in v.links_of(v.node("design")) if x.successor == v.node("review")]
    path, _head, _to_start = chart.chart_painter().arrow_path(link)
    on_line = path.pointAtPercent(0.4)
    assert chart.link_at(on_line) == ("design", "review")
    viewport = chart.viewport()
    local = chart.mapFromScene(on_line)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, local, viewport.mapToGlobal(local))
    with qtbot.waitSignal(chart.link_menu_requested) as signal:
        QApplication.sendEvent(viewport, event)
    assert signal.args[:2] == ["design", "review"]
    for popped in view.findChildren(QMenu):
        popped.close()  # the menu the right-click opened
    menu = view.link_menu("design", "review")
    actions = {a.text(): a for a in menu.actions()}
    actions["Remove link"].trigger()
    assert (
        store.session.scalars(select(Dependency).where(Dependency.successor_id == "review")).all()
        == []
    )
    assert view.workspace.undo_stack.undoText() == "Remove link “Design” → “Review”"
    assert view.document.scheduler.start("review") == d(2)


def test_a_link_drag_onto_a_task_already_following_says_so_before_the_drop(
    view: GanttView, store: Store
) -> None:
    from tests.gantt.conftest import drag

    chart = view.chart
    drag(
        view, chart.handle_pos("design", "link"), chart.handle_pos("review", "move"), release=False
    )
    assert "'Review' already follows 'Design'" in chart.drag_text()
    assert "will start after" not in chart.drag_text()
    end = chart.mapFromScene(chart.handle_pos("review", "move"))
    QTest.mouseRelease(
        chart.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    assert "already follows" in view.status.text()
    assert steps(view) == 0


def test_the_refusal_label_stays_inside_the_chart_at_its_left_edge(view: GanttView) -> None:
    from tests.gantt.conftest import drag, shift

    chart = view.chart
    grab = chart.handle_pos("build", "move")
    # The chart scrolled so Build sits at the left edge; drag it left, past what Review allows.
    chart.horizontalScrollBar().setValue(
        round(chart.bar_rect(view.document.node("build")).left() - 10)
    )
    drag(view, grab, shift(view, grab, -3), release=False)
    assert chart.drag is not None and chart.drag.reason
    visible = chart.mapToScene(chart.viewport().rect()).boundingRect()
    box = chart.label_box(chart.drag_text().split("\n"))
    assert visible.left() <= box.left() and box.right() <= visible.right() + box.width()
    assert box.left() >= visible.left()
    chart.cancel_drag()


def test_the_plans_status_line_and_the_windows_status_bar_agree(
    qtbot: QtBot, workspace: object, project: str, tmp_path: Path
) -> None:
    window = _main_window(qtbot, workspace, tmp_path)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_area("projects")
    window.area("projects").open_project(project)  # type: ignore[attr-defined]
    plan = window.area("projects").host.detail  # type: ignore[attr-defined]
    pick(plan, "build")
    QTest.keyClick(plan.tree, Qt.Key.Key_Up, CTRL)
    assert plan.status.text() == "Move “Build” up"
    assert window.statusBar().currentMessage() == "Move “Build” up"
    window.undo_action.trigger()
    assert plan.status.text() == window.statusBar().currentMessage() == "Undo Move “Build” up"
    pick(plan, "design")
    QTest.keyClick(plan.tree, Qt.Key.Key_Up, CTRL)  # refused: already first
    assert "already the first" in plan.status.text()
    assert plan.status.text() in window.statusBar().currentMessage()


def test_bars_name_their_people(view: GanttView) -> None:
    view.workspace.run(Create(TeamMember, {"name": "Ana Lima"}))
    assert view.model.setData(view.model.index_of(view.document.node("build"), 7), "Ana")
    painter = view.chart.chart_painter()
    assert painter.label_of("build", "Build") == "Build — Ana Lima"
    assert painter.label_of("other", "Other") == "Other"
