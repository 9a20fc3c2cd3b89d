package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DonationRulesTest {

  @Test
  void currenciesCarryTheirOwnLimitsOrTheDefaults() {
    Map<String, DonationRules.Limits> limits =
        DonationRules.parse(List.of(" gbp:100:50000", "USD", "", "eur:200:9000"), 100, 1_000_000);
    assertThat(limits)
        .containsEntry("GBP", new DonationRules.Limits(100, 50_000))
        .containsEntry("USD", new DonationRules.Limits(100, 1_000_000))
        .containsEntry("EUR", new DonationRules.Limits(200, 9_000))
        .hasSize(3);
  }
}
