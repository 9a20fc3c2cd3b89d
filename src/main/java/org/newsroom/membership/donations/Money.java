package org.newsroom.membership.donations;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule for money in minor units, used by validation, mails, reports and (through the
 * exponent the API serves) the pages: the exponent Stripe uses for the currency. Stripe's
 * zero-decimal currencies have none (JPY 1250 is ¥1250), ISK is sent to Stripe with two decimals
 * although it has none in ISO 4217, and everything else follows ISO 4217 (three for BHD, KWD, ...).
 * Stripe also refuses some amounts that are valid minor units: three-decimal currencies must end in
 * 0, and ISK amounts must be whole krónur (a multiple of 100).
 *
 * <p>An instance is an amount in minor units with its currency: what a payment or a recurring
 * contribution is for, never one without the other.
 */
@Embeddable
public class Money {

  /** https://docs.stripe.com/currencies#zero-decimal */
  private static final Set<String> STRIPE_ZERO_DECIMAL =
      Set.of(
          "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
          "XAF", "XOF", "XPF");

  /** Stripe keeps two decimals in the API for these although ISO 4217 has none. */
  private static final Set<String> STRIPE_TWO_DECIMAL_EXCEPTIONS = Set.of("ISK");

  @Column(name = "amount")
  private long minor;

  private String currency;

  protected Money() {}

  private Money(long minor, String currency) {
    this.minor = minor;
    this.currency = currency;
  }

  /** An amount in the currency's minor units (Stripe's exponent, see {@link #exponent}). */
  public static Money of(long minor, String currency) {
    return new Money(minor, currency);
  }

  public long minor() {
    return minor;
  }

  public String currency() {
    return currency;
  }

  /** For a reader: "12.50 GBP". */
  public String display() {
    return display(minor, currency);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Money m && minor == m.minor && currency.equals(m.currency);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(minor) * 31 + currency.hashCode();
  }

  @Override
  public String toString() {
    return display();
  }

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

  /** For a reader: "12.50 GBP", "1250 JPY", "1.250 KWD". */
  public static String display(long minor, String currency) {
    return decimal(minor, currency) + " " + currency.trim().toUpperCase(Locale.ROOT);
  }

  /**
   * The step a chargeable amount must be a multiple of, in minor units: 10 for three-decimal
   * currencies (Stripe's partners need the last digit 0), 100 for ISK (whole krónur), else 1.
   */
  public static long step(String currency) {
    String code = currency.trim().toUpperCase(Locale.ROOT);
    if (STRIPE_TWO_DECIMAL_EXCEPTIONS.contains(code)) {
      return 100;
    }
    return exponent(code) == 3 ? 10 : 1;
  }
}
