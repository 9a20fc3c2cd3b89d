-- Browsers that have signed in to an account before (OWASP's "device cookies"): failures that
-- other clients cause for the account never throttle them. Only the SHA-256 of the cookie's
-- 256-bit random value is stored, like session tokens.
CREATE TABLE trusted_device (
    token_hash   CHAR(64)                 NOT NULL PRIMARY KEY,
    member_id    UUID                     NOT NULL REFERENCES member (id),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX trusted_device_member ON trusted_device (member_id);
