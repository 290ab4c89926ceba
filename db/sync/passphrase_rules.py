"""How strong a new agency passphrase must be, and the hint shown while one is typed.

The passphrase wraps the agency key, and the wrapped key lies on the share or the server,
where anyone who can read them may try guesses offline for as long as they like: the
memory-hard KDF slows each guess, it does not make a guessable passphrase safe. So a new
passphrase must be one that zxcvbn (Dropbox's realistic estimator: dictionaries, names,
keyboard patterns, dates, l33t) rates "safely unguessable" (score 3 of 4) and at least
`MIN_LENGTH` characters; a count of character classes would pass "Password123!". The
agency's and the station's names are given as words an attacker would try first.

Only a new passphrase is judged: an existing one is whatever the agency chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_LENGTH = 10
MIN_SCORE = 3
# zxcvbn's time grows with the length; past this the estimate no longer changes anyway.
ESTIMATE_CHARS = 100
LABELS = ("very weak", "weak", "fair", "good", "strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (guessed at once) to 4 (strong), zxcvbn's scale
    label: str
    hint: str  # one sentence: what is wrong or how to do better; "" when nothing to add
    acceptable: bool


def strength(passphrase: str, context: Sequence[str] = ()) -> Strength:
    """How hard `passphrase` is to guess, with a hint for the user."""
    from zxcvbn import zxcvbn

    if not passphrase:
        return Strength(0, "", "", False)
    words = [w for w in context if w]
    found = zxcvbn(passphrase[:ESTIMATE_CHARS], user_inputs=words)
    score = int(found["score"])
    feedback = found.get("feedback") or {}
    advice = [str(feedback.get("warning") or ""), *map(str, feedback.get("suggestions") or [])]
    hint = " ".join(a for a in advice if a)
    if len(passphrase) < MIN_LENGTH:
        hint = f"Use at least {MIN_LENGTH} characters. {hint}".strip()
    elif score < MIN_SCORE and not hint:
        hint = "Add another word or two; uncommon words are better."
    acceptable = len(passphrase) >= MIN_LENGTH and score >= MIN_SCORE
    return Strength(score, LABELS[score], hint, acceptable)


def new_passphrase_problem(
    first: str, second: str, context: Sequence[str] = ()
) -> tuple[str, str] | None:
    """(field, message) for what keeps these two typings from becoming the agency's
    passphrase: "first" when it is too easy to guess, "second" when the two differ; None
    when they will do."""
    if not first:
        return "first", "Type a new agency passphrase"
    if first != first.strip():
        # Every station will have to type it: a space no one sees is a lockout.
        return "first", "It starts or ends with a space; leave the space out"
    found = strength(first, context)
    if not found.acceptable:
        return "first", f"Too easy to guess ({found.label}). {found.hint}".strip()
    if first != second:
        return "second", "The two passphrases differ" if second else "Type it again to confirm"
    return None
