"""The server's convergence harness and fault tests run again with the server encrypted
(issue 17): random histories converge with nothing lost, and a server restarted mid-push, a
connection killed mid-pull and a station SIGKILLed mid-sync lose nothing. The tests are those
of test_server_convergence and test_server_faults, given an encrypted bench."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.pg_cluster import Cluster
from tests.pg import test_server_faults as faults
from tests.pg.conftest import AgencyTemplate
from tests.pg.server_bench import (
    ServerBench,
    fresh_bench,
    run_scenario_through_server,
    server_examples,
)
from tests.sync import test_convergence as convergence
from tests.sync.encryption_helpers import encrypt_bench


def _encrypted(root: Path, n: int, urls: list[str], by: int = 0) -> ServerBench:
    bench = ServerBench(root, n, urls)
    encrypt_bench(bench, by)
    return bench


@server_examples(4)
@given(st.integers(2, 3), st.lists(convergence.step, min_size=5, max_size=25))
def test_random_edits_converge_through_the_encrypted_server(
    agency_template: AgencyTemplate, n: int, steps: list[tuple]
) -> None:
    run_scenario_through_server(agency_template, n, steps, make_bench=_encrypted)


@pytest.fixture
def two(tmp_path: Path, agency_template: AgencyTemplate) -> Iterator[ServerBench]:
    yield from fresh_bench(agency_template, lambda urls: _encrypted(tmp_path, 2, urls, by=1))


@pytest.mark.parametrize("after_insert", [False, True], ids=["before-insert", "after-insert"])
def test_the_server_restarted_in_the_middle_of_a_push(
    two: ServerBench, pg_cluster: Cluster, after_insert: bool
) -> None:
    faults.test_the_server_restarted_in_the_middle_of_a_push(two, pg_cluster, after_insert)


def test_the_connection_killed_in_the_middle_of_a_pull(
    two: ServerBench, pg_cluster: Cluster
) -> None:
    faults.test_the_connection_killed_in_the_middle_of_a_pull(two, pg_cluster)


@pytest.mark.parametrize(
    ("point", "who"),
    [
        ("push.after_write", "a"),
        ("push.before_mark_commit", "a"),
        ("apply.before_commit", "b"),
        ("compact.after_meta", "compact"),
    ],
    ids=["push.after_write", "push.before_mark_commit", "apply.before_commit", "compact"],
)
def test_sigkill_at_a_step_loses_nothing(two: ServerBench, point: str, who: str) -> None:
    faults.test_sigkill_at_every_step_loses_nothing(two, point, who)
