-- Where a gift came from: the article page and campaign the reader gave from, and the page's UTM
-- parameters. Kept on the checkout attempt, passed through Stripe metadata, and copied onto the
-- payment and the recurring contribution when the webhook arrives; a renewal takes its
-- contribution's origin. All columns NULL when the gift came from nowhere in particular.
ALTER TABLE checkout_attempt ADD COLUMN source_article_url VARCHAR(500);
ALTER TABLE checkout_attempt ADD COLUMN source_campaign VARCHAR(100);
ALTER TABLE checkout_attempt ADD COLUMN utm_source VARCHAR(100);
ALTER TABLE checkout_attempt ADD COLUMN utm_medium VARCHAR(100);
ALTER TABLE checkout_attempt ADD COLUMN utm_campaign VARCHAR(100);

ALTER TABLE payment ADD COLUMN source_article_url VARCHAR(500);
ALTER TABLE payment ADD COLUMN source_campaign VARCHAR(100);
ALTER TABLE payment ADD COLUMN utm_source VARCHAR(100);
ALTER TABLE payment ADD COLUMN utm_medium VARCHAR(100);
ALTER TABLE payment ADD COLUMN utm_campaign VARCHAR(100);

ALTER TABLE recurring_contribution ADD COLUMN source_article_url VARCHAR(500);
ALTER TABLE recurring_contribution ADD COLUMN source_campaign VARCHAR(100);
ALTER TABLE recurring_contribution ADD COLUMN utm_source VARCHAR(100);
ALTER TABLE recurring_contribution ADD COLUMN utm_medium VARCHAR(100);
ALTER TABLE recurring_contribution ADD COLUMN utm_campaign VARCHAR(100);
