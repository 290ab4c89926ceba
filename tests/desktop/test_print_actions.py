"""Ctrl+P prints what is showing: the client's summary on a client page, the plan on a
project's Gantt, the portfolio on the projects list, the team agenda elsewhere. No dialog is
opened here: the printing functions are replaced by recorders."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from desktop.main_window import MainWindow
from desktop.printing.printable import Printable, PrintTarget
from tests.conftest import open_window

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object, object]]:
    calls: list[tuple[str, object, object]] = []
    for name in (
        "preview_client_summary",
        "export_client_summary_pdf",
        "preview_gantt",
        "export_gantt_pdf",
        "preview_agenda",
        "export_agenda_pdf",
    ):

        def record(parent, workspace, item_id=None, *args, _name=name, **kwargs):
            calls.append(
                (
                    _name,
                    item_id if item_id is not None else kwargs.get("client_id"),
                    kwargs.get("document"),
                )
            )

        monkeypatch.setattr(f"desktop.printing.actions.{name}", record)
    return calls


def _window(qtbot, workspace, settings) -> MainWindow:
    return open_window(qtbot, workspace, settings)


def _ctrl_p(qtbot, w: MainWindow) -> None:
    sequence = QKeySequence(QKeySequence.StandardKey.Print)[0]
    qtbot.keyClick(w, sequence.key(), sequence.keyboardModifiers())


def test_print_follows_what_is_showing(qtbot, workspace, agency, settings, printed) -> None:
    w = _window(qtbot, workspace, settings)
    w.show_area("clients")
    assert w.print_target() == PrintTarget("agenda")  # the list itself prints nothing
    _ctrl_p(qtbot, w)
    assert printed[-1][:2] == ("preview_agenda", None)

    acme = agency.clients["acme"]
    w.open_client(acme)
    _ctrl_p(qtbot, w)
    assert printed[-1][:2] == ("preview_client_summary", acme)
    w.agenda_action.trigger()
    assert printed[-1][:2] == ("preview_agenda", acme)

    w.show_area("projects")
    _ctrl_p(qtbot, w)
    assert printed[-1][:2] == ("preview_gantt", None)

    project = next(iter(agency.projects.values()))
    w.open_project(project)
    # The area says what it prints through the one protocol, not attributes found by name.
    assert isinstance(w.current_area(), Printable)
    target = w.print_target()
    assert (target.kind, target.item_id) == ("project", project)
    w.export_pdf_action.trigger()
    name, item_id, document = printed[-1]
    assert (name, item_id) == ("export_gantt_pdf", project)
    assert document is not None  # prints the rows as the user folded them on screen


def test_file_menu_names_what_print_will_print(qtbot, workspace, agency, settings) -> None:
    w = _window(qtbot, workspace, settings)
    w.open_client(agency.clients["acme"])
    w._name_print_actions()
    assert w.print_action.text() == "&Print Client Summary…"
    w.show_area("projects")
    w._name_print_actions()
    assert w.print_action.text() == "&Print Portfolio Timeline…"
    assert not w.print_action.shortcut().isEmpty()
