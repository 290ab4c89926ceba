"""Export by name, as File > Export offers it: the projects to choose from and every format's
bytes, without a window."""

from __future__ import annotations

from datetime import date

import pytest

from db.io.errors import ExportError
from db.io.exports import export_projects, exported
from db.models import Client, Project, Task
from db.operations import Create, composite
from db.store import Store

PROJECT_KINDS = ("mspdi", "gan", "csv-tasks", "ics-project")
WHOLE_KINDS = ("csv-clients", "csv-contacts", "csv-interactions", "csv-follow-ups", "vcard", "ics")


def test_projects_are_offered_by_client_then_name(store: Store) -> None:
    beta, acme = Create(Client, {"name": "Beta"}), Create(Client, {"name": "Acme"})
    ops = [beta, acme]
    for client, name in ((beta, "Zeta launch"), (acme, "Website"), (acme, "Brochure")):
        ops.append(Create(Project, {"name": name, "client_id": client.id}))
    store.apply(composite(ops))
    assert [(name, client) for _id, name, client in export_projects(store.session)] == [
        ("Brochure", "Acme"),
        ("Website", "Acme"),
        ("Zeta launch", "Beta"),
    ]


def test_every_format_the_dialog_offers_writes_its_file(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    project = Create(Project, {"name": "Website", "client_id": client.id})
    task = Create(
        Task,
        {"name": "Design", "project_id": project.id, "start_date": date(2026, 3, 2)},
    )
    store.apply(composite([client, project, task]))
    for kind in PROJECT_KINDS:
        assert exported(store.session, kind, project.id)
    assert b"Design" in exported(store.session, "csv-tasks", project.id)
    for kind in WHOLE_KINDS:  # no contacts yet: a vCard file may be empty
        assert isinstance(exported(store.session, kind), bytes)
    assert b"Acme" in exported(store.session, "csv-clients")


def test_an_unknown_format_or_a_missing_project_is_refused(store: Store) -> None:
    with pytest.raises(ExportError, match="no such export format"):
        exported(store.session, "pdf")
    with pytest.raises(ExportError, match="which project"):
        exported(store.session, "mspdi")
