"""The subcommands of `agency-desk`, one module each (see `command.py` for what a module holds).

To add one, write `desktop/cli_commands/<name>.py` and list it in `_load` below. The list is
explicit rather than discovered so that the frozen build, which cannot scan folders, has them.
`COMMANDS` imports them when first asked for: a plain start of the app (no command) never
needs them, and importing every command module cost it ~7 ms (issue 19).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.cli_commands.command import Command

    COMMANDS: tuple[Command, ...]


@cache
def _load() -> tuple[Command, ...]:
    from desktop.cli_commands import (
        agenda,
        demo,
        export,
        import_file,
        person,
        print_gantt,
        print_summary,
        server,
        sync,
    )

    return (demo, print_summary, print_gantt, agenda, sync, server, import_file, export, person)


def __getattr__(name: str) -> object:
    if name == "COMMANDS":
        return _load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
