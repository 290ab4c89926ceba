"""The GUI side of sync: this station's sync preferences (`settings`), the controller that runs
a sync off the UI thread and refreshes open views (`controller`), the status-bar widget
(`status`), the Sync panel with its conflict list (`panel`, `conflicts_model`), and `window`,
which fits them into the main window.

Nothing here is imported at start-up unless a shared folder is set or the Sync menu is used;
`db.sync` itself (with Alembic) is imported by the worker thread on the first sync.
"""
