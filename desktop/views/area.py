"""What the main window expects of each area it hosts (Clients, Projects, and later ones such
as the client page or the Gantt chart): a widget that can make a new item, delete the
selected one and put the cursor in its filter box. The window's New/Delete/Find actions call
these on whichever area is showing. An area may also have an `item_view` attribute (its main
list): the Delete key works there."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Area(Protocol):
    new_text: str  # the New action's text in this area, e.g. "New Client"
    delete_text: str  # the Delete action's text, e.g. "Delete Client"

    def new_item(self) -> None: ...

    def delete_selected(self) -> None: ...

    def focus_filter(self) -> None: ...
