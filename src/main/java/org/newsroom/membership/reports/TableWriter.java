package org.newsroom.membership.reports;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A report table written row by row to CSV or XLSX. Text goes through {@link #neutralise} here, the
 * one place that defends spreadsheet users against formula injection for both formats; numbers
 * (money, counts) are written as numbers and never altered.
 */
public abstract class TableWriter implements Closeable {

  /**
   * Text that a spreadsheet would read as a formula (or that hides one behind a tab or carriage
   * return) gets a leading apostrophe, as OWASP advises for CSV injection. Everything else is left
   * as it is.
   */
  public static String neutralise(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    char first = text.charAt(0);
    if (first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r') {
      return "'" + text;
    }
    return text;
  }

  public static TableWriter open(ExportFormat format, OutputStream out, String sheetName)
      throws IOException {
    return switch (format) {
      case CSV -> new CsvTable(out);
      case XLSX -> new XlsxTable(out, sheetName);
      case JSON -> throw new IllegalArgumentException("JSON is not a table format");
    };
  }

  public abstract void header(List<String> names) throws IOException;

  /** A text cell; null is an empty cell. */
  public final void text(String value) throws IOException {
    writeText(neutralise(value));
  }

  /** A money cell from minor units in the given currency. */
  public abstract void money(long minor, String currency) throws IOException;

  /** A count. */
  public abstract void number(long value) throws IOException;

  public abstract void endRow() throws IOException;

  /**
   * Writes what is still buffered to the output. The table must be {@link #close closed} in any
   * case, also when this fails.
   */
  public abstract void finish() throws IOException;

  protected abstract void writeText(String neutralised) throws IOException;
}
