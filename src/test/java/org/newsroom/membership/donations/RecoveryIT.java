package org.newsroom.membership.donations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import java.net.URI;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Mailbox;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/** A failed renewal leads the reader to a working fix; a gift that ends unpaid can restart. */
@SharedServer
class RecoveryIT {

  private static TestServer server;
  private static StripeFixtures stripe;
  private static Mailbox mailbox;
  private static final String PASSWORD = "recovery integration passphrase";
  private static final Pattern LINK = Pattern.compile("(https?://[^\\s\"<>]+)");

  @BeforeAll
  static void useTheSharedServer(TestServer server, StripeFixtures stripe, Mailbox mailbox) {
    RecoveryIT.server = server;
    RecoveryIT.stripe = stripe;
    RecoveryIT.mailbox = mailbox;
  }

  @Test
  void theFailedPaymentMailOpensAPageThatSendsTheReaderToStripeToFixTheCard() {
    Api reader = server.api();
    String email = Api.uniqueEmail("fix-card");
    String memberId = reader.register(email, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(memberId, 700);
    fail(paid, 700);

    eventually(
        () -> mailbox.subjectsTo(email).contains("Your payment did not go through"),
        "the failed payment mail");
    String link =
        linkIn(
            mailbox.textsTo(email, "Your payment did not go through").get(0), "/fix-payment.html");
    URI uri = URI.create(link);
    assertThat(uri.getPath()).isEqualTo("/fix-payment.html");
    String token = uri.getQuery().replaceFirst("^token=", "");
    Api anyone = server.api();
    Api.Response page = anyone.get(uri.getPath() + "?" + uri.getQuery());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("fix-payment.js");
    assertThat(anyone.get("/fix-payment.js").status()).isEqualTo(200);

    // Without signing in: the token alone shows what failed and opens Stripe's billing portal.
    Api.Response what = anyone.post("/api/recovery", "{\"token\":\"" + token + "\"}");
    assertThat(what.status()).as(what.body()).isEqualTo(200);
    assertThat(what.json().getInt("amount")).isEqualTo(700);
    assertThat(what.json().getString("status")).isEqualTo("PAST_DUE");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/billing_portal/sessions"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(paid.customer()))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"bps_1\",\"object\":\"billing_portal.session\",\"customer\":\""
                            + paid.customer()
                            + "\",\"url\":\"https://billing.stripe.test/p/session_"
                            + paid.customer()
                            + "\"}")));
    Api.Response card = anyone.post("/api/recovery/card", "{\"token\":\"" + token + "\"}");
    assertThat(card.status()).as(card.body()).isEqualTo(200);
    assertThat(card.json().getString("url"))
        .isEqualTo("https://billing.stripe.test/p/session_" + paid.customer());
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/billing_portal/sessions"))
                    .withRequestBody(
                        com.github.tomakehurst.wiremock.client.WireMock.containing(
                            "customer=" + paid.customer()))))
        .hasSize(1);

    // A made-up or altered token opens nothing.
    String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
    Api.Response refused = anyone.post("/api/recovery/card", "{\"token\":\"" + wrong + "\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("type")).endsWith("/invalid-token");
    assertThat(anyone.post("/api/recovery", "{\"token\":\"nope\"}").status()).isEqualTo(400);
    assertThat(anyone.post("/api/recovery", "{}").status()).isEqualTo(400);
  }

  @Test
  void aGiftThatEndsForNonPaymentMailsAOneClickRestartAndOneCancelledByTheReaderDoesNot() {
    Api reader = server.api();
    String email = Api.uniqueEmail("ended-unpaid");
    String memberId = reader.register(email, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(memberId, 1500);
    fail(paid, 1500);
    end(paid, memberId, 1500);
    eventually(
        () -> mailbox.subjectsTo(email).contains("Your contribution has ended"),
        "the mail when a gift ends unpaid");
    String text = mailbox.textsTo(email, "Your contribution has ended").get(0);
    assertThat(text).contains("15.00 GBP a month");
    URI restart = URI.create(linkIn(text, "/support.html"));
    assertThat(restart.getQuery()).isEqualTo("frequency=MONTHLY&currency=GBP&amount=1500");
    assertThat(server.api().get(restart.getPath() + "?" + restart.getQuery()).status())
        .isEqualTo(200);

    Api other = server.api();
    String otherEmail = Api.uniqueEmail("ended-by-choice");
    String otherId = other.register(otherEmail, PASSWORD).getString("id");
    StripeFixtures.Paid kept = stripe.paidSubscription(otherId, 1500);
    end(kept, otherId, 1500);
    assertThat(
            stripe.row(
                "SELECT status FROM recurring_contribution WHERE stripe_subscription_id = ?",
                kept.subscription()))
        .containsEntry("status", "CANCELED");
    assertThat(mailbox.subjectsTo(otherEmail)).doesNotContain("Your contribution has ended");
  }

  @Test
  void theFailureBeforeStripesFinalTryIsALastNoticeWithTheFixLink() {
    Api reader = server.api();
    String email = Api.uniqueEmail("last-notice");
    String memberId = reader.register(email, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(memberId, 900);
    String invoice = unique("in");
    failAttempt(paid, invoice, 900, 1, now() + 3 * 86_400);
    eventually(
        () -> mailbox.subjectsTo(email).contains("Your payment did not go through"),
        "the first failure's ordinary mail");
    // recovery.final-attempt is 4: the failure of attempt 3 precedes the last try.
    long finalTry = now() + 5 * 86_400;
    failAttempt(paid, invoice, 900, 3, finalTry);
    eventually(
        () -> mailbox.subjectsTo(email).contains("Last notice: your contribution is about to end"),
        "the last notice");
    String text = mailbox.textsTo(email, "Last notice").get(0);
    assertThat(text)
        .contains("9.00 GBP")
        .contains(
            java.time.Instant.ofEpochSecond(finalTry)
                .atZone(java.time.ZoneOffset.UTC)
                .toLocalDate()
                .toString());
    URI fix = URI.create(linkIn(text, "/fix-payment.html"));
    String token = fix.getQuery().replaceFirst("^token=", "");
    assertThat(server.api().post("/api/recovery", "{\"token\":\"" + token + "\"}").status())
        .isEqualTo(200);
    assertThat(server.api().get(fix.getPath() + "?" + fix.getQuery()).status()).isEqualTo(200);
    assertThat(mailbox.subjectsTo(email).stream().filter(s -> s.startsWith("Last notice")))
        .hasSize(1);
  }

  @Test
  void aReaderWhoseCardExpiresBeforeTheNextRenewalIsRemindedOnceWithTheFixLink() {
    long renewal = now() + 10 * 86_400;
    // Expires at the end of the month before the renewal's: it stops working before the renewal.
    YearMonth expiring =
        YearMonth.from(Instant.ofEpochSecond(renewal).atZone(ZoneOffset.UTC)).minusMonths(1);
    YearMonth lasting = expiring.plusYears(4);
    String email = Api.uniqueEmail("card-expiring");
    StripeFixtures.Paid expires = renewingOnACard(email, renewal, expiring);
    String keptEmail = Api.uniqueEmail("card-lasting");
    StripeFixtures.Paid kept = renewingOnACard(keptEmail, renewal, lasting);
    String changedEmail = Api.uniqueEmail("card-changed");
    StripeFixtures.Paid changed = renewingOnACard(changedEmail, renewal, expiring);
    // The reader already gave a new card in the billing portal, which Stripe attached.
    String attached = unique("evt");
    stripe.deliver(
        event(
            attached,
            "payment_method.attached",
            now(),
            "{\"id\":\""
                + unique("pm")
                + "\",\"object\":\"payment_method\",\"type\":\"card\",\"customer\":\""
                + changed.customer()
                + "\",\"card\":{\"brand\":\"visa\",\"last4\":\"4242\",\"exp_month\":"
                + lasting.getMonthValue()
                + ",\"exp_year\":"
                + lasting.getYear()
                + "}}"));
    stripe.awaitEvent(attached, "APPLIED");

    Api reader = server.api();
    reader.register(Api.uniqueEmail("not-admin"), PASSWORD);
    assertThat(reader.post("/api/admin/card-expiry-reminders").status()).isEqualTo(403);
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);
    // Two instances' timers at once: between the lease and the row lock, one reminder in all.
    // (Only this test's contributions have a card on file, so nothing else is due.)
    java.util.concurrent.CompletableFuture<Api.Response> other =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> admin.post("/api/admin/card-expiry-reminders"));
    Api.Response run = admin.post("/api/admin/card-expiry-reminders");
    Api.Response concurrent = other.join();
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(concurrent.status()).as(concurrent.body()).isEqualTo(200);
    assertThat(run.json().getBoolean("ran") || concurrent.json().getBoolean("ran")).isTrue();
    assertThat(run.json().getInt("reminded") + concurrent.json().getInt("reminded")).isEqualTo(1);

    String subject = "Your card expires before your next payment";
    eventually(() -> mailbox.subjectsTo(email).contains(subject), "the card expiry reminder");
    String text = mailbox.textsTo(email, subject).get(0);
    assertThat(text)
        .contains("12.00 GBP a month")
        .contains(String.format("%02d/%d", expiring.getMonthValue(), expiring.getYear()))
        .contains(Instant.ofEpochSecond(renewal).atZone(ZoneOffset.UTC).toLocalDate().toString());
    URI fix = URI.create(linkIn(text, "/fix-payment.html"));
    String token = fix.getQuery().replaceFirst("^token=", "");
    Api.Response what = server.api().post("/api/recovery", "{\"token\":\"" + token + "\"}");
    assertThat(what.status()).as(what.body()).isEqualTo(200);
    assertThat(what.json().getString("status")).isEqualTo("ACTIVE");
    assertThat(server.api().get(fix.getPath() + "?" + fix.getQuery()).status()).isEqualTo(200);

    // Once per renewal: running again (the hourly job, or another instance) sends nothing more.
    // Every reminder is queued with its mark, so a run that reminded nobody queued no mail.
    Api.Response again = admin.post("/api/admin/card-expiry-reminders");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getInt("reminded")).isZero();
    assertThat(mailbox.subjectsTo(email).stream().filter(subject::equals)).hasSize(1);
    assertThat(remindedFor(expires)).isNotNull();
    assertThat(remindedFor(kept)).isNull();
    assertThat(remindedFor(changed)).isNull();
    assertThat(mailbox.subjectsTo(keptEmail)).doesNotContain(subject);
    assertThat(mailbox.subjectsTo(changedEmail)).doesNotContain(subject);
  }

  private static Object remindedFor(StripeFixtures.Paid paid) {
    return stripe
        .row(
            "SELECT card_reminder_for FROM recurring_contribution WHERE stripe_subscription_id = ?",
            paid.subscription())
        .get("card_reminder_for");
  }

  /** A guest's monthly gift of 12.00 GBP that renews at {@code renewal}, paid with a card. */
  private static StripeFixtures.Paid renewingOnACard(String email, long renewal, YearMonth card) {
    return stripe.paidSubscription(null, email, 1200, renewal, card);
  }

  private static void failAttempt(
      StripeFixtures.Paid paid, String invoice, long amount, int attempt, long nextAttempt) {
    String failed = unique("evt");
    stripe.deliver(
        event(
            failed,
            "invoice.payment_failed",
            now() + attempt,
            "{\"id\":\""
                + invoice
                + "\",\"object\":\"invoice\",\"customer\":\""
                + paid.customer()
                + "\",\"subscription\":\""
                + paid.subscription()
                + "\",\"attempt_count\":"
                + attempt
                + ",\"next_payment_attempt\":"
                + nextAttempt
                + ",\"amount_paid\":0,\"amount_due\":"
                + amount
                + ",\"currency\":\"gbp\",\"status\":\"open\"}"));
    stripe.awaitEvent(failed, "APPLIED");
  }

  private static void fail(StripeFixtures.Paid paid, long amount) {
    String failed = unique("evt");
    stripe.deliver(
        event(
            failed,
            "invoice.payment_failed",
            now() + 1,
            "{\"id\":\""
                + unique("in")
                + "\",\"object\":\"invoice\",\"customer\":\""
                + paid.customer()
                + "\",\"subscription\":\""
                + paid.subscription()
                + "\",\"attempt_count\":1,\"amount_paid\":0,\"amount_due\":"
                + amount
                + ",\"currency\":\"gbp\",\"status\":\"open\"}"));
    stripe.awaitEvent(failed, "APPLIED");
  }

  private static void end(StripeFixtures.Paid paid, String memberId, long amount) {
    String deleted = unique("evt");
    stripe.deliver(
        event(
            deleted,
            "customer.subscription.deleted",
            now() + 2,
            StripeFixtures.subscription(
                paid.subscription(),
                paid.customer(),
                "canceled",
                amount,
                "month",
                now() + 2_600_000,
                memberId)));
    stripe.awaitEvent(deleted, "APPLIED");
  }

  private static String linkIn(String text, String path) {
    Matcher m = LINK.matcher(text);
    while (m.find()) {
      if (m.group(1).contains(path)) {
        return m.group(1);
      }
    }
    throw new AssertionError("no link to " + path + " in:\n" + text);
  }
}
