"""How user text appears inside an edit's label ("Rename client to “Acme”"): quoted the same
way everywhere and short enough for an Undo menu entry, a toolbar tip or the status bar."""

from __future__ import annotations

import re

QUOTED_MAX = 40  # characters of a quoted name before it is cut with "…"
LABEL_MAX = 72  # a whole label; longer ones are cut at the end

_QUOTED = re.compile(r"“([^”]*)”")


def elide(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with a trailing "…" when longer."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: max(limit - 1, 0)].rstrip() + "…"


def quoted(text: str, limit: int = QUOTED_MAX) -> str:
    """User text inside a label: “Send the proposal”, elided when long."""
    return f"“{elide(text, limit)}”"


def short_label(label: str, limit: int = LABEL_MAX) -> str:
    """A label fit for a menu: quoted parts elided first, then the whole cut if still long."""
    label = _QUOTED.sub(lambda m: quoted(m.group(1)), label)
    return elide(label, limit)


def plural(n: int, word: str) -> str:
    """'1 working day', '3 working days': a count and its noun, agreeing."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
