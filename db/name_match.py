"""Which row a user means by what they typed: an id, or a name matched case-insensitively
(an exact name wins, otherwise a unique partial match). Plain Python over (id, name) pairs,
so the session's lookups (`db.reports.lookup`) and the plain sqlite3 read that opens a
project before the data layer loads (`db.fast_open`) match alike and say the same."""

from __future__ import annotations

from collections.abc import Iterable


class NoMatch(Exception):
    """The text matched nothing, or more than one row; the message names the candidates."""


def match_name(what: str, text: str, rows: Iterable[tuple[str, str]]) -> str:
    """The id `text` names among `rows` (id, name), in name order; NoMatch when it names none
    or several (`what` names the kind of row in the message: "project")."""
    needle = text.strip()
    if not needle:
        raise NoMatch(f"{what}: empty name")
    listed = list(rows)
    if any(id_ == needle for id_, _name in listed):
        return needle
    folded = needle.casefold()
    exact = [(id_, name) for id_, name in listed if name.casefold() == folded]
    if len(exact) == 1:
        return str(exact[0][0])
    partial = exact or [(id_, name) for id_, name in listed if folded in name.casefold()]
    if len(partial) == 1:
        return str(partial[0][0])
    if not partial:
        raise NoMatch(f"{what} {text!r}: no such {what} (give a name or an id)")
    names = ", ".join(repr(name) for _id, name in partial[:8])
    more = f" and {len(partial) - 8} more" if len(partial) > 8 else ""
    raise NoMatch(f"{what} {text!r} is ambiguous: {names}{more}")
