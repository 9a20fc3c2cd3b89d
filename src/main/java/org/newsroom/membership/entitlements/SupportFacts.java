package org.newsroom.membership.entitlements;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the supporter rule needs to know about a member's giving, and nothing more. Donations
 * supplies it from its own tables through {@link Source}; the rule never reads them, and
 * entitlements never imports donations (donations sits above it).
 */
public record SupportFacts(List<Recurring> recurring, List<OneOff> oneOffs) {

  public static final SupportFacts NONE = new SupportFacts(List.of(), List.of());

  /** Where the facts come from: implemented by donations ({@code donations.SupportHistory}). */
  public interface Source {

    SupportFacts factsOf(UUID memberId);
  }

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

  /**
   * The rule's view of a recurring contribution's status, declared in the order the rule prefers
   * when it shows one of several. Donations maps its own {@code RecurringStatus} onto it with an
   * exhaustive switch, so a status added there fails to compile until someone decides here whether
   * it makes a supporter.
   */
  public enum RecurringStatus {
    ACTIVE(true),
    PAST_DUE(true),
    PAUSED(true),
    INCOMPLETE(false),
    CANCELED(false);

    private final boolean makesSupporter;

    RecurringStatus(boolean makesSupporter) {
      this.makesSupporter = makesSupporter;
    }

    /** Whether a contribution in this status makes its member a supporter (while it runs). */
    public boolean makesSupporter() {
      return makesSupporter;
    }
  }
}
