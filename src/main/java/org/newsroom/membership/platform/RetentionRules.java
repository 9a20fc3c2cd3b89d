package org.newsroom.membership.platform;

import com.google.gson.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What is kept and for how long (README, "What is kept"), as one set of rules applied at a given
 * time, so a test can hold the clock:
 *
 * <ul>
 *   <li>delivered mails (subject and times only by then) go {@code retention.days} after sending;
 *   <li>sessions go {@code retention.days} after they ended (revoked, idle past the idle timeout,
 *       or past their absolute lifetime);
 *   <li>one-time tokens (and guest donors' requests) go {@code retention.days} after they were used
 *       or expired;
 *   <li>Stripe event payloads are reduced to id, type and status {@code
 *       stripe.event-retention-days} after receipt, once applied or ignored (a pending or failing
 *       event keeps its payload until it is applied). The ledger rows built from them stay:
 *       payments are finance records.
 * </ul>
 */
public final class RetentionRules {

  /** How many rows each rule removed or reduced. */
  public record Result(int mails, int sessions, int tokens, int events) {}

  private final Duration keep;
  private final Duration keepEvents;
  private final Duration sessionIdle;

  public RetentionRules(int retentionDays, int eventRetentionDays, int sessionIdleDays) {
    this.keep = Duration.ofDays(retentionDays);
    this.keepEvents = Duration.ofDays(eventRetentionDays);
    this.sessionIdle = Duration.ofDays(sessionIdleDays);
  }

  public Result apply(Connection c, Instant now) throws SQLException {
    OffsetDateTime cutoff = utc(now.minus(keep));
    int mails =
        update(c, "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?", cutoff);
    int sessions =
        update(
            c,
            "DELETE FROM member_session WHERE revoked_at < ? OR absolute_expires_at < ?"
                + " OR last_seen_at < ?",
            cutoff,
            cutoff,
            utc(now.minus(keep).minus(sessionIdle)));
    int tokens =
        update(c, "DELETE FROM one_time_token WHERE expires_at < ? OR used_at < ?", cutoff, cutoff)
            + update(
                c, "DELETE FROM guest_request WHERE expires_at < ? OR used_at < ?", cutoff, cutoff)
            + update(c, "DELETE FROM recovery_link WHERE expires_at < ?", cutoff);
    return new Result(mails, sessions, tokens, reduceEvents(c, utc(now.minus(keepEvents)), now));
  }

  private static int reduceEvents(Connection c, OffsetDateTime cutoff, Instant now)
      throws SQLException {
    List<String[]> due = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, type, status FROM stripe_event WHERE received_at < ?"
                + " AND payload_reduced_at IS NULL AND status IN ('APPLIED', 'IGNORED')")) {
      s.setObject(1, cutoff);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          due.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
        }
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE stripe_event SET payload = ?, payload_reduced_at = ? WHERE id = ?")) {
      for (String[] event : due) {
        JsonObject kept = new JsonObject();
        kept.addProperty("id", event[0]);
        kept.addProperty("type", event[1]);
        kept.addProperty("status", event[2]);
        s.setString(1, kept.toString());
        s.setObject(2, utc(now));
        s.setString(3, event[0]);
        s.executeUpdate();
      }
    }
    return due.size();
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
