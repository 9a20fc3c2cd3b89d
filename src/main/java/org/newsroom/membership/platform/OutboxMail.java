package org.newsroom.membership.platform;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "mail_outbox")
public class OutboxMail {

  private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  private static final Duration LONGEST_RETRY = Duration.ofHours(1);

  @Id private UUID id;

  // member_id (who the mail was about) is written by MailOutbox's insert and read by its queries
  // only: EclipseLink 4.0.7 cannot read a NULL UUID column into an entity field.

  private String recipient;
  private String subject;

  @Column(name = "text_body")
  private String textBody;

  @Column(name = "html_body")
  private String htmlBody;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  @Column(name = "next_attempt_at")
  private OffsetDateTime nextAttemptAt;

  private int attempts;

  @Column(name = "sent_at")
  private OffsetDateTime sentAt;

  @Column(name = "last_error")
  private String lastError;

  @Column(name = "attachment_name")
  private String attachmentName;

  @Column(name = "attachment_type")
  private String attachmentType;

  private byte[] attachment;

  protected OutboxMail() {}

  /**
   * Delivered: the recipient and the bodies go at once. A body may hold a working one-time link
   * (sign-in, reset, verification), and the database must never hold a usable token; the subject
   * and times stay for the member's own data export until retention removes the row.
   */
  void sent() {
    attempts++;
    sentAt = Timestamps.now();
    lastError = null;
    recipient = null;
    textBody = null;
    htmlBody = null;
    attachment = null;
  }

  /** Exponential backoff, capped, and never given up: a mail server may be down for a day. */
  void failed(String error) {
    attempts++;
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
    if (wait.compareTo(LONGEST_RETRY) > 0) {
      wait = LONGEST_RETRY;
    }
    nextAttemptAt = Timestamps.now().plus(wait);
    lastError = error == null ? "unknown" : error.substring(0, Math.min(error.length(), 500));
  }

  /** The one file the mail carries; null when it carries none. */
  Attachment attachment() {
    return attachment == null ? null : new Attachment(attachmentName, attachmentType, attachment);
  }

  UUID id() {
    return id;
  }

  String recipient() {
    return recipient;
  }

  String subject() {
    return subject;
  }

  String textBody() {
    return textBody;
  }

  String htmlBody() {
    return htmlBody;
  }
}
