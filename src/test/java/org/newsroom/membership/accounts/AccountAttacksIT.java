package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.accounts.Readers.json;
import static org.newsroom.membership.accounts.Readers.strongPassword;
import static org.newsroom.membership.testing.Problems.assertProblem;

import jakarta.json.JsonString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.accounts.Readers.Reader;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * The account-takeover rules of API.md, each played as the attack: the test is the attacker and
 * fails if the attack works. A squatter registers an address before its owner; a script on an
 * article page reaches for staff data; a revoked session is hammered while it is revoked; a guesser
 * tries to keep the owner out.
 */
@SharedServer
class AccountAttacksIT {

  private final TestServer server;

  AccountAttacksIT(TestServer server) {
    this.server = server;
  }

  // --- the squatter ---------------------------------------------------------------------------

  @Test
  void theSquatterLosesEverythingOnceTheOwnerSignsInWithALink() {
    Reader squatter = Readers.register(server, "squatted");
    Api owner = server.api();

    owner.post("/api/session/links", json("email", squatter.email()));
    String token = Readers.awaitToken(server, squatter.email(), Readers.SIGN_IN_LINK_SUBJECT, 1);
    Api.Response signedIn = owner.post("/api/session/links/confirm", json("token", token));

    assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
    assertThat(signedIn.json().getBoolean("emailVerified")).isTrue();
    assertProblem(squatter.api().get("/api/me"), 401, "unauthorized");
    assertThat(squatter.api().get("/api/entitlements").json().getBoolean("signedIn")).isFalse();
    assertProblem(
        server.api().signIn(squatter.email(), squatter.password()), 401, "invalid-credentials");
    assertThat(owner.get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void theVerificationLinkAloneConfirmsNothing() {
    Reader squatter = Readers.register(server, "link-alone");
    String token = Readers.awaitToken(server, squatter.email(), Readers.VERIFY_SUBJECT, 1);
    Api mailScanner = server.api();

    assertProblem(
        mailScanner.post("/api/email-verifications/confirm", json("token", token)),
        401,
        "sign-in-required");
    assertProblem(
        mailScanner.post(
            "/api/email-verifications/confirm", json("token", token, "password", "guessed-it")),
        401,
        "sign-in-required");
    assertThat(squatter.api().get("/api/me").json().getBoolean("emailVerified")).isFalse();
    assertThat(
            mailScanner
                .post(
                    "/api/email-verifications/confirm",
                    json("token", token, "password", squatter.password()))
                .status())
        .as("the token was not spent by the refused attempts")
        .isEqualTo(204);
  }

  @Test
  void confirmingTheAddressSignsOutEveryOtherSession() {
    Reader reader = Readers.register(server, "confirm-revokes");
    Api other = Readers.signedInElsewhere(server, reader);
    String token = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);

    assertThat(reader.api().post("/api/email-verifications/confirm", json("token", token)).status())
        .isEqualTo(204);

    assertThat(reader.api().get("/api/me").json().getBoolean("emailVerified")).isTrue();
    assertProblem(other.get("/api/me"), 401, "unauthorized");
  }

  @Test
  void theOwnerDeclinesTheSquattersAccountAndRegistersTheAddress() {
    Reader squatter = Readers.register(server, "declined");
    String token = Readers.awaitToken(server, squatter.email(), Readers.VERIFY_SUBJECT, 1);
    Api owner = server.api();

    assertThat(owner.post("/api/email-verifications/decline", json("token", token)).status())
        .isEqualTo(204);

    assertProblem(squatter.api().get("/api/me"), 401, "unauthorized");
    assertProblem(
        server.api().signIn(squatter.email(), squatter.password()), 401, "invalid-credentials");
    assertProblem(
        owner.post("/api/email-verifications/decline", json("token", token)), 400, "invalid-token");
    assertThat(owner.register(squatter.email(), strongPassword()).getString("email"))
        .isEqualTo(squatter.email());
  }

  @Test
  void aVerifiedAccountCannotBeDeclined() {
    Reader reader = Readers.register(server, "decline-verified");
    String verification = Readers.awaitToken(server, reader.email(), Readers.VERIFY_SUBJECT, 1);
    server.api().post("/api/session/links", json("email", reader.email()));
    String link = Readers.awaitToken(server, reader.email(), Readers.SIGN_IN_LINK_SUBJECT, 1);
    assertThat(server.api().post("/api/session/links/confirm", json("token", link)).status())
        .isEqualTo(200);

    assertProblem(
        server.api().post("/api/email-verifications/decline", json("token", verification)),
        409,
        "already-verified");
    assertProblem(
        server.api().post("/api/email-verifications/decline", json("token", "A".repeat(43))),
        400,
        "invalid-token");
  }

  // --- staff roles ----------------------------------------------------------------------------

  @Test
  void noStaffRoleForAnUnverifiedAddress() {
    Reader squatter = Readers.register(server, "jane");
    Api admin = signedInAdmin();

    assertProblem(
        admin.post(
            "/api/admin/staff", json("email", squatter.email(), "roles", new String[] {"FINANCE"})),
        409,
        "email-unverified");
    assertProblem(
        squatter.api().get("/api/reports/transactions?from=2026-01-01&to=2026-01-31"),
        403,
        "forbidden");
    assertThat(
            admin
                .post("/api/admin/staff", json("email", squatter.email(), "roles", new String[] {}))
                .status())
        .as("READER only needs no verified address")
        .isEqualTo(200);
  }

  @Test
  void grantingAStaffRoleSignsTheMemberOutEverywhere() {
    Reader reader = Readers.register(server, "granted");
    server.proveAddress(reader.api(), reader.email());
    String before = reader.token();

    Api.Response granted =
        signedInAdmin()
            .post(
                "/api/admin/staff",
                json("email", reader.email(), "roles", new String[] {"FINANCE"}));

    assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    assertProblem(
        Readers.withToken(server, before)
            .get("/api/reports/transactions?from=2026-01-01&to=2026-01-31"),
        401,
        "unauthorized");
  }

  @Test
  void aNullRoleIsABadRequestAndTheLastAdminStays() {
    Api admin = signedInAdmin();
    Reader reader = Readers.register(server, "null-role");

    assertProblem(
        admin.post("/api/admin/staff", "{\"email\":\"" + reader.email() + "\",\"roles\":[null]}"),
        400,
        "validation");
    assertProblem(
        admin.post(
            "/api/admin/staff", json("email", TestServer.ADMIN_EMAIL, "roles", new String[] {})),
        409,
        "last-admin");
    assertThat(admin.get("/api/me").json().getJsonArray("roles").getValuesAs(JsonString::getString))
        .contains("ADMIN");
  }

  // --- cross-origin scope ---------------------------------------------------------------------

  @Test
  void anArticlePageCannotReadOrChangeWhatIsNotItsBusiness() {
    Reader financeReader = Readers.register(server, "finance-cors");
    Api script =
        Readers.withToken(server, financeReader.token())
            .withOrigin(null)
            .withHeader("Origin", server.articleOrigin);

    for (String path :
        List.of("/api/me", "/api/me/data", "/api/reports/transactions", "/api/audit")) {
      assertThat(script.get(path).header("Access-Control-Allow-Origin")).as(path).isNull();
    }
    Api.Response preflight =
        server
            .api()
            .withOrigin(server.articleOrigin)
            .withHeader("Access-Control-Request-Method", "PATCH")
            .send("OPTIONS", "/api/me", null, null);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertProblem(
        script.patch("/api/me", json("displayName", "Defaced")), 403, "cross-origin-forbidden");
    assertProblem(
        script.post("/api/email-verifications/confirm", json("token", "A".repeat(43))),
        403,
        "cross-origin-forbidden");
    assertThat(financeReader.api().get("/api/me").json().getString("displayName")).isEqualTo("Ada");
  }

  @Test
  void anArticlePageDoesWhatAReaderDoesThere() {
    Reader reader = Readers.register(server, "article-page");
    Api page =
        Readers.withToken(server, reader.token())
            .withOrigin(null)
            .withHeader("Origin", server.articleOrigin);

    Api.Response check = page.get("/api/entitlements");
    assertThat(check.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(check.json().getBoolean("signedIn")).isTrue();
    Api.Response preflight =
        server
            .api()
            .withOrigin(server.articleOrigin)
            .withHeader("Access-Control-Request-Method", "DELETE")
            .send("OPTIONS", "/api/session", null, null);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(server.articleOrigin);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("DELETE", "POST");
    assertThat(page.delete("/api/session").status()).isEqualTo(204);
  }

  @Test
  void aBearerTokenIsJudgedByTheTokenWhateverTheOrigin() {
    Reader reader = Readers.register(server, "bearer-origin");
    Api script =
        server
            .api()
            .withOrigin(server.articleOrigin)
            .withHeader("Authorization", "Bearer " + reader.token());
    Api.Response patched = script.patch("/api/me", json("displayName", "Scripted"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
  }

  // --- revocation wins every race -------------------------------------------------------------

  @Test
  void aSessionSignedOutWhileInUseStaysOut() throws Exception {
    Reader reader = Readers.register(server, "race-sign-out");
    assertRevocationWins(reader, r -> r.api().delete("/api/session"));
  }

  @Test
  void aSessionEndedByAPasswordChangeStaysOut() throws Exception {
    Reader reader = Readers.register(server, "race-password");
    Api laptop = Readers.signedInElsewhere(server, reader);
    assertRevocationWins(
        reader,
        r ->
            assertThat(
                    laptop
                        .post(
                            "/api/me/password",
                            json("currentPassword", r.password(), "newPassword", strongPassword()))
                        .status())
                .isEqualTo(204));
  }

  @Test
  void aSessionEndedByAResetStaysOut() throws Exception {
    Reader reader = Readers.register(server, "race-reset");
    server.api().post("/api/password-resets", json("email", reader.email()));
    String token = Readers.awaitToken(server, reader.email(), Readers.RESET_SUBJECT, 1);
    assertRevocationWins(
        reader,
        r ->
            assertThat(
                    server
                        .api()
                        .post(
                            "/api/password-resets/confirm",
                            json("token", token, "newPassword", strongPassword()))
                        .status())
                .isEqualTo(204));
  }

  @Test
  void aSessionEndedByErasureStaysOut() throws Exception {
    Reader reader = Readers.register(server, "race-erasure");
    Api laptop = Readers.signedInElsewhere(server, reader);
    assertRevocationWins(
        reader,
        r ->
            assertThat(laptop.delete("/api/me", json("password", r.password())).status())
                .isEqualTo(204));
  }

  /**
   * Eight threads use the reader's session (the article check and {@code /api/me}) as fast as they
   * can while {@code revoke} runs; from one second after its response on, every answer must be
   * signed out, for two seconds more.
   */
  private void assertRevocationWins(Reader reader, Consumer<Reader> revoke) throws Exception {
    String token = reader.token();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Instant> revokedAt = new AtomicReference<>();
    List<String> late = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> users = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean check = i % 2 == 0;
        users.add(
            pool.submit(
                () -> {
                  Api browser = Readers.withToken(server, token);
                  while (!stop.get()) {
                    Api.Response r =
                        check ? browser.get("/api/entitlements") : browser.get("/api/me");
                    boolean signedIn = check ? r.json().getBoolean("signedIn") : r.status() == 200;
                    Instant revoked = revokedAt.get();
                    if (signedIn
                        && revoked != null
                        && Instant.now().isAfter(revoked.plus(Duration.ofSeconds(1)))) {
                      late.add(r.toString());
                    }
                  }
                }));
      }
      Readers.sleep(Duration.ofMillis(300));
      revoke.accept(reader);
      revokedAt.set(Instant.now());
      Readers.sleep(Duration.ofSeconds(3));
      stop.set(true);
      for (Future<?> user : users) {
        user.get();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(late).as("answers still signed in more than 1 s after the revocation").isEmpty();
    assertProblem(Readers.withToken(server, token).get("/api/me"), 401, "unauthorized");
  }

  // --- throttling never locks the owner out ---------------------------------------------------

  @Test
  void guessersFromEverywhereNeverThrottleTheOwnersOwnBrowser() {
    Reader owner = Readers.register(server, "guessed");
    Readers.startOfAFreshWindow();
    Api ownBrowser = server.api().withDeviceCookie(owner.api().deviceCookie());
    assertThat(owner.api().deviceCookie()).as("registering left a device cookie").isNotNull();

    Api.Response throttled = null;
    for (int i = 0; i < 40 && throttled == null; i++) {
      Api.Response r = server.api().signIn(owner.email(), "guess-" + i);
      if (r.status() == 429) {
        throttled = r;
      }
    }
    assertThat(throttled).as("guessers from many addresses are throttled").isNotNull();
    assertThat(server.api().signIn(owner.email(), owner.password()).status())
        .as("a browser that never signed in waits like the guessers")
        .isEqualTo(429);

    assertThat(ownBrowser.signIn(owner.email(), owner.password()).status())
        .as("the owner's own browser is not throttled by others' failures")
        .isEqualTo(200);
  }

  @Test
  void aDeviceCookieOfAnotherAccountEarnsNoTrust() {
    Reader victim = Readers.register(server, "victim-device");
    Readers.startOfAFreshWindow();
    Reader attacker = Readers.register(server, "attacker-device");
    for (int i = 0; i < 40; i++) {
      if (server.api().signIn(victim.email(), "guess-" + i).status() == 429) {
        break;
      }
    }
    Api withOwnCookie = server.api().withDeviceCookie(attacker.api().deviceCookie());
    assertThat(withOwnCookie.signIn(victim.email(), "one-more-guess").status()).isEqualTo(429);
  }

  @Test
  void resetMailsRequestedByOthersNeverStopTheOwnersOwn() {
    Reader owner = Readers.register(server, "mail-owner");
    Readers.startOfAFreshWindow();
    Api ownBrowser = server.api().withDeviceCookie(owner.api().deviceCookie());
    int accepted = 0;
    for (int i = 0; i < 30; i++) {
      if (server.api().post("/api/password-resets", json("email", owner.email())).status() == 202) {
        accepted++;
      } else {
        break;
      }
    }
    assertThat(server.api().post("/api/password-resets", json("email", owner.email())).status())
        .as("others are throttled")
        .isEqualTo(429);

    assertThat(ownBrowser.post("/api/password-resets", json("email", owner.email())).status())
        .isEqualTo(202);
    Readers.awaitMails(
        server, owner.email(), Readers.RESET_SUBJECT, accepted + 1, Duration.ofSeconds(30));
  }

  @Test
  void wrongPasswordsOnPasswordConfirmingEndpointsAreThrottled() {
    Reader reader = Readers.register(server, "confirm-throttle");
    Readers.startOfAFreshWindow();
    Api.Response last = null;
    for (int i = 0; i < 12; i++) {
      last =
          reader
              .api()
              .post(
                  "/api/me/password",
                  json("currentPassword", "wrong-" + i, "newPassword", strongPassword()));
      if (last.status() == 429) {
        break;
      }
      assertProblem(last, 403, "wrong-password");
    }
    assertProblem(last, 429, "too-many-requests");
    assertProblem(
        reader.api().delete("/api/me", json("password", reader.password())),
        429,
        "too-many-requests");
  }

  private Api signedInAdmin() {
    Api admin = server.api();
    Api.Response signIn = admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
    return admin;
  }
}
