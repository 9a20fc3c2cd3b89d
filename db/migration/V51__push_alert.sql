-- An editor's news alert and its fan-out. The alert and one delivery row per subscriber of its
-- topic are stored in one transaction before anything is sent, so a crash or restart never loses
-- or repeats the fan-out: workers on any instance claim due rows with FOR UPDATE SKIP LOCKED and
-- lease them by moving next_attempt_at forward; a lease that runs out makes the row due again.
CREATE TABLE push_alert (
    id           UUID                     NOT NULL PRIMARY KEY,
    topic        VARCHAR(40)              NOT NULL,
    title        VARCHAR(120)             NOT NULL,
    body         VARCHAR(500)             NOT NULL,
    url          VARCHAR(2000)            NOT NULL,
    ttl_seconds  INTEGER                  NOT NULL,
    urgency      VARCHAR(10)              NOT NULL,
    sent_by      UUID                     NOT NULL REFERENCES member (id),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    recipients   INTEGER                  NOT NULL
);

-- No foreign key to push_subscription: a subscription the push service reports gone is deleted,
-- and its delivery row stays as the record that it expired.
CREATE TABLE push_delivery (
    alert_id        UUID                     NOT NULL REFERENCES push_alert (id),
    subscription_id UUID                     NOT NULL,
    status          VARCHAR(10)              NOT NULL,
    attempts        INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(300),
    PRIMARY KEY (alert_id, subscription_id)
);
CREATE INDEX push_delivery_due ON push_delivery (status, next_attempt_at);
