package org.newsroom.membership.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.newsroom.membership.donations.Money;
import org.newsroom.membership.platform.DatabasePlatform;
import org.newsroom.membership.reports.ReportQueries;
import org.newsroom.membership.reports.ReportRange;
import org.newsroom.membership.stripe.StripeEventInbox;

/**
 * The finance dashboard's figures, computed on every request from the ledger tables the exports
 * read, plus one rollup that cannot go stale: on PostgreSQL the movement sums come from {@code
 * movement_hour} (migration V75), which triggers on {@code money_movement} keep equal to a GROUP BY
 * over the movements in the same transaction as each write. Every figure counts a movement in the
 * period it happened (its {@code occurred_at}), so a refund that arrives a month after it happened
 * counts in that month the next time anyone looks.
 *
 * <p>Money figures are per settlement currency and are sums over exactly the rows of the
 * transactions export for the same range and zone, so they equal that export (and the summary) to
 * the minor unit; currencies are never added together. The database does the summing: movements are
 * grouped by slices of UTC time (a day, an hour, half or quarter hours: the widest on which every
 * period boundary of the zone falls), and the slices are then placed in the zone's days or months
 * here. When the slices are an hour or wider (most zones, DST included) PostgreSQL reads the hourly
 * rollup; otherwise (Asia/Kolkata, Asia/Kathmandu, historic local mean times) and on H2 it sums the
 * movements live. Givers, origins, recovered payments and covered fees need the payment row and
 * exact distinct counts: on PostgreSQL they come from {@code payment_fact} (migration V76), which
 * triggers keep equal to each PAYMENT movement joined to its payment, with each giver's previous
 * payment time so distinct givers are plain counts ({@link #FACTS}); on H2 they join the range's
 * movements to payments live. Recurring figures are per contribution currency and follow the
 * recurring export's rule ({@code RecurringReport}) at the end of each period.
 *
 * <p>The one exception: {@code feesCovered} and {@code giftsCoveringFees} sit under the currency
 * the gifts were charged in, not the one they settled in, because the covered fee was added to the
 * charge and converting it would need a rate and round (README, "Cover the fees").
 */
@ApplicationScoped
public class Dashboard {

  static final int[] SLICE_WIDTHS = {86_400, 3_600, 1_800, 900};

  @Inject ReportQueries queries;
  @Inject StripeEventInbox inbox;
  @Inject DatabasePlatform database;

  /** One period of the charts; money in minor units of the currency it sits under. */
  public record Point(
      String period,
      LocalDate from,
      LocalDate to,
      long payments,
      long gross,
      long refunds,
      long fees,
      long net,
      long activeRecurring,
      long mrr) {}

  /** Everything the dashboard shows for one currency. */
  public record CurrencyFigures(
      String currency,
      int currencyDecimals,
      long payments,
      long gross,
      long refunds,
      long disputes,
      long fees,
      long net,
      long givers,
      long newRecurring,
      long cancelledRecurring,
      long activeRecurring,
      long mrr,
      long mrrAtStart,
      long mrrChange,
      long pastDue,
      long pastDueAmount,
      long recovered,
      long recoveredAmount,
      long feesCovered,
      long giftsCoveringFees,
      List<Origin> topCampaigns,
      List<Origin> topArticles,
      List<Point> series) {}

  /**
   * What one campaign or article brought in the range: its payments (renewals included, since a
   * renewal keeps its contribution's origin) with their gross and net (refunds not deducted), and
   * the new supporters it found: distinct givers of one-off gifts plus recurring contributions
   * started.
   */
  public record Origin(String key, long payments, long gross, long net, long newSupporters) {}

  public record Inbox(long pending, long failed, Instant oldestPendingAt) {}

  /** Periods of a range: the zone's days or months, clipped to the range. */
  record Periods(List<String> labels, List<LocalDate> froms, List<LocalDate> tos, Instant[] ends) {

    static Periods of(ReportRange range, boolean monthly) {
      List<String> labels = new ArrayList<>();
      List<LocalDate> froms = new ArrayList<>();
      List<LocalDate> tos = new ArrayList<>();
      LocalDate day = range.from();
      while (!day.isAfter(range.to())) {
        LocalDate last = monthly ? day.withDayOfMonth(day.lengthOfMonth()) : day;
        if (last.isAfter(range.to())) {
          last = range.to();
        }
        labels.add(monthly ? day.toString().substring(0, 7) : day.toString());
        froms.add(day);
        tos.add(last);
        day = last.plusDays(1);
      }
      Instant[] ends = new Instant[tos.size()];
      for (int i = 0; i < ends.length; i++) {
        ends[i] = tos.get(i).plusDays(1).atStartOfDay(range.zone()).toInstant();
      }
      return new Periods(labels, froms, tos, ends);
    }

    int size() {
      return labels.size();
    }

    /** The period holding an instant of the range. */
    int indexOf(Instant at) {
      int i = Arrays.binarySearch(ends, at);
      // ends are exclusive: an instant equal to an end belongs to the next period
      return i >= 0 ? i + 1 : -i - 1;
    }

    /**
     * The widest slice that never straddles a period boundary: a day where the zone's midnights are
     * UTC's, an hour where they fall on whole UTC hours (most zones, DST included), else half or
     * quarter hours, else seconds. Fewer slices, fewer groups for the database to hash.
     */
    int sliceSeconds(Instant start) {
      for (int width : SLICE_WIDTHS) {
        boolean aligned = start.getEpochSecond() % width == 0;
        for (Instant end : ends) {
          aligned &= end.getEpochSecond() % width == 0;
        }
        if (aligned) {
          return width;
        }
      }
      return 1;
    }
  }

  private static final class Sums {
    long payments, gross, refunds, disputes, fees, net, givers, newRecurring, cancelledRecurring;
    long pastDue, pastDueAmount, recovered, recoveredAmount, feesCovered, giftsCoveringFees;
    Map<String, long[]> campaigns = new TreeMap<>();
    Map<String, long[]> articles = new TreeMap<>();
    long[] periodPayments, periodGross, periodRefunds, periodFees, periodNet;
    // Index 0 is the start of the range; index i + 1 the end of period i.
    long[] activeDelta, monthlyDelta, annualDelta;

    Sums(int periods) {
      periodPayments = new long[periods];
      periodGross = new long[periods];
      periodRefunds = new long[periods];
      periodFees = new long[periods];
      periodNet = new long[periods];
      activeDelta = new long[periods + 2];
      monthlyDelta = new long[periods + 2];
      annualDelta = new long[periods + 2];
    }
  }

  /**
   * The movements of the range: the same rows as the transactions export (every movement has its
   * payment, so the export's join keeps them all).
   */
  private static final String MOVEMENTS =
      "SELECT slice, type, currency, COUNT(*), SUM(settlement_amount), SUM(fee), SUM(net) FROM"
          + " (SELECT FLOOR(EXTRACT(EPOCH FROM mm.occurred_at) / %d) AS slice, mm.type AS type,"
          + " mm.settlement_currency AS currency, mm.settlement_amount, mm.fee, mm.net"
          + " FROM money_movement mm WHERE mm.occurred_at >= ? AND mm.occurred_at < ?) s"
          + " GROUP BY slice, type, currency";

  /**
   * The same sums from the hourly rollup (migration V75, PostgreSQL only), usable when every period
   * boundary of the range is a whole UTC hour. Its triggers keep it equal to a GROUP BY over the
   * movements; an hour whose movements were all deleted keeps a row of zeros, which must not make
   * its currency appear.
   */
  private static final String MOVEMENT_HOURS =
      "SELECT FLOOR(EXTRACT(EPOCH FROM hour) / %d) AS slice, type, settlement_currency,"
          + " SUM(movements), SUM(settlement_amount), SUM(fee), SUM(net) FROM movement_hour"
          + " WHERE hour >= ? AND hour < ? GROUP BY 1, 2, 3 HAVING SUM(movements) <> 0";

  /**
   * A giver is a member, else an email address, else (an erased guest) the payment itself: the same
   * key finance gets from the export's memberId, donorEmail and paymentId columns.
   */
  static final String GIVER =
      "COALESCE(CAST(p.member_id AS VARCHAR(36)), p.donor_email_normalized, LOWER(p.donor_email),"
          + " CAST(p.id AS VARCHAR(36)))";

  // On H2, DISTINCT in a subquery: the per-currency and overall counts are two queries, because
  // H2 2.2 loses the parameters in the second reading of a CTE.
  private static final String GIVERS_BY_CURRENCY =
      "SELECT currency, COUNT(*) FROM (SELECT DISTINCT mm.settlement_currency AS currency, "
          + GIVER
          + " AS giver FROM money_movement mm JOIN payment p ON p.id = mm.payment_id"
          + " WHERE mm.type = 'PAYMENT' AND mm.occurred_at >= ? AND mm.occurred_at < ?) d"
          + " GROUP BY currency";

  private static final String GIVERS =
      "SELECT NULL, COUNT(*) FROM (SELECT DISTINCT "
          + GIVER
          + " AS giver FROM money_movement mm JOIN payment p ON p.id = mm.payment_id"
          + " WHERE mm.type = 'PAYMENT' AND mm.occurred_at >= ? AND mm.occurred_at < ?) d";

  /**
   * Recovered payments (by settlement currency) and fees donors covered (in the charge's own
   * currency: the fee was added to what the donor was charged), in one pass.
   */
  private static final String RECOVERED_AND_COVERED =
      "SELECT mm.settlement_currency, p.currency,"
          + " SUM(CASE WHEN p.recovered THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN p.recovered THEN mm.settlement_amount ELSE 0 END),"
          + " SUM(CASE WHEN p.covered_fee > 0 THEN 1 ELSE 0 END), SUM(p.covered_fee)"
          + " FROM money_movement mm JOIN payment p ON p.id = mm.payment_id"
          + " WHERE mm.type = 'PAYMENT' AND (p.recovered OR p.covered_fee > 0)"
          + " AND mm.occurred_at >= ? AND mm.occurred_at < ?"
          + " GROUP BY mm.settlement_currency, p.currency";

  private static final String NEW_AND_CANCELLED =
      "SELECT currency,"
          + " SUM(CASE WHEN started_at >= ? AND started_at < ? THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN canceled_at >= ? AND canceled_at < ? THEN 1 ELSE 0 END)"
          + " FROM recurring_contribution"
          + " WHERE (started_at >= ? AND started_at < ?) OR (canceled_at >= ? AND canceled_at < ?)"
          + " GROUP BY currency";

  /** The contributions the recurring export could count at some point of the range. */
  private static final String RECURRING =
      "SELECT currency, frequency, status, amount, COALESCE(started_at, created_at), canceled_at"
          + " FROM recurring_contribution"
          + " WHERE frequency IN ('MONTHLY', 'ANNUAL') AND status <> 'INCOMPLETE'"
          + " AND COALESCE(started_at, created_at) < ?"
          + " AND (canceled_at IS NULL OR canceled_at >= ?)"
          + " AND NOT (status = 'CANCELED' AND canceled_at IS NULL)";

  static final int TOP = 10;

  private static final String ORIGIN_MONEY =
      "SELECT mm.settlement_currency, p.%1$s, COUNT(*), SUM(mm.settlement_amount), SUM(mm.net)"
          + " FROM money_movement mm JOIN payment p ON p.id = mm.payment_id"
          + " WHERE mm.type = 'PAYMENT' AND mm.occurred_at >= ? AND mm.occurred_at < ?"
          + " AND p.%1$s IS NOT NULL GROUP BY mm.settlement_currency, p.%1$s";

  /** New one-off givers per currency and origin ({@code %1$s}), for H2. */
  private static final String ORIGIN_ONE_OFF_GIVERS =
      "SELECT '%1$s', currency, origin, COUNT(*) FROM (SELECT DISTINCT"
          + " mm.settlement_currency AS currency, p.%1$s AS origin, "
          + GIVER
          + " AS giver FROM money_movement mm JOIN payment p ON p.id = mm.payment_id"
          + " WHERE mm.type = 'PAYMENT' AND p.frequency = 'ONE_OFF' AND mm.occurred_at >= ?"
          + " AND mm.occurred_at < ? AND p.%1$s IS NOT NULL) d GROUP BY currency, origin";

  /**
   * On PostgreSQL, every figure that needs the payment row, from one table and no join: {@code
   * payment_fact} (migration V76) holds each PAYMENT movement beside its payment's origin, charge
   * currency, recovery, covered fee and giver, and when that giver last paid before it. Distinct
   * givers are then counts of the range's rows whose previous payment is before the range (or
   * absent): each giver's first payment in the range. One grouped scan, which PostgreSQL runs in
   * parallel (the table's extended statistics tell it how few groups there are, so it hashes them);
   * each row belongs to exactly one group, so the campaign, article and currency figures are sums
   * of groups here.
   */
  private static final String FACTS =
      "SELECT settlement_currency, charge_currency, source_campaign, source_article_url,"
          + " COUNT(*), SUM(settlement_amount), SUM(net),"
          + " SUM(CASE WHEN recovered THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN recovered THEN settlement_amount ELSE 0 END),"
          + " SUM(CASE WHEN covered_fee > 0 THEN 1 ELSE 0 END), SUM(covered_fee),"
          + " COUNT(*) FILTER (WHERE one_off AND (campaign_prev_at IS NULL OR campaign_prev_at < ?)),"
          + " COUNT(*) FILTER (WHERE one_off AND (article_prev_at IS NULL OR article_prev_at < ?)),"
          + " COUNT(*) FILTER (WHERE giver_currency_prev_at IS NULL OR giver_currency_prev_at < ?),"
          + " COUNT(*) FILTER (WHERE giver_prev_at IS NULL OR giver_prev_at < ?)"
          + " FROM payment_fact WHERE occurred_at >= ? AND occurred_at < ?"
          + " GROUP BY settlement_currency, charge_currency, source_campaign, source_article_url";

  private static final String ORIGIN_RECURRING_STARTED =
      "SELECT currency, %1$s, COUNT(*) FROM recurring_contribution"
          + " WHERE started_at >= ? AND started_at < ? AND %1$s IS NOT NULL"
          + " GROUP BY currency, %1$s";

  private static Map<String, long[]> origin(
      Map<String, Sums> byCurrency, int n, String column, String currency) {
    Sums s = byCurrency.computeIfAbsent(currency.trim(), c -> new Sums(n));
    return "source_campaign".equals(column) ? s.campaigns : s.articles;
  }

  /** Payments, gross and net per currency and origin, one query per origin ({@code column}). */
  private void originMoney(String column, List<Object> range, Map<String, Sums> byCurrency, int n)
      throws IOException {
    queries.forEach(
        String.format(java.util.Locale.ROOT, ORIGIN_MONEY, column),
        range,
        row -> {
          long[] o =
              origin(byCurrency, n, column, row.getString(1))
                  .computeIfAbsent(row.getString(2), k -> new long[4]);
          o[0] += row.getLong(3);
          o[1] += row.getLong(4);
          o[2] += row.getLong(5);
        });
  }

  /**
   * Givers, origin money and new one-off givers, recovered payments and covered fees: from {@code
   * payment_fact} on PostgreSQL, else by joining the range's movements to their payments. Returns
   * the distinct givers over all currencies.
   */
  private long paymentFigures(ReportRange range, Map<String, Sums> byCurrency, int n)
      throws IOException {
    List<Object> startEnd = range.bounds();
    if (!database.postgres()) {
      recoveredAndCovered(startEnd, byCurrency, n);
      originMoney("source_campaign", startEnd, byCurrency, n);
      originMoney("source_article_url", startEnd, byCurrency, n);
      oneOffGivers(startEnd, byCurrency, n);
      return givers(startEnd, byCurrency, n);
    }
    Instant start = range.start();
    Instant end = range.end();
    long[] givers = new long[1];
    queries.forEach(
        FACTS,
        List.of(start, start, start, start, start, end),
        row -> {
          String settlement = row.getString(1).trim();
          long payments = row.getLong(5);
          long gross = row.getLong(6);
          long net = row.getLong(7);
          if (row.getString(3) != null) {
            long[] o =
                origin(byCurrency, n, "source_campaign", settlement)
                    .computeIfAbsent(row.getString(3), k -> new long[4]);
            o[0] += payments;
            o[1] += gross;
            o[2] += net;
            o[3] += row.getLong(12);
          }
          if (row.getString(4) != null) {
            long[] o =
                origin(byCurrency, n, "source_article_url", settlement)
                    .computeIfAbsent(row.getString(4), k -> new long[4]);
            o[0] += payments;
            o[1] += gross;
            o[2] += net;
            o[3] += row.getLong(13);
          }
          Sums settled = byCurrency.computeIfAbsent(settlement, c -> new Sums(n));
          settled.givers += row.getLong(14);
          settled.recovered += row.getLong(8);
          settled.recoveredAmount += row.getLong(9);
          givers[0] += row.getLong(15);
          // A charge currency appears only where a gift covered its fee, as in the H2 path.
          if (row.getLong(10) > 0) {
            Sums charged = byCurrency.computeIfAbsent(row.getString(2).trim(), c -> new Sums(n));
            charged.giftsCoveringFees += row.getLong(10);
            charged.feesCovered += row.getLong(11);
          }
        });
    return givers[0];
  }

  /** Distinct givers per currency and over all currencies, joining payments (H2). */
  private long givers(List<Object> range, Map<String, Sums> byCurrency, int n) throws IOException {
    long[] givers = new long[1];
    for (String sql : List.of(GIVERS_BY_CURRENCY, GIVERS)) {
      queries.forEach(
          sql,
          range,
          row -> {
            String currency = row.getString(1);
            if (currency == null) {
              givers[0] = row.getLong(2);
            } else {
              byCurrency.computeIfAbsent(currency.trim(), c -> new Sums(n)).givers = row.getLong(2);
            }
          });
    }
    return givers[0];
  }

  private void recoveredAndCovered(List<Object> range, Map<String, Sums> byCurrency, int n)
      throws IOException {
    queries.forEach(
        RECOVERED_AND_COVERED,
        range,
        row -> {
          Sums settled = byCurrency.computeIfAbsent(row.getString(1).trim(), c -> new Sums(n));
          settled.recovered += row.getLong(3);
          settled.recoveredAmount += row.getLong(4);
          Sums charged = byCurrency.computeIfAbsent(row.getString(2).trim(), c -> new Sums(n));
          charged.giftsCoveringFees += row.getLong(5);
          charged.feesCovered += row.getLong(6);
        });
  }

  /** New one-off givers per currency and origin, joining payments (H2). */
  private void oneOffGivers(List<Object> range, Map<String, Sums> byCurrency, int n)
      throws IOException {
    for (String column : List.of("source_campaign", "source_article_url")) {
      queries.forEach(
          String.format(java.util.Locale.ROOT, ORIGIN_ONE_OFF_GIVERS, column),
          range,
          row ->
              origin(byCurrency, n, row.getString(1), row.getString(2))
                      .computeIfAbsent(row.getString(3), k -> new long[4])[3] +=
                  row.getLong(4));
    }
  }

  /** New supporters per currency and origin from recurring gifts started in the range. */
  private void recurringStarted(List<Object> range, Map<String, Sums> byCurrency, int n)
      throws IOException {
    for (String column : List.of("source_campaign", "source_article_url")) {
      queries.forEach(
          String.format(java.util.Locale.ROOT, ORIGIN_RECURRING_STARTED, column),
          range,
          row ->
              origin(byCurrency, n, column, row.getString(1))
                      .computeIfAbsent(row.getString(2), k -> new long[4])[3] +=
                  row.getLong(3));
    }
  }

  /** The top origins by money raised and by new supporters, together, by money raised. */
  static List<Origin> top(Map<String, long[]> origins) {
    List<Origin> all = new ArrayList<>();
    origins.forEach((key, o) -> all.add(new Origin(key, o[0], o[1], o[2], o[3])));
    java.util.Comparator<Origin> byMoney =
        java.util.Comparator.comparingLong(Origin::gross).reversed().thenComparing(Origin::key);
    java.util.Comparator<Origin> bySupporters =
        java.util.Comparator.comparingLong(Origin::newSupporters)
            .reversed()
            .thenComparing(Origin::key);
    java.util.Set<Origin> chosen = new java.util.HashSet<>();
    all.stream().sorted(byMoney).limit(TOP).forEach(chosen::add);
    all.stream().sorted(bySupporters).limit(TOP).forEach(chosen::add);
    return chosen.stream().sorted(byMoney).toList();
  }

  public record Figures(List<CurrencyFigures> currencies, long givers, Inbox inbox) {}

  public Figures figures(ReportRange range, boolean monthly) throws IOException {
    Periods periods = Periods.of(range, monthly);
    int n = periods.size();
    Map<String, Sums> byCurrency = new TreeMap<>();
    int slice = periods.sliceSeconds(range.start());
    boolean hourly = slice >= 3_600 && database.postgres();
    queries.forEach(
        String.format(java.util.Locale.ROOT, hourly ? MOVEMENT_HOURS : MOVEMENTS, slice),
        range.bounds(),
        row -> {
          Instant at = Instant.ofEpochSecond(row.getLong(1) * slice);
          int period = Math.min(periods.indexOf(at), n - 1);
          Sums s = byCurrency.computeIfAbsent(row.getString(3).trim(), c -> new Sums(n));
          long count = row.getLong(4);
          long amount = row.getLong(5);
          switch (row.getString(2)) {
            case "PAYMENT" -> {
              s.payments += count;
              s.gross += amount;
              s.periodPayments[period] += count;
              s.periodGross[period] += amount;
            }
            case "REFUND" -> {
              s.refunds -= amount;
              s.periodRefunds[period] -= amount;
            }
            // Disputes are negative and their reversals positive: what stays lost is the negation.
            default -> {
              s.refunds -= amount;
              s.disputes -= amount;
              s.periodRefunds[period] -= amount;
            }
          }
          s.fees += row.getLong(6);
          s.net += row.getLong(7);
          s.periodFees[period] += row.getLong(6);
          s.periodNet[period] += row.getLong(7);
        });
    long givers = paymentFigures(range, byCurrency, n);
    recurringStarted(range.bounds(), byCurrency, n);
    Instant start = range.start();
    Instant end = range.end();
    queries.forEach(
        NEW_AND_CANCELLED,
        List.of(start, end, start, end, start, end, start, end),
        row -> {
          Sums s = byCurrency.computeIfAbsent(row.getString(1).trim(), c -> new Sums(n));
          s.newRecurring = row.getLong(2);
          s.cancelledRecurring = row.getLong(3);
        });
    // Evaluation points: the start of the range (the day before it, as of its end), then the end
    // of each period. A contribution counts at point t when it started before t and was not
    // cancelled before t, as in the recurring export as of the day ending at t.
    Instant[] points = new Instant[n + 1];
    points[0] = start;
    System.arraycopy(periods.ends(), 0, points, 1, n);
    queries.forEach(
        RECURRING,
        List.of(end, start),
        row -> {
          Sums s = byCurrency.computeIfAbsent(row.getString(1).trim(), c -> new Sums(n));
          boolean annual = "ANNUAL".equals(row.getString(2));
          String status = row.getString(3);
          long collecting = "PAUSED".equals(status) ? 0 : row.getLong(4);
          Instant from = ReportQueries.instant(row, 5);
          Instant until = ReportQueries.instant(row, 6);
          int first = firstAfter(points, from);
          int last = until == null ? points.length : firstAfter(points, until);
          if (first >= last) {
            return;
          }
          s.activeDelta[first]++;
          s.activeDelta[last]--;
          long[] delta = annual ? s.annualDelta : s.monthlyDelta;
          delta[first] += collecting;
          delta[last] -= collecting;
          if ("PAST_DUE".equals(status) && last == points.length) {
            s.pastDue++;
            s.pastDueAmount += row.getLong(4);
          }
        });

    List<CurrencyFigures> currencies = new ArrayList<>();
    byCurrency.forEach(
        (currency, s) -> {
          long[] active = prefix(s.activeDelta, n + 1);
          long[] monthlySum = prefix(s.monthlyDelta, n + 1);
          long[] annualSum = prefix(s.annualDelta, n + 1);
          long[] mrr = new long[n + 1];
          for (int i = 0; i <= n; i++) {
            mrr[i] = monthlySum[i] + twelfth(annualSum[i]);
          }
          List<Point> series = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            series.add(
                new Point(
                    periods.labels().get(i),
                    periods.froms().get(i),
                    periods.tos().get(i),
                    s.periodPayments[i],
                    s.periodGross[i],
                    s.periodRefunds[i],
                    s.periodFees[i],
                    s.periodNet[i],
                    active[i + 1],
                    mrr[i + 1]));
          }
          currencies.add(
              new CurrencyFigures(
                  currency,
                  Money.exponent(currency),
                  s.payments,
                  s.gross,
                  s.refunds,
                  s.disputes,
                  s.fees,
                  s.net,
                  s.givers,
                  s.newRecurring,
                  s.cancelledRecurring,
                  active[n],
                  mrr[n],
                  mrr[0],
                  mrr[n] - mrr[0],
                  s.pastDue,
                  s.pastDueAmount,
                  s.recovered,
                  s.recoveredAmount,
                  s.feesCovered,
                  s.giftsCoveringFees,
                  top(s.campaigns),
                  top(s.articles),
                  series));
        });
    StripeEventInbox.Health health = inbox.health();
    return new Figures(
        currencies, givers, new Inbox(health.pending(), health.failed(), health.oldestPendingAt()));
  }

  /** The first evaluation point strictly after {@code at}; points.length when there is none. */
  private static int firstAfter(Instant[] points, Instant at) {
    int i = Arrays.binarySearch(points, at);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private static long[] prefix(long[] delta, int size) {
    long[] sums = new long[size];
    long running = 0;
    for (int i = 0; i < size; i++) {
      running += delta[i];
      sums[i] = running;
    }
    return sums;
  }

  /** An annual amount's monthly share, rounded half up once per currency as the export does. */
  static long twelfth(long annual) {
    return BigDecimal.valueOf(annual)
        .divide(BigDecimal.valueOf(12), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }
}
