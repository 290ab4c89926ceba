"""Global search (Ctrl+K) on the generated agency of `bench.clients` (5,000 clients, 15,000
contacts, 100,000 interactions): one keystroke in the popup, from the text changing to the
results painted."""

from __future__ import annotations

from typing import Any

from bench.clients import fresh_store, median_seconds
from bench.offscreen_app import offscreen_app
from bench.registry import metric

# A name typed letter by letter, then a second word; single letters match most of the agency.
TYPED = ["t", "ta", "tal", "talk", "h", "ha", "har", "harb", "harbor", "harbor c", "p", "pe"]


@metric("search.keystroke", target=0.03, unit="s")
def keystroke() -> float:
    app = offscreen_app()
    from desktop.search import SearchPopup
    from desktop.workspace import Workspace

    with fresh_store() as store:
        workspace = Workspace(store)
        popup: Any = SearchPopup(workspace)
        popup.resize(620, 440)
        popup.field.setText("x")  # warm: the first query reads the index's pages
        popup.list.grab()
        typed = iter(TYPED)

        def keystroke() -> None:
            popup.field.setText(next(typed))
            popup.list.grab()

        seconds = median_seconds(keystroke, runs=len(TYPED))
        assert popup.model.rowCount() > 0, "the search found nothing"
        popup.deleteLater()
        app.processEvents()
        workspace.close()
    return seconds
