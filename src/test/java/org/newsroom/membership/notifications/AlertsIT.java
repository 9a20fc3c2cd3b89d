package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Await;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * An editor's alert reaches every subscriber of its topic through a local push service, encrypted
 * to each browser's keys and signed with the site's VAPID key; push services that say a
 * subscription is gone get it removed, and a slow one delays nobody else.
 */
@SharedServer
class AlertsIT {

  private static TestServer server;
  private static final String PASSWORD = "editing the front page at night";
  private static PushServiceDouble push;
  private static Api editor;

  @BeforeAll
  static void anEditorAndAPushService(TestServer server) {
    AlertsIT.server = server;
    push = new PushServiceDouble();
    editor = server.staffMember("editor", "EDITOR").api();
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  @Test
  void anAlertArrivesEncryptedAndSignedAtEverySubscriberOfItsTopicOnce() throws Exception {
    PushBrowser first = subscribed("politics");
    PushBrowser second = subscribed("politics", "sport");
    PushBrowser other = subscribed("culture");
    String id = UUID.randomUUID().toString();

    Api.Response queued =
        editor.post(
            "/api/notifications",
            "{\"id\":\""
                + id
                + "\",\"title\":\"Budget passed\",\"body\":\"The vote was 312 to 290.\","
                + "\"url\":\"https://news.example/budget\",\"topic\":\"politics\","
                + "\"ttl\":600,\"urgency\":\"high\"}");
    assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
    assertThat(queued.json().getInt("recipients")).isEqualTo(2);

    JsonObject done = awaitAlert(id, a -> a.getInt("pending") == 0);
    assertThat(done.getInt("sent")).isEqualTo(2);
    assertThat(done.getInt("failed")).isZero();
    assertThat(other.endpoint).isNotNull();
    assertThat(push.to(other)).isEmpty();

    String serverKey =
        server
            .api()
            .get("/api/notifications/subscriptions/options")
            .json()
            .getString("applicationServerKey");
    for (PushBrowser browser : List.of(first, second)) {
      List<PushServiceDouble.Received> messages = push.to(browser);
      assertThat(messages).hasSize(1);
      PushServiceDouble.Received message = messages.get(0);
      assertThat(message.header("Content-Encoding")).isEqualTo("aes128gcm");
      assertThat(message.header("TTL")).isEqualTo("600");
      assertThat(message.header("Urgency")).isEqualTo("high");
      // A copy sent again after a crash replaces this one at the push service, not adds to it.
      assertThat(message.header("Topic")).isEqualTo(id.replace("-", ""));
      assertThat(new String(message.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain("Budget");

      JsonObject payload =
          Json.createReader(new StringReader(PushDecryption.decrypt(browser, message.body())))
              .readObject();
      assertThat(payload.getString("title")).isEqualTo("Budget passed");
      assertThat(payload.getString("body")).isEqualTo("The vote was 312 to 290.");
      assertThat(payload.getString("url")).isEqualTo("https://news.example/budget");

      assertVapid(message.header("Authorization"), browser, serverKey);
    }

    try (Connection db = Postgres.connect(server.schema);
        PreparedStatement q =
            db.prepareStatement("SELECT action FROM audit_log WHERE target = ?")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("notification.sent");
      }
    }
  }

  @Test
  void aSecondSendOfTheSameAlertIsRefused() {
    subscribed("business");
    String alert =
        "{\"id\":\""
            + UUID.randomUUID()
            + "\",\"title\":\"Rates\",\"body\":\"Held.\",\"url\":\"https://news.example/r\","
            + "\"topic\":\"business\"}";
    assertThat(editor.post("/api/notifications", alert).status()).isEqualTo(202);
    Api.Response again = editor.post("/api/notifications", alert);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.json().getString("type")).endsWith("alert-exists");
  }

  @Test
  void aSubscriptionThePushServiceSaysIsGoneIsRemovedAndASlowOneDelaysNobody() {
    PushBrowser revoked = subscribed("breaking");
    PushBrowser slow = subscribed("breaking");
    PushBrowser fast = subscribed("breaking");
    push.answer(revoked, 410, Duration.ZERO);
    push.answer(slow, 201, Duration.ofMillis(2500));
    String id = UUID.randomUUID().toString();
    assertThat(
            editor
                .post(
                    "/api/notifications",
                    "{\"id\":\""
                        + id
                        + "\",\"title\":\"Quake\",\"body\":\"Felt across the city.\","
                        + "\"url\":\"https://news.example/q\",\"topic\":\"breaking\"}")
                .status())
        .isEqualTo(202);

    JsonObject done = awaitAlert(id, a -> a.getInt("pending") == 0);
    assertThat(done.getInt("sent")).isGreaterThanOrEqualTo(2);
    assertThat(done.getInt("expiredRemoved")).isEqualTo(1);
    // The revoked browser's subscription is gone: its own secret no longer finds it.
    Api.Response unsubscribe =
        server
            .api()
            .delete("/api/notifications/subscriptions", revoked.unsubscription(revoked.auth()));
    assertThat(unsubscribe.status()).isEqualTo(404);
    Instant fastAt = push.to(fast).get(0).at();
    Instant slowAt = push.to(slow).get(0).at();
    assertThat(Duration.between(fastAt, slowAt)).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void readersAndStrangersCannotSendAndBadAlertsAreRefused() {
    String alert =
        "{\"title\":\"Fake\",\"body\":\"Fake.\",\"url\":\"https://evil.example\","
            + "\"topic\":\"breaking\"}";
    assertThat(server.api().post("/api/notifications", alert).status()).isEqualTo(401);
    Api reader = server.api();
    String readerId = reader.register(Api.uniqueEmail("reader"), PASSWORD).getString("id");
    assertThat(reader.post("/api/notifications", alert).status()).isEqualTo(403);
    assertThat(reader.get("/api/notifications").status()).isEqualTo(403);
    // Every refusal at a staff endpoint is audited, this one as at any other.
    assertThat(
            new StripeFixtures(server)
                .count(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"
                        + " AND target = 'notifications' AND actor = ?",
                    readerId))
        .isPositive();
    assertThat(
            editor.post("/api/notifications", alert.replace("\"breaking\"", "\"gossip\"")).status())
        .isEqualTo(400);
    assertThat(
            editor
                .post(
                    "/api/notifications",
                    alert.replace("https://evil.example", "javascript:alert(1)"))
                .status())
        .isEqualTo(400);
    assertThat(
            editor
                .post(
                    "/api/notifications", alert.replace("\"Fake.\"", "\"" + "x".repeat(600) + "\""))
                .status())
        .isEqualTo(400);
    assertThat(
            editor.post("/api/notifications", alert.replace("}", ",\"urgency\":\"now\"}")).status())
        .isEqualTo(400);
  }

  private static PushBrowser subscribed(String... topics) {
    PushBrowser browser = push.browser();
    Api.Response r =
        server
            .api()
            .post("/api/notifications/subscriptions", browser.subscription(List.of(topics)));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return browser;
  }

  private static JsonObject awaitAlert(String id, Predicate<JsonObject> done) {
    // Subscriptions other tests left on unreachable push hosts keep an alert pending until their
    // retries give up (about 20 s with the tests' 1 s backoff base).
    return Await.until(
        Duration.ofSeconds(60),
        () -> editor.get("/api/notifications/" + id).json(),
        done,
        () -> "alert " + id + " delivered");
  }

  /** RFC 8292: "vapid t=JWT, k=key", the JWT signed ES256 by k, for the push service's origin. */
  private static void assertVapid(String authorization, PushBrowser browser, String serverKey)
      throws Exception {
    assertThat(authorization).startsWith("vapid ");
    String token = null;
    String key = null;
    for (String part : authorization.substring(6).split(",")) {
      String p = part.trim();
      if (p.startsWith("t=")) {
        token = p.substring(2);
      } else if (p.startsWith("k=")) {
        key = p.substring(2);
      }
    }
    assertThat(key).isEqualTo(serverKey);
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    java.security.interfaces.ECPublicKey vapidKey =
        PushDecryption.publicKey(
            Base64.getUrlDecoder().decode(key),
            (java.security.interfaces.ECPublicKey) browser.keys.getPublic());
    assertThat(jwt.verify(new ECDSAVerifier(vapidKey))).isTrue();
    java.net.URI endpoint = java.net.URI.create(browser.endpoint);
    assertThat(jwt.getJWTClaimsSet().getAudience())
        .containsExactly(endpoint.getScheme() + "://" + endpoint.getAuthority());
    assertThat(jwt.getJWTClaimsSet().getSubject()).startsWith("mailto:");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isAfter(Instant.now())
        .isBefore(Instant.now().plus(Duration.ofHours(24)));
  }
}
