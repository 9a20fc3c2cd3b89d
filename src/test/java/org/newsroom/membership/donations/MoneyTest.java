package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void twoDecimalCurrenciesKeepTrailingZeros() {
    assertThat(Money.decimal(1250, "GBP")).isEqualTo("12.50");
    assertThat(Money.decimal(5, "EUR")).isEqualTo("0.05");
    assertThat(Money.decimal(-1250, "USD")).isEqualTo("-12.50");
    assertThat(Money.decimal(0, "GBP")).isEqualTo("0.00");
  }

  @Test
  void stripeZeroDecimalCurrenciesHaveNoDecimals() {
    assertThat(Money.decimal(1250, "JPY")).isEqualTo("1250");
    assertThat(Money.decimal(-300, "KRW")).isEqualTo("-300");
    assertThat(Money.decimal(1000, "XOF")).isEqualTo("1000");
  }

  @Test
  void threeDecimalCurrenciesAndStripesIcelandicException() {
    assertThat(Money.decimal(1250, "KWD")).isEqualTo("1.250");
    assertThat(Money.decimal(1250, "ISK")).isEqualTo("12.50");
  }

  @Test
  void readersSeeTheDecimalAndTheCode() {
    assertThat(Money.display(1250, "gbp")).isEqualTo("12.50 GBP");
    assertThat(Money.display(1250, "JPY")).isEqualTo("1250 JPY");
  }

  @Test
  void stripeChargesThreeDecimalAmountsInTensAndKronurWhole() {
    assertThat(Money.step("KWD")).isEqualTo(10);
    assertThat(Money.step("ISK")).isEqualTo(100);
    assertThat(Money.step("JPY")).isEqualTo(1);
    assertThat(Money.step("GBP")).isEqualTo(1);
  }
}
