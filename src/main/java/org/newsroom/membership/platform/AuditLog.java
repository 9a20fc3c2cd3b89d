package org.newsroom.membership.platform;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The append-only audit log (table {@code audit_log}): entries are inserted, listed, and never
 * changed or deleted.
 *
 * <p>The one exception to "never changed": a refusal ({@link #recordRefusal}) is aggregated per
 * actor, action and minute, and a repeat only raises the entry's count.
 *
 * <p>{@link #record} runs in a transaction of its own (REQUIRES_NEW) and commits before it returns.
 * What is audited so far are reads (exports) and refused attempts: the entry must exist even when
 * the export then fails half-way, the client hangs up, or the caller's own work rolls back, and it
 * must be committed before the first byte of an export leaves. An action that changes state and
 * must be audited exactly when it commits should use {@link #recordInCurrentTransaction} instead,
 * which joins (and requires) the caller's transaction.
 */
@ApplicationScoped
public class AuditLog {

  /** The actor of entries the service writes on its own behalf. */
  public static final String SYSTEM = "system";

  @Resource(lookup = Migrations.DATASOURCE)
  DataSource dataSource;

  /**
   * One audit entry as listed; details is the JSON object that was recorded; count is how many
   * occurrences an aggregated refusal stands for (1 for everything else).
   */
  public record Entry(
      Instant at, String actor, String action, String target, JsonObject details, int count) {}

  /** Where a page of the log ends: the last entry's time and id, the order entries are read in. */
  public record Cursor(OffsetDateTime at, UUID id) {
    public String encode() {
      String raw = at.toInstant().toString() + "|" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(UTF_8));
    }

    /** Null for a cursor that is not one this service issued. */
    public static Cursor decode(String cursor) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), UTF_8);
        int bar = raw.indexOf('|');
        return new Cursor(
            OffsetDateTime.ofInstant(Instant.parse(raw.substring(0, bar)), ZoneOffset.UTC),
            UUID.fromString(raw.substring(bar + 1)));
      } catch (RuntimeException notOurs) {
        return null;
      }
    }
  }

  @Transactional(TxType.REQUIRES_NEW)
  public void record(String actor, String action, String target, JsonObject details) {
    insert(actor, action, target, details);
  }

  @Transactional(TxType.MANDATORY)
  public void recordInCurrentTransaction(
      String actor, String action, String target, JsonObject details) {
    insert(actor, action, target, details);
  }

  /**
   * A refusal, aggregated: at most one entry per actor, action and minute, whose count grows with
   * each repeat, so nobody can grow the log without bound by being refused over and over. The first
   * refusal of the minute writes the entry with its details; repeats only count.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void recordRefusal(String actor, String action, String target, JsonObject details) {
    OffsetDateTime now = Timestamps.now();
    String key = actor + "|" + action + "|" + now.toEpochSecond() / 60;
    try (Connection c = dataSource.getConnection()) {
      if (c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO audit_log (id, at, actor, action, target, details, occurrences,"
                    + " aggregate_key) VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (aggregate_key)"
                    + " DO UPDATE SET occurrences = audit_log.occurrences + 1")) {
          bindNew(s, now, actor, action, target, details);
          s.setString(7, key);
          s.executeUpdate();
        }
        return;
      }
      // H2 (single instance): count first, insert when the minute has no entry yet.
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE audit_log SET occurrences = occurrences + 1 WHERE aggregate_key = ?")) {
        s.setString(1, key);
        if (s.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO audit_log (id, at, actor, action, target, details, occurrences,"
                  + " aggregate_key) VALUES (?, ?, ?, ?, ?, ?, 1, ?)")) {
        bindNew(s, now, actor, action, target, details);
        s.setString(7, key);
        s.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Writing the audit log failed", e);
    }
  }

  /**
   * Streams one page of entries with {@code from <= at < to}, oldest first, after {@code after}
   * (null: from the start), to {@code sink}; returns the cursor of the next page, or null when this
   * was the last. Rows are read one by one, never collected.
   */
  @Transactional(TxType.SUPPORTS)
  public Cursor page(
      Instant from, Instant to, Cursor after, int limit, java.util.function.Consumer<Entry> sink) {
    String sql =
        "SELECT at, actor, action, target, details, occurrences, id FROM audit_log"
            + " WHERE at >= ? AND at < ?"
            + (after == null ? "" : " AND (at > ? OR (at = ? AND id > ?))")
            + " ORDER BY at, id FETCH FIRST "
            + (limit + 1)
            + " ROWS ONLY";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      s.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      if (after != null) {
        s.setObject(3, after.at());
        s.setObject(4, after.at());
        s.setObject(5, after.id());
      }
      s.setFetchSize(Math.min(limit + 1, 500));
      int written = 0;
      Cursor last = null;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (written == limit) {
            return last;
          }
          OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
          sink.accept(entry(rs, at));
          last = new Cursor(at, rs.getObject(7, UUID.class));
          written++;
        }
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the audit log failed", e);
    }
  }

  private static Entry entry(ResultSet rs, OffsetDateTime at) throws SQLException {
    String details = rs.getString(5);
    return new Entry(
        at.toInstant(),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        details == null ? null : Json.createReader(new StringReader(details)).readObject(),
        rs.getInt(6));
  }

  /** Entries with {@code from <= at < to}, oldest first. */
  @Transactional(TxType.SUPPORTS)
  public List<Entry> list(Instant from, Instant to) {
    String sql =
        "SELECT at, actor, action, target, details, occurrences FROM audit_log"
            + " WHERE at >= ? AND at < ? ORDER BY at, id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      s.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          entries.add(entry(rs, rs.getObject(1, OffsetDateTime.class)));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the audit log failed", e);
    }
  }

  private void insert(String actor, String action, String target, JsonObject details) {
    String sql =
        "INSERT INTO audit_log (id, at, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bindNew(s, Timestamps.now(), actor, action, target, details);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Writing the audit log failed", e);
    }
  }

  private static void bindNew(
      PreparedStatement s,
      OffsetDateTime at,
      String actor,
      String action,
      String target,
      JsonObject details)
      throws SQLException {
    s.setObject(1, UUID.randomUUID());
    s.setObject(2, at);
    s.setString(3, actor);
    s.setString(4, action);
    s.setString(5, target);
    s.setString(6, details == null ? null : details.toString());
  }
}
