package org.newsroom.membership.reports;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.newsroom.membership.platform.Migrations;

/**
 * Reads report rows through a forward-only, read-only JDBC cursor, a fetch size at a time, so a
 * report of any length holds only one batch in memory. PostgreSQL honours the fetch size only with
 * autocommit off, so the connection runs one read-only transaction for the query and is put back as
 * it was. Reports run outside any JTA transaction (while JAX-RS writes the response), which is what
 * lets this code switch autocommit itself.
 *
 * <p>When the client hangs up, the next write fails; the exception leaves the loop and the
 * try-with-resources closes the cursor and returns the connection to the pool at once.
 */
@ApplicationScoped
public class ReportQueries {

  @Resource(lookup = Migrations.DATASOURCE)
  DataSource dataSource;

  @Inject @ConfigProperties ReportSettings settings;

  @FunctionalInterface
  public interface RowHandler {
    void row(ResultSet row) throws SQLException, IOException;
  }

  /** The export's header, then one table row per result row of its query. */
  void table(TableWriter table, RowExport export, List<?> parameters) throws IOException {
    table.header(export.columns());
    forEach(
        export.sql(),
        parameters,
        row -> {
          export.cells().write(row, table);
          table.endRow();
        });
  }

  public void forEach(String sql, List<?> parameters, RowHandler handler) throws IOException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement statement =
          connection.prepareStatement(
              sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        statement.setFetchSize(settings.fetchSize());
        for (int i = 0; i < parameters.size(); i++) {
          statement.setObject(i + 1, bindable(parameters.get(i)));
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            handler.row(rows);
          }
        }
      } finally {
        restore(connection, autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("A report query failed", e);
    }
  }

  /** Ends the read-only transaction; a broken connection must not hide the original failure. */
  private static void restore(Connection connection, boolean autoCommit) {
    try {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    } catch (SQLException ignored) {
      // the pool validates connections and drops a broken one
    }
  }

  private static Object bindable(Object value) {
    return value instanceof Instant instant
        ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)
        : value;
  }

  public static Instant instant(ResultSet row, int column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
