"""What makes a new agency passphrase acceptable (db.sync.passphrase_rules): long enough,
rated hard to guess by zxcvbn (a common password dressed up with digits and a capital is not),
typed the same twice, and with no space at either end that another station would miss."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from db.sync.passphrase_rules import MIN_LENGTH, new_passphrase_problem, strength

GOOD = "fennel quartz ladder harbour moon"


def test_a_long_uncommon_passphrase_typed_twice_will_do() -> None:
    assert strength(GOOD).acceptable and strength(GOOD).label == "strong"
    assert new_passphrase_problem(GOOD, GOOD) is None


def test_a_common_password_with_digits_and_a_capital_is_too_easy_to_guess() -> None:
    found = strength("Password123!")
    assert not found.acceptable and found.score < 3
    assert "commonly used password" in found.hint
    field, message = new_passphrase_problem("Password123!", "Password123!") or ("", "")
    assert field == "first" and message.startswith("Too easy to guess (weak).")


def test_the_agency_name_counts_as_a_word_an_attacker_tries_first() -> None:
    phrase = "Harbourside Creative 2026"
    assert strength(phrase).acceptable
    assert not strength(phrase, ["Harbourside Creative"]).acceptable


def test_short_empty_mismatched_and_spaced_passphrases_are_named() -> None:
    assert new_passphrase_problem("", "") == ("first", "Type a new agency passphrase")
    short = new_passphrase_problem("kx7!Qz", "kx7!Qz")
    assert short is not None and f"at least {MIN_LENGTH} characters" in short[1]
    assert new_passphrase_problem(GOOD, "") == ("second", "Type it again to confirm")
    assert new_passphrase_problem(GOOD, GOOD + "x") == ("second", "The two passphrases differ")
    spaced = new_passphrase_problem(GOOD + " ", GOOD + " ")
    assert spaced == ("first", "It starts or ends with a space; leave the space out")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_only_an_acceptable_passphrase_typed_the_same_twice_passes(first: str, second: str) -> None:
    problem = new_passphrase_problem(first, second)
    if problem is None:
        assert first == second and first == first.strip()
        assert len(first) >= MIN_LENGTH and strength(first).acceptable
    else:
        assert problem[0] in ("first", "second") and problem[1]
