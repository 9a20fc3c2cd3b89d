package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class CardExpiryRuleTest {

  private static final Instant NOW = Instant.parse("2026-12-04T09:00:00Z");
  private static final Duration FORTNIGHT = Duration.ofDays(14);

  private static RecurringContribution renewingOn(String day, YearMonth card) {
    RecurringContribution c = new RecurringContribution("sub_rule", 500, "GBP", Frequency.MONTHLY);
    c.applyStripeState(StripeSays.renewsOn(RecurringStatus.ACTIVE, day));
    c.cardOnFile(card, 100);
    return c;
  }

  @Test
  void aCardThatWorksUntilTheEndOfItsMonthIsFineForARenewalWithinThatMonth() {
    assertThat(renewingOn("2026-12-16", YearMonth.of(2026, 12)).remindOfCardExpiry(NOW, FORTNIGHT))
        .isFalse();
  }

  @Test
  void aCardThatStopsWorkingBeforeTheRenewalIsRemindedOfOncePerRenewal() {
    RecurringContribution c = renewingOn("2027-01-02", YearMonth.of(2026, 12));
    Instant later = NOW.plus(Duration.ofDays(20));
    assertThat(c.remindOfCardExpiry(NOW, FORTNIGHT)).as("29 days ahead: too early").isFalse();
    assertThat(c.remindOfCardExpiry(later, FORTNIGHT)).isTrue();
    assertThat(c.remindOfCardExpiry(later.plusSeconds(3_600), FORTNIGHT)).isFalse();
    c.applyStripeState(StripeSays.renewsOn(RecurringStatus.ACTIVE, "2027-02-02"));
    assertThat(c.remindOfCardExpiry(Instant.parse("2027-01-25T00:00:00Z"), FORTNIGHT))
        .as("the next renewal, still on the expired card")
        .isTrue();
  }

  @Test
  void anOlderFactNeverReplacesANewerCard() {
    RecurringContribution c = renewingOn("2026-12-10", YearMonth.of(2030, 1));
    c.cardOnFile(YearMonth.of(2026, 11), 50);
    assertThat(c.cardExpiry()).isEqualTo(YearMonth.of(2030, 1));
    assertThat(c.remindOfCardExpiry(NOW, FORTNIGHT)).isFalse();
    c.cardOnFile(YearMonth.of(2026, 11), 150);
    assertThat(c.remindOfCardExpiry(NOW, FORTNIGHT)).isTrue();
  }

  @Test
  void onlyAnActiveContributionThatGoesOnIsReminded() {
    RecurringContribution paused = renewingOn("2026-12-10", YearMonth.of(2026, 11));
    paused.pauseUntil(java.time.LocalDate.of(2027, 1, 15));
    assertThat(paused.remindOfCardExpiry(NOW, FORTNIGHT)).isFalse();
    RecurringContribution ending = renewingOn("2026-12-10", YearMonth.of(2026, 11));
    ending.cancelAtPeriodEnd("moving abroad");
    assertThat(ending.remindOfCardExpiry(NOW, FORTNIGHT)).isFalse();
  }
}
