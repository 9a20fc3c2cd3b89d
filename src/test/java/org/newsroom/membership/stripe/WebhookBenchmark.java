package org.newsroom.membership.stripe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.newsroom.membership.testing.CpuUsage;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/**
 * Webhook intake on PostgreSQL (README, "Benchmarks"): signed {@code customer.subscription.updated}
 * events, 30 % of them duplicates, posted by 32 concurrent senders; reports events stored and
 * answered per second, then events applied per second by the worker. Run with {@code mvn -B -q
 * -DskipTests package dependency:copy@payara-micro-runtime test-compile exec:java}-free plain java:
 * see bench/webhooks.sh.
 */
public final class WebhookBenchmark {

  public static void main(String[] args) throws Exception {
    int unique = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    // A main, not a JUnit run: no shared server; its own, stopped when this JVM ends.
    TestServer server = TestServer.startOwn();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    List<String> deliveries = new ArrayList<>();
    List<String> events = new ArrayList<>();
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < unique; i++) {
      events.add(event("evt_bench_" + i, "sub_bench_" + (i % 2000), now - unique + i));
    }
    deliveries.addAll(events);
    for (int i = 0; i < unique * 3 / 7; i++) {
      deliveries.add(events.get(i * 7 / 3 % unique));
    }
    Collections.shuffle(deliveries);

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(senders))
            .build();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    Usage before = Usage.now(server);
    long started = System.nanoTime();
    for (String body : deliveries) {
      pool.submit(
          () -> {
            try {
              HttpResponse<Void> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/stripe/webhook"))
                          .header("Content-Type", "application/json; charset=utf-8")
                          .header("Stripe-Signature", sign(body))
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
              (response.statusCode() == 200 ? ok : failed).incrementAndGet();
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
    double intakeSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "intake: %d deliveries (%d unique, %d duplicates) in %.1f s = %.0f/s answered 200, %d failed%n",
        deliveries.size(),
        unique,
        deliveries.size() - unique,
        intakeSeconds,
        ok.get() / intakeSeconds,
        failed.get());
    Usage afterIntake = Usage.now(server);
    afterIntake.since(before, "intake", deliveries.size(), "delivery");
    long appliedDuringIntake =
        count(server, "SELECT count(*) FROM stripe_event WHERE status = 'APPLIED'");
    long drainStarted = System.nanoTime();

    long applied;
    do {
      Thread.sleep(500);
      applied = count(server, "SELECT count(*) FROM stripe_event WHERE status = 'APPLIED'");
    } while (applied < unique && (System.nanoTime() - started) / 1e9 < 900);
    double allSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "applied: %d of %d stored events %.1f s after the first delivery = %.0f/s%n",
        applied,
        count(server, "SELECT count(*) FROM stripe_event"),
        allSeconds,
        applied / allSeconds);
    double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
    System.out.printf(
        "applying alone (after intake): %d events in %.1f s = %.0f/s; %d applied during intake%n",
        applied - appliedDuringIntake,
        drainSeconds,
        (applied - appliedDuringIntake) / drainSeconds,
        appliedDuringIntake);
    Usage afterAll = Usage.now(server);
    afterAll.since(
        afterIntake,
        "apply after intake",
        (int) Math.max(1, applied - appliedDuringIntake),
        "event");
    afterAll.since(before, "intake and apply", unique, "event");
    System.out.printf(
        "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    System.exit(0);
  }

  /**
   * What a phase cost, independent of how busy the shared machine was: CPU by process, and
   * PostgreSQL's commits and WAL flushes (database-wide: other runs on the same PostgreSQL count
   * too).
   */
  private record Usage(CpuUsage cpu, long commits, long walSyncs) {
    static Usage now(TestServer server) throws Exception {
      long commits =
          count(
              server,
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      long walSyncs;
      try {
        walSyncs = count(server, "SELECT wal_sync FROM pg_stat_wal");
      } catch (Exception notVisible) {
        walSyncs = -1;
      }
      return new Usage(CpuUsage.now(server.processHandle()), commits, walSyncs);
    }

    void since(Usage before, String phase, int units, String unit) {
      System.out.printf(
          "%s: %s, PostgreSQL commits %d (%.1f per %s), WAL syncs %d%n",
          phase,
          cpu.since(before.cpu, units, unit),
          commits - before.commits,
          (commits - before.commits) / (double) units,
          unit,
          walSyncs - before.walSyncs);
    }
  }

  private static long count(TestServer server, String sql) throws Exception {
    try (Connection c = Postgres.connect(server.schema);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String event(String id, String subscription, long created) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":"
        + created
        + ",\"livemode\":false,\"type\":\"customer.subscription.updated\",\"data\":{\"object\":{"
        + "\"id\":\""
        + subscription
        + "\",\"object\":\"subscription\",\"customer\":\"cus_bench\","
        + "\"status\":\"active\",\"cancel_at_period_end\":false,\"current_period_end\":"
        + (created + 2592000)
        + ",\"start_date\":"
        + created
        + ",\"metadata\":{},\"items\":{\"object\":\"list\",\"data\":[{"
        + "\"id\":\"si_"
        + subscription
        + "\",\"price\":{\"id\":\"price_bench\",\"currency\":\"gbp\","
        + "\"unit_amount\":500,\"recurring\":{\"interval\":\"month\"}}}]}}}}";
  }

  private static String sign(String body) throws Exception {
    long t = System.currentTimeMillis() / 1000;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            TestServer.STRIPE_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    return "t=" + t + ",v1=" + signature;
  }
}
