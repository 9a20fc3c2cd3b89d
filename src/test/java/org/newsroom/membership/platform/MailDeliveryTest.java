package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailDeliveryTest {

  @Test
  void aMailServersErrorIsKeptWithoutTheRecipientsAddress() {
    String error =
        MailDelivery.withoutAddress(
            "550 5.1.1 <Ada@Example.org>: Recipient address rejected", "ada@example.org");

    assertThat(error)
        .doesNotContainIgnoringCase("ada@example.org")
        .contains("550 5.1.1 <" + LogIdentifiers.ofEmail("ada@example.org") + ">");
    assertThat(MailDelivery.withoutAddress(null, "ada@example.org")).isNull();
  }
}
