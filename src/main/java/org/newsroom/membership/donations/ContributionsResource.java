package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.UUID;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.platform.JsonInteger;
import org.newsroom.membership.platform.OptionalBody;
import org.newsroom.membership.platform.ProblemException;

/** The signed-in reader's recurring contributions and payments. */
@Path("me/contributions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ContributionsResource {

  public record Change(@Positive @JsonInteger Long amount, Frequency frequency) {}

  public record Cancel(@Size(max = 500) String reason) {}

  public record Pause(@NotNull LocalDate resumeOn) {}

  @Inject Contributions contributions;
  @Inject Caller caller;

  @GET
  public ContributionViews.Overview list() {
    return contributions.of(caller.memberId());
  }

  @PATCH
  @Path("{id}")
  public ContributionViews.RecurringView change(@PathParam("id") String id, Change body) {
    UUID memberId = caller.memberId();
    return contributions.change(memberId, idOf(id), body.amount(), body.frequency());
  }

  @POST
  @Path("{id}/cancel")
  public ContributionViews.RecurringView cancel(
      @PathParam("id") String id, @OptionalBody Cancel body) {
    UUID memberId = caller.memberId();
    return contributions.cancel(memberId, idOf(id), body == null ? null : body.reason());
  }

  @POST
  @Path("{id}/pause")
  public ContributionViews.RecurringView pause(@PathParam("id") String id, Pause body) {
    UUID memberId = caller.memberId();
    return contributions.pause(memberId, idOf(id), body.resumeOn());
  }

  @POST
  @Path("{id}/resume")
  public ContributionViews.RecurringView resume(@PathParam("id") String id) {
    UUID memberId = caller.memberId();
    return contributions.resume(memberId, idOf(id));
  }

  private static UUID idOf(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No such contribution.");
    }
  }
}
