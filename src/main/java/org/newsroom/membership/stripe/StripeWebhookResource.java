package org.newsroom.membership.stripe;

import com.google.gson.JsonParseException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.newsroom.membership.platform.ProblemException;

/**
 * Stripe's webhook. Answers 200 only once the event is committed to the inbox (or was already
 * there); anything that prevents storing it is a 503, so Stripe delivers it again. The body limit
 * is enforced by {@code RequestRules} before anything reads it.
 */
@Path("stripe/webhook")
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
      throw ProblemException.unavailable(
          "webhook-unavailable", "Stripe webhooks are not configured.");
    }
    if (signature == null || signature.isBlank()) {
      count("rejected");
      throw ProblemException.badRequest(
          "invalid-signature", "The Stripe-Signature header is missing.");
    }
    String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
    Event event;
    try {
      if (StripeJson.nestedDeeperThan(payload, StripeJson.MAX_DEPTH)) {
        // Gson recurses per level and would overflow the stack on a body nested thousands deep;
        // only its signature decides whether that is a forgery or an event we cannot parse.
        Webhook.Signature.verifyHeader(payload, signature, webhookSecret.get(), toleranceSeconds);
        throw ProblemException.badRequest(
            "invalid-event", "The body is nested deeper than any Stripe event.");
      }
      event = Webhook.constructEvent(payload, signature, webhookSecret.get(), toleranceSeconds);
    } catch (SignatureVerificationException e) {
      count("rejected");
      throw ProblemException.badRequest(
          "invalid-signature", "The signature is not valid or its timestamp is too old.");
    } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
      throw ProblemException.badRequest("invalid-event", "The body is not a Stripe event.");
    }
    if (event.getId() == null || event.getType() == null) {
      throw ProblemException.badRequest("invalid-event", "The body is not a Stripe event.");
    }
    boolean livemode = Boolean.TRUE.equals(event.getLivemode());
    StripeEvent.Status status = StripeEvent.Status.PENDING;
    String why = null;
    if (livemode != gateway.livemode()) {
      status = StripeEvent.Status.IGNORED;
      why = "livemode " + livemode + " does not match the configured key";
      LOG.warning("Stripe event " + event.getId() + " ignored: " + why);
    } else if (!StripeEventProcessor.handles(event.getType())) {
      status = StripeEvent.Status.IGNORED;
      why = "type not handled";
      LOG.info("Stripe event " + event.getId() + " of type " + event.getType() + " ignored");
    }
    StripeEvent stored =
        new StripeEvent(
            event.getId(),
            event.getType(),
            livemode,
            event.getCreated() == null ? 0 : event.getCreated(),
            payload,
            status);
    if (why != null) {
      stored.ignored(why);
    }
    try {
      if (!inbox.store(stored)) {
        count("duplicate");
        return Response.ok(Map.of("received", true)).build();
      }
    } catch (RuntimeException e) {
      boolean duplicate;
      try {
        duplicate = inbox.exists(event.getId());
      } catch (RuntimeException databaseDown) {
        duplicate = false;
      }
      if (!duplicate) {
        count("unavailable");
        LOG.log(Level.WARNING, "Stripe event " + event.getId() + " could not be stored", e);
        throw ProblemException.unavailable(
            "webhook-unavailable", "The event could not be stored; deliver it again later.");
      }
      count("duplicate");
      return Response.ok(Map.of("received", true)).build();
    }
    count(status == StripeEvent.Status.IGNORED ? "ignored" : "stored");
    return Response.ok(Map.of("received", true)).build();
  }

  private void count(String outcome) {
    metrics.counter("stripe.webhook.events", new Tag("outcome", outcome)).inc();
  }
}
