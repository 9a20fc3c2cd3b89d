package org.newsroom.membership.entitlements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.entitlements.SupportFacts.OneOff;
import org.newsroom.membership.entitlements.SupportFacts.Recurring;
import org.newsroom.membership.entitlements.SupportFacts.RecurringStatus;

class SupporterRuleTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private final SupporterRule rule = new SupporterRule(Duration.ofDays(365), Duration.ofDays(90));

  private SupporterRule.Verdict judge(List<Recurring> recurring, List<OneOff> gifts) {
    return rule.apply(new SupportFacts(recurring, gifts), NOW);
  }

  private static Recurring recurring(RecurringStatus status) {
    return new Recurring(
        "MONTHLY", status, false, NOW.plus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(40)));
  }

  @Test
  void nobodyWithoutGivingIsASupporterAndSeesTheAsk() {
    SupporterRule.Verdict verdict = judge(List.of(), List.of());
    assertThat(verdict.supporter()).isFalse();
    assertThat(verdict.showSupportAsk()).isTrue();
    assertThat(verdict.validUntil()).isNull();
  }

  @Nested
  class RecurringContributions {

    @Test
    void activePastDueAndPausedOnesMakeASupporter() {
      for (RecurringStatus status :
          List.of(RecurringStatus.ACTIVE, RecurringStatus.PAST_DUE, RecurringStatus.PAUSED)) {
        SupporterRule.Verdict verdict = judge(List.of(recurring(status)), List.of());
        assertThat(verdict.supporter()).as(status.name()).isTrue();
        assertThat(verdict.showSupportAsk()).as(status.name()).isFalse();
        assertThat(verdict.supporterSince()).isEqualTo(NOW.minus(Duration.ofDays(40)));
      }
    }

    @Test
    void incompleteAndCancelledOnesDoNot() {
      for (RecurringStatus status : List.of(RecurringStatus.INCOMPLETE, RecurringStatus.CANCELED)) {
        assertThat(judge(List.of(recurring(status)), List.of()).supporter())
            .as(status.name())
            .isFalse();
      }
    }

    @Test
    void pastDueAsksTheReaderToFixTheirCard() {
      assertThat(judge(List.of(recurring(RecurringStatus.PAST_DUE)), List.of()).paymentFailed())
          .isTrue();
      assertThat(judge(List.of(recurring(RecurringStatus.ACTIVE)), List.of()).paymentFailed())
          .isFalse();
    }

    @Test
    void cancelledAtPeriodEndCountsUntilThePeriodEndsAndNotAfter() {
      Recurring endsTomorrow =
          new Recurring("ANNUAL", RecurringStatus.ACTIVE, true, NOW.plus(DAY), NOW.minus(DAY));
      Recurring endedYesterday =
          new Recurring("ANNUAL", RecurringStatus.ACTIVE, true, NOW.minus(DAY), NOW.minus(DAY));
      SupporterRule.Verdict stillRunning = judge(List.of(endsTomorrow), List.of());
      assertThat(stillRunning.supporter()).isTrue();
      assertThat(stillRunning.validUntil()).isEqualTo(NOW.plus(DAY));
      assertThat(judge(List.of(endedYesterday), List.of()).supporter()).isFalse();
    }

    @Test
    void theActiveOneIsShownBeforeAPausedOne() {
      SupporterRule.Verdict verdict =
          judge(
              List.of(recurring(RecurringStatus.PAUSED), recurring(RecurringStatus.ACTIVE)),
              List.of());
      assertThat(verdict.recurring().status()).isEqualTo(RecurringStatus.ACTIVE);
    }
  }

  @Nested
  class OneOffGifts {

    @Test
    void aGiftADayInsideTheWindowCountsAndADayOutsideDoesNot() {
      OneOff inside = new OneOff(NOW.minus(Duration.ofDays(364)), true);
      OneOff outside = new OneOff(NOW.minus(Duration.ofDays(366)), true);
      SupporterRule.Verdict counted = judge(List.of(), List.of(inside));
      assertThat(counted.supporter()).isTrue();
      assertThat(counted.validUntil()).isEqualTo(NOW.plus(DAY));
      assertThat(judge(List.of(), List.of(outside)).supporter()).isFalse();
    }

    @Test
    void aFullyRefundedOrLostGiftDoesNotCount() {
      OneOff refunded = new OneOff(NOW.minus(DAY), false);
      SupporterRule.Verdict verdict = judge(List.of(), List.of(refunded));
      assertThat(verdict.supporter()).isFalse();
      assertThat(verdict.showSupportAsk()).isTrue();
    }

    @Test
    void theAskStaysHiddenForTheQuietPeriodAfterAGift() {
      SupporterRule shortWindow = new SupporterRule(Duration.ofDays(30), Duration.ofDays(90));
      OneOff gift89DaysAgo = new OneOff(NOW.minus(Duration.ofDays(89)), true);
      OneOff gift91DaysAgo = new OneOff(NOW.minus(Duration.ofDays(91)), true);
      SupporterRule.Verdict quiet =
          shortWindow.apply(new SupportFacts(List.of(), List.of(gift89DaysAgo)), NOW);
      assertThat(quiet.supporter()).isFalse();
      assertThat(quiet.showSupportAsk()).isFalse();
      assertThat(quiet.validUntil()).isEqualTo(NOW.plus(DAY));
      SupporterRule.Verdict askAgain =
          shortWindow.apply(new SupportFacts(List.of(), List.of(gift91DaysAgo)), NOW);
      assertThat(askAgain.showSupportAsk()).isTrue();
    }

    @Test
    void supporterSinceIsTheEarliestGiftStillCounting() {
      SupporterRule.Verdict verdict =
          judge(
              List.of(),
              List.of(
                  new OneOff(NOW.minus(Duration.ofDays(10)), true),
                  new OneOff(NOW.minus(Duration.ofDays(100)), true)));
      assertThat(verdict.supporterSince()).isEqualTo(NOW.minus(Duration.ofDays(100)));
    }
  }
}
