package org.newsroom.membership.platform;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The current time as stored: UTC, to the microsecond, which is what both PostgreSQL and H2 keep,
 * so an entity reads back equal to what was written.
 */
public final class Timestamps {

  private Timestamps() {}

  public static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
