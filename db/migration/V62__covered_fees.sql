-- Cover the fees: the donor may add the estimated Stripe fee to the gift. The attempt keeps the
-- choice and the estimate (amount is what is charged: the gift plus covered_fee); the payment and
-- the contribution keep the fee the donor covered, a renewal its contribution's.
ALTER TABLE checkout_attempt ADD COLUMN cover_fees BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE checkout_attempt ADD COLUMN covered_fee BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE payment ADD COLUMN covered_fee BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE recurring_contribution ADD COLUMN covered_fee BIGINT DEFAULT 0 NOT NULL;
