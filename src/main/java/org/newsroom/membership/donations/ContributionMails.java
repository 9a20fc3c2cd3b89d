package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.AccountMails;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Members;

/** Confirmations of changes to a recurring contribution, queued with the change itself. */
@ApplicationScoped
public class ContributionMails {

  /** The reader's page of their giving, where every contribution mail sends them. */
  static final String MY_SUPPORT = "/my-support.html";

  @Inject AccountMails mails;
  @Inject Members members;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  void changed(RecurringContribution c) {
    boolean pending = c.pendingFrequency() != null;
    long amount = pending ? c.pendingAmount() : c.amount();
    Frequency frequency = pending ? c.pendingFrequency() : c.frequency();
    send(
        c,
        "Your contribution was changed",
        "Your contribution is now "
            + money(amount, c.currency())
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

  void paymentFailed(RecurringContribution c) {
    send(
        c,
        "Your payment did not go through",
        "We could not collect your contribution of " + money(c.amount(), c.currency()) + ".",
        "Please update your card so your support continues:");
  }

  private void send(RecurringContribution c, String subject, String opening, String instruction) {
    Optional<String> to =
        Optional.ofNullable(c.memberId())
            .flatMap(members::find)
            .map(Member::email)
            .or(() -> Optional.ofNullable(c.donorEmail()));
    to.ifPresent(
        address ->
            mails.send(
                c.memberId(), address, subject, opening, instruction, publicBaseUrl + MY_SUPPORT));
  }

  private static String money(long minor, String currency) {
    return Money.display(minor, currency);
  }
}
