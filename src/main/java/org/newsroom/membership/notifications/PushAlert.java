package org.newsroom.membership.notifications;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An alert an editor sent; its deliveries are rows of {@code push_delivery}. */
@Entity
@Table(name = "push_alert")
public class PushAlert {

  private static final int DEFAULT_TTL = 3600;

  @Id private UUID id;
  private String topic;
  private String title;
  private String body;
  private String url;

  @Column(name = "ttl_seconds")
  private int ttl;

  private String urgency;

  @Column(name = "sent_by")
  private UUID sentBy;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  private int recipients;

  protected PushAlert() {}

  /**
   * What the editor sent; without a TTL an alert lives an hour, without an urgency it is normal.
   */
  PushAlert(UUID id, Alerts.SendAlert sent, UUID sentBy, OffsetDateTime createdAt) {
    this.id = id;
    this.topic = sent.topic();
    this.title = sent.title();
    this.body = sent.body();
    this.url = sent.url();
    this.ttl = sent.ttl() == null ? DEFAULT_TTL : sent.ttl();
    this.urgency = sent.urgency() == null ? "normal" : sent.urgency();
    this.sentBy = sentBy;
    this.createdAt = createdAt;
  }

  void fannedOutTo(int recipients) {
    this.recipients = recipients;
  }

  UUID id() {
    return id;
  }

  String topic() {
    return topic;
  }

  String title() {
    return title;
  }

  String body() {
    return body;
  }

  String url() {
    return url;
  }

  int ttl() {
    return ttl;
  }

  String urgency() {
    return urgency;
  }

  OffsetDateTime createdAt() {
    return createdAt;
  }

  int recipients() {
    return recipients;
  }
}
