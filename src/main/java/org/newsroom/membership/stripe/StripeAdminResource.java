package org.newsroom.membership.stripe;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * The Stripe inbox for administrators (API.md), plus an extension of the contract: {@code POST
 * /api/admin/stripe-sync} runs the reconciliation with Stripe now instead of waiting for its timer.
 */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StripeAdminResource {

  /** Every field in every entry: {@code lastError} is null, not missing, when there was none. */
  @JsonbNillable
  public record EventView(
      String id,
      String type,
      StripeEvent.Status status,
      Instant receivedAt,
      int attempts,
      String lastError) {

    static EventView of(StripeEvent e) {
      return new EventView(
          e.id(), e.type(), e.status(), e.receivedAt().toInstant(), e.attempts(), e.lastError());
    }
  }

  public record Events(List<EventView> events) {}

  @Inject StaffAccess access;
  @Inject AuditLog auditLog;
  @Inject StripeEventInbox inbox;
  @Inject StripeEventWorker worker;
  @Inject StripeSync sync;

  @GET
  @Path("stripe-events")
  @StaffOnly(area = "stripe-events", value = Role.ADMIN)
  public Events events(@QueryParam("status") String status) {
    StripeEvent.Status wanted = null;
    if (status != null && !status.isBlank()) {
      try {
        wanted = StripeEvent.Status.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ProblemException.validation("status", "must be PENDING, APPLIED, FAILED or IGNORED");
      }
    }
    return new Events(inbox.list(wanted).stream().map(EventView::of).toList());
  }

  /** Applies a stored event again now; safe, as applying is idempotent. */
  @POST
  @Path("stripe-events/{id}/replay")
  @StaffOnly(area = "stripe-events", value = Role.ADMIN)
  public EventView replay(@PathParam("id") String id) {
    Member admin = access.admitted();
    StripeEvent stored =
        inbox
            .find(id)
            .orElseThrow(() -> ProblemException.notFound("No stored Stripe event with that id."));
    if (stored.reduced()) {
      throw new ProblemException(
          ProblemType.EVENT_REDUCED,
          "Retention reduced this event to its id, type and status; there is nothing to apply.");
    }
    auditLog.record(
        admin.id().toString(),
        "stripe.replay",
        id,
        Json.createObjectBuilder().add("event", id).build());
    worker.applyAgain(id);
    return inbox.find(id).map(EventView::of).orElseThrow();
  }

  @POST
  @Path("stripe-sync")
  @StaffOnly(area = "stripe-sync", value = Role.ADMIN)
  public StripeSync.Result sync() {
    Member admin = access.admitted();
    auditLog.record(
        admin.id().toString(),
        "stripe.sync",
        "stripe",
        Json.createObjectBuilder().add("trigger", "admin").build());
    return sync.run();
  }
}
