"""A client's money at a glance: annual budget, revenue, spend to date and the pipeline.

Revenue is what the agency has secured from the client: won opportunities plus the budgets of
its projects that are not cancelled. Spend to date is the sum of the projects' cost entries
up to today. The pipeline groups opportunities by stage (idea -> pitched -> won / lost); its
open value (idea + pitched) is what the client list shows. The weighted pipeline counts each
open opportunity at its chance of winning: its own probability, else its stage's usual one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, CostEntry, Opportunity, OpportunityStage, Project, ProjectStatus

OPEN_STAGES = (OpportunityStage.IDEA, OpportunityStage.PITCHED)
# The usual chance of winning at each stage, for opportunities without their own probability.
STAGE_PROBABILITY = {
    OpportunityStage.IDEA: 10,
    OpportunityStage.PITCHED: 50,
    OpportunityStage.WON: 100,
    OpportunityStage.LOST: 0,
}


def probability_of(stage: OpportunityStage, probability: int | None) -> int:
    return STAGE_PROBABILITY[stage] if probability is None else probability


@dataclass(frozen=True)
class StageTotal:
    count: int = 0
    value_cents: int = 0
    weighted_cents: int = 0


@dataclass(frozen=True)
class ClientMoney:
    currency: str
    annual_budget_cents: int
    won_cents: int
    project_budgets_cents: int
    spend_cents: int
    pipeline: dict[OpportunityStage, StageTotal] = field(default_factory=dict)

    @property
    def revenue_cents(self) -> int:
        return self.won_cents + self.project_budgets_cents

    @property
    def open_pipeline_cents(self) -> int:
        return sum(self.pipeline.get(s, StageTotal()).value_cents for s in OPEN_STAGES)

    @property
    def weighted_pipeline_cents(self) -> int:
        """Open opportunities, each at its chance of winning."""
        return sum(self.pipeline.get(s, StageTotal()).weighted_cents for s in OPEN_STAGES)

    @property
    def budget_used_percent(self) -> int | None:
        """Revenue as a share of the client's annual budget; None without a budget."""
        if self.annual_budget_cents <= 0:
            return None
        return self.revenue_cents * 100 // self.annual_budget_cents


def client_money(session: Session, client_id: str, today: date) -> ClientMoney:
    budget, currency = read(
        session, select(Client.annual_budget_cents, Client.currency).where(Client.id == client_id)
    ).one()
    pipeline: dict[OpportunityStage, StageTotal] = {}
    for stage, value, probability in read(
        session,
        select(Opportunity.stage, Opportunity.value_cents, Opportunity.probability).where(
            Opportunity.client_id == client_id
        ),
    ):
        was = pipeline.get(stage, StageTotal())
        weighted = value * probability_of(stage, probability) // 100
        pipeline[stage] = StageTotal(
            was.count + 1, was.value_cents + value, was.weighted_cents + weighted
        )
    projects = select(Project.id).where(
        Project.client_id == client_id, Project.status != ProjectStatus.CANCELLED
    )
    project_budgets = session.scalar(
        select(func.coalesce(func.sum(Project.budget_cents), 0)).where(Project.id.in_(projects))
    )
    spend = session.scalar(
        select(func.coalesce(func.sum(CostEntry.amount_cents), 0)).where(
            CostEntry.project_id.in_(select(Project.id).where(Project.client_id == client_id)),
            CostEntry.spent_on <= today,
        )
    )
    return ClientMoney(
        currency=currency,
        annual_budget_cents=budget or 0,
        won_cents=pipeline.get(OpportunityStage.WON, StageTotal()).value_cents,
        project_budgets_cents=project_budgets or 0,
        spend_cents=spend or 0,
        pipeline=pipeline,
    )


def open_pipeline_values(
    session: Session, client_ids: Collection[str] | None = None
) -> dict[str, int]:
    """Open pipeline value (idea + pitched) per client, one grouped query."""
    opportunity = Opportunity.__table__.c  # read before the first paint (see db.core_reads)
    query = (
        select(opportunity.client_id, func.sum(opportunity.value_cents))
        .where(opportunity.stage.in_(OPEN_STAGES))
        .group_by(opportunity.client_id)
    )
    if client_ids is not None:
        query = query.where(opportunity.client_id.in_(client_ids))
    return {cid: total or 0 for cid, total in read(session, query)}
