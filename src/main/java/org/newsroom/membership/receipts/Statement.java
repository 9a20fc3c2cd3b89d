package org.newsroom.membership.receipts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A reader's annual giving statement: every successful payment of the calendar year (in the
 * statement's zone), with what was refunded, and per currency what was given, refunded and kept.
 * Money in minor units; {@code currencyDecimals} is {@code donations.Money}'s exponent.
 */
public record Statement(
    int year,
    String zone,
    String donorName,
    String donorEmail,
    Organisation organisation,
    List<Line> payments,
    List<Total> totals,
    Instant issuedAt) {

  public record Line(
      UUID paymentId,
      Instant paidAt,
      String frequency,
      long amount,
      long refunded,
      long kept,
      String currency,
      int currencyDecimals) {}

  public record Total(
      String currency, int currencyDecimals, int count, long given, long refunded, long kept) {}

  ZoneId zoneId() {
    return ZoneId.of(zone);
  }
}
