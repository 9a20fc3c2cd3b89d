package org.newsroom.membership.notifications;

import com.interaso.webpush.WebPush;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * Sends a claimed batch, outside any transaction; every send ends in a result. Encryption (about
   * a millisecond of CPU each) runs on the calling sender thread while earlier requests are in
   * flight; {@link PushSender} runs several senders, so the cores stay busy while any one waits.
   */
  public List<Result> sendAll(List<Claimed> claimed) {
    WebPush webPush = vapid.webPush();
    List<CompletableFuture<Result>> sends = new ArrayList<>(claimed.size());
    for (Claimed delivery : claimed) {
      sends.add(send(webPush, delivery));
    }
    List<Result> results = new ArrayList<>(sends.size());
    for (CompletableFuture<Result> send : sends) {
      results.add(send.join());
    }
    return results;
  }

  /**
   * Claims and leases a batch of due deliveries; commits before anything is sent. A few statements
   * per batch whatever its size (the fan-out of one alert to 100,000 readers is 1,000 batches).
   */
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
    Map<UUID, List<UUID>> byAlert = new LinkedHashMap<>();
    Map<UUID, Integer> attempts = new HashMap<>();
    for (Object[] row : due) {
      UUID subscriptionId = uuid(row[1]);
      byAlert.computeIfAbsent(uuid(row[0]), a -> new ArrayList<>()).add(subscriptionId);
      attempts.put(subscriptionId, ((Number) row[2]).intValue() + 1);
    }
    Map<UUID, Object[]> subscriptions = subscriptions(attempts.keySet());
    List<Claimed> claimed = new ArrayList<>(due.size());
    for (Map.Entry<UUID, List<UUID>> alertRows : byAlert.entrySet()) {
      UUID alertId = alertRows.getKey();
      List<UUID> ids = alertRows.getValue();
      updateDeliveries("next_attempt_at = ?, attempts = attempts + 1", alertId, ids, leaseEnd);
      // Unsubscribed since the alert was queued: nothing to send, nothing to count.
      List<UUID> gone = ids.stream().filter(id -> !subscriptions.containsKey(id)).toList();
      if (!gone.isEmpty()) {
        updateDeliveries("status = 'SKIPPED', finished_at = ?", alertId, gone, now);
      }
      PushAlert alert = em.find(PushAlert.class, alertId);
      byte[] payload = payload(alert);
      for (UUID id : ids) {
        Object[] subscription = subscriptions.get(id);
        if (subscription != null) {
          claimed.add(
              new Claimed(
                  alertId,
                  id,
                  attempts.get(id),
                  (String) subscription[1],
                  (String) subscription[2],
                  (String) subscription[3],
                  payload,
                  alert.ttl(),
                  alert.urgency()));
        }
      }
    }
    return claimed;
  }

  /** Endpoint and keys of each subscription that still exists, by id, in one query. */
  private Map<UUID, Object[]> subscriptions(Collection<UUID> ids) {
    Query query =
        em.createNativeQuery(
            "SELECT id, endpoint, p256dh, auth FROM push_subscription WHERE id IN ("
                + placeholders(ids.size())
                + ")");
    int position = 1;
    for (UUID id : ids) {
      query.setParameter(position++, id);
    }
    Map<UUID, Object[]> byId = new HashMap<>();
    for (Object row : query.getResultList()) {
      Object[] columns = (Object[]) row;
      byId.put(uuid(columns[0]), columns);
    }
    return byId;
  }

  /**
   * One UPDATE of an alert's deliveries to these subscriptions: {@code set} names the columns, its
   * parameters come first, then the alert and the subscriptions.
   */
  private void updateDeliveries(String set, UUID alertId, List<UUID> ids, Object... values) {
    Query update =
        em.createNativeQuery(
            "UPDATE push_delivery SET "
                + set
                + " WHERE alert_id = ? AND subscription_id IN ("
                + placeholders(ids.size())
                + ")");
    int position = 1;
    for (Object value : values) {
      update.setParameter(position++, value);
    }
    update.setParameter(position++, alertId);
    for (UUID id : ids) {
      update.setParameter(position++, id);
    }
    update.executeUpdate();
  }

  private static String placeholders(int count) {
    return String.join(", ", java.util.Collections.nCopies(count, "?"));
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

  private CompletableFuture<Result> send(WebPush webPush, Claimed delivery) {
    HttpRequest request;
    try {
      byte[] body =
          webPush.getBody(delivery.payload(), decode(delivery.p256dh()), decode(delivery.auth()));
      Map<String, String> headers =
          webPush.getHeadersWithToken(
              vapidToken(webPush, delivery.endpoint()),
              delivery.ttl(),
              replacementTopic(delivery.alertId()),
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

  /**
   * Records a batch's results: one UPDATE per alert and outcome (a batch is nearly always one
   * alert, all sent), one per retry delay, and the subscriptions push services said are gone.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void record(List<Result> results) {
    OffsetDateTime now = Timestamps.now();
    Map<RecordedAs, List<UUID>> groups = new LinkedHashMap<>();
    List<UUID> gone = new ArrayList<>();
    for (Result result : results) {
      Claimed d = result.delivery();
      Outcome outcome = result.outcome();
      if (outcome == Outcome.RETRY && d.attempts() >= maxAttempts) {
        outcome = Outcome.FAILED;
      }
      String error = result.error() == null ? null : truncate(result.error());
      OffsetDateTime retryAt =
          outcome == Outcome.RETRY
              ? now.plusSeconds(retryBaseSeconds * (1L << Math.min(d.attempts() - 1, 16)))
              : null;
      groups
          .computeIfAbsent(
              new RecordedAs(d.alertId(), outcome, error, retryAt), g -> new ArrayList<>())
          .add(d.subscriptionId());
      if (outcome == Outcome.EXPIRED) {
        gone.add(d.subscriptionId());
      }
      if (outcome == Outcome.FAILED) {
        LOG.log(Level.INFO, "Push to subscription " + d.subscriptionId() + " failed: " + error);
      }
    }
    for (Map.Entry<RecordedAs, List<UUID>> group : groups.entrySet()) {
      RecordedAs as = group.getKey();
      if (as.outcome() == Outcome.RETRY) {
        updateDeliveries(
            "next_attempt_at = ?, last_error = ?",
            as.alertId(),
            group.getValue(),
            as.retryAt(),
            as.error());
      } else {
        updateDeliveries(
            "status = ?, finished_at = ?, last_error = ?",
            as.alertId(),
            group.getValue(),
            as.outcome().name(),
            now,
            as.error());
      }
      metrics
          .counter(
              "notifications.deliveries", new Tag("outcome", as.outcome().name().toLowerCase()))
          .inc(group.getValue().size());
    }
    if (!gone.isEmpty()) {
      // The topics go with it (ON DELETE CASCADE); the delivery rows stay as the record.
      Query delete =
          em.createNativeQuery(
              "DELETE FROM push_subscription WHERE id IN (" + placeholders(gone.size()) + ")");
      for (int i = 0; i < gone.size(); i++) {
        delete.setParameter(i + 1, gone.get(i));
      }
      delete.executeUpdate();
    }
  }

  /** Results recorded by one statement: same alert, outcome, error and retry time. */
  private record RecordedAs(UUID alertId, Outcome outcome, String error, OffsetDateTime retryAt) {}

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

  /**
   * RFC 8030's Topic: a copy sent again (its sender died before recording the first) replaces one
   * the push service still holds, and the service worker tags the notification with the alert's id,
   * so a reader sees an alert once even when it is delivered twice. 32 base64url characters.
   */
  static String replacementTopic(UUID alertId) {
    return alertId.toString().replace("-", "");
  }

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
