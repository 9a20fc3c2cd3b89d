package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Queues mail in the caller's transaction: the mail exists exactly when the change that caused it
 * committed. {@link MailSender} delivers it.
 */
@ApplicationScoped
public class MailOutbox {

  @PersistenceContext EntityManager em;

  /**
   * Queues a mail; {@code memberId} is the member it is about (null for mail that must not be tied
   * to anyone, such as the confirmation of an erasure).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void queue(
      UUID memberId, String recipient, String subject, String textBody, String htmlBody) {
    queue(memberId, recipient, subject, textBody, htmlBody, null);
  }

  /** As above, carrying one file (a statement's PDF). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void queue(
      UUID memberId,
      String recipient,
      String subject,
      String textBody,
      String htmlBody,
      Attachment attachment) {
    OffsetDateTime now = Timestamps.now();
    // Without a file its columns are left out rather than bound to NULL: a NULL bound as text
    // is not a bytea to PostgreSQL.
    var insert =
        em.createNativeQuery(
                "INSERT INTO mail_outbox (id, member_id, recipient, subject, text_body, html_body,"
                    + " created_at, next_attempt_at"
                    + (attachment == null
                        ? ") VALUES (?, CAST(? AS UUID), ?, ?, ?, ?, ?, ?)"
                        : ", attachment_name, attachment_type, attachment)"
                            + " VALUES (?, CAST(? AS UUID), ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            .setParameter(1, UUID.randomUUID())
            .setParameter(2, memberId)
            .setParameter(3, recipient)
            .setParameter(4, subject)
            .setParameter(5, textBody)
            .setParameter(6, htmlBody)
            .setParameter(7, now)
            .setParameter(8, now);
    if (attachment != null) {
      insert
          .setParameter(9, attachment.name())
          .setParameter(10, attachment.contentType())
          .setParameter(11, attachment.content());
    }
    insert.executeUpdate();
  }

  /** What the member's data export shows of a mail: never its body or link. */
  public record MailRecord(String subject, Instant queuedAt, Instant sentAt) {}

  @Transactional(Transactional.TxType.SUPPORTS)
  public List<MailRecord> of(UUID memberId) {
    List<Object[]> rows =
        castRows(
            em.createNativeQuery(
                    "SELECT subject, created_at, sent_at FROM mail_outbox WHERE member_id = ?"
                        + " ORDER BY created_at")
                .setParameter(1, memberId)
                .getResultList());
    return rows.stream()
        .map(r -> new MailRecord((String) r[0], instant(r[1]), instant(r[2])))
        .toList();
  }

  /**
   * Part of an erasure: every mail of the member goes, sent or not, and every mail to the address
   * when it was proven theirs ({@code email} null otherwise).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void forget(UUID memberId, String email) {
    em.createNativeQuery(
            "DELETE FROM mail_outbox WHERE member_id = CAST(? AS UUID) OR LOWER(recipient) = ?")
        .setParameter(1, memberId)
        .setParameter(2, email == null ? "" : email.trim().toLowerCase(Locale.ROOT))
        .executeUpdate();
  }

  @SuppressWarnings("unchecked")
  private static List<Object[]> castRows(List<?> rows) {
    return (List<Object[]>) rows;
  }

  static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof Instant i) {
      return i;
    }
    return OffsetDateTime.parse(value.toString().replace(' ', 'T')).toInstant();
  }
}
