"""Where things sit on the workload chart, with no widget: the rows (a person's load row, then
their task lanes when expanded), the columns of the zoom, and the x of a day.

Kept apart from the painting and the gestures so each can be tested and reused (printing,
the benchmark) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from db.workload.buckets import Zoom, buckets
from db.workload.load import UNASSIGNED, Booking, Person, Workload
from desktop.day_rows import RowsOverDays

NAME_WIDTH = 220
HEADER_HEIGHT = 42
PERSON_HEIGHT = 30
LANE_HEIGHT = 22
# Pixels per calendar day at each zoom: a day column reads "10", a week "38/40", a month
# "152/168 h".
DAY_PX = {Zoom.DAY: 34.0, Zoom.WEEK: 11.0, Zoom.MONTH: 3.6}
UNASSIGNED_PERSON = Person(UNASSIGNED, "Unassigned", "#80868b", False)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the chart: a person's load (`lane` -1) or one lane of their task bars."""

    person: Person
    y: int
    height: int
    lane: int = -1
    bookings: tuple[Booking, ...] = ()


def pack_lanes(bookings: list[Booking]) -> list[list[Booking]]:
    """Bars in as few lanes as possible without overlapping, earliest first."""
    lanes: list[list[Booking]] = []
    ends: list[date] = []
    for b in sorted(bookings, key=lambda b: (b.start, b.finish, b.task_name)):
        for n, end in enumerate(ends):
            if end < b.start:
                lanes[n].append(b)
                ends[n] = b.finish
                break
        else:
            lanes.append([b])
            ends.append(b.finish)
    return lanes


@dataclass
class ChartLayout(RowsOverDays[Row]):
    """The chart's rows and columns for a workload, a zoom, a date range and the people
    expanded to their task bars."""

    workload: Workload
    zoom: Zoom = Zoom.WEEK
    first: date = field(default_factory=date.today)
    last: date = field(default_factory=date.today)
    expanded: set[str] = field(default_factory=set)
    name_filter: str = ""
    rows: list[Row] = field(default_factory=list)
    columns: list[tuple[date, date]] = field(default_factory=list)

    @property
    def px(self) -> float:
        return DAY_PX[self.zoom]

    def people(self) -> list[Person]:
        wanted = self.name_filter.casefold().strip()
        people = [p for p in self.workload.people if wanted in p.name.casefold()]
        if not wanted or wanted in UNASSIGNED_PERSON.name.casefold():
            people.append(UNASSIGNED_PERSON)
        return people

    def rebuild(self) -> None:
        self.columns = buckets(self.first, self.last, self.zoom)
        self.rows = []
        y = 0
        for person in self.people():
            self.rows.append(Row(person, y, PERSON_HEIGHT))
            y += PERSON_HEIGHT
            if person.id in self.expanded:
                for n, lane in enumerate(pack_lanes(self.workload.bookings_of(person.id))):
                    self.rows.append(Row(person, y, LANE_HEIGHT, n, tuple(lane)))
                    y += LANE_HEIGHT

    def day_at(self, x: float) -> int:
        return self.origin + int(x // self.px)

    def row_of(self, person_id: str) -> Row | None:
        return next((r for r in self.rows if r.lane < 0 and r.person.id == person_id), None)

    def column_at(self, x: float) -> tuple[date, date] | None:
        o = self.day_at(x)
        for first, last in self.columns:
            if first.toordinal() <= o <= last.toordinal():
                return first, last
        return None

    def bar_span(self, booking: Booking, shift: int = 0) -> tuple[float, float]:
        """x of a bar's left and right edges (its first day's start, its last day's end)."""
        left = self.x_of(booking.start.toordinal() + shift)
        right = self.x_of(booking.finish.toordinal() + 1 + shift)
        return left, right

    def bar_at(self, x: float, y: float) -> tuple[Row, Booking] | None:
        row = self.row_at(y)
        if row is None or row.lane < 0:
            return None
        for b in row.bookings:
            left, right = self.bar_span(b)
            if left - 2 <= x <= max(right, left + 6) + 2:
                return row, b
        return None

    def range_around(self, today: date) -> None:
        """Eight weeks back to a year and a half ahead, from a Monday (whole weeks and
        months at any zoom), reaching further for work booked outside that."""
        first = today - timedelta(days=56)
        first -= timedelta(days=first.weekday())
        last = today + timedelta(days=548)
        self.first = first.replace(day=1) if self.zoom == Zoom.MONTH else first
        self.last = last
