package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/** Start-up on its own servers: the zero-configuration H2 default, and a failed migration. */
class StartupIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void withNoConfigurationItRunsOnAnEmbeddedH2FileUnderTheDataFolder() throws Exception {
    Path dataDir = TestServer.buildDir().resolve("h2-data-" + UUID.randomUUID());
    int port = TestServer.freePort();
    Process server = TestServer.launch("h2", port, Map.of("DATA_DIR", dataDir.toString()));
    try {
      String base = "http://localhost:" + port;
      TestServer.awaitReady(base, server, Duration.ofMinutes(3));
      HttpResponse<String> registered =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/accounts"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"email\":\"h2@readers.example\",\"password\":\"a perfectly fine passphrase\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      assertThat(Files.list(dataDir).map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".mv.db"));
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void aFailedMigrationKeepsTheServiceOutOfTraffic() throws Exception {
    String schema = Postgres.createSchema("broken");
    int port = TestServer.freePort();
    Path broken = Path.of("src/test/resources/broken-migration").toAbsolutePath();
    Process server =
        TestServer.launch(
            "broken",
            port,
            Map.of(
                "DB_URL",
                Postgres.url(schema),
                "DB_USER",
                Postgres.USER,
                "DB_PASSWORD",
                Postgres.PASSWORD,
                "DATA_DIR",
                TestServer.buildDir().resolve("broken-data").toString(),
                "DB_MIGRATION_LOCATIONS",
                "classpath:db/migration,filesystem:" + broken));
    try {
      String base = "http://localhost:" + port;
      HttpResponse<String> ready = awaitAnswer(base + "/health/ready", server);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"migrations\":\"failed\"");
      Thread.sleep(2000);
      assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> api = get(base + "/api/entitlements");
      assertThat(api.statusCode()).isEqualTo(503);
      assertThat(api.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    } finally {
      server.destroy();
      server.waitFor();
      Postgres.dropSchema(schema);
    }
  }

  /** Waits until the application (not just the port) answers its readiness check. */
  private HttpResponse<String> awaitAnswer(String url, Process server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("server exited");
      }
      try {
        HttpResponse<String> response = get(url);
        if (response.body().contains("database")) {
          return response;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no answer from " + url);
  }

  private HttpResponse<String> get(String url) throws Exception {
    // A request that arrives while Payara is still deploying can stall; give up on it and ask
    // again.
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
