package org.newsroom.membership.donations;

import java.time.Instant;

/** What Stripe tells the ledger about a subscription in the plain unit tests; the rest unknown. */
final class StripeSays {

  private StripeSays() {}

  static Ledger.SubscriptionState status(RecurringStatus status) {
    return state(status, null, null, null, null);
  }

  static Ledger.SubscriptionState renewsOn(RecurringStatus status, String day) {
    return state(status, Instant.parse(day + "T00:00:00Z"), null, null, null);
  }

  static Ledger.SubscriptionState state(
      RecurringStatus status,
      Instant periodEnd,
      Instant resumesOn,
      Instant startedAt,
      Boolean cancelAtPeriodEnd) {
    return new Ledger.SubscriptionState(
        "sub_unit",
        null,
        null,
        null,
        null,
        null,
        null,
        status,
        cancelAtPeriodEnd,
        periodEnd,
        resumesOn,
        startedAt,
        null);
  }

  static Ledger.SubscriptionState price(long amount, Frequency frequency) {
    return new Ledger.SubscriptionState(
        "sub_unit", null, null, null, amount, "GBP", frequency, null, null, null, null, null, null);
  }
}
