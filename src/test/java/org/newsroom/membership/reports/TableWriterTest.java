package org.newsroom.membership.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class TableWriterTest {

  @Test
  void textThatASpreadsheetWouldEvaluateGetsALeadingApostrophe() {
    assertThat(TableWriter.neutralise("=HYPERLINK(\"http://x\",\"y\")"))
        .isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
    assertThat(TableWriter.neutralise("+1+1")).isEqualTo("'+1+1");
    assertThat(TableWriter.neutralise("-2+3")).isEqualTo("'-2+3");
    assertThat(TableWriter.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(TableWriter.neutralise("\tcmd")).isEqualTo("'\tcmd");
    assertThat(TableWriter.neutralise("\rcmd")).isEqualTo("'\rcmd");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertThat(TableWriter.neutralise("ada@example.org")).isEqualTo("ada@example.org");
    assertThat(TableWriter.neutralise("a=b")).isEqualTo("a=b");
    assertThat(TableWriter.neutralise("")).isEmpty();
    assertThat(TableWriter.neutralise(null)).isNull();
  }

  @Test
  void csvIsRfc4180WithQuotedSpecialsAndUnprefixedNegativeMoney() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TableWriter table = TableWriter.open(ExportFormat.CSV, out, "t")) {
      table.header(List.of("text", "amount", "count"));
      table.text("say \"hi\",\nthen =1+1");
      table.money(-1250, "GBP");
      table.number(-3);
      table.endRow();
      table.text("=1+1");
      table.money(1250, "JPY");
      table.number(7);
      table.endRow();
      table.finish();
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "text,amount,count\r\n"
                + "\"say \"\"hi\"\",\nthen =1+1\",-12.50,-3\r\n"
                + "'=1+1,1250,7\r\n");
  }

  @Test
  void xlsxHasNumericMoneyWithTheCurrencyFormatAndNeutralisedText() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TableWriter table = TableWriter.open(ExportFormat.XLSX, out, "t")) {
      table.header(List.of("text", "amount"));
      for (int i = 0; i < 250; i++) {
        table.text(i == 0 ? "@SUM(A1)" : "row " + i);
        table.money(-1250, i == 0 ? "JPY" : "GBP");
        table.endRow();
      }
      table.finish();
    }
    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
      var sheet = workbook.getSheetAt(0);
      assertThat(sheet.getLastRowNum()).isEqualTo(250);
      Row first = sheet.getRow(1);
      assertThat(first.getCell(0).getStringCellValue()).isEqualTo("'@SUM(A1)");
      Cell yen = first.getCell(1);
      assertThat(yen.getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(yen.getNumericCellValue()).isEqualTo(-1250.0);
      assertThat(yen.getCellStyle().getDataFormatString()).isEqualTo("#,##0 \"JPY\"");
      Cell pounds = sheet.getRow(250).getCell(1);
      assertThat(pounds.getNumericCellValue()).isEqualTo(-12.5);
      assertThat(pounds.getCellStyle().getDataFormatString()).isEqualTo("#,##0.00 \"GBP\"");
    }
  }

  @Test
  void xlsxContinuesOnANewSheetWithTheHeaderWhenASheetIsFull() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TableWriter table = new XlsxTable(out, "transactions-2031-01-01_2031-12-31", 9)) {
      table.header(List.of("n"));
      for (int i = 0; i < 25; i++) {
        table.number(i);
        table.endRow();
      }
      table.finish();
    }
    try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
      assertThat(workbook.getNumberOfSheets()).isEqualTo(3);
      assertThat(workbook.getSheetAt(1).getSheetName())
          .hasSizeLessThanOrEqualTo(31)
          .endsWith(" (2)");
      assertThat(workbook.getSheetAt(1).getRow(0).getCell(0).getStringCellValue()).isEqualTo("n");
      assertThat(workbook.getSheetAt(1).getRow(1).getCell(0).getNumericCellValue()).isEqualTo(9.0);
      assertThat(workbook.getSheetAt(2).getLastRowNum()).isEqualTo(7);
    }
  }
}
