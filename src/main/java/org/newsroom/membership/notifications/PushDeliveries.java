package org.newsroom.membership.notifications;

import com.interaso.webpush.WebPush;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.newsroom.membership.platform.Timestamps;

/**
 * The fan-out, like the mail outbox: due delivery rows are claimed with {@code FOR UPDATE SKIP
 * LOCKED} and leased by moving {@code next_attempt_at} past the send's timeout, in a transaction
 * that commits before anything is sent, so no lock is held while push services answer and another
 * instance (or this one after a restart) takes a row over only once its lease ran out. A batch is
 * sent concurrently, so one slow push service delays nobody else's alert beyond its timeout.
 * Results: 2xx sent; 404/410 means the reader revoked the permission, so the subscription is
 * removed; 429, 5xx and network errors are retried with exponential backoff; anything else fails.
 */
@ApplicationScoped
public class PushDeliveries {

  private static final Logger LOG = Logger.getLogger(PushDeliveries.class.getName());

  @PersistenceContext EntityManager em;
  @Inject Vapid vapid;
  @Inject MetricRegistry metrics;

  @Inject
  @ConfigProperty(name = "notifications.batch-size")
  int batchSize;

  @Inject
  @ConfigProperty(name = "notifications.push-timeout-ms")
  long timeoutMs;

  @Inject
  @ConfigProperty(name = "notifications.lease-seconds")
  long leaseSeconds;

  @Inject
  @ConfigProperty(name = "notifications.max-attempts")
  int maxAttempts;

  @Inject
  @ConfigProperty(name = "notifications.retry-base-seconds")
  long retryBaseSeconds;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** One claimed delivery with what is needed to send it. */
  record Claimed(
      UUID alertId,
      UUID subscriptionId,
      int attempts,
      String endpoint,
      String p256dh,
      String auth,
      byte[] payload,
      int ttl,
      String urgency) {}

  enum Outcome {
    SENT,
    EXPIRED,
    RETRY,
    FAILED
  }

  record Result(Claimed delivery, Outcome outcome, String error) {}

  /** Sends a claimed batch at once, outside any transaction; every send ends in a result. */
  public List<Result> sendAll(List<Claimed> claimed) {
    // Encryption is the CPU cost of a delivery (about 3 ms each): done on every core at once.
    List<CompletableFuture<Result>> sends = claimed.parallelStream().map(this::send).toList();
    List<Result> results = new ArrayList<>();
    for (CompletableFuture<Result> send : sends) {
      results.add(send.join());
    }
    return results;
  }

  /** Claims and leases a batch of due deliveries; commits before anything is sent. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Claimed> claim() {
    OffsetDateTime now = Timestamps.now();
    @SuppressWarnings("unchecked")
    List<Object[]> due =
        em.createNativeQuery(
                "SELECT alert_id, subscription_id, attempts FROM push_delivery"
                    + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at FETCH FIRST "
                    + batchSize
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")
            .setParameter(1, now)
            .getResultList();
    if (due.isEmpty()) {
      return List.of();
    }
    // The lease: never shorter than the send's timeout plus a margin, so a live owner always
    // records before it ends; an owner that died leaves the rows due again when it does.
    long leaseMs = Math.max(leaseSeconds * 1000, timeoutMs + 5_000);
    OffsetDateTime leaseEnd = now.plusNanos(leaseMs * 1_000_000);
    Map<UUID, PushAlert> alerts = new HashMap<>();
    List<Claimed> claimed = new ArrayList<>();
    for (Object[] row : due) {
      UUID alertId = uuid(row[0]);
      UUID subscriptionId = uuid(row[1]);
      int attempts = ((Number) row[2]).intValue() + 1;
      em.createNativeQuery(
              "UPDATE push_delivery SET next_attempt_at = ?, attempts = ?"
                  + " WHERE alert_id = ? AND subscription_id = ?")
          .setParameter(1, leaseEnd)
          .setParameter(2, attempts)
          .setParameter(3, alertId)
          .setParameter(4, subscriptionId)
          .executeUpdate();
      PushSubscription subscription = em.find(PushSubscription.class, subscriptionId);
      if (subscription == null) {
        // Unsubscribed since the alert was queued: nothing to send, nothing to count.
        em.createNativeQuery(
                "UPDATE push_delivery SET status = 'SKIPPED', finished_at = ?"
                    + " WHERE alert_id = ? AND subscription_id = ?")
            .setParameter(1, now)
            .setParameter(2, alertId)
            .setParameter(3, subscriptionId)
            .executeUpdate();
        continue;
      }
      PushAlert alert = alerts.computeIfAbsent(alertId, id -> em.find(PushAlert.class, id));
      claimed.add(
          new Claimed(
              alertId,
              subscriptionId,
              attempts,
              subscription.endpoint(),
              subscription.p256dh(),
              subscription.auth(),
              payload(alert),
              alert.ttl(),
              alert.urgency()));
    }
    return claimed;
  }

  /** What the service worker shows: the alert's text and where a click leads. */
  static byte[] payload(PushAlert alert) {
    return Json.createObjectBuilder()
        .add("id", alert.id().toString())
        .add("topic", alert.topic())
        .add("title", alert.title())
        .add("body", alert.body())
        .add("url", alert.url())
        .build()
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private CompletableFuture<Result> send(Claimed delivery) {
    HttpRequest request;
    try {
      WebPush webPush = vapid.webPush();
      byte[] body =
          webPush.getBody(delivery.payload(), decode(delivery.p256dh()), decode(delivery.auth()));
      Map<String, String> headers =
          webPush.getHeadersWithToken(
              vapidToken(webPush, delivery.endpoint()),
              delivery.ttl(),
              null,
              urgency(delivery.urgency()));
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(delivery.endpoint()))
              .timeout(Duration.ofMillis(timeoutMs))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(builder::header);
      request = builder.build();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Result(delivery, Outcome.FAILED, "cannot encrypt: " + e.getMessage()));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              if (error != null) {
                return new Result(delivery, Outcome.RETRY, String.valueOf(error.getMessage()));
              }
              int status = response.statusCode();
              if (status >= 200 && status < 300) {
                return new Result(delivery, Outcome.SENT, null);
              }
              if (status == 404 || status == 410) {
                return new Result(delivery, Outcome.EXPIRED, "push service answered " + status);
              }
              if (status == 429 || status >= 500) {
                return new Result(delivery, Outcome.RETRY, "push service answered " + status);
              }
              return new Result(delivery, Outcome.FAILED, "push service answered " + status);
            });
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void record(List<Result> results) {
    OffsetDateTime now = Timestamps.now();
    for (Result result : results) {
      Claimed d = result.delivery();
      Outcome outcome = result.outcome();
      if (outcome == Outcome.RETRY && d.attempts() >= maxAttempts) {
        outcome = Outcome.FAILED;
      }
      String error = result.error() == null ? null : truncate(result.error());
      if (outcome == Outcome.RETRY) {
        long delay = retryBaseSeconds * (1L << Math.min(d.attempts() - 1, 16));
        em.createNativeQuery(
                "UPDATE push_delivery SET next_attempt_at = ?, last_error = ?"
                    + " WHERE alert_id = ? AND subscription_id = ?")
            .setParameter(1, now.plusSeconds(delay))
            .setParameter(2, error)
            .setParameter(3, d.alertId())
            .setParameter(4, d.subscriptionId())
            .executeUpdate();
      } else {
        em.createNativeQuery(
                "UPDATE push_delivery SET status = ?, finished_at = ?, last_error = ?"
                    + " WHERE alert_id = ? AND subscription_id = ?")
            .setParameter(1, outcome.name())
            .setParameter(2, now)
            .setParameter(3, error)
            .setParameter(4, d.alertId())
            .setParameter(5, d.subscriptionId())
            .executeUpdate();
        if (outcome == Outcome.EXPIRED) {
          PushSubscription gone = em.find(PushSubscription.class, d.subscriptionId());
          if (gone != null) {
            em.remove(gone);
          }
        }
      }
      if (outcome == Outcome.FAILED) {
        LOG.log(Level.INFO, "Push to subscription " + d.subscriptionId() + " failed: " + error);
      }
      metrics
          .counter("notifications.deliveries", new Tag("outcome", outcome.name().toLowerCase()))
          .inc();
    }
  }

  /**
   * One VAPID JWT per push service origin, valid 12 hours and renewed after 6: signing one per
   * message cost about a third of the per-message CPU (measured with the library alone).
   */
  private String vapidToken(WebPush webPush, String endpoint) {
    String audience = webPush.getAudience(endpoint);
    long now = System.currentTimeMillis();
    VapidToken token = tokens.get(audience);
    if (token == null || token.renewAt() < now) {
      token = new VapidToken(webPush.getToken(audience, TOKEN_SECONDS), now + TOKEN_SECONDS * 500L);
      tokens.put(audience, token);
    }
    return token.value();
  }

  private record VapidToken(String value, long renewAt) {}

  private static final int TOKEN_SECONDS = 12 * 60 * 60;
  private final Map<String, VapidToken> tokens = new java.util.concurrent.ConcurrentHashMap<>();

  private static WebPush.Urgency urgency(String value) {
    return switch (value) {
      case "very-low" -> WebPush.Urgency.VeryLow;
      case "low" -> WebPush.Urgency.Low;
      case "high" -> WebPush.Urgency.High;
      default -> WebPush.Urgency.Normal;
    };
  }

  private static byte[] decode(String base64Url) {
    return Base64.getUrlDecoder().decode(base64Url.replace("=", ""));
  }

  private static String truncate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300);
  }

  private static UUID uuid(Object id) {
    return id instanceof UUID u ? u : UUID.fromString(id.toString());
  }
}
