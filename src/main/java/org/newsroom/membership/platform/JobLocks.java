package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Database leases for jobs only one instance may run at a time. Taking a lease is one conditional
 * UPDATE, which the database serialises, so of several instances exactly one wins; a lease that is
 * not released (a crashed instance) runs out by itself. A lease is held in the name of this
 * instance (this bean is one per instance), so the jobs need no identity of their own.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JobLocks {

  @PersistenceContext EntityManager em;

  private final String owner = UUID.randomUUID().toString();

  public boolean tryAcquire(String name, Duration lease) {
    OffsetDateTime now = Timestamps.now();
    return em.createNativeQuery(
                "UPDATE job_lock SET locked_by = ?, locked_until = ? WHERE name = ?"
                    + " AND (locked_until IS NULL OR locked_until < ?)")
            .setParameter(1, owner)
            .setParameter(2, now.plus(lease))
            .setParameter(3, name)
            .setParameter(4, now)
            .executeUpdate()
        == 1;
  }

  public void release(String name, boolean ran) {
    String sql =
        ran
            ? "UPDATE job_lock SET locked_by = NULL, locked_until = NULL, last_run_at = ?"
                + " WHERE name = ? AND locked_by = ?"
            : "UPDATE job_lock SET locked_by = NULL, locked_until = NULL"
                + " WHERE name = ? AND locked_by = ?";
    var query = em.createNativeQuery(sql);
    int i = 1;
    if (ran) {
      query.setParameter(i++, Timestamps.now());
    }
    query.setParameter(i++, name).setParameter(i, owner).executeUpdate();
  }

  /**
   * Whether the job ran to the end, on any instance, less than {@code interval} ago: a job that
   * runs at most once per interval across all instances skips its timer then.
   */
  public boolean ranWithin(String name, Duration interval) {
    OffsetDateTime last = lastRun(name);
    return last != null && last.toInstant().plus(interval).isAfter(Instant.now());
  }

  /** When the job last ran to the end, on any instance; null if never. */
  private OffsetDateTime lastRun(String name) {
    List<?> rows =
        em.createNativeQuery("SELECT last_run_at FROM job_lock WHERE name = ?")
            .setParameter(1, name)
            .getResultList();
    if (rows.isEmpty() || rows.get(0) == null) {
      return null;
    }
    Object value = rows.get(0);
    if (value instanceof OffsetDateTime odt) {
      return odt;
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
    return OffsetDateTime.parse(value.toString().replace(' ', 'T'));
  }
}
