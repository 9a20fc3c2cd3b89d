package org.newsroom.membership.donations;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.AccountMails;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.SecretTokens;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.MailOutbox;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.RateLimits.Limit;
import org.newsroom.membership.platform.Timestamps;

/**
 * The rights of a donor who gave without an account: to see what is held under their address and to
 * have it erased, like a member. The address is proven by a mailed one-time link (valid one hour,
 * stored hashed); asking answers the same whether or not anything is held, so the endpoint tells
 * nobody who gave.
 */
@ApplicationScoped
public class GuestRequests {

  static final Duration VALID = Duration.ofHours(1);

  public enum Purpose {
    DATA,
    ERASE
  }

  @PersistenceContext EntityManager em;
  @Inject CheckoutRecords records;
  @Inject Contributions contributions;
  @Inject AccountMails mails;
  @Inject MailOutbox outbox;
  @Inject RateLimits rateLimits;
  @Inject AuditLog auditLog;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-email")
  int mailsPerEmailMax;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-address")
  int mailsPerAddressMax;

  private Limit perEmail;
  private Limit perAddress;

  @PostConstruct
  void defineLimits() {
    perEmail = rateLimits.define("guest-request-email", mailsPerEmailMax);
    perAddress = rateLimits.define("guest-request-address", mailsPerAddressMax);
  }

  @Transactional
  public void ask(String email, Purpose purpose, String address) {
    String normalised = Member.normalise(email);
    rateLimits.hit(perEmail, normalised);
    rateLimits.hit(perAddress, address);
    if (!records.holdsGuest(normalised)) {
      return;
    }
    String token = SecretTokens.newToken();
    OffsetDateTime now = Timestamps.now();
    em.createNativeQuery(
            "INSERT INTO guest_request (token_hash, email_normalized, purpose, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?)")
        .setParameter(1, SecretTokens.hash(token))
        .setParameter(2, normalised)
        .setParameter(3, purpose.name())
        .setParameter(4, now)
        .setParameter(5, now.plus(VALID))
        .executeUpdate();
    String link =
        publicBaseUrl
            + "/guest-data.html?purpose="
            + purpose.name().toLowerCase(java.util.Locale.ROOT)
            + "&token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    if (purpose == Purpose.DATA) {
      mails.send(
          null,
          email.trim(),
          "Your data held by us",
          "Someone (we hope you) asked to see what we hold about the gifts made with this address.",
          "Open this link within an hour to see it. If it was not you, ignore this mail.",
          link);
    } else {
      mails.send(
          null,
          email.trim(),
          "Confirm the erasure of your data",
          "Someone (we hope you) asked us to erase what we hold about the gifts made with this"
              + " address. Records of payments stay, without your address, as the law requires.",
          "Open this link within an hour to confirm. If it was not you, ignore this mail.",
          link);
    }
  }

  /** The proven request's purpose and address; 400 {@code invalid-token} otherwise. */
  private record Proven(String email, Purpose purpose) {}

  private Proven use(String token) {
    List<?> rows =
        SecretTokens.looksValid(token)
            ? em.createNativeQuery(
                    "SELECT email_normalized, purpose FROM guest_request WHERE token_hash = ?"
                        + " AND used_at IS NULL AND expires_at > ? FOR UPDATE")
                .setParameter(1, SecretTokens.hash(token))
                .setParameter(2, Timestamps.now())
                .getResultList()
            : List.of();
    if (rows.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_TOKEN,
          "This link is unknown, already used or expired. Ask for a new one.");
    }
    Object[] row = (Object[]) rows.get(0);
    em.createNativeQuery("UPDATE guest_request SET used_at = ? WHERE token_hash = ?")
        .setParameter(1, Timestamps.now())
        .setParameter(2, SecretTokens.hash(token))
        .executeUpdate();
    return new Proven(row[0].toString(), Purpose.valueOf(row[1].toString()));
  }

  @Transactional
  public Contributions.GuestData data(String token) {
    Proven proven = use(token);
    if (proven.purpose() != Purpose.DATA) {
      throw new ProblemException(ProblemType.INVALID_TOKEN, "This link is for another request.");
    }
    auditLog.recordInCurrentTransaction("guest", "guest.data-export", "guest", null);
    return contributions.guestData(proven.email());
  }

  /** Erases everything held under the address; the request rows of the address go too. */
  @Transactional
  public void erase(String token) {
    Proven proven = use(token);
    if (proven.purpose() != Purpose.ERASE) {
      throw new ProblemException(ProblemType.INVALID_TOKEN, "This link is for another request.");
    }
    contributions.eraseGuest(proven.email());
    outbox.forget(null, proven.email());
    em.createNativeQuery("DELETE FROM guest_request WHERE email_normalized = ?")
        .setParameter(1, proven.email())
        .executeUpdate();
    auditLog.recordInCurrentTransaction("guest", "guest.erased", "guest", null);
  }
}
