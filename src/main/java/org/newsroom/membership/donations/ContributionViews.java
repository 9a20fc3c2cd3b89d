package org.newsroom.membership.donations;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.entitlements.SupportFacts.RecurringStatus;

/** What readers see of their giving (API.md, Donations). */
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
      Instant startedAt) {

    static RecurringView of(RecurringContribution c) {
      return new RecurringView(
          c.id(),
          c.amount(),
          c.currency(),
          c.frequency(),
          c.status(),
          c.cancelAtPeriodEnd(),
          instant(c.currentPeriodEnd()),
          c.resumesOn() == null ? null : c.resumesOn().toLocalDate(),
          instant(c.startedAt()));
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
      Instant paidAt) {

    static PaymentView of(Payment p) {
      return new PaymentView(
          p.id(),
          p.amount(),
          p.currency(),
          p.frequency(),
          p.status(),
          p.refundedAmount(),
          instant(p.paidAt()));
    }
  }

  /** The data export's view of a contribution: the reader's view plus what else is held. */
  @jakarta.json.bind.annotation.JsonbNillable
  public record RecurringRecord(
      UUID id,
      long amount,
      String currency,
      Frequency frequency,
      RecurringStatus status,
      boolean cancelAtPeriodEnd,
      Instant currentPeriodEnd,
      LocalDate resumesOn,
      Instant startedAt,
      String cancelReason) {

    static RecurringRecord of(RecurringContribution c) {
      RecurringView v = RecurringView.of(c);
      return new RecurringRecord(
          v.id(),
          v.amount(),
          v.currency(),
          v.frequency(),
          v.status(),
          v.cancelAtPeriodEnd(),
          v.currentPeriodEnd(),
          v.resumesOn(),
          v.startedAt(),
          c.cancelReason());
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
