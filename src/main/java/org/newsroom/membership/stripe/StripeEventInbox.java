package org.newsroom.membership.stripe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.DatabasePlatform;
import org.newsroom.membership.platform.Timestamps;

/**
 * The webhook inbox. Storing commits on its own before the webhook answers; claiming pushes a due
 * event's next attempt a lease into the future in one statement, with {@code FOR UPDATE SKIP
 * LOCKED}, so instances never work on the same event at once and a crashed worker's claim simply
 * runs out.
 */
@ApplicationScoped
public class StripeEventInbox {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(StripeEventInbox.class.getName());

  static final int BATCH = 20;

  /**
   * How long a claim keeps an event from other appliers: longer than applying one batch takes (each
   * event's Stripe reads at most a few timeouts), since a lease that runs out mid-batch lets
   * another instance fetch the same event again (harmless: marking it applied happens once, but the
   * Stripe calls are wasted). After a crash the claimed events wait this long.
   */
  @Inject
  @ConfigProperty(name = "stripe.event-lease-seconds")
  long leaseSeconds;

  @PersistenceContext EntityManager em;
  @Inject StripeCustomerDeletions customerDeletions;
  @Inject DatabasePlatform database;

  /**
   * Stores the event and returns true, or returns false when its id is already stored. Stripe
   * redelivers often, so a duplicate is found by its key first rather than by a failed insert
   * (which costs an exception and a logged stack trace); two deliveries racing past the lookup
   * still meet the primary key, and the loser fails.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean store(StripeEvent event) {
    return store(event, PayloadRedaction.customerOf(event.payload()));
  }

  /** As {@link #store(StripeEvent)}, with the event's customer already read from its payload. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean store(StripeEvent event, String customer) {
    if (database.postgres()) {
      return storeInOneStatement(event, customer);
    }
    if (em.find(StripeEvent.class, event.id()) != null) {
      return false;
    }
    // An erased person's customer can still send events (its deletion, a late refund): they are
    // stored without the personal fields, or the erasure would be undone by the next webhook.
    if (customer != null && customerDeletions.isRequested(customer)) {
      event.redact(PayloadRedaction.redact(event.payload(), null));
    }
    em.persist(event);
    em.flush();
    return true;
  }

  /**
   * The webhook's common case on PostgreSQL in one statement instead of three (look up the id,
   * check the customer, insert), after the customer's lock against a racing erasure ({@link
   * StripeCustomerDeletions#lockForErasure}): the insert skips a duplicate by its key and holds
   * back an erased customer's event, which is then stored redacted. Server CPU per delivery before
   * and after is in the README (Benchmarks, webhook intake).
   */
  private boolean storeInOneStatement(StripeEvent event, String customer) {
    if (customer != null) {
      customerDeletions.lockForDelivery(customer);
    }
    if (insertUnlessDuplicate(event, customer) == 1) {
      return true;
    }
    if (customer == null || !customerDeletions.isRequested(customer)) {
      return false;
    }
    event.redact(PayloadRedaction.redact(event.payload(), null));
    return insertUnlessDuplicate(event, null) == 1;
  }

  /** Inserts the event unless its id is stored or {@code heldBackFor} is an erased customer. */
  private int insertUnlessDuplicate(StripeEvent event, String heldBackFor) {
    return em.createNativeQuery(
            "INSERT INTO stripe_event (id, type, livemode, stripe_created, payload, received_at,"
                + " status, attempts, next_attempt_at, last_error)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, 0, ?, ? WHERE NOT EXISTS ("
                + StripeCustomerDeletions.REQUESTED
                + ") ON CONFLICT (id) DO NOTHING")
        .setParameter(1, event.id())
        .setParameter(2, event.type())
        .setParameter(3, event.livemode())
        .setParameter(4, event.stripeCreated())
        .setParameter(5, event.payload())
        .setParameter(6, event.receivedAt())
        .setParameter(7, event.status().name())
        .setParameter(8, event.nextAttemptAt())
        .setParameter(9, event.lastError())
        .setParameter(10, heldBackFor)
        .executeUpdate();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean exists(String id) {
    return em.find(StripeEvent.class, id) != null;
  }

  /** A claimed event: what applying it needs, read with the claim. */
  public record Claimed(String id, String type, boolean livemode, long created, String payload) {}

  /**
   * Claims up to a batch of due events by pushing their next attempt a lease into the future. On
   * PostgreSQL that is one statement, which skips rows another instance is claiming and returns
   * what applying needs, so the event is not read again; other databases (H2 in development) take
   * the same steps one by one.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Claimed> claimDue() {
    OffsetDateTime now = Timestamps.now();
    OffsetDateTime leaseEnd = now.plus(Duration.ofSeconds(leaseSeconds));
    if (database.postgres()) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          em.createNativeQuery(
                  "UPDATE stripe_event SET next_attempt_at = ? WHERE id IN (SELECT id FROM"
                      + " stripe_event WHERE status IN ('PENDING', 'FAILED') AND next_attempt_at"
                      + " <= ? ORDER BY next_attempt_at FETCH FIRST "
                      + BATCH
                      + " ROWS ONLY FOR UPDATE SKIP LOCKED)"
                      + " RETURNING id, type, livemode, stripe_created, payload")
              .setParameter(1, leaseEnd)
              .setParameter(2, now)
              .getResultList();
      return rows.stream().map(StripeEventInbox::claimed).toList();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT id, type, livemode, stripe_created, payload FROM stripe_event"
                    + " WHERE status IN ('PENDING', 'FAILED') AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at FETCH FIRST "
                    + BATCH
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")
            .setParameter(1, now)
            .getResultList();
    List<Claimed> claimed = rows.stream().map(StripeEventInbox::claimed).toList();
    for (Claimed event : claimed) {
      em.createNativeQuery("UPDATE stripe_event SET next_attempt_at = ? WHERE id = ?")
          .setParameter(1, leaseEnd)
          .setParameter(2, event.id())
          .executeUpdate();
    }
    return claimed;
  }

  /** One stored event as a claim, for applying it now whatever its state (the admin's replay). */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<Claimed> claim(String id) {
    return Optional.ofNullable(em.find(StripeEvent.class, id))
        .map(e -> new Claimed(e.id(), e.type(), e.livemode(), e.stripeCreated(), e.payload()));
  }

  /**
   * Applies an event in one short transaction: the event's row is locked and marked applied first
   * (an event another applier finished meanwhile is left alone unless {@code again}), then the
   * ledger is written; anything thrown rolls both back. On PostgreSQL the commit is asynchronous
   * (see below): losing it in a database crash loses the mark with the writes, so it is re-applied.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean applyOnce(String id, boolean again, Runnable apply) {
    int marked =
        em.createNativeQuery(
                "UPDATE stripe_event SET status = 'APPLIED', attempts = attempts + 1,"
                    + " applied_at = ?, last_error = NULL WHERE id = ?"
                    + (again ? "" : " AND status IN ('PENDING', 'FAILED')"))
            .setParameter(1, Timestamps.now())
            .setParameter(2, id)
            .executeUpdate();
    if (marked == 0) {
      return false;
    }
    if (database.postgres()) {
      // This commit need not wait for the WAL flush (about 4 ms on the benchmark machine, most of
      // an event's apply time): the event's APPLIED mark and its ledger writes commit together, so
      // if PostgreSQL crashes before flushing them, both are lost together, the event is due again
      // when its lease runs out, and it is applied again. Storing an event (before Stripe gets its
      // 200) stays synchronous. Only this transaction is affected (SET LOCAL).
      em.createNativeQuery("SET LOCAL synchronous_commit TO OFF").executeUpdate();
    }
    apply.run();
    return true;
  }

  /** Writes facts the sync read from Stripe, in one short transaction. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void write(Runnable apply) {
    apply.run();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void ignore(String id, String why) {
    StripeEvent event = em.find(StripeEvent.class, id);
    if (event != null) {
      event.ignored(why);
    }
  }

  private static Claimed claimed(Object[] row) {
    return new Claimed(
        row[0].toString(),
        row[1].toString(),
        Boolean.TRUE.equals(row[2]),
        ((Number) row[3]).longValue(),
        row[4] == null ? null : row[4].toString());
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void markFailed(String id, String error) {
    StripeEvent event = em.find(StripeEvent.class, id);
    if (event != null) {
      event.failed(error);
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<StripeEvent> find(String id) {
    return Optional.ofNullable(em.find(StripeEvent.class, id));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<StripeEvent> list(StripeEvent.Status status) {
    String where = status == null ? "" : " WHERE e.status = :s";
    var query =
        em.createQuery(
                "SELECT e FROM StripeEvent e" + where + " ORDER BY e.receivedAt DESC",
                StripeEvent.class)
            .setMaxResults(500);
    if (status != null) {
      query.setParameter("s", status);
    }
    return query.getResultList();
  }

  /** How the inbox is doing: events waiting to be applied, failing ones, the oldest waiting. */
  public record Health(long pending, long failed, java.time.Instant oldestPendingAt) {}

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Health health() {
    long pending = 0;
    long failed = 0;
    java.time.Instant oldest = null;
    List<?> rows =
        em.createNativeQuery(
                "SELECT status, COUNT(*), MIN(received_at) FROM stripe_event"
                    + " WHERE status IN ('PENDING', 'FAILED') GROUP BY status")
            .getResultList();
    for (Object r : rows) {
      Object[] row = (Object[]) r;
      long count = ((Number) row[1]).longValue();
      if ("PENDING".equals(row[0].toString().trim())) {
        pending = count;
        oldest = instant(row[2]);
      } else {
        failed = count;
      }
    }
    return new Health(pending, failed, oldest);
  }

  private static java.time.Instant instant(Object value) {
    if (value instanceof OffsetDateTime at) {
      return at.toInstant();
    }
    if (value instanceof java.sql.Timestamp at) {
      return at.toInstant();
    }
    if (value instanceof java.time.Instant at) {
      return at;
    }
    return value == null ? null : OffsetDateTime.parse(value.toString()).toInstant();
  }
}
