package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.accounts.Readers.json;
import static org.newsroom.membership.accounts.Readers.strongPassword;
import static org.newsroom.membership.testing.Problems.assertProblem;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.accounts.Readers.Reader;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Accounts over HTTP against the deployed WAR and PostgreSQL: registration, the password rules,
 * email verification, the profile, the data export, deletion, staff roles, and how a request proves
 * where it comes from (cookie with Origin, or Bearer).
 */
@SharedServer
class AccountsIT {

  private final TestServer server;

  AccountsIT(TestServer server) {
    this.server = server;
  }

  // --- registration -------------------------------------------------------------------------

  @Test
  void registeringSignsTheReaderInAtOnce() {
    Api api = server.api();
    String email = Api.uniqueEmail("ada");
    Api.Response response =
        api.post(
            "/api/accounts",
            json(
                "email",
                email,
                "password",
                strongPassword(),
                "displayName",
                "Ada",
                "marketingConsent",
                true));

    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    JsonObject member = response.json();
    assertThat(member.getString("id")).matches("[0-9a-f-]{36}");
    assertThat(member.getString("email")).isEqualTo(email);
    assertThat(member.getBoolean("emailVerified")).isFalse();
    assertThat(member.getString("displayName")).isEqualTo("Ada");
    assertThat(member.getBoolean("marketingConsent")).isTrue();
    assertThat(member.getJsonArray("roles").getValuesAs(JsonString::getString))
        .containsExactly("READER");
    assertThat(member.getString("createdAt")).endsWith("Z");
    assertThat(member.getBoolean("supporter")).isFalse();

    String cookie = response.header("Set-Cookie");
    assertThat(cookie).matches("session=[A-Za-z0-9_-]{43};.*");
    assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/");
    assertThat(cookie).doesNotContain("Domain", "Secure");

    Api.Response me = api.get("/api/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("id")).isEqualTo(member.getString("id"));
  }

  @Test
  void registrationMailsAVerificationLinkOnThePublicBaseUrl() {
    Reader reader = Readers.register(server, "verify");
    MimeMessage mail = Readers.awaitMail(server, reader.email(), Readers.VERIFY_SUBJECT);
    String token = Readers.tokenIn(mail);
    assertThat(Readers.text(mail)).contains(server.baseUrl + "/verify-email?token=" + token);
  }

  @Test
  void confirmingTheVerificationLinkVerifiesTheEmailOnce() {
    Reader reader = Readers.register(server, "confirm");
    String token = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);

    assertThat(reader.api().post("/api/email-verifications/confirm", json("token", token)).status())
        .isEqualTo(204);
    assertThat(reader.api().get("/api/me").json().getBoolean("emailVerified")).isTrue();
    assertProblem(
        reader.api().post("/api/email-verifications/confirm", json("token", token)),
        400,
        "invalid-token");
  }

  @Test
  void unknownOrMalformedVerificationTokenIsInvalid() {
    Api anyone = server.api();
    assertProblem(
        anyone.post(
            "/api/email-verifications/confirm",
            json("token", "A".repeat(43))), // well-formed, never issued
        400,
        "invalid-token");
    assertProblem(
        anyone.post("/api/email-verifications/confirm", json("token", "not a token")),
        400,
        "invalid-token");
  }

  @Test
  void aNewVerificationMailVoidsTheOlderLink() {
    Reader reader = Readers.register(server, "resend");
    String first = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);

    assertThat(reader.api().post("/api/email-verifications").status()).isEqualTo(202);
    String second = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 2);

    assertThat(second).isNotEqualTo(first);
    assertProblem(
        reader.api().post("/api/email-verifications/confirm", json("token", first)),
        400,
        "invalid-token");
    assertThat(
            reader.api().post("/api/email-verifications/confirm", json("token", second)).status())
        .isEqualTo(204);
  }

  @Test
  void aNewVerificationMailNeedsASignedInReader() {
    assertProblem(server.api().post("/api/email-verifications"), 401, "unauthorized");
  }

  @Test
  void expiredVerificationLinkIsInvalid() {
    Reader reader = Readers.register(server, "expired-verify");
    String token = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);
    Readers.expireTokensOf(server, reader.id());
    assertProblem(
        server.api().post("/api/email-verifications/confirm", json("token", token)),
        400,
        "invalid-token");
  }

  @Test
  void emailsAreOneAccountWhateverTheirCase() {
    String local = "ada-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    server.api().register(local + "@Example.COM", strongPassword());

    Api.Response again =
        server
            .api()
            .post(
                "/api/accounts",
                json("email", local + "@example.com", "password", strongPassword()));
    assertProblem(again, 409, "email-taken");
  }

  @Test
  void signingInIgnoresTheCaseOfTheEmail() {
    String local = "grace-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String password = strongPassword();
    server.api().register(local + "@example.com", password);
    assertThat(server.api().signIn(local.toUpperCase() + "@EXAMPLE.com", password).status())
        .isEqualTo(200);
  }

  @Test
  void manyRegistrationsFromOneAddressAreThrottled() {
    Api api = server.api();
    Api.Response limited = null;
    // Refused registrations count too (the limit comes first), and cost no hashing.
    for (int i = 0; i < 80 && limited == null; i++) {
      Api.Response r =
          api.post("/api/accounts", json("email", Api.uniqueEmail("bulk"), "password", "short"));
      if (r.status() == 429) {
        limited = r;
      } else {
        assertProblem(r, 400, "validation");
      }
    }
    assertThat(limited).as("a 429 within 80 registrations").isNotNull();
    assertProblem(limited, 429, "too-many-requests");
    assertThat(limited.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(server.api().register(Api.uniqueEmail("other-address"), strongPassword()))
        .as("another address is not affected")
        .isNotNull();
  }

  // --- the password rules -------------------------------------------------------------------

  @Test
  void passwordShorterThanEightCodePointsIsRefusedWithTheReason() {
    assertPasswordRefused("Abc-12!", "at least 8");
    // Seven emoji are fourteen UTF-16 chars but only seven characters.
    assertPasswordRefused("\uD83D\uDE00".repeat(7), "at least 8");
  }

  @Test
  void commonPasswordIsRefusedWithTheReason() {
    assertPasswordRefused("sunshine", "common");
    assertPasswordRefused("Password1", "common");
  }

  @Test
  void passwordOverTwoHundredFiftySixCodePointsIsRefusedNeverTruncated() {
    assertPasswordRefused("x".repeat(257), "at most 256");
    assertPasswordRefused("\uD83D\uDD11".repeat(257), "at most 256");
  }

  @Test
  void passwordOfExactlyTwoHundredFiftySixEmojiIsAcceptedAndWorks() {
    String password = "\uD83D\uDD11".repeat(255) + "\uD83D\uDE80";
    String email = Api.uniqueEmail("long");
    assertThat(
            server.api().post("/api/accounts", json("email", email, "password", password)).status())
        .isEqualTo(201);
    assertThat(server.api().signIn(email, password).status()).isEqualTo(200);
    assertThat(server.api().signIn(email, password.substring(0, 510)).status()).isEqualTo(401);
  }

  @Test
  void eightEmojiAreAnEightCharacterPassword() {
    String password =
        "\uD83D\uDE00\uD83C\uDF89\uD83D\uDC0D\uD83C\uDF35"
            + "\uD83D\uDE80\uD83E\uDD84\uD83C\uDF08\uD83D\uDD11";
    assertThat(password.codePointCount(0, password.length())).isEqualTo(8);
    String email = Api.uniqueEmail("emoji");
    Api.Response response =
        server.api().post("/api/accounts", json("email", email, "password", password));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    assertThat(server.api().signIn(email, password).status()).isEqualTo(200);
  }

  @Test
  void tenThousandCharacterPasswordIsRefusedQuickly() {
    Api api = server.api();
    String body = json("email", Api.uniqueEmail("huge"), "password", "x".repeat(10_000));
    api.get("/health/live"); // a warm connection, so only the request itself is timed
    Instant start = Instant.now();
    Api.Response response = api.post("/api/accounts", body);
    Duration took = Duration.between(start, Instant.now());

    JsonObject problem = assertProblem(response, 400, "validation");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("password");
    assertThat(took).isLessThan(Duration.ofMillis(700));
  }

  private void assertPasswordRefused(String password, String reason) {
    Api.Response response =
        server
            .api()
            .post("/api/accounts", json("email", Api.uniqueEmail("weak"), "password", password));
    JsonObject problem = assertProblem(response, 400, "validation");
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).isEqualTo("password");
    assertThat(error.getString("message")).contains(reason);
  }

  // --- fields a client may not set ----------------------------------------------------------

  @Test
  void fieldsAClientMayNotSetAreIgnoredOnRegistration() {
    Api api = server.api();
    String email = Api.uniqueEmail("sneaky");
    String body =
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + strongPassword()
            + "\",\"roles\":[\"ADMIN\",\"FINANCE\"],\"id\":\"00000000-0000-0000-0000-000000000001\","
            + "\"emailVerified\":true,\"supporter\":true}";
    Api.Response response = api.post("/api/accounts", body);

    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    assertNothingEscalated(response.json());
    assertNothingEscalated(api.get("/api/me").json());
    assertProblem(
        api.post("/api/admin/staff", json("email", email, "roles", new String[] {"ADMIN"})),
        403,
        "forbidden");
  }

  @Test
  void fieldsAClientMayNotSetAreIgnoredOnProfileChange() {
    Reader reader = Readers.register(server, "sneaky-patch");
    Api.Response response =
        reader
            .api()
            .patch(
                "/api/me",
                "{\"displayName\":\"Still Ada\",\"roles\":[\"ADMIN\"],"
                    + "\"id\":\"00000000-0000-0000-0000-000000000001\","
                    + "\"emailVerified\":true,\"supporter\":true}");

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().getString("displayName")).isEqualTo("Still Ada");
    assertNothingEscalated(response.json());
    assertThat(response.json().getString("id")).isEqualTo(reader.id());
  }

  private static void assertNothingEscalated(JsonObject member) {
    assertThat(member.getJsonArray("roles").getValuesAs(JsonString::getString))
        .containsExactly("READER");
    assertThat(member.getString("id")).isNotEqualTo("00000000-0000-0000-0000-000000000001");
    assertThat(member.getBoolean("emailVerified")).isFalse();
    assertThat(member.getBoolean("supporter")).isFalse();
  }

  // --- profile and data export --------------------------------------------------------------

  @Test
  void meNeedsASignedInReader() {
    assertProblem(server.api().get("/api/me"), 401, "unauthorized");
    assertProblem(server.api().patch("/api/me", json("displayName", "x")), 401, "unauthorized");
    assertProblem(server.api().get("/api/me/data"), 401, "unauthorized");
  }

  @Test
  void profileChangeRenamesAndRecordsConsent() {
    Reader reader = Readers.register(server, "profile");
    Api.Response renamed =
        reader.api().patch("/api/me", json("displayName", "Countess", "marketingConsent", true));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().getString("displayName")).isEqualTo("Countess");
    assertThat(renamed.json().getBoolean("marketingConsent")).isTrue();

    // Fields left out stay as they are.
    Api.Response withdrawn = reader.api().patch("/api/me", json("marketingConsent", false));
    assertThat(withdrawn.json().getString("displayName")).isEqualTo("Countess");
    assertThat(withdrawn.json().getBoolean("marketingConsent")).isFalse();
    assertThat(reader.api().get("/api/me").json().getBoolean("marketingConsent")).isFalse();
  }

  @Test
  void profileChangeIsValidated() {
    Reader reader = Readers.register(server, "profile-invalid");
    JsonObject problem =
        assertProblem(
            reader.api().patch("/api/me", json("displayName", "x".repeat(101))), 400, "validation");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("displayName");
  }

  @Test
  void myDataListsEverythingHeldButNoSecret() throws Exception {
    Reader reader = Readers.register(server, "export");
    reader.api().patch("/api/me", json("marketingConsent", true));
    reader.api().patch("/api/me", json("marketingConsent", false));
    Api phone = Readers.signedInElsewhere(server, reader);

    Api.Response response = reader.api().get("/api/me/data");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    JsonObject data = response.json();
    assertThat(data.keySet()).contains("member", "consents", "sessions", "recurring", "payments");
    assertThat(data.getJsonObject("member").getString("email")).isEqualTo(reader.email());

    List<JsonObject> consents = data.getJsonArray("consents").getValuesAs(JsonObject.class);
    assertThat(consents).extracting(c -> c.getBoolean("granted")).containsExactly(true, false);
    assertThat(consents).allSatisfy(c -> assertThat(c.getString("changedAt")).endsWith("Z"));

    List<JsonObject> sessions = data.getJsonArray("sessions").getValuesAs(JsonObject.class);
    assertThat(sessions).hasSize(2);
    assertThat(sessions)
        .allSatisfy(s -> assertThat(s.keySet()).contains("createdAt", "lastSeenAt", "userAgent"));
    for (String token : List.of(reader.token(), phone.sessionToken())) {
      assertThat(response.body()).doesNotContain(token, sha256(token));
    }
    assertThat(data.get("recurring").getValueType())
        .isEqualTo(jakarta.json.JsonValue.ValueType.ARRAY);
    assertThat(data.get("payments").getValueType())
        .isEqualTo(jakarta.json.JsonValue.ValueType.ARRAY);
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  // --- deletion -----------------------------------------------------------------------------

  @Test
  void deletingTheAccountNeedsThePassword() {
    Reader reader = Readers.register(server, "delete-wrong");
    assertProblem(
        reader.api().delete("/api/me", json("password", "not-the-password")),
        403,
        "wrong-password");
    assertThat(reader.api().get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void deletingTheAccountSignsOutEverywhereAndFreesTheEmail() {
    Reader reader = Readers.register(server, "delete");
    Api phone = Readers.signedInElsewhere(server, reader);
    String laptopToken = reader.token();

    Api.Response deleted = reader.api().delete("/api/me", json("password", reader.password()));

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(deleted.header("Set-Cookie")).startsWith("session=;").contains("Max-Age=0");
    assertProblem(Readers.withToken(server, laptopToken).get("/api/me"), 401, "unauthorized");
    assertProblem(phone.get("/api/me"), 401, "unauthorized");
    assertProblem(
        server.api().signIn(reader.email(), reader.password()), 401, "invalid-credentials");
    Readers.awaitMail(server, reader.email(), Readers.DELETED_SUBJECT);

    Api again = server.api();
    JsonObject newMember = again.register(reader.email(), strongPassword());
    assertThat(newMember.getString("id")).isNotEqualTo(reader.id());
  }

  @Test
  void deletingNeedsASignedInReader() {
    assertProblem(
        server.api().delete("/api/me", json("password", "whatever-it-is")), 401, "unauthorized");
  }

  // --- staff roles --------------------------------------------------------------------------

  @Test
  void bootstrapAdminGrantsFinanceAndReaderAlwaysStays() {
    Api admin = signedInAdmin();
    Reader reader = Readers.register(server, "finance");
    server.proveAddress(reader.api(), reader.email());

    Api.Response granted =
        admin.post(
            "/api/admin/staff", json("email", reader.email(), "roles", new String[] {"FINANCE"}));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    assertThat(granted.json().getJsonArray("roles").getValuesAs(JsonString::getString))
        .containsExactlyInAnyOrder("FINANCE", "READER");
    assertThat(reader.api().signIn(reader.email(), reader.password()).status()).isEqualTo(200);
    assertThat(
            reader
                .api()
                .get("/api/me")
                .json()
                .getJsonArray("roles")
                .getValuesAs(JsonString::getString))
        .containsExactlyInAnyOrder("FINANCE", "READER");

    Api.Response revoked =
        admin.post("/api/admin/staff", json("email", reader.email(), "roles", new String[] {}));
    assertThat(revoked.json().getJsonArray("roles").getValuesAs(JsonString::getString))
        .containsExactly("READER");
  }

  @Test
  void staffRolesAreGrantedByAnAdminOnly() {
    Reader reader = Readers.register(server, "not-admin");
    String body = json("email", reader.email(), "roles", new String[] {"ADMIN"});

    assertProblem(reader.api().post("/api/admin/staff", body), 403, "forbidden");
    assertProblem(server.api().post("/api/admin/staff", body), 401, "unauthorized");
    assertThat(
            reader
                .api()
                .get("/api/me")
                .json()
                .getJsonArray("roles")
                .getValuesAs(JsonString::getString))
        .containsExactly("READER");
  }

  @Test
  void staffRolesForAnUnknownEmailOrRoleAreRefused() {
    Api admin = signedInAdmin();
    assertProblem(
        admin.post(
            "/api/admin/staff",
            json("email", Api.uniqueEmail("nobody"), "roles", new String[] {"FINANCE"})),
        404,
        "not-found");
    Reader reader = Readers.register(server, "bad-role");
    Api.Response unknownRole =
        admin.post(
            "/api/admin/staff", json("email", reader.email(), "roles", new String[] {"OWNER"}));
    assertThat(unknownRole.status()).as(unknownRole.toString()).isEqualTo(400);
    assertThat(unknownRole.contentType()).startsWith("application/problem+json");
  }

  private Api signedInAdmin() {
    Api admin = server.api();
    Api.Response signIn = admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
    assertThat(signIn.json().getJsonArray("roles").getValuesAs(JsonString::getString))
        .contains("ADMIN");
    return admin;
  }

  // --- CSRF and Bearer ----------------------------------------------------------------------

  @Test
  void cookieRequestWithoutOriginOrRefererIsRefused() {
    Reader reader = Readers.register(server, "csrf-none");
    Api noOrigin = Readers.withToken(server, reader.token()).withOrigin(null);
    assertProblem(
        noOrigin.patch("/api/me", json("displayName", "Mallory")), 403, "cross-site-request");
    assertProblem(noOrigin.delete("/api/session"), 403, "cross-site-request");
    assertThat(reader.api().get("/api/me").json().getString("displayName")).isEqualTo("Ada");
  }

  @Test
  void cookieRequestFromAForeignOriginIsRefused() {
    Reader reader = Readers.register(server, "csrf-foreign");
    Api foreign = Readers.withToken(server, reader.token()).withOrigin("https://evil.example");
    assertProblem(
        foreign.post(
            "/api/me/password",
            json("currentPassword", reader.password(), "newPassword", strongPassword())),
        403,
        "cross-origin-forbidden");
    assertThat(server.api().signIn(reader.email(), reader.password()).status()).isEqualTo(200);
  }

  @Test
  void cookieRequestWithAnAllowedRefererIsAccepted() {
    Reader reader = Readers.register(server, "csrf-referer");
    Api viaReferer =
        Readers.withToken(server, reader.token())
            .withOrigin(null)
            .withHeader("Referer", server.baseUrl + "/account/profile");
    Api.Response response = viaReferer.patch("/api/me", json("displayName", "Referred"));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);

    Api fromArticlePage =
        Readers.withToken(server, reader.token()).withOrigin(server.articleOrigin);
    assertProblem(
        fromArticlePage.patch("/api/me", json("displayName", "Article")),
        403,
        "cross-origin-forbidden");
  }

  @Test
  void bearerTokenIsAcceptedWithoutAnOriginCheck() {
    Reader reader = Readers.register(server, "bearer");
    Api script =
        server.api().withOrigin(null).withHeader("Authorization", "Bearer " + reader.token());

    assertThat(script.get("/api/me").json().getString("email")).isEqualTo(reader.email());
    Api.Response patched = script.patch("/api/me", json("displayName", "Scripted"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(script.post("/api/email-verifications").status()).isEqualTo(202);
  }

  @Test
  void bearerTokenThatIsNotASessionIsUnauthorized() {
    Api script =
        server.api().withOrigin(null).withHeader("Authorization", "Bearer " + "B".repeat(43));
    assertProblem(script.get("/api/me"), 401, "unauthorized");
  }
}
