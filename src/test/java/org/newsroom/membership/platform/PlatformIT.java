package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Problems.assertProblem;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/** What every request meets: health, OpenAPI, problem details, headers, CORS and CSRF. */
@SharedServer
class PlatformIT {

  private final TestServer server;
  private final Api api;

  PlatformIT(TestServer server) {
    this.server = server;
    this.api = server.api();
  }

  @Test
  void readyOnceMigratedAndLive() {
    Api.Response ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("\"migrations\":\"applied\"");
    assertThat(api.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void openApiDocumentDescribesTheApi() {
    Api.Response openapi = api.get("/openapi");
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.body()).contains("/api/accounts", "/api/session", "/api/me");
  }

  @Test
  void metricsArePublishedForPrometheus() {
    Api.Response metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("sql_statements");
  }

  @Test
  void unknownApiPathIsANotFoundProblem() {
    assertProblem(api.get("/api/no-such-thing"), 404, "not-found");
  }

  @Test
  void unknownPageIsANotFoundProblemNotTheServersErrorPage() {
    Api.Response response = api.get("/no-such-page.html");
    assertProblem(response, 404, "not-found");
    assertThat(response.body()).doesNotContain("Payara", "GlassFish");
  }

  @Test
  void wrongMethodIsAMethodNotAllowedProblem() {
    assertProblem(
        api.send("PUT", "/api/accounts", "{}", "application/json"), 405, "method-not-allowed");
  }

  @Test
  void bodyThatIsNotJsonIsUnsupportedMediaType() {
    assertProblem(
        api.send("POST", "/api/accounts", "email=a@b.c", "application/x-www-form-urlencoded"),
        415,
        "unsupported-media-type");
  }

  @Test
  void bodyOverTheLimitIsRejectedBeforeItIsRead() {
    String huge = "{\"email\":\"" + "a".repeat(65 * 1024) + "\"}";
    assertProblem(api.post("/api/accounts", huge), 413, "payload-too-large");
  }

  @Test
  void chunkedBodyOverTheLimitIsRejectedToo() throws Exception {
    byte[] huge = ("{\"email\":\"" + "a".repeat(70 * 1024) + "\"}").getBytes();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/accounts"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(huge)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void malformedJsonIsABadRequestProblem() {
    assertProblem(api.post("/api/accounts", "{\"email\": "), 400, "malformed-body");
  }

  @Test
  void valueOfTheWrongTypeIsABadRequestProblem() {
    assertProblem(
        api.post(
            "/api/accounts",
            "{\"email\":\"a@b.example\",\"password\":\"x\",\"marketingConsent\":{\"no\":1}}"),
        400,
        "malformed-body");
  }

  @Test
  void validationFailureNamesEachField() {
    Api.Response response = api.post("/api/accounts", "{\"email\":\"not an email\"}");
    JsonObject problem = assertProblem(response, 400, "validation");
    assertThat(problem.getJsonArray("errors").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("field"))
        .contains("email", "password");
  }

  @Test
  void everyProblemTypeIsALinkToWhatItMeans() {
    JsonObject problem = assertProblem(api.post("/api/accounts", "{}"), 400, "validation");
    String type = problem.getString("type");
    assertThat(type).startsWith(server.baseUrl + "/problems/");

    Api.Response page = api.get(type.substring(server.baseUrl.length()));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("The request is not valid", "<code>errors</code>");
    assertThat(api.get("/problems/").body()).contains("id=\"email-taken\"", "id=\"busy\"");
    assertProblem(api.get("/problems/no-such-kind"), 404, "not-found");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    for (Api.Response response :
        new Api.Response[] {api.get("/api/me"), api.get("/health/ready")}) {
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("Referrer-Policy")).isNotBlank();
    }
    assertThat(api.get("/api/me").header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void pageScriptsAreRevalidatedOnEveryUseSoADeployNeverMixesOldAndNew() {
    Api.Response forms = api.get("/forms.js");
    assertThat(forms.status()).isEqualTo(200);
    assertThat(forms.header("Cache-Control")).isEqualTo("no-cache");
    String etag = forms.header("ETag");
    assertThat(etag).isNotBlank();
    // Unchanged since: a 304 without a body, so revalidating costs a round trip, not a download.
    Api.Response again = server.api().withHeader("If-None-Match", etag).get("/forms.js");
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    // The snippet article pages load is versioned, so browsers keep it without asking.
    assertThat(api.get("/entitlements.js?v=1").header("Cache-Control"))
        .isEqualTo("public, max-age=31536000, immutable");
  }

  @Test
  void cookieCarryingRequestFromAnotherSiteIsRefused() {
    Api foreign = server.api().withSessionToken("planted").withOrigin("https://evil.example");
    assertProblem(foreign.post("/api/email-verifications"), 403, "cross-origin-forbidden");
    Api noOrigin = server.api().withSessionToken("planted").withOrigin(null);
    assertProblem(noOrigin.delete("/api/session"), 403, "cross-site-request");
  }

  @Test
  void preflightFromAnAllowedOriginIsAnswered() {
    Api.Response preflight =
        api.withOrigin(server.articleOrigin)
            .withHeader("Access-Control-Request-Method", "POST")
            .send("OPTIONS", "/api/session", null, null);
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
  }

  @Test
  void otherOriginsGetNoCorsHeaders() {
    Api.Response response =
        server.api().withHeader("Origin", "http://localhost.evil.example").get("/api/me");
    assertThat(response.header("Access-Control-Allow-Origin")).isNull();
  }
}
