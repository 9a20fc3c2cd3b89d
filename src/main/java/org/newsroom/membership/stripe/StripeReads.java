package org.newsroom.membership.stripe;

import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The Stripe objects one event (or synced fact) needs, read once. The processor's dry run fills it
 * outside any transaction; the transaction that applies the event then reads from it. A read the
 * dry run did not foresee (the ledger changed in between) still goes to Stripe, and is logged,
 * because failing the event would only repeat the same miss.
 */
final class StripeReads {

  private static final Logger LOG = Logger.getLogger(StripeReads.class.getName());

  private final StripeGateway gateway;
  private final Map<String, Object> read;
  private final boolean recording;

  StripeReads(StripeGateway gateway) {
    this(gateway, new HashMap<>(), true);
  }

  private StripeReads(StripeGateway gateway, Map<String, Object> read, boolean recording) {
    this.gateway = gateway;
    this.read = read;
    this.recording = recording;
  }

  /** What was read so far, for the applying transaction. */
  StripeReads recorded() {
    return new StripeReads(gateway, Map.copyOf(read), false);
  }

  JsonObject subscription(String id) {
    return get("subscription " + id, () -> gateway.subscription(id));
  }

  JsonObject charge(String id) {
    return get("charge " + id, () -> gateway.charge(id));
  }

  JsonObject paymentIntent(String id) {
    return get("payment_intent " + id, () -> gateway.paymentIntent(id));
  }

  JsonObject balanceTransaction(String id) {
    return get("balance_transaction " + id, () -> gateway.balanceTransaction(id));
  }

  List<JsonObject> refundsOf(String chargeId) {
    return get("refunds of " + chargeId, () -> gateway.refundsOf(chargeId));
  }

  List<JsonObject> payoutTransactions(String payoutId) {
    return get("balance transactions of " + payoutId, () -> gateway.payoutTransactions(payoutId));
  }

  @SuppressWarnings("unchecked")
  private <T> T get(String key, Supplier<T> fetch) {
    Object known = read.get(key);
    if (known != null) {
      return (T) known;
    }
    if (!recording) {
      LOG.warning("Stripe read of " + key + " was not foreseen before the transaction");
      return fetch.get();
    }
    T fetched = fetch.get();
    read.put(key, fetched);
    return fetched;
  }
}
