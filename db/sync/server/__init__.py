"""Sync through an agency server (PostgreSQL) instead of a shared folder: the same engine,
outbox, merge and local databases, with `transport.ServerTransport` in place of the folder.

Modules: `schema` (server tables, roles, row-level security, version), `connect` (URLs,
connections and one-line errors), `transport` (the Transport over those tables), `sync`
(`sync_server`, the counterpart of `db.sync.sync`), `secrets` (passwords in the OS keychain),
`errors`.
"""
