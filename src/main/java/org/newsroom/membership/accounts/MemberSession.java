package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "member_session")
public class MemberSession extends MemberSecret {

  @Column(name = "last_seen_at")
  private OffsetDateTime lastSeenAt;

  @Column(name = "absolute_expires_at")
  private OffsetDateTime absoluteExpiresAt;

  @Column(name = "user_agent")
  private String userAgent;

  @Column(name = "revoked_at")
  private OffsetDateTime revokedAt;

  protected MemberSession() {}

  MemberSession(
      String tokenHash,
      UUID memberId,
      OffsetDateTime now,
      OffsetDateTime absoluteExpiresAt,
      String userAgent) {
    super(tokenHash, memberId, now);
    this.lastSeenAt = now;
    this.absoluteExpiresAt = absoluteExpiresAt;
    this.userAgent =
        userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 300));
  }

  void revoke(OffsetDateTime now) {
    if (revokedAt == null) {
      revokedAt = now;
    }
  }

  OffsetDateTime lastSeenAt() {
    return lastSeenAt;
  }

  OffsetDateTime absoluteExpiresAt() {
    return absoluteExpiresAt;
  }

  String userAgent() {
    return userAgent;
  }

  boolean revoked() {
    return revokedAt != null;
  }
}
