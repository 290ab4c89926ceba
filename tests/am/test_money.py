from __future__ import annotations

from datetime import date

from db.am.money import client_money, open_pipeline_values
from db.models import CostEntry, Opportunity, OpportunityStage, Project, ProjectStatus

from .conftest import TODAY, Agency


def test_client_money(agency: Agency) -> None:
    c = agency.client(annual_budget_cents=100_000_00)
    for stage, value in [
        (OpportunityStage.IDEA, 5_000_00),
        (OpportunityStage.PITCHED, 10_000_00),
        (OpportunityStage.WON, 20_000_00),
        (OpportunityStage.WON, 1_000_00),
        (OpportunityStage.LOST, 7_000_00),
    ]:
        agency.add(Opportunity, client_id=c.id, title=stage.value, stage=stage, value_cents=value)
    p = agency.add(Project, client_id=c.id, name="A", budget_cents=30_000_00)
    agency.add(Project, client_id=c.id, name="B", budget_cents=9_00, status=ProjectStatus.CANCELLED)
    agency.add(CostEntry, project_id=p.id, spent_on=date(2026, 1, 5), amount_cents=4_000_00)
    agency.add(CostEntry, project_id=p.id, spent_on=date(2026, 6, 5), amount_cents=1_00)

    money = client_money(agency.session, c.id, TODAY)
    assert money.won_cents == 21_000_00
    assert money.project_budgets_cents == 30_000_00
    assert money.revenue_cents == 51_000_00
    assert money.spend_cents == 4_000_00
    assert money.open_pipeline_cents == 15_000_00
    assert money.pipeline[OpportunityStage.LOST].count == 1
    assert money.budget_used_percent == 51
    assert open_pipeline_values(agency.session) == {c.id: 15_000_00}


def test_money_of_an_empty_client(agency: Agency) -> None:
    money = client_money(agency.session, agency.client().id, TODAY)
    assert (money.revenue_cents, money.spend_cents, money.pipeline) == (0, 0, {})
    assert money.budget_used_percent is None
