package org.newsroom.membership.receipts;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.Money;

/**
 * The words and layout of receipts and statements, as text and HTML. Amounts always through {@link
 * Money#display} (GBP 12.50, JPY 1250, KWD 1.250); dates as "3 December 2026" in the configured
 * zone. Everything that came from a person or configuration is escaped in HTML.
 */
final class ReceiptText {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

  private ReceiptText() {}

  static String date(Instant at, ZoneId zone) {
    return DATE.format(at.atZone(zone));
  }

  static String money(long minor, String currency) {
    return Money.display(minor, currency);
  }

  static String kind(String frequency) {
    return switch (frequency) {
      case "MONTHLY" -> "Monthly contribution";
      case "ANNUAL" -> "Annual contribution";
      default -> "One-off gift";
    };
  }

  record Mail(String subject, String text, String html) {}

  static Mail receipt(
      Organisation org,
      String receiptNumber,
      long amount,
      String currency,
      Frequency frequency,
      Instant paidAt,
      ZoneId zone,
      String statementsLink) {
    String amountText = money(amount, currency);
    String when = date(paidAt, zone);
    String what = kind(frequency.name());
    StringBuilder text = new StringBuilder();
    text.append("Thank you for your gift to ").append(org.name()).append(".\n\n");
    text.append("Receipt number: ").append(receiptNumber).append('\n');
    text.append("Date: ").append(when).append('\n');
    text.append("Amount: ").append(amountText).append('\n');
    text.append("Gift: ").append(what).append("\n\n");
    text.append(org.giftWording()).append("\n\n");
    text.append(org.name()).append('\n');
    org.address().forEach(line -> text.append(line).append('\n'));
    if (statementsLink != null) {
      text.append("\nYour giving statement for each year: ").append(statementsLink).append('\n');
    }
    StringBuilder html = new StringBuilder("<!doctype html><html><body>");
    html.append("<p>Thank you for your gift to ").append(esc(org.name())).append(".</p>");
    html.append("<table>");
    row(html, "Receipt number", receiptNumber);
    row(html, "Date", when);
    row(html, "Amount", amountText);
    row(html, "Gift", what);
    html.append("</table>");
    html.append("<p>").append(esc(org.giftWording())).append("</p>");
    html.append("<address>").append(esc(org.name()));
    org.address().forEach(line -> html.append("<br>").append(esc(line)));
    html.append("</address>");
    if (statementsLink != null) {
      html.append("<p>Your giving statement for each year: <a href=\"")
          .append(esc(statementsLink))
          .append("\">")
          .append(esc(statementsLink))
          .append("</a></p>");
    }
    html.append("</body></html>");
    return new Mail(
        "Your receipt: " + amountText + " on " + when, text.toString(), html.toString());
  }

  /** The statement as a complete HTML document (no script, no inline style). */
  static String statementHtml(Statement s) {
    ZoneId zone = s.zoneId();
    StringBuilder h =
        new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<title>").append(esc(title(s))).append("</title></head><body>");
    h.append("<h1>").append(esc(title(s))).append("</h1>");
    h.append("<address>").append(esc(s.organisation().name()));
    s.organisation().address().forEach(line -> h.append("<br>").append(esc(line)));
    h.append("</address>");
    h.append("<p>Donor: ").append(esc(donor(s))).append("</p>");
    h.append("<p>Issued ")
        .append(esc(date(s.issuedAt(), zone)))
        .append("; dates in ")
        .append(esc(s.zone()))
        .append(".</p>");
    if (s.payments().isEmpty()) {
      h.append("<p>No gifts were received from you in ").append(s.year()).append(".</p>");
    } else {
      h.append("<table><thead><tr><th>Date</th><th>Gift</th><th>Amount</th><th>Refunded</th>")
          .append("<th>Kept</th><th>Receipt number</th></tr></thead><tbody>");
      for (Statement.Line l : s.payments()) {
        h.append("<tr><td>")
            .append(esc(date(l.paidAt(), zone)))
            .append("</td><td>")
            .append(esc(kind(l.frequency())))
            .append("</td><td>")
            .append(esc(money(l.amount(), l.currency())))
            .append("</td><td>")
            .append(esc(money(l.refunded(), l.currency())))
            .append("</td><td>")
            .append(esc(money(l.kept(), l.currency())))
            .append("</td><td>")
            .append(l.paymentId())
            .append("</td></tr>");
      }
      h.append("</tbody></table>");
      h.append("<h2>Totals</h2><table><thead><tr><th>Currency</th><th>Gifts</th><th>Given</th>")
          .append("<th>Refunded</th><th>Kept</th></tr></thead><tbody>");
      for (Statement.Total t : s.totals()) {
        h.append("<tr><td>")
            .append(esc(t.currency()))
            .append("</td><td>")
            .append(t.count())
            .append("</td><td>")
            .append(esc(money(t.given(), t.currency())))
            .append("</td><td>")
            .append(esc(money(t.refunded(), t.currency())))
            .append("</td><td>")
            .append(esc(money(t.kept(), t.currency())))
            .append("</td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<p>").append(esc(s.organisation().giftWording())).append("</p>");
    h.append("</body></html>");
    return h.toString();
  }

  static String title(Statement s) {
    return s.organisation().name() + ": giving statement " + s.year();
  }

  static String donor(Statement s) {
    return s.donorName() == null || s.donorName().isBlank()
        ? s.donorEmail()
        : s.donorName() + " <" + s.donorEmail() + ">";
  }

  private static void row(StringBuilder html, String label, String value) {
    html.append("<tr><th>")
        .append(esc(label))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
