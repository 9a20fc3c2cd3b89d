package org.newsroom.membership.support;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.util.UUID;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.donations.ContributionViews;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.GivingRecords;
import org.newsroom.membership.platform.JsonInteger;
import org.newsroom.membership.platform.ProblemException;

/**
 * Supporter care (SUPPORT or ADMIN): find a reader, see their case, act for them. Every call
 * carries a reason ({@code reason} query parameter on look-ups, a body field on actions).
 */
@Path("support/readers")
@StaffOnly(
    area = "support",
    value = {Role.SUPPORT, Role.ADMIN})
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SupportResource {

  public record Reason(@Size(max = 500) String reason) {}

  public record Change(
      @Size(max = 500) String reason, @Positive @JsonInteger Long amount, Frequency frequency) {}

  public record Cancel(@Size(max = 500) String reason, @Size(max = 500) String cancelReason) {}

  public record Pause(@Size(max = 500) String reason, LocalDate resumeOn) {}

  public record Refund(@Size(max = 500) String reason, @JsonInteger Long amount, UUID requestId) {}

  @Inject SupportDesk desk;
  @Inject StaffAccess access;

  @GET
  public SupportDesk.Matches find(@QueryParam("q") String q, @QueryParam("reason") String reason) {
    return desk.find(staff(), q, reason);
  }

  @GET
  @Path("{id}")
  public SupportDesk.Case view(@PathParam("id") String id, @QueryParam("reason") String reason) {
    return desk.view(staff(), idOf(id), reason);
  }

  @POST
  @Path("{id}/verification-mail")
  public Response resendVerification(@PathParam("id") String id, Reason body) {
    desk.resendVerification(staff(), idOf(id), body.reason());
    return Response.accepted().build();
  }

  @POST
  @Path("{id}/sign-out-everywhere")
  public SupportDesk.SignedOut signOutEverywhere(@PathParam("id") String id, Reason body) {
    return desk.signOutEverywhere(staff(), idOf(id), body.reason());
  }

  @PATCH
  @Path("{id}/contributions/{contribution}")
  public ContributionViews.RecurringView change(
      @PathParam("id") String id, @PathParam("contribution") String contribution, Change body) {
    return desk.change(
        staff(), idOf(id), idOf(contribution), body.amount(), body.frequency(), body.reason());
  }

  @POST
  @Path("{id}/contributions/{contribution}/cancel")
  public ContributionViews.RecurringView cancel(
      @PathParam("id") String id, @PathParam("contribution") String contribution, Cancel body) {
    return desk.cancel(staff(), idOf(id), idOf(contribution), body.cancelReason(), body.reason());
  }

  @POST
  @Path("{id}/contributions/{contribution}/pause")
  public ContributionViews.RecurringView pause(
      @PathParam("id") String id, @PathParam("contribution") String contribution, Pause body) {
    return desk.pause(staff(), idOf(id), idOf(contribution), body.resumeOn(), body.reason());
  }

  @POST
  @Path("{id}/contributions/{contribution}/resume")
  public ContributionViews.RecurringView resume(
      @PathParam("id") String id, @PathParam("contribution") String contribution, Reason body) {
    return desk.resume(staff(), idOf(id), idOf(contribution), body.reason());
  }

  /** 202: Stripe accepted the refund; the payment shows it once Stripe's webhook arrives. */
  @POST
  @Path("{id}/payments/{payment}/refund")
  public Response refund(
      @PathParam("id") String id, @PathParam("payment") String payment, Refund body) {
    GivingRecords.RefundRequested refund =
        desk.refund(
            staff(), idOf(id), idOf(payment), body.amount(), body.requestId(), body.reason());
    return Response.accepted(refund).build();
  }

  private String staff() {
    return access.admitted().id().toString();
  }

  private static UUID idOf(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No such reader, contribution or payment.");
    }
  }
}
