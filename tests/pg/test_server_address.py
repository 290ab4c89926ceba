"""An agency server's address as people paste it: a postgresql:// URL or libpq's key=value
form becomes one URL with this station's login and never its password; what is missing or
wrong is said in a sentence."""

from __future__ import annotations

import pytest

from db.sync.server.connect import server_address


def test_a_url_takes_the_login_given_beside_it() -> None:
    assert server_address(
        "postgresql://db.example.org:5433/agency?sslmode=verify-full", "desk 1"
    ) == (
        "postgresql://desk%201@db.example.org:5433/agency?sslmode=verify-full",
        None,
    )
    assert server_address("postgres://ana@db.example.org/agency") == (
        "postgresql://ana@db.example.org/agency",
        None,
    )


def test_key_value_form_becomes_a_url_and_its_password_is_set_apart() -> None:
    url, password = server_address(
        "host=db.example.org port=5433 dbname=agency user=desk1 password=s3cret sslmode=require"
    )
    assert url == "postgresql://desk1@db.example.org:5433/agency?sslmode=require"
    assert password == "s3cret"
    assert server_address("postgresql://u:p@[::1]/a") == ("postgresql://u@[::1]/a", "p")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "give the server's address"),
        ("https://db.example.org/agency", "starts with postgresql://"),
        ("db.example.org", "postgresql://host/database"),
        ("postgresql://ana@db.example.org/", "names no database"),
        ("postgresql://ana@db.example.org/agency?colour=blue", "not a server address"),
    ],
)
def test_what_is_wrong_is_said(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said.replace("?", r"\?").replace(".", r"\.")):
        server_address(text)
