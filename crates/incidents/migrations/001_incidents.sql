-- Incidents and their revisions. The same statements run on SQLite and PostgreSQL.
CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    external_id TEXT UNIQUE,
    status      TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    admin1      TEXT,
    settlement  TEXT,
    record      TEXT NOT NULL,
    revision    INTEGER NOT NULL
);
CREATE INDEX incidents_start ON incidents (start_time);
CREATE TABLE revisions (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    number      INTEGER NOT NULL,
    at          TEXT NOT NULL,
    author      TEXT NOT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL,
    record      TEXT NOT NULL,
    PRIMARY KEY (incident_id, number)
);
