"""Opening a project's plan before the data layer loads (issue 19): `agency-desk --project`
shows the plan's first screen from a plain sqlite3 read, scheduled by the engine (which
imports without SQLAlchemy or the models), and only then imports SQLAlchemy and the models
for the session that edits. Nothing here imports SQLAlchemy, the models or Qt."""
