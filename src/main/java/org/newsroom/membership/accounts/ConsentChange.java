package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

@Entity
@Table(name = "consent_change")
public class ConsentChange {

  public static final String MARKETING = "MARKETING";

  @Id private UUID id;

  @Column(name = "member_id")
  private UUID memberId;

  private String consent;
  private boolean granted;

  @Column(name = "changed_at")
  private OffsetDateTime changedAt;

  protected ConsentChange() {}

  ConsentChange(UUID memberId, String consent, boolean granted) {
    this.id = UUID.randomUUID();
    this.memberId = memberId;
    this.consent = consent;
    this.granted = granted;
    this.changedAt = Timestamps.now();
  }

  String consent() {
    return consent;
  }

  boolean granted() {
    return granted;
  }

  OffsetDateTime changedAt() {
    return changedAt;
  }
}
