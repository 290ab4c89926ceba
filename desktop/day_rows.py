"""What the portfolio timeline and the workload chart share, with no widget: rows stacked top
to bottom over a horizontal axis of days, and which scroll position keeps a row in sight.

A layout built on `RowsOverDays` holds `rows` (each with its `y` and `height`), `first` and
`last` (the days shown) and says how wide a day is (`px`); the axis and the row lookups follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Generic, Protocol, TypeVar


class StackedRow(Protocol):
    @property
    def y(self) -> int: ...

    @property
    def height(self) -> int: ...


RowT = TypeVar("RowT", bound=StackedRow)


class RowsOverDays(Generic[RowT]):
    rows: Sequence[RowT]
    first: date
    last: date

    @property
    def px(self) -> float:
        """Pixels per day."""
        raise NotImplementedError

    @property
    def origin(self) -> int:
        return self.first.toordinal()

    @property
    def height(self) -> int:
        return self.rows[-1].y + self.rows[-1].height if self.rows else 0

    @property
    def width(self) -> int:
        return int((self.last.toordinal() + 1 - self.origin) * self.px)

    def x_of(self, ordinal: float) -> float:
        return (ordinal - self.origin) * self.px

    def row_at(self, y: float) -> RowT | None:
        for row in self.rows:
            if row.y <= y < row.y + row.height:
                return row
        return None


def scrolled_to_show(row: StackedRow, top: int, visible: int) -> int:
    """The scroll position (the y at the top of the view, now `top`) that shows all of `row`
    in a view `visible` pixels high, moving as little as possible."""
    if row.y < top:
        return row.y
    if row.y + row.height > top + visible:
        return row.y + row.height - visible
    return top
