"""Agency Desk's Qt GUI: start-up, the main window, views, Qt item models and undo commands.

Everything here sits on `db.store.Store`; no domain rule lives in this package."""
