package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Problems.assertProblem;
import static org.newsroom.membership.testing.Problems.assertValidation;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Readers opt in to alerts from an article page (another origin, with credentials), choose topics,
 * change them and unsubscribe; bad subscriptions get clear 400s and nobody but the browser that
 * holds a subscription can change or remove it.
 */
@SharedServer
class SubscriptionsIT {

  private final TestServer server;
  private static final String PUSH = "https://push.it.example/send";

  SubscriptionsIT(TestServer server) {
    this.server = server;
  }

  private Api articlePage() {
    return server.api().withOrigin(server.articleOrigin);
  }

  @Test
  void anAnonymousReaderSubscribesFromTheArticlePageChangesTopicsAndUnsubscribes() {
    Api page = articlePage();
    PushBrowser browser = PushBrowser.at(PUSH);

    Api.Response subscribed =
        page.post("/api/notifications/subscriptions", browser.subscription(List.of("breaking")));
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
    assertThat(subscribed.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(subscribed.json().getJsonArray("topics").getString(0)).isEqualTo("breaking");
    assertThat(subscribed.json().getBoolean("linkedToAccount")).isFalse();

    Api.Response changed =
        page.post(
            "/api/notifications/subscriptions", browser.subscription(List.of("sport", "politics")));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(strings(changed.json().getJsonArray("topics"))).containsExactly("politics", "sport");

    Api.Response removed =
        page.delete("/api/notifications/subscriptions", browser.unsubscription(browser.auth()));
    assertThat(removed.status()).isEqualTo(204);
    assertProblem(
        page.delete("/api/notifications/subscriptions", browser.unsubscription(browser.auth())),
        404,
        "not-found");
  }

  @Test
  void theArticlePageMayPreflightSubscribingAndUnsubscribing() {
    Api.Response preflight =
        server
            .api()
            .withOrigin(server.articleOrigin)
            .withHeader("Access-Control-Request-Method", "DELETE")
            .send("OPTIONS", "/api/notifications/subscriptions", null, null);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST", "DELETE");
    Api.Response options =
        server
            .api()
            .withHeader("Origin", server.articleOrigin)
            .get("/api/notifications/subscriptions/options");
    assertThat(options.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(strings(options.json().getJsonArray("topics"))).contains("breaking", "sport");
  }

  @Test
  void aSignedInReadersSubscriptionIsLinkedAndListedInTheirData() {
    Api reader = articlePage();
    String email = Api.uniqueEmail("alerts");
    reader.register(email, "news alerts for the morning train");
    PushBrowser browser = PushBrowser.at(PUSH);

    Api.Response subscribed =
        reader.post("/api/notifications/subscriptions", browser.subscription(List.of("culture")));
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
    assertThat(subscribed.json().getBoolean("linkedToAccount")).isTrue();

    JsonObject data = reader.get("/api/me/data").json();
    assertThat(data.containsKey("other")).as(data.toString()).isTrue();
    JsonArray listed = data.getJsonObject("other").getJsonArray("notificationSubscriptions");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("endpoint")).isEqualTo(browser.endpoint);
    assertThat(strings(listed.getJsonObject(0).getJsonArray("topics"))).containsExactly("culture");
    assertThat(reader.get("/api/notifications/subscriptions").jsonArray()).hasSize(1);

    // Another reader's data never shows it.
    Api other = server.api();
    other.register(Api.uniqueEmail("other"), "another reader of the same paper");
    assertThat(other.get("/api/notifications/subscriptions").jsonArray()).isEmpty();
  }

  @Test
  void badSubscriptionsAreToldWhatIsWrong() {
    Api page = articlePage();
    PushBrowser browser = PushBrowser.at(PUSH);
    String path = "/api/notifications/subscriptions";
    List<String> breaking = List.of("breaking");

    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(
                "http://push.it.example/x", browser.p256dh(), browser.auth(), breaking)),
        "endpoint");
    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(
                "https://internal.corp.example/x", browser.p256dh(), browser.auth(), breaking)),
        "endpoint");
    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(
                "https://evil.example/push.it.example",
                browser.p256dh(),
                browser.auth(),
                breaking)),
        "endpoint");
    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(
                PUSH + "/" + "x".repeat(1100), browser.p256dh(), browser.auth(), breaking)),
        "endpoint");
    assertValidation(page.post(path, browser.subscription(List.of("gossip"))), "topics");
    assertValidation(page.post(path, browser.subscription(List.of())), "topics");
    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(browser.endpoint, browser.auth(), browser.auth(), breaking)),
        "keys.p256dh");
    assertValidation(
        page.post(
            path,
            PushBrowser.subscription(browser.endpoint, browser.p256dh(), "not*base64", breaking)),
        "keys.auth");
    assertProblem(
        page.post(path, "{\"endpoint\":\"" + browser.endpoint + "\"}"), 400, "validation");
    assertProblem(page.post(path, "{not json"), 400);
  }

  @Test
  void whoeverKnowsOnlyTheEndpointCannotChangeOrRemoveTheSubscription() {
    PushBrowser reader = PushBrowser.at(PUSH);
    assertThat(
            articlePage()
                .post("/api/notifications/subscriptions", reader.subscription(List.of("breaking")))
                .status())
        .isEqualTo(200);

    PushBrowser attacker = PushBrowser.at(PUSH);
    Api attack = server.api();
    assertProblem(
        attack.post(
            "/api/notifications/subscriptions",
            PushBrowser.subscription(
                reader.endpoint, attacker.p256dh(), attacker.auth(), List.of("sport"))),
        409,
        "subscription-keys-differ");
    assertProblem(
        attack.delete("/api/notifications/subscriptions", reader.unsubscription(attacker.auth())),
        404,
        "not-found");

    Api.Response stillThere =
        articlePage()
            .post("/api/notifications/subscriptions", reader.subscription(List.of("breaking")));
    assertThat(strings(stillThere.json().getJsonArray("topics"))).containsExactly("breaking");
  }

  @Test
  void oneAddressFloodingSubscriptionsIsThrottled() {
    Api flooder = articlePage();
    List<Integer> statuses = new ArrayList<>();
    Api.Response limited = null;
    for (int i = 0; i < TestServer.PUSH_SUBSCRIPTIONS_PER_ADDRESS * 3 && limited == null; i++) {
      Api.Response r =
          flooder.post(
              "/api/notifications/subscriptions",
              PushBrowser.at(PUSH).subscription(List.of("breaking")));
      statuses.add(r.status());
      if (r.status() == 429) {
        limited = r;
      }
    }
    assertThat(limited).as("statuses " + statuses).isNotNull();
    assertThat(limited.header("Retry-After")).isNotBlank();
    // Another address is not affected.
    assertThat(
            articlePage()
                .post(
                    "/api/notifications/subscriptions",
                    PushBrowser.at(PUSH).subscription(List.of("breaking")))
                .status())
        .isEqualTo(200);
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }
}
