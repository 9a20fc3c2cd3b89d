package org.newsroom.membership.accounts;

import com.password4j.Password;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much a sign-in costs: the Argon2id hash alone with {@link Passwords#CURRENT}, then sign-ins
 * against a running server, one after another and from four threads at once. Not a test; run it by
 * hand when the hash parameters or the sign-in path change:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(mvn -q dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout) org.newsroom.membership.accounts.SignInBenchmark \
 *     http://localhost:18081 [sequentialSignIns] [concurrentSeconds]
 * </pre>
 *
 * Successful sign-ins are not throttled (only failures count), and each thread still sends its own
 * X-Forwarded-For, so a limit can never be what is measured.
 */
public final class SignInBenchmark {

  private static final int HASH_RUNS = 50;
  private static final int THREADS = 4;

  private SignInBenchmark() {}

  public static void main(String[] args) throws Exception {
    hashAlone();
    if (args.length == 0) {
      System.out.println("No server URL given; skipping the HTTP phases.");
      return;
    }
    String baseUrl = args[0].replaceAll("/$", "");
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@bench.example";
    String password = "Bench-" + UUID.randomUUID() + "-mark";
    HttpResponse<String> registered =
        post(http, baseUrl, "/api/accounts", body(email, password), "10.99.0.1");
    if (registered.statusCode() != 201) {
      throw new IllegalStateException("Registration failed: " + registered.body());
    }

    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      signIn(http, baseUrl, email, password, "10.99.0.2"); // warm-up: JIT and connections
    }
    for (int i = 0; i < sequential; i++) {
      long start = System.nanoTime();
      signIn(http, baseUrl, email, password, "10.99.0.2");
      latencies.add(System.nanoTime() - start);
    }
    System.out.printf(
        "sequential sign-ins: n=%d median=%.1f ms p99=%.1f ms%n",
        sequential, millis(percentile(latencies, 50)), millis(percentile(latencies, 99)));

    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String address = "10.99.1." + (t + 1);
      workers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  signIn(http, baseUrl, email, password, address);
                  count.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    System.out.printf(
        "concurrent sign-ins: %d threads for %d s: %d sign-ins, %.1f per second%n",
        THREADS, seconds, count.get(), count.get() / (double) seconds);
  }

  private static void hashAlone() {
    String password = "correct-horse-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      Password.hash(password).addRandomSalt(16).with(Passwords.CURRENT); // warm-up
    }
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < HASH_RUNS; i++) {
      long start = System.nanoTime();
      Password.hash(password).addRandomSalt(16).with(Passwords.CURRENT);
      times.add(System.nanoTime() - start);
    }
    System.out.printf(
        "Argon2id hash alone (%s): n=%d median=%.1f ms p99=%.1f ms%n",
        Passwords.CURRENT, HASH_RUNS, millis(percentile(times, 50)), millis(percentile(times, 99)));
  }

  private static void signIn(
      HttpClient http, String baseUrl, String email, String password, String address)
      throws Exception {
    HttpResponse<String> response =
        post(http, baseUrl, "/api/session", body(email, password), address);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Sign-in answered " + response.statusCode());
    }
  }

  private static HttpResponse<String> post(
      HttpClient http, String baseUrl, String path, String json, String address) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", address)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String body(String email, String password) {
    return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
  }

  private static long percentile(List<Long> values, int percent) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
