-- Issue 15: the annual giving statement mailed on request carries its PDF. One attachment per
-- mail is all any mail needs; like the bodies, it goes once the mail is delivered.
ALTER TABLE mail_outbox ADD COLUMN attachment_name VARCHAR(100);
ALTER TABLE mail_outbox ADD COLUMN attachment_type VARCHAR(100);
ALTER TABLE mail_outbox ADD COLUMN attachment BYTEA;
