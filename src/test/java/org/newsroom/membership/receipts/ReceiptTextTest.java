package org.newsroom.membership.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.donations.Frequency;

class ReceiptTextTest {

  private static final Organisation ORG =
      new Organisation("Trust <b>&</b> Co", List.of("1 Press Lane", "London"), "A gift.");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  @Test
  void aReceiptFormatsEachCurrencyByItsOwnDecimalsAndTheDateInTheZone() {
    // 23:30 UTC on 31 March 2026 is already 1 April in London (BST).
    Instant lateNight = Instant.parse("2026-03-31T23:30:00Z");
    assertThat(
            ReceiptText.receipt(ORG, "r1", 1250, "GBP", Frequency.ONE_OFF, lateNight, LONDON, null)
                .subject())
        .isEqualTo("Your receipt: 12.50 GBP on 1 April 2026");
    assertThat(
            ReceiptText.receipt(ORG, "r1", 1250, "JPY", Frequency.MONTHLY, lateNight, LONDON, null)
                .text())
        .contains("Amount: 1250 JPY", "Gift: Monthly contribution");
    assertThat(
            ReceiptText.receipt(ORG, "r1", 1250, "KWD", Frequency.ANNUAL, lateNight, LONDON, null)
                .text())
        .contains("Amount: 1.250 KWD", "Gift: Annual contribution");
  }

  @Test
  void configuredAndPersonalTextIsEscapedInHtml() {
    String html =
        ReceiptText.receipt(
                ORG,
                "r1",
                100,
                "GBP",
                Frequency.ONE_OFF,
                Instant.EPOCH,
                LONDON,
                "https://x/?a=1&b=2")
            .html();
    assertThat(html)
        .contains("Trust &lt;b&gt;&amp;&lt;/b&gt; Co", "a=1&amp;b=2")
        .doesNotContain("<b>");
  }

  @Test
  void aPdfStatementReadsBackAndNamesInOtherScriptsDoNotBreakIt() throws IOException {
    Statement s =
        new Statement(
            2026,
            "Europe/London",
            "Zoë 山田",
            "zoe@example.org",
            ORG,
            List.of(
                new Statement.Line(
                    UUID.randomUUID(),
                    Instant.parse("2026-06-01T10:00:00Z"),
                    "ONE_OFF",
                    12340,
                    0,
                    12340,
                    "KWD",
                    3)),
            List.of(new Statement.Total("KWD", 3, 1, 12340, 0, 12340)),
            Instant.parse("2026-12-03T10:00:00Z"));
    try (PDDocument doc = Loader.loadPDF(StatementPdf.render(s))) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("giving statement 2026", "Zoë ??", "12.340 KWD", "1 June 2026");
    }
  }
}
