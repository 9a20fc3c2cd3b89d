package org.newsroom.membership.reports;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.newsroom.membership.platform.ProblemException;

/**
 * Per period × currency × frequency: the sums of exactly the rows of the transactions export for
 * the same range and zone ({@link TransactionsExport#MOVEMENTS_IN_RANGE}), so {@code net} always
 * equals the sum of that export's {@code net}. {@code currency} is the settlement currency, the one
 * the money figures are in (see {@link TransactionsExport}). {@code count} is the number of
 * payments; {@code refunds} is money returned (refunds and disputes, less dispute reversals) as a
 * positive figure. New and cancelled recurring contributions are counted by their own currency and
 * frequency on the local day they started or were cancelled.
 *
 * <p>Movements are read through the streaming cursor and folded into one accumulator per group, so
 * memory grows with the number of groups (at most days × currencies × frequencies), never with the
 * number of movements; periods follow the zone's calendar, DST included, which SQL would do
 * differently on each database.
 */
@ApplicationScoped
public class SummaryReport {

  public enum GroupBy {
    DAY,
    MONTH;

    public static GroupBy parse(String value) {
      if (value == null || value.isBlank()) {
        return DAY;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ProblemException.validation("groupBy", "must be day or month");
      }
    }

    String period(Instant at, ZoneId zone) {
      LocalDate day = LocalDate.ofInstant(at, zone);
      return this == DAY ? day.toString() : day.toString().substring(0, 7);
    }
  }

  /**
   * One row of the summary; money in minor units of {@code currency}, whose exponent is {@code
   * currencyDecimals} (JSON only, so the pages need no table of currencies).
   */
  public record Row(
      String period,
      String currency,
      int currencyDecimals,
      String frequency,
      long count,
      long gross,
      long refunds,
      long fees,
      long net,
      long newRecurring,
      long cancelledRecurring) {}

  public record Rows(List<Row> rows) {}

  static final List<String> COLUMNS =
      List.of(
          "period",
          "currency",
          "frequency",
          "count",
          "gross",
          "refunds",
          "fees",
          "net",
          "newRecurring",
          "cancelledRecurring");

  private static final String MOVEMENTS =
      "SELECT mm.occurred_at, mm.type, mm.settlement_currency, p.frequency,"
          + " mm.settlement_amount, mm.fee, mm.net"
          + TransactionsExport.MOVEMENTS_IN_RANGE;

  private static final String RECURRING =
      "SELECT started_at, canceled_at, currency, frequency FROM recurring_contribution"
          + " WHERE (started_at >= ? AND started_at < ?) OR (canceled_at >= ? AND canceled_at < ?)";

  @Inject ReportQueries queries;

  private static final class Sums {
    long count, gross, refunds, fees, net, newRecurring, cancelledRecurring;
  }

  private record Key(String period, String currency, String frequency) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = period.compareTo(o.period);
      if (c == 0) {
        c = currency.compareTo(o.currency);
      }
      return c != 0 ? c : frequency.compareTo(o.frequency);
    }
  }

  public List<Row> rows(ReportRange range, GroupBy groupBy) throws IOException {
    Map<Key, Sums> groups = new TreeMap<>();
    queries.forEach(
        MOVEMENTS,
        List.of(range.start(), range.end()),
        row -> {
          String period = groupBy.period(ReportQueries.instant(row, 1), range.zone());
          Key key = new Key(period, row.getString(3).trim(), row.getString(4));
          Sums sums = groups.computeIfAbsent(key, k -> new Sums());
          long amount = row.getLong(5);
          switch (row.getString(2)) {
            case "PAYMENT" -> {
              sums.count++;
              sums.gross += amount;
            }
            // Refunds and disputes are negative and reversals positive: money returned is the
            // negation of their sum.
            default -> sums.refunds -= amount;
          }
          sums.fees += row.getLong(6);
          sums.net += row.getLong(7);
        });
    queries.forEach(
        RECURRING,
        List.of(range.start(), range.end(), range.start(), range.end()),
        row -> {
          Instant started = ReportQueries.instant(row, 1);
          Instant cancelled = ReportQueries.instant(row, 2);
          String currency = row.getString(3).trim();
          String frequency = row.getString(4);
          if (within(started, range)) {
            groups.computeIfAbsent(
                    new Key(groupBy.period(started, range.zone()), currency, frequency),
                    k -> new Sums())
                .newRecurring++;
          }
          if (within(cancelled, range)) {
            groups.computeIfAbsent(
                    new Key(groupBy.period(cancelled, range.zone()), currency, frequency),
                    k -> new Sums())
                .cancelledRecurring++;
          }
        });
    List<Row> rows = new ArrayList<>(groups.size());
    groups.forEach(
        (key, s) ->
            rows.add(
                new Row(
                    key.period,
                    key.currency,
                    org.newsroom.membership.donations.Money.exponent(key.currency),
                    key.frequency,
                    s.count,
                    s.gross,
                    s.refunds,
                    s.fees,
                    s.net,
                    s.newRecurring,
                    s.cancelledRecurring)));
    return rows;
  }

  public static void write(List<Row> rows, TableWriter table) throws IOException {
    table.header(COLUMNS);
    for (Row r : rows) {
      table.text(r.period());
      table.text(r.currency());
      table.text(r.frequency());
      table.number(r.count());
      table.money(r.gross(), r.currency());
      table.money(r.refunds(), r.currency());
      table.money(r.fees(), r.currency());
      table.money(r.net(), r.currency());
      table.number(r.newRecurring());
      table.number(r.cancelledRecurring());
      table.endRow();
    }
  }

  private static boolean within(Instant at, ReportRange range) {
    return at != null && !at.isBefore(range.start()) && at.isBefore(range.end());
  }
}
