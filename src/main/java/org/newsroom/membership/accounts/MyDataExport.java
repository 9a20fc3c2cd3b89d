package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.newsroom.membership.platform.MailOutbox;
import org.newsroom.membership.platform.Timestamps;

/**
 * {@code GET /api/me/data}: everything held about the member. Accounts supplies the profile,
 * consents, sessions and mails; other features add their sections (contributions with cancel
 * reasons, payments, checkout attempts) by observing {@link MyDataRequested}, so this class never
 * reads their tables. Sessions are the active ones only: a revoked or expired session signs nobody
 * in and is deleted by retention.
 */
@ApplicationScoped
public class MyDataExport {

  @Inject Accounts accounts;
  @Inject SupporterStatus supporterStatus;
  @Inject Event<MyDataRequested> requested;
  @Inject MailOutbox outbox;

  @Inject @ConfigProperties SessionSettings settings;

  public record Document(
      MemberView member,
      List<Consent> consents,
      List<SessionInfo> sessions,
      Object recurring,
      Object payments,
      Object checkoutAttempts,
      List<MailOutbox.MailRecord> mails,
      Map<String, Object> other) {}

  public record Consent(String consent, boolean granted, Instant changedAt) {}

  public record SessionInfo(Instant createdAt, Instant lastSeenAt, String userAgent) {}

  /** Observers put their sections under their names, e.g. "recurring" and "payments". */
  public record MyDataRequested(UUID memberId, Map<String, Object> sections) {}

  public Document of(UUID memberId) {
    Accounts.MyData data = accounts.dataOf(memberId);
    Map<String, Object> sections = new LinkedHashMap<>();
    sections.put("recurring", List.of());
    sections.put("payments", List.of());
    sections.put("checkoutAttempts", List.of());
    requested.fire(new MyDataRequested(memberId, sections));
    Object recurring = sections.remove("recurring");
    Object payments = sections.remove("payments");
    Object checkoutAttempts = sections.remove("checkoutAttempts");
    OffsetDateTime now = Timestamps.now();
    return new Document(
        MemberView.of(data.member(), supporterStatus.isSupporter(memberId)),
        data.consents().stream()
            .map(c -> new Consent(c.consent(), c.granted(), c.changedAt().toInstant()))
            .toList(),
        data.sessions().stream()
            .filter(s -> s.absoluteExpiresAt().isAfter(now))
            .filter(s -> s.lastSeenAt().plus(settings.idleTimeout()).isAfter(now))
            .map(
                s ->
                    new SessionInfo(
                        s.createdAt().toInstant(), s.lastSeenAt().toInstant(), s.userAgent()))
            .toList(),
        recurring,
        payments,
        checkoutAttempts,
        outbox.of(memberId),
        sections.isEmpty() ? null : sections);
  }
}
