package org.newsroom.membership.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.Ledger;
import org.newsroom.membership.donations.RecurringStatus;

class StripeEventProcessorTest {

  @Test
  void subscriptionOfTheCurrentApiVersionReadsItsPeriodFromTheItem() {
    Ledger.SubscriptionState state =
        StripeEventProcessor.stateOf(
            JsonParser.parseString(
                    "{\"id\":\"sub_1\",\"customer\":{\"id\":\"cus_1\"},\"status\":\"active\","
                        + "\"cancel_at_period_end\":true,\"start_date\":100,"
                        + "\"pause_collection\":{\"behavior\":\"void\",\"resumes_at\":500},"
                        + "\"metadata\":{\"memberId\":\"6f1c2a3e-1111-4222-8333-944455556666\"},"
                        + "\"items\":{\"data\":[{\"current_period_end\":900,\"price\":"
                        + "{\"unit_amount\":1200,\"currency\":\"eur\","
                        + "\"recurring\":{\"interval\":\"year\"}}}]}}")
                .getAsJsonObject());
    assertThat(state.customerId()).isEqualTo("cus_1");
    assertThat(state.status()).isEqualTo(RecurringStatus.PAUSED);
    assertThat(state.frequency()).isEqualTo(Frequency.ANNUAL);
    assertThat(state.amount()).isEqualTo(1200);
    assertThat(state.currency()).isEqualTo("EUR");
    assertThat(state.currentPeriodEnd()).isEqualTo(Instant.ofEpochSecond(900));
    assertThat(state.resumesOn()).isEqualTo(Instant.ofEpochSecond(500));
    assertThat(state.cancelAtPeriodEnd()).isTrue();
    assertThat(state.memberId()).hasToString("6f1c2a3e-1111-4222-8333-944455556666");
  }

  @Test
  void stripeStatusesMapToOurs() {
    assertThat(status("past_due")).isEqualTo(RecurringStatus.PAST_DUE);
    assertThat(status("unpaid")).isEqualTo(RecurringStatus.PAST_DUE);
    assertThat(status("incomplete_expired")).isEqualTo(RecurringStatus.CANCELED);
    assertThat(status("incomplete")).isEqualTo(RecurringStatus.INCOMPLETE);
    assertThat(status("trialing")).isEqualTo(RecurringStatus.ACTIVE);
  }

  private static RecurringStatus status(String stripe) {
    return StripeEventProcessor.stateOf(
            JsonParser.parseString(
                    "{\"id\":\"sub_1\",\"status\":\"" + stripe + "\",\"currency\":\"gbp\"}")
                .getAsJsonObject())
        .status();
  }
}
