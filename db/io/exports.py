"""Export by name: what the File > Export dialog offers and the bytes each choice writes, so
the window only picks (the command line keeps its own, older set of format names)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.io.errors import ExportError
from db.models import Client, Project


def export_projects(session: Session) -> list[tuple[str, str, str]]:
    """(id, name, client name) of every project, by client then name: the choice of project
    an export of one project offers."""
    rows = session.execute(
        select(Project.id, Project.name, Client.name)
        .join(Client, Client.id == Project.client_id)
        .order_by(Client.name, Project.name)
    ).all()
    return [(id_, name, client) for id_, name, client in rows]


def exported(session: Session, kind: str, project_id: str = "") -> bytes:
    """The file `kind` names, for one project where the format is a project's: `mspdi`,
    `gan`, `csv-tasks`, `ics-project`; or for the whole agency: `csv-clients`,
    `csv-contacts`, `csv-interactions`, `csv-follow-ups`, `vcard`, `ics`."""
    from db.io import csv_write
    from db.io.gan_write import write_gan
    from db.io.ics import calendar_ics
    from db.io.mspdi_write import write_mspdi
    from db.io.vcard import contacts_vcard

    per_project: dict[str, Callable[[Session, str], bytes]] = {
        "mspdi": write_mspdi,
        "gan": write_gan,
        "csv-tasks": csv_write.tasks_csv,
        "ics-project": lambda s, pid: calendar_ics(s, project_id=pid),
    }
    whole: dict[str, Callable[[Session], bytes]] = {
        "csv-clients": csv_write.clients_csv,
        "csv-contacts": csv_write.contacts_csv,
        "csv-interactions": csv_write.interactions_csv,
        "csv-follow-ups": csv_write.follow_ups_csv,
        "vcard": contacts_vcard,
        "ics": calendar_ics,
    }
    if kind in per_project:
        if not project_id:
            raise ExportError(f"{kind}: which project?")
        return per_project[kind](session, project_id)
    if kind in whole:
        return whole[kind](session)
    raise ExportError(f"{kind}: no such export format")
