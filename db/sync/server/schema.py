"""The agency server's schema, its version, and the roles that use it.

Everything lives in the schema `agency_desk` of one PostgreSQL database (one agency per
database):

    agency_schema  the schema's version (one row) and the name of the stations' group role
    agency         the agency's identity (one row, written once: `agency.py`)
    stations       station id -> the login that may write for it
    changes        one pushed batch per row: server_seq (bigserial), station, seq, change_id
                   (uuid, unique), hash, payload, received_at; (station, seq) is unique
    acks           each station's acknowledgement (how far it got, its row counts)
    meta           the latest snapshot, its vector and what compaction purged (one row)
    snapshots      published snapshots (a whole SQLite file each)
    lease          the compaction lease (one row, or none)

Least privilege: every station logs in with its own role, a member of the agency's group
role. The group may read everything; it may insert changes, acknowledgements and station
registrations only under station ids registered to the login itself (row-level security
checks `current_user`); it may never update or delete a change. Compaction deletes through two
SECURITY DEFINER functions owned by the admin, which delete only what the published meta
says a snapshot holds (`purge_change`) and never the snapshot meta names (`drop_snapshot`).
Turning encryption on seals the batches written before in the clear through a third
(`reseal_change`, version 2), which replaces only a batch in the clear, only by one sealed
under the agency key meta names (issue 17).
An insert into `changes` rings the `agency_desk_changes` doorbell (NOTIFY) once per statement.

The schema is versioned like the local one: `init_server` creates it or upgrades it step by
step (`UPGRADES`), and a station refuses a server whose version is newer than `SERVER_SCHEMA`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from db.sync.server.connect import connect, describe, parts
from db.sync.server.errors import NotAServerError, ServerRefusedError, ServerSchemaError

SCHEMA = "agency_desk"
SERVER_SCHEMA = 2
CHANNEL = "agency_desk_changes"
LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_V1 = """
CREATE SCHEMA agency_desk;
REVOKE ALL ON SCHEMA agency_desk FROM PUBLIC;
CREATE TABLE agency_desk.agency_schema (
    id int PRIMARY KEY CHECK (id = 1),
    version int NOT NULL,
    station_role name NOT NULL,
    upgraded_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE agency_desk.agency (
    id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    record jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE agency_desk.stations (
    station text PRIMARY KEY CHECK (station ~ '^[0-9a-f]{16}$'),
    role_name name NOT NULL DEFAULT current_user,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE agency_desk.changes (
    server_seq bigserial PRIMARY KEY,
    station text NOT NULL REFERENCES agency_desk.stations,
    seq bigint NOT NULL CHECK (seq > 0),
    change_id uuid NOT NULL UNIQUE,
    hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    payload bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (station, seq)
);
CREATE TABLE agency_desk.acks (
    station text PRIMARY KEY REFERENCES agency_desk.stations,
    ack jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE agency_desk.meta (
    id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    meta jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE agency_desk.snapshots (
    name text PRIMARY KEY,
    generation bigint NOT NULL,
    hash text NOT NULL,
    data bytea NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE agency_desk.lease (
    id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    lease jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION agency_desk.ring() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('agency_desk_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER ring AFTER INSERT ON agency_desk.changes
    FOR EACH STATEMENT EXECUTE FUNCTION agency_desk.ring();

CREATE FUNCTION agency_desk.purge_change(p_station text, p_seq bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m jsonb;
BEGIN
    SELECT meta INTO m FROM agency_desk.meta WHERE id = 1;
    IF m IS NULL OR NOT EXISTS (SELECT 1 FROM agency_desk.snapshots WHERE name = m->>'snapshot')
       OR p_seq > coalesce((m->'purged'->>p_station)::bigint, 0) THEN
        RAISE EXCEPTION 'change % of station % is not held by a published snapshot; kept',
            p_seq, p_station USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM agency_desk.changes WHERE station = p_station AND seq = p_seq;
END $$;

CREATE FUNCTION agency_desk.drop_snapshot(p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_name = (SELECT meta->>'snapshot' FROM agency_desk.meta WHERE id = 1) THEN
        RAISE EXCEPTION 'snapshot % is the current one; kept', p_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM agency_desk.snapshots WHERE name = p_name;
END $$;
REVOKE ALL ON FUNCTION agency_desk.purge_change(text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION agency_desk.drop_snapshot(text) FROM PUBLIC;

ALTER TABLE agency_desk.changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON agency_desk.changes FOR SELECT USING (true);
CREATE POLICY insert_own ON agency_desk.changes FOR INSERT WITH CHECK (
    station IN (SELECT s.station FROM agency_desk.stations s WHERE s.role_name = current_user));

ALTER TABLE agency_desk.stations ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON agency_desk.stations FOR SELECT USING (true);
CREATE POLICY register_own ON agency_desk.stations FOR INSERT
    WITH CHECK (role_name = current_user);

ALTER TABLE agency_desk.acks ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON agency_desk.acks FOR SELECT USING (true);
CREATE POLICY insert_own ON agency_desk.acks FOR INSERT WITH CHECK (
    station IN (SELECT s.station FROM agency_desk.stations s WHERE s.role_name = current_user));
CREATE POLICY update_own ON agency_desk.acks FOR UPDATE USING (
    station IN (SELECT s.station FROM agency_desk.stations s WHERE s.role_name = current_user));
"""

_V1_GRANTS = """
GRANT USAGE ON SCHEMA agency_desk TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA agency_desk TO {role};
GRANT INSERT ON agency_desk.changes, agency_desk.stations, agency_desk.agency,
    agency_desk.snapshots TO {role};
GRANT INSERT, UPDATE ON agency_desk.acks, agency_desk.meta TO {role};
GRANT INSERT, UPDATE, DELETE ON agency_desk.lease TO {role};
GRANT USAGE ON SEQUENCE agency_desk.changes_server_seq_seq TO {role};
GRANT EXECUTE ON FUNCTION agency_desk.purge_change(text, bigint),
    agency_desk.drop_snapshot(text) TO {role};
"""

# Version 2 (issue 17): the station that turns encryption on (or carries it over from a share)
# seals every batch written in the clear before, in place, so the server keeps no client data
# readable. A station may not update another's batch, so this goes through a function that
# replaces a batch only while meta names an agency key, only a batch in the clear, and only by
# one sealed under that key (an envelope starts "ADE1" and the key id): what it writes is then
# authenticated by every encrypted station, and a plain server's batches cannot be touched.
_V2 = """
CREATE FUNCTION agency_desk.reseal_change(p_station text, p_seq bigint, p_hash text,
    p_change_id uuid, p_payload bytea) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k text;
    new_hash text := encode(sha256(p_payload), 'hex');
BEGIN
    SELECT meta->'encryption'->>'key_id' INTO k FROM agency_desk.meta WHERE id = 1 FOR SHARE;
    IF k IS NULL OR k !~ '^[0-9a-f]{16}$'
       OR substring(p_payload FROM 1 FOR 20) <> convert_to('ADE1' || k, 'UTF8') THEN
        RAISE EXCEPTION 'only a batch sealed under the agency key meta names may replace one'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE agency_desk.changes SET payload = p_payload, hash = new_hash,
        change_id = p_change_id
    WHERE station = p_station AND seq = p_seq AND hash = p_hash
        AND substring(payload FROM 1 FOR 4) <> convert_to('ADE1', 'UTF8');
    RETURN new_hash;
END $$;
REVOKE ALL ON FUNCTION agency_desk.reseal_change(text, bigint, text, uuid, bytea) FROM PUBLIC;
"""

_V2_GRANTS = """
GRANT EXECUTE ON FUNCTION agency_desk.reseal_change(text, bigint, text, uuid, bytea) TO {role};
"""

# version -> the statements that bring the schema from version - 1 to it
UPGRADES: dict[int, list[str]] = {1: [_V1, _V1_GRANTS], 2: [_V2, _V2_GRANTS]}


@dataclass
class InitReport:
    """What `init_server` did, one line each, for the command to print."""

    done: list[str] = field(default_factory=list)
    station_role: str = ""


def station_role_for(database: str) -> str:
    """The group role of one agency's stations (roles are per cluster, hence the database's
    name in it)."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())
    return f"agency_desk_{cleaned}"[:55] + "_station"


def server_version(conn: psycopg.Connection[Any]) -> tuple[int, str] | None:
    """(version, stations' role) of the schema, None when the database has none."""
    found = conn.execute("SELECT to_regclass('agency_desk.agency_schema') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return None
    row = conn.execute(
        "SELECT version, station_role FROM agency_desk.agency_schema WHERE id = 1"
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def check_version(conn: psycopg.Connection[Any], where: str) -> int:
    """The server's schema version; raises when there is none or it is newer than ours."""
    found = server_version(conn)
    if found is None:
        raise NotAServerError(
            f"agency server {where} has no Agency Desk schema; an administrator runs "
            f"'agency-desk server init URL' first"
        )
    if found[0] > SERVER_SCHEMA:
        raise ServerSchemaError(
            f"agency server {where} has schema version {found[0]}, newer than this Agency "
            f"Desk knows ({SERVER_SCHEMA}); update Agency Desk to sync"
        )
    if found[0] < SERVER_SCHEMA:
        raise ServerSchemaError(
            f"agency server {where} has schema version {found[0]}, older than this Agency "
            f"Desk needs ({SERVER_SCHEMA}); an administrator runs 'agency-desk server init URL' "
            "to upgrade it"
        )
    return found[0]


def probe(url: str, password: str | None = None) -> tuple[int, int]:
    """(schema version, stations registered) of the server at `url`, for "Test connection";
    raises the same one-line `SyncError`s a sync would (unreachable, login, schema)."""
    where = describe(url)
    conn = connect(url, password)
    try:
        version = check_version(conn, where)
        row = conn.execute("SELECT count(*) FROM agency_desk.stations").fetchone()
    except psycopg.Error as exc:
        raise ServerRefusedError(f"agency server {where}: {_line(exc)}") from None
    finally:
        conn.close()
    return version, int(row[0]) if row else 0


def init_server(admin_url: str, password: str | None = None) -> InitReport:
    """Create the schema and the stations' group role, or upgrade an older schema; all in
    one transaction, so a failure leaves the server as it was."""
    where = describe(admin_url)
    database = str(parts(admin_url).get("dbname") or "")
    report = InitReport()
    conn = connect(admin_url, password, autocommit=False)
    try:
        found = server_version(conn)
        if found is not None and found[0] > SERVER_SCHEMA:
            raise ServerSchemaError(
                f"agency server {where} has schema version {found[0]}, newer than this "
                f"Agency Desk knows ({SERVER_SCHEMA}); nothing was changed"
            )
        role = found[1] if found else station_role_for(database or "agency")
        report.station_role = role
        current = found[0] if found else 0
        if current == SERVER_SCHEMA:
            report.done.append(f"{where}: schema version {current} is current; nothing to do")
            conn.rollback()
            return report
        try:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
                report.done.append(f"created the role {role} (NOLOGIN), which every station joins")
            for version in range(current + 1, SERVER_SCHEMA + 1):
                for script in UPGRADES[version]:
                    text = script.replace("{role}", sql.Identifier(role).as_string(conn))
                    conn.execute(text.encode())
                report.done.append(
                    f"{'created' if version == 1 else 'upgraded'} schema agency_desk "
                    f"(version {version})"
                )
            if current == 0:
                conn.execute(
                    "INSERT INTO agency_desk.agency_schema (id, version, station_role) "
                    "VALUES (1, %s, %s)",
                    (SERVER_SCHEMA, role),
                )
                report.done.append(
                    "tables: agency_schema, agency, stations, changes, acks, meta, snapshots, "
                    "lease; row-level security on changes, stations and acks"
                )
                report.done.append(
                    f"{role} may read everything, insert only under its own station ids, "
                    "and never update or delete a change (compaction: purge_change, "
                    "drop_snapshot; sealing batches sent in the clear: reseal_change)"
                )
            else:
                conn.execute(
                    "UPDATE agency_desk.agency_schema SET version = %s, upgraded_at = now()",
                    (SERVER_SCHEMA,),
                )
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            raise ServerRefusedError(
                f"agency server {where}: could not create the schema ({_line(exc)}); "
                "nothing was changed"
            ) from None
    finally:
        conn.close()
    return report


def add_station(
    admin_url: str, login: str, station_password: str, password: str | None = None
) -> str:
    """Create a login for one station, a member of the agency's stations role; returns that
    role's name."""
    where = describe(admin_url)
    if not LOGIN_NAME.match(login):
        raise ValueError(
            f"{login!r}: a station login is lower-case letters, digits and _ (at most 63), "
            "starting with a letter"
        )
    conn = connect(admin_url, password)
    try:
        version = check_version(conn, where)
        found = server_version(conn)
        assert found is not None and version
        role = found[1]
        try:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
            if exists:
                raise ServerRefusedError(
                    f"agency server {where}: a login named {login} exists already"
                )
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(login), sql.Literal(station_password), sql.Identifier(role)
                )
            )
        except psycopg.Error as exc:
            raise ServerRefusedError(
                f"agency server {where}: could not create the login {login} ({_line(exc)})"
            ) from None
    finally:
        conn.close()
    return role


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
