"""What File ▸ Print acts on: each area (and each detail page in it) that has something to
print says so by implementing `Printable`; the main window asks the area showing and falls
back to the team agenda.

A client page prints its client's summary, a project's plan its timeline (handing over its
own `GanttDocument` so the printout keeps the rows collapsed as shown), and the projects list
the portfolio timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from desktop.gantt.document import GanttDocument

PrintKind = Literal["client", "project", "portfolio", "agenda"]


@dataclass(frozen=True)
class PrintTarget:
    kind: PrintKind
    item_id: str | None = None
    document: GanttDocument | None = None  # the open plan, printed as it is shown

    @property
    def title(self) -> str:
        """What the Print action names ("Print Client Summary…")."""
        return {
            "client": "Client Summary",
            "project": "Timeline",
            "portfolio": "Portfolio Timeline",
            "agenda": "Team Agenda",
        }[self.kind]


AGENDA = PrintTarget("agenda")


@runtime_checkable
class Printable(Protocol):
    def print_target(self) -> PrintTarget | None:
        """What Print would print here now; None: nothing of this widget's own."""
        ...


def print_target_of(widget: object) -> PrintTarget | None:
    return widget.print_target() if isinstance(widget, Printable) else None
