-- The audit log: who did what to which report or record, when, with which parameters. Append-only:
-- the application only ever inserts (AuditLog has no update or delete), and nothing else in the
-- service writes here. actor is the member id as text, or 'system' for the service's own jobs.
-- details is a JSON object (TEXT, so one dialect serves PostgreSQL and H2).
CREATE TABLE audit_log (
    id       UUID                     NOT NULL PRIMARY KEY,
    at       TIMESTAMP WITH TIME ZONE NOT NULL,
    actor    VARCHAR(64)              NOT NULL,
    action   VARCHAR(100)             NOT NULL,
    target   VARCHAR(255),
    details  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
