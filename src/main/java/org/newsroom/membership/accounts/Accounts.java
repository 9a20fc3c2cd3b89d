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
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.MailOutbox;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.RateLimits.Limit;
import org.newsroom.membership.reports.AuditLog;

/**
 * Everything a reader does with an account. Each public method is one transaction; the REST
 * resources only translate HTTP into these calls.
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
  @Inject Event<MemberChanged> memberChanged;
  @Inject Event<EmailVerified> emailVerified;
  @Inject Event<MemberErasing> memberErasing;

  @Inject
  @ConfigProperty(name = "rate-limit.window-seconds")
  long windowSeconds;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-email")
  int signInFailuresPerEmailMax;

  @Inject
  @ConfigProperty(name = "rate-limit.sign-in-failures-per-address")
  int signInFailuresPerAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.registrations-per-address")
  int registrationsPerAddressMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-email")
  int mailsPerEmailMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-address")
  int mailsPerAddressMax;

  private Limit signInFailuresPerEmail;
  private Limit signInFailuresPerAddress;
  private Limit registrationsPerAddress;
  private Limit mailsPerEmail;
  private Limit mailsPerAddress;

  @PostConstruct
  void defineLimits() {
    Duration window = Duration.ofSeconds(windowSeconds);
    signInFailuresPerEmail = new Limit("sign-in-email", signInFailuresPerEmailMax, window);
    signInFailuresPerAddress = new Limit("sign-in-address", signInFailuresPerAddressMax, window);
    registrationsPerAddress = new Limit("register-address", registrationsPerAddressMax, window);
    mailsPerEmail = new Limit("mail-email", mailsPerEmailMax, window);
    mailsPerAddress = new Limit("mail-address", mailsPerAddressMax, window);
  }

  /** A member and the token of the session just started for them. */
  public record SignedIn(Member member, String token) {}

  @Transactional
  public SignedIn register(AccountRequests.Register request, String userAgent, String address) {
    rateLimits.hit(registrationsPerAddress, address);
    passwords.checkAcceptable("password", request.password());
    if (members.findByEmail(request.email()).isPresent()) {
      SecurityEvents.email("register", request.email(), address, "email-taken");
      throw emailTaken();
    }
    Member member =
        new Member(
            request.email(),
            passwords.hash(request.password()),
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
    SecurityEvents.member("register", member.id(), address, "ok");
    return new SignedIn(member, sessions.start(member.id(), userAgent));
  }

  /**
   * Unknown emails and wrong passwords cost the same hash work and get the same answer, and are
   * throttled alike, so neither the body, the time nor the limit tells which it was.
   */
  @Transactional
  public SignedIn signIn(AccountRequests.SignIn request, String userAgent, String address) {
    String email = Member.normalise(request.email());
    rateLimits.check(signInFailuresPerEmail, email);
    rateLimits.check(signInFailuresPerAddress, address);
    Member member = members.findByEmail(email).orElse(null);
    String storedHash = member == null ? null : member.passwordHash();
    if (!passwords.matches(request.password(), storedHash)) {
      rateLimits.record(signInFailuresPerEmail, email);
      rateLimits.record(signInFailuresPerAddress, address);
      SecurityEvents.email("sign-in", email, address, "failed");
      throw new ProblemException(
          401, "invalid-credentials", "Sign-in failed", "The email or password is not right.");
    }
    if (passwords.needsRehash(storedHash)) {
      member.changePassword(passwords.hash(request.password()));
    }
    SecurityEvents.member("sign-in", member.id(), address, "ok");
    memberChanged.fire(new MemberChanged(member.id()));
    return new SignedIn(member, sessions.start(member.id(), userAgent));
  }

  public void signOut(String tokenHash, UUID memberId) {
    sessions.revoke(tokenHash);
    memberChanged.fire(new MemberChanged(memberId));
  }

  /** Answers the same for known and unknown addresses; only a member gets a mail. */
  @Transactional
  public void mailSignInLink(String email, String address) {
    throttleMail(email, address);
    members
        .findByEmail(email)
        .ifPresent(
            m ->
                mails.signInLink(
                    m.id(), m.email(), tokens.issue(m, OneTimeToken.Purpose.SIGN_IN_LINK)));
    SecurityEvents.email("sign-in-link", email, address, "requested");
  }

  @Transactional
  public SignedIn signInWithLink(String token, String userAgent, String address) {
    OneTimeToken used = tokens.use(token, OneTimeToken.Purpose.SIGN_IN_LINK);
    Member member = members.get(used.memberId());
    markVerified(member, used.email());
    SecurityEvents.member("sign-in-link", member.id(), address, "ok");
    memberChanged.fire(new MemberChanged(member.id()));
    return new SignedIn(member, sessions.start(member.id(), userAgent));
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

  @Transactional
  public void changePassword(
      UUID memberId, String tokenHash, AccountRequests.PasswordChange change, String address) {
    Member member = members.get(memberId);
    if (!passwords.matches(change.currentPassword(), member.passwordHash())) {
      SecurityEvents.member("password-change", memberId, address, "wrong-password");
      throw ProblemException.forbidden("wrong-password", "The current password is not right.");
    }
    passwords.checkAcceptable("newPassword", change.newPassword());
    member.changePassword(passwords.hash(change.newPassword()));
    sessions.revokeAll(memberId, tokenHash);
    mails.passwordChanged(member.id(), member.email());
    SecurityEvents.member("password-change", memberId, address, "ok");
  }

  @Transactional
  public void mailVerification(UUID memberId, String address) {
    Member member = members.get(memberId);
    throttleMail(member.email(), address);
    if (!member.emailVerified()) {
      mails.verifyEmail(
          member.id(), member.email(), tokens.issue(member, OneTimeToken.Purpose.VERIFY_EMAIL));
    }
  }

  @Transactional
  public void confirmVerification(String token) {
    OneTimeToken used = tokens.use(token, OneTimeToken.Purpose.VERIFY_EMAIL);
    markVerified(members.get(used.memberId()), used.email());
  }

  @Transactional
  public void mailPasswordReset(String email, String address) {
    throttleMail(email, address);
    members
        .findByEmail(email)
        .ifPresent(
            m ->
                mails.passwordReset(
                    m.id(), m.email(), tokens.issue(m, OneTimeToken.Purpose.RESET_PASSWORD)));
    SecurityEvents.email("password-reset", email, address, "requested");
  }

  @Transactional
  public void resetPassword(AccountRequests.PasswordReset reset, String address) {
    passwords.checkAcceptable("newPassword", reset.newPassword());
    OneTimeToken used = tokens.use(reset.token(), OneTimeToken.Purpose.RESET_PASSWORD);
    Member member = members.get(used.memberId());
    member.changePassword(passwords.hash(reset.newPassword()));
    // Following the mailed link proved the address as well.
    markVerified(member, used.email());
    sessions.revokeAll(member.id(), null);
    mails.passwordChanged(member.id(), member.email());
    SecurityEvents.member("password-reset", member.id(), address, "ok");
    memberChanged.fire(new MemberChanged(member.id()));
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
   * Erases the member in one transaction: sessions and mailed tokens go, consents go, mails go,
   * other features erase what they hold ({@link MemberErasing}), the member row keeps only what
   * payments need. The address can register again at once.
   */
  @Transactional
  public void delete(UUID memberId, String password, String address) {
    Member member = members.get(memberId);
    if (!passwords.matches(password, member.passwordHash())) {
      SecurityEvents.member("delete", memberId, address, "wrong-password");
      throw ProblemException.forbidden("wrong-password", "The password is not right.");
    }
    String provenEmail = member.emailVerified() ? member.email() : null;
    memberErasing.fire(new MemberErasing(memberId, provenEmail));
    outbox.forget(memberId, provenEmail);
    // Queued tied to nobody; once delivered its recipient and body are gone too.
    mails.accountDeleted(member.email());
    sessions.deleteAll(memberId);
    tokens.deleteAll(memberId);
    em.createQuery("DELETE FROM ConsentChange c WHERE c.memberId = :member")
        .setParameter("member", memberId)
        .executeUpdate();
    member.erase();
    // Committed with the erasure itself; the member id is the pseudonym payments keep.
    auditLog.recordInCurrentTransaction(
        memberId.toString(), "member.erased", memberId.toString(), null);
    SecurityEvents.member("delete", memberId, address, "ok");
    memberChanged.fire(new MemberChanged(memberId));
  }

  @Transactional
  public Member setStaffRoles(UUID adminId, AccountRequests.StaffRoles request, String address) {
    Member member =
        members
            .findByEmail(request.email())
            .orElseThrow(() -> ProblemException.notFound("No member has that email."));
    Set<Role> staff = EnumSet.noneOf(Role.class);
    staff.addAll(request.roles());
    staff.remove(Role.READER);
    Set<Role> before = EnumSet.copyOf(member.roles());
    member.grantStaffRoles(staff);
    auditLog.recordInCurrentTransaction(
        adminId.toString(),
        "staff.roles-changed",
        member.id().toString(),
        Json.createObjectBuilder()
            .add("before", before.toString())
            .add("after", member.roles().toString())
            .build());
    SecurityEvents.member("role-change by " + adminId + " to " + staff, member.id(), address, "ok");
    return member;
  }

  private void markVerified(Member member, String tokenEmail) {
    if (!member.emailVerified()
        && tokenEmail != null
        && Member.normalise(tokenEmail).equals(Member.normalise(member.email()))) {
      member.verifyEmail();
      emailVerified.fire(new EmailVerified(member.id(), member.email()));
      memberChanged.fire(new MemberChanged(member.id()));
    }
  }

  private void throttleMail(String email, String address) {
    rateLimits.hit(mailsPerEmail, Member.normalise(email));
    rateLimits.hit(mailsPerAddress, address);
  }

  private static ProblemException emailTaken() {
    return new ProblemException(
        409,
        "email-taken",
        "Email already registered",
        "An account with this email exists; sign in instead.");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
