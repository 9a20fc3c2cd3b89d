package org.newsroom.membership.stripe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.newsroom.membership.platform.Timestamps;

/** One webhook event exactly as Stripe sent it, and how far applying it got. */
@Entity
@Table(name = "stripe_event")
public class StripeEvent {

  public enum Status {
    PENDING,
    APPLIED,
    FAILED,
    IGNORED
  }

  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration LONGEST_RETRY = Duration.ofHours(1);

  @Id private String id;
  private String type;
  private boolean livemode;

  @Column(name = "stripe_created")
  private long stripeCreated;

  private String payload;

  @Column(name = "received_at")
  private OffsetDateTime receivedAt;

  @Enumerated(EnumType.STRING)
  private Status status;

  private int attempts;

  @Column(name = "next_attempt_at")
  private OffsetDateTime nextAttemptAt;

  @Column(name = "applied_at")
  private OffsetDateTime appliedAt;

  @Column(name = "last_error")
  private String lastError;

  @Column(name = "payload_reduced_at")
  private OffsetDateTime payloadReducedAt;

  protected StripeEvent() {}

  StripeEvent(
      String id, String type, boolean livemode, long created, String payload, Status status) {
    this.id = id;
    this.type = type;
    this.livemode = livemode;
    this.stripeCreated = created;
    this.payload = payload;
    this.receivedAt = Timestamps.now();
    this.status = status;
    this.nextAttemptAt = receivedAt;
  }

  void applied() {
    attempts++;
    status = Status.APPLIED;
    appliedAt = Timestamps.now();
    lastError = null;
  }

  /** The payload with the personal fields of an erased person removed; ids and amounts stay. */
  void redact(String redactedPayload) {
    payload = redactedPayload;
  }

  void ignored(String why) {
    status = Status.IGNORED;
    lastError = why;
  }

  /** Exponential backoff, capped at an hour, never given up: the admin inbox shows what fails. */
  void failed(String error) {
    attempts++;
    status = Status.FAILED;
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
    if (wait.compareTo(LONGEST_RETRY) > 0) {
      wait = LONGEST_RETRY;
    }
    nextAttemptAt = Timestamps.now().plus(wait);
    String message = error == null ? "unknown" : error;
    lastError = message.substring(0, Math.min(message.length(), 1000));
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public boolean livemode() {
    return livemode;
  }

  public long stripeCreated() {
    return stripeCreated;
  }

  public String payload() {
    return payload;
  }

  public OffsetDateTime receivedAt() {
    return receivedAt;
  }

  public Status status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  /** Retention left only id, type and status: there is nothing left to apply. */
  public boolean reduced() {
    return payloadReducedAt != null;
  }

  OffsetDateTime nextAttemptAt() {
    return nextAttemptAt;
  }

  public String lastError() {
    return lastError;
  }
}
