package org.newsroom.membership.reports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.newsroom.membership.donations.Money;

/**
 * RFC 4180 CSV in UTF-8 (CRLF line ends, fields with commas, quotes or line breaks quoted), money
 * as a plain decimal in major units. Rows go out as the buffer fills, so memory stays constant.
 */
final class CsvTable extends TableWriter {

  private final CSVPrinter printer;

  CsvTable(OutputStream out) throws IOException {
    this.printer =
        new CSVPrinter(
            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024),
            CSVFormat.RFC4180);
  }

  @Override
  public void header(List<String> names) throws IOException {
    printer.printRecord(names);
  }

  @Override
  protected void writeText(String neutralised) throws IOException {
    printer.print(neutralised == null ? "" : neutralised);
  }

  @Override
  public void money(long minor, String currency) throws IOException {
    printer.print(Money.decimal(minor, currency));
  }

  @Override
  public void number(long value) throws IOException {
    printer.print(Long.toString(value));
  }

  @Override
  public void endRow() throws IOException {
    printer.println();
  }

  @Override
  public void finish() throws IOException {
    printer.flush();
  }

  @Override
  public void close() throws IOException {
    printer.close();
  }
}
