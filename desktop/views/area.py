"""What the main window expects of each area it hosts (Clients, Projects, and later ones such
as the client page or the Gantt chart): a widget that can make a new item and put the cursor
in its filter box. The window's New/Find actions call these on whichever area is showing.

Delete is not an area's business: it acts on the selection of the focused view, which offers
it through `desktop.views.deletion.DeleteOffer`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Area(Protocol):
    new_text: str  # the New action's text in this area, e.g. "New Client"

    def new_item(self) -> None: ...

    def focus_filter(self) -> None: ...
