"""The one error an import shows its user: which file, where in it, and what is wrong.

The command line prints it as one line (exit code 2) and the GUI shows the same line; the
database is never touched when it is raised, because every reader raises it before the
import plan exists.
"""

from __future__ import annotations

from db.errors import AgencyDeskError


class ImportFileError(AgencyDeskError):
    """A file that cannot be imported. `where` names the line or element ("line 12",
    "Task UID 7 / Start"), or is empty when the whole file is at fault."""

    def __init__(self, file: str, message: str, where: str = "") -> None:
        self.file = file
        self.where = where
        self.message = " ".join(message.split())
        place = f"{file}: {where}: " if where else f"{file}: "
        super().__init__(place + self.message)


class ExportError(AgencyDeskError):
    """An export that cannot be written (no such project, an unwritable file)."""
