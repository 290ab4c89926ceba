"""Reading typed values out of XML elements, every failure naming the element it came from.

Project formats share the same needs: a child's text or an attribute as a date, a whole
number, a flag. Each reader passes `where` (the element as a user could find it in the
file, "Task UID 7") so a bad value becomes an `ImportFileError` that points at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar
from xml.etree.ElementTree import Element

from db.io.errors import ImportFileError

T = TypeVar("T")


class Fields:
    """Typed reads of one element's children (`child_*`) or attributes (`attr_*`)."""

    def __init__(self, file: str, element: Element, where: str) -> None:
        self.file = file
        self.element = element
        self.where = where
        self._children: dict[str, Element] | None = None

    def fail(self, field: str, message: str) -> ImportFileError:
        return ImportFileError(self.file, message, f"{self.where} / {field}")

    def child(self, tag: str) -> str | None:
        if self._children is None:
            # One pass over the children instead of a search per field: a task has dozens.
            children: dict[str, Element] = {}
            for element in self.element:
                if isinstance(element.tag, str):
                    children.setdefault(element.tag, element)
            self._children = children
        found = self._children.get(tag)
        if found is None:
            return None
        return (found.text or "").strip()

    def attr(self, name: str) -> str | None:
        value = self.element.get(name)
        return None if value is None else value.strip()

    def _convert(self, field: str, text: str | None, kind: str, parse: Callable[[str], T]) -> T:
        if text is None or text == "":
            raise self.fail(field, "is missing")
        try:
            return parse(text)
        except (ValueError, OverflowError):
            raise self.fail(field, f"{_shown(text)} is not {kind}") from None

    def child_int(self, tag: str, default: int | None = None) -> int:
        text = self.child(tag)
        if (text is None or text == "") and default is not None:
            return default
        return self._convert(tag, text, "a whole number", _integer)

    def attr_int(self, name: str, default: int | None = None) -> int:
        text = self.attr(name)
        if (text is None or text == "") and default is not None:
            return default
        return self._convert(name, text, "a whole number", _integer)

    def child_float(self, tag: str, default: float) -> float:
        text = self.child(tag)
        if text is None or text == "":
            return default
        return self._convert(tag, text, "a number", _number)

    def attr_float(self, name: str, default: float) -> float:
        text = self.attr(name)
        if text is None or text == "":
            return default
        return self._convert(name, text, "a number", _number)

    def child_date(self, tag: str, default: date | None = None) -> date:
        text = self.child(tag)
        if (text is None or text == "") and default is not None:
            return default
        return self._convert(tag, text, "a date", iso_day)

    def attr_date(self, name: str, parse: Callable[[str], date] | None = None) -> date:
        return self._convert(name, self.attr(name), "a date", parse or iso_day)

    def attr_parsed(self, name: str, kind: str, parse: Callable[[str], T]) -> T:
        """An attribute read by `parse`; `kind` says what it should be ("a date")."""
        return self._convert(name, self.attr(name), kind, parse)

    def child_flag(self, tag: str) -> bool:
        return (self.child(tag) or "0").lower() in ("1", "true")


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > 10**12:
        raise ValueError(text)
    return value


def _number(text: str) -> float:
    value = float(text)
    if value != value or abs(value) > 1e12:  # NaN and absurd sizes
        raise ValueError(text)
    return value


def iso_day(text: str) -> date:
    """The day of an ISO date or date-time ("2024-03-01", "2024-03-01T08:00:00")."""
    day = datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    if not 1900 <= day.year <= 2200:
        raise ValueError(text)
    return day


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")
