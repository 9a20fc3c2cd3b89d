package org.newsroom.membership.accounts;

import java.util.UUID;

/**
 * What a presented token turned out to be. {@code UNAVAILABLE} means the answer is not known (the
 * token was not cached and the database could not be asked), which the article-page check reports
 * as degraded rather than as signed out.
 */
public record SessionLookup(Outcome outcome, UUID memberId, String tokenHash) {

  public enum Outcome {
    ACTIVE,
    NONE,
    UNAVAILABLE
  }

  static final SessionLookup NONE = new SessionLookup(Outcome.NONE, null, null);
  static final SessionLookup UNAVAILABLE = new SessionLookup(Outcome.UNAVAILABLE, null, null);

  public boolean active() {
    return outcome == Outcome.ACTIVE;
  }
}
