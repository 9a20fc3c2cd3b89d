package org.newsroom.membership.receipts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Members;
import org.newsroom.membership.donations.PaymentRecorded;
import org.newsroom.membership.platform.MailOutbox;

/**
 * A receipt for every successful payment, one-off or renewal, member or guest: queued in the same
 * transaction that records the payment (so exactly once per payment, never for one that rolled
 * back), to the member's current address or else the address the guest gave at checkout.
 */
@ApplicationScoped
public class Receipts {

  @Inject MailOutbox outbox;
  @Inject Members members;

  @Inject
  @ConfigProperty(name = "site.name")
  String siteName;

  @Inject
  @ConfigProperty(name = "receipts.organisation-name")
  Optional<String> organisationName;

  @Inject
  @ConfigProperty(name = "receipts.organisation-address")
  Optional<String> organisationAddress;

  @Inject
  @ConfigProperty(name = "receipts.gift-wording")
  String giftWording;

  @Inject
  @ConfigProperty(name = "reports.default-zone")
  String zone;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  Organisation organisation() {
    List<String> address =
        organisationAddress
            .map(a -> Arrays.stream(a.split("\\|")).map(String::strip).filter(l -> !l.isEmpty()))
            .map(s -> s.toList())
            .orElse(List.of());
    return new Organisation(
        organisationName.filter(n -> !n.isBlank()).orElse(siteName), address, giftWording);
  }

  ZoneId zone() {
    return ZoneId.of(zone);
  }

  String publicBaseUrl() {
    return publicBaseUrl;
  }

  String statementsLink() {
    return publicBaseUrl + "/my-support.html#statements";
  }

  void paid(@Observes PaymentRecorded payment) {
    Optional<String> to = members.giverAddress(payment.memberId(), payment.donorEmail());
    if (to.isEmpty()) {
      return;
    }
    ReceiptText.Mail mail =
        ReceiptText.receipt(
            organisation(),
            payment.paymentId().toString(),
            payment.amount(),
            payment.currency(),
            payment.frequency(),
            payment.paidAt(),
            zone(),
            hasAccount(payment) ? statementsLink() : null);
    outbox.queue(payment.memberId(), to.get(), mail.subject(), mail.text(), mail.html());
  }

  private boolean hasAccount(PaymentRecorded payment) {
    return payment.memberId() != null && members.find(payment.memberId()).isPresent();
  }
}
