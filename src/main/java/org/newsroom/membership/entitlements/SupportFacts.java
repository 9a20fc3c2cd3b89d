package org.newsroom.membership.entitlements;

import java.time.Instant;
import java.util.List;

/**
 * What the supporter rule needs to know about a member's giving, and nothing more. Donations
 * supplies it from its own tables; the rule never reads them.
 */
public record SupportFacts(List<Recurring> recurring, List<OneOff> oneOffs) {

  public static final SupportFacts NONE = new SupportFacts(List.of(), List.of());

  /** One recurring contribution (a Stripe subscription). */
  public record Recurring(
      String frequency,
      RecurringStatus status,
      boolean cancelAtPeriodEnd,
      Instant currentPeriodEnd,
      Instant startedAt) {}

  /**
   * One one-off payment; {@code stillCounts} is false once it is fully refunded or lost to a
   * dispute.
   */
  public record OneOff(Instant paidAt, boolean stillCounts) {}

  public enum RecurringStatus {
    INCOMPLETE,
    ACTIVE,
    PAST_DUE,
    PAUSED,
    CANCELED
  }
}
