-- A browser's Web Push subscription (RFC 8030/8291): the push service's endpoint (a capability
-- URL, unique per browser and site) and the keys its messages are encrypted to. Anonymous
-- readers subscribe too, so member_id is optional; knowing the endpoint and its auth secret is
-- what lets a caller change or remove a subscription.
CREATE TABLE push_subscription (
    id          UUID                     NOT NULL PRIMARY KEY,
    endpoint    VARCHAR(1024)            NOT NULL UNIQUE,
    p256dh      VARCHAR(100)             NOT NULL,
    auth        VARCHAR(40)              NOT NULL,
    member_id   UUID                     REFERENCES member (id),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX push_subscription_member ON push_subscription (member_id);

-- One row per topic, so the fan-out of an alert reads the subscribers of one topic by index.
CREATE TABLE push_subscription_topic (
    subscription_id UUID        NOT NULL REFERENCES push_subscription (id) ON DELETE CASCADE,
    topic           VARCHAR(40) NOT NULL,
    PRIMARY KEY (subscription_id, topic)
);
CREATE INDEX push_subscription_topic_topic ON push_subscription_topic (topic, subscription_id);
