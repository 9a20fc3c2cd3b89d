package org.newsroom.membership.receipts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The statement as an A4 PDF made with Apache PDFBox, in Helvetica (one of the 14 fonts every PDF
 * reader has, so nothing is embedded). Helvetica covers Latin-1 and a little more; any other
 * character (a name in another script) is shown as "?" rather than failing the statement.
 */
final class StatementPdf {

  private static final float MARGIN = 50;
  private static final float LEADING = 15;
  private static final float[] COLUMNS = {50, 150, 290, 380, 465};

  private StatementPdf() {}

  static byte[] render(Statement s) {
    ZoneId zone = s.zoneId();
    try (PDDocument doc = new PDDocument()) {
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      Writer w = new Writer(doc, regular, bold);
      w.line(bold, 16, ReceiptText.title(s));
      w.gap();
      w.line(regular, 10, s.organisation().name());
      for (String line : s.organisation().address()) {
        w.line(regular, 10, line);
      }
      w.gap();
      w.line(regular, 10, "Donor: " + ReceiptText.donor(s));
      w.line(
          regular,
          10,
          "Issued " + ReceiptText.date(s.issuedAt(), zone) + "; dates in " + s.zone() + ".");
      w.gap();
      if (s.payments().isEmpty()) {
        w.line(regular, 10, "No gifts were received from you in " + s.year() + ".");
      } else {
        w.row(bold, "Date", "Gift", "Amount", "Refunded", "Kept");
        for (Statement.Line l : s.payments()) {
          w.row(
              regular,
              ReceiptText.date(l.paidAt(), zone),
              ReceiptText.kind(l.frequency()),
              ReceiptText.money(l.amount(), l.currency()),
              ReceiptText.money(l.refunded(), l.currency()),
              ReceiptText.money(l.kept(), l.currency()));
        }
        w.gap();
        w.line(bold, 12, "Totals");
        w.row(bold, "Currency", "Gifts", "Given", "Refunded", "Kept");
        for (Statement.Total t : s.totals()) {
          w.row(
              regular,
              t.currency(),
              String.valueOf(t.count()),
              ReceiptText.money(t.given(), t.currency()),
              ReceiptText.money(t.refunded(), t.currency()),
              ReceiptText.money(t.kept(), t.currency()));
        }
      }
      w.gap();
      w.line(regular, 10, s.organisation().giftWording());
      w.close();
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(ReceiptText.title(s));
      info.setAuthor(s.organisation().name());
      Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      created.setTimeInMillis(s.issuedAt().toEpochMilli());
      info.setCreationDate(created);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Rendering a statement failed", e);
    }
  }

  /** Writes lines top to bottom, starting a new page when one is full. */
  private static final class Writer {
    private final PDDocument doc;
    private final PDType1Font regular;
    private PDPageContentStream stream;
    private float y;

    Writer(PDDocument doc, PDType1Font regular, PDType1Font bold) throws IOException {
      this.doc = doc;
      this.regular = regular;
      newPage();
    }

    private void newPage() throws IOException {
      if (stream != null) {
        stream.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      stream = new PDPageContentStream(doc, page);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    void line(PDType1Font font, float size, String text) throws IOException {
      for (String part : wrap(font, size, printable(font, text))) {
        room();
        show(font, size, MARGIN, part);
        y -= size + 5;
      }
    }

    void row(PDType1Font font, String... cells) throws IOException {
      room();
      for (int i = 0; i < cells.length; i++) {
        show(font, 9, COLUMNS[i], printable(font, cells[i]));
      }
      y -= LEADING;
    }

    void gap() {
      y -= LEADING / 2;
    }

    private void room() throws IOException {
      if (y < MARGIN + LEADING) {
        newPage();
      }
    }

    private void show(PDType1Font font, float size, float x, String text) throws IOException {
      stream.beginText();
      stream.setFont(font, size);
      stream.newLineAtOffset(x, y);
      stream.showText(text);
      stream.endText();
    }

    void close() throws IOException {
      stream.close();
    }

    private List<String> wrap(PDType1Font font, float size, String text) throws IOException {
      float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
      List<String> lines = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String word : text.split(" ")) {
        String candidate = current.isEmpty() ? word : current + " " + word;
        if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
          lines.add(current.toString());
          current = new StringBuilder(word);
        } else {
          current = new StringBuilder(candidate);
        }
      }
      lines.add(current.toString());
      return lines;
    }

    private String printable(PDType1Font font, String text) {
      StringBuilder out = new StringBuilder();
      text.codePoints()
          .forEach(
              cp -> {
                String c = new String(Character.toChars(cp));
                try {
                  font.encode(c);
                  out.append(c);
                } catch (IOException | IllegalArgumentException notInFont) {
                  out.append('?');
                }
              });
      return out.toString();
    }

    PDType1Font regular() {
      return regular;
    }
  }
}
