package org.newsroom.membership.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One real Payara Micro with the built WAR: a fresh PostgreSQL schema behind a {@link
 * DatabaseProxy}, a GreenMail SMTP server, and a WireMock double of the Stripe API, all on free
 * loopback ports. Integration tests share one for the whole run through {@link SharedServer}, which
 * starts it when a test first asks for it and stops it (dropping its schema) when the run ends; a
 * test that kills its server starts one of its own ({@link #startOwn}).
 */
public final class TestServer {

  public static final String STRIPE_SECRET_KEY = "sk_test_membership_it";
  public static final String STRIPE_WEBHOOK_SECRET = "whsec_membership_it_secret";
  public static final String ADMIN_EMAIL = "admin@it.example";
  public static final String ADMIN_PASSWORD = "admin password for tests";

  /** Short, so throttling tests can watch a limit release. */
  public static final int RATE_LIMIT_WINDOW_SECONDS = 8;

  public static final int PUSH_SUBSCRIPTIONS_PER_ADDRESS = 8;

  public final String baseUrl;

  /** A second origin on the allow-list, where browser tests serve article pages from. */
  public final String articleOrigin;

  public final int articlePort;
  public final String schema;
  public final DatabaseProxy database;
  public final GreenMail smtp;
  public final WireMockServer stripe;
  private Map<String, String> environment;
  private volatile Process process;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int restarts;

  private TestServer(
      String baseUrl,
      String articleOrigin,
      int articlePort,
      String schema,
      DatabaseProxy database,
      GreenMail smtp,
      WireMockServer stripe,
      Process process) {
    this.baseUrl = baseUrl;
    this.articleOrigin = articleOrigin;
    this.articlePort = articlePort;
    this.schema = schema;
    this.database = database;
    this.smtp = smtp;
    this.stripe = stripe;
    this.process = process;
  }

  /**
   * A server of its own, for a test that kills it ({@link #kill}, {@link #restart}) and so must not
   * share it; {@link #close} it when done.
   */
  public static TestServer startOwn() throws Exception {
    return start(Map.of());
  }

  /**
   * A server of its own as {@link #startOwn()}, with some settings (environment variables) of the
   * shared server's replaced or added, such as a shorter lease for a test that kills the server.
   */
  public static TestServer startOwn(Map<String, String> settings) throws Exception {
    return start(settings);
  }

  /** Starts a server: for {@link SharedServerExtension}, and behind {@link #startOwn}. */
  static TestServer start() throws Exception {
    return start(Map.of());
  }

  private static TestServer start(Map<String, String> settings) throws Exception {
    String schema = Postgres.createSchema("it");
    DatabaseProxy database = new DatabaseProxy(Postgres.HOST, Postgres.PORT);
    GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", "smtp"));
    smtp.start();
    WireMockServer stripe =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    stripe.start();
    int articlePort = freePort();
    // Same site as the service (ports do not count), as www. and api. of one domain would be.
    String articleOrigin = "http://localhost:" + articlePort;

    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "DB_URL",
        Postgres.url("127.0.0.1", database.port(), schema)
            + "&connectTimeout=2&socketTimeout=3&ApplicationName="
            + applicationName(schema));
    env.put("DB_USER", Postgres.USER);
    env.put("DB_PASSWORD", Postgres.PASSWORD);
    env.put("CORS_ALLOWED_ORIGINS", articleOrigin);
    env.put("HTTP_CLIENT_ADDRESS_HEADER", "X-Forwarded-For");
    env.put("RATE_LIMIT_WINDOW_SECONDS", String.valueOf(RATE_LIMIT_WINDOW_SECONDS));
    env.put("MAIL_SMTP_HOST", "127.0.0.1");
    env.put("MAIL_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
    env.put("MAIL_FROM", "Membership <no-reply@it.example>");
    env.put("ADMIN_EMAIL", ADMIN_EMAIL);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY);
    env.put("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET);
    env.put("STRIPE_API_BASE", "http://127.0.0.1:" + stripe.port());
    // Short, so a slow Stripe double turns into a 503 quickly; the sync runs only when asked.
    env.put("STRIPE_TIMEOUT_MS", "1500");
    env.put("STRIPE_SYNC_INTERVAL_MINUTES", "0");
    env.put("RECEIPTS_ORGANISATION_NAME", "The Newsroom Trust");
    env.put("RECEIPTS_ORGANISATION_ADDRESS", "1 Press Lane | London EC1A 1AA");
    // Push endpoints of tests live on push.it.example (never contacted) or on a local plain-http
    // push double at 127.0.0.1; few subscription changes per address, so the limit is reachable.
    env.put("NOTIFICATIONS_PUSH_HOSTS", "push.it.example,*.push.it.example");
    env.put("NOTIFICATIONS_INSECURE_PUSH_HOSTS", "127.0.0.1");
    env.put("NOTIFICATIONS_PUSH_TIMEOUT_MS", "4000");
    env.put("NOTIFICATIONS_RETRY_BASE_SECONDS", "1");
    env.put("NOTIFICATIONS_BATCH_SIZE", "10");
    env.put("NOTIFICATIONS_LEASE_SECONDS", "10");
    env.put(
        "RATE_LIMIT_PUSH_SUBSCRIPTIONS_PER_ADDRESS",
        String.valueOf(PUSH_SUBSCRIPTIONS_PER_ADDRESS));
    Path dataDir = buildDir().resolve("it-data-" + UUID.randomUUID());
    env.put("DATA_DIR", dataDir.toString());
    env.putAll(settings);

    Launched launched =
        launchReady(
            "it",
            port -> {
              Map<String, String> withBase = new LinkedHashMap<>(env);
              withBase.put("PUBLIC_BASE_URL", "http://localhost:" + port);
              return withBase;
            },
            Duration.ofMinutes(4));
    TestServer server =
        new TestServer(
            "http://localhost:" + launched.port(),
            articleOrigin,
            articlePort,
            schema,
            database,
            smtp,
            stripe,
            launched.process());
    Map<String, String> started = new LinkedHashMap<>(env);
    started.put("PUBLIC_BASE_URL", server.baseUrl);
    server.environment = Map.copyOf(started);
    return server;
  }

  /** How the server's connections are named in pg_stat_activity, to tell them from others'. */
  public static String applicationName(String schema) {
    return "membership-" + schema;
  }

  /**
   * Starts the built WAR on Payara Micro as a child process with the given environment, through
   * {@code deploy/payara/start.sh} with its {@code jvm.options} and Payara settings: the tests run
   * what ships. Without grid settings in {@code env} the instance runs alone ({@code
   * CLUSTER_MODE=none}).
   */
  public static Process launch(String name, int port, Map<String, String> env) throws IOException {
    Path build = buildDir();
    Path deployPayara = preBootCommands().getParent();
    ProcessBuilder builder =
        new ProcessBuilder("sh", deployPayara.resolve("start.sh").toString())
            .directory(build.toFile());
    Map<String, String> environment = builder.environment();
    // The JDK running the tests, first on the PATH that start.sh finds java on.
    environment.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + File.pathSeparator
            + System.getenv("PATH"));
    environment.put("APP_HOME", deployPayara.toString());
    environment.put(
        "PAYARA_MICRO_JAR",
        System.getProperty("payara.microJar", build.resolve("payara-micro.jar").toString()));
    environment.put(
        "APP_WAR", System.getProperty("app.war", build.resolve("membership.war").toString()));
    environment.put("HTTP_PORT", String.valueOf(port));
    environment.put("PAYARA_ROOTDIR", build.resolve("payara-" + name + "-" + port).toString());
    environment.put("CLUSTER_MODE", "none");
    // -Dit.javaOpts="-XX:StartFlightRecording=..." profiles the servers a test or benchmark starts.
    String javaOpts = System.getProperty("it.javaOpts");
    if (javaOpts != null && !javaOpts.isBlank()) {
      environment.put("JAVA_OPTS", javaOpts.replace("{name}", name + "-" + port));
    }
    environment.putAll(env);
    File log = logOf(name, port).toFile();
    builder.redirectErrorStream(true).redirectOutput(log);
    Process process = builder.start();
    LOGS.put(process, log.toPath());
    return process;
  }

  /** Each launched server's log, so {@link #awaitReady} can tell a lost port from a slow start. */
  private static final Map<Process, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The HTTP port a test picked was bound by another process before Payara bound it (ports are
   * chosen free, then handed over): Payara then runs without a listener and never answers.
   */
  public static final class PortTaken extends IllegalStateException {
    PortTaken(Path log) {
      super("Payara Micro could not bind its HTTP port (taken meanwhile); see " + log);
    }
  }

  /**
   * Launches with {@link #launch} on a free port and waits until ready, choosing another port when
   * the chosen one was taken meanwhile. Returns the port it runs on.
   */
  public static Launched launchReady(
      String name, java.util.function.IntFunction<Map<String, String>> envForPort, Duration timeout)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Process process = launch(name, port, envForPort.apply(port));
      try {
        awaitReady("http://localhost:" + port, process, timeout);
        return new Launched(port, process);
      } catch (PortTaken lost) {
        process.destroyForcibly().waitFor();
        if (attempt == 3) {
          throw lost;
        }
      } catch (RuntimeException | InterruptedException failed) {
        process.destroyForcibly();
        throw failed;
      }
    }
  }

  /** A server {@link #launchReady} started. */
  public record Launched(int port, Process process) {}

  /**
   * Settings for {@link #launch} that turn the data grid on, as in production, but as a grid of its
   * own: a unique cluster name and TCP discovery on loopback only, so parallel runs never join each
   * other. Instances given the same name and port join each other. The member list names the first
   * three ports: each instance takes the first free one from {@code gridPort} up, so after a
   * restart the one still running may hold the second, and a list of the first port alone would
   * leave the restarted instance looking only at itself, in a grid of its own.
   */
  public static Map<String, String> ownGrid(String clusterName, int gridPort) {
    return Map.of(
        "CLUSTER_NAME",
        clusterName,
        "CLUSTER_MODE",
        "tcpip:127.0.0.1:"
            + gridPort
            + ",127.0.0.1:"
            + (gridPort + 1)
            + ",127.0.0.1:"
            + (gridPort + 2),
        "CLUSTER_INTERFACES",
        "127.0.0.1",
        "CLUSTER_PORT",
        String.valueOf(gridPort),
        "CLUSTER_MAC_KEY",
        "the test grid's MAC key, 32 characters or more");
  }

  /** Where {@link #launch} writes the server's output. */
  public static Path logOf(String name, int port) {
    return buildDir().resolve("server-" + name + "-" + port + ".log");
  }

  private static boolean listenerLost(Path log) {
    try {
      return Files.exists(log) && Files.readString(log).contains(LISTENER_LOST);
    } catch (IOException unreadable) {
      return false;
    }
  }

  /** What Payara logs when its HTTP listener could not bind. */
  private static final String LISTENER_LOST = "GrizzlyProxy is NULL";

  public static void awaitReady(String baseUrl, Process process, Duration timeout)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Payara Micro exited; see target/server-*.log");
      }
      Path log = LOGS.get(process);
      if (log != null && listenerLost(log)) {
        throw new PortTaken(log);
      }
      try {
        HttpResponse<String> response =
            client.send(
                // A request that arrives while Payara is still deploying can stall; ask again.
                HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException notYet) {
        // still starting
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "Payara Micro at " + baseUrl + " was not ready within " + timeout + "; last: " + last);
  }

  /**
   * After {@code database.restore()}: waits until the service is ready again and the session
   * store's circuit breaker has closed (a token nobody knows is looked up in the database again
   * instead of answered {@code degraded}), so the next test meets a healthy server.
   */
  public void awaitRecovery() throws InterruptedException {
    awaitReady(baseUrl, process, Duration.ofMinutes(2));
    java.security.SecureRandom random = new java.security.SecureRandom();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      byte[] token = new byte[32];
      random.nextBytes(token);
      Api.Response check =
          api()
              .withSessionToken(
                  java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(token))
              .get("/api/entitlements");
      if (check.status() == 200 && !check.json().containsKey("degraded")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("The session store's circuit breaker did not close in 60 s");
  }

  /**
   * The server settings the application needs (deploy/payara): without them Grizzly answers a
   * DELETE that has a body, such as {@code DELETE /api/me {password}}, with a bare 400.
   */
  static Path preBootCommands() {
    return Path.of(
        System.getProperty(
            "payara.preBootCommands",
            buildDir().resolveSibling("deploy/payara/pre-boot-commands.asadmin").toString()));
  }

  public static Path buildDir() {
    return Path.of(System.getProperty("build.dir", "target")).toAbsolutePath();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * What the server was started with: a second instance launched with it (on another port) shares
   * the database and the data folder, as a second node of a cluster would.
   */
  public Map<String, String> environment() {
    return environment;
  }

  public Api api() {
    return new Api(this);
  }

  /** The bootstrap admin, signed in. */
  public Api signedInAdmin() {
    Api admin = api();
    Api.Response signedIn = admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    if (signedIn.status() != 200) {
      throw new IllegalStateException("The bootstrap admin cannot sign in: " + signedIn);
    }
    return admin;
  }

  /** A member holding staff roles, signed in: {@link #staffMember}. */
  public record StaffMember(String id, String email, String password, Api api) {}

  /**
   * A new member given staff roles as an admin gives them: registered, address proved, roles
   * granted, then signed in again, since granting a role signs the member out everywhere.
   */
  public StaffMember staffMember(String name, String... roles) {
    String email = Api.uniqueEmail(name);
    String password = "staff member passphrase for " + name;
    Api member = api();
    String id = member.register(email, password).getString("id");
    proveAddress(member, email);
    String granted =
        java.util.Arrays.stream(roles)
            .map(role -> "\"" + role + "\"")
            .collect(java.util.stream.Collectors.joining(","));
    Api.Response response =
        signedInAdmin()
            .post("/api/admin/staff", "{\"email\":\"" + email + "\",\"roles\":[" + granted + "]}");
    if (response.status() != 200 || member.signIn(email, password).status() != 200) {
      throw new IllegalStateException("Making " + email + " staff: " + response);
    }
    return new StaffMember(id, email, password, member);
  }

  /**
   * Proves the reader's address as its owner would: waits for the verification mail, then confirms
   * its link from the reader's own signed-in client (which keeps its session).
   */
  public void proveAddress(Api reader, String email) {
    java.util.regex.Pattern token = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]{43})");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      try {
        for (jakarta.mail.internet.MimeMessage message : smtp.getReceivedMessages()) {
          if ("Confirm your email address".equals(message.getSubject())
              && message.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
            java.util.regex.Matcher found =
                token.matcher(
                    com.icegreen.greenmail.util.GreenMailUtil.getBody(message)
                        .replace("=\r\n", ""));
            if (found.find()) {
              Api.Response confirmed =
                  reader.post(
                      "/api/email-verifications/confirm", "{\"token\":\"" + found.group(1) + "\"}");
              if (confirmed.status() != 204) {
                throw new IllegalStateException("Confirming " + email + ": " + confirmed);
              }
              return;
            }
          }
        }
        Thread.sleep(200);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("No verification mail to " + email + " within 30 s");
  }

  /**
   * Kills the server's JVM with SIGKILL, as the kernel's OOM killer or a pulled plug would: no
   * shutdown hook, no graceful close of the pool, the listener or open transactions. start.sh
   * {@code exec}s java, so the process is the JVM itself.
   */
  public void kill() throws IOException, InterruptedException {
    Process killed = process;
    Process kill =
        new ProcessBuilder("kill", "-KILL", String.valueOf(killed.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -KILL " + killed.pid() + " failed");
    }
    killed.waitFor();
  }

  /**
   * Starts the server again, on the same port, database schema, data folder and environment (as a
   * supervisor restarts a crashed instance), and waits until it is ready.
   */
  public synchronized void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("The server is still running; kill it first");
    }
    int port = Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
    Process started = launch("it-restart-" + (++restarts), port, environment);
    process = started;
    awaitReady(baseUrl, started, Duration.ofMinutes(4));
  }

  /** The server's JVM, for profiling it ({@code jcmd}, CPU time). */
  public ProcessHandle processHandle() {
    return process.toHandle();
  }

  /** Stops the server and drops its schema. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stop();
    }
  }

  private void stop() {
    process.destroy();
    try {
      process.waitFor(
          java.util.concurrent.TimeUnit.SECONDS.toMillis(20),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    smtp.stop();
    stripe.stop();
    try {
      database.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    Postgres.dropSchema(schema);
  }

  static boolean exists(Path path) {
    return Files.exists(path);
  }
}
