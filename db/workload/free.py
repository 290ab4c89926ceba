""" "Who is free?": for a date range and a number of hours, the people who could take the work,
best fit first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.errors import ValidationError
from db.workload.load import EPS, Person, Workload


@dataclass(frozen=True)
class Availability:
    person: Person
    free_hours: float  # capacity less bookings over the range, summed per day
    free_days: int  # days in the range with some free time
    fits: bool  # free_hours covers the hours asked for

    @property
    def spare(self) -> float:
        return self.free_hours


def who_is_free(workload: Workload, first: date, last: date, hours: float) -> list[Availability]:
    """Everyone on the team (placeholders too) with their free hours from `first` to `last`.
    Best fit first: those whose free time covers `hours`, real people before placeholders,
    most free hours first (the one left least stretched); then those who could take part of
    it, by how much. Nobody with no free time at all is listed."""
    if last < first:
        raise ValidationError("To", "cannot be before From")
    if hours <= 0:
        raise ValidationError("Hours", "must be more than 0")
    found = []
    for person in workload.people:
        free = 0.0
        free_days = 0
        for o in range(first.toordinal(), last.toordinal() + 1):
            spare = workload.free(person.id, o)
            if spare > EPS:
                free += spare
                free_days += 1
        if free > EPS:
            found.append(Availability(person, free, free_days, free + EPS >= hours))
    found.sort(
        key=lambda a: (
            not a.fits,
            a.person.placeholder if a.fits else False,
            -a.free_hours,
            a.person.name.casefold(),
        )
    )
    return found
