package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.AccountMails;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Members;

/** Confirmations of changes to a recurring contribution, queued with the change itself. */
@ApplicationScoped
public class ContributionMails {

  @Inject AccountMails mails;
  @Inject Members members;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  void changed(RecurringContribution c) {
    send(
        c,
        "Your contribution was changed",
        "Your contribution is now "
            + money(c.amount(), c.currency())
            + (c.frequency() == Frequency.ANNUAL ? " a year" : " a month")
            + ", from your next billing date.",
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
                c.memberId(),
                address,
                subject,
                opening,
                instruction,
                publicBaseUrl + "/contributions"));
  }

  static String money(long minor, String currency) {
    try {
      int digits = Currency.getInstance(currency).getDefaultFractionDigits();
      return BigDecimal.valueOf(minor, Math.max(digits, 0)).toPlainString() + " " + currency;
    } catch (IllegalArgumentException e) {
      return minor + " " + currency;
    }
  }
}
