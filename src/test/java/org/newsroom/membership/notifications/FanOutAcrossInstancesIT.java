package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Two instances on one database share one fan-out: each claims due deliveries with SKIP LOCKED, so
 * every subscriber gets the alert exactly once however the work was split.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SharedServer
class FanOutAcrossInstancesIT {

  private static TestServer server;
  // More than one instance's senders claim in the time the other's timer takes to fire.
  private static final int SUBSCRIBERS = 300;
  private static PushServiceDouble push;
  private static Process second;
  private static String secondUrl;

  @BeforeAll
  static void aSecondInstance(TestServer server) throws Exception {
    FanOutAcrossInstancesIT.server = server;
    push = new PushServiceDouble();
    int port = TestServer.freePort();
    Map<String, String> env = new HashMap<>(server.environment());
    env.put("PUBLIC_BASE_URL", "http://localhost:" + port);
    second = TestServer.launch("second", port, env);
    secondUrl = "http://localhost:" + port;
    TestServer.awaitReady(secondUrl, second, Duration.ofMinutes(4));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (second != null) {
      second.destroy();
      second.waitFor();
    }
    push.close();
  }

  @Test
  @Order(1)
  void twoInstancesDeliverEachMessageOnce() throws Exception {
    List<PushBrowser> browsers = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      PushBrowser browser = push.browser();
      // Slow enough that a batch is still out when the other instance's timer fires.
      push.answer(browser, 201, Duration.ofMillis(300));
      Api.Response r =
          server
              .api()
              .post("/api/notifications/subscriptions", browser.subscription(List.of("sport")));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      browsers.add(browser);
    }
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);
    String id = UUID.randomUUID().toString();
    Api.Response queued =
        admin.post(
            "/api/notifications",
            "{\"id\":\""
                + id
                + "\",\"title\":\"Final score\",\"body\":\"2-1.\","
                + "\"url\":\"https://news.example/match\",\"topic\":\"sport\"}");
    assertThat(queued.status()).as(queued.toString()).isEqualTo(202);

    eventually(
        Duration.ofSeconds(90),
        () -> browsers.stream().noneMatch(b -> push.to(b).isEmpty()),
        "every subscriber got the alert");
    // Let any duplicate that were going to happen arrive before counting.
    eventually(Duration.ofSeconds(90), () -> pending(admin, id) == 0, "nothing pending");
    JsonObject alert = admin.get("/api/notifications/" + id).json();
    for (PushBrowser browser : browsers) {
      assertThat(push.to(browser)).as(browser.endpoint).hasSize(1);
    }
    assertThat(alert.getInt("sent")).isGreaterThanOrEqualTo(SUBSCRIBERS);
    assertThat(sentBy(server.baseUrl) + sentBy(secondUrl)).isGreaterThanOrEqualTo(SUBSCRIBERS);
    assertThat(sentBy(secondUrl)).as("the second instance took part").isPositive();
    assertThat(sentBy(server.baseUrl)).as("the first instance took part").isPositive();
  }

  /**
   * The second instance dies (SIGKILL) while its claimed batch waits for slow push answers: once
   * its lease runs out the first instance takes the rows over and the fan-out completes, each
   * delivery recorded once. Only a message that was in flight at the crash may arrive twice (the
   * push service got it, the dead instance never recorded it): at-least-once at that one point.
   */
  @Test
  @Order(2)
  void aFanOutAnInstanceDiedInTheMiddleOfIsFinishedByTheOther() throws Exception {
    int subscribers = 20;
    List<PushBrowser> browsers = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      PushBrowser browser = push.browser();
      push.answer(browser, 201, Duration.ofMillis(2500));
      Api.Response r =
          server
              .api()
              .post("/api/notifications/subscriptions", browser.subscription(List.of("culture")));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      browsers.add(browser);
    }
    Api admin = server.api();
    assertThat(admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status())
        .isEqualTo(200);
    String id = UUID.randomUUID().toString();
    assertThat(
            admin
                .post(
                    "/api/notifications",
                    "{\"id\":\""
                        + id
                        + "\",\"title\":\"Exhibition\",\"body\":\"Opens today.\","
                        + "\"url\":\"https://news.example/art\",\"topic\":\"culture\"}")
                .status())
        .isEqualTo(202);
    // Kill it once every message is out (both instances' batches of 10 are in flight: answers
    // take 2.5 s), so the second dies holding deliveries it sent and never recorded.
    eventually(
        () -> browsers.stream().allMatch(push::arrivedFor), "every message sent, none answered");
    second.destroyForcibly();
    second.waitFor();

    eventually(Duration.ofSeconds(90), () -> pending(admin, id) == 0, "nothing pending");
    JsonObject alert = admin.get("/api/notifications/" + id).json();
    assertThat(alert.getInt("pending")).as(alert.toString()).isZero();
    assertThat(alert.getInt("sent")).isEqualTo(subscribers);
    for (PushBrowser browser : browsers) {
      List<PushServiceDouble.Received> received = push.to(browser);
      assertThat(received).as(browser.endpoint).isNotEmpty();
      // Only a copy the dead instance sent and never recorded is sent again, once; both carry
      // the alert's Topic, so a push service replaces the first instead of delivering both.
      assertThat(received).as(browser.endpoint).hasSizeLessThanOrEqualTo(2);
      assertThat(received)
          .allSatisfy(m -> assertThat(m.header("Topic")).isEqualTo(id.replace("-", "")));
    }
  }

  private static long sentBy(String baseUrl) throws Exception {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m =
        Pattern.compile("notifications_deliveries_total\\{[^}]*outcome=\"sent\"[^}]*\\} ([0-9.]+)")
            .matcher(metrics.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static int pending(Api admin, String alertId) {
    return admin.get("/api/notifications/" + alertId).json().getInt("pending");
  }
}
