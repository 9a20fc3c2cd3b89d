package org.newsroom.membership.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.donations.Money;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.LedgerRows;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * The finance dashboard against the exports it summarises, over ledger rows in 2089 (a year no
 * other test writes money into). Every money figure must equal the export rows for the same range
 * and zone to the minor unit, per currency.
 */
@SharedServer
class DashboardIT {

  private static TestServer server;
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String PASSWORD = "dashboard integration passphrase 2033";
  private static final List<String> ZONES =
      List.of(
          "UTC",
          "Europe/London",
          "America/New_York",
          "Asia/Kolkata",
          "Asia/Kathmandu",
          "Australia/Adelaide");

  private static Api admin;
  private static Api finance;
  private static Api reader;
  private static String readerId;

  @BeforeAll
  static void staffAndLedger(TestServer server) throws Exception {
    DashboardIT.server = server;
    admin = server.signedInAdmin();
    finance = server.staffMember("dashboard-finance", "FINANCE").api();
    reader = server.api();
    readerId = reader.register(Api.uniqueEmail("dashboard-reader"), PASSWORD).getString("id");
    try (Connection db = Postgres.connect(server.schema)) {
      insertYear(new LedgerRows(db, RUN));
    }
  }

  /** A year of gifts from a few dozen donors, some giving several times, in four currencies. */
  private static void insertYear(LedgerRows ledger) throws Exception {
    Random random = new Random(2033);
    String[] currencies = {"GBP", "EUR", "USD", "JPY"};
    String[] frequencies = {"ONE_OFF", "MONTHLY", "ANNUAL"};
    List<UUID> members = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      members.add(ledger.member("member-" + i + "-" + RUN + "@donors.example"));
    }
    Instant start = Instant.parse("2089-01-01T00:00:00Z");
    for (int i = 0; i < 400; i++) {
      String currency = currencies[random.nextInt(currencies.length)];
      long amount = 100 + random.nextInt(20_000);
      long fee = 20 + amount * 3 / 100;
      Instant paid = start.plusSeconds(random.nextInt(360 * 24 * 3600));
      boolean member = random.nextInt(3) == 0;
      UUID p =
          ledger.payment(
              "y" + i,
              member ? members.get(random.nextInt(members.size())) : null,
              member ? null : "Guest-" + random.nextInt(60) + "-" + RUN + "@Donors.example",
              amount,
              currency,
              frequencies[random.nextInt(frequencies.length)]);
      ledger.movement("PAYMENT", p, "y" + i, amount, fee, currency, paid.toString());
      int roll = random.nextInt(10);
      Instant later = paid.plusSeconds(random.nextInt(40 * 24 * 3600));
      if (roll < 3) {
        ledger.movement(
            "REFUND",
            p,
            "y" + i,
            -(1 + random.nextInt((int) amount)),
            0,
            currency,
            later.toString());
      } else if (roll < 5) {
        ledger.movement("DISPUTE", p, "y" + i, -amount, 1500, currency, later.toString());
        if (roll == 4) {
          ledger.movement(
              "DISPUTE_REVERSAL",
              p,
              "y" + i,
              amount,
              -1500,
              currency,
              later.plusSeconds(86_400).toString());
        }
      }
    }
    ledger.recurring("m1", 1000, "GBP", "MONTHLY", "ACTIVE", "2089-02-10T10:00:00Z", null);
    ledger.recurring("m2", 550, "GBP", "MONTHLY", "PAST_DUE", "2089-05-26T00:30:00Z", null);
    ledger.recurring("a1", 12_001, "GBP", "ANNUAL", "ACTIVE", "2089-03-01T10:00:00Z", null);
    ledger.recurring("a2", 1_000, "EUR", "ANNUAL", "PAST_DUE", "2089-03-02T10:00:00Z", null);
    ledger.recurring("p1", 500, "EUR", "MONTHLY", "PAUSED", "2089-04-01T10:00:00Z", null);
    ledger.recurring(
        "c1", 800, "EUR", "MONTHLY", "CANCELED", "2089-01-05T10:00:00Z", "2089-10-15T10:00:00Z");
    ledger.recurring(
        "c2", 700, "GBP", "MONTHLY", "CANCELED", "2089-06-05T10:00:00Z", "2089-08-01T00:00:00Z");
    ledger.recurring("i1", 900, "GBP", "MONTHLY", "INCOMPLETE", "2089-05-05T10:00:00Z", null);
  }

  // ---------------------------------------------------------------- access

  @Test
  void theDashboardNeedsFinanceOrAdminAndRefusalsAreAudited() {
    String path = "/api/reports/dashboard?from=2089-01-01&to=2089-01-31";
    assertProblem(server.api().get(path), 401);
    assertProblem(reader.get(path), 403);
    assertThat(finance.get(path).status()).isEqualTo(200);
    assertThat(admin.get(path).status()).isEqualTo(200);
    LocalDate today = LocalDate.now(ZoneId.of("UTC"));
    JsonObject audit =
        admin
            .get("/api/audit?from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&tz=UTC")
            .json();
    assertThat(audit.getJsonArray("entries").getValuesAs(JsonObject.class))
        .anySatisfy(
            e -> {
              assertThat(e.getString("actor")).isEqualTo(readerId);
              assertThat(e.getString("action")).isEqualTo("access.denied");
              assertThat(e.getString("target")).isEqualTo("dashboard");
            });
  }

  @Test
  void badParametersAreOneProblemNamingEachField() {
    Api.Response response =
        finance.get("/api/reports/dashboard?from=2089-02-01&to=2089-01-01&tz=Mars/Olympus");
    assertProblem(response, 400);
    assertThat(response.json().getJsonArray("errors").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("field"))
        .contains("from", "tz");
    assertProblem(finance.get("/api/reports/dashboard?from=2089-01-01&to=2090-12-31"), 400);
    assertProblem(
        finance.get("/api/reports/dashboard?from=2089-01-01&to=2089-01-02&groupBy=week"), 400);
  }

  @Test
  void withoutARangeItShowsThisMonthSoFar() {
    JsonObject view = finance.get("/api/reports/dashboard?tz=UTC").json();
    LocalDate today = LocalDate.now(ZoneId.of("UTC"));
    assertThat(view.getString("from")).isEqualTo(today.withDayOfMonth(1).toString());
    assertThat(view.getString("to")).isEqualTo(today.toString());
    assertThat(view.getString("groupBy")).isEqualTo("day");
    assertThat(view.getJsonObject("inbox").getJsonNumber("pending")).isNotNull();
    assertThat(view.getJsonObject("links").getString("transactions"))
        .isEqualTo(
            "/api/reports/transactions?from="
                + today.withDayOfMonth(1)
                + "&to="
                + today
                + "&tz=UTC&format=csv");
  }

  // ---------------------------------------------------------------- figures equal the exports

  @Test
  void everyFigureEqualsTheExportsOverRandomRangesAndZones() throws IOException {
    Random random = new Random();
    for (int i = 0; i < 6; i++) {
      LocalDate from = LocalDate.of(2089, 1, 1).plusDays(random.nextInt(340));
      LocalDate to = from.plusDays(random.nextInt(i % 2 == 0 ? 40 : 200));
      String tz = ZONES.get(random.nextInt(ZONES.size()));
      String groupBy = random.nextBoolean() ? "day" : "month";
      assertEqualsExports(from, to, tz, groupBy);
    }
    // The whole year, by month, where the clocks change.
    assertEqualsExports(LocalDate.of(2089, 1, 1), LocalDate.of(2089, 12, 31), "Europe/London", "");
  }

  private static void assertEqualsExports(LocalDate from, LocalDate to, String tz, String groupBy)
      throws IOException {
    String query = "from=" + from + "&to=" + to + "&tz=" + tz;
    String what = query + " groupBy=" + groupBy;
    JsonObject view =
        finance
            .get(
                "/api/reports/dashboard?"
                    + query
                    + (groupBy.isEmpty() ? "" : "&groupBy=" + groupBy))
            .json();
    String grouping = view.getString("groupBy");
    Map<String, JsonObject> dashboard = new TreeMap<>();
    view.getJsonArray("currencies")
        .getValuesAs(JsonObject.class)
        .forEach(c -> dashboard.put(c.getString("currency"), c));

    // The transactions export, folded by currency as finance would in a spreadsheet.
    Map<String, long[]> expected = new TreeMap<>();
    Map<String, Set<String>> givers = new HashMap<>();
    Set<String> allGivers = new HashSet<>();
    Map<String, long[]> expectedPeriods = new HashMap<>();
    ZoneId zone = ZoneId.of(tz);
    for (CSVRecord row : csv(finance.get("/api/reports/transactions?" + query).body())) {
      String currency = row.get("currency");
      long amount = minor(row.get("amount"), currency);
      long[] sums = expected.computeIfAbsent(currency, c -> new long[6]);
      String day = LocalDate.ofInstant(Instant.parse(row.get("occurredAt")), zone).toString();
      String period = grouping.equals("month") ? day.substring(0, 7) : day;
      long[] periodSums =
          expectedPeriods.computeIfAbsent(period + " " + currency, k -> new long[5]);
      if (row.get("type").equals("PAYMENT")) {
        sums[0]++;
        sums[1] += amount;
        periodSums[0]++;
        periodSums[1] += amount;
        String giver =
            row.get("memberId").isEmpty()
                ? row.get("donorEmail").toLowerCase()
                : row.get("memberId");
        givers.computeIfAbsent(currency, c -> new HashSet<>()).add(giver);
        allGivers.add(giver);
      } else {
        sums[2] -= amount;
        periodSums[2] -= amount;
        if (row.get("type").startsWith("DISPUTE")) {
          sums[3] -= amount;
        }
      }
      sums[4] += minor(row.get("fee"), currency);
      sums[5] += minor(row.get("net"), currency);
      periodSums[3] += minor(row.get("fee"), currency);
      periodSums[4] += minor(row.get("net"), currency);
    }
    assertThat(view.getJsonNumber("givers").longValue()).as(what).isEqualTo(allGivers.size());
    expected.forEach(
        (currency, sums) -> {
          JsonObject c = dashboard.get(currency);
          assertThat(c).as(what + " " + currency).isNotNull();
          assertThat(
                  List.of(
                      number(c, "payments"),
                      number(c, "gross"),
                      number(c, "refunds"),
                      number(c, "disputes"),
                      number(c, "fees"),
                      number(c, "net")))
              .as(what + " " + currency)
              .containsExactly(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
          assertThat(number(c, "givers"))
              .as(what + " givers " + currency)
              .isEqualTo(givers.getOrDefault(currency, Set.of()).size());
          assertThat(c.getInt("currencyDecimals")).isEqualTo(Money.exponent(currency));
        });
    // Currencies with money in the dashboard but no export rows would be invented money.
    dashboard.forEach(
        (currency, c) -> {
          if (!expected.containsKey(currency)) {
            assertThat(List.of(number(c, "gross"), number(c, "net"), number(c, "refunds")))
                .as(what + " " + currency)
                .containsOnly(0L);
          }
        });

    // Each chart point equals the export rows of its period.
    dashboard.forEach(
        (currency, c) -> {
          List<JsonObject> series = c.getJsonArray("series").getValuesAs(JsonObject.class);
          assertThat(series.get(0).getString("from")).isEqualTo(from.toString());
          assertThat(series.get(series.size() - 1).getString("to")).isEqualTo(to.toString());
          for (JsonObject point : series) {
            long[] sums =
                expectedPeriods.getOrDefault(
                    point.getString("period") + " " + currency, new long[5]);
            assertThat(
                    List.of(
                        number(point, "payments"),
                        number(point, "gross"),
                        number(point, "refunds"),
                        number(point, "fees"),
                        number(point, "net")))
                .as(what + " " + currency + " " + point.getString("period"))
                .containsExactly(sums[0], sums[1], sums[2], sums[3], sums[4]);
          }
        });

    // The summary report, per currency and per period.
    JsonObject summary =
        finance
            .get("/api/reports/summary?" + query + "&groupBy=" + grouping + "&format=json")
            .json();
    Map<String, long[]> summed = new TreeMap<>();
    for (JsonObject row : summary.getJsonArray("rows").getValuesAs(JsonObject.class)) {
      long[] sums = summed.computeIfAbsent(row.getString("currency"), k -> new long[7]);
      sums[0] += number(row, "count");
      sums[1] += number(row, "gross");
      sums[2] += number(row, "refunds");
      sums[3] += number(row, "fees");
      sums[4] += number(row, "net");
      sums[5] += number(row, "newRecurring");
      sums[6] += number(row, "cancelledRecurring");
    }
    summed.forEach(
        (currency, sums) -> {
          JsonObject c = dashboard.get(currency);
          assertThat(c).as(what + " " + currency).isNotNull();
          assertThat(
                  List.of(
                      number(c, "payments"),
                      number(c, "gross"),
                      number(c, "refunds"),
                      number(c, "fees"),
                      number(c, "net"),
                      number(c, "newRecurring"),
                      number(c, "cancelledRecurring")))
              .as(what + " summary " + currency)
              .containsExactly(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6]);
        });

    // Recurring revenue at the end of the range and the day before it, as the recurring export.
    assertRecurring(dashboard, to, tz, "mrr", "activeRecurring", "pastDue", what);
    assertRecurring(dashboard, from.minusDays(1), tz, "mrrAtStart", null, null, what);
    dashboard.forEach(
        (currency, c) -> {
          List<JsonObject> series = c.getJsonArray("series").getValuesAs(JsonObject.class);
          JsonObject last = series.get(series.size() - 1);
          assertThat(number(last, "mrr")).as(what + " last mrr").isEqualTo(number(c, "mrr"));
          assertThat(number(c, "mrrChange")).isEqualTo(number(c, "mrr") - number(c, "mrrAtStart"));
        });
    if (!to.equals(from) && grouping.equals("day")) {
      // A point in the middle equals the recurring export as of its day.
      LocalDate middle = from.plusDays(java.time.temporal.ChronoUnit.DAYS.between(from, to) / 2);
      Map<String, Long> mrr = recurringExport(middle, tz, "mrr");
      dashboard.forEach(
          (currency, c) -> {
            JsonObject point =
                c.getJsonArray("series").getValuesAs(JsonObject.class).stream()
                    .filter(p -> p.getString("period").equals(middle.toString()))
                    .findFirst()
                    .orElseThrow();
            assertThat(number(point, "mrr"))
                .as(what + " mrr on " + middle + " " + currency)
                .isEqualTo(mrr.getOrDefault(currency, 0L));
          });
    }
  }

  private static void assertRecurring(
      Map<String, JsonObject> dashboard,
      LocalDate asOf,
      String tz,
      String mrrField,
      String activeField,
      String pastDueField,
      String what)
      throws IOException {
    Map<String, Long> mrr = recurringExport(asOf, tz, "mrr");
    Map<String, Long> active = recurringExport(asOf, tz, "active");
    Map<String, Long> pastDue = recurringExport(asOf, tz, "pastDue");
    Set<String> currencies = new HashSet<>(mrr.keySet());
    currencies.addAll(dashboard.keySet());
    for (String currency : currencies) {
      JsonObject c = dashboard.get(currency);
      long shown = c == null ? 0 : number(c, mrrField);
      assertThat(shown)
          .as(what + " " + mrrField + " " + currency)
          .isEqualTo(mrr.getOrDefault(currency, 0L));
      if (activeField != null) {
        assertThat(c == null ? 0 : number(c, activeField))
            .as(what + " active " + currency)
            .isEqualTo(active.getOrDefault(currency, 0L));
        assertThat(c == null ? 0 : number(c, pastDueField))
            .as(what + " past due " + currency)
            .isEqualTo(pastDue.getOrDefault(currency, 0L));
      }
    }
  }

  /** A column of the recurring export as of a day, summed per currency in minor units. */
  private static Map<String, Long> recurringExport(LocalDate asOf, String tz, String column)
      throws IOException {
    Map<String, Long> sums = new HashMap<>();
    for (CSVRecord row :
        csv(finance.get("/api/reports/recurring?asOf=" + asOf + "&tz=" + tz).body())) {
      String currency = row.get("currency");
      long value =
          column.equals("mrr") ? minor(row.get(column), currency) : Long.parseLong(row.get(column));
      sums.merge(currency, value, Long::sum);
    }
    return sums;
  }

  // ---------------------------------------------------------------- zones and late events

  @Test
  void aGiftLateOnTheLastEveningOfJuneIsJulysInLondon() throws Exception {
    try (Connection db = Postgres.connect(server.schema)) {
      LedgerRows ledger = new LedgerRows(db, RUN);
      UUID p =
          ledger.payment("zone", null, "zone-" + RUN + "@donors.example", 1000, "SEK", "ONE_OFF");
      ledger.movement("PAYMENT", p, "zone", 1000, 30, "SEK", "2089-06-30T23:30:00Z");
    }
    assertThat(sek("from=2089-07-01&to=2089-07-01&tz=Europe/London")).isEqualTo(1000);
    assertThat(sek("from=2089-07-01&to=2089-07-01&tz=UTC")).isZero();
    assertThat(sek("from=2089-06-30&to=2089-06-30&tz=UTC")).isEqualTo(1000);
    assertThat(sek("from=2089-06-30&to=2089-06-30&tz=America/New_York")).isEqualTo(1000);
    assertThat(sek("from=2089-07-01&to=2089-07-01&tz=Asia/Kathmandu")).isEqualTo(1000);
    // By month: in London the gift is July's point, in New York June's.
    JsonObject london =
        currency(
            finance
                .get(
                    "/api/reports/dashboard?from=2089-06-01&to=2089-07-31&tz=Europe/London"
                        + "&groupBy=month")
                .json(),
            "SEK");
    List<JsonObject> series = london.getJsonArray("series").getValuesAs(JsonObject.class);
    assertThat(series).extracting(s -> s.getString("period")).containsExactly("2089-06", "2089-07");
    assertThat(series).extracting(s -> number(s, "gross")).containsExactly(0L, 1000L);
  }

  @Test
  void aRefundThatArrivesAMonthLateChangesTheMonthItHappenedIn() throws Exception {
    String range = "/api/reports/dashboard?from=2089-09-01&to=2089-10-31&tz=UTC&groupBy=month";
    UUID p;
    try (Connection db = Postgres.connect(server.schema)) {
      LedgerRows ledger = new LedgerRows(db, RUN);
      p = ledger.payment("late", null, "late-" + RUN + "@donors.example", 5000, "NOK", "ONE_OFF");
      ledger.movement("PAYMENT", p, "late", 5000, 150, "NOK", "2089-09-15T12:00:00Z");
    }
    JsonObject before = currency(finance.get(range).json(), "NOK");
    assertThat(points(before, "refunds")).containsExactly(0L, 0L);
    assertThat(points(before, "net")).containsExactly(4850L, 0L);

    // Stripe's refund of 28 September, recorded only now (a lost webhook found by the sync).
    try (Connection db = Postgres.connect(server.schema)) {
      new LedgerRows(db, RUN)
          .movement("REFUND", p, "late", -2000, 0, "NOK", "2089-09-28T08:00:00Z");
    }
    JsonObject after = currency(finance.get(range).json(), "NOK");
    assertThat(points(after, "refunds")).containsExactly(2000L, 0L);
    assertThat(points(after, "net")).containsExactly(2850L, 0L);
    assertThat(number(after, "refunds")).isEqualTo(2000);
    assertThat(number(after, "net")).isEqualTo(2850);
    assertEqualsExports(LocalDate.of(2089, 9, 1), LocalDate.of(2089, 10, 31), "UTC", "month");
  }

  /**
   * The hourly rollup the dashboard reads on PostgreSQL equals a GROUP BY over the movements after
   * late, out-of-order, corrected and reconciled rows: its triggers cannot let it drift.
   */
  @Test
  void theHourlyRollupEqualsTheMovementsAfterLateCorrectedAndReconciledRows() throws Exception {
    try (Connection db = Postgres.connect(server.schema)) {
      LedgerRows ledger = new LedgerRows(db, RUN);
      UUID p =
          ledger.payment(
              "rollup", null, "rollup-" + RUN + "@donors.example", 7000, "DKK", "ONE_OFF");
      // The refund is recorded before its payment, and a month after it happened.
      ledger.movement("REFUND", p, "rollup", -1000, 0, "DKK", "2089-11-20T09:59:59Z");
      ledger.movement("PAYMENT", p, "rollup", 7000, 230, "DKK", "2089-11-03T10:15:00Z");
      // Payout reconciliation touches no summed column; a correction moves the refund's hour.
      try (var s = db.createStatement()) {
        s.executeUpdate(
            "UPDATE money_movement SET stripe_payout_id = 'po_rollup' WHERE payment_id = '"
                + p
                + "'");
        s.executeUpdate(
            "UPDATE money_movement SET occurred_at = occurred_at + INTERVAL '1 second',"
                + " settlement_amount = -1200, net = -1200 WHERE type = 'REFUND'"
                + " AND payment_id = '"
                + p
                + "'");
      }
      String live =
          "SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,"
              + " type, settlement_currency, COUNT(*) AS movements, SUM(settlement_amount) AS a,"
              + " SUM(fee) AS f, SUM(net) AS n FROM money_movement GROUP BY 1, 2, 3";
      String rollup =
          "SELECT hour, type, settlement_currency, movements, settlement_amount, fee, net"
              + " FROM movement_hour WHERE movements <> 0";
      try (var s = db.createStatement();
          var rows =
              s.executeQuery(
                  "SELECT (SELECT COUNT(*) FROM (("
                      + live
                      + ") EXCEPT ("
                      + rollup
                      + ")) x), (SELECT COUNT(*) FROM (("
                      + rollup
                      + ") EXCEPT ("
                      + live
                      + ")) y), (SELECT COUNT(*) FROM movement_hour)")) {
        rows.next();
        assertThat(rows.getLong(1)).as("hours missing from the rollup").isZero();
        assertThat(rows.getLong(2)).as("rollup hours not in the movements").isZero();
        assertThat(rows.getLong(3)).isPositive();
      }
    }
    JsonObject november =
        currency(
            finance
                .get("/api/reports/dashboard?from=2089-11-01&to=2089-11-30&tz=Europe/London")
                .json(),
            "DKK");
    assertThat(number(november, "gross")).isEqualTo(7000);
    assertThat(number(november, "refunds")).isEqualTo(1200);
    assertEqualsExports(LocalDate.of(2089, 11, 1), LocalDate.of(2089, 11, 30), "Europe/London", "");
  }

  /**
   * The facts the dashboard counts givers and origins from on PostgreSQL (V76) equal the ledger
   * derived afresh, after payments recorded out of order, origins set late, a guest's gift attached
   * to a member, an erasure, a deleted movement, and two transactions recording one giver's
   * payments at the same time: the second waits for the first, then counts it.
   */
  @Test
  void thePaymentFactsEqualTheLedgerAfterOutOfOrderAttachedErasedAndConcurrentPayments()
      throws Exception {
    String guest = "facts-" + RUN + "@Donors.example";
    try (Connection db = Postgres.connect(server.schema)) {
      LedgerRows ledger = new LedgerRows(db, RUN);
      UUID member = ledger.member("facts-member-" + RUN + "@donors.example");
      UUID later = ledger.payment("facts-1", null, guest, 900, "NOK", "ONE_OFF");
      UUID earlier = ledger.payment("facts-2", null, guest, 800, "NOK", "ONE_OFF");
      UUID between = ledger.payment("facts-3", null, guest, 700, "NOK", "ONE_OFF");
      UUID removed = ledger.payment("facts-4", null, guest, 600, "NOK", "ONE_OFF");
      ledger.movement("PAYMENT", later, "facts-1", 900, 30, "NOK", "2090-03-20T10:00:00Z");
      ledger.movement("PAYMENT", earlier, "facts-2", 800, 30, "NOK", "2090-03-01T10:00:00Z");
      ledger.movement("PAYMENT", between, "facts-3", 700, 30, "NOK", "2090-03-10T10:00:00Z");
      ledger.movement("PAYMENT", removed, "facts-4", 600, 30, "NOK", "2090-03-05T10:00:00Z");
      ledger.update(
          "UPDATE payment SET source_campaign = 'facts' WHERE id IN (?, ?)", earlier, later);
      ledger.update("UPDATE payment SET member_id = ? WHERE id = ?", member, between);
      ledger.update(
          "UPDATE payment SET donor_email = NULL, donor_email_normalized = NULL WHERE id = ?",
          later);
      ledger.update("DELETE FROM money_movement WHERE payment_id = ?", removed);
      assertPaymentFactsEqualTheLedger(db);
    }

    String together = "facts-together-" + RUN + "@donors.example";
    try (Connection first = Postgres.connect(server.schema);
        Connection second = Postgres.connect(server.schema)) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      LedgerRows one = new LedgerRows(first, RUN);
      LedgerRows two = new LedgerRows(second, RUN);
      UUID a = one.payment("facts-a", null, together, 500, "NOK", "ONE_OFF");
      UUID b = two.payment("facts-b", null, together, 500, "NOK", "ONE_OFF");
      one.movement("PAYMENT", a, "facts-a", 500, 20, "NOK", "2090-04-01T10:00:00Z");
      long secondPid;
      try (var s = second.createStatement();
          var row = s.executeQuery("SELECT pg_backend_pid()")) {
        row.next();
        secondPid = row.getLong(1);
      }
      var recording =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  two.movement("PAYMENT", b, "facts-b", 500, 20, "NOK", "2090-04-02T10:00:00Z");
                  second.commit();
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (Connection watcher = Postgres.connect(server.schema)) {
        eventually(
            () -> waitsOnALock(watcher, secondPid), "the second recording waits for the first");
      }
      first.commit();
      recording.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    try (Connection db = Postgres.connect(server.schema)) {
      assertPaymentFactsEqualTheLedger(db);
    }
    JsonObject march =
        currency(
            finance.get("/api/reports/dashboard?from=2090-03-01&to=2090-04-30&tz=UTC").json(),
            "NOK");
    // The member, the guest's email and the erased gift; then the guest who paid twice at once.
    assertThat(number(march, "givers")).isEqualTo(4);
    assertEqualsExports(LocalDate.of(2090, 3, 1), LocalDate.of(2090, 4, 30), "UTC", "month");
    assertEqualsExports(LocalDate.of(2090, 3, 2), LocalDate.of(2090, 3, 19), "UTC", "day");
  }

  private static boolean waitsOnALock(Connection watcher, long pid) {
    try (var s =
        watcher.prepareStatement("SELECT COUNT(*) FROM pg_locks WHERE pid = ? AND NOT granted")) {
      s.setLong(1, pid);
      try (var rows = s.executeQuery()) {
        rows.next();
        return rows.getLong(1) > 0;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every PAYMENT movement's fact, derived afresh with window functions, against the table. */
  private static void assertPaymentFactsEqualTheLedger(Connection db) throws Exception {
    String derived =
        "SELECT mm.id, mm.payment_id, mm.occurred_at, mm.settlement_currency,"
            + " mm.settlement_amount, mm.net, p.currency, p.frequency = 'ONE_OFF', p.source_campaign,"
            + " p.source_article_url, p.recovered, p.covered_fee, g.giver,"
            + " lag(mm.occurred_at) OVER (PARTITION BY g.giver ORDER BY mm.occurred_at, mm.id),"
            + " lag(mm.occurred_at) OVER (PARTITION BY g.giver, mm.settlement_currency"
            + "  ORDER BY mm.occurred_at, mm.id),"
            + " CASE WHEN p.frequency = 'ONE_OFF' AND p.source_campaign IS NOT NULL THEN"
            + "  lag(mm.occurred_at) OVER (PARTITION BY g.giver, mm.settlement_currency,"
            + "  p.source_campaign, p.frequency = 'ONE_OFF' ORDER BY mm.occurred_at, mm.id) END,"
            + " CASE WHEN p.frequency = 'ONE_OFF' AND p.source_article_url IS NOT NULL THEN"
            + "  lag(mm.occurred_at) OVER (PARTITION BY g.giver, mm.settlement_currency,"
            + "  p.source_article_url, p.frequency = 'ONE_OFF' ORDER BY mm.occurred_at, mm.id) END"
            + " FROM money_movement mm JOIN payment p ON p.id = mm.payment_id,"
            + " LATERAL (SELECT "
            + Dashboard.GIVER
            + " AS giver) g WHERE mm.type = 'PAYMENT'";
    String facts =
        "SELECT movement_id, payment_id, occurred_at, settlement_currency, settlement_amount, net,"
            + " charge_currency, one_off, source_campaign, source_article_url, recovered,"
            + " covered_fee, giver, giver_prev_at, giver_currency_prev_at, campaign_prev_at,"
            + " article_prev_at FROM payment_fact";
    try (var s = db.createStatement();
        var rows =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM (("
                    + derived
                    + ") EXCEPT ("
                    + facts
                    + ")) x), (SELECT COUNT(*) FROM (("
                    + facts
                    + ") EXCEPT ("
                    + derived
                    + ")) y), (SELECT COUNT(*) FROM payment_fact)")) {
      rows.next();
      assertThat(rows.getLong(1)).as("ledger payments whose fact is missing or stale").isZero();
      assertThat(rows.getLong(2)).as("facts the ledger does not have").isZero();
      assertThat(rows.getLong(3)).isPositive();
    }
  }

  // ---------------------------------------------------------------- recovered payments

  @Test
  void aRenewalPaidAfterItFailedIsRecoveredWhicheverEventIsAppliedFirst() throws IOException {
    org.newsroom.membership.testing.StripeFixtures stripe =
        new org.newsroom.membership.testing.StripeFixtures(server);
    for (boolean failureFirst : List.of(true, false)) {
      String subscription = org.newsroom.membership.testing.StripeFixtures.unique("sub");
      String customer = org.newsroom.membership.testing.StripeFixtures.unique("cus");
      long now = org.newsroom.membership.testing.StripeFixtures.now();
      stripe.stubObject(
          "/v1/subscriptions/" + subscription,
          org.newsroom.membership.testing.StripeFixtures.subscription(
              subscription, customer, "active", 800, "month", now + 2_600_000, null));
      String invoice = org.newsroom.membership.testing.StripeFixtures.unique("in");
      String charge = org.newsroom.membership.testing.StripeFixtures.unique("ch");
      stripe.stubCharge(charge, customer, 800, 30);
      String failed =
          org.newsroom.membership.testing.StripeFixtures.event(
              org.newsroom.membership.testing.StripeFixtures.unique("evt"),
              "invoice.payment_failed",
              now - 60,
              "{\"id\":\""
                  + invoice
                  + "\",\"object\":\"invoice\",\"customer\":\""
                  + customer
                  + "\",\"subscription\":\""
                  + subscription
                  + "\",\"attempt_count\":1,\"amount_paid\":0,\"amount_due\":800,"
                  + "\"currency\":\"gbp\",\"status\":\"open\"}");
      String paid =
          org.newsroom.membership.testing.StripeFixtures.event(
              org.newsroom.membership.testing.StripeFixtures.unique("evt"),
              "invoice.paid",
              now,
              org.newsroom.membership.testing.StripeFixtures.invoice(
                  invoice,
                  subscription,
                  customer,
                  "retry@donors.example",
                  charge,
                  800,
                  now + 2_600_000));
      for (String event : failureFirst ? List.of(failed, paid) : List.of(paid, failed)) {
        stripe.deliver(event);
        String id =
            jakarta.json.Json.createReader(new java.io.StringReader(event))
                .readObject()
                .getString("id");
        stripe.awaitEvent(id, "APPLIED");
      }
      assertThat(stripe.row("SELECT recovered FROM payment WHERE stripe_charge_id = ?", charge))
          .as("failure first: " + failureFirst)
          .containsEntry("recovered", true);
      LocalDate today = LocalDate.now(ZoneId.of("UTC"));
      String query = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&tz=UTC";
      CSVRecord row =
          csv(finance.get("/api/reports/transactions?" + query).body()).stream()
              .filter(r -> r.get("stripeChargeId").equals(charge))
              .findFirst()
              .orElseThrow();
      assertThat(row.get("recovered")).isEqualTo("true");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static long sek(String query) {
    JsonObject c = currency(finance.get("/api/reports/dashboard?" + query).json(), "SEK");
    return c == null ? 0 : number(c, "gross");
  }

  private static List<Long> points(JsonObject currency, String field) {
    return currency.getJsonArray("series").getValuesAs(JsonObject.class).stream()
        .map(p -> number(p, field))
        .toList();
  }

  private static JsonObject currency(JsonObject view, String code) {
    return view.getJsonArray("currencies").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("currency").equals(code))
        .findFirst()
        .orElse(null);
  }

  private static long number(JsonObject o, String field) {
    return o.getJsonNumber(field).longValueExact();
  }

  private static long minor(String decimal, String currency) {
    return new BigDecimal(decimal).movePointRight(Money.exponent(currency)).longValueExact();
  }

  private static List<CSVRecord> csv(String text) throws IOException {
    try (CSVParser parser =
        CSVParser.parse(
            text, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return parser.getRecords();
    }
  }

  private static void assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }
}
