package org.newsroom.membership.entitlements;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.newsroom.membership.entitlements.SupportFacts.RecurringStatus;

/**
 * The one place that decides who is a supporter and who is shown the support ask (API.md,
 * Entitlements):
 *
 * <ul>
 *   <li>an active, past-due or paused recurring contribution makes a supporter; one cancelled at
 *       period end counts until that period ends;
 *   <li>so does a one-off gift within the window (default 365 days) that is not fully refunded or
 *       lost to a dispute;
 *   <li>the ask is hidden for supporters and for a quiet period (default 90 days) after any one-off
 *       gift.
 * </ul>
 */
public record SupporterRule(Duration oneOffWindow, Duration quietPeriod) {

  /** The answer, and until when it holds if nothing else happens. */
  public record Verdict(
      boolean supporter,
      Instant supporterSince,
      SupportFacts.Recurring recurring,
      boolean showSupportAsk,
      boolean paymentFailed,
      Instant validUntil) {}

  public Verdict apply(SupportFacts facts, Instant now) {
    List<SupportFacts.Recurring> counting =
        facts.recurring().stream().filter(r -> counts(r, now)).toList();
    List<SupportFacts.OneOff> recentGifts =
        facts.oneOffs().stream()
            .filter(SupportFacts.OneOff::stillCounts)
            .filter(g -> now.isBefore(g.paidAt().plus(oneOffWindow)))
            .toList();
    boolean quiet =
        facts.oneOffs().stream()
            .filter(SupportFacts.OneOff::stillCounts)
            .anyMatch(g -> now.isBefore(g.paidAt().plus(quietPeriod)));
    boolean supporter = !counting.isEmpty() || !recentGifts.isEmpty();

    Optional<Instant> since =
        java.util.stream.Stream.concat(
                counting.stream().map(SupportFacts.Recurring::startedAt),
                recentGifts.stream().map(SupportFacts.OneOff::paidAt))
            .filter(java.util.Objects::nonNull)
            .min(Comparator.naturalOrder());
    SupportFacts.Recurring shown =
        counting.stream().min(Comparator.comparing(SupportFacts.Recurring::status)).orElse(null);
    boolean paymentFailed = counting.stream().anyMatch(r -> r.status() == RecurringStatus.PAST_DUE);
    return new Verdict(
        supporter,
        supporter ? since.orElse(null) : null,
        shown,
        !supporter && !quiet,
        paymentFailed,
        nextChange(facts, now));
  }

  private static boolean counts(SupportFacts.Recurring r, Instant now) {
    if (!r.status().makesSupporter()) {
      return false;
    }
    return !(r.cancelAtPeriodEnd()
        && r.currentPeriodEnd() != null
        && !now.isBefore(r.currentPeriodEnd()));
  }

  /** The earliest future moment at which the verdict could change with no new event. */
  private Instant nextChange(SupportFacts facts, Instant now) {
    return java.util.stream.Stream.concat(
            facts.oneOffs().stream()
                .flatMap(
                    g ->
                        java.util.stream.Stream.of(
                            g.paidAt().plus(oneOffWindow), g.paidAt().plus(quietPeriod))),
            facts.recurring().stream()
                .filter(SupportFacts.Recurring::cancelAtPeriodEnd)
                .map(SupportFacts.Recurring::currentPeriodEnd)
                .filter(java.util.Objects::nonNull))
        .filter(now::isBefore)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }
}
