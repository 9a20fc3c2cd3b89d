package org.newsroom.membership.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * Stripe's webhook. Answers 200 only once the event is committed to the inbox (or was already
 * there); anything that prevents storing it is a 503, so Stripe delivers it again. The body limit
 * is enforced by {@code BodyLimit} before anything reads it.
 */
@Path("stripe/webhook")
// One instance: created per request (the JAX-RS default), building it and injecting its fields
// and config values was about 8 % of the webhook's CPU in a flight recording (README, Benchmarks).
@ApplicationScoped
public class StripeWebhookResource {

  private static final Logger LOG = Logger.getLogger(StripeWebhookResource.class.getName());

  @Inject StripeEventInbox inbox;
  @Inject StripeGateway gateway;
  @Inject MetricRegistry metrics;

  @Inject
  @ConfigProperty(name = "stripe.webhook-secret")
  Optional<String> webhookSecret;

  @Inject
  @ConfigProperty(name = "stripe.webhook-tolerance-seconds")
  long toleranceSeconds;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response receive(byte[] body, @HeaderParam("Stripe-Signature") String signature) {
    if (webhookSecret.filter(s -> !s.isBlank()).isEmpty() || !gateway.configured()) {
      throw new ProblemException(
          ProblemType.WEBHOOK_UNAVAILABLE, "Stripe webhooks are not configured.");
    }
    if (signature == null || signature.isBlank()) {
      count("rejected");
      throw new ProblemException(
          ProblemType.INVALID_SIGNATURE, "The Stripe-Signature header is missing.");
    }
    String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
    JsonObject event;
    try {
      // The signature is checked on the raw bytes first; only a genuine body is parsed, once, into
      // a tree (Stripe's typed Event model costs a reflective bind we never use), and the few
      // fields the inbox needs are read from it.
      Webhook.Signature.verifyHeader(payload, signature, webhookSecret.get(), toleranceSeconds);
      if (StripeJson.nestedDeeperThan(payload, StripeJson.MAX_DEPTH)) {
        // Gson recurses per level and would overflow the stack on a body nested thousands deep.
        throw new ProblemException(
            ProblemType.INVALID_EVENT, "The body is nested deeper than any Stripe event.");
      }
      event = JsonParser.parseString(payload).getAsJsonObject();
    } catch (SignatureVerificationException e) {
      count("rejected");
      throw new ProblemException(
          ProblemType.INVALID_SIGNATURE, "The signature is not valid or its timestamp is too old.");
    } catch (JsonParseException | IllegalStateException e) {
      throw new ProblemException(ProblemType.INVALID_EVENT, "The body is not a Stripe event.");
    }
    String id = text(event, "id");
    String type = text(event, "type");
    if (id == null || type == null) {
      throw new ProblemException(ProblemType.INVALID_EVENT, "The body is not a Stripe event.");
    }
    boolean livemode = flag(event, "livemode");
    long created = number(event, "created");
    StripeEvent.Status status = StripeEvent.Status.PENDING;
    String why = null;
    if (livemode != gateway.livemode()) {
      status = StripeEvent.Status.IGNORED;
      why = "livemode " + livemode + " does not match the configured key";
      LOG.warning("Stripe event " + id + " ignored: " + why);
    } else if (!StripeEventProcessor.handles(type)) {
      status = StripeEvent.Status.IGNORED;
      why = "type not handled";
      LOG.info("Stripe event " + id + " of type " + type + " ignored");
    }
    StripeEvent stored = new StripeEvent(id, type, livemode, created, payload, status);
    if (why != null) {
      stored.ignored(why);
    }
    try {
      if (!inbox.store(stored, PayloadRedaction.customerOfEvent(event))) {
        count("duplicate");
        return received();
      }
    } catch (RuntimeException e) {
      boolean duplicate;
      try {
        duplicate = inbox.exists(id);
      } catch (RuntimeException databaseDown) {
        duplicate = false;
      }
      if (!duplicate) {
        count("unavailable");
        LOG.log(Level.WARNING, "Stripe event " + id + " could not be stored", e);
        throw new ProblemException(
            ProblemType.WEBHOOK_UNAVAILABLE,
            "The event could not be stored; deliver it again later.");
      }
      count("duplicate");
      return received();
    }
    count(status == StripeEvent.Status.IGNORED ? "ignored" : "stored");
    return received();
  }

  /** A string field of the event, or null when it is missing or not a string. */
  private static String text(JsonObject event, String field) {
    JsonElement value = event.get(field);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? value.getAsString()
        : null;
  }

  private static boolean flag(JsonObject event, String field) {
    JsonElement value = event.get(field);
    return value != null
        && value.isJsonPrimitive()
        && value.getAsJsonPrimitive().isBoolean()
        && value.getAsBoolean();
  }

  private static long number(JsonObject event, String field) {
    JsonElement value = event.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      return 0;
    }
    try {
      return value.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
    } catch (ArithmeticException notAWholeNumber) {
      throw new ProblemException(ProblemType.INVALID_EVENT, "The body is not a Stripe event.");
    }
  }

  /** {@code {"received":true}}, written as it is rather than bound by JSON-B on every delivery. */
  private static Response received() {
    return Response.ok(RECEIVED, MediaType.APPLICATION_JSON_TYPE).build();
  }

  private static final String RECEIVED = "{\"received\":true}";

  private void count(String outcome) {
    metrics.counter("stripe.webhook.events", new Tag("outcome", outcome)).inc();
  }
}
