"""The client list's name column takes the room a wide window has, also when a filter
narrows the list and the scroll bar goes away."""

from __future__ import annotations

import pytest

from desktop.models.clients_table import COL_NAME
from desktop.views.clients_view import ClientsView

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_name_column_fills_the_width_of_the_table(qtbot, workspace, agency) -> None:
    view = ClientsView(workspace)
    qtbot.addWidget(view)
    view.resize(1400, 500)
    view.show()
    qtbot.waitExposed(view)
    header = view.table.horizontalHeader()

    def filled() -> bool:
        used = sum(header.sectionSize(c) for c in range(view.model.columnCount()))
        return abs(view.table.viewport().width() - used) <= 1

    qtbot.waitUntil(filled)
    view.resize(1100, 500)
    qtbot.waitUntil(filled)
    assert header.sectionSize(COL_NAME) > 100
