-- Privacy: what is kept of a mail once delivered, whose mail it was, Stripe customers waiting to be
-- deleted at Stripe, aggregated refusals in the audit log, and the retention job's lease.

-- A delivered mail keeps only its subject and times (for GET /api/me/data); recipient and bodies,
-- which may hold a working one-time link, are dropped at delivery. member_id ties the mail to the
-- member it was sent to, so the export can list it and erasure can remove it.
ALTER TABLE mail_outbox ADD COLUMN member_id UUID;
ALTER TABLE mail_outbox ALTER COLUMN recipient DROP NOT NULL;
ALTER TABLE mail_outbox ALTER COLUMN text_body DROP NOT NULL;
ALTER TABLE mail_outbox ALTER COLUMN html_body DROP NOT NULL;
CREATE INDEX mail_outbox_member ON mail_outbox (member_id);

-- The outbox of Stripe Customers to delete at Stripe after an erasure: written in the erasure's
-- transaction, worked off by a retrying worker, so a Stripe outage delays the deletion but never
-- loses it. A done row keeps only the customer id (Stripe's pseudonym) and when it was deleted.
CREATE TABLE stripe_customer_deletion (
    customer_id      VARCHAR(255)             NOT NULL PRIMARY KEY,
    requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts         INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at       TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(1000)
);
CREATE INDEX stripe_customer_deletion_due ON stripe_customer_deletion (deleted_at, next_attempt_at);

-- Refusals are aggregated: one entry per actor, action and minute (aggregate_key), whose count
-- grows, so repeated refused requests cannot grow the table without bound.
ALTER TABLE audit_log ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN aggregate_key VARCHAR(300);
CREATE UNIQUE INDEX audit_log_aggregate ON audit_log (aggregate_key);

-- Stripe event payloads reduced by retention keep id, type and status only.
ALTER TABLE stripe_event ADD COLUMN payload_reduced_at TIMESTAMP WITH TIME ZONE;

INSERT INTO job_lock (name) VALUES ('retention');

-- A guest donor's request, by email, for their data or its erasure: the mailed link's token is
-- stored only as its SHA-256, like every one-time token; a row goes at erasure or by retention.
CREATE TABLE guest_request (
    token_hash        CHAR(64)                 NOT NULL PRIMARY KEY,
    email_normalized  VARCHAR(320)             NOT NULL,
    purpose           VARCHAR(10)              NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at           TIMESTAMP WITH TIME ZONE
);
CREATE INDEX guest_request_email ON guest_request (email_normalized);
