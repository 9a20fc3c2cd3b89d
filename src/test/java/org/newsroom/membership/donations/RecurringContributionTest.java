package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The rules a recurring contribution keeps, whichever way its state reaches it. */
class RecurringContributionTest {

  private static RecurringContribution monthly() {
    return new RecurringContribution("sub_unit", 500, "GBP", Frequency.MONTHLY);
  }

  @Test
  void aLateIncompleteFromTheSubscriptionsCreationNeverUndoesItsActivation() {
    RecurringContribution c = monthly();
    c.applyStripeState(StripeSays.status(RecurringStatus.ACTIVE));
    c.applyStripeState(StripeSays.status(RecurringStatus.INCOMPLETE));
    assertThat(c.status()).isEqualTo(RecurringStatus.ACTIVE);
  }

  @Test
  void stripeCancellingWhileRenewalsFailEndsTheGiftUnpaidOnce() {
    RecurringContribution c = monthly();
    c.applyStripeState(StripeSays.status(RecurringStatus.ACTIVE));
    c.pastDue();
    c.unpaid();
    assertThat(c.applyStripeState(StripeSays.status(RecurringStatus.CANCELED))).isTrue();
    assertThat(c.applyStripeState(StripeSays.status(RecurringStatus.CANCELED)))
        .as("already ended")
        .isFalse();
  }

  @Test
  void aCancellationWithNoFailedRenewalIsNotAnUnpaidEnding() {
    RecurringContribution c = monthly();
    c.applyStripeState(StripeSays.status(RecurringStatus.ACTIVE));
    assertThat(c.applyStripeState(StripeSays.status(RecurringStatus.CANCELED))).isFalse();
  }

  @Test
  void aPauseEndsWithAResumeOrWithStripeSayingAnythingButPaused() {
    RecurringContribution c = monthly();
    c.applyStripeState(StripeSays.status(RecurringStatus.ACTIVE));
    c.pauseUntil(LocalDate.of(2027, 3, 1));
    assertThat(c.status()).isEqualTo(RecurringStatus.PAUSED);
    assertThat(c.resumesOn()).isEqualTo(OffsetDateTime.of(2027, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    c.resume();
    assertThat(c.status()).isEqualTo(RecurringStatus.ACTIVE);
    assertThat(c.resumesOn()).isNull();

    c.pauseUntil(LocalDate.of(2027, 3, 1));
    c.applyStripeState(StripeSays.status(RecurringStatus.PAST_DUE));
    assertThat(c.resumesOn()).isNull();
  }

  @Test
  void resumingAGiftThatIsNotPausedOnlyForgetsItsResumeDate() {
    RecurringContribution c = monthly();
    c.pastDue();
    c.resume();
    assertThat(c.status()).isEqualTo(RecurringStatus.PAST_DUE);
  }

  @Test
  void aNewAmountAloneIsChargedAtOnceAndANewFrequencyWaitsForThePeriodEnd() {
    RecurringContribution c = monthly();
    c.changePrice(800, Frequency.MONTHLY, null);
    assertThat(c.amount().minor()).isEqualTo(800);
    assertThat(c.pendingAmount()).isNull();

    OffsetDateTime periodEnd = OffsetDateTime.of(2027, 1, 5, 0, 0, 0, 0, ZoneOffset.UTC);
    c.changePrice(9000, Frequency.ANNUAL, periodEnd);
    assertThat(c.amount().minor()).as("nothing charged now").isEqualTo(800);
    assertThat(c.pendingAmount()).isEqualTo(9000);
    assertThat(c.pendingFrequency()).isEqualTo(Frequency.ANNUAL);
    assertThat(c.pendingFrom()).isEqualTo(periodEnd);

    // Stripe charges the new price at the period end: the change is done.
    c.applyStripeState(StripeSays.price(9000, Frequency.ANNUAL));
    assertThat(c.frequency()).isEqualTo(Frequency.ANNUAL);
    assertThat(c.pendingFrequency()).isNull();
  }

  @Test
  void theStartIsTheFirstOneStripeGivesAndCancelAtPeriodEndFollowsStripe() {
    RecurringContribution c = monthly();
    Instant first = Instant.parse("2026-01-05T10:00:00Z");
    c.applyStripeState(StripeSays.state(RecurringStatus.ACTIVE, null, null, first, null));
    c.applyStripeState(
        StripeSays.state(
            RecurringStatus.ACTIVE, null, null, Instant.parse("2026-06-05T10:00:00Z"), null));
    assertThat(c.startedAt().toInstant()).isEqualTo(first);

    c.cancelAtPeriodEnd("moving abroad");
    assertThat(c.cancelAtPeriodEnd()).isTrue();
    assertThat(c.cancelReason()).isEqualTo("moving abroad");
    c.applyStripeState(StripeSays.state(null, null, null, null, false));
    assertThat(c.cancelAtPeriodEnd()).as("undone in the billing portal").isFalse();
  }
}
