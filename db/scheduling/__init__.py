"""Scheduling: working-day calendars, the dependency graph, the engine that computes dates,
float and the critical path, the schedule service every reader gets its dates from,
baselines, and the undoable edits of a plan. No Qt here.

The package itself imports nothing: the engine (`engine`, `calendar`, `graph`, `specs`,
`vocabulary`, `schedule_view`) loads without SQLAlchemy or the models, so a project opened from
the command line is scheduled before the data layer is even imported (issue 19); import each
module by name."""
