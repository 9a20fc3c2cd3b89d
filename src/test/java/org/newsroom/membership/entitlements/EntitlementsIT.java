package org.newsroom.membership.entitlements;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsroom.membership.accounts.SecretTokens;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/** {@code GET /api/entitlements} and its signed token, exactly as API.md describes them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SharedServer
class EntitlementsIT {

  private static final String PASSWORD = "a long and private passphrase";
  private final TestServer server;

  EntitlementsIT(TestServer server) {
    this.server = server;
  }

  private Api signedInReader() {
    Api reader = server.api();
    reader.register(Api.uniqueEmail("article-reader"), PASSWORD);
    return reader;
  }

  @Test
  void anonymousReaderGetsTheAnonymousAnswerWithoutACookie() {
    Api.Response response = server.api().get("/api/entitlements");
    assertThat(response.status()).isEqualTo(200);
    JsonObject answer = response.json();
    assertThat(answer.getBoolean("signedIn")).isFalse();
    assertThat(answer.getBoolean("supporter")).isFalse();
    assertThat(answer.getBoolean("showSupportAsk")).isTrue();
    assertThat(answer.containsKey("degraded")).isFalse();
    assertThat(response.headers("Set-Cookie")).isEmpty();
    assertCacheHeaders(response);
  }

  @Test
  void unknownExpiredOrMalformedTokensAreAnonymousNeverAnError() {
    for (String token : new String[] {SecretTokens.newToken(), "garbage", "x".repeat(5000)}) {
      Api.Response response = server.api().withSessionToken(token).get("/api/entitlements");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getBoolean("signedIn")).isFalse();
      assertThat(response.headers("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void signedInReaderSeesTheirNameButNeverTheirEmail() {
    Api reader = signedInReader();
    Api.Response response = reader.get("/api/entitlements");
    JsonObject answer = response.json();
    assertThat(answer.getBoolean("signedIn")).isTrue();
    assertThat(answer.getString("memberId")).isNotBlank();
    assertThat(answer.getString("displayName")).isEqualTo("Ada");
    assertThat(answer.getBoolean("supporter")).isFalse();
    assertThat(answer.getBoolean("showSupportAsk")).isTrue();
    assertThat(response.body()).doesNotContain("@");
    assertThat(response.headers("Set-Cookie")).isEmpty();
    assertCacheHeaders(response);
  }

  @Test
  void bearerTokenWorksLikeTheCookie() {
    Api reader = signedInReader();
    Api.Response response =
        server
            .api()
            .withHeader("Authorization", "Bearer " + reader.sessionToken())
            .get("/api/entitlements");
    assertThat(response.json().getBoolean("signedIn")).isTrue();
  }

  @Test
  void matchingEtagIsAnsweredWith304() {
    Api reader = signedInReader();
    String etag = reader.get("/api/entitlements").header("ETag");
    Api.Response revalidated =
        server
            .api()
            .withSessionToken(reader.sessionToken())
            .withHeader("If-None-Match", etag)
            .get("/api/entitlements");
    assertThat(revalidated.status()).isEqualTo(304);
    assertThat(revalidated.body()).isEmpty();
    assertThat(revalidated.header("ETag")).isEqualTo(etag);
    Api.Response anonymous =
        server.api().withHeader("If-None-Match", etag).get("/api/entitlements");
    assertThat(anonymous.status()).isEqualTo(200);
  }

  @Test
  void signOutTurnsTheAnswerAnonymousAtOnce() {
    Api reader = signedInReader();
    String token = reader.sessionToken();
    assertThat(reader.get("/api/entitlements").json().getBoolean("signedIn")).isTrue();
    assertThat(reader.delete("/api/session").status()).isEqualTo(204);
    Api.Response after = server.api().withSessionToken(token).get("/api/entitlements");
    assertThat(after.json().getBoolean("signedIn")).isFalse();
  }

  @Test
  void aProfileChangeShowsAtOnce() {
    Api reader = signedInReader();
    assertThat(reader.get("/api/entitlements").json().getString("displayName")).isEqualTo("Ada");
    reader.patch("/api/me", "{\"displayName\":\"Ada L.\"}");
    assertThat(reader.get("/api/entitlements").json().getString("displayName")).isEqualTo("Ada L.");
  }

  @Test
  void allowedOriginIsEchoedWithCredentialsAndOthersGetNothing() {
    Api reader = signedInReader();
    Api.Response allowed =
        reader.withHeader("Origin", server.articleOrigin).get("/api/entitlements");
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(allowed.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    for (String origin :
        new String[] {
          "null",
          "https://evil.example",
          server.articleOrigin + ".evil.example",
          server.articleOrigin.replace("http:", "https:"),
          server.articleOrigin + "0"
        }) {
      Api.Response refused = server.api().withHeader("Origin", origin).get("/api/entitlements");
      assertThat(refused.header("Access-Control-Allow-Origin")).as(origin).isNull();
      assertThat(refused.status()).isEqualTo(200);
    }
  }

  @Test
  void preflightAllowsGetOnlyAndOtherMethodsAre405() {
    Api.Response preflight =
        server
            .api()
            .withOrigin(server.articleOrigin)
            .withHeader("Access-Control-Request-Method", "GET")
            .send("OPTIONS", "/api/entitlements", null, null);
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET");
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      Api.Response response = server.api().send(method, "/api/entitlements", null, null);
      assertThat(response.status()).as(method).isEqualTo(405);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }
  }

  @Test
  void aCallbackParameterChangesNothing() {
    Api.Response response = server.api().get("/api/entitlements?callback=alert");
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.body()).startsWith("{").doesNotContain("alert");
  }

  @Test
  void signedTokenVerifiesWithThePublishedKeyByAnIndependentVerifier() throws Exception {
    Api reader = signedInReader();
    String memberId = reader.get("/api/me").json().getString("id");
    Api.Response response = reader.get("/api/entitlements/token");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    String token = response.json().getString("token");
    assertThat(response.headers("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("entitlements=" + token)
                    .contains("SameSite=Lax")
                    .doesNotContain("HttpOnly"));

    String[] parts = token.split("\\.");
    JsonObject header = decodeJson(parts[0]);
    JsonObject claims = decodeJson(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    JsonObject jwk =
        server
            .api()
            .get("/.well-known/jwks.json")
            .json()
            .getJsonArray("keys")
            .getValuesAs(JsonObject.class)
            .stream()
            .filter(k -> k.getString("kid").equals(header.getString("kid")))
            .findFirst()
            .orElseThrow();
    assertThat(jwk.containsKey("d")).as("private key part must never be published").isFalse();

    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(publicKey(jwk));
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    assertThat(claims.getString("sub")).isEqualTo(memberId);
    assertThat(claims.getString("iss")).isEqualTo(server.baseUrl);
    assertThat(claims.get("aud").toString()).contains(server.articleOrigin);
    assertThat(claims.getBoolean("supporter")).isFalse();
    assertThat(claims.getBoolean("showSupportAsk")).isTrue();
    long lifetime =
        claims.getJsonNumber("exp").longValue() - claims.getJsonNumber("iat").longValue();
    assertThat(lifetime).isPositive().isLessThanOrEqualTo(15 * 60);
    assertThat(Instant.parse(response.json().getString("expiresAt")).getEpochSecond())
        .isEqualTo(claims.getJsonNumber("exp").longValue());
  }

  @Test
  void anonymousTokenHasNoSubject() {
    String token = server.api().get("/api/entitlements/token").json().getString("token");
    assertThat(decodeJson(token.split("\\.")[1]).containsKey("sub")).isFalse();
  }

  @Test
  @Order(1)
  void aWarmSignedInCheckRunsNoSql() {
    Api reader = signedInReader();
    reader.get("/api/entitlements");
    long before = requestThreadStatements();
    for (int i = 0; i < 50; i++) {
      assertThat(reader.get("/api/entitlements").json().getBoolean("signedIn")).isTrue();
      server.api().get("/api/entitlements");
    }
    assertThat(requestThreadStatements()).isEqualTo(before);
    // The positive control: the counter does count. A session token nobody has seen is looked up
    // in the database, on the request thread.
    server.api().withSessionToken(SecretTokens.newToken()).get("/api/entitlements");
    assertThat(requestThreadStatements()).isGreaterThan(before);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void withTheDatabaseDownCachedReadersKeepTheirAnswerAndOthersGetADegradedOneQuickly()
      throws Exception {
    Api reader = signedInReader();
    JsonObject warm = reader.get("/api/entitlements").json();
    server.database.cut();
    try {
      long started = System.nanoTime();
      JsonObject cached = reader.get("/api/entitlements").json();
      assertThat(cached).isEqualTo(warm);
      for (int i = 0; i < 10; i++) {
        long one = System.nanoTime();
        Api.Response unknown =
            server.api().withSessionToken(SecretTokens.newToken()).get("/api/entitlements");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().getBoolean("signedIn")).isFalse();
        assertThat(unknown.json().getBoolean("degraded")).isTrue();
        System.out.printf("degraded check %d took %.3f s%n", i, (System.nanoTime() - one) / 1e9);
      }
      assertThat(server.api().get("/api/entitlements").json().containsKey("degraded")).isFalse();
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(seconds).as("twelve checks with the database down").isLessThan(15);
    } finally {
      server.database.restore();
    }
    server.awaitRecovery();
  }

  private long requestThreadStatements() {
    String metrics = server.api().get("/metrics").body();
    Matcher m =
        Pattern.compile("sql_statements\\{[^}]*thread=\"request\"[^}]*\\}\\s+([0-9.E+]+)")
            .matcher(metrics);
    assertThat(m.find()).as("sql_statements metric").isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static void assertCacheHeaders(Api.Response response) {
    assertThat(response.header("Cache-Control")).isEqualTo("private, no-cache");
    assertThat(response.header("ETag")).matches("\"[^\"]+\"");
    assertThat(response.header("Vary"))
        .contains("Origin")
        .contains("Cookie")
        .contains("Authorization");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  private static JsonObject decodeJson(String base64url) {
    String json = new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
    return Json.createReader(new StringReader(json)).readObject();
  }

  private static PublicKey publicKey(JsonObject jwk) throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    ECPoint point =
        new ECPoint(
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x"))),
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y"))));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }
}
