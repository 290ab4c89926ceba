"""The burn line under a plan ("Budget €10,000 · spent €4,000 (40 %) · 30 % done"), which the
Gantt shows as it opens and the costs dialog repeats: here rather than in the dialog's module,
so that opening a plan does not import the dialog (issue 19)."""

from __future__ import annotations

from db.project_money import burn, project_currency
from desktop.formatting import money
from desktop.workspace import Workspace


def burn_text(workspace: Workspace, project_id: str) -> str:
    """'Budget €10,000 · spent €4,000 (40 %) · 30 % done' for a project's header."""
    session = workspace.session
    currency = project_currency(session, project_id)
    figure = burn(session, project_id)
    if figure.ratio is None:
        return f"No budget · spent {money(figure.spent_cents, currency)} · {figure.complete} % done"
    return (
        f"Budget {money(figure.budget_cents, currency)} · spent "
        f"{money(figure.spent_cents, currency)} ({figure.ratio:.0%}) · {figure.complete} % done"
    )
