"""The throwaway cluster itself: it runs, takes password logins only, and can be restarted
(the fault tests restart it in the middle of a sync)."""

from __future__ import annotations

import psycopg
import pytest

from bench.pg_cluster import Cluster


def test_the_cluster_answers_on_loopback_with_a_password(pg_database: str) -> None:
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.info.host == "127.0.0.1"


def test_a_wrong_password_is_refused(pg_cluster: Cluster, pg_database: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_cluster.url(pg_database.rsplit("/", 1)[1], password="wrong"))


def test_the_cluster_comes_back_after_a_restart(pg_cluster: Cluster, pg_database: str) -> None:
    pg_cluster.restart()
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT 2").fetchone() == (2,)
