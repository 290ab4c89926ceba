"""The health rules on plain facts, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from db.am.health import (
    HealthFacts,
    HealthThresholds,
    ProjectFacts,
    budget_spent,
    late_projects,
    no_contact,
    overdue_follow_ups,
    satisfaction_fell,
    satisfaction_low,
    score,
)

TODAY = date(2026, 3, 18)  # Wednesday
T = HealthThresholds()
WEEK = (0, 1, 2, 3, 4)


def facts(**values: object) -> HealthFacts:
    base = HealthFacts(known_since=date(2025, 1, 1), last_contact=TODAY)
    return replace(base, **values)


def project(name: str = "Spring rebrand", **values: object) -> ProjectFacts:
    base = ProjectFacts(name, due_date=None, planned_finish=None, budget_cents=0, spent_cents=0)
    return replace(base, **values)


def test_a_healthy_client_scores_100_with_no_reasons() -> None:
    health = score(facts(), TODAY)
    assert (health.score, health.reasons, health.level) == (100, (), "good")


def test_no_contact_for_41_days() -> None:
    assert no_contact(facts(last_contact=TODAY - timedelta(days=41)), TODAY, T, WEEK) == (
        15,
        "no contact for 41 days",
    )
    assert no_contact(facts(last_contact=TODAY - timedelta(days=29)), TODAY, T, WEEK) == (0, None)
    assert no_contact(facts(last_contact=TODAY - timedelta(days=60)), TODAY, T, WEEK)[0] == 30


def test_no_contact_ever_counts_from_creation() -> None:
    penalty, reason = no_contact(
        facts(last_contact=None, known_since=TODAY - timedelta(days=45)), TODAY, T, WEEK
    )
    assert penalty == 15
    assert reason == "no contact logged in the 45 days since the client was added"


def test_overdue_follow_ups_count_and_cap() -> None:
    assert overdue_follow_ups(facts(overdue_follow_ups=2), TODAY, T, WEEK) == (
        20,
        "2 overdue follow-ups",
    )
    assert overdue_follow_ups(facts(overdue_follow_ups=1), TODAY, T, WEEK)[1] == (
        "1 overdue follow-up"
    )
    assert overdue_follow_ups(facts(overdue_follow_ups=9), TODAY, T, WEEK)[0] == 30


def test_a_late_project_costs_points_and_names_its_lateness() -> None:
    # How many working days late is the schedule service's count (tests/scheduling/
    # test_schedules.py); the rule scores it.
    late = project(due_date=date(2026, 3, 10), late_days=6)
    assert late_projects(facts(open_projects=(late,)), TODAY, T, WEEK) == (
        10,
        "project Spring rebrand is 6 working days late",
    )


def test_a_project_ten_working_days_late_costs_the_alarm_penalty() -> None:
    slipping = project(due_date=date(2026, 4, 1), planned_finish=date(2026, 4, 15), late_days=10)
    penalty, reason = late_projects(facts(open_projects=(slipping,)), TODAY, T, WEEK)
    assert (penalty, reason) == (20, "project Spring rebrand is 10 working days late")


def test_on_time_project_is_fine() -> None:
    fine = project(due_date=date(2026, 4, 1), planned_finish=date(2026, 3, 30), late_days=0)
    assert late_projects(facts(open_projects=(fine,)), TODAY, T, WEEK) == (0, None)


def test_several_late_projects_name_the_worst() -> None:
    a = project("A", due_date=date(2026, 3, 17), late_days=1)
    b = project("B", due_date=date(2026, 3, 10), late_days=6)
    penalty, reason = late_projects(facts(open_projects=(a, b)), TODAY, T, WEEK)
    assert penalty == 20
    assert reason == "project B is 6 working days late (1 more late)"


def test_satisfaction_fell_from_9_to_6() -> None:
    assert satisfaction_fell(facts(latest_ratings=(9, 6)), TODAY, T, WEEK) == (
        15,
        "satisfaction fell from 9 to 6",
    )
    assert satisfaction_fell(facts(latest_ratings=(9, 8)), TODAY, T, WEEK) == (0, None)
    assert satisfaction_fell(facts(latest_ratings=(6,)), TODAY, T, WEEK) == (0, None)


def test_low_satisfaction() -> None:
    assert satisfaction_low(facts(latest_ratings=(4,)), TODAY, T, WEEK) == (
        15,
        "latest satisfaction is 4 of 10",
    )
    assert satisfaction_low(facts(latest_ratings=(6,)), TODAY, T, WEEK) == (0, None)


def test_budget_92_percent_spent() -> None:
    p = project(budget_cents=100_00, spent_cents=92_00)
    assert budget_spent(facts(open_projects=(p,)), TODAY, T, WEEK) == (
        10,
        "budget 92% spent on Spring rebrand",
    )
    over = project(budget_cents=100_00, spent_cents=120_00)
    assert budget_spent(facts(open_projects=(over,)), TODAY, T, WEEK)[0] == 20
    unbudgeted = project(budget_cents=0, spent_cents=5_00)
    assert budget_spent(facts(open_projects=(unbudgeted,)), TODAY, T, WEEK) == (0, None)


def test_reasons_worst_first_and_levels() -> None:
    health = score(
        facts(
            last_contact=TODAY - timedelta(days=70),
            overdue_follow_ups=1,
            latest_ratings=(9, 6),
        ),
        TODAY,
    )
    assert health.score == 100 - 30 - 10 - 15
    assert health.reasons == (
        "no contact for 70 days",
        "satisfaction fell from 9 to 6",
        "1 overdue follow-up",
    )
    assert health.level == "poor"
    assert score(facts(latest_ratings=(9, 4)), TODAY).level == "fair"  # 100 - 25 - 15


def test_thresholds_from_setting_ignore_junk() -> None:
    t = HealthThresholds.from_setting({"no_contact_warn_days": 10, "bogus": 3, "fair_from": "x"})
    assert t.no_contact_warn_days == 10
    assert t.fair_from == HealthThresholds().fair_from
    assert no_contact(facts(last_contact=TODAY - timedelta(days=12)), TODAY, t, WEEK)[0] == 15


# -- properties ---------------------------------------------------------------------------

projects = st.builds(
    ProjectFacts,
    name=st.text(min_size=1, max_size=8),
    due_date=st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    planned_finish=st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    budget_cents=st.integers(0, 10**7),
    spent_cents=st.integers(0, 10**7),
    late_days=st.integers(0, 400),
)
any_facts = st.builds(
    HealthFacts,
    known_since=st.dates(date(2020, 1, 1), TODAY),
    last_contact=st.none() | st.dates(date(2020, 1, 1), TODAY),
    overdue_follow_ups=st.integers(0, 50),
    open_projects=st.lists(projects, max_size=4).map(tuple),
    latest_ratings=st.lists(st.integers(0, 10), max_size=2).map(tuple),
)
any_thresholds = st.builds(
    HealthThresholds,
    no_contact_warn_days=st.integers(1, 90),
    no_contact_alarm_penalty=st.integers(0, 200),
    overdue_follow_up_penalty=st.integers(0, 200),
    satisfaction_drop_penalty_per_point=st.integers(0, 50),
)


@given(any_facts, any_thresholds)
def test_score_always_within_0_and_100(f: HealthFacts, t: HealthThresholds) -> None:
    health = score(f, TODAY, t)
    assert 0 <= health.score <= 100
    assert health.level in {"good", "fair", "poor"}


@given(any_facts, any_thresholds)
def test_another_overdue_follow_up_never_raises_the_score(
    f: HealthFacts, t: HealthThresholds
) -> None:
    worse = replace(f, overdue_follow_ups=f.overdue_follow_ups + 1)
    assert score(worse, TODAY, t).score <= score(f, TODAY, t).score


@given(any_facts, any_thresholds)
def test_logging_an_interaction_today_never_lowers_the_score(
    f: HealthFacts, t: HealthThresholds
) -> None:
    touched = replace(f, last_contact=TODAY)
    assert score(touched, TODAY, t).score >= score(f, TODAY, t).score
    assert not any(r.startswith("no contact") for r in score(touched, TODAY, t).reasons)
