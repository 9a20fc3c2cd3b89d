-- Issue 15: receipts and recovery of failed payments.
-- A contribution is unpaid from its first failed renewal until a payment succeeds again (the
-- payment is then marked recovered: payment.recovered, V60).
ALTER TABLE recurring_contribution ADD COLUMN unpaid_since TIMESTAMP WITH TIME ZONE;
-- When the payment's receipt was queued, so a replay or the periodic sync never sends a second.
-- Payments recorded before receipts existed count as done: the sync must not mail old gifts.
ALTER TABLE payment ADD COLUMN receipt_queued_at TIMESTAMP WITH TIME ZONE;
UPDATE payment SET receipt_queued_at = created_at;
