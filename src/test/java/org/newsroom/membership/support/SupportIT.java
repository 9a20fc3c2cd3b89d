package org.newsroom.membership.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.Problems.assertProblem;
import static org.newsroom.membership.testing.Problems.assertValidation;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/** Supporter care: who may look and act, reasons, the audit trail, and acting for a reader. */
@SharedServer
class SupportIT {

  private static TestServer server;
  private static StripeFixtures stripe;
  private static final String PASSWORD = "support integration passphrase";
  private static final String REASON = "ticket 4711: reader asked by mail";

  private static Api support;
  private static String supportId;
  private static Api finance;

  @BeforeAll
  static void staff(TestServer server, StripeFixtures stripe) {
    SupportIT.server = server;
    SupportIT.stripe = stripe;
    TestServer.StaffMember desk = server.staffMember("support", "SUPPORT");
    support = desk.api();
    supportId = desk.id();
    finance = server.staffMember("finance", "FINANCE").api();
  }

  @Test
  void onlySupportAndAdminMayLookAndEveryLookUpNeedsAReason() {
    Api reader = server.api();
    String email = Api.uniqueEmail("looked-up");
    String readerId = reader.register(email, PASSWORD).getString("id");
    String search = "/api/support/readers?q=" + enc(email) + "&reason=" + enc(REASON);

    assertThat(server.api().get(search).status()).isEqualTo(401);
    assertProblem(reader.get(search), 403, "forbidden");
    assertProblem(finance.get(search), 403, "forbidden");
    assertProblem(
        reader.get("/api/support/readers/" + readerId + "?reason=x" + enc(REASON)),
        403,
        "forbidden");

    // Refused before anything of the request is read: a bad id or body tells a reader nothing.
    String oversizedReason = "{\"reason\": \"" + "x".repeat(600) + "\"}";
    assertProblem(
        reader.post("/api/support/readers/not-an-id/sign-out-everywhere", oversizedReason),
        403,
        "forbidden");

    assertValidation(support.get("/api/support/readers?q=" + enc(email)), "reason");
    assertValidation(support.get("/api/support/readers/" + readerId), "reason");
    assertValidation(
        support.get("/api/support/readers?q=" + enc(email) + "&reason=%20%20"), "reason");

    // By the start of the email, case-insensitively; LIKE wildcards in the query are literal.
    String prefix = email.substring(0, email.indexOf('@') + 1).toUpperCase();
    JsonObject found =
        support.get("/api/support/readers?q=" + enc(prefix) + "&reason=" + enc(REASON)).json();
    assertThat(found.getString("matchedBy")).isEqualTo("email-prefix");
    assertThat(ids(found.getJsonArray("readers"))).containsExactly(readerId);
    JsonObject wildcard =
        support.get("/api/support/readers?q=" + enc("%@") + "&reason=" + enc(REASON)).json();
    assertThat(wildcard.getJsonArray("readers")).isEmpty();

    // By the start of the display name.
    String name = "Zenobia" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(reader.patch("/api/me", "{\"displayName\":\"" + name + " Smith\"}").status())
        .isEqualTo(200);
    JsonObject byName =
        support
            .get("/api/support/readers?q=" + enc(name.toLowerCase()) + "&reason=" + enc(REASON))
            .json();
    assertThat(ids(byName.getJsonArray("readers"))).containsExactly(readerId);

    // The case: account, sessions, mails.
    JsonObject theCase =
        support.get("/api/support/readers/" + readerId + "?reason=" + enc(REASON)).json();
    assertThat(theCase.getJsonObject("account").getJsonObject("member").getString("email"))
        .isEqualTo(email);
    assertThat(theCase.getJsonObject("account").getJsonArray("sessions")).isNotEmpty();
    assertThat(theCase.getJsonObject("account").getJsonArray("mails")).isNotEmpty();
    assertThat(
            support
                .get("/api/support/readers/" + UUID.randomUUID() + "?reason=" + enc(REASON))
                .status())
        .isEqualTo(404);

    List<Map<String, Object>> audit =
        stripe.rows(
            "SELECT action, target, details FROM audit_log WHERE actor = ? AND action LIKE 'support.%'"
                + " ORDER BY at",
            supportId);
    assertThat(audit)
        .anySatisfy(
            row -> {
              assertThat(row.get("action")).isEqualTo("support.search");
              assertThat((String) row.get("details")).contains(REASON, prefix);
            })
        .anySatisfy(
            row -> {
              assertThat(row.get("action")).isEqualTo("support.view");
              assertThat(row.get("target")).isEqualTo(readerId);
              assertThat((String) row.get("details")).contains(REASON);
            });
    // On PostgreSQL the prefix look-ups have pattern-ops indexes whatever the collation (V70).
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND indexname IN ('member_email_prefix', 'member_name_prefix')"
                    + " AND indexdef LIKE '%varchar_pattern_ops%'"))
        .isEqualTo(2);
    // A refused finance member is in the log too (aggregated), never as a support action.
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND target = 'support'"))
        .isPositive();
  }

  @Test
  void aReaderIsFoundByAnyStripeIdOfTheirGiving() {
    Api reader = server.api();
    String readerId = reader.register(Api.uniqueEmail("stripe-ids"), PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(readerId, 1500);
    for (String id :
        List.of(
            paid.subscription(),
            paid.customer(),
            paid.invoice(),
            paid.charge(),
            "pi_" + paid.charge())) {
      JsonObject found =
          support.get("/api/support/readers?q=" + enc(id) + "&reason=" + enc(REASON)).json();
      assertThat(found.getString("matchedBy")).isEqualTo("stripe-id");
      assertThat(ids(found.getJsonArray("readers"))).as(id).containsExactly(readerId);
    }
  }

  @Test
  void cancelAndRefundLastMonthOnBehalfOfAReaderWithoutTheDashboard() {
    Api reader = server.api();
    String email = Api.uniqueEmail("cancel-and-refund");
    String readerId = reader.register(email, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(readerId, 1000);
    String base = "/api/support/readers/" + readerId;

    JsonObject theCase = support.get(base + "?reason=" + enc(REASON)).json();
    JsonObject recurring = theCase.getJsonArray("recurring").getJsonObject(0);
    assertThat(recurring.getString("stripeSubscriptionId")).isEqualTo(paid.subscription());
    String contribution = recurring.getJsonObject("contribution").getString("id");
    JsonObject payment = theCase.getJsonArray("payments").getJsonObject(0);
    assertThat(payment.getString("stripeChargeId")).isEqualTo(paid.charge());
    String paymentId = payment.getString("id");

    // Cancel: the reader's own code path, so the reader gets the same confirmation mail.
    stripe.stubSubscriptionUpdate(paid, 1000, readerId);
    assertValidation(
        support.post(base + "/contributions/" + contribution + "/cancel", "{}"), "reason");
    assertProblem(
        finance.post(
            base + "/contributions/" + contribution + "/cancel", "{\"reason\":\"" + REASON + "\"}"),
        403,
        "forbidden");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + paid.subscription()))))
        .isEmpty();
    Api.Response cancelled =
        support.post(
            base + "/contributions/" + contribution + "/cancel",
            "{\"reason\":\"" + REASON + "\",\"cancelReason\":\"moving abroad\"}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getBoolean("cancelAtPeriodEnd")).isTrue();
    eventually(
        () -> subjectsTo(email).contains("Your contribution was cancelled"),
        "the reader's cancellation mail");
    assertThat(
            reader
                .get("/api/me/contributions")
                .json()
                .getJsonArray("recurring")
                .getJsonObject(0)
                .getBoolean("cancelAtPeriodEnd"))
        .isTrue();

    // Refund 4.00 of the 10.00: through Stripe with an idempotency key; the ledger waits for the
    // webhook.
    String refund = unique("re");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/refunds"))
            .atPriority(1)
            .willReturn(
                json(
                    "{\"id\":\""
                        + refund
                        + "\",\"object\":\"refund\",\"amount\":400,"
                        + "\"currency\":\"gbp\",\"charge\":\""
                        + paid.charge()
                        + "\",\"status\":\"succeeded\"}")));
    String requestId = UUID.randomUUID().toString();
    String refundPath = base + "/payments/" + paymentId + "/refund";
    assertValidation(support.post(refundPath, "{\"amount\":400}"), "reason");
    assertValidation(
        support.post(refundPath, "{\"reason\":\"" + REASON + "\",\"amount\":1001}"), "amount");
    assertValidation(
        support.post(refundPath, "{\"reason\":\"" + REASON + "\",\"amount\":4.5}"), "amount");
    assertProblem(
        finance.post(refundPath, "{\"reason\":\"" + REASON + "\",\"amount\":400}"),
        403,
        "forbidden");
    assertThat(server.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")))).isEmpty();

    String body =
        "{\"reason\":\"" + REASON + "\",\"amount\":400,\"requestId\":\"" + requestId + "\"}";
    Api.Response refunded = support.post(refundPath, body);
    assertThat(refunded.status()).as(refunded.body()).isEqualTo(202);
    assertThat(refunded.json().getString("refundId")).isEqualTo(refund);
    assertThat(refunded.json().getInt("amount")).isEqualTo(400);
    // A double click: the same request id is the same idempotency key at Stripe.
    assertThat(support.post(refundPath, body).status()).isEqualTo(202);
    List<LoggedRequest> calls =
        server.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")));
    assertThat(calls).hasSize(2);
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.getHeader("Idempotency-Key"))
                  .isEqualTo("support-refund-" + paymentId + "-" + requestId);
              assertThat(URLDecoder.decode(call.getBodyAsString(), StandardCharsets.UTF_8))
                  .contains(
                      "charge=" + paid.charge(), "amount=400", "metadata[staff]=" + supportId);
            });
    // Nothing changes in the ledger until Stripe says so.
    assertThat(
            stripe.row("SELECT refunded_amount FROM payment WHERE id = CAST(? AS UUID)", paymentId))
        .containsEntry("refunded_amount", 0L);

    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -400, 0, "refund"));
    String webhook = unique("evt");
    stripe.deliver(
        event(
            webhook,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + paid.charge()
                + "\",\"object\":\"charge\",\"amount\":1000,\"amount_refunded\":400,"
                + "\"currency\":\"gbp\",\"refunded\":false,\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\""
                + refund
                + "\",\"object\":\"refund\",\"amount\":400,\"status\":\"succeeded\","
                + "\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(webhook, "APPLIED");
    JsonObject after = support.get(base + "?reason=" + enc(REASON)).json();
    assertThat(after.getJsonArray("payments").getJsonObject(0).getString("status"))
        .isEqualTo("PARTIALLY_REFUNDED");
    assertThat(after.getJsonArray("payments").getJsonObject(0).getInt("refundedAmount"))
        .isEqualTo(400);
    assertThat(after.getJsonArray("refunds").getJsonObject(0).getString("stripeObjectId"))
        .isEqualTo(refund);
    JsonObject mine =
        reader.get("/api/me/contributions").json().getJsonArray("payments").getJsonObject(0);
    assertThat(mine.getString("status")).isEqualTo("PARTIALLY_REFUNDED");
    // What is left is 6.00; more than that is refused before Stripe is asked.
    assertValidation(
        support.post(refundPath, "{\"reason\":\"" + REASON + "\",\"amount\":601}"), "amount");

    List<Map<String, Object>> audit =
        stripe.rows(
            "SELECT action, details FROM audit_log WHERE actor = ? AND target = ? ORDER BY at",
            supportId,
            readerId);
    assertThat(audit)
        .anySatisfy(
            row -> {
              assertThat(row.get("action")).isEqualTo("support.contribution-cancel");
              assertThat((String) row.get("details")).contains(REASON, "\"outcome\":\"done\"");
            })
        .anySatisfy(
            row -> {
              assertThat(row.get("action")).isEqualTo("support.refund");
              assertThat((String) row.get("details"))
                  .contains(REASON, "\"amount\":400", requestId, "done");
            })
        .anySatisfy(
            row -> {
              assertThat(row.get("action")).isEqualTo("support.refund");
              assertThat((String) row.get("details")).contains("400 validation");
            });
  }

  @Test
  void signOutEverywhereAndResendVerificationForAReader() {
    Api reader = server.api();
    String email = Api.uniqueEmail("locked-out");
    String readerId = reader.register(email, PASSWORD).getString("id");
    Api elsewhere = server.api();
    assertThat(elsewhere.signIn(email, PASSWORD).status()).isEqualTo(200);
    String base = "/api/support/readers/" + readerId;

    assertValidation(support.post(base + "/verification-mail", "{\"reason\":\"\"}"), "reason");
    assertProblem(
        finance.post(base + "/verification-mail", "{\"reason\":\"" + REASON + "\"}"),
        403,
        "forbidden");
    // The registration's own mail first, so the one counted next is the resent one.
    eventually(
        () -> subjectsTo(email).stream().filter("Confirm your email address"::equals).count() == 1,
        "the registration's verification mail");
    assertThat(
            support.post(base + "/verification-mail", "{\"reason\":\"" + REASON + "\"}").status())
        .isEqualTo(202);
    eventually(
        () -> subjectsTo(email).stream().filter("Confirm your email address"::equals).count() == 2,
        "a fresh verification mail");

    assertProblem(
        finance.post(base + "/sign-out-everywhere", "{\"reason\":\"" + REASON + "\"}"),
        403,
        "forbidden");
    assertThat(reader.get("/api/me").status()).isEqualTo(200);
    Api.Response out =
        support.post(base + "/sign-out-everywhere", "{\"reason\":\"" + REASON + "\"}");
    assertThat(out.status()).as(out.body()).isEqualTo(200);
    assertThat(out.json().getInt("sessionsRevoked")).isEqualTo(2);
    assertThat(reader.get("/api/me").status()).isEqualTo(401);
    assertThat(elsewhere.get("/api/me").status()).isEqualTo(401);

    // Once the reader proved the address, resending is refused and audited as refused.
    Api back = server.api();
    assertThat(back.signIn(email, PASSWORD).status()).isEqualTo(200);
    Api.Response confirmed =
        back.post(
            "/api/email-verifications/confirm",
            "{\"token\":\"" + newestVerificationToken(email) + "\"}");
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
    assertProblem(
        support.post(base + "/verification-mail", "{\"reason\":\"" + REASON + "\"}"),
        409,
        "already-verified");
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM audit_log WHERE actor = ? AND target = ?"
                    + " AND action = 'support.verification-mail' AND details LIKE '%409 already-verified%'",
                supportId, readerId))
        .isEqualTo(1);
  }

  @Test
  void changePauseAndResumeOnBehalfOfAReaderAsIfTheyHadDoneItThemselves() {
    Api reader = server.api();
    String email = Api.uniqueEmail("on-behalf");
    String readerId = reader.register(email, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(readerId, 1000);
    String base = "/api/support/readers/" + readerId;
    String contribution =
        support
            .get(base + "?reason=" + enc(REASON))
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getJsonObject("contribution")
            .getString("id");
    String path = base + "/contributions/" + contribution;
    stripe.stubObject(
        "/v1/subscriptions/" + paid.subscription(),
        StripeFixtures.subscription(
            paid.subscription(),
            paid.customer(),
            "active",
            1000,
            "month",
            now() + 2_600_000,
            readerId));
    stripe.stubSubscriptionUpdate(paid, 2500, readerId);

    // Without a reason, by finance or by the reader through the staff door: nothing reaches Stripe.
    assertValidation(support.patch(path, "{\"amount\":2500}"), "reason");
    String change = "{\"reason\":\"" + REASON + "\",\"amount\":2500,\"frequency\":\"MONTHLY\"}";
    assertProblem(finance.patch(path, change), 403, "forbidden");
    assertThat(reader.patch(path, change).status()).isEqualTo(403);
    assertValidation(
        support.patch(path, "{\"reason\":\"" + REASON + "\",\"amount\":-5}"), "amount");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + paid.subscription()))))
        .isEmpty();

    Api.Response changed = support.patch(path, change);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().getInt("amount")).isEqualTo(2500);
    assertThat(lastUpdateOf(paid.subscription())).contains("[unit_amount]=2500");

    java.time.LocalDate resumeOn = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(1);
    Api.Response paused =
        support.post(
            path + "/pause", "{\"reason\":\"" + REASON + "\",\"resumeOn\":\"" + resumeOn + "\"}");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().getString("status")).isEqualTo("PAUSED");
    assertThat(lastUpdateOf(paid.subscription())).contains("pause_collection[behavior]=void");

    Api.Response resumed = support.post(path + "/resume", "{\"reason\":\"" + REASON + "\"}");
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().getString("status")).isEqualTo("ACTIVE");

    // The reader sees it on their own page and got the mails their own changes send.
    JsonObject mine =
        reader.get("/api/me/contributions").json().getJsonArray("recurring").getJsonObject(0);
    assertThat(mine.getInt("amount")).isEqualTo(2500);
    assertThat(mine.getString("status")).isEqualTo("ACTIVE");
    eventually(
        () ->
            subjectsTo(email)
                .containsAll(
                    List.of(
                        "Your contribution was changed",
                        "Your contribution is paused",
                        "Your contribution has resumed")),
        "the reader's confirmation mails");

    List<Map<String, Object>> audit =
        stripe.rows(
            "SELECT action, details FROM audit_log WHERE actor = ? AND target = ? ORDER BY at",
            supportId,
            readerId);
    for (String action :
        List.of(
            "support.contribution-change",
            "support.contribution-pause",
            "support.contribution-resume")) {
      assertThat(audit)
          .as(action)
          .anySatisfy(
              row -> {
                assertThat(row.get("action")).isEqualTo(action);
                assertThat((String) row.get("details")).contains(REASON, "\"outcome\":\"done\"");
              });
    }
  }

  private static String lastUpdateOf(String subscription) {
    List<LoggedRequest> updates =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription)));
    assertThat(updates).isNotEmpty();
    return URLDecoder.decode(
        updates.get(updates.size() - 1).getBodyAsString(), StandardCharsets.UTF_8);
  }

  // ---- helpers ----

  private static List<String> ids(JsonArray readers) {
    return readers.stream().map(r -> r.asJsonObject().getString("id")).toList();
  }

  private static List<String> subjectsTo(String email) {
    return Arrays.stream(server.smtp.getReceivedMessages())
        .filter(m -> isTo(m, email))
        .map(SupportIT::subject)
        .toList();
  }

  private static boolean isTo(MimeMessage message, String email) {
    try {
      Address[] to = message.getAllRecipients();
      return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(email));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token of the last verification mail to the address (each new one voids the older). */
  private static String newestVerificationToken(String email) {
    java.util.regex.Pattern token = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]{43})");
    String newest = null;
    for (MimeMessage message : server.smtp.getReceivedMessages()) {
      if (isTo(message, email) && "Confirm your email address".equals(subject(message))) {
        java.util.regex.Matcher found =
            token.matcher(
                com.icegreen.greenmail.util.GreenMailUtil.getBody(message).replace("=\r\n", ""));
        if (found.find()) {
          newest = found.group(1);
        }
      }
    }
    assertThat(newest).as("a verification mail to " + email).isNotNull();
    return newest;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }
}
