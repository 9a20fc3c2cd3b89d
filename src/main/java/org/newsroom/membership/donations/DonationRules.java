package org.newsroom.membership.donations;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.ProblemException;

/**
 * The accepted currencies and the smallest and largest amount for each, in minor units, from {@code
 * donations.currencies}: entries {@code CODE} or {@code CODE:min:max}, comma-separated; a bare code
 * takes {@code donations.default-min-amount} and {@code donations.default-max-amount}.
 */
@ApplicationScoped
public class DonationRules {

  public record Limits(long min, long max) {}

  @Inject
  @ConfigProperty(name = "donations.currencies")
  List<String> currencies;

  @Inject
  @ConfigProperty(name = "donations.default-min-amount")
  long defaultMin;

  @Inject
  @ConfigProperty(name = "donations.default-max-amount")
  long defaultMax;

  private Map<String, Limits> limits;

  private List<Accepted> accepted;

  /** A currency the support page may offer: its limits and Stripe's exponent ({@link Money}). */
  public record Accepted(String code, int currencyDecimals, long minAmount, long maxAmount) {}

  @PostConstruct
  void init() {
    limits = parse(currencies, defaultMin, defaultMax);
    accepted =
        currencies.stream()
            .map(entry -> entry.trim().split(":")[0].trim().toUpperCase(Locale.ROOT))
            .filter(code -> !code.isBlank())
            .distinct()
            .map(
                code ->
                    new Accepted(
                        code, Money.exponent(code), limits.get(code).min(), limits.get(code).max()))
            .toList();
  }

  /** The accepted currencies in their configured order. */
  public List<Accepted> accepted() {
    return accepted;
  }

  static Map<String, Limits> parse(List<String> entries, long defaultMin, long defaultMax) {
    Map<String, Limits> parsed = new LinkedHashMap<>();
    for (String entry : entries) {
      String[] parts = entry.trim().split(":");
      if (parts[0].isBlank()) {
        continue;
      }
      String code = parts[0].trim().toUpperCase(Locale.ROOT);
      long min = parts.length > 1 ? Long.parseLong(parts[1].trim()) : defaultMin;
      long max = parts.length > 2 ? Long.parseLong(parts[2].trim()) : defaultMax;
      parsed.put(code, new Limits(min, max));
    }
    return Map.copyOf(parsed);
  }

  /**
   * The one amount rule of checkout and of a contribution's change: an accepted currency, and an
   * amount within its limits. Throws a validation problem naming the field that is wrong.
   */
  public void requireAccepted(String currency, long amount) {
    Limits limits =
        limitsOf(currency)
            .orElseThrow(
                () -> ProblemException.validation("currency", "is not a currency we accept"));
    if (amount < limits.min() || amount > limits.max()) {
      throw ProblemException.validation(
          "amount",
          "must be between "
              + limits.min()
              + " and "
              + limits.max()
              + " (minor units of "
              + currency.toUpperCase(Locale.ROOT)
              + ", "
              + Money.display(limits.min(), currency)
              + " to "
              + Money.display(limits.max(), currency)
              + ")");
    }
    if (amount % Money.step(currency) != 0) {
      throw ProblemException.validation(
          "amount",
          "must be a multiple of " + Money.step(currency) + " minor units in " + currency);
    }
  }

  public Optional<Limits> limitsOf(String currency) {
    return currency == null
        ? Optional.empty()
        : Optional.ofNullable(limits.get(currency.toUpperCase(Locale.ROOT)));
  }
}
