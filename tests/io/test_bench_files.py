"""The benchmark's generated files are real inputs: a small one of each imports whole."""

from __future__ import annotations

from bench.interchange import contacts_csv_text, planner_document
from db.io import CsvTable, Source, plan_project_import, read_import
from db.io.records_csv import RecordKind, guess_kind, plan_csv_import
from db.scheduling.generate import generated_plan
from db.store import Store


def test_generated_planner_file_imports(store: Store) -> None:
    plan = generated_plan(200)
    project = read_import(Source("bench.planner", planner_document(plan).encode()))
    assert not isinstance(project, CsvTable)
    assert len(project.tasks) == 200 and len(project.links) == len(plan.links)
    store.apply(plan_project_import(store.session, project, "bench.planner").operation)


def test_generated_contacts_file_imports(store: Store) -> None:
    table = read_import(Source("bench.csv", contacts_csv_text(300, n_clients=20)))
    assert isinstance(table, CsvTable)
    assert table.encoding == "Windows-1252" and table.delimiter == ";"
    assert guess_kind(table.header) is RecordKind.CONTACTS
    plan = plan_csv_import(store.session, table, RecordKind.CONTACTS)
    assert plan.summary.added == {"Client": 20, "Contact": 300, "ImportantDate": 60}
    store.apply(plan.operation)
