package org.newsroom.membership.stripe;

import jakarta.enterprise.inject.Vetoed;
import java.util.Optional;
import java.util.UUID;
import org.newsroom.membership.donations.GiftSource;
import org.newsroom.membership.donations.Ledger;
import org.newsroom.membership.donations.MoneyMovement;
import org.newsroom.membership.donations.Payment;
import org.newsroom.membership.donations.RecurringContribution;

/**
 * The ledger as the processor's dry run sees it: reads are answered by the real ledger (each in a
 * short transaction of its own), writes are dropped. The dry run exists to learn which Stripe
 * objects an event needs before the transaction that applies it.
 */
@Vetoed
final class ReadOnlyLedger extends Ledger {

  private final Ledger real;

  ReadOnlyLedger(Ledger real) {
    this.real = real;
  }

  @Override
  public Optional<RecurringContribution> contribution(String subscriptionId) {
    return real.contribution(subscriptionId);
  }

  @Override
  public boolean knowsSubscription(String subscriptionId) {
    return real.knowsSubscription(subscriptionId);
  }

  @Override
  public boolean hasPayment(String chargeId) {
    return real.hasPayment(chargeId);
  }

  @Override
  public boolean hasMovement(MoneyMovement.Type type, String stripeObjectId) {
    return real.hasMovement(type, stripeObjectId);
  }

  @Override
  public UUID memberOfCustomer(String customerId) {
    return real.memberOfCustomer(customerId);
  }

  @Override
  public boolean applySubscription(SubscriptionState s, long created) {
    return true;
  }

  @Override
  public void attributeContribution(String subscriptionId, GiftSource source) {}

  @Override
  public void attributePayment(String chargeId, GiftSource source) {}

  @Override
  public void contributionFeeCovered(String subscriptionId, long coveredFee) {}

  @Override
  public void paymentFeeCovered(String chargeId, long coveredFee) {}

  @Override
  public void paymentFailed(String subscriptionId, String invoiceAttempt, long created) {}

  @Override
  public void paymentFailed(
      String subscriptionId,
      String invoiceAttempt,
      long created,
      int attempt,
      java.time.Instant nextAttempt) {}

  @Override
  public void cardAttached(String customerId, java.time.YearMonth expiry, long created) {}

  @Override
  public Payment recordPayment(Charge charge, Balance balance) {
    return null;
  }

  @Override
  public void recordRefund(Refund refund) {}

  @Override
  public void recordDispute(Dispute dispute) {}

  @Override
  public void recordPayout(Payout payout) {}

  @Override
  public void attachGuestGifts(UUID memberId, String email) {
    throw new UnsupportedOperationException("not part of applying Stripe facts");
  }
}
