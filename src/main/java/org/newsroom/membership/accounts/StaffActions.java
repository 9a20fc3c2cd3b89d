package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * What supporter care does with accounts on a reader's behalf: find them, sign them out everywhere,
 * send the verification mail again. Who may call these and the audit trail are the caller's
 * business ({@code support.SupportDesk}).
 */
@ApplicationScoped
public class StaffActions {

  @PersistenceContext EntityManager em;
  @Inject Members members;
  @Inject Sessions sessions;
  @Inject OneTimeTokens tokens;
  @Inject AccountMails mails;
  @Inject Event<MemberChanged> memberChanged;

  /**
   * Members whose email (normalised) or display name (ignoring case) starts with {@code prefix};
   * with an {@code @} in it, the email only. Both are index range scans (V70's pattern-ops indexes
   * on PostgreSQL), never a scan of the table.
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<Member> search(String prefix, int limit) {
    String like = escapeLike(prefix.trim().toLowerCase(Locale.ROOT)) + "%";
    String where =
        prefix.contains("@")
            ? "m.emailNormalized LIKE :p ESCAPE '\\'"
            : "(m.emailNormalized LIKE :p ESCAPE '\\' OR LOWER(m.displayName) LIKE :p ESCAPE '\\')";
    return em.createQuery(
            "SELECT m FROM Member m WHERE "
                + where
                + " AND m.erasedAt IS NULL ORDER BY m.emailNormalized",
            Member.class)
        .setParameter("p", like)
        .setMaxResults(limit)
        .getResultList();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public List<Member> byIds(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return em.createQuery(
            "SELECT m FROM Member m WHERE m.id IN :ids AND m.erasedAt IS NULL", Member.class)
        .setParameter("ids", ids)
        .getResultList();
  }

  /** The member, or 404 (unknown or erased). */
  public Member member(UUID id) {
    return members.find(id).orElseThrow(() -> ProblemException.notFound("No such reader."));
  }

  /** Revokes every session of the member, on every instance (the session cache is shared). */
  @Transactional
  public int signOutEverywhere(UUID memberId) {
    member(memberId);
    int active = sessions.activeSessionsOf(memberId).size();
    sessions.revokeAll(memberId, null);
    memberChanged.fire(new MemberChanged(memberId));
    return active;
  }

  /** A fresh verification link (older ones stop working); 409 when the address is proven. */
  @Transactional
  public void resendVerification(UUID memberId) {
    Member member = member(memberId);
    if (member.emailVerified()) {
      throw new ProblemException(
          ProblemType.ALREADY_VERIFIED, "This reader's address is verified.");
    }
    mails.verifyEmail(
        member.id(), member.email(), tokens.issue(member, OneTimeToken.Purpose.VERIFY_EMAIL));
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
