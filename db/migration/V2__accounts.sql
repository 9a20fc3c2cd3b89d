-- Sign-in sessions. Only the SHA-256 of the 256-bit token is stored (hex), so a copy of this
-- table signs nobody in.
CREATE TABLE member_session (
    token_hash           CHAR(64)                 NOT NULL PRIMARY KEY,
    member_id            UUID                     NOT NULL REFERENCES member (id),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    absolute_expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    user_agent           VARCHAR(300),
    revoked_at           TIMESTAMP WITH TIME ZONE
);
CREATE INDEX member_session_member ON member_session (member_id);

-- One-time tokens mailed to members: email verification, password reset, sign-in links.
-- Stored hashed like sessions; a newer token of the same purpose voids older ones.
CREATE TABLE one_time_token (
    token_hash   CHAR(64)                 NOT NULL PRIMARY KEY,
    member_id    UUID                     NOT NULL REFERENCES member (id),
    purpose      VARCHAR(20)              NOT NULL,
    email        VARCHAR(320)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX one_time_token_member ON one_time_token (member_id, purpose);

-- Every change of a consent, with its time: what GDPR asks a controller to be able to show.
CREATE TABLE consent_change (
    id          UUID                     NOT NULL PRIMARY KEY,
    member_id   UUID                     NOT NULL REFERENCES member (id),
    consent     VARCHAR(30)              NOT NULL,
    granted     BOOLEAN                  NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX consent_change_member ON consent_change (member_id);

-- Mail is queued in the same transaction as the change that causes it and sent by a worker,
-- so a slow or failing mail server never slows or fails a request and nothing is lost.
CREATE TABLE mail_outbox (
    id               UUID                     NOT NULL PRIMARY KEY,
    recipient        VARCHAR(320)             NOT NULL,
    subject          VARCHAR(200)             NOT NULL,
    text_body        TEXT                     NOT NULL,
    html_body        TEXT                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts         INTEGER                  NOT NULL DEFAULT 0,
    sent_at          TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(500)
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);
