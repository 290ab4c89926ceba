"""Import and export benchmarks on a generated 10,000-task project (`db.scheduling.generate`):
reading, planning and applying an MSPDI or Planner file into an empty database, and writing
MSPDI. Files are made once and cached in the temp folder; each metric is the median of a few
runs, each into a fresh database. GANTT_BENCH_CLOCK=cpu counts CPU time instead of wall time
(`bench.gantt.CLOCK`), for a machine shared with other jobs.
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

from bench.gantt import CLOCK
from bench.registry import metric
from db.database import open_database
from db.io import plan_project_import, read_path
from db.io.mspdi_write import write_mspdi
from db.models import Client, Project
from db.operations import Create, composite
from db.scheduling.generate import generated_plan
from db.scheduling.plan import Plan, insert_plan
from db.store import Store

SCHEMA_VERSION = 1  # bump when the generated files change shape
RUNS = 3
PROJECT_ID = "bench-interchange-project"
N_TASKS = 10_000


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "agency-desk-bench"
    folder.mkdir(exist_ok=True)
    return folder


def _fresh_store() -> Store:
    path = Path(tempfile.mkdtemp(prefix="interchange-bench-")) / "agency.sqlite"
    return Store(open_database(path, create=True))


def _project_store(n_tasks: int) -> Store:
    store = _fresh_store()
    client = Create(Client, {"name": "Bench Client"})
    project = Create(Project, {"id": PROJECT_ID, "name": "Bench", "client_id": client.id})
    store.apply(composite([client, project]))
    insert_plan(store.session, PROJECT_ID, generated_plan(n_tasks, fan_out=1000))
    store.session.commit()
    return store


def _mspdi_file(n_tasks: int) -> Path:
    path = _folder() / f"interchange-{n_tasks}-v{SCHEMA_VERSION}.xml"
    if not path.exists():
        store = _project_store(n_tasks)
        try:
            path.with_suffix(".partial").write_bytes(write_mspdi(store.session, PROJECT_ID))
        finally:
            store.close()
        path.with_suffix(".partial").rename(path)
    return path


def planner_document(plan: Plan) -> str:
    """A .planner file of `plan` in the shape GNOME Planner writes (nested tasks, UTC
    times, lags in seconds, named link types)."""
    children: dict[str | None, list[int]] = {}
    for n, spec in enumerate(plan.tasks):
        children.setdefault(spec.parent_id, []).append(n)
    number = {spec.id: n + 1 for n, spec in enumerate(plan.tasks)}
    incoming: dict[str, list[str]] = {}
    for link in plan.links:
        incoming.setdefault(link.successor_id, []).append(
            f'<predecessor id="{len(incoming) + 1}" predecessor-id="{number[link.predecessor_id]}"'
            f' type="{link.type.value}" lag="{link.lag * 28800}"/>'
        )
    out = [
        '<?xml version="1.0"?>\n<project name="Bench" company="Bench Client" '
        'project-start="20260105T000000Z" mrproject-version="2" calendar="1">\n'
        '<calendars><day-types><day-type id="0" name="Working"/>'
        '<day-type id="1" name="Nonworking"/><day-type id="2" name="Use base"/></day-types>'
        '<calendar id="1" name="Default"><default-week mon="0" tue="0" wed="0" thu="0" '
        'fri="0" sat="1" sun="1"/></calendar></calendars>\n<tasks>\n'
    ]

    def stamp(day: date, hour: str) -> str:
        return f"{day:%Y%m%d}T{hour}Z"

    stack: list[tuple[int, bool]] = [(n, False) for n in reversed(children.get(None, []))]
    while stack:
        n, closing = stack.pop()
        if closing:
            out.append("</task>\n")
            continue
        spec = plan.tasks[n]
        days = 0 if spec.milestone else spec.duration
        end = spec.start + timedelta(days=max(days - 1, 0))
        kind = "milestone" if spec.milestone else "normal"
        out.append(
            f'<task id="{number[spec.id]}" name={quoteattr(spec.name)} note="" '
            f'work="{days * 28800}" start="{stamp(spec.start, "000000")}" '
            f'end="{stamp(end, "170000")}" percent-complete="{spec.progress}" '
            f'priority="0" type="{kind}" scheduling="fixed-work">'
        )
        if spec.id in incoming:
            out.append("<predecessors>" + "".join(incoming[spec.id]) + "</predecessors>")
        stack.append((n, True))
        stack.extend((kid, False) for kid in reversed(children.get(spec.id, [])))
    out.append("</tasks>\n<resources/>\n<allocations/>\n</project>\n")
    return "".join(out)


def _planner_file(n_tasks: int) -> Path:
    path = _folder() / f"interchange-{n_tasks}-v{SCHEMA_VERSION}.planner"
    if not path.exists():
        text = planner_document(generated_plan(n_tasks, fan_out=1000))
        path.with_suffix(".partial").write_text(text, encoding="utf-8")
        path.with_suffix(".partial").rename(path)
    return path


def _import_seconds(path: Path) -> float:
    store = _fresh_store()
    try:
        started = CLOCK()
        plan = plan_project_import(store.session, read_path(path), str(path))
        store.apply(plan.operation)
        return CLOCK() - started
    finally:
        store.close()


@metric("import.mspdi.10k", target=3.0)
def import_mspdi_10k() -> float:
    path = _mspdi_file(N_TASKS)
    return statistics.median(_import_seconds(path) for _ in range(RUNS))


@metric("export.mspdi.10k", target=2.0)
def export_mspdi_10k() -> float:
    store = _project_store(N_TASKS)
    try:
        runs = []
        for _ in range(RUNS):
            started = CLOCK()
            write_mspdi(store.session, PROJECT_ID)
            runs.append(CLOCK() - started)
        return statistics.median(runs)
    finally:
        store.close()


@metric("import.planner.10k", target=3.0)
def import_planner_10k() -> float:
    path = _planner_file(N_TASKS)
    return statistics.median(_import_seconds(path) for _ in range(RUNS))


_FIRST = (
    "Jürgen Anna Zoë Mehmet Ingrid Paolo Søren Aoife Lukas Chiara Tomasz Fatima Henrik Elif "
    "Dmitri Amélie Kwame Yuki Björn Lucía Rahul Greta Oskar Noor Matteo Saoirse Jonas Leonie "
    "Karim Hanne Pedro Ines Emil Mira Teodor Ayla Florian Sanne Radek Olga Nils Clara Viktor"
)
_LAST = (
    "Müller Schmidt Groß Fèvre Yilmaz Rossi Nielsen Murphy Kowalski Haddad Lindqvist Demir "
    "Ivanov Laurent Mensah Tanaka Berg García Sharma Weiß Novak Okafor Costa Brennan Horvat "
    "Fischer Jansen Moreau Petrov Andersson Keller Dubois Santos Virtanen Kaya Richter"
)
_FIRST_NAMES = _FIRST.split()
_LAST_NAMES = _LAST.split()


def contacts_csv_text(n_rows: int, n_clients: int = 2_000) -> bytes:
    """A semicolon-separated Windows-1252 contacts export, as a European Excel saves one:
    `n_rows` people at `n_clients` companies, some birthdays with and some without a year."""
    lines = ["Vorname;Nachname;Firma;Position;E-Mail;Telefon;Geburtstag"]
    first = _FIRST_NAMES
    last = _LAST_NAMES
    for n in range(n_rows):
        # One in five has a birthday noted, a third of those without the year.
        birthday = ""
        if n % 5 == 0:
            year = f"{1940 + n % 60}" if n % 3 else ""
            birthday = f"{n % 28 + 1:02d}.{n % 12 + 1:02d}.{year}"
        lines.append(
            f"{first[n % len(first)]};{last[(n // len(first)) % len(last)]};"
            f"Bäckerei {n % n_clients};Einkauf;person{n}@example.de;"
            f"+49 30 {n:06d};{birthday}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _contacts_file(n_rows: int) -> Path:
    path = _folder() / f"interchange-contacts-{n_rows}-v{SCHEMA_VERSION}.csv"
    if not path.exists():
        path.with_suffix(".partial").write_bytes(contacts_csv_text(n_rows))
        path.with_suffix(".partial").rename(path)
    return path


def _contacts_seconds(path: Path) -> float:
    from db.io import CsvTable, Source, read_import
    from db.io.records_csv import guess_kind, plan_csv_import

    store = _fresh_store()
    try:
        started = CLOCK()
        table = read_import(Source.read(path))
        assert isinstance(table, CsvTable)
        plan = plan_csv_import(store.session, table, guess_kind(table.header))
        store.apply(plan.operation)
        return CLOCK() - started
    finally:
        store.close()


@metric("import.contacts_csv.50k", target=5.0)
def import_contacts_csv_50k() -> float:
    path = _contacts_file(50_000)
    return statistics.median(_contacts_seconds(path) for _ in range(RUNS))
