package org.newsroom.membership.reports;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * An export that is one table row per result row of one query: its header, the query, and how a
 * result row becomes the row's cells. {@link ReportQueries#table} writes it.
 */
record RowExport(List<String> columns, String sql, Cells cells) {

  @FunctionalInterface
  interface Cells {
    void write(ResultSet row, TableWriter table) throws SQLException, IOException;
  }
}
