-- Issue 15: a reminder before a renewal when the card on file expires first.
-- When the card last charged for (or attached to the customer of) a contribution stops working:
-- the first instant after its expiry month, UTC. card_seen_at is the created time (epoch seconds)
-- of the Stripe fact it came from, so an older fact never replaces a newer card.
ALTER TABLE recurring_contribution ADD COLUMN card_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE recurring_contribution ADD COLUMN card_seen_at BIGINT NOT NULL DEFAULT 0;
-- The renewal (its current_period_end) the reader was reminded of: one reminder per period.
ALTER TABLE recurring_contribution ADD COLUMN card_reminder_for TIMESTAMP WITH TIME ZONE;
-- The job looks up the renewals of the next few days.
CREATE INDEX recurring_contribution_period_end ON recurring_contribution (current_period_end);
INSERT INTO job_lock (name) VALUES ('card-expiry-reminders');
