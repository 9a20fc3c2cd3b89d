package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

/**
 * OWASP's device cookies ("Slow Down Online Guessing Attacks with Device Cookies"): a successful
 * sign-in leaves a long-lived cookie naming the browser as one the member used. Sign-in failures
 * and mail requests from such a browser count against that browser alone, so an attacker who
 * guesses passwords or requests mails for the address from elsewhere never throttles the owner.
 */
@ApplicationScoped
public class TrustedDevices {

  @PersistenceContext EntityManager em;

  /** Remembers this browser for the member; returns the cookie's value. */
  @Transactional(Transactional.TxType.MANDATORY)
  public String trust(UUID memberId) {
    String token = SecretTokens.newToken();
    em.persist(new TrustedDevice(SecretTokens.hash(token), memberId, Timestamps.now()));
    return token;
  }

  /**
   * The device's key for rate limits when the presented cookie names a browser this member signed
   * in with; null when it does not (no cookie, another member's, forgotten or made up).
   */
  @Transactional
  public String trustedKey(String cookie, UUID memberId) {
    if (memberId == null || !SecretTokens.looksValid(cookie)) {
      return null;
    }
    String hash = SecretTokens.hash(cookie);
    TrustedDevice device = em.find(TrustedDevice.class, hash);
    return device != null && device.memberId().equals(memberId) ? hash : null;
  }

  /**
   * Forgets every browser of the member: when the owner proves the address or resets the password,
   * whoever signed in before (a squatter, someone who knew the old password) is trusted no more.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void forgetAll(UUID memberId) {
    em.createQuery("DELETE FROM TrustedDevice d WHERE d.memberId = :member")
        .setParameter("member", memberId)
        .executeUpdate();
  }
}
