package org.newsroom.membership.stripe;

import com.google.gson.JsonObject;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeCollection;
import com.stripe.model.StripeObject;
import com.stripe.net.RequestOptions;
import com.stripe.param.BalanceTransactionListParams;
import com.stripe.param.ChargeListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.PayoutListParams;
import com.stripe.param.SubscriptionListParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.donations.PaymentGateway;

/**
 * The one way this service talks to Stripe. The SDK's own retries are off and its connect and read
 * timeouts are set from configuration. The calls the event worker and the sync make are here and
 * are not retried: they are retried as a whole, with backoff, by their callers. The calls a reader
 * waits for are in {@link StripeReaderCalls}, which bounds and retries them.
 */
@ApplicationScoped
public class StripeGateway {

  @Inject
  @ConfigProperty(name = "stripe.secret-key")
  Optional<String> secretKey;

  @Inject
  @ConfigProperty(name = "stripe.api-base")
  String apiBase;

  @Inject
  @ConfigProperty(name = "stripe.timeout-ms")
  int timeoutMs;

  @Inject
  @ConfigProperty(name = "stripe.connect-timeout-ms")
  int connectTimeoutMs;

  private volatile StripeClient client;

  public boolean configured() {
    return secretKey.filter(k -> !k.isBlank()).isPresent();
  }

  /** Whether the configured key is a live one; events of the other mode are ignored. */
  public boolean livemode() {
    return secretKey.map(k -> k.startsWith("sk_live") || k.startsWith("rk_live")).orElse(false);
  }

  StripeClient client() {
    if (!configured()) {
      throw PaymentGateway.unavailable();
    }
    StripeClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client =
              StripeClient.builder()
                  .setApiKey(secretKey.get())
                  .setApiBase(apiBase)
                  .setConnectTimeout(connectTimeoutMs)
                  .setReadTimeout(timeoutMs)
                  .setMaxNetworkRetries(0)
                  .build();
        }
        c = client;
      }
    }
    return c;
  }

  static RequestOptions idempotent(String key) {
    return RequestOptions.builder().setIdempotencyKey(key).build();
  }

  // ---- Calls the worker and the sync make: failures propagate and the whole step is retried ----

  /**
   * Deletes a Customer at Stripe (its name, email, address and saved cards go with it); an already
   * deleted or unknown customer counts as done. The deletion outbox retries anything else.
   */
  public void deleteCustomer(String customerId) {
    try {
      call(() -> client().customers().delete(customerId));
    } catch (StripeRejected e) {
      if (!Integer.valueOf(404).equals(e.status())) {
        throw e;
      }
    }
  }

  public JsonObject subscription(String subscriptionId) {
    return callRaw(() -> client().subscriptions().retrieve(subscriptionId));
  }

  public JsonObject charge(String chargeId) {
    return callRaw(() -> client().charges().retrieve(chargeId));
  }

  public JsonObject paymentIntent(String paymentIntentId) {
    return callRaw(() -> client().paymentIntents().retrieve(paymentIntentId));
  }

  public JsonObject balanceTransaction(String id) {
    return callRaw(() -> client().balanceTransactions().retrieve(id));
  }

  public List<JsonObject> refundsOf(String chargeId) {
    return allPages(
        after -> {
          com.stripe.param.RefundListParams.Builder params =
              com.stripe.param.RefundListParams.builder().setCharge(chargeId).setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().refunds().list(params.build());
        });
  }

  /** Every balance transaction a payout settled. */
  public List<JsonObject> payoutTransactions(String payoutId) {
    return allPages(
        after -> {
          BalanceTransactionListParams.Builder params =
              BalanceTransactionListParams.builder().setPayout(payoutId).setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().balanceTransactions().list(params.build());
        });
  }

  /** Events Stripe created since then (it keeps 30 days), of the given types. */
  public List<JsonObject> recentEvents(long createdSince, List<String> types) {
    return allPages(
        after -> {
          com.stripe.param.EventListParams.Builder params =
              com.stripe.param.EventListParams.builder()
                  .setCreated(
                      com.stripe.param.EventListParams.Created.builder()
                          .setGte(createdSince)
                          .build())
                  .addAllType(types)
                  .setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().events().list(params.build());
        });
  }

  public List<JsonObject> recentSubscriptions(long createdSince) {
    return allPages(
        after -> {
          SubscriptionListParams.Builder params =
              SubscriptionListParams.builder()
                  .setStatus(SubscriptionListParams.Status.ALL)
                  .setCreated(SubscriptionListParams.Created.builder().setGte(createdSince).build())
                  .setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().subscriptions().list(params.build());
        });
  }

  public List<JsonObject> recentPaidInvoices(long createdSince) {
    return allPages(
        after -> {
          InvoiceListParams.Builder params =
              InvoiceListParams.builder()
                  .setStatus(InvoiceListParams.Status.PAID)
                  .setCreated(InvoiceListParams.Created.builder().setGte(createdSince).build())
                  .setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().invoices().list(params.build());
        });
  }

  public List<JsonObject> recentCharges(long createdSince) {
    return allPages(
        after -> {
          ChargeListParams.Builder params =
              ChargeListParams.builder()
                  .setCreated(ChargeListParams.Created.builder().setGte(createdSince).build())
                  .setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().charges().list(params.build());
        });
  }

  public List<JsonObject> recentPayouts(long createdSince) {
    return allPages(
        after -> {
          PayoutListParams.Builder params =
              PayoutListParams.builder()
                  .setStatus("paid")
                  .setCreated(PayoutListParams.Created.builder().setGte(createdSince).build())
                  .setLimit(100L);
          if (after != null) {
            params.setStartingAfter(after);
          }
          return client().payouts().list(params.build());
        });
  }

  /** One page of a Stripe list, the page after the item with the given id (null: the first). */
  interface Page<T extends com.stripe.model.HasId> {
    StripeCollection<T> after(String startingAfter) throws StripeException;
  }

  /**
   * Every item of a Stripe list, following {@code has_more} page by page. This is what the SDK's
   * {@code autoPagingIterable()} does, written out because its items are typed models, which drop
   * fields that moved between API versions (an invoice's charge and subscription) that the handlers
   * still read; each page here keeps the items exactly as Stripe sent them.
   */
  static <T extends com.stripe.model.HasId> List<JsonObject> allPages(Page<T> page) {
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    boolean more;
    do {
      String startingAfter = after;
      StripeCollection<T> current = call(() -> page.after(startingAfter));
      List<JsonObject> items = rawItems(current);
      all.addAll(items);
      more = Boolean.TRUE.equals(current.getHasMore()) && !items.isEmpty();
      after = more ? StripeJson.str(items.get(items.size() - 1), "id") : null;
    } while (more);
    return all;
  }

  /**
   * A list's items exactly as Stripe sent them: the typed models drop fields that moved between API
   * versions (an invoice's charge and subscription), which the handlers still read.
   */
  static List<JsonObject> rawItems(StripeCollection<?> collection) {
    JsonObject raw = collection.getRawJsonObject();
    if (raw != null && raw.has("data") && raw.get("data").isJsonArray()) {
      List<JsonObject> items = new ArrayList<>();
      raw.getAsJsonArray("data").forEach(e -> items.add(e.getAsJsonObject()));
      return items;
    }
    return collection.getData().stream().map(item -> raw((StripeObject) item)).toList();
  }

  /**
   * The object as Stripe sent it. Only top-level responses keep their raw JSON; items of a list are
   * serialised back with the SDK's own Gson, which writes Stripe's field names.
   */
  static JsonObject raw(StripeObject object) {
    JsonObject raw = object.getRawJsonObject();
    if (raw != null) {
      return raw;
    }
    return com.stripe.net.ApiResource.GSON.toJsonTree(object).getAsJsonObject();
  }

  /** The object a call returns, as Stripe sent it. */
  static JsonObject callRaw(StripeCall<? extends StripeObject> call) {
    return raw(call(call));
  }

  interface StripeCall<T> {
    T call() throws StripeException;
  }

  static <T> T call(StripeCall<T> call) {
    try {
      return call.call();
    } catch (ApiConnectionException e) {
      throw new StripeUnavailable("Stripe unreachable or slow: " + e.getMessage(), e);
    } catch (StripeException e) {
      Integer status = e.getStatusCode();
      if (status == null || status >= 500 || status == 429) {
        throw new StripeUnavailable("Stripe answered " + status + ": " + e.getMessage(), e);
      }
      throw new StripeRejected("Stripe refused (" + status + "): " + e.getMessage(), status, e);
    }
  }
}
