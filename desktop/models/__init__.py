"""Qt item models over the workspace: each holds ids plus a cache of display rows and
refreshes only the rows a `ChangeSet` names."""
