package org.newsroom.membership.accounts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/**
 * The abuse figures of the README ("Benchmarks"), on PostgreSQL with the server the tests use:
 *
 * <ol>
 *   <li>baseline: signed-in article checks (16 clients) and webhook deliveries (8 senders);
 *   <li>the same while 200 clients sign in with wrong passwords, each from its own address and for
 *       its own email (so no rate limit stops them: every attempt costs a hash);
 *   <li>the same readers plus readers whose sessions are not cached yet, while 200 clients send
 *       random Bearer tokens.
 * </ol>
 *
 * It reports the check's p50/p99, webhook intake, every status seen, and the most connections the
 * server held at once (sampled from pg_stat_activity) against its pool of 32. Run with
 * bench/abuse.sh.
 */
public final class AbuseBenchmark {

  private static final int POOL_MAX = 32;

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static TestServer server;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    // A main, not a JUnit run: no shared server; its own, stopped when this JVM ends.
    server = TestServer.startOwn();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    List<String> warm = seedSessions(1000);
    List<String> cold = seedSessions(4000);
    for (String token : warm) {
      check(token, null);
    }
    System.out.println(
        "| phase | check req/s | check p50 ms | check p99 ms | webhooks/s |"
            + " statuses | most connections held (pool 32) |");
    System.out.println("|---|---|---|---|---|---|---|");
    phase("baseline", seconds / 2, warm, null, null);
    phase("200 wrong-password sign-ins", seconds, warm, null, AbuseBenchmark::wrongSignIn);
    phase("random Bearer flood, 200 clients", seconds, warm, cold, AbuseBenchmark::randomBearer);
    System.exit(0);
  }

  private interface Attack {
    int attempt();
  }

  private static void phase(
      String name, int seconds, List<String> warm, List<String> cold, Attack attack)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    LongAdder webhooks = new LongAdder();
    AtomicInteger mostConnections = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool();
    for (int i = 0; i < 16; i++) {
      pool.submit(
          () -> {
            List<Long> mine = new ArrayList<>();
            while (!stop.get()) {
              String token = warm.get(ThreadLocalRandom.current().nextInt(warm.size()));
              long started = System.nanoTime();
              tally(statuses, "check " + check(token, "signedIn\":true"));
              mine.add(System.nanoTime() - started);
            }
            latencies.addAll(mine);
            return null;
          });
    }
    if (cold != null) {
      AtomicInteger next = new AtomicInteger();
      for (int i = 0; i < 4; i++) {
        pool.submit(
            () -> {
              int n;
              while (!stop.get() && (n = next.getAndIncrement()) < cold.size()) {
                tally(statuses, "uncached " + check(cold.get(n), "signedIn\":true"));
              }
              return null;
            });
      }
    }
    for (int i = 0; i < 8; i++) {
      pool.submit(
          () -> {
            while (!stop.get()) {
              int status = webhook();
              tally(statuses, "webhook " + status);
              if (status == 200) {
                webhooks.increment();
              }
            }
            return null;
          });
    }
    if (attack != null) {
      for (int i = 0; i < 200; i++) {
        pool.submit(
            () -> {
              while (!stop.get()) {
                tally(statuses, "attack " + attack.attempt());
              }
              return null;
            });
      }
    }
    pool.submit(
        () -> {
          while (!stop.get()) {
            mostConnections.accumulateAndGet(connectionsHeld(), Math::max);
            Thread.sleep(100);
          }
          return null;
        });
    long started = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    double elapsed = (System.nanoTime() - started) / 1e9;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf(
        "| %s | %.0f | %.2f | %.2f | %.0f | %s | %d |%n",
        name,
        sorted.size() / elapsed,
        percentile(sorted, 50),
        percentile(sorted, 99),
        webhooks.sum() / elapsed,
        new java.util.TreeMap<>(statuses),
        mostConnections.get());
  }

  /**
   * Status, or 299 for a check that answered 200 without {@code expected} (degraded, anonymous).
   */
  private static int check(String token, String expected) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/entitlements"))
                .header("Cookie", "session=" + token)
                .GET());
    if (response == null) {
      return 0;
    }
    if (response.statusCode() == 200 && expected != null && !response.body().contains(expected)) {
      return response.body().contains("degraded") ? 298 : 299;
    }
    return response.statusCode();
  }

  private static int wrongSignIn() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String body =
        "{\"email\":\"guess-"
            + r.nextInt(1_000_000)
            + "@readers.example\",\"password\":\"wrong-"
            + r.nextLong()
            + "\"}";
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/session"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "10.9." + r.nextInt(256) + "." + r.nextInt(1, 255))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (response == null) {
      return 0;
    }
    return response.statusCode() == 503 && response.body().contains("/busy")
        ? 5031
        : response.statusCode();
  }

  private static int randomBearer() {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/entitlements"))
                .header("Authorization", "Bearer " + SecretTokens.newToken())
                .GET());
    return response == null ? 0 : response.statusCode();
  }

  private static int webhook() {
    long now = System.currentTimeMillis() / 1000;
    String id = "evt_abuse_" + UUID.randomUUID();
    String body =
        "{\"id\":\""
            + id
            + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":"
            + now
            + ",\"livemode\":false,\"type\":\"customer.created\",\"data\":{\"object\":{"
            + "\"id\":\"cus_"
            + id
            + "\",\"object\":\"customer\"}}}";
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/stripe/webhook"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", sign(body, now))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    return response == null ? 0 : response.statusCode();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null;
    }
  }

  private static void tally(Map<String, AtomicInteger> statuses, String key) {
    statuses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
  }

  private static int connectionsHeld() throws Exception {
    try (Connection c = Postgres.connect("public");
        PreparedStatement count =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      count.setString(1, TestServer.applicationName(server.schema));
      try (ResultSet r = count.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** Members with one session each, written directly (registering would cost a hash each). */
  private static List<String> seedSessions(int n) throws Exception {
    List<String> tokens = new ArrayList<>();
    try (Connection c = Postgres.connect(server.schema);
        PreparedStatement member =
            c.prepareStatement(
                "INSERT INTO member (id, email, email_normalized, display_name, marketing_consent,"
                    + " roles, created_at, updated_at) VALUES (?, ?, ?, 'Reader', FALSE, 'READER',"
                    + " now(), now())");
        PreparedStatement session =
            c.prepareStatement(
                "INSERT INTO member_session (token_hash, member_id, created_at, last_seen_at,"
                    + " absolute_expires_at) VALUES (?, ?, now(), now(), now() + interval '1 day')")) {
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        String email = "abuse-" + id + "@readers.example";
        member.setObject(1, id);
        member.setString(2, email);
        member.setString(3, email);
        member.addBatch();
        String token = SecretTokens.newToken();
        session.setString(1, SecretTokens.hash(token));
        session.setObject(2, id);
        session.addBatch();
        tokens.add(token);
      }
      member.executeBatch();
      session.executeBatch();
    }
    return tokens;
  }

  private static String sign(String body, long t) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              TestServer.STRIPE_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "t="
          + t
          + ",v1="
          + HexFormat.of()
              .formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
