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
 * <p>With {@link By#CAMPAIGN} or {@link By#ARTICLE} each group is split further by the gift's
 * origin, the export's {@code sourceCampaign} or {@code sourceArticleUrl} column (a renewal's being
 * its contribution's), and the origin is a column of the row: the rows of one origin then sum to
 * exactly the export's rows holding that value, gifts without one under the empty value as the
 * export's empty cell. New and cancelled recurring contributions go under their contribution's
 * origin.
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

    public String period(Instant at, ZoneId zone) {
      LocalDate day = LocalDate.ofInstant(at, zone);
      return this == DAY ? day.toString() : day.toString().substring(0, 7);
    }
  }

  /** Which origin, if any, splits the rows: {@code by=campaign|article}. */
  public enum By {
    NONE(null, null),
    CAMPAIGN("sourceCampaign", "source_campaign"),
    ARTICLE("sourceArticleUrl", "source_article_url");

    /** The column's name, the transactions export's for the same value. */
    final String column;

    /** Ours, never a request's: it is put into SQL. */
    final String sqlColumn;

    By(String column, String sqlColumn) {
      this.column = column;
      this.sqlColumn = sqlColumn;
    }

    public static By parse(String value) {
      if (value == null || value.isBlank()) {
        return NONE;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "campaign" -> CAMPAIGN;
        case "article" -> ARTICLE;
        default -> throw ProblemException.validation("by", "must be campaign or article");
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
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
      String sourceCampaign,
      String sourceArticleUrl,
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
          + " mm.settlement_amount, mm.fee, mm.net, p.%s"
          + TransactionsExport.MOVEMENTS_IN_RANGE;

  private static final String RECURRING =
      "SELECT started_at, canceled_at, currency, frequency, %s FROM recurring_contribution"
          + " WHERE (started_at >= ? AND started_at < ?) OR (canceled_at >= ? AND canceled_at < ?)";

  @Inject ReportQueries queries;

  private static final class Sums {
    long count, gross, refunds, fees, net, newRecurring, cancelledRecurring;
  }

  /** {@code origin} is "" when the rows are not split by origin or the gift has none. */
  private record Key(String period, String currency, String frequency, String origin)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = period.compareTo(o.period);
      if (c == 0) {
        c = currency.compareTo(o.currency);
      }
      if (c == 0) {
        c = frequency.compareTo(o.frequency);
      }
      return c != 0 ? c : origin.compareTo(o.origin);
    }
  }

  public List<Row> rows(ReportRange range, GroupBy groupBy, By by) throws IOException {
    Map<Key, Sums> groups = new TreeMap<>();
    // Without a split the origin column is read and ignored: one query text for every case.
    String originColumn = by == By.NONE ? "source_campaign" : by.sqlColumn;
    queries.forEach(
        String.format(Locale.ROOT, MOVEMENTS, originColumn),
        range.bounds(),
        row -> {
          String period = groupBy.period(ReportQueries.instant(row, 1), range.zone());
          Key key = new Key(period, row.getString(3).trim(), row.getString(4), origin(row, 8, by));
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
        String.format(Locale.ROOT, RECURRING, originColumn),
        List.of(range.start(), range.end(), range.start(), range.end()),
        row -> {
          Instant started = ReportQueries.instant(row, 1);
          Instant cancelled = ReportQueries.instant(row, 2);
          String currency = row.getString(3).trim();
          String frequency = row.getString(4);
          String origin = origin(row, 5, by);
          if (within(started, range)) {
            groups.computeIfAbsent(
                    new Key(groupBy.period(started, range.zone()), currency, frequency, origin),
                    k -> new Sums())
                .newRecurring++;
          }
          if (within(cancelled, range)) {
            groups.computeIfAbsent(
                    new Key(groupBy.period(cancelled, range.zone()), currency, frequency, origin),
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
                    by == By.CAMPAIGN ? key.origin : null,
                    by == By.ARTICLE ? key.origin : null,
                    s.count,
                    s.gross,
                    s.refunds,
                    s.fees,
                    s.net,
                    s.newRecurring,
                    s.cancelledRecurring)));
    return rows;
  }

  /** The split's column, when there is one, follows {@code frequency}. */
  public static void write(List<Row> rows, By by, TableWriter table) throws IOException {
    List<String> columns = new ArrayList<>(COLUMNS);
    if (by != By.NONE) {
      columns.add(3, by.column);
    }
    table.header(columns);
    for (Row r : rows) {
      table.text(r.period());
      table.text(r.currency());
      table.text(r.frequency());
      switch (by) {
        case CAMPAIGN -> table.text(r.sourceCampaign());
        case ARTICLE -> table.text(r.sourceArticleUrl());
        case NONE -> {}
      }
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

  private static String origin(java.sql.ResultSet row, int column, By by)
      throws java.sql.SQLException {
    String origin = by == By.NONE ? null : row.getString(column);
    return origin == null ? "" : origin;
  }

  private static boolean within(Instant at, ReportRange range) {
    return at != null && !at.isBefore(range.start()) && at.isBefore(range.end());
  }
}
