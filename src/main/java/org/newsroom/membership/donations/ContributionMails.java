package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.AccountMails;
import org.newsroom.membership.accounts.Members;

/** Confirmations of changes to a recurring contribution, queued with the change itself. */
@ApplicationScoped
public class ContributionMails {

  /** The reader's page of their giving, where every contribution mail sends them. */
  static final String MY_SUPPORT = "/my-support.html";

  /** Where a failed renewal's mail sends the reader to fix their card. */
  static final String FIX_PAYMENT = "/fix-payment.html";

  @Inject AccountMails mails;
  @Inject Members members;
  @Inject RecoveryLinks recoveryLinks;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @Inject
  @ConfigProperty(name = "recovery.final-attempt")
  int finalAttempt;

  void changed(RecurringContribution c) {
    boolean pending = c.pendingFrequency() != null;
    Frequency frequency = pending ? c.pendingFrequency() : c.frequency();
    send(
        c,
        "Your contribution was changed",
        "Your contribution is now "
            + c.upcomingAmount().display()
            + (frequency == Frequency.ANNUAL ? " a year" : " a month")
            + (pending && c.pendingFrom() != null
                ? ", from "
                    + c.pendingFrom().toLocalDate()
                    + ", when your current period ends. Nothing is charged now."
                : ", from your next billing date. Nothing is charged now."),
        "You can review or change it at any time:");
  }

  void cancelled(RecurringContribution c) {
    send(
        c,
        "Your contribution was cancelled",
        "Your recurring contribution was cancelled. No further payments will be taken after the"
            + " current period. Thank you for your support.",
        "If you change your mind, you are welcome back any time:");
  }

  void paused(RecurringContribution c) {
    send(
        c,
        "Your contribution is paused",
        "Your recurring contribution is paused"
            + (c.resumesOn() == null ? "." : " until " + c.resumesOn().toLocalDate() + ".")
            + " No payment is collected in the meantime.",
        "You can resume it earlier at any time:");
  }

  void resumed(RecurringContribution c) {
    send(
        c,
        "Your contribution has resumed",
        "Your recurring contribution is active again. Thank you for your support.",
        "You can review it at any time:");
  }

  /** Links to the fix-your-card page, which works without signing in (guests too). */
  void paymentFailed(RecurringContribution c) {
    send(
        c,
        "Your payment did not go through",
        "We could not collect your contribution of " + c.amount().display() + ".",
        "Please update your card so your support continues:",
        publicBaseUrl + FIX_PAYMENT + "?token=" + recoveryLinks.issue(c));
  }

  /**
   * Stripe's next try is its last (attempt {@code recovery.final-attempt} of the invoice, as set in
   * the dashboard's retry schedule): after it fails the contribution ends.
   */
  void lastNotice(RecurringContribution c, java.time.Instant finalTry) {
    send(
        c,
        "Last notice: your contribution is about to end",
        "We still could not collect your contribution of "
            + c.amount().display()
            + ". We will try one last time on "
            + finalTry.atZone(java.time.ZoneOffset.UTC).toLocalDate()
            + "; if that fails too, your contribution ends.",
        "Please update your card before then:",
        publicBaseUrl + FIX_PAYMENT + "?token=" + recoveryLinks.issue(c));
  }

  /** The card on file stops working before the next renewal: change it first. */
  void cardExpiresBeforeRenewal(RecurringContribution c) {
    java.time.YearMonth expiry = c.cardExpiry();
    send(
        c,
        "Your card expires before your next payment",
        "The card we charge for your contribution of "
            + c.amount().display()
            + (c.frequency() == Frequency.ANNUAL ? " a year" : " a month")
            + " expires at the end of "
            + String.format(
                java.util.Locale.ROOT, "%02d/%d", expiry.getMonthValue(), expiry.getYear())
            + ", before your next payment on "
            + c.currentPeriodEnd().atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDate()
            + ".",
        "Please give us your new card so your support continues:",
        publicBaseUrl + FIX_PAYMENT + "?token=" + recoveryLinks.issue(c));
  }

  int finalAttempt() {
    return finalAttempt;
  }

  /** The gift ended because Stripe's retries failed; one click restarts it at the same amount. */
  void endedUnpaid(RecurringContribution c) {
    send(
        c,
        "Your contribution has ended",
        "We could not collect your contribution of "
            + c.amount().display()
            + (c.frequency() == Frequency.ANNUAL ? " a year" : " a month")
            + " after several attempts, so it has ended. Thank you for the support you gave.",
        "If you would like to continue, you can restart it here:",
        restartLink(c));
  }

  String restartLink(RecurringContribution c) {
    return publicBaseUrl
        + "/support.html?frequency="
        + c.frequency().name()
        + "&currency="
        + c.amount().currency()
        + "&amount="
        + c.amount().minor();
  }

  private void send(RecurringContribution c, String subject, String opening, String instruction) {
    send(c, subject, opening, instruction, publicBaseUrl + MY_SUPPORT);
  }

  private void send(
      RecurringContribution c, String subject, String opening, String instruction, String link) {
    Optional<String> to = members.giverAddress(c.donor().memberId(), c.donor().email());
    to.ifPresent(
        address -> mails.send(c.donor().memberId(), address, subject, opening, instruction, link));
  }
}
