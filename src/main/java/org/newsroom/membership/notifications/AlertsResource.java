package org.newsroom.membership.notifications;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.ProblemException;

/** Editors send alerts and follow their delivery (EDITOR or ADMIN; same-origin only). */
@Path("notifications")
@StaffOnly(
    area = "notifications",
    value = {Role.EDITOR, Role.ADMIN})
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

  @Inject Alerts alerts;
  @Inject StaffAccess access;

  /** 202: queued; the figures on {@code GET /api/notifications/{id}} show the fan-out. */
  @POST
  public Response send(Alerts.SendAlert body) {
    Member editor = access.admitted();
    Alerts.AlertView queued = alerts.send(body, editor.id());
    return Response.accepted(queued)
        .header("Location", "/api/notifications/" + queued.id())
        .build();
  }

  @GET
  public List<Alerts.AlertView> recent() {
    return alerts.recent(50);
  }

  @GET
  @Path("{id}")
  public Alerts.AlertView get(@PathParam("id") String id) {
    UUID alertId;
    try {
      alertId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No alert with this id.");
    }
    return alerts.get(alertId);
  }
}
