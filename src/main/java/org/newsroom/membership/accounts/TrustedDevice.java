package org.newsroom.membership.accounts;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A browser that signed in to the member's account before; see {@link TrustedDevices}. */
@Entity
@Table(name = "trusted_device")
public class TrustedDevice extends MemberSecret {

  protected TrustedDevice() {}

  TrustedDevice(String tokenHash, UUID memberId, OffsetDateTime createdAt) {
    super(tokenHash, memberId, createdAt);
  }
}
