package org.newsroom.membership.accounts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.accounts.Readers.json;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.Problems.assertProblem;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.accounts.Readers.Reader;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Mailbox;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * Privacy as the contract states it (API.md, {@code DELETE /api/me} and "Data at rest"): an erased
 * member is found nowhere in the database, whatever table holds text, and their Stripe Customer is
 * deleted at Stripe; no delivered mail leaves a usable one-time token in the database.
 */
@SharedServer
class PrivacyIT {

  private final TestServer server;
  private final StripeFixtures stripe;

  PrivacyIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  // --- erasure ------------------------------------------------------------------------------

  @Test
  void afterErasureNoTextColumnOfAnyTableHoldsTheMembersEmailNameOrCancelReason() {
    String name = "Philippa " + UUID.randomUUID().toString().substring(0, 8) + " Quillfeather";
    String reason = "moving to " + UUID.randomUUID().toString().substring(0, 8) + " island";
    Reader reader = verifiedReader("erased", name);
    String email = reader.email();
    String customer = unique("cus");
    String subscription = unique("sub");

    // Stripe knows the person: a customer with name and address, a subscription, a paid invoice.
    deliverAndAwait(
        "customer.created",
        "{\"id\":\""
            + customer
            + "\",\"object\":\"customer\",\"email\":\""
            + email
            + "\",\"name\":\""
            + name
            + "\",\"address\":{\"line1\":\"1 Quill Lane\",\"city\":\"Inkwell\"},"
            + "\"metadata\":{\"memberId\":\""
            + reader.id()
            + "\"}}",
        "IGNORED");
    deliverAndAwait(
        "customer.subscription.created",
        StripeFixtures.subscription(
            subscription, customer, "active", 800, "month", now() + 2_600_000, reader.id()),
        "APPLIED");
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, 800, 30);
    deliverAndAwait(
        "invoice.paid",
        StripeFixtures.invoice(
            unique("in"), subscription, customer, email, charge, 800, now() + 2_600_000),
        "APPLIED");

    // The member cancels with a reason, and also gave as a guest once with the same address.
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + subscription))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    StripeFixtures.subscription(
                        subscription,
                        customer,
                        "active",
                        800,
                        "month",
                        now() + 2_600_000,
                        reader.id()))));
    String contributionId =
        reader
            .api()
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    Api.Response cancelled =
        reader
            .api()
            .post("/api/me/contributions/" + contributionId + "/cancel", json("reason", reason));
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .atPriority(10)
            .willReturn(
                stripeJson(
                    "{\"id\":\"cs_test_privacy\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_privacy\"}")));
    Api.Response guestGift =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\"}");
    assertThat(guestGift.status()).as(guestGift.toString()).isEqualTo(201);
    assertThat(textColumnsHolding(email)).as("the data is there before erasure").isNotEmpty();
    assertThat(textColumnsHolding(reason)).isNotEmpty();

    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/subscriptions/" + subscription))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    StripeFixtures.subscription(
                        subscription,
                        customer,
                        "canceled",
                        800,
                        "month",
                        now() + 2_600_000,
                        reader.id()))));
    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/customers/" + customer))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"deleted\":true}")));

    Api.Response deleted = reader.api().delete("/api/me", json("password", reader.password()));
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

    // The goodbye mail goes to the address; once delivered, the outbox forgets the address too.
    Readers.awaitMail(server, email, Readers.DELETED_SUBJECT);
    eventually(() -> textColumnsHolding(email).isEmpty(), "the goodbye mail's row forgets it");
    assertThat(textColumnsHolding(email)).isEmpty();
    assertThat(textColumnsHolding(email.toUpperCase())).isEmpty();
    assertThat(textColumnsHolding(name)).isEmpty();
    assertThat(textColumnsHolding(reason)).isEmpty();
    assertThat(textColumnsHolding("Quill Lane")).isEmpty();

    eventually(
        () ->
            server
                    .stripe
                    .findAll(deleteRequestedFor(urlPathEqualTo("/v1/customers/" + customer)))
                    .size()
                == 1,
        "the Stripe customer is deleted at Stripe");
    // What finance needs stays: the payment's amount and the stored events' ids and amounts.
    assertThat(stripe.row("SELECT amount FROM payment WHERE stripe_charge_id = ?", charge))
        .containsEntry("amount", 800L);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM stripe_event WHERE POSITION(? IN payload) > 0"
                    + " AND POSITION('\"amount_paid\":800' IN payload) > 0",
                subscription))
        .isEqualTo(1);
  }

  @Test
  void aStripeOutageDelaysTheCustomersDeletionButNeverLosesIt() {
    Reader reader = verifiedReader("outage", null);
    String customer = unique("cus");
    String subscription = unique("sub");
    deliverAndAwait(
        "customer.subscription.created",
        StripeFixtures.subscription(
            subscription, customer, "canceled", 500, "month", now() + 2_600_000, reader.id()),
        "APPLIED");
    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/customers/" + customer))
            .atPriority(1)
            .willReturn(aResponse().withStatus(503).withBody("{}")));

    Api.Response deleted = reader.api().delete("/api/me", json("password", reader.password()));
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

    eventually(
        () -> {
          Map<String, Object> row =
              stripe.row(
                  "SELECT attempts, deleted_at FROM stripe_customer_deletion"
                      + " WHERE customer_id = ?",
                  customer);
          return row != null
              && ((Number) row.get("attempts")).intValue() >= 2
              && row.get("deleted_at") == null;
        },
        "Stripe refused twice and the deletion is still waiting");

    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/customers/" + customer))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"deleted\":true}")));
    eventually(
        () ->
            stripe
                    .row(
                        "SELECT deleted_at FROM stripe_customer_deletion WHERE customer_id = ?",
                        customer)
                    .get("deleted_at")
                != null,
        "the deletion went through once Stripe was back");
  }

  @Test
  void anEventForAnErasedCustomerArrivingLaterIsStoredWithoutThePersonalFields() {
    Reader reader = verifiedReader("late-event", null);
    String customer = customerStripeDeletes(reader);
    assertThat(reader.api().delete("/api/me", json("password", reader.password())).status())
        .isEqualTo(204);

    String late = unique("evt");
    stripe.deliver(
        event(
            late,
            "customer.deleted",
            now(),
            "{\"id\":\""
                + customer
                + "\",\"object\":\"customer\",\"email\":\""
                + reader.email()
                + "\",\"name\":\"Late Lettice\"}"));
    eventually(
        () -> stripe.row("SELECT payload FROM stripe_event WHERE id = ?", late) != null, "stored");
    String payload =
        (String) stripe.row("SELECT payload FROM stripe_event WHERE id = ?", late).get("payload");
    assertThat(payload).contains(customer).doesNotContain(reader.email(), "Late Lettice");
  }

  /**
   * The race a sequential test cannot see: a delivery whose insert began before the erasure
   * committed and ends after the erasure searched the stored events. The test holds the delivery
   * inside its insert (its own uncommitted row with the same event id makes the insert wait), lets
   * the erasure run, then lets the delivery finish.
   */
  @Test
  void anEventDeliveredWhileTheCustomerIsBeingErasedEndsUpRedactedToo() throws Exception {
    Reader reader = verifiedReader("racing-event", null);
    String customer = customerStripeDeletes(reader);
    String racing = unique("evt");
    String payload =
        event(
            racing,
            "customer.updated",
            now(),
            "{\"id\":\""
                + customer
                + "\",\"object\":\"customer\",\"email\":\""
                + reader.email()
                + "\",\"name\":\"Racing Rosalind\"}");

    try (Connection holder = Postgres.connect(server.schema)) {
      holder.setAutoCommit(false);
      try (PreparedStatement s =
          holder.prepareStatement(
              "INSERT INTO stripe_event (id, type, livemode, stripe_created, payload, received_at,"
                  + " status, attempts, next_attempt_at) VALUES (?, 'test.hold', FALSE, 0, '{}',"
                  + " now(), 'IGNORED', 0, now())")) {
        s.setString(1, racing);
        s.executeUpdate();
      }
      java.util.concurrent.CompletableFuture<Integer> delivered =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> stripe.deliver(payload).statusCode());
      eventually(
          () -> waiting("Lock", "INSERT INTO stripe_event%") > 0, "the delivery inside its insert");
      java.util.concurrent.CompletableFuture<Integer> erased =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> reader.api().delete("/api/me", json("password", reader.password())).status());
      // Until the erasure has searched the stored events or is waiting for the delivery to end.
      eventually(
          () -> erased.isDone() || waiting("Lock", "%pg_advisory_xact_lock%") > 0,
          "the erasure past its search or waiting for the delivery");
      holder.rollback();
      assertThat(delivered.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(erased.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(204);
    }
    String stored =
        (String) stripe.row("SELECT payload FROM stripe_event WHERE id = ?", racing).get("payload");
    assertThat(stored).contains(customer).doesNotContain(reader.email(), "Racing Rosalind");
  }

  /** The reader's Stripe customer (a past contribution), which Stripe deletes when asked. */
  private String customerStripeDeletes(Reader reader) {
    String customer = unique("cus");
    deliverAndAwait(
        "customer.subscription.created",
        StripeFixtures.subscription(
            unique("sub"), customer, "canceled", 500, "month", now() + 2_600_000, reader.id()),
        "APPLIED");
    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/customers/" + customer))
            .atPriority(1)
            .willReturn(stripeJson("{\"id\":\"" + customer + "\",\"deleted\":true}")));
    return customer;
  }

  /** Backends of this database waiting on {@code waitEventType} in a statement like the pattern. */
  private long waiting(String waitEventType, String statement) {
    return stripe.count(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND wait_event_type = ? AND query LIKE ?",
        waitEventType,
        statement);
  }

  // --- data at rest -------------------------------------------------------------------------

  @Test
  void onceAMailWithALinkIsDeliveredNoColumnHoldsItsToken() {
    Reader reader = Readers.register(server, "at-rest");
    List<String> tokens = new ArrayList<>();
    tokens.add(Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1));
    assertThat(server.api().post("/api/session/links", json("email", reader.email())).status())
        .isEqualTo(202);
    tokens.add(Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 1));
    assertThat(server.api().post("/api/password-resets", json("email", reader.email())).status())
        .isEqualTo(202);
    tokens.add(Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1));

    for (String token : tokens) {
      String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
      // Delivery commits just after the SMTP server has the message.
      eventually(() -> textColumnsHolding(token).isEmpty(), "the delivered mail forgets its link");
      assertThat(textColumnsHolding(token)).isEmpty();
      assertThat(textColumnsHolding(encoded)).isEmpty();
    }
    // Still a working link: the token was only dropped from the database, not voided.
    Api.Response signIn =
        server.api().post("/api/session/links/confirm", json("token", tokens.get(1)));
    assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
  }

  // --- my data -------------------------------------------------------------------------------

  @Test
  void myDataHasEveryKeyOfTheContractWithActiveSessionsOnlyAndCancelReasons() {
    Reader reader = verifiedReader("my-data", "Ottoline");
    String reason = "saving for a bicycle";
    subscribeAndCancel(reader, reason);
    Api revoked = Readers.signedInElsewhere(server, reader);
    assertThat(revoked.delete("/api/session").status()).isEqualTo(204);
    Api idle = Readers.signedInElsewhere(server, reader);
    execute(
        "UPDATE member_session SET last_seen_at = now() - interval '40 days'"
            + " WHERE member_id = ? AND revoked_at IS NULL AND created_at ="
            + " (SELECT MAX(created_at) FROM member_session WHERE member_id = ?)",
        UUID.fromString(reader.id()),
        UUID.fromString(reader.id()));
    assertThat(idle).isNotNull();
    eventually(
        () -> !Readers.mailsTo(server, reader.email(), "Your contribution was cancelled").isEmpty(),
        "the cancellation mail");

    Api.Response response = reader.api().get("/api/me/data");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    jakarta.json.JsonObject data = response.json();
    assertThat(data.keySet())
        .contains(
            "member", "consents", "sessions", "recurring", "payments", "checkoutAttempts", "mails");
    assertThat(data.getJsonObject("member").getString("email")).isEqualTo(reader.email());
    assertThat(data.getJsonArray("sessions")).as("only the session in use is active").hasSize(1);
    assertThat(data.getJsonArray("sessions").getJsonObject(0).containsKey("userAgent")).isTrue();
    assertThat(data.toString()).doesNotContain(reader.token());
    assertThat(data.getJsonArray("recurring").getJsonObject(0).getString("cancelReason"))
        .isEqualTo(reason);
    assertThat(data.getJsonArray("payments")).hasSize(1);
    assertThat(data.getJsonArray("mails").getValuesAs(jakarta.json.JsonObject.class))
        .extracting(m -> m.getString("subject"))
        .contains(Readers.VERIFY_SUBJECT, "Your contribution was cancelled");
    assertThat(data.getJsonArray("mails").getJsonObject(0).getString("queuedAt")).endsWith("Z");
    assertThat(data.getJsonArray("mails").toString()).doesNotContain("token=");
  }

  // --- audit ----------------------------------------------------------------------------------

  @Test
  void aThousandRefusedRequestsFromOneReaderAddOnlyAHandfulOfAuditEntries() {
    Reader reader = Readers.register(server, "nosy");
    for (int i = 0; i < 1000; i++) {
      Api.Response refused = reader.api().get("/api/audit?from=2026-01-01&to=2026-01-02");
      assertThat(refused.status()).isEqualTo(403);
    }
    List<Map<String, Object>> entries =
        stripe.rows(
            "SELECT occurrences FROM audit_log WHERE actor = ? AND action = 'access.denied'",
            reader.id());
    assertThat(entries).hasSizeBetween(1, 3);
    assertThat(entries.stream().mapToInt(e -> ((Number) e.get("occurrences")).intValue()).sum())
        .as("every refusal is counted")
        .isEqualTo(1000);
  }

  @Test
  void theAuditLogIsReadPageByPageWithACursorAndNoEntryTwiceOrLeftOut() {
    // 2,345 entries on a day nothing else writes to.
    execute(
        "INSERT INTO audit_log (id, at, actor, action, target, details)"
            + " SELECT gen_random_uuid(), TIMESTAMP WITH TIME ZONE '2021-03-04 10:00:00+00'"
            + " + (n % 600) * interval '1 second', 'system', 'test.page', 'n' || n, NULL"
            + " FROM generate_series(1, 2345) AS n");
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);

    List<String> targets = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    String lastAt = "";
    do {
      Api.Response page =
          admin.get(
              "/api/audit?from=2021-03-04&to=2021-03-04&tz=UTC"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      jakarta.json.JsonObject body = page.json();
      List<jakarta.json.JsonObject> entries =
          body.getJsonArray("entries").getValuesAs(jakarta.json.JsonObject.class);
      pageSizes.add(entries.size());
      for (jakarta.json.JsonObject entry : entries) {
        assertThat(entry.getString("at")).isGreaterThanOrEqualTo(lastAt);
        lastAt = entry.getString("at");
        targets.add(entry.getString("target"));
      }
      cursor = body.isNull("next") ? null : body.getString("next");
    } while (cursor != null);

    assertThat(pageSizes).containsExactly(1000, 1000, 345);
    assertThat(targets).hasSize(2345).doesNotHaveDuplicates();
    assertProblem(admin.get("/api/audit?from=2021-03-04&to=2021-03-04&cursor=bogus"), 400);
  }

  @Test
  void roleChangesReplaysSyncRunsErasuresAndExportsAreAudited() {
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);
    Reader staff = verifiedReader("staff", null);
    Api.Response granted =
        admin.post(
            "/api/admin/staff", json("email", staff.email(), "roles", new String[] {"FINANCE"}));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    assertThat(auditCount("staff.roles-changed", staff.id())).isEqualTo(1);

    String eventId = unique("evt");
    stripe.deliver(
        event(eventId, "customer.created", now(), "{\"id\":\"cus_x\",\"object\":\"customer\"}"));
    stripe.awaitEvent(eventId, "IGNORED");
    assertThat(admin.post("/api/admin/stripe-events/" + eventId + "/replay").status())
        .isEqualTo(200);
    assertThat(auditCount("stripe.replay", eventId)).isEqualTo(1);

    long syncsBefore =
        stripe.count("SELECT COUNT(*) FROM audit_log WHERE action = 'stripe.sync.run'");
    admin.post("/api/admin/stripe-sync");
    assertThat(stripe.count("SELECT COUNT(*) FROM audit_log WHERE action = 'stripe.sync'"))
        .isPositive();
    assertThat(stripe.count("SELECT COUNT(*) FROM audit_log WHERE action = 'stripe.sync.run'"))
        .isGreaterThan(syncsBefore);

    Reader leaving = Readers.register(server, "audited-erasure");
    assertThat(leaving.api().get("/api/me/data").status()).isEqualTo(200);
    assertThat(auditCount("member.data-export", leaving.id())).isEqualTo(1);
    assertThat(leaving.api().delete("/api/me", json("password", leaving.password())).status())
        .isEqualTo(204);
    assertThat(auditCount("member.erased", leaving.id())).isEqualTo(1);
  }

  // --- guest donors -----------------------------------------------------------------------------

  @Test
  void aGuestDonorProvesTheAddressByMailAndHasEverythingUnderItErased() {
    String email = Api.uniqueEmail("guest-erase");
    String customer = unique("cus");
    String subscription = unique("sub");
    deliverAndAwait(
        "customer.subscription.created",
        StripeFixtures.subscription(
            subscription, customer, "active", 900, "month", now() + 2_600_000, null),
        "APPLIED");
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, 900, 30);
    deliverAndAwait(
        "invoice.paid",
        StripeFixtures.invoice(
            unique("in"), subscription, customer, email, charge, 900, now() + 2_600_000),
        "APPLIED");
    guestCheckout(email);
    assertThat(textColumnsHolding(email)).isNotEmpty();

    Api.Response unknown =
        server
            .api()
            .post(
                "/api/guest-requests",
                json("email", Api.uniqueEmail("nobody"), "purpose", "ERASE"));
    assertThat(unknown.status()).isEqualTo(202);
    Api.Response asked =
        server.api().post("/api/guest-requests", json("email", email, "purpose", "ERASE"));
    assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
    String token = Readers.awaitToken(server, email, "Confirm the erasure of your data", 1);
    everyLinkOpensAPage(email, "Confirm the erasure of your data");
    assertProblem(
        server.api().post("/api/guest-requests/data", json("token", token)), 400, "invalid-token");

    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/subscriptions/" + subscription))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    StripeFixtures.subscription(
                        subscription,
                        customer,
                        "canceled",
                        900,
                        "month",
                        now() + 2_600_000,
                        null))));
    server.stripe.stubFor(
        delete(urlPathEqualTo("/v1/customers/" + customer))
            .atPriority(1)
            .willReturn(stripeJson("{\"id\":\"" + customer + "\",\"deleted\":true}")));
    Api.Response erased = server.api().post("/api/guest-requests/erase", json("token", token));
    assertThat(erased.status()).as(erased.toString()).isEqualTo(204);

    eventually(() -> textColumnsHolding(email).isEmpty(), "nothing under the address");
    assertThat(textColumnsHolding(email)).isEmpty();
    assertThat(stripe.row("SELECT amount FROM payment WHERE stripe_charge_id = ?", charge))
        .containsEntry("amount", 900L);
    eventually(
        () ->
            server
                    .stripe
                    .findAll(deleteRequestedFor(urlPathEqualTo("/v1/customers/" + customer)))
                    .size()
                == 1,
        "the guest's Stripe customer is deleted at Stripe");
    assertProblem(
        server.api().post("/api/guest-requests/erase", json("token", token)), 400, "invalid-token");
  }

  @Test
  void aGuestDonorSeesWhatIsHeldUnderTheirAddressOnceTheyProveIt() {
    String email = Api.uniqueEmail("guest-data");
    guestCheckout(email);
    Api.Response asked =
        server.api().post("/api/guest-requests", json("email", email, "purpose", "DATA"));
    assertThat(asked.status()).isEqualTo(202);
    String token = Readers.awaitToken(server, email, "Your data held by us", 1);
    everyLinkOpensAPage(email, "Your data held by us");

    Api.Response data = server.api().post("/api/guest-requests/data", json("token", token));
    assertThat(data.status()).as(data.toString()).isEqualTo(200);
    assertThat(data.json().getString("email")).isEqualTo(email.toLowerCase());
    assertThat(data.json().getJsonArray("checkoutAttempts")).hasSize(1);
    assertThat(data.json().getJsonArray("checkoutAttempts").getJsonObject(0).getInt("amount"))
        .isEqualTo(500);
  }

  /** The guest's mail client opens each link in the mail: a page of ours answers it. */
  private void everyLinkOpensAPage(String email, String subject) {
    Set<String> links = Mailbox.links(Readers.awaitMail(server, email, subject));
    assertThat(links).as("links in \"" + subject + "\"").isNotEmpty();
    for (String link : links) {
      assertThat(link).startsWith(server.baseUrl);
      Api.Response page = server.api().get(link.substring(server.baseUrl.length()));
      assertThat(page.status()).as(link).isEqualTo(200);
      assertThat(page.contentType()).as(link).startsWith("text/html");
    }
  }

  @Test
  void theFinanceConsoleLinksAdminsToTheAuditPageWhichReadsTheApiPageByPage() {
    Api.Response finance = server.api().get("/finance.html");
    assertThat(finance.status()).isEqualTo(200);
    assertThat(finance.body()).contains("href=\"/audit.html\"");
    Api.Response page = server.api().get("/audit.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Audit log</h1>", "/audit.js");
    Api.Response script = server.api().get("/audit.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.body()).contains("/api/audit?", "cursor", "page.next");
    Api.Response guestPage = server.api().get("/guest-data.html");
    assertThat(guestPage.status()).isEqualTo(200);
  }

  @Test
  void anEventReducedByRetentionIsNotReplayedButAnsweredWithAConflict() {
    String eventId = unique("evt");
    stripe.deliver(
        event(eventId, "customer.created", now(), "{\"id\":\"cus_r\",\"object\":\"customer\"}"));
    stripe.awaitEvent(eventId, "IGNORED");
    execute(
        "UPDATE stripe_event SET payload = ?, payload_reduced_at = now() WHERE id = ?",
        "{\"id\":\"" + eventId + "\",\"type\":\"customer.created\",\"status\":\"IGNORED\"}",
        eventId);
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);

    assertProblem(
        admin.post("/api/admin/stripe-events/" + eventId + "/replay"), 409, "event-reduced");
  }

  // --- helpers ------------------------------------------------------------------------------

  /** A registered reader whose address is proven, so everything under it is theirs to erase. */
  private Reader verifiedReader(String prefix, String displayName) {
    Api api = server.api();
    String email = Api.uniqueEmail(prefix);
    String password = Readers.strongPassword();
    Api.Response registered =
        api.post(
            "/api/accounts",
            displayName == null
                ? json("email", email, "password", password)
                : json("email", email, "password", password, "displayName", displayName));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String token = Readers.awaitToken(server, email, Readers.VERIFY_SUBJECT, 1);
    Api.Response confirmed = api.post("/api/email-verifications/confirm", json("token", token));
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
    return new Reader(api, email, password, registered.json());
  }

  private void deliverAndAwait(String type, String object, String status) {
    String id = unique("evt");
    assertThat(stripe.deliver(event(id, type, now() - 5, object)).statusCode()).isEqualTo(200);
    stripe.awaitEvent(id, status);
  }

  /**
   * Every {@code table.column} of the service's schema, found from the database's own catalogue (so
   * a table added later is searched too), whose text holds {@code needle}, ignoring case.
   */
  private List<String> textColumnsHolding(String needle) {
    List<String> found = new ArrayList<>();
    try (Connection c = Postgres.connect(server.schema)) {
      List<String[]> columns = new ArrayList<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT table_name, column_name FROM information_schema.columns"
                  + " WHERE table_schema = ? AND data_type IN"
                  + " ('text', 'character varying', 'character', 'json', 'jsonb')")) {
        s.setString(1, server.schema);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            columns.add(new String[] {r.getString(1), r.getString(2)});
          }
        }
      }
      assertThat(columns)
          .as("the catalogue lists the schema's text columns")
          .hasSizeGreaterThan(20);
      for (String[] column : columns) {
        String sql =
            "SELECT COUNT(*) FROM \""
                + server.schema
                + "\".\""
                + column[0]
                + "\" WHERE POSITION(LOWER(?) IN LOWER(CAST(\""
                + column[1]
                + "\" AS TEXT))) > 0";
        try (PreparedStatement s = c.prepareStatement(sql)) {
          s.setString(1, needle);
          try (ResultSet r = s.executeQuery()) {
            r.next();
            if (r.getLong(1) > 0) {
              found.add(column[0] + "." + column[1]);
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  private void guestCheckout(String email) {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .atPriority(10)
            .willReturn(
                stripeJson(
                    "{\"id\":\"cs_test_privacy\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_privacy\"}")));
    Api.Response gift =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\"}");
    assertThat(gift.status()).as(gift.toString()).isEqualTo(201);
  }

  private long auditCount(String action, String target) {
    return stripe.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = ? AND target = ?", action, target);
  }

  private void execute(String sql, Object... params) {
    try (Connection c = Postgres.connect(server.schema);
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** A monthly contribution, paid once, then cancelled by the reader with a reason. */
  private String subscribeAndCancel(Reader reader, String reason) {
    String customer = unique("cus");
    String subscription = unique("sub");
    deliverAndAwait(
        "customer.subscription.created",
        StripeFixtures.subscription(
            subscription, customer, "active", 700, "month", now() + 2_600_000, reader.id()),
        "APPLIED");
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, 700, 30);
    deliverAndAwait(
        "invoice.paid",
        StripeFixtures.invoice(
            unique("in"), subscription, customer, reader.email(), charge, 700, now() + 2_600_000),
        "APPLIED");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + subscription))
            .atPriority(1)
            .willReturn(
                stripeJson(
                    StripeFixtures.subscription(
                        subscription,
                        customer,
                        "active",
                        700,
                        "month",
                        now() + 2_600_000,
                        reader.id()))));
    String id =
        reader
            .api()
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    Api.Response cancelled =
        reader.api().post("/api/me/contributions/" + id + "/cancel", json("reason", reason));
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    return customer;
  }

  private static ResponseDefinitionBuilder stripeJson(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }
}
