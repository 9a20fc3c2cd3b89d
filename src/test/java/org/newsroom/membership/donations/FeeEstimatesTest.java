package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeeEstimatesTest {

  private static final FeeEstimates.Rule GBP = new FeeEstimates.Rule(new BigDecimal("1.5"), 20);

  @Test
  void theFeeGrossesTheGiftUpSoThatWhatIsLeftIsAtLeastTheGift() {
    // 1036 - (1.5% of 1036 + 20) = 1000.46: the newsroom receives the whole £10.00.
    assertThat(FeeEstimates.fee(GBP, "GBP", 1000)).isEqualTo(36);
    for (long gift = 100; gift <= 1_000_000; gift += 997) {
      long total = gift + FeeEstimates.fee(GBP, "GBP", gift);
      BigDecimal left =
          BigDecimal.valueOf(total)
              .subtract(new BigDecimal("0.015").multiply(BigDecimal.valueOf(total)))
              .subtract(BigDecimal.valueOf(20));
      assertThat(left).as("gift " + gift).isGreaterThanOrEqualTo(BigDecimal.valueOf(gift));
      // and never more than a minor unit over what is needed
      BigDecimal oneLess =
          BigDecimal.valueOf(total - 1)
              .subtract(new BigDecimal("0.015").multiply(BigDecimal.valueOf(total - 1)))
              .subtract(BigDecimal.valueOf(20));
      assertThat(oneLess).as("gift " + gift).isLessThan(BigDecimal.valueOf(gift));
    }
  }

  @Test
  void theTotalIsAChargeableAmountInItsCurrency() {
    FeeEstimates.Rule rule = new FeeEstimates.Rule(new BigDecimal("2.9"), 0);
    assertThat((1000 + FeeEstimates.fee(rule, "KWD", 1000)) % 10).isZero();
    assertThat((10_000 + FeeEstimates.fee(rule, "ISK", 10_000)) % 100).isZero();
    assertThat(FeeEstimates.fee(rule, "JPY", 1000)).isEqualTo(30);
  }

  @Test
  void configurationIsPerCurrencyAndRefusesNonsense() {
    assertThat(FeeEstimates.parse(List.of("gbp:1.5:20", " USD:2.9:30", "EUR")))
        .containsEntry("GBP", GBP)
        .containsEntry("USD", new FeeEstimates.Rule(new BigDecimal("2.9"), 30))
        .containsEntry("EUR", new FeeEstimates.Rule(BigDecimal.ZERO, 0));
    assertThatThrownBy(() -> FeeEstimates.parse(List.of("GBP:-1:20")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeeEstimates.parse(List.of("GBP:60:20")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
