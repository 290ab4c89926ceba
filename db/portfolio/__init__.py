"""The agency's portfolio: every open project on one timeline, grouped by client, with its
milestones and deliverables, baseline slip, the client's health and a burn flag; and moving a
whole project in time as one edit. No Qt here; dates come from the one schedule service."""
