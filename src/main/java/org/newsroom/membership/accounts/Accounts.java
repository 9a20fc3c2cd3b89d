package org.newsroom.membership.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.MailOutbox;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.RateLimits.Limit;
import org.newsroom.membership.platform.Transactions;

/**
 * Everything a reader does with an account; the REST resources only translate HTTP into these
 * calls. Methods that hash or check a password do it outside any transaction (a hash takes tens of
 * milliseconds and waits for a permit) and write in a short one after; the others are one
 * transaction each.
 */
@ApplicationScoped
public class Accounts {

  @PersistenceContext EntityManager em;
  @Inject Members members;
  @Inject Passwords passwords;
  @Inject Sessions sessions;
  @Inject OneTimeTokens tokens;
  @Inject AccountMails mails;
  @Inject MailOutbox outbox;
  @Inject AuditLog auditLog;
  @Inject RateLimits rateLimits;
  @Inject TrustedDevices devices;
  @Inject Transactions tx;
  @Inject Event<MemberChanged> memberChanged;
  @Inject Event<EmailVerified> emailVerified;
  @Inject Event<MemberErasing> memberErasing;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-email")
  int signInFailuresPerEmailMax;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-email-and-address")
  int signInFailuresPerEmailAndAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-device")
  int signInFailuresPerDeviceMax;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-address")
  int signInFailuresPerAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.wrong-passwords-per-member")
  int wrongPasswordsPerMemberMax;

  @Inject
  @ConfigProperty(name = "rate-limit.registrations-per-address")
  int registrationsPerAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-email")
  int mailsPerEmailMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-email-and-address")
  int mailsPerEmailAndAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-device")
  int mailsPerDeviceMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-address")
  int mailsPerAddressMax;

  private Limit signInFailuresPerEmail;
  private Limit signInFailuresPerEmailAndAddress;
  private Limit signInFailuresPerDevice;
  private Limit signInFailuresPerAddress;
  private Limit wrongPasswordsPerMember;
  private Limit registrationsPerAddress;
  private Limit mailsPerEmail;
  private Limit mailsPerEmailAndAddress;
  private Limit mailsPerDevice;
  private Limit mailsPerAddress;

  @PostConstruct
  void defineLimits() {
    signInFailuresPerEmail = rateLimits.define("sign-in-email", signInFailuresPerEmailMax);
    signInFailuresPerEmailAndAddress =
        rateLimits.define("sign-in-email-address", signInFailuresPerEmailAndAddressMax);
    signInFailuresPerDevice = rateLimits.define("sign-in-device", signInFailuresPerDeviceMax);
    signInFailuresPerAddress = rateLimits.define("sign-in-address", signInFailuresPerAddressMax);
    wrongPasswordsPerMember =
        rateLimits.define("wrong-password-member", wrongPasswordsPerMemberMax);
    registrationsPerAddress = rateLimits.define("register-address", registrationsPerAddressMax);
    mailsPerEmail = rateLimits.define("mail-email", mailsPerEmailMax);
    mailsPerEmailAndAddress = rateLimits.define("mail-email-address", mailsPerEmailAndAddressMax);
    mailsPerDevice = rateLimits.define("mail-device", mailsPerDeviceMax);
    mailsPerAddress = rateLimits.define("mail-address", mailsPerAddressMax);
  }

  /**
   * A member and the token of the session just started for them, and the device cookie to set when
   * this browser was not yet trusted for the member (null otherwise).
   */
  public record SignedIn(Member member, String token, String deviceCookie) {}

  /** Who asks: the client address, and the device cookie the browser presented, if any. */
  public record Client(String address, String deviceCookie, String userAgent) {}

  /**
   * The password is hashed before the transaction starts, so a queue of hashes holds no connection.
   */
  public SignedIn register(AccountRequests.Register request, Client client) {
    rateLimits.hit(registrationsPerAddress, client.address());
    passwords.checkAcceptable("password", request.password());
    if (tx.call(() -> members.findByEmail(request.email()).isPresent())) {
      SecurityEvents.email("register", request.email(), client.address(), "email-taken");
      throw emailTaken();
    }
    String hash = passwords.hash(request.password());
    return tx.call(
        () -> {
          Member member =
              new Member(
                  request.email(),
                  hash,
                  blankToNull(request.displayName()),
                  Boolean.TRUE.equals(request.marketingConsent()));
          em.persist(member);
          try {
            em.flush();
          } catch (PersistenceException raceWithAnotherRegistration) {
            throw emailTaken();
          }
          if (member.marketingConsent()) {
            em.persist(new ConsentChange(member.id(), ConsentChange.MARKETING, true));
          }
          mails.verifyEmail(
              member.id(), member.email(), tokens.issue(member, OneTimeToken.Purpose.VERIFY_EMAIL));
          SecurityEvents.member("register", member.id(), client.address(), "ok");
          return new SignedIn(
              member, sessions.start(member.id(), client.userAgent()), devices.trust(member.id()));
        });
  }

  /**
   * Unknown emails and wrong passwords cost the same hash work and get the same answer, and are
   * throttled alike, so neither the body, the time nor the limit tells which it was. A browser that
   * signed in to the account before is throttled only by its own failures; every other client by
   * the account's failures from untrusted clients, its own address's, and the pair of both.
   */
  public SignedIn signIn(AccountRequests.SignIn request, Client client) {
    String email = Member.normalise(request.email());
    Member member = tx.call(() -> members.findByEmail(email).orElse(null));
    String device = member == null ? null : devices.trustedKey(client.deviceCookie(), member.id());
    Map<Limit, String> counted =
        device != null
            ? Map.of(signInFailuresPerDevice, device)
            : Map.of(
                signInFailuresPerEmail,
                email,
                signInFailuresPerEmailAndAddress,
                email + '|' + client.address(),
                signInFailuresPerAddress,
                client.address());
    counted.forEach(rateLimits::check);
    String storedHash = member == null ? null : member.passwordHash();
    if (!passwords.matches(request.password(), storedHash)) {
      counted.forEach(rateLimits::record);
      SecurityEvents.email("sign-in", email, client.address(), "failed");
      throw invalidCredentials();
    }
    String rehash = passwords.needsRehash(storedHash) ? passwords.hash(request.password()) : null;
    return tx.call(
        () -> {
          Member current = members.get(member.id());
          if (!storedHash.equals(current.passwordHash())) {
            // The password changed (or was removed) while this one was being checked.
            throw invalidCredentials();
          }
          if (rehash != null) {
            current.changePassword(rehash);
          }
          SecurityEvents.member("sign-in", current.id(), client.address(), "ok");
          memberChanged.fire(new MemberChanged(current.id()));
          return new SignedIn(
              current,
              sessions.start(current.id(), client.userAgent()),
              device == null ? devices.trust(current.id()) : null);
        });
  }

  public void signOut(String tokenHash, UUID memberId) {
    sessions.revoke(tokenHash);
    memberChanged.fire(new MemberChanged(memberId));
  }

  /** Answers the same for known and unknown addresses; only a member gets a mail. */
  @Transactional
  public void mailSignInLink(String email, Client client) {
    mailLink(
        email,
        client,
        OneTimeToken.Purpose.SIGN_IN_LINK,
        (m, token) -> mails.signInLink(m.id(), m.email(), token));
  }

  /** Answers the same for known and unknown addresses; only a member gets a mail. */
  @Transactional
  public void mailPasswordReset(String email, Client client) {
    mailLink(
        email,
        client,
        OneTimeToken.Purpose.RESET_PASSWORD,
        (m, token) -> mails.passwordReset(m.id(), m.email(), token));
  }

  private void mailLink(
      String email,
      Client client,
      OneTimeToken.Purpose purpose,
      java.util.function.BiConsumer<Member, String> send) {
    Optional<Member> member = members.findByEmail(email);
    throttleMail(email, member, client);
    member.ifPresent(m -> send.accept(m, tokens.issue(m, purpose)));
    SecurityEvents.email(
        purpose.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        email,
        client.address(),
        "requested");
  }

  /**
   * Signing in with a mailed link proves the address: every other session of the account ends, and
   * a password set before the address was proved is removed (whoever registered it may not have
   * been its owner; the owner sets one by reset).
   */
  @Transactional
  public SignedIn signInWithLink(String token, Client client) {
    OneTimeToken used = tokens.use(token, OneTimeToken.Purpose.SIGN_IN_LINK);
    Member member = members.get(used.memberId());
    if (!member.emailVerified()) {
      member.changePassword(null);
    }
    proveAddress(member, used.email(), null);
    SecurityEvents.member("sign-in-link", member.id(), client.address(), "ok");
    memberChanged.fire(new MemberChanged(member.id()));
    return new SignedIn(
        member, sessions.start(member.id(), client.userAgent()), devices.trust(member.id()));
  }

  @Transactional
  public Member changeProfile(UUID memberId, AccountRequests.ProfileChange change) {
    Member member = members.get(memberId);
    if (change.displayName() != null) {
      member.rename(blankToNull(change.displayName()));
    }
    if (change.marketingConsent() != null
        && member.setMarketingConsent(change.marketingConsent())) {
      em.persist(new ConsentChange(memberId, ConsentChange.MARKETING, change.marketingConsent()));
    }
    memberChanged.fire(new MemberChanged(memberId));
    return member;
  }

  public void changePassword(
      UUID memberId, String tokenHash, AccountRequests.PasswordChange change, String address) {
    String currentHash =
        confirmPassword(memberId, change.currentPassword(), "password-change", address);
    passwords.checkAcceptable("newPassword", change.newPassword());
    String newHash = passwords.hash(change.newPassword());
    tx.run(
        () -> {
          Member member = members.get(memberId);
          if (!currentHash.equals(member.passwordHash())) {
            throw wrongPassword();
          }
          member.changePassword(newHash);
          sessions.revokeAll(memberId, tokenHash);
          mails.passwordChanged(member.id(), member.email());
          SecurityEvents.member("password-change", memberId, address, "ok");
        });
  }

  @Transactional
  public void mailVerification(UUID memberId, Client client) {
    Member member = members.get(memberId);
    throttleMail(member.email(), Optional.of(member), client);
    if (!member.emailVerified()) {
      mails.verifyEmail(
          member.id(), member.email(), tokens.issue(member, OneTimeToken.Purpose.VERIFY_EMAIL));
    }
  }

  /**
   * Confirms the address from the mailed link, for a client signed in as that member or one that
   * knows the account's password: the link alone proves only that someone read the mail, and
   * confirming signs every other session out.
   */
  public void confirmVerification(
      AccountRequests.VerificationConfirmation confirmation, Caller caller, String address) {
    OneTimeToken pending =
        tx.call(() -> tokens.peek(confirmation.token(), OneTimeToken.Purpose.VERIFY_EMAIL));
    UUID memberId = pending.memberId();
    boolean signedInAsMember = caller.isSignedIn() && caller.memberId().equals(memberId);
    if (!signedInAsMember) {
      if (confirmation.password() == null) {
        throw signInRequired();
      }
      try {
        confirmPassword(memberId, confirmation.password(), "verify-email", address);
      } catch (ProblemException wrongPassword) {
        if (wrongPassword.status() == 403) {
          throw signInRequired();
        }
        throw wrongPassword;
      }
    }
    tx.run(
        () -> {
          OneTimeToken used = tokens.use(confirmation.token(), OneTimeToken.Purpose.VERIFY_EMAIL);
          proveAddress(
              members.get(used.memberId()),
              used.email(),
              signedInAsMember ? caller.tokenHash() : null);
        });
  }

  /**
   * "I did not create this account": the owner of the address, holding the mailed link, erases an
   * unverified account someone else registered with it, so the address can register again.
   */
  @Transactional
  public void declineVerification(String token, String address) {
    OneTimeToken used = tokens.use(token, OneTimeToken.Purpose.VERIFY_EMAIL);
    Member member = members.get(used.memberId());
    if (member.emailVerified()) {
      throw new ProblemException(
          ProblemType.ALREADY_VERIFIED,
          "This address was already confirmed by its owner; sign in to manage the account.");
    }
    erase(member, address, "decline");
  }

  /** The token is checked before the new password is hashed, and used after, in a short write. */
  public void resetPassword(AccountRequests.PasswordReset reset, String address) {
    passwords.checkAcceptable("newPassword", reset.newPassword());
    tx.call(() -> tokens.peek(reset.token(), OneTimeToken.Purpose.RESET_PASSWORD));
    String newHash = passwords.hash(reset.newPassword());
    tx.run(
        () -> {
          OneTimeToken used = tokens.use(reset.token(), OneTimeToken.Purpose.RESET_PASSWORD);
          Member member = members.get(used.memberId());
          member.changePassword(newHash);
          // Following the mailed link proved the address as well.
          proveAddress(member, used.email(), null);
          mails.passwordChanged(member.id(), member.email());
          SecurityEvents.member("password-reset", member.id(), address, "ok");
          memberChanged.fire(new MemberChanged(member.id()));
        });
  }

  public record MyData(Member member, List<ConsentChange> consents, List<MemberSession> sessions) {}

  @Transactional
  public MyData dataOf(UUID memberId) {
    Member member = members.get(memberId);
    List<ConsentChange> consents =
        em.createQuery(
                "SELECT c FROM ConsentChange c WHERE c.memberId = :member ORDER BY c.changedAt",
                ConsentChange.class)
            .setParameter("member", memberId)
            .getResultList();
    return new MyData(member, consents, sessions.activeSessionsOf(memberId));
  }

  /**
   * Erases the member: the password is checked first, outside any transaction, then one transaction
   * removes sessions, mailed tokens and consents, and the member row keeps only what payments need.
   * The address can register again at once.
   */
  public void delete(UUID memberId, String password, String address) {
    confirmPassword(memberId, password, "delete", address);
    tx.run(() -> erase(members.get(memberId), address, "delete"));
  }

  /**
   * Erases the member in the caller's transaction: sessions, trusted browsers, mailed tokens,
   * consents and mails go, other features erase what they hold ({@link MemberErasing}), and the
   * member row keeps only what payments need. The address can register again at once.
   */
  private void erase(Member member, String address, String why) {
    UUID memberId = member.id();
    String provenEmail = member.emailVerified() ? member.email() : null;
    memberErasing.fire(new MemberErasing(memberId, provenEmail));
    outbox.forget(memberId, provenEmail);
    // Queued tied to nobody; once delivered its recipient and body are gone too.
    mails.accountDeleted(member.email());
    sessions.deleteAll(memberId);
    devices.forgetAll(memberId);
    tokens.deleteAll(memberId);
    em.createQuery("DELETE FROM ConsentChange c WHERE c.memberId = :member")
        .setParameter("member", memberId)
        .executeUpdate();
    member.erase();
    // Committed with the erasure itself; the member id is the pseudonym payments keep.
    auditLog.recordInCurrentTransaction(
        memberId.toString(), "member.erased", memberId.toString(), null);
    SecurityEvents.member(why, memberId, address, "ok");
    memberChanged.fire(new MemberChanged(memberId));
  }

  /**
   * Sets the member's staff roles to exactly those given (READER always stays) and signs the member
   * out everywhere, so no session started before the change carries it. A staff role needs a
   * verified address; the last ADMIN cannot be removed (the admins' rows are locked while counted,
   * so two admins demoting each other at once cannot both succeed).
   */
  @Transactional
  public Member setStaffRoles(UUID adminId, AccountRequests.StaffRoles request, String address) {
    if (request.roles().contains(null)) {
      throw ProblemException.validation("roles", "must name known roles");
    }
    Member member =
        members
            .findByEmail(request.email())
            .orElseThrow(() -> ProblemException.notFound("No member has that email."));
    Set<Role> staff = EnumSet.noneOf(Role.class);
    staff.addAll(request.roles());
    staff.remove(Role.READER);
    if (!staff.isEmpty() && !member.emailVerified()) {
      throw new ProblemException(
          ProblemType.EMAIL_UNVERIFIED,
          "Staff roles are granted only to an account whose address is verified.");
    }
    if (member.hasRole(Role.ADMIN) && !staff.contains(Role.ADMIN) && lockAdmins().size() <= 1) {
      throw new ProblemException(
          ProblemType.LAST_ADMIN, "This change would leave the service with no ADMIN.");
    }
    Set<Role> before = EnumSet.copyOf(member.roles());
    member.grantStaffRoles(staff);
    sessions.revokeAll(member.id(), null);
    auditLog.recordInCurrentTransaction(
        adminId.toString(),
        "staff.roles-changed",
        member.id().toString(),
        Json.createObjectBuilder()
            .add("before", before.toString())
            .add("after", member.roles().toString())
            .build());
    memberChanged.fire(new MemberChanged(member.id()));
    SecurityEvents.member("role-change by " + adminId + " to " + staff, member.id(), address, "ok");
    return member;
  }

  @SuppressWarnings("unchecked")
  private List<Object> lockAdmins() {
    return em.createNativeQuery(
            "SELECT id FROM member WHERE roles LIKE '%ADMIN%' AND erased_at IS NULL FOR UPDATE")
        .getResultList();
  }

  /**
   * Proving the address (a confirmed verification, a link sign-in, a reset) ends every other
   * session and forgets every trusted browser of the account: whoever registered the address before
   * its owner keeps nothing. Guest gifts and the Stripe customer attach from here on.
   */
  private void proveAddress(Member member, String tokenEmail, String keepSessionHash) {
    if (tokenEmail == null
        || !Member.normalise(tokenEmail).equals(Member.normalise(member.email()))) {
      return;
    }
    sessions.revokeAll(member.id(), keepSessionHash);
    devices.forgetAll(member.id());
    if (!member.emailVerified()) {
      member.verifyEmail();
      emailVerified.fire(new EmailVerified(member.id(), member.email()));
    }
    memberChanged.fire(new MemberChanged(member.id()));
  }

  /**
   * Checks a signed-in member's password for an action that needs it, outside any transaction; at
   * most {@code rate-limit.wrong-passwords-per-member} wrong ones per window. Returns the hash that
   * matched, so the action can make sure it did not change meanwhile.
   */
  private String confirmPassword(UUID memberId, String password, String action, String address) {
    String subject = memberId.toString();
    rateLimits.check(wrongPasswordsPerMember, subject);
    String hash = tx.call(() -> members.get(memberId).passwordHash());
    if (!passwords.matches(password, hash)) {
      rateLimits.record(wrongPasswordsPerMember, subject);
      SecurityEvents.member(action, memberId, address, "wrong-password");
      throw wrongPassword();
    }
    return hash;
  }

  /**
   * Mail limits: a browser trusted for the account counts against itself alone, so requests that
   * others made for the address never stop the owner from getting a link; everyone else counts
   * against the address, the pair of address and client, and the client.
   */
  private void throttleMail(String email, Optional<Member> member, Client client) {
    String normalised = Member.normalise(email);
    String device = member.map(m -> devices.trustedKey(client.deviceCookie(), m.id())).orElse(null);
    if (device != null) {
      rateLimits.hit(mailsPerDevice, device);
      return;
    }
    rateLimits.hit(mailsPerEmailAndAddress, normalised + '|' + client.address());
    rateLimits.hit(mailsPerEmail, normalised);
    rateLimits.hit(mailsPerAddress, client.address());
  }

  private static ProblemException invalidCredentials() {
    return new ProblemException(
        ProblemType.INVALID_CREDENTIALS, "The email or password is not right.");
  }

  private static ProblemException wrongPassword() {
    return new ProblemException(ProblemType.WRONG_PASSWORD, "The password is not right.");
  }

  private static ProblemException signInRequired() {
    return new ProblemException(
        ProblemType.SIGN_IN_REQUIRED,
        "Sign in to this account, or give its password, to confirm the address.");
  }

  private static ProblemException emailTaken() {
    return new ProblemException(
        ProblemType.EMAIL_TAKEN, "An account with this email exists; sign in instead.");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
