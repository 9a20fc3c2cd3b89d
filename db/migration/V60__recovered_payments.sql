-- A renewal that failed and was paid later (Stripe's retry, or the reader's new card) is a
-- recovered payment: the dashboard counts them beside the contributions still past due. Set on the
-- payment whichever of invoice.payment_failed and invoice.paid is applied second, since events are
-- unordered.
ALTER TABLE payment ADD COLUMN recovered BOOLEAN DEFAULT FALSE NOT NULL;
