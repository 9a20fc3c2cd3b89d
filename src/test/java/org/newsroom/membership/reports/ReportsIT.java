package org.newsroom.membership.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Problems.assertProblem;
import static org.newsroom.membership.testing.Problems.assertValidation;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.donations.Money;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Await;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Finance reports over rows inserted straight into the ledger tables, with Stripe ids carrying a
 * marker unique to this run. Reports add up everything in a range, so the rows sit in years no
 * other test writes money into: 2087 (a year with 2031's calendar, whose daylight-saving Sundays
 * the zone tests name) and, for the hang-up test's 60,000 movements, 2085. The dashboard's test has
 * 2089.
 */
@SharedServer
class ReportsIT {

  private static TestServer server;
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String PASSWORD = "reports integration passphrase 2031";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final String HYPERLINK = "=HYPERLINK(\"http://evil.example\",\"x\")";
  private static final String QUOTED = "say \"hi\", then\nnew line";

  private static Api admin;
  private static Api finance;
  private static Api reader;
  private static String financeId;
  private static String readerId;
  private static UUID ada;
  private static UUID erased;
  private static String adaEmail;

  @BeforeAll
  static void staffAndLedger(TestServer server) throws Exception {
    ReportsIT.server = server;
    admin = server.signedInAdmin();
    TestServer.StaffMember member = server.staffMember("finance", "FINANCE");
    finance = member.api();
    financeId = member.id();
    reader = server.api();
    readerId = reader.register(Api.uniqueEmail("reader"), PASSWORD).getString("id");
    try (Connection db = Postgres.connect(server.schema)) {
      insertLedger(db);
    }
  }

  // ---------------------------------------------------------------- fixtures

  private static void insertLedger(Connection db) throws SQLException {
    ada = UUID.randomUUID();
    erased = UUID.randomUUID();
    adaEmail = "ada-" + RUN + "@donors.example";
    member(db, ada, adaEmail, null);
    member(db, erased, null, OffsetDateTime.parse("2087-09-30T10:00:00Z"));

    // GBP one-off on the night the clocks go back (00:30 BST on 26 October, local time),
    // refunded in part the month after.
    UUID p1 = payment(db, "1", ada, adaEmail, 1250, "GBP", "ONE_OFF");
    movement(
        db,
        "PAYMENT",
        p1,
        "1",
        null,
        1250,
        "GBP",
        1250,
        56,
        "GBP",
        "po_" + RUN + "_a",
        "2087-10-25T23:30:00Z");
    movement(
        db, "REFUND", p1, "1", null, -500, "GBP", -500, 0, "GBP", null, "2087-11-03T10:00:00Z");
    // JPY settled in JPY, late on the 25-hour day, from a guest whose "email" is a formula.
    UUID p2 = payment(db, "2", null, HYPERLINK, 1250, "JPY", "ONE_OFF");
    movement(
        db, "PAYMENT", p2, "2", null, 1250, "JPY", 1250, 66, "JPY", null, "2087-10-26T23:30:00Z");
    // JPY charged, settled in GBP, by a member since erased; disputed and won back.
    UUID p3 = payment(db, "3", erased, null, 5000, "JPY", "ONE_OFF");
    movement(
        db, "PAYMENT", p3, "3", null, 5000, "JPY", 2650, 120, "GBP", null, "2087-08-10T12:00:00Z");
    movement(
        db,
        "DISPUTE",
        p3,
        "3",
        null,
        -5000,
        "JPY",
        -2650,
        1500,
        "GBP",
        null,
        "2087-09-01T09:00:00Z");
    movement(
        db,
        "DISPUTE_REVERSAL",
        p3,
        "3",
        null,
        5000,
        "JPY",
        2650,
        -1500,
        "GBP",
        null,
        "2087-09-20T09:00:00Z");
    // Either side of the night the clocks go forward (30 March 2087, 01:00 UTC).
    UUID p4 = payment(db, "4", null, "+1+1", 1000, "EUR", "MONTHLY");
    movement(
        db,
        "PAYMENT",
        p4,
        "4",
        "in_" + RUN + "_4",
        1000,
        "EUR",
        1000,
        40,
        "EUR",
        null,
        "2087-03-30T00:30:00Z");
    UUID p5 = payment(db, "5", null, "@SUM(A1)", 6000, "USD", "ANNUAL");
    movement(
        db,
        "PAYMENT",
        p5,
        "5",
        "in_" + RUN + "_5",
        6000,
        "USD",
        6000,
        200,
        "USD",
        null,
        "2087-03-30T23:30:00Z");
    UUID p6 = payment(db, "6", null, "\tTAB@donors.example", 700, "GBP", "ONE_OFF");
    movement(
        db, "PAYMENT", p6, "6", null, 700, "GBP", 700, 30, "GBP", null, "2087-10-10T12:00:00Z");
    UUID p7 = payment(db, "7", null, QUOTED, 300, "GBP", "ONE_OFF");
    movement(
        db, "PAYMENT", p7, "7", null, 300, "GBP", 300, 20, "GBP", null, "2087-10-11T12:00:00Z");
    UUID p8 = payment(db, "8", null, "-2+3@donors.example", 900, "GBP", "ONE_OFF");
    movement(
        db, "PAYMENT", p8, "8", null, 900, "GBP", 900, 35, "GBP", null, "2087-10-12T12:00:00Z");

    // Random traffic from January to early August for the summary-equals-sum property.
    Random random = new Random(2031);
    String[] currencies = {"GBP", "EUR", "USD", "JPY"};
    String[] frequencies = {"ONE_OFF", "MONTHLY", "ANNUAL"};
    Instant start = Instant.parse("2087-01-01T00:00:00Z");
    for (int i = 0; i < 150; i++) {
      String currency = currencies[random.nextInt(currencies.length)];
      long amount = 100 + random.nextInt(20_000);
      long fee = 20 + amount * 3 / 100;
      Instant paid = start.plusSeconds(random.nextInt(180 * 24 * 3600));
      UUID p =
          payment(
              db,
              "r" + i,
              null,
              "r" + i + "-" + RUN + "@donors.example",
              amount,
              currency,
              frequencies[random.nextInt(frequencies.length)]);
      movement(
          db,
          "PAYMENT",
          p,
          "r" + i,
          null,
          amount,
          currency,
          amount,
          fee,
          currency,
          null,
          paid.toString());
      int roll = random.nextInt(10);
      Instant later = paid.plusSeconds(random.nextInt(40 * 24 * 3600));
      if (roll < 3) {
        long refund = 1 + random.nextInt((int) amount);
        movement(
            db,
            "REFUND",
            p,
            "r" + i,
            null,
            -refund,
            currency,
            -refund,
            0,
            currency,
            null,
            later.toString());
      } else if (roll < 5) {
        movement(
            db,
            "DISPUTE",
            p,
            "r" + i,
            null,
            -amount,
            currency,
            -amount,
            1500,
            currency,
            null,
            later.toString());
        if (roll == 4) {
          movement(
              db,
              "DISPUTE_REVERSAL",
              p,
              "r" + i,
              null,
              amount,
              currency,
              amount,
              -1500,
              currency,
              null,
              later.plusSeconds(86_400).toString());
        }
      }
    }

    // Recurring contributions in CHF, a currency no other test uses.
    recurring(db, "m1", 1000, "MONTHLY", "ACTIVE", "2087-02-10T10:00:00Z", null);
    recurring(db, "m2", 550, "MONTHLY", "ACTIVE", "2087-10-26T00:30:00Z", null);
    recurring(db, "a1", 12_000, "ANNUAL", "ACTIVE", "2087-03-01T10:00:00Z", null);
    recurring(db, "a2", 1_000, "ANNUAL", "PAST_DUE", "2087-03-02T10:00:00Z", null);
    recurring(db, "p1", 500, "MONTHLY", "PAUSED", "2087-04-01T10:00:00Z", null);
    recurring(db, "c1", 800, "MONTHLY", "CANCELED", "2087-01-05T10:00:00Z", "2087-10-15T10:00:00Z");
    recurring(db, "i1", 900, "MONTHLY", "INCOMPLETE", "2087-05-05T10:00:00Z", null);

    // A payout that reconciles (its own "payout" balance transaction is not counted) and one
    // that is 150 short.
    payout(db, "a", 1194 + 2530, "GBP", "2087-11-05T00:00:00Z");
    payoutTransaction(db, "a", "txn_" + RUN + "_a1", "charge", 1250, 56, 1194, "GBP");
    payoutTransaction(db, "a", "txn_" + RUN + "_a2", "charge", 2650, 120, 2530, "GBP");
    payoutTransaction(db, "a", "txn_" + RUN + "_a3", "payout", -3724, 0, -3724, "GBP");
    payout(db, "b", 10_000, "EUR", "2087-11-06T00:00:00Z");
    payoutTransaction(db, "b", "txn_" + RUN + "_b1", "charge", 10_000, 150, 9_850, "EUR");
  }

  private static void member(Connection db, UUID id, String email, OffsetDateTime erasedAt)
      throws SQLException {
    update(
        db,
        "INSERT INTO member (id, email, email_normalized, roles, created_at, updated_at,"
            + " erased_at) VALUES (?, ?, ?, 'READER', ?, ?, ?)",
        id,
        email,
        email == null ? null : email.toLowerCase(),
        now(),
        now(),
        erasedAt);
  }

  private static UUID payment(
      Connection db,
      String n,
      UUID member,
      String email,
      long amount,
      String currency,
      String frequency)
      throws SQLException {
    UUID id = UUID.randomUUID();
    update(
        db,
        "INSERT INTO payment (id, stripe_charge_id, member_id, donor_email, amount, currency,"
            + " frequency, status, paid_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?)",
        id,
        "ch_" + RUN + "_" + n,
        member,
        email,
        amount,
        currency,
        frequency,
        now(),
        now(),
        now());
    return id;
  }

  private static void movement(
      Connection db,
      String type,
      UUID payment,
      String n,
      String invoice,
      long amount,
      String currency,
      long settlementAmount,
      long fee,
      String settlementCurrency,
      String payout,
      String occurredAt)
      throws SQLException {
    update(
        db,
        "INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id,"
            + " stripe_invoice_id, amount, currency, settlement_amount, fee, net,"
            + " settlement_currency, balance_transaction_id, stripe_payout_id, occurred_at,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        type,
        type.toLowerCase() + "_" + RUN + "_" + n + "_" + UUID.randomUUID(),
        payment,
        "ch_" + RUN + "_" + n,
        invoice,
        amount,
        currency,
        settlementAmount,
        fee,
        settlementAmount - fee,
        settlementCurrency,
        "txn_" + UUID.randomUUID(),
        payout,
        OffsetDateTime.parse(occurredAt),
        now());
  }

  private static void recurring(
      Connection db,
      String n,
      long amount,
      String frequency,
      String status,
      String startedAt,
      String canceledAt)
      throws SQLException {
    update(
        db,
        "INSERT INTO recurring_contribution (id, stripe_subscription_id, amount, currency,"
            + " frequency, status, started_at, canceled_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'CHF', ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        "sub_" + RUN + "_" + n,
        amount,
        frequency,
        status,
        OffsetDateTime.parse(startedAt),
        canceledAt == null ? null : OffsetDateTime.parse(canceledAt),
        now(),
        now());
  }

  private static void payout(Connection db, String n, long amount, String currency, String at)
      throws SQLException {
    update(
        db,
        "INSERT INTO payout (id, stripe_payout_id, amount, currency, status, arrival_date,"
            + " created_at, updated_at) VALUES (?, ?, ?, ?, 'paid', ?, ?, ?)",
        UUID.randomUUID(),
        "po_" + RUN + "_" + n,
        amount,
        currency,
        OffsetDateTime.parse(at),
        OffsetDateTime.parse(at).minusDays(2),
        now());
  }

  private static void payoutTransaction(
      Connection db,
      String n,
      String txn,
      String type,
      long amount,
      long fee,
      long net,
      String currency)
      throws SQLException {
    update(
        db,
        "INSERT INTO payout_balance_transaction (stripe_payout_id, balance_transaction_id, type,"
            + " amount, fee, net, currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "po_" + RUN + "_" + n,
        txn,
        type,
        amount,
        fee,
        net,
        currency,
        now());
  }

  private static void update(Connection db, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  // ---------------------------------------------------------------- access

  @Test
  void reportsNeedFinanceOrAdminAndTheAuditLogNeedsAdmin() {
    List<String> reports =
        List.of(
            "/api/reports/transactions?from=2087-10-01&to=2087-10-31",
            "/api/reports/summary?from=2087-10-01&to=2087-10-31",
            "/api/reports/recurring?asOf=2087-12-31",
            "/api/reports/payouts?from=2087-11-01&to=2087-11-30");
    for (String path : reports) {
      assertProblem(server.api().get(path), 401);
      assertProblem(reader.get(path), 403);
      assertThat(finance.get(path).status()).as(path).isEqualTo(200);
      assertThat(admin.get(path).status()).as(path).isEqualTo(200);
    }
    String audit = "/api/audit?from=2087-01-01&to=2087-01-02";
    assertProblem(server.api().get(audit), 401);
    assertProblem(reader.get(audit), 403);
    assertProblem(finance.get(audit), 403);
    assertThat(admin.get(audit).status()).isEqualTo(200);
  }

  @Test
  void invalidParametersAreValidationProblemsNamingTheField() {
    assertField("/api/reports/transactions?from=2087-10-01&to=2087-10-31&format=pdf", "format");
    assertField("/api/reports/transactions?from=2087-10-32&to=2087-10-31", "from");
    assertField("/api/reports/transactions?from=2087-10-01", "to");
    assertField("/api/reports/transactions?from=2087-10-02&to=2087-10-01", "from");
    assertField("/api/reports/transactions?from=2087-01-01&to=2088-02-05", "to");
    assertField("/api/reports/transactions?from=2087-10-01&to=2087-10-31&tz=Mars/Base", "tz");
    assertField("/api/reports/summary?from=2087-10-01&to=2087-10-31&groupBy=week", "groupBy");
    assertField("/api/reports/summary?from=2087-10-01&to=2087-10-31&format=html", "format");
    assertField("/api/reports/recurring?asOf=31/12/2087", "asOf");
    assertField("/api/reports/payouts?from=2087-11-01&to=2087-10-01", "from");
    assertThat(finance.get("/api/reports/transactions?from=2087-01-01&to=2088-02-04").status())
        .isEqualTo(200);
  }

  // ---------------------------------------------------------------- transactions

  @Test
  void transactionsCsvHasTheContractColumnsAndStripesFigures() throws Exception {
    Download csv = download(finance, "/api/reports/transactions?from=2087-08-01&to=2087-11-30");
    assertThat(csv.status).isEqualTo(200);
    assertThat(csv.contentType).startsWith("text/csv").contains("UTF-8");
    assertThat(csv.disposition)
        .isEqualTo("attachment; filename=\"transactions-2087-08-01_2087-11-30.csv\"");
    List<CSVRecord> rows = parseCsv(csv.text());
    assertThat(rows.get(0).toList())
        .containsSubsequence(
            "occurredAt",
            "type",
            "paymentId",
            "memberId",
            "donorEmail",
            "frequency",
            "currency",
            "amount",
            "fee",
            "net",
            "settlementCurrency",
            "stripeChargeId",
            "stripeInvoiceId",
            "stripePayoutId");
    Map<String, CSVRecord> mine = byChargeAndType(rows);

    CSVRecord payment = mine.get("ch_" + RUN + "_1 PAYMENT");
    assertThat(payment.get("occurredAt")).isEqualTo("2087-10-25T23:30:00Z");
    assertThat(payment.get("memberId")).isEqualTo(ada.toString());
    assertThat(payment.get("donorEmail")).isEqualTo(adaEmail);
    assertThat(payment.get("frequency")).isEqualTo("ONE_OFF");
    assertThat(payment.get("currency")).isEqualTo("GBP");
    assertThat(payment.get("amount")).isEqualTo("12.50");
    assertThat(payment.get("fee")).isEqualTo("0.56");
    assertThat(payment.get("net")).isEqualTo("11.94");
    assertThat(payment.get("stripePayoutId")).isEqualTo("po_" + RUN + "_a");

    CSVRecord refund = mine.get("ch_" + RUN + "_1 REFUND");
    assertThat(refund.get("amount")).isEqualTo("-5.00");
    assertThat(refund.get("net")).isEqualTo("-5.00");

    CSVRecord yen = mine.get("ch_" + RUN + "_2 PAYMENT");
    assertThat(yen.get("currency")).isEqualTo("JPY");
    assertThat(yen.get("amount")).isEqualTo("1250");
    assertThat(yen.get("fee")).isEqualTo("66");
    assertThat(yen.get("net")).isEqualTo("1184");

    // Charged in JPY, settled in GBP: the money columns are the settled GBP figures.
    CSVRecord settled = mine.get("ch_" + RUN + "_3 PAYMENT");
    assertThat(settled.get("currency")).isEqualTo("GBP");
    assertThat(settled.get("settlementCurrency")).isEqualTo("GBP");
    assertThat(settled.get("amount")).isEqualTo("26.50");
    assertThat(settled.get("net")).isEqualTo("25.30");
    assertThat(settled.get("presentmentCurrency")).isEqualTo("JPY");
    assertThat(settled.get("presentmentAmount")).isEqualTo("5000");
    CSVRecord dispute = mine.get("ch_" + RUN + "_3 DISPUTE");
    assertThat(dispute.get("amount")).isEqualTo("-26.50");
    assertThat(dispute.get("fee")).isEqualTo("15.00");
    assertThat(dispute.get("net")).isEqualTo("-41.50");
    CSVRecord reversal = mine.get("ch_" + RUN + "_3 DISPUTE_REVERSAL");
    assertThat(reversal.get("fee")).isEqualTo("-15.00");
    assertThat(reversal.get("net")).isEqualTo("41.50");

    // The erased member keeps their id and payments; the email is a pseudonym.
    assertThat(settled.get("memberId")).isEqualTo(erased.toString());
    assertThat(settled.get("donorEmail")).startsWith("erased-").doesNotContain("@");
    assertThat(dispute.get("donorEmail")).isEqualTo(settled.get("donorEmail"));
  }

  @Test
  void csvNeutralisesFormulasAndQuotesWhatNeedsQuoting() throws Exception {
    Download csv = download(finance, "/api/reports/transactions?from=2087-10-01&to=2087-10-31");
    Map<String, CSVRecord> mine = byChargeAndType(parseCsv(csv.text()));
    assertThat(mine.get("ch_" + RUN + "_2 PAYMENT").get("donorEmail")).isEqualTo("'" + HYPERLINK);
    assertThat(mine.get("ch_" + RUN + "_6 PAYMENT").get("donorEmail"))
        .isEqualTo("'\tTAB@donors.example");
    assertThat(mine.get("ch_" + RUN + "_7 PAYMENT").get("donorEmail")).isEqualTo(QUOTED);
    assertThat(mine.get("ch_" + RUN + "_8 PAYMENT").get("donorEmail"))
        .isEqualTo("'-2+3@donors.example");
    // On the wire: RFC 4180 quoting with doubled quotes, CRLF between records.
    assertThat(csv.text()).contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
    assertThat(csv.text()).contains("\"say \"\"hi\"\", then\nnew line\"");
    assertThat(csv.text()).contains("\r\n");
    // Numbers are never prefixed, negative ones included.
    Map<String, CSVRecord> all =
        byChargeAndType(
            parseCsv(
                download(finance, "/api/reports/transactions?from=2087-01-01&to=2087-12-31")
                    .text()));
    assertThat(all.values())
        .allSatisfy(
            r ->
                assertThat(List.of(r.get("amount"), r.get("fee"), r.get("net")))
                    .allSatisfy(money -> assertThat(money).matches("-?[0-9]+(\\.[0-9]+)?")));
    assertThat(all.values()).anySatisfy(r -> assertThat(r.get("amount")).startsWith("-"));
    Download march = download(finance, "/api/reports/transactions?from=2087-03-30&to=2087-03-31");
    Map<String, CSVRecord> spring = byChargeAndType(parseCsv(march.text()));
    assertThat(spring.get("ch_" + RUN + "_4 PAYMENT").get("donorEmail")).isEqualTo("'+1+1");
    assertThat(spring.get("ch_" + RUN + "_4 PAYMENT").get("stripeInvoiceId"))
        .isEqualTo("in_" + RUN + "_4");
    assertThat(spring.get("ch_" + RUN + "_5 PAYMENT").get("donorEmail")).isEqualTo("'@SUM(A1)");
  }

  @Test
  void xlsxOpensWithNumericMoneyAndNeutralisedText() throws Exception {
    Download xlsx =
        download(finance, "/api/reports/transactions?from=2087-10-01&to=2087-10-31&format=xlsx");
    assertThat(xlsx.status).isEqualTo(200);
    assertThat(xlsx.contentType)
        .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assertThat(xlsx.disposition)
        .isEqualTo("attachment; filename=\"transactions-2087-10-01_2087-10-31.xlsx\"");
    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body))) {
      Sheet sheet = workbook.getSheetAt(0);
      List<String> header = new ArrayList<>();
      sheet.getRow(0).forEach(c -> header.add(c.getStringCellValue()));
      assertThat(header).startsWith("occurredAt", "type", "paymentId", "memberId", "donorEmail");
      int charge = header.indexOf("stripeChargeId");
      int email = header.indexOf("donorEmail");
      int amount = header.indexOf("amount");
      int net = header.indexOf("net");
      Map<String, Row> mine = new HashMap<>();
      for (Row row : sheet) {
        if (row.getRowNum() > 0) {
          mine.put(row.getCell(charge).getStringCellValue(), row);
        }
      }
      Row yen = mine.get("ch_" + RUN + "_2");
      assertThat(yen.getCell(email).getStringCellValue()).isEqualTo("'" + HYPERLINK);
      Cell yenAmount = yen.getCell(amount);
      assertThat(yenAmount.getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(yenAmount.getNumericCellValue()).isEqualTo(1250.0);
      assertThat(yenAmount.getCellStyle().getDataFormatString()).isEqualTo("#,##0 \"JPY\"");
      Row pounds = mine.get("ch_" + RUN + "_1");
      assertThat(pounds.getCell(net).getNumericCellValue()).isEqualTo(11.94);
      assertThat(pounds.getCell(net).getCellStyle().getDataFormatString())
          .isEqualTo("#,##0.00 \"GBP\"");
      assertThat(mine.get("ch_" + RUN + "_6").getCell(email).getStringCellValue())
          .isEqualTo("'\tTAB@donors.example");
      assertThat(mine.get("ch_" + RUN + "_7").getCell(email).getStringCellValue())
          .isEqualTo(QUOTED);
      assertThat(mine.get("ch_" + RUN + "_8").getCell(email).getStringCellValue())
          .isEqualTo("'-2+3@donors.example");
    }
  }

  @Test
  void aDayIsTheZonesDayAcrossDaylightSavingChanges() throws Exception {
    // 26 October 2087 in London is 25 hours: 25th 23:00 UTC to 27th 00:00 UTC.
    Map<String, CSVRecord> london =
        byChargeAndType(
            parseCsv(
                download(
                        finance,
                        "/api/reports/transactions?from=2087-10-26&to=2087-10-26"
                            + "&tz=Europe/London")
                    .text()));
    assertThat(london).containsKeys("ch_" + RUN + "_1 PAYMENT", "ch_" + RUN + "_2 PAYMENT");
    Map<String, CSVRecord> utc =
        byChargeAndType(
            parseCsv(
                download(finance, "/api/reports/transactions?from=2087-10-26&to=2087-10-26&tz=UTC")
                    .text()));
    assertThat(utc)
        .containsKey("ch_" + RUN + "_2 PAYMENT")
        .doesNotContainKey("ch_" + RUN + "_1 PAYMENT");
    // 30 March 2087 in London is 23 hours; 23:30 UTC that evening is already the 31st.
    Map<String, CSVRecord> spring =
        byChargeAndType(
            parseCsv(
                download(finance, "/api/reports/transactions?from=2087-03-30&to=2087-03-30")
                    .text()));
    assertThat(spring)
        .containsKey("ch_" + RUN + "_4 PAYMENT")
        .doesNotContainKey("ch_" + RUN + "_5 PAYMENT");
  }

  // ---------------------------------------------------------------- summary

  @Test
  void summaryOfAMonthAddsUpTheMovementsOfThatMonth() {
    Api.Response response =
        finance.get("/api/reports/summary?from=2087-10-01&to=2087-10-31&groupBy=month");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    Map<String, JsonObject> rows = summaryRows(response.json());
    JsonObject gbp = rows.get("2087-10 GBP ONE_OFF");
    // ada 12.50 (fee 0.56), tab 7.00 (0.30), quoted 3.00 (0.20), minus 9.00 (0.35)
    assertThat(gbp.getJsonNumber("count").longValue()).isEqualTo(4);
    assertThat(gbp.getJsonNumber("gross").longValue()).isEqualTo(1250 + 700 + 300 + 900);
    assertThat(gbp.getJsonNumber("refunds").longValue()).isZero();
    assertThat(gbp.getJsonNumber("fees").longValue()).isEqualTo(56 + 30 + 20 + 35);
    assertThat(gbp.getJsonNumber("net").longValue()).isEqualTo(3150 - 141);
    JsonObject yen = rows.get("2087-10 JPY ONE_OFF");
    assertThat(yen.getJsonNumber("gross").longValue()).isEqualTo(1250);
    assertThat(yen.getJsonNumber("net").longValue()).isEqualTo(1184);
    // The exponent the pages format with: yen have no minor digits, pounds two.
    assertThat(yen.getInt("currencyDecimals")).isZero();
    assertThat(gbp.getInt("currencyDecimals")).isEqualTo(2);
    JsonObject chf = rows.get("2087-10 CHF MONTHLY");
    assertThat(chf.getJsonNumber("newRecurring").longValue()).isEqualTo(1);
    assertThat(chf.getJsonNumber("cancelledRecurring").longValue()).isEqualTo(1);
    assertThat(chf.getJsonNumber("count").longValue()).isZero();

    JsonObject september =
        summaryRows(
                finance
                    .get("/api/reports/summary?from=2087-09-01&to=2087-09-30&groupBy=month")
                    .json())
            .get("2087-09 GBP ONE_OFF");
    // The dispute (-26.50, fee 15.00) and its reversal (+26.50, fee -15.00) cancel out.
    assertThat(september.getJsonNumber("refunds").longValue()).isZero();
    assertThat(september.getJsonNumber("fees").longValue()).isZero();
    JsonObject november =
        summaryRows(
                finance
                    .get("/api/reports/summary?from=2087-11-01&to=2087-11-30&groupBy=month")
                    .json())
            .get("2087-11 GBP ONE_OFF");
    // A refund in the month after its payment counts in the refund's month.
    assertThat(november.getJsonNumber("count").longValue()).isZero();
    assertThat(november.getJsonNumber("refunds").longValue()).isEqualTo(500);
    assertThat(november.getJsonNumber("net").longValue()).isEqualTo(-500);
  }

  @Test
  void summaryNetAlwaysEqualsTheSumOfTheTransactionsNet() throws Exception {
    Random random = new Random();
    String[] zones = {"Europe/London", "UTC", "Asia/Tokyo", "America/New_York", "Pacific/Auckland"};
    LocalDate first = LocalDate.parse("2086-12-25");
    for (int i = 0; i < 25; i++) {
      LocalDate from = first.plusDays(random.nextInt(380));
      LocalDate to = from.plusDays(random.nextInt(i % 3 == 0 ? 3 : 120));
      String zone = zones[random.nextInt(zones.length)];
      String groupBy = random.nextBoolean() ? "day" : "month";
      String range = "from=" + from + "&to=" + to + "&tz=" + zone;
      List<CSVRecord> movements =
          parseCsv(download(finance, "/api/reports/transactions?" + range).text());
      Map<String, BigDecimal> net = new HashMap<>();
      Map<String, Long> payments = new HashMap<>();
      for (CSVRecord row : movements.subList(1, movements.size())) {
        LocalDate day = LocalDate.ofInstant(Instant.parse(row.get("occurredAt")), ZoneId.of(zone));
        String period = groupBy.equals("day") ? day.toString() : day.toString().substring(0, 7);
        String key = period + " " + row.get("currency") + " " + row.get("frequency");
        net.merge(key, new BigDecimal(row.get("net")), BigDecimal::add);
        if (row.get("type").equals("PAYMENT")) {
          payments.merge(key, 1L, Long::sum);
        }
      }
      Map<String, JsonObject> summary =
          summaryRows(finance.get("/api/reports/summary?" + range + "&groupBy=" + groupBy).json());
      for (Map.Entry<String, BigDecimal> expected : net.entrySet()) {
        JsonObject row = summary.get(expected.getKey());
        assertThat(row).as(range + " " + expected.getKey()).isNotNull();
        String currency = row.getString("currency");
        assertThat(Money.major(row.getJsonNumber("net").longValue(), currency))
            .as(range + " " + expected.getKey())
            .isEqualByComparingTo(expected.getValue());
        assertThat(row.getJsonNumber("count").longValue())
            .isEqualTo(payments.getOrDefault(expected.getKey(), 0L));
      }
      for (Map.Entry<String, JsonObject> row : summary.entrySet()) {
        JsonObject r = row.getValue();
        assertThat(
                r.getJsonNumber("gross").longValue()
                    - r.getJsonNumber("refunds").longValue()
                    - r.getJsonNumber("fees").longValue())
            .isEqualTo(r.getJsonNumber("net").longValue());
        if (!net.containsKey(row.getKey())) {
          assertThat(r.getJsonNumber("net").longValue()).as(range + " " + row.getKey()).isZero();
        }
      }
    }
  }

  @Test
  void summaryCsvAndXlsxCarryTheSameRows() throws Exception {
    String range = "from=2087-10-01&to=2087-10-31&groupBy=month";
    List<CSVRecord> csv =
        parseCsv(download(finance, "/api/reports/summary?" + range + "&format=csv").text());
    assertThat(csv.get(0).toList())
        .containsExactly(
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
    CSVRecord gbp =
        csv.subList(1, csv.size()).stream()
            .filter(r -> r.get("currency").equals("GBP") && r.get("frequency").equals("ONE_OFF"))
            .findFirst()
            .orElseThrow();
    assertThat(gbp.get("gross")).isEqualTo("31.50");
    assertThat(gbp.get("net")).isEqualTo("30.09");
    Download xlsx = download(finance, "/api/reports/summary?" + range + "&format=xlsx");
    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body))) {
      Sheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getLastRowNum()).isEqualTo(csv.size() - 1);
    }
  }

  // ---------------------------------------------------------------- recurring and payouts

  @Test
  void recurringRevenueCountsAnnualAsATwelfthAndPausedAsNothing() throws Exception {
    Map<String, CSVRecord> chf = new HashMap<>();
    for (CSVRecord row : rows(download(finance, "/api/reports/recurring?asOf=2087-12-31"))) {
      if (row.get("currency").equals("CHF")) {
        chf.put(row.get("frequency"), row);
      }
    }
    // Monthly: 10.00 and 5.50 active, 5.00 paused; cancelled and incomplete ones not counted.
    assertThat(chf.get("MONTHLY").get("active")).isEqualTo("3");
    assertThat(chf.get("MONTHLY").get("paused")).isEqualTo("1");
    assertThat(chf.get("MONTHLY").get("mrr")).isEqualTo("15.50");
    // Annual: (120.00 + 10.00) / 12 = 10.83.
    assertThat(chf.get("ANNUAL").get("active")).isEqualTo("2");
    assertThat(chf.get("ANNUAL").get("mrr")).isEqualTo("10.83");
    // Before the cancellation and before the later start: a different picture.
    Map<String, CSVRecord> earlier = new HashMap<>();
    for (CSVRecord row : rows(download(finance, "/api/reports/recurring?asOf=2087-10-01"))) {
      if (row.get("currency").equals("CHF")) {
        earlier.put(row.get("frequency"), row);
      }
    }
    assertThat(earlier.get("MONTHLY").get("active")).isEqualTo("3");
    assertThat(earlier.get("MONTHLY").get("mrr")).isEqualTo("18.00");
  }

  @Test
  void payoutsShowTheirBalanceTransactionsAndTheDifference() throws Exception {
    Map<String, CSVRecord> payouts = new HashMap<>();
    for (CSVRecord row :
        rows(download(finance, "/api/reports/payouts?from=2087-11-01&to=2087-11-30"))) {
      payouts.put(row.get("stripePayoutId"), row);
    }
    CSVRecord reconciled = payouts.get("po_" + RUN + "_a");
    assertThat(reconciled.get("amount")).isEqualTo("37.24");
    assertThat(reconciled.get("balanceTransactions")).isEqualTo("2");
    assertThat(reconciled.get("balanceTransactionsNet")).isEqualTo("37.24");
    assertThat(reconciled.get("difference")).isEqualTo("0.00");
    CSVRecord shortOne = payouts.get("po_" + RUN + "_b");
    assertThat(shortOne.get("currency")).isEqualTo("EUR");
    assertThat(shortOne.get("difference")).isEqualTo("1.50");
    Download xlsx =
        download(finance, "/api/reports/payouts?from=2087-11-01&to=2087-11-30&format=xlsx");
    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body))) {
      assertThat(workbook.getSheetAt(0).getRow(0).getCell(0).getStringCellValue())
          .isEqualTo("stripePayoutId");
    }
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void aClientThatHangsUpMidExportFreesTheDatabaseConnectionAtOnce() throws Exception {
    // 60,000 movements in 2085, a year of their own (several MB of CSV), far more than socket
    // buffers hold.
    try (Connection db = Postgres.connect(server.schema);
        java.sql.Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO payment (id, stripe_charge_id, donor_email, amount, currency, frequency,"
              + " status, paid_at, created_at, updated_at)"
              + " SELECT md5('"
              + RUN
              + "p' || g)::uuid, 'ch_big_"
              + RUN
              + "_' || g, 'big' || g || '@donors.example', 1000, 'GBP', 'ONE_OFF', 'SUCCEEDED',"
              + " now(), now(), now() FROM generate_series(1, 60000) g");
      s.execute(
          "INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id,"
              + " amount, currency, settlement_amount, fee, net, settlement_currency,"
              + " occurred_at, created_at)"
              + " SELECT md5('"
              + RUN
              + "m' || g)::uuid, 'PAYMENT', 'ch_big_"
              + RUN
              + "_' || g, md5('"
              + RUN
              + "p' || g)::uuid, 'ch_big_"
              + RUN
              + "_' || g, 1000, 'GBP', 1000, 50, 950, 'GBP',"
              + " timestamptz '2085-03-01 00:00Z' + g * interval '1 minute', now()"
              + " FROM generate_series(1, 60000) g");
    }
    String path = "/api/reports/transactions?from=2085-03-01&to=2085-05-01&tz=UTC";
    // More hang-ups than the pool has connections (32): a leak would exhaust it.
    for (int i = 0; i < 40; i++) {
      HttpResponse<java.io.InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl + path))
                  .header("Cookie", "session=" + finance.sessionToken())
                  .header("X-Forwarded-For", finance.address())
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      try (java.io.InputStream body = response.body()) {
        assertThat(body.readNBytes(4096)).hasSize(4096);
      }
    }
    Await.eventually(
        () -> openExportQueries() == 0,
        "no report query left holding a connection once the writes have failed");
    List<CSVRecord> all = rows(download(finance, path));
    assertThat(all).hasSize(60000);
  }

  /** Export queries this run's server is running now (other runs share the PostgreSQL). */
  private static long openExportQueries() {
    try (Connection db = Postgres.connect(server.schema);
        PreparedStatement s =
            db.prepareStatement(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE state <> 'idle'"
                    + " AND application_name = ?"
                    + " AND query LIKE 'SELECT mm.occurred_at, mm.type%'")) {
      s.setString(1, TestServer.applicationName(server.schema));
      try (java.sql.ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- audit

  @Test
  void everyExportAndEveryRefusalOfAMemberIsAudited() throws Exception {
    download(
        finance,
        "/api/reports/transactions?from=2087-02-01&to=2087-02-28&tz=Asia/Tokyo&format=xlsx");
    finance.get("/api/reports/summary?from=2087-02-01&to=2087-02-28&groupBy=month");
    reader.get("/api/reports/payouts?from=2087-02-01&to=2087-02-28");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Api.Response audit =
        admin.get("/api/audit?from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&tz=UTC");
    assertThat(audit.status()).isEqualTo(200);
    List<JsonObject> entries = audit.json().getJsonArray("entries").getValuesAs(JsonObject.class);
    JsonObject export =
        entries.stream()
            .filter(e -> e.getString("actor").equals(financeId))
            .filter(e -> e.getString("target").equals("transactions"))
            .filter(e -> e.getJsonObject("details").getString("tz").equals("Asia/Tokyo"))
            .filter(e -> e.getJsonObject("details").getString("from").equals("2087-02-01"))
            .filter(e -> e.getJsonObject("details").getString("format").equals("xlsx"))
            .findFirst()
            .orElseThrow();
    assertThat(export.getString("action")).isEqualTo("report.export");
    assertThat(Instant.parse(export.getString("at")))
        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(5));
    JsonObject details = export.getJsonObject("details");
    assertThat(details.getString("from")).isEqualTo("2087-02-01");
    assertThat(details.getString("to")).isEqualTo("2087-02-28");
    assertThat(details.getString("format")).isEqualTo("xlsx");
    assertThat(details.getString("report")).isEqualTo("transactions");
    assertThat(entries)
        .anySatisfy(
            e -> {
              assertThat(e.getString("actor")).isEqualTo(financeId);
              assertThat(e.getString("target")).isEqualTo("summary");
              assertThat(e.getJsonObject("details").getString("groupBy")).isEqualTo("month");
            });
    assertThat(server.api().get("/metrics").body().lines())
        .as("export counter")
        .anyMatch(
            line ->
                line.startsWith("report_exports_total")
                    && line.contains("report=\"transactions\"")
                    && line.contains("format=\"xlsx\""));
    // Refusals are aggregated per actor, action and minute (API.md), so the entry may carry the
    // target of this reader's first refusal in that minute, with the others in its count.
    assertThat(entries)
        .anySatisfy(
            e -> {
              assertThat(e.getString("actor")).isEqualTo(readerId);
              assertThat(e.getString("action")).isEqualTo("access.denied");
              assertThat(e.getJsonObject("details").getInt("status")).isEqualTo(403);
              assertThat(e.getInt("count")).isPositive();
            });
  }

  // ---------------------------------------------------------------- helpers

  private record Download(int status, String contentType, String disposition, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static Download download(Api as, String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl + path))
                .header("Cookie", "session=" + as.sessionToken())
                .header("X-Forwarded-For", as.address())
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return new Download(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.headers().firstValue("Content-Disposition").orElse(null),
        response.body());
  }

  private static List<CSVRecord> parseCsv(String text) throws IOException {
    try (CSVParser parser =
        CSVParser.parse(
            text, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(false).get())) {
      List<CSVRecord> records = new ArrayList<>();
      records.add(null);
      records.addAll(parser.getRecords());
      records.set(0, headerRecord(text));
      return records;
    }
  }

  /** The header line as a record of its own, so tests can check the column names. */
  private static CSVRecord headerRecord(String text) throws IOException {
    try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.RFC4180)) {
      return parser.iterator().next();
    }
  }

  /** The data records of a CSV download, without its header. */
  private static List<CSVRecord> rows(Download csv) throws IOException {
    List<CSVRecord> records = parseCsv(csv.text());
    return records.subList(1, records.size());
  }

  private static Map<String, CSVRecord> byChargeAndType(List<CSVRecord> rows) {
    return rows.subList(1, rows.size()).stream()
        .filter(r -> r.get("stripeChargeId").startsWith("ch_" + RUN + "_"))
        .collect(Collectors.toMap(r -> r.get("stripeChargeId") + " " + r.get("type"), r -> r));
  }

  private static Map<String, JsonObject> summaryRows(JsonObject summary) {
    Map<String, JsonObject> rows = new HashMap<>();
    for (JsonObject row : summary.getJsonArray("rows").getValuesAs(JsonObject.class)) {
      rows.put(
          row.getString("period")
              + " "
              + row.getString("currency")
              + " "
              + row.getString("frequency"),
          row);
    }
    return rows;
  }

  private static void assertField(String path, String field) {
    assertValidation(finance.get(path), field);
  }
}
