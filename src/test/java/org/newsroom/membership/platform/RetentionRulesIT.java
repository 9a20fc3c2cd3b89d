package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Postgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Retention against the real schema (PostgreSQL, migrated by Flyway) with the clock held: the rules
 * run "as of" a chosen instant, and rows on either side of each limit show what goes and what
 * stays.
 */
class RetentionRulesIT {

  private static final Instant NOW = Instant.parse("2027-06-01T12:00:00Z");
  private static final RetentionRules RULES = new RetentionRules(30, 90, 30);

  private String schema;
  private Connection c;
  private UUID member;

  @BeforeEach
  void migratedSchemaWithAMember() throws SQLException {
    schema = Postgres.createSchema("unit");
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(Postgres.url(schema));
    pg.setUser(Postgres.USER);
    pg.setPassword(Postgres.PASSWORD);
    Migrations.flyway(pg, List.of("classpath:db/migration")).migrate();
    c = pg.getConnection();
    member = UUID.randomUUID();
    exec(
        "INSERT INTO member (id, created_at, updated_at) VALUES (?, ?, ?)",
        member,
        at(400),
        at(400));
  }

  @AfterEach
  void drop() throws SQLException {
    c.close();
    Postgres.dropSchema(schema);
  }

  @Test
  void sentMailsGoThirtyDaysAfterSendingAndUnsentMailsStay() throws SQLException {
    mail("sent-31-days-ago", at(31));
    mail("sent-29-days-ago", at(29));
    mail("never-sent", null);

    assertThat(RULES.apply(c, NOW).mails()).isEqualTo(1);

    assertThat(strings("SELECT subject FROM mail_outbox ORDER BY subject"))
        .containsExactly("never-sent", "sent-29-days-ago");
  }

  @Test
  void sessionsGoThirtyDaysAfterTheyEnded() throws SQLException {
    session("revoked-31", at(31), at(-200), at(31));
    session("revoked-29", at(29), at(-200), at(29));
    session("expired-31", at(1), at(31), null);
    session("idle-61", at(61), at(-300), null);
    session("idle-59", at(59), at(-300), null);
    session("active", at(0), at(-300), null);

    assertThat(RULES.apply(c, NOW).sessions()).isEqualTo(3);

    assertThat(strings("SELECT user_agent FROM member_session ORDER BY user_agent"))
        .containsExactly("active", "idle-59", "revoked-29");
  }

  @Test
  void oneTimeTokensGoThirtyDaysAfterUseOrExpiry() throws SQLException {
    token("expired-31", at(31), null);
    token("used-31", at(-1), at(31));
    token("expired-29", at(29), null);
    token("valid", at(-1), null);

    assertThat(RULES.apply(c, NOW).tokens()).isEqualTo(2);

    assertThat(strings("SELECT email FROM one_time_token ORDER BY email"))
        .containsExactly("expired-29", "valid");
  }

  @Test
  void stripePayloadsAreReducedToIdTypeAndStatusAfterNinetyDaysOnceApplied() throws SQLException {
    event("evt_old_applied", at(91), "APPLIED");
    event("evt_old_ignored", at(91), "IGNORED");
    event("evt_old_failing", at(91), "FAILED");
    event("evt_recent", at(89), "APPLIED");

    assertThat(RULES.apply(c, NOW).events()).isEqualTo(2);

    assertThat(payload("evt_old_applied"))
        .isEqualTo("{\"id\":\"evt_old_applied\",\"type\":\"invoice.paid\",\"status\":\"APPLIED\"}");
    assertThat(payload("evt_old_ignored")).doesNotContain("ada@example.org");
    assertThat(payload("evt_old_failing")).contains("ada@example.org");
    assertThat(payload("evt_recent")).contains("ada@example.org");
    // A second run finds nothing more to do.
    assertThat(RULES.apply(c, NOW).events()).isZero();
  }

  // --- rows -----------------------------------------------------------------------------------

  private void mail(String subject, OffsetDateTime sentAt) throws SQLException {
    exec(
        "INSERT INTO mail_outbox (id, member_id, subject, created_at, next_attempt_at, sent_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        member,
        subject,
        at(40),
        at(40),
        sentAt);
  }

  private void session(
      String name, OffsetDateTime lastSeen, OffsetDateTime absoluteExpiry, OffsetDateTime revoked)
      throws SQLException {
    exec(
        "INSERT INTO member_session (token_hash, member_id, created_at, last_seen_at,"
            + " absolute_expires_at, user_agent, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        String.format("%064d", Math.abs((long) name.hashCode())),
        member,
        at(400),
        lastSeen,
        absoluteExpiry,
        name,
        revoked);
  }

  private void token(String name, OffsetDateTime expires, OffsetDateTime used) throws SQLException {
    exec(
        "INSERT INTO one_time_token (token_hash, member_id, purpose, email, created_at,"
            + " expires_at, used_at) VALUES (?, ?, 'RESET_PASSWORD', ?, ?, ?, ?)",
        String.format("%064d", Math.abs((long) name.hashCode())),
        member,
        name,
        at(400),
        expires,
        used);
  }

  private void event(String id, OffsetDateTime received, String status) throws SQLException {
    exec(
        "INSERT INTO stripe_event (id, type, livemode, stripe_created, payload, received_at,"
            + " status, next_attempt_at) VALUES (?, 'invoice.paid', FALSE, 0, ?, ?, ?, ?)",
        id,
        "{\"id\":\"" + id + "\",\"data\":{\"object\":{\"customer_email\":\"ada@example.org\"}}}",
        received,
        status,
        received);
  }

  private String payload(String id) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT payload FROM stripe_event WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(r.getString(1));
        }
      }
    }
    return rows.get(0);
  }

  private List<String> strings(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        rows.add(r.getString(1));
      }
    }
    return rows;
  }

  private void exec(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    }
  }

  /** {@code days} days before the held clock (negative: after it). */
  private static OffsetDateTime at(int days) {
    return OffsetDateTime.ofInstant(NOW.minus(Duration.ofDays(days)), ZoneOffset.UTC);
  }
}
