package org.newsroom.membership.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadRedactionTest {

  private static final String CHECKOUT =
      "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{"
          + "\"id\":\"cs_1\",\"object\":\"checkout.session\",\"customer\":\"cus_1\","
          + "\"amount_total\":1500,\"currency\":\"gbp\",\"metadata\":{\"memberId\":\"m-1\","
          + "\"note\":\"Ada@Example.org\"},\"customer_details\":{\"email\":\"ada@example.org\","
          + "\"name\":\"Ada Lovelace\",\"address\":{\"line1\":\"12 St James's Square\"}},"
          + "\"payment_method_details\":{\"card\":{\"last4\":\"4242\",\"exp_month\":12}},"
          + "\"cancellation_details\":{\"comment\":\"moving to Ravenna\",\"reason\":null}}}}";

  @Test
  void personalFieldsGoAndIdsAndAmountsStay() {
    String redacted = PayloadRedaction.redact(CHECKOUT, "ada@example.org");

    assertThat(redacted)
        .doesNotContain("ada@example.org", "Ada@Example.org", "Ada Lovelace", "St James")
        .doesNotContain("4242", "Ravenna");
    assertThat(redacted)
        .contains(
            "\"id\":\"evt_1\"",
            "\"id\":\"cs_1\"",
            "\"customer\":\"cus_1\"",
            "\"amount_total\":1500",
            "\"currency\":\"gbp\"",
            "\"memberId\":\"m-1\"");
  }

  @Test
  void withoutAnEmailOnlyTheNamedFieldsGo() {
    String redacted = PayloadRedaction.redact(CHECKOUT, null);

    assertThat(redacted).doesNotContain("ada@example.org", "Ada Lovelace").contains("cus_1");
  }

  @Test
  void theCustomerOfAnEventIsFoundWhetherItIsTheObjectOrNamedByIt() {
    assertThat(PayloadRedaction.customerOf(CHECKOUT)).isEqualTo("cus_1");
    assertThat(
            PayloadRedaction.customerOf(
                "{\"data\":{\"object\":{\"id\":\"cus_9\",\"object\":\"customer\"}}}"))
        .isEqualTo("cus_9");
    assertThat(PayloadRedaction.customerOf("{\"data\":{\"object\":{\"id\":\"po_1\"}}}")).isNull();
    assertThat(PayloadRedaction.customerOf("not json")).isNull();
  }
}
