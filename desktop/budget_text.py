"""How a budget's figures read, the same wherever they show: the portfolio's tooltips and
totals, and a client's Money tab."""

from __future__ import annotations

from db.portfolio.budgets import Money
from desktop.formatting import money


def money_line(m: Money) -> str:
    """'Budget €10,000 · planned €8,000 · spent €4,000 (40 %, 35 % done)'."""
    parts = [f"Budget {money(m.budget_cents, m.currency)}"] if m.budget_cents else ["No budget"]
    parts.append(f"planned {money(m.planned_cents, m.currency)}")
    spent = f"spent {money(m.spent_cents, m.currency)}"
    if m.burn is not None:
        spent += f" ({m.burn:.0%}, {m.complete:.0f} % done)"
    parts.append(spent)
    return " · ".join(parts)


def left_line(m: Money) -> str:
    """What is left of the budget once the planned work is paid for, or how far over."""
    if not m.budget_cents:
        return ""
    left = m.budget_cents - max(m.planned_cents, m.spent_cents)
    if left >= 0:
        return f"{money(left, m.currency)} left after the planned work"
    return f"{money(-left, m.currency)} over the budget"
