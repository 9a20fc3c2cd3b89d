package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.accounts.Readers.json;
import static org.newsroom.membership.accounts.Readers.strongPassword;
import static org.newsroom.membership.testing.Problems.assertProblem;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsroom.membership.accounts.Readers.Reader;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Sessions over HTTP: signing in and out, password change and reset, sign-in links, throttling, and
 * what happens when the mail server or the database goes away. The tests that take a dependency
 * away run last, since the server is shared by every integration test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SharedServer
class SessionsIT {

  private static final int DISTURBS_THE_SERVER = 1000;

  private final TestServer server;

  SessionsIT(TestServer server) {
    this.server = server;
  }

  // --- signing in and out -------------------------------------------------------------------

  @Test
  void signInStartsANewSession() {
    Reader reader = Readers.register(server, "sign-in");
    Api laptop = server.api();
    Api.Response response = laptop.signIn(reader.email(), reader.password());

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().getString("id")).isEqualTo(reader.id());
    String cookie = response.header("Set-Cookie");
    assertThat(cookie).matches("session=[A-Za-z0-9_-]{43};.*");
    assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Domain");
    assertThat(laptop.sessionToken()).isNotEqualTo(reader.token());
    assertThat(laptop.get("/api/me").status()).isEqualTo(200);
    assertThat(reader.api().get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void signInWithWrongPasswordLooksLikeUnknownEmail() {
    Reader reader = Readers.register(server, "lookalike");
    Api attacker = server.api();

    Api.Response wrongPassword = attacker.signIn(reader.email(), "not-" + reader.password());
    Api.Response unknownEmail = attacker.signIn(Api.uniqueEmail("nobody"), reader.password());

    assertProblem(wrongPassword, 401, "invalid-credentials");
    assertThat(unknownEmail.status()).isEqualTo(401);
    assertThat(unknownEmail.body()).isEqualTo(wrongPassword.body());
    assertThat(unknownEmail.contentType()).isEqualTo(wrongPassword.contentType());
    assertThat(unknownEmail.header("Set-Cookie")).isEqualTo(wrongPassword.header("Set-Cookie"));
  }

  @Test
  void signInWithUnknownEmailTakesAsLongAsWithAWrongPassword() {
    Reader reader = Readers.register(server, "timing");
    Api attacker = server.api();
    attacker.get("/health/live");
    List<Long> wrongPassword = new ArrayList<>();
    List<Long> unknownEmail = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String wrong = "wrong-password-" + i;
      wrongPassword.add(timeMillis(() -> attacker.signIn(reader.email(), wrong)));
      unknownEmail.add(timeMillis(() -> attacker.signIn(Api.uniqueEmail("ghost"), "wrong-pw")));
    }
    // The hash work dominates; a lookup that skipped it would be many times faster.
    assertThat(median(unknownEmail))
        .as("unknown %s vs wrong password %s ms", unknownEmail, wrongPassword)
        .isGreaterThan(median(wrongPassword) / 3);
  }

  @Test
  void tokenPresentedBeforeSignInIsNeverPromoted() {
    Reader reader = Readers.register(server, "fixation");
    String planted = SecretTokens.newToken();
    Api victim = Readers.withToken(server, planted);

    Api.Response signIn = victim.signIn(reader.email(), reader.password());

    assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
    assertThat(victim.sessionToken()).isNotEqualTo(planted).hasSize(43);
    assertThat(victim.get("/api/me").status()).isEqualTo(200);
    assertProblem(Readers.withToken(server, planted).get("/api/me"), 401, "unauthorized");
  }

  @Test
  void signOutRevokesTheSessionAndClearsTheCookie() {
    Reader reader = Readers.register(server, "sign-out");
    String token = reader.token();
    Api phone = Readers.signedInElsewhere(server, reader);

    Api.Response signOut = reader.api().delete("/api/session");

    assertThat(signOut.status()).isEqualTo(204);
    assertThat(signOut.header("Set-Cookie")).startsWith("session=;").contains("Max-Age=0");
    Api old = Readers.withToken(server, token);
    assertProblem(old.get("/api/me"), 401, "unauthorized");
    JsonObject entitlements = old.get("/api/entitlements").json();
    assertThat(entitlements.getBoolean("signedIn")).isFalse();
    assertThat(phone.get("/api/me").status()).as("only that session ends").isEqualTo(200);
  }

  @Test
  void signOutWithoutASessionStillClearsTheCookie() {
    Api.Response signOut = server.api().delete("/api/session");
    assertThat(signOut.status()).isEqualTo(204);
    assertThat(signOut.header("Set-Cookie")).startsWith("session=;");
  }

  // --- password change ----------------------------------------------------------------------

  @Test
  void passwordChangeNeedsTheCurrentPassword() {
    Reader reader = Readers.register(server, "change-wrong");
    assertProblem(
        reader
            .api()
            .post(
                "/api/me/password",
                json("currentPassword", "not-it-at-all", "newPassword", strongPassword())),
        403,
        "wrong-password");
    assertThat(server.api().signIn(reader.email(), reader.password()).status()).isEqualTo(200);
  }

  @Test
  void passwordChangeChecksTheNewPassword() {
    Reader reader = Readers.register(server, "change-weak");
    JsonObject problem =
        assertProblem(
            reader
                .api()
                .post(
                    "/api/me/password",
                    json("currentPassword", reader.password(), "newPassword", "sunshine")),
            400,
            "validation");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("newPassword");
  }

  @Test
  void passwordChangeSignsOutEveryOtherSessionAndKeepsThisOne() {
    Reader reader = Readers.register(server, "change");
    Api phone = Readers.signedInElsewhere(server, reader);
    String phoneToken = phone.sessionToken();
    String newPassword = strongPassword();

    Api.Response changed =
        reader
            .api()
            .post(
                "/api/me/password",
                json("currentPassword", reader.password(), "newPassword", newPassword));

    assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
    assertThat(reader.api().get("/api/me").status()).isEqualTo(200);
    assertProblem(Readers.withToken(server, phoneToken).get("/api/me"), 401, "unauthorized");
    assertProblem(
        server.api().signIn(reader.email(), reader.password()), 401, "invalid-credentials");
    assertThat(server.api().signIn(reader.email(), newPassword).status()).isEqualTo(200);
    Readers.awaitMail(server, reader.email(), Readers.PASSWORD_CHANGED_SUBJECT);
  }

  @Test
  void passwordChangeNeedsASignedInReader() {
    assertProblem(
        server
            .api()
            .post(
                "/api/me/password",
                json("currentPassword", "whatever-1", "newPassword", strongPassword())),
        401,
        "unauthorized");
  }

  // --- sign-in links ------------------------------------------------------------------------

  @Test
  void signInLinkIsMailedOnlyToAKnownMemberButAcceptedForAnyone() {
    Reader reader = Readers.register(server, "link");
    String stranger = Api.uniqueEmail("stranger");
    Api api = server.api();

    assertThat(api.post("/api/session/links", json("email", stranger)).status()).isEqualTo(202);
    assertThat(api.post("/api/session/links", json("email", reader.email())).status())
        .isEqualTo(202);

    Readers.awaitMail(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT);
    Readers.sleep(Duration.ofSeconds(3)); // a mail to the stranger would have been sent by now
    assertThat(server.smtp.getReceivedMessagesForDomain(stranger)).isEmpty();
  }

  @Test
  void signInLinkSignsInOnceAndVerifiesTheEmail() {
    Reader reader = Readers.register(server, "link-confirm");
    server.api().post("/api/session/links", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 1);
    assertThat(
            Readers.text(Readers.awaitMail(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT)))
        .contains(server.baseUrl + "/sign-in-link?token=" + token);

    Api tablet = server.api();
    Api.Response signedIn = tablet.post("/api/session/links/confirm", json("token", token));

    assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
    assertThat(signedIn.json().getString("id")).isEqualTo(reader.id());
    assertThat(signedIn.json().getBoolean("emailVerified")).isTrue();
    assertThat(tablet.sessionToken()).hasSize(43).isNotEqualTo(reader.token());
    assertThat(tablet.get("/api/me").json().getBoolean("emailVerified")).isTrue();

    assertProblem(
        server.api().post("/api/session/links/confirm", json("token", token)),
        400,
        "invalid-token");
  }

  @Test
  void newerSignInLinkVoidsTheOlder() {
    Reader reader = Readers.register(server, "link-newer");
    Api api = server.api();
    api.post("/api/session/links", json("email", reader.email()));
    String first = Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 1);
    api.post("/api/session/links", json("email", reader.email()));
    String second = Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 2);

    assertProblem(
        server.api().post("/api/session/links/confirm", json("token", first)),
        400,
        "invalid-token");
    assertThat(server.api().post("/api/session/links/confirm", json("token", second)).status())
        .isEqualTo(200);
  }

  @Test
  void expiredSignInLinkIsInvalid() {
    Reader reader = Readers.register(server, "link-expired");
    server.api().post("/api/session/links", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 1);
    Readers.expireTokensOf(server, reader.id());
    assertProblem(
        server.api().post("/api/session/links/confirm", json("token", token)),
        400,
        "invalid-token");
  }

  @Test
  void tokenMailedForOnePurposeIsNoGoodForAnother() {
    Reader reader = Readers.register(server, "purpose");
    String verification = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);
    assertProblem(
        server.api().post("/api/session/links/confirm", json("token", verification)),
        400,
        "invalid-token");
  }

  // --- password reset -----------------------------------------------------------------------

  @Test
  void resetIsAcceptedForKnownAndUnknownEmailsAlike() {
    Reader reader = Readers.register(server, "reset-any");
    String stranger = Api.uniqueEmail("stranger");
    Api api = server.api();

    Api.Response unknown = api.post("/api/password-resets", json("email", stranger));
    Api.Response known = api.post("/api/password-resets", json("email", reader.email()));

    assertThat(unknown.status()).isEqualTo(202);
    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.body()).isEqualTo(known.body());
    Readers.awaitMail(server, reader.email(), Readers.RESET_SUBJECT);
    Readers.sleep(Duration.ofSeconds(3));
    assertThat(server.smtp.getReceivedMessagesForDomain(stranger)).isEmpty();
  }

  @Test
  void resetSetsTheNewPasswordAndSignsOutEverywhere() {
    Reader reader = Readers.register(server, "reset");
    Api phone = Readers.signedInElsewhere(server, reader);
    server.api().post("/api/password-resets", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1);
    String newPassword = strongPassword();

    Api.Response reset =
        server
            .api()
            .post("/api/password-resets/confirm", json("token", token, "newPassword", newPassword));

    assertThat(reset.status()).as(reset.toString()).isEqualTo(204);
    assertProblem(reader.api().get("/api/me"), 401, "unauthorized");
    assertProblem(phone.get("/api/me"), 401, "unauthorized");
    assertProblem(
        server.api().signIn(reader.email(), reader.password()), 401, "invalid-credentials");
    Api.Response signIn = server.api().signIn(reader.email(), newPassword);
    assertThat(signIn.status()).isEqualTo(200);
    assertThat(signIn.json().getBoolean("emailVerified"))
        .as("the link proved the address")
        .isTrue();
    Readers.awaitMail(server, reader.email(), Readers.PASSWORD_CHANGED_SUBJECT);

    assertProblem(
        server
            .api()
            .post(
                "/api/password-resets/confirm",
                json("token", token, "newPassword", strongPassword())),
        400,
        "invalid-token");
    assertThat(server.api().signIn(reader.email(), newPassword).status()).isEqualTo(200);
  }

  @Test
  void resetChecksTheNewPasswordWithoutUsingTheToken() {
    Reader reader = Readers.register(server, "reset-weak");
    server.api().post("/api/password-resets", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1);

    assertProblem(
        server
            .api()
            .post("/api/password-resets/confirm", json("token", token, "newPassword", "short")),
        400,
        "validation");
    assertThat(
            server
                .api()
                .post(
                    "/api/password-resets/confirm",
                    json("token", token, "newPassword", strongPassword()))
                .status())
        .isEqualTo(204);
  }

  @Test
  void newerResetVoidsTheOlder() {
    Reader reader = Readers.register(server, "reset-newer");
    Api api = server.api();
    api.post("/api/password-resets", json("email", reader.email()));
    String first = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1);
    api.post("/api/password-resets", json("email", reader.email()));
    String second = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 2);

    assertProblem(
        api.post(
            "/api/password-resets/confirm", json("token", first, "newPassword", strongPassword())),
        400,
        "invalid-token");
    assertThat(
            api.post(
                    "/api/password-resets/confirm",
                    json("token", second, "newPassword", strongPassword()))
                .status())
        .isEqualTo(204);
  }

  @Test
  void expiredResetIsInvalid() {
    Reader reader = Readers.register(server, "reset-expired");
    server.api().post("/api/password-resets", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1);
    Readers.expireTokensOf(server, reader.id());
    assertProblem(
        server
            .api()
            .post(
                "/api/password-resets/confirm",
                json("token", token, "newPassword", strongPassword())),
        400,
        "invalid-token");
  }

  @Test
  void resetLinkUsesThePublicBaseUrlWhateverTheHostHeaderSays() throws Exception {
    Reader reader = Readers.register(server, "host");
    URI base = URI.create(server.baseUrl);
    byte[] body = json("email", reader.email()).getBytes(StandardCharsets.UTF_8);
    String status;
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /api/password-resets HTTP/1.1\r\n"
              + "Host: evil.example\r\n"
              + "X-Forwarded-Host: evil.example\r\n"
              + "Origin: "
              + server.baseUrl
              + "\r\n"
              + "X-Forwarded-For: 10.250."
              + (int) (Math.random() * 250)
              + ".7\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      status =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
    }
    assertThat(status).startsWith("HTTP/1.1 202");

    String text = Readers.text(Readers.awaitMail(server, reader.email(), Readers.RESET_SUBJECT));
    assertThat(text).contains(server.baseUrl + "/reset-password?token=").doesNotContain("evil");
  }

  // --- throttling ---------------------------------------------------------------------------

  @Test
  void repeatedFailuresThrottleUnknownEmailsExactlyLikeKnownOnes() {
    Reader reader = Readers.register(server, "throttled");
    String unknown = Api.uniqueEmail("ghost");
    Api knownAttacker = server.api();
    Api unknownAttacker = server.api();

    startOfAFreshWindow();
    Api.Response knownLimited = null;
    Api.Response unknownLimited = null;
    int knownFailures = 0;
    int unknownFailures = 0;
    for (int attempt = 0;
        attempt < 30 && (knownLimited == null || unknownLimited == null);
        attempt++) {
      if (knownLimited == null) {
        Api.Response r = knownAttacker.signIn(reader.email(), "wrong-password-" + attempt);
        if (r.status() == 429) {
          knownLimited = r;
        } else {
          assertProblem(r, 401, "invalid-credentials");
          knownFailures++;
        }
      }
      if (unknownLimited == null) {
        Api.Response r = unknownAttacker.signIn(unknown, "wrong-password-" + attempt);
        if (r.status() == 429) {
          unknownLimited = r;
        } else {
          assertProblem(r, 401, "invalid-credentials");
          unknownFailures++;
        }
      }
    }

    assertThat(knownLimited).as("the known email is throttled").isNotNull();
    assertThat(unknownLimited).as("the unknown email is throttled").isNotNull();
    assertThat(unknownFailures).isEqualTo(knownFailures);
    assertProblem(knownLimited, 429, "too-many-requests");
    assertThat(unknownLimited.body()).isEqualTo(knownLimited.body());
    assertThat(Integer.parseInt(knownLimited.header("Retry-After")))
        .isBetween(1, TestServer.RATE_LIMIT_WINDOW_SECONDS);
    assertThat(unknownLimited.header("Retry-After")).isNotNull();
    // Even the right password waits on the attacker's side: the limit counts the email there.
    assertThat(knownAttacker.signIn(reader.email(), reader.password()).status()).isEqualTo(429);
  }

  @Test
  void throttlingReleasesAfterTheWindow() {
    Reader reader = Readers.register(server, "released");
    Api attacker = server.api();
    Api.Response limited =
        untilThrottled(() -> attacker.signIn(reader.email(), "wrong-" + UUID.randomUUID()), 40);

    int retryAfter = Integer.parseInt(limited.header("Retry-After"));
    Readers.sleep(Duration.ofSeconds(retryAfter + 1));

    assertThat(server.api().signIn(reader.email(), reader.password()).status()).isEqualTo(200);
  }

  @Test
  void repeatedFailuresFromOneAddressAreThrottledWhateverTheEmail() {
    Reader reader = Readers.register(server, "same-address");
    Api attacker = server.api();
    // Passwords over the length limit fail without hashing, so a window's worth is quick to send.
    String tooLong = "p".repeat(600);
    Api.Response limited =
        untilThrottled(() -> attacker.signIn(Api.uniqueEmail("spray"), tooLong), 400);

    assertProblem(limited, 429, "too-many-requests");
    assertThat(limited.header("Retry-After")).isNotNull();
    assertThat(attacker.signIn(reader.email(), reader.password()).status())
        .as("the address is throttled")
        .isEqualTo(429);
    assertThat(server.api().signIn(reader.email(), reader.password()).status())
        .as("other addresses are not")
        .isEqualTo(200);
  }

  @Test
  void mailRequestsForOneEmailAreThrottledKnownOrNot() {
    Reader reader = Readers.register(server, "mail-flood");
    startOfAFreshWindow();
    for (String email : List.of(reader.email(), Api.uniqueEmail("mail-ghost"))) {
      // Each request from another client address: the limit is the email's.
      Api.Response limited =
          untilStatus(
              429, () -> server.api().post("/api/password-resets", json("email", email)), 30, 202);
      assertProblem(limited, 429, "too-many-requests");
      assertThat(limited.header("Retry-After")).isNotNull();
      assertThat(server.api().post("/api/session/links", json("email", email)).status())
          .as("sign-in links share the mail limit of the address")
          .isEqualTo(429);
    }
  }

  @Test
  void mailRequestsFromOneClientForOneEmailAreThrottledSooner() {
    Reader reader = Readers.register(server, "mail-pair");
    startOfAFreshWindow();
    Api api = server.api();
    Api.Response limited =
        untilStatus(
            429, () -> api.post("/api/password-resets", json("email", reader.email())), 4, 202);
    assertProblem(limited, 429, "too-many-requests");
  }

  @Test
  void verificationMailsAreThrottled() {
    Reader reader = Readers.register(server, "verify-flood");
    Api.Response limited =
        untilStatus(429, () -> reader.api().post("/api/email-verifications"), 30, 202);
    assertProblem(limited, 429, "too-many-requests");
  }

  private static Api.Response untilStatus(
      int wanted, Supplier<Api.Response> attempt, int bound, int otherwise) {
    for (int i = 0; i < bound; i++) {
      Api.Response response = attempt.get();
      if (response.status() == wanted) {
        return response;
      }
      assertThat(response.status()).as(response.toString()).isEqualTo(otherwise);
    }
    throw new AssertionError("No " + wanted + " within " + bound + " attempts");
  }

  @Test
  void failedSignInsDoNotCountOnceTheReaderIsIn() {
    Reader reader = Readers.register(server, "not-throttled");
    Api api = server.api();
    for (int i = 0; i < 12; i++) {
      assertThat(api.signIn(reader.email(), reader.password()).status()).isEqualTo(200);
    }
  }

  private static Api.Response untilThrottled(Supplier<Api.Response> attempt, int bound) {
    for (int i = 0; i < bound; i++) {
      Api.Response response = attempt.get();
      if (response.status() == 429) {
        return response;
      }
      assertProblem(response, 401, "invalid-credentials");
    }
    throw new AssertionError("No 429 within " + bound + " attempts");
  }

  /** Fixed windows: starting right after a boundary keeps a burst of attempts in one window. */
  private static void startOfAFreshWindow() {
    long window = TestServer.RATE_LIMIT_WINDOW_SECONDS * 1000L;
    long now = System.currentTimeMillis();
    Readers.sleep(Duration.ofMillis(window - now % window + 150));
  }

  // --- dependencies that go away ------------------------------------------------------------

  @Test
  @Order(DISTURBS_THE_SERVER)
  void mailIsDeliveredOnceTheMailServerIsBack() {
    Reader reader = Readers.register(server, "smtp-down");
    Readers.awaitMail(server, reader.email(), Readers.VERIFY_SUBJECT);
    server.smtp.stop();
    try {
      Api.Response requested =
          server.api().post("/api/password-resets", json("email", reader.email()));
      assertThat(requested.status()).as("a request never waits for the mail server").isEqualTo(202);
      Readers.sleep(Duration.ofSeconds(4)); // at least one delivery attempt fails meanwhile
    } finally {
      server.smtp.start();
    }
    // Retries back off from 5 s, so the mail may take a while once the server is back.
    Readers.awaitMails(server, reader.email(), Readers.RESET_SUBJECT, 1, Duration.ofSeconds(70));
  }

  @Test
  @Order(DISTURBS_THE_SERVER + 1)
  void signInWhileTheDatabaseIsDownIsUnavailableNotAFailure() throws Exception {
    Reader reader = Readers.register(server, "db-down");
    Api api = server.api();
    startOfAFreshWindow();
    server.database.cut();
    List<Api.Response> during = new ArrayList<>();
    try {
      // More wrong passwords than the per-email limit: counted as failures, the last would be 429.
      for (int i = 0; i < 12; i++) {
        during.add(api.signIn(reader.email(), "wrong-password-" + i));
      }
    } finally {
      server.database.restore();
      awaitReady();
    }
    for (Api.Response response : during) {
      assertProblem(response, 503, "database-unavailable");
    }
    assertThat(api.signIn(reader.email(), reader.password()).status()).isEqualTo(200);
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    Api probe = server.api();
    while (Instant.now().isBefore(deadline)) {
      if (probe.get("/health/ready").status() == 200) {
        return;
      }
      Readers.sleep(Duration.ofMillis(500));
    }
    throw new AssertionError("The server was not ready again within 60 s");
  }

  private static long timeMillis(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
