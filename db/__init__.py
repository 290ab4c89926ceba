"""Agency Desk's data layer: models, the workspace store, migrations, sync and domain rules.

Nothing below this package imports Qt; the desktop package wraps it.
"""
