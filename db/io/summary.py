"""What an import will do, in words: rows added, updated and skipped, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# How each entity is counted in a preview: (one, many).
NOUNS: dict[str, tuple[str, str]] = {
    "Client": ("client", "clients"),
    "Contact": ("contact", "contacts"),
    "ImportantDate": ("important date", "important dates"),
    "Interaction": ("interaction", "interactions"),
    "InteractionContact": ("contact taking part", "contacts taking part"),
    "FollowUp": ("follow-up", "follow-ups"),
    "Project": ("project", "projects"),
    "Task": ("task", "tasks"),
    "Dependency": ("link", "links"),
    "TeamMember": ("person", "people"),
    "TimeOff": ("leave period", "leave periods"),
    "Assignment": ("assignment", "assignments"),
}


def counted(counts: Mapping[str, int]) -> str:
    parts = []
    for entity, n in counts.items():
        if n:
            one, many = NOUNS.get(entity, (entity, entity + "s"))
            parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing"


@dataclass
class ImportSummary:
    """The preview's numbers and reasons. `skipped` and `notices` are sentences for the user."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        found = [f"Add: {counted(self.added)}"]
        if any(self.updated.values()):
            found.append(f"Update: {counted(self.updated)}")
        found.extend(f"Skip: {reason}" for reason in self.skipped)
        found.extend(f"Note: {notice}" for notice in self.notices)
        return found
