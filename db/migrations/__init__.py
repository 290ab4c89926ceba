"""Alembic migrations of the Agency Desk schema.

SCHEMA_HEAD names the newest revision so that opening an up-to-date database needs no Alembic
import at all; a test keeps it equal to the head of the scripts in versions/.
"""

SCHEMA_HEAD = "0018"
