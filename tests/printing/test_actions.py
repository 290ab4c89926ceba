"""The GUI entry points: print preview built on the same render functions (the dialog is
never shown: its `open` is replaced), the audience asked with client-facing first, PDF export
through a (monkeypatched) save dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from db.reports.client_summary import Audience
from db.reports.lookup import find_client
from db.store import Store
from desktop import file_dialogs
from desktop.printing import actions
from desktop.workspace import Workspace
from tests.printing.conftest import CLIENT, PRIVATE, pdf_text, requires_poppler


@pytest.fixture
def workspace(printing_store: Store) -> Workspace:
    return Workspace(printing_store)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QPrintPreviewDialog]:
    shown: list[QPrintPreviewDialog] = []
    monkeypatch.setattr(QPrintPreviewDialog, "open", lambda self: shown.append(self))
    return shown


def _print_to_pdf(dialog: QPrintPreviewDialog, path: Path) -> None:
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    dialog.paintRequested.emit(printer)


@requires_poppler
def test_summary_preview_asks_the_audience_client_first(
    qtbot: QtBot,
    workspace: Workspace,
    opened: list[QPrintPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    asked: list[list[str]] = []

    def choose_first(_parent, _title, _label, items, current, _editable):  # type: ignore[no-untyped-def]
        asked.append(items)
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose_first))
    client_id = find_client(workspace.session, CLIENT)
    actions.preview_client_summary(None, workspace, client_id)
    assert asked and asked[0][0].startswith("For the client")
    (dialog,) = opened
    out = tmp_path / "preview.pdf"
    _print_to_pdf(dialog, out)
    text = pdf_text(out)
    assert CLIENT in text and PRIVATE["gift"] not in text


@requires_poppler
def test_a_clients_agenda_asks_who_it_is_for(
    qtbot: QtBot,
    workspace: Workspace,
    opened: list[QPrintPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    asked: list[str] = []

    def choose(_parent, title, _label, items, _current, _editable):  # type: ignore[no-untyped-def]
        asked.append(title)
        return items[len(asked) - 1], True  # the client first, then internal

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    client_id = find_client(workspace.session, CLIENT)
    actions.preview_agenda(None, workspace, client_id, days=14)
    actions.preview_agenda(None, workspace, client_id, days=14)
    assert asked == ["Print client agenda", "Print client agenda"]
    theirs, mine = opened
    _print_to_pdf(theirs, tmp_path / "theirs.pdf")
    _print_to_pdf(mine, tmp_path / "mine.pdf")
    assert "People over-allocated" not in pdf_text(tmp_path / "theirs.pdf")
    assert "People over-allocated" in pdf_text(tmp_path / "mine.pdf")


@requires_poppler
def test_gantt_and_agenda_previews(
    qtbot: QtBot, workspace: Workspace, opened: list[QPrintPreviewDialog], tmp_path: Path
) -> None:
    actions.preview_gantt(None, workspace, None)
    actions.preview_agenda(None, workspace)
    gantt, agenda = opened
    _print_to_pdf(gantt, tmp_path / "g.pdf")
    _print_to_pdf(agenda, tmp_path / "a.pdf")
    assert "Portfolio" in pdf_text(tmp_path / "g.pdf")
    assert "Weekly team meeting" in pdf_text(tmp_path / "a.pdf")


def test_export_writes_the_chosen_file(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "summary"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *_a, **_k: str(target))
    client_id = find_client(workspace.session, CLIENT)
    written = actions.export_client_summary_pdf(None, workspace, client_id, Audience.CLIENT)
    assert written == tmp_path / "summary.pdf"
    assert written.read_bytes().startswith(b"%PDF")
