"""Who a printed report is for, and the one rule that makes a report fit for the client's eyes:
a whitelist of the fields the client may see, every other field reset to its empty default. A
field added to a report later therefore stays internal until someone decides otherwise."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import MISSING, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Audience(StrEnum):
    CLIENT = "client"
    INTERNAL = "internal"


R = TypeVar("R", bound="DataclassInstance")


def shown_to(report: R, audience: Audience, client_visible: Set[str]) -> R:
    """The report as `audience` may see it: all of it for the agency, only the fields named in
    `client_visible` for the client."""
    if audience is Audience.INTERNAL:
        return replace(report, audience=audience)
    hidden: dict[str, Any] = {
        f.name: f.default for f in fields(report) if f.name not in client_visible
    }
    return replace(report, audience=audience, **hidden)


def check_defaults(report: type[DataclassInstance], client_visible: Set[str]) -> None:
    """Every field the client may not see needs an empty default to be reset to (checked when
    the report's module is imported, so a field without one fails at once)."""
    for f in fields(report):
        if f.name not in client_visible and f.default is MISSING:
            raise TypeError(f"{report.__name__}.{f.name} is internal and needs a default")
