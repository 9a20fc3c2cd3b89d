package org.newsroom.membership.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.newsroom.membership.donations.Money;

/**
 * XLSX through POI's streaming workbook: only a window of rows stays in memory, the rest goes to a
 * compressed temporary file that {@link #close} always deletes. The document itself can only be
 * written once every row is in, so {@link #finish} is where the bytes leave.
 */
final class XlsxTable extends TableWriter {

  static final int WINDOW_ROWS = 100;
  static final int MAX_ROW_INDEX = SpreadsheetVersion.EXCEL2007.getLastRowIndex();

  private final OutputStream out;
  private final SXSSFWorkbook workbook;
  private final String sheetName;
  private final int maxRowIndex;
  private SXSSFSheet sheet;
  private int sheets = 1;
  private List<String> header = List.of();
  private final CellStyle headerStyle;
  private final Map<String, CellStyle> moneyStyles = new HashMap<>();
  private Row row;
  private int rowIndex;
  private int column;

  XlsxTable(OutputStream out, String sheetName) {
    this(out, sheetName, MAX_ROW_INDEX);
  }

  XlsxTable(OutputStream out, String sheetName, int maxRowIndex) {
    this.out = out;
    this.maxRowIndex = maxRowIndex;
    this.workbook = new SXSSFWorkbook(WINDOW_ROWS);
    workbook.setCompressTempFiles(true);
    this.sheetName = sheetName;
    this.sheet = workbook.createSheet(sheetName);
    Font bold = workbook.createFont();
    bold.setBold(true);
    headerStyle = workbook.createCellStyle();
    headerStyle.setFont(bold);
  }

  @Override
  public void header(List<String> names) throws IOException {
    header = List.copyOf(names);
    writeHeader();
  }

  private void writeHeader() {
    for (String name : header) {
      Cell cell = cell();
      cell.setCellValue(name);
      cell.setCellStyle(headerStyle);
    }
    endRow();
    sheet.createFreezePane(0, 1);
  }

  @Override
  protected void writeText(String neutralised) {
    Cell cell = cell();
    if (neutralised != null) {
      cell.setCellValue(neutralised);
    }
  }

  @Override
  public void money(long minor, String currency) {
    Cell cell = cell();
    cell.setCellValue(Money.major(minor, currency).doubleValue());
    cell.setCellStyle(moneyStyles.computeIfAbsent(currency, this::moneyStyle));
  }

  @Override
  public void number(long value) {
    cell().setCellValue(value);
  }

  @Override
  public void endRow() {
    row = null;
    rowIndex++;
    column = 0;
  }

  @Override
  public void finish() throws IOException {
    workbook.write(out);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      workbook.close();
    } finally {
      workbook.dispose();
    }
  }

  private Cell cell() {
    if (row == null) {
      if (rowIndex > maxRowIndex) {
        nextSheet();
      }
      row = sheet.createRow(rowIndex);
    }
    return row.createCell(column++);
  }

  /**
   * A sheet holds at most 1,048,576 rows; a longer export continues on further sheets, each with
   * the header again, instead of failing half-way through the download.
   */
  private void nextSheet() {
    sheets++;
    String suffix = " (" + sheets + ")";
    String base =
        sheetName.length() + suffix.length() > 31
            ? sheetName.substring(0, 31 - suffix.length())
            : sheetName;
    sheet = workbook.createSheet(base + suffix);
    rowIndex = 0;
    column = 0;
    if (!header.isEmpty()) {
      writeHeader();
    }
  }

  /** E.g. {@code #,##0.00 "GBP"}, {@code #,##0 "JPY"}: the figure keeps the currency's exponent. */
  private CellStyle moneyStyle(String currency) {
    int exponent = Money.exponent(currency);
    String code = currency.replaceAll("[^A-Za-z]", "");
    String pattern =
        "#,##0" + (exponent > 0 ? "." + "0".repeat(exponent) : "") + " \"" + code + "\"";
    CellStyle style = workbook.createCellStyle();
    style.setDataFormat(workbook.createDataFormat().getFormat(pattern));
    return style;
  }
}
