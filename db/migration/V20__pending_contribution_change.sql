-- A change of frequency is scheduled at Stripe for the end of the current period (changing a
-- subscription's interval at once would reset its billing cycle and invoice immediately). Until
-- Stripe switches the price, the contribution keeps what it is charged now and remembers the
-- change it will make, so the reader sees it pending.
ALTER TABLE recurring_contribution ADD COLUMN pending_amount BIGINT;
ALTER TABLE recurring_contribution ADD COLUMN pending_frequency VARCHAR(10);
ALTER TABLE recurring_contribution ADD COLUMN pending_from TIMESTAMP WITH TIME ZONE;
