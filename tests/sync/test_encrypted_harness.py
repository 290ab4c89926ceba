"""The convergence harness and the fault tests of tests/sync, run again with the shared
folder encrypted (issue 17): random histories still converge with nothing lost, and a
damaged share, a share that fails, a late file, a cloned disk, a long absence (rebuilt from a
sealed snapshot), a join and a SIGKILL at each step of a sync still lose nothing. The tests
themselves are those of test_convergence and test_faults, given an encrypted bench."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sync import test_convergence as convergence
from tests.sync import test_faults as faults
from tests.sync.encryption_helpers import encrypt_bench
from tests.sync.harness import Bench


class EncryptedBench(Bench):
    """A harness bench whose share is encrypted from the start, turned on by station `by`
    (so the other stations' files are numbered as in the plain tests)."""

    def __init__(self, root: Path, n: int, by: int = 0) -> None:
        super().__init__(root, n)
        encrypt_bench(self, by)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(2, 3), st.lists(convergence.step, min_size=5, max_size=30))
def test_random_edits_converge_encrypted(n: int, steps: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        convergence.run_scenario(Path(tmp), n, steps, make_bench=EncryptedBench)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(convergence.contested, min_size=5, max_size=40))
def test_deletes_and_restores_converge_encrypted(steps: list[tuple]) -> None:
    from db.models import Client, Contact

    seed = [("create", 0, Client, 0, "name"), ("create", 0, Contact, 0, "name"), ("sync", 0)]
    with tempfile.TemporaryDirectory() as tmp:
        convergence.run_scenario(
            Path(tmp),
            3,
            [(*s, Client, 0, "name")[:5] for s in seed] + steps,
            make_bench=EncryptedBench,
        )


# -- the fault tests, encrypted ----------------------------------------------------------------


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Bench]:
    bench = EncryptedBench(tmp_path, 2, by=1)
    yield bench
    bench.close()


@pytest.fixture
def encrypted_benches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that build their own bench get an encrypted one."""
    monkeypatch.setattr(faults, "Bench", lambda root, n: EncryptedBench(root, n, by=1))


def test_a_gap_waits_and_out_of_order_arrival_applies_in_order(two: Bench) -> None:
    faults.test_a_gap_waits_and_out_of_order_arrival_applies_in_order(two)


@pytest.mark.parametrize(
    ("fail", "code", "error"),
    [
        ("write", faults.errno.ENOSPC, faults.ShareFullError),
        ("rename", faults.errno.ENOENT, faults.ShareMissingError),
    ],
    ids=["full", "vanishing-mid-write"],
)
def test_share_failures_leave_the_outbox_untouched(two: Bench, fail, code, error) -> None:
    faults.test_share_failures_leave_the_outbox_untouched(two, fail, code, error)


def test_a_new_station_joins_with_all_the_data(two: Bench, tmp_path: Path) -> None:
    faults.test_a_new_station_joins_with_all_the_data(two, tmp_path)


@pytest.mark.usefixtures("encrypted_benches")
def test_a_cloned_disk_is_detected_and_both_copies_converge(tmp_path: Path) -> None:
    faults.test_a_cloned_disk_is_detected_and_both_copies_converge(tmp_path)


@pytest.mark.usefixtures("encrypted_benches")
def test_a_station_offline_longer_than_retention_rebuilds(tmp_path: Path) -> None:
    faults.test_a_station_offline_longer_than_retention_rebuilds(tmp_path)


@pytest.mark.parametrize(
    ("point", "who"),
    [
        ("share.after_rename", "a"),
        ("push.before_mark_commit", "a"),
        ("apply.before_commit", "b"),
        ("compact.after_publish", "compact"),
    ],
    ids=["share.after_rename", "push.before_mark_commit", "apply.before_commit", "compact"],
)
def test_sigkill_at_a_step_loses_nothing(two: Bench, point: str, who: str) -> None:
    faults.test_sigkill_at_every_step_loses_nothing(two, point, who)


@pytest.mark.parametrize("point", ["join.before_rename"])
def test_a_join_killed_finishes_on_the_next_run(two: Bench, tmp_path: Path, point: str) -> None:
    faults.test_a_join_killed_at_any_step_finishes_on_the_next_run(two, tmp_path, point)
