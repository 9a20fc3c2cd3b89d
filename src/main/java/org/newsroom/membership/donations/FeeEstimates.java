package org.newsroom.membership.donations;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What covering Stripe's fee adds to a gift, from {@code donations.fee-estimates}: entries {@code
 * CODE:percent:fixed} (fixed in minor units), comma-separated; a currency not listed takes {@code
 * donations.fee-default-percent} and no fixed part. The estimate grosses the gift up so that what
 * is left after a fee of {@code percent} of the total plus {@code fixed} is at least the gift:
 * {@code total = ceil((gift + fixed) / (1 - percent/100))}, rounded up to a chargeable amount. It
 * is an estimate: Stripe's real fee depends on the card (international, premium) and is what the
 * exports report.
 */
@ApplicationScoped
public class FeeEstimates {

  public record Rule(BigDecimal percent, long fixed) {}

  public record Estimate(
      long amount, String currency, long fee, long total, int currencyDecimals) {}

  @Inject
  @ConfigProperty(name = "donations.fee-estimates")
  List<String> entries;

  @Inject
  @ConfigProperty(name = "donations.fee-default-percent")
  BigDecimal defaultPercent;

  private Map<String, Rule> rules;

  @PostConstruct
  void init() {
    rules = parse(entries);
  }

  static Map<String, Rule> parse(List<String> entries) {
    Map<String, Rule> parsed = new LinkedHashMap<>();
    for (String entry : entries) {
      String[] parts = entry.trim().split(":");
      if (parts[0].isBlank()) {
        continue;
      }
      BigDecimal percent = new BigDecimal(parts.length > 1 ? parts[1].trim() : "0");
      long fixed = parts.length > 2 ? Long.parseLong(parts[2].trim()) : 0;
      if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(50)) >= 0 || fixed < 0) {
        throw new IllegalArgumentException(
            "donations.fee-estimates: " + entry + " is not sensible");
      }
      parsed.put(parts[0].trim().toUpperCase(Locale.ROOT), new Rule(percent, fixed));
    }
    return Map.copyOf(parsed);
  }

  public Rule ruleOf(String currency) {
    return rules.getOrDefault(currency.toUpperCase(Locale.ROOT), new Rule(defaultPercent, 0));
  }

  public Estimate estimate(String currency, long amount) {
    String code = currency.toUpperCase(Locale.ROOT);
    long fee = fee(ruleOf(code), code, amount);
    return new Estimate(amount, code, fee, amount + fee, Money.exponent(code));
  }

  static long fee(Rule rule, String currency, long amount) {
    BigDecimal keep = BigDecimal.ONE.subtract(rule.percent().movePointLeft(2));
    long total =
        BigDecimal.valueOf(amount + rule.fixed())
            .divide(keep, 0, RoundingMode.CEILING)
            .longValueExact();
    long step = Money.step(currency);
    total = (total + step - 1) / step * step;
    return total - amount;
  }
}
