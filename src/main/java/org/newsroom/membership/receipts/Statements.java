package org.newsroom.membership.receipts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Members;
import org.newsroom.membership.donations.GivingRecords;
import org.newsroom.membership.platform.Attachment;
import org.newsroom.membership.platform.MailOutbox;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.Timestamps;

/**
 * Annual giving statements: a calendar year (in {@code reports.default-zone}) of the reader's
 * successful payments, what was refunded of each, and what was kept, per currency. A payment lost
 * to a dispute counts as refunded in full.
 */
@ApplicationScoped
public class Statements {

  static final int FIRST_YEAR = 2000;

  @Inject GivingRecords giving;
  @Inject Members members;
  @Inject Receipts receipts;
  @Inject MailOutbox outbox;
  @Inject RateLimits rateLimits;

  @Inject
  @ConfigProperty(name = "rate-limit.mails-per-email")
  int mailsPerWindow;

  @Transactional(Transactional.TxType.SUPPORTS)
  public Statement of(UUID memberId, int year) {
    ZoneId zone = receipts.zone();
    if (year < FIRST_YEAR || year > LocalDate.now(zone).getYear()) {
      throw ProblemException.validation(
          "year", "must be a calendar year from " + FIRST_YEAR + " to this year");
    }
    Member member = members.get(memberId);
    Instant from = LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant();
    Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();
    List<Statement.Line> lines = new ArrayList<>();
    Map<String, long[]> sums = new LinkedHashMap<>();
    for (GivingRecords.PaymentRecord p : giving.paymentsBetween(memberId, from, to)) {
      boolean lost = "LOST".equals(p.disputeStatus());
      long refunded = lost ? p.amount() : Math.min(p.refundedAmount(), p.amount());
      long kept = p.amount() - refunded;
      lines.add(
          new Statement.Line(
              p.id(),
              p.paidAt(),
              p.frequency(),
              p.amount(),
              refunded,
              kept,
              p.currency(),
              p.currencyDecimals()));
      long[] sum = sums.computeIfAbsent(p.currency(), c -> new long[4]);
      sum[0]++;
      sum[1] += p.amount();
      sum[2] += refunded;
      sum[3] += kept;
    }
    List<Statement.Total> totals = new ArrayList<>();
    sums.forEach(
        (currency, sum) ->
            totals.add(
                new Statement.Total(
                    currency,
                    org.newsroom.membership.donations.Money.exponent(currency),
                    (int) sum[0],
                    sum[1],
                    sum[2],
                    sum[3])));
    return new Statement(
        year,
        zone.getId(),
        member.displayName(),
        member.email(),
        receipts.organisation(),
        lines,
        totals,
        Timestamps.now().toInstant());
  }

  public String html(UUID memberId, int year) {
    return ReceiptText.statementHtml(of(memberId, year));
  }

  public byte[] pdf(UUID memberId, int year) {
    return StatementPdf.render(of(memberId, year));
  }

  /**
   * Mails the statement: HTML in the body, the PDF attached (the same file as the signed-in
   * download); limited like other mails a reader can ask for.
   */
  @Transactional
  public void mail(UUID memberId, int year) {
    Statement s = of(memberId, year);
    rateLimits.hit(rateLimits.define("statement-mails", mailsPerWindow), memberId.toString());
    StringBuilder text = new StringBuilder(ReceiptText.title(s)).append("\n\n");
    if (s.totals().isEmpty()) {
      text.append("No gifts were received from you in ").append(year).append(".\n");
    }
    for (Statement.Total t : s.totals()) {
      text.append(t.count())
          .append(" gift(s): given ")
          .append(ReceiptText.money(t.given(), t.currency()))
          .append(", refunded ")
          .append(ReceiptText.money(t.refunded(), t.currency()))
          .append(", kept ")
          .append(ReceiptText.money(t.kept(), t.currency()))
          .append('\n');
    }
    text.append("\n").append(s.organisation().giftWording()).append("\n\n");
    text.append("The statement is attached as a PDF.\n");
    String html =
        ReceiptText.statementHtml(s)
            .replace("</body>", "<p>The statement is attached as a PDF.</p></body>");
    outbox.queue(
        memberId,
        s.donorEmail(),
        "Your giving statement for " + year,
        text.toString(),
        html,
        new Attachment(
            "giving-statement-" + year + ".pdf", "application/pdf", StatementPdf.render(s)));
  }
}
