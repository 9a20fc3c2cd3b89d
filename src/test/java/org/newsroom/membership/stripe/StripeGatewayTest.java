package org.newsroom.membership.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.ApiConnectionException;
import com.stripe.model.Customer;
import com.stripe.net.ApiResource;
import org.junit.jupiter.api.Test;

/** How a Stripe call's answer or failure reaches the rest of the service. */
class StripeGatewayTest {

  @Test
  void aCallsAnswerArrivesAsStripesJson() {
    Customer customer =
        ApiResource.GSON.fromJson("{\"id\":\"cus_1\",\"object\":\"customer\"}", Customer.class);

    assertThat(StripeGateway.callRaw(() -> customer).get("id").getAsString()).isEqualTo("cus_1");
  }

  @Test
  void anUnreachableStripeIsUnavailableNotAnError() {
    assertThatThrownBy(
            () ->
                StripeGateway.callRaw(
                    () -> {
                      throw new ApiConnectionException("timed out");
                    }))
        .isInstanceOf(StripeUnavailable.class);
  }
}
