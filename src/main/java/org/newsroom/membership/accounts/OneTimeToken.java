package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "one_time_token")
public class OneTimeToken extends MemberSecret {

  /** What a mailed token is for, and how long it stays valid. */
  public enum Purpose {
    VERIFY_EMAIL(Duration.ofHours(48)),
    RESET_PASSWORD(Duration.ofHours(1)),
    SIGN_IN_LINK(Duration.ofMinutes(15));

    final Duration lifetime;

    Purpose(Duration lifetime) {
      this.lifetime = lifetime;
    }
  }

  @Enumerated(EnumType.STRING)
  private Purpose purpose;

  private String email;

  @Column(name = "expires_at")
  private OffsetDateTime expiresAt;

  @Column(name = "used_at")
  private OffsetDateTime usedAt;

  protected OneTimeToken() {}

  OneTimeToken(String tokenHash, UUID memberId, Purpose purpose, String email, OffsetDateTime now) {
    super(tokenHash, memberId, now);
    this.purpose = purpose;
    this.email = email;
    this.expiresAt = now.plus(purpose.lifetime);
  }

  boolean usableAt(OffsetDateTime now) {
    return usedAt == null && now.isBefore(expiresAt);
  }

  void use(OffsetDateTime now) {
    usedAt = now;
  }

  Purpose purpose() {
    return purpose;
  }

  String email() {
    return email;
  }
}
