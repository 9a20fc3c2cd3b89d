package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.logging.Logger;
import org.eclipse.persistence.platform.database.PostgreSQLPlatform;
import org.eclipse.persistence.sessions.Session;

/**
 * Which database the service talks to, for the few statements only PostgreSQL has (claims in one
 * {@code UPDATE … RETURNING}, {@code SET LOCAL}, {@code ANALYZE}); H2, the local default, takes the
 * portable path.
 */
@ApplicationScoped
public class DatabasePlatform {

  private static final Logger LOG = Logger.getLogger(DatabasePlatform.class.getName());

  @PersistenceContext EntityManager em;

  private volatile Boolean postgres;

  /** The platform EclipseLink detected at login; no connection is needed to ask. */
  public boolean postgres() {
    Boolean known = postgres;
    if (known == null) {
      Object platform = em.unwrap(Session.class).getDatasourcePlatform();
      known = platform instanceof PostgreSQLPlatform;
      LOG.info("Database platform: " + platform.getClass().getSimpleName());
      postgres = known;
    }
    return known;
  }
}
