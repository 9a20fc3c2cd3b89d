-- Donations: projections of what Stripe (the source of truth for money) knows, plus the inbox of
-- every webhook event, stored verbatim before it is acted on. Money is BIGINT minor units with a
-- CHAR(3) upper-case ISO 4217 code; Stripe ids are kept as Stripe spells them.

-- One Stripe customer per member, created once: unique both ways, so two concurrent checkouts of
-- one member can never leave two customers recorded.
CREATE TABLE stripe_customer (
    member_id    UUID                     NOT NULL PRIMARY KEY REFERENCES member (id),
    customer_id  VARCHAR(255)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT stripe_customer_customer_unique UNIQUE (customer_id)
);

-- The service's own record of each checkout request; its id is the Stripe idempotency key, so a
-- retried request can never create a second Checkout Session.
CREATE TABLE checkout_attempt (
    id                   UUID                     NOT NULL PRIMARY KEY,
    member_id            UUID                     REFERENCES member (id),
    donor_email          VARCHAR(320),
    amount               BIGINT                   NOT NULL,
    currency             CHAR(3)                  NOT NULL,
    frequency            VARCHAR(10)              NOT NULL,
    checkout_session_id  VARCHAR(255),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX checkout_attempt_session ON checkout_attempt (checkout_session_id);

-- One row per Stripe subscription. last_event_created is Stripe's `created` (epoch seconds) of the
-- newest event applied to the row: an older event never overwrites newer state.
CREATE TABLE recurring_contribution (
    id                      UUID                     NOT NULL PRIMARY KEY,
    stripe_subscription_id  VARCHAR(255)             NOT NULL,
    stripe_customer_id      VARCHAR(255),
    member_id               UUID                     REFERENCES member (id),
    donor_email             VARCHAR(320),
    donor_email_normalized  VARCHAR(320),
    amount                  BIGINT                   NOT NULL,
    currency                CHAR(3)                  NOT NULL,
    frequency               VARCHAR(10)              NOT NULL,
    status                  VARCHAR(12)              NOT NULL,
    cancel_at_period_end    BOOLEAN                  NOT NULL DEFAULT FALSE,
    current_period_end      TIMESTAMP WITH TIME ZONE,
    resumes_on              TIMESTAMP WITH TIME ZONE,
    started_at              TIMESTAMP WITH TIME ZONE,
    canceled_at             TIMESTAMP WITH TIME ZONE,
    cancel_reason           VARCHAR(500),
    last_failed_invoice     VARCHAR(300),
    last_event_created      BIGINT                   NOT NULL DEFAULT 0,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT recurring_contribution_subscription_unique UNIQUE (stripe_subscription_id)
);
CREATE INDEX recurring_contribution_member ON recurring_contribution (member_id);
CREATE INDEX recurring_contribution_email ON recurring_contribution (donor_email_normalized);

-- One row per successful charge (a one-off gift or one paid invoice). Never deleted: finance keeps
-- them for years; erasing a member pseudonymises the donor email instead.
CREATE TABLE payment (
    id                        UUID                     NOT NULL PRIMARY KEY,
    stripe_charge_id          VARCHAR(255)             NOT NULL,
    stripe_payment_intent_id  VARCHAR(255),
    stripe_invoice_id         VARCHAR(255),
    stripe_customer_id        VARCHAR(255),
    recurring_id              UUID                     REFERENCES recurring_contribution (id),
    member_id                 UUID                     REFERENCES member (id),
    donor_email               VARCHAR(320),
    donor_email_normalized    VARCHAR(320),
    amount                    BIGINT                   NOT NULL,
    currency                  CHAR(3)                  NOT NULL,
    frequency                 VARCHAR(10)              NOT NULL,
    status                    VARCHAR(20)              NOT NULL,
    refunded_amount           BIGINT                   NOT NULL DEFAULT 0,
    dispute_status            VARCHAR(10),
    paid_at                   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT payment_charge_unique UNIQUE (stripe_charge_id)
);
CREATE INDEX payment_member ON payment (member_id);
CREATE INDEX payment_email ON payment (donor_email_normalized);
CREATE INDEX payment_invoice ON payment (stripe_invoice_id);

-- Every movement of money, one row per Stripe balance transaction that touches a payment:
-- PAYMENT (the charge), REFUND (each refund), DISPUTE (funds withdrawn), DISPUTE_REVERSAL (funds
-- reinstated after a won dispute). amount is signed and in the payment's (presentment) currency;
-- settlement_amount, fee and net are the balance transaction's own figures in
-- settlement_currency (fee positive, a returned fee negative; net = settlement_amount - fee).
-- When both currencies agree, amount = settlement_amount. (type, stripe_object_id) is unique:
-- the charge ch_, refund re_ or dispute du_ id.
CREATE TABLE money_movement (
    id                      UUID                     NOT NULL PRIMARY KEY,
    type                    VARCHAR(20)              NOT NULL,
    stripe_object_id        VARCHAR(255)             NOT NULL,
    payment_id              UUID                     NOT NULL REFERENCES payment (id),
    stripe_charge_id        VARCHAR(255)             NOT NULL,
    stripe_invoice_id       VARCHAR(255),
    amount                  BIGINT                   NOT NULL,
    currency                CHAR(3)                  NOT NULL,
    settlement_amount       BIGINT                   NOT NULL,
    fee                     BIGINT                   NOT NULL,
    net                     BIGINT                   NOT NULL,
    settlement_currency     CHAR(3)                  NOT NULL,
    balance_transaction_id  VARCHAR(255),
    stripe_payout_id        VARCHAR(255),
    occurred_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT money_movement_object_unique UNIQUE (type, stripe_object_id)
);
CREATE INDEX money_movement_occurred ON money_movement (occurred_at);
CREATE INDEX money_movement_payment ON money_movement (payment_id);
CREATE INDEX money_movement_balance_transaction ON money_movement (balance_transaction_id);

-- Stripe payouts to the bank, and the balance transactions each one settled.
CREATE TABLE payout (
    id                UUID                     NOT NULL PRIMARY KEY,
    stripe_payout_id  VARCHAR(255)             NOT NULL,
    amount            BIGINT                   NOT NULL,
    currency          CHAR(3)                  NOT NULL,
    status            VARCHAR(20)              NOT NULL,
    arrival_date      TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT payout_stripe_unique UNIQUE (stripe_payout_id)
);

CREATE TABLE payout_balance_transaction (
    stripe_payout_id        VARCHAR(255)             NOT NULL,
    balance_transaction_id  VARCHAR(255)             NOT NULL,
    type                    VARCHAR(40)              NOT NULL,
    source_id               VARCHAR(255),
    amount                  BIGINT                   NOT NULL,
    fee                     BIGINT                   NOT NULL,
    net                     BIGINT                   NOT NULL,
    currency                CHAR(3)                  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (stripe_payout_id, balance_transaction_id)
);

-- The webhook inbox: every verified event verbatim under Stripe's evt_ id (a duplicate delivery
-- hits the primary key and is a no-op), applied later by a worker with retries and backoff.
CREATE TABLE stripe_event (
    id               VARCHAR(255)             NOT NULL PRIMARY KEY,
    type             VARCHAR(100)             NOT NULL,
    livemode         BOOLEAN                  NOT NULL,
    stripe_created   BIGINT                   NOT NULL,
    payload          TEXT                     NOT NULL,
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    status           VARCHAR(10)              NOT NULL,
    attempts         INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    applied_at       TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(1000)
);
CREATE INDEX stripe_event_due ON stripe_event (status, next_attempt_at);
CREATE INDEX stripe_event_received ON stripe_event (received_at);

-- Leases for jobs that only one instance may run at a time (the Stripe sync).
CREATE TABLE job_lock (
    name          VARCHAR(100)             NOT NULL PRIMARY KEY,
    locked_by     VARCHAR(100),
    locked_until  TIMESTAMP WITH TIME ZONE,
    last_run_at   TIMESTAMP WITH TIME ZONE
);
INSERT INTO job_lock (name) VALUES ('stripe-sync');
