package org.newsroom.membership.reports;

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
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.newsroom.membership.platform.Migrations;
import org.newsroom.membership.platform.Timestamps;

/**
 * The append-only audit log (table {@code audit_log}): entries are inserted, listed, and never
 * changed or deleted.
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

  /** One audit entry as listed; details is the JSON object that was recorded. */
  public record Entry(Instant at, String actor, String action, String target, JsonObject details) {}

  @Transactional(TxType.REQUIRES_NEW)
  public void record(String actor, String action, String target, JsonObject details) {
    insert(actor, action, target, details);
  }

  @Transactional(TxType.MANDATORY)
  public void recordInCurrentTransaction(
      String actor, String action, String target, JsonObject details) {
    insert(actor, action, target, details);
  }

  /** Entries with {@code from <= at < to}, oldest first. */
  @Transactional(TxType.SUPPORTS)
  public List<Entry> list(Instant from, Instant to) {
    String sql =
        "SELECT at, actor, action, target, details FROM audit_log"
            + " WHERE at >= ? AND at < ? ORDER BY at, id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      s.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String details = rs.getString(5);
          entries.add(
              new Entry(
                  rs.getObject(1, OffsetDateTime.class).toInstant(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  details == null
                      ? null
                      : Json.createReader(new StringReader(details)).readObject()));
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
      s.setObject(1, UUID.randomUUID());
      s.setObject(2, Timestamps.now());
      s.setString(3, actor);
      s.setString(4, action);
      s.setString(5, target);
      s.setString(6, details == null ? null : details.toString());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Writing the audit log failed", e);
    }
  }
}
