package org.newsroom.membership.notifications;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.newsroom.membership.donations.NullSafeMappings;
import org.newsroom.membership.donations.NullableUuid;

/** One browser's push subscription and the topics its reader chose; see {@link Subscriptions}. */
@Entity
@Table(name = "push_subscription")
@org.eclipse.persistence.annotations.Customizer(NullSafeMappings.class)
public class PushSubscription {

  @Id private UUID id;

  private String endpoint;

  private String p256dh;

  private String auth;

  // Anonymous readers' subscriptions have none.
  @Convert(converter = NullableUuid.class)
  @Column(name = "member_id")
  private UUID memberId;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(
      name = "push_subscription_topic",
      joinColumns = @JoinColumn(name = "subscription_id"))
  @Column(name = "topic")
  private Set<String> topics = new TreeSet<>();

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  @Column(name = "updated_at")
  private OffsetDateTime updatedAt;

  protected PushSubscription() {}

  PushSubscription(
      String endpoint,
      String p256dh,
      String auth,
      Set<String> topics,
      UUID memberId,
      OffsetDateTime now) {
    this.id = UUID.randomUUID();
    this.endpoint = endpoint;
    this.p256dh = p256dh;
    this.auth = auth;
    this.topics = new TreeSet<>(topics);
    this.memberId = memberId;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /**
   * The auth secret is the proof a caller holds the browser's subscription (the endpoint alone may
   * have leaked through a log); compared in constant time.
   */
  boolean heldBy(String presentedAuth) {
    return presentedAuth != null
        && MessageDigest.isEqual(
            auth.getBytes(StandardCharsets.US_ASCII),
            presentedAuth.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A new choice of topics; a signed-in caller links the subscription to their account, a
   * signed-out one leaves an existing link as it is (signing out does not unsubscribe).
   */
  void choose(Set<String> chosen, UUID signedInMember, OffsetDateTime now) {
    topics.clear();
    topics.addAll(chosen);
    if (signedInMember != null) {
      memberId = signedInMember;
    }
    updatedAt = now;
  }

  public UUID id() {
    return id;
  }

  public String endpoint() {
    return endpoint;
  }

  public String p256dh() {
    return p256dh;
  }

  public String auth() {
    return auth;
  }

  public UUID memberId() {
    return memberId;
  }

  public Set<String> topics() {
    return new TreeSet<>(topics);
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }
}
