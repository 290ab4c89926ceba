"""The account manager's domain rules: client health, stay-in-touch cadence, occasions, money,
the Today page and the AM's operations. Plain Python and SQL over `db.models`; no Qt."""
