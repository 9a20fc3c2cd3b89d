package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A secret a member's browser or mailbox holds (a session, a trusted-device cookie, a mailed link)
 * that this service keeps only as its hash ({@link SecretTokens}): a leaked table opens nothing.
 * The hash is the key, since the secret is all a request brings.
 */
@MappedSuperclass
public abstract class MemberSecret {

  @Id
  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "member_id")
  private UUID memberId;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  protected MemberSecret() {}

  MemberSecret(String tokenHash, UUID memberId, OffsetDateTime createdAt) {
    this.tokenHash = tokenHash;
    this.memberId = memberId;
    this.createdAt = createdAt;
  }

  String tokenHash() {
    return tokenHash;
  }

  UUID memberId() {
    return memberId;
  }

  OffsetDateTime createdAt() {
    return createdAt;
  }
}
