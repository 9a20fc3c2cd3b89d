package org.newsroom.membership.accounts;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes buffered last-seen times once a minute, so the article-page check, which must never write
 * to the database, still keeps sliding session expiry true.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SessionTouches {

  private static final Logger LOG = Logger.getLogger(SessionTouches.class.getName());

  @Inject Sessions sessions;

  @Schedule(hour = "*", minute = "*", persistent = false)
  void flush() {
    try {
      sessions.flushTouches();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Could not record session last-seen times; kept for the next round", e);
    }
  }
}
