package org.newsroom.membership.notifications;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.MemberErasing;
import org.newsroom.membership.accounts.MyDataExport;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.Timestamps;

/**
 * Readers' push subscriptions, signed in or not. A subscription is found by its endpoint and
 * changed only by a caller who also presents its auth secret: the two together are what the
 * browser's PushSubscription holds, so whoever has them is that browser.
 */
@ApplicationScoped
public class Subscriptions {

  /** The browser's {@code PushSubscription.toJSON()} plus the chosen topics. */
  public record Subscribe(
      @NotBlank @Size(max = 1024) String endpoint,
      @NotNull @Valid Keys keys,
      @NotNull @Size(max = 20) List<@NotBlank @Size(max = 40) String> topics) {}

  public record Keys(
      @NotBlank @Size(max = 100) String p256dh, @NotBlank @Size(max = 40) String auth) {}

  /** Unsubscribing needs the endpoint and the auth secret, nothing else. */
  public record Unsubscribe(
      @NotBlank @Size(max = 1024) String endpoint, @NotNull @Valid AuthOnly keys) {}

  public record AuthOnly(@NotBlank @Size(max = 40) String auth) {}

  public record SubscriptionView(List<String> topics, boolean linkedToAccount, Instant createdAt) {
    static SubscriptionView of(PushSubscription s) {
      return new SubscriptionView(
          List.copyOf(s.topics()), s.memberId() != null, s.createdAt().toInstant());
    }
  }

  /** A member's subscription as my-account and the data export show it. */
  public record MemberSubscription(
      String endpoint, List<String> topics, Instant createdAt, Instant updatedAt) {}

  @PersistenceContext EntityManager em;
  @Inject PushRules rules;
  @Inject RateLimits rateLimits;

  @Inject
  @ConfigProperty(name = "rate-limit.push-subscriptions-per-address")
  int perAddress;

  private RateLimits.Limit subscribeLimit;

  @PostConstruct
  void defineLimits() {
    subscribeLimit = rateLimits.define("push-subscriptions-address", perAddress);
  }

  /** Stores a new subscription or changes the topics of the caller's existing one. */
  @Transactional
  public SubscriptionView subscribe(Subscribe request, UUID memberId, String clientAddress) {
    rateLimits.hit(subscribeLimit, clientAddress);
    rules.checkEndpoint(request.endpoint());
    PushRules.checkP256dh(request.keys().p256dh());
    PushRules.checkAuth(request.keys().auth());
    Set<String> topics = rules.checkTopics(request.topics());
    PushSubscription existing = byEndpoint(request.endpoint());
    if (existing == null) {
      PushSubscription created =
          new PushSubscription(
              request.endpoint(),
              request.keys().p256dh(),
              request.keys().auth(),
              topics,
              memberId,
              Timestamps.now());
      em.persist(created);
      return SubscriptionView.of(created);
    }
    if (!existing.heldBy(request.keys().auth())) {
      // Same answer as for a foreign endpoint's keys: nothing tells a guesser what is stored.
      throw new ProblemException(
          ProblemType.SUBSCRIPTION_KEYS_DIFFER,
          "This endpoint is subscribed with other keys; unsubscribe in the browser and subscribe"
              + " again.");
    }
    existing.choose(topics, memberId, Timestamps.now());
    return SubscriptionView.of(existing);
  }

  /** Removes the caller's subscription; 404 when there is none held with this secret. */
  @Transactional
  public void unsubscribe(Unsubscribe request, String clientAddress) {
    rateLimits.hit(subscribeLimit, clientAddress);
    PushSubscription existing = byEndpoint(request.endpoint());
    if (existing == null || !existing.heldBy(request.keys().auth())) {
      throw ProblemException.notFound("No subscription with this endpoint and secret.");
    }
    em.remove(existing);
  }

  /** The push service said the subscription is gone (404/410): the reader revoked it. */
  @Transactional
  public boolean expire(UUID subscriptionId) {
    PushSubscription existing = em.find(PushSubscription.class, subscriptionId);
    if (existing == null) {
      return false;
    }
    em.remove(existing);
    return true;
  }

  @Transactional
  public List<MemberSubscription> of(UUID memberId) {
    return em
        .createQuery(
            "SELECT s FROM PushSubscription s WHERE s.memberId = :m ORDER BY s.createdAt",
            PushSubscription.class)
        .setParameter("m", memberId)
        .getResultList()
        .stream()
        .map(
            s ->
                new MemberSubscription(
                    s.endpoint(),
                    List.copyOf(s.topics()),
                    s.createdAt().toInstant(),
                    s.updatedAt().toInstant()))
        .toList();
  }

  // Observers are business methods: read inside a transaction, never with a non-transactional
  // EntityManager (Payara closes that one twice at the end of the request).
  @Transactional
  void myData(@Observes MyDataExport.MyDataRequested requested) {
    requested.sections().put("notificationSubscriptions", of(requested.memberId()));
  }

  /** An erased member's browsers stop getting alerts: nothing may point at the account. */
  @Transactional(Transactional.TxType.MANDATORY)
  void erasing(@Observes MemberErasing erasing) {
    em.createQuery("SELECT s FROM PushSubscription s WHERE s.memberId = :m", PushSubscription.class)
        .setParameter("m", erasing.memberId())
        .getResultList()
        .forEach(em::remove);
  }

  private PushSubscription byEndpoint(String endpoint) {
    return em.createQuery(
            "SELECT s FROM PushSubscription s WHERE s.endpoint = :e", PushSubscription.class)
        .setParameter("e", endpoint)
        .getResultStream()
        .findFirst()
        .orElse(null);
  }
}
