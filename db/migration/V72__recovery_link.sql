-- Issue 15: links in recovery mails (fix the card after a failed renewal) that work without
-- signing in, also for guests. Only the SHA-256 of the token is kept, like every other token.
CREATE TABLE recovery_link (
    token_hash    CHAR(64)                 NOT NULL PRIMARY KEY,
    recurring_id  UUID                     NOT NULL REFERENCES recurring_contribution (id),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX recovery_link_recurring ON recovery_link (recurring_id);
