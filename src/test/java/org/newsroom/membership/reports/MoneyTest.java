package org.newsroom.membership.reports;

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
}
