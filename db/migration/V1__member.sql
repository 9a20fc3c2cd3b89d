-- Members: readers and staff. The email is kept as typed for display and normalised
-- (trimmed, lower case) for the case-insensitive uniqueness the contract promises.
-- An erased member keeps the row (payments still point at it) with its personal data
-- removed and email_normalized set to NULL, so the address can register again.
CREATE TABLE member (
    id                  UUID                     NOT NULL PRIMARY KEY,
    email               VARCHAR(320),
    email_normalized    VARCHAR(320),
    email_verified_at   TIMESTAMP WITH TIME ZONE,
    password_hash       VARCHAR(255),
    display_name        VARCHAR(100),
    marketing_consent   BOOLEAN                  NOT NULL DEFAULT FALSE,
    roles               VARCHAR(100)             NOT NULL DEFAULT 'READER',
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    erased_at           TIMESTAMP WITH TIME ZONE,
    CONSTRAINT member_email_normalized_unique UNIQUE (email_normalized)
);
