package org.newsroom.membership.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.MyDataExport;
import org.newsroom.membership.accounts.StaffActions;
import org.newsroom.membership.donations.ContributionViews;
import org.newsroom.membership.donations.Contributions;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.GivingRecords;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.ProblemException;

/**
 * Supporter care: a staff member (SUPPORT or ADMIN) finds a reader who wrote in and acts for them.
 * Every look-up and every action needs a reason and lands in the audit log with the staff member,
 * the reader and the reason, whether it succeeded or was refused on its merits. Actions reuse the
 * code paths the reader's own requests take, so the reader gets the same confirmation mails.
 */
@ApplicationScoped
public class SupportDesk {

  static final int MAX_RESULTS = 20;
  private static final Pattern STRIPE_ID = Pattern.compile("[a-z]{2,5}_[A-Za-z0-9_]{3,250}");

  @Inject StaffActions accounts;
  @Inject MyDataExport myData;
  @Inject GivingRecords giving;
  @Inject Contributions contributions;
  @Inject AuditLog auditLog;

  public record ReaderMatch(
      UUID id, String email, String displayName, boolean emailVerified, Instant createdAt) {}

  public record Matches(String matchedBy, List<ReaderMatch> readers) {}

  /** What a support person sees of a reader: the data export plus giving with Stripe ids. */
  public record Case(
      MyDataExport.Document account,
      List<GivingRecords.RecurringRecord> recurring,
      List<GivingRecords.PaymentRecord> payments,
      List<GivingRecords.MovementRecord> refunds,
      List<GivingRecords.MovementRecord> disputes) {}

  public record SignedOut(int sessionsRevoked) {}

  public Matches find(String staff, String query, String reason) {
    String why = reason(reason);
    String q = query == null ? "" : query.trim();
    if (q.length() < 2 || q.length() > 320) {
      throw ProblemException.validation("q", "must be 2 to 320 characters");
    }
    Matches matches;
    if (STRIPE_ID.matcher(q).matches() && !q.contains("@")) {
      Set<UUID> ids = new LinkedHashSet<>(giving.membersByStripeId(q));
      matches = new Matches("stripe-id", view(accounts.byIds(ids)));
    } else {
      matches =
          new Matches(
              q.contains("@") ? "email-prefix" : "email-or-name-prefix",
              view(accounts.search(q, MAX_RESULTS)));
    }
    auditLog.record(
        staff,
        "support.search",
        null,
        Json.createObjectBuilder()
            .add("reason", why)
            .add("query", q)
            .add("matchedBy", matches.matchedBy())
            .add("results", matches.readers().size())
            .build());
    return matches;
  }

  public Case view(String staff, UUID readerId, String reason) {
    String why = reason(reason);
    accounts.member(readerId);
    MyDataExport.Document account = myData.of(readerId);
    GivingRecords.Giving g = giving.of(readerId);
    auditLog.record(staff, "support.view", readerId.toString(), details(why).build());
    return new Case(account, g.recurring(), g.payments(), g.refunds(), g.disputes());
  }

  public void resendVerification(String staff, UUID readerId, String reason) {
    String why = reason(reason);
    audited(
        staff,
        "support.verification-mail",
        readerId,
        details(why),
        () -> {
          accounts.resendVerification(readerId);
          return null;
        });
  }

  public SignedOut signOutEverywhere(String staff, UUID readerId, String reason) {
    String why = reason(reason);
    return audited(
        staff,
        "support.sign-out-everywhere",
        readerId,
        details(why),
        () -> new SignedOut(accounts.signOutEverywhere(readerId)));
  }

  public ContributionViews.RecurringView change(
      String staff,
      UUID readerId,
      UUID contributionId,
      Long amount,
      Frequency frequency,
      String reason) {
    String why = reason(reason);
    JsonObjectBuilder d = details(why).add("contribution", contributionId.toString());
    if (amount != null) {
      d.add("amount", amount);
    }
    if (frequency != null) {
      d.add("frequency", frequency.name());
    }
    return audited(
        staff,
        "support.contribution-change",
        readerId,
        d,
        () -> contributions.change(reader(readerId), contributionId, amount, frequency));
  }

  public ContributionViews.RecurringView cancel(
      String staff, UUID readerId, UUID contributionId, String cancelReason, String reason) {
    String why = reason(reason);
    return audited(
        staff,
        "support.contribution-cancel",
        readerId,
        details(why).add("contribution", contributionId.toString()),
        () -> contributions.cancel(reader(readerId), contributionId, cancelReason));
  }

  public ContributionViews.RecurringView pause(
      String staff, UUID readerId, UUID contributionId, LocalDate resumeOn, String reason) {
    String why = reason(reason);
    return audited(
        staff,
        "support.contribution-pause",
        readerId,
        details(why)
            .add("contribution", contributionId.toString())
            .add("resumeOn", String.valueOf(resumeOn)),
        () -> contributions.pause(reader(readerId), contributionId, resumeOn));
  }

  public ContributionViews.RecurringView resume(
      String staff, UUID readerId, UUID contributionId, String reason) {
    String why = reason(reason);
    return audited(
        staff,
        "support.contribution-resume",
        readerId,
        details(why).add("contribution", contributionId.toString()),
        () -> contributions.resume(reader(readerId), contributionId));
  }

  /**
   * The idempotency key is the payment plus the request id the console makes once per refund form,
   * so a double click or a retried request is one refund at Stripe.
   */
  public GivingRecords.RefundRequested refund(
      String staff, UUID readerId, UUID paymentId, Long amount, UUID requestId, String reason) {
    String why = reason(reason);
    if (amount != null && amount <= 0) {
      throw ProblemException.validation("amount", "must be positive");
    }
    UUID request = requestId != null ? requestId : UUID.randomUUID();
    JsonObjectBuilder d =
        details(why).add("payment", paymentId.toString()).add("requestId", request.toString());
    if (amount != null) {
      d.add("amount", amount);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("staff", staff);
    metadata.put("memberId", readerId.toString());
    metadata.put("paymentId", paymentId.toString());
    return audited(
        staff,
        "support.refund",
        readerId,
        d,
        () -> {
          reader(readerId);
          return giving.refund(
              readerId, paymentId, amount, metadata, "support-refund-" + paymentId + "-" + request);
        });
  }

  private UUID reader(UUID readerId) {
    return accounts.member(readerId).id();
  }

  /** Runs the action and audits it with its outcome: done, or the problem that refused it. */
  private <T> T audited(
      String staff, String action, UUID readerId, JsonObjectBuilder details, Supplier<T> work) {
    try {
      T result = work.get();
      auditLog.record(staff, action, readerId.toString(), details.add("outcome", "done").build());
      return result;
    } catch (ProblemException refused) {
      auditLog.record(
          staff,
          action,
          readerId.toString(),
          details.add("outcome", refused.status() + " " + refused.type().slug()).build());
      throw refused;
    }
  }

  private static JsonObjectBuilder details(String reason) {
    return Json.createObjectBuilder().add("reason", reason);
  }

  /** A reason is required for every look-up and action: 3 to 500 characters. */
  static String reason(String reason) {
    String r = reason == null ? "" : reason.strip();
    if (r.length() < 3 || r.length() > 500) {
      throw ProblemException.validation(
          "reason", "say why (3 to 500 characters), e.g. the ticket and what the reader asked");
    }
    return r;
  }

  private static List<ReaderMatch> view(List<Member> members) {
    return members.stream()
        .map(
            m ->
                new ReaderMatch(
                    m.id(),
                    m.email(),
                    m.displayName(),
                    m.emailVerified(),
                    m.createdAt().toInstant()))
        .toList();
  }
}
