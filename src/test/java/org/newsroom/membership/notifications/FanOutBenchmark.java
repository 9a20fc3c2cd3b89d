package org.newsroom.membership.notifications;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.CpuUsage;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/**
 * The fan-out of one alert to many subscriptions (README, "Benchmarks"): a server started through
 * {@code deploy/payara/start.sh} with the production settings on a fresh PostgreSQL schema, N
 * subscriptions of one topic seeded in the database, all on a local push service that counts what
 * it receives and keeps the first message, which is decrypted to prove it is a real RFC 8291
 * message. Reports the time until every delivery is recorded, deliveries per second, the server's
 * heap, and, for comparison, what encryption alone costs in this JVM on one and on all cores.
 *
 * <p>Usage: bench/push.sh [subscriptions, default 100000]
 */
public final class FanOutBenchmark {

  public static void main(String[] args) throws Exception {
    int subscriptions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    encryptionAlone();

    CountingPushService push = new CountingPushService();
    PushBrowser browser = PushBrowser.at(push.base());
    String schema = Postgres.createSchema("bench_push");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DB_URL", Postgres.url(schema) + "&ApplicationName=" + schema);
    env.put("DB_USER", Postgres.USER);
    env.put("DB_PASSWORD", Postgres.PASSWORD);
    env.put("ADMIN_EMAIL", TestServer.ADMIN_EMAIL);
    env.put("ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
    env.put("NOTIFICATIONS_INSECURE_PUSH_HOSTS", "127.0.0.1");
    env.put(
        "DATA_DIR", TestServer.buildDir().resolve("bench-push-" + UUID.randomUUID()).toString());
    TestServer.Launched server =
        TestServer.launchReady(
            "bench-push",
            port -> {
              Map<String, String> withBase = new LinkedHashMap<>(env);
              withBase.put("PUBLIC_BASE_URL", "http://localhost:" + port);
              return withBase;
            },
            Duration.ofMinutes(4));
    String baseUrl = "http://localhost:" + server.port();
    try {
      seed(schema, subscriptions, browser);
      Api editor = new Api(baseUrl);
      Api.Response signedIn = editor.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
      if (signedIn.status() != 200) {
        throw new IllegalStateException("Admin sign-in failed: " + signedIn);
      }
      // start.sh execs java, so the launched process is the server itself.
      long serverPid = server.process().pid();
      HeapSampler heap = new HeapSampler(serverPid);
      heap.start();
      CpuUsage before = CpuUsage.now(server.process().toHandle());

      long started = System.nanoTime();
      Api.Response queued =
          editor.post(
              "/api/notifications",
              "{\"title\":\"Budget passed\",\"body\":\"The vote was 312 to 290 after a night of"
                  + " amendments.\",\"url\":\"https://news.example/politics/budget-passed\","
                  + "\"topic\":\"breaking\",\"ttl\":3600,\"urgency\":\"high\"}");
      if (queued.status() != 202) {
        throw new IllegalStateException("The alert was not queued: " + queued);
      }
      double queuedSeconds = (System.nanoTime() - started) / 1e9;
      String id = queued.json().getString("id");
      JsonObject figures;
      do {
        Thread.sleep(250);
        figures = editor.get("/api/notifications/" + id).json();
      } while (figures.getInt("pending") > 0);
      double seconds = (System.nanoTime() - started) / 1e9;
      CpuUsage after = CpuUsage.now(server.process().toHandle());
      heap.stop();

      String first = PushDecryption.decrypt(browser, push.first.get());
      if (!first.contains("Budget passed")) {
        throw new IllegalStateException("The first message did not decrypt to the alert: " + first);
      }
      System.out.printf(
          "%nFan-out of one alert to %d subscriptions: queued in %.2f s, all recorded after %.1f s"
              + " = %.0f deliveries/s; sent %d, failed %d; push service received %d;"
              + " server heap used (sampled each second) max %d MiB of %d MiB committed; load %s%n",
          subscriptions,
          queuedSeconds,
          seconds,
          subscriptions / seconds,
          figures.getInt("sent"),
          figures.getInt("failed"),
          push.received.get(),
          heap.maxUsedMiB,
          heap.maxCommittedMiB,
          loadAverage());
      System.out.println("While fanning out: " + after.since(before, subscriptions, "delivery"));
    } finally {
      server.process().descendants().forEach(ProcessHandle::destroy);
      server.process().destroy();
      server.process().waitFor(30, TimeUnit.SECONDS);
      push.close();
      Postgres.dropSchema(schema);
    }
  }

  /** What RFC 8291 encryption of the same payload costs alone, on one core and on every core. */
  private static void encryptionAlone() throws Exception {
    P256.install(); // as the server does
    WebPush webPush = new WebPush("mailto:bench@localhost", VapidKeys.generate());
    PushBrowser browser = PushBrowser.at("http://127.0.0.1/push");
    byte[] p256dh = java.util.Base64.getUrlDecoder().decode(browser.p256dh());
    byte[] payload = new byte[200];
    int n = 3000;
    for (int warm = 0; warm < n; warm++) {
      webPush.getBody(payload, p256dh, browser.authSecret);
    }
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      webPush.getBody(payload, p256dh, browser.authSecret);
    }
    double oneCore = (System.nanoTime() - t) / 1e6 / n;
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    AtomicInteger done = new AtomicInteger();
    t = System.nanoTime();
    for (int c = 0; c < cores; c++) {
      pool.submit(
          () -> {
            for (int i = 0; i < n; i++) {
              webPush.getBody(payload, p256dh, browser.authSecret);
              done.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
    double allCores = done.get() / ((System.nanoTime() - t) / 1e9);
    System.out.printf(
        "Encryption alone (RFC 8291, 200-byte payload): %.2f ms per message on one core;"
            + " %.0f messages/s on %d cores%n",
        oneCore, allCores, cores);
  }

  /** N subscriptions to "breaking", each with its own endpoint on the counting push service. */
  private static void seed(String schema, int count, PushBrowser browser) throws Exception {
    try (Connection c = Postgres.connect(schema)) {
      c.setAutoCommit(false);
      try (PreparedStatement subscription =
              c.prepareStatement(
                  "INSERT INTO push_subscription (id, endpoint, p256dh, auth, created_at,"
                      + " updated_at) VALUES (?, ?, ?, ?, now(), now())");
          PreparedStatement topic =
              c.prepareStatement(
                  "INSERT INTO push_subscription_topic (subscription_id, topic)"
                      + " VALUES (?, 'breaking')")) {
        for (int i = 0; i < count; i++) {
          UUID id = UUID.randomUUID();
          subscription.setObject(1, id);
          subscription.setString(2, browser.endpoint + "-" + i);
          subscription.setString(3, browser.p256dh());
          subscription.setString(4, browser.auth());
          subscription.addBatch();
          topic.setObject(1, id);
          topic.addBatch();
          if (i % 5000 == 4999) {
            subscription.executeBatch();
            topic.executeBatch();
          }
        }
        subscription.executeBatch();
        topic.executeBatch();
      }
      c.commit();
      try (Statement analyze = c.createStatement()) {
        analyze.execute("ANALYZE");
      }
    }
  }

  private static String loadAverage() {
    return String.format(
        "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * A push service that answers 201 at once and counts; it keeps only the first message (keeping
   * 100,000 would measure this JVM's heap instead of the server's).
   */
  private static final class CountingPushService implements AutoCloseable {
    final AtomicInteger received = new AtomicInteger();
    final AtomicReference<byte[]> first = new AtomicReference<>();
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(8);

    CountingPushService() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(handlers);
      server.createContext(
          "/push/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            first.compareAndSet(null, body);
            received.incrementAndGet();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
          });
      server.start();
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/push";
    }

    @Override
    public void close() {
      server.stop(0);
      // The server does not stop an executor it was given; its threads would keep the JVM up.
      handlers.shutdownNow();
    }
  }

  /** The server's heap in use, from {@code jcmd GC.heap_info} once a second. */
  private static final class HeapSampler {
    private static final Pattern USED =
        Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");
    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    volatile long maxUsedMiB;
    volatile long maxCommittedMiB;

    HeapSampler(long pid) {
      this.pid = pid;
      this.thread = new Thread(this::sample, "heap-sampler");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    private void sample() {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      while (running) {
        try {
          Process p =
              new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info")
                  .redirectErrorStream(true)
                  .start();
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          Matcher m = USED.matcher(out);
          if (m.find()) {
            maxCommittedMiB = Math.max(maxCommittedMiB, Long.parseLong(m.group(1)) / 1024);
            maxUsedMiB = Math.max(maxUsedMiB, Long.parseLong(m.group(2)) / 1024);
          }
          Thread.sleep(1000);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }
  }
}
