package org.newsroom.membership.reports;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * Minor units as major-unit decimals, with the exponent Stripe uses for the currency: Stripe's
 * zero-decimal currencies have none (JPY 1250 is ¥1250), ISK is sent to Stripe with two decimals
 * although it has none in ISO 4217, and everything else follows ISO 4217 (three for BHD, KWD, ...).
 */
public final class Money {

  /** https://docs.stripe.com/currencies#zero-decimal */
  private static final Set<String> STRIPE_ZERO_DECIMAL =
      Set.of(
          "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
          "XAF", "XOF", "XPF");

  /** Stripe keeps two decimals in the API for these although ISO 4217 has none. */
  private static final Set<String> STRIPE_TWO_DECIMAL_EXCEPTIONS = Set.of("ISK");

  private Money() {}

  public static int exponent(String currency) {
    String code = currency.trim().toUpperCase(Locale.ROOT);
    if (STRIPE_ZERO_DECIMAL.contains(code)) {
      return 0;
    }
    if (STRIPE_TWO_DECIMAL_EXCEPTIONS.contains(code)) {
      return 2;
    }
    try {
      int digits = Currency.getInstance(code).getDefaultFractionDigits();
      return digits < 0 ? 2 : digits;
    } catch (IllegalArgumentException unknown) {
      return 2;
    }
  }

  /** 1250 GBP is 12.50, 1250 JPY is 1250, -5 GBP is -0.05. */
  public static BigDecimal major(long minor, String currency) {
    return BigDecimal.valueOf(minor, exponent(currency));
  }

  public static String decimal(long minor, String currency) {
    return major(minor, currency).toPlainString();
  }
}
