"""The subcommands of `agency-desk`, one module each (see `command.py` for what a module holds).

To add one, write `desktop/cli_commands/<name>.py` and list it in COMMANDS below. The list is
explicit rather than discovered so that the frozen build, which cannot scan folders, has them.
"""

from __future__ import annotations

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
from desktop.cli_commands.command import Command

COMMANDS: tuple[Command, ...] = (
    demo,
    print_summary,
    print_gantt,
    agenda,
    sync,
    server,
    import_file,
    export,
    person,
)
