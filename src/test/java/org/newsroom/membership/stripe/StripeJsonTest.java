package org.newsroom.membership.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StripeJsonTest {

  @Test
  void nestingIsCountedWithoutParsingAndBracketsInStringsDoNotCount() {
    assertThat(StripeJson.nestedDeeperThan("{\"a\":[{\"b\":1}]}", 3)).isFalse();
    assertThat(StripeJson.nestedDeeperThan("{\"a\":[{\"b\":[1]}]}", 3)).isTrue();
    assertThat(StripeJson.nestedDeeperThan("{\"a\":\"[[[[[[\\\"{{{{\"}", 1)).isFalse();
    assertThat(StripeJson.nestedDeeperThan("[".repeat(100_000), StripeJson.MAX_DEPTH)).isTrue();
  }
}
