package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/**
 * Starts with the data grid on, as in production, whose first traffic arrives all at once and in
 * varying order. Payara's Hazelcast tenant control remembers the context of the thread that created
 * a cache and restores it on its own threads for every later cache operation; a cache created
 * lazily inside a request remembered that request, and its closed EntityManager then failed every
 * operation on that cache for the life of the instance. Whatever comes first, no request may fail
 * and the log must stay free of exceptions.
 */
class GridStartIT {

  private static final String ADMIN_EMAIL = "grid-admin@it.example";
  private static final String ADMIN_PASSWORD = "grid admin password for tests";
  private static final int READERS = 8;
  private static final int COLD_READERS = 1_000;
  private static final int COLD_CLIENTS = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a reader does first; each start hands out these in a different rotation. */
  private enum First {
    REGISTER,
    SIGN_IN,
    ME,
    ENTITLEMENTS
  }

  @ParameterizedTest(name = "start {0}")
  @ValueSource(ints = {0, 1, 2})
  void whateverTheFirstRequestsAreNoCacheIsPoisoned(int rotation) throws Exception {
    String schema = Postgres.createSchema("grid");
    TestServer.Launched launched = startWithGrid(schema);
    int port = launched.port();
    Process server = launched.process();
    try {
      String base = "http://localhost:" + port;
      long logOffset = Files.size(TestServer.logOf("grid", port));
      List<String> tokens = sessionsFromBeforeTheStart(schema);

      List<String> failures = firstTraffic(base, rotation, tokens);

      String log = Files.readString(TestServer.logOf("grid", port));
      List<String> logged = exceptionsIn(log.substring((int) Math.min(logOffset, log.length())));
      assertThat(failures).as("requests that failed").isEmpty();
      assertThat(logged).as("exceptions in the server log after start").isEmpty();
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
      server.destroyForcibly();
      Postgres.dropSchema(schema);
    }
  }

  /**
   * Eight readers released at once, each starting with a different kind of request, then each going
   * through what a reader does: sign in, read and change the profile, ask the article check, sign
   * out. Returns every answer that was not the expected one.
   */
  private List<String> firstTraffic(String base, int rotation, List<String> tokens)
      throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(READERS);
    List<Future<?>> readers = new ArrayList<>();
    for (int i = 0; i < READERS; i++) {
      First first = First.values()[(i + rotation) % First.values().length];
      String token = tokens.get(i);
      readers.add(
          pool.submit(
              () -> {
                go.await();
                reader(new Api(base), first, token, failures);
                return null;
              }));
    }
    go.countDown();
    for (Future<?> reader : readers) {
      reader.get(3, TimeUnit.MINUTES);
    }
    pool.shutdown();
    return List.copyOf(failures);
  }

  /** One instance on its own grid, as production starts it, on a fresh schema; ready to serve. */
  private static TestServer.Launched startWithGrid(String schema) throws Exception {
    Path dataDir = TestServer.buildDir().resolve("grid-data-" + UUID.randomUUID());
    String cluster = "grid-it-" + UUID.randomUUID();
    int gridPort = TestServer.freePort();
    return TestServer.launchReady(
        "grid",
        port ->
            withGrid(
                Map.of(
                    "DB_URL",
                    Postgres.url(schema),
                    "DB_USER",
                    Postgres.USER,
                    "DB_PASSWORD",
                    Postgres.PASSWORD,
                    "PUBLIC_BASE_URL",
                    "http://localhost:" + port,
                    "DATA_DIR",
                    dataDir.toString(),
                    "ADMIN_EMAIL",
                    ADMIN_EMAIL,
                    "ADMIN_PASSWORD",
                    ADMIN_PASSWORD,
                    "HTTP_CLIENT_ADDRESS_HEADER",
                    "X-Forwarded-For"),
                TestServer.ownGrid(cluster, gridPort)),
        Duration.ofMinutes(4));
  }

  /**
   * After a deploy every signed-in reader's session and snapshot are only in the database, and the
   * first article pages ask for all of them at once: each must still be answered as signed in,
   * never as {@code degraded} (which the article page shows as signed out), while the database is
   * up. bench/coldstart.sh does the same with 10,000 readers.
   */
  @Test
  void signedInReadersArrivingAllAtOnceRightAfterAStartAreNeverAnsweredDegraded() throws Exception {
    String schema = Postgres.createSchema("cold");
    TestServer.Launched launched = startWithGrid(schema);
    try {
      String base = "http://localhost:" + launched.port();
      long logOffset = Files.size(TestServer.logOf("grid", launched.port()));
      List<String> tokens = readersFromBeforeTheStart(schema, COLD_READERS);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService clients = Executors.newFixedThreadPool(COLD_CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < COLD_CLIENTS; c++) {
        int first = c;
        done.add(
            clients.submit(
                () -> {
                  go.await();
                  for (int i = first; i < tokens.size(); i += COLD_CLIENTS) {
                    HttpResponse<String> answer =
                        http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/entitlements"))
                                .header("Cookie", "session=" + tokens.get(i))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200
                        || !answer.body().contains("\"signedIn\":true")
                        || answer.body().contains("\"degraded\":true")) {
                      wrong.add(answer.statusCode() + " " + answer.body());
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> client : done) {
        client.get(3, TimeUnit.MINUTES);
      }
      clients.shutdown();

      String log = Files.readString(TestServer.logOf("grid", launched.port()));
      assertThat(wrong).as("answers that were not signed in").isEmpty();
      assertThat(exceptionsIn(log.substring((int) Math.min(logOffset, log.length()))))
          .as("exceptions in the server log")
          .isEmpty();
    } finally {
      launched.process().destroy();
      launched.process().waitFor(30, TimeUnit.SECONDS);
      launched.process().destroyForcibly();
      Postgres.dropSchema(schema);
    }
  }

  /** Members with one session each, written as a previous deployment would have left them. */
  private static List<String> readersFromBeforeTheStart(String schema, int count) throws Exception {
    List<String> tokens = new ArrayList<>();
    try (Connection db = Postgres.connect(schema);
        PreparedStatement member =
            db.prepareStatement(
                "INSERT INTO member (id, email, email_normalized, display_name,"
                    + " marketing_consent, roles, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, FALSE, 'READER', now(), now())");
        PreparedStatement session =
            db.prepareStatement(
                "INSERT INTO member_session"
                    + " (token_hash, member_id, created_at, last_seen_at, absolute_expires_at)"
                    + " VALUES (?, ?, now(), now(), now() + interval '30 days')")) {
      for (int i = 0; i < count; i++) {
        UUID id = UUID.randomUUID();
        String email = "cold-" + id + "@readers.example";
        member.setObject(1, id);
        member.setString(2, email);
        member.setString(3, email);
        member.setString(4, "Reader " + i);
        member.addBatch();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        session.setString(1, sha256Hex(token));
        session.setObject(2, id);
        session.addBatch();
        tokens.add(token);
      }
      member.executeBatch();
      session.executeBatch();
    }
    return tokens;
  }

  private static Map<String, String> withGrid(Map<String, String> env, Map<String, String> grid) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(grid);
    return all;
  }

  private static void reader(
      Api api, First first, String tokenFromBefore, ConcurrentLinkedQueue<String> failures) {
    if (first == First.ME || first == First.ENTITLEMENTS) {
      // A reader who signed in before this instance started: its session is only in the database.
      api.withSessionToken(tokenFromBefore);
      String path = first == First.ME ? "/api/me" : "/api/entitlements";
      expect(api.get(path), 200, "first GET " + path, failures);
    } else if (first == First.REGISTER) {
      expect(
          api.post(
              "/api/accounts",
              "{\"email\":\""
                  + Api.uniqueEmail("grid")
                  + "\",\"password\":\"Lantern-"
                  + UUID.randomUUID()
                  + "-quay\",\"displayName\":\"Ada\"}"),
          201,
          "POST /api/accounts",
          failures);
    } else {
      expect(api.signIn(ADMIN_EMAIL, ADMIN_PASSWORD), 200, "POST /api/session", failures);
    }
    for (int round = 0; round < 3; round++) {
      expect(api.get("/api/me"), 200, "GET /api/me", failures);
      expect(
          api.patch("/api/me", "{\"displayName\":\"Reader " + round + "\"}"),
          200,
          "PATCH /api/me",
          failures);
      Api.Response check = api.get("/api/entitlements");
      expect(check, 200, "GET /api/entitlements", failures);
      if (!check.body().contains("\"signedIn\":true") || check.body().contains("degraded")) {
        failures.add("GET /api/entitlements signed in: " + check.body());
      }
    }
    String token = api.sessionToken();
    expect(api.delete("/api/session"), 204, "DELETE /api/session", failures);
    Api.Response after = api.withSessionToken(token).get("/api/entitlements");
    if (!after.body().contains("\"signedIn\":false")) {
      failures.add("GET /api/entitlements after sign-out: " + after.body());
    }
  }

  private static void expect(
      Api.Response response, int status, String what, ConcurrentLinkedQueue<String> failures) {
    if (response.status() != status) {
      failures.add(what + " -> " + response);
    }
  }

  /**
   * Sessions of the bootstrap admin, one per reader, written straight into the database as a
   * previous instance would have left them: the first request that presents one misses the cache.
   */
  private static List<String> sessionsFromBeforeTheStart(String schema) throws Exception {
    List<String> tokens = new ArrayList<>();
    try (Connection db = Postgres.connect(schema);
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO member_session"
                    + " (token_hash, member_id, created_at, last_seen_at, absolute_expires_at)"
                    + " SELECT ?, id, now(), now(), now() + interval '30 days' FROM member"
                    + " WHERE email_normalized = ?")) {
      for (int i = 0; i < READERS; i++) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        insert.setString(1, sha256Hex(token));
        insert.setString(2, ADMIN_EMAIL);
        assertThat(insert.executeUpdate()).as("bootstrap admin exists").isEqualTo(1);
        tokens.add(token);
      }
    }
    return tokens;
  }

  private static String sha256Hex(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Lines of the log that report an exception or the tenant control's poisoned context. */
  private static List<String> exceptionsIn(String log) {
    List<String> found = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains("Exception")
          || line.contains("closed EntityManager")
          || line.contains("SEVERE")) {
        found.add(line.length() > 300 ? line.substring(0, 300) : line);
      }
    }
    return found;
  }
}
