package org.newsroom.membership.donations;

import java.time.Instant;
import java.util.UUID;

/**
 * A successful payment was recorded for the first time (fired inside the ledger's transaction, so a
 * synchronous observer's writes, such as a queued receipt, commit or roll back with it). {@code
 * recovered}: it succeeded after its contribution's renewal had failed.
 */
public record PaymentRecorded(
    UUID paymentId,
    UUID memberId,
    String donorEmail,
    long amount,
    String currency,
    Frequency frequency,
    Instant paidAt,
    boolean recovered) {}
