"""The hypothesis convergence harness of tests/sync, through a real server instead of a
shared folder: random edits, deletes, restores, compactions and late batches on several
stations end with every station holding the same data and no edit lost."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.pg_cluster import Cluster
from tests.pg.conftest import AgencyTemplate
from tests.pg.server_bench import run_scenario_through_server, server_examples
from tests.sync import test_convergence as convergence


@server_examples(6)
@given(st.integers(2, 3), st.lists(convergence.step, min_size=5, max_size=25))
def test_random_edits_converge_through_the_server(
    agency_template: AgencyTemplate, n: int, steps: list[tuple]
) -> None:
    run_scenario_through_server(agency_template, n, steps)


@server_examples(6)
@given(st.lists(convergence.contested, min_size=5, max_size=30))
def test_deletes_and_restores_converge_through_the_server(
    agency_template: AgencyTemplate, steps: list[tuple]
) -> None:
    from db.models import Client, Contact

    seed = [("create", 0, Client, 0, "name"), ("create", 0, Contact, 0, "name"), ("sync", 0)]
    run_scenario_through_server(
        agency_template, 3, [(*s, Client, 0, "name")[:5] for s in seed] + steps
    )


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(2, 4), st.lists(convergence.step, min_size=10, max_size=60))
def test_many_random_histories_converge_through_the_server(
    agency_template: AgencyTemplate, n: int, steps: list[tuple]
) -> None:
    run_scenario_through_server(agency_template, n, steps)


def test_the_template_is_a_whole_agency_server(
    pg_cluster: Cluster, agency_template: AgencyTemplate
) -> None:
    name, urls = agency_template.fresh()
    try:
        import psycopg

        from db.sync.server.schema import SERVER_SCHEMA

        with psycopg.connect(urls[0]) as conn:
            version = conn.execute("SELECT version FROM agency_desk.agency_schema").fetchone()
            assert version == (SERVER_SCHEMA,)
    finally:
        pg_cluster.drop_database(name)
