package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Await;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * Two instances of the same built WAR on one PostgreSQL schema, joined in a data grid of their own
 * on loopback, as production runs several behind a load balancer: a reader may reach either one on
 * any request, and neither may answer from what only it knows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

  /**
   * The test that kills an instance runs last and leaves it dead: starting it again would cost a
   * whole Payara start (45-52 s on the shared two-core machine) that no later test would use.
   */
  private static final int LEAVES_AN_INSTANCE_DEAD = Integer.MAX_VALUE;

  private static final Duration PROPAGATION = Duration.ofSeconds(1);

  private static final String WEBHOOK_SECRET = "whsec_two_instances_it";

  /** A bound only: on a shared machine under heavy load one start took almost six minutes. */
  private static final Duration RESTART = Duration.ofMinutes(8);

  /** Short, so a killed instance's claimed events are taken over quickly. */
  private static final int LEASE_SECONDS = 6;

  private static String schema;
  private static WireMockServer stripe;
  private static Process processA;
  private static Process processB;
  private static String a;
  private static String b;
  private static Map<String, String> grid;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void startTwoInstances() throws Exception {
    schema = Postgres.createSchema("two");
    stripe =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    stripe.start();
    portA = TestServer.freePort();
    portB = TestServer.freePort();
    a = "http://localhost:" + portA;
    b = "http://localhost:" + portB;
    grid = TestServer.ownGrid("two-it-" + UUID.randomUUID(), TestServer.freePort());
    processA = TestServer.launch("two-a", portA, environment(grid, "a"));
    processB = TestServer.launch("two-b", portB, environment(grid, "b"));
    TestServer.awaitReady(a, processA, Duration.ofMinutes(4));
    TestServer.awaitReady(b, processB, Duration.ofMinutes(4));
    awaitGridOfTwo("two-a", portA);
    awaitGridOfTwo("two-b", portB);
  }

  /** Starts A again on its port (its log starts afresh) and waits until it is back in the grid. */
  private static void restartA() throws Exception {
    processA = TestServer.launch("two-a", portA, environment(grid, "a"));
    TestServer.awaitReady(a, processA, RESTART);
    awaitGridOfTwo("two-a", portA);
    assertDeployedOnce("two-a", portA);
  }

  private static void restartB() throws Exception {
    processB = TestServer.launch("two-b", portB, environment(grid, "b"));
    TestServer.awaitReady(b, processB, RESTART);
    awaitGridOfTwo("two-b", portB);
    assertDeployedOnce("two-b", portB);
  }

  /**
   * A restarted instance finds the runtime directory of its previous run (the same name and port
   * give the same folder, as a container restarted in its pod keeps /tmp). Payara must still deploy
   * the application once: not the copy the old domain.xml lists and then the WAR again on top of
   * it, which stopped the first deployment under running requests (README, "Cold start").
   */
  private static void assertDeployedOnce(String name, int port) throws IOException {
    String log = Files.readString(TestServer.logOf(name, port));
    assertThat(log.split("Loading application \\[membership\\]", -1).length - 1)
        .as("times " + name + " loaded the application after its restart")
        .isEqualTo(1);
  }

  /** Stops an instance as an orchestrator does on a rolling update: SIGTERM, then its exit. */
  private static void stopGracefully(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the instance did not stop within 60 s of SIGTERM");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process process : new Process[] {processA, processB}) {
      if (process != null) {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
    }
    Postgres.dropSchema(schema);
    if (stripe != null) {
      stripe.stop();
    }
  }

  @Test
  void aReaderSignedInOnOneInstanceIsSignedInOnTheOther() {
    Api onA = new Api(a);
    onA.register(Api.uniqueEmail("two"), password());

    Api onB = new Api(b).withSessionToken(onA.sessionToken());

    assertThat(onB.get("/api/me").status()).isEqualTo(200);
    assertThat(onB.get("/api/entitlements").body()).contains("\"signedIn\":true");
  }

  @Test
  void aReaderWhoSignsOutOnOneInstanceIsAnonymousOnTheOtherWithinASecond() {
    Api onA = new Api(a);
    onA.register(Api.uniqueEmail("two"), password());
    Api onB = new Api(b).withSessionToken(onA.sessionToken());
    // B has answered for this session, so B holds a local copy of it.
    assertThat(onB.get("/api/entitlements").body()).contains("\"signedIn\":true");

    assertThat(onA.delete("/api/session").status()).isEqualTo(204);

    assertWithin(
        PROPAGATION,
        () -> onB.get("/api/entitlements").body().contains("\"signedIn\":false"),
        "B still answers for a session revoked on A");
    assertThat(onB.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void rateLimitsCountRequestsToBothInstances() {
    String email = Api.uniqueEmail("two");
    new Api(a).register(email, password());
    String body = "{\"email\":\"" + email + "\"}";

    // mails-per-email is 5 per window: 3 on A and 2 on B use it up.
    for (int i = 0; i < 5; i++) {
      Api instance = new Api(i % 2 == 0 ? a : b);
      assertThat(instance.post("/api/password-resets", body).status())
          .as("request " + i)
          .isEqualTo(202);
    }

    assertThat(new Api(a).post("/api/password-resets", body).status()).isEqualTo(429);
    assertThat(new Api(b).post("/api/password-resets", body).status()).isEqualTo(429);
  }

  @Test
  void aGiftAppliedOnOneInstanceMakesASupporterOnTheOtherWithinASecondAndARedeliveryIsAppliedOnce()
      throws Exception {
    Api onA = new Api(a);
    String memberId = onA.register(Api.uniqueEmail("two"), password()).getString("id");
    Api onB = new Api(b).withSessionToken(onA.sessionToken());
    // B has answered for this member, so B holds a local copy of the snapshot.
    assertThat(onB.get("/api/entitlements").body()).contains("\"supporter\":false");
    String paymentIntent = StripeFixtures.unique("pi");
    String charge = StripeFixtures.unique("ch");
    stubStripe(
        "/v1/payment_intents/" + paymentIntent,
        "{\"id\":\""
            + paymentIntent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
            + charge
            + "\",\"metadata\":{\"attemptId\":\"x\",\"memberId\":\""
            + memberId
            + "\"}}");
    stubStripe(
        "/v1/charges/" + charge,
        StripeFixtures.charge(charge, paymentIntent, null, 2500, "txn_" + charge));
    stubStripe(
        "/v1/balance_transactions/txn_" + charge,
        StripeFixtures.balanceTransaction("txn_" + charge, 2500, 95, "charge"));
    String eventId = StripeFixtures.unique("evt");
    String gift =
        StripeFixtures.event(
            eventId,
            "checkout.session.completed",
            StripeFixtures.now(),
            "{\"id\":\""
                + StripeFixtures.unique("cs")
                + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":2500,\"currency\":\"gbp\","
                + "\"payment_intent\":\""
                + paymentIntent
                + "\",\"metadata\":{\"attemptId\":\"x\",\"frequency\":\"ONE_OFF\","
                + "\"memberId\":\""
                + memberId
                + "\"}}");

    assertThat(deliver(a, gift)).isEqualTo(200);
    awaitApplied(eventId);

    assertWithin(
        PROPAGATION,
        () -> onB.get("/api/entitlements").body().contains("\"supporter\":true"),
        "B does not show the gift applied on A");

    // Stripe redelivers the same event, this time to B.
    assertThat(deliver(b, gift)).isEqualTo(200);
    awaitApplied(eventId);
    assertThat(count("SELECT count(*) FROM stripe_event WHERE id = ?", eventId)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM payment WHERE stripe_charge_id = ?", charge))
        .isEqualTo(1);
  }

  @Test
  void aProcessThatDoesNotKnowTheClusterNameCannotJoin() throws Exception {
    Map<String, String> stranger = new HashMap<>(grid);
    stranger.put("CLUSTER_NAME", "a-guess-" + UUID.randomUUID());
    int portC = TestServer.freePort();
    Process processC = TestServer.launch("two-c", portC, environment(stranger, "c"));
    try {
      // The grid is formed while Payara boots, before the application is deployed: once C reports
      // its data grid it has tried the members' address (same CLUSTER_MODE) and joined or been
      // refused. Waiting for its HTTP readiness as well would add half a minute of deployment.
      awaitGridState("two-c", portC, processC);
      assertThat(Files.readString(TestServer.logOf("two-c", portC)))
          .as("C's log")
          .contains("could not join cluster");
      assertThat(lastGridSize("two-c", portC)).isEqualTo(1);
      assertThat(lastGridSize("two-a", portA)).isEqualTo(2);
    } finally {
      processC.destroy();
      processC.waitFor(30, TimeUnit.SECONDS);
      processC.destroyForcibly();
    }
  }

  @Test
  @Order(LEAVES_AN_INSTANCE_DEAD)
  void anInstanceKilledWhileApplyingWebhookEventsHasThemFinishedByTheOtherAfterItsLease()
      throws Exception {
    String memberId = new Api(a).register(Api.uniqueEmail("two"), password()).getString("id");
    String run = StripeFixtures.unique("kill");
    int gifts = 6;
    List<String> events = new ArrayList<>();
    List<String> charges = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < gifts; i++) {
      String paymentIntent = "pi_" + run + "_" + i;
      String charge = "ch_" + run + "_" + i;
      stubStripe(
          "/v1/payment_intents/" + paymentIntent,
          "{\"id\":\""
              + paymentIntent
              + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
              + charge
              + "\",\"metadata\":{\"attemptId\":\"x\",\"memberId\":\""
              + memberId
              + "\"}}");
      stubStripe(
          "/v1/charges/" + charge,
          StripeFixtures.charge(charge, paymentIntent, null, 1000 + i, "txn_" + charge));
      stubStripe(
          "/v1/balance_transactions/txn_" + charge,
          StripeFixtures.balanceTransaction("txn_" + charge, 1000 + i, 50, "charge"));
      String eventId = StripeFixtures.unique("evt");
      events.add(eventId);
      charges.add(charge);
      payloads.add(
          StripeFixtures.event(
              eventId,
              "checkout.session.completed",
              StripeFixtures.now(),
              "{\"id\":\""
                  + StripeFixtures.unique("cs")
                  + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                  + "\"payment_status\":\"paid\",\"amount_total\":"
                  + (1000 + i)
                  + ",\"currency\":\"gbp\",\"payment_intent\":\""
                  + paymentIntent
                  + "\",\"metadata\":{\"attemptId\":\"x\",\"frequency\":\"ONE_OFF\","
                  + "\"memberId\":\""
                  + memberId
                  + "\"}}"));
    }
    // The first Stripe read of this run's events never answers in time: the instance that makes
    // it is caught in the middle of applying the batch it claimed. Later reads answer at once.
    StubMapping hang =
        stripe.stubFor(
            WireMock.get(WireMock.urlPathMatching("/v1/payment_intents/pi_" + run + "_.*"))
                .atPriority(1)
                .inScenario(run)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("caught")
                .willReturn(WireMock.aResponse().withFixedDelay(60_000).withStatus(500)));

    for (String payload : payloads) {
      assertThat(deliver(a, payload)).isEqualTo(200);
    }
    LoggedRequest caughtRead = awaitCaught(hang);
    boolean caughtIsA = caughtRead.getHeader("Authorization").endsWith("_a");
    Process caught = caughtIsA ? processA : processB;
    caught.destroyForcibly().waitFor();
    // The event it was applying, and the others it claimed in the same statement (one lease end
    // for the batch): none applied, each held until that lease runs out.
    String path = caughtRead.getUrl();
    String caughtEvent =
        events.get(Integer.parseInt(path.substring(path.lastIndexOf('_') + 1).split("\\?")[0]));
    Object[] caughtRow = eventRow(caughtEvent);
    assertThat(caughtRow[0])
        .as("status of the event being applied when killed")
        .isNotEqualTo("APPLIED");
    OffsetDateTime leaseEnd = (OffsetDateTime) caughtRow[1];
    List<String> held = new ArrayList<>();
    for (String event : events) {
      Object[] row = eventRow(event);
      if (!"APPLIED".equals(row[0]) && leaseEnd.equals(row[1])) {
        held.add(event);
      }
    }

    for (String event : events) {
      awaitApplied(event, Duration.ofSeconds(LEASE_SECONDS + 30));
    }
    for (String event : held) {
      assertThat((OffsetDateTime) eventRow(event)[2])
          .as("applied_at of " + event + ", held by the killed instance until its lease ran out")
          .isAfterOrEqualTo(leaseEnd);
    }
    for (int i = 0; i < gifts; i++) {
      assertThat(eventRow(events.get(i))[3]).as("attempts of " + events.get(i)).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM payment WHERE stripe_charge_id = ?", charges.get(i)))
          .as("payments of " + charges.get(i))
          .isEqualTo(1);
    }
  }

  @Test
  void aRollingRestartOfBothInstancesLosesNoSignedInReader() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Api reader = new Api(i % 2 == 0 ? a : b);
      reader.register(Api.uniqueEmail("roll"), password());
      tokens.add(reader.sessionToken());
    }
    // A load balancer's view: each reader asks every instance in rotation; every answer given must
    // be signed in, and in every round each reader must have had one.
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    // What a load balancer routes to: an instance leaves before it is stopped and comes back once
    // it has started and joined the grid.
    Set<String> inRotation = new CopyOnWriteArraySet<>(List.of(a, b));
    AtomicBoolean rolling = new AtomicBoolean(true);
    List<String> lost = new CopyOnWriteArrayList<>();
    AtomicInteger rounds = new AtomicInteger();
    // What the restart was doing when an answer was lost, for the failure message.
    AtomicReference<String> phase = new AtomicReference<>("both up");
    Thread checker =
        new Thread(
            () -> {
              while (rolling.get() && lost.size() < 20) {
                for (String token : tokens) {
                  boolean answered = false;
                  for (String instance : inRotation) {
                    String body = entitlementsOrNull(http, instance, token);
                    if (body == null) {
                      continue;
                    }
                    if (!body.contains("\"signedIn\":true") || body.contains("\"degraded\":true")) {
                      lost.add(instance + " answered " + body + " while " + phase.get());
                    }
                    answered = true;
                  }
                  if (!answered) {
                    lost.add("no instance answered for a reader in round " + rounds.get());
                  }
                }
                rounds.incrementAndGet();
              }
            },
            "rolling-restart-checker");
    checker.start();
    try {
      drain(a, inRotation, rounds, phase);
      phase.set("A stopping");
      stopGracefully(processA);
      phase.set("A starting");
      restartA();
      inRotation.add(a);
      phase.set("A back");
      drain(b, inRotation, rounds, phase);
      phase.set("B stopping");
      stopGracefully(processB);
      phase.set("B starting");
      restartB();
      inRotation.add(b);
      phase.set("B back");
    } finally {
      rolling.set(false);
      checker.join();
    }

    assertThat(lost).isEmpty();
    assertThat(rounds.get()).as("rounds of checks through the restarts").isGreaterThan(20);
  }

  /**
   * Takes an instance out of rotation as a load balancer drains it: requests already sent to it
   * finish before it is stopped (the checker has completed a whole round that began after it left).
   */
  private static void drain(
      String instance,
      Set<String> inRotation,
      AtomicInteger rounds,
      AtomicReference<String> phase) {
    phase.set("draining " + instance);
    int before = rounds.get();
    inRotation.remove(instance);
    Await.eventually(() -> rounds.get() >= before + 2, "a round without " + instance);
  }

  /** The body of a 200 entitlement answer, or null when the instance gave none (down, starting). */
  private static String entitlementsOrNull(HttpClient http, String instance, String token) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(instance + "/api/entitlements"))
                  .timeout(Duration.ofSeconds(2))
                  .header("Cookie", "session=" + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (java.io.IOException down) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Waits until an instance's Stripe read is held by the stub and returns it: its secret key tells
   * the instances apart, its path the event.
   */
  private static LoggedRequest awaitCaught(StubMapping hang) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (var logged : stripe.getAllServeEvents()) {
        if (logged.getStubMapping() != null
            && hang.getId().equals(logged.getStubMapping().getId())) {
          return logged.getRequest();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no instance read the held Stripe object within 30 s");
  }

  /** status, next_attempt_at, applied_at and attempts of a stored event. */
  private static Object[] eventRow(String eventId) throws Exception {
    try (Connection db = Postgres.connect(schema);
        PreparedStatement query =
            db.prepareStatement(
                "SELECT status, next_attempt_at, applied_at, attempts FROM stripe_event"
                    + " WHERE id = ?")) {
      query.setString(1, eventId);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return new Object[] {
          row.getString(1),
          row.getObject(2, OffsetDateTime.class),
          row.getObject(3, OffsetDateTime.class),
          row.getInt(4)
        };
      }
    }
  }

  /**
   * The size of the data grid as the instance last reported it in its log; 0 before its first
   * report. Only a whole line counts, since the log may be read while Payara writes it.
   */
  private static int lastGridSize(String name, int port) throws Exception {
    java.util.regex.Matcher sizes =
        java.util.regex.Pattern.compile("DG Size: (\\d+)\\s")
            .matcher(Files.readString(TestServer.logOf(name, port)));
    int last = 0;
    while (sizes.find()) {
      last = Integer.parseInt(sizes.group(1));
    }
    return last;
  }

  private static void stubStripe(String path, String json) {
    stripe.stubFor(
        WireMock.get(WireMock.urlPathEqualTo(path))
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(json)));
  }

  private static int deliver(String instance, String payload) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(instance + "/api/stripe/webhook"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json; charset=utf-8")
            .header(
                "Stripe-Signature",
                StripeFixtures.signature(payload, StripeFixtures.now(), WEBHOOK_SECRET))
            .POST(HttpRequest.BodyPublishers.ofString(payload))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static void awaitApplied(String eventId) throws Exception {
    awaitApplied(eventId, Duration.ofSeconds(30));
  }

  private static void awaitApplied(String eventId, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection db = Postgres.connect(schema);
          PreparedStatement query =
              db.prepareStatement("SELECT status, last_error FROM stripe_event WHERE id = ?")) {
        query.setString(1, eventId);
        try (ResultSet row = query.executeQuery()) {
          if (row.next() && "APPLIED".equals(row.getString(1))) {
            return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("event " + eventId + " was not applied within " + limit);
  }

  private static long count(String sql, String parameter) throws Exception {
    try (Connection db = Postgres.connect(schema);
        PreparedStatement query = db.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static Map<String, String> environment(Map<String, String> grid, String instance) {
    Map<String, String> env = new HashMap<>(grid);
    env.put("DB_URL", Postgres.url(schema));
    env.put("DB_USER", Postgres.USER);
    env.put("DB_PASSWORD", Postgres.PASSWORD);
    env.put(
        "DATA_DIR",
        TestServer.buildDir().resolve("two-data-" + instance + "-" + UUID.randomUUID()).toString());
    // Either instance may serve the pages that send the state-changing requests.
    env.put("PUBLIC_BASE_URL", a);
    env.put("CORS_ALLOWED_ORIGINS", b);
    env.put("HTTP_CLIENT_ADDRESS_HEADER", "X-Forwarded-For");
    env.put("STRIPE_SYNC_INTERVAL_MINUTES", "0");
    // One key per instance: the Stripe double's request log tells which instance asked.
    env.put("STRIPE_SECRET_KEY", "sk_test_two_instances_" + instance);
    env.put("STRIPE_EVENT_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
    env.put("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("STRIPE_API_BASE", "http://127.0.0.1:" + stripe.port());
    return env;
  }

  /** Waits until the instance's log shows the data grid it is in, whatever its size. */
  private static void awaitGridState(String name, int port, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited; see its log");
      }
      if (lastGridSize(name, port) > 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " reported no data grid; see its log");
  }

  /** Waits until the instance's log shows it in a grid of two members. */
  private static void awaitGridOfTwo(String name, int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      String log = Files.readString(TestServer.logOf(name, port));
      // Payara's own "ready" line, and the grid size it reported last: the grid may report two
      // members before this instance's start is over.
      if (log.contains(" ready in ") && lastGridSize(name, port) == 2) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(name + " did not join a grid of two; see its log");
  }

  private static void assertWithin(Duration limit, Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " after " + limit.toMillis() + " ms");
      }
      Thread.onSpinWait();
    }
  }

  private static String password() {
    return "Lantern-" + UUID.randomUUID().toString().substring(0, 12) + "-quay";
  }
}
