package org.newsroom.membership.donations;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What readers see of their giving (API.md, Donations), and what the data export, guest data and
 * support desk show of it: one view, so an export holds all that the reader sees. Beside the
 * contract's fields each view carries {@code currencyDecimals}, Stripe's exponent for its currency
 * ({@link Money}), so that pages show and parse amounts by the one rule instead of assuming two
 * decimals.
 */
public final class ContributionViews {

  private ContributionViews() {}

  /** Every field is present, null or not: the contract lists them all. */
  @jakarta.json.bind.annotation.JsonbNillable
  public record RecurringView(
      UUID id,
      long amount,
      String currency,
      Frequency frequency,
      RecurringStatus status,
      boolean cancelAtPeriodEnd,
      Instant currentPeriodEnd,
      LocalDate resumesOn,
      Instant startedAt,
      int currencyDecimals,
      Instant changeFrom,
      Long amountUntilThen,
      Frequency frequencyUntilThen,
      long coveredFee,
      String cancelReason) {

    /**
     * A change scheduled for the period end shows as the amount and frequency from {@code
     * changeFrom} on, with what is charged until then beside it (all three null when none).
     */
    static RecurringView of(RecurringContribution c) {
      boolean pending = c.pendingFrequency() != null;
      return new RecurringView(
          c.id(),
          c.upcomingAmount().minor(),
          c.amount().currency(),
          pending ? c.pendingFrequency() : c.frequency(),
          c.status(),
          c.cancelAtPeriodEnd(),
          instant(c.currentPeriodEnd()),
          c.resumesOn() == null ? null : c.resumesOn().toLocalDate(),
          instant(c.startedAt()),
          Money.exponent(c.amount().currency()),
          pending ? instant(c.pendingFrom()) : null,
          pending ? c.amount().minor() : null,
          pending ? c.frequency() : null,
          c.coveredFee(),
          c.cancelReason());
    }
  }

  @jakarta.json.bind.annotation.JsonbNillable
  public record PaymentView(
      UUID id,
      long amount,
      String currency,
      Frequency frequency,
      Payment.Status status,
      long refundedAmount,
      Instant paidAt,
      int currencyDecimals,
      long coveredFee) {

    static PaymentView of(Payment p) {
      return new PaymentView(
          p.id(),
          p.amount().minor(),
          p.amount().currency(),
          p.frequency(),
          p.status(),
          p.refundedAmount(),
          instant(p.paidAt()),
          Money.exponent(p.amount().currency()),
          p.coveredFee());
    }
  }

  /** One checkout the member started, completed or not. */
  @jakarta.json.bind.annotation.JsonbNillable
  public record CheckoutAttemptView(
      UUID id,
      long amount,
      String currency,
      String frequency,
      String donorEmail,
      String checkoutSessionId,
      Instant createdAt) {}

  public record Overview(List<RecurringView> recurring, List<PaymentView> payments) {}

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
