package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A browser that signed in to the member's account before; see {@link TrustedDevices}. */
@Entity
@Table(name = "trusted_device")
public class TrustedDevice {

  @Id
  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "member_id")
  private UUID memberId;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  protected TrustedDevice() {}

  TrustedDevice(String tokenHash, UUID memberId, OffsetDateTime createdAt) {
    this.tokenHash = tokenHash;
    this.memberId = memberId;
    this.createdAt = createdAt;
  }

  UUID memberId() {
    return memberId;
  }
}
